// What the applicability check says about running a model on a deck: one list of findings, each
// with a severity and a code, shared by the extension (Problems, status bar, banner), the CLI
// (--json, exit codes) and the benchmarks. Locations point at the deck line that causes it.

/** Why a model may not be able to vouch for its prediction on a deck. */
export type FindingCode =
  /** an element type the model was not trained on */
  | 'element-type'
  /** a step/analysis that is not static linear, or a load the model cannot represent */
  | 'analysis'
  /** a material outside the envelope, or a non-linear/plastic material */
  | 'material'
  /** no supports or no loads */
  | 'boundary'
  /** geometry/size/node count/load outside the training envelope */
  | 'envelope'
  /** far from the training set by the card's calibrated distance */
  | 'distance'
  /** a node above a user limit (flare.limits.*) */
  | 'limit';

export type FindingSeverity = 'error' | 'warning' | 'info';

export interface Finding {
  readonly severity: FindingSeverity;
  readonly code: FindingCode;
  readonly message: string;
  /** The deck file and 1-based line of the cause, when it has one. */
  readonly file?: string;
  readonly line?: number;
}

/** The worst severity of a list (undefined when empty). */
export function worstSeverity(findings: readonly Finding[]): FindingSeverity | undefined {
  if (findings.some((f) => f.severity === 'error')) return 'error';
  if (findings.some((f) => f.severity === 'warning')) return 'warning';
  return findings.length ? 'info' : undefined;
}
