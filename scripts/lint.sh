#!/usr/bin/env bash
# Formatting and lints, as CI checks them: cargo fmt --check, and clippy with every
# warning an error, for the native crates (core, CLI, tests) and for the browser app
# on its wasm target (the app's code only compiles there).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
status=0
echo "== cargo fmt --check"
cargo fmt --all --check || status=1
echo "== cargo clippy (native: core, cli, tests)"
cargo clippy --locked --workspace --all-targets --features daynight-core/decode -- -D warnings || status=1
echo "== cargo clippy (native CLI without HEIC/AVIF, as the static container image builds it)"
cargo clippy --locked -p daynight-cli --no-default-features --all-targets -- -D warnings || status=1
echo "== cargo clippy (wasm32: the browser app and its tests)"
cargo clippy --locked --target wasm32-unknown-unknown -p daynight-web --lib --bins --tests -- -D warnings || status=1
[ "$status" -eq 0 ] && echo "lint: clean"
exit "$status"
