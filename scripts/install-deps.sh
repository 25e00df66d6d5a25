#!/usr/bin/env bash
# Installs the Debian packages ipcbench needs, and only those that are missing.
# Idempotent and silent when everything is present; as non-root it prints the apt line and stops.
set -euo pipefail

packages=(
  build-essential cmake make git pkg-config
  libbenchmark-dev libbenchmark-tools
  libboost-dev libzmq3-dev cppzmq-dev libsodium-dev nlohmann-json3-dev liburing-dev
  libgtest-dev
  python3 python3-matplotlib python3-scipy fonts-noto-cjk gettext
  clang-format valgrind
)

# --test: what only the tests (and make format) need, beyond the list above (make test installs
# both): a headless browser that opens the HTML report, ip (iproute2) for the network namespaces the
# remote test creates, and black and flake8 for the Python's style. (fonts-noto-cjk above: the
# Chinese report's charts need its glyphs.)
if [ "${1:-}" = "--test" ]; then
  packages=(chromium iproute2 black flake8)
fi
# --pdf: what `make homework` needs to print the report as PDF.
if [ "${1:-}" = "--pdf" ]; then
  packages=(chromium)
fi

# System calls per message are counted through the raw_syscalls tracepoint, whose id is in tracefs;
# a fresh machine may not have it mounted (perf mounts it the same way when it needs it).
if [ "$(id -u)" -eq 0 ] && [ -d /sys/kernel/tracing ] && [ ! -e /sys/kernel/tracing/events ]; then
  mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null ||
    echo "ipcbench: could not mount tracefs: system calls per message will not be counted" >&2
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "ipcbench: missing packages: ${missing[*]}" >&2
  echo "ipcbench: run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "ipcbench: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has empty package lists; refresh them only when apt cannot see a package.
if ! apt-cache show "${missing[0]}" >/dev/null 2>&1; then
  apt-get update -qq
fi
if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/ipcbench-apt.log 2>&1; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/ipcbench-apt.log 2>&1 || {
    echo "ipcbench: apt-get install failed; see /tmp/ipcbench-apt.log" >&2
    tail -n 5 /tmp/ipcbench-apt.log >&2
    exit 1
  }
fi
