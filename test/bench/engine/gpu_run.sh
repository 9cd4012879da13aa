#!/bin/bash
# Prepare .carry/engine and .gl as test/bench/engine/README.md says; run from the repo root on the device.
# One batched device call: PyTorch eager (flare_ref.py) and the engine + onnxruntime-web WebGPU EP (Dawn/Vulkan).
# Environment (defaults = the full round): SIZES (10000,100000,1000000,4000000), BACKENDS (engine,ort-webgpu),
# STAGE (auto; 0,1 runs the engine unstaged and staged), PAPER (1: also the paper-size plan),
# TORCH (1: PyTorch eager too), TORCH_SIZES (its sizes; default SIZES), TORCH_MODELS (small,paper),
# BENCH_TIMEOUT / TORCH_TIMEOUT (330 / 200 s; the bench prints as it goes, so a cut run keeps its lines).
# A short round (~1 min): SIZES=100000,1000000 BACKENDS=engine STAGE=0,1 PAPER=0 TORCH_MODELS=small BENCH_TIMEOUT=75 TORCH_TIMEOUT=35
E=.carry/engine
nvidia-smi --query-gpu=name,memory.total,clocks.max.sm --format=csv > $OUT/gpu.txt 2>&1
mkdir -p node_modules/webgpu && cp $E/webgpu/* node_modules/webgpu/
BACKENDS=${BACKENDS:-engine,ort-webgpu}
if [[ $BACKENDS == *ort-webgpu* ]]; then
  mkdir -p /tmp/ort && cp $E/ort/ort.webgpu.bundle.min.mjs $E/ort/ort-wasm-simd-threaded.asyncify.mjs /tmp/ort/ && xz -dc $E/ort/ort-wasm-simd-threaded.asyncify.wasm.xz > /tmp/ort/ort-wasm-simd-threaded.asyncify.wasm
fi
cp $E/node.xz .carry/node.xz; cp $E/dawn.node.xz .carry/dawn.node.xz
PAPER_FLAG=--paper; [ "${PAPER:-1}" = 0 ] && PAPER_FLAG=
FLARE_DAWN_FLAGS='["backend=vulkan"]' timeout ${BENCH_TIMEOUT:-330} bash $E/device-run.sh node $E/bench.mjs --sizes ${SIZES:-10000,100000,1000000,4000000} --reps 5 $PAPER_FLAG \
  --backends $BACKENDS --baseline ort-webgpu --stage ${STAGE:-auto} --budget-s 45 --model $E/flare_small.onnx --ort-dist /tmp/ort --check $E --json $OUT/bench.json > $OUT/bench.txt 2>&1
echo "bench rc $?" >> $OUT/bench.txt
if [ "${TORCH:-1}" != 0 ]; then
  TORCH_SIZES=${TORCH_SIZES:-${SIZES:-}} timeout ${TORCH_TIMEOUT:-200} python3 $E/torch_bench.py > $OUT/torch.txt 2>&1; echo "torch rc $?" >> $OUT/torch.txt
fi
tail -5 $OUT/bench.txt; tail -3 $OUT/torch.txt 2>/dev/null
