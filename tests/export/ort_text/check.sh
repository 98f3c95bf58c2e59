#!/bin/sh
# An exported text model in ONNX Runtime against neurite-cli predict on the same raw texts
# (docs/export.md). Needs node and ONNX Runtime from the npm registry:
#   mkdir /tmp/ort && cd /tmp/ort && npm install --ignore-scripts onnxruntime-node
# usage: tests/export/ort_text/check.sh PROJECT TEXTS.txt [ORT_DIR=/tmp/ort] [CLI=build/bin/neurite-cli]
set -eu
project=$1 texts=$2 ort=${3:-/tmp/ort} cli=${4:-build/bin/neurite-cli}
here=$(dirname "$0") work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Two exports train the same seeded run: the same weights in both files.
"$cli" export "$project" --format onnx -o "$work/m.onnx" > /dev/null
"$cli" export "$project" --format native -o "$work/m.nmodel" > /dev/null
"$cli" predict "$work/m.nmodel" --input "$texts" > "$work/neurite.jsonl"
/usr/bin/python3 "$here/text_ids.py" "$work/m.onnx" "$texts" "$work/ids.json"
NODE_PATH="$ort/node_modules" node "$here/run.js" "$work/m.onnx" "$work/ids.json" "$work/ort.json"
/usr/bin/python3 - "$work" <<'PY'
import json, sys
import numpy as np
w = sys.argv[1]
ours = np.array([json.loads(l)["probabilities"] for l in open(f"{w}/neurite.jsonl")])
o = json.load(open(f"{w}/ort.json"))["probabilities"]
theirs = np.array(o["data"]).reshape(o["dims"])
print(json.dumps({"texts": len(ours), "max_abs_diff": float(np.abs(ours - theirs).max()),
                  "same_class": int((ours.argmax(1) == theirs.argmax(1)).sum())}))
PY
