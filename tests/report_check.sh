#!/usr/bin/env bash
# Tests of `interdep report` (docs/report.md), one case per ctest test:
#   tests/report_check.sh CASE BINARY SOURCE_DIR
# browser:    runs the baseline and sanctions scenarios (their seeds from the files), writes the
#             report with --baseline, opens it in headless Chromium (tests/report_check.mjs: no
#             request, no console or page error, every chart drawn, the slider redraws the
#             network) and compares every shown number with h5py (tests/report_check.py); then
#             the same for a file without /network and contributions, without a baseline. Two
#             negative controls show that the checks can fail: the same page without the uPlot
#             library must fail in the browser, and the shown numbers must not match the runs
#             swapped.
# cli_errors: bad input exits 2 naming the file; an unwritable target exits 1 and leaves nothing.
set -euo pipefail
case_name=$1
bin=$(realpath "$2")
src=$(realpath "$3")
py=/usr/bin/python3
playwright=$src/output/report/node_modules/playwright-core
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
lib=$(dirname "$(realpath "${BASH_SOURCE[0]}")")/smoke_lib.sh  # before cd: the path may be relative
cd "$work"

source "$lib"

case "$case_name" in
  browser)
    [ -d "$playwright" ] || fail "$playwright is missing: run tools/install-deps"
    command -v node >/dev/null || fail "node is missing: run tools/install-deps"
    [ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing: run tools/install-deps"
    # browser_check PAGE JSON WHAT FILE...: PAGE opened in headless Chromium (report_check.mjs,
    # which writes what it showed to JSON), and every number shown compared with FILE...
    # (report_check.py), WHAT naming the page in a failure.
    browser_check() {
      local page=$1 json=$2 what=$3
      shift 3
      node "$src/tests/report_check.mjs" "$page" "$json" "$playwright" \
        || fail "$what failed in the browser (above)"
      "$py" "$src/tests/report_check.py" "$json" "$@" \
        || fail "$what shows numbers that differ from the result files (above)"
    }
    # Both runs hold observed figures ([[observations]]), so that their section is checked too.
    for scenario in baseline sanctions; do
      { echo "base = \"$src/scenarios/$scenario.toml\""; trade_observation "2026, 2030" "700, 900"; } \
        > "$scenario-observed.toml"
      cat >> "$scenario-observed.toml" <<TOML
[[observations]]
quantity = "relation_overall[PAK,USA]"
unit = "1"
source = "a test"
dates = [2027.5]
values = [0.2]
uncertainty = 0.1
[[observations]]
quantity = "trade[PAK,RUS]"
period = "quarter"
unit = "US\$ million/quarter"
source = "a test"
dates = ["2026Q2", "2027-Q4"]
values = [50, 60]
uncertainty = 10
TOML
    done
    expect_status 0 "$bin" run baseline-observed.toml -o base.h5 -q
    expect_status 0 "$bin" run sanctions-observed.toml -o sanctions.h5 -q
    expect_status 0 "$bin" report sanctions.h5 --baseline base.h5 -o report.html
    grep -q "wrote report.html" out.txt || fail "report printed no confirmation: $(cat out.txt)"
    [ -s report.html ] || fail "no report.html"
    leftovers=$(find . -name '.report.html.tmp-*')
    [ -z "$leftovers" ] || fail "temporary files left behind: $leftovers"

    browser_check report.html shown.json "the report" sanctions.h5 base.h5

    # Negative control 1: the same page with the inlined uPlot library removed must fail.
    "$py" - report.html broken.html <<'EOF'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
stripped, count = re.subn(r"<script>/\*! https://github\.com/leeoniya/uPlot.*?</script>", "<script></script>",
                          page, count=1, flags=re.S)
assert count == 1, "the uPlot script element was not found in the report"
open(sys.argv[2], "w", encoding="utf-8").write(stripped)
EOF
    if node "$src/tests/report_check.mjs" broken.html broken.json "$playwright" >broken.txt 2>&1; then
      cat broken.txt >&2
      fail "the browser check passed a report without its charting library"
    fi
    grep -q "uPlot" broken.txt || { cat broken.txt >&2; fail "the failure without uPlot does not say why"; }

    # Negative control 2: the numbers shown for the sanctions run must not match the baseline run.
    if "$py" "$src/tests/report_check.py" shown.json base.h5 sanctions.h5 >swapped.txt 2>&1; then
      fail "the number check cannot tell the sanctions run from the baseline run"
    fi
    # A page over its data budget (--max-data-mib 1: the two runs' 121 frames need several MiB)
    # shows every k-th frame and the last; every number it shows is still the file's at the
    # frame it names.
    expect_status 0 "$bin" report sanctions.h5 --baseline base.h5 -o thin.html --max-data-mib 1
    grep -q "it shows [0-9]* of the 121 recorded frames (one in every [0-9]*, and the last)" out.txt \
      || { cat out.txt >&2; fail "a thinned report did not say so"; }
    browser_check thin.html thin.json "the thinned report" sanctions.h5 base.h5
    "$py" -c "
import json, sys
rows = json.load(open('thin.json'))['shown']
frames = sorted({r['index'][0] for r in rows if r['dataset'].split('/')[0] not in ('events', 'admissions', 'observed')})
assert 120 in frames and len(frames) > 1 and frames[-2] > 0, frames
" || fail "the thinned report's numbers do not name the frames of the file"
    expect_status 2 "$bin" report sanctions.h5 -o x.html --max-data-mib 0
    grep -q -- "('0') for option '--max-data-mib' is invalid: expected a whole number from 1 to 450" err.txt || fail "a budget of 0 was not refused"
    # A file without /network and contributions, reported without a baseline: the sections
    # that need them are left out, the rest works.
    expect_status 0 "$bin" run "$src/scenarios/pipeline.toml" -o bare.h5 -q --set time.years=5 \
      --set output.network=false --set output.contributions=false
    expect_status 0 "$bin" report bare.h5 -o bare.html -q
    browser_check bare.html bare.json "the report of a file without network and contributions" bare.h5
    # A run without events (the baseline scenario lists none): the page says so and draws the
    # rest (the timeline chart, built for events, had stopped the page's script there).
    expect_status 0 "$bin" report base.h5 -o alone.html -q
    browser_check alone.html alone.json "the report of a run without events" base.h5
    "$py" -c "
import json
shown = json.load(open('alone.json'))
assert 'No events: the run applied none' in shown['text'], 'the page does not say it has no events'
assert 'narratives' in shown['sections'] and shown['narratives'], 'the sections after the events are missing'
" || fail "the report of a run without events lacks its sections"
    # A world of two actors: no triads, said so instead of an empty balance chart.
    cat > two.toml <<'TOML'
name = "two actors"
[time]
years = 2
[domains.economy]
trade = 1.0
[actors.AAA]
interests = { economy = 1.0 }
gdp = 500
total_trade = 100
[actors.BBB]
interests = { economy = 1.0 }
gdp = 300
total_trade = 80
[relations.AAA]
BBB = { economy = 0.3 }
[relations.BBB]
AAA = { economy = -0.2 }
[trade.AAA]
BBB = 20
[trade.BBB]
AAA = 15
[[events]]
date = 2025-06-01
kind = "sanction"
actor = "AAA"
targets = ["BBB"]
intensity = 0.5
[[events]]
date = 2026-02-01
kind = "impulse"
actor = "BBB"
targets = ["AAA"]
goldstein = -4.0
TOML
    expect_status 0 "$bin" run two.toml -o two.h5 -q
    expect_status 0 "$bin" report two.h5 -o two.html -q
    browser_check two.html two.json "the report of a world of two actors" two.h5
    # Three actors and no signed triad (the third is neutral to both): a sentence, not an empty
    # chart.
    sed -e 's/^name = .*/name = "three actors"/' two.toml > three.toml
    cat >> three.toml <<'TOML'
[actors.CCC]
interests = { economy = 1.0 }
gdp = 200
total_trade = 50
TOML
    expect_status 0 "$bin" run three.toml -o three.h5 -q
    expect_status 0 $py -c "import h5py, numpy; f = h5py.File('three.h5'); assert numpy.isnan(f['network/balanced_share'][()]).all(), 'a triad is signed: the case tests nothing'"
    expect_status 0 "$bin" report three.h5 -o three.html -q
    browser_check three.html three.json "the report of three actors without a signed triad" three.h5
    grep -q "No triad is signed at any time" three.json || fail "a balance chart without a signed triad does not say why it is empty"
    # A baseline whose ties were counted at another threshold: the page says so beside the chart.
    expect_status 0 "$bin" run "$src/scenarios/sanctions.toml" -o wide.h5 -q --set network.tie_threshold=0.35
    expect_status 0 "$bin" report wide.h5 --baseline sanctions.h5 -o wide.html -q
    browser_check wide.html wide.json "the report against a baseline of another tie threshold" wide.h5 sanctions.h5
    grep -q "The baseline counted ties at a threshold of 0.10, this run at 0.35" wide.json \
      || fail "a baseline of another tie threshold is drawn without a word"
    grep -q "counted ties at a threshold" shown.json && fail "a baseline of the same tie threshold is said to differ"
    echo "report.browser: passed (with both negative controls failing as they must)"
    ;;
  cli_errors)
    expect_status 2 "$bin" report missing.h5 -o r.html
    grep -q "missing.h5" err.txt || fail "missing file not named: $(cat err.txt)"
    [ ! -e r.html ] || fail "a report was written for a missing file"
    echo "not HDF5" > text.h5
    expect_status 2 "$bin" report text.h5 -o r.html
    grep -q "text.h5" err.txt || fail "bad file not named: $(cat err.txt)"
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" -o base.h5 -q --set time.years=2
    expect_status 2 "$bin" report base.h5 --baseline missing.h5 -o r.html
    grep -q "missing.h5" err.txt && grep -q -- "--baseline" err.txt || fail "missing baseline not named: $(cat err.txt)"
    # Runs of different lengths cannot be compared: bad input, both files named.
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" -o short.h5 -q --set time.years=1 --seed 5
    expect_status 2 "$bin" report base.h5 --baseline short.h5 -o r.html
    grep -q "short.h5" err.txt || fail "incomparable baseline not named: $(cat err.txt)"
    # The note on the seeds is said of a baseline taken, not before one is refused.
    ! grep -q "note:" err.txt || fail "a refused baseline's seeds were noted: $(cat err.txt)"
    [ ! -e r.html ] || fail "a report was written for incomparable runs"
    # A target that cannot be a file (in a missing folder, a directory): bad input, exit 2, the
    # path named, nothing left behind; one the system refuses (/sys takes no new files): exit 1.
    expect_status 2 "$bin" report base.h5 -o no-such-dir/r.html
    grep -q "no-such-dir/r.html" err.txt || fail "unwritable target not named: $(cat err.txt)"
    mkdir target-is-a-directory.html
    expect_status 2 "$bin" report base.h5 -o target-is-a-directory.html
    grep -q "target-is-a-directory.html is a directory" err.txt || fail "directory target not named: $(cat err.txt)"
    expect_status 1 "$bin" report base.h5 -o /sys/r.html
    leftovers=$(find . -name '.*.tmp-*')
    [ -z "$leftovers" ] || fail "temporary files left behind: $leftovers"
    expect_status 0 "$bin" report base.h5 -q
    [ -s base.html ] || fail "the default output name is <result stem>.html"
    [ ! -s out.txt ] || fail "--quiet printed: $(cat out.txt)"
    echo "report.cli_errors: passed"
    ;;
  *)
    fail "unknown case '$case_name'"
    ;;
esac
