#!/bin/bash
# One GPU-machine call: train FLARE (torchrun/DDP) and the per-point MLP baseline concurrently on
# one GPU, evaluate both on the test split, export FLARE to ONNX + card + golden y into $OUT.
# env: F=family  PACK=packed data dir  EF/EM=epochs FLARE/MLP  TL=time limit (s) per training
#      NAME=model name  NPROC=GPUs (default 1)  EXTRA=extra train.py args for FLARE
set -o pipefail
export PYTHONUNBUFFERED=1
: "${NPROC:=1}" "${OUT:=/tmp/out}" "${R:=models/runs}"
python3 -c "import torch,onnx,onnxruntime;print('torch',torch.__version__,'onnx',onnx.__version__,'ort',onnxruntime.__version__,torch.cuda.get_device_name(0),torch.cuda.device_count())"
mkdir -p $R $OUT
torchrun --standalone --nproc_per_node=$NPROC models/flare/train.py --family $F --data $PACK \
  --run-dir $R/$F-flare --epochs $EF --time-limit $TL $EXTRA > $R/$F-flare.log 2>&1 &
P1=$!
if [ "${EM:-0}" -gt 0 ]; then
python3 models/flare/train.py --family $F --data $PACK --arch mlp --run-dir $R/$F-mlp --epochs $EM \
  --time-limit $TL --batch 16 > $R/$F-mlp.log 2>&1 &
P2=$!
wait $P2; fi
wait $P1
tail -n 4 $R/$F-flare.log; tail -n 2 $R/$F-mlp.log
BL=""; [ -f $R/$F-mlp/test_metrics.json ] && BL="--baseline-metrics $R/$F-mlp/test_metrics.json"
python3 models/export.py --ckpt $R/$F-flare/ckpt.pt --name $NAME --stats $(ls $PACK/${F}_stats*.json | paste -sd,) \
  --metrics $R/$F-flare/test_metrics.json $BL --golden models/golden/$NAME --out-dir $OUT
cp $R/$F-flare/ckpt.pt $OUT/$F-flare.ckpt.pt
tar czf $OUT/$F-logs.tgz $R/$F-flare.log $R/$F-mlp.log $R/$F-*/log.jsonl $R/$F-*/test_metrics.json 2>/dev/null
ls -la $OUT
