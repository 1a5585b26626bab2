#!/usr/bin/env bash
# Installs the build tools (first run only), builds the app and serves it at
# http://localhost:8080 (localhost counts as a secure context, so the camera works).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
export PATH="$PWD/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Node 20 or newer for wasm-opt: .tools/node where setup.sh put one there.
# shellcheck source=scripts/lib/node.sh
. scripts/lib/node.sh
use_tools_node
echo "daynight will be at http://localhost:${PORT:-8080}/"
# No auto-reload: it is a developer aid that opens a WebSocket to this server, and the
# page served here should make no request after it has loaded, as in production.
exec trunk serve --release --offline --locked --no-autoreload --address 127.0.0.1 --port "${PORT:-8080}"
