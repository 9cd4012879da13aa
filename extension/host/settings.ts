import * as vscode from 'vscode';
import { RUNTIME_BACKEND_CHOICES, type RuntimeBackendChoice } from '../core/protocol/messages';

/** Typed view of the `flare.*` settings; read fresh each time so changes apply without reload. */
export interface FlareSettings {
  readonly watchInclude: string[];
  readonly watchExclude: string[];
  readonly predictOnSave: boolean;
  readonly maxFileSizeMB: number;
  readonly maxPoints: number;
  readonly vonMisesLimitMPa: number | undefined;
  readonly displacementLimitMM: number | undefined;
  readonly model: string;
  readonly backend: RuntimeBackendChoice;
  readonly ccxPath: string;
  readonly debounceMs: number;
}

export const MESH_EXTENSIONS = ['inp', 'msh', 'vtk', 'vtu', 'vtp', 'pvtu', 'frd', 'stl', 'obj', 'ply', 'off', 'su2', 'bdf', 'nas', 'fem'] as const;

/** A setting's value when it is one of `allowed` (a hand-edited settings.json may hold anything), else `fallback`. */
function choice<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly unknown[]).includes(v) ? (v as T) : fallback;
}

export function readSettings(scope?: vscode.ConfigurationScope): FlareSettings {
  const c = vscode.workspace.getConfiguration('flare', scope);
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  return {
    watchInclude: c.get<string[]>('watch.include', [`**/*.{${MESH_EXTENSIONS.join(',')}}`]),
    watchExclude: c.get<string[]>('watch.exclude', ['**/node_modules/**', '**/.git/**']),
    predictOnSave: c.get<boolean>('predictOnSave', false),
    maxFileSizeMB: c.get<number>('limits.maxFileSizeMB', 512),
    maxPoints: c.get<number>('limits.maxPoints', 5_000_000),
    vonMisesLimitMPa: num(c.get('limits.vonMisesMPa')),
    displacementLimitMM: num(c.get('limits.displacementMM')),
    model: c.get<string>('model', 'auto'),
    backend: choice(c.get('runtime.backend'), RUNTIME_BACKEND_CHOICES, 'auto'),
    ccxPath: c.get<string>('solver.ccxPath', ''),
    debounceMs: c.get<number>('watch.debounceMs', 300),
  };
}
