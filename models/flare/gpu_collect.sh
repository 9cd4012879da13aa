#!/bin/bash
# Device call body: wait up to $1 seconds (or until the pipeline's "=== done"), then bring back
# the checkpoint, the export and one bundle of logs/metrics/golden in $OUT.
: "${WORK:=/tmp/flare}"
t0=$(date +%s)
while [ $(( $(date +%s) - t0 )) -lt $1 ] && ! grep -q "^=== [0-9:]* done$" $WORK/pipeline.log 2>/dev/null; do sleep 10; done
grep -E "^===|planned|ok=|wall_s|resumed" $WORK/pipeline.log | tail -20
grep '^{"step"' $WORK/pipeline.log | tail -3
tail -3 $WORK/*_test.log 2>/dev/null
nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv
cp $WORK/runs/*-flare/ckpt.pt $OUT/flare.ckpt.pt 2>/dev/null
cp $WORK/export/*.onnx $OUT/ 2>/dev/null
tar czf $OUT/bundle.tgz -C $WORK pipeline.log $(cd $WORK && ls -d *_test.log runs/*/log.jsonl runs/*/test_metrics.json runs/*noise_floor.json export/*.card.json golden pack/*.json 2>/dev/null)
ls -la $OUT
