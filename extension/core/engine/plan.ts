import type { OnnxNode } from './onnxProto';
import type { NdArray } from './graphTail';

// The typed FLARE plan: everything the engine needs from a model, independent of ONNX.
// Math (flare_ref.py / models/flare/model.py):
//   x = inp(x); for each block: x += o(attn(ln1(x))); x += mlp(ln2(x)); y = out(lnOut(x))
//   attn per head h: z_h = softmax_N(encScale * q_h k_hᵀ) v_h;  y_h = softmax_M(decScale * k_h q_hᵀ) z_h

/** y = x·W + b with W stored row-major [inDim][outDim] (ONNX MatMul layout). */
export interface Linear { inDim: number; outDim: number; w: Float32Array; b: Float32Array | null }

/** One layer of a per-point MLP chain: out = (residual ? in : 0) + act(linear(in)). */
export interface MlpLayer { linear: Linear; gelu: boolean; residual: boolean }

export interface LayerNormParams { dim: number; gamma: Float32Array; beta: Float32Array; eps: number }

export interface MixerPlan {
  /** Latent queries [H][M][D]. */
  q: Float32Array;
  k: MlpLayer[];
  v: MlpLayer[];
  o: Linear;
  encScale: number;
  decScale: number;
}

export interface BlockPlan { ln1: LayerNormParams; mixer: MixerPlan; ln2: LayerNormParams; mlp: MlpLayer[] }

export interface FlareConfig {
  cin: number;
  cout: number;
  channels: number;
  heads: number;
  latents: number;
  blocks: number;
  /** Hidden dimension of every MLP (= channels for the supported models). */
  mlpDepths: { inp: number; k: number; v: number; mlp: number; out: number };
}

/** Graph after the network (CPU-evaluated, O(N·cout)): reads the network output and graph inputs. */
export interface TailPlan {
  nodes: OnnxNode[];
  consts: Map<string, NdArray>;
  /** Extra graph inputs (besides the network input) the tail reads, e.g. `scale`. */
  inputs: string[];
  /** Graph outputs, in graph order. */
  outputs: string[];
}

export interface FlarePlan {
  config: FlareConfig;
  inp: MlpLayer[];
  blocks: BlockPlan[];
  lnOut: LayerNormParams;
  out: MlpLayer[];
  /** ONNX names of the network input and output ([1,N,cin] → [1,N,cout]). */
  inputName: string;
  outputName: string;
  /** null when the network output is the graph's only output. */
  tail: TailPlan | null;
}

/** Why a model cannot run on the engine: where in the graph, and what was expected. */
export interface EngineRefusal { refused: true; reason: string; at?: string }

export function isRefusal(v: unknown): v is EngineRefusal {
  return typeof v === 'object' && v !== null && (v as { refused?: unknown }).refused === true;
}

/** Checks a plan's internal consistency (shapes); returns a reason string or null. */
export function checkPlan(p: FlarePlan): string | null {
  const { channels: C, heads: H, latents: M, cin, cout } = p.config;
  if (C % H !== 0) return `channels ${C} not divisible by heads ${H}`;
  const chain = (name: string, layers: MlpLayer[], din: number, dout: number): string | null => {
    if (layers.length === 0) return `${name}: empty MLP`;
    let d = din;
    for (const [i, l] of layers.entries()) {
      const { inDim, outDim, w, b } = l.linear;
      if (inDim !== d) return `${name}[${i}]: input ${inDim}, expected ${d}`;
      if (w.length !== inDim * outDim || (b && b.length !== outDim)) return `${name}[${i}]: weight sizes`;
      if (l.residual && inDim !== outDim) return `${name}[${i}]: residual across ${inDim}→${outDim}`;
      d = outDim;
    }
    return d === dout ? null : `${name}: output ${d}, expected ${dout}`;
  };
  const ln = (name: string, l: LayerNormParams): string | null => (l.dim === C && l.gamma.length === C && l.beta.length === C ? null : `${name}: LayerNorm size`);
  let r = chain('inp', p.inp, cin, C) ?? ln('lnOut', p.lnOut) ?? chain('out', p.out, C, cout);
  if (r) return r;
  for (const [i, b] of p.blocks.entries()) {
    r = ln(`blocks.${i}.ln1`, b.ln1) ?? ln(`blocks.${i}.ln2`, b.ln2) ?? chain(`blocks.${i}.k`, b.mixer.k, C, C) ?? chain(`blocks.${i}.v`, b.mixer.v, C, C)
      ?? chain(`blocks.${i}.mlp`, b.mlp, C, C) ?? chain(`blocks.${i}.o`, [{ linear: b.mixer.o, gelu: false, residual: false }], C, C);
    if (r) return r;
    if (b.mixer.q.length !== C * M) return `blocks.${i}.q: ${b.mixer.q.length} values, expected ${C * M}`;
  }
  return p.blocks.length === p.config.blocks ? null : 'block count';
}
