#!/usr/bin/env bash
# The Dockerfile's two images, built and run for real with podman, and the manifests
# played with `podman kube play`:
#   1. stand-in base images from Debian packages (lib.sh; built once, then cached),
#      since no image registry is reachable here;
#   2. the web image and the cli image from the unmodified Dockerfile, with the
#      host-built DIST_DIR and static CLI put in place of the builder stages
#      (--build-context), so that no Rust is compiled inside a container;
#   3. the web image run as k8s/base/deployment.yaml runs it (uid 10101, read-only root,
#      a tmpfs /tmp, no capabilities, no privilege escalation): its HEALTHCHECK, the HTTP
#      checks of tests/deploy, the page in Chromium under its CSP, and the browser
#      end-to-end tests through it (160 photos classified as the CLI does; nothing
#      uploaded); then with a model.json mounted read-only as k8s/custom-model does;
#   4. the cli image on a read-only photo folder, as k8s/batch's Indexed Job runs it
#      (4 shards, --out, --resume, then merge), against the host's CLI;
#   5. `podman kube play` of the rendered k8s/ (one replica, a loopback hostPort): / and
#      /healthz answer, the pod runs as the manifest says.
#
#   tests/container/run.sh [DIST_DIR]        default: dist (scripts/build.sh first)
#
# Needs scripts/setup.sh (podman, runc, mmdebstrap; chromium and the tests' node
# modules). Where podman cannot run, it says so and fails under CI=true (skips
# otherwise). Ports: $CONTAINER_TEST_PORT (default 18280) and the next two, on
# 127.0.0.1 only. Ends with `container: N passed, M failed`.
set -euo pipefail
dist="$(cd "${1:-dist}" && pwd)"
cd "$(dirname "$0")/../.."
repo="$PWD"
port="${CONTAINER_TEST_PORT:-18280}"
model_port=$((port + 1))
kube_port=$((port + 2))
data="${DAYNIGHT_DATA:-$repo/../shared/data}"
photos="$data/day_night_images/test"
web_tag=daynight:0.1.0
cli_tag=daynight-cli:0.1.0
arch="$(uname -m)"
cli_bin="$repo/target/$arch-unknown-linux-gnu/release/daynight"

# Node 20 or newer for playwright-core: .tools/node where setup.sh put one there.
# shellcheck source=scripts/lib/node.sh
. scripts/lib/node.sh
use_tools_node
# shellcheck source=tests/deploy/checks.sh
. tests/deploy/checks.sh
# shellcheck source=tests/container/lib.sh
. tests/container/lib.sh
[ -f "$dist/index.html" ] || { echo "container: $dist/index.html missing: build first with scripts/build.sh" >&2; exit 2; }

echo "== podman"
if problem="$(podman_problem)" && [ -n "$problem" ]; then
  if [ "${CI:-}" = true ]; then
    fail "podman cannot run here: $problem"
    echo "container: $passed passed, $failed failed"
    exit 1
  fi
  echo "container: skipped: podman cannot run here: $problem"
  exit 0
fi
pass "podman $(podman version --format '{{.Client.Version}}') with $(podman info --format '{{.Host.OCIRuntime.Name}}, {{.Store.GraphDriverName}} storage')"

work="$(mktemp -d)"
web=daynight-ct-web
model=daynight-ct-model
play="$work/play.yaml"
kube_pod=day-night-classifier-pod-0
remove_containers() { # one at a time: podman 4.3's `rm -f A B` stops at a missing A
  local c
  for c in "$web" "$model"; do podman rm -f -t 2 "$c" >/dev/null 2>&1 || true; done
  podman pod rm -f -t 2 "$kube_pod" >/dev/null 2>&1 || true
}
trap 'remove_containers; rm -rf "$work"' EXIT
remove_containers # a run that was killed may have left its containers

echo "== stand-in base image"
if out="$(standin_nginx 2>&1)"; then pass "${out##*$'\n'}"; else fail "stand-in $NGINX_IMAGE"; echo "$out"; fi
echo "NOTE the web image below is built on a stand-in, not the release base: $NGINX_STANDIN_DIFFERS."
echo "     Its size is not the release image's; what it tests is the Dockerfile, nginx.conf and the bundle."

echo "== the static CLI (as the Dockerfile's cli-builder stage builds it)"
# Static glibc with libjpeg-turbo linked in: a dynamic binary would not start on
# `scratch` ("no such file or directory": no loader, no libraries). Without HEIC/AVIF
# (--no-default-features), as the Dockerfile: Debian ships no static libheif.
build_cli() {
  CARGO_PROFILE_RELEASE_STRIP=symbols TURBOJPEG_STATIC=1 RUSTFLAGS="-C target-feature=+crt-static" \
    nice -n 10 cargo build --quiet --release --locked -p daynight-cli --no-default-features --target "$arch-unknown-linux-gnu"
}
step "cargo build --target $arch-unknown-linux-gnu --no-default-features, TURBOJPEG_STATIC=1, +crt-static" build_cli
static_only() { local out; out="$(ldd "$cli_bin" 2>&1)" || true; echo "$out"; [[ "$out" != *"=>"* ]]; }
step "the CLI binary needs no shared library (ldd)" static_only

echo "== images, from the unmodified Dockerfile"
mkdir -p "$work/web/src" "$work/cli"
cp -R "$dist" "$work/web/src/dist"
cp "$cli_bin" "$work/cli/daynight"
# --format docker: the OCI image format has no HEALTHCHECK, and podman drops it.
build() { podman build --quiet --pull=never --format docker "$@" . >/dev/null; }
step "podman build -t $web_tag (builder stage = the host's $dist)" \
  build -t "$web_tag" --build-context "builder=$work/web"
step "podman build --target cli -t $cli_tag (cli-builder stage = the host's static CLI)" \
  build --target cli -t "$cli_tag" --build-context "cli-builder=$work/cli"
for image in "$web_tag" "$cli_tag"; do
  echo "size $image: $(image_mb "$image") MB (podman image inspect)"
done
echo "size of the static CLI binary: $(du -k "$cli_bin" | awk '{ printf "%.1f", $1 / 1024 }') MB"
config_is() { # IMAGE_OR_CONTAINER FORMAT EXPECTED
  local got type=container
  [[ "$1" == *:* ]] && type=image
  got="$(podman inspect --type "$type" --format "$2" "$1")"
  [ "$got" = "$3" ] || { echo "$2: $got, expected $3"; return 1; }
}
step "web image: user 101:101, port 8080, entrypoint nginx, a HEALTHCHECK on /healthz" \
  config_is "$web_tag" '{{.Config.User}} {{range $p, $_ := .Config.ExposedPorts}}{{$p}}{{end}} {{json .Config.Entrypoint}} {{index .Config.Healthcheck.Test 5}}' \
  '101:101 8080/tcp ["nginx"] http://127.0.0.1:8080/healthz'
step "cli image: user 65532:65532, entrypoint /daynight, one layer holding only the binary" \
  config_is "$cli_tag" '{{.Config.User}} {{json .Config.Entrypoint}} {{len .RootFS.Layers}}' '65532:65532 ["/daynight"] 1'

echo "== the web image, run as k8s/base/deployment.yaml runs it"
run_web() { run_as_deployment "$@" "$web_tag"; } # NAME PORT [podman run options...]
answers() { wait_http "$@"; }
url="http://127.0.0.1:$port"
if step "podman run --user 10101:10101 --read-only --tmpfs /tmp --cap-drop=ALL --security-opt=no-new-privileges" run_web "$web" "$port" &&
   step "/healthz answers on $url" answers "$url/healthz"; then
  step "HEALTHCHECK (podman healthcheck run): healthy" podman healthcheck run "$web"
  # From /proc inside the container (`podman top … huser` prints "?" where podman runs
  # inside a container, as in scripts/fresh-machine.sh). The shell that reads it runs as
  # the container's user too, so any other uid is nginx's.
  users() {
    local out
    out="$(podman exec "$web" sh -c 'grep -h "^Uid:" /proc/[0-9]*/status')"
    echo "$out"
    [ "$(awk '{ print $2, $3, $4, $5 }' <<<"$out" | sort -u)" = "10101 10101 10101 10101" ]
  }
  step "nginx master and workers run as 10101 (real, effective, saved, fs uid)" users
  read_only() {
    config_is "$web" '{{.HostConfig.ReadonlyRootfs}}' true &&
      ! podman exec "$web" touch /srv/daynight/x 2>/dev/null && podman exec "$web" touch /tmp/x
  }
  step "the root filesystem is read-only, /tmp is writable" read_only
  step "no capabilities (CapEff 0)" podman exec "$web" grep -qx 'CapEff:[[:space:]]*0*' /proc/1/status
  counted python3 tests/deploy/http_checks.py "$url" "$dist" --image
  counted node tests/deploy/browser_csp.mjs "$url"
  # The browser end-to-end tests whose server is the container: the 160 test photos
  # classified in Chromium with the CLI's labels, and nothing leaving the page.
  e2e() {
    DAYNIGHT_URL="$url/" node --test --test-concurrency=1 --test-reporter=spec \
      tests/e2e/labels.test.mjs tests/e2e/privacy.test.mjs >"$work/e2e.log" 2>&1
    local rc=$?
    grep -E '^[[:space:]]*(✔|✖|﹣)|^ℹ (tests|pass|fail|skipped)' "$work/e2e.log" | sed 's/^/    /'
    [ "$rc" -eq 0 ] || { cat "$work/e2e.log"; return 1; }
  }
  if e2e; then pass "browser end-to-end through the container (tests/e2e labels, privacy)"; else fail "browser end-to-end through the container"; fi
  logged() { local log; log="$(podman logs "$web" 2>/dev/null)"; [[ "$log" == *'"GET / HTTP/1.1" 200'* ]]; }
  step "nginx logs to the container's stdout (podman logs has the requests)" logged
  stopped() { podman stop -t 10 "$web" >/dev/null && config_is "$web" '{{.State.ExitCode}}' 0; }
  step "podman stop: nginx ends on SIGQUIT, status 0" stopped
fi

echo "== the web image with a model.json mounted read-only (as k8s/custom-model does)"
if step "podman run ... -v k8s/custom-model/model.json:/srv/daynight/model.json:ro" \
     run_web "$model" "$model_port" -v "$repo/k8s/custom-model/model.json:/srv/daynight/model.json:ro,Z" &&
   step "/healthz answers" answers "http://127.0.0.1:$model_port/healthz"; then
  served_model() {
    local h
    h="$(curl -fsS -D - -o "$work/model.json" "http://127.0.0.1:$model_port/model.json")"
    grep -qi '^content-type: application/json' <<<"$h" && grep -qi '^cache-control: no-cache' <<<"$h" &&
      cmp -s "$work/model.json" k8s/custom-model/model.json || { echo "$h"; return 1; }
  }
  step "/model.json: 200 application/json, no-cache, the mounted file" served_model
fi
podman rm -f -t 2 "$model" >/dev/null 2>&1 || true

echo "== the cli image, as k8s/batch/job.yaml runs it"
if [ -d "$photos" ]; then
  # The host's CLI (the ordinary dynamic build) over the same photos, as the reference.
  cargo run --quiet --release --locked --bin daynight -- classify --format jsonl "$photos" >"$work/host.jsonl" || true
  mkdir -m 777 "$work/results"
  shard() { # K: one index of the Job: --shard auto/4 from JOB_COMPLETION_INDEX
    podman run --rm --read-only --cap-drop=ALL --security-opt=no-new-privileges \
      -e JOB_COMPLETION_INDEX="$1" -e RAYON_NUM_THREADS=2 \
      -v "$photos:/photos:ro" -v "$work/results:/results" \
      "$cli_tag" classify --shard auto/4 --out "/results/shard-$1.jsonl" --resume /photos
  }
  shards() { local k; for k in 0 1 2 3; do shard "$k" || return; done; }
  step "4 shards: classify --shard auto/4 --out /results/shard-K.jsonl --resume /photos (read-only)" shards
  merge() { podman run --rm --read-only -v "$work/results:/results:ro" "$cli_tag" merge /results >"$work/image.jsonl"; }
  step "merge (in the image) joins the 4 shards" merge
  # Everything but the time per photo and where the folder is mounted must agree.
  same_answers() {
    local n
    n="$(wc -l <"$work/host.jsonl")"
    [ "$n" -gt 0 ] || { echo "the host CLI gave no answers"; return 1; }
    diff <(python3 tests/container/answers.py "$photos" <"$work/host.jsonl") \
         <(python3 tests/container/answers.py /photos <"$work/image.jsonl") || return 1
    echo "$n photos, identical answers"
  }
  step "the cli image's answers equal the host CLI's on $(find "$photos" -type f | wc -l) photos (label, p_night, why, model)" same_answers
  sed -n '$p' "$work/image.jsonl" | cut -c1-200 | sed 's/^/    last answer: /'
elif [ "${CI:-}" = true ]; then
  fail "test photos missing at $photos (set DAYNIGHT_DATA): required under CI=true"
else
  echo "skipped: no test photos at $photos (set DAYNIGHT_DATA)"
fi
helps() { local out; out="$(podman run --rm "$cli_tag")"; [[ "$out" == *classify* ]]; }
step "cli image without arguments prints its help" helps

echo "== podman kube play of the rendered k8s/ (one replica, hostPort $kube_port on 127.0.0.1)"
# kube play runs the Deployment's pod (and its securityContext, probes and emptyDir);
# it ignores the Namespace, Service, PodDisruptionBudget and NetworkPolicy, and there is
# no admission (Pod Security) or scheduler: tests/deploy checks those statically.
render() { kubectl kustomize k8s/ | .venv/bin/python tests/container/playable.py "$kube_port" >"$play"; }
kube_url="http://127.0.0.1:$kube_port"
if step "kubectl kustomize k8s/ | tests/container/playable.py" render &&
   step "podman kube play" podman kube play --quiet "$play" &&
   step "the played pod answers /healthz" answers "$kube_url/healthz"; then
  page() { local body; body="$(curl -fsS "$kube_url/")"; [[ "$body" == *'nonce="'* && "$body" != *"TRUNK NONCE"* ]]; }
  step "GET / through the played pod: the page, its nonce filled in" page
  healthz() { [ "$(curl -fsS "$kube_url/healthz")" = ok ]; }
  step "GET /healthz through the played pod: 200 ok" healthz
  step "the played container: user 10101, read-only root, no capabilities" \
    config_is "$kube_pod-web" '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}} {{len .EffectiveCaps}}' '10101:10101 true 0'
fi
podman kube down "$play" >/dev/null 2>&1 || true

echo "container: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
