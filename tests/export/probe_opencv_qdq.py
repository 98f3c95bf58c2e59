"""Which QDQ (QuantizeLinear/DequantizeLinear, opset 13) patterns OpenCV's DNN module runs.

usage: /usr/bin/python3 tests/export/probe_opencv_qdq.py
Builds tiny Gemm models with python3-onnx's helper, checks them with the onnx checker, runs them in
cv2.dnn and prints, per pattern, the max abs difference from a numpy reference or the import error.
On Debian 12 (OpenCV 4.6) no pattern runs correctly, which is why Neurite's int8 files are
verified with the numpy executor in verify_onnx.py instead (docs/export.md, "ONNX int8").
Not run by CTest: it documents a finding about another library.
"""
import os
import tempfile

import cv2
import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh


def qdq(x, s, zp, lo, hi):
    return (np.clip(np.rint(x / s) + zp, lo, hi) - zp) * s


def model(weights_int8, per_channel, act_uint8, rng):
    w = rng.normal(size=(4, 3)).astype(np.float32)
    b = rng.normal(size=4).astype(np.float32)
    x = rng.normal(size=(5, 3)).astype(np.float32)
    lo, hi, dt, npt = (0, 255, T.UINT8, np.uint8) if act_uint8 else (-128, 127, T.INT8, np.int8)
    xs, xzp = np.float32(0.03), npt(128 if act_uint8 else 3)
    inits = [nh.from_array(b, "b"), nh.from_array(np.array(xs), "xs"),
             nh.from_array(np.array(xzp, npt), "xzp")]
    nodes = [h.make_node("QuantizeLinear", ["input", "xs", "xzp"], ["xq"]),
             h.make_node("DequantizeLinear", ["xq", "xs", "xzp"], ["xdq"])]
    if weights_int8:
        ws = (np.abs(w).max(1) / 127).astype(np.float32) if per_channel \
            else np.array(np.abs(w).max() / 127, np.float32)
        wq = np.clip(np.rint(w / (ws[:, None] if per_channel else ws)), -127, 127).astype(np.int8)
        inits += [nh.from_array(wq, "wq"), nh.from_array(ws, "ws"),
                  nh.from_array(np.zeros(ws.shape, np.int8), "wzp")]
        nodes.append(h.make_node("DequantizeLinear", ["wq", "ws", "wzp"], ["w"],
                                 **({"axis": 0} if per_channel else {})))
        w_ref = wq * (ws[:, None] if per_channel else ws)
    else:
        inits.append(nh.from_array(w, "w"))
        w_ref = w
    nodes.append(h.make_node("Gemm", ["xdq", "w", "b"], ["out"], transB=1))
    g = h.make_graph(nodes, "probe", [h.make_tensor_value_info("input", T.FLOAT, ["N", 3])],
                     [h.make_tensor_value_info("out", T.FLOAT, ["N", 4])], inits)
    m = h.make_model(g, opset_imports=[h.make_opsetid("", 13)])
    m.ir_version = 7
    onnx.checker.check_model(m, full_check=True)
    ref = qdq(x.astype(np.float64), xs, float(xzp), lo, hi) @ w_ref.T + b
    return m, x, ref


def main():
    rng = np.random.default_rng(0)
    cases = [("activations only", False, False), ("int8 weights per tensor", True, False),
             ("int8 weights per channel", True, True)]
    with tempfile.TemporaryDirectory() as d:
        for name, weights, per_channel in cases:
            for act_uint8 in (True, False):
                m, x, ref = model(weights, per_channel, act_uint8, rng)
                path = os.path.join(d, "m.onnx")
                onnx.save(m, path)
                label = f"{name}, {'uint8' if act_uint8 else 'int8'} activations"
                try:
                    net = cv2.dnn.readNetFromONNX(path)
                    net.setInput(x)
                    print(f"{label}: max abs diff {np.abs(net.forward() - ref).max():.3g}")
                except cv2.error as e:
                    lines = [l for l in str(e).splitlines() if "Assertion" in l or "error:" in l]
                    line = (lines or [str(e)])[-1]
                    print(f"{label}: import fails: {line[line.find('OpenCV('):].strip()}")
    print("OpenCV", cv2.__version__, "(the reference outputs are of magnitude ~3)")


if __name__ == "__main__":
    main()
