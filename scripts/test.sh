#!/usr/bin/env bash
# Installs what the tests need (first run only) and runs every test suite:
#   0. the package detection of scripts/setup.sh, with a fake apt (tests/setup)
#   1. lint: cargo fmt --check, cargo clippy -D warnings (native and wasm)
#   2. native Rust tests: core, CLI, hostile files, data-set accuracy, fuzz replays
#   3. a short cargo-fuzz run of every target (FUZZ_SECONDS each, default 20)
#   4. the release build of the browser app (scripts/build.sh)
#   5. deployment tests: linters, Debian nginx with the real nginx.conf, HTTP checks
#   6. browser tests: wasm-bindgen-test and end-to-end in headless Chromium via nginx
#   7. container tests: both images of the Dockerfile built and run with podman, the
#      manifests played with `podman kube play` (tests/container/run.sh)
# Every suite runs even if an earlier one failed; the last line counts them.
set -uo pipefail
cd "$(dirname "$0")/.."
# .venv/bin last: it only supplies kubectl where the machine has none.
export PATH="$PWD/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH:$PWD/.venv/bin"

passed=0; failed=0; failures=()
suite() {
  local name="$1"; shift
  printf '\n\033[1m=== %s ===\033[0m\n' "$name"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); echo "=== $name: ok ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "=== $name: FAILED ($((SECONDS - start)) s)"
  fi
}

# The package detection first, with fakes: a broken detection is what fails on a
# fresh machine, where setup.sh below would otherwise die before any test ran.
suite "setup detection" tests/setup/run.sh
scripts/setup.sh || { echo "setup failed"; echo "suites: $passed passed, $((failed + 1)) failed"; exit 1; }
# The Node that setup.sh installed where the machine's is too old for the browser tests.
# shellcheck source=scripts/lib/node.sh
. scripts/lib/node.sh
use_tools_node
echo "node: $(command -v node) $(node --version)"

suite "lint" scripts/lint.sh
suite "native tests" cargo test --release --locked --workspace --features daynight-core/decode
suite "fuzz" scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
suite "build" scripts/build.sh
if [ -f dist/index.html ]; then
  suite "deploy" tests/deploy/run.sh dist
  suite "browser" tests/e2e/run.sh dist
  suite "container" tests/container/run.sh dist
else
  failed=$((failed + 3)); failures+=("deploy (no dist)" "browser (no dist)" "container (no dist)")
fi

echo
[ ${#failures[@]} -eq 0 ] || echo "failed suites: ${failures[*]}"
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
