#!/usr/bin/env bash
# Proves that a change kept behaviour: runs every shipped scenario (mission, teaching, corridors,
# history, the oracles of tests/data/oracles), at its own seed, at seed 7 and at its own seed
# without recording contributions, synthetic worlds of 12 and 40 actors (when the new build has
# bench/interdep_synthetic), every example sweep and the test sweeps, a rerun from a sweep, and explain / compare / inspect / analyze, with two builds of
# interdep, then compares every dataset and attribute of every HDF5 file (tests/h5_same.py
# --attributes) and every printed text.
#
#   tests/same_outputs.sh [--within RTOL ATOL] OLD_INTERDEP NEW_INTERDEP [WORK_DIR]
#
# With --within, floating-point values may differ by ATOL + RTOL max(|a|, |b|) (tests/h5_same.py
# --within) and each file's largest difference is listed: for a change allowed to move the last
# bits of results (issue 10, item 7). Printed texts must still be the same.
#
# Both binaries read the scenarios of this tree, so only the programs differ. Attributes that
# name the moment or the command (created, command_line, ...) are not compared; nor are the
# progress lines of `sweep`, which depend on timing. Exit 0 when everything is the same.
set -euo pipefail
within=()
if [ "${1:-}" = --within ]; then
  within=(--within "$2" "$3")
  shift 3
fi
old=$(realpath "$1")
new=$(realpath "$2")
src=$(cd "$(dirname "$0")/.." && pwd)
work=${3:-$(mktemp -d)}
mkdir -p "$work"

outputs() {  # outputs INTERDEP DIR: everything a user would produce, into DIR
  local bin=$1 out=$2
  mkdir -p "$out"
  for f in "$src"/scenarios/*.toml "$src"/scenarios/teaching/*.toml "$src"/scenarios/history/*.toml "$src"/tests/data/oracles/*.toml; do
    local name dir
    grep -q '^\[\[checks\]\]' "$f" && continue  # a checks file, not a scenario (below)
    name=$(basename "$f" .toml)
    dir=$(basename "$(dirname "$f")")
    "$bin" run "$f" -o "$out/$dir-$name.h5" > "$out/$dir-$name.txt"
    "$bin" run "$f" -o "$out/$dir-$name-s7.h5" --seed 7 > /dev/null
    # Without contributions to record the step takes other paths (as every sweep's runs do).
    "$bin" run "$f" -o "$out/$dir-$name-untracked.h5" --set output.contributions=false > /dev/null
  done
  # Worlds larger than the eight actors the step's small-world kernels are compiled for take
  # their general paths: synthetic worlds (bench/synthetic_scenario.cpp, written once by the new
  # build's generator when it has one), on one thread and on two, by Euler and by Runge-Kutta.
  if [ -n "$synthetic" ]; then
    for n in 12 40; do
      "$bin" run "$work/synthetic-$n.toml" -o "$out/synthetic-$n.h5" -j 1 > /dev/null
      "$bin" run "$work/synthetic-$n.toml" -o "$out/synthetic-$n-j2.h5" -j 2 > /dev/null
      "$bin" run "$work/synthetic-$n.toml" -o "$out/synthetic-$n-untracked.h5" -j 2 \
        --set output.contributions=false > /dev/null
    done
    "$bin" run "$work/synthetic-12.toml" -o "$out/synthetic-12-rk4.h5" \
      --set 'model.decide.integrator="rk4"' > /dev/null
  fi
  for f in "$src"/scenarios/sweeps/*.toml "$src"/tests/data/sweeps/small-*.toml; do
    # A sweep the old binary refuses as bad input (one using a feature it lacks, e.g. policies)
    # is not compared: only files the old binary wrote are.
    "$bin" sweep "$f" -o "$out/sweep-$(basename "$f" .toml).h5" -j 2 -q 2> "$out/sweep.err" || {
      status=$?
      [ "$bin" = "$old" ] && [ $status -eq 2 ] || { cat "$out/sweep.err" >&2; exit 1; }
      echo "same_outputs: the old binary refuses $(basename "$f"): not compared" >&2
    }
  done
  rm -f "$out/sweep.err"
  "$bin" analyze "$out/sweep-pipeline-sobol.h5" --output "relation_overall[PAK,RUS]" > "$out/analyze-sobol.txt"
  "$bin" analyze "$out/sweep-sanctions-morris.h5" > "$out/analyze-morris.txt" 2>&1 || true
  "$bin" run --from-sweep "$out/sweep-brics-grid.h5" --run 17 -o "$out/fromsweep-17.h5" > /dev/null
  "$bin" explain "$out/scenarios-sanctions.h5" --pair RUS:USA > "$out/explain.txt"
  "$bin" compare "$out/scenarios-sanctions.h5" "$out/scenarios-baseline.h5" > "$out/compare.txt"
  "$bin" inspect "$out/scenarios-pipeline.h5" > "$out/inspect.txt"
  # Commands an older binary may not have: compared when both have them.
  if "$bin" check --help > /dev/null 2>&1; then
    "$bin" check "$src/scenarios/history/2014-2024-checks.toml" -q -j 2 > "$out/check.txt"
    "$bin" score "$out/sweep-replay-ensemble.h5" > "$out/score.txt"
  fi
}

# Texts name their files and times: those parts are masked before comparing, and `run`'s last
# line ("Wrote FILE (how long it took)") is kept up to the file's name.
mask() {
  sed -E -e "s#$work/(old|new)/##g" -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]+Z//g' \
    -e 's/^(Wrote [^ ]+) \(.*\)$/\1/' -e 's/[0-9.]+(e-?[0-9]+)? ?(ms|s)\b//g' "$1"
}

synthetic=""
if [ -x "$(dirname "$new")/bench/interdep_synthetic" ]; then
  synthetic="$(dirname "$new")/bench/interdep_synthetic"
  for n in 12 40; do "$synthetic" $n > "$work/synthetic-$n.toml"; done
fi
outputs "$old" "$work/old"
outputs "$new" "$work/new"
status=0 files=0
for f in "$work"/old/*.h5; do
  n=$(basename "$f")
  files=$((files + 1))
  if report=$(/usr/bin/python3 "$src/tests/h5_same.py" "$f" "$work/new/$n" --attributes "${within[@]}" 2>&1); then
    [ ${#within[@]} -gt 0 ] && echo "$n: ${report##*$'\n'}"
  else
    echo "DIFFERS: $n: $report"
    status=1
  fi
done
for f in "$work"/old/*.txt; do
  n=$(basename "$f")
  files=$((files + 1))
  if ! cmp -s <(mask "$f") <(mask "$work/new/$n"); then
    echo "DIFFERS: $n"
    # diff exits 1 on a difference: under pipefail that must not end the script at the first.
    diff <(mask "$f") <(mask "$work/new/$n") | head -5 || true
    status=1
  fi
done
if [ $status -eq 0 ]; then
  if [ ${#within[@]} -gt 0 ]; then
    echo "same_outputs: $files files, every dataset and attribute within ${within[1]} relative + ${within[2]} absolute, every text the same ($work)"
  else
    echo "same_outputs: $files files, every dataset, attribute and text the same ($work)"
  fi
fi
exit $status
