#!/usr/bin/env bash
# Smoke tests of `interdep explain` and `interdep compare`, one case per ctest test:
# tests/insight_smoke.sh CASE BINARY SOURCE_DIR. Runs use the baseline's seed (20250101) on both
# sides, so scenario and baseline share their noise draws.
set -euo pipefail
case_name=$1
bin=$(realpath "$2")
src=$(realpath "$3")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lib=$(dirname "$(realpath "${BASH_SOURCE[0]}")")/smoke_lib.sh  # before cd: the path may be relative
cd "$work"

source "$lib"
expect_in() {  # expect_in FILE TEXT: the file holds TEXT (fixed string)
  grep -qF -- "$2" "$1" || { cat out.txt err.txt >&2; fail "$1 lacks '$2'"; }
}
run() {  # run SCENARIO OUT [--set ...]
  local scenario=$1 out=$2; shift 2
  expect_status 0 "$bin" run "$src/scenarios/$scenario.toml" -o "$out" -q --seed 20250101 "$@"
}

case "$case_name" in
  explain)
    run sanctions sanctions.h5
    expect_status 0 "$bin" explain sanctions.h5 --pair RUS:USA
    expect_in out.txt "Russia → United States, overall relation"
    expect_in out.txt "Events behind it, by weight"
    expect_in out.txt "sanction USA → RUS"
    expect_in out.txt "Goldstein -8.0 (CAMEO 163)"
    expect_in out.txt "2025-03"
    expect_status 0 "$bin" explain sanctions.h5 --pair rus:usa --domain economy --from 2025 --to 2027 --top 2
    expect_in out.txt "Economy relation, 2025-01 to 2027-01"
    [ "$(grep -cE '^  [0-9]+\. [a-z]+ +[-+][0-9]' out.txt)" -le 2 ] || fail "--top 2 listed more than 2 terms"
    expect_status 0 "$bin" explain --help
    expect_in out.txt "Usage: interdep explain"
    ;;
  compare)
    run sanctions sanctions.h5
    run baseline baseline.h5
    expect_status 0 "$bin" compare sanctions.h5 baseline.h5 --top 3
    expect_in out.txt "Scenario 'sanctions' (sanctions.h5) against baseline 'baseline' (baseline.h5)"
    expect_in out.txt "Relations (−1 hostile … +1 close)"
    expect_in out.txt "US$ bn/yr"
    # The first flow row is Russia's trade with the United States.
    [[ "$(grep -A2 '^Flows' out.txt | tail -n 1)" == *Russia* ]] || fail "Russia's trade is not ranked first"
    expect_status 0 "$bin" compare baseline.h5 baseline.h5
    [ "$(grep -c '(no differences)' out.txt)" = 4 ] || fail "a run compared with itself shows differences"
    expect_in err.txt "note: baseline.h5 and baseline.h5 are the same file: nothing can differ"
    ln -s baseline.h5 link.h5
    expect_status 0 "$bin" compare link.h5 baseline.h5
    expect_in err.txt "note: link.h5 and baseline.h5 are the same file"
    # Two runs of the same scenario in two files are not one file: no note.
    run baseline again.h5
    expect_status 0 "$bin" compare again.h5 baseline.h5
    [ ! -s err.txt ] || { cat err.txt >&2; fail "two files were called the same file"; }
    ;;
  explain_errors)
    run baseline base.h5 --set time.years=2
    expect_status 2 "$bin" explain base.h5 --pair PAK:RUSS
    expect_in err.txt "base.h5"
    expect_in err.txt "unknown actor 'RUSS'"
    expect_in err.txt "did you mean 'RUS'"
    expect_status 2 "$bin" explain base.h5 --pair PAK:PAK
    expect_in err.txt "two different actors"
    expect_status 2 "$bin" explain base.h5 --pair PAK:RUS --from 2040
    expect_in err.txt "--from"
    expect_in err.txt "outside the run"
    # A window the wrong way round names the file and both dates, as every refusal does.
    expect_status 2 "$bin" explain base.h5 --pair PAK:RUS --from 2026 --to 2025-06
    expect_in err.txt "base.h5: --from 2026 must come before --to 2025-06"
    # --measure with no event listed runs nothing and says so (it printed "as below" and no list).
    expect_status 0 "$bin" explain base.h5 --pair PAK:RUS --measure
    expect_in out.txt "no event is listed for this window, so there is none to leave out"
    expect_status 2 "$bin" explain base.h5 --pair PAK:RUS --to soon
    expect_in err.txt "--to takes a date such as 2030, 2030-06, 2030-06-15 or 2030.5, got 'soon'"
    # A month, a day and a decimal year name the same window (issue 14: one date format).
    expect_status 0 "$bin" explain base.h5 --pair PAK:RUS --from 2025-06 --to 2026
    expect_in out.txt "2025-06 to 2026-01"
    cp out.txt by-month.txt
    expect_status 0 "$bin" explain base.h5 --pair PAK:RUS --from 2025.4166666666667 --to 2026-01-01
    cmp -s out.txt by-month.txt || fail "--from 2025-06 and --from 2025.41666 gave other accounts"
    expect_status 2 "$bin" explain base.h5 --pair PAK:RUS --domain enrgy
    expect_in err.txt "did you mean 'energy'"
    echo "not a result" > fake.h5
    expect_status 2 "$bin" explain fake.h5 --pair PAK:RUS
    expect_in err.txt "fake.h5"
    run baseline bare.h5 --set time.years=1 --set output.contributions=false
    expect_status 2 "$bin" explain bare.h5 --pair PAK:RUS
    expect_in err.txt "contributions"
    # --measure runs the stored scenario without each listed event: a logged event whose index
    # is not the stored scenario's event of that label measured another event, or none (-1 said
    # "no event is listed" and exited 0). Refused as a damaged file.
    run sanctions events.h5 --set time.years=2
    for change in "a * 0 - 1" "(a + 1) % (a.max() + 1)"; do
      /usr/bin/python3 -c "import h5py, shutil; shutil.copy('events.h5', 'bad.h5'); f = h5py.File('bad.h5', 'r+'); a = f['events/event_index'][()]; f['events/event_index'][...] = $change" \
        || fail "could not damage the events"
      expect_status 2 "$bin" explain bad.h5 --pair RUS:USA --measure
      expect_in err.txt "bad.h5"
      expect_in err.txt "is not the stored scenario's event of that index"
    done
    expect_status 0 "$bin" explain events.h5 --pair RUS:USA --measure
    ;;
  compare_errors)
    run baseline two.h5 --set time.years=2
    run baseline one.h5 --set time.years=1
    expect_status 2 "$bin" compare two.h5 one.h5
    expect_in err.txt "two.h5"
    expect_in err.txt "one.h5"
    expect_in err.txt "number of frames differs"
    expect_status 2 "$bin" compare two.h5 missing.h5
    expect_in err.txt "missing.h5"
    expect_status 2 "$bin" compare two.h5
    expect_in err.txt "two result files"
    ;;
  *)
    fail "unknown case $case_name"
    ;;
esac
echo "ok: $case_name"
