#!/usr/bin/env bash
# Trains the zstd dictionary that stored resource JSON is compressed with
# (src/storage/json_codec.h) from the synthetic province, and writes it where the build embeds
# it. Run it only to ship a NEW dictionary, under a NEW id: stores keep every dictionary they
# were written with (their json_dictionary table), but a build that reuses an id with other
# bytes refuses to open them. Bump ID and OUT together and point the hb_embed line in
# src/storage/CMakeLists.txt at the new file.
# Usage: scripts/train-json-dictionary.sh   (after `make build`; needs Debian's zstd CLI:
#        scripts/install-deps.sh bench)
set -euo pipefail
export LC_ALL=C  # the order of the glob below
cd "$(dirname "$0")/.."
BIN=${BIN:-build/healthbook}
ID=${ID:-40001}                                # zstd dictionary id, 2 bytes in every frame
OUT=${OUT:-resources/storage/fhir-json-1.zdict}
PEOPLE=${PEOPLE:-3000}
SAMPLES=${SAMPLES:-40000}
SIZE=${SIZE:-65536}                            # 64 KiB: 32 KiB stores 16 % more bytes
work=$(mktemp -d /tmp/hb-zdict.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$BIN" synth --people "$PEOPLE" --seed 20261126 --out "$work/nd" >/dev/null
# One sample per resource (the unit the store compresses), drawn evenly over every type.
mkdir "$work/samples"
cat "$work"/nd/*.ndjson | shuf -n "$SAMPLES" --random-source=<(yes 7) |
  split -l 1 -a 5 - "$work/samples/r"
zstd -q --train "$work"/samples/* -o "$OUT" --maxdict="$SIZE" --dictID="$ID" -f
echo "wrote $OUT ($(stat -c %s "$OUT") bytes, id $ID) from $SAMPLES resources of $PEOPLE people"
