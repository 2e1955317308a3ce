#!/usr/bin/env bash
# Seal and replication benchmark (see scripts/bench-seal.ts). BENCH_GIB=2 by default.
# Runs the TypeScript sources directly with Node's type stripping.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node --experimental-transform-types --no-warnings \
  --import ./tests/helpers/ts-hooks.mjs scripts/bench-seal.ts "$@"
