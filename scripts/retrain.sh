#!/usr/bin/env bash
# Retrains the built-in model from the shared photos and regenerates everything made
# from it, in one go:
#   model/daynight.json              the model (embedded in the app and the CLI)
#   model/examples.bin               its training images as feature vectors (the page retrains on them)
#   core/tests/fixtures/parity.json  native features and p_night the wasm build is checked against
#   core/tests/fixtures/taught.json  a model retrained as the page does it, checked in wasm and by the CLI
#   k8s/custom-model/model.json      the example model the custom-model overlay serves
# Deterministic: on unchanged code and photos it rewrites every file as committed
# (cli/tests/dataset.rs checks the first two). The photos are under $DAYNIGHT_DATA,
# default ../shared/data; the command is recorded in the model as typed below.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${DAYNIGHT_DATA:-../shared/data}"
cargo run --release --locked --bin daynight -- train \
  "$data/day_night_images/training" "$data/pexels_day_night/training" "$data/phone_day_dusk_night" \
  --weights 4,2,2 --l2 10 --clip 2 --held-out-weight 0.85 \
  --out model/daynight.json --examples-out model/examples.bin
UPDATE_PARITY=1 cargo test --release --locked -p daynight-core --test parity --test taught_parity
cp model/daynight.json k8s/custom-model/model.json
git status --short model core/tests/fixtures k8s/custom-model
