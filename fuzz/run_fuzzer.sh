#!/bin/sh
# Runs one libFuzzer target for FUZZ_SECONDS (default 5) over its seed corpus and the corpus it
# grew in earlier runs. New inputs go to WORK_DIR/corpus, crashes to WORK_DIR/artifacts (the
# path is printed); a crash, leak, timeout (10 s per input) or out-of-memory fails the run.
# Usage: run_fuzzer.sh FUZZER SEED_DIR WORK_DIR
set -eu
fuzzer=$1
seeds=$2
work=$3
if [ ! -x "$fuzzer" ]; then
  echo "run_fuzzer: $fuzzer is not built (the fuzz.build test builds it)" >&2
  exit 1
fi
mkdir -p "$work/corpus" "$work/artifacts"
# Any UBSan report stops the run (a crash), but for the third-party ones in ubsan.supp.
here=$(cd "$(dirname "$0")" && pwd)
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:suppressions=$here/ubsan.supp}"
exec "$fuzzer" -max_total_time="${FUZZ_SECONDS:-5}" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds"
