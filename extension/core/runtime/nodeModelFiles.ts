// Model files on a Node file system (CLI, tests, benchmarks): the shipped models/ folder and paths
// relative to the working directory. The host's counterpart reads through vscode.workspace.fs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelFiles } from './resolveModel';

/** The shipped models folder: models/ of the extension (walking up from this file or dist/cli.js). */
export function modelsDir(): string | undefined {
  for (let d = __dirname, i = 0; i < 6; i++, d = path.dirname(d)) {
    const p = path.join(d, 'models');
    if (fs.existsSync(path.join(p, 'card_template.json')) || fs.existsSync(path.join(p, 'bracket3d-elasticity.onnx'))) return p;
  }
  return undefined;
}

/** Session key: path + size + mtime, so an overwritten model file gets a new session. */
export function modelKey(file: string): string {
  const st = fs.statSync(file);
  return `${path.resolve(file)}:${st.size}:${st.mtimeMs}`;
}

export function nodeModelFiles(dir: string | undefined = modelsDir()): ModelFiles<string> {
  return {
    builtin: (name) => path.join(dir ?? 'models', `${name}.onnx`),
    file: (ref) => ref,
    withPath: (_at, p) => p,
    path: (at) => at,
    read: async (at) => new Uint8Array(await fs.promises.readFile(at)),
    key: (at) => {
      try {
        return modelKey(at);
      } catch {
        return path.resolve(at); // unreadable: the read says why
      }
    },
    label: (at) => at,
  };
}
