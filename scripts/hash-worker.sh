#!/bin/sh
# Trunk post_build hook (see Trunk.toml): writes the classifier worker's loader in
# $TRUNK_STAGING_DIR, a module script that runs the app's own script and wasm (which
# the page has already fetched; src/main.rs starts the worker side there):
#   classifier-loader-H.js   import init from "./daynight-web-A.js";init({module_or_path:"./daynight-web-A_bg.wasm"});
# H is a hash of that text, so the loader is content-hashed like every other asset
# (immutable caching, no stale mix across deployments), and names it in index.html as
#   <meta name="daynight-worker" content="./classifier-loader-H.js">
# for the app (which starts the worker with it) and the service worker (which caches it).
set -eu
cd "${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
app=$(grep -o 'daynight-web-[0-9a-f]*\.js' index.html | head -n 1)
wasm="${app%.js}_bg.wasm"
[ -n "$app" ] && [ -f "$app" ] && [ -f "$wasm" ] || { echo "hash-worker: the app's script and wasm are not in index.html" >&2; exit 1; }
loader=$(printf 'import init from "./%s";init({module_or_path:"./%s"});' "$app" "$wasm")
hash=$(printf '%s\n' "$loader" | sha256sum | cut -c1-16)
printf '%s\n' "$loader" > "classifier-loader-$hash.js"
meta="<meta name=\"daynight-worker\" content=\"./classifier-loader-$hash.js\">"
sed -i "s#</head>#$meta</head>#" index.html
grep -q 'name="daynight-worker"' index.html || { echo "hash-worker: no </head> in index.html" >&2; exit 1; }
