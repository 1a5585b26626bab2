#!/usr/bin/env bash
# All the deployment tests: the linters and validators on nginx.conf, the Dockerfile,
# k8s/, k8s/custom-model/ and k8s/batch/, then Debian's nginx with the real nginx.conf
# over a dist/ tree, checked with real HTTP requests (tests/deploy/http_checks.py) and
# in headless Chromium under its CSP (tests/deploy/browser_csp.mjs).
#
#   tests/deploy/run.sh              over a stand-in dist/ (make-fake-dist.sh): no build
#   tests/deploy/run.sh dist         over the real build (scripts/build.sh)
#
# Needs scripts/setup.sh (nginx, kubectl, the .venv linters). The port is
# $DEPLOY_TEST_PORT (default 18080). Ends with `deploy: N passed, M failed`; exits
# non-zero if anything failed.
set -euo pipefail
# DIST_DIR is relative to the caller's directory, not to the repository.
if [ $# -gt 0 ]; then
  [ -d "$1" ] || { echo "${0##*/}: no directory $1" >&2; exit 2; }
  set -- "$(cd "$1" && pwd)"
fi
cd "$(dirname "$0")/../.."
root="$PWD"
venv="$root/.venv/bin"
port="${DEPLOY_TEST_PORT:-18080}"
k8s_version=1.35.0  # the Kubernetes schema version the manifests are validated against

# Node 20 or newer for playwright-core: .tools/node where setup.sh put one there.
# shellcheck source=scripts/lib/node.sh
. scripts/lib/node.sh
use_tools_node
# shellcheck source=tests/deploy/checks.sh
. tests/deploy/checks.sh

work="$(mktemp -d)"
cleanup() {
  tests/deploy/nginx-down.sh "$port" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== tools"
missing=()
for t in "$venv/gixy" "$venv/hadolint" "$venv/checkov" "$venv/kubernetes-validate" /usr/sbin/nginx; do
  [ -x "$t" ] || missing+=("$t")
done
for t in kubectl curl runuser node; do command -v "$t" >/dev/null || missing+=("$t"); done
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || missing+=("${CHROMIUM:-/usr/bin/chromium}")
[ -d tests/e2e/node_modules/playwright-core ] || missing+=(tests/e2e/node_modules/playwright-core)
if [ ${#missing[@]} -gt 0 ]; then
  fail "tools installed (missing: ${missing[*]}; run scripts/setup.sh)"
  echo "deploy: $passed passed, $failed failed"
  exit 1
fi
pass "tools installed"

echo "== pins"
trunk_toml=$(sed -nE 's/^trunk-version = "(.*)"/\1/p' Trunk.toml)
bindgen_lock=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
arg() { sed -nE "s/^ARG $1=(.*)/\1/p" Dockerfile; }
pins_agree() {
  local ok=0
  [ "$(arg TRUNK_VERSION)" = "$trunk_toml" ] || { echo "Dockerfile TRUNK_VERSION $(arg TRUNK_VERSION) != Trunk.toml $trunk_toml"; ok=1; }
  grep -q "^TRUNK_VERSION=$trunk_toml\$" scripts/setup.sh || { echo "scripts/setup.sh TRUNK_VERSION != Trunk.toml $trunk_toml"; ok=1; }
  [ "$(arg WASM_BINDGEN_VERSION)" = "$bindgen_lock" ] || { echo "Dockerfile WASM_BINDGEN_VERSION $(arg WASM_BINDGEN_VERSION) != Cargo.lock $bindgen_lock"; ok=1; }
  grep -qE '^FROM nginxinc/nginx-unprivileged:[0-9]+\.[0-9]+\.[0-9]+-alpine' Dockerfile || { echo "runtime image not pinned to an x.y.z-alpine tag"; ok=1; }
  grep -qE '^FROM rust:[0-9]+\.[0-9]+\.[0-9]+-' Dockerfile || { echo "builder image not pinned to an x.y.z tag"; ok=1; }
  return $ok
}
step "Dockerfile pins agree with Trunk.toml, Cargo.lock and setup.sh" pins_agree

echo "== nginx.conf"
# The staged dist (needed by nginx -t for the root path and by the HTTP checks).
dist="$work/dist"
browser_args=()
if [ $# -gt 0 ]; then
  [ -f "$1/index.html" ] || { fail "dist $1 has no index.html (build with scripts/build.sh)"; echo "deploy: $passed passed, $failed failed"; exit 1; }
  cp -R "$1/." "$dist/"
  echo "serving a copy of $1"
else
  tests/deploy/make-fake-dist.sh "$dist"
  browser_args=(--expect-worker)
  echo "serving a stand-in dist/ (tests/deploy/make-fake-dist.sh); pass a built dist/ to test the real one"
fi
# Fixtures that must not leak: a dotfile, and a directory that must not be listed.
echo "SECRET=do-not-serve" > "$dist/.env"
mkdir -p "$dist/fixture-dir"
echo "a file in a directory" > "$dist/fixture-dir/file.txt"
echo "SECRET=do-not-serve" > "$dist/fixture-dir/.env"

step "nginx -t (Debian nginx, non-root)" tests/deploy/nginx-up.sh --test "$dist" "$port"
step "gixy nginx.conf: no findings" "$venv/gixy" nginx.conf
no_location_add_header() {
  # Belt and braces for what gixy's add_header_redefinition also catches: every
  # add_header sits at server level (8 spaces deep), none inside a location.
  ! awk '/^[[:space:]]*location /{inloc=1} inloc && /add_header/{print; bad=1} /^        }/{inloc=0} END{exit !bad}' nginx.conf
}
step "add_header only at server level" no_location_add_header

echo "== Dockerfile"
step "hadolint Dockerfile: no warnings" "$venv/hadolint" --failure-threshold style Dockerfile
step "checkov Dockerfile: no failed checks" "$venv/checkov" -f Dockerfile --quiet --compact --skip-download
# The web image must stay what `docker build .` builds: its stage comes last. The CLI
# stage is a static binary on scratch, run as a numeric non-root user.
stage_order() {
  local stages
  stages=$(sed -nE 's/^FROM .* AS ([a-z-]+)$/\1/p; s/^FROM [^ ]+$/(default)/p' Dockerfile | tr '\n' ' ')
  [ "${stages% }" = "builder cli-builder cli (default)" ] || { echo "stages: $stages"; return 1; }
  awk '/^FROM scratch AS cli$/{c=1; next} /^FROM/{c=0} c && /^USER [1-9][0-9]*:[1-9][0-9]*$/{u=1} END{exit !u}' Dockerfile ||
    { echo "the cli stage is not FROM scratch with a numeric non-root USER"; return 1; }
}
step "Dockerfile: web image last (the default target), cli stage FROM scratch, non-root" stage_order
step ".dockerignore keeps build outputs out" bash -c 'for p in target dist "**/node_modules" .venv .git; do grep -qxF "$p" .dockerignore || { echo "missing $p"; exit 1; }; done'

echo "== k8s"
step "kubectl kustomize k8s/" bash -c "kubectl kustomize k8s/ > '$work/k8s.yaml'"
step "kubernetes-validate --strict (Kubernetes $k8s_version)" \
  "$venv/kubernetes-validate" --strict --quiet -k "$k8s_version" "$work/k8s.yaml"
step "checkov k8s/: no failed checks" "$venv/checkov" -d k8s/ --quiet --compact --skip-download
counted "$venv/python" tests/deploy/check_k8s.py < "$work/k8s.yaml"

echo "== k8s/custom-model"
# The same app with the deployment's own model.json from a generated ConfigMap.
step "kubectl kustomize k8s/custom-model/" bash -c "kubectl kustomize k8s/custom-model/ > '$work/custom.yaml'"
step "kubernetes-validate --strict k8s/custom-model (Kubernetes $k8s_version)" \
  "$venv/kubernetes-validate" --strict --quiet -k "$k8s_version" "$work/custom.yaml"
# On the rendered manifests: the folder itself holds a patch, not whole objects.
step "checkov on kubectl kustomize k8s/custom-model/: no failed checks" \
  "$venv/checkov" -f "$work/custom.yaml" --framework kubernetes --quiet --compact --skip-download
counted "$venv/python" tests/deploy/check_k8s.py custom-model < "$work/custom.yaml"
# A changed model must change the pod template (the ConfigMap's hashed name), or
# `kubectl apply -k` would leave the pods serving the old file.
new_model_rolls() {
  cp -R k8s "$work/k8s-changed"
  printf '\n' >> "$work/k8s-changed/custom-model/model.json"
  local before after
  before=$(grep -o 'daynight-model-[a-z0-9]*' "$work/custom.yaml" | sort -u)
  after=$(kubectl kustomize "$work/k8s-changed/custom-model/" | grep -o 'daynight-model-[a-z0-9]*' | sort -u)
  cmp -s k8s/custom-model/model.json "$work/k8s-changed/custom-model/model.json" && { echo "model.json unchanged"; return 1; }
  [ -n "$before" ] && [ -n "$after" ] && [ "$before" != "$after" ] || { echo "ConfigMap $before -> $after"; return 1; }
}
step "a new model.json renames the ConfigMap in the Deployment (kubectl apply -k rolls the pods)" new_model_rolls

echo "== k8s/batch"
# The same validators as k8s/ (checkov -d k8s/ above covers k8s/batch/ too, but a
# failure here should name the batch files).
step "kubectl kustomize k8s/batch/" bash -c "kubectl kustomize k8s/batch/ > '$work/batch.yaml'"
step "kubernetes-validate --strict k8s/batch (Kubernetes $k8s_version)" \
  "$venv/kubernetes-validate" --strict --quiet -k "$k8s_version" "$work/batch.yaml"
step "checkov k8s/batch/: no failed checks" "$venv/checkov" -d k8s/batch/ --quiet --compact --skip-download
counted "$venv/python" tests/deploy/check_k8s.py batch < "$work/batch.yaml"

echo "== nginx over HTTP"
if url="$(tests/deploy/nginx-up.sh "$dist" "$port")"; then
  pass "nginx-up: nginx runs as a non-root user and answers /healthz"
  user="$(ps -o user= -p "$(cat "/tmp/daynight-nginx/$port/tmp/nginx.pid")" || true)"
  if [ -n "$user" ] && [ "$user" != root ]; then pass "nginx master runs as $user"; else fail "nginx master runs as root"; fi
  counted python3 tests/deploy/http_checks.py "$url" "/tmp/daynight-nginx/$port/html"
  # curl's view of the same, as a browser would ask for it.
  step "curl: the wasm is application/wasm, gzip, immutable" bash -c "
    wasm=\$(cd '$dist' && ls *_bg.wasm | head -1)
    h=\$(curl -fsS -o /dev/null -D - -H 'Accept-Encoding: gzip, deflate, br' '$url/'\$wasm)
    grep -qi '^content-type: application/wasm' <<<\"\$h\" &&
    grep -qi '^content-encoding: gzip' <<<\"\$h\" &&
    grep -qi '^cache-control: public, max-age=31536000, immutable' <<<\"\$h\" || { echo \"\$h\"; exit 1; }"
  # Headless Chromium: the page starts under this CSP with no violation.
  counted node tests/deploy/browser_csp.mjs "$url" "${browser_args[@]}"
else
  fail "nginx-up: nginx did not start"
fi
tests/deploy/nginx-down.sh "$port"

echo "deploy: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
