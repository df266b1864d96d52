#!/usr/bin/env bash
# Runs `bash .ci/run` on N fresh clones of HEAD, one after the other, as CI would, and prints one
# line per run (result, wall time, test counts) plus a summary: the determinism check behind the
# "consecutive fresh-clone runs" row of BENCHMARKS.md. Stops at the first red run unless
# KEEP_GOING=1. Each run's full log stays in $OUT/run-<i>.log.
# Usage: scripts/repeat-ci.sh [N]   (default 10; OUT defaults to /tmp/tern-repeat-ci)
set -uo pipefail
runs=${1:-10}
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out=${OUT:-/tmp/tern-repeat-ci}
mkdir -p "$out"
commit=$(git -C "$repo" rev-parse --short HEAD)
green=0
echo "repeat-ci: $runs fresh-clone runs of .ci/run at $commit (logs in $out)"
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d /tmp/tern-ci-XXXXXX)
  git clone -q "$repo" "$dir/tern"
  at=$(git -C "$dir/tern" rev-parse --short HEAD)
  start=$(date +%s)
  (cd "$dir/tern" && CI=true bash .ci/run </dev/null) >"$out/run-$i.log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  # Surefire and failsafe each print one "Tests run:" total per module; add them up.
  counts=$(grep -E '^\[(INFO|ERROR|WARNING)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' "$out/run-$i.log" \
    | awk -F'[:,]' '{t+=$2; f+=$4; e+=$6; s+=$8} END {printf "%d tests, %d failures, %d errors, %d skipped", t, f, e, s}')
  if [ "$rc" -eq 0 ]; then result=green; green=$((green + 1)); else result="RED (exit $rc)"; fi
  printf 'run %d at %s: %s in %dm%02ds, %s\n' "$i" "$at" "$result" $((secs / 60)) $((secs % 60)) "$counts" | tee -a "$out/summary.txt"
  if [ "$rc" -ne 0 ]; then
    grep -E '<<< (FAILURE|ERROR)!' "$out/run-$i.log" | head -5
  fi
  rm -rf "$dir"
  if [ "$rc" -ne 0 ] && [ "${KEEP_GOING:-0}" != 1 ]; then break; fi
done
echo "repeat-ci: $green of $runs green at $commit" | tee -a "$out/summary.txt"
[ "$green" -eq "$runs" ]
