#!/bin/bash
# Second remote generation call: the bracket3d seeds missing from the first call + plate2d.
set -o pipefail
export PYTHONUNBUFFERED=1
python3 -c "import tarfile; tarfile.open('models/data/femrt.tar.xz').extractall('/tmp')" && ln -sf lib/libgmsh.so.4.8 /tmp/femrt/libgmsh.so
G="env PATH=/tmp/femrt/bin:$PATH LD_LIBRARY_PATH=/tmp/femrt/lib PYTHONPATH=/tmp/femrt"
timeout 200 $G python3 models/fem/make_dataset.py --family bracket3d --split train --n 1000 --workers 16 --root /tmp/gen --exclude-log models/data/remote/bracket3d_done.jsonl 2>&1 | tail -n 1
timeout 200 $G python3 models/fem/make_dataset.py --family plate2d --split train --n 1000 --workers 16 --root /tmp/gen 2>&1 | tail -n 1
python3 models/flare/pack.py --family bracket3d --root /tmp/gen --out $OUT --points 2048 --parts 1 --splits train > /tmp/p3.log 2>&1 &
python3 models/flare/pack.py --family plate2d --root /tmp/gen --out $OUT --points 2048 --parts 3 --splits train 2>&1 | tail -n 4
wait; tail -n 3 /tmp/p3.log
mv $OUT/bracket3d_train.npz $OUT/bracket3d_train_3.npz; mv $OUT/bracket3d_stats_train.json $OUT/bracket3d_stats_train_b.json
cat /tmp/gen/bracket3d/train/log.jsonl > $OUT/bracket3d_train_log_b.jsonl; cat /tmp/gen/plate2d/train/log.jsonl > $OUT/plate2d_train_log.jsonl
