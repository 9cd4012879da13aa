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

    def forward(self, x):
        B, N, C = x.shape
        H, M, D = self.H, self.M, self.D
        q = self.q.reshape(H, M, D)                                   # [H, M, D]
        k = self.k(x).reshape(B, N, H, D).transpose(1, 2)             # [B, H, N, D]
        v = self.v(x).reshape(B, N, H, D).transpose(1, 2)             # [B, H, N, D]
        s = torch.matmul(q.unsqueeze(0), k.transpose(2, 3))           # [B, H, M, N]
        z = torch.matmul(torch.softmax(s, dim=-1), v)                 # encode: [B, H, M, D]
        y = torch.matmul(torch.softmax(s.transpose(2, 3), dim=-1), z) # decode: [B, H, N, D]
        return self.o(y.transpose(1, 2).reshape(B, N, C))


class Block(nn.Module):
    def __init__(self, C, H, M):
        super().__init__()
        self.ln1 = nn.LayerNorm(C)
        self.mix = FlareMixer(C, H, M)
        self.ln2 = nn.LayerNorm(C)
        self.mlp = ResidualMLP(C, C, C, 3)

    def forward(self, x):
        x = x + self.mix(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class FLARE(nn.Module):
    def __init__(self, cin=10, cout=4, C=64, blocks=6, heads=8, latents=64):
        super().__init__()
        self.config = dict(arch="flare", cin=cin, cout=cout, C=C, blocks=blocks, heads=heads,
                           latents=latents)
        self.inp = ResidualMLP(cin, C, C, 2, in_residual=False, out_residual=True)
        self.blocks = nn.ModuleList([Block(C, heads, latents) for _ in range(blocks)])
        self.ln = nn.LayerNorm(C)
        self.out = ResidualMLP(C, C, cout, 2, in_residual=True, out_residual=False)

    def forward(self, x):
        x = self.inp(x)
        for b in self.blocks:
            x = b(x)
        return self.out(self.ln(x))


class PointMLP(nn.Module):
    """Baseline: the same features, one ResidualMLP applied to every point independently."""

    def __init__(self, cin=10, cout=4, C=128, layers=6):
        super().__init__()
        self.config = dict(arch="mlp", cin=cin, cout=cout, C=C, layers=layers)
        self.net = ResidualMLP(cin, C, cout, layers, in_residual=False, out_residual=False)

    def forward(self, x):
        return self.net(x)


def build(config):
    cfg = dict(config)
    arch = cfg.pop("arch")
    return FLARE(**cfg) if arch == "flare" else PointMLP(**cfg)


class Exported(nn.Module):
    """What goes into the .onnx: normalized features -> physical fields.

    inputs : x [B, N, 10] (features.py), scale [B, 2] = (sigma_ref MPa, u_ref mm)
    outputs: von_mises [B, N] (MPa, >= 0), displacement [B, N, 3] (mm)
    The per-channel output standardization of training (y_mean, y_std) is folded in here."""

    def __init__(self, net, y_std):
        super().__init__()
        self.net = net
        self.register_buffer("y_std", torch.as_tensor(y_std, dtype=torch.float32).reshape(1, 1, -1))

    def forward(self, x, scale):
        y = self.net(x) * self.y_std
        vm = torch.relu(y[:, :, 0]) * scale[:, 0:1]
        u = y[:, :, 1:4] * scale[:, 1:2].unsqueeze(-1)
        return vm, u
