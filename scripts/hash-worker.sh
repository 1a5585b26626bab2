#!/bin/sh
# Trunk post_build hook (see Trunk.toml), in $TRUNK_STAGING_DIR:
# - The classifier worker runs the app's own script and wasm (which the page has
#   already fetched; src/main.rs starts the worker side there). This writes its loader,
#     classifier-loader-H.js   import init from "./daynight-web-A.js";init({module_or_path:"./daynight-web-A_bg.wasm"});
#   where H is a hash of that text, and names it in index.html as
#     <meta name="daynight-worker" content="./classifier-loader-H.js">
# - The trainer worker is a bundle of its own (Trunk's trainer.js, trainer_bg.wasm),
#   fetched only when the page first retrains or reads a model file. This renames its
#   files and the built-in examples after their content and names them as
#     <meta name="daynight-trainer" content="./trainer-loader-H.js ./trainer-H.js ./trainer-H_bg.wasm ./examples-E.bin">
#   The loader comes first: it is the script the app starts the worker with.
# Every asset is then content-hashed (immutable caching, no stale mix across
# deployments). The service worker precaches what daynight-worker names, but the
# trainer's files only once the page has used them (web/sw.js): a first visit never
# downloads them.
set -eu
cd "${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"

# meta NAME FILES: writes <meta name="NAME" content="FILES"> into index.html.
meta() {
  sed -i "s#</head>#<meta name=\"$1\" content=\"$2\"></head>#" index.html
  grep -q "name=\"$1\"" index.html || { echo "hash-worker: no </head> in index.html" >&2; exit 1; }
}

app=$(grep -o 'daynight-web-[0-9a-f]*\.js' index.html | head -n 1)
wasm="${app%.js}_bg.wasm"
[ -n "$app" ] && [ -f "$app" ] && [ -f "$wasm" ] || { echo "hash-worker: the app's script and wasm are not in index.html" >&2; exit 1; }
loader=$(printf 'import init from "./%s";init({module_or_path:"./%s"});' "$app" "$wasm")
hash=$(printf '%s\n' "$loader" | sha256sum | cut -c1-16)
printf '%s\n' "$loader" > "classifier-loader-$hash.js"
meta daynight-worker "./classifier-loader-$hash.js"

[ -f trainer_bg.wasm ] || { echo "hash-worker: trainer_bg.wasm not built" >&2; exit 1; }
[ -f examples.bin ] || { echo "hash-worker: examples.bin not copied (index.html's copy-file of model/examples.bin)" >&2; exit 1; }
examples="examples-$(sha256sum examples.bin | cut -c1-16).bin"
mv examples.bin "$examples"
# Named after the wasm alone: wasm-bindgen makes the glue (trainer.js) from the same
# input, but Trunk's JS minifier writes it in a different order on every build (same
# code), which would give an unchanged trainer a new name, and so a new download for
# every visitor (the service worker caches it in the background), on every deployment.
hash=$(sha256sum trainer_bg.wasm | cut -c1-16)
mv trainer.js "trainer-$hash.js"
mv trainer_bg.wasm "trainer-${hash}_bg.wasm"
rm -f trainer_loader.js
# wasm-bindgen's init takes one object (a bare URL still works but logs a deprecation
# warning in the worker's console).
printf 'importScripts("./trainer-%s.js");wasm_bindgen({module_or_path:"./trainer-%s_bg.wasm"});\n' "$hash" "$hash" > "trainer-loader-$hash.js"
meta daynight-trainer "./trainer-loader-$hash.js ./trainer-$hash.js ./trainer-${hash}_bg.wasm ./$examples"
