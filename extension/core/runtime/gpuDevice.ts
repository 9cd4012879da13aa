// Opening a WebGPU device for a back end (onnxruntime-web's WebGPU EP, the FLARE engine): the same
// adapter request, full limits and loss tracking for both, in Node (Dawn) and in the browser.
import type { AdapterInfo } from './backend';

export function adapterInfoOf(adapter: GPUAdapter): AdapterInfo {
  const i = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  return {
    vendor: i.vendor ?? '',
    architecture: i.architecture ?? '',
    description: i.description ?? '',
    isFallbackAdapter: i.isFallbackAdapter ?? i.architecture === 'swiftshader',
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

export function adapterLabel(a: AdapterInfo): string {
  return [a.vendor, a.architecture, a.description].filter((s) => s.length > 0).join(' ') + (a.isFallbackAdapter ? ' (software)' : '');
}

/** The high-performance adapter of `gpu`, or why there is none (`noGpuReason`: why `gpu` is missing). */
export async function findAdapter(gpu: GPU | undefined, noGpuReason?: string): Promise<{ ok: true; adapter: GPUAdapter; info: AdapterInfo } | { ok: false; reason: string }> {
  if (!gpu) return { ok: false, reason: noGpuReason ?? 'WebGPU is not available here (no navigator.gpu)' };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { ok: false, reason: 'WebGPU found no adapter (in Node: Dawn needs a Vulkan driver; in a browser: WebGPU may be disabled)' };
  return { ok: true, adapter, info: adapterInfoOf(adapter) };
}

/**
 * A device with the adapter's full buffer and compute limits: the defaults (128 MiB bindings) would
 * cap the mesh size far below what the hardware allows.
 */
export function requestFullDevice(adapter: GPUAdapter): Promise<GPUDevice> {
  const l = adapter.limits;
  return adapter.requestDevice({
    requiredLimits: {
      maxBufferSize: l.maxBufferSize,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
    },
  });
}

/** Sets `state.lost` (reason: message) when its device is lost; back ends check it before each run. */
export function trackDeviceLoss(state: { readonly device: GPUDevice; lost?: string }): void {
  void state.device.lost.then((i) => { state.lost = `${i.reason ?? 'unknown'}: ${i.message || 'GPU device lost'}`; });
}
