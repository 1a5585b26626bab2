#!/usr/bin/env bash
# The CLI against the floor: its CPU per photo beside libjpeg-turbo's own reduced-scale
# decode (`djpeg -scale 1/8`, Debian's libjpeg-turbo-progs), measured in one run on the
# same JPEGs, their ratio (target ≤ 1.3×), and the CLI's peak RSS on the whole folder
# with its default threads (target ≤ 100 MB). Nothing is asserted.
#
#   scripts/bench-jpeg.sh [FOLDER...]
#
# FOLDER: JPEGs to measure on, e.g. real 12–16 MP phone photos (also taken from
# $DAYNIGHT_BIG_JPEGS, a folder). With none, $N_BIG (default 8) generated 4608×3456
# JPEGs (cli/examples/big_jpegs.rs) are used.
#
# Fair to both: djpeg decodes one file per process, so both programs are timed one
# process per photo, single-threaded, start-up included (the CLI's is parsing its
# model), and the rounds alternate so that a busy machine slows both alike. The CLI also
# does what djpeg does not (features and the model's answer). CPU is user + sys from
# bash's `time` (getrusage of the children, millisecond resolution), never wall time.
# The CLI's own way of working, one process over the whole folder, is printed beside
# it with its peak RSS (GNU time).
#
# $DAYNIGHT_BIN measures another build of the CLI instead of building one (the static
# binary of the `cli` image, or an older commit's, for a before/after).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
rounds="${ROUNDS:-3}"
command -v djpeg >/dev/null || { echo "bench-jpeg: djpeg not found (apt-get install libjpeg-turbo-progs, or scripts/setup.sh)"; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

bin="$work/daynight"
if [ -n "${DAYNIGHT_BIN:-}" ]; then
  cp "$DAYNIGHT_BIN" "$bin"
else
  cargo build --quiet --release --locked --bin daynight
  # A private copy: what was just built, even if another build replaces target/ meanwhile.
  cp "${CARGO_TARGET_DIR:-$PWD/target}/release/daynight" "$bin"
fi

folders=("$@")
[ -n "${DAYNIGHT_BIG_JPEGS:-}" ] && folders+=("$DAYNIGHT_BIG_JPEGS")
if [ ${#folders[@]} -eq 0 ]; then
  cargo run --quiet --release --locked --example big_jpegs -- "$work/16mp" "${N_BIG:-8}" 4608 3456
  folders=("$work/16mp")
  # The same photos as progressive JPEGs (4:2:0, as cameras write them), the case whose
  # decode holds every DCT coefficient (about 3 bytes a pixel) until its last scan: what
  # the decode budget keeps from adding up across threads.
  if command -v cjpeg >/dev/null; then
    mkdir -p "$work/16mp-progressive"
    for f in "$work"/16mp/*.jpg; do
      djpeg -pnm "$f" | cjpeg -progressive -quality 90 > "$work/16mp-progressive/$(basename "$f")"
    done
    folders+=("$work/16mp-progressive")
  fi
fi

# CPU seconds (user + sys) that running "$@" took, children included.
cpu_seconds() {
  local TIMEFORMAT='%3U %3S' times
  times=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
  awk -v t="$times" 'BEGIN { split(t, f, " "); print f[1] + f[2] }'
}
each_cli() { local f; for f in "$@"; do "$bin" --threads 1 classify "$f" || true; done; }
each_djpeg() { local f; for f in "$@"; do djpeg -scale 1/8 "$f" || true; done; }

printf '%-30s %6s %12s %12s %8s %14s %18s\n' "JPEGs" "photos" "CLI ms" "djpeg ms" "ratio" "CLI folder ms" "CLI folder peak"
for dir in "${folders[@]}"; do
  mapfile -t files < <(find -L "$dir" -type f \( -iname '*.jpg' -o -iname '*.jpeg' \) | sort)
  n=${#files[@]}
  [ "$n" -gt 0 ] || { echo "$dir: no JPEGs"; continue; }
  cli=0 djpeg=0
  for _ in $(seq "$rounds"); do
    cli=$(awk -v a="$cli" -v b="$(cpu_seconds each_cli "${files[@]}")" 'BEGIN { print a + b }')
    djpeg=$(awk -v a="$djpeg" -v b="$(cpu_seconds each_djpeg "${files[@]}")" 'BEGIN { print a + b }')
  done
  rm -f "$work/out.jsonl"
  # GNU time: user seconds, system seconds, peak RSS in KB; default threads.
  folder=$(/usr/bin/time -f '%U %S %M' "$bin" classify --out "$work/out.jsonl" "$dir" 2>&1 >/dev/null | tail -1)
  name="$dir"
  [ "$dir" = "$work/16mp" ] && name="4608×3456 (generated)"
  [ "$dir" = "$work/16mp-progressive" ] && name="the same, progressive"
  awk -v name="$name" -v n="$n" -v r="$rounds" -v cli="$cli" -v dj="$djpeg" -v folder="$folder" -v cpus="$(nproc)" 'BEGIN {
    split(folder, f, " ")
    cli_ms = cli * 1000 / (n * r); dj_ms = dj * 1000 / (n * r)
    printf "%-30s %6d %12.1f %12.1f %7.2f× %14.1f %10.1f MB (%d)\n", substr(name, length(name) > 30 ? length(name) - 29 : 1), n, cli_ms, dj_ms, cli_ms / dj_ms, (f[1] + f[2]) * 1000 / n, f[3] / 1024, cpus
  }'
done
echo "CLI ms, djpeg ms: CPU per photo, one process per photo, one thread, ${rounds} rounds; ratio: CLI / djpeg (target ≤ 1.3×)"
echo "CLI folder: one process over the folder with default threads (one per CPU, count in brackets); peak RSS target ≤ 100 MB"
