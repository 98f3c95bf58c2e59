#!/usr/bin/env python3
"""Compare neurite-cli's training throughput with the PyTorch reference.

For each repeat and model, runs alternately

  neurite-cli bench --model M --batch-size B --threads T --device D --json [--max-steps N]
  torch_reference.py --model M --batch-size B --threads T --device D [--max-steps N]

(the latter with this interpreter), reads the JSON lines each prints (every
line has at least "model" and "samples_per_sec"; "test_accuracy" is a
fraction in [0, 1]; neurite may add "gflops" and "peak_fraction"), and prints
a markdown table of median samples/s with the min..max spread, the
neurite/pytorch ratio and the test accuracies, plus a machine/date line,
ready to paste into docs/performance.md. Progress goes to stderr.

Run it from the repository root with Debian's interpreter:

  /usr/bin/python3 tests/bench/compare_torch.py --repeats 3
  python3 tests/bench/compare_torch.py --device cuda --data DIR   (GPU machine)
"""

import argparse
import datetime
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_CLI = os.path.join(REPO_ROOT, "build", "bin", "neurite-cli")
TORCH_REFERENCE = os.path.join(HERE, "torch_reference.py")


class BenchError(Exception):
    pass


def positive_int(text):
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text}")
    return value


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", default=DEFAULT_CLI,
                        help="path to neurite-cli (default: build/bin/neurite-cli)")
    parser.add_argument("--threads", type=positive_int, default=2)
    parser.add_argument("--batch-size", type=positive_int, default=64)
    parser.add_argument("--repeats", type=positive_int, default=3)
    parser.add_argument("--model", choices=("mlp", "cnn", "lstm", "gru", "text-lstm", "text-gru", "text-cnn", "all"), default="all",
                        help="all: mlp and cnn")
    parser.add_argument("--max-steps", type=positive_int, default=None,
                        help="stop each epoch after this many steps (both frameworks)")
    parser.add_argument("--device", default="cpu",
                        help="cpu, cuda or cuda:N, for both frameworks (default cpu)")
    parser.add_argument("--data", default=None,
                        help="directory with the gzipped Fashion-MNIST IDX files "
                             "(default: each program's own default)")
    return parser.parse_args()


def log(message):
    print(message, file=sys.stderr, flush=True)


def run_bench(label, command, model):
    """Run one benchmark command and return its JSON record for `model`."""
    try:
        proc = subprocess.run(command, capture_output=True, text=True)
    except OSError as err:
        raise BenchError(f"{label}: cannot run {command[0]}: {err}") from err
    if proc.returncode != 0:
        raise BenchError(f"{label} exited with status {proc.returncode}:\n"
                         f"{proc.stderr.strip()}")
    for line in proc.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if record.get("model") == model and "samples_per_sec" in record:
            return record
    raise BenchError(f"{label} printed no JSON line for model {model!r}:\n"
                     f"{proc.stdout.strip()}")


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def spread(records):
    """Format median and min..max samples/s of a list of records."""
    rates = [r["samples_per_sec"] for r in records]
    return (statistics.median(rates),
            f"{statistics.median(rates):.0f} ({min(rates):.0f}..{max(rates):.0f})")


def accuracy(records):
    values = [r["test_accuracy"] for r in records if "test_accuracy" in r]
    return f"{100 * statistics.median(values):.2f}%" if values else "n/a"


def print_report(args, models, results, torch_version):
    print("| model | neurite samples/s (median, min..max) "
          "| pytorch samples/s (median, min..max) | ratio "
          "| neurite test acc | pytorch test acc |")
    print("|---|---|---|---|---|---|")
    for model in models:
        neurite, torch = results[model]["neurite"], results[model]["pytorch"]
        n_median, n_text = spread(neurite)
        t_median, t_text = spread(torch)
        print(f"| {model} | {n_text} | {t_text} | {n_median / t_median:.2f}x "
              f"| {accuracy(neurite)} | {accuracy(torch)} |")
    print()
    for model in models:
        gflops = [r["gflops"] for r in results[model]["neurite"] if "gflops" in r]
        peak = [r["peak_fraction"] for r in results[model]["neurite"]
                if "peak_fraction" in r]
        if gflops:
            line = f"neurite {model}: {statistics.median(gflops):.1f} GFLOP/s"
            if peak:
                line += f" ({100 * statistics.median(peak):.1f}% of peak)"
            print(line)
    steps = f", max {args.max_steps} steps/epoch" if args.max_steps else ", 1 epoch"
    devices = sorted({r.get("device", "?") for m in models for f in ("neurite", "pytorch")
                      for r in results[m][f]})
    print(f"Device {args.device}: {'; '.join(devices)}")
    print(f"Machine: {cpu_model()}, {os.cpu_count()} cores; "
          f"{args.threads} threads, batch {args.batch_size}{steps}, "
          f"median of {args.repeats} runs; PyTorch {torch_version}; "
          f"{datetime.date.today().isoformat()}")


def main():
    args = parse_args()
    if importlib.util.find_spec("torch") is None:
        print("error: PyTorch not found; install Debian's python3-torch "
              "(sudo apt-get install python3-torch)", file=sys.stderr)
        return 2
    if not (os.path.isfile(args.cli) and os.access(args.cli, os.X_OK)):
        print(f"error: neurite-cli not found or not executable: {args.cli} "
              "(build it first)", file=sys.stderr)
        return 2

    models = ("mlp", "cnn") if args.model == "all" else (args.model,)
    common = ["--batch-size", str(args.batch_size), "--threads", str(args.threads),
              "--device", args.device]
    if args.max_steps is not None:
        common += ["--max-steps", str(args.max_steps)]
    neurite_data = ["--data", "idx:" + args.data] if args.data else []
    torch_data = ["--data", args.data] if args.data else []
    results = {m: {"neurite": [], "pytorch": []} for m in models}
    torch_version = "unknown"

    try:
        for repeat in range(1, args.repeats + 1):
            for model in models:
                runs = (
                    ("neurite", [args.cli, "bench", "--model", model, *common, *neurite_data,
                                 "--json"]),
                    ("pytorch", [sys.executable, TORCH_REFERENCE, "--model", model, *common,
                                 *torch_data]),
                )
                for framework, command in runs:
                    record = run_bench(f"{framework} {model}", command, model)
                    results[model][framework].append(record)
                    torch_version = record.get("torch_version", torch_version)
                    log(f"[{repeat}/{args.repeats}] {model} {framework}: "
                        f"{record['samples_per_sec']:.1f} samples/s")
    except BenchError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2

    print_report(args, models, results, torch_version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
