#!/bin/bash
# One GPU call: FLARE + MLP baseline for both families, 4 trainings concurrently on one GPU,
# then ONNX export (+ golden y) of all four into $OUT.  env: TLF/TLM time limits (s), PACK.
set -o pipefail
export PYTHONUNBUFFERED=1
: "${PACK:=models/data/packT}" "${R:=/tmp/runs}" "${TLF:=430}" "${TLM:=300}"
python3 -c "import torch,onnx,onnxruntime;print('torch',torch.__version__,'onnx',onnx.__version__,'ort',onnxruntime.__version__,torch.cuda.get_device_name(0))"
mkdir -p $R
T="models/flare/train.py --data $PACK --epochs 100000 --eval 0"
torchrun --standalone --nproc_per_node=1 $T --family bracket3d --run-dir $R/bracket3d-flare --batch 16 --compile 1 --time-limit $TLF > $R/bracket3d-flare.log 2>&1 &
sleep 2
torchrun --standalone --nproc_per_node=1 $T --family plate2d --run-dir $R/plate2d-flare --batch 32 --compile 1 --time-limit $TLF > $R/plate2d-flare.log 2>&1 &
python3 $T --family bracket3d --arch mlp --run-dir $R/bracket3d-mlp --batch 16 --time-limit $TLM > $R/bracket3d-mlp.log 2>&1 &
python3 $T --family plate2d --arch mlp --run-dir $R/plate2d-mlp --batch 32 --time-limit $TLM > $R/plate2d-mlp.log 2>&1 &
wait
for f in $R/*.log; do echo == $f; grep -E 'start|Error|error' $f | head -3; tail -n 2 $f; done
for F in plate2d bracket3d; do
  python3 models/export.py --ckpt $R/$F-flare/ckpt.pt --name $F-elasticity --stats $PACK/${F}_stats_train.json --golden models/golden/$F-elasticity --out-dir $OUT 2>&1 | grep -v Warn
  python3 models/export.py --ckpt $R/$F-mlp/ckpt.pt --name $F-mlp-baseline --stats $PACK/${F}_stats_train.json --golden models/golden/$F-elasticity --out-dir $R/mlp 2>&1 | grep -v Warn
  cp $R/mlp/$F-mlp-baseline.onnx $OUT/; cp $R/$F-flare/ckpt.pt $OUT/$F-flare.ckpt.pt
done
cd $OUT && tar czf logs.tgz *.card.json *.y.npy $R/*.log $R/*/log.jsonl && rm -f *.card.json *.y.npy; ls -la $OUT
