#!/usr/bin/env bash
# All browser tests, against an already built dist/ (this script builds nothing:
# run scripts/build.sh first).
#
#   tests/e2e/run.sh [DIST_DIR]        default: dist
#
# 1. wasm-bindgen tests in headless Chromium (tests/web.rs): wasm/native parity on
#    the fixture core/tests/fixtures/parity.json, components, header checks.
# 2. End-to-end tests (tests/e2e/*.test.mjs, playwright-core + node --test) against
#    DIST_DIR served by the project's nginx (tests/deploy/nginx-up.sh, real CSP):
#    labels vs the CLI on the 160 test photos (DAYNIGHT_DATA, default ../shared/data),
#    bad files, fake camera, privacy, offline (retraining too), worker crash,
#    installing and sharing into the app, Lighthouse (mobile and desktop).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
dist="$(cd "${1:-$repo/dist}" && pwd)"
cd "$repo"
[ -f "$dist/index.html" ] || { echo "e2e: $dist/index.html missing: build first with scripts/build.sh" >&2; exit 2; }
export DIST_DIR="$dist"
export PATH="$repo/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Node 20 or newer for playwright-core: .tools/node where setup.sh put one there.
# shellcheck source=scripts/lib/node.sh
. scripts/lib/node.sh
use_tools_node

echo "== wasm-bindgen tests (headless Chromium)"
wasm_status=0
tests/e2e/wasm-test.sh || wasm_status=$?

echo "== end-to-end tests against $dist (nginx)"
# One browser at a time: the machine has two cores and each test starts Chromium.
e2e_status=0
tap="$(mktemp)"
trap 'rm -f "$tap"' EXIT
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  tests/e2e/*.test.mjs || e2e_status=$?

count() { awk -v k="# $1" '$1" "$2 == k { n = $3 } END { print n + 0 }' "$tap"; }
passed=$(count pass); failed=$(count fail); skipped=$(count skipped)
if [ "$wasm_status" -ne 0 ]; then
  echo "e2e: the wasm-bindgen tests failed" >&2
  failed=$((failed + 1))
elif [ "$e2e_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # node --test failed outside any test (a file that did not load)
fi
echo "e2e: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
