import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCard, type ModelCard } from '../../../extension/core/model/card';
import { cardPageCsp, escapeHtml, renderModelCardPage } from '../../../extension/host/modelCardPage';

const root = path.resolve(__dirname, '../../..');

function shippedCard(name: string, dir = path.join(root, 'models')): ModelCard {
  const r = parseCard(fs.readFileSync(path.join(dir, `${name}.card.json`), 'utf8'), name);
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
  return r.card;
}

/** The page's text with tags removed and entities decoded, whitespace collapsed (what a reader sees). */
function visibleText(html: string): string {
  return html.replace(/<style[\s\S]*?<\/style>/g, ' ').replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

test('plate2d v2 card: name, family, units, accuracy with the noise floor, envelope with units, training data', () => {
  const card = shippedCard('plate2d-elasticity');
  const html = renderModelCardPage(card, { nonce: 'abc123', source: 'plate2d-elasticity (built-in)' });
  const text = visibleText(html);
  assert.match(text, /plate2d-elasticity v2\./);
  assert.match(text, /family: plate2d/);
  assert.match(text, /von_mises MPa/);
  assert.match(text, /displacement mm/);
  // metrics.test.summary.vm.mean = 0.1049 → 10.5 %; noise floor vm 0.0567 → 5.67 %; |u| 0.0188 → 1.88 %.
  assert.match(text, /von Mises, rel\. L2 10\.5 % 9\.25 % 46\.1 % 43\.8 % 5\.67 % 5\.81 %/);
  assert.match(text, /\|u\|, rel\. L2 1\.88 % 1\.39 %/);
  assert.match(text, /noise floor of the data/);
  assert.match(text, /200 test decks, 1,408,706 nodes/);
  assert.match(text, /largest bounding-box edge L 80\.13 … 140 mm/);
  assert.match(text, /Young's modulus E 210,000 MPa/);
  assert.match(text, /2,000 training decks, 200 test decks \(held out\)/);
  // the run was continued on the same family (train.py --new-cycle): each cycle is listed
  assert.match(text, /training cycle 1: 2,000 decks \(seeds 0–1,999\), to step 8,045/);
  assert.match(text, /training cycle 2: 1,200 decks \(seeds 0–1,199\), to step 16,640/);
  // applicability: threshold 4.9887 and envelope_margin 0.02 (models/calibrate_applicability.py).
  assert.match(text, /Mahalanobis distance above 4\.989/);
  assert.match(text, /outside these training ranges, by more than 2 % of a range's span \(on a log scale for n_nodes, n_fixed, n_loaded, h_n\)/);
});

test('bracket3d v2 card: accuracy with the noise floor of its 6 twins', () => {
  const text = visibleText(renderModelCardPage(shippedCard('bracket3d-elasticity'), { nonce: 'n' }));
  // metrics.test.summary.vm.mean = 0.1866 → 18.7 %; noise floor vm 0.0729 → 7.29 %.
  assert.match(text, /von Mises, rel\. L2 18\.7 % 16\.9 %/);
  assert.match(text, /7\.29 %/);
  assert.match(text, /noise floor of the data/);
});

test('a v1 card (rel_l2_* metrics with p90, no noise floor: the bracket3d card shipped before v2) renders its accuracy', () => {
  const text = visibleText(renderModelCardPage(shippedCard('bracket3d-v1', path.join(root, 'test', 'fixtures', 'cards')), { nonce: 'n' }));
  assert.match(text, /von Mises, rel\. L2 44\.0 % 42\.3 % 56\.7 %/);
  assert.match(text, /P99 of von Mises, rel\. error 19\.3 %/);
  assert.match(text, /This card has no measured noise floor/);
  assert.match(text, /per-node input features/);
});

test('card text is escaped: a hostile workspace card cannot inject markup or script', () => {
  const card = shippedCard('plate2d-elasticity');
  const evil = '<script>alert(1)</script><img src=x onerror="alert(2)">';
  const hostile: ModelCard = {
    ...card,
    name: evil, description: `desc ${evil}`, family: `"'&`,
    assumptions: [evil],
    outputs: card.outputs.map((o) => ({ ...o, unit: `<b>${o.unit}</b>` })),
    metrics: { test: { summary: { [evil]: { mean: 0.5 } } } },
    envelope: { [evil]: [1, 2] },
  };
  const html = renderModelCardPage(hostile, { nonce: 'n0nce', source: evil });
  assert.doesNotMatch(html, /<script|<img|onerror="/i);
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('&quot;&#39;&amp;'));
  assert.ok(html.includes('&lt;b&gt;MPa&lt;/b&gt;'));
  assert.match(visibleText(html), /<script>alert\(1\)<\/script>.* 50\.0 %/);
});

test('the page carries a CSP that admits only the nonce\'d style, and says why there is no card', () => {
  const html = renderModelCardPage(undefined, { nonce: 'Zm9v', problem: 'model card invalid: name: <missing>' });
  assert.ok(html.includes(`content="${cardPageCsp('Zm9v')}"`));
  assert.equal(cardPageCsp('Zm9v'), "default-src 'none'; style-src 'nonce-Zm9v'");
  assert.match(html, /<style nonce="Zm9v">/);
  assert.doesNotMatch(html, /<script/);
  assert.match(visibleText(html), /model card invalid: name: <missing>/);
  assert.equal(escapeHtml('a<b>&"\''), 'a&lt;b&gt;&amp;&quot;&#39;');
});

test('a page with state carries one fixed nonce\'d script that saves it (for the restore after a reload); card text stays inert', () => {
  const card = shippedCard('plate2d-elasticity');
  const evil = '</script><script>alert(1)</script>"\'&';
  const html = renderModelCardPage({ ...card, name: evil }, { nonce: 'Tm9u', source: evil, state: { model: evil, builtin: false } });
  assert.ok(html.includes(`content="${cardPageCsp('Tm9u', true)}"`));
  assert.equal(cardPageCsp('Tm9u', true), "default-src 'none'; style-src 'nonce-Tm9u'; script-src 'nonce-Tm9u'");
  const scripts = html.match(/<script[^>]*>[\s\S]*?<\/script>/g) ?? [];
  assert.deepEqual(scripts, ['<script nonce="Tm9u">acquireVsCodeApi().setState(JSON.parse(document.body.dataset.state));</script>']);
  const attr = /<body data-state="([^"]*)">/.exec(html);
  assert.ok(attr, 'state in body[data-state]');
  const decoded = attr[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  assert.deepEqual(JSON.parse(decoded), { model: evil, builtin: false });
});
