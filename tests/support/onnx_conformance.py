#!/usr/bin/python3
"""ONNX's own operator test cases (onnx.backend.test.case.node, Debian's python3-onnx) for the
operators the importer maps (tests/engine/test_onnx_import.cpp, conformance).

usage: onnx_conformance.py OUT_DIR OP [OP ...]

Writes every case whose nodes all use the given operators as OUT_DIR/NAME.onnx, its first data
set's first input and first output as NAME.input.f32 / NAME.output.f32 (raw float32; the graph
keeps its first output only), and a line
of OUT_DIR/cases.txt: "NAME|input-dims|output-dims|rtol|atol", or "NAME|skip|why" for a case
that cannot be given to a single-input model (a float input as the data and the others as
constants is how a Neurite model sees it: inputs after the first become initializers, since
Neurite's weights are parameters).
"""
import builtins
import os
import sys

import numpy as np

for alias in ("float", "int", "bool", "object", "complex", "str"):  # removed from numpy 1.24, used by onnx 1.12
    if not hasattr(np, alias):
        setattr(np, alias, getattr(builtins, alias))

import onnx  # noqa: E402
from onnx import numpy_helper  # noqa: E402
from onnx.backend.test.case.node import collect_testcases  # noqa: E402


def main():
    out, ops = sys.argv[1], set(sys.argv[2:])
    os.makedirs(out, exist_ok=True)
    rows = []
    for case in collect_testcases(""):  # "": every operator's cases
        if case.kind != "node" or not case.model.graph.node:
            continue
        if any(n.op_type not in ops or n.domain not in ("", "ai.onnx") for n in case.model.graph.node):
            continue
        model = onnx.ModelProto()
        model.CopyFrom(case.model)
        graph = model.graph
        if not case.data_sets:
            continue
        inputs, outputs = case.data_sets[0]
        name = case.name
        if not inputs:
            rows.append(f"{name}|skip|no input: a constant model")
            continue
        if len(outputs) != len(graph.output):
            rows.append(f"{name}|skip|{len(outputs)} expected outputs for {len(graph.output)}")
            continue
        del graph.output[1:]  # a Neurite model has one output: the first is compared
        x, y = np.asarray(inputs[0]), np.asarray(outputs[0])
        if x.dtype != np.float32 or y.dtype != np.float32:
            rows.append(f"{name}|skip|input or output is {x.dtype}/{y.dtype}, not float32")
            continue
        # inputs after the first become initializers (constants)
        feeds = list(graph.input)
        for value_info, data in zip(feeds[1:], inputs[1:]):
            graph.initializer.append(numpy_helper.from_array(np.asarray(data), value_info.name))
        if len(feeds) > len(inputs):  # optional inputs not given
            rows.append(f"{name}|skip|more graph inputs than data")
            continue
        del graph.input[1:]
        onnx.save(model, os.path.join(out, name + ".onnx"))
        x.astype("<f4").tofile(os.path.join(out, name + ".input.f32"))
        y.astype("<f4").tofile(os.path.join(out, name + ".output.f32"))
        dims = lambda a: ",".join(str(d) for d in a.shape) or "scalar"
        rtol = getattr(case, "rtol", 1e-3)
        atol = getattr(case, "atol", 1e-7)
        rows.append(f"{name}|{dims(x)}|{dims(y)}|{rtol}|{atol}")
    with open(os.path.join(out, "cases.txt"), "w") as f:
        f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
