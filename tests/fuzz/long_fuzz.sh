#!/usr/bin/env bash
# Long fuzz runs of every reader of untrusted files (issue 17's bar: 10 minutes each, no crash,
# hang or allocation above 1 GB). Builds the engine and run store with clang, AddressSanitizer,
# UBSan and libFuzzer coverage (NEURITE_FUZZ=ON) in BUILD_DIR, then runs each fuzz_<reader>
# for SECONDS on its seed corpus (tests/fuzz/corpus/<reader>) plus what earlier runs kept
# (BUILD_DIR/corpus_<reader>). A crash, a timeout (one input over 10 s, 30 s for images), a single allocation over
# 1 GiB or a process over 2 GiB RSS (ASan's own overhead included) stops that reader and fails
# the script; the input is kept as BUILD_DIR/crash_<reader>_*. Copy it into corpus/<reader>/ once
# fixed: the ordinary build replays the corpus in CTest (fuzz_replay_<reader>).
#   tests/fuzz/long_fuzz.sh [BUILD_DIR] [SECONDS] [READER...]
#   defaults: build-fuzz, 600, every reader
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-$src/build-fuzz}
seconds=${2:-600}
shift $(( $# > 2 ? 2 : $# ))
readers=("$@")
[ ${#readers[@]} -gt 0 ] || readers=(csv npy idx project cifar image model rundb)
command -v clang++ >/dev/null || { echo "long_fuzz: clang++ is missing (scripts/dev.sh installs it)"; exit 2; }

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
CC=clang CXX=clang++ cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNEURITE_FUZZ=ON -DNEURITE_BUILD_GUI=OFF -DNEURITE_WITH_CUDA=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" --target fuzz_all -j "$(nproc)"

# Inputs as large as the seeds need: a run database of a few pages, a small model file.
declare -A max_len=([csv]=4096 [npy]=4096 [idx]=4096 [project]=8192 [cifar]=8192 [image]=4096
                    [model]=16384 [rundb]=65536)
# One input may take 10 s; the image reader 30: a 21-byte GIF may declare 31 megapixels (within
# the 50 MP cap), and clearing that canvas takes 0.1 s in the release build but ~11 s under ASan.
declare -A timeout=([image]=30)
status=0
for reader in "${readers[@]}"; do
  bin="$build/bin/fuzz_$reader"
  [ -x "$bin" ] || { echo "long_fuzz: no $bin"; status=1; continue; }
  corpus="$build/corpus_$reader"
  mkdir -p "$corpus"
  log="$build/fuzz_$reader.log"
  echo "fuzz_$reader: ${seconds}s, $(ls "$here/corpus/$reader" | wc -l) seeds, started $(date -u +%H:%M:%S)"
  # OpenMP (oneDNN) threads would only add noise to one input's run.
  if OMP_NUM_THREADS=1 ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 \
     "$bin" -max_total_time="$seconds" -max_len="${max_len[$reader]}" -timeout="${timeout[$reader]:-10}" \
       -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 \
       -artifact_prefix="$build/crash_${reader}_" "$corpus" "$here/corpus/$reader" >"$log" 2>&1; then
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$log" | tr '\n' ' '
    echo "cov: $(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2) edges, corpus $(ls "$corpus" | wc -l) inputs"
  else
    echo "fuzz_$reader FAILED; see $log"
    grep -E "ERROR|SUMMARY|==[0-9]+==|Test unit written" "$log" | head -20
    status=1
  fi
done
exit $status
