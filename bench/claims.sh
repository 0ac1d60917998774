#!/usr/bin/env bash
# Claims throughput: building, validating and signing GIAMDINHHS files (target: >= 500/s),
# with same-run baselines. Usage: bench/claims.sh   (BUILD_DIR, PATIENTS, SECONDS_EACH)
#   1. a demo province of PATIENTS patients (its insured, finished encounters are the episodes);
#   2. bench/claims_bench: build + validate + sign from episodes in memory, on 1 and N
#      threads; baseline: building and writing the XML only; loading the episodes from
#      the store;
#   3. baseline: the xmlsec1 CLI signing the same files, one process per file (what a
#      script around the command would do);
#   4. end to end: `healthbook claims export --since` (store, build, validate, sign, write).
set -euo pipefail
BUILD=${BUILD_DIR:-build}
PATIENTS=${PATIENTS:-400}
SECONDS_EACH=${SECONDS_EACH:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "# machine: $(nproc) cores, $(free -g | awk '/^Mem/{print $2}') GiB, $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
echo "# $("$BUILD/healthbook" version)"
"$BUILD/healthbook" demo --data "$tmp/data" --patients "$PATIENTS" > /dev/null 2>&1
mkdir -p "$tmp/signed"
"$BUILD/bench/claims_bench" --data "$tmp/data" --threads "$(nproc)" --seconds "$SECONDS_EACH" --out "$tmp/signed"

key="$tmp/data/claims/facility-key.pem,$tmp/data/claims/facility-cert.pem"
n=0
t0=$(date +%s.%N)
for f in "$tmp"/signed/*.xml; do
  xmlsec1 --sign --privkey-pem "$key" --output "$tmp/resigned.xml" "$f" 2> /dev/null
  n=$((n + 1))
  [ "$n" -ge 200 ] && break
done
t1=$(date +%s.%N)
echo "baseline xmlsec1 --sign CLI on the same files: $(awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }') files/s (one process per file, $n files)"

files=$(ls "$tmp"/signed/*.xml | wc -l)
t0=$(date +%s.%N)
"$BUILD/healthbook" claims export --data "$tmp/data" --since 2000-01-01 --out "$tmp/export" > /dev/null 2>&1
t1=$(date +%s.%N)
echo "end to end (claims export --since: store + build + validate + sign + write, 1 thread): $(awk -v n="$files" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }') files/s ($files files)"
