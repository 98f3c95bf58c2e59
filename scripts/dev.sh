#!/usr/bin/env bash
# Neurite's one entry point for a fresh Debian 12 / Ubuntu machine.
#   scripts/dev.sh run    install what is missing, build, open the studio on a bundled example
#   scripts/dev.sh test   install what is missing, build, run every test (CI calls this)
#   scripts/dev.sh deps   only install what is missing
#   scripts/dev.sh build  install and build
# Idempotent: packages already installed are not touched; the build is incremental.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build_dir=${NEURITE_BUILD_DIR:-$here/build}
jobs=${NEURITE_JOBS:-$(nproc)}

# Build and runtime dependencies (Debian package names).
packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-svg-dev qt6-gtk-platformtheme libqcustomplot-dev
  libdnnl-dev ocl-icd-opencl-dev  # Debian's oneDNN CMake config asks for OpenCL (a Recommends only)
  libsqlite3-dev zlib1g-dev nlohmann-json3-dev libgl-dev
  libonnx-dev libprotobuf-dev libstb-dev
  dataset-fashion-mnist
  fortunes  # builtin:fortunes, the text example's quotations (Debian's fortune-mod data)
  help2man  # the man pages, written at build time from --help (installer/)
)
# Only the tests and benchmarks need these: PyTorch as the reference, Xvfb for GUI checks,
# ONNX's Python checker and OpenCV's DNN module to run exported ONNX models; scikit-learn for
# its diabetes data and the regression references (tests/support/target_scaling_reference.py); imagemagick and
# xdotool for the screenshots in docs/; the package test (tests/package) needs `file` for CPack's
# shlibdeps, desktop-file-utils, appstream and libxml2-utils to validate the menu entry, metadata
# and MIME type; clang with its sanitizer and libFuzzer runtime fuzzes the parsers (tests/fuzz);
# pyflakes checks the Python the pytorch export writes (tests/engine/test_export_torch).
test_packages=(python3 python3-numpy python3-torch xvfb xauth python3-onnx python3-opencv python3-sklearn
  imagemagick xdotool file desktop-file-utils appstream libxml2-utils clang python3-pyflakes)

# Ubuntu 22.04 and 24.04 use the same names, except that clang's runtime package carries clang's
# major version (libclang-rt-14-dev on Debian 12, libclang-rt-18-dev on Ubuntu 24.04; inside
# libclang-common-14-dev on Ubuntu 22.04) and dataset-fashion-mnist may be missing there (the
# Fashion-MNIST examples then ask for the files; see docs/install.md).
clang_runtime() {
  local major
  major=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
  [ -n "$major" ] || return 0
  if apt-cache show "libclang-rt-$major-dev" >/dev/null 2>&1; then
    echo "libclang-rt-$major-dev"
  fi
}

install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "neurite: installing ${missing[*]}" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "neurite: needs ${missing[*]}; run this as root or install sudo" >&2; exit 2; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
  # ccache, when the developer has it, makes rebuilds across worktrees cheap; never required.
  local launcher=""
  command -v ccache >/dev/null && launcher="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache"
  cmake -S "$here" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release $launcher ${NEURITE_CMAKE_ARGS:-}
  cmake --build "$build_dir" -j "$jobs"
}

case "${1:-run}" in
  deps)
    install_missing "${packages[@]}" "${test_packages[@]}"
    runtime=$(clang_runtime)
    [ -n "$runtime" ] && install_missing "$runtime"
    true ;;
  build)
    install_missing "${packages[@]}"
    build ;;
  run)
    install_missing "${packages[@]}"
    build
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
      cat >&2 <<EOF
neurite: built, but there is no display to open the studio on (DISPLAY and WAYLAND_DISPLAY are
unset, as over ssh or in a container). Instead:
  - log in to a desktop session and run: $build_dir/bin/neurite
  - or forward X over ssh (ssh -X) and run the same,
  - or train headless: $build_dir/bin/neurite-cli train $here/resources/examples/spiral.neurite.json
EOF
      exit 2
    fi
    exec "$build_dir/bin/neurite" "$here/resources/examples/spiral.neurite.json" ;;
  test)
    install_missing "${packages[@]}" "${test_packages[@]}"
    runtime=$(clang_runtime)
    [ -n "$runtime" ] && install_missing "$runtime"
    # NEURITE_STRICT_TESTS: a test whose tool this script installs fails instead of skipping.
    NEURITE_CMAKE_ARGS="${NEURITE_CMAKE_ARGS:-} -DNEURITE_WERROR=ON -DNEURITE_STRICT_TESTS=ON" build
    cd "$build_dir"
    ctest --output-on-failure -j "$jobs" ;;
  *)
    echo "usage: scripts/dev.sh [run|test|deps|build]" >&2
    exit 2 ;;
esac
