# shellcheck shell=bash
# PASS/FAIL bookkeeping for the test scripts that count their own checks
# (tests/deploy/run.sh, tests/container/run.sh). Sourced; the caller prints
# "NAME: $passed passed, $failed failed" at the end.
passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'PASS %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$1"; }
# step NAME CMD...: runs CMD; its output is shown only when it fails.
step() {
  local name="$1" out
  shift
  if out="$("$@" 2>&1)"; then
    pass "$name"
  else
    fail "$name"
    printf '%s\n' "$out" | sed 's/^/    /'
  fi
}
# counted CMD...: runs a checker that prints PASS/FAIL lines itself, and counts them.
counted() {
  local out rc=0
  out="$("$@" 2>&1)" || rc=$?
  printf '%s\n' "$out"
  passed=$((passed + $(grep -c '^PASS ' <<<"$out" || true)))
  failed=$((failed + $(grep -c '^FAIL ' <<<"$out" || true)))
  if [ "$rc" -ne 0 ] && ! grep -q '^FAIL ' <<<"$out"; then
    fail "$* exited $rc"
  fi
}
