#!/usr/bin/env bash
# Bounded libFuzzer run of every Weft fuzz target (fuzz/), for CI:
#   utils/run-fuzzers.sh <build dir with WEFT_ENABLE_FUZZERS> <results dir>
# Each target starts from its committed seed corpus (test/fuzz/corpus/<t>)
# with a fixed seed for WEFT_FUZZ_SECONDS (default 60) seconds. New inputs go
# to a scratch corpus in the build dir, never into the source tree. Writes
# <results>/fuzz.xml (one JUnit test case per target: failed if libFuzzer
# found a crash, a leak, a time-out or a violated property) and prints each
# target's executions and time.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$1"
RESULTS="$2"
SECONDS_PER_TARGET="${WEFT_FUZZ_SECONDS:-60}"
TARGETS=(onnx-import mlir-parser schedule-solver)

mkdir -p "$RESULTS"
cases=""
failures=0
for target in "${TARGETS[@]}"; do
  binary="$BUILD/bin/weft-$target-fuzzer"
  work="$BUILD/fuzz-runs/$target"
  rm -rf "$work" && mkdir -p "$work/corpus" "$work/artifacts"
  log="$work/fuzz.log"
  start=$(date +%s)
  # -timeout: one input may take at most 30 s (the solver's own budget is
  # 0.5 s per solve); -rss_limit_mb: bounded memory; -seed: reproducible.
  nice -n 10 "$binary" -seed=1 -max_total_time="$SECONDS_PER_TARGET" \
    -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" \
    "$work/corpus" "$ROOT/test/fuzz/corpus/$target" >"$log" 2>&1
  rc=$?
  elapsed=$(( $(date +%s) - start ))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  echo "fuzz $target: ${runs:-0} executions in ${elapsed} s, exit $rc"
  if [ "$rc" -ne 0 ]; then
    failures=$((failures + 1))
    echo "---- $log (tail)"; tail -40 "$log"
    ls "$work/artifacts"
    detail=$(tail -40 "$log" | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g')
    cases+="<testcase classname=\"fuzz\" name=\"$target\" time=\"$elapsed\"><failure message=\"libFuzzer exit $rc\">$detail</failure></testcase>"
  else
    cases+="<testcase classname=\"fuzz\" name=\"$target\" time=\"$elapsed\"/>"
  fi
done
printf '<?xml version="1.0"?>\n<testsuites><testsuite name="fuzz" tests="%d" failures="%d">%s</testsuite></testsuites>\n' \
  "${#TARGETS[@]}" "$failures" "$cases" >"$RESULTS/fuzz.xml"
[ "$failures" -eq 0 ]
