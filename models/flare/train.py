"""Train a FLARE (or per-point MLP baseline) surrogate on a pack from models/flare/data.py.

  python3 -m models.flare.train --family plate2d --train PACK/plate2d_train.npz \\
      --test PACK/plate2d_test.npz --run models/runs/plate2d-flare --steps 20000

Every step draws a fresh batch: --batch samples, and --points nodes of each without
replacement (all of them when a sample has fewer; the rest of its row is masked).  Schedule
by step: linear warm-up, constant, linear decay over the last --decay fraction.  bf16 trunk,
fp32 output head, fused AdamW.  <run>/ckpt.pt (one file, overwritten every --ckpt-every
seconds and at the end) holds model, optimizer, step and every RNG state: rerunning the same
command resumes exactly.  --time-limit stops early (checkpointed) for time-boxed device calls.
--new-cycle continues a run that finished before --steps (its decay left the learning rate at 0)
up to --steps (or for --budget seconds) with a new warm-up/constant/decay cycle; rerunning the
same command resumes it.  On a GPU the network is compiled (torch.compile; eager if that fails).
Several GPUs: torchrun --nproc_per_node=G (DistributedDataParallel; the global batch is split
across ranks; rank 0 writes logs and checkpoints; a checkpoint resumes on any GPU count).
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.distributed as dist

from models.flare.model import build, head_layout


def rel_l2(p, y, mask):
    """Per-sample relative L2 over masked points and all channels: [B]."""
    m = mask.unsqueeze(-1).to(p.dtype)
    num = (((p - y) * m) ** 2).sum((1, 2))
    den = ((y * m) ** 2).sum((1, 2)).clamp_min(1e-12)
    return (num / den).sqrt()


class Pack:
    """A pack on the device: x [T, F], y [T, C], offsets [S+1]."""

    def __init__(self, path, device, y_std=None):
        z = np.load(path)
        self.x = torch.as_tensor(z["x"], device=device)
        y = torch.as_tensor(z["y"], device=device)
        self.off = torch.as_tensor(z["offsets"], device=device)
        self.n = self.off[1:] - self.off[:-1]
        self.S = len(self.n)
        self.nmax = int(self.n.max())
        self.y_raw = y
        self.y_std = y_std if y_std is not None else y.pow(2).mean(0).sqrt().clamp_min(1e-6)
        self.y = y / self.y_std
        self.load_dir = torch.as_tensor(z["load_dir"], device=device)
        self.scale = torch.as_tensor(z["scale"], device=device)
        self.seeds = z["seeds"]

    def batch(self, idx, points, gen):
        """Fresh points without replacement for samples idx: (x [B,K,F], y, mask [B,K]).
        K = min(points, largest sample) for every batch: one shape, so torch.compile traces once
        and no step waits on the GPU for a batch maximum."""
        n = self.n[idx]
        K = min(points, self.nmax)
        r = torch.rand(len(idx), self.nmax, device=self.x.device, generator=gen)
        ar = torch.arange(r.shape[1], device=r.device)
        r = r.masked_fill(ar[None, :] >= n[:, None], 2.0)  # padding sorts last
        pick = r.topk(K, dim=1, largest=False, sorted=False).indices
        mask = pick < n[:, None]
        g = self.off[idx][:, None] + torch.minimum(pick, n[:, None] - 1)
        return self.x[g], self.y[g], mask


def lr_at(step, a):
    """The schedule of the current cycle, which starts at step a.start (0, or where --extend began)."""
    s, total = step - a.start, a.steps - a.start
    if s < a.warmup:
        return a.lr * (s + 1) / a.warmup
    d0 = int(total * (1 - a.decay))
    if s < d0:
        return a.lr
    return a.lr * max(0.0, (total - s) / max(1, total - d0))


@torch.no_grad()
def evaluate(net, pack, dim, max_samples=None):
    """All nodes of each test sample, loaded by its own deck's traction: relative L2 of von
    Mises, |u| and each stress component; the 99th-percentile von Mises error; the error at
    the hottest 1% of nodes.  Means and medians over samples."""
    from models.flare.model import Exported

    head = Exported(net, pack.y_std.float(), dim).to(pack.x.device).eval()
    net.eval()
    rows = []
    S = pack.S if max_samples is None else min(pack.S, max_samples)
    for s in range(S):
        a, b = int(pack.off[s]), int(pack.off[s + 1])
        x = pack.x[a:b][None]
        ld, sc = pack.load_dir[s : s + 1], pack.scale[s : s + 1]
        vm_p, u_p, s_p = head(x, ld, sc)
        ref = Exported(_Identity(pack.y_raw[a:b]), torch.ones(pack.y_raw.shape[1], device=x.device), dim).to(
            x.device
        )
        vm_t, u_t, s_t = ref(x, ld, sc)
        vm_p, vm_t = vm_p[0].double(), vm_t[0].double()
        um_p, um_t = u_p[0].double().norm(dim=-1), u_t[0].double().norm(dim=-1)
        row = dict(
            seed=int(pack.seeds[s]),
            n=b - a,
            vm=float((vm_p - vm_t).norm() / vm_t.norm()),
            u=float((um_p - um_t).norm() / um_t.norm()),
        )
        comps = ["sxx", "syy", "sxy"] if dim == 2 else ["sxx", "syy", "szz", "sxy", "syz", "szx"]
        cidx = [0, 1, 3] if dim == 2 else range(6)
        for nm, c in zip(comps, cidx):
            row[nm] = float((s_p[0, :, c] - s_t[0, :, c]).double().norm() / s_t[0, :, c].double().norm())
        q = torch.quantile(vm_t.float(), 0.99).double()
        qp = torch.quantile(vm_p.float(), 0.99).double()
        row["p99"] = float((qp - q).abs() / q)
        hot = vm_t >= q
        row["hot1"] = float((vm_p[hot] - vm_t[hot]).norm() / vm_t[hot].norm())
        rows.append(row)
    net.train()
    keys = [k for k in rows[0] if k not in ("seed", "n")]
    summ = {
        k: dict(mean=float(np.mean([r[k] for r in rows])), median=float(np.median([r[k] for r in rows])))
        for k in keys
    }
    return dict(n_samples=len(rows), n_nodes=int(sum(r["n"] for r in rows)), summary=summ, samples=rows)


class _Identity(torch.nn.Module):
    """Stands in for the network in evaluate(): returns the reference unit-load targets."""

    def __init__(self, y):
        super().__init__()
        self.y = y

    def forward(self, x, mask=None):
        return self.y[None]


def flops_per_point(net, cfg):
    """Forward FLOPs per point: 2 per weight of every per-point Linear, plus attention."""
    w = sum(p.numel() for n, p in net.named_parameters() if n.endswith("weight") and p.dim() == 2)
    att = 0
    if cfg["arch"] == "flare":
        att = cfg["blocks"] * 2 * 2 * cfg["latents"] * cfg["C"]  # encode + decode matmuls
    return 2 * w + att


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--family", required=True, choices=["plate2d", "bracket3d"])
    ap.add_argument("--train", required=True)
    ap.add_argument("--test")
    ap.add_argument("--run", required=True)
    ap.add_argument("--arch", default="flare", choices=["flare", "mlp"])
    ap.add_argument("--C", type=int, default=96)
    ap.add_argument("--blocks", type=int, default=6)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--latents", type=int, default=64)
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--batch", type=int, default=16, help="samples per step (global)")
    ap.add_argument("--points", type=int, default=8192, help="points per sample")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--wd", type=float, default=1e-4)
    ap.add_argument("--warmup", type=int, default=500)
    ap.add_argument("--decay", type=float, default=0.2, help="fraction of steps decaying to 0")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=1e12)
    ap.add_argument(
        "--budget",
        type=float,
        default=0,
        help="seconds for the whole run: after 300 steps the step count is fixed from "
        "the measured rate (then stored in the checkpoint, so resumes agree)",
    )
    ap.add_argument(
        "--new-cycle",
        action="store_true",
        help="a run in <run> that finished before --steps continues to --steps with a new warm-up and decay",
    )
    ap.add_argument(
        "--compile", default="auto", choices=["auto", "on", "off"], help="torch.compile (auto: on a GPU)"
    )
    ap.add_argument(
        "--compile-mode",
        default="default",
        choices=["default", "reduce-overhead", "max-autotune-no-cudagraphs"],
        help="torch.compile mode; reduce-overhead replays CUDA graphs (every batch has one shape)",
    )
    ap.add_argument("--ckpt-every", type=float, default=180.0, help="seconds")
    ap.add_argument("--log-every", type=int, default=100)
    ap.add_argument("--eval-max", type=int, default=None)
    a = ap.parse_args()
    t_start = time.time()
    ddp = int(os.environ.get("WORLD_SIZE", "1")) > 1
    if ddp:
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
        rank, world = dist.get_rank(), dist.get_world_size()
        local = int(os.environ.get("LOCAL_RANK", 0))
    else:
        rank, world, local = 0, 1, 0
    cuda = torch.cuda.is_available()
    device = torch.device("cuda", local) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
        torch.backends.cuda.matmul.allow_tf32 = True
    dim = 2 if a.family == "plate2d" else 3
    K, du, ds = head_layout(dim)
    train = Pack(a.train, device)
    cfg = (
        dict(
            arch="flare",
            cin=train.x.shape[1],
            cout=K * (du + ds),
            C=a.C,
            blocks=a.blocks,
            heads=a.heads,
            latents=a.latents,
        )
        if a.arch == "flare"
        else dict(arch="mlp", cin=train.x.shape[1], cout=K * (du + ds), C=128, layers=6)
    )
    torch.manual_seed(a.seed)
    net = build(cfg).to(device)
    opt = torch.optim.AdamW(
        net.parameters(), lr=a.lr, weight_decay=a.wd, betas=(0.9, 0.95), **(dict(fused=True) if cuda else {})
    )
    gen = torch.Generator(device=device)
    gen.manual_seed(a.seed)
    step, elapsed_prev = 0, 0.0
    # a cycle is named by the --steps it was asked for: with --budget the planned count replaces
    # a.steps, and the same command run again must not start another cycle
    a.start, a.requested = 0, a.steps
    os.makedirs(a.run, exist_ok=True)
    ck = os.path.join(a.run, "ckpt.pt")
    if os.path.exists(ck):
        # read on the CPU: the RNG states must stay CPU tensors (load_state_dict moves the rest)
        st = torch.load(ck, map_location="cpu", weights_only=False)
        net.load_state_dict(st["model"])
        opt.load_state_dict(st["opt"])
        step = st["step"]
        gen.set_state(st["gen"])
        torch.set_rng_state(st["cpu_rng"])
        train.y_std = st["y_std"].to(device)
        wanted, budget = a.steps, a.budget
        if not st["args"].get("budget"):  # the run's step count was fixed already
            a.steps, a.budget = st["args"]["steps"], 0
        a.start = st["args"].get("start", 0)
        a.requested = st["args"].get("requested", st["args"]["steps"])
        elapsed_prev = st.get("elapsed", 0.0)
        if a.new_cycle and step >= st["args"]["steps"] and wanted > step and wanted != a.requested:
            a.start, a.steps, a.budget, a.requested, elapsed_prev = step, wanted, budget, wanted, 0.0
            if rank == 0:
                print("new cycle from step %d to %d" % (step, wanted), flush=True)
        train.y = train.y_raw / train.y_std
        if rank == 0:
            print("resumed at step", step, flush=True)
    model = (
        torch.nn.parallel.DistributedDataParallel(net, device_ids=[local] if cuda else None) if ddp else net
    )
    fwd = model
    if a.compile == "on" or (a.compile == "auto" and cuda):
        fwd = torch.compile(model, mode=a.compile_mode)
    log = open(os.path.join(a.run, "log.jsonl"), "a") if rank == 0 else None
    fpp = flops_per_point(net, cfg)
    per_rank = a.batch // world
    last_ck, t_log, pts_log, t_warm, step0 = time.time(), time.time(), 0, time.time(), step

    def save():
        if rank != 0:
            return
        tmp = ck + ".tmp"
        torch.save(
            dict(
                model=net.state_dict(),
                opt=opt.state_dict(),
                step=step,
                gen=gen.get_state(),
                cpu_rng=torch.get_rng_state(),
                y_std=train.y_std,
                config=cfg,
                elapsed=elapsed_prev + time.time() - t_start,
                args=vars(a),
                family=a.family,
            ),
            tmp,
        )
        os.replace(tmp, ck)

    while step < a.steps:
        # the same generator on every rank draws the global batch; each rank takes its share
        idx = torch.randint(0, train.S, (a.batch,), device=device, generator=gen)
        x, y, mask = train.batch(idx, a.points, gen)
        sl = slice(rank * per_rank, (rank + 1) * per_rank)
        x, y, mask = x[sl], y[sl], mask[sl]
        for g in opt.param_groups:
            g["lr"] = lr_at(step, a)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=cuda):
            try:
                p = fwd(x, mask)
            except Exception as e:  # a compiler failure costs speed, not the run
                if fwd is model:
                    raise
                print("torch.compile failed, running eager:", repr(e)[:400], flush=True)
                fwd = model
                p = fwd(x, mask)
        pu = p.reshape(*p.shape[:2], K, du + ds)
        yu = y.reshape(*y.shape[:2], K, du + ds)
        lu = rel_l2(pu[..., :du].flatten(2), yu[..., :du].flatten(2), mask)
        ls = rel_l2(pu[..., du:].flatten(2), yu[..., du:].flatten(2), mask)
        loss = (lu + ls).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        step += 1
        pts_log = pts_log + mask.sum() * world  # a tensor: no wait on the GPU every step
        # the rate is measured from step 50 on, after compilation and warm-up
        if a.budget and step - step0 in (50, 300) and cuda:
            torch.cuda.synchronize()
        if a.budget and step - step0 == 50:
            t_warm = time.time()
        if a.budget and step - step0 == 300:
            rate = 250 / (time.time() - t_warm)
            left = a.budget - elapsed_prev - (time.time() - t_start)
            a.steps = max(step + 1, step + int(rate * left))
            a.budget = 0
            if rank == 0:
                print("planned steps", a.steps, "at %.1f steps/s" % rate, flush=True)
        if rank == 0 and (step % a.log_every == 0 or step == a.steps):
            if cuda:
                torch.cuda.synchronize()
            dt = time.time() - t_log
            rec = dict(
                step=step,
                loss=float(loss),
                rel_u=float(lu.mean()),
                rel_s=float(ls.mean()),
                lr=lr_at(step, a),
                samples_s=a.log_every * a.batch / dt,
                points_s=float(pts_log) / dt,
                tflops=3 * fpp * float(pts_log) / dt / 1e12,
                elapsed=time.time() - t_start,
            )
            print(json.dumps(rec), flush=True)
            log.write(json.dumps(rec) + "\n")
            log.flush()
            t_log, pts_log = time.time(), 0
        if time.time() - last_ck > a.ckpt_every:
            save()
            last_ck = time.time()
        if time.time() - t_start > a.time_limit:
            break
    save()
    if rank == 0 and a.test and step >= a.steps:
        test = Pack(a.test, device, y_std=train.y_std)
        m = evaluate(net, test, dim, a.eval_max)
        m.update(step=step, config=cfg)
        json.dump(m, open(os.path.join(a.run, "test_metrics.json"), "w"), indent=1)
        print(json.dumps(dict(test=m["summary"], n=m["n_samples"])), flush=True)
    if ddp:
        # every rank must hold the same weights (DDP averages gradients): check, don't assume
        flat = torch.cat([p.detach().reshape(-1) for p in net.parameters()])
        ref = flat.clone()
        dist.broadcast(ref, 0)
        diff = (flat - ref).abs().max()
        dist.all_reduce(diff, op=dist.ReduceOp.MAX)
        if rank == 0:
            print(json.dumps(dict(ddp_world=world, param_max_diff_across_ranks=float(diff))), flush=True)
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
