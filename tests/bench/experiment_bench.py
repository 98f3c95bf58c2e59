#!/usr/bin/env python3
"""Experiments, measured: trials at once, successive halving, Bayesian against random search.

  python3 tests/bench/experiment_bench.py [--cli build/bin/neurite-cli] [--seeds 5]
      [--only parallel|halving|strategies]

parallel    the Wine grid (9 trials x 3 folds), a spiral learning-rate sweep and a Fashion-MNIST
            MLP sweep (3 widths x 2 learning rates, 1 epoch each), one trial at a
            time (--parallel 1, both threads to it) and two at once (--parallel 2, one thread
            each), alternating, median wall time of 3 rounds
halving     the Fashion-MNIST CNN search as a random search of 16 trials (seeds 1..N), with
            successive halving and without any pruner: wall time and best val_accuracy
strategies  the same search with 16 trials, Bayesian (TPE) and random, seeds 1..N, both with
            successive halving as the example has it: best val_accuracy of each

Prints markdown tables for docs/performance.md. Each experiment goes to a fresh database in a
temporary folder.
"""

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLES = os.path.join(ROOT, "resources", "examples")


def run_experiment(cli, definition, workdir, name, extra=()):
    path = os.path.join(workdir, name + ".experiment.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(definition, f)
    db = os.path.join(workdir, name + ".db")
    start = time.monotonic()
    proc = subprocess.run([cli, "experiment", "run", path, "--json", "--db", db, *extra],
                          capture_output=True, text=True)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit(f"error: {name}: exit {proc.returncode}\n{proc.stderr[-2000:]}")
    finished = [json.loads(line) for line in proc.stdout.splitlines()
                if line.startswith("{") and '"experiment_finished"' in line]
    return seconds, finished[-1]


def load(name):
    with open(os.path.join(EXAMPLES, name), encoding="utf-8") as f:
        return json.load(f)


def inline_project(definition):
    """The definition with its project file read in (so it can be written elsewhere)."""
    d = copy.deepcopy(definition)
    if isinstance(d["project"], str):
        d["project"] = load(d["project"])
    return d


def spiral_sweep():
    project = load("spiral.neurite.json")
    project["training"]["epochs"] = 20
    return {"format": "neurite-experiment", "version": 1, "name": "spiral lr sweep",
            "project": project,
            "parameters": [{"path": "training.optimizer.lr",
                            "values": [0.002, 0.004, 0.006, 0.008, 0.01, 0.012, 0.014, 0.016]}],
            "objective": {"metric": "val_accuracy"}}


def mlp_sweep():
    project = load("fashion_mlp.neurite.json")
    project["training"]["epochs"] = 1
    return {"format": "neurite-experiment", "version": 1, "name": "Fashion-MNIST MLP width x lr",
            "project": project,
            "parameters": [{"path": "model.nodes[fc1].params.units", "values": [64, 128, 256]},
                           {"path": "training.optimizer.lr", "values": [0.001, 0.003]}],
            "objective": {"metric": "val_accuracy"}}


def bench_parallel(cli, workdir):
    print("| sweep | one at a time: wall s (runs) | two at once: wall s (runs) | speed-up |")
    print("|---|---|---|---|")
    for label, definition in (("Wine grid, 9 trials x 3 folds", inline_project(load("wine_lr_batch.experiment.json"))),
                              ("spiral lr sweep, 8 trials", spiral_sweep()),
                              ("Fashion-MNIST MLP, 6 trials x 1 epoch", mlp_sweep())):
        times = {1: [], 2: []}
        for round_ in range(3):
            for parallel in (1, 2):
                seconds, _ = run_experiment(cli, definition, workdir, f"par{parallel}_{round_}",
                                            ["--parallel", str(parallel), "--threads", "2"])
                times[parallel].append(seconds)
                print(f"  {label}: parallel {parallel} round {round_ + 1}: {seconds:.2f} s",
                      file=sys.stderr, flush=True)
        one, two = statistics.median(times[1]), statistics.median(times[2])
        fmt = lambda ts: ", ".join(f"{t:.2f}" for t in ts)
        print(f"| {label} | {one:.2f} ({fmt(times[1])}) | {two:.2f} ({fmt(times[2])}) | **{one / two:.2f}x** |")


def cnn_search(strategy, seed, pruner):
    d = load("fashion_cnn_search.experiment.json")
    d["strategy"] = {"type": strategy, "trials": 16, "seed": seed}
    if pruner:
        d["pruner"] = pruner
    else:
        d.pop("pruner", None)
    return d


def bench_halving(cli, workdir, seeds, first=1):
    print("| random search, 16 trials | wall s | best val_accuracy | best trial | pruned trials |")
    print("|---|---|---|---|---|")
    halving = {"type": "halving", "min_epochs": 1, "reduction_factor": 3}
    for seed in range(first, seeds + 1):
        for label, pruner in (("every trial to the end", None), ("successive halving", halving)):
            seconds, fin = run_experiment(cli, cnn_search("random", seed, pruner), workdir,
                                          f"halving{seed}" if pruner else f"full{seed}", ["--threads", "2"])
            pruned = sum(1 for t in fin["trials"] if t["status"] == "pruned")
            print(f"| seed {seed}: {label} | {seconds:.1f} | {fin.get('best_objective', float('nan')):.4f} "
                  f"| {fin.get('best_trial')} | {pruned} |", flush=True)


def bench_strategies(cli, workdir, seeds):
    print("| seed | Bayesian (TPE) best val_accuracy | random best val_accuracy | better |")
    print("|---|---|---|---|")
    wins = 0
    halving = {"type": "halving", "min_epochs": 1, "reduction_factor": 3}
    for seed in range(1, seeds + 1):
        best = {}
        for strategy in ("bayesian", "random"):
            _, fin = run_experiment(cli, cnn_search(strategy, seed, halving), workdir,
                                    f"{strategy}{seed}", ["--threads", "2"])
            best[strategy] = fin.get("best_objective", float("nan"))
        winner = "Bayesian" if best["bayesian"] > best["random"] else (
            "tie" if best["bayesian"] == best["random"] else "random")
        wins += winner == "Bayesian"
        print(f"| {seed} | {best['bayesian']:.4f} | {best['random']:.4f} | {winner} |", flush=True)
    print(f"\nBayesian better in {wins} of {seeds} seeds.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", default=os.path.join(ROOT, "build", "bin", "neurite-cli"))
    parser.add_argument("--seeds", type=int, default=5, help="the last seed (halving, strategies)")
    parser.add_argument("--first-seed", type=int, default=1, help="the first seed of halving")
    parser.add_argument("--only", choices=("parallel", "halving", "strategies"))
    args = parser.parse_args()
    if not os.access(args.cli, os.X_OK):
        print(f"error: neurite-cli not found or not executable: {args.cli}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as workdir:
        if args.only in (None, "parallel"):
            bench_parallel(args.cli, workdir)
            print()
        if args.only in (None, "halving"):
            bench_halving(args.cli, workdir, args.seeds, args.first_seed)
            print()
        if args.only in (None, "strategies"):
            bench_strategies(args.cli, workdir, args.seeds)
    print(f"\nMachine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
