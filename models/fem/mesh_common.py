"""Shared gmsh -> deck -> ccx -> arrays path for both families (run with /usr/bin/python3).

Each sample is solved once per unit load case: load case k puts a total force of 1 N along
axis k on the loaded face/edge, spread as consistent nodal forces (weights w / sum w).  A deck
with any uniform traction T on that face has nodal forces w * T and, by linearity, the
solution sum_k F_k * (unit solution k) with F = T * sum(w): this is what the models learn.
"""
import json
import os
import shutil
import tempfile

import numpy as np

from models.fem import ccx

TET10_GMSH_TO_CCX = [0, 1, 2, 3, 4, 5, 6, 7, 9, 8]  # gmsh edge nodes 8=(2,3), 9=(1,3)


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
    tags = np.unique(conn)  # keep gmsh's order (sorted tags)
    new = {int(t): i for i, t in enumerate(tags)}
    cells = np.vectorize(new.__getitem__)(conn)
    xyz = ncoord[[pos_of[int(t)] for t in tags]]
    return tags, xyz, cells, new


def unit_loads(w, axes):
    """One (n,3) nodal force array per axis: total force 1 N along it, distributed as w."""
    out = []
    for k in range(axes):
        f = np.zeros((len(w), 3))
        f[:, k] = w / w.sum()
        out.append(f)
    return out


def solve_unit_loads(deck_path, jobdir, job, solve=True):
    """Run ccx on the unit-load deck; read the deck back with the reference reader.
    Returns (deck dict, u [K,n,3], s [K,n,6], ccx seconds); without `solve` (decks only, for
    the applicability measurements) u and s are None."""
    if not solve:
        return ccx.read_deck(deck_path), None, None, 0.0
    t_ccx, _ = ccx.run_ccx(jobdir, job)
    d = ccx.read_deck(deck_path)
    u, s = ccx.frd_steps(os.path.join(jobdir, job + ".frd"), d["node_ids"])
    return d, u, s, t_ccx


def superpose(u_unit, s_unit, force):
    """Fields of the load whose total force is `force` (N), from the unit load cases."""
    f = np.asarray(force, np.float64)[: len(u_unit)]
    return np.einsum("k,kni->ni", f, u_unit), np.einsum("k,kni->ni", f, s_unit)


def user_deck(
    path, d, cells, etype, fixed_idx, fix_dofs, w, traction, thickness, header, jobdir, verify, u_unit, s_unit
):
    """The single-step deck a user would write (uniform traction as nodal forces).  With
    `verify`, ccx solves it and its fields must match the superposition of the unit cases.
    Returns the max relative difference (or None)."""
    cload = w[:, None] * np.asarray(traction)[None, :]
    ccx.write_deck(
        path, d["xyz"], cells, etype, fixed_idx, fix_dofs, [cload], d["E"], d["nu"], thickness, header
    )
    if not verify:
        return None
    job = os.path.splitext(os.path.basename(path))[0]
    ccx.run_ccx(jobdir, job)
    u1, s1 = ccx.frd_steps(os.path.join(jobdir, job + ".frd"), d["node_ids"])
    u2, s2 = superpose(u_unit, s_unit, cload.sum(0))
    return float(
        max(np.abs(u1[0] - u2).max() / np.abs(u1[0]).max(), np.abs(s1[0] - s2).max() / np.abs(s1[0]).max())
    )


def finish(outdir, name, d, cells, u_unit, s_unit, w, meta, keep, user_deck_path, jobdir):
    """Write <outdir>/<name>.npz (atomically) and, with `keep`, the user deck (+ .frd if any).
    Unsolved samples (u_unit None) keep the user deck only."""
    os.makedirs(outdir, exist_ok=True)
    if u_unit is None:
        shutil.copy(user_deck_path, os.path.join(outdir, name + ".inp"))
        return
    if np.isnan(u_unit).any() or np.isnan(s_unit).any():
        raise RuntimeError("NaN in results")
    final = os.path.join(outdir, name + ".npz")
    with open(final + ".part", "wb") as fh:
        np.savez_compressed(
            fh,
            xyz=d["xyz"].astype(np.float64),
            cells=cells.astype(np.int32),
            etype=np.array(d["etype"]),
            fixed=d["fixed"],
            loadw=w.astype(np.float64),
            u_unit=u_unit.astype(np.float32),
            s_unit=s_unit.astype(np.float32),
            E=np.float64(d["E"]),
            nu=np.float64(d["nu"]),
            thickness=np.float64(d["thickness"] if d["thickness"] is not None else 0.0),
            meta=np.array(json.dumps(meta)),
        )
    os.replace(final + ".part", final)
    if keep:
        shutil.copy(user_deck_path, os.path.join(outdir, name + ".inp"))
        frd = os.path.splitext(user_deck_path)[0] + ".frd"
        if os.path.exists(frd):
            shutil.copy(frd, os.path.join(outdir, name + ".frd"))


def close_gmsh(gmsh):
    """Finalize gmsh after a failure, whether or not it was initialized (the gmsh 4.8 API of
    Debian has no isInitialized; a second finalize raises)."""
    try:
        gmsh.finalize()
    except Exception:
        pass


def retry_or_raise(gmsh, err, tmp, retry):
    """After a RuntimeError in a sample: finalize gmsh; a jacobian failure of the curved quadratic
    mesh is tried once more with `retry` (straight-sided elements; None when this was that try),
    anything else is raised again."""
    close_gmsh(gmsh)
    if retry is None or "jacobian" not in str(err):
        raise err
    shutil.rmtree(tmp, ignore_errors=True)
    return retry()


def tmpdir(job):
    base = os.path.join(tempfile.gettempdir(), "flarefem")
    os.makedirs(base, exist_ok=True)
    return tempfile.mkdtemp(prefix=job + "_", dir=base)
