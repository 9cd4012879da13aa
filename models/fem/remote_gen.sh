#!/bin/bash
# Generate a family's training split on a many-core machine that lacks gmsh/ccx, using the
# Debian binaries packed into models/data/femrt.tar.zst (ccx, libgmsh + deps, gmsh.py; see
# models/README.md), then pack it for training.  env: F family, N samples, W workers,
# TL seconds for generation, K points per sample, PARTS, OUTD output dir for the pack.
set -o pipefail
export PYTHONUNBUFFERED=1
python3 -c "import tarfile; tarfile.open('models/data/femrt.tar.xz').extractall('/tmp')" && ln -sf lib/libgmsh.so.4.8 /tmp/femrt/libgmsh.so
GEN_ENV="env PATH=/tmp/femrt/bin:$PATH LD_LIBRARY_PATH=/tmp/femrt/lib PYTHONPATH=/tmp/femrt"
$GEN_ENV ccx -v 2>&1 | head -2
$GEN_ENV python3 -c "import gmsh; gmsh.initialize(); print('gmsh', gmsh.__version__); gmsh.finalize()"
nproc
timeout $TL $GEN_ENV python3 models/fem/make_dataset.py --family $F --split train --n $N --workers $W --root /tmp/gen 2>&1 | tail -n 3
python3 - <<PY
import json
r=[json.loads(l) for l in open('/tmp/gen/$F/train/log.jsonl')]
ok=[x for x in r if x['ok']]
print('samples ok', len(ok), 'failed', len(r)-len(ok), 'mean t_total', sum(x['t_total'] for x in ok)/max(1,len(ok)))
print([x['error'][-200:] for x in r if not x['ok']][:3])
PY
mkdir -p $OUTD
python3 models/flare/pack.py --family $F --root /tmp/gen --out $OUTD --points $K --parts $PARTS --splits train
cp /tmp/gen/$F/train/log.jsonl $OUTD/${F}_train_log.jsonl
