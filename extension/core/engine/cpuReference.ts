// Plain float64 CPU implementation of a FlarePlan: the oracle the WebGPU kernels are tested against.
import type { FlarePlan, LayerNormParams, Linear, MlpLayer } from './plan';

const GELU_K = Math.sqrt(2 / Math.PI);
export function geluTanh(v: number): number { return 0.5 * v * (1 + Math.tanh(GELU_K * (v + 0.044715 * v * v * v))); }

function linear(x: Float64Array, l: Linear): Float64Array {
  const y = new Float64Array(l.outDim);
  for (let j = 0; j < l.outDim; j++) y[j] = l.b ? l.b[j] : 0;
  for (let i = 0; i < l.inDim; i++) {
    const xi = x[i], row = i * l.outDim;
    for (let j = 0; j < l.outDim; j++) y[j] += xi * l.w[row + j];
  }
  return y;
}

function mlp(x: Float64Array, layers: MlpLayer[]): Float64Array {
  let h = x;
  for (const l of layers) {
    const z = linear(h, l.linear);
    for (let j = 0; j < z.length; j++) z[j] = (l.gelu ? geluTanh(z[j]) : z[j]) + (l.residual ? h[j] : 0);
    h = z;
  }
  return h;
}

function layerNorm(x: Float64Array, p: LayerNormParams): Float64Array {
  let mean = 0; for (const v of x) mean += v; mean /= x.length;
  let vr = 0; for (const v of x) vr += (v - mean) ** 2; vr /= x.length;
  const inv = 1 / Math.sqrt(vr + p.eps);
  return x.map((v, j) => (v - mean) * inv * p.gamma[j] + p.beta[j]);
}

/** y [n][cout] for x [n][cin]. O(N·M) memory-free per head except the [N][C] state; fine for tests. */
export function runCpuReference(plan: FlarePlan, x: Float32Array, n: number): Float64Array {
  const { cin, cout, channels: C, heads: H, latents: M } = plan.config;
  const D = C / H;
  let xs: Float64Array[] = [];
  for (let p = 0; p < n; p++) xs.push(mlp(Float64Array.from(x.subarray(p * cin, (p + 1) * cin)), plan.inp));
  for (const b of plan.blocks) {
    const a = xs.map((v) => layerNorm(v, b.ln1));
    const k = a.map((v) => mlp(v, b.mixer.k)), vv = a.map((v) => mlp(v, b.mixer.v));
    const q = b.mixer.q;
    // encode: z[h][m] = Σ_n softmax_n(s) v_n  (two-pass softmax in float64)
    const z = new Float64Array(H * M * D);
    const s = new Float64Array(n);
    for (let h = 0; h < H; h++) for (let m = 0; m < M; m++) {
      let mx = -Infinity;
      for (let p = 0; p < n; p++) {
        let d = 0; for (let e = 0; e < D; e++) d += q[(h * M + m) * D + e] * k[p][h * D + e];
        s[p] = d * b.mixer.encScale; if (s[p] > mx) mx = s[p];
      }
      let sum = 0; for (let p = 0; p < n; p++) { s[p] = Math.exp(s[p] - mx); sum += s[p]; }
      for (let p = 0; p < n; p++) for (let e = 0; e < D; e++) z[(h * M + m) * D + e] += (s[p] / sum) * vv[p][h * D + e];
    }
    // decode per point over the head's M latents, then o-projection and residual
    const sm = new Float64Array(M);
    xs = xs.map((xv, p) => {
      const y = new Float64Array(C);
      for (let h = 0; h < H; h++) {
        let mx = -Infinity;
        for (let m = 0; m < M; m++) {
          let d = 0; for (let e = 0; e < D; e++) d += k[p][h * D + e] * q[(h * M + m) * D + e];
          sm[m] = d * b.mixer.decScale; if (sm[m] > mx) mx = sm[m];
        }
        let sum = 0; for (let m = 0; m < M; m++) { sm[m] = Math.exp(sm[m] - mx); sum += sm[m]; }
        for (let m = 0; m < M; m++) for (let e = 0; e < D; e++) y[h * D + e] += (sm[m] / sum) * z[(h * M + m) * D + e];
      }
      const o = linear(y, b.mixer.o);
      const x1 = xv.map((v, j) => v + o[j]);
      const f = mlp(layerNorm(x1, b.ln2), b.mlp);
      return x1.map((v, j) => v + f[j]);
    });
  }
  const out = new Float64Array(n * cout);
  xs.forEach((v, p) => out.set(mlp(layerNorm(v, plan.lnOut), plan.out), p * cout));
  return out;
}
