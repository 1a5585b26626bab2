#!/usr/bin/env bash
# The README's test command on a truly fresh machine: a new Debian container
# (mmdebstrap minbase with ca-certificates, curl and git only), rustup installed the
# way rustup.rs says, a fresh clone of this repository's HEAD with ../shared beside it
# (read-only, as CI has it), then `CI=true bash .ci/run`. Everything else must come from
# scripts/setup.sh, from the package registries. Measured on 2 shared cores: 26 minutes
# (13 of them in scripts/setup.sh, compiling tools) and, at a load average of 9, 62
# minutes (39 in setup): not for every CI run.
#
#   scripts/fresh-machine.sh [bookworm|trixie]      default: bookworm (Debian 12)
#   scripts/fresh-machine.sh cli [bookworm|trixie]  the README's command-line section
#                                                   instead (a few minutes): a machine
#                                                   with a C toolchain and rustup only
#
# `cli` checks what a newcomer meets: `cargo run --release --bin daynight` must stop
# with a message that names `scripts/setup.sh cli` (libturbojpeg0-dev is missing), and
# after `scripts/setup.sh cli` the same command must classify photos.
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
mode=ci
if [ "${1:-}" = cli ]; then mode=cli; shift; fi
suite="${1:-bookworm}"
shared="$(cd "${DAYNIGHT_SHARED:-../shared}" && pwd)"
log="/tmp/fresh-machine-$suite.log"
[ "$mode" = ci ] || log="/tmp/fresh-machine-$suite-$mode.log"
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
rustup='echo "== $(. /etc/os-release; echo "$PRETTY_NAME"), $(nproc) cores; node: $(command -v node || echo none)"
curl -sSf -o /tmp/rustup-init "https://static.rust-lang.org/rustup/dist/$(uname -m)-unknown-linux-gnu/rustup-init"
chmod +x /tmp/rustup-init
/tmp/rustup-init -y --quiet --profile minimal --default-toolchain none --no-modify-path >/dev/null
export PATH="$HOME/.cargo/bin:$PATH"
cd /work/daynight
'
# shellcheck disable=SC2016  # expanded inside the container
ci='set -euo pipefail
'"$rustup"'
start=$SECONDS
rc=0
CI=true bash .ci/run </dev/null || rc=$?
echo "fresh-machine: .ci/run exited $rc after $(( (SECONDS - start) / 60 )) min"
exit $rc'
# A Rust user's machine: a C toolchain (the linker), rustup; not pkg-config, not libturbojpeg.
# shellcheck disable=SC2016  # expanded inside the container
cli='set -uo pipefail
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq build-essential >/dev/null
'"$rustup"'
ok=0
echo "fresh-machine: cargo run --release --bin daynight -- --version, before scripts/setup.sh cli"
out="$(cargo run --release --bin daynight -- --version 2>&1)" && { echo "fresh-machine: it built without libturbojpeg0-dev?"; ok=1; }
if [[ "$out" == *"scripts/setup.sh cli"* ]]; then
  echo "fresh-machine: the build stopped, naming the fix:"
  sed -n "/pkg-config output:/,/HINT:/p" <<<"$out" | head -16
else
  echo "fresh-machine: the build failed without naming scripts/setup.sh cli:"; tail -30 <<<"$out"; ok=1
fi
scripts/setup.sh cli || ok=1
echo "fresh-machine: cargo run --release --bin daynight -- classify tests/badfiles"
rc=0
cargo run --quiet --release --bin daynight -- classify --format csv tests/badfiles >/tmp/answers.csv || rc=$?
cut -c1-100 /tmp/answers.csv | head -5
echo "fresh-machine: classify answered $(($(wc -l </tmp/answers.csv) - 1)) files, exit status $rc (1: some of these hostile files fail, as they should)"
[ "$rc" -le 1 ] && [ -s /tmp/answers.csv ] || ok=1
exit $ok'

if [ "$mode" = cli ]; then inside="$cli"; else inside="$ci"; fi
echo "fresh-machine: running the $mode check in a fresh Debian $suite container; log: $log"
start=$SECONDS
rc=0
# Its own storage for the podman inside (overlay needs a real file system under it).
podman run --rm --privileged --network slirp4netns \
  --name "daynight-fresh-$suite-$mode" "${ca_env[@]}" \
  -v "$work/daynight:/work/daynight" -v "$shared:/work/shared:ro" \
  -v "$work/containers:/var/lib/containers" \
  "$image" bash -c "$inside" >"$log" 2>&1 </dev/null || rc=$?
echo "fresh-machine: $(( (SECONDS - start) / 60 )) min, exit status $rc. The end of $log:"
if [ "$mode" = cli ]; then
  grep -vE '^(info|warn):|^ *[0-9.]+ [KM]iB|Compiling|Downloaded|Downloading|Unpacking|Selecting|Preparing|Setting up|Processing' "$log" | tail -40
else
  grep -E '^=== |^suites:|^failed suites:|^fresh-machine:|Node' "$log" | tail -40
fi
exit "$rc"
