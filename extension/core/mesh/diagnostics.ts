// The diagnostics list one read fills: readers, checks and include files all add to it.
import type { MeshDiagnostic, Severity } from './types';

/** Collects diagnostics, capping floods of one code so a broken 1M-node file stays usable. */
export class Diagnostics {
  readonly list: MeshDiagnostic[] = [];
  private counts = new Map<string, number>();
  constructor(
    readonly file: string,
    readonly cap = 50,
  ) {}
  add(severity: Severity, code: string, message: string, line: number, file = this.file, column?: number): void {
    const n = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, n);
    if (n <= this.cap) this.list.push(column === undefined ? { severity, code, message, file, line } : { severity, code, message, file, line, column });
    else if (n === this.cap + 1) this.list.push({ severity, code, message: `more '${code}' findings not shown`, file, line });
  }
  count(code: string): number {
    return this.counts.get(code) ?? 0;
  }
}
