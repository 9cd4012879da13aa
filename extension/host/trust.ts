// What the host makes of a prediction's applicability findings: one verdict (clean, warning or
// error) with a short headline for the status bar and notification, the reasons for tooltips, and
// the banner the preview shows over the predicted field. Pure: no `vscode`, unit-tested.
import type { Finding, FindingCode } from '../core/model/findings';

export type TrustLevel = 'ok' | 'warning' | 'error';

export interface TrustVerdict {
  readonly level: TrustLevel;
  /** A few words for the status bar and the start of the notification, e.g. "outside the model's training range". */
  readonly headline: string;
  /** The message of each warning/error finding, worst first. */
  readonly reasons: readonly string[];
}

/** What each code means to the person looking at the result. */
const HEADLINES: Record<FindingCode, string> = {
  'element-type': 'element type the model was not trained on',
  analysis: 'analysis or load the model does not cover',
  material: 'material outside the model\'s training range',
  boundary: 'supports or loads missing',
  envelope: 'outside the model\'s training range',
  distance: 'far from the model\'s training set',
  limit: 'above a user limit',
};

const RANK = { error: 0, warning: 1, info: 2 } as const;

/** The verdict on a prediction's findings: info findings never raise it above 'ok'. */
export function trustVerdict(findings: readonly Finding[]): TrustVerdict {
  const serious = findings.filter((f) => f.severity !== 'info').sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  if (serious.length === 0) return { level: 'ok', headline: '', reasons: [] };
  const level: TrustLevel = serious[0].severity === 'error' ? 'error' : 'warning';
  const codes = [...new Set(serious.map((f) => f.code))];
  const headline = HEADLINES[codes[0]] + (codes.length > 1 ? ` (+${codes.length - 1} more)` : '');
  return { level, headline, reasons: serious.map((f) => f.message) };
}

export interface TrustBanner {
  readonly level: 'warning' | 'error';
  /** "Outside the model's training range: L = 500 is outside …" */
  readonly title: string;
  /** Every reason, for the banner's details. */
  readonly details: readonly string[];
}

/** The preview banner for a verdict; undefined for a clean prediction (the banner goes away). */
export function trustBanner(v: TrustVerdict): TrustBanner | undefined {
  if (v.level === 'ok') return undefined;
  const head = v.headline.replace(/ \(\+\d+ more\)$/, '');
  const more = v.reasons.length > 1 ? ` (+${v.reasons.length - 1} more)` : '';
  return { level: v.level, title: `${head.charAt(0).toUpperCase()}${head.slice(1)}: ${v.reasons[0]}${more}`, details: v.reasons };
}
