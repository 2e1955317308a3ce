#!/usr/bin/env bash
# Sets up and runs every check CI runs: lint (layering included), typecheck, the
# electron-vite build, unit and integration tests, and the end-to-end tests in Debian's
# Chromium against the web host.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. scripts/setup.sh
mkdir -p test-results
set +e
npm test
status=$?
set -e
node scripts/summarise-tests.js test-results || true
exit $status
