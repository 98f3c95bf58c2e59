#!/usr/bin/env bash
# The pytorch export's fidelity (docs/scale-out.md): the reference MLP and CNN on Fashion-MNIST
# trained by neurite-cli and by the exported train.py (from the same initial weights and sample
# order), for seeds 1, 2 and 3 at the projects' own epochs; prints each test accuracy and the
# means. Run from the repository root after a build; /usr/bin/python3 needs python3-torch.
#   tests/bench/pytorch_fidelity.sh [SEEDS...]        (default 1 2 3; THREADS=2)
set -eu
cli=${NEURITE_CLI:-build/bin/neurite-cli}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3)
threads=${THREADS:-2}
printf '| model | seed | epochs | Neurite test acc | PyTorch (exported) test acc | difference (pt) |\n|---|---|---|---|---|---|\n'
for model in fashion_mlp fashion_cnn; do
  project=resources/examples/$model.neurite.json
  for seed in "${seeds[@]}"; do
    n=$("$cli" train "$project" --json --no-db --seed "$seed" --device cpu --threads "$threads" 2>/dev/null |
        python3 -c 'import json,sys; print([json.loads(l) for l in sys.stdin if l.startswith("{")][-1]["test_accuracy"])')
    "$cli" export "$project" --format pytorch -o "$work/$model-$seed" --seed "$seed" 2>/dev/null
    t=$(cd "$work/$model-$seed" && /usr/bin/python3 train.py --device cpu --threads "$threads" --json --out run 2>/dev/null |
        python3 -c 'import json,sys; print([json.loads(l) for l in sys.stdin if l.startswith("{")][-1]["test_accuracy"])')
    epochs=$(python3 -c "import json; print(json.load(open('$project'))['training']['epochs'])")
    python3 -c "print('| $model | $seed | $epochs | %.4f | %.4f | %+.2f |' % ($n, $t, 100 * ($t - $n)))"
    echo "$model $n $t" >>"$work/all"
    rm -rf "$work/$model-$seed"
  done
done
python3 - "$work/all" <<'PY'
import sys, collections
acc = collections.defaultdict(lambda: ([], []))
for line in open(sys.argv[1]):
    m, n, t = line.split()
    acc[m][0].append(float(n)); acc[m][1].append(float(t))
for m, (n, t) in acc.items():
    mn, mt = sum(n) / len(n), sum(t) / len(t)
    print(f"{m}: mean test accuracy Neurite {mn:.4f}, PyTorch {mt:.4f}, difference {100 * (mt - mn):+.2f} pt over {len(n)} seeds")
PY
