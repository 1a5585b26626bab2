#!/bin/sh
# Renders the app's icons from their one source, web/icons/icon.svg, into web/icons/
# (committed: the build then needs no SVG renderer, and the Dockerfile none either).
# Run it again after editing the SVG:
#
#   scripts/make-icons.sh        needs rsvg-convert, pngquant and optipng
#                                (apt-get install librsvg2-bin pngquant optipng)
#
# - icon-192.png, icon-512.png: the manifest's "any" icons, with rounded corners;
# - icon-maskable-512.png: full bleed (the launcher crops it to its own shape; the
#   drawing stays inside the safe zone, see the SVG);
# - apple-touch-icon.png (180 px): full bleed too, as iOS rounds the corners itself and
#   would show transparent ones as black.
# scripts/hash-icons.sh names them after their content at build time.
set -eu
cd "$(dirname "$0")/../web/icons"
for tool in rsvg-convert pngquant optipng; do
  command -v "$tool" >/dev/null || { echo "make-icons: needs $tool (apt-get install librsvg2-bin pngquant optipng)" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed 's/rx="112"/rx="0"/' icon.svg > "$tmp/full.svg"
grep -q 'rx="0"' "$tmp/full.svg" || { echo "make-icons: icon.svg has no rx=\"112\" to square off" >&2; exit 1; }
rsvg-convert -w 192 -h 192 icon.svg -o icon-192.png
rsvg-convert -w 512 -h 512 icon.svg -o icon-512.png
rsvg-convert -w 512 -h 512 "$tmp/full.svg" -o icon-maskable-512.png
rsvg-convert -w 180 -h 180 "$tmp/full.svg" -o apple-touch-icon.png
# A palette of the few colours drawn (and their edges) instead of 32-bit pixels: less
# than half the bytes, the same look. Chromium fetches icon-192 on a first visit (its
# install check), so its size counts.
for png in icon-192.png icon-512.png icon-maskable-512.png apple-touch-icon.png; do
  pngquant --quality 80-98 --speed 1 --strip --force --output "$png" "$png"
done
optipng -quiet -o7 -strip all icon-192.png icon-512.png icon-maskable-512.png apple-touch-icon.png
ls -l ./*.png
