#!/usr/bin/env bash
# Runs the loaders' fuzz targets (docs/testing.md, "Fuzzing") for a bounded time each:
#
#   cmake --preset fuzz && cmake --build --preset fuzz     # clang, ASan + UBSan, coverage
#   tests/fuzz/run.sh [SECONDS_PER_TARGET] [BUILD_DIR]      # default 60 s, build-fuzz
#
# The seed corpus is every TOML and CSV file under scenarios/ and tests/data/ (sweep files for the
# sweep target, CSV files for the observed-figures target, the others for the scenario target)
# plus tests/fuzz/regressions/TARGET/; it is copied, so the
# tree is not changed. A finding (crash, sanitizer report, uncaught exception, timeout of 10 s,
# more than 2 GiB) stops the run with exit 1 and is copied to tests/fuzz/findings/: minimise it
# (fuzz_TARGET -minimize_crash=1 FILE), fix the bug, and add the file to
# tests/fuzz/regressions/TARGET/, where the test suite's cli.fuzz_regressions runs it.
set -euo pipefail
seconds=${1:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath "${2:-$src/build-fuzz}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

targets=(scenario sweep observed)
for target in "${targets[@]}"; do mkdir -p "$work/$target"; done
while IFS= read -r f; do
  case $f in
    *.csv) target=observed ;;
    *) if grep -qE '^\[(design|parameters)' "$f"; then target=sweep; else target=scenario; fi ;;
  esac
  cp "$f" "$work/$target/$(echo "${f#"$src"/}" | tr / _)"
done < <(find "$src/scenarios" "$src/tests/data" -name '*.toml' -o -name '*.csv')
for target in "${targets[@]}"; do
  cp "$src/tests/fuzz/regressions/$target/"* "$work/$target/" 2>/dev/null || true
done

status=0
for target in "${targets[@]}"; do
  echo "== fuzz_$target: $seconds s, seed corpus $(ls "$work/$target" | wc -l) files"
  set +e
  "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=262144 -dict="$src/tests/fuzz/toml.dict" -print_final_stats=1 \
      -artifact_prefix="$work/finding-$target-" "$work/$target" > "$work/$target.log" 2>&1
  got=$?
  set -e
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
