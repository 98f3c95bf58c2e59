#!/bin/sh
# Inference side by side: neurite-cli predict --bench against ONNX Runtime on the same exported
# model (the same weights: one stored run exported twice), at batch 1 (latency) and the given
# batches (throughput), with the same thread count. Issue 23's target: Neurite at least equal at
# batch 1, 64 and 1024. Neurite runs twice: its compiled plan (the default) and --layer-by-layer.
# Needs node and ONNX Runtime from the npm registry:
#   mkdir /tmp/ort && cd /tmp/ort && npm install --ignore-scripts onnxruntime-node
# usage: tests/bench/predict_vs_ort.sh [PROJECT...]   (default: the Fashion-MNIST MLP and CNN)
# env: THREADS (2), BATCHES (1,64,1024), ORT (/tmp/ort), CLI (build/bin/neurite-cli), REPEATS (3)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
threads=${THREADS:-2} batches=${BATCHES:-1,64,1024} ort=${ORT:-/tmp/ort} cli=${CLI:-$root/build/bin/neurite-cli}
repeats=${REPEATS:-3}
[ $# -gt 0 ] || set -- "$root/resources/examples/fashion_mlp.neurite.json" "$root/resources/examples/fashion_cnn.neurite.json"
[ -d "$ort/node_modules/onnxruntime-node" ] || { echo "error: no onnxruntime-node in $ort (see the header)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
id=0
for project in "$@"; do
  name=$(basename "$project" .neurite.json)
  # A short training is enough: the speed does not depend on the weights' values.
  "$cli" train "$project" --epochs 1 --max-steps 20 --threads "$threads" --db "$work/runs.db" > /dev/null 2>&1
  id=$((id + 1))  # a fresh database: the runs are 1, 2, ...
  "$cli" export --run "$id" --db "$work/runs.db" --format onnx -o "$work/$name.onnx" > /dev/null 2>&1
  "$cli" export --run "$id" --db "$work/runs.db" --format native -o "$work/$name.nmodel" > /dev/null 2>&1
  i=0
  while [ $i -lt "$repeats" ]; do  # alternating, so that load changes hit both alike
    "$cli" predict "$work/$name.nmodel" --bench --bench-batches "$batches" --threads "$threads" 2> /dev/null |
      sed "s/^{/{\"model\":\"$name\",\"runtime\":\"neurite\",/" >> "$work/results.jsonl"
    "$cli" predict "$work/$name.nmodel" --bench --bench-batches "$batches" --threads "$threads" --layer-by-layer 2> /dev/null |
      sed "s/^{/{\"model\":\"$name\",\"runtime\":\"layers\",/" >> "$work/results.jsonl"
    NODE_PATH="$ort/node_modules" node "$here/ort_bench.js" "$work/$name.onnx" "$threads" "$batches" |
      sed "s/^{/{\"model\":\"$name\",/" >> "$work/results.jsonl"
    i=$((i + 1))
  done
done
/usr/bin/python3 - "$work/results.jsonl" "$threads" "$repeats" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def med(model, runtime, bench, batch, key):
    v = [r[key] for r in rows if r["model"] == model and r["runtime"] == runtime and r["bench"] == bench and r["batch"] == batch]
    return statistics.median(v) if v else float("nan")
print(f"{sys.argv[2]} threads; medians of {sys.argv[3]} alternating repeats")
print(f"{'model':<12} {'measure':<26} {'neurite':>12} {'onnxruntime':>12} {'ratio':>7} {'layer by layer':>15}")
for model in dict.fromkeys(r["model"] for r in rows):
    for key in ("p50_ms", "p99_ms"):
        a, b = med(model, "neurite", "latency", 1, key), med(model, "onnxruntime", "latency", 1, key)
        c = med(model, "layers", "latency", 1, key)
        print(f"{model:<12} {'batch 1 latency ' + key[:3]:<26} {a:>10.4f}ms {b:>10.4f}ms {b / a:>7.2f} {c:>13.4f}ms")
    for batch in sorted({r["batch"] for r in rows if r["bench"] == "throughput" and r["model"] == model}):
        a = med(model, "neurite", "throughput", batch, "samples_per_sec")
        b = med(model, "onnxruntime", "throughput", batch, "samples_per_sec")
        c = med(model, "layers", "throughput", batch, "samples_per_sec")
        print(f"{model:<12} {'batch %d samples/s' % batch:<26} {a:>12.0f} {b:>12.0f} {a / b:>7.2f} {c:>15.0f}")
engines = {r["model"]: r["engine"] for r in rows if r["runtime"] == "neurite" and "engine" in r}
for model, engine in engines.items():
    print(f"{model}: {engine}")
print("ratio: how many times Neurite's speed ONNX Runtime's is (above 1: Neurite faster);")
print("layer by layer: neurite-cli predict --layer-by-layer, the path training evaluates with")
PY
