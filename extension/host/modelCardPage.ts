// The model card as a readable page (no vscode import, so it is unit-tested in Node): name, physics,
// inputs and outputs with units, training data, the measured accuracy next to the data's noise floor,
// the applicability envelope, architecture and features. Every card string is HTML-escaped: a
// workspace model's card is untrusted text. Its CSP allows the nonce'd style element and, where the
// page is to come back after a window reload, one fixed nonce'd script that stores which model it
// shows (`state`, read from an attribute, never from card text) as the webview's state.
import { envelopeRule } from '../core/model/applicability';
import type { ModelCard } from '../core/model/card';

export interface CardPageOptions {
  readonly nonce: string;
  /** Why there is no card (or it did not validate), shown instead of the card. */
  readonly problem?: string;
  /** Where the model came from (built-in name or workspace path), shown under the title. */
  readonly source?: string;
  /** What the page keeps as its webview state (JSON), for the panel serializer after a window reload. */
  readonly state?: unknown;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function escapeHtml(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** CSP of the card page: the nonce'd style element, the nonce'd state script if any; no remote content. */
export function cardPageCsp(nonce: string, script = false): string {
  return `default-src 'none'; style-src 'nonce-${nonce}'${script ? `; script-src 'nonce-${nonce}'` : ''}`;
}

/** The page's one script: hands the state in body[data-state] to VS Code (`setState`), nothing else. */
const STATE_SCRIPT = 'acquireVsCodeApi().setState(JSON.parse(document.body.dataset.state));';

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  // Counts (nodes, decks, parameters, E in MPa) read best with thousands separators.
  if (Number.isInteger(v) && a < 1e12) return v.toLocaleString('en-US');
  if (a >= 1e5 || a < 1e-3) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

const pct = (v: number): string => `${(v * 100).toFixed(v < 0.1 ? 2 : 1)} %`;

function table(head: readonly string[], rows: readonly (readonly string[])[], cls = ''): string {
  if (rows.length === 0) return '';
  const th = head.map((h) => `<th>${h}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${th}</tr></thead><tbody>\n${tr}\n</tbody></table>`;
}

// Readable names of the error metrics models/eval writes (v1: rel_l2_*, v2: short keys under summary).
const METRIC_LABELS: Readonly<Record<string, string>> = {
  vm: 'von Mises, rel. L2', rel_l2_von_mises: 'von Mises, rel. L2',
  u: '|u|, rel. L2', rel_l2_disp_mag: '|u|, rel. L2',
  p99: 'P99 of von Mises, rel. error', rel_err_p99_von_mises: 'P99 of von Mises, rel. error',
  hot1: 'von Mises on the hottest 1 % of nodes, rel. L2',
  sxx: 'σxx, rel. L2', syy: 'σyy, rel. L2', szz: 'σzz, rel. L2', sxy: 'σxy, rel. L2', syz: 'σyz, rel. L2', szx: 'σzx, rel. L2',
  max_principal: 'max principal stress, rel. L2',
};

const STATS = ['mean', 'median', 'p90'] as const;

/** metric key → {mean, median, p90}: the relative-error entries of one metrics group (v1 or v2 layout). */
function metricRows(group: unknown): Map<string, Partial<Record<(typeof STATS)[number], number>>> {
  const out = new Map<string, Partial<Record<(typeof STATS)[number], number>>>();
  if (!isObj(group)) return out;
  const src = isObj(group.summary) ? group.summary : group;
  for (const [k, v] of Object.entries(src)) {
    // Only relative errors (entries with a mean); 'matched' is a fraction of nodes, not an error.
    if (k === 'matched' || !isObj(v) || !isNum(v.mean)) continue;
    const row: Partial<Record<(typeof STATS)[number], number>> = {};
    for (const s of STATS) if (isNum(v[s])) row[s] = v[s];
    out.set(k, row);
  }
  return out;
}

function accuracySection(metrics: Readonly<Obj>): string {
  const groups: { key: string; label: string }[] = [
    { key: 'test', label: 'FLARE, test split' },
    { key: 'baseline_test', label: 'per-point baseline' },
    { key: 'noise_floor', label: 'noise floor of the data' },
  ];
  const present = groups.map((g) => ({ ...g, rows: metricRows(metrics[g.key]) })).filter((g) => g.rows.size > 0);
  if (present.length === 0) return '<p class="muted">The card has no measured accuracy.</p>';
  const keys: string[] = [];
  for (const g of present) for (const k of g.rows.keys()) if (!keys.includes(k)) keys.push(k);
  const cols: { g: (typeof present)[number]; s: (typeof STATS)[number] }[] = [];
  for (const g of present) for (const s of STATS) if ([...g.rows.values()].some((r) => r[s] !== undefined)) cols.push({ g, s });
  const head = ['metric', ...cols.map((c) => `${escapeHtml(c.g.label)}<br><span class="muted">${c.s}</span>`)];
  const rows = keys.map((k) => [
    escapeHtml(METRIC_LABELS[k] ?? k),
    ...cols.map((c) => { const v = c.g.rows.get(k)?.[c.s]; return v === undefined ? '' : pct(v); }),
  ]);
  const test = isObj(metrics.test) ? metrics.test : {};
  const size = [isNum(test.n_samples) ? `${fmt(test.n_samples)} test decks` : '', isNum(test.n_nodes) ? `${fmt(test.n_nodes)} nodes` : '']
    .filter(Boolean).join(', ');
  const def = typeof metrics.definition === 'string' ? `<p class="muted">${escapeHtml(metrics.definition)}</p>` : '';
  const floor = present.some((g) => g.key === 'noise_floor')
    ? '<p class="muted">The noise floor compares CalculiX on the shipped mesh density with its 2× finer twin on the same geometry: errors below it cannot be confirmed with this data.</p>'
    : '<p class="muted">This card has no measured noise floor.</p>';
  return `${size ? `<p>Errors against CalculiX on all nodes of ${size} (lower is better).</p>` : ''}
${table(head, rows, 'num')}
${floor}
${def}`;
}

// Units of the training-envelope quantities (models/fem: mm, N, MPa).
const ENVELOPE_UNITS: Readonly<Record<string, string>> = {
  L: 'mm', P: 'N', sigma_ref: 'MPa', E: 'MPa', nu: '', traction: 'MPa', n_fixed: 'nodes', n_loaded: 'nodes', n_nodes: 'nodes', t: 'mm',
};
const ENVELOPE_LABELS: Readonly<Record<string, string>> = {
  L: 'largest bounding-box edge L', P: 'total load |F|', sigma_ref: 'reference stress σref', E: "Young's modulus E",
  nu: "Poisson's ratio ν", traction: 'traction', n_fixed: 'fixed nodes', n_loaded: 'loaded nodes', n_nodes: 'nodes', t: 'thickness t',
};

function rangeRows(env: Readonly<Record<string, readonly [number, number]>>, units: boolean): string[][] {
  return Object.entries(env).map(([k, [lo, hi]]) => [
    escapeHtml(units ? (ENVELOPE_LABELS[k] ?? k) : k),
    lo === hi ? fmt(lo) : `${fmt(lo)} … ${fmt(hi)}`,
    ...(units ? [escapeHtml(ENVELOPE_UNITS[k] ?? '')] : []),
  ]);
}

function applicabilitySection(card: ModelCard): string {
  const a = card.raw.applicability;
  let dist = '';
  if (isObj(a) && isNum(a.threshold)) {
    const desc = Array.isArray(a.descriptors) ? a.descriptors.filter((d): d is string => typeof d === 'string').map(escapeHtml).join(', ') : '';
    dist = `<p>Out-of-distribution check: a deck whose descriptors (${desc}) lie at a Mahalanobis distance above
<b>${fmt(a.threshold)}</b> from the training decks is flagged${typeof a.calibration === 'string' ? ` (${escapeHtml(a.calibration)})` : ''}.</p>`;
  }
  const rule = envelopeRule(card);
  const log = [...rule.log].map(escapeHtml).join(', ');
  return `<p>Predictions outside these training ranges, by more than ${fmt(100 * rule.margin)} % of a range's span (on a log scale for ${log}), are flagged in the Problems panel.</p>
${table(['quantity', 'trained on', 'unit'], rangeRows(card.envelope, true), 'num')}
${dist}
${Object.keys(card.featureEnvelope).length ? `<details><summary>Feature ranges</summary>${table(['feature', 'range'], rangeRows(card.featureEnvelope, false), 'num')}</details>` : ''}`;
}

/** One training cycle of a continued run (train.py --new-cycle): its decks, seeds and last step. */
function cycleItem(c: Record<string, unknown>, i: number): string {
  const seeds = Array.isArray(c.train_seeds) && c.train_seeds.length === 2 && c.train_seeds.every(isNum) ? ` (seeds ${fmt(c.train_seeds[0])}–${fmt(c.train_seeds[1])})` : '';
  const decks = isNum(c.train_count) ? `${fmt(c.train_count)} decks${seeds}` : 'decks not recorded';
  return `training cycle ${i + 1}: ${decks}${isNum(c.steps) ? `, to step ${fmt(c.steps)}` : ''}`;
}

function trainingSection(card: ModelCard): string {
  const p = card.provenance;
  const items: string[] = [];
  const data = isObj(p.data) ? p.data : undefined;
  const tr = isObj(p.training) ? p.training : undefined;
  if (data) {
    const gen = Array.isArray(data.generator) ? data.generator.map(escapeHtml).join(', ') : data.generator !== undefined ? escapeHtml(data.generator) : '';
    if (gen) items.push(`data generator: ${gen}`);
    if (isNum(data.train_count)) items.push(`${fmt(data.train_count)} training decks${isNum(data.test_count) ? `, ${fmt(data.test_count)} test decks (held out)` : ''}`);
    if (Array.isArray(data.cycles)) items.push(...data.cycles.filter(isObj).map(cycleItem));
  }
  if (tr) {
    if (isNum(tr.n_train)) items.push(`${fmt(tr.n_train)} training decks`);
    const steps = [isNum(tr.steps) ? `${fmt(tr.steps)} steps` : '', isNum(tr.epochs) ? `${fmt(tr.epochs)} epochs` : ''].filter(Boolean).join(', ');
    if (steps) items.push(`training: ${steps}`);
    if (typeof tr.schedule === 'string') items.push(escapeHtml(tr.schedule));
  }
  if (typeof p.gpu === 'string') items.push(`GPU: ${escapeHtml(p.gpu)}`);
  if (typeof p.exported === 'string') items.push(`exported ${escapeHtml(p.exported)}${typeof p.torch === 'string' ? ` (PyTorch ${escapeHtml(p.torch)})` : ''}`);
  const list = items.length ? `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>` : '<p class="muted">The card says nothing of its training data.</p>';
  const a = card.architecture;
  const arch = [a.arch ? escapeHtml(a.arch) : '', isNum(a.C) ? `width ${a.C}` : '', isNum(a.blocks) ? `${a.blocks} blocks` : '', isNum(a.heads) ? `${a.heads} heads` : '',
    isNum(a.latents) ? `${a.latents} latent tokens` : '', isNum(a.parameters) ? `${fmt(a.parameters)} parameters` : ''].filter(Boolean).join(', ');
  return `${list}${arch ? `<p>Architecture: ${arch}.</p>` : ''}`;
}

const STYLE = `
body { font-family: var(--vscode-font-family, sans-serif); font-size: var(--vscode-font-size, 13px); color: var(--vscode-foreground, #222);
  background: var(--vscode-editor-background, #fff); max-width: 62rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.1em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid var(--vscode-panel-border, #ccc); }
.muted { opacity: 0.75; font-size: 0.92em; } .badge { display: inline-block; padding: 0 0.5em; border-radius: 0.6em; margin-right: 0.4em;
  background: var(--vscode-badge-background, #ddd); color: var(--vscode-badge-foreground, #222); font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.5em 0; } th, td { border: 1px solid var(--vscode-panel-border, #ccc); padding: 0.25em 0.6em; vertical-align: top; text-align: left; }
th { background: var(--vscode-editorWidget-background, #f3f3f3); font-weight: 600; } table.num td + td { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: var(--vscode-editor-font-family, monospace); } .problem { border-left: 3px solid var(--vscode-editorWarning-foreground, #c80); padding-left: 0.8em; }
`;

/** The whole HTML document of the card page. */
export function renderModelCardPage(card: ModelCard | undefined, opts: CardPageOptions): string {
  const withState = opts.state !== undefined;
  const head = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${cardPageCsp(opts.nonce, withState)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(card ? `Model card: ${card.name}` : 'Model card')}</title>
<style nonce="${escapeHtml(opts.nonce)}">${STYLE}</style></head><body${withState ? ` data-state="${escapeHtml(JSON.stringify(opts.state))}"` : ''}>
${withState ? `<script nonce="${escapeHtml(opts.nonce)}">${STATE_SCRIPT}</script>` : ''}`;
  const source = opts.source ? `<p class="muted">model: <code>${escapeHtml(opts.source)}</code></p>` : '';
  if (!card) {
    return `${head}<h1>Model card</h1>${source}<p class="problem">${escapeHtml(opts.problem ?? 'This model has no card.')}</p></body></html>`;
  }
  const phys = isObj(card.raw.physics) ? card.raw.physics : {};
  const problem = typeof phys.problem === 'string' ? escapeHtml(phys.problem) : '';
  const inputs = table(['input', 'shape', 'type', 'meaning (units)'],
    card.inputs.map((i) => [`<code>${escapeHtml(i.name)}</code>`, escapeHtml(`[${i.shape.join(', ')}]`), escapeHtml(i.dtype), escapeHtml(i.description)]));
  const outputs = table(['output', 'unit', 'shape', 'components', 'how it is scaled'],
    card.outputs.map((o) => [`<code>${escapeHtml(o.name)}</code>`, escapeHtml(o.unit), escapeHtml(`[${o.shape.join(', ')}]`),
      escapeHtml((o.components ?? []).join(' ')), escapeHtml(o.scaling)]));
  const features = card.featureColumns.length
    ? `<details><summary>${card.featureColumns.length} per-node input features</summary>${table(['#', 'feature', 'formula'],
      card.featureColumns.map((f) => [String(f.index), `<code>${escapeHtml(f.name)}</code>`, escapeHtml(f.formula)]))}
${table(['symbol', 'definition'], Object.entries(card.featureDefinitions).map(([k, v]) => [escapeHtml(k), escapeHtml(v)]))}</details>`
    : '';
  return `${head}
<h1>${escapeHtml(card.name)} <span class="muted">v${escapeHtml(card.version)}</span></h1>
<p><span class="badge">family: ${escapeHtml(card.family)}</span><span class="badge">${card.dimension}D</span><span class="badge">elements: ${escapeHtml(card.elementTypes.join(', '))}</span></p>
${source}
<p>${escapeHtml(card.description)}</p>
<h2>Physics</h2>
${problem ? `<p>${problem}</p>` : ''}
${card.assumptions.length ? `<ul>${card.assumptions.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul>` : ''}
<h2>Inputs and outputs</h2>
${inputs}
${outputs}
${features}
<h2>Measured accuracy</h2>
${accuracySection(card.metrics)}
<h2>Applicability envelope</h2>
${applicabilitySection(card)}
<h2>Training data and provenance</h2>
${trainingSection(card)}
</body></html>`;
}
