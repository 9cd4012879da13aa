# PyTorch eager timing of the reference FLARE (shared/reference/flare_ref.py) on this GPU.
import os, sys, json, torch
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flare_ref import FLARE, bench
torch.backends.cuda.matmul.allow_tf32 = False; torch.backends.cudnn.allow_tf32 = False
print('torch', torch.__version__, torch.cuda.get_device_name(0), flush=True)
res = {}
# TORCH_SIZES / TORCH_MODELS (comma lists) narrow the run, e.g. for a short device call
sizes = [int(v) for v in (os.environ.get('TORCH_SIZES') or '10000,100000,1000000,4000000').split(',')]
models = (os.environ.get('TORCH_MODELS') or 'small,paper').split(',')
for name, cfg in {'small': dict(C=64, B=4, H=8, M=64), 'paper': dict(C=128, B=8, H=8, M=128)}.items():
    if name not in models: continue
    m = FLARE(3, 4, **cfg).cuda().eval()
    for N in sizes:
        for dt, tag in [(torch.float32, 'fp32'), (torch.bfloat16, 'bf16')]:
            try:
                ms, mem = bench(m, N, 3, dt, reps=10 if N < 4000000 else 3)
            except Exception as e:
                ms, mem = str(e)[:80], None
                torch.cuda.empty_cache()
            res[f'{name}/N={N}/{tag}'] = (ms, mem)
            print(name, N, tag, ms, mem, flush=True)
json.dump(res, open(os.path.join(os.environ.get('OUT', '/tmp'), 'torch_times.json'), 'w'), indent=1)
