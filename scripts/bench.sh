#!/usr/bin/env bash
# Prints every speed and size number the project tracks (nothing is asserted):
#   1. CLI: feature extraction per image, and images/s over the webcam test folder
#   2. browser (headless Chromium): ms per image for a 16 MP JPEG and the test folder,
#      wasm ms per camera frame, gzip bytes of the first load
#   3. nginx: requests/s and errors in a short loopback wrk run
# Builds what it needs first (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
data="${DAYNIGHT_DATA:-$PWD/../shared/data}"

echo "=== CLI ==="
cargo run --quiet --release --locked --bin daynight -- bench "$data/day_night_images/test"
echo
[ -f dist/index.html ] || scripts/build.sh
echo "=== browser ==="
scripts/bench-browser.sh dist
echo
echo "=== nginx ==="
scripts/bench-nginx.sh dist
