#!/bin/sh
# Quantization-aware training against post-training quantization (issue 23,
# docs/quantization.md): one float run of a Fashion-MNIST example (EPOCHS epochs), then from its
# last epoch TUNE more epochs twice: in float (then quantized after training: PTQ) and with
# quantization-aware training (QAT). Both are exported as Neurite int8 models with each
# calibration method; the export evaluates float and int8 (on Neurite's int8 runtime) on the test
# split. Same data, seeds and epochs.
# usage: tests/bench/qat_vs_ptq.sh [PROJECT]   (default: the Fashion-MNIST CNN)
# env: THREADS (2), EPOCHS (3), TUNE (2), TUNE_LR (the project's learning rate), CLI
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
threads=${THREADS:-2} epochs=${EPOCHS:-3} tune=${TUNE:-2} cli=${CLI:-$root/build/bin/neurite-cli}
lr=${TUNE_LR:+--lr $TUNE_LR}
project=${1:-$root/resources/examples/fashion_cnn.neurite.json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/runs.db"
total=$((epochs + tune))
"$cli" train "$project" --epochs "$epochs" --threads "$threads" --db "$db" > /dev/null 2>&1
for kind in ptq qat; do
  /usr/bin/python3 - "$project" "$work/$kind.neurite.json" "$kind" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
if sys.argv[3] == "qat":
    doc["training"]["quantization_aware"] = {"begin_step": 0}
json.dump(doc, open(sys.argv[2], "w"), indent=1)
PY
  # shellcheck disable=SC2086
  "$cli" train "$work/$kind.neurite.json" --branch "1:$epochs" --epochs "$total" $lr --threads "$threads" --db "$db" \
    --json 2> /dev/null | grep '"finished"' > "$work/$kind.json"
done
for run in 2 3; do
  for method in minmax percentile entropy; do
    "$cli" export --run "$run" --db "$db" --format native-int8 --calibration "$method" \
      -o "$work/$run-$method.nmodel" --json 2> /dev/null | sed "s/^{/{\"run\":$run,/" >> "$work/exports.jsonl"
  done
done
/usr/bin/python3 - "$work" "$epochs" "$tune" <<'PY'
import json, os, sys
work, epochs, tune = sys.argv[1:4]
rows = [json.loads(l) for l in open(os.path.join(work, "exports.jsonl"))]
for run, kind in ((2, "ptq"), (3, "qat")):
    fin = json.load(open(os.path.join(work, f"{kind}.json")))
    label = "float fine-tune, then int8 (PTQ)" if kind == "ptq" else "quantization-aware fine-tune (QAT)"
    line = f"{label}, {epochs}+{tune} epochs: run's own test accuracy {fin['test_accuracy']:.4f}"
    for r in rows:
        if r["run"] == run:
            line += f"; int8 ({r['calibration']}) {r['int8']:.4f}"
    line += f"; float {[r for r in rows if r['run'] == run][0]['float']:.4f}"
    print(line)
PY
