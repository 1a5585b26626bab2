#!/usr/bin/env bash
# Prints what a first visit downloads before its first answer, file by file, gzip -9:
# index.html, every script, wasm and stylesheet it names (the classifier worker's
# loader among them, in <meta name="daynight-worker">), and the service worker; then
# the total against the 150 KB target (KB = 1024 bytes), and twiggy's 20 biggest
# items of the wasm (page and worker share it). Apart from that total: what the
# browser fetches on its own for installing (the manifest and the icon Chromium
# checks), and the trainer and built-in examples, which the service worker fetches
# in the background once the page is ready.
#
#   scripts/bench-size.sh [DIST_DIR]     (build first: scripts/build.sh)
#
# twiggy needs function names, which the shipped wasm has stripped: the wasm is
# rebuilt the way Trunk builds it (cargo, wasm-bindgen, wasm-opt -Oz) with names
# kept (-g), and the script checks that without -g it is byte for byte the size of
# the shipped one.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
dist="$(cd "${1:-$repo/dist}" && pwd)"
[ -f "$dist/index.html" ] || { echo "bench-size: $dist/index.html missing: run scripts/build.sh" >&2; exit 2; }
export PATH="$repo/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
target_kb=150

gz() { gzip -9 -n -c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%7.1f KB", b / 1024 }'; }

# Relative names as index.html and sw.js list them (sw.js's ASSET pattern), except
# the trainer's (<meta name="daynight-trainer">): the service worker fetches those in
# the background once the page is ready, never before the first answer. They are
# listed apart.
html=$(cat "$dist/index.html")
trainer=$(printf '%s\n' "$html" | grep -oE 'name="daynight-trainer" content="[^"]*"' | grep -oE '\./[A-Za-z0-9_.-]+' | sed 's#^\./##' | sort -u || true)
files=$(printf '%s\n' "$html" | grep -oE '\./[A-Za-z0-9_.-]+\.(js|wasm|css)' | sed 's#^\./##' | sort -u | grep -vxF -f <(printf '%s\n' "$trainer") || true)
echo "first visit, gzip -9:"
total=0
for name in index.html $files sw.js; do
  [ -f "$dist/$name" ] || { echo "bench-size: index.html names $name, which dist/ lacks" >&2; exit 1; }
  size=$(gz "$dist/$name")
  total=$((total + size))
  printf '  %-44s %s\n' "$name" "$(kb "$size")"
done
verdict=$([ "$total" -le $((target_kb * 1024)) ] && echo "within" || echo "OVER")
printf '  %-44s %s   (target <= %d KB: %s)\n' "total" "$(kb "$total")" "$target_kb" "$verdict"
# The browser's own, for installing: the manifest, and the 192 px icon Chromium checks
# on a first visit (PNG: gzip gains nothing, so it counts as it is).
echo "fetched by the browser itself for installing, not by the page (not in the total):"
if [ -f "$dist/manifest.webmanifest" ]; then
  printf '  %-44s %s\n' "manifest.webmanifest (gzip -9)" "$(kb "$(gz "$dist/manifest.webmanifest")")"
  icon=$(grep -oE 'icon-192-[0-9a-f]+\.png' "$dist/manifest.webmanifest" | head -n 1 || true)
  [ -n "$icon" ] && printf '  %-44s %s\n' "$icon" "$(kb "$(wc -c < "$dist/$icon")")"
fi
if [ -n "$trainer" ]; then
  echo "fetched in the background once the page is ready (the trainer and the built-in examples), gzip -9:"
  for name in $trainer; do
    printf '  %-44s %s\n' "$name" "$(kb "$(gz "$dist/$name")")"
  done
fi

if ! command -v twiggy >/dev/null; then
  echo "twiggy: not installed (scripts/setup.sh installs it)"
  exit 0
fi
shipped=$(printf '%s\n' $files | grep '_bg\.wasm$' | head -n 1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
(cd "$repo" && cargo build --quiet --locked --profile wasm-release --target wasm32-unknown-unknown --bin daynight-web)
wasm-bindgen --target web --no-typescript --out-dir "$tmp" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/daynight-web.wasm"
features="--enable-bulk-memory --enable-nontrapping-float-to-int"
wasm-opt -Oz $features "$tmp/daynight-web_bg.wasm" -o "$tmp/stripped.wasm"
wasm-opt -Oz -g $features "$tmp/daynight-web_bg.wasm" -o "$tmp/named.wasm"
bytes=$(wc -c < "$dist/$shipped")
echo
echo "twiggy top -n 20 of $shipped ($bytes bytes before gzip; % of those):"
if [ "$(wc -c < "$tmp/stripped.wasm")" -ne "$bytes" ]; then
  echo "  (note: this rebuild is $(wc -c < "$tmp/stripped.wasm") bytes: dist/ was built from other sources)"
fi
# The name section twiggy reads is not shipped: leave it out of the list.
twiggy top -n 21 -f csv "$tmp/named.wasm" | awk -F, -v total="$bytes" '
  NR > 1 && $1 !~ /function names/ && shown < 20 {
    # Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent; a name
    # may hold commas (then it is quoted, with "" for ").
    name = $1; for (i = 2; i <= NF - 4; i++) name = name "," $i
    if (name ~ /^"/) { name = substr(name, 2, length(name) - 2); gsub(/""/, "\"", name) }
    printf "  %8d %5.1f %%  %s\n", $(NF - 3), 100 * $(NF - 3) / total, substr(name, 1, 120); shown++
  }'
