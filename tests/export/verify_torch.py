#!/usr/bin/env python3
"""Runs the pytorch export's model.py of each test model (tests/engine/test_export_torch) and
compares its outputs with Neurite's.

  verify_torch.py MANIFEST.json

The manifest lists {"name", "dir", "features", "expected"}: dir holds model.py and weights/,
features.npy the model's inputs, expected.npy Neurite's outputs for them (inference form). Prints
one JSON line per model with the normwise error max|torch - neurite| / max|neurite|, or the
exception; exits 0 (the C++ test judges).
"""
import importlib.util
import json
import sys

import numpy as np
import torch


def run(entry):
    spec = importlib.util.spec_from_file_location("model_" + entry["name"].replace(" ", "_"), entry["dir"] + "/model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    net = module.load_weights(module.build_model(), entry["dir"] + "/weights")
    net.eval()
    x = torch.from_numpy(np.load(entry["features"]))
    with torch.no_grad():
        out = net(x).numpy().reshape(-1)
    ref = np.load(entry["expected"]).reshape(-1)
    if out.shape != ref.shape:
        return {"error": f"output of {out.size} values, Neurite's {ref.size}"}
    scale = max(float(np.abs(ref).max()), 1e-30)
    return {"error_norm": float(np.abs(out.astype(np.float64) - ref).max()) / scale}


def main():
    torch.set_num_threads(1)
    with open(sys.argv[1], encoding="utf-8") as f:
        manifest = json.load(f)
    for entry in manifest:
        try:
            result = run(entry)
        except Exception as e:  # reported per model, judged by the C++ test
            result = {"error": f"{type(e).__name__}: {e}"}
        result["name"] = entry["name"]
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
