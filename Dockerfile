# syntax=docker/dockerfile:1
#
# daynight: build the browser bundle, then serve it with an unprivileged nginx.
#
#   docker build -t daynight:0.1.0 .            (or: minikube image build -t daynight:0.1.0 .)
#   docker run --rm --read-only --tmpfs /tmp -p 8080:8080 daynight:0.1.0
#
# The `cli` stage is the command line alone, for batch jobs (docs/deploy.md):
#   docker build --target cli -t daynight-cli:0.1.0 .
#
# Both base images are pinned by version. To pin by digest as well (recommended for a
# release: a tag can be re-pushed, a digest cannot), look the digest up and append it:
#   docker buildx imagetools inspect nginxinc/nginx-unprivileged:1.30.4-alpine-slim
#   FROM nginxinc/nginx-unprivileged:1.30.4-alpine-slim@sha256:<digest>

# ---- builder: the same release build as scripts/build.sh on a developer machine ----
# Debian trixie: its nodejs (20) runs npm's binaryen (wasm-opt) like the dev machines do.
FROM rust:1.95.0-trixie AS builder

# Tool versions, as in scripts/setup.sh: Trunk as pinned in Trunk.toml, wasm-bindgen-cli
# exactly the wasm-bindgen in Cargo.lock (tests/deploy/run.sh checks that they agree).
ARG TRUNK_VERSION=0.21.14
ARG WASM_BINDGEN_VERSION=0.2.130

# Unpinned apt versions: Debian's security updates replace them in the archive, so an
# exact pin would break the build at the next update; the base image pins the release.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*

RUN rustup target add wasm32-unknown-unknown

# The tools are built without LTO and with parallel codegen (much faster, same result);
# those settings apply to these two installs only, not to the app's release build.
# wasm-bindgen-cli is installed without --locked: its own lockfile pins a dependency
# version that the registry no longer serves.
RUN CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked trunk --version "${TRUNK_VERSION}" \
 && CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install wasm-bindgen-cli --version "=${WASM_BINDGEN_VERSION}" \
 && rm -rf /usr/local/cargo/registry

WORKDIR /src

# binaryen (wasm-opt) and esbuild from npm, exactly as locked in tests/e2e/package-lock.json.
COPY tests/e2e/package.json tests/e2e/package-lock.json tests/e2e/
RUN npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error

COPY . .
# Trunk runs offline (Trunk.toml): fetch the locked crates first, then build and
# precompress dist/ (scripts/build.sh).
RUN cargo fetch --locked && scripts/build.sh

# ---- cli-builder: the `daynight` command line as one static binary ----
# Built only for `--target cli`: BuildKit skips the stages a target does not need, and
# the web build above is not one of them. JPEGs are decoded by libjpeg-turbo, linked in
# from Debian's static libturbojpeg (found with pkg-config). Debian builds it against
# glibc, so the binary is static glibc (crt-static) rather than musl: the CLI makes no
# user, host or locale lookups, the calls a static glibc cannot serve. The target
# triple follows the build machine's architecture (x86_64 or aarch64).
FROM rust:1.95.0-trixie AS cli-builder
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends pkg-config libturbojpeg0-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Symbols stripped: they add size and nobody debugs in a scratch image.
# --no-default-features: without HEIC/AVIF (the CLI's `heif` feature), which needs
# libheif, and Debian ships no static libheif (docs/deploy.md).
RUN target="$(uname -m)-unknown-linux-gnu" \
 && CARGO_PROFILE_RELEASE_STRIP=symbols TURBOJPEG_STATIC=1 RUSTFLAGS="-C target-feature=+crt-static" \
    cargo build --release --locked -p daynight-cli --no-default-features --target "${target}" \
 && cp "target/${target}/release/daynight" /daynight

# ---- cli: the binary and nothing else, for batch jobs (k8s/batch/) ----
#   docker build --target cli -t daynight-cli:0.1.0 .
#   docker run --rm --read-only -v "$PWD/photos:/photos:ro" daynight-cli:0.1.0 classify /photos
# No shell, no shared libraries, no user database: the model is compiled in, the binary reads
# the photos and writes only the --out file. The user is numeric so that Kubernetes
# can check runAsNonRoot; 65532 is distroless's "nonroot".
FROM scratch AS cli
COPY --from=cli-builder /daynight /daynight
USER 65532:65532
# A batch command, not a server: nothing to probe.
HEALTHCHECK NONE
ENTRYPOINT ["/daynight"]
CMD ["--help"]

# ---- runtime: nginx and the static files, nothing else ----
# The last stage, so a plain `docker build .` still builds the web image.
# alpine-slim: nginx without the optional modules and tools of the full alpine variant
# (none are used), which keeps the image small. busybox wget is there for HEALTHCHECK.
FROM nginxinc/nginx-unprivileged:1.30.4-alpine-slim

COPY nginx.conf /etc/nginx/nginx.conf
COPY --from=builder /src/dist/ /srv/daynight/

# Numeric, so that Kubernetes can verify runAsNonRoot without reading /etc/passwd.
USER 101:101
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]
# nginx directly, without the image's entrypoint scripts (they rewrite conf.d/, which
# this nginx.conf does not use, and cannot under a read-only root filesystem).
STOPSIGNAL SIGQUIT
ENTRYPOINT ["nginx"]
CMD ["-g", "daemon off;"]
