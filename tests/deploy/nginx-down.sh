#!/usr/bin/env bash
# Stops the nginx that tests/deploy/nginx-up.sh started on PORT (all of them, without
# PORT), through its pid file, and waits until it is gone.
#
#   tests/deploy/nginx-down.sh [PORT]
set -euo pipefail
base=/tmp/daynight-nginx
if [ $# -gt 0 ]; then runs=("$base/$1"); else runs=("$base"/*); fi
for run in "${runs[@]}"; do
  pidfile="$run/tmp/nginx.pid"
  [ -s "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -QUIT "$pid"  # graceful: finish in-flight requests
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null || true
    echo "nginx-down: stopped nginx (pid $pid) of ${run##*/}" >&2
  fi
  rm -f "$pidfile"
done
