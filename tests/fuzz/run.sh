#!/usr/bin/env bash
# Runs the fuzz targets (docs/testing.md, "Fuzzing") for a bounded time each, as many at once as
# there are cores (each target is one process; JOBS=K in the environment sets another count):
#
#   cmake --preset fuzz && cmake --build --preset fuzz     # clang, ASan + UBSan, coverage
#   tests/fuzz/run.sh [SECONDS_PER_TARGET] [BUILD_DIR] [TARGET...]
#                       # default 60 s, build-fuzz, every target (scenario sweep observed run)
#
# The seed corpus is every TOML and CSV file under scenarios/ and tests/data/ (sweep files for the
# sweep target, CSV files for the observed-figures target, the others for the scenario target and
# the run target) plus tests/fuzz/regressions/TARGET/ (the run target: regressions/scenario/);
# it is copied, so the tree is not changed. A finding (crash, sanitizer report, uncaught
# exception, timeout of 10 s, more than 2 GiB) makes the exit status 1 and is copied to
# tests/fuzz/findings/: minimise it (fuzz_TARGET -minimize_crash=1 FILE), fix the bug, and add
# the file to tests/fuzz/regressions/TARGET/ (fuzz_run's: regressions/scenario/), where the test
# suite's cli.fuzz_regressions runs it.
set -euo pipefail
seconds=${1:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath "${2:-$src/build-fuzz}")
work=$(mktemp -d)
# On exit, the targets still running are stopped, then their files removed.
trap 'running=$(jobs -p); if [ -n "$running" ]; then kill $running 2>/dev/null || true; fi; wait; rm -rf "$work"' EXIT

targets=(scenario sweep observed run)
corpora=("${targets[@]}")  # every corpus is made, whichever targets run
if [ $# -gt 2 ]; then targets=("${@:3}"); fi
for target in "${corpora[@]}"; do mkdir -p "$work/$target"; done
while IFS= read -r f; do
  case $f in
    *.csv) target=observed ;;
    *) if grep -qE '^\[(design|parameters)' "$f"; then target=sweep; else target=scenario; fi ;;
  esac
  cp "$f" "$work/$target/$(echo "${f#"$src"/}" | tr / _)"
  if [ "$target" = scenario ]; then cp "$f" "$work/run/$(echo "${f#"$src"/}" | tr / _)"; fi
done < <(find "$src/scenarios" "$src/tests/data" -name '*.toml' -o -name '*.csv')
for target in "${corpora[@]}"; do
  regressions=$target
  if [ "$target" = run ]; then regressions=scenario; fi  # a scenario file, then its run
  cp "$src/tests/fuzz/regressions/$regressions/"* "$work/$target/" 2>/dev/null || true
done

fuzz() {  # one target, its log in $work/TARGET.log; its exit status in $work/TARGET.status
  local target=$1 got=0
  "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=262144 -dict="$src/tests/fuzz/toml.dict" -print_final_stats=1 \
      -artifact_prefix="$work/finding-$target-" "$work/$target" > "$work/$target.log" 2>&1 || got=$?
  echo "$got" > "$work/$target.status"
}

jobs=${JOBS:-$(nproc)}
running=0
for target in "${targets[@]}"; do
  echo "== fuzz_$target: $seconds s, seed corpus $(ls "$work/$target" | wc -l) files"
  fuzz "$target" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait

status=0
for target in "${targets[@]}"; do
  got=$(cat "$work/$target.status")
  echo "== fuzz_$target"
  grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|Done)" "$work/$target.log" || true
  if [ "$got" != 0 ]; then
    status=1
    mkdir -p "$src/tests/fuzz/findings"
    cp "$work"/finding-"$target"-* "$src/tests/fuzz/findings/" 2>/dev/null || true
    tail -40 "$work/$target.log"
    echo "fuzz_$target found a problem (exit $got): see tests/fuzz/findings/" >&2
  fi
done
exit $status
