// Public surface of the FLARE engine (runtime back end `engine`).
export { loadFlareEngine, createFlareEngine, engineBufferBytes, type FlareEngine, type FlareEngineOptions, type EngineTensor } from './flareEngine';
export { recognizeFlare, recognizeFlareModel } from './recognizeFlare';
export { isRefusal, type EngineRefusal, type FlareConfig, type FlarePlan } from './plan';
export { runCpuReference } from './cpuReference';
