#!/usr/bin/env bash
# Checks of tools/plot (docs/plotting.md), one case per ctest test (tests/plot.cmake):
#
#   bash tests/plot_check.sh CASE INTERDEP SOURCE_DIR
#
# CASE: trajectories | ensemble | heatmap | network | errors. Each case runs interdep into a
# temporary directory, draws PNG and SVG with --dump-data, and lets tests/plot_check.py compare
# the plotted numbers with h5py's reading of the files and count the SVG's lines and labels.
# The runs use the scenarios' own seeds; nothing here depends on a particular seed's values.
set -euo pipefail

case_name=$1
interdep=$(realpath "$2")
source_dir=$(realpath "$3")
plot="$source_dir/tools/plot"
checker=(/usr/bin/python3 "$source_dir/tests/plot_check.py")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

run_scenario() {  # run_scenario NAME OUT.h5
  "$interdep" run "$source_dir/scenarios/$1.toml" -o "$2" > /dev/null
}

# expect_error STATUS TEXT COMMAND...: the command fails with STATUS, its message contains TEXT,
# and it writes neither the figure nor anything else into the directory.
expect_error() {
  local status=$1 text=$2
  shift 2
  local before code=0
  before=$(listing)
  "$@" > out.txt 2> err.txt || code=$?
  [[ $code -eq $status ]] || fail "exit status $code, expected $status: $* ($(cat err.txt))"
  grep -qF -- "$text" err.txt || fail "message lacks '$text': $* gave: $(cat err.txt)"
  [[ "$(listing)" == "$before" ]] || fail "files were written by a failing command: $*"
}

listing() {  # the directory's files, hidden ones too, without expect_error's own
  ls -A | grep -v -x -e out.txt -e err.txt | sort
}

# draw NAME ARGS...: draws NAME.svg and its dump NAME.json. Drawing the PNG as well costs a second
# run of the tool (about 2 s each, most of this test's time), so draw_both draws it where the PNG
# is checked (its width at 150 dpi) and where text goes through another backend's paths (a "$").
draw() {
  local name=$1
  shift
  "$plot" "$@" -o "$name.svg" --dump-data "$name.json" > /dev/null
  [[ -s "$name.svg" && -s "$name.json" ]] || fail "$name: missing output"
}

# draw_both NAME ARGS...: draws NAME.png and NAME.svg (the same plot), the dump from the SVG run.
draw_both() {
  local name=$1
  shift
  "$plot" "$@" -o "$name.png" > /dev/null
  "$plot" "$@" -o "$name.svg" --dump-data "$name.json" > /dev/null
  [[ -s "$name.png" && -s "$name.svg" && -s "$name.json" ]] || fail "$name: missing output"
}

case "$case_name" in
trajectories)
  # Seven events a month apart on a ten-year axis: badges that would overlap once the figure is
  # laid out are one ("4,5,6" had covered ",3" of "1,2,3"); every event keeps its number.
  cat > many.toml <<'TOML'
name = "many"
seed = 7
[time]
start = 2025-01-01
years = 10
[domains.economy]
trade = 1.0
[actors.AA]
interests = { economy = 1.0 }
[actors.BB]
interests = { economy = 1.0 }
gdp = 1000
total_trade = 300
[relations.AA]
BB = { economy = 0.3 }
[relations.BB]
AA = { economy = -0.2 }
[trade.AA]
BB = 10
[trade.BB]
AA = 5
TOML
  for month in 1 2 3 4 5 6 7; do
    printf '[[events]]\ndate = 2027-0%s-01\nlabel = "Border talks round %s"\nactor = "AA"\ntargets = ["BB"]\ngoldstein = %s\n' \
      "$month" "$month" "$(( month % 2 ? -3 : 3 ))" >> many.toml
  done
  "$interdep" run many.toml -o many.h5 -q
  draw many trajectories many.h5 --pair AA:BB
  /usr/bin/python3 - many.json <<'PY'
import json, sys
panel = json.load(open(sys.argv[1]))["panels"][0]
badges = sorted(panel.get("badges", []), key=lambda b: b["extent"][0])
assert badges, "no badge extents in the dump"
for left, right in zip(badges, badges[1:]):
    assert left["extent"][1] < right["extent"][0], f"badges overlap: {left} and {right}"
numbers = sorted(int(n) for b in badges for n in b["text"].split(","))
assert numbers == list(range(1, 8)), f"the badges number {numbers}, not events 1 to 7"
PY
  # Two events equal in date, kind, sender and target are two events (lesson 1: Russia's LNG
  # offer and the hypothetical long-term contract, both RUS->PAK gas links in January 2027, were
  # once drawn as one): both are numbered, in the legend (told apart by their detail) and in
  # the dump; the same event in two run files stays one.
  "$interdep" run "$source_dir/scenarios/teaching/gas-cutoff.toml" -o cut.h5 > /dev/null
  "$interdep" run "$source_dir/scenarios/teaching/gas-cutoff-alternative.toml" -o alt.h5 > /dev/null
  draw same_day trajectories cut.h5 alt.h5 --pair PAK:RUS --quantity sensitivity \
    --baseline alt.h5
  "${checker[@]}" trajectories same_day.json --svg same_day.svg
  "${checker[@]}" figure same_day.svg --text "RUS→PAK gas link (capacity 3 bcm/yr, cost 0.9)" \
    --text "RUS→PAK gas link (capacity 12.3 bcm/yr, cost 0.65)"
  # The cut (a gas link set to no capacity) reads as one, with its Goldstein weight (it was
  # "gas link", as a new link reads).
  "${checker[@]}" figure same_day.svg --text "RUS→PAK gas link cut (−8)"
  /usr/bin/python3 - same_day.json <<'PY'
import collections, json, sys
events = json.load(open(sys.argv[1]))["panels"][0]["events"]
labels = [e["label"] for e in events]
contract = "Hypothetical: Pakistan signs a long-term contract for most of its LNG with Russia"
assert contract in labels, labels
assert len(labels) == len(set(labels)), f"an event drawn twice: {labels}"
shared = collections.Counter((e["time"], e["kind"], e["actor"], e["target"]) for e in events)
assert max(shared.values()) >= 2, f"no two events share date, kind and actors: {shared}"
assert len({e["number"] for e in events}) == len(events), [e["number"] for e in events]
PY
  # A weekly run's events are dated by the month they fall in, as the command line dates them
  # (hunt AO: rounded to the nearest month start, an event of 2026-02-20 read "Mar 2026").
  "$interdep" run "$source_dir/scenarios/sanctions.toml" -o weekly.h5 -q \
    --set time.steps_per_year=52 --set time.years=2
  draw weekly trajectories weekly.h5 --pair RUS:USA
  /usr/bin/python3 - weekly.json weekly.h5 <<'PY'
import h5py, json, sys
months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
events = json.load(open(sys.argv[1]))["panels"][0]["events"]
assert events, "no event drawn"
for e in events:
    whole = int(e["time"] + 1e-6)
    month = min(11, int((e["time"] - whole) * 12 + 1e-6))
    assert e["legend"].startswith(f"{months[month]} {whole}: "), (e["time"], e["legend"])
assert any(round((e["time"] % 1) * 12, 6) % 1 > 0.5 for e in events), "no event after mid-month"
PY
  run_scenario sanctions s.h5
  run_scenario pipeline p.h5
  run_scenario baseline b.h5
  # Two scenarios over a baseline, two pairs: 4 series, 2 baselines, 4 difference shadings.
  draw_both overlay trajectories s.h5 p.h5 --pair PAK:RUS --pair RUS:USA --baseline b.h5
  "${checker[@]}" figure overlay.png --width 1800
  "${checker[@]}" figure overlay.svg --text sanctions --text pipeline --text Pakistan \
    --text "United States" --text "overall relation (dimensionless)" \
    --count series-=4 --count baseline-=2 --count difference-=4 --count band-=0
  "${checker[@]}" trajectories overlay.json --svg overlay.svg
  # One domain of relations, and trade with its unit.
  draw energy trajectories p.h5 --pair PAK:RUS --pair RUS:PAK --domain energy
  "${checker[@]}" figure energy.svg --text "Energy relation (dimensionless)" --count series-=2
  "${checker[@]}" trajectories energy.json --svg energy.svg
  draw trade trajectories s.h5 --pair CHN:RUS --quantity trade --baseline b.h5
  "${checker[@]}" figure trade.svg --text "US\$ bn/yr" --text China --text Russia
  # Text is drawn as written: a name with two "$" was set as mathtext (the part between them in
  # italics, the "$" gone), as was an event label ("US$ 3 bn ... US$ 1 bn").
  "$interdep" run "$source_dir/scenarios/sanctions.toml" -o dollar.h5 -q \
    --set 'actors.PAK.name="Pak$istan$ A"' \
    --set 'events.0.label="US$ 3 bn of US$ 1 bn lines"' > /dev/null
  draw_both dollar trajectories dollar.h5 --pair PAK:USA
  "${checker[@]}" figure dollar.svg --text 'Pak$istan$ A (PAK) toward United States (USA)' \
    --text 'US$ 3 bn of US$ 1 bn lines'
  draw dollar_net network dollar.h5 --time 2030
  "${checker[@]}" figure dollar_net.svg --text 'Pak$istan$ A' --text "R̄ > 0.1"
  # A long name is wrapped, not cut off at the figure's edge.
  # (--label: the title names the run by its label, which would otherwise spell the --set.)
  "$interdep" run "$source_dir/scenarios/sanctions.toml" -o long.h5 -q --label long \
    --set 'actors.RUS.name="Delta United Kingdoms of the Long Name"' > /dev/null
  draw long_net network long.h5 --time 2030
  "${checker[@]}" figure long_net.svg --text "Delta United" --text "Kingdoms of the" --text "Long Name"
  ! grep -q "Delta United Kingdoms of the Long Name" long_net.svg || fail "a long name was drawn on one line"
  "${checker[@]}" trajectories trade.json --svg trade.svg
  # A pair dataset the plot helpers have no words for (found in the file, labelled from its
  # attributes): any actor x partner dataset of the table of recorded datasets is drawable.
  draw barbieri trajectories s.h5 --pair PAK:CHN --quantity barbieri --baseline b.h5
  "${checker[@]}" figure barbieri.svg --text "Barbieri (1996)" --count series-=1 --count baseline-=1
  "${checker[@]}" trajectories barbieri.json --svg barbieri.svg
  # Two runs of one scenario tell themselves apart: by their own labels (the overrides that made
  # them), or by --label / --baseline-label; --share-y gives every panel one y range.
  "$interdep" run "$source_dir/scenarios/sanctions.toml" -o s4.h5 --set model.decide.pressure=4 > /dev/null
  draw labelled trajectories s4.h5 --baseline s.h5 --pair PAK:RUS --pair PAK:CHN --share-y
  /usr/bin/python3 - labelled.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
labels = [line["label"] for line in d["panels"][0]["lines"]]
assert labels == ["sanctions [model.decide.pressure=4]", "baseline: sanctions"], labels
PY
  "${checker[@]}" trajectories labelled.json --svg labelled.svg
  draw apart trajectories s4.h5 --baseline s.h5 --pair PAK:RUS --pair PAK:CHN
  /usr/bin/python3 - labelled.json apart.json <<'PY'
import json, sys
shared = [p["y_range"] for p in json.load(open(sys.argv[1]))["panels"]]
apart = [p["y_range"] for p in json.load(open(sys.argv[2]))["panels"]]
assert shared[0] == shared[1], shared  # --share-y: one range
assert apart[0] != apart[1], apart     # without it each panel fits its own data
PY
  draw relabelled trajectories s4.h5 --label "pressure 4" --baseline s.h5 --baseline-label "pressure 2" --pair PAK:RUS
  "${checker[@]}" figure relabelled.svg --text "pressure 4" --text "baseline: pressure 2"
  expect_error 2 "--label: 2 labels for 1 run files" "$plot" trajectories s4.h5 --label a --label b --pair PAK:RUS -o x.png
  # Two files of one name in two folders: told apart by their folders, not twice "s.h5".
  mkdir -p copy && cp s.h5 copy/s.h5
  draw same_name trajectories s.h5 copy/s.h5 --pair PAK:RUS
  /usr/bin/python3 - same_name.json <<'PY'
import json, sys
labels = [line["label"] for line in json.load(open(sys.argv[1]))["panels"][0]["lines"]]
assert len(set(labels)) == 2 and any("copy/s.h5" in label for label in labels), labels
PY
  # A run shorter than a year: its time axis reads as years (2025.00 …), not 0.00 … 0.25 with
  # an offset of "+2.025e3" apart from the ticks.
  "$interdep" run "$source_dir/scenarios/baseline.toml" -o short.h5 -q --set time.years=0.25 > /dev/null
  draw short trajectories short.h5 --pair PAK:RUS
  "${checker[@]}" figure short.svg --text "2025.00"
  ! grep -q "e+03\|e3<" short.svg || fail "the short run's time axis has an offset"
  ;;

ensemble)
  run_scenario sanctions s.h5
  run_scenario baseline b.h5
  # A small sweep of the sanctions scenario that records series of two outputs.
  cat > band.toml <<EOF
name = "band-check"
scenario = "$source_dir/scenarios/sanctions.toml"
seed = 5
replicates = 2
[design]
kind = "lhs"
samples = 6
[parameters."events.0.intensity"]
distribution = "uniform"
min = 0.2
max = 1.2
[record]
mode = "every"
every = 6
outputs = ["relation_overall[RUS,USA]", "trade[CHN,RUS]"]
EOF
  "$interdep" sweep band.toml -o sweep.h5 -j 1 > /dev/null 2>&1
  sed -e 's/mode = "every"/mode = "summary"/' -e '/^every/d' band.toml > summary.toml
  "$interdep" sweep summary.toml -o summary.h5 -j 1 > /dev/null 2>&1
  draw_both band trajectories s.h5 --pair RUS:USA --baseline b.h5 --sweep sweep.h5 --band 10,90
  "${checker[@]}" figure band.png --width 1800
  "${checker[@]}" figure band.svg --text "band-check" --text "10–90 percentile" \
    --count band-=1 --count median-=1 --count series-=1 --count baseline-=1
  "${checker[@]}" trajectories band.json --svg band.svg
  draw band_trade trajectories s.h5 --pair CHN:RUS --quantity trade --sweep sweep.h5
  "${checker[@]}" trajectories band_trade.json --svg band_trade.svg
  # Outputs the sweep lacks, and a sweep without series: exit 2, the outputs listed.
  expect_error 2 "sweep.h5: --sweep: the sweep has no series of relation_overall[PAK,RUS]; its series outputs: relation_overall[RUS,USA], trade[CHN,RUS]" \
    "$plot" trajectories s.h5 --pair PAK:RUS --sweep sweep.h5 -o x.png
  expect_error 2 "summary.h5: --sweep: the sweep recorded no series (record mode 'summary')" \
    "$plot" trajectories s.h5 --pair RUS:USA --sweep summary.h5 -o x.png
  expect_error 2 "s.h5: --sweep: is a single run's result" \
    "$plot" trajectories s.h5 --pair RUS:USA --sweep s.h5 -o x.png
  ;;

heatmap)
  run_scenario sanctions s.h5
  for measure in sensitivity vulnerability leverage; do
    draw_both "$measure" heatmap s.h5 --measure "$measure"
    "${checker[@]}" figure "$measure.png" --width 1500
    "${checker[@]}" heatmap "$measure.json" --svg "$measure.svg"
    "${checker[@]}" figure "$measure.svg" --text "affected actor (row)" --text "$measure"
  done
  # The title names the run by its label: a run with --set is told from the plain one.
  "$interdep" run "$source_dir/scenarios/sanctions.toml" -o short.h5 -q --set time.years=2
  draw short heatmap short.h5 --measure leverage
  "${checker[@]}" figure short.svg --text "Leverage, sanctions [time.years=2], Jan 2027"
  # Between two monthly frames: the nearer one is drawn.
  draw mid heatmap s.h5 --measure vulnerability --time 2030.04
  "${checker[@]}" heatmap mid.json --svg mid.svg --time 2030.04
  "${checker[@]}" figure mid.svg --text "Jan 2030 (2030.00)"
  # A month as explain --from takes it: June 2030's frame, not a usage error.
  draw june heatmap s.h5 --measure vulnerability --time 2030-06
  "${checker[@]}" figure june.svg --text "Jun 2030 (2030.42)"
  # Some actors, in the order given: their rows and columns, named and numbered.
  draw some heatmap s.h5 --measure leverage --actors USA,PAK,RUS
  "${checker[@]}" heatmap some.json --svg some.svg
  python3 -c "import json, sys; sys.exit(json.load(open('some.json'))['actors'] != ['USA', 'PAK', 'RUS'])" \
    || fail "--actors did not draw USA, PAK and RUS in that order"
  # 16 and 20 actors: a number in every cell, sized so that none runs into the next.
  for n in 16 20; do
    /usr/bin/python3 "$source_dir/bench/large_world.py" "$n" 2 > "world$n.toml"
    "$interdep" run "world$n.toml" --set time.years=1 -o "world$n.h5" -q
    draw "world$n" heatmap "world$n.h5" --measure leverage
    "${checker[@]}" heatmap "world$n.json" --svg "world$n.svg"
  done
  # 40 actors: colour alone (a number in each of 1,600 cells was 26 s at 200 actors and unreadable).
  /usr/bin/python3 "$source_dir/bench/large_world.py" 40 2 > forty.toml
  "$interdep" run forty.toml --set time.years=1 -o forty.h5 -q
  draw forty heatmap forty.h5 --measure sensitivity
  "${checker[@]}" heatmap forty.json --svg forty.svg
  "${checker[@]}" figure forty.svg --text "40 actors: colour only"
  ;;

network)
  run_scenario pipeline p.h5
  # Without /network (files from before it existed): ties computed from relation_overall.
  "${checker[@]}" strip-network p.h5 plain.h5
  for time in 2025.5 2035; do
    draw_both "plain$time" network plain.h5 --time "$time"
    "${checker[@]}" figure "plain$time.png" --width 1500
    "${checker[@]}" network "plain$time.json" --svg "plain$time.svg" --source computed
  done
  # 30 actors, and 20 with long names: the names are made smaller until none overlap.
  /usr/bin/python3 "$source_dir/bench/large_world.py" 30 2 \
    | sed -e 's/^\[actors\.\([A-Z]*\)\]$/&\nname = "Country \1"/' > world30.toml
  /usr/bin/python3 "$source_dir/bench/large_world.py" 20 2 \
    | sed -e 's/^\[actors\.\([A-Z]*\)\]$/&\nname = "Republic of Somewhere \1"/' > long20.toml
  for world in world30 long20; do
    grep -q '^name = "[CR]' "$world.toml" || fail "$world.toml: the actors were not named"
    "$interdep" run "$world.toml" --set time.years=1 --set output.network=true -o "$world.h5" -q
    draw "$world" network "$world.h5"
    "${checker[@]}" network "$world.json" --svg "$world.svg" --source file
  done
  # The title names the run by its label: a run with --set is told from the plain one.
  "$interdep" run "$source_dir/scenarios/pipeline.toml" -o short.h5 -q --set time.years=5
  draw short network short.h5
  "${checker[@]}" figure short.svg --text "Signed network of overall relations, pipeline [time.years=5]"
  # The scenario's [network] tie_threshold applies (0.5 leaves several pairs without a tie).
  "${checker[@]}" strip-network p.h5 wide.h5 --tie-threshold 0.5
  draw wide network wide.h5
  "${checker[@]}" network wide.json --svg wide.svg --source computed
  "${checker[@]}" figure wide.svg --text "0.5"
  # With /network: its signs, camps and balance are drawn, not recomputed.
  "${checker[@]}" fake-network p.h5 fake.h5
  draw fake network fake.h5 --time 2030
  "${checker[@]}" network fake.json --svg fake.svg --source file
  "${checker[@]}" figure fake.svg --text "balanced triads: 25 %" --text "camp 5" \
    --text "from the file's /network group"
  # Some actors, in the order given (as the heatmap's --actors): their ties, and their camps and
  # the balance of the whole network, from /network and computed.
  draw fake_some network fake.h5 --time 2030 --actors USA,PAK,RUS,CHN
  "${checker[@]}" network fake_some.json --svg fake_some.svg --source file
  "${checker[@]}" figure fake_some.svg --text "balanced triads: 25 %" \
    --text "4 of the run's 7 actors (--actors)"
  draw plain_some network plain.h5 --actors QAT,IND,PAK
  "${checker[@]}" network plain_some.json --svg plain_some.svg --source computed
  /usr/bin/python3 -c "import json, sys; sys.exit(json.load(open('plain_some.json'))['actors'] != ['QAT', 'IND', 'PAK'])" \
    || fail "network --actors did not draw QAT, IND and PAK in that order"
  # A file the engine wrote with /network: drawn from it, and its signs obey the same rule.
  if /usr/bin/python3 -c 'import h5py, sys; sys.exit("network" not in h5py.File(sys.argv[1], "r"))' p.h5; then
    draw real network p.h5
    "${checker[@]}" network real.json --svg real.svg --source file
    "${checker[@]}" strip-network p.h5 recomputed.h5
    draw recomputed network recomputed.h5
    /usr/bin/python3 - real.json recomputed.json <<'EOF'
import json, sys
real, recomputed = (json.load(open(path)) for path in sys.argv[1:3])
if real["tie_threshold"] == recomputed["tie_threshold"]:
    if real["sign"] != recomputed["sign"]:
        sys.exit("FAIL: /network/sign differs from signs computed from relation_overall")
    # The engine's camps and the plot's own enumeration follow one definition.
    if (real["faction"], real["frustration"]) != (recomputed["faction"], recomputed["frustration"]):
        sys.exit("FAIL: /network camps differ from camps computed from relation_overall")
EOF
  fi
  ;;

errors)
  run_scenario sanctions s.h5
  "$interdep" sweep "$source_dir/tests/data/sweeps/small-lhs.toml" -o sweep.h5 -j 1 > /dev/null 2>&1
  echo "not hdf5" > text.h5
  /usr/bin/python3 -c 'import h5py; h5py.File("other.h5", "w").attrs["conventions"] = "other-1"'
  expect_error 2 "s.h5: --pair PAK:XYZ: unknown actor code 'XYZ'; valid: CHN (China), EU (European Union), IND (India), PAK (Pakistan), QAT (Qatar), RUS (Russia), USA (United States)" \
    "$plot" trajectories s.h5 --pair PAK:XYZ -o x.png
  expect_error 2 "s.h5: --domain trust: unknown domain 'trust'; valid: overall, culture" \
    "$plot" trajectories s.h5 --pair PAK:RUS --domain trust -o x.png
  expect_error 2 "--domain energy: only relations have domains" \
    "$plot" trajectories s.h5 --pair PAK:RUS --quantity trade --domain energy -o x.png
  expect_error 2 "s.h5: --quantity gdp: unknown quantity 'gdp'; valid: relations, barbieri, energy, finance, leverage, sensitivity, trade, vulnerability" \
    "$plot" trajectories s.h5 --pair PAK:RUS --quantity gdp -o x.png
  expect_error 2 "missing.h5: RUN: no such file" \
    "$plot" trajectories missing.h5 --pair PAK:RUS -o x.png
  expect_error 2 "missing.h5: --baseline: no such file" \
    "$plot" trajectories s.h5 --pair PAK:RUS --baseline missing.h5 -o x.svg
  expect_error 2 "text.h5: RUN: cannot be opened as HDF5" \
    "$plot" heatmap text.h5 --measure leverage -o x.png
  expect_error 2 "other.h5: RUN: not an interdep result file: root attribute conventions is 'other-1', expected 'interdep-1'" \
    "$plot" network other.h5 -o x.png
  expect_error 2 "sweep.h5: RUN: is a sweep file" \
    "$plot" network sweep.h5 -o x.png
  expect_error 2 "s.h5: --time: 2040 is outside the run, which covers 2025.00 … 2035.00 (year)" \
    "$plot" heatmap s.h5 --measure sensitivity --time 2040 -o x.svg
  expect_error 2 "s.h5: --time: 2024 is outside the run" \
    "$plot" network s.h5 --time 2024 -o x.svg
  # --actors, of the heatmap and the network alike: codes of the file, two or more, none twice.
  for kind in "heatmap --measure leverage" network; do
    # shellcheck disable=SC2086  # $kind is the figure and its required options
    expect_error 2 "s.h5: --actors XYZ: unknown actor code 'XYZ'" "$plot" $kind s.h5 --actors PAK,XYZ -o x.png
    # shellcheck disable=SC2086
    expect_error 2 "argument --actors: 'PAK': expected two or more actor codes" "$plot" $kind s.h5 --actors PAK -o x.png
    # shellcheck disable=SC2086
    expect_error 2 "argument --actors: 'PAK,RUS,PAK': PAK given twice" "$plot" $kind s.h5 --actors PAK,RUS,PAK -o x.png
  done
  # Control characters in a file another program wrote (h5py): names drawn and printed as
  # escapes (\u001B), so that nothing printed acts on the terminal; arguments echoed likewise.
  /usr/bin/python3 - s.h5 esc.h5 <<'PY'
import shutil, sys
import h5py, numpy as np
shutil.copyfile(sys.argv[1], sys.argv[2])
with h5py.File(sys.argv[2], "r+") as f:
    names = list(f["actor_name"].asstr()[()])
    names[0] = "Chi\x1b[31mna\x07"
    f["actor_name"][...] = np.array(names, dtype=object)
    f.attrs["scenario_name"] = "sanc\x1b]0;title\x07tions"
PY
  for kind in network "heatmap --measure leverage"; do
    # shellcheck disable=SC2086  # $kind is the figure and its required options
    "$plot" $kind esc.h5 -o esc.svg > out.txt 2> err.txt || fail "$kind of a file with control characters: $(cat err.txt)"
    grep -qF 'Chi\u001B[31mna\u0007' esc.svg || fail "$kind: the name is not drawn with its escapes"
    ! grep -q $'[\x1b\x07]' out.txt err.txt esc.svg || fail "$kind: a control character was printed or drawn"
  done
  expect_error 2 'valid: CHN (Chi\u001B[31mna\u0007), EU' "$plot" heatmap esc.h5 --measure leverage --actors CHN,XYZ -o x.png
  expect_error 2 "--actors X\u001B[1mY: unknown actor code" "$plot" network esc.h5 --actors $'CHN,X\e[1mY' -o x.png
  expect_error 2 'unrecognized arguments: --bad\u0007' "$plot" network esc.h5 $'--bad\a' -o x.png
  ! grep -q $'[\x1b\x07]' err.txt || fail "a usage error printed a control character"
  rm esc.svg
  # Usage errors (argparse): exit 2 with the option named.
  expect_error 2 "argument -o/--output: 'x.pdf'" "$plot" network s.h5 -o x.pdf
  expect_error 2 "the following arguments are required: -o/--output" "$plot" network s.h5
  expect_error 2 "argument --pair: 'PAK-RUS': expected ACTOR:PARTNER" \
    "$plot" trajectories s.h5 --pair PAK-RUS -o x.png
  expect_error 2 "argument --pair: 'PAK:PAK'" "$plot" trajectories s.h5 --pair PAK:PAK -o x.png
  expect_error 2 "argument --band: '90,10'" \
    "$plot" trajectories s.h5 --pair PAK:RUS --sweep sweep.h5 --band 90,10 -o x.png
  expect_error 2 "argument --band: the band is drawn from a sweep" \
    "$plot" trajectories s.h5 --pair PAK:RUS --band 10,90 -o x.png
  expect_error 2 "argument --measure: invalid choice: 'trade'" \
    "$plot" heatmap s.h5 --measure trade -o x.png
  # An output that cannot be a file (in a missing folder, a directory), the figure's or the
  # dump's: bad input, exit 2, the path named, nothing left behind. One the system refuses (/sys
  # takes no new files, even from root): exit 1.
  expect_error 2 "argument -o/--output: 'missing-directory/x.png' cannot be written: the folder missing-directory does not exist" \
    "$plot" network s.h5 -o missing-directory/x.png
  mkdir directory.png
  expect_error 2 "argument -o/--output: 'directory.png' is a directory" "$plot" network s.h5 -o directory.png
  expect_error 2 "argument --dump-data: 'missing-directory/x.json' cannot be written: the folder missing-directory" \
    "$plot" network s.h5 -o x.png --dump-data missing-directory/x.json
  # /sys: access(2) lets root make files there, the file system refuses them: exit 1, found when
  # writing. To any other user it is a folder that does not let them make files: exit 2.
  if [[ $(id -u) == 0 ]]; then
    expect_error 1 "cannot write /sys/x.png: Permission denied" "$plot" network s.h5 -o /sys/x.png
  else
    expect_error 2 "the folder /sys does not let this user make files in it" "$plot" network s.h5 -o /sys/x.png
  fi
  # A FIFO or a link to a device at the path: the figure would replace it (os.replace).
  mkfifo fifo.png
  ln -s /dev/null null.svg
  expect_error 2 "argument -o/--output: 'fifo.png' is a FIFO (named pipe), not a regular file: the result would replace it" "$plot" network s.h5 -o fifo.png
  expect_error 2 "argument -o/--output: 'null.svg' is a character device, not a regular file" "$plot" network s.h5 -o null.svg
  # The engine's other refusals, in its words: a path whose folder is a file, one naming a folder.
  expect_error 2 "argument -o/--output: 'fifo.png/x.png' cannot be written: fifo.png is not a folder" "$plot" network s.h5 -o fifo.png/x.png
  [[ -p fifo.png && -L null.svg ]] || fail "a refused output was replaced"
  rm fifo.png null.svg
  # An output that is a file the plot reads (--dump-data over the run file made it JSON, exit 0),
  # by its name, a link, a hard link or another spelling, and two outputs that are one file (the
  # dump written over the figure): refused before any work, in the engine's words
  # (tools/cli/command.cpp, refuse_outputs_over_inputs), exit 2, the inputs untouched.
  cp s.h5 in.h5
  ln -s in.h5 in-link.h5
  ln in.h5 in-hard.h5
  mkdir sub
  before=$(sha256sum in.h5 s.h5)
  expect_error 2 "tools/plot: error: --dump-data in.h5 is in.h5, which this command reads: name another file to write" \
    "$plot" heatmap in.h5 --measure sensitivity -o h.png --dump-data in.h5
  expect_error 2 "--dump-data in-link.h5 is in.h5, which this command reads" \
    "$plot" heatmap in.h5 --measure sensitivity -o h.png --dump-data in-link.h5
  expect_error 2 "--dump-data sub/../in-hard.h5 is in.h5, which this command reads" \
    "$plot" network in.h5 -o h.png --dump-data sub/../in-hard.h5
  expect_error 2 "--dump-data ./in.h5 is in.h5, which this command reads" \
    "$plot" trajectories s.h5 --pair PAK:RUS --baseline in.h5 -o t.svg --dump-data ./in.h5
  expect_error 2 "--dump-data $PWD/s.h5 is s.h5, which this command reads" \
    "$plot" trajectories in.h5 s.h5 --pair PAK:RUS -o t.svg --dump-data "$PWD/s.h5"
  expect_error 2 "--dump-data sweep.h5 is sweep.h5, which this command reads" \
    "$plot" trajectories s.h5 --pair PAK:RUS --sweep sweep.h5 -o t.svg --dump-data sweep.h5
  expect_error 2 "-o and --dump-data name the same file (t.svg)" \
    "$plot" heatmap in.h5 --measure sensitivity -o t.svg --dump-data t.svg
  expect_error 2 "-o and --dump-data name the same file (sub/../t.svg)" \
    "$plot" heatmap in.h5 --measure sensitivity -o t.svg --dump-data sub/../t.svg
  [[ "$(sha256sum in.h5 s.h5)" == "$before" ]] || fail "an input was changed"
  # The figure and its --dump-data are written together: when the dump cannot be written (here
  # a full disk, simulated), the figure written before it is not renamed into place, an existing
  # figure and dump stay as they were, no temporary file is left, exit 1. An interruption
  # (SIGTERM) while writing leaves no temporary file either (it left ".h.png.tmp-..."), exit 130;
  # one while the files are renamed waits until both are.
  /usr/bin/python3 - "$source_dir/tools" <<'PY'
import errno, io, os, signal, sys
from contextlib import redirect_stderr, redirect_stdout
sys.path.insert(0, sys.argv[1])
from plotlib import cli, save

def plot(*args):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = cli.main(["heatmap", "s.h5", "--measure", "sensitivity", *args])
    return status, err.getvalue()

def files():
    return {name: open(name, "rb").read() for name in sorted(os.listdir("."))
            if name.startswith(("old", ".old"))}

with open("old.png", "wb") as f:
    f.write(b"the old figure")
with open("old.json", "wb") as f:
    f.write(b"the old dump")
before = files()


def opening(action):
    """save's open(), `action` done first when it opens the dump's temporary file."""
    def open_(name, *args, **kwargs):
        if ".json.tmp" in os.fspath(name):
            action()
        return open(name, *args, **kwargs)
    return open_

def no_room():
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

save.open = opening(no_room)
status, err = plot("-o", "old.png", "--dump-data", "old.json")
assert files() == before, f"the figure was replaced though its dump failed: {sorted(files())}"
assert status == 1, (status, err)
assert "tools/plot: error: cannot write old.json: No space left on device (the disk is full)" in err, err

save.open = opening(lambda: os.kill(os.getpid(), signal.SIGTERM))
status, err = plot("-o", "old.png", "--dump-data", "old.json")
assert files() == before, f"an interrupted plot changed files: {sorted(files())}"
assert status == 130 and "tools/plot: interrupted; no output was written" in err, (status, err)
del save.open

real_replace = os.replace
def stopped_while_renaming(source, target):
    real_replace(source, target)
    os.kill(os.getpid(), signal.SIGTERM)

save.os.replace = stopped_while_renaming
status, err = plot("-o", "old.png", "--dump-data", "old.json")
save.os.replace = real_replace
assert status == 130, (status, err)
assert "interrupted while its outputs were put in place: they are complete" in err, err
after = files()
assert sorted(after) == ["old.json", "old.png"], sorted(after)
assert after["old.png"].startswith(b"\x89PNG") and after["old.json"].startswith(b"{"), after
PY
  # A folder the user may not make files in, or a write-protected figure: refused before the
  # figure is drawn, exit 2, as the engine refuses them (it was exit 1, found when writing). Root
  # writes everywhere: as root, the plot runs as nobody in a folder nobody owns.
  as_user=()
  if [[ $(id -u) == 0 ]]; then
    chown 65534:65534 .
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  fi
  mkdir locked && chmod 0555 locked
  [[ $(id -u) != 0 ]] || chown 65534:65534 locked
  expect_error 2 "argument -o/--output: 'locked/x.png' cannot be written: the folder locked does not let this user make files in it" \
    "${as_user[@]}" "$plot" network s.h5 -o locked/x.png
  expect_error 2 "argument --dump-data: 'locked/x.json' cannot be written: the folder locked does not let this user make files in it" \
    "${as_user[@]}" "$plot" network s.h5 -o x.png --dump-data locked/x.json
  echo "a figure kept" > kept.png
  chmod 0444 kept.png
  expect_error 2 "argument -o/--output: 'kept.png' is write-protected (mode 0444): it is kept" \
    "${as_user[@]}" "$plot" network s.h5 -o kept.png
  [[ "$(cat kept.png)" == "a figure kept" ]] || fail "a write-protected figure was replaced"
  chmod 0755 locked
  ;;

damaged)
  # Damaged files (a broken copy, a hand edit, an older version): every plot refuses them, exit
  # 2, naming the file and what is wrong, and writes nothing. The damages are those of
  # tests/damage_structure.py and tests/damage_values.py, where the plot once stopped on a
  # Python traceback (exit 1).
  run_scenario sanctions s.h5
  "$interdep" sweep "$source_dir/tests/data/sweeps/small-lhs.toml" -o sweep.h5 -j 1 > /dev/null 2>&1
  damaged() {  # damaged SOURCE COPY KIND NAME CHANGE: COPY is SOURCE with one damage
    /usr/bin/python3 - "$source_dir/tests" "$@" <<'PY_DAMAGE'
import sys
sys.path.insert(0, sys.argv[1])
import damage_structure, damage_values
source, copy, kind, name, change = sys.argv[2:]
if change.startswith("="):  # a value: the last element
    import h5py
    with h5py.File(source, "r") as f:
        last = f[name].size - 1
    damage_values.damage(source, copy, "dataset", name, last, float(change[1:]))
else:
    damage_structure.damage(source, copy, kind, name, change)
PY_DAMAGE
  }
  damaged s.h5 d1.h5 dataset relation_overall shrink
  expect_error 2 "d1.h5: RUN: dataset /relation_overall has shape [120, 7, 7], expected [121, 7, 7] (a damaged file)" \
    "$plot" trajectories d1.h5 --pair PAK:RUS -o x.png
  damaged s.h5 d2.h5 dataset time grow
  expect_error 2 "d2.h5: RUN: dataset /time: element 121 is 2035.0, expected a finite time after the one before (a damaged file)" \
    "$plot" heatmap d2.h5 --measure leverage -o x.svg
  damaged s.h5 d3.h5 dataset time =nan
  expect_error 2 "d3.h5: RUN: dataset /time: element 120 is nan, expected a finite time after the one before (a damaged file)" \
    "$plot" network d3.h5 -o x.png
  damaged s.h5 d4.h5 attribute dt array
  expect_error 2 "d4.h5: RUN: attribute dt is [" "$plot" network d4.h5 -o x.png
  damaged s.h5 d5.h5 dataset events/label retype
  expect_error 2 "d5.h5: RUN: dataset /events/label holds float64, expected strings (a damaged file)" \
    "$plot" trajectories d5.h5 --pair PAK:RUS -o x.png
  damaged s.h5 d6.h5 dataset network/faction narrow
  expect_error 2 "d6.h5: RUN: dataset /network/faction has shape [121, 6], expected [121, 7] (a damaged file)" \
    "$plot" network d6.h5 -o x.png
  damaged s.h5 d7.h5 dataset actor_name shrink
  expect_error 2 "d7.h5: RUN: dataset /actor_name has shape [6], expected [7] (a damaged file)" \
    "$plot" heatmap d7.h5 --measure sensitivity -o x.png
  damaged sweep.h5 d8.h5 dataset series narrow
  expect_error 2 "d8.h5: --sweep: dataset /series has shape [" \
    "$plot" trajectories s.h5 --pair RUS:USA --sweep d8.h5 -o x.png
  ;;

*)
  fail "unknown case '$case_name'"
  ;;
esac
echo "plot.$case_name: ok"
