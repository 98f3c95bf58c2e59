#!/usr/bin/env bash
# The newcomer's path, proven on a machine that has nothing: run before a release (docs/install.md).
#   sudo scripts/fresh_check.sh [--keep] [--skip-deb] [--skip-gpu-deps]
#
# 1. makes a minimal Debian 12 root (mmdebstrap --variant=apt bookworm) with git and sudo only,
#    copies a clean clone of the committed tree into it (uncommitted changes are not checked) and
#    runs the README's test command there (`scripts/dev.sh test`, as a user with sudo), under
#    chroot with /proc, /dev, /dev/pts and a tmpfs /tmp mounted;
# 2. in that root: `scripts/dev.sh run` without a display must say what to do instead and exit 2,
#    `neurite --version` must answer, `neurite-cli train` trains the spiral example;
# 3. makes the .deb there, then a second, empty root where `apt install ./neurite_*.deb` must pull
#    in every runtime dependency, and the installed neurite-cli trains the bundled examples that
#    need no download, and the studio starts (offscreen) and stays up;
# 4. in a third root with only what the GPU machine has (compiler, CMake, Ninja, Python),
#    `scripts/gpu_check.sh prepare`'s packages (.devdeps) configure and build the headless
#    neurite-cli (without CUDA: there is no nvcc), which trains the spiral example (docs/gpu.md).
# One line per step, a verdict last; exit 0 only when every step passed. Everything is undone
# at the end (mounts, roots) unless --keep. Needs root (mmdebstrap, chroot, mount) and network
# access to a Debian mirror. Takes about 30 to 60 minutes on 2 cores.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
keep=0 skip_deb=0 skip_gpu=0
for arg in "$@"; do
  case $arg in
    --keep) keep=1 ;;
    --skip-deb) skip_deb=1 ;;
    --skip-gpu-deps) skip_gpu=1 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "error: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" -eq 0 ] || { echo "error: run as root (mmdebstrap, chroot and mount need it): sudo $0" >&2; exit 2; }
for tool in mmdebstrap git chroot mount; do
  command -v "$tool" >/dev/null || { echo "error: $tool is missing (apt-get install mmdebstrap git)" >&2; exit 2; }
done

work=$(mktemp -d "${NEURITE_FRESH_DIR:-/var/tmp}/neurite-fresh.XXXXXX")
logs=$work/logs
mkdir -p "$logs"
mounted=()
failures=0
started=$(date +%s)

cleanup() {
  local m
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null; done
  if [ $keep -eq 1 ]; then
    echo "kept: $work (roots and logs; umount nothing is left mounted)"
  else
    # Logs survive in a small copy for the record; the roots (several GiB) do not.
    local keeplogs=/var/tmp/neurite-fresh-logs
    rm -rf "$keeplogs" && cp -r "$logs" "$keeplogs" 2>/dev/null && echo "logs: $keeplogs"
    rm -rf --one-file-system "$work"
  fi
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT TERM

elapsed() { local s=$(( $(date +%s) - $1 )); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
step() {  # step NAME LOG COMMAND...: runs a command, prints one line
  local name=$1 log=$2 t0
  shift 2
  t0=$(date +%s)
  if "$@" >"$logs/$log" 2>&1; then
    printf '%-44s ok      %8s  %s\n' "$name" "$(elapsed "$t0")" "$(tail -1 "$logs/$log" | cut -c1-70)"
    return 0
  fi
  printf '%-44s FAILED  %8s  logs/%s: %s\n' "$name" "$(elapsed "$t0")" "$log" "$(tail -1 "$logs/$log" | cut -c1-60)"
  failures=$((failures + 1))
  return 1
}

make_root() {  # make_root DIR: minimal Debian 12 with what a newcomer has: git, sudo, a user
  mmdebstrap --variant=apt --include=git,sudo,passwd,ca-certificates bookworm "$1" &&
    chroot "$1" useradd -m -s /bin/bash newcomer &&
    echo "newcomer ALL=(ALL) NOPASSWD:ALL" >"$1/etc/sudoers.d/newcomer" &&
    # /etc/hosts as Debian's installer writes it (mmdebstrap writes none): without it `localhost`
    # does not resolve, and torchrun --standalone (tests/cli/test_pytorch_cli) cannot meet itself
    printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' \
      "$(hostname)" >"$1/etc/hosts" &&
    echo "$(chroot "$1" dpkg-query -W | wc -l) packages in the fresh root"
}
mount_root() {  # /proc, /dev, /dev/pts, a tmpfs /tmp; the host's resolver for apt
  local r=$1
  mount -t proc proc "$r/proc" && mounted+=("$r/proc")
  mount --bind /dev "$r/dev" && mounted+=("$r/dev")
  mount --bind /dev/pts "$r/dev/pts" && mounted+=("$r/dev/pts")
  mount -t tmpfs -o size=8g tmpfs "$r/tmp" && mounted+=("$r/tmp")
  cp /etc/resolv.conf "$r/etc/resolv.conf"
}
# as_user ROOT COMMAND: a login shell of the newcomer, with no display, in the clone
as_user() {
  chroot "$1" env -i HOME=/home/newcomer USER=newcomer LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
    setpriv --reuid=newcomer --regid=newcomer --init-groups \
    bash -c "cd /home/newcomer/neurite && $2"
}

echo "== Neurite fresh-machine check, $(date -u '+%F %H:%M UTC'), $(nproc) cores, commit $(git -C "$here" rev-parse --short HEAD)"
echo "   work directory: $work"

# --- 1. a fresh root, a clean clone, the README's test command --------------------------------
dev=$work/dev
step "fresh Debian 12 root (mmdebstrap)" mmdebstrap-dev.log make_root "$dev" || exit 1
mount_root "$dev"
clone() {
  git clone -q --no-local "$here" "$1/home/newcomer/neurite" &&
    chroot "$1" chown -R newcomer:newcomer /home/newcomer/neurite &&
    git -c safe.directory='*' -C "$1/home/newcomer/neurite" log -1 --format='clone at %h %s'
}
step "clean clone of the committed tree" clone-dev.log clone "$dev" || exit 1
before=$(chroot "$dev" dpkg-query -W | wc -l)
step "scripts/dev.sh test (the README's command)" dev-test.log \
  as_user "$dev" "time scripts/dev.sh test 2>&1; rc=\$?; echo; echo \"exit \$rc\"; exit \$rc"
after=$(chroot "$dev" dpkg-query -W | wc -l)
grep -E "tests passed|tests failed|Total Test time" "$logs/dev-test.log" | sed 's/^/   /'
grep -E "^real" "$logs/dev-test.log" | sed 's/^/   time of scripts\/dev.sh test: /'
echo "   packages: $before in the fresh root, $after after scripts/dev.sh test ($((after - before)) installed)"
chroot "$dev" dpkg-query -W -f='${Package}\n' | sort >"$logs/packages-after-dev-test.txt"

# --- 2. the studio and the CLI as the newcomer meets them -------------------------------------
nodisplay_run() {
  local out rc
  out=$(as_user "$dev" "scripts/dev.sh run" 2>&1); rc=$?
  echo "$out"
  [ $rc -eq 2 ] && grep -q "no display" <<<"$out" && echo "exit 2 with advice, as expected"
}
step "scripts/dev.sh run without a display" dev-run.log nodisplay_run
step "neurite --version" version.log as_user "$dev" "build/bin/neurite --version"
step "neurite-cli train spiral (headless)" train-dev.log \
  as_user "$dev" "build/bin/neurite-cli train resources/examples/spiral.neurite.json --epochs 5 --no-db --threads 2"

# --- 3. the .deb in a second, empty root -----------------------------------------------------
if [ $skip_deb -eq 0 ]; then
  step "cpack makes the .deb" cpack.log \
    as_user "$dev" "cd build && cpack -G DEB && ls neurite_*.deb"
  deb=$(ls "$dev"/home/newcomer/neurite/build/neurite_*.deb 2>/dev/null | head -1)
  pkg=$work/pkg
  if [ -n "$deb" ] && step "second fresh Debian 12 root for the .deb" mmdebstrap-pkg.log make_root "$pkg"; then
    mount_root "$pkg"
    cp "$deb" "$pkg/tmp/"
    before=$(chroot "$pkg" dpkg-query -W | wc -l)
    step "apt install ./neurite_*.deb" apt-deb.log \
      chroot "$pkg" bash -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q /tmp/$(basename "$deb")"
    echo "   packages: $before before, $(chroot "$pkg" dpkg-query -W | wc -l) after installing the .deb"
    installed_train() {
      local ex rc=0
      for ex in spiral iris wine breast_cancer digits; do
        chroot "$pkg" env -i HOME=/root PATH=/usr/bin:/bin XDG_DATA_HOME=/tmp/data \
          neurite-cli train "/usr/share/neurite/examples/$ex.neurite.json" --epochs 3 --threads 2 \
          2>&1 | tail -1 | sed "s/^/$ex: /" || rc=1
      done
      chroot "$pkg" env -i HOME=/root PATH=/usr/bin:/bin XDG_DATA_HOME=/tmp/data neurite-cli runs list
      return $rc
    }
    step "installed neurite-cli trains the examples" train-deb.log installed_train
    studio_starts() {  # the studio must still be running after 10 s (exit 124 from timeout)
      chroot "$pkg" env -i HOME=/root PATH=/usr/bin:/bin XDG_DATA_HOME=/tmp/data \
        QT_QPA_PLATFORM=offscreen timeout 10 neurite /usr/share/neurite/examples/spiral.neurite.json
      local rc=$?
      [ $rc -eq 124 ] && echo "the studio ran 10 s offscreen without an error"
      [ $rc -eq 124 ]
    }
    step "installed studio starts (offscreen)" studio-deb.log studio_starts
    ldd_check() {
      chroot "$pkg" bash -c 'ldd /usr/bin/neurite /usr/bin/neurite-cli' >"$logs/ldd.txt" 2>&1
      ! grep "not found" "$logs/ldd.txt" && echo "every shared library resolves"
    }
    step "installed programs' libraries resolve" ldd.log ldd_check
  fi
fi

# --- 4. the GPU machine's headless build from .devdeps, in a third root --------------------
if [ $skip_gpu -eq 0 ]; then
  gpu=$work/gpu
  gpu_root() {  # what the GPU machine has: a compiler, CMake, Ninja, Python; no -dev package of ours
    make_root "$gpu" &&
      chroot "$gpu" bash -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        g++ cmake ninja-build python3 >/dev/null" &&
      echo "$(chroot "$gpu" dpkg-query -W | wc -l) packages with g++, cmake, ninja-build, python3"
  }
  if step "third root, as the GPU machine (no -dev pkgs)" mmdebstrap-gpu.log gpu_root; then
    mount_root "$gpu"
    step "clean clone there" clone-gpu.log clone "$gpu"
    step "scripts/gpu_check.sh prepare (.devdeps)" gpu-prepare.log \
      as_user "$gpu" "scripts/gpu_check.sh prepare"
    step "headless neurite-cli from .devdeps" gpu-build.log \
      as_user "$gpu" "NEURITE_JOBS=$(nproc) NEURITE_WITH_CUDA=OFF scripts/gpu_check.sh build-cli"
    step "headless neurite-cli trains spiral" gpu-train.log \
      as_user "$gpu" "LD_LIBRARY_PATH=\$PWD/.devdeps/root/usr/lib/x86_64-linux-gnu build-gpu/bin/neurite-cli train resources/examples/spiral.neurite.json --epochs 3 --no-db --threads 2"
  fi
fi

echo "== $([ $failures -eq 0 ] && echo PASSED || echo "FAILED ($failures step(s))") in $(elapsed "$started")"
[ $failures -eq 0 ]
