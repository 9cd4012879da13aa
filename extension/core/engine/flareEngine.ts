// The FLARE engine: a FlarePlan compiled to WebGPU kernels, run on any number of points.
// Per forward: 1 + 3·blocks dispatches per segment of points (MLP chain; per block encode
// partials, exact merge, fused decode + MLPs). Memory is O(N·C): X, K, V per point plus
// per-chunk softmax partials; points beyond one storage binding are processed in segments.
import { recognizeFlare } from './recognizeFlare';
import { checkPlan, isRefusal, type EngineRefusal, type FlareConfig, type FlarePlan } from './plan';
import { ceil4, packPlan } from './weightPack';
import { grid, type PointProgramLimits } from './kernels/pointProgram';
import { mlpChainKernel } from './kernels/mlpChainKernel';
import { encodeKernel } from './kernels/encodeKernel';
import { encodeMergeKernel, mergeLanes, mergeWorkgroups, type MergeShape } from './kernels/encodeMergeKernel';
import { decodeKernel } from './kernels/decodeKernel';
import type { KernelSource } from './kernels/shared';
import { evalTail, type NdArray } from './graphTail';

export interface FlareEngineOptions {
  /** Cap on points per segment (tests force several segments with a small value). */
  maxSegmentPoints?: number;
  /** Cap on the encode chunk length (points per softmax partial) when N is large; power of two. */
  maxChunkLength?: number;
  /** Cap on the workgroup memory the kernels use, in floats (tests force several weight, latent and
   *  encode tiles with a small value). */
  maxWorkgroupFloats?: number;
  /** Stage weights / K,V tiles / latent tiles in workgroup memory (default true: fastest on GPUs).
   *  false avoids barriers: SwiftShader (CPU) compiles those kernels many times faster. */
  stageInWorkgroupMemory?: boolean;
}

export interface FlareEngine {
  readonly config: FlareConfig;
  readonly plan: FlarePlan;
  /** Kernel layout chosen for this device, for diagnostics. */
  readonly layout: { workgroupSize: number; staged: boolean; weightTileFloats: number; latentTile: number; encodeTilePoints: number; maxSegmentPoints: number; pipelines: number; compileMs: number };
  /** y [n][cout] for x [n][cin]. Rejects with an Error naming the problem (bad input, aborted, device error). */
  run(x: Float32Array, n: number, signal?: AbortSignal): Promise<Float32Array>;
  /** Graph inputs and outputs by name (batch 1), like an ONNX session: the network on the GPU,
   *  then the graph's tail (e.g. output scaling of models/export.py models) on the CPU. */
  readonly inputNames: string[];
  readonly outputNames: string[];
  runTensors(feeds: Readonly<Record<string, EngineTensor>>, signal?: AbortSignal): Promise<Record<string, EngineTensor>>;
  /** Benchmark aid: GPU time per forward (ms) of `reps` back-to-back forwards on the buffers of the
   *  last run (no upload/readback); run() once with n points first. */
  timeForwards(reps: number): Promise<number>;
  /** Benchmark aid: GPU ms per kernel of one forward on the buffers of the last run (each dispatch in its
   *  own pass with timestamps); null when the device was created without 'timestamp-query'. */
  profileKernels(): Promise<KernelTime[] | null>;
  /** Bytes of GPU buffers held now (weights + the cached per-N buffers). */
  bufferBytes(): number;
  dispose(): void;
}

/** GPU time of one kernel in a forward: mlpChain, encode, merge, decodeMid, decodeLast. */
export interface KernelTime { kernel: string; ms: number; dispatches: number }

export interface EngineTensor { data: Float32Array; dims: number[] }

const WG = 64;
const BASE_CHUNK = 256;
const MAX_CHUNKS = 1024;

/** GPU bytes a forward over n points allocates (besides the weights): X, K, V [n][C], input, output,
 *  readback, and ≤ 1024 chunks of softmax partials — for a back end's size limit. */
export function engineBufferBytes(config: FlareConfig, n: number): number {
  const { cin, cout, channels: C, heads: H, latents: M } = config;
  const chunks = Math.min(Math.ceil(n / BASE_CHUNK), MAX_CHUNKS);
  return 4 * (n * (cin + 3 * C + 2 * cout) + chunks * H * M * (C / H + 2) + H * M * ceil4(C / H));
}

/** Parses and recognizes an ONNX FLARE model and compiles it for `device`. */
export async function loadFlareEngine(onnxBytes: Uint8Array, device: GPUDevice, opts: FlareEngineOptions = {}): Promise<FlareEngine | EngineRefusal> {
  const plan = recognizeFlare(onnxBytes);
  if (isRefusal(plan)) return plan;
  return createFlareEngine(plan, device, opts);
}

interface Pipe { pipeline: GPUComputePipeline; src: KernelSource }

interface Segment {
  start: number; count: number; chunkBase: number; chunks: number;
  xin: GPUBuffer; x: GPUBuffer; k: GPUBuffer; v: GPUBuffer; y: GPUBuffer; params: GPUBuffer;
  groups: [number, number];
  chain: GPUBindGroup; encode: GPUBindGroup[]; decode: GPUBindGroup[];
}

interface Resources { n: number; segments: Segment[]; part: GPUBuffer; z: GPUBuffer; mergeParams: GPUBuffer; merge: GPUBindGroup; readback: GPUBuffer; chunkLen: number }

export async function createFlareEngine(plan: FlarePlan, device: GPUDevice, opts: FlareEngineOptions = {}): Promise<FlareEngine | EngineRefusal> {
  const bad = checkPlan(plan);
  if (bad) return { refused: true, reason: `invalid plan: ${bad}` };
  const { cin, cout, channels: C, heads: H, latents: M } = plan.config;
  const D = C / H;
  const lim = device.limits;
  const refuse = (reason: string): EngineRefusal => ({ refused: true, reason, at: 'device limits' });
  if (lim.maxComputeInvocationsPerWorkgroup < WG || lim.maxComputeWorkgroupSizeX < WG) return refuse(`workgroups of ${WG} invocations not supported`);
  if (lim.maxStorageBuffersPerShaderStage < 6) return refuse('fewer than 6 storage buffers per shader stage');
  const wsBudget = Math.min(Math.floor(lim.maxComputeWorkgroupStorageSize / 4), opts.maxWorkgroupFloats ?? Infinity);
  const layers = [...plan.inp, ...plan.out, ...plan.blocks.flatMap((b) => [...b.mixer.k, ...b.mixer.v, ...b.mlp, { linear: b.mixer.o }])].map((l) => l.linear);
  const maxIn = Math.max(...layers.map((l) => l.inDim));
  const maxLayer = Math.max(...layers.map((l) => l.inDim * ceil4(l.outDim)));
  // Decode stages q and z latent tiles (rows padded to D4); the rest of workgroup memory holds
  // weight tiles of whole 4-output panels (vec4s).
  const D4 = ceil4(D);
  const latentTile = Math.max(1, Math.min(M, Math.floor(wsBudget / 4 / (2 * D4))));
  const wsFloats = Math.floor(Math.min(maxLayer, wsBudget - 2 * latentTile * D4) / 4) * 4;
  if (wsFloats < 4 * maxIn) return refuse(`workgroup memory ${lim.maxComputeWorkgroupStorageSize} B too small for a ${maxIn}-wide layer`);
  let encodeTile = BASE_CHUNK;
  while (encodeTile > 1 && 2 * encodeTile * D4 > wsBudget) encodeTile >>= 1;
  const stage = opts.stageInWorkgroupMemory ?? true;
  const pointLim: PointProgramLimits = { wsFloats, wg: WG, stage };
  const maxDim = Math.max(C, cin, cout, ...layers.map((l) => l.outDim));
  const bytesPerPoint = C * 4;
  const maxBinding = Math.min(lim.maxStorageBufferBindingSize, lim.maxBufferSize);
  let maxSeg = Math.floor(maxBinding / bytesPerPoint);
  if (opts.maxSegmentPoints) maxSeg = Math.min(maxSeg, opts.maxSegmentPoints);
  maxSeg = Math.floor(maxSeg / BASE_CHUNK) * BASE_CHUNK; // chunks never straddle segments
  if (maxSeg < BASE_CHUNK) return refuse(`storage bindings too small for ${BASE_CHUNK} points`);
  const maxChunk = Math.max(encodeTile, opts.maxChunkLength ?? 1 << 16);

  // the merge splits each latent's chunk loop over 64 lanes (a tree reduction with barriers) when staging
  const mergeShape: MergeShape = { H, M, D, wg: WG, lanes: stage ? mergeLanes(D, WG, wsBudget) : 1 };
  let pp;
  const sources: { name: string; src: KernelSource }[] = [];
  const B = plan.blocks.length;
  try {
    pp = packPlan(plan);
    const ddims = { C, H, M, cout, maxDim, latentTile };
    sources.push({ name: 'mlpChain', src: mlpChainKernel(pp, { cin, C, maxDim }, pointLim) });
    sources.push({ name: 'encode', src: encodeKernel({ C, H, M, wg: WG, tilePoints: encodeTile, stage }, pp.blocks[0].q) });
    sources.push({ name: 'merge', src: encodeMergeKernel(mergeShape) });
    if (B > 1) sources.push({ name: 'decodeMid', src: decodeKernel(pp, 'mid', ddims, pointLim) });
    sources.push({ name: 'decodeLast', src: decodeKernel(pp, 'last', ddims, pointLim) });
  } catch (e) {
    return refuse(e instanceof Error ? e.message : String(e));
  }
  for (const s of sources) {
    if (s.src.workgroupBytes > lim.maxComputeWorkgroupStorageSize) return refuse(`${s.name} needs ${s.src.workgroupBytes} B of workgroup memory`);
  }

  const t0 = performance.now();
  device.pushErrorScope('validation');
  const pipes = new Map<string, Pipe>();
  let compileError: string | null = null;
  for (const s of sources) {
    const module = device.createShaderModule({ code: s.src.code, label: `flare-${s.name}` });
    try {
      pipes.set(s.name, { src: s.src, pipeline: await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: `flare-${s.name}` }) });
    } catch (e) {
      const info = await module.getCompilationInfo();
      compileError = `${s.name}: ${e instanceof Error ? e.message : String(e)} ${info.messages.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('; ')}`;
      break;
    }
  }
  const scopeErr = await device.popErrorScope();
  if (compileError || scopeErr) return { refused: true, reason: `kernel compilation failed: ${compileError ?? scopeErr?.message}`, at: 'WGSL' };

  const compileMs = performance.now() - t0;
  // per-block uniform: weight offset relative to block 0, the next block's, softmax scales
  const blockParams = pp.blocks.map((b, i) => {
    const buf = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: `flare-block${i}` });
    const v = new ArrayBuffer(16);
    new Uint32Array(v, 0, 2).set([i * pp.blockStride, (i + 1) * pp.blockStride]);
    new Float32Array(v, 8, 2).set([b.encScale, b.decScale]);
    device.queue.writeBuffer(buf, 0, v);
    return buf;
  });
  const mergeGroups = grid(mergeWorkgroups(mergeShape), lim.maxComputeWorkgroupsPerDimension);
  const decodeName = (b: number) => (b === B - 1 ? 'decodeLast' : 'decodeMid');
  const weights = device.createBuffer({ size: pp.data.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST, label: 'flare-weights' });
  device.queue.writeBuffer(weights, 0, pp.data);

  const bufs: Record<string, GPUBuffer> = {};
  const bind = (name: string, res: Record<string, GPUBuffer>): GPUBindGroup => {
    const p = pipes.get(name)!;
    return device.createBindGroup({
      layout: p.pipeline.getBindGroupLayout(0),
      entries: p.src.bindings.map((b, i) => ({ binding: i, resource: { buffer: res[b] ?? bufs[b] } })),
    });
  };

  let cache: Resources | null = null;
  let disposed = false;
  const freeResources = (r: Resources) => {
    for (const s of r.segments) for (const b of [s.xin, s.x, s.k, s.v, s.y, s.params]) b.destroy();
    for (const b of [r.part, r.z, r.mergeParams, r.readback]) b.destroy();
  };

  const makeResources = (n: number): Resources => {
    let chunkLen = BASE_CHUNK;
    while (Math.ceil(n / chunkLen) > MAX_CHUNKS && chunkLen * 2 <= Math.min(maxSeg, maxChunk)) chunkLen *= 2;
    const segPoints = Math.floor(maxSeg / chunkLen) * chunkLen;
    const S = GPUBufferUsage.STORAGE;
    const segments: Segment[] = [];
    let chunkBase = 0;
    for (let start = 0; start < n; start += segPoints) {
      const count = Math.min(segPoints, n - start);
      const chunks = Math.ceil(count / chunkLen);
      const mk = (floats: number, usage: number, label: string) => device.createBuffer({ size: Math.max(16, floats * 4), usage, label });
      const seg: Segment = {
        start, count, chunkBase, chunks,
        xin: mk(count * cin, S | GPUBufferUsage.COPY_DST, 'flare-xin'), x: mk(count * C, S, 'flare-x'), k: mk(count * C, S, 'flare-k'), v: mk(count * C, S, 'flare-v'),
        y: mk(count * cout, S | GPUBufferUsage.COPY_SRC, 'flare-y'), params: mk(4, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, 'flare-params'),
        groups: grid(Math.ceil(count / WG), lim.maxComputeWorkgroupsPerDimension), chain: null!, encode: [], decode: [],
      };
      if (chunks > lim.maxComputeWorkgroupsPerDimension) throw new Error(`${chunks} chunks per segment exceed the dispatch limit`);
      chunkBase += chunks;
      segments.push(seg);
    }
    const partFloats = chunkBase * H * M * (D + 2);
    if (partFloats * 4 > maxBinding) throw new Error(`softmax partials (${partFloats * 4} B) exceed one storage binding`);
    const part = device.createBuffer({ size: partFloats * 4, usage: S, label: 'flare-partials' });
    const z = device.createBuffer({ size: H * M * D4 * 4, usage: S, label: 'flare-z' });
    const mergeParams = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'flare-merge-params' });
    device.queue.writeBuffer(mergeParams, 0, new Uint32Array([0, 0, chunkBase, chunkLen]));
    for (const s of segments) {
      device.queue.writeBuffer(s.params, 0, new Uint32Array([s.count, s.chunkBase, chunkBase, chunkLen]));
      const res = { W: weights, W4: weights, U: s.params, Xin: s.xin, X: s.x, K: s.k, V: s.v, Y: s.y, Part: part, Z: z };
      s.chain = bind('mlpChain', res);
      s.encode = blockParams.map((Bk) => bind('encode', { ...res, Bk }));
      s.decode = blockParams.map((Bk, i) => bind(decodeName(i), { ...res, Bk }));
    }
    const merge = bind('merge', { U: mergeParams, Part: part, Z: z });
    const readback = device.createBuffer({ size: Math.max(16, n * cout * 4), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label: 'flare-readback' });
    return { n, segments, part, z, mergeParams, merge, readback, chunkLen };
  };

  /** Every dispatch of one forward, in order. */
  const forEachDispatch = (r: Resources, f: (name: string, bg: GPUBindGroup, gx: number, gy: number) => void) => {
    for (const s of r.segments) f('mlpChain', s.chain, ...s.groups);
    pp.blocks.forEach((_, b) => {
      for (const s of r.segments) f('encode', s.encode[b], s.chunks, H);
      f('merge', r.merge, ...mergeGroups);
      for (const s of r.segments) f(decodeName(b), s.decode[b], ...s.groups);
    });
  };
  const encodeForward = (enc: GPUCommandEncoder, r: Resources) => {
    const pass = enc.beginComputePass();
    forEachDispatch(r, (name, bg, gx, gy) => { pass.setPipeline(pipes.get(name)!.pipeline); pass.setBindGroup(0, bg); pass.dispatchWorkgroups(gx, gy); });
    pass.end();
  };

  /** One forward with each dispatch in its own timed pass: GPU ms per kernel (summed over its dispatches). */
  const profileKernels = async (r: Resources): Promise<KernelTime[]> => {
    const names: string[] = [];
    forEachDispatch(r, (name) => names.push(name));
    const count = 2 * names.length;
    const qs = device.createQuerySet({ type: 'timestamp', count });
    const resolved = device.createBuffer({ size: 8 * count, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    const rb = device.createBuffer({ size: 8 * count, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = device.createCommandEncoder({ label: 'flare-profile' });
    let i = 0;
    forEachDispatch(r, (name, bg, gx, gy) => {
      const pass = enc.beginComputePass({ timestampWrites: { querySet: qs, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } });
      pass.setPipeline(pipes.get(name)!.pipeline); pass.setBindGroup(0, bg); pass.dispatchWorkgroups(gx, gy); pass.end();
      i++;
    });
    enc.resolveQuerySet(qs, 0, count, resolved, 0);
    enc.copyBufferToBuffer(resolved, 0, rb, 0, 8 * count);
    device.queue.submit([enc.finish()]);
    await rb.mapAsync(GPUMapMode.READ);
    const t = new BigUint64Array(rb.getMappedRange().slice(0));
    rb.unmap();
    for (const b of [resolved, rb]) b.destroy();
    qs.destroy();
    const out = new Map<string, KernelTime>();
    names.forEach((kernel, k) => {
      const e = out.get(kernel) ?? { kernel, ms: 0, dispatches: 0 };
      e.ms += Number(t[2 * k + 1] - t[2 * k]) / 1e6; e.dispatches++;
      out.set(kernel, e);
    });
    return [...out.values()];
  };

  let busy: Promise<unknown> = Promise.resolve();
  const runOnce = async (x: Float32Array, n: number, signal?: AbortSignal): Promise<Float32Array> => {
    if (disposed) throw new Error('engine disposed');
    if (!Number.isInteger(n) || n < 1) throw new Error(`point count ${n} must be a positive integer`);
    if (x.length !== n * cin) throw new Error(`input has ${x.length} values, expected ${n} × ${cin}`);
    if (signal?.aborted) throw new Error('aborted');
    if (!cache || cache.n !== n) {
      if (cache) freeResources(cache);
      cache = null;
      device.pushErrorScope('out-of-memory');
      device.pushErrorScope('validation');
      const r = makeResources(n);
      const [v, o] = [await device.popErrorScope(), await device.popErrorScope()];
      if (v || o) { freeResources(r); throw new Error(`allocating buffers for ${n} points failed: ${(v ?? o)!.message}`); }
      cache = r;
    }
    const r = cache;
    // dawn.node (and the typings) reject views over SharedArrayBuffer: copy those
    const xa: Float32Array<ArrayBuffer> = x.buffer instanceof ArrayBuffer ? (x as Float32Array<ArrayBuffer>) : new Float32Array(x);
    for (const s of r.segments) device.queue.writeBuffer(s.xin, 0, xa, s.start * cin, s.count * cin);
    device.pushErrorScope('validation');
    const enc = device.createCommandEncoder({ label: 'flare-forward' });
    encodeForward(enc, r);
    for (const s of r.segments) enc.copyBufferToBuffer(s.y, 0, r.readback, s.start * cout * 4, s.count * cout * 4);
    device.queue.submit([enc.finish()]);
    const err = await device.popErrorScope();
    if (err) throw new Error(`engine dispatch failed: ${err.message}`);
    await r.readback.mapAsync(GPUMapMode.READ, 0, n * cout * 4);
    const y = new Float32Array(r.readback.getMappedRange(0, n * cout * 4).slice(0));
    r.readback.unmap();
    if (signal?.aborted) throw new Error('aborted');
    return y;
  };

  const runTensors = async (feeds: Readonly<Record<string, EngineTensor>>, signal?: AbortSignal): Promise<Record<string, EngineTensor>> => {
    const x = feeds[plan.inputName];
    if (!x) throw new Error(`missing input ${plan.inputName}`);
    if (x.dims.length !== 3 || x.dims[0] !== 1 || x.dims[2] !== cin) throw new Error(`input ${plan.inputName} has dims [${x.dims}], expected [1, N, ${cin}]`);
    const n = x.dims[1];
    const y = await (engine.run(x.data, n, signal));
    if (!plan.tail) return { [plan.outputName]: { data: y, dims: [1, n, cout] } };
    const values = new Map<string, NdArray>([[plan.outputName, { data: Float64Array.from(y), dims: [1, n, cout] }], [plan.inputName, { data: Float64Array.from(x.data), dims: x.dims.slice() }]]);
    for (const name of plan.tail.inputs) {
      const t = feeds[name];
      if (!t) throw new Error(`missing input ${name}`);
      if (t.dims[0] !== 1) throw new Error(`input ${name}: the engine runs batch 1, got dims [${t.dims}]`);
      values.set(name, { data: Float64Array.from(t.data), dims: t.dims.slice() });
    }
    const env = evalTail(plan.tail, values);
    const out: Record<string, EngineTensor> = {};
    for (const o of plan.tail.outputs) {
      const v = env.get(o);
      if (!v) throw new Error(`output ${o} was not computed`);
      out[o] = { data: Float32Array.from(v.data), dims: v.dims };
    }
    return out;
  };

  const engine: FlareEngine = {
    config: plan.config,
    plan,
    inputNames: [plan.inputName, ...(plan.tail?.inputs ?? [])],
    outputNames: plan.tail ? plan.tail.outputs : [plan.outputName],
    runTensors,
    layout: { workgroupSize: WG, staged: stage, weightTileFloats: wsFloats, latentTile, encodeTilePoints: encodeTile, maxSegmentPoints: maxSeg, pipelines: pipes.size, compileMs },
    run(x, n, signal) {
      // one forward at a time: the cached buffers are shared
      const next = busy.then(() => runOnce(x, n, signal));
      busy = next.catch(() => undefined);
      return next;
    },
    async timeForwards(reps) {
      await busy;
      const r = cache;
      if (!r) throw new Error('run() first');
      const enc = device.createCommandEncoder({ label: 'flare-timing' });
      for (let i = 0; i < reps; i++) encodeForward(enc, r);
      const t = performance.now();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
      return (performance.now() - t) / reps;
    },
    async profileKernels() {
      await busy;
      if (!cache) throw new Error('run() first');
      return device.features.has('timestamp-query') ? profileKernels(cache) : null;
    },
    bufferBytes() {
      const r = cache;
      const seg = r ? r.segments.reduce((a, s) => a + [s.xin, s.x, s.k, s.v, s.y, s.params].reduce((b, x) => b + x.size, 0), 0) : 0;
      return weights.size + seg + (r ? r.part.size + r.z.size + r.mergeParams.size + r.readback.size : 0);
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      if (cache) freeResources(cache);
      cache = null;
      weights.destroy();
      for (const b of blockParams) b.destroy();
    },
  };
  return engine;
}
