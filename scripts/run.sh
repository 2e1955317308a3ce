#!/usr/bin/env bash
# Sets up and runs Attest. Where Electron can run, the desktop app; otherwise (no display,
# or no Electron binary, as on machines without internet) the web host, whose URL it prints.
# Extra arguments go to the web host, e.g. `bash scripts/run.sh --port 8080 --data-dir ./data`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. scripts/setup.sh
npm run build
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && node -e "const p=require('electron'); require('fs').accessSync(p)" 2>/dev/null; then
  exec npx electron .
fi
echo "Electron cannot run here; starting the web host. Open the URL below in Chromium."
exec node out/main/web.js "$@"
