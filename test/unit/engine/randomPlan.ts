// Random FLARE plans of any config (no PyTorch here): weights ~ U(-1,1)/sqrt(fan-in) so
// activations stay O(1) and the softmaxes are neither flat nor one-hot.
import type { FlareConfig, FlarePlan, LayerNormParams, Linear, MlpLayer } from '../../../extension/core/engine/plan';

export interface RandomConfig { cin: number; cout: number; channels: number; heads: number; latents: number; blocks: number; hidden: { inp: number; kv: number; mlp: number; out: number }; seed: number }

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

export function randomPlan(c: RandomConfig): FlarePlan {
  const r = rng(c.seed);
  const u = (n: number, scale: number) => Float32Array.from({ length: n }, () => (2 * r() - 1) * scale);
  const lin = (i: number, o: number): Linear => ({ inDim: i, outDim: o, w: u(i * o, 1 / Math.sqrt(i)), b: u(o, 0.1) });
  // ResidualMLP(i → C → o) with `hidden` hidden layers, like models/flare/model.py
  const mlp = (i: number, o: number, hidden: number, inRes: boolean, outRes: boolean): MlpLayer[] => [
    { linear: lin(i, c.channels), gelu: true, residual: inRes && i === c.channels },
    ...Array.from({ length: hidden }, () => ({ linear: lin(c.channels, c.channels), gelu: true, residual: true })),
    { linear: lin(c.channels, o), gelu: false, residual: outRes && o === c.channels },
  ];
  const ln = (): LayerNormParams => ({ dim: c.channels, gamma: Float32Array.from(u(c.channels, 0.2), (v) => 1 + v), beta: u(c.channels, 0.1), eps: 1e-5 });
  const C = c.channels;
  const plan: FlarePlan = {
    config: {} as FlareConfig,
    inp: mlp(c.cin, C, c.hidden.inp, false, true),
    blocks: Array.from({ length: c.blocks }, () => ({
      ln1: ln(),
      mixer: { q: u(C * c.latents, 0.8), k: mlp(C, C, c.hidden.kv, true, true), v: mlp(C, C, c.hidden.kv, true, true), o: lin(C, C), encScale: 1, decScale: 1 },
      ln2: ln(),
      mlp: mlp(C, C, c.hidden.mlp, true, true),
    })),
    lnOut: ln(),
    out: mlp(C, c.cout, c.hidden.out, true, false),
    inputName: 'x', outputName: 'y', tail: null,
  };
  plan.config = {
    cin: c.cin, cout: c.cout, channels: C, heads: c.heads, latents: c.latents, blocks: c.blocks,
    mlpDepths: { inp: plan.inp.length, k: c.hidden.kv + 2, v: c.hidden.kv + 2, mlp: c.hidden.mlp + 2, out: plan.out.length },
  };
  return plan;
}

export function randomInput(n: number, cin: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n * cin }, () => 2 * r() - 1);
}
