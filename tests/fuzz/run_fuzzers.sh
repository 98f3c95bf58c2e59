#!/usr/bin/env bash
# Builds the libFuzzer targets whose readers stand alone (CSV, NPY, IDX, project JSON, CIFAR-10,
# images, time series and the text tokenizer, and the ONNX importer with the layers it maps to) with clang (-fsanitize=fuzzer,address,undefined) from the parser sources only, then
# runs each for a few seconds on its seed corpus. The native model and run database targets need
# the whole engine: tests/fuzz/long_fuzz.sh builds every target that way for long runs, and the
# ordinary build replays all corpora (CTest fuzz_replay_*). CTest runs this under the
# label "fuzz"; exit 77 (skipped) when clang++ or its libFuzzer runtime is missing, except under
# the README's test command (NEURITE_STRICT_TESTS=1), which installs them: there it fails.
#   tests/fuzz/run_fuzzers.sh BUILD_DIR [SECONDS]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
out=${1:?usage: run_fuzzers.sh BUILD_DIR [SECONDS]}/fuzz
seconds=${2:-5}
cxx=${NEURITE_FUZZ_CXX:-clang++}
missing() {
  if [ "${NEURITE_STRICT_TESTS:-0}" != 0 ]; then
    echo "fuzz: $1; scripts/dev.sh test installs it (clang, libclang-rt-*-dev), so this fails"; exit 1
  fi
  echo "fuzz: $1, skipping"; exit 77
}
command -v "$cxx" >/dev/null || missing "$cxx not found"
mkdir -p "$out"
# -fsanitize=fuzzer needs clang's runtime (libclang-rt-N-dev on Debian 12), a separate package.
echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' \
  >"$out/probe.cpp"
"$cxx" -fsanitize=fuzzer "$out/probe.cpp" -o "$out/probe" 2>"$out/probe.log" ||
  missing "$cxx cannot link -fsanitize=fuzzer ($(head -1 "$out/probe.log"))"

flags=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$src/engine")
common=("$src/engine/core/error.cpp" "$src/engine/core/shape.cpp" "$src/engine/core/suggest.cpp" "$src/engine/core/file_read.cpp" "$src/engine/core/file_write.cpp")
declare -A sources=(
  [csv]="$src/engine/data/sources/csv_parser.cpp $src/engine/data/sources/csv_source.cpp $src/engine/data/sources/csv_text.cpp $src/engine/data/sources/class_labels.cpp $src/engine/data/sources/file_bytes.cpp $src/engine/data/spec_query.cpp $src/engine/data/transforms/augment.cpp"
  [npy]="$src/engine/data/sources/npy_reader.cpp $src/engine/data/sources/file_bytes.cpp"
  [idx]="$src/engine/data/idx_reader.cpp"
  [project]="$src/engine/io/project.cpp $src/engine/io/project_training.cpp $src/engine/io/project_writer.cpp $src/engine/io/project_lesson.cpp $src/engine/io/project_points.cpp $src/engine/config/lesson_config.cpp $src/engine/io/json_reader.cpp $src/engine/io/json_text.cpp $src/engine/config/train_config.cpp $src/engine/data/transforms/augment.cpp"
  [cifar]="$src/engine/data/sources/cifar10_source.cpp $src/engine/data/sources/file_bytes.cpp $src/engine/data/spec_query.cpp $src/engine/data/transforms/augment.cpp"
  [image]="$src/engine/data/image_decode.cpp"
  # the ONNX importer: the reader, the converter and what it builds on (layers, graph, the project
  # document, the rest of core); the backends are not linked, the importer only resolves graphs
  [onnx]="$src/engine/export/onnx_read.cpp $src/engine/export/onnx_import.cpp $src/engine/export/onnx_import_ops.cpp $src/engine/export/onnx_import_shapes.cpp $src/engine/export/onnx_import_util.cpp $src/engine/export/onnx_import_rnn.cpp $src/engine/export/onnx_run*.cpp $src/engine/export/onnx_import_expr.cpp $src/engine/io/safetensors.cpp $src/engine/io/project.cpp $src/engine/io/project_training.cpp $src/engine/io/project_writer.cpp $src/engine/io/project_lesson.cpp $src/engine/io/project_points.cpp $src/engine/config/lesson_config.cpp $src/engine/io/json_reader.cpp $src/engine/io/json_text.cpp $src/engine/config/train_config.cpp $src/engine/data/transforms/augment.cpp $src/engine/graph/graph.cpp $src/engine/layers/*.cpp $(ls "$src"/engine/core/*.cpp | grep -v -e /paths.cpp -e /error.cpp -e /shape.cpp -e /suggest.cpp -e /file_read.cpp -e /file_write.cpp) $src/engine/backend/plan_checks.cpp $src/engine/backend/step_scalars.cpp"
  [series]="$src/engine/data/series/series_source.cpp $src/engine/data/series/series_time.cpp $src/engine/data/text/text_vocabulary.cpp $src/engine/data/sources/csv_parser.cpp $src/engine/data/sources/csv_text.cpp $src/engine/data/sources/file_bytes.cpp $src/engine/data/spec_query.cpp $src/engine/data/transforms/augment.cpp"
)
stb_flags=$(pkg-config --cflags stb 2>/dev/null || echo -I/usr/include/stb)
declare -A libs=([csv]="-lz" [npy]="" [idx]="-lz" [project]="" [cifar]="" [image]="-DNEURITE_FUZZ_INSTRUMENT_STB $stb_flags" [series]="-lz"
                 [onnx]="-DONNX_ML=1 -DONNX_NAMESPACE=onnx -lonnx -lonnx_proto -lprotobuf")
declare -A maxlen=([onnx]=65536)  # its seeds are small models of a few KB

status=0
for name in csv npy idx project cifar image series onnx; do
  bin="$out/fuzz_$name"
  # Rebuild only when a source is newer than the binary.
  # shellcheck disable=SC2086
  if [ ! -x "$bin" ] || [ -n "$(find "$here/fuzz_$name.cpp" ${sources[$name]} "$src/engine/data" "$src/engine/core" "$src/engine/io" "$src/engine/export" "$src/engine/layers" "$src/engine/graph" -newer "$bin" -name '*.[ch]*' 2>/dev/null | head -1)" ]; then
    # shellcheck disable=SC2086
    "$cxx" "${flags[@]}" "$here/fuzz_$name.cpp" ${sources[$name]} "${common[@]}" ${libs[$name]} -o "$bin"
  fi
  corpus="$out/corpus_$name"
  mkdir -p "$corpus"
  echo "fuzz_$name: ${seconds}s on $(ls "$here/corpus/$name" | wc -l) seeds"
  if ! "$bin" -max_total_time="$seconds" -max_len="${maxlen[$name]:-4096}" -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$out/crash_${name}_" "$corpus" "$here/corpus/$name" 2>"$out/fuzz_$name.log"; then
    echo "fuzz_$name FAILED; see $out/fuzz_$name.log"
    tail -40 "$out/fuzz_$name.log"
    status=1
  else
    grep -E "stat::number_of_executed_units" "$out/fuzz_$name.log" || true
  fi
done
exit $status
