#!/usr/bin/env bash
# The wasm-bindgen browser tests in headless Chromium: tests/web.rs (the wasm build
# gives the native parity fixture's numbers, and the components render their hooks)
# and tests/teach_web.rs (the trainer in wasm gives the native taught model, which
# answers as natively and on the command line) and tests/idb_web.rs (IndexedDB: the
# upgrade from an earlier layout, the kept connection).
# Chromium's flags (root, no network chatter) are in webdriver.json; chromedriver
# gives every run a fresh profile.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
cargo test --offline --locked --target wasm32-unknown-unknown --test web --test teach_web --test idb_web "$@"
