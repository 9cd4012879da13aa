#!/bin/bash
# Prepare .carry/engine and .gl as test/bench/engine/README.md says; run from the repo root on the device.
# One batched device call: PyTorch eager (flare_ref.py) and the engine + onnxruntime-web WebGPU EP (Dawn/Vulkan).
E=.carry/engine
nvidia-smi --query-gpu=name,memory.total,clocks.max.sm --format=csv > $OUT/gpu.txt 2>&1
mkdir -p node_modules/webgpu && cp $E/webgpu/* node_modules/webgpu/
mkdir -p /tmp/ort && cp $E/ort/ort.webgpu.bundle.min.mjs $E/ort/ort-wasm-simd-threaded.asyncify.mjs /tmp/ort/ && xz -dc $E/ort/ort-wasm-simd-threaded.asyncify.wasm.xz > /tmp/ort/ort-wasm-simd-threaded.asyncify.wasm
cp $E/node.xz .carry/node.xz; cp $E/dawn.node.xz .carry/dawn.node.xz
FLARE_DAWN_FLAGS='["backend=vulkan"]' timeout 330 bash $E/device-run.sh node $E/bench.mjs --sizes ${SIZES:-10000,100000,1000000,4000000} --reps 5 --paper \
  --backends engine,ort-webgpu --baseline ort-webgpu --budget-s 45 --model $E/flare_small.onnx --ort-dist /tmp/ort --check $E --json $OUT/bench.json > $OUT/bench.txt 2>&1
echo "bench rc $?" >> $OUT/bench.txt
timeout 200 python3 $E/torch_bench.py > $OUT/torch.txt 2>&1; echo "torch rc $?" >> $OUT/torch.txt
tail -5 $OUT/bench.txt; tail -3 $OUT/torch.txt
