#!/bin/bash
# One family end to end on the GPU machine, detached (setsid) so it outlives device calls:
# data v2 on the CPUs (gmsh + ccx carried in models/data/femrt.tar.xz), FLARE training on the
# GPU while the test split and its 2x finer twins are solved, then the per-point MLP baseline,
# test metrics, noise floor and the ONNX export.  Every stage skips work already done.
# env: F family, NTRAIN, NTEST, NFINE samples; W CPU workers; BUDGET FLARE training seconds;
#      MLP_BUDGET; NAME model name; WORK scratch dir (default /tmp/flare)
set -x
: "${PY:=python3}" "${W:=15}" "${WORK:=/tmp/flare}" "${MLP_BUDGET:=90}"
ROOT=$WORK/data PACK=$WORK/pack RUNS=$WORK/runs
mkdir -p $PACK $RUNS
if [ ! -x /tmp/femrt/bin/ccx ]; then
  $PY -c "import tarfile; tarfile.open('models/data/femrt.tar.xz').extractall('/tmp')"
  ln -sf lib/libgmsh.so.4.8 /tmp/femrt/libgmsh.so
fi
export PATH=/tmp/femrt/bin:$PATH LD_LIBRARY_PATH=/tmp/femrt/lib PYTHONPATH=/tmp/femrt:$PWD PYTHONUNBUFFERED=1
stage() { echo "=== $(date +%T) $*"; }
stage gen train
$PY -m models.fem.make_dataset --family $F --split train --n $NTRAIN --workers $W --root $ROOT
[ -f $PACK/${F}_train.npz ] || $PY -m models.flare.data --src $ROOT/$F/train --out $PACK/${F}_train.npz --workers 16
(
  stage gen test
  $PY -m models.fem.make_dataset --family $F --split test --n $NTEST --workers 12 --root $ROOT --keep-decks --verify
  $PY -m models.flare.data --src $ROOT/$F/test --out $PACK/${F}_test.npz --workers 12
  stage gen fine
  $PY -m models.fem.make_dataset --family $F --split test --n $NFINE --workers 12 --root $ROOT --refine
  $PY -m models.eval.noise_floor --coarse $ROOT/$F/test --fine $ROOT/$F/test_fine --out $RUNS/${F}_noise_floor.json
  stage test done
) > $WORK/${F}_test.log 2>&1 &
TESTJOB=$!
stage train flare
$PY -m models.flare.train --family $F --train $PACK/${F}_train.npz --run $RUNS/$F-flare \
  --steps 10000000 --budget $BUDGET --batch 16 --points 8192 $TRAIN_ARGS
stage train mlp
$PY -m models.flare.train --family $F --train $PACK/${F}_train.npz --run $RUNS/$F-mlp --arch mlp \
  --steps 10000000 --budget $MLP_BUDGET --batch 16 --points 8192 $TRAIN_ARGS
wait $TESTJOB
cat $WORK/${F}_test.log | tail -5
stage eval
$PY -m models.eval.evaluate --ckpt $RUNS/$F-flare/ckpt.pt --test $PACK/${F}_test.npz --out $RUNS/$F-flare/test_metrics.json
$PY -m models.eval.evaluate --ckpt $RUNS/$F-mlp/ckpt.pt --test $PACK/${F}_test.npz --out $RUNS/$F-mlp/test_metrics.json
stage export
mkdir -p $WORK/golden $WORK/export
cp $ROOT/$F/test/${F}_1000000.inp $WORK/golden/$NAME.inp
$PY -m models.export --ckpt $RUNS/$F-flare/ckpt.pt --name $NAME --family $F \
  --train-pack $PACK/${F}_train.npz --test-pack $PACK/${F}_test.npz \
  --metrics $RUNS/$F-flare/test_metrics.json --baseline-metrics $RUNS/$F-mlp/test_metrics.json \
  --noise-floor $RUNS/${F}_noise_floor.json --golden $WORK/golden/$NAME --out-dir $WORK/export
stage done
