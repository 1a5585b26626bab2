#!/usr/bin/env bash
# Tests scripts/lib/apt.sh, the package detection of scripts/setup.sh, as on a fresh
# machine: no /usr/bin/chromium, and fake apt-cache, apt-get and dpkg-query first on
# PATH. The fake apt-cache prints a long answer (as the real one does for a package
# with many versions), so a `apt-cache policy … | grep -q` under pipefail would die of
# SIGPIPE and pick Ubuntu's package names on Debian. Prints "setup: N passed, N failed".
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"

# apt-cache policy NAME: a Candidate line for the names listed in $FAKE_APT_HAS, then
# thousands of lines of version table, written slowly enough that an early reader is
# gone before the writer is done.
cat > "$work/bin/apt-cache" <<'FAKE'
#!/usr/bin/env bash
[ "$1" = policy ] || exit 1
echo "$2:"
echo "  Installed: (none)"
if [[ " $FAKE_APT_HAS " == *" $2 "* ]]; then echo "  Candidate: 148.0.7778.167-1~deb12u1"; else echo "  Candidate: (none)"; fi
echo "  Version table:"
for i in $(seq 1 5000); do
  echo "     148.0.$i-1~deb12u1 500"
  echo "        500 http://deb.example/debian bookworm/main amd64 Packages"
done
FAKE
# apt-get: only records that it was asked.
cat > "$work/bin/apt-get" <<'FAKE'
#!/usr/bin/env bash
echo "apt-get $*" >> "$FAKE_LOG"
FAKE
# dpkg-query: the names in $FAKE_DPKG_HAS are installed, with a long status line.
cat > "$work/bin/dpkg-query" <<'FAKE'
#!/usr/bin/env bash
name="${!#}"
if [[ " $FAKE_DPKG_HAS " == *" $name "* ]]; then printf 'install ok installed%.0s' $(seq 1 20000); else exit 1; fi
FAKE
chmod +x "$work/bin/"*

passed=0; failed=0
check() {
  local what="$1" expected="$2" actual="$3"
  if [ "$expected" = "$actual" ]; then
    passed=$((passed + 1)); echo "ok   $what"
  else
    failed=$((failed + 1)); echo "FAIL $what: expected '$expected', got '$actual'"
  fi
}
# Runs the detection in a shell as strict as setup.sh's, with the fakes first on PATH.
detect() {
  PATH="$work/bin:$PATH" FAKE_LOG="$work/log" CHROMIUM_PATH="$work/no-chromium" SUDO="" \
    bash -c 'set -euo pipefail; . "$1"; shift; "$@"' _ "$repo/scripts/lib/apt.sh" "$@"
}

: > "$work/log"
check "Debian (apt offers chromium): Debian's names" "chromium chromium-driver" \
  "$(FAKE_APT_HAS="chromium chromium-driver" detect chromium_packages)"
check "Debian: no apt-get update needed" "" "$(cat "$work/log")"

: > "$work/log"
check "Ubuntu (no chromium package): Ubuntu's names" "chromium-browser chromium-chromedriver" \
  "$(FAKE_APT_HAS="chromium-browser" detect chromium_packages)"
check "Ubuntu: the lists were updated once first" "apt-get update -qq" "$(cat "$work/log")"

check "apt_has_candidate: yes" yes "$(FAKE_APT_HAS=chromium detect apt_has_candidate chromium && echo yes || echo no)"
check "apt_has_candidate: no" no "$(FAKE_APT_HAS=other detect apt_has_candidate chromium && echo yes || echo no)"
check "dpkg_installed: yes (long status)" yes "$(FAKE_DPKG_HAS=nginx detect dpkg_installed nginx && echo yes || echo no)"
check "dpkg_installed: no" no "$(FAKE_DPKG_HAS=other detect dpkg_installed nginx && echo yes || echo no)"

# No script of the project may pipe into `grep -q` (or -l, -m) under pipefail.
offenders="$(cd "$repo" && git ls-files '*.sh' .ci/run | xargs grep -nE '^[^#]*\|[[:space:]]*grep[[:space:]]+(-[a-zA-Z]*[qlm]|--quiet|--max-count)' || true)"
check "no pipe into an early-exiting grep (-q, -l, -m) in the project's scripts" "" "$offenders"

echo "setup: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
