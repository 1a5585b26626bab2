#!/usr/bin/env bash
# Starts Debian's nginx on 127.0.0.1:PORT with the project's nginx.conf over DIST_DIR,
# as a non-root user, and returns once it answers /healthz. Prints the base URL (the only
# line on stdout), e.g. `url=$(tests/deploy/nginx-up.sh dist 8091)`.
# Stop it with `tests/deploy/nginx-down.sh PORT`.
#
#   tests/deploy/nginx-up.sh DIST_DIR PORT
#   tests/deploy/nginx-up.sh --test DIST_DIR PORT    only `nginx -t` on that config
#
# The config is the real nginx.conf with exactly three kinds of tagged lines rewritten:
#   `# @root`    root /usr/share/nginx/html;  ->  root $RUN/html;   (a copy of DIST_DIR)
#   `# @listen`  listen 8080;                 ->  listen 127.0.0.1:PORT;
#   `# @tmp`     /tmp/...                     ->  $RUN/tmp/...      (pid, temp dirs)
# where RUN=/tmp/daynight-nginx/PORT, so that instances on different ports never share a
# pid file: it is $RUN/tmp/nginx.pid. Logs (error and access, /dev/stderr and /dev/stdout
# in the container) go to $RUN/nginx.log.
# As root, nginx (master and workers) runs as `nobody`; otherwise as the calling user.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
conf_src="$here/../../nginx.conf"
test_only=false
if [ "${1:-}" = --test ]; then test_only=true; shift; fi
dist="${1:?usage: nginx-up.sh DIST_DIR PORT}"
port="${2:?usage: nginx-up.sh DIST_DIR PORT}"
[[ "$port" =~ ^[0-9]+$ ]] || { echo "nginx-up: PORT must be a number, not '$port'" >&2; exit 2; }
[ -f "$dist/index.html" ] || { echo "nginx-up: $dist/index.html not found (build with scripts/build.sh)" >&2; exit 2; }
nginx_bin="${NGINX:-/usr/sbin/nginx}"
[ -x "$nginx_bin" ] || { echo "nginx-up: $nginx_bin not found (apt-get install nginx, or scripts/setup.sh)" >&2; exit 2; }

run="/tmp/daynight-nginx/$port"
if [ -s "$run/tmp/nginx.pid" ] && kill -0 "$(cat "$run/tmp/nginx.pid")" 2>/dev/null; then
  echo "nginx-up: an instance is already running on port $port (pid $(cat "$run/tmp/nginx.pid")); stop it with nginx-down.sh $port" >&2
  exit 1
fi
rm -rf "$run"
mkdir -p "$run/html" "$run/tmp"
chmod 755 /tmp/daynight-nginx "$run"
cp -R "$dist/." "$run/html/"
chmod -R a+rX "$run/html"

# Rewrite the tagged lines, and check that each rewrite hit as many lines as it should,
# so that an edit to nginx.conf cannot silently leave the test on different settings.
sed -E \
  -e "/# @root\$/ s#^([[:space:]]*)root [^;]+;#\\1root $run/html;#" \
  -e "/# @listen\$/ s#^([[:space:]]*)listen [^;]+;#\\1listen 127.0.0.1:$port;#" \
  -e "/# @tmp\$/ s# /tmp/# $run/tmp/#" \
  "$conf_src" > "$run/nginx.conf"
count() { grep -cE "$1" "$run/nginx.conf" || true; }
# Captured, not piped into `grep -q`: under pipefail an early exit of grep -q would
# turn a found line into a failed (so false) pipeline.
stray_tmp="$(grep -vE '^[[:space:]]*#' "$run/nginx.conf" | grep -F ' /tmp/' | grep -vF " $run/" || true)"
if [ "$(count "^[[:space:]]*root $run/html;")" != 1 ] ||
   [ "$(count "^[[:space:]]*listen 127\\.0\\.0\\.1:$port;")" != 1 ] ||
   [ "$(count " $run/tmp/")" != "$(grep -c '# @tmp$' "$conf_src")" ] ||
   [ -n "$stray_tmp" ]; then
  echo "nginx-up: could not rewrite the @root/@listen/@tmp lines of $conf_src" >&2
  exit 1
fi

as_user=()
if [ "$(id -u)" -eq 0 ]; then
  chown -R nobody: "$run/tmp"
  chown nobody: "$run"
  as_user=(runuser -u nobody --)
fi
# nginx opens /dev/stderr and /dev/stdout itself, so they must be something the
# unprivileged user can open: a log file that user creates.
start=(sh -c 'r=$1; shift; exec "$0" -p "$r" -c "$r/nginx.conf" -e "$r/nginx.log" "$@" >>"$r/nginx.log" 2>&1' "$nginx_bin" "$run")
if ! "${as_user[@]}" "${start[@]}" -t; then
  echo "nginx-up: nginx -t failed:" >&2; cat "$run/nginx.log" >&2; exit 1
fi
if $test_only; then
  cat "$run/nginx.log" >&2
  rm -rf "$run"
  exit 0
fi
if ! "${as_user[@]}" "${start[@]}"; then
  echo "nginx-up: nginx did not start:" >&2; cat "$run/nginx.log" >&2; exit 1
fi

url="http://127.0.0.1:$port"
for _ in $(seq 1 50); do
  if curl -fsS -o /dev/null --max-time 1 "$url/healthz" 2>/dev/null; then
    echo "nginx-up: nginx (pid $(cat "$run/tmp/nginx.pid"), user $("${as_user[@]}" id -un)) serves $dist at $url/" >&2
    echo "$url"
    exit 0
  fi
  sleep 0.1
done
echo "nginx-up: nginx did not answer $url/healthz within 5 s:" >&2
cat "$run/nginx.log" >&2
[ -s "$run/tmp/nginx.pid" ] && kill "$(cat "$run/tmp/nginx.pid")" 2>/dev/null || true
exit 1
