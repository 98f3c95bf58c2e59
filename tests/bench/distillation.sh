#!/bin/sh
# Distillation on Fashion-MNIST (issue 23, docs/distillation.md): a teacher (the CNN example,
# TEACHER_EPOCHS epochs) and a small student (Conv2D FILTERS 3x3, ReLU, MaxPool 2x2, Flatten,
# Dense 10), trained
# alone and distilled from the stored teacher run (alpha ALPHA, temperature TEMP) with the same
# seeds, data and epochs; prints each seed's test accuracy and the means.
# usage: tests/bench/distillation.sh
# env: THREADS (2), TEACHER_EPOCHS (3), EPOCHS (5), FILTERS (4), ALPHA (0.1), TEMP (2), SEEDS (1 2 3), CLI
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
threads=${THREADS:-2} teacher_epochs=${TEACHER_EPOCHS:-3} epochs=${EPOCHS:-5} filters=${FILTERS:-4}
alpha=${ALPHA:-0.1} temp=${TEMP:-2} seeds=${SEEDS:-1 2 3} cli=${CLI:-$root/build/bin/neurite-cli}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/runs.db"
"$cli" train "$root/resources/examples/fashion_cnn.neurite.json" --epochs "$teacher_epochs" --threads "$threads" \
  --db "$db" --json 2> /dev/null | grep '"finished"' > "$work/teacher.json"
student() {  # FILE DISTILLATION-JSON
  /usr/bin/python3 - "$1" "$filters" "$2" <<'PY'
import json, sys
path, filters, distill = sys.argv[1], int(sys.argv[2]), sys.argv[3]
nodes = [{"id": "input", "op": "Input"},
         {"id": "conv1", "op": "Conv2D", "params": {"filters": filters, "kernel_size": [3, 3], "padding": "same"},
          "inputs": ["input"]},
         {"id": "relu1", "op": "ReLU", "inputs": ["conv1"]},
         {"id": "pool1", "op": "MaxPool2D", "params": {"pool_size": [2, 2]}, "inputs": ["relu1"]},
         {"id": "flatten", "op": "Flatten", "inputs": ["pool1"]},
         {"id": "logits", "op": "Dense", "params": {"units": 10}, "inputs": ["flatten"]}]
training = {"epochs": 5, "batch_size": 64, "optimizer": {"type": "adam", "lr": 0.001}}
if distill:
    training["distillation"] = json.loads(distill)
doc = {"format": "neurite-project", "version": 1, "name": "student",
       "data": {"source": "builtin:fashion-mnist", "validation_split": 0.1, "scaling": "auto"},
       "model": {"nodes": nodes, "output": "logits"}, "training": training}
json.dump(doc, open(path, "w"), indent=1)
PY
}
student "$work/alone.neurite.json" ''
student "$work/distilled.neurite.json" "{\"teacher\": \"run:1\", \"alpha\": $alpha, \"temperature\": $temp}"
for seed in $seeds; do
  for kind in alone distilled; do
    "$cli" train "$work/$kind.neurite.json" --seed "$seed" --epochs "$epochs" --threads "$threads" --db "$db" --json 2> /dev/null |
      grep '"finished"' | sed "s/^{/{\"kind\":\"$kind\",\"seed\":$seed,/" >> "$work/students.jsonl"
  done
done
/usr/bin/python3 - "$work" "$filters" "$alpha" "$temp" "$epochs" <<'PY'
import json, os, statistics, sys
work, filters, alpha, temp, epochs = sys.argv[1:6]
teacher = json.load(open(os.path.join(work, "teacher.json")))
print(f"teacher (Fashion-MNIST CNN): test accuracy {teacher['test_accuracy']:.4f}")
rows = [json.loads(l) for l in open(os.path.join(work, "students.jsonl"))]
for kind in ("alone", "distilled"):
    accs = [r["test_accuracy"] for r in rows if r["kind"] == kind]
    print(f"student (Conv2D {filters} filters, {epochs} epochs) {kind}: " + ", ".join(f"{a:.4f}" for a in accs) +
          f"; mean {statistics.mean(accs):.4f}")
print(f"distillation: alpha {alpha}, temperature {temp}")
PY
