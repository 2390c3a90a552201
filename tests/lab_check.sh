#!/usr/bin/env bash
# Tests of `interdep lab` (docs/lab.md), one case per ctest test:
#   tests/lab_check.sh CASE BINARY SOURCE_DIR
# browser: writes the lab with its default scenarios, uses it in headless Chromium as a student
#          would (tests/lab_check.mjs: no request, no console or page error, each slider reruns
#          the engine and redraws the charts) and holds every state's numbers against the native
#          engine, run with the page's overrides and on the text the page offers for download
#          (tests/lab_check.py). A negative control: a page whose engine gives other numbers
#          (its seed changed in every scenario) must fail the comparison.
# baselines: what the page compares with a baseline of another period or other actors, and the
#          network's slider of a run recording every 12th step (tests/lab_baselines.mjs).
# refusals: settings the engine refuses, by an event switch, date sliders, a rate and an
#          interest weight, said at their controls, not at a line of the page's merged text, and
#          the download and the baseline while one is shown; interest weights dragged away and
#          back; an event written off, and a one-domain actor (tests/lab_refusals.mjs); and the
#          command line's --set that made another key wrong.
# cli:     bad input exits 2 naming the file; an unwritable target exits 1 and leaves nothing.
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
    expect_status 0 "$bin" lab -o lab.html
    grep -q "wrote lab.html (.* KiB, 11 scenarios)" out.txt || fail "lab printed: $(cat out.txt)"
    [ -z "$(find . -name '.lab.html.tmp-*')" ] || fail "temporary files left behind"
    node "$src/tests/lab_check.mjs" lab.html states.json "$playwright" lab.png \
      || fail "the lab failed in the browser"
    $py "$src/tests/lab_check.py" "$bin" states.json . || fail "the lab's numbers are not the engine's"
    # Negative control: the same states with the page's numbers moved by 1e-9 must fail.
    $py - <<'PY'
import json
states = json.load(open("states.json"))
for s in states["states"]:
    s["datasets"]["relation_overall"] = [v + 1e-9 for v in s["datasets"]["relation_overall"]]
json.dump(states, open("moved.json", "w"))
PY
    if $py "$src/tests/lab_check.py" "$bin" moved.json . >/dev/null 2>&1; then
      fail "numbers moved by 1e-9 passed the comparison"
    fi
    echo "lab.browser: passed"
    ;;
  baselines)
    [ -d "$playwright" ] || fail "$playwright is missing: run tools/install-deps"
    printf 'base = "%s/scenarios/baseline.toml"\nname = "short"\n[time]\nyears = 5\n' "$src" > short.toml
    printf 'base = "%s/scenarios/baseline.toml"\nname = "yearly"\n[output]\nevery = 12\n' "$src" > yearly.toml
    printf 'base = "%s/scenarios/sanctions.toml"\nname = "quarterly"\n[time]\nyears = 5\nsteps_per_year = 4\n' "$src" > quarterly.toml
    cat > two.toml <<'TOML'
name = "two"
[time]
years = 2
[domains.economy]
trade = 1.0
[domains.security]
[actors.AAA]
name = "Aland"
interests = { economy = 0.5, security = 0.5 }
gdp = 100
total_trade = 20
[actors.BBB]
name = "Bland"
interests = { economy = 0.5, security = 0.5 }
gdp = 200
total_trade = 40
[relations.AAA]
BBB = { economy = 0.3, security = -0.2 }
[relations.BBB]
AAA = { economy = 0.2, security = -0.3 }
[trade.AAA]
BBB = 2.0
[trade.BBB]
AAA = 3.0
TOML
    mkdir other && cp short.toml other/short.toml  # one name and stem twice: told apart by id
    expect_status 0 "$bin" lab "$src/scenarios/baseline.toml" short.toml two.toml yearly.toml \
      other/short.toml quarterly.toml -o four.html
    node "$src/tests/lab_baselines.mjs" four.html "$playwright" || fail "the lab misread a baseline"
    echo "lab.baselines: passed"
    ;;
  refusals)
    [ -d "$playwright" ] || fail "$playwright is missing: run tools/install-deps"
    # The sanctions scenario with the United States' sanctions on Russia lifted in 2030: the
    # sanction switched off, or dated past the lift, leaves the lift nothing to lift.
    cat > lift.toml <<TOML
base = "$src/scenarios/sanctions.toml"
name = "lift"
[[events]]
date = 2030-01-01
label = "United States lifts its sanctions on Russia"
kind = "lift_sanction"
actor = "USA"
targets = ["RUS"]
TOML
    # Pakistan as quick as the Euler step allows (its reciprocity slider raised is refused,
    # naming values of the merged text; so is a larger interest weight).
    printf 'base = "%s/scenarios/baseline.toml"\nname = "fast"\n[time]\nyears = 2\n[actors.PAK]\nresponsiveness = 4\n' "$src" > fast.toml
    # The EU's sanctions written off (enabled = false), for the class to switch on.
    cat > off.toml <<TOML
base = "$src/scenarios/baseline.toml"
name = "off"
[time]
years = 3
[[events]]
date = 2025-03-01
label = "US sanctions Russia"
kind = "sanction"
actor = "USA"
targets = ["RUS"]
intensity = 0.6
[[events]]
date = 2025-06-01
label = "EU sanctions Russia"
kind = "sanction"
actor = "EU"
targets = ["RUS"]
intensity = 0.6
enabled = false
TOML
    # One domain: each actor's only interest weight is 1.
    printf 'name = "one"\n[time]\nyears = 1\n[domains.economy]\ntrade = 1.0\n' > one.toml
    printf '[actors.%s]\nname = "%s"\ninterests = { economy = 1.0 }\ngdp = %s\ntotal_trade = %s\n' \
      AAA Aland 100 20 BBB Bland 200 40 >> one.toml
    printf '[trade.AAA]\nBBB = 2.0\n[trade.BBB]\nAAA = 3.0\n' >> one.toml
    expect_status 0 "$bin" lab lift.toml fast.toml off.toml one.toml -o lift.html
    node "$src/tests/lab_refusals.mjs" lift.html "$playwright" || fail "the lab misnamed a refused setting"
    # The switch the page offers for the EU's sanctions is the command line's.
    expect_status 0 "$bin" run off.toml --set events.1.enabled=true -o off.h5
    # The command line names the --set that made another key wrong (it named the lift's line only).
    expect_status 2 "$bin" run lift.toml --set events.0.enabled=false -o lift.h5
    grep -q "lift.toml:.*key 'events.3.targets'.*lifts nothing.*(refused once --set events.0.enabled=false applies" err.txt \
      || fail "the --set that switched the sanction off is not named: $(cat err.txt)"
    [ ! -e lift.h5 ] || fail "a refused run left lift.h5"
    echo "lab.refusals: passed"
    ;;
  cli)
    printf 'name = "bad"\n[time]\nyears = -1\n' > bad.toml
    expect_status 2 "$bin" lab bad.toml -o l.html
    grep -q "bad.toml:3:.*time.years" err.txt || fail "a bad scenario is not named with its line: $(cat err.txt)"
    [ ! -e l.html ] || fail "a lab was written for a bad scenario"
    expect_status 2 "$bin" lab missing.toml -o l.html
    grep -q "missing.toml" err.txt || fail "a missing scenario is not named: $(cat err.txt)"
    expect_status 2 "$bin" lab "$src/scenarios/baseline.toml" --baseline nosuch -o l.html
    grep -q "nosuch: not one of the lab's scenarios (baseline)" err.txt || fail "a bad --baseline: $(cat err.txt)"
    expect_status 2 "$bin" lab "$src/scenarios/baseline.toml" -o no-such-dir/l.html
    grep -q "no-such-dir/l.html" err.txt || fail "an unwritable target is not named: $(cat err.txt)"
    [ -z "$(find . -name '.*.tmp-*')" ] || fail "temporary files left behind"
    # Two files with one stem get two ids; the page holds both merged texts.
    mkdir other && cp "$src/scenarios/baseline.toml" other/baseline.toml
    sed -i 's|^base = "\(.*\)"|base = "'"$src"'/scenarios/\1"|' other/baseline.toml
    expect_status 0 "$bin" lab "$src/scenarios/baseline.toml" other/baseline.toml -o two.html
    grep -q '"id":"baseline-2"' two.html || fail "a second file with the stem 'baseline' has no id of its own"
    # A world too large for the browser's engine is refused here (it opened on "std::bad_alloc"),
    # and a world large enough to be slow in it is said to be.
    world() {  # world N YEARS: N actors with made-up codes, one domain
      printf 'name = "large"\n[time]\nyears = %s\n[domains.x]\ntrade = 1.0\n' "$2"
      for i in $(seq 1 "$1"); do printf '[actors.A%03d]\ninterests = { x = 1.0 }\n' "$i"; done
    }
    world 200 30 > huge.toml
    expect_status 2 "$bin" lab huge.toml -o huge.html
    grep -q "huge.toml:.*more than the limit of 1 GiB; the lab runs every setting in the browser" err.txt \
      || fail "a world too large for the browser was not refused: $(cat err.txt)"
    [ ! -e huge.html ] || fail "a lab was written for a world too large for it"
    world 70 1 > slow.toml
    expect_status 0 "$bin" lab slow.toml -o slow.html
    grep -q "note: slow.toml has 70 actors: the page reruns it at every move of a slider" out.txt \
      || fail "a slow world was not said to be slow: $(cat out.txt)"
    echo "lab.cli: passed"
    ;;
  *)
    fail "unknown case '$case_name'"
    ;;
esac
