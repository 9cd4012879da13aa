// A WebGPU device in Node from Dawn (npm `webgpu`). Without a GPU, SwiftShader's Vulkan ICD from
// Debian's chromium package gives one; tests that need a device report why when there is none.
import * as fs from 'node:fs';
import { create, globals } from 'webgpu';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface DawnDevice { device: GPUDevice; adapterInfo: string }

let cached: Promise<DawnDevice | string> | null = null;
// Dawn tears its instance down when the GPU object is collected, even with live devices: keep it.
export let dawnInstance: GPU | null = null;

/** The shared device, or a string saying why there is none. */
export function dawnDevice(): Promise<DawnDevice | string> {
  cached ??= (async () => {
    if (!process.env.VK_ICD_FILENAMES && !process.env.VK_DRIVER_FILES && fs.existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    Object.assign(globalThis, globals);
    const gpu = (dawnInstance = create(process.env.FLARE_DAWN_FLAGS ? (JSON.parse(process.env.FLARE_DAWN_FLAGS) as string[]) : []));
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return 'no WebGPU adapter from Dawn (install chromium for SwiftShader, or a Vulkan driver)';
    const l = adapter.limits;
    const device = await adapter.requestDevice({
      requiredLimits: { maxBufferSize: l.maxBufferSize, maxStorageBufferBindingSize: l.maxStorageBufferBindingSize, maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize },
    });
    return { device, adapterInfo: `${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}`.trim() };
  })();
  return cached;
}
