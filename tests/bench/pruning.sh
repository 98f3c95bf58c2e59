#!/bin/sh
# Pruning on a Fashion-MNIST example (issue 23, docs/pruning.md): one dense run, then from its
# last epoch (neurite-cli train --branch) three runs of TUNE more epochs each:
#  - dense: no pruning (the reference: the same number of epochs in all);
#  - unstructured: 50% of every layer's weights pruned at once, then fine-tuned with the mask;
#  - structured: SPARSITY of the units/filters of every layer whose units can be removed,
#    then fine-tuned; its export removes them (compaction).
# Then the test accuracy of each, and neurite-cli predict --bench of the dense and the structured
# native files (parameters, FLOPs, batch-1 latency, throughput), alternating REPEATS times.
# usage: tests/bench/pruning.sh [PROJECT]   (default: the Fashion-MNIST CNN)
# env: THREADS (2), EPOCHS (5), TUNE (2), SPARSITY (0.3), BATCHES (1,64,256,1024), REPEATS (3), CLI
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
threads=${THREADS:-2} epochs=${EPOCHS:-5} tune=${TUNE:-2} sparsity=${SPARSITY:-0.3}
batches=${BATCHES:-1,64,256,1024} repeats=${REPEATS:-3} cli=${CLI:-$root/build/bin/neurite-cli}
project=${1:-$root/resources/examples/fashion_cnn.neurite.json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/runs.db"
total=$((epochs + tune))
"$cli" train "$project" --epochs "$epochs" --threads "$threads" --db "$db" --json 2> /dev/null |
  grep '"finished"' > "$work/base.json"
# The project with a pruning object (the examples read bundled data, so a copy works anywhere).
variant() {  # NAME PRUNING-JSON
  /usr/bin/python3 - "$project" "$work/$1.neurite.json" "$2" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
if sys.argv[3]:
    doc["training"]["pruning"] = json.loads(sys.argv[3])
json.dump(doc, open(sys.argv[2], "w"), indent=1)
PY
  "$cli" train "$work/$1.neurite.json" --branch "1:$epochs" --epochs "$total" --threads "$threads" --db "$db" \
    --json 2> /dev/null | grep '"finished"' > "$work/$1.json"
}
variant dense ''
variant unstructured '{"final_sparsity": 0.5}'
variant structured "{\"structure\": \"structured\", \"final_sparsity\": $sparsity}"
"$cli" export --run 2 --db "$db" --format native -o "$work/dense.nmodel" > /dev/null 2>&1
"$cli" export --run 4 --db "$db" --format native -o "$work/structured.nmodel" 2> "$work/export.txt" > /dev/null
i=0
while [ $i -lt "$repeats" ]; do
  for f in dense structured; do
    "$cli" predict "$work/$f.nmodel" --bench --bench-batches "$batches" --threads "$threads" 2> /dev/null |
      sed "s/^{/{\"file\":\"$f\",/" >> "$work/bench.jsonl"
  done
  i=$((i + 1))
done
/usr/bin/python3 - "$work" "$epochs" "$tune" "$threads" "$repeats" <<'PY'
import json, os, statistics, sys
work, epochs, tune, threads, repeats = sys.argv[1:6]
def run(name):
    return json.loads(open(os.path.join(work, name + ".json")).read())
base = run("base")
print(f"dense {epochs} epochs: test accuracy {base['test_accuracy']:.4f}")
for name in ("dense", "unstructured", "structured"):
    r = run(name)
    line = f"{name}, then {tune} more epochs: test accuracy {r['test_accuracy']:.4f}"
    for l in r.get("sparsity", []):
        line += f"; {l['node']} {100 * l['sparsity']:.1f}% zero ({l['units_pruned']}/{l['units']} units)"
    print(line)
print(open(os.path.join(work, "export.txt")).read().strip())
rows = [json.loads(l) for l in open(os.path.join(work, "bench.jsonl"))]
print(f"predict --bench, {threads} threads, medians of {repeats} alternating repeats:")
for f in ("dense", "structured"):
    lat = [r for r in rows if r["file"] == f and r["bench"] == "latency"]
    parts = [f"{lat[0]['parameters']} parameters ({lat[0]['nonzero_parameters']} non-zero)",
             f"{lat[0]['flops_per_sample'] / 1e6:.2f} MFLOPs/sample",
             f"batch 1 p50 {statistics.median(r['p50_ms'] for r in lat):.4f} ms"]
    for b in sorted({r["batch"] for r in rows if r["bench"] == "throughput"}):
        v = statistics.median(r["samples_per_sec"] for r in rows if r["file"] == f and r["bench"] == "throughput" and r["batch"] == b)
        parts.append(f"batch {b} {v:,.0f}/s")
    print(f"{f}: " + ", ".join(parts))
PY
