#!/usr/bin/env bash
# A short loopback load run against nginx with the project's nginx.conf (started with
# tests/deploy/nginx-up.sh, stopped afterwards): wrk for 5 s on index.html (nonce
# substituted and gzipped per request) and 5 s on the wasm (precompressed, sendfile).
# Prints requests/s and errors for each; exits non-zero if there was any error
# (non-2xx/3xx response, or a socket error). Loopback only; about 15 s in all.
#
#   scripts/bench-nginx.sh [DIST_DIR]    default: dist/ if built, else a stand-in
#
# $BENCH_PORT (default 18081), $BENCH_SECONDS per target (5), $BENCH_CONNECTIONS (32).
set -euo pipefail
# DIST_DIR is relative to the caller's directory, not to the repository.
if [ $# -gt 0 ]; then
  [ -d "$1" ] || { echo "${0##*/}: no directory $1" >&2; exit 2; }
  set -- "$(cd "$1" && pwd)"
fi
cd "$(dirname "$0")/.."
port="${BENCH_PORT:-18081}"
seconds="${BENCH_SECONDS:-5}"
conns="${BENCH_CONNECTIONS:-32}"
command -v wrk >/dev/null || { echo "bench-nginx: wrk not found (apt-get install wrk, or scripts/setup.sh)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'tests/deploy/nginx-down.sh "$port" 2>/dev/null || true; rm -rf "$work"' EXIT
if [ $# -gt 0 ]; then
  dist="$1"
elif [ -f dist/index.html ]; then
  dist=dist
else
  echo "bench-nginx: no dist/ built: using a stand-in (tests/deploy/make-fake-dist.sh)" >&2
  dist="$work/dist"
  tests/deploy/make-fake-dist.sh "$dist"
fi
wasm="$(cd "$dist" && ls -S -- *_bg.wasm 2>/dev/null | head -1)"
[ -n "$wasm" ] || { echo "bench-nginx: no *_bg.wasm in $dist" >&2; exit 2; }
url="$(tests/deploy/nginx-up.sh "$dist" "$port")"

errors_total=0
bench() {
  local name="$1" path="$2" out rps non2xx sock
  # wrk stops itself after $seconds; timeout is a backstop only.
  out="$(timeout $((seconds + 20)) wrk -t2 -c"$conns" -d"${seconds}s" --timeout 2s \
    -H 'Accept-Encoding: gzip' "$url$path")"
  rps="$(awk '/^Requests\/sec:/{print $2}' <<<"$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/{print $NF}' <<<"$out")"
  sock="$(sed -nE 's/.*Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+).*/\1 \2 \3 \4/p' <<<"$out" |
    awk '{print $1 + $2 + $3 + $4}')"
  non2xx="${non2xx:-0}" sock="${sock:-0}"
  errors_total=$((errors_total + non2xx + sock))
  printf '%-34s %10s req/s  %s  non-2xx: %s  socket errors: %s\n' \
    "$name" "$rps" "$(awk '/^Transfer\/sec:/{print $2 "/s"}' <<<"$out")" "$non2xx" "$sock"
}
echo "wrk: 2 threads, $conns connections, ${seconds} s each, Accept-Encoding: gzip, against $dist"
bench "/ (index.html, nonce + gzip)" /
bench "/$wasm" "/$wasm"
if [ "$errors_total" -eq 0 ]; then echo "bench-nginx: 0 errors"; else echo "bench-nginx: $errors_total errors"; exit 1; fi
