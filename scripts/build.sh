#!/usr/bin/env bash
# Builds the browser app into dist/ (release, size-optimized, offline, locked) and
# writes a .gz beside every compressible file for nginx's gzip_static.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Node 20 or newer for wasm-opt: .tools/node where setup.sh put one there.
# shellcheck source=scripts/lib/node.sh
. scripts/lib/node.sh
use_tools_node
trunk build --release --offline --locked "$@"
find dist -type f \( -name '*.html' -o -name '*.js' -o -name '*.css' -o -name '*.wasm' -o -name '*.svg' -o -name '*.json' -o -name '*.webmanifest' -o -name '*.bin' \) \
  -exec gzip -9 -k -f -n {} +
echo "built dist/ ($(du -sh dist | cut -f1))"
