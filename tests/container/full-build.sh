#!/usr/bin/env bash
# The whole Dockerfile built as a user's `docker build` / `minikube image build` runs
# it, builder stages included (Trunk, wasm-bindgen-cli, the npm tools and the release
# bundle compiled inside the container; the static CLI likewise), on stand-ins for both
# base images (tests/container/lib.sh). Then a smoke test of the two images it made.
# Too slow for every CI run (about 30 minutes on 2 cores, most of it compiling the
# tools); tests/container/run.sh builds the same Dockerfile with host-built stages.
#
#   tests/container/full-build.sh          logs each build to /tmp/daynight-full-*.log
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

standin_nginx
standin_rust
echo "NOTE stand-ins, not the release bases: $NGINX_IMAGE = $NGINX_STANDIN_DIFFERS;"
echo "     $RUST_IMAGE = $RUST_STANDIN_DIFFERS."

timed_build() { # LOG ARGS...: podman build, timed, its log kept
  local log="$1" start=$SECONDS rc=0
  shift
  nice -n 10 podman build --pull=never --format docker "$@" . >"$log" 2>&1 || rc=$?
  echo "podman build $*: exit $rc, $(( (SECONDS - start) / 60 )) min $(( (SECONDS - start) % 60 )) s (log: $log)"
  [ "$rc" -eq 0 ] || { tail -30 "$log"; return "$rc"; }
}
timed_build /tmp/daynight-full-web.log -t daynight-full:0.1.0
timed_build /tmp/daynight-full-cli.log --target cli -t daynight-full-cli:0.1.0
for image in daynight-full:0.1.0 daynight-full-cli:0.1.0 "$RUST_IMAGE" "$NGINX_IMAGE"; do
  echo "size $image: $(image_mb "$image") MB"
done

echo "== smoke test"
name=daynight-full-smoke
trap 'podman rm -f -t 2 "$name" >/dev/null 2>&1 || true' EXIT
podman run -d --replace --name "$name" --user 10101:10101 --read-only --tmpfs /tmp --cap-drop=ALL \
  --security-opt=no-new-privileges --health-interval=disable -p "127.0.0.1:$port:8080" daynight-full:0.1.0 >/dev/null
for _ in $(seq 1 50); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.2; done
podman healthcheck run "$name" && echo "web: HEALTHCHECK healthy"
page="$(curl -fsS "http://127.0.0.1:$port/")"
[[ "$page" == *'nonce="'* ]] && echo "web: / serves the page ($(wc -c <<<"$page") bytes), /healthz $(curl -fsS "http://127.0.0.1:$port/healthz")"
podman run --rm --read-only -v "$PWD/tests/badfiles:/photos:ro" daynight-full-cli:0.1.0 classify --format jsonl /photos >/tmp/daynight-full-cli.jsonl || true
cargo run --quiet --release --locked --bin daynight -- classify --format jsonl "$PWD/tests/badfiles" >/tmp/daynight-host-cli.jsonl || true
if diff <(python3 tests/container/answers.py /photos </tmp/daynight-full-cli.jsonl) \
        <(python3 tests/container/answers.py "$PWD/tests/badfiles" </tmp/daynight-host-cli.jsonl); then
  echo "cli: the image's answers on tests/badfiles ($(wc -l </tmp/daynight-full-cli.jsonl) files) equal the host CLI's"
else
  echo "cli: the image's answers differ from the host CLI's"; exit 1
fi
