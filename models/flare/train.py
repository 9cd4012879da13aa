"""Train a FLARE (or per-point MLP baseline) elasticity surrogate on a packed data set.

Single GPU (default):
  torchrun --standalone --nproc_per_node=1 models/flare/train.py --family plate2d \
      --data models/data/pack --run-dir models/runs/plate2d-flare --epochs 300
Several GPUs: --nproc_per_node=<gpus> (DistributedDataParallel; each rank takes a disjoint
share of the samples of every epoch; the global batch is --batch * world_size).
Resumable: the run folder holds ckpt.pt (model, optimizer, step, epoch); rerun the same
command (or raise --epochs) to continue.  Logs to <run>/log.jsonl and stdout.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.distributed as dist

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from model import FLARE, PointMLP, build  # noqa: E402


def assemble(xyzn, dist_, flags, dirv):
    """Packed arrays -> features [.., N, 10] in the order of features.py."""
    fl = flags.to(torch.int32)
    fixed = (fl & 1).to(xyzn.dtype).unsqueeze(-1)
    loaded = ((fl >> 1) & 1).to(xyzn.dtype).unsqueeze(-1)
    d = dirv.unsqueeze(-2).expand(*xyzn.shape[:-1], 3)
    return torch.cat([xyzn, fixed, loaded, dist_, d], dim=-1)


def rel_l2(p, y, dims):
    return torch.linalg.vector_norm(p - y, dim=dims) / torch.linalg.vector_norm(y, dim=dims).clamp_min(1e-12)


def loss_fn(p, y):
    """Per-sample relative L2 of von Mises + of the displacement vector field."""
    lv = rel_l2(p[..., 0], y[..., 0], (-1,))
    lu = rel_l2(p[..., 1:4], y[..., 1:4], (-2, -1))
    return lv.mean() + lu.mean(), lv.mean(), lu.mean()


@torch.no_grad()
def evaluate(net, test_path, y_std, device, max_samples=None):
    """Metrics on ALL nodes of every test sample (fp32): relative L2 of von Mises and of |u|,
    relative error of the 99th percentile of von Mises.  Returns dict with means/medians."""
    t = np.load(test_path)
    off = t["offsets"]
    S = len(off) - 1 if max_samples is None else min(max_samples, len(off) - 1)
    ys = torch.as_tensor(y_std, dtype=torch.float32, device=device)
    rv, ru, rp, ntot = [], [], [], 0
    net.eval()
    t0 = time.time()
    for s in range(S):
        a, b = off[s], off[s + 1]
        xyzn = torch.as_tensor(t["xyzn"][a:b].astype(np.float32), device=device)[None]
        dd = torch.as_tensor(t["dist"][a:b].astype(np.float32), device=device)[None]
        fl = torch.as_tensor(t["flags"][a:b], device=device)[None]
        dv = torch.as_tensor(t["dir"][s], device=device)[None]
        x = assemble(xyzn, dd, fl, dv)
        p = net(x)[0] * ys
        vm_p = torch.relu(p[:, 0]).double().cpu().numpy()
        um_p = torch.linalg.vector_norm(p[:, 1:4], dim=-1).double().cpu().numpy()
        vm = t["vm_n"][a:b].astype(np.float64)
        um = np.linalg.norm(t["u_n"][a:b].astype(np.float64), axis=1)
        rv.append(np.linalg.norm(vm_p - vm) / np.linalg.norm(vm))
        ru.append(np.linalg.norm(um_p - um) / np.linalg.norm(um))
        p99, p99p = np.percentile(vm, 99), np.percentile(vm_p, 99)
        rp.append(abs(p99p - p99) / p99)
        ntot += b - a
    dt = time.time() - t0
    f = lambda v: dict(mean=float(np.mean(v)), median=float(np.median(v)), p90=float(np.percentile(v, 90)))
    return dict(n_samples=S, n_nodes=int(ntot), rel_l2_von_mises=f(rv), rel_l2_disp_mag=f(ru),
                rel_err_p99_von_mises=f(rp), eval_s=dt)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--family", required=True)
    ap.add_argument("--data", default="models/data/pack")
    ap.add_argument("--run-dir", dest="run", required=True)
    ap.add_argument("--arch", default="flare", choices=["flare", "mlp"])
    ap.add_argument("--C", type=int, default=64)
    ap.add_argument("--blocks", type=int, default=6)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--latents", type=int, default=64)
    ap.add_argument("--mlp-width", type=int, default=128)
    ap.add_argument("--mlp-layers", type=int, default=6)
    ap.add_argument("--epochs", type=int, default=200)
    ap.add_argument("--batch", type=int, default=16, help="samples per GPU per step")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--wd", type=float, default=1e-5)
    ap.add_argument("--warmup", type=float, default=0.05)
    ap.add_argument("--time-limit", type=float, default=1e9, help="stop (and checkpoint) after s")
    ap.add_argument("--bf16", type=int, default=1)
    ap.add_argument("--flip", type=int, default=1, help="random y-mirror augmentation")
    ap.add_argument("--eval", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--compile", type=int, default=0, help="torch.compile the training forward")
    a = ap.parse_args()

    ddp = "RANK" in os.environ
    if ddp:
        dist.init_process_group("nccl")
        rank, world = dist.get_rank(), dist.get_world_size()
        local = int(os.environ.get("LOCAL_RANK", 0))
    else:
        rank, world, local = 0, 1, 0
    device = torch.device("cuda", local) if torch.cuda.is_available() else torch.device("cpu")
    if device.type == "cuda":
        torch.cuda.set_device(device)
    torch.manual_seed(a.seed)
    os.makedirs(a.run, exist_ok=True)
    log = open(os.path.join(a.run, "log.jsonl"), "a") if rank == 0 else None

    import glob
    parts = sorted(glob.glob(os.path.join(a.data, a.family + "_train*.npz")))
    ds = [np.load(p) for p in parts]
    cat = lambda k: torch.as_tensor(np.concatenate([d[k] for d in ds]), device=device)
    xyzn, dist_, flags, dirv = cat("xyzn"), cat("dist"), cat("flags"), cat("dir")
    # parts may come from separate pack runs with their own y_std: bring all to the first's
    y_std = ds[0]["y_std"]
    Y = torch.as_tensor(np.concatenate([(d["y"].astype(np.float32) * (d["y_std"] / y_std)).astype(np.float16)
                                        for d in ds]), device=device)
    S, K = xyzn.shape[:2]

    if a.arch == "flare":
        cfg = dict(arch="flare", cin=10, cout=4, C=a.C, blocks=a.blocks, heads=a.heads, latents=a.latents)
    else:
        cfg = dict(arch="mlp", cin=10, cout=4, C=a.mlp_width, layers=a.mlp_layers)
    net = build(cfg).to(device)
    nparam = sum(p.numel() for p in net.parameters())
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, weight_decay=a.wd)
    steps_per_epoch = S // (a.batch * world)
    total = a.epochs * steps_per_epoch
    step, epoch = 0, 0
    ck = os.path.join(a.run, "ckpt.pt")
    if os.path.exists(ck):
        st = torch.load(ck, map_location=device, weights_only=False)
        net.load_state_dict(st["model"])
        opt.load_state_dict(st["opt"])
        step, epoch = st["step"], st["epoch"]
        if rank == 0:
            print("resumed from %s at step %d epoch %d" % (ck, step, epoch), flush=True)
    model = torch.nn.parallel.DistributedDataParallel(net, device_ids=[local]) if ddp and world > 1 else net
    if a.compile:
        model = torch.compile(model)

    def lr_at(s):
        """Warmup + cosine decay over the run; the run's progress is the larger of the step
        fraction and (with --time-limit) the elapsed-time fraction, so a time-boxed run still
        anneals to zero."""
        frac = s / max(1, total)
        if a.time_limit < 1e8:
            frac = max(frac, (time.time() - t_start) / a.time_limit)
        if frac < a.warmup:
            return a.lr * max(frac, 1e-3) / a.warmup
        return a.lr * 0.5 * (1 + math.cos(math.pi * min(1.0, (frac - a.warmup) / (1 - a.warmup))))

    def save():
        if rank == 0:
            torch.save(dict(model=net.state_dict(), opt=opt.state_dict(), step=step, epoch=epoch,
                            config=cfg, y_std=y_std, family=a.family, args=vars(a),
                            n_train=int(S), points=int(K), world=world), ck + ".tmp")
            os.replace(ck + ".tmp", ck)

    if rank == 0:
        print(json.dumps(dict(event="start", arch=a.arch, params=nparam, S=int(S), K=int(K),
                              world=world, steps_per_epoch=steps_per_epoch, total_steps=total,
                              device=torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu")),
              flush=True)
    t_start = time.time()
    t_log, n_log = time.time(), 0
    stop = False
    while epoch < a.epochs and not stop:
        g = torch.Generator(device="cpu").manual_seed(a.seed * 100003 + epoch)
        perm = torch.randperm(S, generator=g)
        mine = perm[rank::world][: steps_per_epoch * a.batch].view(steps_per_epoch, a.batch)
        model.train()
        acc = torch.zeros(3, device=device)
        for i in range(steps_per_epoch):
            idx = mine[i].to(device)
            x = assemble(xyzn[idx].float(), dist_[idx].float(), flags[idx], dirv[idx])
            y = Y[idx].float()
            if a.flip:
                m = (torch.rand(len(idx), 1, 1, device=device) < 0.5).float()
                sgn = 1 - 2 * m                                           # -1: mirror y
                x = torch.cat([x[..., :1], x[..., 1:2] * sgn, x[..., 2:8], x[..., 8:9] * sgn,
                               x[..., 9:]], -1)
                y = torch.cat([y[..., :2], y[..., 2:3] * sgn, y[..., 3:]], -1)
            for gparam in opt.param_groups:
                gparam["lr"] = lr_at(step)
            with torch.autocast("cuda", dtype=torch.bfloat16, enabled=bool(a.bf16) and device.type == "cuda"):
                p = model(x)
            loss, lv, lu = loss_fn(p.float(), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            acc += torch.stack([loss.detach(), lv.detach(), lu.detach()])
            step += 1
            n_log += len(idx) * world
        epoch += 1
        if ddp:
            dist.all_reduce(acc)
            acc /= world
        acc = (acc / steps_per_epoch).tolist()
        el = time.time() - t_start
        if rank == 0 and (epoch % 10 == 0 or epoch == a.epochs or epoch == 1):
            torch.cuda.synchronize()
            now = time.time()
            rec = dict(epoch=epoch, step=step, loss=acc[0], rel_vm=acc[1], rel_u=acc[2],
                       lr=lr_at(step), samples_per_s=n_log / (now - t_log),
                       points_per_s=n_log * K / (now - t_log), elapsed_s=el)
            t_log, n_log = now, 0
            print(json.dumps(rec), flush=True)
            log.write(json.dumps(rec) + "\n"); log.flush()
        if epoch % 50 == 0:
            save()
        flag = torch.tensor([1.0 if el > a.time_limit else 0.0], device=device)
        if ddp:
            dist.all_reduce(flag)
        stop = flag.item() > 0
    save()
    if rank == 0 and a.eval:
        tp = os.path.join(a.data, a.family + "_test.npz")
        if os.path.exists(tp):
            m = evaluate(net, tp, y_std, device)
            m.update(arch=a.arch, params=nparam, epochs=epoch, steps=step, train_s=time.time() - t_start)
            print(json.dumps(dict(event="test", **m)), flush=True)
            json.dump(m, open(os.path.join(a.run, "test_metrics.json"), "w"), indent=1)
    if ddp:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
