#!/usr/bin/env bash
# One-command check of the CUDA backend on a GPU machine (see docs/gpu.md).
#   scripts/gpu_check.sh prepare   here, once: download the Debian packages the headless build
#                                  needs into .devdeps/ (git-ignored), with Fashion-MNIST
#   scripts/gpu_check.sh pack      here, after building: neurite-cli and the CUDA plugin of build/,
#                                  stripped and xz-compressed, into .devdeps/prebuilt; `run` then
#                                  checks with them at once while the device builds its own
#   scripts/gpu_check.sh with CMD... CMD with the carried libraries, $NEURITE_CLI the packed (else the
#                                  built) neurite-cli and $DEPS the .devdeps folder
#   scripts/gpu_check.sh build-cli the headless build only (NEURITE_WITH_CUDA=OFF where there is
#                                  no nvcc), into build-gpu/; used by scripts/fresh_check.sh
#   scripts/gpu_check.sh run       on the GPU machine (carry .devdeps): headless build with
#                                  CUDA, neurite-cli selftest --device cuda, cpu-vs-cuda
#                                  trainings, the cuda test label when Qt is there, and
#                                  neurite-cli bench next to PyTorch on the GPU; logs in $OUT,
#                                  a short table last
# Exit status of run: 0 when every check passed, 1 otherwise.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
deps=$here/.devdeps
# Debian's dnnl-config.cmake calls find_package(OpenCL) (its GPU runtime): the OpenCL headers and
# loader come along. scripts/fresh_check.sh proves this list in a root without any -dev package.
packages="libdnnl2 libdnnl-dev libonnx1 libonnx-dev libonnxifi libprotobuf32 libprotobuf-dev
  libstb0 libstb-dev libsqlite3-0 libsqlite3-dev nlohmann-json3-dev zlib1g-dev
  pkgconf-bin libpkgconf3 ocl-icd-opencl-dev ocl-icd-libopencl1 opencl-c-headers"

prepare() {
  # .devdeps/ is in .gitignore, so the device tool carries it only when named in `carry`
  mkdir -p "$deps/debs" && cd "$deps/debs" || exit 1
  # shellcheck disable=SC2086
  apt-get download $packages || { echo "error: apt-get download failed" >&2; exit 2; }
  if [ -d /usr/share/datasets/fashion-mnist ]; then
    mkdir -p "$deps/fashion-mnist" && cp /usr/share/datasets/fashion-mnist/*.gz "$deps/fashion-mnist/"
  else
    echo "warning: /usr/share/datasets/fashion-mnist missing (apt-get install dataset-fashion-mnist);" \
         "the trainings and benchmarks will be skipped" >&2
  fi
  # builtin:fortunes' five categories (Debian's fortunes package), for the text example
  if [ -d /usr/share/games/fortunes ]; then
    mkdir -p "$deps/fortunes"
    for f in computers food love politics science; do cp /usr/share/games/fortunes/$f "$deps/fortunes/"; done
  fi
  # cuDNN's headers, for a GPU machine whose cuDNN (PyTorch's wheel) ships the library alone
  if ls /usr/local/cuda/include/cudnn*.h >/dev/null 2>&1; then
    mkdir -p "$deps/cudnn-include" && cp /usr/local/cuda/include/cudnn*.h "$deps/cudnn-include/"
  fi
  du -sh "$deps"
}

pack() {
  local bin=$here/build/bin f
  for f in neurite-cli libneurite_cuda.so; do
    [ -f "$bin/$f" ] || { echo "error: $bin/$f missing: build with CUDA here first" >&2; exit 2; }
  done
  mkdir -p "$deps/prebuilt" && rm -f "$deps/prebuilt"/*
  for f in neurite-cli libneurite_cuda.so; do
    strip -o "$deps/prebuilt/$f" "$bin/$f" && xz -9 "$deps/prebuilt/$f" || exit 1
  done
  git -C "$here" rev-parse --short HEAD >"$deps/prebuilt/revision"
  du -sh "$deps" "$deps/prebuilt"
}

# find_lib NAME: the folders holding NAME among the CUDA toolkit's and the Python wheels' libraries
find_lib() {
  { ls -d /usr/local/cuda/lib64 /usr/local/cuda/lib /usr/local/cuda/targets/x86_64-linux/lib 2>/dev/null
    python3 -c 'import nvidia, os; print("\n".join(os.path.realpath(p) for p in nvidia.__path__))' 2>/dev/null
  } | while read -r d; do find "$d" -maxdepth 4 -name "$1" 2>/dev/null; done | xargs -r -n1 dirname | awk '!seen[$0]++'
}

# with CMD...: runs CMD with the carried libraries and the packed (else the built) neurite-cli as
# $NEURITE_CLI, for one-off checks on the GPU machine
with() {
  local root cudnn_root cudnn_include f
  use_devdeps
  export NEURITE_CLI=$here/build-gpu/bin/neurite-cli DEPS=$deps
  if ls "$deps"/prebuilt/*.xz >/dev/null 2>&1; then
    mkdir -p "$deps/prebuilt/bin"
    for f in "$deps"/prebuilt/*.xz; do xz -dc "$f" >"$deps/prebuilt/bin/$(basename "$f" .xz)"; done
    chmod +x "$deps/prebuilt/bin/"*
    NEURITE_CLI=$deps/prebuilt/bin/neurite-cli
  fi
  "$@"
}

# Unpacks each .deb's data archive into .devdeps/root with Python (no dpkg needed).
extract() {
  python3 - "$deps/debs" "$deps/root" <<'PY'
import io, os, sys, tarfile
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
for name in sorted(os.listdir(src)):
    if not name.endswith(".deb"):
        continue
    data = open(os.path.join(src, name), "rb").read()
    assert data[:8] == b"!<arch>\n", name
    pos = 8
    while pos < len(data):
        header = data[pos:pos + 60]
        member = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        body = data[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)
        if member.startswith("data.tar"):
            with tarfile.open(fileobj=io.BytesIO(body)) as tar:
                tar.extractall(dst)
PY
}

# Unpacks .devdeps and points CMake, pkg-config and the loader at it; sets root and cudnn_root.
use_devdeps() {
  [ -d "$deps/debs" ] || { echo "error: no .devdeps/debs; run scripts/gpu_check.sh prepare here first and carry .devdeps" >&2; exit 2; }
  extract || { echo "error: unpacking .devdeps failed" >&2; exit 2; }
  root=$deps/root/usr
  cudnn_root=$(python3 -c 'import nvidia.cudnn as m, os; print(list(m.__path__)[0])' 2>/dev/null || true)
  [ -n "$cudnn_root" ] && [ ! -e "$cudnn_root/lib/libcudnn.so.9" ] && cudnn_root=
  if [ -z "$cudnn_root" ]; then  # another wheel layout, or cuDNN beside the toolkit
    local dir; dir=$(find_lib libcudnn.so.9 | head -1)
    [ -n "$dir" ] && cudnn_root=$(dirname "$dir")
  fi
  cudnn_include=
  if [ -n "$cudnn_root" ] && [ ! -e "$cudnn_root/include/cudnn.h" ] && [ -d "$deps/cudnn-include" ]; then
    cudnn_include=$deps/cudnn-include
  fi
  local libs; libs=$( { find_lib libcudnn.so.9; find_lib libcublas.so.13; } | awk '!seen[$0]++' | paste -sd: -)
  export LD_LIBRARY_PATH=$root/lib/x86_64-linux-gnu${libs:+:$libs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  # stb is found through pkg-config: its .pc files say /usr, the sysroot maps that into .devdeps
  export PKG_CONFIG_PATH=$root/lib/x86_64-linux-gnu/pkgconfig:$root/share/pkgconfig
  export PKG_CONFIG_SYSROOT_DIR=$deps/root
}

# configure BUILD GUI [TARGET]: the headless (or, where Qt is, full) build against .devdeps
configure_build() {
  local build=$1 gui=$2 target=${3:-all} pkgconfig=()
  command -v pkg-config >/dev/null || pkgconfig=(-DPKG_CONFIG_EXECUTABLE="$root/bin/pkgconf")
  cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNEURITE_BUILD_GUI="$gui" \
      -DNEURITE_WITH_CUDA="${NEURITE_WITH_CUDA:-ON}" -DCMAKE_CUDA_ARCHITECTURES=90 -DCMAKE_PREFIX_PATH="$root" \
      -DCMAKE_INCLUDE_PATH="$root/include" -DCMAKE_LIBRARY_PATH="$root/lib/x86_64-linux-gnu" \
      ${cudnn_root:+-DNEURITE_CUDNN_ROOT=$cudnn_root} ${cudnn_include:+-DNEURITE_CUDNN_INCLUDE_DIR=$cudnn_include} \
      "${pkgconfig[@]}" &&
    cmake --build "$build" -j "${NEURITE_JOBS:-16}" --target "$target"
}

build_cli() {
  local root cudnn_root cudnn_include
  use_devdeps
  configure_build "$here/build-gpu" OFF neurite-cli || { echo "error: the headless build failed" >&2; exit 1; }
  "$here/build-gpu/bin/neurite-cli" --version
}

# train_args EXAMPLE: a 2-epoch training of a bundled example, the same on both devices
train_args() {
  echo "train $here/resources/examples/$1.neurite.json --json --no-db --epochs 2 --seed 1"
  case $1 in
    spiral) ;;
    fortunes_topics) echo "--data text:$deps/fortunes?format=fortune&classes=computers,food,love,politics,science" ;;
    *) echo "--data idx:$deps/fashion-mnist" ;;
  esac
}

run() {
  out=${NEURITE_GPU_OUT:-${OUT:-$here/gpu-check-out}}
  mkdir -p "$out"
  local build=$here/build-gpu status=0 root cudnn_root cudnn_include build_pid=
  declare -A result
  use_devdeps
  {
    echo "date: $(date -u)"; nvidia-smi 2>&1 | head -15; nvcc --version 2>&1 | tail -2
    echo "cmake: $(cmake --version | head -1)"; echo "cxx: $(c++ --version | head -1)"
    python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version())' 2>&1
    echo "cudnn: ${cudnn_root:-none} (headers: ${cudnn_include:-with it})"; echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
    ls /usr/local/cuda/lib64 2>/dev/null | grep -E 'cublas|cudnn' | head
    echo "Qt6: $(ls /usr/lib/x86_64-linux-gnu/cmake/Qt6 2>/dev/null | head -1 || true)"
  } >"$out/env.txt" 2>&1
  local gui=${NEURITE_BUILD_GUI:-OFF}  # ON only where Qt is there (for the cuda CTest label)
  [ -z "${NEURITE_BUILD_GUI:-}" ] && [ -d /usr/lib/x86_64-linux-gnu/cmake/Qt6Test ] && gui=ON
  local cli=$build/bin/neurite-cli
  if ls "$deps"/prebuilt/*.xz >/dev/null 2>&1; then
    # binaries built where the sources are (`pack`): the checks start at once, while the device
    # builds its own beside them (the benchmarks wait for that build, which would skew them)
    mkdir -p "$deps/prebuilt/bin" && local f
    for f in "$deps"/prebuilt/*.xz; do xz -dc "$f" >"$deps/prebuilt/bin/$(basename "$f" .xz)"; done
    chmod +x "$deps/prebuilt/bin/"*
    cli=$deps/prebuilt/bin/neurite-cli
    echo "checks with the binaries packed at $(cat "$deps/prebuilt/revision" 2>/dev/null)" >>"$out/env.txt"
    (renice -n 19 "$BASHPID" >/dev/null; NEURITE_JOBS=${NEURITE_JOBS:-6}
     configure_build "$build" "$gui" >"$out/build.log" 2>&1) &
    build_pid=$!
  elif configure_build "$build" "$gui" >"$out/build.log" 2>&1; then
    result[build]=ok
  else
    result[build]="FAILED (build.log)"; status=1
  fi
  if [ -x "$cli" ]; then
    timeout 60 "$cli" devices >"$out/devices.txt" 2>&1
    result[devices]=$(grep -m1 '^cuda' "$out/devices.txt" || grep -m1 '^GPU' "$out/devices.txt")
    local data=idx:$deps/fashion-mnist ex examples=()
    # the fortunes' Embedding and the Fashion rows' LSTM run on the GPU since 2026-12-05
    [ -d "$deps/fashion-mnist" ] && examples=(spiral fashion_mlp fashion_cnn fashion_rows_lstm fortunes_topics)
    # the CPU references need no GPU: they run beside the selftest and the GPU trainings
    # (at 8 threads, and for the CPU's own spread at 4 threads, where float sums go in another
    # order, and from weights one ulp away, which an LSTM amplifies to percents: docs/gpu.md),
    # one after another, with OpenMP's threads sleeping rather than spinning while they wait
    local cpu_jobs=() threads
    for ex in "${examples[@]}"; do
      for threads in 8 4; do
        OMP_WAIT_POLICY=PASSIVE timeout 200 "$cli" $(train_args "$ex") --device cpu --threads "$threads" \
          >"$out/train_${ex}_cpu$threads.jsonl" 2>"$out/train_${ex}_cpu$threads.err"
      done
      OMP_WAIT_POLICY=PASSIVE timeout 200 "$cli" $(train_args "$ex") --device cpu --threads 8 --perturb 1 \
        >"$out/train_${ex}_cpu8p.jsonl" 2>"$out/train_${ex}_cpu8p.err"
      OMP_WAIT_POLICY=PASSIVE timeout 120 "$cli" $(train_args "$ex") --device cpu --threads 8 \
        --epochs 3 --max-steps 20 >"$out/steps_${ex}_cpu8.jsonl" 2>"$out/steps_${ex}_cpu8.err"
    done &
    cpu_jobs+=($!)
    timeout 240 "$cli" selftest --device cuda >"$out/selftest.txt" 2>&1
    case $? in
      0) result[selftest]="pass ($(tail -1 "$out/selftest.txt"))" ;;
      124) result[selftest]="FAILED: timed out after 240 s"; status=1 ;;
      *) result[selftest]="FAILED: $(tail -1 "$out/selftest.txt")"; status=1 ;;
    esac
    for ex in "${examples[@]}"; do
      timeout 240 "$cli" $(train_args "$ex") --device cuda \
        >"$out/train_${ex}_cuda.jsonl" 2>"$out/train_${ex}_cuda.err"
      # the first 3 x 20 steps from the same weights, where float drift has not yet grown: a
      # difference there is an error, not the order of a sum (the CPU's run follows below)
      timeout 120 "$cli" $(train_args "$ex") --device cuda --epochs 3 --max-steps 20 \
        >"$out/steps_${ex}_cuda.jsonl" 2>"$out/steps_${ex}_cuda.err"
    done
    [ ${#cpu_jobs[@]} -gt 0 ] && wait "${cpu_jobs[@]}"
    if [ -n "$build_pid" ]; then
      if wait "$build_pid"; then
        result[build]=ok
        # the device's own build: its plugin loads and passes the self-test too
        if timeout 240 "$build/bin/neurite-cli" selftest --device cuda >"$out/selftest_built.txt" 2>&1; then
          result[selftest_built]="pass ($(tail -1 "$out/selftest_built.txt"))"
        else
          result[selftest_built]="FAILED: $(tail -1 "$out/selftest_built.txt")"; status=1
        fi
      else
        result[build]="FAILED (build.log)"; status=1
      fi
    fi
    for ex in "${examples[@]}"; do
      result[steps_$ex]=$(python3 "$here/tests/bench/compare_trainings.py" --tolerance 1e-4 \
        "$out/steps_${ex}_cpu8.jsonl" "$out/steps_${ex}_cuda.jsonl" 2>&1)
      case ${result[steps_$ex]} in pass*) ;; *) status=1 ;; esac
      result[train_$ex]=$(python3 "$here/tests/bench/compare_trainings.py" \
        "$out/train_${ex}_cpu8.jsonl" "$out/train_${ex}_cuda.jsonl" \
        --baseline "$out/train_${ex}_cpu4.jsonl" --baseline "$out/train_${ex}_cpu8p.jsonl" 2>&1)
      case ${result[train_$ex]} in pass*) ;; *) status=1 ;; esac
    done
    if [ ${#examples[@]} -gt 0 ]; then
      local batch model
      for batch in 64 1024; do
        timeout 300 python3 "$here/tests/bench/compare_torch.py" --cli "$cli" --device cuda \
          --threads 16 --repeats "${NEURITE_GPU_REPEATS:-3}" --batch-size "$batch" --data "$deps/fashion-mnist" \
          >"$out/bench_$batch.md" 2>"$out/bench_$batch.err"
        if [ $? -eq 0 ]; then result[bench_$batch]="see bench_$batch.md"
        else result[bench_$batch]="FAILED (bench_$batch.err)"; status=1; fi
      done
      # the recurrent and text models (cuDNN's RNN, the embedding kernels) at batch 64
      for model in lstm gru text-lstm text-gru; do
        timeout 200 python3 "$here/tests/bench/compare_torch.py" --cli "$cli" --device cuda \
          --threads 16 --repeats "${NEURITE_GPU_SEQ_REPEATS:-1}" --batch-size 64 --model "$model" \
          --data "$deps/fashion-mnist" >"$out/bench_$model.md" 2>"$out/bench_$model.err"
        if [ $? -eq 0 ]; then result[bench_$model]="see bench_$model.md"
        else result[bench_$model]="FAILED (bench_$model.err)"; status=1; fi
      done
      # what reading the loss back every step costs (the default reads up to 256 at once)
      for model in text-lstm mlp; do
        for steps in 1 256; do
          timeout 60 "$cli" bench --model "$model" --batch-size 64 --device cuda --data "idx:$deps/fashion-mnist" \
            --readback-steps "$steps" --json 2>/dev/null | grep '^{' >>"$out/readback.jsonl"
        done
      done
      result[readback]=$(python3 -c 'import json,sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("; ".join("%s x%s %.0f/s" % (r["model"], r["readback_steps"], r["samples_per_sec"]) for r in rows))' \
        "$out/readback.jsonl" 2>&1)
      # where the text LSTM's time goes: GPU time per call (each call waits, docs/gpu.md)
      NEURITE_CUDA_PROFILE=1 timeout 60 "$cli" bench --model text-lstm --batch-size 64 --device cuda \
        --max-steps 100 --json >"$out/profile_text-lstm.json" 2>"$out/profile_text-lstm.txt"
    else
      result[train]="skipped: no .devdeps/fashion-mnist"
    fi
    if [ "$gui" = ON ]; then
      (cd "$build" && timeout 600 ctest -L cuda --output-on-failure) >"$out/ctest_cuda.txt" 2>&1
      if [ $? -eq 0 ]; then result[ctest_cuda]=pass; else result[ctest_cuda]="FAILED"; status=1; fi
    else
      result[ctest_cuda]="not built (no Qt here); selftest and trainings above cover it"
    fi
  fi
  {
    echo; echo "== GPU check ($(date -u +%F), logs in $out)"
    for k in build devices selftest selftest_built train_spiral steps_spiral train_fashion_mlp \
             steps_fashion_mlp train_fashion_cnn steps_fashion_cnn train_fashion_rows_lstm \
             steps_fashion_rows_lstm train_fortunes_topics steps_fortunes_topics train ctest_cuda bench_64 bench_1024 \
             bench_lstm bench_gru bench_text-lstm bench_text-gru readback; do
      [ -n "${result[$k]:-}" ] && printf '%-18s %s\n' "$k" "${result[$k]}"
    done
    for f in "$out"/bench_64.md "$out"/bench_1024.md "$out"/bench_*[a-z].md; do [ -s "$f" ] && cat "$f"; done
  } | tee "$out/summary.txt"
  exit $status
}

# Where the CNN's time goes on the GPU: the self-test, then the CNN at batch 1024
# under each of the four algorithm choices (NEURITE_CUDNN_SEARCH, NEURITE_CUDNN_DETERMINISTIC),
# with a per-call profile of each (NEURITE_CUDA_PROFILE); NEURITE_PROFILE_SEARCHES and
# NEURITE_PROFILE_DETERMINISTIC narrow the choices, NEURITE_PROFILE_COMPARE=1 adds the MLP and
# CNN beside PyTorch at batch 1024 and 64 (as `run` does). Logs in $OUT.
profile() {
  out=${OUT:-$here/gpu-check-out}
  mkdir -p "$out"
  local build=$here/build-gpu root cudnn_root status=0
  use_devdeps
  { echo "date: $(date -u)"; nvidia-smi 2>&1 | head -12; nvcc --version 2>&1 | tail -2
    python3 -c 'import torch; print("torch", torch.__version__, "cudnn", torch.backends.cudnn.version())' 2>&1
  } >"$out/env.txt" 2>&1
  local t0=$SECONDS
  configure_build "$build" OFF >"$out/build.log" 2>&1 || { echo "build FAILED"; tail -30 "$out/build.log"; exit 1; }
  echo "build: $((SECONDS - t0)) s"
  local cli=$build/bin/neurite-cli data=$deps/fashion-mnist
  timeout 240 "$cli" selftest --device cuda >"$out/selftest.txt" 2>&1
  local rc=$?
  [ $rc -eq 0 ] || status=1
  echo "selftest: exit $rc, $(grep -ci fail "$out/selftest.txt") lines with FAIL; $(tail -1 "$out/selftest.txt")"
  grep -i "fail" "$out/selftest.txt" | head -5
  local search det
  for search in ${NEURITE_PROFILE_SEARCHES:-heuristic measure}; do
    for det in ${NEURITE_PROFILE_DETERMINISTIC:-1 0}; do
      echo "== cnn 1024, search=$search deterministic=$det"
      NEURITE_CUDNN_SEARCH=$search NEURITE_CUDNN_DETERMINISTIC=$det NEURITE_CUDA_PROFILE=1 \
        timeout 60 "$cli" bench --model cnn --batch-size 1024 --device cuda --data "idx:$data" \
        --max-steps 30 --json >"$out/profile_${search}_$det.json" 2>"$out/profile_${search}_$det.txt"
      grep -E "conv |^\| (all|conv|maxpool|dense|[a-zA-Z]+) " "$out/profile_${search}_$det.txt" | head -16
      for r in 1 2; do
        NEURITE_CUDNN_SEARCH=$search NEURITE_CUDNN_DETERMINISTIC=$det timeout 60 "$cli" bench \
          --model cnn --batch-size 1024 --device cuda --data "idx:$data" --json 2>/dev/null |
          python3 -c 'import json,sys; [print("  samples/s %.0f acc %.4f" % (r["samples_per_sec"], r.get("test_accuracy", 0))) for r in map(json.loads, (l for l in sys.stdin if l.startswith("{")))]'
      done
    done
  done
  if [ -n "${NEURITE_PROFILE_COMPARE:-}" ]; then  # beside PyTorch, with the default choice
    local batch
    for batch in 1024 64; do
      timeout 150 python3 "$here/tests/bench/compare_torch.py" --cli "$cli" --device cuda --threads 16 \
        --repeats 3 --batch-size "$batch" --data "$data" 2>"$out/torch_$batch.err" | tee "$out/torch_$batch.md"
    done
  fi
  exit $status
}

case ${1:-} in
  prepare) prepare ;;
  pack) pack ;;
  with) shift; with "$@" ;;
  profile) profile ;;
  build-cli) build_cli ;;
  run) run ;;
  *) echo "usage: scripts/gpu_check.sh prepare|pack|build-cli|run|profile|with CMD..." >&2; exit 2 ;;
esac
