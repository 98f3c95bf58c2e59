#!/usr/bin/env python3
"""Compare a CPU and a GPU training of the same project (scripts/gpu_check.sh).

  compare_trainings.py CPU.jsonl GPU.jsonl [--baseline CPU2.jsonl ...] [--tolerance 1e-3]

Each file holds `neurite-cli train --json` events of one run with the same seed and epochs.
The first epoch's training and validation losses must agree within the relative tolerance,
and the final test (or validation) accuracies within one point. Float32 sums in another order
drift apart over an epoch of Adam by more than 1e-3 on the CPU alone (Fashion-MNIST MLP, 8
threads against 2: 5.8e-3 after one epoch, docs/gpu.md), so with --baseline (the same training
on the CPU at another thread count, or from weights moved by one ulp: `train --perturb 1`) the
loss tolerance is at least twice the CPU's own spread, the largest over the baselines given. An
LSTM under Adam turns that one ulp into 3.5% of the validation loss after an epoch on the CPU
alone (docs/gpu.md), more than any thread count does.
Prints one line, "pass: ..." or "FAILED: ...", with the largest relative loss difference per
epoch, the accuracies and the throughputs. Exit status 0 on pass, 1 on a failed comparison.
"""

import argparse
import json
import sys


def read_run(path):
    epochs, finished = {}, None
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line.startswith("{"):
                    continue
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                if event.get("event") == "epoch":
                    epochs[event["epoch"]] = event
                elif event.get("event") == "finished":
                    finished = event
    except OSError as err:
        raise SystemExit(f"error: {path}: {err}")
    return epochs, finished


def relative(a, b):
    if a is None or b is None:
        return None
    return abs(a - b) / max(abs(a), 1e-12)


def loss_differences(reference, other):
    """The largest relative difference of the training and validation losses per epoch."""
    diffs = []
    for epoch in sorted(reference):
        r, o = reference[epoch], other.get(epoch, {})
        values = [relative(r.get(k), o.get(k)) for k in ("train_loss", "val_loss")]
        values = [v for v in values if v is not None]
        diffs.append(max(values) if values else float("inf"))
    return diffs


def final_accuracy(finished):
    for key in ("test_accuracy", "val_accuracy", "train_accuracy"):
        if finished.get(key) is not None:
            return float(finished[key])
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cpu")
    parser.add_argument("gpu")
    parser.add_argument("--baseline", action="append", default=[],
                        help="the same CPU training at another thread count or perturbed (repeatable)")
    parser.add_argument("--tolerance", type=float, default=1e-3)
    args = parser.parse_args()
    runs = {"cpu": read_run(args.cpu), "cuda": read_run(args.gpu)}
    for i, path in enumerate(args.baseline):
        runs[f"baseline {i + 1}" if len(args.baseline) > 1 else "baseline"] = read_run(path)
    missing = [name for name, (epochs, end) in runs.items() if end is None or not epochs]
    if missing:
        print(f"FAILED: no finished run in the {', '.join(missing)} log (see the .err logs)")
        return 1
    cpu_epochs, cpu_end = runs["cpu"]
    gpu_epochs, gpu_end = runs["cuda"]
    diffs = loss_differences(cpu_epochs, gpu_epochs)
    tolerance, spread = args.tolerance, ""
    if args.baseline:
        own = max(loss_differences(cpu_epochs, run[0])[0] for name, run in runs.items()
                  if name.startswith("baseline"))
        tolerance = max(tolerance, 2 * own)
        spread = f" (cpu's own spread {own:.1e}, tolerance {tolerance:.1e})"
    c_acc, g_acc = final_accuracy(cpu_end), final_accuracy(gpu_end)
    ok = diffs[0] <= tolerance and c_acc is not None and g_acc is not None \
        and abs(c_acc - g_acc) <= 0.01
    curve = " ".join(f"e{i + 1} {d:.1e}" for i, d in enumerate(diffs))
    accs = "n/a" if c_acc is None or g_acc is None else f"{100 * c_acc:.2f}% vs {100 * g_acc:.2f}%"
    print(f"{'pass' if ok else 'FAILED'}: loss rel diff {curve}{spread}; acc cpu/cuda {accs}; "
          f"{cpu_end.get('samples_per_sec') or 0:.0f} vs "
          f"{gpu_end.get('samples_per_sec') or 0:.0f} samples/s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
