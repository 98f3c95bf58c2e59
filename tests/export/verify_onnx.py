"""Checks Neurite's ONNX files in two runtimes that share no code with Neurite.

usage: verify_onnx.py MANIFEST.json
MANIFEST: [{"name", "onnx", "input", "outputs": {"logits": "expected.npy", ...}, "opencv": bool}]
("opencv": false skips OpenCV for a case: int8 QDQ files, which OpenCV 4.6 cannot run.)
Prints one JSON line per case: {"name", "checker": true|"message", "numpy": {output: max abs
diff}, "opencv": {output: max abs diff} or "opencv_error": "..."}.

- onnx.checker.check_model(full_check=True): Python's ONNX checker with strict shape inference.
- numpy: a direct implementation of the ONNX operator semantics (opset 13) for the operators
  Neurite emits, written from the ONNX operator specification (LSTM and GRU included). QuantizeLinear divides in float32
  and rounds half to even (np.rint), as the specification and ONNX Runtime do.
- OpenCV's DNN module (cv2.dnn.readNetFromONNX), an independent ONNX importer.
"""
import json
import math
import sys

import numpy as np
import onnx
from onnx import numpy_helper

try:
    import cv2
except ImportError:  # reported per case
    cv2 = None


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def pad_nchw(x, pads, value):
    t, l, b, r = pads
    return np.pad(x, ((0, 0), (0, 0), (t, b), (l, r)), constant_values=value)


def windows(x, kh, kw, sh, sw, dh=1, dw=1):
    """[N,C,H,W] -> [N,C,OH,OW,kh,kw] views of every window (taps dh, dw apart)."""
    n, c, h, w = x.shape
    oh, ow = (h - (dh * (kh - 1) + 1)) // sh + 1, (w - (dw * (kw - 1) + 1)) // sw + 1
    s = x.strides
    return np.lib.stride_tricks.as_strided(
        x, (n, c, oh, ow, kh, kw), (s[0], s[1], s[2] * sh, s[3] * sw, s[2] * dh, s[3] * dw))


def conv(x, w, b, a):
    if x.ndim == 3:  # 1-D: [N,C,T] as [N,C,1,T]; pads [begin, end]
        a1 = {"kernel_shape": [1, a["kernel_shape"][0]], "strides": [1, a.get("strides", [1])[0]],
              "dilations": [1, a.get("dilations", [1])[0]]}
        begin, end = a.get("pads", [0, 0])
        a1["pads"] = [0, begin, 0, end]
        return conv(x[:, :, None, :], w[:, :, None, :], b, a1)[:, :, 0, :]
    kh, kw = a["kernel_shape"]
    sh, sw = a.get("strides", [1, 1])
    dh, dw = a.get("dilations", [1, 1])
    xp = pad_nchw(x.astype(np.float64), a.get("pads", [0, 0, 0, 0]), 0.0)
    win = windows(xp, kh, kw, sh, sw, dh, dw)  # N,C,OH,OW,kh,kw
    g = a.get("group", 1)  # grouped: output channels of group j read input channels of group j
    cg, kg = x.shape[1] // g, w.shape[0] // g
    y = np.concatenate([np.einsum("nchwij,kcij->nkhw", win[:, j * cg:(j + 1) * cg],
                                  w[j * kg:(j + 1) * kg].astype(np.float64)) for j in range(g)], axis=1)
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


def pool(x, a, kind):
    kh, kw = a["kernel_shape"]
    sh, sw = a.get("strides", [1, 1])
    pads = a.get("pads", [0, 0, 0, 0])
    if kind == "max":
        return windows(pad_nchw(x, pads, -np.inf), kh, kw, sh, sw).max(axis=(4, 5))
    ones = np.ones_like(x)
    total = windows(pad_nchw(x.astype(np.float64), pads, 0.0), kh, kw, sh, sw).sum(axis=(4, 5))
    if a.get("count_include_pad", 0):
        return total / (kh * kw)
    count = windows(pad_nchw(ones, pads, 0.0), kh, kw, sh, sw).sum(axis=(4, 5))
    return total / count


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def axis_shape(x, scale, axis):
    """Broadcast shape of a scale or zero point: scalar, or 1-D along `axis` (per-axis, opset 13)."""
    if np.ndim(scale) == 0:
        return ()
    shape = [1] * x.ndim
    shape[axis % x.ndim] = -1
    return shape


def quantize_linear(x, scale, zero, axis):
    shape = axis_shape(x, scale, axis)
    s = np.asarray(scale, np.float32).reshape(shape)
    z = np.asarray(zero).astype(np.float64).reshape(shape)
    info = np.iinfo(zero.dtype)
    q = np.rint(x.astype(np.float32) / s).astype(np.float64) + z
    return np.clip(q, info.min, info.max).astype(zero.dtype)


def dequantize_linear(q, scale, zero, axis):
    shape = axis_shape(q, scale, axis)
    s = np.asarray(scale, np.float32).reshape(shape)
    z = np.asarray(zero).astype(np.int32).reshape(shape)
    return ((q.astype(np.int32) - z).astype(np.float32) * s).astype(np.float32)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def recurrent(op, i, a):
    """ONNX LSTM (gates i o f c) and GRU (gates z r h; linear_before_reset as given) from the
    operator specification: X [T, N, C], W [D, G*H, C], R [D, G*H, H], B [D, 2*G*H], zero initial
    state, activations at their defaults. Returns Y [T, D, N, H]."""
    x, w, r = i[0], i[1], i[2]
    b = i[3] if len(i) > 3 and i[3] is not None else None
    dirs, hidden = w.shape[0], a["hidden_size"]
    steps, batch = x.shape[0], x.shape[1]
    gates = w.shape[1] // hidden
    y = np.zeros((steps, dirs, batch, hidden))
    for d in range(dirs):
        wb = b[d, :gates * hidden] if b is not None else 0
        rb = b[d, gates * hidden:] if b is not None else np.zeros(gates * hidden)
        h = np.zeros((batch, hidden))
        c = np.zeros((batch, hidden))
        order = range(steps) if d == 0 else range(steps - 1, -1, -1)
        for t in order:
            xw = x[t] @ w[d].T + wb
            H = hidden
            if op == "LSTM":
                g = xw + h @ r[d].T + rb
                ig, og, fg = sigmoid(g[:, :H]), sigmoid(g[:, H:2 * H]), sigmoid(g[:, 2 * H:3 * H])
                cc = np.tanh(g[:, 3 * H:])
                c = fg * c + ig * cc
                h = og * np.tanh(c)
            else:
                z = sigmoid(xw[:, :H] + h @ r[d][:H].T + rb[:H])
                rr = sigmoid(xw[:, H:2 * H] + h @ r[d][H:2 * H].T + rb[H:2 * H])
                if a.get("linear_before_reset", 0):
                    n = np.tanh(xw[:, 2 * H:] + rr * (h @ r[d][2 * H:].T + rb[2 * H:]))
                else:
                    n = np.tanh(xw[:, 2 * H:] + (rr * h) @ r[d][2 * H:].T + rb[2 * H:])
                h = (1 - z) * n + z * h
            y[t, d] = h
    return y


def run_numpy(model, feed):
    env = dict(feed)
    for t in model.graph.initializer:
        env[t.name] = numpy_helper.to_array(t)
    erf = np.vectorize(math.erf)
    for node in model.graph.node:
        i = [env[n] if n else None for n in node.input]
        a = attrs(node)
        op = node.op_type
        if op == "Mul": y = i[0] * i[1]
        elif op == "Sub": y = i[0] - i[1]
        elif op == "Add": y = i[0] + i[1]
        elif op == "Div": y = i[0] / i[1]
        elif op == "Sum": y = sum(i)
        elif op == "Gemm":
            b = i[1].T if a.get("transB", 0) else i[1]
            y = i[0].astype(np.float64) @ b.astype(np.float64) + (i[2] if len(i) > 2 else 0)
        elif op == "Conv": y = conv(i[0], i[1], i[2] if len(i) > 2 else None, a)
        elif op == "MaxPool": y = pool(i[0], a, "max")
        elif op == "AveragePool": y = pool(i[0], a, "avg")
        elif op == "GlobalAveragePool": y = i[0].mean(axis=(2, 3), keepdims=True)
        elif op == "Flatten": y = i[0].reshape(i[0].shape[0], -1)
        elif op == "Transpose": y = np.transpose(i[0], a["perm"])
        elif op == "Reshape":
            shape = [i[0].shape[k] if d == 0 else d for k, d in enumerate(i[1])]
            y = i[0].reshape(shape)
        elif op == "BatchNormalization":
            x, s, bias, mean, var = i
            shp = (1, -1) + (1,) * (x.ndim - 2)
            y = (x - mean.reshape(shp)) / np.sqrt(var.reshape(shp) + a.get("epsilon", 1e-5)) \
                * s.reshape(shp) + bias.reshape(shp)
        elif op in ("Dropout", "Identity"): y = i[0]
        elif op == "Relu": y = np.maximum(i[0], 0)
        elif op == "Clip": y = np.clip(i[0], i[1] if len(i) > 1 else -np.inf, i[2] if len(i) > 2 else np.inf)
        elif op == "LeakyRelu": y = np.where(i[0] > 0, i[0], a.get("alpha", 0.01) * i[0])
        elif op == "Elu": y = np.where(i[0] > 0, i[0], a.get("alpha", 1.0) * (np.exp(i[0]) - 1))
        elif op == "Sigmoid": y = 1 / (1 + np.exp(-i[0]))
        elif op == "Tanh": y = np.tanh(i[0])
        elif op == "Erf": y = erf(i[0])
        elif op == "Sqrt": y = np.sqrt(i[0])
        elif op == "ReduceMean":
            axes = tuple(a["axes"]) if "axes" in a else None
            y = i[0].mean(axis=axes, keepdims=bool(a.get("keepdims", 1)))
        elif op == "ReduceMax":
            axes = tuple(a["axes"]) if "axes" in a else None
            y = i[0].max(axis=axes, keepdims=bool(a.get("keepdims", 1)))
        elif op == "Softmax": y = softmax(i[0], a.get("axis", -1))
        elif op == "LogSoftmax":
            m = i[0].max(axis=a.get("axis", -1), keepdims=True)
            y = i[0] - m - np.log(np.exp(i[0] - m).sum(axis=a.get("axis", -1), keepdims=True))
        elif op == "Concat": y = np.concatenate(i, axis=a["axis"])
        elif op == "Sin": y = np.sin(i[0])
        elif op == "Slice":  # data, starts, ends[, axes[, steps]] (opset 10 and later)
            axes = i[3] if len(i) > 3 and i[3] is not None else range(len(i[1]))
            steps = i[4] if len(i) > 4 and i[4] is not None else [1] * len(i[1])
            index = [slice(None)] * i[0].ndim
            for start, end, axis, step in zip(i[1], i[2], axes, steps):
                index[int(axis)] = slice(int(start), int(end), int(step))
            y = i[0][tuple(index)]
        elif op == "Cast" and a["to"] == 7: y = i[0].astype(np.int64)  # INT64, truncating as ONNX
        elif op == "Gather": y = np.take(i[0], i[1].astype(np.int64), axis=a.get("axis", 0))
        elif op in ("LSTM", "GRU"): y = recurrent(op, i, a)
        elif op == "QuantizeLinear":
            env[node.output[0]] = quantize_linear(i[0], i[1], i[2], a.get("axis", 1))
            continue
        elif op == "DequantizeLinear":
            y = dequantize_linear(i[0], i[1], i[2], a.get("axis", 1))
        else:
            raise ValueError("numpy reference has no operator " + op)
        env[node.output[0]] = np.asarray(y, dtype=np.float64)
    return env


def main():
    cases = json.load(open(sys.argv[1]))
    for case in cases:
        out = {"name": case["name"]}
        model = onnx.load(case["onnx"])
        try:
            onnx.checker.check_model(model, full_check=True)
            out["checker"] = True
        except Exception as e:  # noqa: BLE001 - reported to the C++ test
            out["checker"] = str(e)
        x = np.load(case["input"]).astype(np.float32)
        expected = {k: np.load(v) for k, v in case["outputs"].items()}
        env = run_numpy(model, {"input": x.astype(np.float64)})
        out["numpy"] = {k: float(np.abs(env[k] - e).max()) for k, e in expected.items()}
        if "count_over" in case:  # how many values differ by more than this
            out["numpy_over"] = {k: int((np.abs(env[k] - e) > case["count_over"]).sum())
                                 for k, e in expected.items()}
        if not case.get("opencv", True):
            out["opencv_skipped"] = case.get(
                "opencv_reason", "int8 QDQ: OpenCV 4.6 cannot run it (see docs/export.md)")
        elif cv2 is None:
            out["opencv_error"] = "python3-opencv is not installed"
        else:
            try:
                net = cv2.dnn.readNetFromONNX(case["onnx"])
                net.setInput(x)
                names = list(expected)
                got = net.forward(names)
                out["opencv"] = {k: float(np.abs(g.reshape(expected[k].shape) - expected[k]).max())
                                 for k, g in zip(names, got)}
            except Exception as e:  # noqa: BLE001
                out["opencv_error"] = str(e).strip().splitlines()[-1][:300]
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
