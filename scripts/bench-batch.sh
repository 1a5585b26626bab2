#!/usr/bin/env bash
# The batch numbers behind docs/deploy.md's "Scale, on paper": CPU time per photo and
# peak RSS of `daynight classify --out` (as a Job's pod runs it) with 1 and 2 threads,
# on the webcam test photos and on generated 16 MP JPEGs, and what that makes per
# pod (2 CPUs) per hour. CPU time (user + sys) is the number to plan with: it does not
# depend on what else the machine runs. Nothing is asserted.
#
#   scripts/bench-batch.sh [N_BIG]     default 8 generated 4608×3456 JPEGs
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
data="${DAYNIGHT_DATA:-$PWD/../shared/data}"
n_big="${1:-8}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --quiet --release --locked --bin daynight
cargo run --quiet --release --locked --example big_jpegs -- "$work/16mp" "$n_big" 4608 3456
# A private copy: what was just built, even if another build replaces target/ meanwhile.
cp "${CARGO_TARGET_DIR:-$PWD/target}/release/daynight" "$work/daynight"
bin="$work/daynight"

printf '%-28s %7s %8s %14s %12s %22s\n' "photos" "threads" "photos" "CPU ms/photo" "peak RSS" "photos/hour per pod"
run() {
  local name="$1" dir="$2" threads="$3" n stats
  n=$(find "$dir" -type f | wc -l)
  rm -f "$work/out.jsonl"
  # GNU time: user seconds, system seconds, peak RSS in KB.
  stats=$(/usr/bin/time -f '%U %S %M' "$bin" --threads "$threads" classify --out "$work/out.jsonl" "$dir" 2>&1 >/dev/null | tail -1)
  awk -v name="$name" -v t="$threads" -v n="$n" -v s="$stats" 'BEGIN {
    split(s, f, " "); ms = (f[1] + f[2]) * 1000 / n
    printf "%-28s %7d %8d %14.1f %9.1f MB %22.0f\n", name, t, n, ms, f[3] / 1024, 2 * 3600 * 1000 / ms
  }'
}
if [ -d "$data/day_night_images/test" ]; then
  for t in 1 2; do run "webcam test split" "$data/day_night_images/test" "$t"; done
else
  echo "webcam test split: skipped ($data/day_night_images/test is missing)"
fi
for t in 1 2; do run "16 MP JPEGs (generated)" "$work/16mp" "$t"; done
