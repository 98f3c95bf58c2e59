#!/usr/bin/env python3
"""Cost of recording a run in the store: neurite-cli train with and without --no-db, alternated.

Prints the median (min..max) training samples/s and wall seconds of each and the relative cost.
The default workload is a spiral MLP that trains at roughly 50,000-70,000 samples/s on one
thread, about 1,750 steps per second of batch 16 plus one checkpoint per epoch.

    /usr/bin/python3 tests/bench/record_overhead.py --repeats 7
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

PROJECT = {
    "format": "neurite-project", "version": 1, "name": "record-overhead",
    "data": {"source": "synthetic:spiral?samples=40000&classes=3&noise=0.1&seed=7",
             "validation_split": 0.2, "test_split": 0.1},
    "model": {"nodes": [
        {"id": "input", "op": "Input"},
        {"id": "fc1", "op": "Dense", "params": {"units": 256}, "inputs": ["input"]},
        {"id": "relu1", "op": "ReLU", "inputs": ["fc1"]},
        {"id": "fc2", "op": "Dense", "params": {"units": 256}, "inputs": ["relu1"]},
        {"id": "relu2", "op": "ReLU", "inputs": ["fc2"]},
        {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["relu2"]}]},
    "training": {"epochs": 5, "batch_size": 16, "seed": 3, "threads": 1,
                 "optimizer": {"type": "adam", "lr": 0.005}},
}


def run(cli, project, extra):
    t0 = time.perf_counter()
    out = subprocess.run([cli, "train", project, "--json"] + extra, check=True,
                         capture_output=True, text=True).stdout
    wall = time.perf_counter() - t0
    fin = [json.loads(l) for l in out.splitlines() if '"finished"' in l][-1]
    return fin["samples_per_sec"], wall


def summary(xs):
    return f"{statistics.median(xs):,.0f} ({min(xs):,.0f}..{max(xs):,.0f})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default="build/bin/neurite-cli")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--epochs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = os.path.join(tmp, "p.neurite.json")
        PROJECT["training"]["epochs"] = args.epochs
        with open(project, "w") as f:
            json.dump(PROJECT, f)
        db = os.path.join(tmp, "runs.db")
        res = {"no-db": ([], []), "db": ([], [])}
        for _ in range(args.repeats):
            for name, extra in (("no-db", ["--no-db"]), ("db", ["--db", db])):
                sps, wall = run(args.cli, project, extra)
                res[name][0].append(sps)
                res[name][1].append(wall)
        for name, (sps, wall) in res.items():
            print(f"{name:6s} samples/s {summary(sps)}   wall s {statistics.median(wall):.3f} "
                  f"({min(wall):.3f}..{max(wall):.3f})")
        s0, s1 = statistics.median(res["no-db"][0]), statistics.median(res["db"][0])
        w0, w1 = statistics.median(res["no-db"][1]), statistics.median(res["db"][1])
        print(f"recording costs {100 * (s0 - s1) / s0:+.2f}% of training throughput, "
              f"{100 * (w1 - w0) / w0:+.2f}% of wall time (medians of {args.repeats})")


if __name__ == "__main__":
    main()
