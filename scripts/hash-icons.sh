#!/bin/sh
# Trunk post_build hook (see Trunk.toml), in $TRUNK_STAGING_DIR: names the icons
# (web/icons/*.png, copied as they are by index.html's copy-file links) after their
# content, icon-192.png -> icon-192-<16 hex>.png, and writes the new names into
# index.html (the apple-touch-icon) and manifest.webmanifest (the others). Like every
# other asset they are then cached for a year (nginx.conf) and a new icon is a new
# name. The manifest itself keeps its name: the browser identifies the installed app
# by it and checks it for updates, so nginx serves it no-cache.
set -eu
cd "${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
[ -f manifest.webmanifest ] || { echo "hash-icons: manifest.webmanifest not copied (index.html's copy-file of web/manifest.webmanifest)" >&2; exit 1; }
for icon in icon-192.png icon-512.png icon-maskable-512.png apple-touch-icon.png; do
  [ -f "$icon" ] || { echo "hash-icons: $icon not copied (index.html's copy-file of web/icons/$icon)" >&2; exit 1; }
  hashed="${icon%.png}-$(sha256sum "$icon" | cut -c1-16).png"
  mv "$icon" "$hashed"
  # Named with "./" in front in both files (Trunk's minifier may drop the quotes).
  grep -qF "./$icon" index.html manifest.webmanifest || { echo "hash-icons: nothing names ./$icon" >&2; exit 1; }
  sed -i "s#\./$icon#./$hashed#g" index.html manifest.webmanifest
done
