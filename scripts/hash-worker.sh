#!/bin/sh
# Trunk post_build hook (see Trunk.toml): content-hashes the classifier worker's
# files in $TRUNK_STAGING_DIR and names them in index.html as
#   <meta name="daynight-worker" content="./classifier-loader-H.js ./classifier-H.js ./classifier-H_bg.wasm">
# The loader comes first: it is the script the app starts the worker with.
set -eu
cd "${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
[ -f classifier_bg.wasm ] || { echo "hash-worker: classifier_bg.wasm not built" >&2; exit 1; }
hash=$(cat classifier.js classifier_bg.wasm | sha256sum | cut -c1-16)
mv classifier.js "classifier-$hash.js"
mv classifier_bg.wasm "classifier-${hash}_bg.wasm"
rm -f classifier_loader.js
printf 'importScripts("./classifier-%s.js");wasm_bindgen("./classifier-%s_bg.wasm");\n' "$hash" "$hash" > "classifier-loader-$hash.js"
meta="<meta name=\"daynight-worker\" content=\"./classifier-loader-$hash.js ./classifier-$hash.js ./classifier-${hash}_bg.wasm\">"
sed -i "s#</head>#$meta</head>#" index.html
grep -q 'name="daynight-worker"' index.html || { echo "hash-worker: no </head> in index.html" >&2; exit 1; }
