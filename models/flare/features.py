"""Input features and output scaling of the FLARE elasticity surrogates, from a CalculiX deck.

Everything here is computable from the deck alone and is re-implemented in TypeScript by the
extension (extension/mesh/..., checked against models/golden/*).  numpy only (no torch).

Deck quantities (see models/fem/ccx.py:read_deck):
  xyz[n,3]   node coordinates (mm) in *NODE order (2D decks: z = 0)
  fixed[n]   node appears in *BOUNDARY (directly or through an *NSET) with prescribed value 0
  F[n,3]     nodal forces (N) summed from *CLOAD (DOF 1..3)
  E, nu      *ELASTIC;  t = *SOLID SECTION thickness (2D only; 1 if absent)

Geometry normalization:
  lo = min(xyz, axis=0), hi = max(xyz, axis=0), c = (lo + hi) / 2
  L  = max(hi - lo)                     (largest bounding-box edge, mm)
Load normalization:
  Ftot = sum_i F[i]  (vector, N);  P = |Ftot|;  dir = Ftot / P
  dim = 2 if the element type is a plane element (CPS*/CPE*), else 3
  sigma_ref = P / L**2          (dim 3, MPa)
  sigma_ref = P / (t * L)       (dim 2, MPa)
  u_ref     = sigma_ref * L / E (mm)

Per-node features x[n, 10] (float32):
  0..2  (xyz - c) / L
  3     fixed flag (0/1)
  4     loaded flag (0/1): |F[i]| > 0
  5     d_fix  / L : Euclidean distance to the nearest fixed node (0 on fixed nodes)
  6     d_load / L : Euclidean distance to the nearest loaded node
  7..9  dir (same for all nodes)

Outputs of the network (dimensionless), and the exact physical rescaling:
  von_mises[MPa]   = max(0, y0) * sigma_ref
  displacement[mm] = y[1:4] * u_ref
Linear elasticity: fields are linear in the load and u ~ 1/E, so the rescaling is exact for
any load magnitude and E; the geometry is scale-free through L.  nu is not an input (the
models are trained at nu = 0.3).
"""
import numpy as np

N_FEATURES = 10
FEATURE_NAMES = ["x_n", "y_n", "z_n", "fixed", "loaded", "d_fix_n", "d_load_n",
                 "load_dir_x", "load_dir_y", "load_dir_z"]


def nearest_distance(points, targets):
    """Euclidean distance from each point to the nearest of `targets` (float64)."""
    if len(targets) == 0:
        return np.ones(len(points))
    from scipy.spatial import cKDTree
    d, _ = cKDTree(targets).query(points, k=1)
    return d


def scales(xyz, cload, E, thickness=None, dim=3):
    xyz = np.asarray(xyz, np.float64)
    lo, hi = xyz.min(0), xyz.max(0)
    c = (lo + hi) / 2
    L = float((hi - lo).max())
    Ftot = np.asarray(cload, np.float64).sum(0)
    P = float(np.linalg.norm(Ftot))
    t = thickness if thickness else 1.0
    sigma_ref = P / (t * L) if dim == 2 else P / L ** 2
    return dict(center=c, L=L, Ftot=Ftot, P=P, dir=Ftot / P, sigma_ref=sigma_ref,
                u_ref=sigma_ref * L / E, thickness=t, dim=dim)


def build_features(xyz, fixed, cload, E, thickness=None, dim=3):
    """Returns (x[n,10] float32, scales dict)."""
    xyz = np.asarray(xyz, np.float64)
    sc = scales(xyz, cload, E, thickness, dim)
    loaded = np.linalg.norm(np.asarray(cload, np.float64), axis=1) > 0
    fixed = np.asarray(fixed, bool)
    x = np.zeros((len(xyz), N_FEATURES), np.float64)
    x[:, 0:3] = (xyz - sc["center"]) / sc["L"]
    x[:, 3] = fixed
    x[:, 4] = loaded
    x[:, 5] = nearest_distance(xyz, xyz[fixed]) / sc["L"]
    x[:, 6] = nearest_distance(xyz, xyz[loaded]) / sc["L"]
    x[:, 7:10] = sc["dir"]
    return x.astype(np.float32), sc


def deck_dim(etype):
    return 2 if etype and etype.upper().startswith(("CPS", "CPE")) else 3


def features_from_deck(deck):
    """deck: dict from models/fem/ccx.py:read_deck."""
    dim = deck_dim(deck["etype"])
    return build_features(deck["xyz"], deck["fixed"], deck["cload"], deck["E"],
                          deck["thickness"], dim)


def targets(u, vm, sc):
    """Normalized targets y[n,4] = (vm / sigma_ref, u / u_ref)."""
    y = np.zeros((len(vm), 4), np.float64)
    y[:, 0] = vm / sc["sigma_ref"]
    y[:, 1:4] = u / sc["u_ref"]
    return y.astype(np.float32)
