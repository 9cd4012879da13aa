// How the CLI reports applicability findings: one plain-text line each (compiler style, on stderr),
// the JSON form of `--json` / `--out FILE.json`, and the exit code they lead to.
import * as path from 'node:path';
import type { Finding } from '../core/model/findings';

/** Exit codes of `flare predict` (and the meaning `flare check` shares). */
export const EXIT = { ok: 0, failed: 1, usage: 2, warnings: 3 } as const;

export interface FindingJson {
  severity: Finding['severity'];
  code: string;
  message: string;
  /** The deck file when the cause is in an included file, not the deck itself. */
  file?: string;
  line?: number;
}

/** `{severity, code, message, line?}` (plus `file` when the cause is in another file than `deck`). */
export function findingJson(f: Finding, deck: string): FindingJson {
  const other = f.file !== undefined && path.resolve(f.file) !== path.resolve(deck);
  return { severity: f.severity, code: f.code, message: f.message, ...(other ? { file: f.file } : {}), ...(f.line !== undefined ? { line: f.line } : {}) };
}

/** `deck.inp:33: warning: message [element-type]` (the line left out when the finding has none). */
export function findingLine(f: Finding, deck: string): string {
  const where = `${f.file ?? deck}${f.line !== undefined ? `:${f.line}` : ''}`;
  return `${where}: ${f.severity}: ${f.message} [${f.code}]\n`;
}

/**
 * The exit code of a run that predicted: 3 when an error finding says the model cannot vouch for the
 * result, or when `strict` and any warning was raised; 0 otherwise (info findings never count).
 */
export function predictedExitCode(findings: readonly Finding[], strict: boolean): number {
  if (findings.some((f) => f.severity === 'error')) return EXIT.warnings;
  if (strict && findings.some((f) => f.severity === 'warning')) return EXIT.warnings;
  return EXIT.ok;
}
