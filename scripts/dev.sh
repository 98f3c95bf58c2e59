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
  libdnnl-dev libsqlite3-dev zlib1g-dev nlohmann-json3-dev libgl-dev
  libonnx-dev libprotobuf-dev libstb-dev
  dataset-fashion-mnist
  help2man  # the man pages, written at build time from --help (installer/)
)
# Only the tests and benchmarks need these: PyTorch as the reference, Xvfb for GUI checks,
# ONNX's Python checker and OpenCV's DNN module to run exported ONNX models; imagemagick and
# xdotool for the screenshots in docs/; desktop-file-utils and appstream validate the package's
# menu entry and metadata (tests/package).
test_packages=(python3 python3-numpy python3-torch xvfb xauth python3-onnx python3-opencv
  imagemagick xdotool desktop-file-utils appstream)

install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "neurite: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
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
    install_missing "${packages[@]}" "${test_packages[@]}" ;;
  build)
    install_missing "${packages[@]}"
    build ;;
  run)
    install_missing "${packages[@]}"
    build
    exec "$build_dir/bin/neurite" "$here/resources/examples/spiral.neurite.json" ;;
  test)
    install_missing "${packages[@]}" "${test_packages[@]}"
    NEURITE_CMAKE_ARGS="${NEURITE_CMAKE_ARGS:-} -DNEURITE_WERROR=ON" build
    cd "$build_dir"
    ctest --output-on-failure -j "$jobs" ;;
  *)
    echo "usage: scripts/dev.sh [run|test|deps|build]" >&2
    exit 2 ;;
esac
