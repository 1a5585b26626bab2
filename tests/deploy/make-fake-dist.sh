#!/usr/bin/env bash
# Writes a stand-in for Trunk's dist/ into OUT_DIR, so the deployment tests run without
# a Rust build: the same file names (name-<16 hex>.ext, name-<16 hex>_bg.wasm), an
# index.html with Trunk's nonce placeholder, an unhashed sw.js, favicon.svg and
# manifest.webmanifest, icons named icon-<16 hex>.png (scripts/hash-icons.sh), and a
# .gz beside each compressible file, as scripts/build.sh leaves them.
#
#   tests/deploy/make-fake-dist.sh OUT_DIR
set -euo pipefail
out="${1:?usage: make-fake-dist.sh OUT_DIR}"
mkdir -p "$out"
app=daynight-web-0123456789abcdef
worker=worker-fedcba9876543210
css=style-00112233445566ff
icon=icon-192-00112233445566bb
apple=apple-touch-icon-00112233445566cc

# Files must be over nginx's gzip_min_length (256 bytes) to be worth compressing.
filler=$(printf '/* padding so that gzip has something to do */\n%.0s' {1..20})

cat > "$out/index.html" <<HTML
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>daynight</title>
<link rel="icon" href="./favicon.svg" type="image/svg+xml">
<link rel="manifest" href="./manifest.webmanifest">
<link rel="apple-touch-icon" href="./$apple.png">
<link rel="stylesheet" href="./$css.css">
<link rel="modulepreload" href="./$app.js" crossorigin="anonymous" nonce="{{__TRUNK NONCE__}}">
<link rel="preload" href="./${app}_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm">
<script type="module" nonce="{{__TRUNK NONCE__}}">
import init, * as bindings from './$app.js';
const wasm = await init({ module_or_path: './${app}_bg.wasm' });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));
</script>
</head>
<body></body>
</html>
HTML

# The stand-in app does what the real one needs the CSP to allow: its start-up script is
# inline (nonce), it compiles wasm (wasm-unsafe-eval, application/wasm), and it starts a
# module worker that compiles wasm too (the worker runs under its own script's CSP).
# It reports on <body data-*> for a headless browser to read.
cat > "$out/$app.js" <<JS
export default async function init({ module_or_path }) {
  const { instance } = await WebAssembly.instantiateStreaming(fetch(module_or_path));
  document.body.dataset.wasm = "ok";
  const worker = new Worker(new URL("./$worker.js", import.meta.url), { type: "module" });
  worker.onmessage = (e) => { document.body.dataset.worker = e.data; };
  worker.onerror = () => { document.body.dataset.worker = "error"; };
  return instance;
}
$filler
JS
cat > "$out/$worker.js" <<JS
WebAssembly.instantiateStreaming(fetch(new URL("./${worker}_bg.wasm", import.meta.url)))
  .then(() => postMessage("ok"), (e) => postMessage("error: " + e));
$filler
JS
printf 'body { margin: 0; font-family: sans-serif; }\n%s\n' "$filler" > "$out/$css.css"
printf 'self.addEventListener("fetch", () => {});\n%s\n' "$filler" > "$out/sw.js"
printf '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="6"/></svg>\n<!-- %s -->\n' "$filler" > "$out/favicon.svg"
# A valid, empty wasm module: the header (\0asm, version 1) and one custom section
# (id 0, size 4104 as LEB128 \x88\x20, name "padding") of compressible zeros.
for w in "${app}_bg.wasm" "${worker}_bg.wasm"; do
  { printf '\0asm\1\0\0\0\0\210\040\007padding'; head -c 4096 /dev/zero; } > "$out/$w"
done
# A 1x1 PNG for each icon, and a manifest naming one.
for png in "$icon" "$apple"; do
  printf '%s' 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==' | base64 -d > "$out/$png.png"
done
cat > "$out/manifest.webmanifest" <<JSON
{
  "name": "daynight (stand-in)",
  "short_name": "daynight",
  "start_url": "./",
  "scope": "./",
  "display": "standalone",
  "icons": [{ "src": "./$icon.png", "sizes": "1x1", "type": "image/png" }],
  "description": "$(printf 'a stand-in manifest, padded for gzip. %.0s' {1..12})"
}
JSON
# The built-in examples the trainer fetches (model/examples.bin, hashed like the rest).
{ printf 'DNEX'; head -c 4096 /dev/zero; } > "$out/examples-00112233445566aa.bin"

find "$out" -type f \( -name '*.html' -o -name '*.js' -o -name '*.css' -o -name '*.wasm' -o -name '*.svg' -o -name '*.json' -o -name '*.webmanifest' -o -name '*.bin' \) \
  -exec gzip -9 -k -f -n {} +
