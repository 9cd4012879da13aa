"""Input features and output scaling of the FLARE elasticity surrogates (v2), from a deck.

Everything here is computable from the deck alone and is re-implemented in TypeScript
(extension/core/model/features.ts), checked against models/golden/*.  numpy + scipy only.

Deck quantities (models/fem/ccx.py:read_deck):
  xyz[n,3]    node coordinates (mm) in *NODE order (2D decks: z = 0)
  cells       element connectivity (0-based, CalculiX local order) and element type
  fixed[n]    node constrained by *BOUNDARY with prescribed value 0
  F[n,3]      nodal forces (N): *CLOAD (+ pressures converted to consistent nodal forces)
  E           *ELASTIC;  t = *SOLID SECTION thickness (plane elements; 1 if absent)

Normalization:
  lo, hi = min/max(xyz);  c = (lo + hi) / 2;  L = max(hi - lo)
  Ftot = sum_i F[i];  P = |Ftot|;  dir = Ftot / P (0 when P = 0)
  dim = 2 for plane elements (CPS*/CPE*), else 3
  sigma_ref = P / L**2 (3D)  or  P / (t L) (2D)   [MPa];   u_ref = sigma_ref * L / E   [mm]

Topology (per element type, TOPOLOGY below):
  boundary faces = faces (3D) or edges (2D) that belong to exactly one element
  loaded face    = a boundary face all of whose mid-side nodes (linear faces: all nodes) carry
                   a non-zero force; consistent loads put zero force on tri6 corners
  segments       = element edges, split at their mid-side node when there is one

Per-node features x[n, 10] (float32):
  0..2  (xyz - c) / L
  3     fixed flag
  4     loaded flag: non-zero force, or on a loaded face
  5     d_fix / L:   distance to the nearest fixed node (1 when there is none)
  6     d_load / L:  distance to the nearest loaded node (1 when there is none)
  7     free-surface flag: on a boundary face, neither fixed nor loaded
  8     d_free / L:  distance to the nearest free-surface node (1 when there is none)
  9     h / L:       mean length of the segments incident to the node (each element's
                     segments counted once per element)

The network predicts, per node and per unit load along axis k (x, y[, z]), the displacement
and stress for a total force of 1 N, dimensionless: u_hat = u * L * E (3D) or u * t * E (2D),
s_hat = s * L**2 (3D) or s * t * L (2D).  The exported graph combines them with dir and
scales by (sigma_ref, u_ref); von Mises comes from the combined tensor.  Linear elasticity
makes this exact in the load (any magnitude and direction of a uniform traction on the loaded
face) and in E; nu is not an input (trained at nu = 0.3).
"""
import numpy as np

N_FEATURES = 10
FEATURE_NAMES = [
    "x_n",
    "y_n",
    "z_n",
    "fixed",
    "loaded",
    "d_fix_n",
    "d_load_n",
    "free_surface",
    "d_free_n",
    "h_n",
]

# element type -> (faces, edges); faces as (corner nodes..., mid-side nodes...) in CalculiX
# local numbering, 3D elements only; edges as (a, b) or (a, b, mid).
_TET4_FACES = [(0, 1, 2), (0, 3, 1), (1, 3, 2), (2, 3, 0)]
_TET10_FACES = [(0, 1, 2, 4, 5, 6), (0, 3, 1, 7, 8, 4), (1, 3, 2, 8, 9, 5), (2, 3, 0, 9, 7, 6)]
_TET_EDGES = [(0, 1, 4), (1, 2, 5), (2, 0, 6), (0, 3, 7), (1, 3, 8), (2, 3, 9)]
_HEX8_FACES = [(0, 1, 2, 3), (4, 7, 6, 5), (0, 4, 5, 1), (1, 5, 6, 2), (2, 6, 7, 3), (3, 7, 4, 0)]
_HEX20_FACES = [
    (0, 1, 2, 3, 8, 9, 10, 11),
    (4, 7, 6, 5, 15, 14, 13, 12),
    (0, 4, 5, 1, 16, 12, 17, 8),
    (1, 5, 6, 2, 17, 13, 18, 9),
    (2, 6, 7, 3, 18, 14, 19, 10),
    (3, 7, 4, 0, 19, 15, 16, 11),
]
_HEX_EDGES = [
    (0, 1, 8),
    (1, 2, 9),
    (2, 3, 10),
    (3, 0, 11),
    (4, 5, 12),
    (5, 6, 13),
    (6, 7, 14),
    (7, 4, 15),
    (0, 4, 16),
    (1, 5, 17),
    (2, 6, 18),
    (3, 7, 19),
]
_TRI_EDGES = [(0, 1, 3), (1, 2, 4), (2, 0, 5)]
_QUAD_EDGES = [(0, 1, 4), (1, 2, 5), (2, 3, 6), (3, 0, 7)]


def _lin(edges):
    return [e[:2] for e in edges]


def _2d(edges):
    # in 2D the boundary "faces" are the element edges: (a, b[, mid]) -> corners then mid
    return edges, edges


TOPOLOGY = {
    "C3D4": (_TET4_FACES, _lin(_TET_EDGES)),
    "C3D10": (_TET10_FACES, _TET_EDGES),
    "C3D8": (_HEX8_FACES, _lin(_HEX_EDGES)),
    "C3D8R": (_HEX8_FACES, _lin(_HEX_EDGES)),
    "C3D20": (_HEX20_FACES, _HEX_EDGES),
    "C3D20R": (_HEX20_FACES, _HEX_EDGES),
}
for _p in ("CPS", "CPE", "CAX"):
    TOPOLOGY[_p + "3"] = _2d(_lin(_TRI_EDGES))
    TOPOLOGY[_p + "6"] = _2d(_TRI_EDGES)
    TOPOLOGY[_p + "4"] = _2d(_lin(_QUAD_EDGES))
    TOPOLOGY[_p + "4R"] = _2d(_lin(_QUAD_EDGES))
    TOPOLOGY[_p + "8"] = _2d(_QUAD_EDGES)
    TOPOLOGY[_p + "8R"] = _2d(_QUAD_EDGES)


def deck_dim(etype):
    return 2 if etype and etype.upper().startswith(("CPS", "CPE")) else 3


def boundary_faces(cells, etype):
    """(corners [m, nc], mids [m, nm]) of the faces (3D) / edges (2D) that belong to exactly
    one element (matched by their sorted corner nodes)."""
    faces, _ = TOPOLOGY[etype.upper()]
    nc = 2 if deck_dim(etype) == 2 else (len(faces[0]) if len(faces[0]) in (3, 4) else len(faces[0]) // 2)
    corner = np.concatenate([cells[:, f[:nc]] for f in faces])
    mids = np.concatenate([cells[:, f[nc:]] for f in faces])
    _, inv, cnt = np.unique(np.sort(corner, axis=1), axis=0, return_inverse=True, return_counts=True)
    once = cnt[inv.reshape(-1)] == 1
    return corner[once], mids[once]


def nearest_distance(points, targets):
    """Euclidean distance from each point to the nearest of `targets` (float64); 1 if none
    (in units of the caller's normalization, so callers divide only real distances)."""
    if len(targets) == 0:
        return None
    from scipy.spatial import cKDTree

    d, _ = cKDTree(targets).query(points, k=1)
    return d


def scales(xyz, force, E, thickness=None, dim=3):
    xyz = np.asarray(xyz, np.float64)
    lo, hi = xyz.min(0), xyz.max(0)
    c = (lo + hi) / 2
    L = float((hi - lo).max())
    Ftot = np.asarray(force, np.float64).sum(0)
    P = float(np.linalg.norm(Ftot))
    t = thickness if thickness else 1.0
    sigma_ref = P / (t * L) if dim == 2 else P / L**2
    return dict(
        center=c,
        L=L,
        Ftot=Ftot,
        P=P,
        dir=Ftot / P if P > 0 else np.zeros(3),
        sigma_ref=sigma_ref,
        u_ref=sigma_ref * L / E,
        thickness=t,
        dim=dim,
    )


def node_flags(n, cells, etype, fixed, force_nonzero):
    """(loaded, free) flags from the boundary faces."""
    loaded = np.array(force_nonzero, bool)
    on_boundary = np.zeros(n, bool)
    corner, mids = boundary_faces(cells, etype)
    on_boundary[corner] = True
    on_boundary[mids] = True
    carriers = mids if mids.shape[1] else corner
    hit = np.asarray(force_nonzero, bool)[carriers].all(axis=1)
    loaded[corner[hit]] = True
    loaded[mids[hit]] = True
    free = on_boundary & ~loaded & ~np.asarray(fixed, bool)
    return loaded, free


def segment_size(xyz, cells, etype):
    """Mean incident segment length per node (0 for nodes outside every element)."""
    _, edges = TOPOLOGY[etype.upper()]
    segs = []
    for e in edges:
        if len(e) == 3:
            segs += [(e[0], e[2]), (e[2], e[1])]
        else:
            segs.append(e)
    n = len(xyz)
    total = np.zeros(n)
    count = np.zeros(n)
    for a, b in segs:
        ia, ib = cells[:, a], cells[:, b]
        ln = np.linalg.norm(xyz[ia] - xyz[ib], axis=1)
        np.add.at(total, ia, ln)
        np.add.at(count, ia, 1)
        np.add.at(total, ib, ln)
        np.add.at(count, ib, 1)
    return np.where(count > 0, total / np.maximum(count, 1), 0.0)


def build_features(xyz, cells, etype, fixed, force, E, thickness=None):
    """Returns (x[n,10] float32, scales dict)."""
    xyz = np.asarray(xyz, np.float64)
    dim = deck_dim(etype)
    sc = scales(xyz, force, E, thickness, dim)
    L = sc["L"]
    fixed = np.asarray(fixed, bool)
    nz = np.linalg.norm(np.asarray(force, np.float64), axis=1) > 0
    loaded, free = node_flags(len(xyz), cells, etype, fixed, nz)

    def dist(mask):
        d = nearest_distance(xyz, xyz[mask])
        return np.ones(len(xyz)) if d is None else d / L

    x = np.zeros((len(xyz), N_FEATURES), np.float64)
    x[:, 0:3] = (xyz - sc["center"]) / L
    x[:, 3] = fixed
    x[:, 4] = loaded
    x[:, 5] = dist(fixed)
    x[:, 6] = dist(loaded)
    x[:, 7] = free
    x[:, 8] = dist(free)
    x[:, 9] = segment_size(xyz, cells, etype) / L
    return x.astype(np.float32), sc


def features_from_deck(deck):
    """deck: dict from models/fem/ccx.py:read_deck."""
    return build_features(
        deck["xyz"], deck["cells"], deck["etype"], deck["fixed"], deck["cload"], deck["E"], deck["thickness"]
    )


# ---- targets of the superposition head ------------------------------------------------------
# 3D: per load axis k (3): u (3) + s (6, ccx order SXX SYY SZZ SXY SYZ SZX)  -> 27 channels
# 2D: per load axis k (2): u (ux, uy) + s (SXX, SYY, SXY)                     -> 10 channels
STRESS_2D = [0, 1, 3]


def head_layout(dim):
    """(load axes K, displacement comps, stress comps) of the network output."""
    return (2, 2, 3) if dim == 2 else (3, 3, 6)


def unit_targets(u_unit, s_unit, L, E, thickness, dim):
    """Dimensionless unit-load targets y[n, K*(du+ds)] from ccx fields of 1 N total loads."""
    K, du, ds = head_layout(dim)
    if dim == 2:
        su, ss = thickness * E, thickness * L
        s_unit = s_unit[:, :, STRESS_2D]
    else:
        su, ss = L * E, L * L
    y = np.concatenate([u_unit[:K, :, :du] * su, s_unit[:K] * ss], axis=2)  # [K, n, du+ds]
    return np.transpose(y, (1, 0, 2)).reshape(y.shape[1], -1).astype(np.float32)


def von_mises6(s):
    """s (..., 6) in ccx order; plane stress is s with SZZ = SYZ = SZX = 0."""
    sxx, syy, szz, sxy, syz, szx = np.moveaxis(np.asarray(s, np.float64), -1, 0)
    return np.sqrt(
        np.maximum(
            0.0,
            0.5 * ((sxx - syy) ** 2 + (syy - szz) ** 2 + (szz - sxx) ** 2)
            + 3.0 * (sxy**2 + syz**2 + szx**2),
        )
    )
