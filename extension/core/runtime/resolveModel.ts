// Setting + deck -> an opened model: built-in names map to the shipped files, anything else is a
// model file (refused where files may not run, e.g. Restricted Mode). File access is the caller's
// (vscode.workspace.fs in the host, node:fs in the CLI), so host and CLI share every decision.
import type { Mesh } from '../mesh/types';
import { BUILTIN_MODELS, isBuiltinModel, modelNameFor, type BuiltinModel } from '../model/modelChoice';
import { openModelWithCard, sidecarCardPath, type OpenedModel } from './model';
import { errorMessage } from './backend';

/** Where models live, for one platform; `L` is its location type (a path, a vscode.Uri). */
export interface ModelFiles<L> {
  builtin(name: BuiltinModel): L;
  /** A model file the user named (absolute, or relative to the workspace / working directory). */
  file(ref: string): L;
  /** The same location with another path (for the card beside a model). */
  withPath(at: L, path: string): L;
  path(at: L): string;
  /** Rejects when the file cannot be read. */
  read(at: L): Promise<Uint8Array>;
  /** Session cache key (one onnxruntime session per key and back end). */
  key(at: L): string;
  /** For messages. */
  label(at: L): string;
}

export interface ResolvedModel<L> {
  /** The card's name, else the name or path the setting gave. */
  readonly name: string;
  readonly location: L;
  readonly builtin: boolean;
  readonly opened: OpenedModel;
}

export interface ModelRequest {
  /** `auto`, a built-in name, or a model file path. */
  readonly setting: string | undefined;
  /** False where model files must not run (Restricted Mode): built-in models only. */
  readonly allowFiles: boolean;
}

export type ResolveResult<L> = { ok: true; model: ResolvedModel<L> } | { ok: false; code: 'no-model' | 'bad-model'; error: string };

/** Resolves and opens the model for `mesh`; `cache` (by key) keeps opened models across runs. */
export async function resolveModel<L>(files: ModelFiles<L>, mesh: Mesh | undefined, req: ModelRequest, cache?: Map<string, ResolvedModel<L>>): Promise<ResolveResult<L>> {
  const name = modelNameFor(req.setting, mesh);
  const builtin = isBuiltinModel(name);
  if (!builtin && !req.allowFiles) {
    return { ok: false, code: 'no-model', error: `model '${name}' is a workspace file; workspace models do not run in Restricted Mode (trust the workspace, or use a built-in model)` };
  }
  const location = builtin ? files.builtin(name) : files.file(name);
  const key = files.key(location);
  const cached = cache?.get(key);
  if (cached) return { ok: true, model: cached };
  let bytes: Uint8Array;
  try {
    bytes = await files.read(location);
  } catch (e) {
    const hint = builtin ? '' : ` (built-in models: ${BUILTIN_MODELS.join(', ')})`;
    return { ok: false, code: 'no-model', error: `cannot read model ${files.label(location)}: ${errorMessage(e)}${hint}` };
  }
  const sidecar = files.withPath(location, sidecarCardPath(files.path(location)));
  const r = await openModelWithCard(bytes, key, async () => {
    try {
      return new TextDecoder().decode(await files.read(sidecar));
    } catch {
      return undefined;
    }
  });
  if (!r.ok) return { ok: false, code: 'bad-model', error: `cannot open model ${files.label(location)}: ${r.error}` };
  const model: ResolvedModel<L> = { name: r.model.card?.name ?? name, location, builtin, opened: r.model };
  cache?.set(key, model);
  return { ok: true, model };
}
