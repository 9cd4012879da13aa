"""Shared gmsh -> deck -> ccx -> arrays path for both families (run with /usr/bin/python3)."""
import json
import os
import shutil
import tempfile
import time

import numpy as np

import ccx

TET10_GMSH_TO_CCX = [0, 1, 2, 3, 4, 5, 6, 7, 9, 8]   # gmsh edge nodes 8=(2,3), 9=(1,3)


def collect_mesh(gmsh, dim, etype_gmsh):
    """All solid elements of `dim` (one gmsh type) -> (tags_used, xyz, cells 0-based)."""
    ntag, ncoord, _ = gmsh.model.mesh.getNodes()
    ncoord = np.asarray(ncoord).reshape(-1, 3)
    pos_of = {int(t): i for i, t in enumerate(ntag)}
    conn = []
    for et, _, en in zip(*gmsh.model.mesh.getElements(dim)):
        if et != etype_gmsh:
            raise RuntimeError("unexpected element type %d" % et)
        k = gmsh.model.mesh.getElementProperties(et)[3]
        conn.append(np.asarray(en, dtype=np.int64).reshape(-1, k))
    conn = np.concatenate(conn)
    used = np.unique(conn)
    tags = used                                   # keep gmsh's order (sorted tags)
    new = {int(t): i for i, t in enumerate(tags)}
    cells = np.vectorize(new.__getitem__)(conn)
    xyz = ncoord[[pos_of[int(t)] for t in tags]]
    return tags, xyz, cells, new


def solve_and_pack(deck_path, jobdir, job, plane_stress):
    """Run ccx on the deck, read the deck back with the same reader the features use, and
    return the per-node arrays in deck node order."""
    t_ccx, log = ccx.run_ccx(jobdir, job)
    d = ccx.read_deck(deck_path)
    u, vm = ccx.frd_fields(os.path.join(jobdir, job + ".frd"), d["node_ids"], plane_stress)
    return d, u, vm, t_ccx


def finish(outdir, name, d, u, vm, meta, keep_deck, deck_path, jobdir, frd_dir=None):
    os.makedirs(outdir, exist_ok=True)
    if np.isnan(u).any() or np.isnan(vm).any():
        raise RuntimeError("NaN in results")
    final = os.path.join(outdir, name + ".npz")
    fh = open(final + ".part", "wb")
    np.savez_compressed(
        fh,
        xyz=d["xyz"].astype(np.float32), fixed=d["fixed"], cload=d["cload"].astype(np.float32),
        u=u.astype(np.float32), vm=vm.astype(np.float32),
        E=np.float32(d["E"]), nu=np.float32(d["nu"]),
        thickness=np.float32(d["thickness"] if d["thickness"] is not None else 0.0),
        meta=np.array(json.dumps(meta)))
    fh.close()
    os.replace(final + ".part", final)
    if keep_deck:
        shutil.copy(deck_path, os.path.join(outdir, name + ".inp"))
        if frd_dir:
            os.makedirs(frd_dir, exist_ok=True)
            shutil.copy(os.path.join(jobdir, name + ".frd"), os.path.join(frd_dir, name + ".frd"))


def tmpdir(job):
    base = os.path.join(tempfile.gettempdir(), "flarefem")
    os.makedirs(base, exist_ok=True)
    return tempfile.mkdtemp(prefix=job + "_", dir=base)
