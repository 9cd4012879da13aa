// "Check Mesh or Deck" says what it found every time: a notification with the counts ("no problems
// found" or the first findings) whose severity follows the worst finding, and the Problems panel.
import * as path from 'node:path';
import type { MeshDiagnostic } from '../core/mesh/index';

export interface CheckSummary {
  readonly points: number;
  readonly diagnostics: number;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  /** 'info' when nothing is wrong (or only notes), else the worst severity: how the notification is shown. */
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The notification text and counts for a check of `file`. */
export function checkSummary(file: string, points: number | undefined, diagnostics: readonly MeshDiagnostic[]): CheckSummary {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.filter((d) => d.severity === 'warning');
  const infos = diagnostics.length - errors.length - warnings.length;
  const base = path.basename(file);
  const size = points !== undefined ? ` (${points.toLocaleString('en-US')} nodes)` : '';
  const counts = { points: points ?? 0, diagnostics: diagnostics.length, errors: errors.length, warnings: warnings.length, infos };
  if (errors.length === 0 && warnings.length === 0) {
    return { ...counts, level: 'info', message: `FLARE: ${base}${size}: no problems found${infos ? ` (${plural(infos, 'note')} in Problems)` : ''}.` };
  }
  const first = (errors[0] ?? warnings[0]);
  const parts = [errors.length ? plural(errors.length, 'error') : '', warnings.length ? plural(warnings.length, 'warning') : '', infos ? plural(infos, 'note') : ''].filter(Boolean);
  const where = first.file && path.basename(first.file) !== base ? `${path.basename(first.file)}:${first.line}` : `line ${first.line}`;
  return {
    ...counts,
    level: errors.length ? 'error' : 'warning',
    message: `FLARE: ${base}${size}: ${parts.join(', ')}${points === undefined ? ', could not be read' : ''} — ${where}: ${first.message}${diagnostics.length > 1 ? ' (all in Problems)' : ''}`,
  };
}
