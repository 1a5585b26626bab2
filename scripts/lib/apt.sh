# Debian/Ubuntu package detection for scripts/setup.sh, kept apart so that
# tests/setup/run.sh can exercise it with a fake apt-cache and dpkg-query.
#
# Never pipe a command into `grep -q` here: under `set -o pipefail` grep exits at its
# first match, the writer dies of SIGPIPE (status 141) and the pipeline "fails" on
# exactly the answer it was looking for. Capture the output first, then match it.

# Where the tests expect Chromium (Debian's name); overridable so tests can pretend
# the machine has none.
: "${CHROMIUM_PATH:=/usr/bin/chromium}"

# Whether apt offers an installable version of package $1.
apt_has_candidate() {
  local policy
  policy="$(apt-cache policy "$1" 2>/dev/null)" || true
  [[ "$policy" =~ Candidate:\ [0-9] ]]
}

# Whether package $1 is installed.
dpkg_installed() {
  local status
  status="$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" || true
  [[ "$status" == *"install ok installed"* ]]
}

# Prints the names of the browser and driver packages for this distribution:
# Debian calls them chromium and chromium-driver, Ubuntu chromium-browser and
# chromium-chromedriver. Runs `apt-get update` once if the lists know neither.
chromium_packages() {
  if [ ! -x "$CHROMIUM_PATH" ] && ! apt_has_candidate chromium; then
    ${SUDO:-} apt-get update -qq >&2
  fi
  if [ -x "$CHROMIUM_PATH" ] || apt_has_candidate chromium; then
    echo "chromium chromium-driver"
  else
    echo "chromium-browser chromium-chromedriver"
  fi
}
