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
# page:       what small runs' pages say (tests/report_check.mjs, then the text it read): each
#             event between a pair listed once, with the Events table's number and words for an
#             unlabelled one; what the comparison tables are ranked by and the note on different
#             seeds; a sentence when no relation moved; a weekly and a yearly run's frames
#             labelled by their own clock; no word of a baseline the page does not have.
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

browser_ready() {
  [ -d "$playwright" ] || fail "$playwright is missing: run tools/install-deps"
  command -v node >/dev/null || fail "node is missing: run tools/install-deps"
  [ -x /usr/bin/chromium ] || fail "/usr/bin/chromium is missing: run tools/install-deps"
}
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
# page_says JSON PYTHON_EXPRESSION MESSAGE: the expression holds, of `text` (the page's text as
# shown) and `shown` (all that report_check.mjs wrote to JSON).
page_says() {
  "$py" -c 'import json, sys
shown = json.load(open(sys.argv[1]))
text = shown["text"]
sys.exit(0 if eval("(" + sys.argv[2] + ")") else 1)' "$1" "$2" || fail "$3"
}

case "$case_name" in
  page)
    browser_ready
    # Three actors; an event between AA and CC first, so that the pair AA:BB's first event is
    # row #2 of the Events table; two unlabelled impulses in one month, an unlabelled sanction
    # and impulse in another, an unlabelled lift.
    cat > trio.toml <<'TOML'
name = "trio"
seed = 1
[time]
start = 2025-01-01
years = 1
[domains.economy]
trade = 1.0
[actors.AA]
interests = { economy = 1.0 }
gdp = 500
total_trade = 100
[actors.BB]
interests = { economy = 1.0 }
gdp = 300
total_trade = 80
[actors.CC]
interests = { economy = 1.0 }
gdp = 200
total_trade = 60
[relations.AA]
BB = { economy = 0.3 }
CC = { economy = -0.4 }
[relations.BB]
AA = { economy = -0.2 }
CC = { economy = 0.4 }
[relations.CC]
AA = { economy = -0.3 }
BB = { economy = 0.5 }
[trade.AA]
BB = 20
CC = 5
[trade.BB]
AA = 15
CC = 10
[trade.CC]
BB = 8
[[events]]
date = 2025-02-01
label = "AA warns CC"
actor = "AA"
targets = ["CC"]
goldstein = -3
[[events]]
date = 2025-03-01
actor = "AA"
targets = ["BB"]
goldstein = -5
[[events]]
date = 2025-03-01
actor = "BB"
targets = ["AA"]
goldstein = 3
[[events]]
date = 2025-06-01
kind = "sanction"
actor = "AA"
targets = ["BB"]
intensity = 0.5
[[events]]
date = 2025-06-01
actor = "AA"
targets = ["BB"]
goldstein = -5
[[events]]
date = 2025-09-01
kind = "lift_sanction"
actor = "AA"
targets = ["BB"]
TOML
    expect_status 0 "$bin" run trio.toml -o trio.h5 -q
    expect_status 0 "$bin" run trio.toml -o seed5.h5 -q --seed 5
    expect_status 0 "$bin" run trio.toml -o set.h5 -q --set trade.AA.BB=25
    # Each event row between AA and BB is one item (report_check.mjs checks numbers and words).
    expect_status 0 "$bin" report trio.h5 -o trio.html -q
    browser_check trio.html trio.json "the report of unlabelled events" trio.h5
    page_says trio.json "any(l['pair'] in ('AA:BB', 'BB:AA') and [x['number'] for x in l['shown']] == [2, 3, 4, 5, 6] and
      l['shown'][0]['text'] == '2025-03 AA→BB impulse (−5)' for l in shown['pair_lists'])" \
      "the events of AA and BB are not listed each once, numbered as in the Events table"
    # The Events table names every event: an unlabelled one by words made from its row.
    page_says trio.json "len(shown['event_table']) == 6 and all(row[4] for row in shown['event_table']) and
      shown['event_table'][1][4] == '(AA→BB impulse (−5))' and shown['event_table'][0][4] == 'AA warns CC'" \
      "the Events table leaves an unlabelled event's cell blank"
    page_says trio.json "'dashed: the baseline' not in text and 'Move the slider to any recorded month.' in text" \
      "a page without a baseline speaks of one, or its slider's hint does not say month"
    # One name for one colour (vermillion, was also "red" and "orange"), and the matrix's colour key.
    page_says trio.json "'green solid ties are positive, vermillion dashed ties negative' in text and
      'green above 0, vermillion below' in text and 'red dashed' not in text and 'orange below' not in text and
      'colour: white at 0, deeper blue for larger values' in text" \
      "the page names a colour two ways, or its interdependence matrix has no colour key"
    # Against a baseline of another seed: the note is on the page; of the same seed: not.
    expect_status 0 "$bin" report trio.h5 --baseline seed5.h5 -o seeds.html -q
    browser_check seeds.html seeds.json "the report against a baseline of another seed" trio.h5 seed5.h5
    page_says seeds.json "'Note: The runs have different seeds (1 and 5)' in text and 'mix the scenario' in text" \
      "a comparison of runs of different seeds does not say so on the page"
    expect_status 0 "$bin" report set.h5 --baseline trio.h5 -o same.html -q
    browser_check same.html same.json "the report against a baseline of the same seed" set.h5 trio.h5
    page_says same.json "'different seeds' not in text" "runs of one seed are said to differ in seed"
    page_says same.json "'largest gap over time, largest first' not in text and
      'Flows, ranked by the largest gap relative to the pair\'s own largest flow' in text and
      'Relations, ranked by the largest gap' in text" \
      "the comparison's tables do not say what they are ranked by"
    # Nothing moves (passive actors, no noise, no events): a sentence, not pairs without terms.
    cat > still.toml <<'TOML'
name = "still"
seed = 1
[time]
start = 2025-01-01
years = 1
[domains.economy]
trade = 1.0
[actors.AA]
interests = { economy = 1.0 }
passive = true
gdp_growth = 0.0
noise = 0.0
[actors.BB]
interests = { economy = 1.0 }
passive = true
gdp_growth = 0.0
noise = 0.0
[relations.AA]
BB = { economy = 0.5 }
[relations.BB]
AA = { economy = 0.5 }
[trade.AA]
BB = 5
TOML
    expect_status 0 "$bin" run still.toml -o still.h5 -q
    expect_status 0 "$bin" report still.h5 -o still.html -q
    browser_check still.html still.json "the report of a run where nothing moved" still.h5
    page_says still.json "'No relation moved' in text and not shown['narratives']" \
      "a run where no relation moved lists pairs with nothing to explain"
    # A weekly and a yearly run: the slider's frames and the headings by the run's own clock.
    expect_status 0 "$bin" run trio.toml -o weekly.h5 -q --set time.steps_per_year=52
    expect_status 0 "$bin" report weekly.h5 -o weekly.html -q
    browser_check weekly.html weekly.json "the report of a weekly run" weekly.h5
    page_says weekly.json "[s['label'] for s in shown['slider_labels']] == ['2025-01-01', '2025-07-01', '2026-01-01'] and
      all(h.endswith(' at ' + s['label']) for s in shown['slider_labels'] for h in s['headings']) and
      'Move the slider to any recorded week.' in text" \
      "a weekly run's frames are not labelled by their week's date"
    expect_status 0 "$bin" run trio.toml -o yearly.h5 -q --set time.steps_per_year=1 --set time.years=4 \
      --set actors.AA.responsiveness=0.2 --set actors.BB.responsiveness=0.2 --set actors.CC.responsiveness=0.2
    expect_status 0 "$bin" report yearly.h5 -o yearly.html -q
    browser_check yearly.html yearly.json "the report of a yearly run" yearly.h5
    page_says yearly.json "[s['label'] for s in shown['slider_labels']] == ['2025', '2027', '2029'] and
      'Move the slider to any recorded year.' in text" \
      "a yearly run's frames are not labelled by their year"
    # 20 actors: the matrices scroll inside their cards, the network's nodes do not overlap
    # (report_check.mjs checks both).
    "$py" "$src/bench/large_world.py" 20 2 > twenty.toml
    expect_status 0 "$bin" run twenty.toml -o twenty.h5 -q --set time.years=1 --set output.network=true
    expect_status 0 "$bin" report twenty.h5 -o twenty.html -q
    browser_check twenty.html twenty.json "the report of 20 actors" twenty.h5
    echo "report.page: passed"
    ;;
  browser)
    browser_ready
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
