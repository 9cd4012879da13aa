// The Compare command's statistics for a `flare predict --out FILE.json` result against a solver
// result file (.frd or .vtu), for the benches and fixture measurements that run the CLI.
import * as fs from 'node:fs';
import { readMesh } from '../../../extension/core/mesh/index';
import { compareWithReference, type CompareResult } from '../../../extension/core/analysis/compareFields';

export interface PredictionJson {
  readonly model: string;
  readonly findings: readonly { severity: string; code: string; line?: number }[];
  readonly fields: Readonly<Record<string, { unit: string; components: number; values: number[] }>>;
}

export function compareJsonWithResult(deck: string, predJson: string, result: string): { prediction: PredictionJson; compared: CompareResult } {
  const prediction = JSON.parse(fs.readFileSync(predJson, 'utf8')) as PredictionJson;
  const mesh = readMesh(fs.readFileSync(deck), deck).mesh;
  const res = readMesh(fs.readFileSync(result), result).mesh;
  if (!mesh || !res) return { prediction, compared: { ok: false, error: `cannot read ${mesh ? result : deck}` } };
  const fields = Object.entries(prediction.fields).map(([name, f]) => ({ name, unit: f.unit, components: f.components, values: Float32Array.from(f.values) }));
  return { prediction, compared: compareWithReference(mesh, fields, res) };
}
