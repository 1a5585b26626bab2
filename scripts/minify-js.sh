#!/bin/sh
# Trunk post_build hook (see Trunk.toml), release builds only: minifies with esbuild
# (npm's, in tests/e2e/node_modules) the two scripts Trunk's own minifier leaves as
# they are: the app's wasm-bindgen glue (Trunk's parser rejects it) and the service
# worker (copied verbatim). About 3 KB less gzip on a first visit. The glue's
# integrity hash in index.html (Trunk wrote it for the unminified file) is replaced.
set -eu
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
esbuild="${TRUNK_SOURCE_DIR:?run by trunk as a post_build hook}/tests/e2e/node_modules/.bin/esbuild"
[ -x "$esbuild" ] || { echo "minify-js: $esbuild missing: run scripts/setup.sh" >&2; exit 1; }
cd "${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
# A file's integrity value, as Trunk writes it (node is there: esbuild needs it).
sri() {
  node -e 'const f = process.argv[1];
    process.stdout.write("sha384-" + require("crypto").createHash("sha384").update(require("fs").readFileSync(f)).digest("base64"));' "$1"
}

app=$(grep -o 'daynight-web-[0-9a-f]*\.js' index.html | head -n 1)
[ -n "$app" ] && [ -f "$app" ] || { echo "minify-js: the app's script is not in index.html" >&2; exit 1; }
before=$(sri "$app")
"$esbuild" "$app" --minify --format=esm --log-level=warning --allow-overwrite --outfile="$app"
grep -q "$before" index.html || { echo "minify-js: index.html has no integrity $before for $app" >&2; exit 1; }
sed -i "s|$before|$(sri "$app")|" index.html

"$esbuild" sw.js --minify --log-level=warning --allow-overwrite --outfile=sw.js

# Trunk gives the wasm's <link rel=preload as=fetch> an integrity hash, which Chromium
# ignores for that kind of preload and says so in the console on every load; the fetch
# that uses the preload (wasm-bindgen's init) carries none. Dropped, for a clean console.
wasm="${app%.js}_bg.wasm"
sed -i -E "s#(<link[^>]*href=\"?\./$wasm\"?[^>]*) integrity=\"?sha384-[A-Za-z0-9+/=]+\"?#\1#" index.html
! grep -Eq "<link[^>]*$wasm[^>]*integrity" index.html || { echo "minify-js: the wasm preload keeps its integrity" >&2; exit 1; }
