// Multi-GPU training path on CPU: two ranks (gloo) of models/flare/train.py under
// DistributedDataParallel end with identical weights on both ranks, equal to one process
// taking the same global batch (each rank's gradients reach the others: without the all-reduce the
// ranks would diverge and differ from the single process).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const py = '/usr/bin/python3';
const root = path.resolve(import.meta.dirname, '..', '..', '..');
const hasTorch = (() => { try { execFileSync(py, ['-c', 'import torch, scipy, gmsh'], { stdio: 'ignore' }); return true; } catch { return false; } })();
const skip = !hasTorch || !fs.existsSync('/usr/bin/ccx') ? 'needs python3-torch, scipy, gmsh and ccx' : false;

const trainArgs = (pack: string, run: string): string[] => ['-m', 'models.flare.train', '--family', 'plate2d', '--train', pack, '--run', run, '--steps', '3',
  '--batch', '4', '--points', '256', '--C', '16', '--blocks', '1', '--heads', '2', '--latents', '4', '--warmup', '1', '--log-every', '1'];

function runRank(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(py, args, { cwd: root, env: { ...process.env, OMP_NUM_THREADS: '1', ...env } });
    let out = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 120_000);
    p.on('exit', (code) => { clearTimeout(timer); if (code === 0) resolve(out); else reject(new Error(`rank exited ${code}:\n${out}`)); });
  });
}

test('DDP on 2 CPU ranks (gloo): identical weights on both ranks, equal to a single-process step on the same global batch', { skip, timeout: 240_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-ddp-'));
  execFileSync(py, ['-c', `
from models.fem import gen_plate2d
for s in (11, 12, 13):
    gen_plate2d.make_sample(s, "${dir}/data")
`], { cwd: root, timeout: 120_000 });
  execFileSync(py, ['-m', 'models.flare.data', '--src', `${dir}/data`, '--out', `${dir}/pack.npz`, '--workers', '1'], { cwd: root, timeout: 120_000 });
  await runRank(trainArgs(`${dir}/pack.npz`, `${dir}/one`), {});
  const port = String(29000 + Math.floor(Math.random() * 1000));
  const env = (r: number): Record<string, string> => ({ RANK: String(r), LOCAL_RANK: String(r), WORLD_SIZE: '2', MASTER_ADDR: '127.0.0.1', MASTER_PORT: port });
  const [out0] = await Promise.all([runRank(trainArgs(`${dir}/pack.npz`, `${dir}/two`), env(0)), runRank(trainArgs(`${dir}/pack.npz`, `${dir}/two`), env(1))]);
  const across = JSON.parse(out0.split('\n').find((l) => l.includes('param_max_diff_across_ranks')) ?? '{}') as { param_max_diff_across_ranks?: number };
  assert.equal(across.param_max_diff_across_ranks, 0, 'ranks diverged');
  const diff = Number(execFileSync(py, ['-c', `
import torch
a = torch.load("${dir}/one/ckpt.pt", weights_only=False)["model"]
b = torch.load("${dir}/two/ckpt.pt", weights_only=False)["model"]
print(max(float((a[k] - b[k]).abs().max()) for k in a))
`], { cwd: root, encoding: 'utf8' }).trim());
  assert.ok(diff < 1e-4, `2-rank weights differ from the single-process ones by ${diff}`);
  fs.rmSync(dir, { recursive: true, force: true });
});
