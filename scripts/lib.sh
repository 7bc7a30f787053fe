#!/usr/bin/env bash
# Shared by the scripts: installs what a fresh Debian/Ubuntu machine lacks.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || { echo "apt-get not found: install $* by hand" >&2; return 1; }
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# libarchive, ISA-L, libzstd and libnettle headers and pkg-config files (the CLibArchive, CISAL, CZstd and
# CNettle system libraries need them; libarchive itself links libnettle and libzstd on Debian and Ubuntu).
ensure_libarchive() {
  if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists libarchive libisal libzstd nettle 2>/dev/null; then
    echo "==> installing libarchive-dev, libisal-dev, libzstd-dev, nettle-dev and pkg-config" >&2
    apt_install libarchive-dev libisal-dev libzstd-dev nettle-dev pkg-config
  fi
}

# bsdtar and GNU time, for the benchmark's baselines.
ensure_bench_tools() {
  local missing=()
  command -v bsdtar >/dev/null 2>&1 || missing+=(libarchive-tools)
  [ -x /usr/bin/time ] || missing+=(time)
  command -v zstd >/dev/null 2>&1 || missing+=(zstd)
  command -v igzip >/dev/null 2>&1 || missing+=(isal)
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "==> installing ${missing[*]}" >&2
    apt_install "${missing[@]}"
  fi
}

# python3's yaml package, for scripts/bench-formats' YAML inputs.
ensure_python_yaml() {
  python3 -c 'import yaml' 2>/dev/null && return 0
  echo "==> installing python3-yaml" >&2
  apt_install python3-yaml
}

# python3's jsonschema package, for the JSON report's schema test (which is skipped without it).
ensure_python_jsonschema() {
  command -v python3 >/dev/null 2>&1 || { echo "python3 not found: the report schema test will be skipped" >&2; return 0; }
  python3 -c 'import jsonschema' 2>/dev/null && return 0
  echo "==> installing the jsonschema Python package" >&2
  python3 -m pip install --quiet --user jsonschema >/dev/null 2>&1 || apt_install python3-jsonschema \
    || echo "could not install jsonschema: the report schema test will be skipped" >&2
}

# Builds release products the way scripts/install ships them: the Swift runtime and Foundation linked
# statically (about 7 ms less start-up per run than loading them as shared libraries). Every release
# build here uses the same flags, since changing them recompiles everything.
build_release() {
  local product
  for product in "$@"; do
    swift build -c release --static-swift-stdlib --product "$product" 2>&1 >&2 | { grep -v "the use of \`mktemp' is dangerous" || true; } >&2
  done
}

ensure_swift() {
  command -v swift >/dev/null 2>&1 || { echo "swift is not on PATH: install Swift 6.x first (https://swift.org/install)" >&2; exit 1; }
}
