"""FLARE (Fast Low-rank Attention Routing Engine) surrogate, PyTorch.

Architecture as in the FLARE paper (see ../shared/reference/README.md):
  in-projection ResidualMLP -> B blocks [LN -> FLARE mixer -> residual -> LN -> ResidualMLP
  -> residual] -> LN -> out-projection ResidualMLP.  tanh-GELU everywhere.
FLARE mixer: k, v = ResidualMLP(x) (3 hidden layers); per-head learnable latent queries
q[C, M] viewed as [H, M, D];
  encode  z = softmax_N(q k^T) v        (M latents per head, softmax over the N points)
  decode  y = softmax_M(k q^T) z        (softmax over the M latents), scale 1.0
  out = Linear(concat heads).
Attention is written as plain MatMul + Softmax (no SDPA) so the ONNX graph has only
MatMul/Softmax/Add/Mul/Tanh/Pow/LayerNormalization/Reshape/Transpose: ops that
onnxruntime-web runs on both wasm and WebGPU.  Cost is linear in N.
Exported: the superposition output head (unit-load fields -> combined fields -> von Mises).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def gelu(x):
    return F.gelu(x, approximate="tanh")


class ResidualMLP(nn.Module):
    def __init__(self, cin, hidden, cout, n_hidden=2, in_residual=True, out_residual=True):
        super().__init__()
        self.fc_in = nn.Linear(cin, hidden)
        self.fcs = nn.ModuleList([nn.Linear(hidden, hidden) for _ in range(n_hidden)])
        self.fc_out = nn.Linear(hidden, cout)
        self.in_res = in_residual and cin == hidden
        self.out_res = out_residual and hidden == cout

    def forward(self, x):
        h = gelu(self.fc_in(x))
        x = x + h if self.in_res else h
        for f in self.fcs:
            x = x + gelu(f(x))
        return x + self.fc_out(x) if self.out_res else self.fc_out(x)


class FlareMixer(nn.Module):
    def __init__(self, C, H, M):
        super().__init__()
        assert C % H == 0
        self.C, self.H, self.M, self.D = C, H, M, C // H
        self.q = nn.Parameter(torch.randn(C, M) * 0.1)
        self.k = ResidualMLP(C, C, C, 3)
        self.v = ResidualMLP(C, C, C, 3)
        self.o = nn.Linear(C, C)

    def forward(self, x, mask=None):
        B, N, C = x.shape
        H, M, D = self.H, self.M, self.D
        q = self.q.reshape(H, M, D)  # [H, M, D]
        k = self.k(x).reshape(B, N, H, D).transpose(1, 2)  # [B, H, N, D]
        v = self.v(x).reshape(B, N, H, D).transpose(1, 2)  # [B, H, N, D]
        s = torch.matmul(q.unsqueeze(0), k.transpose(2, 3))  # [B, H, M, N]
        # training pads samples with fewer points than the batch: they must not be encoded
        se = s if mask is None else s.masked_fill(~mask[:, None, None, :], float("-inf"))
        z = torch.matmul(torch.softmax(se, dim=-1), v)  # encode: [B, H, M, D]
        y = torch.matmul(torch.softmax(s.transpose(2, 3), dim=-1), z)  # decode: [B, H, N, D]
        return self.o(y.transpose(1, 2).reshape(B, N, C))


class Block(nn.Module):
    def __init__(self, C, H, M):
        super().__init__()
        self.ln1 = nn.LayerNorm(C)
        self.mix = FlareMixer(C, H, M)
        self.ln2 = nn.LayerNorm(C)
        self.mlp = ResidualMLP(C, C, C, 3)

    def forward(self, x, mask=None):
        x = x + self.mix(self.ln1(x), mask)
        return x + self.mlp(self.ln2(x))


class FLARE(nn.Module):
    def __init__(self, cin=10, cout=4, C=64, blocks=6, heads=8, latents=64):
        super().__init__()
        self.config = dict(arch="flare", cin=cin, cout=cout, C=C, blocks=blocks, heads=heads, latents=latents)
        self.inp = ResidualMLP(cin, C, C, 2, in_residual=False, out_residual=True)
        self.blocks = nn.ModuleList([Block(C, heads, latents) for _ in range(blocks)])
        self.ln = nn.LayerNorm(C)
        self.out = ResidualMLP(C, C, cout, 2, in_residual=True, out_residual=False)

    def forward(self, x, mask=None):
        x = self.inp(x)
        for b in self.blocks:
            x = b(x, mask)
        # the output head runs in fp32 under a bf16 autocast (training)
        with torch.autocast(x.device.type, enabled=False):
            return self.out(self.ln(x.float()))


class PointMLP(nn.Module):
    """Baseline: the same features, one ResidualMLP applied to every point independently."""

    def __init__(self, cin=10, cout=4, C=128, layers=6):
        super().__init__()
        self.config = dict(arch="mlp", cin=cin, cout=cout, C=C, layers=layers)
        self.net = ResidualMLP(cin, C, cout, layers, in_residual=False, out_residual=False)

    def forward(self, x, mask=None):
        with torch.autocast(x.device.type, enabled=False):
            return self.net(x.float())


def build(config):
    cfg = dict(config)
    arch = cfg.pop("arch")
    return FLARE(**cfg) if arch == "flare" else PointMLP(**cfg)


def head_layout(dim):
    """(load axes K, displacement components, stress components) of the network output."""
    return (2, 2, 3) if dim == 2 else (3, 3, 6)


def _pad(rows, cols):
    m = torch.zeros(len(rows), 6 if cols == 6 else 3)
    for i, c in enumerate(rows):
        m[i, c] = 1.0
    return m


# von Mises squared as a quadratic form of (SXX, SYY, SZZ, SXY, SYZ, SZX)
VM_Q = torch.tensor(
    [
        [1.0, -0.5, -0.5, 0, 0, 0],
        [-0.5, 1.0, -0.5, 0, 0, 0],
        [-0.5, -0.5, 1.0, 0, 0, 0],
        [0, 0, 0, 3.0, 0, 0],
        [0, 0, 0, 0, 3.0, 0],
        [0, 0, 0, 0, 0, 3.0],
    ]
)


class Exported(nn.Module):
    """What goes into the .onnx: features -> physical fields, by superposition.

    inputs : x [B, N, 10] (features.py), load_dir [B, 3] (unit vector of the total load),
             scale [B, 2] = (sigma_ref MPa, u_ref mm)
    outputs: von_mises [B, N] (MPa), displacement [B, N, 3] (mm), stress [B, N, 6] (MPa, ccx
             order SXX SYY SZZ SXY SYZ SZX; plane stress: SZZ = SYZ = SZX = 0)
    The network predicts the fields of a unit load along each axis; they are combined with
    load_dir (exact for linear elasticity), scaled, and von Mises comes from the combined
    tensor.  Displacement is multiplied by (1 - fixed), so fixed nodes do not move.  Only
    MatMul/Mul/Sub/Relu/Sqrt/Reshape/Slice beyond the trunk: ops that onnxruntime-web (wasm,
    WebGPU) and the WGSL engine run."""

    def __init__(self, net, y_std, dim):
        super().__init__()
        self.net = net
        K, du, ds = head_layout(dim)
        self.K, self.du, self.ds = K, du, ds
        self.register_buffer("y_std", torch.as_tensor(y_std, dtype=torch.float32).reshape(1, 1, -1))
        self.register_buffer("u_pad", _pad([0, 1, 2][:du], 3))
        self.register_buffer("s_pad", _pad([0, 1, 3] if dim == 2 else [0, 1, 2, 3, 4, 5], 6))
        self.register_buffer("vm_q", VM_Q.clone())
        self.register_buffer("ones6", torch.ones(6, 1))

    def forward(self, x, load_dir, scale):
        B, N = x.shape[0], x.shape[1]
        K, C = self.K, self.du + self.ds
        y = (self.net(x) * self.y_std).reshape(B, N, K, C)
        d = load_dir[:, :K].reshape(B, 1, 1, K)
        comb = torch.matmul(d, y).reshape(B, N, C)  # sum_k dir_k * y_k
        free = 1.0 - x[:, :, 3:4]
        u = torch.matmul(comb[:, :, : self.du], self.u_pad) * scale[:, 1:2].reshape(B, 1, 1) * free
        s = torch.matmul(comb[:, :, self.du :], self.s_pad) * scale[:, 0:1].reshape(B, 1, 1)
        vm2 = torch.matmul(torch.matmul(s, self.vm_q) * s, self.ones6).reshape(B, N)
        return torch.sqrt(torch.relu(vm2)), u, s
