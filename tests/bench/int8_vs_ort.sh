#!/bin/sh
# Int8 side by side (issue 23): one stored run of each Fashion-MNIST example exported four ways
# (float and int8, native and ONNX, the int8 ones calibrated alike), then
#  - accuracy on the 10,000 test images: neurite-cli predict on the native files (the int8 one on
#    Neurite's int8 runtime) and ONNX Runtime on the ONNX files (the int8 one a QDQ graph), with
#    how many predicted classes the two runtimes share;
#  - speed: neurite-cli predict --bench of the float and the int8 native file, alternating.
# Needs node and ONNX Runtime from the npm registry (see tests/bench/predict_vs_ort.sh).
# usage: tests/bench/int8_vs_ort.sh [PROJECT...]   (default: the Fashion-MNIST MLP and CNN)
# env: THREADS (2), EPOCHS (1), BATCHES (1,64,256,1024), REPEATS (3), ORT (/tmp/ort), CLI, DATA
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
threads=${THREADS:-2} epochs=${EPOCHS:-1} batches=${BATCHES:-1,64,256,1024} repeats=${REPEATS:-3}
ort=${ORT:-/tmp/ort} cli=${CLI:-$root/build/bin/neurite-cli} data=${DATA:-/usr/share/datasets/fashion-mnist}
[ $# -gt 0 ] || set -- "$root/resources/examples/fashion_mlp.neurite.json" "$root/resources/examples/fashion_cnn.neurite.json"
[ -d "$ort/node_modules/onnxruntime-node" ] || { echo "error: no onnxruntime-node in $ort" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
id=0
for project in "$@"; do
  name=$(basename "$project" .neurite.json)
  "$cli" train "$project" --epochs "$epochs" --threads "$threads" --db "$work/runs.db" > /dev/null 2>&1
  id=$((id + 1))
  for f in native native-int8 onnx onnx-int8; do
    ext=nmodel; case $f in onnx*) ext=onnx ;; esac
    "$cli" export --run "$id" --db "$work/runs.db" --format "$f" -o "$work/$name.$f.$ext" --json 2> /dev/null > "$work/$name.$f.json"
  done
  for f in native native-int8; do
    "$cli" predict "$work/$name.$f.nmodel" --input "$data/t10k-images-idx3-ubyte.gz" --csv --threads "$threads" 2> /dev/null |
      tail -n +2 > "$work/$name.$f.csv"
  done
  for f in onnx onnx-int8; do
    NODE_PATH="$ort/node_modules" node "$here/ort_accuracy.js" "$work/$name.$f.onnx" "$data/t10k-images-idx3-ubyte.gz" \
      "$data/t10k-labels-idx1-ubyte.gz" "$work/$name.$f.classes" "$threads" > "$work/$name.$f.acc"
  done
  i=0
  while [ $i -lt "$repeats" ]; do
    for f in native native-int8; do
      "$cli" predict "$work/$name.$f.nmodel" --bench --bench-batches "$batches" --threads "$threads" 2> /dev/null |
        sed "s/^{/{\"model\":\"$name\",\"file\":\"$f\",/" >> "$work/bench.jsonl"
    done
    i=$((i + 1))
  done
done
/usr/bin/python3 - "$work" "$data" "$threads" "$repeats" "$@" <<'PY'
import gzip, json, os, statistics, sys
work, data, threads, repeats, projects = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
labels = list(gzip.open(os.path.join(data, "t10k-labels-idx1-ubyte.gz")).read()[8:])
rows = [json.loads(l) for l in open(os.path.join(work, "bench.jsonl"))]
print(f"Fashion-MNIST test split ({len(labels)} images); {threads} threads; speed medians of {repeats} alternating repeats")
for p in projects:
    name = os.path.basename(p).replace(".neurite.json", "")
    report = json.load(open(os.path.join(work, f"{name}.native-int8.json")))
    def neurite(f):  # the argmax of each CSV row's probabilities (the model's class order)
        out = []
        for line in open(os.path.join(work, f"{name}.{f}.csv")):
            p = [float(v) for v in line.strip().split(",")[1:]]
            out.append(max(range(len(p)), key=p.__getitem__))
        return out
    def ort(f):
        return [int(l) for l in open(os.path.join(work, f"{name}.{f}.classes"))]
    fi, qi, of, oq = neurite("native"), neurite("native-int8"), ort("onnx"), ort("onnx-int8")
    acc = lambda pred: sum(a == b for a, b in zip(pred, labels)) / len(labels)
    same = lambda a, b: sum(x == y for x, y in zip(a, b))
    print(f"{name}: accuracy float neurite {acc(fi):.4f}, float onnxruntime {acc(of):.4f}, "
          f"int8 neurite {acc(qi):.4f}, int8 QDQ onnxruntime {acc(oq):.4f}; "
          f"int8 classes equal in {same(qi, oq)} of {len(labels)}; float classes equal in {same(fi, of)}")
    print(f"{name}: export report int8 {report['int8']:.4f} float {report['float']:.4f}; "
          f"sizes float {report['float_bytes']} bytes, int8 {report['bytes']} bytes")
    for b in sorted({r["batch"] for r in rows if r["model"] == name and r["bench"] == "throughput"}):
        med = lambda f: statistics.median(r["samples_per_sec"] for r in rows if r["model"] == name and r["file"] == f and r["batch"] == b and r["bench"] == "throughput")
        print(f"{name}: batch {b}: fp32 {med('native'):.0f} samples/s, int8 {med('native-int8'):.0f} samples/s, int8/fp32 {med('native-int8') / med('native'):.2f}")
    lat = lambda f, k: statistics.median(r[k] for r in rows if r["model"] == name and r["file"] == f and r["bench"] == "latency")
    print(f"{name}: batch 1 p50 fp32 {lat('native', 'p50_ms'):.4f} ms, int8 {lat('native-int8', 'p50_ms'):.4f} ms")
PY
