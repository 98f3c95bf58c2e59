#!/usr/bin/env python3
"""Compare a CPU and a GPU training of the same project (scripts/gpu_check.sh).

  compare_trainings.py CPU.jsonl GPU.jsonl [--tolerance 1e-3]

Each file holds `neurite-cli train --json` events of one run with the same seed and epochs.
Prints one line: "pass: ..." when the first epoch's training and validation losses agree
within the relative tolerance and the final test (or validation) accuracies within half a
point, "FAILED: ..." otherwise, with the largest relative loss difference per epoch, the
accuracies and the throughputs. Exit status 0 on pass, 1 on a failed comparison, 2 on bad input.
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


def final_accuracy(finished):
    for key in ("test_accuracy", "val_accuracy", "train_accuracy"):
        if finished.get(key) is not None:
            return float(finished[key])
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cpu")
    parser.add_argument("gpu")
    parser.add_argument("--tolerance", type=float, default=1e-3)
    args = parser.parse_args()
    (cpu_epochs, cpu_end), (gpu_epochs, gpu_end) = read_run(args.cpu), read_run(args.gpu)
    if cpu_end is None or gpu_end is None or not cpu_epochs:
        missing = [p for p, e in ((args.cpu, cpu_end), (args.gpu, gpu_end)) if e is None]
        print(f"FAILED: no finished event in {', '.join(missing) or 'either file'} "
              "(see the .err logs)")
        return 1
    diffs = []
    for epoch in sorted(cpu_epochs):
        c, g = cpu_epochs[epoch], gpu_epochs.get(epoch, {})
        values = [relative(c.get(k), g.get(k)) for k in ("train_loss", "val_loss")]
        values = [v for v in values if v is not None]
        diffs.append(max(values) if values else float("inf"))
    c_acc, g_acc = final_accuracy(cpu_end), final_accuracy(gpu_end)
    ok = diffs[0] <= args.tolerance and c_acc is not None and g_acc is not None \
        and abs(c_acc - g_acc) <= 0.005
    curve = " ".join(f"e{i + 1} {d:.1e}" for i, d in enumerate(diffs))
    accs = "n/a" if c_acc is None or g_acc is None else f"{100 * c_acc:.2f}% vs {100 * g_acc:.2f}%"
    print(f"{'pass' if ok else 'FAILED'}: loss rel diff {curve}; acc cpu/cuda {accs}; "
          f"{cpu_end.get('samples_per_sec') or 0:.0f} vs {gpu_end.get('samples_per_sec') or 0:.0f} samples/s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
