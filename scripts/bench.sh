#!/usr/bin/env bash
# Prints every speed and size number the project tracks (nothing is asserted):
#   1. CLI: feature extraction per image, images/s over the webcam test folder, and
#      CPU ms per photo and peak RSS of a batch (scripts/bench-batch.sh), and CPU per
#      12–16 MP JPEG against `djpeg -scale 1/8` (scripts/bench-jpeg.sh; real photos
#      from $DAYNIGHT_BIG_JPEGS if set, else generated)
#   2. browser: the gzip size of a first visit and twiggy's biggest items in the wasm
#      (scripts/bench-size.sh); in headless Chromium, ms per image for a 16 MP JPEG
#      and the test folder, and the camera at full rate (frames labelled per second,
#      dropped frames, wasm ms per frame)
#   3. nginx: requests/s and errors in a short loopback wrk run
# Builds what it needs first (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
data="${DAYNIGHT_DATA:-$PWD/../shared/data}"

echo "=== CLI ==="
cargo run --quiet --release --locked --bin daynight -- bench "$data/day_night_images/test"
echo
echo "=== CLI batch (as a Job's pod runs it) ==="
scripts/bench-batch.sh
echo
echo "=== CLI against the JPEG decoding floor ==="
scripts/bench-jpeg.sh
echo
[ -f dist/index.html ] || scripts/build.sh
echo "=== browser ==="
scripts/bench-size.sh dist
echo
scripts/bench-browser.sh dist
echo
echo "=== nginx ==="
scripts/bench-nginx.sh dist
