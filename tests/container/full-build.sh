#!/usr/bin/env bash
# The whole Dockerfile built as a user's `docker build` / `minikube image build` runs
# it, builder stages included (Trunk, wasm-bindgen-cli, the npm tools and the release
# bundle compiled inside the container; the static CLI likewise), on stand-ins for both
# base images (tests/container/lib.sh). Then a smoke test of the two images it made:
# the web image run as the Deployment runs it (HEALTHCHECK, the page, the test photos
# classified in Chromium through it), the CLI image's answers against the host CLI's.
# Too slow for every CI run (about 30 minutes on 2 cores, most of it compiling the
# tools); tests/container/run.sh builds the same Dockerfile with host-built stages.
#
#   tests/container/full-build.sh          logs each build to /tmp/daynight-full-*.log
#   tests/container/full-build.sh --smoke  only the smoke test, on the images built before
#
# Tags: daynight-full:0.1.0 and daynight-full-cli:0.1.0 (not the names the manifests
# use, so that a finished run of tests/container/run.sh is not replaced).
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tests/container/lib.sh
. tests/container/lib.sh
if problem="$(podman_problem)" && [ -n "$problem" ]; then echo "full-build: $problem" >&2; exit 1; fi
port="${CONTAINER_TEST_PORT:-18280}"
port=$((port + 3))

timed_build() { # LOG ARGS...: podman build, timed, its log kept
  local log="$1" start=$SECONDS rc=0
  shift
  nice -n 10 podman build --pull=never --format docker "$@" . >"$log" 2>&1 || rc=$?
  echo "podman build $*: exit $rc, $(( (SECONDS - start) / 60 )) min $(( (SECONDS - start) % 60 )) s (log: $log)"
  [ "$rc" -eq 0 ] || { tail -30 "$log"; return "$rc"; }
}

smoke_only=false
[ "${1:-}" = --smoke ] && smoke_only=true

if ! $smoke_only; then
  standin_nginx
  standin_rust
  echo "NOTE stand-ins, not the release bases: $NGINX_IMAGE = $NGINX_STANDIN_DIFFERS;"
  echo "     $RUST_IMAGE = $RUST_STANDIN_DIFFERS."
  timed_build /tmp/daynight-full-web.log -t daynight-full:0.1.0
  timed_build /tmp/daynight-full-cli.log --target cli -t daynight-full-cli:0.1.0
  for image in daynight-full:0.1.0 daynight-full-cli:0.1.0 "$RUST_IMAGE" "$NGINX_IMAGE"; do
    echo "size $image: $(image_mb "$image") MB"
  done
fi

echo "== smoke test"
name=daynight-full-smoke
url="http://127.0.0.1:$port"
trap 'podman rm -f -t 2 "$name" >/dev/null 2>&1 || true' EXIT
run_as_deployment "$name" "$port" daynight-full:0.1.0
wait_http "$url/healthz"
podman healthcheck run "$name" && echo "web: HEALTHCHECK healthy"
page="$(curl -fsS "$url/")"
[[ "$page" == *'nonce="'* ]] && echo "web: / serves the page ($(wc -c <<<"$page") bytes), /healthz $(curl -fsS "$url/healthz")"
photos="${DAYNIGHT_DATA:-$PWD/../shared/data}/day_night_images/test"
[ -d "$photos" ] || photos="$PWD/tests/badfiles"
if DAYNIGHT_URL="$url/" node --test --test-reporter=spec tests/e2e/labels.test.mjs >/tmp/daynight-full-e2e.log 2>&1; then
  echo "web: $(grep -m1 '✔' /tmp/daynight-full-e2e.log | sed 's/^ *//')"
else
  cat /tmp/daynight-full-e2e.log; exit 1
fi
podman run --rm --read-only -v "$photos:/photos:ro" daynight-full-cli:0.1.0 classify --format jsonl /photos >/tmp/daynight-full-cli.jsonl || true
cargo run --quiet --release --locked --bin daynight -- classify --format jsonl "$photos" >/tmp/daynight-host-cli.jsonl || true
if [ -s /tmp/daynight-host-cli.jsonl ] &&
   diff <(python3 tests/container/answers.py /photos </tmp/daynight-full-cli.jsonl) \
        <(python3 tests/container/answers.py "$photos" </tmp/daynight-host-cli.jsonl); then
  echo "cli: the image's answers on $photos ($(wc -l </tmp/daynight-full-cli.jsonl) files) equal the host CLI's"
else
  echo "cli: the image's answers differ from the host CLI's"; exit 1
fi
