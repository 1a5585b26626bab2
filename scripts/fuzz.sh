#!/usr/bin/env bash
# Runs each cargo-fuzz target for SECONDS (default 60) on nightly and prints how many
# inputs it executed. Safe Rust needs no AddressSanitizer, so the targets run without
# one (about 10x the executions); panics, overflows and timeouts are what they hunt.
# A crash stops the run, leaves the input in fuzz/artifacts/ and exits non-zero: once
# fixed, copy the input to fuzz/regressions/<target>/ so that the stable test
# core/tests/fuzz_regressions.rs replays it forever.
#
#   scripts/fuzz.sh [SECONDS] [TARGET…]       targets: decode features model
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(decode features model)
# Seeds: the hostile-file corpus for the decoder, the real model for the parser.
declare -A seeds=([decode]=tests/badfiles [features]=fuzz/regressions/features [model]=model)
declare -A maxlen=([decode]=8192 [features]=65536 [model]=16384)
cd fuzz
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  log=$(mktemp)
  echo "fuzz $t for ${secs}s…"
  if ! cargo +nightly fuzz run --release --sanitizer none "$t" "corpus/$t" "../${seeds[$t]}" -- \
      -max_total_time="$secs" -max_len="${maxlen[$t]}" -rss_limit_mb=3072 -timeout=30 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz $t: FAILED (a crashing input, if any, is saved under fuzz/artifacts/$t/)"
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  echo "fuzz $t: ${runs} executions in ${secs}s, no crash"
  rm -f "$log"
done
