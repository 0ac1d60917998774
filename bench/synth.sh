#!/usr/bin/env bash
# `healthbook synth` throughput (issue 5: at least 50,000 resources/s on this machine), with
# the import that follows it, each beside a baseline measured in the same run:
#   synth    resources/s writing PEOPLE people as NDJSON (best of RUNS), single-threaded;
#            baseline: copying the same files (cp, then sync), the disk's floor for those bytes
#   import   resources/s of `healthbook import` of those files into a fresh data folder;
#            baseline: the synth rate above (what feeds it)
# The same seed must give the same bytes: the script checks it (sha256 of every file).
#
# Usage: bench/synth.sh            (after `make build`)
#   PEOPLE=2000   people per run
#   RUNS=3        synth runs (the best one counts)
#   IMPORT=1      also time the import (0: synth only)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-build/healthbook}
PEOPLE=${PEOPLE:-2000}
RUNS=${RUNS:-3}
IMPORT=${IMPORT:-1}
WORK=$(mktemp -d /tmp/hb-synth.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

now() { date +%s.%N; }
echo "machine: $(nproc) CPU ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load $(cut -d' ' -f1-3 /proc/loadavg)"

best=0
for run in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/out"
  line=$("$BIN" synth --people "$PEOPLE" --seed 1 --out "$WORK/out" | tail -1)
  rate=$(sed -E 's/.*: ([0-9]+) resources\/s\./\1/' <<<"$line")
  echo "synth run $run: $line"
  if (( rate > best )); then best=$rate; fi
done
resources=$(cat "$WORK/out"/*.ndjson | wc -l)
bytes=$(du -sb "$WORK/out" | cut -f1)
(cd "$WORK/out" && sha256sum ./*.ndjson) > "$WORK/first.sha"
rm -rf "$WORK/again"
"$BIN" synth --people "$PEOPLE" --seed 1 --out "$WORK/again" > /dev/null
if (cd "$WORK/again" && sha256sum -c --quiet "$WORK/first.sha"); then
  echo "same seed, same bytes: yes"
else
  echo "same seed, same bytes: NO" >&2
  exit 1
fi

t0=$(now); cp -r "$WORK/out" "$WORK/copy"; sync; t1=$(now)
copy_rate=$(python3 -c "print(round($resources / ($t1 - $t0)))")
echo "synth: $best resources/s (best of $RUNS, $PEOPLE people, $resources resources, $((bytes / 1000000)) MB)"
echo "baseline cp + sync of the same files: $copy_rate resources/s; ratio $(python3 -c "print(round($best / $copy_rate, 2))")"

if [[ "$IMPORT" == 1 ]]; then
  t0=$(now)
  "$BIN" import --data "$WORK/data" "$WORK/out" | tail -1
  t1=$(now)
  import_rate=$(python3 -c "print(round($resources / ($t1 - $t0)))")
  echo "import: $import_rate resources/s (wall, store opened to closed); synth/import $(python3 -c "print(round($best / $import_rate, 1))")x"
fi
