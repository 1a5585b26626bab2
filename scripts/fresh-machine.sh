#!/usr/bin/env bash
# The README's test command on a truly fresh machine: a new Debian container
# (mmdebstrap minbase with ca-certificates, curl and git only), rustup installed the
# way rustup.rs says, a fresh clone of this repository's HEAD with ../shared beside it
# (read-only, as CI has it), then `CI=true bash .ci/run`. Everything else must come from
# scripts/setup.sh, from the package registries. Takes about 40 minutes on 2 cores,
# most of it compiling tools: not for every CI run.
#
#   scripts/fresh-machine.sh [bookworm|trixie]      default: bookworm (Debian 12)
#
# The container is privileged (so the container test suite can run podman inside it)
# and has a network namespace of its own (slirp4netns), so what its tests listen on
# stays inside it. It gets this machine's CA certificates (the package registries are
# reached through a proxy that signs with them) and the environment variables that
# name them, as CI's environment has them. The whole log goes to
# /tmp/fresh-machine-SUITE.log; the last lines are printed at the end.
# Needs podman and mmdebstrap (scripts/setup.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
suite="${1:-bookworm}"
shared="$(cd "${DAYNIGHT_SHARED:-../shared}" && pwd)"
log="/tmp/fresh-machine-$suite.log"
image="localhost/daynight-fresh:$suite"
# shellcheck source=tests/container/lib.sh
. tests/container/lib.sh
if problem="$(podman_problem)" && [ -n "$problem" ]; then echo "fresh-machine: $problem" >&2; exit 1; fi

standin "$image" "$suite" ca-certificates,curl,git "$HOST_CA_HOOK" --change 'CMD ["/bin/bash"]'

work="$(mktemp -d /tmp/fresh-machine.XXXXXX)"
trap 'rm -rf "$work"' EXIT
git clone --quiet --no-hardlinks . "$work/daynight"
echo "fresh-machine: $(git -C "$work/daynight" log -1 --format='%h %s' | cut -c1-100)"
mkdir -p "$work/containers"

# The machine's environment that says where the CA bundle is (not the project's).
ca_env=()
for v in SSL_CERT_FILE SSL_CERT_DIR CURL_CA_BUNDLE REQUESTS_CA_BUNDLE PIP_CERT NODE_EXTRA_CA_CERTS GIT_SSL_CAINFO PIP_DEFAULT_TIMEOUT; do
  [ -n "${!v:-}" ] && ca_env+=(-e "$v")
done

# shellcheck disable=SC2016  # expanded inside the container
inside='set -euo pipefail
echo "== $(. /etc/os-release; echo "$PRETTY_NAME"), $(nproc) cores; node: $(command -v node || echo none)"
curl -sSf -o /tmp/rustup-init "https://static.rust-lang.org/rustup/dist/$(uname -m)-unknown-linux-gnu/rustup-init"
chmod +x /tmp/rustup-init
/tmp/rustup-init -y --quiet --profile minimal --default-toolchain none --no-modify-path
export PATH="$HOME/.cargo/bin:$PATH"
cd /work/daynight
start=$SECONDS
rc=0
CI=true bash .ci/run </dev/null || rc=$?
echo "fresh-machine: .ci/run exited $rc after $(( (SECONDS - start) / 60 )) min"
exit $rc'

echo "fresh-machine: running .ci/run in a fresh Debian $suite container; log: $log"
start=$SECONDS
rc=0
# Its own storage for the podman inside (overlay needs a real file system under it).
podman run --rm --privileged --network slirp4netns \
  --name "daynight-fresh-$suite" "${ca_env[@]}" \
  -v "$work/daynight:/work/daynight" -v "$shared:/work/shared:ro" \
  -v "$work/containers:/var/lib/containers" \
  "$image" bash -c "$inside" >"$log" 2>&1 </dev/null || rc=$?
echo "fresh-machine: $(( (SECONDS - start) / 60 )) min, exit status $rc. The end of $log:"
grep -E '^=== |^suites:|^failed suites:|^fresh-machine:|^\[setup\] (Node|the tests use)' "$log" | tail -40
exit "$rc"
