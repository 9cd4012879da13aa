// models/flare/train.py --new-cycle: a run that finished before --steps continues with a new
// warm-up/decay cycle (its decay left the learning rate at 0), a cycle cut by --time-limit resumes
// exactly, a cycle sized by --budget is planned from the measured rate, and rerunning the
// command of a finished cycle starts no other.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const py = '/usr/bin/python3';
const root = path.resolve(import.meta.dirname, '..', '..', '..');
const hasTorch = (() => { try { execFileSync(py, ['-c', 'import torch, scipy, gmsh'], { stdio: 'ignore' }); return true; } catch { return false; } })();
const skip = !hasTorch || !fs.existsSync('/usr/bin/ccx') ? 'needs python3-torch, scipy, gmsh and ccx' : false;

function train(pack: string, run: string, extra: string[]): string {
  return execFileSync(py, ['-m', 'models.flare.train', '--family', 'plate2d', '--train', pack, '--run', run,
    '--batch', '2', '--points', '128', '--C', '16', '--blocks', '1', '--heads', '2', '--latents', '4', '--warmup', '2', '--decay', '0.5',
    '--lr', '1e-3', '--log-every', '1', ...extra], { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, OMP_NUM_THREADS: '1' } });
}

const logged = (out: string): { step: number; lr: number }[] => out.split('\n').filter((l) => l.startsWith('{"step"')).map((l) => JSON.parse(l) as { step: number; lr: number });

function maxWeightDiff(a: string, b: string): number {
  return Number(execFileSync(py, ['-c', `
import torch
a = torch.load("${a}", weights_only=False)
b = torch.load("${b}", weights_only=False)
assert a["step"] == b["step"], (a["step"], b["step"])
print(max(float((a["model"][k] - b["model"][k]).abs().max()) for k in a["model"]))
`], { cwd: root, encoding: 'utf8' }).trim());
}

test('train.py --new-cycle: a new cycle after a finished run, resumed exactly when cut, not started twice', { skip, timeout: 300_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-cycle-'));
  try {
    execFileSync(py, ['-c', `
from models.fem import gen_plate2d
for s in (21, 22):
    gen_plate2d.make_sample(s, "${dir}/data")
`], { cwd: root, timeout: 120_000 });
    const pack = `${dir}/pack.npz`;
    execFileSync(py, ['-m', 'models.flare.data', '--src', `${dir}/data`, '--out', pack, '--workers', '1'], { cwd: root, timeout: 120_000 });
    const first = logged(train(pack, `${dir}/a`, ['--steps', '4']));
    assert.deepEqual(first.map((r) => r.step), [1, 2, 3, 4]);
    assert.equal(first[3].lr, 0, 'the first cycle decays to 0');
    fs.cpSync(`${dir}/a`, `${dir}/b`, { recursive: true });

    // a: the new cycle in one go; b: the same cycle cut after its first step, then resumed.
    const whole = logged(train(pack, `${dir}/a`, ['--steps', '8', '--new-cycle']));
    assert.deepEqual(whole.map((r) => r.step), [5, 6, 7, 8]);
    assert.ok(Math.abs(whole[0].lr - 1e-3) < 1e-12, `step 5 is the second warm-up step of the new cycle (lr ${whole[0].lr})`);
    assert.equal(whole[3].lr, 0);
    const cut = logged(train(pack, `${dir}/b`, ['--steps', '8', '--new-cycle', '--time-limit', '0']));
    assert.deepEqual(cut.map((r) => r.step), [5]);
    const rest = logged(train(pack, `${dir}/b`, ['--steps', '8', '--new-cycle']));
    assert.deepEqual(rest.map((r) => r.step), [6, 7, 8], 'resumed inside the cycle, no new one');
    assert.equal(maxWeightDiff(`${dir}/a/ckpt.pt`, `${dir}/b/ckpt.pt`), 0, 'cut and resumed = uninterrupted');

    // The finished cycle's command, run again, starts no third cycle.
    const again = train(pack, `${dir}/a`, ['--steps', '8', '--new-cycle']);
    assert.deepEqual(logged(again), []);

    // A cycle sized by --budget (a GPU session's): its length is planned from the rate after
    // warm-up, it decays to 0 at the planned step, and its command run again starts nothing.
    const budgeted = train(pack, `${dir}/a`, ['--steps', '1000000', '--new-cycle', '--budget', '6', '--log-every', '50']);
    const planned = Number(/planned steps (\d+)/.exec(budgeted)?.[1]);
    assert.ok(planned > 8 + 300 && planned < 1000000, `planned ${planned}`);
    const last = logged(budgeted).at(-1);
    assert.deepEqual([last?.step, last?.lr], [planned, 0]);
    assert.deepEqual(logged(train(pack, `${dir}/a`, ['--steps', '1000000', '--new-cycle', '--budget', '6'])), []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
