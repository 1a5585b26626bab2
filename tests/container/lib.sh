# shellcheck shell=bash
# Shared by the container scripts (tests/container/run.sh, full-build.sh,
# scripts/fresh-machine.sh): podman's settings and the stand-in base images.
#
# No image registry is reachable from the development machines or CI, so the
# Dockerfile's base images are stood in for by images made here from Debian packages
# (mmdebstrap), imported under the exact names of the Dockerfile's FROM lines and used
# with `podman build --pull=never`. A stand-in is rebuilt only when its recipe changes:
# the recipe's hash is a label on the image.
# Sourced with the repository as the working directory.

export CONTAINERS_CONF="$PWD/tests/container/containers.conf"

# The base images as the Dockerfile names them (docker.io is what a bare name means).
from_image() { # STAGE_PATTERN: the image of the first FROM line whose text matches
  awk -v p="$1" '$1 == "FROM" && $0 ~ p { print $2; exit }' Dockerfile
}
qualified() { # NAME[:TAG] -> docker.io/library/NAME:TAG or docker.io/OWNER/NAME:TAG
  case "$1" in
    */*/*) echo "$1" ;;
    */*) echo "docker.io/$1" ;;
    *) echo "docker.io/library/$1" ;;
  esac
}
NGINX_IMAGE="$(qualified "$(from_image 'nginx-unprivileged')")"
RUST_IMAGE="$(qualified "$(from_image 'AS builder')")"

# The host's Debian mirror (the machines' sources may name a local one), else Debian's.
debian_mirror() {
  local uri
  uri="$(grep -hoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -1 | tr -d ' ')" || true
  echo "${uri:-http://deb.debian.org/debian}"
}

# Why podman cannot run here, or nothing if it can (podman, mmdebstrap, `podman info`).
podman_problem() {
  command -v podman >/dev/null || { echo "podman is not installed (apt-get install podman runc mmdebstrap uidmap slirp4netns, or scripts/setup.sh)"; return; }
  command -v mmdebstrap >/dev/null || { echo "mmdebstrap is not installed (scripts/setup.sh)"; return; }
  local out
  out="$(podman info 2>&1 >/dev/null)" || { echo "podman info fails: $out"; return; }
}

# The recipe's hash (the function `standin` and its arguments, which hold each image's
# packages, hook and settings): a changed recipe rebuilds the image, an edit elsewhere
# in this file does not.
recipe_hash() { { declare -f standin; printf '%s\n' "$@"; } | sha256sum | cut -c1-16; }

# Builds a stand-in image NAME from a Debian rootfs unless one with this recipe exists.
#   standin NAME SUITE PACKAGES HOOK [podman import options: --change ...]
# HOOK is a shell command run with the rootfs as $1 (mmdebstrap's --customize-hook).
# The rootfs is Debian SUITE's main component from the host's mirror (no security
# updates: a stand-in for tests, not for shipping).
standin() {
  local name="$1" suite="$2" packages="$3" hook="$4"
  local want have
  want="$(recipe_hash "$@")"
  have="$(podman image inspect --format '{{index .Labels "daynight.standin.recipe"}}' "$name" 2>/dev/null)" || true
  if [ "$have" = "$want" ]; then
    echo "stand-in $name: cached (recipe $want)"
    return 0
  fi
  echo "stand-in $name: building a Debian $suite rootfs with mmdebstrap (once; cached afterwards)"
  shift 4
  local tmp rc=0
  tmp="$(mktemp -d)"
  # Docs, man pages and translations are of no use in an image.
  mmdebstrap --quiet --variant=minbase --include="$packages" \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook="$hook" \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/cache/apt/archives/*.deb' \
    "$suite" "$tmp/rootfs.tar" "deb $(debian_mirror) $suite main" </dev/null || rc=$?
  if [ "$rc" -eq 0 ]; then
    # The caller's options last: an ENV PATH of theirs wins over this default one.
    podman import --quiet \
      --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
      --change "LABEL daynight.standin.recipe=$want" "$@" \
      "$tmp/rootfs.tar" "$name" >/dev/null || rc=$?
  fi
  rm -rf "$tmp"
  [ "$rc" -eq 0 ] && echo "stand-in $name: built"
  return "$rc"
}

# The stand-in for nginxinc/nginx-unprivileged:*-alpine-slim: Debian's nginx-light
# (not Alpine's nginx of the release image's version), wget for the HEALTHCHECK (GNU
# wget, not busybox's), the image's user nginx 101:101, and logs to the container's
# stdout and stderr, as the real image links them.
NGINX_STANDIN_DIFFERS="Debian 12 nginx-light (the release image is Alpine's nginx-unprivileged, another nginx version and libc), GNU wget instead of busybox's"
standin_nginx() {
  # shellcheck disable=SC2016  # $1 is mmdebstrap's, expanded in the hook
  standin "$NGINX_IMAGE" bookworm nginx-light,wget \
    'chroot "$1" sh -ec "groupadd -g 101 nginx; useradd -u 101 -g 101 -M -d /nonexistent -s /usr/sbin/nologin nginx;
       ln -sf /dev/stdout /var/log/nginx/access.log; ln -sf /dev/stderr /var/log/nginx/error.log;
       rm -f /etc/nginx/sites-enabled/default"' \
    --change "LABEL daynight.standin=$NGINX_STANDIN_DIFFERS" \
    --change "USER 101:101" --change "EXPOSE 8080" --change "STOPSIGNAL SIGQUIT" \
    --change 'ENTRYPOINT ["nginx"]' --change 'CMD ["-g", "daemon off;"]'
}

# The machine's extra CA certificates (the package registries are reached through a
# proxy that signs with them), added the Debian way to a rootfs: a HOOK for `standin`.
# shellcheck disable=SC2016  # $1 is mmdebstrap's, expanded in the hook
HOST_CA_HOOK='for c in /usr/local/share/ca-certificates/*.crt; do [ -e "$c" ] && cp "$c" "$1/usr/local/share/ca-certificates/"; done; chroot "$1" update-ca-certificates >/dev/null'

# The stand-in for rust:X.Y.Z-trixie (the full build, tests/container/full-build.sh):
# Debian trixie with the C toolchain, curl and git (the official image builds on
# buildpack-deps, which has more), and rustup installing the Dockerfile's Rust version
# (minimal profile) under /usr/local as the official image does. It differs in also
# trusting this machine's CA certificates, for cargo and (NODE_EXTRA_CA_CERTS) npm.
# `podman import --change ENV` takes one variable each: a second one on the same line
# would become part of the first one's value.
RUST_STANDIN_DIFFERS="Debian 13 minbase + build-essential, curl, git and rustup's minimal profile (the official image has buildpack-deps' fuller package set), plus this machine's CA certificates"
standin_rust() {
  local version="${RUST_IMAGE##*:}"
  version="${version%%-*}"
  # shellcheck disable=SC2016  # $1 is mmdebstrap's, expanded in the hook
  standin "$RUST_IMAGE" trixie ca-certificates,curl,git,build-essential \
    "$HOST_CA_HOOK"'; mkdir -p "$1/usr/local/cargo/bin"; cp "$(command -v rustup)" "$1/usr/local/cargo/bin/rustup-init";
     chroot "$1" env RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo /usr/local/cargo/bin/rustup-init -y --quiet --no-modify-path --profile minimal --default-toolchain '"$version"';
     rm "$1/usr/local/cargo/bin/rustup-init"; chmod -R a+w "$1/usr/local/rustup" "$1/usr/local/cargo"' \
    --change "LABEL daynight.standin=$RUST_STANDIN_DIFFERS" \
    --change "ENV RUSTUP_HOME=/usr/local/rustup" --change "ENV CARGO_HOME=/usr/local/cargo" \
    --change "ENV RUST_VERSION=$version" \
    --change "ENV PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt"
}

# Runs the web image as k8s/base/deployment.yaml runs it, on 127.0.0.1:PORT.
#   run_as_deployment NAME PORT [podman run options...] IMAGE
# The pod's securityContext: runAsUser/runAsGroup 10101, readOnlyRootFilesystem, drop
# ALL capabilities, allowPrivilegeEscalation false; the emptyDir at /tmp. No systemd
# here for podman's healthcheck timer: callers run the HEALTHCHECK by hand.
run_as_deployment() {
  local name="$1" port="$2"; shift 2
  podman run -d --replace --name "$name" --user 10101:10101 --read-only --tmpfs /tmp \
    --cap-drop=ALL --security-opt=no-new-privileges --health-interval=disable \
    -p "127.0.0.1:$port:8080" "$@" >/dev/null
}

# Waits up to 10 s for URL to answer 200.
wait_http() {
  local _
  for _ in $(seq 1 100); do curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0; sleep 0.1; done
  curl -fsS -o /dev/null --max-time 2 "$1"
}

# The size of an image in MB, as `podman image inspect` reports it.
image_mb() { podman image inspect --format '{{.Size}}' "$1" | awk '{ printf "%.1f", $1 / 1e6 }'; }
