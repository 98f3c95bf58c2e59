#!/usr/bin/python3
"""PyTorch side of test_torch_parity: computes outputs and gradients for the cases that the test
wrote to DIR, so the C++ reference kernels can be compared with torch.

DIR/cases.txt has one case a line: `name kind key=value ... @tensor=2x3x4 ...`. Each @tensor is
read from DIR/name.tensor.bin (raw little-endian float32); each result is written to
DIR/name.result.out.bin. Padding "same" is TensorFlow's (computed here independently).
"""
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float32)


def load(d, name, key, shape):
    a = np.fromfile(f"{d}/{name}.{key}.bin", dtype="<f4").reshape(shape)
    return torch.tensor(a, requires_grad=True)


def save(d, name, key, t):
    t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tofile(f"{d}/{name}.{key}.out.bin")


def pair(s):
    return [int(v) for v in s.split(",")]


def same_pads(size, k, s):
    """TF 'same': out = ceil(in/s), total = max((out-1)*s + k - in, 0), before = total // 2."""
    out = math.ceil(size / s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


def pad_for(x, k, s, padding):
    if padding == "valid":
        return (0, 0, 0, 0)
    top, bottom = same_pads(x.shape[2], k[0], s[0])
    left, right = same_pads(x.shape[3], k[1], s[1])
    return (left, right, top, bottom)  # F.pad order: last dim first


def backward(y, r, leaves):
    (y * r).sum().backward()
    return [leaf.grad for leaf in leaves]


def conv(d, n, a, t):
    x, w, r = t["x"], t["w"], t["r"]
    b = t.get("b")
    s = pair(a["stride"])
    xp = F.pad(x, pad_for(x, list(w.shape[2:]), s, a["padding"]))
    y = F.conv2d(xp, w, b, stride=s)
    leaves = [x, w] + ([b] if b is not None else [])
    grads = backward(y, r, leaves)
    save(d, n, "y", y)
    for key, g in zip(["dx", "dw", "db"], grads):
        save(d, n, key, g)


def conv1d(d, n, a, t):
    """x is [N, T, C] (time, then channels); torch's conv1d runs on [N, C, T], so the result is
    transposed back. Padding computed here: same (TF), causal (all before), valid."""
    x, w, r = t["x"], t["w"], t["r"]
    b = t.get("b")
    s, dil, k = int(a["stride"]), int(a["dilation"]), w.shape[2]
    extent = dil * (k - 1) + 1
    length = x.shape[1]
    if a["padding"] == "same":
        before, after = same_pads(length, extent, s)
    elif a["padding"] == "causal":
        before, after = extent - 1, 0
    else:
        before, after = 0, 0
    xc = F.pad(x.transpose(1, 2), (before, after))
    y = F.conv1d(xc, w, b, stride=s, dilation=dil).transpose(1, 2)
    leaves = [x, w] + ([b] if b is not None else [])
    grads = backward(y, r, leaves)
    save(d, n, "y", y)
    for key, g in zip(["dx", "dw", "db"], grads):
        save(d, n, key, g)


def rnn(d, n, a, t):
    """torch.nn.LSTM / nn.GRU (batch_first, one layer) with the case's parameters: wih stacks
    weight_ih_l0 and weight_ih_l0_reverse (likewise whh, bih, bhh). seq=1: every step's output
    (a bidirectional sum adds the two halves); seq=0: the final states h_n, concatenated or added."""
    x, wih, whh, r = t["x"], t["wih"], t["whh"], t["r"]
    bih, bhh = t.get("bih"), t.get("bhh")
    lstm, dirs = a["cell"] == "lstm", 1 if a["merge"] == "none" else 2
    hidden = whh.shape[1]
    rows = wih.shape[0] // dirs
    cls = torch.nn.LSTM if lstm else torch.nn.GRU
    m = cls(x.shape[2], hidden, batch_first=True, bidirectional=dirs == 2, bias=bih is not None)
    names = ["_l0", "_l0_reverse"][:dirs]
    with torch.no_grad():
        for k, suffix in enumerate(names):
            part = slice(k * rows, (k + 1) * rows)
            getattr(m, "weight_ih" + suffix).copy_(wih[part])
            getattr(m, "weight_hh" + suffix).copy_(whh[part])
            if bih is not None:
                getattr(m, "bias_ih" + suffix).copy_(bih[part])
                getattr(m, "bias_hh" + suffix).copy_(bhh[part])
    out, state = m(x)
    h_n = state[0] if lstm else state
    if a["seq"] == "1":
        y = out[..., :hidden] + out[..., hidden:] if a["merge"] == "sum" else out
    elif dirs == 1:
        y = h_n[0]
    else:
        y = h_n[0] + h_n[1] if a["merge"] == "sum" else torch.cat([h_n[0], h_n[1]], dim=1)
    (y * r).sum().backward()
    save(d, n, "y", y)
    save(d, n, "dx", x.grad)
    for key, param in [("dwih", "weight_ih"), ("dwhh", "weight_hh")] + (
            [("dbih", "bias_ih"), ("dbhh", "bias_hh")] if bih is not None else []):
        save(d, n, key, torch.cat([getattr(m, param + s).grad for s in names]))


def dense(d, n, a, t):
    y = F.linear(t["x"], t["w"], t["b"])
    grads = backward(y, t["r"], [t["x"], t["w"], t["b"]])
    save(d, n, "y", y)
    for key, g in zip(["dx", "dw", "db"], grads):
        save(d, n, key, g)


def embedding(d, n, a, t):
    pad = int(a["padding"])
    w = t["w"]
    if pad >= 0:  # nn.Embedding zeroes the padding row at init; Neurite's output ignores it
        with torch.no_grad():
            w[pad] = 0
    ids = t["ids"].detach().round().long()
    y = F.embedding(ids, w, padding_idx=pad if pad >= 0 else None)
    (dw,) = backward(y, t["r"], [w])
    save(d, n, "y", y)
    save(d, n, "dw", dw)


def batchnorm(d, n, a, t):
    x = t["x"]
    c = x.shape[1]
    rm, rv = torch.zeros(c), torch.ones(c)
    y = F.batch_norm(x, rm, rv, t["gamma"], t["beta"], training=True,
                     momentum=float(a["momentum"]), eps=float(a["eps"]))
    grads = backward(y, t["r"], [x, t["gamma"], t["beta"]])
    save(d, n, "y", y)
    for key, g in zip(["dx", "dgamma", "dbeta"], grads):
        save(d, n, key, g)
    save(d, n, "running_mean", rm)
    save(d, n, "running_var", rv)


def layernorm(d, n, a, t):
    """F.layer_norm over the last axis in float64: the float32 inputs are exact there, so torch
    gives the exact answer, which the float32 kernels must reach within the case's tolerance
    (torch's own float32 path would itself lose digits of an input with a mean of 1e3)."""
    x, g, b = (t[k].detach().double().requires_grad_(True) for k in ("x", "gamma", "beta"))
    y = F.layer_norm(x, (x.shape[-1],), g, b, eps=float(a["eps"]))
    grads = backward(y, t["r"].detach().double(), [x, g, b])
    save(d, n, "y", y)
    for key, grad in zip(["dx", "dgamma", "dbeta"], grads):
        save(d, n, key, grad)


def pool(d, n, a, t):
    x = t["x"]
    k, s = pair(a["k"]), pair(a["stride"])
    pads = pad_for(x, k, s, a["padding"])
    if a["kind"] == "max":
        y = F.max_pool2d(F.pad(x, pads, value=-math.inf), k, s)
    else:  # padding excluded from the divisor: window sum / in-bounds count
        total = F.avg_pool2d(F.pad(x, pads), k, s) * (k[0] * k[1])
        count = F.avg_pool2d(F.pad(torch.ones_like(x), pads), k, s) * (k[0] * k[1])
        y = total / count
    (dx,) = backward(y, t["r"], [x])
    save(d, n, "y", y)
    save(d, n, "dx", dx)


def pool1d(d, n, a, t):
    """x is [N, T, C]: torch's 1-D pools on [N, C, T], transposed back. global: over all of T."""
    x = t["x"]
    xc = x.transpose(1, 2)
    if a["global"] == "1":
        y = xc.amax(dim=2) if a["kind"] == "max" else xc.mean(dim=2)
    else:
        k, s = int(a["k"]), int(a["stride"])
        before, after = same_pads(x.shape[1], k, s) if a["padding"] == "same" else (0, 0)
        if a["kind"] == "max":
            y = F.max_pool1d(F.pad(xc, (before, after), value=-math.inf), k, s)
        else:  # padding excluded from the divisor
            total = F.avg_pool1d(F.pad(xc, (before, after)), k, s) * k
            count = F.avg_pool1d(F.pad(torch.ones_like(xc), (before, after)), k, s) * k
            y = total / count
        y = y.transpose(1, 2)
    (dx,) = backward(y, t["r"], [x])
    save(d, n, "y", y)
    save(d, n, "dx", dx)


def global_avg(d, n, a, t):
    x = t["x"]
    y = F.adaptive_avg_pool2d(x, 1).flatten(1)
    (dx,) = backward(y, t["r"], [x])
    save(d, n, "y", y)
    save(d, n, "dx", dx)


def activation(d, n, a, t):
    x = t["x"]
    alpha = float(a.get("alpha", "0"))
    # Keyed by the layer type (one per row of backend/activations.h, plus Softmax).
    fns = {
        "ReLU": F.relu,
        "LeakyReLU": lambda v: F.leaky_relu(v, alpha),
        "ELU": lambda v: F.elu(v, alpha),
        "Sigmoid": torch.sigmoid,
        "Tanh": torch.tanh,
        "GELU": lambda v: F.gelu(v, approximate="none"),
        "SiLU": F.silu,
        "ReLU6": F.relu6,
        "GELUTanh": lambda v: F.gelu(v, approximate="tanh"),
        "Softmax": lambda v: F.softmax(v, dim=1),
        "LogSoftmax": lambda v: F.log_softmax(v, dim=1),
    }
    if a["fn"] not in fns:
        raise SystemExit("no PyTorch reference for the activation " + a["fn"] +
                         ": add it to tests/support/torch_parity.py")
    y = fns[a["fn"]](x)
    (dx,) = backward(y, t["r"], [x])
    save(d, n, "y", y)
    save(d, n, "dx", dx)


def loss(d, n, a, t):
    x = t["x"]
    kind = a["fn"]
    if kind == "ce":
        w = t["weight"].detach() if "weight" in t else None
        value = F.cross_entropy(x, t["labels"].detach().long(), weight=w,
                                label_smoothing=float(a["smoothing"]))
    elif kind == "bce":
        value = F.binary_cross_entropy_with_logits(
            x, t["targets"].detach(), pos_weight=torch.tensor([float(a["pos_weight"])]))
    elif kind == "focal":
        logp = F.log_softmax(x, dim=1).gather(1, t["labels"].detach().long().view(-1, 1)).squeeze(1)
        g, al = float(a["gamma"]), float(a["alpha"])
        value = (-al * (1 - logp.exp()) ** g * logp).mean()
    elif kind == "mse":
        value = F.mse_loss(x, t["targets"].detach())
    elif kind == "huber":
        value = F.huber_loss(x, t["targets"].detach(), delta=float(a["delta"]))
    else:
        raise ValueError(f"unknown loss {kind}")
    value.backward()
    save(d, n, "loss", value.reshape(1))
    save(d, n, "dx", x.grad)


def optimizer(d, n, a, t):
    w = t["w0"].detach().clone().requires_grad_(True)
    kind, lr, wd = a["fn"], float(a["lr"]), float(a.get("wd", "0"))
    if kind == "sgd":
        opt = torch.optim.SGD([w], lr=lr, momentum=float(a["momentum"]), weight_decay=wd,
                              nesterov=a["nesterov"] == "1")
    elif kind in ("adam", "adamw"):
        cls = torch.optim.Adam if kind == "adam" else torch.optim.AdamW
        opt = cls([w], lr=lr, weight_decay=wd)
    elif kind == "rmsprop":
        opt = torch.optim.RMSprop([w], lr=lr, momentum=float(a["momentum"]), weight_decay=wd)
    else:
        raise ValueError(f"unknown optimizer {kind}")
    history = []
    for g in t["grads"].detach():
        w.grad = g.clone()
        opt.step()
        history.append(w.detach().clone())
    save(d, n, "w", torch.stack(history))


KINDS = {"conv": conv, "conv1d": conv1d, "rnn": rnn, "embedding": embedding, "pool1d": pool1d, "dense": dense, "batchnorm": batchnorm, "layernorm": layernorm, "pool": pool,
         "global_avg": global_avg, "act": activation, "loss": loss, "opt": optimizer}


def main():
    d = sys.argv[1]
    with open(f"{d}/cases.txt") as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            name, kind = parts[0], parts[1]
            attrs, tensors = {}, {}
            for p in parts[2:]:
                key, value = p.split("=", 1)
                if key.startswith("@"):
                    shape = [int(v) for v in value.split("x")]
                    tensors[key[1:]] = load(d, name, key[1:], shape)
                else:
                    attrs[key] = value
            KINDS[kind](d, name, attrs, tensors)


if __name__ == "__main__":
    main()
