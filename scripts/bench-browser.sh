#!/usr/bin/env bash
# Benchmarks the built app in headless Chromium, served by the project's nginx:
# 12–16 MP phone JPEGs photo by photo beside the bare WebCodecs floor (scaled decode,
# resize, pixel read-back in a worker) in the same browser, with both medians and
# their ratio (target <= 1.3); median and p95 ms per image for a generated 16 MP JPEG
# and for the test folder; and the live camera at full rate (frames labelled per
# second, frames dropped, wasm ms and grab-to-label ms per frame). Sizes:
# scripts/bench-size.sh.
#
#   scripts/bench-browser.sh [DIST_DIR]     (build first: scripts/build.sh)
# Env: DAYNIGHT_DATA (default ../shared/data), PHONE_PHOTOS (18), PHONE_ROUNDS (3),
# RUNS_16MP (12), CAMERA_SECONDS (6), CAMERA_FPS (30), BENCH_ONLY (phone, files or
# camera).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
export DIST_DIR="$(cd "${1:-$repo/dist}" && pwd)"
[ -f "$DIST_DIR/index.html" ] || { echo "bench: $DIST_DIR/index.html missing: run scripts/build.sh" >&2; exit 2; }
exec node "$repo/tests/e2e/bench.mjs" 2> >(grep -v '^nginx-up' >&2)
