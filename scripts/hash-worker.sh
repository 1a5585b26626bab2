#!/bin/sh
# Trunk post_build hook (see Trunk.toml): content-hashes the workers' files in
# $TRUNK_STAGING_DIR and names them in index.html:
#   <meta name="daynight-worker" content="./classifier-loader-H.js ./classifier-H.js ./classifier-H_bg.wasm">
#   <meta name="daynight-trainer" content="./trainer-loader-H.js ./trainer-H.js ./trainer-H_bg.wasm ./examples-E.bin">
# The loader comes first: it is the script the app starts a worker with. The trainer's
# list also names the built-in examples it retrains on (model/examples.bin, copied by
# Trunk). The service worker precaches what daynight-worker names, but the trainer's
# files only once the page has used them (web/sw.js): a first visit never downloads them.
set -eu
cd "${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"

# hash_worker BIN META [EXTRA_FILE...]: renames BIN's files after their content and
# writes a meta tag META naming them (and the extra files) into index.html.
hash_worker() {
  bin=$1 meta=$2
  shift 2
  [ -f "${bin}_bg.wasm" ] || { echo "hash-worker: ${bin}_bg.wasm not built" >&2; exit 1; }
  hash=$(cat "$bin.js" "${bin}_bg.wasm" | sha256sum | cut -c1-16)
  mv "$bin.js" "$bin-$hash.js"
  mv "${bin}_bg.wasm" "$bin-${hash}_bg.wasm"
  rm -f "${bin}_loader.js"
  printf 'importScripts("./%s-%s.js");wasm_bindgen("./%s-%s_bg.wasm");\n' "$bin" "$hash" "$bin" "$hash" > "$bin-loader-$hash.js"
  files="./$bin-loader-$hash.js ./$bin-$hash.js ./$bin-${hash}_bg.wasm${*:+ $*}"
  sed -i "s#</head>#<meta name=\"$meta\" content=\"$files\"></head>#" index.html
  grep -q "name=\"$meta\"" index.html || { echo "hash-worker: no </head> in index.html" >&2; exit 1; }
}

hash_worker classifier daynight-worker
[ -f examples.bin ] || { echo "hash-worker: examples.bin not copied (index.html's copy-file of model/examples.bin)" >&2; exit 1; }
examples="examples-$(sha256sum examples.bin | cut -c1-16).bin"
mv examples.bin "$examples"
hash_worker trainer daynight-trainer "./$examples"
