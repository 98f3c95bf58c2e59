#!/usr/bin/env bash
# The Fashion-MNIST transfer-learning example against training from scratch, on the same 1,000
# labelled images of the five other classes (resources/examples/fashion_transfer_*.neurite.json;
# docs/import.md, "Transfer learning"):
#   1. trains the base CNN on five classes and exports it as fashion_transfer_base.nmodel;
#   2. for each seed, fine-tunes from it (new head, frozen convolutions, fc1 at a tenth of the
#      rate) and trains the same network from its initializers (no weights, nothing frozen);
#   3. prints the test accuracies (5,000 test images of the five classes) and their means.
#   tests/bench/transfer_example.sh [BUILD_DIR] [SEEDS...]      (default: build 1 2 3)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-$src/build}
shift || true
seeds=("${@:-1 2 3}")
# shellcheck disable=SC2206
seeds=(${seeds[*]})
cli=$build/bin/neurite-cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME=$work/data  # runs recorded here, not in the user's store
cp "$src"/resources/examples/fashion_transfer_base.neurite.json "$src"/resources/examples/fashion_transfer_finetune.neurite.json "$work"/
echo "base: training on T-shirt/top, Trouser, Pullover, Dress, Coat" >&2
"$cli" export "$work/fashion_transfer_base.neurite.json" --format native -o "$work/fashion_transfer_base.nmodel" >&2
# from scratch: the fine-tuning project without its starting weights, every layer trainable
/usr/bin/python3 - "$work" <<'PY'
import json, sys
d = sys.argv[1]
p = json.load(open(d + "/fashion_transfer_finetune.neurite.json"))
del p["model"]["weights"]
del p["training"]["pretrained_lr_scale"]
for n in p["model"]["nodes"]:
    n.pop("trainable", None)
p["name"] = "Fashion-MNIST transfer: from scratch"
json.dump(p, open(d + "/fashion_transfer_scratch.neurite.json", "w"), indent=2)
PY
accuracy() {  # the test accuracy on the line `train` ends with
  "$cli" train "$1" --seed "$2" 2>&1 | tee -a "$work/log" | sed -n 's/.*test_acc \([0-9.]*\).*/\1/p' | tail -1
}
printf '%-6s %-12s %-12s\n' seed fine-tuned scratch
fts=()
scs=()
for seed in "${seeds[@]}"; do
  ft=$(accuracy "$work/fashion_transfer_finetune.neurite.json" "$seed")
  sc=$(accuracy "$work/fashion_transfer_scratch.neurite.json" "$seed")
  printf '%-6s %-12s %-12s\n' "$seed" "$ft" "$sc"
  fts+=("$ft")
  scs+=("$sc")
done
mean() { /usr/bin/python3 -c 'import sys; v = [float(x) for x in sys.argv[1:]]; print(f"{sum(v) / len(v):.4f}")' "$@"; }
printf '%-6s %-12s %-12s\n' mean "$(mean "${fts[@]}")" "$(mean "${scs[@]}")"
