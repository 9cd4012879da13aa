#!/bin/bash
# Resume both FLARE runs from their checkpoints for a second cosine cycle, retrain the MLP
# baselines, export all four to ONNX (+ golden y) into $OUT.  env: TLF, TLM, LR.
set -o pipefail
export PYTHONUNBUFFERED=1
: "${PACK:=models/data/packT}" "${R:=/tmp/runs}" "${TLF:=190}" "${TLM:=150}" "${LR:=5e-4}"
mkdir -p $R/plate2d-flare $R/bracket3d-flare
cp models/data/ckpt/plate2d-flare.ckpt.pt $R/plate2d-flare/ckpt.pt; cp models/data/ckpt/bracket3d-flare.ckpt.pt $R/bracket3d-flare/ckpt.pt
T="models/flare/train.py --data $PACK --epochs 100000 --eval 0"
torchrun --standalone --nproc_per_node=1 $T --family bracket3d --run-dir $R/bracket3d-flare --batch 16 --compile 1 --lr $LR --time-limit $TLF > $R/bracket3d-flare.log 2>&1 &
torchrun --standalone --nproc_per_node=1 $T --family plate2d --run-dir $R/plate2d-flare --batch 32 --compile 1 --lr $LR --time-limit $TLF > $R/plate2d-flare.log 2>&1 &
python3 $T --family bracket3d --arch mlp --run-dir $R/bracket3d-mlp --batch 16 --time-limit $TLM > $R/bracket3d-mlp.log 2>&1 &
python3 $T --family plate2d --arch mlp --run-dir $R/plate2d-mlp --batch 32 --time-limit $TLM > $R/plate2d-mlp.log 2>&1 &
wait
for f in $R/*.log; do echo == $f; grep -E 'resumed|Error|error' $f | head -3; tail -n 1 $f; done
for F in plate2d bracket3d; do
  python3 models/export.py --ckpt $R/$F-flare/ckpt.pt --name $F-elasticity --stats $PACK/${F}_stats_train.json --golden models/golden/$F-elasticity --out-dir $OUT 2>&1 | grep -v Warn &
  python3 models/export.py --ckpt $R/$F-mlp/ckpt.pt --name $F-mlp-baseline --stats $PACK/${F}_stats_train.json --out-dir $R/mlp 2>&1 | grep -v Warn &
done
wait
cp $R/mlp/*.onnx $OUT/; cp $R/plate2d-flare/ckpt.pt $OUT/plate2d-flare.ckpt.pt; cp $R/bracket3d-flare/ckpt.pt $OUT/bracket3d-flare.ckpt.pt
tar czf $OUT/logs.tgz -C $OUT $(cd $OUT; ls *.card.json *.y.npy) -C / ${R#/}; rm -f $OUT/*.card.json $OUT/*.y.npy $OUT/logs/*; ls -la $OUT
