#!/bin/bash
# One GPU session's worth of more training for both families, detached (setsid) so it outlives
# device calls.  The packs do not fit a carry, so the training samples are solved again from their
# seeds on the machine's CPUs, while the GPU trains the family whose data is ready:
#   plate2d samples (seeds 0..PN-1) -> pack -> plate2d: a new cycle of PB seconds, while the CPUs
#   solve bracket3d samples from seed BSEED0 on (new geometries: bracket3d is data-limited) ->
#   when plate2d is done: pack what is solved -> bracket3d: a new cycle of BB seconds.
# Each family continues from models/checkpoints/<family>-flare.pt: carry plate2d's (with
# models/data/femrt.tar.xz) in the call that starts this, bracket3d's in the next call.  Test metrics and the export run afterwards on any machine (models/README.md).
# env: PN, PB, BSEED0, BB, W (CPU workers), LR (peak learning rate of the new cycles), STEPS (the
#      cycles' name, see train.py --new-cycle), WORK (scratch dir, default /tmp/flare), TRAIN_ARGS
#      (more train.py arguments: a CPU smoke run makes the model tiny)
set -x
: "${PY:=python3}" "${W:=15}" "${WORK:=/tmp/flare}" "${PN:=1200}" "${PB:=540}" "${BSEED0:=459}" "${BB:=480}"
: "${LR:=6e-4}" "${STEPS:=20000000}"
REPO=$PWD ROOT=$WORK/data PACK=$WORK/pack RUNS=$WORK/runs
mkdir -p $PACK $RUNS/plate2d-flare $RUNS/bracket3d-flare $WORK/code
# later calls re-send the working tree: run from a copy, so no worker imports a file mid-copy
cp -r models $WORK/code/
cd $WORK/code
if [ ! -x /tmp/femrt/bin/ccx ]; then
  $PY -c "import tarfile; tarfile.open('$REPO/models/data/femrt.tar.xz').extractall('/tmp')"
  ln -sf lib/libgmsh.so.4.8 /tmp/femrt/libgmsh.so
fi
export PATH=/tmp/femrt/bin:$PATH LD_LIBRARY_PATH=/tmp/femrt/lib PYTHONPATH=/tmp/femrt:$PWD PYTHONUNBUFFERED=1
export TORCHINDUCTOR_CACHE_DIR=$WORK/inductor OMP_NUM_THREADS=1
stage() { echo "=== $(date +%T) $*"; }
# The checkpoints to continue from: a call's carry lasts only until the next call re-sends the
# tree (the carry limit keeps the second one out of the first call), so take each as it comes.
(
  while :; do
    for f in plate2d bracket3d; do
      c=$REPO/models/checkpoints/$f-flare.pt
      [ -f $RUNS/$f-flare/ckpt.pt ] || { [ -f $c ] && cp $c $RUNS/$f-flare/ckpt.tmp && mv $RUNS/$f-flare/ckpt.tmp $RUNS/$f-flare/ckpt.pt; }
    done
    sleep 2
  done
) &
WATCH=$!
ckpt() { until [ -f $RUNS/$1-flare/ckpt.pt ]; do sleep 5; done; }
cont() {  # family, pack, budget
  $PY -m models.flare.train --family $1 --train $2 --run $RUNS/$1-flare --new-cycle --steps $STEPS \
    --budget $3 --lr $LR --warmup 300 --decay 0.3 --batch 16 --points 8192 $TRAIN_ARGS
}
stage gen plate2d
$PY -m models.fem.make_dataset --family plate2d --split train --n $PN --workers $W --root $ROOT
$PY -m models.flare.data --src $ROOT/plate2d/train --out $PACK/plate2d_train.npz --workers 16
$PY -m models.fem.make_dataset --family bracket3d --split train --seed-offset $BSEED0 --n 100000 \
  --workers $((W - 2)) --root $ROOT > $WORK/bracket3d_gen.log 2>&1 &
stage train plate2d
ckpt plate2d
cont plate2d $PACK/plate2d_train.npz $PB
stage gen bracket3d stop
pkill -INT -f "make_dataset --family bracket3d"
sleep 3
pkill -KILL -f "make_dataset --family bracket3d"
tail -2 $WORK/bracket3d_gen.log
$PY -m models.flare.data --src $ROOT/bracket3d/train --out $PACK/bracket3d_train.npz --workers 16
stage train bracket3d
ckpt bracket3d
cont bracket3d $PACK/bracket3d_train.npz $BB
kill $WATCH
stage done
