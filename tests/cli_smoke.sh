#!/usr/bin/env bash
# CLI smoke tests, one case per ctest test: tests/cli_smoke.sh CASE BINARY SOURCE_DIR
set -euo pipefail
case_name=$1
bin=$(realpath "$2")
src=$(realpath "$3")
py=/usr/bin/python3
lib=$(dirname "$(realpath "${BASH_SOURCE[0]}")")/smoke_lib.sh  # before cd: the path may be relative
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

source "$lib"

# Whether a binary is built with AddressSanitizer (which reserves terabytes of address space, so
# no `ulimit -v` can hold it). Not `ldd | grep -q`: under pipefail, grep's early exit can kill ldd
# with SIGPIPE and the test reads "not sanitized" (CI, 2026-12-02).
under_asan() { [[ "$(ldd "$1" 2>/dev/null)" == *libasan* ]]; }

# The result files the damage fuzzers damage (cases value_damage, structure_damage): r.h5, a
# 4-year corridors run recorded every third step, and s.h5, a 4-run grid sweep of brics.toml
# (three years of it: each damaged copy's `run --from-sweep` reruns one of its runs, 0.4 s at ten
# years) with series; r.csv and s.csv, observations that score them. The clean files pass every
# reader that scores them.
damage_inputs() {
  expect_status 0 "$bin" run "$src/scenarios/corridors.toml" --set time.years=4 --set output.every=3 -o r.h5 -q
  printf 'name = "brics-3y"\nbase = "%s"\n[time]\nyears = 3\n' "$src/scenarios/brics.toml" > brics3.toml
  cat > g.toml <<TOML
name = "damage-grid"
scenario = "brics3.toml"
seed = 11
[design]
kind = "grid"
levels = 2
[parameters."relations.IND.PAK.diplomacy"]
distribution = "uniform"
min = -0.8
max = 0.8
[parameters."institutions.BRICS.rule"]
distribution = "discrete"
values = ["consensus", "majority"]
[record]
mode = "every"
every = 12
outputs = ["membership[PAK,BRICS]", "relation_overall[IND,PAK]"]
statistics = ["final", "mean", "onset"]
TOML
  expect_status 0 "$bin" sweep g.toml -o s.h5 -j 1 -q
  printf 'quantity,date,value,uncertainty,unit\nrelation_overall[PAK,RUS],2026-06-01,0.2,0.1,1\n' > r.csv
  printf 'quantity,date,value,uncertainty,unit\nrelation_overall[IND,PAK],2027-06-01,-0.2,0.1,1\n' > s.csv
  expect_status 0 "$bin" score r.h5 --observed r.csv
  expect_status 0 "$bin" score s.h5 --observed s.csv
}
# damage_fuzzer SCRIPT: tests/SCRIPT.py on damage_inputs' files, which must find nothing.
damage_fuzzer() {
  damage_inputs
  expect_status 0 $py "$src/tests/$1.py" "$bin" copies run:r.h5:r.csv \
    "sweep:s.h5:relation_overall[IND,PAK],s.csv"
  grep -q "$1: [0-9][0-9]* damaged copies, [0-9]* commands, 0 findings" out.txt \
    || { cat out.txt >&2; fail "$1.py did not report its copies"; }
}

case "$case_name" in
  version)
    expect_status 0 "$bin" --version
    grep -qE '^interdep [0-9]+\.[0-9]+\.[0-9]+' out.txt || fail "no version printed"
    expect_status 2 "$bin"                   # no command: usage on stdout, status 2
    expect_status 2 "$bin" frobnicate
    grep -q "unknown command" err.txt || fail "unknown command not named"
    ;;
  help)
    expect_status 0 "$bin" --help
    for c in run validate inspect; do
      expect_status 0 "$bin" "$c" --help
      grep -q "Usage: interdep $c" out.txt || fail "$c --help has no usage line"
    done
    expect_status 2 "$bin" run --no-such-option
    ;;
  run_default)
    # From a directory without scenarios/, the default scenario is the source tree's baseline.
    expect_status 0 "$bin" run
    [ -f baseline.h5 ] || fail "run wrote no baseline.h5"
    if grep -q "it replaced" out.txt; then fail "a first run says it replaced a file"; fi
    grep -q "Overall relation" out.txt || fail "no summary printed"
    grep -q "camps {" out.txt || fail "no structural-balance camps printed (/network)"
    grep -q "; top broker [A-Z]* (betweenness 0\.[0-9]*[1-9]" out.txt || fail "no broker named in the baseline"
    expect_status 0 "$bin" inspect baseline.h5
    grep -q "Scenario: baseline" out.txt || fail "inspect names no scenario"
    expect_status 0 "$bin" inspect baseline.h5 --scenario
    cp out.txt resolved.toml
    expect_status 0 "$bin" validate resolved.toml
    expect_status 0 $py "$src/tools/check_netcdf.py" baseline.h5
    # Every event kind and members that are not actors (the replay has them all but one).
    for scenario in pipeline history/2014-2024; do
      expect_status 0 "$bin" run "$src/scenarios/$scenario.toml" -q -o kinds.h5
      expect_status 0 $py "$src/tools/check_netcdf.py" kinds.h5
    done
    # A what-if without -o writes over the baseline's file: said, with the way out.
    expect_status 0 "$bin" run --set actors.PAK.risk=-0.8
    grep -q "; it replaced the earlier baseline.h5 (name another with -o)$" out.txt \
      || { cat out.txt >&2; fail "replacing baseline.h5 was not said"; }
    # Two actors: nobody lies between others, and no broker is named (it named one at 0.00).
    actor='interests = { security = 1 }\ngdp = 1\ngdp_growth = 0\nmilitary = 1\ntotal_trade = 1\n'
    printf "name = \"pair\"\n[domains.security]\n[actors.AAA]\n$actor[actors.BBB]\n$actor" > pair.toml
    expect_status 0 "$bin" run pair.toml -o pair.h5
    grep -q "; no broker (no actor lies on others' shortest paths)" out.txt || { cat out.txt >&2; fail "a broker of betweenness 0 was named"; }
    ;;
  disk_full)
    # A file that cannot grow (ulimit -f: writes past the limit fail with EFBIG, as on a full
    # disk) fails the run while it streams: exit 1, the error names the file and the reason,
    # no temporary file is left and the file already there is untouched. Early and late
    # failures: in the first window's write, and after several windows.
    echo "earlier result" > b.h5
    for limit in 200 10000; do
      set +e
      (trap '' XFSZ; ulimit -f "$limit"; exec "$bin" run "$src/scenarios/baseline.toml" -q \
          --set time.years=60 -o b.h5) >out.txt 2>err.txt
      got=$?
      set -e
      [ "$got" = 1 ] || { cat err.txt >&2; fail "a run that cannot write exited $got, expected 1"; }
      grep -q "b.h5: .*File too large (the limit on a file's size was reached" err.txt \
        || { cat err.txt >&2; fail "the error names no file or reason"; }
      ! grep -q "file descriptor\|buf = \|tmp-" err.txt \
        || { cat err.txt >&2; fail "the error carries HDF5's internals (descriptor, buffer, temporary)"; }
      [ "$(wc -l < err.txt)" -le 2 ] || { cat err.txt >&2; fail "HDF5's error stack was printed"; }
      [[ "$(ls -a)" != *tmp-* ]] || fail "a temporary file was left behind ($(ls -a))"
      [ "$(cat b.h5)" = "earlier result" ] || fail "the existing file was changed"
    done
    # Text a command prints that cannot all be written (a scenario to rerun, a summary, an
    # account redirected into a file that cannot grow, or to a full device): exit 1, said.
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" -q --set time.years=1 -o ok.h5
    set +e
    (trap '' XFSZ; ulimit -f 5; exec "$bin" inspect ok.h5 --scenario) >rerun.toml 2>err.txt
    got=$?
    set -e
    [ "$got" = 1 ] || { cat err.txt >&2; fail "a scenario cut short by a file size limit exited $got"; }
    # Why, though the write failed long before the command's end (errno had moved on by then).
    grep -q "standard output refused what the command wrote: File too large (the limit on a file's size was reached.*; it is incomplete" err.txt \
      || { cat err.txt >&2; fail "a scenario cut short was not said, with why"; }
    if [ -w /dev/full ]; then
      # Accounts longer than stdio's buffer (inspect --scenario, compare) fail in their middle;
      # analyze printed with printf.
      expect_status 0 "$bin" run "$src/scenarios/sanctions.toml" -q --set time.years=1 -o sanctioned.h5
      expect_status 0 "$bin" sweep "$src/tests/data/sweeps/small-lhs.toml" -o lhs.h5 -j 2 -q
      for command in "inspect ok.h5" "inspect ok.h5 --scenario" "compare sanctioned.h5 ok.h5" \
                     "explain ok.h5 --pair PAK:RUS" "validate $src/scenarios/baseline.toml" \
                     "analyze lhs.h5 --output trade[CHN,RUS]" "--help" "help" "--version"; do
        set +e; "$bin" $command >/dev/full 2>err.txt; got=$?; set -e
        [ "$got" = 1 ] || { cat err.txt >&2; fail "'$command' to a full device exited $got"; }
        grep -q "standard output refused what the command wrote: No space left on device (the disk is full)" err.txt \
          || { cat err.txt >&2; fail "'$command' to a full device did not say why"; }
      done
    fi
    ;;
  sweep_disk_full)
    # A sweep whose files cannot grow (ulimit -f, as in disk_full): a shard (22 KiB: the manifests
    # fit, the shard of 24 runs does not), then the merged file (48 KiB: the shard fits, the
    # merged file does not) fails to be written. Exit 1, the file and the reason named, no abort,
    # no temporary file; the shards written are kept, and --resume without the limit ends as an
    # uninterrupted sweep does. A slow build (the sanitizers) writes a shard every 2 s, before all
    # 24 runs are done: a smaller first shard may fit, and a later shard or the merge fails.
    sweep="$src/tests/data/sweeps/small-lhs.toml"
    expect_status 0 "$bin" sweep "$sweep" -o whole.h5 -j 2 -q
    with_file_limit 22 "$bin" sweep "$sweep" -o s.h5 -j 2 -q
    expect_clean_failure "s\.h5\(\.parts/shard-r0000-[0-9]*\.h5\)\{0,1\}: "
    [ ! -e s.h5 ] && [ -d s.h5.parts ] || fail "a failed shard left s.h5, or no parts directory"
    expect_status 0 "$bin" sweep "$sweep" -o s.h5 -j 2 -q --resume
    expect_status 0 $py "$src/tests/h5_same.py" s.h5 whole.h5
    with_file_limit 48 "$bin" sweep "$sweep" -o m.h5 -j 2 -q
    expect_clean_failure "m.h5: "
    grep -q "finished runs are kept in m.h5.parts: rerun with --resume" err.txt || fail "--resume is not named"
    [ ! -e m.h5 ] && ls m.h5.parts/shard-*.h5 >/dev/null || fail "the shards were not kept"
    expect_status 0 "$bin" sweep "$sweep" -o m.h5 -j 2 --resume
    grep -q "(24 resumed" out.txt || { cat out.txt >&2; fail "the shards were not resumed"; }
    expect_status 0 $py "$src/tests/h5_same.py" m.h5 whole.h5
    # A Saltelli sweep's runs share their seeds by default (seeds = "common"): parts made by an
    # engine that seeded them per run (no record of their seeding) are not resumed into them.
    saltelli="$src/tests/data/sweeps/small-saltelli.toml"
    with_file_limit 48 "$bin" sweep "$saltelli" -o c.h5 -j 2 -q
    [ "$got" = 1 ] && [ -e c.h5.parts/seeds ] || fail "a Saltelli sweep's parts were not kept with their seeding"
    grep -qx common c.h5.parts/seeds || fail "the parts do not record common seeds"
    rm c.h5.parts/seeds
    expect_status 2 "$bin" sweep "$saltelli" -o c.h5 -j 2 -q --resume
    grep -q "holds runs seeded per_run, and this sweep seeds them common" err.txt \
      || { cat err.txt >&2; fail "parts seeded otherwise were resumed"; }
    echo common > c.h5.parts/seeds
    expect_status 0 "$bin" sweep "$saltelli" -o c.h5 -j 2 -q --resume
    # A shard that fails while the workers still run (the first of a long sweep, after 2 s): they
    # are stopped and joined, and the sweep ends as above (it aborted: std::terminate). The sweep
    # records every frame, so that its first shard exceeds the limit however few runs a slow
    # build (the sanitizers) finished in 2 s; with summaries alone such a build wrote small shards
    # and ran all 6,000 runs before the merge failed (12 minutes).
    with_file_limit 22 "$bin" sweep "$src/tests/data/sweeps/long-series.toml" -o l.h5 -j 2 -q
    expect_clean_failure "l\.h5\(\.parts/shard-r0000-[0-9]*\.h5\)\{0,1\}: "  # as above
    [ ! -e l.h5 ] && [ -d l.h5.parts ] || fail "a failed shard left l.h5, or no parts directory"
    # Its first shard failed: no run is kept, and that is said (it said the runs were kept).
    ! ls l.h5.parts/shard-* >/dev/null 2>&1 || fail "a shard was kept"
    grep -q "no finished run was stored in l.h5.parts before this: rerun with --resume" err.txt \
      && ! grep -q "finished runs are kept" err.txt || { cat err.txt >&2; fail "runs said kept that were not"; }
    ;;
  outputs_disk_full)
    # The other files commands write, on a full disk (ulimit -f): exit 1, the file and the reason
    # named, nothing left (no temporary file, no table of a set half written), an earlier file
    # untouched; calibrate keeps its journal of whole lines for --resume.
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" -o r.h5 -q
    echo "earlier" > page.html
    with_file_limit 20 "$bin" report r.h5 -o page.html -q
    expect_clean_failure "page.html"
    [ "$(cat page.html)" = earlier ] || fail "report changed the earlier page"
    { printf 'base = "%s"\n[time]\nyears = 3\n' "$src/scenarios/baseline.toml"
      trade_observation 2026 700; } > obs.toml
    expect_status 0 "$bin" run obs.toml -o a.h5 -q
    with_file_limit 0 "$bin" score a.h5 -o scores.csv
    expect_clean_failure "scores.csv"
    [ ! -e scores.csv ] || fail "score left scores.csv"
    printf 'name = "full-disk"\nscenario = "%s"\nreplicates = 1\n' "$src/scenarios/sanctions.toml" > checks.toml
    level_check "a level" 2026-01-01 2 >> checks.toml
    with_file_limit 0 "$bin" check checks.toml -o checks.csv -q
    expect_clean_failure "checks.csv"
    [ ! -e checks.csv ] || fail "check left checks.csv"
    # export writes its tables a block of runs at a time: the series table (about 300 KiB) does
    # not fit, so neither table is written and the earlier one is untouched.
    pressure_series_sweep series "$src" 30 '"relation_overall[PAK,RUS]", "energy_shortfall[PAK]"' > series.toml
    expect_status 0 "$bin" sweep series.toml -o series.h5 -q
    echo "earlier" > runs.csv
    with_file_limit 64 "$bin" export series.h5 --csv -o runs.csv --series frames.csv
    expect_clean_failure "frames.csv"
    [ "$(cat runs.csv)" = earlier ] && [ ! -e frames.csv ] || fail "a failed export changed a table"
    # analyze stores its table in the sweep file (a copy, renamed over it): a copy that cannot be
    # written is a failure (exit 1), not bad input, and the file stays as it was. The copy stops
    # part way (the limit below the file's size): the reason is the limit, not "Input/output
    # error" (hunt AM), and the table computed is printed before it, not lost.
    before=$(md5sum < series.h5)
    with_file_limit $(( $(stat -c %s series.h5) / 1024 / 2 )) "$bin" analyze series.h5 --output 'relation_overall[PAK,RUS]'
    expect_clean_failure "series.h5: copy to a temporary file: "
    [ "$(md5sum < series.h5)" = "$before" ] || fail "a failed analyze changed the sweep file"
    grep -q "^model.decide.pressure .*[0-9]" out.txt && grep -q "not written to series.h5: the write failed" out.txt \
      || { cat out.txt >&2; fail "analyze lost the table it computed when it could not store it"; }
    # Two analyses of one file at once both keep their tables (each copied the file and renamed
    # its copy back: the last rename won); the second waits for the first. Five rounds: without
    # the lock, the loss showed in most of them.
    for round in 1 2 3 4 5; do
      cp series.h5 both.h5
      "$bin" analyze both.h5 --output 'relation_overall[PAK,RUS]' > a1.txt 2>&1 &
      first=$!
      "$bin" analyze both.h5 --output 'energy_shortfall[PAK]' > a2.txt 2>&1 || { cat a2.txt >&2; fail "analyze failed"; }
      wait "$first" || { cat a1.txt >&2; fail "analyze failed"; }
      tables=$($py -c "import h5py; print(len(h5py.File('both.h5', 'r')['analysis']))")
      [ "$tables" = 2 ] || fail "two analyses at once kept $tables table(s) (round $round)"
    done
    [ -z "$(ls -a | grep analysis-lock)" ] || fail "analyze left its lock file"
    pak_growth_calibration full-disk obs.toml 1 8 > calib.toml
    # No room for the journal: nothing is left.
    with_file_limit 0 "$bin" calibrate calib.toml -o fit -q
    expect_clean_failure "fit.journal: write the calibration journal"
    ! ls fit* >/dev/null 2>&1 || fail "a calibration that could not write left $(ls fit*)"
    # Room for a few evaluations: the journal is cut back to whole lines, and --resume goes on.
    expect_status 0 "$bin" calibrate calib.toml -o whole -q
    with_file_limit 1 "$bin" calibrate calib.toml -o fit -q
    expect_clean_failure "fit.journal: write the calibration journal"
    grep -q "kept for --resume" err.txt || fail "--resume is not named"
    expect_status 0 $py -c "d = open('fit.journal', 'rb').read(); assert d.endswith(b'\n') and d.count(b'\n') > 2, d"
    for f in fit.toml fit-trace.csv fit-fit.csv fit-parameters.csv; do [ ! -e $f ] || fail "$f was left"; done
    expect_status 0 "$bin" calibrate calib.toml -o fit -q --resume
    cmp <(cut -d, -f1-5 fit-trace.csv) <(cut -d, -f1-5 whole-trace.csv) || fail "the resumed calibration differs"
    # Room for the journal, not for the results: none of them is written, the journal is kept.
    # The fitted scenario names the scenario, here by a path of 2,000 characters: the one file
    # larger than 2 KiB.
    long=$(printf 'd%.0s' {1..200})
    deep="$long/$long/$long/$long/$long/$long/$long/$long/$long/$long"
    mkdir -p "$deep" && cp obs.toml "$deep/"
    pak_growth_calibration full-disk "$deep/obs.toml" 1 8 > deep.toml
    rm fit*
    with_file_limit 2 "$bin" calibrate deep.toml -o fit -q
    expect_clean_failure "fit.toml: write"
    grep -q "fit.journal keeps every evaluation: rerun with --resume" err.txt || fail "the journal is not named"
    for f in fit.toml fit-trace.csv fit-fit.csv fit-parameters.csv; do [ ! -e $f ] || fail "$f was left"; done
    [ -s fit.journal ] || fail "the journal was not kept"
    expect_status 0 "$bin" calibrate deep.toml -o fit -q --resume
    cmp <(cut -d, -f1-5 fit-trace.csv) <(cut -d, -f1-5 whole-trace.csv) || fail "the results differ"
    ;;
  readonly_output)
    # An output in a directory nobody may write to (/sys refuses new files even to root, which
    # chmod does not stop): exit 1, the file named, nothing written.
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" -o r.h5 -q
    expect_status 1 "$bin" run "$src/scenarios/baseline.toml" -o /sys/r.h5 -q
    grep -q "/sys/r.h5" err.txt || fail "run names no output"
    expect_status 1 "$bin" sweep "$src/tests/data/sweeps/small-lhs.toml" -o /sys/s.h5 -q
    grep -q "/sys/s.h5.parts: create the parts directory: " err.txt || { cat err.txt >&2; fail "sweep names no parts directory"; }
    expect_status 1 "$bin" report r.h5 -o /sys/r.html -q
    grep -q "/sys/r.html: write the report" err.txt || { cat err.txt >&2; fail "report names no page"; }
    { printf 'base = "%s"\n[time]\nyears = 3\n' "$src/scenarios/baseline.toml"
      trade_observation 2026 700; } > obs.toml
    expect_status 0 "$bin" run obs.toml -o a.h5 -q
    expect_status 1 "$bin" score a.h5 -o /sys/s.csv
    grep -q "/sys/s.csv: write" err.txt || { cat err.txt >&2; fail "score names no table"; }
    ;;
  world_size)
    # A world of 5,000 actors (the most allowed) and 20 domains that lists few pairs: a run needs
    # about 113 GiB, more than three quarters of any machine that runs this suite. validate, run
    # and sweep refuse it up front, naming that figure, in a second and within 1 GiB of address
    # space (filling its dense arrays took 2.6 GB and 6 s at 5 domains). Under AddressSanitizer,
    # which reserves terabytes of address space for its shadow memory, only the time is limited.
    $py "$src/bench/large_world.py" 5000 20 > world.toml
    address_space=1048576
    if under_asan "$bin"; then address_space=unlimited; fi
    printf 'name = "w"\nscenario = "world.toml"\n[design]\nkind = "lhs"\nsamples = 2\n[parameters."actors.BAA.gdp"]\nmin = 1\nmax = 2\n[record]\noutputs = ["gdp[BAA]"]\n' > sweep.toml
    for command in "validate world.toml" "run world.toml -o w.h5 -q" "sweep sweep.toml -o s.h5 -q" \
                   "validate world.toml --max-memory 20"; do
      set +e; (ulimit -v "$address_space"; exec timeout 10 "$bin" $command) >out.txt 2>err.txt; got=$?; set -e
      [ "$got" = 2 ] || { cat err.txt >&2; fail "$command exited $got, expected 2"; }
      grep -q "world.toml:[0-9]*:1: error: key 'actors': a world of 5000 actors and 20 domains would need at least 113 GiB of memory to run" err.txt \
        || { cat err.txt >&2; fail "$command did not refuse the world at [actors] with its size"; }
    done
    grep -q "more than the limit of 20 GiB" err.txt || fail "--max-memory did not set the limit"
    [ ! -e w.h5 ] && [ ! -e s.h5.parts ] || fail "a refused world left files"
    # 500 actors: 0.32 GiB, admitted unless the limit is lower.
    $py "$src/bench/large_world.py" 500 5 > small.toml
    expect_status 0 "$bin" validate small.toml
    grep -q "small.toml: ok (large-world-500: 500 actors, 5 domains" out.txt || fail "a world that fits was refused"
    expect_status 2 "$bin" validate small.toml --max-memory 0.25
    grep -q "would need at least 0.317 GiB of memory to run (.*), more than the limit of 0.25 GiB" err.txt \
      || { cat err.txt >&2; fail "a lower --max-memory did not refuse the world"; }
    expect_status 2 "$bin" validate small.toml --max-memory 0
    for gib in 0 1e300 -2 1e-300; do
      expect_status 2 "$bin" validate small.toml --max-memory=$gib
      grep -q -- "--max-memory takes a number of GiB from 0.001 (a MiB) to 1e9, got" err.txt \
        || { cat err.txt >&2; fail "--max-memory $gib was not refused with its range"; }
    done
    # A number option says what it takes (Boost said "is invalid" and no more), for every such
    # option; NaN, infinities and numbers beyond a double are no number any of them means.
    for option in "validate small.toml --max-memory" "run x.toml --max-memory" \
        "analyze x.h5 --confidence" "discover x.h5 --threshold" "discover x.h5 --alpha" \
        "discover x.h5 --paste-alpha" "discover x.h5 --min-mass" "score x.h5 --level"; do
      for value in abc nan inf 1e400 3x ""; do
        expect_status 2 "$bin" $option "$value"
        grep -q "argument\( ('$value')\)\? for option '--.*' is invalid: expected a finite number" err.txt \
          || { cat err.txt >&2; fail "$option '$value' was not refused as a number"; }
      done
    done
    for option in "run x.toml --steps 1" "run x.toml --compression 0" "score x.h5 --year-start-month 1"; do
      set -- $option
      for value in abc -1 1.5 99999999999999999999; do
        expect_status 2 "$bin" $1 $2 $3 "$value"
        grep -q "('$value') for option '$3' is invalid: expected a whole number from $4 to" err.txt \
          || { cat err.txt >&2; fail "$3 '$value' was not refused with its range"; }
      done
    done
    # validate keeps to the size of the file: a 3,000-actor world within the limit (a run needs
    # about 1 GiB) that lists few pairs (300 KB) is read and checked within 256 MiB of address
    # space (its dense arrays took 935 MB when the scenario held them).
    $py "$src/bench/large_world.py" 3000 5 > wide.toml
    address_space=262144
    if under_asan "$bin"; then address_space=unlimited; fi
    set +e; (ulimit -v "$address_space"; exec "$bin" validate wide.toml --max-memory 64) >out.txt 2>err.txt
    got=$?; set -e
    [ "$got" = 0 ] || { cat err.txt >&2; fail "validate of a large, sparse world exited $got (out of memory?)"; }
    grep -q "wide.toml: ok (large-world-3000: 3000 actors, 5 domains" out.txt || fail "the large world was not validated"
    ;;
  summary_from_stream)
    # `run` streams its frames to the file and prints its summary from a digest of a few frames;
    # it says exactly what `inspect` of the file says. Long runs span many stream windows; the
    # corridors scenario opens and closes corridor edges; brics records every 7th step.
    for args in "baseline.toml" "corridors.toml --set time.years=60" \
                "brics.toml --set output.every=7 --set time.years=40" \
                "sanctions.toml --set output.contributions=false"; do
      # shellcheck disable=SC2086
      set -- $args
      expect_status 0 "$bin" run "$src/scenarios/$1" "${@:2}" -o s.h5
      head -n -2 out.txt > run.txt  # all but the blank line and "Wrote s.h5 (...)"
      [[ "$(tail -n 1 out.txt)" == "Wrote s.h5 "* ]] || fail "run did not end with Wrote"
      expect_status 0 "$bin" inspect s.h5
      diff run.txt out.txt > diff.txt || { cat diff.txt >&2; fail "run's summary of $args differs from inspect's"; }
    done
    # A corridor that closes with the event of 2027-07 is said to close in that month, or, with
    # frames five steps apart, in the months of those steps (the event's among them).
    for every in 1 5; do
      expect_status 0 "$bin" run "$src/scenarios/corridors.toml" --set output.every=$every -o c.h5
      head -n -2 out.txt > run.txt
      expect_status 0 "$bin" inspect c.h5
      diff run.txt out.txt > diff.txt || { cat diff.txt >&2; fail "corridors every $every: run and inspect differ"; }
      want="2027-07: corridor AFG-PAK closed"
      [ "$every" = 1 ] || want="2027-07..2027-11: corridor AFG-PAK closed"
      grep -q "^  $want$" out.txt || { cat out.txt >&2; fail "corridors every $every: not '$want'"; }
    done
    # Beyond 12 actors: the first 12 named, the closest and most hostile pairs instead of the
    # matrix (a 200-actor summary was 287 KB), the same from run and inspect.
    $py "$src/bench/large_world.py" 40 2 > forty.toml
    expect_status 0 "$bin" run forty.toml --set time.years=1 --set output.network=true -o f.h5
    head -n -2 out.txt > run.txt
    expect_status 0 "$bin" inspect f.h5
    diff run.txt out.txt > diff.txt || { cat diff.txt >&2; fail "a large world's summaries differ"; }
    grep -q "^Actors (40): BAA (BAA) .* BAL (BAL) and 28 more$" out.txt || { cat out.txt >&2; fail "the actors were not cut at 12"; }
    grep -q "40 x 40 in /relation_overall; the 8 closest and the 8 most hostile pairs:" out.txt \
      || { cat out.txt >&2; fail "no ranked pairs instead of the matrix"; }
    grep -q "camps {BAA BAB .* BAL and 28 more}" out.txt || { cat out.txt >&2; fail "a camp listed every actor"; }
    # Above 16 actors the camps are a heuristic's: the count of frustrated ties is a bound.
    grep -q "; frustrated ties at most [0-9]*;" out.txt \
      || { cat out.txt >&2; fail "a heuristic's frustration count was stated as exact"; }
    [ "$(awk '{ if (length($0) > m) m = length($0) } END { print m }' out.txt)" -lt 200 ] \
      || fail "a large world's summary has a line of the matrix's width"
    expect_status 0 "$bin" inspect f.h5 --top 3
    [ "$(grep -c "^  B[A-Z][A-Z] -> B[A-Z][A-Z]  [+-]0\.[0-9][0-9]$" out.txt)" -eq 6 ] \
      || { cat out.txt >&2; fail "--top 3 did not list 3 closest and 3 most hostile pairs"; }
    # An unknown code among many: the first 12 and a count, and the close one.
    expect_status 2 "$bin" explain f.h5 --pair BAA:BAZZ
    grep -q "this run's actors are BAA BAB .* BAL and 28 more (did you mean 'BAZ'?)" err.txt \
      || { cat err.txt >&2; fail "explain listed every actor of a large world"; }
    expect_status 2 "$bin" validate forty.toml --set 'relations.BAA.BAZZ={d0=0.1}'
    grep -q "the scenario's actors are 'BAA', .* 'BAL' and 28 more" err.txt \
      || { cat err.txt >&2; fail "validate listed every actor of a large world"; }
    ;;
  compression)
    # Uncompressed by default; --compression N (or [output] compression) deflates the chunked
    # datasets at level N with the same values; a level outside 0..9 is a usage error.
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" -o plain.h5 -q
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" -o packed.h5 -q --compression 6
    expect_status 0 $py - plain.h5 packed.h5 <<'PY'
import sys, h5py, numpy as np
a, b = h5py.File(sys.argv[1]), h5py.File(sys.argv[2])
assert a["relations"].compression is None, a["relations"].compression
assert b["relations"].compression == "gzip" and b["relations"].compression_opts == 6
assert b["relations"].shuffle
for name in ("relations", "contributions", "trade", "leverage_channels"):
    assert np.array_equal(a[name][...], b[name][...]), name
PY
    expect_status 2 "$bin" run "$src/scenarios/baseline.toml" -o bad.h5 --compression 10
    grep -q "('10') for option '--compression' is invalid: expected a whole number from 0 to 9" err.txt \
      || { cat err.txt >&2; fail "bad level not explained"; }
    expect_status 2 "$bin" run "$src/scenarios/baseline.toml" -o bad.h5 --set output.compression=-1
    grep -q "output.compression" err.txt || fail "bad [output] compression not named"
    [ ! -e bad.h5 ] || fail "a refused run left a file"
    ;;
  rerun_from_file)
    # What a result file says reruns it: the stored scenario text holds the seed the run used and
    # every --set, so that running it with no flags gives the same datasets, bit for bit; a seed
    # beyond TOML's integers is stored as a string of its digits.
    expect_status 0 "$bin" run "$src/scenarios/sanctions.toml" -o a.h5 --seed 9 \
      --set actors.PAK.risk=-0.3 --set model.decide.pressure=2.5 -q
    "$bin" inspect a.h5 --scenario > stored.toml
    grep -q "^seed = 9$" stored.toml || fail "the stored scenario does not hold the run's seed"
    expect_status 0 "$bin" run stored.toml -o b.h5 -q
    expect_status 0 $py "$src/tests/h5_same.py" a.h5 b.h5
    # The file says what was overridden and names the run by it, unless --label names it.
    expect_status 0 "$bin" inspect a.h5
    grep -q "^Overrides: actors.PAK.risk=-0.3 model.decide.pressure=2.5 seed=9$" out.txt \
      || { cat out.txt >&2; fail "inspect does not list the overrides"; }
    grep -q "^Run: sanctions \[actors.PAK.risk=-0.3, model.decide.pressure=2.5, seed=9\]$" out.txt \
      || fail "a run with overrides is not named by them"
    expect_status 0 $py -c "import h5py, sys; f = h5py.File('a.h5'); \
sys.exit(0 if list(f.attrs['overrides']) == ['actors.PAK.risk=-0.3', 'model.decide.pressure=2.5', 'seed=9'] else f.attrs['overrides'])"
    # The rerun is the run, attributes included: the text ends with [run] (the overrides that
    # made the run), so the rerun is named and lists its overrides as the first (it lost them).
    grep -q "^\[run\]$" stored.toml || fail "inspect --scenario printed no [run] table"
    expect_status 0 $py "$src/tests/h5_same.py" a.h5 b.h5 --attributes
    expect_status 0 "$bin" inspect b.h5
    grep -q "^Run: sanctions \[actors.PAK.risk=-0.3, model.decide.pressure=2.5, seed=9\]$" out.txt \
      || { cat out.txt >&2; fail "the rerun is not named as the run was"; }
    # `run --seed 7` alone: the rerun keeps [seed=7], and its own text prints the same scenario.
    expect_status 0 "$bin" run "$src/scenarios/sanctions.toml" -o s7.h5 --seed 7 -q
    "$bin" inspect s7.h5 --scenario > s7.toml
    expect_status 0 "$bin" run s7.toml -o s7b.h5 -q
    expect_status 0 $py "$src/tests/h5_same.py" s7.h5 s7b.h5 --attributes
    expect_status 0 "$bin" inspect s7b.h5
    grep -q "^Run: sanctions \[seed=7\]$" out.txt || { cat out.txt >&2; fail "the rerun lost [seed=7]"; }
    "$bin" inspect s7b.h5 --scenario > s7b.toml
    cmp -s s7.toml s7b.toml || { diff s7.toml s7b.toml >&2; fail "the rerun's scenario differs"; }
    # A run without overrides prints no [run]; one with --label keeps its label.
    expect_status 0 "$bin" run "$src/scenarios/sanctions.toml" -o plain.h5 -q
    "$bin" inspect plain.h5 --scenario > plain.toml
    ! grep -q "^\[run\]" plain.toml || fail "a run without overrides printed [run]"
    expect_status 0 "$bin" inspect plain.h5
    ! grep -q "^Overrides:\|^Run:" out.txt || fail "a run without overrides lists some"
    expect_status 0 "$bin" run "$src/scenarios/sanctions.toml" -o l.h5 --label "risk-averse Pakistan" \
      --set actors.PAK.risk=-0.3 -q
    expect_status 0 "$bin" compare l.h5 a.h5
    grep -q "risk-averse Pakistan" out.txt || fail "compare does not name a run by its label"
    "$bin" inspect l.h5 --scenario > l.toml
    expect_status 0 "$bin" run l.toml -o l2.h5 -q
    expect_status 0 $py "$src/tests/h5_same.py" l.h5 l2.h5 --attributes
    expect_status 0 "$bin" run "$src/scenarios/sanctions.toml" -o c.h5 -q
    expect_status 1 $py "$src/tests/h5_same.py" a.h5 c.h5  # the overrides and seed did change it
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" -o big.h5 --seed 18446744073709551615 -q
    "$bin" inspect big.h5 --scenario > big.toml
    grep -q "^seed = '18446744073709551615'$" big.toml || fail "a seed beyond 2^63 is not stored"
    expect_status 0 "$bin" run big.toml -o big2.h5 -q
    expect_status 0 $py "$src/tests/h5_same.py" big.h5 big2.h5
    # A rerun of a sweep's run reruns from its own file too.
    expect_status 0 "$bin" sweep "$src/tests/data/sweeps/small-lhs.toml" -o l.h5 -j 2 -q
    expect_status 0 "$bin" run --from-sweep l.h5 --run 5 -o r5.h5 -q
    "$bin" inspect r5.h5 --scenario > r5.toml
    expect_status 0 "$bin" run r5.toml -o r5b.h5 -q
    expect_status 0 $py "$src/tests/h5_same.py" r5.h5 r5b.h5
    # A seed that is neither is refused at its line.
    printf 'name = "x"\nseed = "12x"\n' > bad-seed.toml
    expect_status 2 "$bin" validate bad-seed.toml
    grep -q "bad-seed.toml:2:.*key 'seed': expected a seed" err.txt || fail "a bad seed was not refused at its key"
    ;;
  scenarios)
    # Every shipped scenario validates and runs (examples are smoke tests).
    for f in "$src"/scenarios/*.toml; do
      expect_status 0 "$bin" validate "$f"
      expect_status 0 "$bin" run "$f"  -q -o "$(basename "$f" .toml).h5"
      [ -f "$(basename "$f" .toml).h5" ] || fail "no output for $f"
    done
    # Every file under scenarios/ validates as what it is: scenarios (teaching, history), sweeps,
    # calibrations and checks (with their scenario); and a bad one says why.
    mapfile -t files < <(find "$src/scenarios" -name '*.toml' | sort)
    expect_status 0 "$bin" validate "${files[@]}"
    [ "$(grep -c ': ok (' out.txt)" -eq "${#files[@]}" ] || fail "not every shipped file validated"
    grep -q "brics-grid.toml: ok (sweep brics-grid" out.txt || fail "a sweep file did not validate as a sweep"
    grep -q "replay-trade.toml: ok (calibration replay-trade" out.txt || fail "a calibration file did not validate as one"
    grep -q "2014-2024-checks.toml: ok (checks replay-dynamics" out.txt || fail "a checks file did not validate as one"
    sed 's/^replicates = 3/replicates = 0/' "$src/scenarios/sweeps/brics-grid.toml" > bad-sweep.toml
    sed -i "s#^scenario = \"../brics.toml\"#scenario = \"$src/scenarios/brics.toml\"#" bad-sweep.toml
    expect_status 2 "$bin" validate bad-sweep.toml
    grep -q "bad-sweep.toml:.*replicates" err.txt || { cat err.txt >&2; fail "a bad sweep file's error names no key"; }
    # A route that changed for one as cheap says it is a tie (the replay's CPEC opens a direct
    # China-Pakistan route that costs what the sea route did).
    expect_status 0 "$bin" run "$src/scenarios/history/2014-2024.toml" -o replay.h5
    grep -q "route CHN-PAK: CHN-SEA-PAK (cost 2.50) -> CHN-PAK (cost 2.50, as cheap as the route before: a tie)" out.txt \
      || { grep route out.txt >&2; fail "a route changed for one as cheap is not called a tie"; }
    # validate counts [[events]] entries, the summary a row per target: it says both.
    expect_status 0 "$bin" run "$src/scenarios/brics.toml" -o brics.h5
    grep -q "^Events applied (3 rows of 2 events, one per target):" out.txt \
      || { grep "Events applied" out.txt >&2; fail "the summary does not count the events as validate does"; }
    # The summary says who holds leverage over whom and through which channel, and the shortfall.
    expect_status 0 "$bin" run "$src/scenarios/pipeline.toml" -q -o pipe.h5
    expect_status 0 "$bin" inspect pipe.h5
    grep -q "USA over PAK .*finance" out.txt || fail "no leverage by channel in the summary"
    grep -q "Gas imports needed but not landed" out.txt || fail "no gas shortfall in the summary"
    # A change whose terms are each too small to show at two decimals (one step) says so.
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" -o one-step.h5 --steps 1
    if grep -q " by$" out.txt; then grep " by$" out.txt >&2; fail "a change is listed 'by' no term"; fi
    grep -q " by terms each under 0.005$" out.txt || fail "no change of one step's small terms"
    # ... and lists only shortfalls that show: in the shipped scenarios, some actors' shortfall
    # is a remainder of rounding (1e-14 bcm/yr), which printed as "0.0 -> 0.0".
    for f in baseline corridors pipeline teaching/russia-between teaching/sco-crisis; do
      expect_status 0 "$bin" run "$src/scenarios/$f.toml" -o "$(basename "$f").h5"
      if grep -q " 0\.0 -> 0\.0  (need" out.txt; then grep "(need" out.txt >&2; fail "$f: a shortfall that shows as 0.0 is listed"; fi
    done
    ;;
  overrides)
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" --set time.years=1 -o one.h5 -q
    expect_status 0 $py -c "import h5py,sys; n=h5py.File('one.h5')['time'].shape[0]; sys.exit(0 if n==13 else f'{n} frames')"
    expect_status 2 "$bin" run "$src/scenarios/baseline.toml" --set actors.PAK.gdp=-1 -o neg.h5
    grep -q "actors.PAK.gdp" err.txt || fail "override error names no key"
    [ ! -e neg.h5 ] || fail "a rejected run wrote output"
    expect_status 2 "$bin" run "$src/scenarios/baseline.toml" --set actors.PAK.gpd=1
    grep -q "did you mean 'gdp'" err.txt || fail "no suggestion for a misspelt override"
    # validate --set overrides scenario files only: a sweep file "with" them is refused (its
    # command takes no --set), the scenario beside it still checked with them.
    expect_status 2 "$bin" validate "$src/scenarios/sweeps/brics-grid.toml" \
      "$src/scenarios/baseline.toml" --set time.years=2
    grep -q "brics-grid.toml is a sweep file: --set overrides keys of scenario files only" err.txt \
      || { cat err.txt >&2; fail "validate --set on a sweep file was not refused"; }
    grep -q "baseline.toml: ok (.*24 steps" out.txt || { cat out.txt >&2; fail "the scenario was not validated with --set"; }
    ;;
  bad_input)
    cat > bad.toml <<'TOML'
name = "bad"
[domains.x]
[actors.AA]
interests = { x = 1.0 }
gdp = "large"
[actors.BB]
interests = { x = 1.0 }
TOML
    echo "previous result" > keep.h5
    expect_status 2 "$bin" run bad.toml -o keep.h5
    grep -q "bad.toml:5:7: error: key 'actors.AA.gdp': expected a number, got a string" err.txt \
      || { cat err.txt >&2; fail "error does not name file, line, column, key and expectation"; }
    [ "$(cat keep.h5)" = "previous result" ] || fail "a failed run touched the existing output"
    expect_status 2 "$bin" validate bad.toml "$src/scenarios/baseline.toml"
    grep -q "baseline.toml: ok" out.txt || fail "validate stopped at the first bad file"
    # An integer no real number holds exactly (2^53 + 1): exit 2 at its place, not "bad optional
    # access" (exit 1), from a file and from --set.
    sed 's/^gdp = "large"/gdp = 9007199254740993/' bad.toml > huge.toml
    expect_status 2 "$bin" run huge.toml -o keep.h5
    grep -q "huge.toml:5:7: error: key 'actors.AA.gdp': expected a number > 0, got the integer 9007199254740993" err.txt \
      || { cat err.txt >&2; fail "an inexact integer was not refused at its place"; }
    expect_status 2 "$bin" validate "$src/scenarios/baseline.toml" --set time.years=9007199254740993
    grep -q "time.years" err.txt || { cat err.txt >&2; fail "an inexact --set integer was not refused"; }
    # An unknown model: validate refuses it as run does, at the place it is named.
    { cat "$src/scenarios/baseline.toml"; printf '\n[model]\nname = "nonesuch"\n'; } > model.toml
    line=$(grep -n '^name = "nonesuch"' model.toml | cut -d: -f1)
    for command in validate run; do
      expect_status 2 "$bin" $command model.toml
      grep -q "model.toml:$line:8: error: key 'model.name': unknown model 'nonesuch'" err.txt \
        || { cat err.txt >&2; fail "$command did not refuse an unknown model at its place"; }
    done
    expect_status 2 "$bin" run no-such-file.toml
    grep -q "no-such-file.toml" err.txt || fail "missing file not named"
    expect_status 2 "$bin" run "$src/scenarios/baseline.toml" --steps 1000000000
    grep -qi "steps" err.txt || fail "absurd size not explained"
    expect_status 2 "$bin" run "$src/scenarios/baseline.toml" --seed -1
    grep -q -- "--seed takes a whole number" err.txt || fail "a negative seed was not refused"
    # A key given twice (a later --set hid an earlier one's bad value); run's own options are
    # overrides too, and their errors name them as typed, not as "--set time.steps=5".
    expect_status 2 "$bin" run "$src/scenarios/baseline.toml" --set time.years=abc --set time.years=3 -o twice.h5
    grep -q -- "--set time.years=3: error: key 'time.years': sets what --set time.years=abc set already" err.txt \
      || { cat err.txt >&2; fail "a key --set twice was not refused"; }
    expect_status 2 "$bin" run "$src/scenarios/baseline.toml" --set time.steps=-1 --steps 5 -o twice.h5
    grep -q -- "^--steps 5: error: key 'time.steps': sets what --set time.steps=-1 set already" err.txt \
      || { cat err.txt >&2; fail "--steps after --set time.steps was not refused as typed"; }
    expect_status 2 "$bin" run "$src/scenarios/sanctions.toml" --steps 1 -o twice.h5
    grep -q -- "(its length is set at --steps 1)" err.txt || { cat err.txt >&2; fail "--steps not named as typed"; }
    [ ! -e twice.h5 ] || fail "a refused run wrote its file"
    expect_status 2 "$bin" inspect bad.toml
    grep -q "bad.toml" err.txt || fail "inspect of a non-result file does not name it"
    # Whole-number options (counts, indices, threads) refuse a sign or a fraction, not wrap "-1"
    # around to 2^32 - 1 or 2^64 - 1 (exit 2, naming the option), whatever the command; the
    # message gives the option's own least (a count from 1 said "from 0", then "at least 1").
    for option in "0 run -j" "0 run --from-sweep x.h5 --run" "0 sweep x.toml -j" \
        "0 calibrate x.toml -j" "1 calibrate x.toml --recover" "0 check x.toml -j" \
        "1 compare a.h5 b.h5 --top" "0 inspect x.h5 --top" "1 explain x.h5 --top" \
        "10 analyze x.h5 --resamples" "0 discover x.h5 --depth" "1 report x.h5 --max-data-mib"; do
      least=${option%% *}
      option=${option#* }
      values="-1 2.5 +3"
      [ "$least" -gt 0 ] && values="$values $((least - 1))"
      for value in $values; do
        expect_status 2 "$bin" $option $value
        grep -q "('$value') for option '--.*' is invalid: expected a whole number from $least to" err.txt \
          || { cat err.txt >&2; fail "$option $value was not refused as a whole number from $least"; }
      done
    done
    # An argument by position too many is named ("too many positional options" named none),
    # past options and their values; with -o said where an output goes.
    for args in "export:x.h5 --csv OUT.csv:OUT.csv:1" "compare:a.h5 b.h5 c.h5:c.h5:2" \
        "run:-j 2 a.toml --seed 3 b.toml:b.toml:1" "inspect:-- a.h5 -b.h5:-b.h5:1"; do
      IFS=: read -r command rest extra most <<< "$args"
      expect_status 2 "$bin" $command $rest
      grep -q "unexpected argument '$extra': the command takes $most argument" err.txt \
        || { cat err.txt >&2; fail "$command $rest: the extra argument was not named"; }
    done
    grep -q "(an output is named with -o FILE)" <("$bin" export x.h5 --csv OUT.csv 2>&1) \
      || fail "export's extra argument does not point to -o"
    # ... and its own most: -j's 1024 threads and --depth's 12 levels, not 2^32 - 1 or 2^64 - 1
    # (the range told for -1 must hold for 5000 too).
    for option in "1024 run -j" "1024 sweep x.toml -j" "1024 calibrate x.toml -j" \
        "1024 check x.toml -j" "12 discover x.h5 --depth"; do
      most=${option%% *}
      option=${option#* }
      for value in -1 $((most + 1)) 5000; do
        expect_status 2 "$bin" $option $value
        grep -q "('$value') for option '--.*' is invalid: expected a whole number from 0 to $most\$" err.txt \
          || { cat err.txt >&2; fail "$option $value was not told the range 0 to $most"; }
      done
    done
    # The internal names of arguments by position are no options (run --scenario X was taken),
    # and an option is named whole (--out was taken for --output; "--s" listed the hidden names).
    for option in "run --scenario $src/scenarios/baseline.toml" "inspect --file x.h5" \
        "compare --files a.h5" "run --out x.h5" "sweep --sweep x.toml"; do
      expect_status 2 "$bin" $option
      grep -q "unrecognised option '$(echo "$option" | cut -d' ' -f2)'" err.txt \
        || { cat err.txt >&2; fail "'$option' was taken"; }
    done
    expect_status 2 "$bin" run --s 1
    grep -q "unrecognised option '--s'" err.txt || { cat err.txt >&2; fail "--s was guessed"; }
    # An empty path names the argument it was given for (it said "interdep: : open: ...").
    expect_status 2 "$bin" inspect ""
    grep -q "^interdep: an empty path was given for the file argument: it names no file" err.txt \
      || { cat err.txt >&2; fail "an empty path did not name its argument"; }
    expect_status 2 "$bin" run --from-sweep "" --run 0
    grep -q -- '^interdep: --from-sweep "" names no file' err.txt || { cat err.txt >&2; fail "--from-sweep \"\" not named"; }
    expect_status 2 "$bin" --version extra
    grep -q "takes nothing after it (got 'extra')" err.txt || { cat err.txt >&2; fail "--version took an argument"; }
    for label in "" "   "; do
      expect_status 2 "$bin" run "$src/scenarios/baseline.toml" --steps 2 --label "$label" -o blank.h5
      grep -q -- "--label \"$label\" is blank" err.txt || { cat err.txt >&2; fail "a blank --label was taken"; }
    done
    [ ! -e blank.h5 ] || fail "a run with a blank label wrote its file"
    # An empty path where a command reads a file: bad input for every command (export once
    # took the error for one about its own output: exit 1).
    for command in "run" "validate" "inspect" "report" "sweep" "calibrate" "check" "lab" \
        "export --csv" "analyze --output x" "run --run 0 --from-sweep" \
        "explain --pair PAK:RUS"; do
      expect_status 2 "$bin" $command ""
    done
    # ... and where an option names a file it reads (report once took --baseline "" for no
    # baseline: a script's empty variable made a report without the comparison it asked for).
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" --steps 2 -o e.h5 -q
    for option in "report e.h5 -o e.html --baseline" "score e.h5 --observed" "compare e.h5"; do
      expect_status 2 "$bin" $option ""
    done
    [ ! -e e.html ] || fail "report --baseline \"\" wrote a page"
    rm -f e.h5
    [[ "$(ls -A)" != *tmp* ]] || fail "temporary files left behind"
    ;;
  observations)
    # [[observations]]: validate resolves them, run records /observed and prints observed against
    # simulated, inspect prints them again; a bad quantity is refused at its line, before any file.
    { echo "base = \"$src/scenarios/baseline.toml\""; trade_observation 2026 700; } > obs.toml
    expect_status 0 "$bin" validate obs.toml
    grep -q "1 observed series" out.txt || fail "validate did not count the observed series"
    expect_status 0 "$bin" run obs.toml -o obs.h5
    grep -q "Observed against simulated" out.txt || fail "run printed no observations"
    grep -q "2026 (2026-01..2026-12, 12 states)  observed       700" out.txt || { cat out.txt >&2; fail "the figure is not printed"; }
    grep -q "trade\[PAK,RUS\], both directions, mean of its states within each year" out.txt \
      || fail "the series' heading does not say what a year's figure is"
    expect_status 0 "$bin" inspect obs.h5
    grep -q "2026 (2026-01..2026-12, 12 states)  observed       700" out.txt || fail "inspect printed no observations"
    # With one step a year, a year's figure is its one state, and says so (RK4 and a lower
    # reciprocity: an Euler step of a year would overshoot the baseline's relaxation, and RK4's
    # would diverge in the RUS-PAK pair's faster mode, 2.9 a year, which the loader refuses).
    expect_status 0 "$bin" run obs.toml -o yearly.h5 --set time.steps_per_year=1 \
      --set 'model.decide.integrator="rk4"' --set model.decide.reciprocity=0.1

    grep -q "2026 (2026-01, 1 state)  observed       700" out.txt || { cat out.txt >&2; fail "a year of one state was not said"; }
    expect_status 0 $py -c "
import h5py
g = h5py.File('obs.h5')['observed']
assert g['quantity'][0] == b'trade[PAK,RUS]' and g['observed'][0] == 700 and g['states'][0] == 12, dict(g)
"
    sed 's/trade\[PAK,RUS\]/trade[PAK,RUZ]/' obs.toml > bad.toml
    line=$(grep -n '^quantity' bad.toml | cut -d: -f1)
    for command in validate "run -o bad.h5"; do
      expect_status 2 "$bin" $command bad.toml
      grep -q "bad.toml:$line:12: error: key 'observations.0.quantity': unknown coordinate 'RUZ'" err.txt \
        || { cat err.txt >&2; fail "$command did not refuse an unknown coordinate at its place"; }
    done
    [ ! -e bad.h5 ] || fail "a refused run left a file"
    ;;
  calibrate)
    # interdep calibrate: fits PAK's growth to figures of its GDP, writes the fitted scenario and
    # the tables, resumes after an interruption, and refuses a bad file with its line.
    pak_gdp_scenario "$src" 3 > scenario.toml
    pak_growth_calibration pak-growth scenario.toml 2 30 > calib.toml
    expect_status 0 "$bin" validate calib.toml
    grep -q "calib.toml: ok (calibration pak-growth: 1 parameter, 2 replicates per candidate" out.txt || fail "validate did not read a calibration file"
    expect_status 0 "$bin" calibrate calib.toml -o fit -j 2
    grep -q "evaluation 1 (restart 1 of 1)" err.txt || fail "no progress lines"
    ! grep -q "changes no fitted figure" err.txt || fail "a parameter the figures see was named as unseen"
    for f in fit.toml fit-trace.csv fit-fit.csv fit-parameters.csv; do [ -s "$f" ] || fail "no $f"; done
    [ ! -e fit.journal ] || fail "the journal was left after a finished calibration"
    grep -q "^actors.PAK.gdp_growth = " fit.toml || fail "the fitted scenario does not set the key"
    # The trace numbers evaluations from 1 as the progress lines do; the summary splits them into
    # the optimiser's and the slices' (max_evaluations limits the first alone).
    [ "$(sed -n 2p fit-trace.csv | cut -d, -f1-3)" = "1,restart,1" ] || fail "the trace does not number from 1"
    optimised=$(grep -c '^[0-9]*,restart,' fit-trace.csv); sliced=$(grep -c '^[0-9]*,slice,' fit-trace.csv)
    grep -q "^Calibration pak-growth: [a-z_]*, $((optimised + sliced)) evaluations (the optimiser $optimised, the uncertainty slices $sliced), best loss" out.txt \
      || { cat out.txt >&2; fail "the summary does not split the evaluations"; }
    # Its own description, not the base's.
    grep -q '^description = "scenario.toml with actors.PAK.gdp_growth fitted by interdep calibrate calib.toml (pak-growth)' fit.toml \
      || { cat fit.toml >&2; fail "the fitted scenario has no description of its own"; }
    expect_status 0 "$bin" validate fit.toml
    expect_status 0 "$bin" run fit.toml -o fitted.h5 -q
    # A parameter the scenario does not use as set (pce_exponent under the SCO's consensus rule):
    # the loss is the same at both its bounds, and the warning says its value is arbitrary;
    # Pakistan's growth, which the figures pin down, is not named.
    { pak_growth_calibration unseen scenario.toml 1 30
      printf '[parameters."institutions.SCO.pce_exponent"]\ndistribution = "uniform"\nmin = 0.5\nmax = 3\n'; } > unseen.toml
    expect_status 0 "$bin" calibrate unseen.toml -o unseen-fit -j 2 -q
    grep -q "^calibrate: warning: institutions.SCO.pce_exponent changes no fitted figure" err.txt \
      || { cat err.txt >&2; fail "a parameter no figure responds to was not named"; }
    ! grep -q "gdp_growth changes no" err.txt || { cat err.txt >&2; fail "PAK's growth was named as unseen"; }
    # A parameter whose loss at each bound stays within 1 of the best but is not the best (hunt
    # AO: in one process every such parameter was named, the bounds' losses being read from
    # what only an MPI exchange fills): a two-actor world whose trade the elasticity moves.
    cat > two.toml <<'TOML'
name = "two"
seed = 5
[time]
start = 2025-07-15
years = 3
steps_per_year = 4
[domains.trade_d]
trade = 1.0
[actors.AA]
interests = { trade_d = 1.0 }
gdp = 100
total_trade = 40
[actors.BB]
interests = { trade_d = 1.0 }
gdp = 200
total_trade = 60
[relations.AA]
BB = { trade_d = 0.3 }
[relations.BB]
AA = { trade_d = -0.2 }
[trade.AA]
BB = 5
[trade.BB]
AA = 3
[[observations]]
quantity = "trade[AA,BB]"
period = "year"
year_start_month = 7
unit = "US$ bn/yr"
source = "test figures (approx.)"
dates = [2027, 2028]
values = [5.5, 6]
uncertainty = 0.5
TOML
    cat > weak.toml <<'TOML'
name = "weak"
scenario = "two.toml"
seed = 3
replicates = 1
[parameters."model.flows.trade_cost_elasticity"]
distribution = "uniform"
min = 1.0
max = 8.0
[fit]
quantities = ["trade[AA,BB]"]
loss = "squared_log_error"
[optimizer]
algorithm = "bobyqa"
max_evaluations = 15
tolerance = 1e-3
restarts = 1
TOML
    expect_status 0 "$bin" calibrate weak.toml -o weak-fit -j 1 -q
    grep -q "^[0-9]*,slice,0,1," weak-fit-trace.csv || fail "the slice did not reach the lower bound"
    ! grep -q "changes no fitted figure" err.txt || { cat err.txt >&2; fail "a parameter that moves the loss was named as unseen"; }
    # A scenario whose file name holds a quote and a backslash: the fitted scenario still reads.
    cp scenario.toml 'odd"na\me.toml'
    pak_growth_calibration odd 'odd\"na\\me.toml' 1 3 > odd.toml  # as TOML escapes it
    expect_status 0 "$bin" calibrate odd.toml -o odd-fit -q
    expect_status 0 "$bin" validate odd-fit.toml
    # -o named as the fitted scenario is read (it wrote odd2.toml.toml and odd2.toml-trace.csv).
    expect_status 0 "$bin" calibrate odd.toml -o odd2.toml -q
    for f in odd2.toml odd2-trace.csv odd2-fit.csv odd2-parameters.csv; do [ -s "$f" ] || fail "-o odd2.toml wrote no $f"; done
    [ ! -e odd2.toml.toml ] || fail "-o odd2.toml wrote odd2.toml.toml"
    # Quarterly figures: each named as a table names it; one is fitted only when its whole quarter
    # lies before [fit] until (2025Q4 ends at 2026.0; 2026Q1 ends after 2026.125).
    { pak_gdp_scenario "$src" 2 | sed '/^\[\[observations\]\]/,$d'
      printf '[[observations]]\nquantity = "gdp[PAK]"\nperiod = "quarter"\nunit = "US$ bn"\n'
      printf 'source = "a test"\ndates = ["2025Q4", "2026Q1"]\nvalues = [380, 385]\nuncertainty = 4\n'
    } > quarters.toml
    { pak_growth_calibration quarters quarters.toml 1 3; printf '[fit]\nuntil = 2026.125\n'; } > quarters-calib.toml
    expect_status 0 "$bin" calibrate quarters-calib.toml -o quarters-fit -q
    grep -q "^  \* gdp\[PAK\] 2025Q4  observed 380 " out.txt && grep -q "^    gdp\[PAK\] 2026Q1  observed 385 " out.txt \
      || { cat out.txt >&2; fail "a quarter's figure is not named as one, or fitted past until"; }
    # -o is a prefix of file names: a folder is refused before any work, nothing written in it.
    mkdir fits
    for prefix in fits/ fits . ""/; do
      expect_status 2 "$bin" calibrate calib.toml -o "$prefix" -q
      grep -q "names a folder; -o takes the beginning of the output files' names" err.txt \
        || { cat err.txt >&2; fail "calibrate -o $prefix: a folder was not refused"; }
    done
    [ -z "$(ls -A fits)" ] || fail "calibrate -o fits/ wrote into the folder"
    # A journal left by an interrupted calibration: refused without --resume, used with it.
    "$bin" calibrate calib.toml -o again -q & pid=$!
    sleep 0.05; kill -INT $pid 2>/dev/null || true; wait $pid || true
    if [ -e again.journal ]; then
      expect_status 2 "$bin" calibrate calib.toml -o again -q
      grep -q -- "--resume" err.txt || fail "an interrupted calibration's journal was not named"
      expect_status 0 "$bin" calibrate calib.toml -o again -q --resume
    else
      expect_status 0 "$bin" calibrate calib.toml -o again -q
    fi
    cmp <(cut -d, -f1-5 fit-trace.csv) <(cut -d, -f1-5 again-trace.csv) \
      || fail "a resumed or repeated calibration gave other evaluations"
    expect_status 0 "$bin" calibrate calib.toml -o study --recover 2 -q
    grep -q "actors.PAK.gdp_growth: recovered within 5 % of its range in 2 of 2 draws" out.txt \
      || { cat out.txt >&2; fail "the recovery study did not recover an identified parameter"; }
    [ "$(wc -l < study-recovery.csv)" -eq 3 ] || fail "study-recovery.csv does not hold two draws"
    # A calibration's journal left into the prefix is not the study's (it keeps none); --resume
    # has nothing to continue (it was refused with advice to use it, then ran from scratch).
    echo "an interrupted calibration's journal" > study.journal
    expect_status 0 "$bin" calibrate calib.toml -o study --recover 2 -q
    [ "$(cat study.journal)" = "an interrupted calibration's journal" ] || fail "the study touched a calibration's journal"
    expect_status 2 "$bin" calibrate calib.toml -o study --recover 2 --resume -q
    grep -q "a recovery study keeps no journal and cannot be resumed" err.txt || { cat err.txt >&2; fail "--resume with --recover was not refused"; }
    rm study.journal
    # An interrupted study says how far it got and that nothing was kept (it said "interrupted").
    env --default-signal=TERM "$bin" calibrate calib.toml -o cut-study --recover 1000 2>cut-err.txt & pid=$!
    sleep 1; kill -TERM $pid 2>/dev/null || true
    set +e; wait $pid; got=$?; set -e
    if [ "$got" != 0 ]; then
      [ "$got" = 130 ] || { cat cut-err.txt >&2; fail "an interrupted recovery study exited $got"; }
      grep -q "^calibrate: recovery study interrupted after [0-9]* of 1000 draws; nothing was written" cut-err.txt \
        || { cat cut-err.txt >&2; fail "an interrupted recovery study did not say how far it got"; }
      [ ! -e cut-study-recovery.csv ] || fail "an interrupted recovery study wrote its table"
    fi
    # A parameter the figures hardly depend on (Pakistan's noise, for trade figures) comes back
    # exactly from figures without observation error, but its slice spans its range: not
    # identified; the trade-cost parameter beside it is.
    printf 'name = "noise"\nscenario = "%s"\nreplicates = 1\n[parameters."model.flows.relation_cost"]\nmin = 0.4\nmax = 0.6\n[parameters."actors.PAK.noise"]\nmin = 0.0\nmax = 0.1\n' \
      "$src/scenarios/history/2014-2024.toml" > noise.toml
    expect_status 0 "$bin" calibrate noise.toml -o noise-study --recover 2 -q
    grep -q "actors.PAK.noise: recovered within 5 % of its range in 2 of 2 draws (.*widest slice 100 % of the range): NOT identified by these figures: in 2 of 2 draws the loss stays within 1 of the best over its whole range" out.txt \
      || { cat out.txt >&2; fail "a parameter whose slice spans its range was called identified"; }
    grep -q "model.flows.relation_cost: .*: identified by these figures" out.txt \
      || { cat out.txt >&2; fail "the trade-cost parameter was not identified"; }
    grep -q "^0,actors.PAK.noise,.*,1,1$" noise-study-recovery.csv || fail "the recovery table does not say the slice spans the range"
    expect_status 2 "$bin" calibrate calib.toml -o no-such-folder/fit
    grep -q "no-such-folder does not exist" err.txt || fail "a missing output folder was not refused"
    # Every output is checked before any work, the last one written too.
    mkdir blocked-parameters.csv
    expect_status 2 "$bin" calibrate calib.toml -o blocked
    grep -q "its output blocked-parameters.csv is a directory" err.txt || { cat err.txt >&2; fail "a folder in the way of the last output was not refused first"; }
    [ ! -e blocked.journal ] && [ ! -e blocked-trace.csv ] || fail "a calibration refused for its outputs started"
    mkfifo piped  # a FIFO or a device at the prefix (-o /dev/null) made files beside it
    expect_status 2 "$bin" calibrate calib.toml -o piped
    grep -q -- "-o piped is not a regular file; -o takes the beginning" err.txt || { cat err.txt >&2; fail "a FIFO prefix was taken"; }
    ! ls piped?* >/dev/null 2>&1 || fail "a refused prefix left $(ls piped?*)"
    mkdir locked.lock  # its lock file's place: "open locked.lock: Is a directory", exit 1
    expect_status 2 "$bin" calibrate calib.toml -o locked
    grep -q "its lock file locked.lock is a directory" err.txt || { cat err.txt >&2; fail "a folder in the lock's place was not refused"; }
    sed 's/max = 0.15/max = -0.06/' calib.toml > bad.toml
    line=$(grep -n '^max = -0.06' bad.toml | cut -d: -f1)
    expect_status 2 "$bin" calibrate bad.toml -o bad
    grep -q "bad.toml:$line:7: error: key 'parameters.\"actors.PAK.gdp_growth\".max'" err.txt \
      || { cat err.txt >&2; fail "a bad calibration file was not refused at its line"; }
    [ ! -e bad.toml.journal ] && [ ! -e bad-trace.csv ] || fail "a refused calibration left files"
    # What every candidate shares cannot be fitted, an empty list of quantities fits nothing and a
    # series named twice is one too many: each refused at its line in the calibration file.
    sed 's/actors.PAK.gdp_growth/time.years/' calib.toml > shared.toml
    expect_status 2 "$bin" calibrate shared.toml -o shared
    grep -q "shared.toml:4:13: error: key 'parameters.\"time.years\"': 'time.years' cannot be fitted" err.txt \
      || { cat err.txt >&2; fail "a calibrated time.years was not refused at its line"; }
    { cat calib.toml; printf '[fit]\nquantities = []\n'; } > empty.toml
    expect_status 2 "$bin" calibrate empty.toml -o empty
    grep -q "empty.toml:11:14: error: key 'fit.quantities': an empty list fits nothing: .*omit the key" err.txt \
      || { cat err.txt >&2; fail "quantities = [] was not refused"; }
    { cat calib.toml; printf '[fit]\nquantities = ["gdp[PAK]", "gdp[PAK]"]\n'; } > twice.toml
    expect_status 2 "$bin" calibrate twice.toml -o twice
    grep -q "twice.toml:11:27: error: key 'fit.quantities': 'gdp\[PAK\]' is given twice (first at twice.toml:11)" err.txt \
      || { cat err.txt >&2; fail "a series named twice was not refused"; }
    # A range whose values the scenario refuses (a GDP growing 49 %/yr for 2,000 years would
    # pass what the model's arithmetic holds) is refused at the parameter, before any run.
    pak_gdp_scenario "$src" 2000 | sed 's/^years = 2000$/years = 2000\nsteps_per_year = 4/' > long.toml
    printf 'name = "extreme"\nscenario = "long.toml"\nreplicates = 1\n[parameters."actors.PAK.gdp_growth"]\ndistribution = "uniform"\nmin = 0\nmax = 0.49\n[optimizer]\nmax_evaluations = 5\n' > extreme.toml
    expect_status 2 "$bin" calibrate extreme.toml -o ex
    grep -q "extreme.toml:4:13: error: key 'parameters.\"actors.PAK.gdp_growth\"': the scenario rejects this parameter at 0.49: .*would pass 1e100 US\\$ bn by " err.txt \
      || { cat err.txt >&2; fail "a range the scenario refuses was not refused at its parameter"; }
    # Candidates that cannot be scored (Pakistan's gas need met in full: a shortfall of 0, which
    # squared_log_error cannot score) count as the worst and the fit goes on, each named with
    # its value and the cause; when none can be scored, exit 2 at the parameter's line naming
    # the first, and nothing written.
    cat > gas.toml <<TOML
base = "$src/scenarios/baseline.toml"
[time]
years = 3
[actors.PAK]
energy_demand_growth = 0.0
[[observations]]
quantity = "energy_shortfall[PAK]"
unit = "bcm/yr"
source = "a test"
dates = [2027.5]
values = [1.0]
uncertainty = 0.2
TOML
    printf 'name = "unscorable"\nscenario = "gas.toml"\nreplicates = 1\n[parameters."actors.PAK.energy_imports"]\ndistribution = "uniform"\nmin = 7.5\nmax = 12\n[optimizer]\nmax_evaluations = 5\n' > unscorable.toml
    expect_status 0 "$bin" calibrate unscorable.toml -o ex
    grep -q "the candidate actors.PAK.energy_imports = 9.75 could not be scored, and counts as the worst (loss 1e+12): the replicates' mean of energy_shortfall\[PAK\] at 2027.5 is 0, which squared_log_error cannot score" err.txt \
      || { cat err.txt >&2; fail "a candidate that cannot be scored was not named with its value and cause"; }
    grep -q "calibrate: warning: [1-9][0-9]* of [0-9]* candidates could not be scored" err.txt \
      || { cat err.txt >&2; fail "the failed candidates were not counted"; }
    grep -q ",1e+12,0$" ex-trace.csv || fail "a failed candidate's loss is not the worst in the trace"
    sed 's/max = 12$/max = 8/' unscorable.toml > hopeless.toml
    expect_status 2 "$bin" calibrate hopeless.toml -o hl -q
    grep -q "hopeless.toml:4:13: error: key 'parameters': no candidate could be scored: all 5 evaluated failed, so there is no fit; the first, actors.PAK.energy_imports = 7.75, because the replicates' mean of energy_shortfall" err.txt \
      || { cat err.txt >&2; fail "a calibration without one scored candidate did not say so"; }
    [ -z "$(ls hl* 2>/dev/null)" ] || fail "a calibration without a fit left $(ls hl*)"
    # One calibration into a prefix at a time: while another holds its lock, a second (resumed
    # or not) is refused before it reads or writes the journal.
    flock held.lock sleep 5 &
    holder=$!
    for _ in $(seq 50); do [ -e held.lock ] && break; sleep 0.1; done
    sleep 0.2
    for resume in "" --resume; do
      expect_status 2 "$bin" calibrate calib.toml -o held -q $resume
      grep -q "a calibration into held is running (process unknown): wait for it to end" err.txt \
        || { cat err.txt >&2; fail "a second calibration into held was not refused ($resume)"; }
    done
    kill "$holder" 2>/dev/null || true
    wait "$holder" 2>/dev/null || true
    [ ! -e held.journal ] || fail "a refused calibration wrote a journal"
    rm -f held.lock
    expect_status 0 "$bin" calibrate calib.toml -o held -q
    [ ! -e held.lock ] || fail "a calibration left its lock file"
    ;;
  shipped_fit)
    # The fitted replay (scenarios/history/2014-2024-fitted*) is what the command that
    # docs/validation.md gives for it writes now: a change of the model's arithmetic that moves
    # the fit must ship the refitted files with it.
    cp -r "$src/scenarios" .
    expect_status 0 "$bin" calibrate scenarios/calibrations/replay-trade.toml \
      -o scenarios/history/2014-2024-fitted -q
    for f in 2014-2024-fitted.toml 2014-2024-fitted-trace.csv 2014-2024-fitted-fit.csv \
      2014-2024-fitted-parameters.csv; do
      cmp "scenarios/history/$f" "$src/scenarios/history/$f" \
        || fail "scenarios/history/$f differs from what its documented calibration writes now"
    done
    ;;
  score)
    # interdep score: two seeds of a run and a sweep's runs held against the scenario's own figures
    # and against a CSV brought later (with a prediction row); bad inputs refused with exit 2 at
    # the CSV's line and column, before anything is written.
    { printf 'base = "%s"\n[time]\nyears = 3\n' "$src/scenarios/baseline.toml"
      trade_observation 2026 700; } > obs.toml
    expect_status 0 "$bin" run obs.toml -o a.h5 -q --seed 1
    expect_status 0 "$bin" run obs.toml -o b.h5 -q --seed 2
    expect_status 0 "$bin" score a.h5 b.h5
    grep -q "Scored 2 runs against 1 figure of the scenario's \[\[observations\]\]" out.txt \
      || { cat out.txt >&2; fail "score did not use the scenario's figures"; }
    grep -q "mean of the recorded states within each year (12 states a year)" out.txt \
      || { cat out.txt >&2; fail "score did not say how many states a year's figure averages"; }
    expect_status 0 "$bin" run obs.toml -o yearly.h5 -q --set output.every=12
    expect_status 0 "$bin" score yearly.h5
    grep -q "mean of the recorded states within each year (1 state a year)" out.txt \
      || { cat out.txt >&2; fail "a yearly-recorded run's figures were said to average more states"; }
    expect_status 2 "$bin" score a.h5 ./a.h5
    grep -q "a.h5: given twice (also as a.h5); each run counts once" err.txt || { cat err.txt >&2; fail "one run given twice was counted twice"; }
    cat > later.csv <<'CSV'
# figures brought after the run
quantity,period,aggregate,unit,date,value,uncertainty,source
trade[PAK,RUS],year,pair_total,US$ million/yr,2026,710,50,customs
"trade[PAK,RUS]",year,pair_total,US$ million/yr,2027,,,customs
relations[PAK,USA,economy],point,value,1,2026-06-01,0.3,0.1,coded
CSV
    # An option that describes a column the file has was ignored without a word (the column won
    # row by row); an option's bad or empty value was blamed on the file's first row.
    expect_status 2 "$bin" score a.h5 --observed later.csv --quantity "trade[RUS,USA]"
    grep -q "later.csv:2:1: error: the file has a 'quantity' column and --quantity gives one too" err.txt \
      || { cat err.txt >&2; fail "--quantity beside a quantity column was not refused"; }
    printf 'date,value\n2026,700\n' > bare.csv
    expect_status 2 "$bin" score a.h5 --observed bare.csv --quantity "trade[PAK,RUS]" --unit x --period decade
    grep -q "^interdep: --period decade: expected one of point, year, quarter or month" err.txt \
      || { cat err.txt >&2; fail "--period decade was not refused naming it"; }
    expect_status 2 "$bin" score a.h5 --observed bare.csv --quantity "trade[PAK,RUS]" --unit x --aggregate sum
    grep -q "^interdep: --aggregate sum: expected one of" err.txt || { cat err.txt >&2; fail "--aggregate sum was not refused"; }
    expect_status 2 "$bin" score a.h5 --observed bare.csv --quantity "" --unit x
    grep -q '^interdep: --quantity "" is empty' err.txt || { cat err.txt >&2; fail "--quantity \"\" was taken for no option"; }
    expect_status 2 "$bin" score a.h5 --observed bare.csv --quantity "trade[PAK,RUS]" --unit " "
    grep -q '^interdep: --unit " " is empty' err.txt || { cat err.txt >&2; fail "--unit \" \" was taken for no option"; }
    cat > sweep.toml <<'TOML'
name = "score-test"
scenario = "obs.toml"
replicates = 3
[design]
kind = "lhs"
samples = 2
[parameters."model.flows.relation_cost"]
min = 0.1
max = 0.3
[record]
mode = "full"
outputs = ["trade[PAK,RUS]", "trade[RUS,PAK]", "relations[PAK,USA,economy]"]
TOML
    expect_status 0 "$bin" sweep sweep.toml -o ens.h5 -q
    expect_status 0 "$bin" score ens.h5 a.h5 --observed later.csv --level 0.8 -o scores.csv
    grep -q "Scored 7 runs against 3 figures of later.csv" out.txt || { cat out.txt >&2; fail "the sweep's runs are not members"; }
    grep -q "1 without an observed value: predictions only" out.txt || fail "the prediction row is not said"
    # Every row's columns end where their headings end (characters: "± u" is three).
    $py -c "
lines = open('out.txt', encoding='utf-8').read().split('\n')
rows = 0
for k, head in enumerate(lines):
    if not head.startswith('  date'): continue
    ends = [head.index(w) + len(w) for w in ('observed', '± u', 'median', 'interval', 'log error', 'CRPS')]
    ends.append(len(head))
    for row in lines[k + 1:]:
        if not row.startswith('  2'): break
        for e in ends:
            assert row[e - 1] != ' ' and (e == len(row) or row[e] == ' '), (head, row, e)
        rows += 1
assert rows == 3, rows
" || { cat out.txt >&2; fail "the score table's rows are not aligned under its headings"; }
    # A figure without a unit (relations, "1") prints no stray " 1" after its CRPS.
    grep -A 3 "relations\[PAK,USA,economy\]" out.txt | grep -Eq "mean CRPS [0-9.e+-]+$" \
      || { cat out.txt >&2; fail "a unitless figure's CRPS carries a unit"; }
    expect_status 0 "$bin" inspect ens.h5
    grep -qx "Sweep: score-test" out.txt || { cat out.txt >&2; fail "a sweep without a description is not named plainly"; }
    [ "$(wc -l < scores.csv)" -eq 4 ] || fail "scores.csv does not hold three figures"
    [[ "$(head -n 1 scores.csv)" == "quantity,period,aggregate,unit,source,date,observed"* ]] || fail "scores.csv has no header"
    expect_status 0 $py -c "
import csv
rows = list(csv.DictReader(open('scores.csv')))
assert rows[0]['quantity'] == 'trade[PAK,RUS]' and rows[0]['members'] == '7', rows[0]
assert float(rows[0]['lower']) <= float(rows[0]['median']) <= float(rows[0]['upper']), rows[0]
assert rows[1]['inside'] == '' and rows[1]['observed'] == 'nan', rows[1]
"
    # Quarters and months as statistical offices date them (the IMF's 2026Q1 and 2026M03).
    printf 'quantity,period,aggregate,unit,date,value,uncertainty\ntrade[PAK,RUS],quarter,pair_total,US$ million/quarter,2026Q1,190,20\ntrade[PAK,RUS],month,value,US$ million/month,2026M03,14,2\n' > periods.csv
    expect_status 0 "$bin" score a.h5 --observed periods.csv
    grep -q "both directions, mean of the recorded states within each quarter (3 states a quarter)" out.txt \
      || { cat out.txt >&2; fail "a quarter's figure is not the mean of its three states"; }
    grep -q "^  2026Q1 " out.txt && grep -q "^  2026-03 " out.txt \
      || { cat out.txt >&2; fail "a quarter or a month is not named as tables name it"; }
    printf 'quantity,period,unit,date,value\ntrade[PAK,RUS],quarter,US$ bn/quarter,2026-06,1\n' > month.csv
    expect_status 2 "$bin" score a.h5 --observed month.csv
    grep -q "month.csv:2:.*expected a quarter such as 2027Q2 .*, got '2026-06' (2026-06 is a month: the period month (a period column, or --period month) takes the mean over it)" err.txt \
      || { cat err.txt >&2; fail "a month given for a quarter was not named"; }
    # Bad input: exit 2, the CSV's line and column, and no table written.
    printf 'quantity,unit,date,value\ntrade[PAK,RUS],US$ bn/yr,2031,1\n' > late.csv
    expect_status 2 "$bin" score a.h5 --observed late.csv -o late-scores.csv
    grep -q "late.csv:2:.*outside the run period" err.txt || { cat err.txt >&2; fail "a date after the run was not refused at its row"; }
    printf 'quantity,unit,date,value\ntrade[PAK,RUZ],US$ bn/yr,2026,1\n' > coded.csv
    expect_status 2 "$bin" score a.h5 --observed coded.csv
    grep -q "coded.csv:2:1: error: key 'quantity': unknown coordinate 'RUZ'" err.txt || { cat err.txt >&2; fail "an unknown coordinate was not refused at its cell"; }
    printf 'quantity,unit,date,value\ntrade[PAK,RUS],US$ bn/yr,2026,x\n' > value.csv
    expect_status 2 "$bin" score a.h5 --observed value.csv
    grep -q "value.csv:2:31: error: expected a finite number" err.txt || { cat err.txt >&2; fail "a bad value was not refused at its cell"; }
    expect_status 2 "$bin" score a.h5 --observed later.csv -o no-such-folder/s.csv
    grep -q "no-such-folder does not exist" err.txt || fail "a missing output folder was not refused"
    expect_status 2 "$bin" score a.h5 --level 1
    expect_status 2 "$bin" score later.csv
    sed -e 's/^name = "score-test"/name = "summary-only"/' -e '/^mode = "full"/d' sweep.toml > summary.toml
    expect_status 0 "$bin" sweep summary.toml -o summary.h5 -q
    expect_status 2 "$bin" score summary.h5
    grep -q "recorded no series" err.txt || { cat err.txt >&2; fail "a summary-only sweep was not refused"; }
    [ ! -e late-scores.csv ] || fail "a refused score wrote a table"
    ;;
  check)
    # Threads the system refuses part way (a tight `ulimit -v`: a thread's stack is not mapped)
    # end the command with exit 1, whichever thread it is: the ones started were destroyed
    # joinable and the process aborted (exit 134). The limits where it happens depend on the
    # machine: each of these is done or refused, none aborts. (AddressSanitizer reserves
    # terabytes: no `ulimit -v` holds it.)
    if ! under_asan "$bin"; then
      for kib in 48000 52000 56000 60000 64000 68000 72000; do
        status=0
        (ulimit -v $kib; "$bin" check "$src/scenarios/history/2014-2024-checks.toml" -q -j 4) \
          > /dev/null 2> limited.txt || status=$?
        [ $status = 0 ] || [ $status = 1 ] || { cat limited.txt >&2; fail "check -j 4 under ulimit -v $kib ended with $status"; }
      done
    fi
    # interdep check: a response measured against the run without its event, and a level that
    # must miss; validate reads the file; a bad event label is refused at its line (exit 2).
    cat > checks.toml <<TOML
name = "cli-checks"
scenario = "$src/scenarios/sanctions.toml"
replicates = 2
[[checks]]
label = "the EU's sanctions push Russia away from the EU"
quantity = "relation_overall[RUS,EU]"
from = 2025-01-01
to = 2027-01-01
expect = "fall"
without = "European Union widens sanctions on Russia"
source = "test"
TOML
    level_check "a level that is not reached" 2030-01-01 -0.5 >> checks.toml
    expect_status 0 "$bin" validate checks.toml
    grep -q "checks.toml: ok (checks cli-checks: 2 checks, 2 seeds" out.txt || fail "validate did not read a checks file"
    expect_status 0 "$bin" check checks.toml -o checks.csv -j 2
    grep -q "check: 4 of 4 runs" err.txt || { cat err.txt >&2; fail "no progress lines"; }
    grep -q "1. holds  the EU's sanctions push Russia away from the EU" out.txt || { cat out.txt >&2; fail "the response does not hold"; }
    grep -q "2. MISSED a level that is not reached" out.txt || fail "a miss is not flagged"
    grep -q "^1 of 2 checks hold; missed: 2.$" out.txt || fail "no summary line"
    [ "$(wc -l < checks.csv)" -eq 3 ] || fail "checks.csv does not hold two checks"
    sed 's/without = "European Union widens sanctions on Russia"/without = "EU widens sanctions"/' checks.toml > bad.toml
    line=$(grep -n '^without' bad.toml | cut -d: -f1)
    for command in validate check; do
      expect_status 2 "$bin" $command bad.toml
      grep -q "bad.toml:$line:11: error: key 'checks.0.without': the scenario .* has no event labelled 'EU widens sanctions'" err.txt \
        || { cat err.txt >&2; fail "$command did not refuse an unknown event at its line"; }
    done
    expect_status 2 "$bin" check checks.toml -o no-such-folder/c.csv
    grep -q "no-such-folder does not exist" err.txt || fail "a missing output folder was not refused"
    # Checks of one quantity from one source over one window, or windows that meet, are each
    # measured: they were refused as one figure given twice (validate said ok).
    { echo 'name = "shared-windows"'; echo "scenario = \"$src/scenarios/sanctions.toml\""
      level_check "first" 2030-01-01 0.9; level_check "the same window" 2030-01-01 0.95
      level_check "the window before" 2030-01-01 0.9 | sed 's/^from = 2025-01-01/from = 2026-01-01/; s/^to = 2030-01-01/to = 2025-06-01/'
    } > shared.toml
    sed -i 's/^to = 2025-06-01/to = 2028-01-01/' shared.toml
    printf '[[checks]]\nlabel = "after"\nquantity = "relation_overall[RUS,CHN]"\nfrom = 2030-01-01\nto = 2032-01-01\nexpect = "below"\nthreshold = 0.9\nsource = "test"\n' >> shared.toml
    expect_status 0 "$bin" validate shared.toml
    expect_status 0 "$bin" check shared.toml -q
    grep -q "^4 of 4 checks hold" out.txt || { cat out.txt err.txt >&2; fail "checks sharing a window were not each measured"; }
    # A date between two states is read at the nearer: the window printed is the one measured
    # (2029-12-31 reads the state of 2030-01, not 2029-12), with the date as written.
    { echo 'name = "month-end"'; echo "scenario = \"$src/scenarios/sanctions.toml\""
      level_check "at a month's end" 2030-01-01 0.9 | sed 's/^to = 2030-01-01/to = 2029-12-31/'; } > month-end.toml
    expect_status 0 "$bin" check month-end.toml -q
    grep -q "relation_overall\[RUS,CHN\] at 2030-01 (the state nearest 2029-12-31)" out.txt \
      || { cat out.txt >&2; fail "the state read is not the one printed"; }
    ;;
  fuzz_regressions)
    # Every input a fuzzer found, or that was written for a class of the hardening issue
    # (tests/fuzz/regressions): validate answers 0 or 2 within 20 s and never crashes. The inputs
    # sit in a folder beside links to the shipped scenarios, so that "../baseline.toml" resolves.
    # Observed-figures CSVs are scored against a short run instead.
    mkdir cases
    for e in "$src"/scenarios/*; do ln -s "$e" .; done
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" --set time.years=2 -q -o run.h5
    count=0 runs=0
    for f in "$src"/tests/fuzz/regressions/*/*; do
      cp "$f" cases/
      set +e
      case $f in
        */observed/*) timeout 20 "$bin" score run.h5 --observed "cases/$(basename "$f")" >out.txt 2>err.txt ;;
        *) timeout 20 "$bin" validate "cases/$(basename "$f")" >out.txt 2>err.txt ;;
      esac
      got=$?
      set -e
      case $got in
        0|2) ;;
        *) head -c 2000 err.txt >&2; fail "validate $(basename "$f") exited $got (0 or 2 expected)";;
      esac
      if [ "$got" = 2 ]; then grep -q "cases/$(basename "$f")\|/dev/zero\|--set" err.txt || { head -c 500 err.txt >&2; fail "$(basename "$f"): the error names no file"; }; fi
      # A scenario that validates is also run (its fault may be in the run, as the PCE vote's
      # overflow was): exit 0 with its file, whose summary shows no NaN or infinity (the vote's
      # "P = -nan"), or 2 saying why, within 60 s.
      if [ "$got" = 0 ] && [[ $f == */scenario/* ]]; then
        set +e
        timeout 60 "$bin" run "cases/$(basename "$f")" -q -o cases/run-of-input.h5 >out.txt 2>err.txt
        got=$?
        set -e
        case $got in
          0) expect_status 0 "$bin" inspect cases/run-of-input.h5
             ! grep -Eiw "nan|inf" out.txt || fail "the run of $(basename "$f") shows a value that is not a number" ;;
          2) ;;
          *) head -c 2000 err.txt >&2; fail "run $(basename "$f") exited $got (0 or 2 expected)";;
        esac
        rm -f cases/run-of-input.h5
        runs=$((runs + 1))
      fi
      count=$((count + 1))
    done
    [ "$count" -ge 12 ] || fail "only $count regression inputs"
    [ "$runs" -ge 1 ] || fail "no regression scenario was run"
    ;;
  zero_frames)
    # A run file whose time dimension holds no frames (cut short, or written by another tool):
    # every reader refuses it, exit 2, naming the file and saying it holds no frames.
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" --set time.years=1 -o b.h5 -q
    expect_status 0 $py - <<'PY'
import h5py, shutil
shutil.copy("b.h5", "z.h5")
with h5py.File("z.h5", "r+") as f:
    frames = f["time"].shape[0]
    for ds in f.values():
        if isinstance(ds, h5py.Dataset) and ds.ndim and ds.shape[0] == frames and ds.maxshape[0] is None:
            ds.resize(0, axis=0)
    assert f["time"].shape[0] == 0, "time could not be truncated"
PY
    for command in "inspect z.h5" "compare z.h5 b.h5" "compare b.h5 z.h5" \
                   "explain z.h5 --pair PAK:RUS" "report z.h5 -o z.html" "report b.h5 --baseline z.h5 -o z.html"; do
      # shellcheck disable=SC2086
      expect_status 2 "$bin" $command
      grep -q "z.h5.*holds no frames" err.txt || { cat err.txt >&2; fail "'$command' does not say z.h5 holds no frames"; }
    done
    [ ! -e z.html ] || fail "a report of a file without frames was written"
    # report says it in every reader's words (it once put "expected an interdep run result
    # file" before them, as if the file were of another kind), the baseline named as typed.
    expect_status 2 "$bin" inspect z.h5
    cp err.txt inspect-err.txt
    expect_status 2 "$bin" report z.h5 -o z.html
    cmp -s err.txt inspect-err.txt || { cat err.txt inspect-err.txt >&2; fail "report and inspect word z.h5's refusal differently"; }
    expect_status 2 "$bin" report b.h5 --baseline z.h5 -o z.html
    [ "$(cat err.txt)" = "$(sed 's/^interdep: /interdep: --baseline /' inspect-err.txt)" ] \
      || { cat err.txt inspect-err.txt >&2; fail "report does not name --baseline z.h5 in the readers' words"; }
    ;;
  damaged_values)
    # A damaged run file can hold well-formed numbers no run writes: a count of camps of two
    # billion made `inspect` loop for minutes. Every count or index under /network out of its
    # documented range is refused by every reader, exit 2, naming the dataset, at once.
    expect_status 0 "$bin" run "$src/scenarios/corridors.toml" --set output.contributions=false -o b.h5 -q
    readers_refuse() {  # readers_refuse DAMAGE PATTERN: every reader of d.h5 exits 2 within 20 s
      for command in "inspect d.h5" "explain d.h5 --pair PAK:RUS" "report d.h5 -o d.html" \
                     "compare d.h5 b.h5" "score d.h5 --observed $src/scenarios/history/trade-2021-2024.csv"; do
        # shellcheck disable=SC2086
        expect_status 2 timeout 20 "$bin" $command
        grep -q "$2" err.txt || { cat err.txt >&2; fail "'$command' with $1 does not say '$2'"; }
      done
      [ ! -e d.html ] || fail "a report of a damaged file was written"
    }
    for damage in faction_count:2000000000 faction_count:-1 faction:7 sign:5 frustration:99999 \
                  triads_signed:-3 triads_balanced:99999 edge_from:-1 edge_to:1000 corridor_open:2; do
      dataset=${damage%%:*} value=${damage#*:}
      expect_status 0 $py - "$dataset" "$value" <<'PY'
import h5py, shutil, sys
name, value = sys.argv[1], int(sys.argv[2])
shutil.copy("b.h5", "d.h5")
with h5py.File("d.h5", "r+") as f:
    ds = f["network/" + name]
    assert ds.size > 0, name + " is empty"
    flat = ds[()].reshape(-1)
    flat[flat.size - 1] = value
    ds[()] = flat.reshape(ds.shape)
PY
      readers_refuse "$damage" "d.h5.*network/$dataset.*damaged"
    done
    # A file cut short (a copy that did not finish): every reader says so in words, with how much
    # of it is there, not HDF5's "eof" and "sblock".
    head -c "$(( $(stat -c %s b.h5) / 2 ))" b.h5 > d.h5
    readers_refuse "a file cut in half" "d.h5.*open: .*the file is cut short: it holds [0-9]* of its [0-9]* bytes"
    ! grep -q "sblock\|stored_eof" err.txt || { cat err.txt >&2; fail "a cut file's message names HDF5's internals"; }
    # The clock and the frames' order, which readers search by step and time (score's observed
    # dates stopped on an assertion with a step of -128), and the steps and times of the logged
    # events and admission decisions (brics.toml's run a.h5 has admissions): refused by every
    # reader.
    expect_status 0 "$bin" run "$src/scenarios/brics.toml" --set output.contributions=false -o a.h5 -q
    for damage in step:0:-128 step:1:0 step:-1:999999 time:1:nan time:-1:1000 \
                  time:0:2030 time:-1:2035.0001 gdp:-1:inf trade:0:nan relation_overall:3:nan \
                  leverage:-1:-inf relations:2:nan interests:1:nan sensitivity:-1:inf \
                  @dt:0 @steps_per_year:0 @record_every:-1 @steps:-5 \
                  @steps:4611686018427387904 @steps_per_year:2000000 @dt:0.5 \
                  events/step:0:-1 events/step:-1:121 events/time:1:inf \
                  a.h5=admissions/step:0:-7 a.h5=admissions/step:-1:9999 a.h5=admissions/time:2:nan; do
      from=b.h5
      case $damage in *=*) from=${damage%%=*} damage=${damage#*=} ;; esac
      expect_status 0 $py - "$damage" "$from" <<'PY'
import h5py, shutil, sys
name, *rest = sys.argv[1].split(":")
shutil.copy(sys.argv[2], "d.h5")
with h5py.File("d.h5", "r+") as f:
    if name.startswith("@"):
        f.attrs[name[1:]] = type(f.attrs[name[1:]])(float(rest[0]))
    else:
        values = f[name][()]
        values[int(rest[0])] = float(rest[1])
        f[name][()] = values
PY
      what=${damage%%:*}
      case $what in @*) what="attribute ${what#@}" ;; */*) what="dataset /$what" ;; *) what="dataset $what" ;; esac
      readers_refuse "$damage" "d.h5.*read $what: .*a damaged file"
    done
    # A record_every that says other frames than the file holds (every 5th step over monthly
    # frames): refused at the frames' steps it contradicts.
    for damage in record_every:5; do
      expect_status 0 $py - "${damage%%:*}" "${damage#*:}" <<'PY'
import h5py, numpy, shutil, sys
shutil.copy("b.h5", "d.h5")
with h5py.File("d.h5", "r+") as f:
    f.attrs[sys.argv[1]] = numpy.int64(sys.argv[2])
PY
      readers_refuse "@$damage" "d.h5.*read dataset step: .*a damaged file"
    done
    # A steps attribute beyond the frames (the library may write a trajectory that ends early):
    # read. Beyond what a scenario allows (100,000,000 steps) it is damage: inspect printed a run
    # of 2^63 - 1 steps (and -9223372036854775808 frames before that) for a file of 13 frames.
    expect_status 0 $py -c "import h5py, numpy, shutil; shutil.copy('b.h5', 'd.h5'); f = h5py.File('d.h5', 'r+'); f.attrs['steps'] = numpy.int64(100000000)"
    expect_status 0 "$bin" inspect d.h5
    grep -q "100000000 steps of 1.00 months" out.txt \
      || { cat out.txt >&2; fail "inspect did not read a run that ends early"; }
    expect_status 0 $py -c "import h5py, numpy, shutil; shutil.copy('b.h5', 'd.h5'); f = h5py.File('d.h5', 'r+'); f.attrs['steps'] = numpy.int64(9223372036854775807)"
    readers_refuse "@steps:2^63-1" "d.h5.*read attribute steps: is 9223372036854775807, not a run's steps \[0, 100000000\]: a damaged file"
    # Numbers the reader's type cannot hold (HDF5 converted them silently: a NaN seed read as
    # 2^63), counts of votes below 0 ("-1 for") and a sweep's recording interval below 1.
    expect_status 0 "$bin" run "$src/scenarios/brics.toml" --set time.years=2 -o v.h5 -q
    for damage in "attrs seed nan" "attrs seed 2.5" "data step nan" "data votes_for -1" \
                  "data probability 1.5"; do
      expect_status 0 $py - $damage <<'PY'
import h5py, numpy, shutil, sys
where, name, value = sys.argv[1], sys.argv[2], float(sys.argv[3])
shutil.copy("v.h5", "d.h5")
with h5py.File("d.h5", "r+") as f:
    if where == "attrs":
        f.attrs[name] = numpy.float64(value)
    elif name == "step":
        n = len(f["step"])
        del f["step"]
        f["step"] = numpy.full(n, value)
    else:
        f["admissions/" + name][0] = value
PY
      expect_status 2 "$bin" inspect d.h5
      grep -q "d.h5: read .*a damaged file" err.txt || { cat err.txt >&2; fail "inspect did not refuse $damage"; }
    done
    expect_status 0 "$bin" sweep "$src/tests/data/sweeps/small-lhs.toml" -o sw.h5 -j 1 -q
    expect_status 0 $py -c "import h5py, numpy, shutil; shutil.copy('sw.h5', 'd.h5'); f = h5py.File('d.h5', 'r+'); f.attrs['every'] = numpy.int64(-1)"
    expect_status 2 "$bin" export d.h5 --csv -o d.csv
    grep -q "read attribute every: is -1, not a count of steps" err.txt || { cat err.txt >&2; fail "a sweep's every of -1 was read"; }
    [ ! -e d.csv ] || fail "an export of a damaged sweep was written"
    # NaN in a finished run's series is damage (a value that is not a number fails its run):
    # score refused it in a run file but scored the sweep's figure as a miss.
    pak_gdp_scenario "$src" 3 > observed.toml
    printf 'name = "ens"\nscenario = "observed.toml"\nseed = 11\nreplicates = 2\n[design]\nsamples = 4\n[parameters."actors.PAK.gdp_growth"]\nmin = 0.03\nmax = 0.07\n[record]\nmode = "full"\noutputs = ["gdp[PAK]"]\n' > ens.toml
    expect_status 0 "$bin" sweep ens.toml -o ens.h5 -j 1 -q
    expect_status 0 "$bin" score ens.h5
    expect_status 0 $py -c "import h5py, numpy, shutil; shutil.copy('ens.h5', 'd.h5'); f = h5py.File('d.h5', 'r+'); s = f['series'][()]; s[2, 5, 0] = numpy.nan; f['series'][...] = s"
    expect_status 2 "$bin" score d.h5
    grep -q "d.h5: read dataset /series: run 2 finished, but its value 5 is nan.*(a damaged file)" err.txt \
      || { cat err.txt >&2; fail "score read NaN in a finished run's series"; }
    # A figure no recorded state falls in: the setting to change is named as the sweep file's.
    sed 's/^mode = "full"$/mode = "every"\nevery = 12/' ens.toml > ens12.toml
    expect_status 0 "$bin" sweep ens12.toml -o ens12.h5 -j 1 -q
    printf 'quantity,date,value,unit,period\n"gdp[PAK]",2026-03,33,US$ bn,month\n' > month.csv
    expect_status 2 "$bin" score ens12.h5 --observed month.csv
    grep -q "recorded no state within the figure's window (it recorded every 12 steps): rerun it recording more often (the sweep file's \[record\] every)" err.txt \
      || { cat err.txt >&2; fail "score did not name the sweep's own setting"; }
    ;;
  value_damage)
    # Damaged numbers in real result files, systematically (tests/damage_values.py): NaN, -1,
    # infinities, huge and tiny values in every numeric dataset and attribute of a run file and
    # of a sweep file with series, and every reader of each damaged copy (inspect, explain,
    # report, compare, score; export, analyze, discover, run --from-sweep). Each must exit 0 or 2
    # within 20 s, name the file when it refuses and then write nothing, and raise no sanitizer
    # report. With the sweep reader's check of design values loosened, it fails (discover exits 1).
    damage_fuzzer damage_values
    ;;
  structure_damage)
    # Damaged structure in real result files, systematically (tests/damage_structure.py): every
    # dataset, group and root attribute of a run file and of a sweep file deleted, a dataset one
    # element longer and one shorter, of another type, rank or shape, an attribute of another
    # type or an array; every reader of each copy, as in value_damage. Without the run reader's
    # default labels, report of a file without institution_label crashes (exit -11); without
    # read_summary's check of its rows, analyze of a sweep whose summary has a row too many
    # exits 1.
    damage_fuzzer damage_structure
    ;;
  damaged_heap)
    # Result files whose strings HDF5 1.10 reads past their end (tests/damage_heap.py: a
    # segmentation fault inside the library): every reader exits 2 naming the file, leaves no
    # temporary file, and an earlier output untouched.
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" -o r.h5 -q
    expect_status 0 "$bin" sweep "$src/tests/data/sweeps/small-lhs.toml" -o s.h5 -j 1 -q
    echo "earlier" > page.html
    echo "earlier" > table.csv
    for object in 0 1 3; do
      expect_status 0 $py "$src/tests/damage_heap.py" r.h5 bad-r.h5 $object
      expect_status 0 $py "$src/tests/damage_heap.py" s.h5 bad-s.h5 $object
      for command in "inspect bad-r.h5" "explain bad-r.h5 --pair PAK:RUS" "compare r.h5 bad-r.h5" \
                     "report bad-r.h5 -o page.html -q" "inspect bad-s.h5" \
                     "export bad-s.h5 --csv -o table.csv"; do
        expect_status 2 "$bin" $command
        grep -q "^interdep: bad-[rs].h5: damaged: the HDF5 library faulted reading it" err.txt \
          || { cat err.txt >&2; fail "$command (object $object) did not name the damaged file"; }
      done
    done
    [ "$(cat page.html)" = earlier ] && [ "$(cat table.csv)" = earlier ] \
      || fail "a reader of a damaged file changed an earlier output"
    [ -z "$(find . -name '*tmp*')" ] || fail "a temporary file was left ($(find . -name '*tmp*'))"
    ;;
  damaged_sweep)
    # A sweep file whose contents do not add up: analyze and run --from-sweep name the file.
    expect_status 0 "$bin" sweep "$src/tests/data/sweeps/small-saltelli.toml" -o s.h5 -j 1 -q
    expect_status 0 $py -c "import h5py; f=h5py.File('s.h5','r+'); f.attrs['base_samples']=f.attrs['base_samples']+1"
    expect_status 2 "$bin" analyze s.h5 --output "relation_overall[PAK,RUS]" --resamples 20
    grep -q "^interdep: s.h5: " err.txt || { cat err.txt >&2; fail "analyze of a damaged sweep does not name it"; }
    # Counts that cannot describe the runs: checked before any run is indexed by them.
    for attrs in "'base_samples'] = -5" "'replicates'] = 0" "'replicates'] = 7"; do
      expect_status 0 $py -c "import h5py; f=h5py.File('s.h5','r+'); f.attrs['base_samples']=16; f.attrs['replicates']=1; f.attrs[$attrs"
      expect_status 2 "$bin" analyze s.h5 --output "relation_overall[PAK,RUS]" --resamples 20
      grep -q "^interdep: s.h5: \(its \(base_samples\|replicates\)\|read attribute \(base_samples\|replicates\)\)" err.txt \
        || { cat err.txt >&2; fail "analyze of a sweep whose $attrs does not name it"; }
    done
    # Words and indices no sweep writes (a design kind, a way of seeding, a run's point or
    # replicate): refused by every reader of the file, not by analyze alone.
    expect_status 0 $py -c "import h5py; f=h5py.File('s.h5','r+'); f.attrs['base_samples']=16; f.attrs['replicates']=1"
    cp s.h5 good.h5
    # Names and counts that do not add up (hunt AY): an output named twice (analyze took the
    # first, export wrote both columns), a finished run's summary of NaN (inspect printed empty
    # lines), replicates and levels of 2^62 (inspect printed "4611686018427387904 per point").
    for damage in "@design_kind=banana" "@seeds=sometimes" "@replicates=0" "point=-1" "replicate=3" \
                  "output-twice=" "summary-nan=" "@replicates=4611686018427387904" \
                  "@levels=4611686018427387904" "@base_samples=17"; do
      expect_status 0 $py - "$damage" <<'PY'
import h5py, numpy, shutil, sys
name, value = sys.argv[1].split("=")
shutil.copy("good.h5", "s.h5")
with h5py.File("s.h5", "r+") as f:
    if name == "output-twice":
        n = len(f["output"])
        del f["output"]
        f["output"] = numpy.array([b"abc"] * n)
    elif name == "summary-nan":
        values = f["summary"][()]
        values[:] = numpy.nan
        f["summary"][()] = values
    elif name.startswith("@"):
        old = f.attrs[name[1:]]
        f.attrs[name[1:]] = value if isinstance(old, (str, bytes)) else type(old)(int(value))
    else:
        ds = f["design/" + name]
        values = ds[()]
        values[-1] = int(value)
        ds[()] = values
PY
      for command in "export s.h5 --csv -o e.csv" "discover s.h5 --output relation_overall[PAK,RUS] --where >0" \
                     "analyze s.h5 --output relation_overall[PAK,RUS] --resamples 20" "inspect s.h5"; do
        # shellcheck disable=SC2086
        expect_status 2 $bin $command
        grep -q "^interdep: s.h5: .*(a damaged file)" err.txt \
          || { cat err.txt >&2; fail "'$command' of a sweep with $damage does not call it damaged"; }
      done
      [ ! -e e.csv ] || fail "an export of a damaged sweep was written"
    done
    cp good.h5 s.h5
    expect_status 0 $py -c "import h5py; f=h5py.File('s.h5','r+'); f.attrs['base_samples']=16; f.attrs['replicates']=1"
    expect_status 2 "$bin" run --from-sweep s.h5 --run 100000
    grep -q "out of range: s.h5 has" err.txt || { cat err.txt >&2; fail "--run out of range does not name the sweep file"; }
    # A parameter key the stored scenario does not know (renamed in the file).
    expect_status 0 $py - <<'PY'
import h5py, numpy
with h5py.File("s.h5", "r+") as f:
    names = [n.decode() if isinstance(n, bytes) else n for n in f["parameter"][...]]
    names[0] = names[0].replace("risk", "rsik")
    f["parameter"][...] = numpy.array(names, dtype=f["parameter"].dtype)
PY
    expect_status 2 "$bin" run --from-sweep s.h5 --run 0 -o r.h5
    grep -q "^s.h5 (parameter .*rsik.* of run 0): error" err.txt \
      || { cat err.txt >&2; fail "run --from-sweep does not name the sweep file of a bad parameter"; }
    [ ! -e r.h5 ] || fail "a refused run wrote its output"
    # A design value or unit coordinate no design writes (NaN, an infinity), in any run: every
    # reader refuses the file, naming the dataset, run and parameter, and writes nothing (scenario
    # discovery stopped on an internal error, exit 1; export wrote "nan" into its table).
    expect_status 0 "$bin" sweep "$src/tests/data/sweeps/small-saltelli.toml" -o clean.h5 -j 1 -q
    for damage in value:nan value:inf unit:-inf unit:nan; do
      dataset=${damage%%:*} value=${damage#*:}
      expect_status 0 $py - "$dataset" "$value" <<'PY'
import h5py, shutil, sys
shutil.copy("clean.h5", "s.h5")
with h5py.File("s.h5", "r+") as f:
    ds = f["design/" + sys.argv[1]]
    ds[ds.shape[0] - 1, ds.shape[1] - 1] = float(sys.argv[2])
PY
      last=$($py -c "import h5py; print(h5py.File('s.h5','r')['design/value'].shape[0] - 1)")
      # export reads /design/value and not /design/unit (its table has no unit coordinates).
      export="export s.h5 --csv -o e.csv"
      [ "$dataset" = value ] || export="inspect s.h5"
      for command in "inspect s.h5" "$export" \
                     "analyze s.h5 --output relation_overall[PAK,RUS] --resamples 20" \
                     "discover s.h5 --output relation_overall[PAK,RUS] --where >0" \
                     "run --from-sweep s.h5 --run 0 -o r.h5"; do
        # shellcheck disable=SC2086
        expect_status 2 "$bin" $command
        grep -q "^interdep: s.h5: read dataset /design/$dataset: run $last, parameter .*: $value is not a finite number (a damaged file)" err.txt \
          || { cat err.txt >&2; fail "'$command' with design/$dataset = $value in run $last was not refused"; }
      done
      [ ! -e e.csv ] && [ ! -e r.h5 ] || fail "a reader of a damaged design wrote its output"
    done
    # A status no run has (a merged sweep's runs are 1 done or 2 failed): every reader refuses
    # the file (inspect counted such runs as neither, the others used them as done).
    expect_status 0 $py -c "import h5py, shutil; shutil.copy('clean.h5', 's.h5'); f = h5py.File('s.h5', 'r+'); f['status'][3] = 7"
    for command in "inspect s.h5" "export s.h5 --csv -o e.csv" \
                   "analyze s.h5 --output relation_overall[PAK,RUS] --resamples 20" \
                   "discover s.h5 --output relation_overall[PAK,RUS] --where >0" \
                   "run --from-sweep s.h5 --run 0 -o r.h5"; do
      # shellcheck disable=SC2086
      expect_status 2 "$bin" $command
      grep -q "^interdep: s.h5: read dataset /status: run 3 holds status 7, neither 1 (done) nor 2 (failed) (a damaged file)" err.txt \
        || { cat err.txt >&2; fail "'$command' with status 7 in run 3 was not refused"; }
    done
    [ ! -e e.csv ] && [ ! -e r.h5 ] || fail "a reader of a damaged status wrote its output"
    # The series' time axis, by which score finds a figure's frames (a NaN stopped it on an
    # assertion): not finite, or not increasing, refused by every reader of the series; finite
    # and increasing but outside the stored scenario's period, refused by score.
    expect_status 0 "$bin" sweep "$src/tests/data/sweeps/small-lhs.toml" -o series.h5 -j 1 -q
    printf 'quantity,period,aggregate,unit,date,value,uncertainty\nrelation_overall[RUS,USA],point,value,1,2027-01-01,-0.5,0.2\n' > o.csv
    expect_status 0 "$bin" score series.h5 --observed o.csv
    for damage in "2] = float('nan')" "2] = t[1]" ":] = t + 100"; do
      expect_status 0 $py -c "import h5py, shutil; shutil.copy('series.h5', 's.h5'); f = h5py.File('s.h5', 'r+'); t = f['time'][()]; f['time'][$damage"
      if [ "$damage" = ":] = t + 100" ]; then
        expect_status 2 "$bin" score s.h5 --observed o.csv
        grep -q "^interdep: s.h5: its series' time 2125 is outside its scenario's period (a damaged file)" err.txt ||
          { cat err.txt >&2; fail "score of a sweep whose times are shifted out of its period"; }
        continue
      fi
      for command in "inspect s.h5" "export s.h5 --csv -o e.csv --series es.csv" "score s.h5 --observed o.csv"; do
        # shellcheck disable=SC2086
        expect_status 2 "$bin" $command
        grep -q "^interdep: s.h5: read dataset /time: element 2 is .*(a damaged file)" err.txt ||
          { cat err.txt >&2; fail "'$command' with time[$damage was not refused"; }
      done
      [ ! -e e.csv ] && [ ! -e es.csv ] || fail "an export of a damaged time axis was written"
    done
    # Series of another shape than the file's runs, times and outputs (one output fewer: score
    # read past each run's values and scored what it found there, exit 0).
    expect_status 0 $py -c "import h5py, shutil; shutil.copy('series.h5', 's.h5'); f = h5py.File('s.h5', 'r+'); v = f['series'][()]; del f['series']; f['series'] = v[..., :-1]"
    for command in "score s.h5 --observed o.csv" "export s.h5 --csv -o e.csv --series es.csv"; do
      # shellcheck disable=SC2086
      expect_status 2 "$bin" $command
      grep -q "^interdep: s.h5: open dataset /series: has shape \[[0-9]*, [0-9]*, 3\], expected \[[0-9]*, [0-9]*, 4\]" err.txt ||
        { cat err.txt >&2; fail "'$command' with series one output short was not refused"; }
    done
    ;;
  bad_csv)
    # Every CSV interdep reads refuses text that is not UTF-8 at its line and column, saying what
    # it is (UTF-16 with or without its byte-order mark, binary content, a NUL, Latin-1), exit 2
    # and nothing written: score --observed, an [[observations]] csv (validate, run), a sweep's
    # CSV design (empty, or a header alone: named at the CSV file itself, not the sweep file).
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" --set time.years=2 -q -o r.h5
    printf 'quantity,date,value,uncertainty,unit\nrelation_overall[PAK,RUS],2026-06-01,0.2,0.1,1\n' > good.csv
    expect_status 0 "$bin" score r.h5 --observed good.csv -o scores.csv
    rm scores.csv
    printf '\xef\xbb\xbf' | cat - good.csv | sed 's/$/\r/' > bom-crlf.csv  # as spreadsheets save it
    expect_status 0 "$bin" score r.h5 --observed bom-crlf.csv
    iconv -f UTF-8 -t UTF-16 good.csv > utf16.csv      # with its byte-order mark
    iconv -f UTF-8 -t UTF-16BE good.csv > utf16be.csv  # without
    head -c 4096 "$bin" > binary.csv
    { cat good.csv; printf 'relation_overall[PAK,RUS],2026-07-01,0.2\0x,0.1,1\n'; } > nul.csv
    { cat good.csv; printf '# r\xe9sum\xe9\n'; } > latin1.csv
    refused() {  # refused FILE MESSAGE: score --observed FILE exits 2 with MESSAGE, writes nothing
      expect_status 2 "$bin" score r.h5 --observed "$1" -o scores.csv
      grep -qF -- "$2" err.txt || { cat err.txt >&2; fail "score --observed $1 did not say: $2"; }
      [ ! -e scores.csv ] || fail "a refused score wrote its table"
    }
    refused utf16.csv "utf16.csv:1:1: error: key '--observed': this file is UTF-16 text (little-endian: it begins with UTF-16's byte-order mark): expected UTF-8 text"
    refused utf16be.csv "utf16be.csv:1:1: error: key '--observed': this file is UTF-16 text (big-endian, without a byte-order mark"
    refused binary.csv "binary.csv:1:1: error: key '--observed': control character U+007F (byte 0x7F) not allowed in the file: printed, it would act on the terminal; expected UTF-8 text (is this a binary file?)"
    refused nul.csv "nul.csv:3:41: error: key '--observed': a NUL byte (\0) in the file: expected UTF-8 text (a NUL is binary content)"
    refused latin1.csv "latin1.csv:3:4: error: key '--observed': bytes that are not UTF-8 (0xE9): expected UTF-8 text, and this file may be in Latin-1"
    refused r.h5 "r.h5: error: key '--observed': this is an HDF5 file (a result of interdep run or sweep), not CSV text"
    # An [[observations]] csv: validate and run refuse it at the CSV's line, run writes nothing.
    printf 'date,value\n2026,700\n2027,710\x00\n' > figures.csv
    { printf 'base = "%s"\n' "$src/scenarios/baseline.toml"; trade_observation 2026 700 \
        | sed -e '/^dates/d' -e '/^values/d'; echo 'csv = "figures.csv"'; } > obs.toml
    expect_status 2 "$bin" validate obs.toml
    grep -qF "figures.csv:3:9: error: key 'observations.0.csv': a NUL byte (\0) in the file" err.txt \
      || { cat err.txt >&2; fail "validate did not refuse the NUL of an observations csv"; }
    mv err.txt validate-err.txt
    expect_status 2 "$bin" run obs.toml -o obs.h5
    cmp -s err.txt validate-err.txt || { cat err.txt >&2; fail "run did not refuse it as validate did"; }
    [ ! -e obs.h5 ] || fail "a refused run wrote its file"
    # A sweep's CSV design: empty, a header alone, UTF-16: named at the CSV file; no output,
    # no parts directory.
    printf 'name = "csv-design"\nscenario = "%s"\n[design]\nkind = "csv"\nfile = "design.csv"\n[record]\noutputs = ["trade[RUS,USA]"]\n' \
      "$src/scenarios/baseline.toml" > s.toml
    : > design.csv
    expect_status 2 "$bin" sweep s.toml -o s.h5
    grep -qF "design.csv: error: key 'design.file': the CSV design is empty: expected a header row naming its columns" err.txt \
      || { cat err.txt >&2; fail "an empty CSV design was not named"; }
    printf 'actors.PAK.risk;actors.RUS.risk\r\n' > design.csv
    expect_status 2 "$bin" sweep s.toml -o s.h5
    grep -qF "design.csv:1: error: key 'design.file': the CSV design has a header and no rows" err.txt \
      || { cat err.txt >&2; fail "a CSV design of a header alone was not named"; }
    printf 'actors.PAK.risk;actors.RUS.risk\n-0.5;0.25\n' | iconv -f UTF-8 -t UTF-16 > design.csv
    expect_status 2 "$bin" validate s.toml
    grep -qF "design.csv:1:1: error: key 'design.file': this file is UTF-16 text" err.txt \
      || { cat err.txt >&2; fail "a UTF-16 CSV design was not named as such"; }
    [ ! -e s.h5 ] && [ ! -e s.h5.parts ] || fail "a refused sweep left files"
    printf 'actors.PAK.risk;actors.RUS.risk\n-0.5;0.25\n' > design.csv
    expect_status 0 "$bin" validate s.toml
    ;;
  special_files)
    # "-" for a result file: only export writes to standard output; the others made a file
    # named "-" (run, sweep, report, lab) or mixed their CSV into the account (score, discover,
    # check). Refused, exit 2, nothing made. (lab is left out: a build without the lab's engine,
    # as the sanitizer build, refuses it first for that; it takes the same check_output_path.)
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" -q --set time.years=1 -o one.h5
    for command in "run $src/scenarios/baseline.toml -o -" "sweep $src/scenarios/sweeps/brics-grid.toml -o -" \
                   "report one.h5 -o -" "score one.h5 -o -" \
                   "calibrate $src/scenarios/calibrations/replay-trade.toml -o -"; do
      expect_status 2 "$bin" $command
      grep -q -- "-o -: this command writes a file, not to standard output" err.txt \
        || { cat err.txt >&2; fail "'$command' did not refuse -o -"; }
      ! ls -- - -.* >/dev/null 2>&1 || fail "'$command' made a file named -"
    done
    # Files that are not regular files (hardening, class 3): named with exit 2, never read. Each
    # command runs under timeout: a FIFO read as a file would hang (exit 124, not 2).
    mkfifo fifo.toml fifo.h5
    mkdir dir.toml dir.h5
    ln -s /dev/zero zero.toml
    ln -s /dev/zero zero.h5
    truncate -s 65M big.toml
    for file in fifo dir zero big; do
      for command in validate run; do
        expect_status 2 timeout 20 "$bin" $command $file.toml
        grep -q "$file.toml: error: the .*file '$file.toml' is" err.txt \
          || { cat err.txt >&2; fail "$command $file.toml: the file is not named"; }
      done
    done
    grep -q "is larger than the 64 MiB limit" err.txt || fail "the size limit is not named"
    for command in inspect "report -o r.html" "explain --pair PAK:RUS" "analyze --output gdp[PAK]" "run --run 0 --from-sweep"; do
      for file in fifo dir zero; do
        expect_status 2 timeout 20 "$bin" $command $file.h5
        grep -q "$file.h5.*open: is a" err.txt \
          || { cat err.txt >&2; fail "$command $file.h5: the result file is not named"; }
      done
    done
    expect_status 2 timeout 20 "$bin" compare fifo.h5 dir.h5
    grep -q "fifo.h5: open: is a FIFO" err.txt || { cat err.txt >&2; fail "compare of a FIFO does not name it"; }
    expect_status 2 timeout 20 "$bin" sweep dir.toml
    grep -q "the sweep file 'dir.toml' is a directory, not a regular file" err.txt \
      || { cat err.txt >&2; fail "a sweep file that is a directory is not named"; }
    # A base and an observations CSV that are a FIFO: at the line that names them.
    printf 'base = "%s"\n[[observations]]\nquantity = "gdp[PAK]"\ncsv = "fifo.csv"\n' \
      "$src/scenarios/baseline.toml" > obs.toml
    mkfifo fifo.csv
    expect_status 2 timeout 20 "$bin" validate obs.toml
    grep -q "obs.toml:4:7: error: key 'observations.0.csv': the observations file '.*fifo.csv' is a FIFO (named pipe), not a regular file" err.txt \
      || { cat err.txt >&2; fail "an observations CSV that is a FIFO is not refused at its line"; }
    printf 'base = "fifo.toml"\n' > child.toml
    expect_status 2 timeout 20 "$bin" run child.toml
    grep -q "child.toml:1:8: error: key 'base': the base scenario '.*fifo.toml' is a FIFO" err.txt \
      || { cat err.txt >&2; fail "a base that is a FIFO is not refused at its line"; }
    printf 'base = "%s"\n' "$(printf 'a%.0s' $(seq 5000))" > long.toml
    expect_status 2 "$bin" validate long.toml
    grep -q "long.toml:1:8: error: key 'base': the base scenario 'aaa.*(5000 characters)' is a path too long" err.txt \
      || { cat err.txt >&2; fail "a base path too long is not refused at its line"; }
    # Outputs that are not regular files (a FIFO, a link to a device): rename(2) would replace
    # them with the result (run by root, /dev/null itself). Refused before any work, exit 2;
    # the FIFO and the link are left as they were.
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" --steps 2 -o r.h5 -q
    "$bin" sweep "$src/tests/data/sweeps/small-lhs.toml" -o s.h5 -q -j 1 || fail "the sweep failed"
    for out in fifo.h5 zero.h5; do
      for command in "run $src/scenarios/baseline.toml" "report r.h5" "export s.h5 --csv" \
          "sweep $src/tests/data/sweeps/small-lhs.toml" "score r.h5"; do
        expect_status 2 timeout 20 "$bin" $command -o $out
        grep -q "$out is a .*, not a regular file: the result would replace it" err.txt \
          || { cat err.txt >&2; fail "'$command -o $out': an output that is not a regular file was not refused"; }
      done
    done
    [ -p fifo.h5 ] && [ -L zero.h5 ] && [ "$(readlink zero.h5)" = /dev/zero ] \
      || fail "a refused output was replaced"
    ;;
  sweep_limits)
    # Sweeps that cannot run (hardening, class 5): exit 2 at the sweep file's line before any
    # run, with no .parts folder left.
    refused() {  # refused SWEEP.toml PATTERN WHAT: sweep exits 2 with PATTERN in its message
      expect_status 2 "$bin" sweep "$1"
      grep -q "$2" err.txt || { cat err.txt >&2; fail "$3"; }
    }
    head='name = "s"
scenario = "'"$src"'/scenarios/sanctions.toml"'
    record='[record]
outputs = ["gdp[PAK]"]'
    printf '%s\n[design]\nkind = "grid"\nlevels = 1000\n' "$head" > huge.toml
    for actor in PAK RUS USA CHN EU; do
      printf '[parameters."actors.%s.risk"]\nmin = -1\nmax = 0\n' $actor >> huge.toml
    done
    printf '%s\n' "$record" >> huge.toml
    refused huge.toml "huge.toml:5:10: error: key 'design.levels': the grid design would have 1000000000000000 points" \
      "10^15 runs were not refused at the line of levels"
    printf '%s\nreplicates = 1000000\n[design]\nsamples = 100000000\n[parameters."actors.PAK.risk"]\nmin = -1\nmax = 0\n%s\n' \
      "$head" "$record" > many.toml
    refused many.toml "many.toml:3:14: error: key 'replicates': .* 100000000000000 runs, more than the 1000000000" \
      "10^14 runs were not refused at the line of replicates"
    printf 'events.99.intensity\n0.5\n' > events.csv
    printf '%s\n[design]\nkind = "csv"\nfile = "events.csv"\n%s\n' "$head" "$record" > events.toml
    refused events.toml "events.toml:5:8: error: key 'design.file': .*index 99 is out of range" \
      "an event out of range in a csv design was not refused up front"
    printf '%s\n[design]\nkind = "grid"\n[parameters."model.decide.integrator"]\ndistribution = "discrete"\nvalues = ["euler", "rk5"]\n%s\n' \
      "$head" "$record" > discrete.toml
    refused discrete.toml "discrete.toml:5:13: error: .*rejects this parameter at value 'rk5'" \
      "a discrete value no scenario takes was not refused up front"
    # An output named twice, however written: refused at the second, naming the first.
    printf '%s\n[parameters."actors.PAK.risk"]\nmin = -1\nmax = 0\n[record]\noutputs = ["gdp[PAK]", "trade[PAK,RUS]", "gdp[ PAK ]"]\n' \
      "$head" > twice.toml
    refused twice.toml "twice.toml:7:42: error: key 'record.outputs': 'gdp\[ PAK \]' is the same output as 'gdp\[PAK\]' (first at twice.toml:7): name each output once" \
      "an output named twice was not refused"
    sed 's/"rk5"/"rk4"/' discrete.toml > ok.toml
    # A folder of that name that is no sweep's parts directory: refused, and left as it was.
    mkdir mine.h5.parts; echo "mine" > mine.h5.parts/notes
    for resume in "" --resume; do
      expect_status 2 "$bin" sweep ok.toml -o mine.h5 $resume
      grep -q "'mine.h5.parts' is not the parts directory of a sweep" err.txt \
        || { cat err.txt >&2; fail "a foreign mine.h5.parts was not refused ($resume)"; }
    done
    [ "$(ls mine.h5.parts)" = notes ] || fail "a refused sweep left $(ls mine.h5.parts) in a foreign folder"
    rm -r mine.h5.parts
    # A sweep killed (-9) while it wrote its records, before any run: its parts directory holds
    # a lock and records, whole or half-written; the sweep starts again, with --resume or not.
    for left in "lock" "lock .sweep.toml.tmp-host-1-0 scenario.toml" "lock scenario.toml sweep.toml"; do
      for resume in "" --resume; do
        rm -rf early.h5 early.h5.parts; mkdir early.h5.parts
        for f in $left; do printf 'half' > "early.h5.parts/$f"; done
        expect_status 0 "$bin" sweep ok.toml -o early.h5 $resume
        grep -q "holds no finished run" err.txt \
          || { cat err.txt >&2; fail "a parts directory without runs ($left) was not started again ($resume)"; }
        [ -f early.h5 ] && [ ! -e early.h5.parts ] || fail "the restarted sweep did not finish ($left)"
      done
    done
    rm -f early.h5
    expect_status 2 "$bin" sweep ok.toml -j 100000
    grep -q "expected a whole number from 0 to 1024" err.txt || { cat err.txt >&2; fail "-j 100000 was not refused"; }
    expect_status 2 "$bin" sweep ok.toml -j -1
    grep -q "('-1') for option '--jobs' is invalid: expected a whole number" err.txt \
      || { cat err.txt >&2; fail "-j -1 was not refused"; }
    mkdir out.h5
    expect_status 2 "$bin" sweep ok.toml -o out.h5
    grep -q "out.h5 is a directory" err.txt || { cat err.txt >&2; fail "an output directory was not refused"; }
    expect_status 2 "$bin" sweep ok.toml -o no/such/folder/out.h5
    grep -q "the folder no/such/folder does not exist" err.txt || { cat err.txt >&2; fail "a missing folder was not refused"; }
    ls -d ./*.parts 2>/dev/null && fail "a refused sweep left a .parts folder" || true
    # Something other than a directory where the sweep keeps its runs (OUT.h5.parts): bad input,
    # before any run (it failed with exit 1 creating the directory), and left as it was.
    echo "not mine" > held.h5.parts
    mkfifo piped.h5.parts
    for out in held.h5 piped.h5; do
      expect_status 2 timeout 20 "$bin" sweep ok.toml -o $out
      grep -q "$out.parts is in the way (not a directory)" err.txt \
        || { cat err.txt >&2; fail "a $out.parts that is not a directory was not refused"; }
    done
    [ "$(cat held.h5.parts)" = "not mine" ] && [ -p piped.h5.parts ] || fail "a refused sweep touched OUT.parts"
    rm held.h5.parts piped.h5.parts
    # Failed runs are errors, said with -q too (it exited 1 without a word). The second row asks
    # for more trade with the EU than Pakistan's total trade holds: that run fails.
    printf 'actors.PAK.total_trade,trade.PAK.EU\n52,7.8\n55,15\n100,20\n' > failing.csv
    printf 'name = "f"\nscenario = "%s"\n[design]\nkind = "csv"\nfile = "failing.csv"\n[record]\noutputs = ["trade[RUS,USA]"]\n' \
      "$src/scenarios/baseline.toml" > failing.toml
    expect_status 1 "$bin" sweep failing.toml -o failing.h5 -q
    grep -q "^sweep: 1 of 3 runs failed (kept in failing.h5 as failed)" err.txt \
      && grep -q "^sweep: run 1 failed: .*actors.PAK.total_trade" err.txt \
      || { cat err.txt >&2; fail "sweep -q said nothing of its failed run"; }
    [ ! -s out.txt ] || fail "sweep -q printed more than its errors"
    # on_failure = "stop", resumed and stopped again: the second stop names both failures, the
    # earlier process's too (it named the failures it saw itself).
    printf 'actors.PAK.risk\n0.1\n1.5\n0.1\n0.1\n2.5\n0.1\n' > stopping.csv
    sed -e 's/failing.csv/stopping.csv/' -e 's/^name = "f"$/name = "f"\non_failure = "stop"/' \
      failing.toml > stopping.toml
    expect_status 1 "$bin" sweep stopping.toml -o stopping.h5 -j 1 -q
    grep -q "^sweep: run 1 failed: .*1.5" err.txt || { cat err.txt >&2; fail "the stop did not name run 1"; }
    expect_status 1 "$bin" sweep stopping.toml -o stopping.h5 -j 1 -q --resume
    grep -q "^sweep: run 1 failed: .*1.5" err.txt && grep -q "^sweep: run 4 failed: .*2.5" err.txt \
      && grep -q "stopped after 5 of 6 runs (2 failed" err.txt \
      || { cat err.txt >&2; fail "the resumed sweep's stop did not name the earlier failure"; }
    # A discrete value's index the file damaged (NaN, negative, past the end, between two):
    # refused as the file is read, naming the file, run and parameter.
    expect_status 0 "$bin" sweep ok.toml -o ok.h5 -q
    for bad in nan -1 2 0.5; do
      expect_status 0 $py -c "import h5py; f=h5py.File('ok.h5','r+'); f['design/value'][0, 0] = float('$bad')"
      for command in "run --from-sweep ok.h5 --run 0 -o r.h5" "export ok.h5 --csv -o e.csv"; do
        # shellcheck disable=SC2086
        expect_status 2 "$bin" $command
        grep -q "^interdep: ok.h5: read dataset /design/value: run 0, parameter model.decide.integrator: $bad is not" err.txt \
          || { cat err.txt >&2; fail "'$command': a damaged discrete value ($bad) was not refused"; }
      done
    done
    ;;
  unwritable_output)
    # An output that is a directory, or in a folder that does not exist: bad input (exit 2),
    # refused before the work (a run of five million steps would not end within the timeout:
    # 2,000 years of 2,500 steps; longer, the GDPs' growth would pass what the model holds),
    # for the output given with -o and for the default one, whatever the command.
    long=(--set time.years=2000 --set time.steps_per_year=2500 --set output.every=100000 --set output.contributions=false)
    expect_status 2 timeout 60 "$bin" run "$src/scenarios/baseline.toml" "${long[@]}" -o no/such/dir/out.h5 -q
    grep -q -- "-o no/such/dir/out.h5 cannot be written: the folder no/such/dir does not exist" err.txt \
      || { cat err.txt >&2; fail "a missing output folder was not refused at once"; }
    mkdir out.h5 baseline.h5
    expect_status 2 timeout 60 "$bin" run "$src/scenarios/baseline.toml" "${long[@]}" -o out.h5 -q
    grep -q -- "-o out.h5 is a directory" err.txt || { cat err.txt >&2; fail "an output directory was not refused at once"; }
    expect_status 2 timeout 60 "$bin" run "$src/scenarios/baseline.toml" "${long[@]}" -q
    grep -q -- "baseline.h5 is a directory" err.txt || { cat err.txt >&2; fail "a default output that is a directory was not refused"; }
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" --steps 2 -o r.h5 -q
    mkdir r.html
    for out in "" "-o r.html" "-o no/such/r.html"; do
      expect_status 2 "$bin" report r.h5 $out -q
      grep -q "r.html" err.txt || { cat err.txt >&2; fail "report '$out': an unwritable page was not refused"; }
    done
    [ "$(ls -A | sort | tr '\n' ' ')" = "baseline.h5 err.txt out.h5 out.txt r.h5 r.html " ] \
      || { ls -A >&2; fail "a refused command left a file"; }
    # -o "" (a script's empty variable) names no file: refused by every command that writes one,
    # before any work (it used to mean the default output, and replaced baseline.h5 unasked).
    rmdir baseline.h5 r.html
    for command in "run $src/scenarios/baseline.toml --steps 2" "report r.h5" "score r.h5" \
      "export r.h5" "lab $src/scenarios/baseline.toml" "sweep $src/scenarios/sweeps/brics-grid.toml" \
      "calibrate $src/scenarios/calibrations/replay-trade.toml"; do
      # shellcheck disable=SC2086 # the command's words
      expect_status 2 "$bin" $command -o ""
      grep -q -- '-o "" names no file: name one, or leave -o out' err.txt \
        || { cat err.txt >&2; fail "$command -o \"\" was not refused"; }
    done
    expect_status 2 "$bin" export r.h5 --series ""
    grep -q -- '--series "" names no file' err.txt || { cat err.txt >&2; fail "--series \"\" was not refused"; }
    [ "$(ls -A | sort | tr '\n' ' ')" = "err.txt out.h5 out.txt r.h5 " ] \
      || { ls -A >&2; fail "an empty -o left a file"; }
    ;;
  protected_output)
    # A result its owner made read-only is kept (rename(2) replaced it: it asks the folder only),
    # a replaced one keeps its permissions (a private 0600 came back 0644), and a symbolic link
    # into a folder that does not exist is refused before the work (exit 1 at its end). Root
    # writes every file: as root, the commands run as nobody in a folder nobody owns.
    as_user=()
    if [ "$(id -u)" = 0 ]; then
      chown 65534:65534 .
      as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    fi
    expect_status 0 "${as_user[@]}" "$bin" run "$src/scenarios/baseline.toml" --steps 2 -o kept.h5 -q
    expect_status 0 "${as_user[@]}" "$bin" report kept.h5 -o kept.html -q
    for file in kept.h5 kept.html; do
      chmod 0444 $file
      before=$(sha256sum $file)
      expect_status 2 "${as_user[@]}" "$bin" run "$src/scenarios/baseline.toml" --steps 3 -o $file -q
      grep -q -- "-o $file is write-protected (mode 0444): it is kept" err.txt \
        || { cat err.txt >&2; fail "a write-protected $file was not refused"; }
      [ "$(sha256sum $file)" = "$before" ] || fail "a write-protected $file was replaced"
    done
    expect_status 2 "${as_user[@]}" "$bin" report kept.h5 -o kept.html -q
    grep -q "kept.html.*is write-protected" err.txt || { cat err.txt >&2; fail "report replaced a protected page"; }
    chmod 0600 kept.h5
    expect_status 0 "${as_user[@]}" "$bin" run "$src/scenarios/baseline.toml" --steps 3 -o kept.h5 -q
    [ "$(stat -c %a kept.h5)" = 600 ] || fail "a replaced result lost its permissions: $(stat -c %a kept.h5)"
    ln -s nowhere/r.h5 dangling.h5
    expect_status 2 "${as_user[@]}" "$bin" run "$src/scenarios/baseline.toml" --steps 2 -o dangling.h5 -q
    grep -q -- "-o dangling.h5 is a symbolic link to nowhere/r.h5: cannot be written: the folder nowhere does not exist" err.txt \
      || { cat err.txt >&2; fail "a link into a missing folder was not refused at once"; }
    # A sweep its user may read and not write (a colleague's results, a read-only folder):
    # analyze prints its table, says it is not stored, and leaves the file as it was.
    pressure_series_sweep protected "$src" 8 '"relation_overall[PAK,RUS]"' > protected.toml
    expect_status 0 "${as_user[@]}" "$bin" sweep protected.toml -o protected.h5 -q
    chmod 0444 protected.h5
    before=$(sha256sum protected.h5)
    expect_status 0 "${as_user[@]}" "$bin" analyze protected.h5 --output 'relation_overall[PAK,RUS]'
    grep -q "^model.decide.pressure " out.txt || { cat out.txt >&2; fail "analyze of a protected sweep printed no table"; }
    grep -q "(not written to protected.h5: it cannot be written (permission denied); the table above is all there is)" out.txt \
      || { cat out.txt >&2; fail "analyze did not say the table was not stored"; }
    [ "$(sha256sum protected.h5)" = "$before" ] || fail "analyze changed a write-protected sweep"
    chmod 0644 protected.h5
    mkdir shelf && mv protected.h5 shelf/ && chmod 0555 shelf
    [ "$(id -u)" != 0 ] || chown 65534:65534 shelf
    expect_status 0 "${as_user[@]}" "$bin" analyze shelf/protected.h5 --output 'relation_overall[PAK,RUS]'
    grep -q "(not written to shelf/protected.h5: its folder .*/shelf cannot be written (permission denied)" out.txt \
      || { cat out.txt >&2; fail "analyze did not say the folder was read-only"; }
    [ -z "$(ls -A shelf | grep -v '^protected.h5$')" ] || fail "analyze left files in a read-only folder"
    [[ "$(ls -A)" != *tmp* ]] || fail "temporary files left behind"
    ;;
  interrupt_tail)
    # A signal in a run's last moments, after its last step (the writer catching up, the file
    # finished and renamed): it was not looked at any more, and the run exited 0 with its file
    # written. Now a signal sent before the file's rename gives 130, with nothing written or with
    # the file said to be complete; 0 only for one sent after it. SIGTERM at eight times spread
    # over the last half of a run of about a second (measured first): against the old program,
    # one or two of them landed in the window on a 2-core machine.
    printf 'name = "tail"\nbase = "%s"\n[time]\nyears = 10\nsteps_per_year = 365\n' \
      "$src/scenarios/baseline.toml" > tail.toml
    started=$(date +%s%N)
    expect_status 0 "$bin" run tail.toml -o tail.h5 -q
    took=$(( ($(date +%s%N) - started) / 1000000 ))  # ms
    rm -f tail.h5
    for k in 0 1 2 3 4 5 6 7; do
      delay_ms=$(( took / 2 + took * k / 14 ))
      "$bin" run tail.toml -o tail.h5 -q >out.txt 2>err.txt &
      pid=$!
      sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
      sent=$(date +%s%N)
      kill -TERM "$pid" 2>/dev/null || sent=""
      set +e; wait "$pid"; status=$?; set -e
      [ -n "$sent" ] || continue  # it had ended: nothing was asked of it
      renamed=""
      [ -e tail.h5 ] && renamed=$(stat -c %.9Z tail.h5 | tr -d .)
      case $status in
        0) [ -n "$renamed" ] && [ "$sent" -gt "$renamed" ] \
             || { cat err.txt >&2; fail "SIGTERM sent $(( (renamed - sent) / 1000000 )) ms before the rename, and the run exited 0"; } ;;
        130) if [ -n "$renamed" ]; then
               grep -q "^interdep: interrupted while its output was put in place: tail.h5 is complete$" err.txt \
                 || { cat err.txt >&2; fail "interrupted with its file written, and not said so"; }
               expect_status 0 "$bin" inspect tail.h5
             else
               grep -q "interrupted; no output was written" err.txt || { cat err.txt >&2; fail "no message"; }
             fi ;;
        *) cat err.txt >&2; fail "a run sent SIGTERM exited $status" ;;
      esac
      [ -z "$(find . -name '*tmp*')" ] || fail "a temporary file was left ($(find . -name '*tmp*'))"
      rm -f tail.h5
    done
    ;;
  interrupt)
    # Ctrl-C, kill or a closed terminal (SIGHUP) during a long run: exit 130, nothing at the
    # output path, no temporary files. `env --default-signal`: the signals as a terminal's shell
    # hands them over, whatever this script inherited (a CI runner under nohup ignores SIGHUP).
    for signal in INT TERM HUP; do
      env --default-signal=INT,TERM,HUP "$bin" run "$src/scenarios/baseline.toml" --set time.years=2000 --set time.steps_per_year=2500 \
        --set output.every=100000 --set output.contributions=false -o long.h5 -q >out.txt 2>err.txt &
      pid=$!
      sleep 1
      kill -"$signal" "$pid"
      set +e; wait "$pid"; status=$?; set -e
      [ "$status" = 130 ] || { cat err.txt >&2; fail "a run stopped by SIG$signal exited $status, expected 130"; }
      grep -q "interrupted; no output was written" err.txt || { cat err.txt >&2; fail "SIG$signal: no message"; }
      [ ! -e long.h5 ] || fail "a run stopped by SIG$signal left long.h5"
      [ -z "$(ls -A | grep -v -e out.txt -e err.txt)" ] || { ls -A >&2; fail "SIG$signal: files left behind"; }
    done
    # Ctrl-C twice: the second ends the run at once (what the first asked for may wait on a
    # write under way), with the same message, status and nothing left behind.
    env --default-signal=INT "$bin" run "$src/scenarios/baseline.toml" --set time.years=2000 --set time.steps_per_year=2500 \
      --set output.every=100000 --set output.contributions=false -o long.h5 -q >out.txt 2>err.txt &
    pid=$!
    sleep 1
    kill -INT "$pid"; kill -INT "$pid"
    set +e; wait "$pid"; status=$?; set -e
    [ "$status" = 130 ] || { cat err.txt >&2; fail "a run stopped by two SIGINTs exited $status, expected 130"; }
    grep -q "interrupted; no output was written" err.txt || { cat err.txt >&2; fail "two SIGINTs: no message"; }
    [ -z "$(ls -A | grep -v -e out.txt -e err.txt)" ] || { ls -A >&2; fail "two SIGINTs: files left behind"; }
    # A signal ignored at start stays ignored: under nohup (SIGHUP) a closed terminal does not
    # stop the run, nor Ctrl-C a background job of a shell without job control (SIGINT); the
    # second signal still stops it cleanly.
    survives_ignored() {
      local ignored=$1 stopper=$2
      (trap '' "$ignored"; exec env --default-signal="$stopper" "$bin" run "$src/scenarios/baseline.toml" \
        --set time.years=2000 --set time.steps_per_year=2500 --set output.every=100000 --set output.contributions=false -o long.h5 -q >out.txt 2>err.txt) &
      pid=$!
      sleep 1
      kill -"$ignored" "$pid"
      sleep 0.5
      kill -0 "$pid" 2>/dev/null || fail "a run started with SIG$ignored ignored was stopped by SIG$ignored"
      kill -"$stopper" "$pid"
      set +e; wait "$pid"; status=$?; set -e
      [ "$status" = 130 ] || { cat err.txt >&2; fail "the run with SIG$ignored ignored exited $status on SIG$stopper, expected 130"; }
      [ -z "$(ls -A | grep -v -e out.txt -e err.txt)" ] || { ls -A >&2; fail "run with SIG$ignored ignored: files left behind"; }
    }
    survives_ignored HUP INT
    survives_ignored INT TERM
    # SIGKILL cannot be caught: the temporary stays. The next write of the same output on this
    # machine removes it and says so; a live process's and another machine's are left alone.
    "$bin" run "$src/scenarios/baseline.toml" --set time.years=2000 --set time.steps_per_year=2500 --set output.every=100000 \
      --set output.contributions=false -o long.h5 -q >out.txt 2>err.txt &
    pid=$!
    sleep 1
    kill -KILL "$pid"
    set +e; wait "$pid" 2>/dev/null; set -e
    left=$(ls -A | grep "^\.long\.h5\.tmp-" || true)
    [ -n "$left" ] || { ls -A >&2; fail "a killed run left no temporary to clean"; }
    sleep 60 & alive=$!
    host=$(hostname | tr -c 'A-Za-z0-9.\n' '_')
    : > ".long.h5.tmp-$host-$alive-0"; : > ".long.h5.tmp-elsewhere-$pid-0"
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" --set time.years=1 -o long.h5 -q
    kill "$alive"
    grep -q "note: removed ./$left, the unfinished output of an earlier interdep process" err.txt \
      || { cat err.txt >&2; fail "the killed run's temporary was not removed with a note"; }
    [ ! -e "$left" ] || fail "the killed run's temporary is still there"
    [ -e ".long.h5.tmp-$host-$alive-0" ] || fail "a live process's temporary was removed"
    [ -e ".long.h5.tmp-elsewhere-$pid-0" ] || fail "another machine's temporary was removed"
    [ -e long.h5 ] || fail "the run after the kill wrote no long.h5"
    # A sweep stopped before any run finished keeps nothing: it said "finished runs are kept in
    # X.parts" over an empty folder. Signals at several early moments (the window is the
    # sweep's setup, before a worker takes a run): whatever a stop says is kept must be there.
    printf 'name = "early"\nscenario = "%s"\n[design]\nkind = "lhs"\nsamples = 40\n[parameters."actors.PAK.risk"]\nmin = -0.5\nmax = 0.5\n[record]\noutputs = ["relation_overall[PAK,RUS]"]\n' \
      "$src/scenarios/baseline.toml" > early.toml
    for delay in 0.01 0.02 0.03 0.05 0.07 0.09 0.12 0.2; do
      rm -rf early.h5 early.h5.parts
      set +e; timeout --preserve-status -s INT "$delay" "$bin" sweep early.toml -o early.h5 -q -j 1 >out.txt 2>err.txt; status=$?; set -e
      [ "$status" = 0 ] || [ "$status" = 130 ] || { cat err.txt >&2; fail "an early-stopped sweep exited $status"; }
      if grep -q "finished runs are kept in early.h5.parts" err.txt; then
        ls early.h5.parts/shard-*.h5 >/dev/null 2>&1 || { cat err.txt >&2; fail "a sweep stopped after ${delay} s says runs are kept, and none is stored"; }
      fi
      if grep -q "stopped after 0 of" err.txt; then
        grep -q "no finished run was stored in early.h5.parts: rerun with --resume to start again" err.txt \
          || { cat err.txt >&2; fail "a sweep stopped before any run finished did not say nothing was kept"; }
      fi
    done
    rm -rf early.h5 early.h5.parts early.toml
    # A Ctrl-C during a sweep's merge (its temporary in place) is answered once the merge is
    # done: exit 130, saying the merged file is complete (it was exit 0, the signal unanswered).
    pressure_series_sweep heavy "$src" 1500 '"relation_overall[PAK,RUS]", "energy_shortfall[PAK]", "gdp[PAK]", "trade[PAK,RUS]", "relation_overall[IND,PAK]", "leverage[USA,PAK]"' > heavy.toml
    expect_status 0 $py - "$bin" <<'PY'
import os, signal, subprocess, sys, time
sweep = subprocess.Popen([sys.argv[1], "sweep", "heavy.toml", "-o", "h.h5", "-q", "-j", "2"],
                         stderr=subprocess.PIPE, text=True)
during = False
while sweep.poll() is None:
    merging = [f for f in os.listdir(".") if f.startswith(".h.h5.tmp-")]
    if merging:
        sweep.send_signal(signal.SIGINT)
        during = os.path.exists(merging[0])
        break
    time.sleep(0.0002)
err = sweep.communicate()[1]
assert during, "the merge was not seen under way: " + err
assert sweep.returncode == 130, (sweep.returncode, err)
assert "sweep: interrupted while its runs were merged; the merge finished: h.h5 is complete" in err, err
assert os.path.exists("h.h5") and not os.path.exists("h.h5.parts")
PY
    ;;
  sweep_analyze)
    expect_status 0 "$bin" sweep "$src/tests/data/sweeps/small-saltelli.toml" -o s.h5 -j 2 -q
    expect_status 0 "$bin" analyze s.h5 --output "relation_overall[PAK,RUS]" --resamples 200
    grep -q "Sobol indices" out.txt || fail "analyze printed no Sobol table"
    grep -q "actors.PAK.risk" out.txt || fail "analyze names no parameter"
    cp out.txt plain.txt
    expect_status 0 $py -c "import h5py,sys; f=h5py.File('s.h5'); sys.exit(0 if 'analysis' in f else 'no /analysis group')"
    expect_status 0 $py -c "import xarray; ds=xarray.open_dataset('s.h5', engine='h5netcdf'); assert 'summary' in ds and ds.summary.dims == ('run','output','statistic'), ds"
    expect_status 2 "$bin" analyze s.h5 --output "trade[XXX,YYY]"
    grep -q "no output" err.txt || fail "an unknown output was not named"
    # An output however it is spaced, as a sweep file may write it: found, and named (and its
    # table stored) as the file names it.
    expect_status 0 "$bin" analyze s.h5 --output "relation_overall[ PAK , RUS ]" --resamples 200
    cmp -s out.txt plain.txt || { diff plain.txt out.txt >&2; fail "analyze of a spaced output differs"; }
    expect_status 0 "$bin" discover s.h5 --output "relation_overall[PAK, RUS]" --where "> 0"
    grep -q "^Scenario discovery: relation_overall\[PAK,RUS\] (final)" out.txt || { cat out.txt >&2; fail "discover of a spaced output"; }
    # Bootstrap resamples are bounded (time and memory grow with them): refused before any work.
    for resamples in 9 100001 18446744073709551615; do
      expect_status 2 "$bin" analyze s.h5 --output "relation_overall[PAK,RUS]" --resamples $resamples
      grep -q "('$resamples') for option '--resamples' is invalid: expected a whole number from 10 to 100000" err.txt || { cat err.txt >&2; fail "--resamples $resamples: no bounds given"; }
    done
    # export -o -: the table on standard output, the same as in a file (and no file named -).
    expect_status 0 "$bin" export s.h5 --csv -o table.csv
    "$bin" export s.h5 --csv -o - > piped.csv 2> said.txt || { cat said.txt >&2; fail "export -o - failed"; }
    cmp -s table.csv piped.csv || fail "export -o - printed another table than the file's"
    [ ! -e ./- ] || fail "export -o - wrote a file named -"
    # An onset some finished runs never reached: no indices, and the refusal says so (not that
    # the run did not finish) and where such runs are cases.
    cat > onset.toml <<TOML
name = "onset"
scenario = "$src/scenarios/brics.toml"
[design]
kind = "lhs"
samples = 6
[parameters."actors.PAK.risk"]
min = -1.0
max = 0.5
[record]
mode = "summary"
outputs = ["membership[PAK,BRICS]"]
statistics = ["onset"]
TOML
    expect_status 0 "$bin" sweep onset.toml -o onset.h5 -q
    expect_status 0 $py -c "import h5py,numpy,sys; s=h5py.File('onset.h5')['summary'][...]; sys.exit(0 if numpy.isnan(s).any() else 'every run reached the onset: the case tests nothing')"
    expect_status 2 "$bin" analyze onset.h5 --output "membership[PAK,BRICS]" --statistic onset
    grep -q "the onset never came in that run" err.txt || { cat err.txt >&2; fail "an onset never reached was not called so"; }
    ! grep -q "not finished" err.txt || fail "a finished run was called not finished"
    # Common random numbers: the risk attitudes of the passive EU and Qatar move nothing, so with
    # a seed per run the indices measure noise and analyze says so with the figure; with common
    # seeds (the default for Saltelli) every point runs on the same noise and there is nothing to
    # apportion.
    for seeds in per_run common; do
      for replicates in 1 2; do
        cat > noise.toml <<TOML
name = "noise"
scenario = "$src/scenarios/baseline.toml"
replicates = $replicates
$([ $seeds = per_run ] && echo 'seeds = "per_run"')
[design]
kind = "saltelli"
samples = 8
[parameters."actors.EU.risk"]
distribution = "uniform"
min = -1.0
max = 0.5
[parameters."actors.QAT.risk"]
distribution = "uniform"
min = -1.0
max = 0.5
[record]
outputs = ["relation_overall[RUS,USA]"]
statistics = ["final"]
TOML
        expect_status 0 "$bin" sweep noise.toml -o n-$seeds-$replicates.h5 -j 2 -q
        expect_status 0 "$bin" analyze n-$seeds-$replicates.h5 --output "relation_overall[RUS,USA]" --resamples 50
        cp out.txt analyze-$seeds-$replicates.txt
      done
    done
    grep -q "^warning: every run has its own seed and there is one replicate" analyze-per_run-1.txt \
      || fail "no warning for per-run seeds without replicates"
    grep -q "^warning: run-to-run noise is [0-9]*\.[0-9] % of the variance" analyze-per_run-2.txt \
      || fail "no warning with the noise's share for per-run seeds with replicates"
    share=$(sed -n 's/^Run-to-run noise: \([0-9.]*\) %.*/\1/p' analyze-per_run-2.txt)
    [ "${share%.*}" -ge 50 ] || fail "the noise's share of an output no parameter moves is only $share %"
    grep -q "^Seeds: common" analyze-common-1.txt || fail "the default seeds of a Saltelli sweep are not common"
    # One replicate on common seeds: every run the same, and analyze says that there is nothing to
    # apportion (no noise warning: there is no noise between the runs).
    grep -q "^warning: the output is .* in every run: neither the parameters nor the noise move it" \
      analyze-common-1.txt || fail "an output that is the same in every run was not named as such"
    ! grep -q "noise is\|own seed" analyze-common-1.txt || fail "a common-seed sweep without replicates was warned about noise"
    grep -q "^warning: the replicate-averaged output is the same at every design point" analyze-common-2.txt \
      || fail "an output no parameter moves was not named as such under common seeds"
    expect_status 0 $py -c "import h5py, sys; f = h5py.File('n-common-1.h5'); \
sys.exit(0 if f.attrs['seeds'] == 'common' and len(set(f['design/seed'][()])) == 1 else 'seeds not shared')"
    # Common seeds, replicates, and a parameter that moves the output (Pakistan's risk attitude):
    # each replicate's noise shifts every point alike, which no index can see, so the noise's
    # share is what the points do not share (small here), and no warning.
    sed -e 's/^replicates = .*/replicates = 3/' -e 's/actors.QAT.risk/actors.PAK.risk/' \
      -e 's/RUS,USA/PAK,RUS/' noise.toml > moved.toml
    expect_status 0 "$bin" sweep moved.toml -o moved.h5 -j 2 -q
    expect_status 0 "$bin" analyze moved.h5 --output "relation_overall[PAK,RUS]" --resamples 50
    share=$(sed -n 's/^Run-to-run noise: \([0-9.]*\) %.*/\1/p' out.txt)
    [ -n "$share" ] && [ "${share%.*}" -lt 1 ] || { cat out.txt >&2; fail "common seeds: the noise's share counts the replicates' shared shift ($share %)"; }
    ! grep -q "^warning: run-to-run noise" out.txt || fail "common seeds: warned about a shift every point shares"
    # The EU's risk attitude moves nothing (a passive actor): its ST is an exact 0, named as a
    # parameter the scenario may not use; Pakistan's is not named.
    grep -q "^warning: actors.EU.risk changed the output in none of its 8 one-at-a-time changes" out.txt \
      || { cat out.txt >&2; fail "a parameter no change of which moved the output was not named"; }
    ! grep -q "^warning: .*actors.PAK.risk.* changed the output in none" out.txt \
      || { cat out.txt >&2; fail "a parameter that moves the output was named as unmoved"; }
    [ "$(grep -c "one-at-a-time" analyze-common-2.txt)" = 0 ] \
      || fail "an output the same at every point had its parameters named one by one too"
    # A discrete parameter of one value never changes in the design: nothing to say of its 0
    # (it was named as a parameter whose changes moved nothing).
    printf 'name = "fixed"\nscenario = "%s"\n[design]\nkind = "saltelli"\nsamples = 4\n[parameters."actors.PAK.risk"]\ndistribution = "discrete"\nvalues = [0.3]\n[parameters."actors.PAK.responsiveness"]\nmin = 0.5\nmax = 1.5\n[record]\noutputs = ["relation_overall[PAK,RUS]"]\nstatistics = ["final"]\n' \
      "$src/scenarios/baseline.toml" > fixed.toml
    expect_status 0 "$bin" sweep fixed.toml -o fixed.h5 -q
    expect_status 0 "$bin" analyze fixed.h5 --output "relation_overall[PAK,RUS]" --resamples 50
    ! grep -q "one-at-a-time" out.txt || { cat out.txt fixed.toml >&2; fail "a parameter the design never changed was named as unmoved"; }
    # The warning's share is the table's, to the same decimal.
    line=$(sed -n 's/^Run-to-run noise: \([0-9.]*\) %.*/\1/p' analyze-per_run-2.txt)
    grep -q "^warning: run-to-run noise is $line % " analyze-per_run-2.txt || fail "the warning's share is not the table's ($line %)"
    # One base sample, one trajectory: single estimates, no interval (not one of width 0), said
    # on a line of its own; the level as given (97.5 %) and stored as given; Morris effects in
    # the output's units.
    for kind in saltelli morris; do
      sed -e 's/^replicates = .*/replicates = 1/' -e 's/^samples = .*/samples = 1/' \
        -e "s/^kind = .*/kind = \"$kind\"/" moved.toml > one-$kind.toml
      expect_status 0 "$bin" sweep one-$kind.toml -o one-$kind.h5 -q
      expect_status 0 "$bin" analyze one-$kind.h5 --output "relation_overall[PAK,RUS]" --confidence 0.975
      grep -q "97.5 % bootstrap interval" out.txt || { cat out.txt >&2; fail "$kind: the level 0.975 not printed as 97.5 %"; }
      grep -q "^warning: one \(base sample\|trajectory\): each .* single" out.txt || { cat out.txt >&2; fail "$kind: one sample, and no warning"; }
      grep -q "nan" out.txt || { cat out.txt >&2; fail "$kind: one sample's interval is not NaN"; }
    done
    expect_status 0 $py - <<'PY'
import h5py, math
with h5py.File("one-morris.h5") as f:
    g = f["analysis/morris:relation_overall[PAK,RUS]:final"]
    assert g.attrs["confidence"] == "0.975", g.attrs["confidence"]
    assert all(math.isnan(v) for v in g["mu_star_low"][()]), g["mu_star_low"][()]
    # relation_overall is a relation on [-1, 1], units "1"; trade is in US$ bn/yr.
    assert g["mu_star"].attrs["units"] == f["output_units"][0].decode(), g["mu_star"].attrs["units"]
PY
    sed -e 's/relation_overall\[PAK,RUS\]/trade[CHN,RUS]/' one-morris.toml > one-trade.toml
    expect_status 0 "$bin" sweep one-trade.toml -o one-trade.h5 -q
    expect_status 0 "$bin" analyze one-trade.h5 --output "trade[CHN,RUS]"
    expect_status 0 $py -c "import h5py; f = h5py.File('one-trade.h5'); u = f['analysis/morris:trade[CHN,RUS]:final/sigma'].attrs['units']; assert u == 'US\$ bn/yr', u"
    ;;
  sweep_policies)
    # Policies × uncertainties (the baseline policy named "1e3", a name that reads as a number):
    # every design point under each policy on the same seeds; export,
    # inspect, analyze and discover name the policy, and run --from-sweep reruns a policy's run.
    cat > policies.toml <<EOF
name = "policies"
scenario = "$src/scenarios/pipeline.toml"
seed = 9
[design]
kind = "lhs"
samples = 6
[parameters."actors.PAK.risk"]
min = -1.0
max = 0.5
[parameters."model.decide.pressure"]
distribution = "loguniform"
min = 0.5
max = 8.0
[policies."1e3"]
[policies."line not built"]
'events."Pakistan Stream completed: Pakistan can land and move 12.3 bcm/yr more LNG".capacity' = 10.5
[record]
outputs = ["relation_overall[PAK,RUS]", "energy_shortfall[PAK]"]
statistics = ["final"]
EOF
    expect_status 0 "$bin" sweep policies.toml -o p.h5 -j 2 -q
    expect_status 0 "$bin" export p.h5 --csv -o p.csv
    [ "$(head -1 p.csv | cut -d, -f1-4)" = "run,policy,point,replicate" ] || fail "export has no policy column"
    [ "$(grep -c ',line not built,' p.csv)" = 6 ] && [ "$(grep -c ',1e3,' p.csv)" = 6 ] \
      || { cat p.csv >&2; fail "export does not give each policy its 6 runs"; }
    # Both policies ran the same points on the same seeds.
    [ "$(grep ',1e3,' p.csv | cut -d, -f3-5)" = "$(grep ',line not built,' p.csv | cut -d, -f3-5)" ] \
      || fail "the policies did not meet the same points and seeds"
    expect_status 0 "$bin" inspect p.h5
    grep -q '^  line not built: events."Pakistan Stream completed' out.txt || { cat out.txt >&2; fail "inspect lists no policies"; }
    grep -q "^    final  line not built  " out.txt || fail "inspect does not summarise by policy"
    expect_status 2 "$bin" analyze p.h5 --output "relation_overall[PAK,RUS]"
    grep -q "runs 2 policies, each analysed on its own: name one ('1e3', 'line not built')" err.txt \
      || { cat err.txt >&2; fail "analyze did not ask for a policy"; }
    expect_status 0 "$bin" analyze p.h5 --output "relation_overall[PAK,RUS]" --policy "line not built" --resamples 20
    grep -q "under policy 'line not built': 6 design points, 6 runs" out.txt || { cat out.txt >&2; fail "analyze --policy"; }
    expect_status 0 "$bin" discover p.h5 --output "energy_shortfall[PAK]" --where "> 45"
    grep -q "^  policy  *{line not built}" out.txt || { cat out.txt >&2; fail "discover did not find the policy"; }
    # A policy's name is shown as written, not read as a number ("1e3", not "1000").
    grep -q "(of {1e3, line not built})" out.txt || { cat out.txt >&2; fail "discover rewrote a policy's name"; }
    # Run 8 is "line not built", point 2: rerun alone, it ends where the sweep says.
    expect_status 0 "$bin" run --from-sweep p.h5 --run 8 -o r8.h5 -q
    expect_status 0 $py -c "
import h5py
s, r = h5py.File('p.h5'), h5py.File('r8.h5')
pak = list(r['actor'][()]).index(b'PAK')
assert s['design/policy'][8] == 1, s['design/policy'][()]
assert r['energy_shortfall'][-1][pak] == s['summary'][8, 1, 0], (r['energy_shortfall'][-1][pak], s['summary'][8])"
    ;;
  from_sweep)
    expect_status 0 "$bin" sweep "$src/tests/data/sweeps/small-lhs.toml" -o l.h5 -j 2 -q
    for k in 0 5 23; do
      expect_status 0 "$bin" run --from-sweep l.h5 --run $k -o r$k.h5 -q
      expect_status 0 $py "$src/tests/from_sweep_check.py" l.h5 $k r$k.h5
    done
    expect_status 2 "$bin" run --from-sweep l.h5 --run 24
    grep -q "out of range" err.txt || fail "a run index out of range was not refused"
    # export: the sweep as a tidy table, value for value, and its series a row per run, time and
    # output; a run file or a missing format is refused.
    expect_status 0 "$bin" export l.h5 --csv -o l.csv --series ls.csv
    expect_status 0 $py - l.h5 l.csv ls.csv <<'PY'
import csv, sys, h5py, numpy as np
f = h5py.File(sys.argv[1])
rows = list(csv.DictReader(open(sys.argv[2])))
text = lambda v: v.decode() if isinstance(v, bytes) else v
outputs = [text(o) for o in f["output"][()]]
stats = [text(s) for s in f["statistic"][()]]
summary = f["summary"][()]
assert len(rows) == summary.shape[0], (len(rows), summary.shape)
for r, row in enumerate(rows):
    assert int(row["run"]) == r and row["status"] == "done", row
    assert int(row["seed"]) == int(f["design/seed"][r]), row["seed"]
    for o, name in enumerate(outputs):
        for s, stat in enumerate(stats):
            assert float(row[f"{name}:{stat}"]) == summary[r, o, s], (r, name, stat)
assert {row["model.decide.integrator"] for row in rows} == {"euler", "rk4"}
series = list(csv.DictReader(open(sys.argv[3])))
assert len(series) == f["series"].shape[0] * f["series"].shape[1] * f["series"].shape[2]
last = series[-1]
assert float(last["value"]) == f["series"][int(last["run"]), -1, len(outputs) - 1]
print(len(rows), "runs and", len(series), "series rows exact")
PY
    expect_status 2 "$bin" export l.h5 -o x.csv
    grep -q "export needs a format: --csv" err.txt || fail "export without a format was not refused"
    # No command writes over a file it reads (the table over its sweep, a run over its
    # scenario or its sweep, a report over its run), nor writes two outputs into one file.
    cp l.h5 keep.h5
    expect_status 2 "$bin" export keep.h5 --csv -o ./keep.h5
    grep -q -- "^interdep: -o ./keep.h5 is keep.h5, which this command reads" err.txt \
      || fail "export over its own sweep was not refused"
    # discover's -o is --boxes (its --output names a quantity): named both ways.
    expect_status 2 "$bin" discover keep.h5 --output "relation_overall[PAK,RUS]" --where ">0" -o keep.h5
    grep -q -- "^interdep: -o (--boxes) keep.h5 is keep.h5, which this command reads" err.txt \
      || { cat err.txt >&2; fail "discover over its own sweep was not refused as -o"; }
    expect_status 2 "$bin" run --from-sweep keep.h5 --run 0 -o keep.h5 -q
    cmp -s keep.h5 l.h5 || fail "a command wrote over the sweep it read"
    cp "$src/scenarios/baseline.toml" own.toml
    expect_status 2 "$bin" run own.toml -o "$PWD/own.toml" -q
    cmp -s own.toml "$src/scenarios/baseline.toml" || fail "run wrote over its scenario"
    expect_status 0 "$bin" run own.toml -o own.h5 -q
    cp own.h5 own-copy.h5
    expect_status 2 "$bin" report own.h5 -o ../"$(basename "$PWD")"/own.h5 -q
    cmp -s own.h5 own-copy.h5 || fail "report wrote over its run"
    # Nor over the files it reads on the way: a base scenario, a sweep's scenario and design
    # table, a checks file's scenario (base chain included), a report's baseline. Each is
    # refused before any work and left as it was.
    printf 'base = "own.toml"\nname = "small"\n[time]\nyears = 1\n' > small.toml
    printf 'actors.PAK.risk\n0.1\n0.2\n' > d.csv
    printf 'name = "tiny"\nscenario = "small.toml"\n[design]\nkind = "csv"\nfile = "d.csv"\n[record]\noutputs = ["trade[RUS,PAK]"]\n' > tiny.toml
    { printf 'name = "c"\nscenario = "small.toml"\n'; level_check "a level" 2025-06-01 2; } > c.toml
    cp small.toml small.keep; cp own.toml own.keep; cp d.csv d.keep
    for command in "run small.toml -o own.toml" "sweep tiny.toml -o small.toml" "sweep tiny.toml -o d.csv" \
                   "sweep tiny.toml -o ./x/../own.toml" "check c.toml -o own.toml"; do
      mkdir -p x
      expect_status 2 "$bin" $command -q
      grep -q "a file this command reads: writing it would destroy it" err.txt \
        || { cat err.txt >&2; fail "$command: an input was not named"; }
      cmp -s small.toml small.keep && cmp -s own.toml own.keep && cmp -s d.csv d.keep \
        || fail "$command wrote over a file it read"
    done
    cp own.h5 base.h5
    expect_status 2 "$bin" report own.h5 --baseline base.h5 -o base.h5 -q
    cmp -s base.h5 own.h5 || fail "report wrote over its baseline"
    expect_status 2 "$bin" export l.h5 --csv -o t.csv --series ./t.csv
    grep -q "name the same file" err.txt || fail "export into one file twice was not refused"
    expect_status 0 "$bin" run "$src/scenarios/baseline.toml" -o one.h5 -q
    expect_status 2 "$bin" export one.h5 --csv -o x.csv
    grep -q "one.h5.*not a sweep file" err.txt || fail "export of a run file did not name it"
    [ ! -e x.csv ] || fail "a refused export wrote a table"
    # A sweep key naming an event by its label: the runs equal those of the same sweep by index.
    for way in label index; do
      key=1
      [ $way = label ] && key='"European Union widens sanctions on Russia"'
      cat > by-$way.toml <<TOML
name = "by-label"
scenario = "$src/scenarios/sanctions.toml"
[design]
kind = "lhs"
samples = 4
[parameters.'events.$key.intensity']
distribution = "uniform"
min = 0.2
max = 1.0
[record]
outputs = ["trade[RUS,EU]"]
statistics = ["final"]
TOML
      expect_status 0 "$bin" sweep by-$way.toml -o by-$way.h5 -j 2 -q
    done
    expect_status 0 $py -c "import h5py, numpy, sys; a, b = (h5py.File(f)['summary'][()] for f in sys.argv[1:]); \
sys.exit(0 if numpy.array_equal(a, b) else 'a sweep by label differs from one by index')" by-label.h5 by-index.h5
    sed 's/European Union widens/EU widens/' by-label.toml > by-bad.toml
    expect_status 2 "$bin" validate by-bad.toml
    grep -q "no element is labelled \"EU widens sanctions on Russia\"" err.txt || fail "an unknown event label was not refused"
    # An LHS sweep: standardised regression and partial rank correlation coefficients.
    expect_status 0 "$bin" analyze l.h5 --output "trade[CHN,RUS]" --resamples 100
    grep -q "^Standardised regression (SRC) and partial rank correlation (PRCC)" out.txt \
      || fail "analyze of an LHS sweep gave no regression table"
    grep -q "^R^2: " out.txt || fail "analyze of an LHS sweep gave no R^2"
    expect_status 0 $py -c "import h5py, sys; g = h5py.File('l.h5')['analysis/regression:trade[CHN,RUS]:final']; \
sys.exit(0 if {'SRC', 'PRCC'} <= set(g) and 0 <= float(g.attrs['R2']) <= 1 else list(g))"
    # inspect tells a sweep file: its design and each output's statistics over the runs.
    expect_status 0 "$bin" inspect l.h5
    grep -q "^Design: lhs, 24 runs (24 done, 0 failed)" out.txt || fail "inspect of a sweep names no design"
    grep -q "median \[5th .. 95th percentile\]" out.txt || fail "inspect of a sweep gives no statistics"
    expect_status 0 "$bin" inspect l.h5 --scenario
    grep -q "^\[actors" out.txt || fail "inspect --scenario of a sweep printed no scenario"
    ;;
  install)
    # cmake --install puts the program in PREFIX/bin and the scenarios and docs in
    # PREFIX/share/interdep; moved elsewhere, the program still finds its default scenario
    # (relative to itself) and runs the shipped sweeps from there.
    expect_status 0 cmake --install "$(dirname "$bin")" --prefix "$PWD/prefix"
    [ -x prefix/bin/interdep ] && [ -f prefix/share/interdep/scenarios/baseline.toml ] \
      && [ -f prefix/share/interdep/docs/model.md ] || fail "the installation is incomplete"
    mv prefix moved
    mkdir elsewhere
    (cd elsewhere && "../moved/bin/interdep" run -o default.h5) > out.txt 2> err.txt \
      || { cat err.txt >&2; fail "the installed program did not run its default scenario"; }
    grep -q "^From: $PWD/moved/share/interdep/scenarios/baseline.toml " out.txt \
      || { head -3 out.txt >&2; fail "the moved installation did not find its own default scenario"; }
    expect_status 0 moved/bin/interdep sweep moved/share/interdep/scenarios/sweeps/brics-grid.toml \
      -o bg.h5 -j 2 -q
    # A project of its own builds against the moved installation with find_package(interdep)
    # and runs a scenario through the library.
    expect_status 0 cmake -S "$src/tests/install_consumer" -B consumer -DCMAKE_PREFIX_PATH="$PWD/moved" \
      -DCMAKE_BUILD_TYPE=Release
    expect_status 0 cmake --build consumer
    expect_status 0 consumer/consumer moved/share/interdep/scenarios/baseline.toml
    grep -qx "baseline: 121 frames" out.txt || { cat out.txt >&2; fail "the consumer did not run the baseline"; }
    # The Python module, where it was built: installed in PREFIX/lib/python3.X/dist-packages, it
    # imports from the moved prefix and runs the installed default scenario.
    if [ -d "$(dirname "$bin")/python/interdep" ]; then
      site=$(echo moved/lib/python3.*/dist-packages)
      [ -f "$site/interdep/__init__.py" ] && ls "$site"/interdep/_interdep*.so > /dev/null \
        || fail "the Python module was not installed in PREFIX/lib/python3.X/dist-packages"
      (cd elsewhere && PYTHONPATH="$PWD/../$site" /usr/bin/python3 -c "
import interdep
path = interdep.scenario_path()
ds = interdep.run(set={'time.years': 1})
print(path, ds.sizes['time'], interdep.__file__)") > out.txt 2> err.txt \
        || { cat err.txt >&2; fail "the installed Python module did not run"; }
      grep -q "^$PWD/moved/share/interdep/scenarios/baseline.toml 13 $PWD/moved/lib/" out.txt \
        || { cat out.txt >&2; fail "the installed Python module did not use the moved prefix"; }
    fi
    ;;
  discover)
    # Scenario discovery on the BRICS grid: Pakistan is admitted under the majority rule, the
    # discrete parameter PRIM restricts first, and the chosen box names it by its value.
    expect_status 0 "$bin" sweep "$src/scenarios/sweeps/brics-grid.toml" -o bg.h5 -j 2 -q
    expect_status 0 "$bin" discover bg.h5 --output "membership[PAK,BRICS]" --where "== 1" -o boxes.csv
    grep -q "^Scenario discovery: membership\[PAK,BRICS\] (final) == 1 in [0-9]* of 150 finished runs" out.txt \
      || { cat out.txt >&2; fail "discover did not count the cases"; }
    grep -q "^  institutions.BRICS.rule  *{majority}   (of {consensus, majority})" out.txt \
      || { cat out.txt >&2; fail "the chosen box does not restrict the rule to majority"; }
    grep -q "^Box [0-9]* (the most coverage at density >= 0.8)" out.txt || fail "no box chosen"
    grep -q "^Pasting (paste alpha 0.05) widens no side of box [0-9]*\.$" out.txt \
      || { cat out.txt >&2; fail "the pure majority box was pasted"; }
    grep -q "^  institutions.BRICS.rule in {majority}: 75 runs, 75 cases (100 %)" out.txt \
      || { cat out.txt >&2; fail "CART does not split on the rule"; }
    [ "$(head -1 boxes.csv | cut -d, -f1-6)" = "box,coverage,density,mass,runs,cases" ] || fail "boxes.csv header"
    # The CSV keeps every digit (coverage 25/27 read back exactly) and names a discrete
    # parameter's limits by its values (they were indices, 0 and 1).
    expect_status 0 $py - <<'PY'
import csv
rows = list(csv.DictReader(open("boxes.csv")))
assert rows[0]["institutions.BRICS.rule:low"] == "consensus", rows[0]
assert rows[0]["institutions.BRICS.rule:high"] == "majority", rows[0]
assert {r["institutions.BRICS.rule:low"] for r in rows} <= {"consensus", "majority"}
for r in rows:
    cases, runs = int(r["cases"]), int(r["runs"])
    assert float(r["density"]) == cases / runs, (r["density"], cases, runs)
PY
    # A condition that holds in every run or in none: no box to find, and -o still writes the
    # table a script reads next, the whole space alone as box 0.
    for where in "> -1" "> 2"; do
      rm -f none.csv
      expect_status 0 "$bin" discover bg.h5 --output "membership[PAK,BRICS]" --where "$where" -o none.csv
      grep -q "there is no box to find" out.txt || { cat out.txt >&2; fail "discover $where: no note"; }
      [ "$(wc -l < none.csv)" = 2 ] || { cat none.csv >&2; fail "discover $where -o: not the whole space alone"; }
      [ "$(sed -n 2p none.csv | cut -d, -f1,4,5)" = "0,1,150" ] || { cat none.csv >&2; fail "discover $where -o: box 0"; }
    done
    expect_status 2 "$bin" discover bg.h5 --output "membership[PAK,BRICS]" --where "== 1" --paste-alpha 0.7
    grep -q "paste-alpha must lie in" err.txt || fail "a paste alpha out of range was not refused"
    expect_status 2 "$bin" discover bg.h5 --output "membership[PAK,BRICS]" --where "about 1"
    grep -q "expected an operator" err.txt || fail "a bad condition was not refused"
    expect_status 2 "$bin" discover bg.h5 --output "membership[PAK,BRICS]" --where "== 1" --depth 100
    grep -q "expected a whole number from 0 to 12" err.txt || fail "a CART depth beyond the cap was not refused"
    expect_status 2 "$bin" discover bg.h5 --output "trade[XXX,YYY]" --where "> 0"
    grep -q "bg.h5: no output 'trade\[XXX,YYY\]'" err.txt || fail "an unknown output was not named"
    # A discrete parameter of four values split twice on one path: the deeper rule lists only the
    # values left at its node, and floats read as written (0.8, not 0.80000000000000004). The
    # tree is that of seed 3.
    cat > four.toml <<EOF
name = "four-values"
scenario = "$src/scenarios/brics.toml"
seed = 3
replicates = 4
[design]
kind = "grid"
[parameters."relations.IND.PAK.diplomacy"]
distribution = "discrete"
values = [0.8, -0.8, 0.6, -0.6]
[parameters."relations.IND.PAK.security"]
distribution = "discrete"
values = [0.8, -0.8, 0.6]
[parameters."institutions.BRICS.rule"]
distribution = "discrete"
values = ["consensus", "majority"]
[record]
mode = "summary"
outputs = ["membership[PAK,BRICS]"]
statistics = ["final"]
EOF
    expect_status 0 "$bin" sweep four.toml -o four.h5 -j 2 -q
    expect_status 0 "$bin" discover four.h5 --output "membership[PAK,BRICS]" --where "== 1"
    grep -q "^    relations.IND.PAK.diplomacy in {-0.8, 0.6, -0.6}: 36 runs" out.txt \
      || { cat out.txt >&2; fail "CART's first split on the four values"; }
    grep -q "^      relations.IND.PAK.diplomacy in {-0.8}: 12 runs" out.txt \
      || { cat out.txt >&2; fail "CART's second split on the same parameter lists values of the first"; }
    grep -q "^      relations.IND.PAK.diplomacy in {0.6, -0.6}: 24 runs" out.txt \
      || { cat out.txt >&2; fail "CART's second split, the other side"; }
    ;;
  from_sweep_discrete)
    # Discrete values holding "|" and backslashes (actor names) come back from the sweep file:
    # each run --from-sweep names Pakistan as its sweep did and reproduces its series.
    cat > bars.toml <<EOF
name = "bars"
scenario = "$src/scenarios/sanctions.toml"
[design]
kind = "grid"
[parameters."actors.PAK.name"]
distribution = "discrete"
values = ["Pak|istan", 'C:\dir|x\', "a\\\\|b\\\\", '\\\\|']
[record]
mode = "every"
every = 12
outputs = ["relation_overall[PAK,RUS]", "gdp[PAK]"]
EOF
    expect_status 0 "$bin" sweep bars.toml -o bars.h5 -q
    # inspect lists the values as export and discover show them: as written, not as stored
    # literals ('Pak|istan' in quotes; -0.80000000000000004 for -0.8).
    expect_status 0 "$bin" inspect bars.h5
    grep -qF 'actors.PAK.name: {Pak|istan, C:\dir|x\, a\|b\, \\|}' out.txt \
      || { cat out.txt >&2; fail "inspect showed the stored literals of discrete values"; }
    names=('Pak|istan' 'C:\dir|x\' 'a\|b\' '\\|')
    for k in 0 1 2 3; do
      expect_status 0 "$bin" run --from-sweep bars.h5 --run $k -o r$k.h5 -q
      expect_status 0 $py "$src/tests/from_sweep_check.py" bars.h5 $k r$k.h5
      expect_status 0 $py - r$k.h5 "${names[$k]}" <<'PY'
import sys, h5py
names = [s.decode() if isinstance(s, bytes) else s for s in h5py.File(sys.argv[1])["actor_name"][()]]
sys.exit(0 if sys.argv[2] in names else f"{sys.argv[1]}: no actor named {sys.argv[2]!r} in {names}")
PY
    done
    ;;
  sweep_kill_resume)
    # kill -9 a real sweep once it has written a shard, resume it, compare with an uninterrupted one.
    # (long-lhs with yearly series, which the merge inflates.)
    sweep=$PWD/long-series.toml
    sed "s|^scenario = .*|scenario = \"$src/scenarios/sanctions.toml\"|" "$src/tests/data/sweeps/long-lhs.toml" > "$sweep"
    printf 'mode = "every"\nevery = 12\n' >> "$sweep"
    "$bin" sweep "$sweep" -o k.h5 -j 1 -q >out.txt 2>err.txt &
    pid=$!
    shards() { ls k.h5.parts/shard-*.h5 2>/dev/null | wc -l; }
    for _ in $(seq 1 300); do
      [ "$(shards)" -ge 2 ] && break
      sleep 0.1
    done
    [ "$(shards)" -ge 2 ] || { kill -9 $pid; fail "two shards were not written"; }
    kill -9 $pid
    set +e; wait $pid; set -e
    [ ! -e k.h5 ] || fail "a killed sweep left k.h5"
    expect_status 2 "$bin" sweep "$sweep" -o k.h5 -q
    grep -q -- "--resume" err.txt || fail "restarting without --resume did not point to it"
    # A shard given where a result is read says what it is and what finishes it.
    first_shard=$(ls k.h5.parts/shard-*.h5 | sed -n 1p)
    for reader in "inspect $first_shard" "run --from-sweep $first_shard --run 0 -o one.h5"; do
      expect_status 2 "$bin" $reader
      grep -q "this is a shard of a sweep not yet finished (runs it has run so far): \`interdep sweep SWEEP.toml -o k.h5 --resume\` runs the rest" err.txt \
        || { cat err.txt >&2; fail "'$reader' did not name the shard of an unfinished sweep"; }
    done
    # From another folder the output is named by the path the shard was given by: following
    # the advice from there resumes this sweep (the bare name started another).
    mkdir -p elsewhere
    (cd elsewhere && "$bin" inspect "../$first_shard" > ../out.txt 2> ../err.txt) && fail "inspect of a shard succeeded"
    grep -q "\`interdep sweep SWEEP.toml -o ../k.h5 --resume\`" err.txt || { cat err.txt >&2; fail "a shard's advice from another folder does not name ../k.h5"; }
    # Shards damaged from outside: one cut short (found when resuming), one whose series cannot
    # be inflated (found by the merge). Each is set aside as SHARD.damaged, and its runs are run
    # again by the next --resume (once the merge had failed, --resume used to fail the same way).
    cut=$(ls k.h5.parts/shard-*.h5 | sed -n 1p) garbled=$(ls k.h5.parts/shard-*.h5 | sed -n 2p)
    head -c 3000 "$cut" > cut.tmp && mv cut.tmp "$cut"
    expect_status 0 $py - "$garbled" <<'PY'
import h5py, sys
with h5py.File(sys.argv[1], "r") as f:
    chunk = f["series"].id.get_chunk_info(0)
with open(sys.argv[1], "r+b") as f:
    f.seek(chunk.byte_offset)
    f.write(b"\xff" * chunk.size)
PY
    expect_status 1 "$bin" sweep "$sweep" -o k.h5 -j 2 --resume
    grep -q "^sweep: $cut is damaged (.*): set aside as ${cut##*/}.damaged; its runs are run again" err.txt \
      || { cat err.txt >&2; fail "a shard cut short was not set aside"; }
    grep -q "^interdep: error: $garbled: .*the shard is damaged and was set aside as ${garbled##*/}.damaged: rerun with --resume to run its runs again" err.txt \
      || { cat err.txt >&2; fail "a shard the merge could not read was not set aside"; }
    [ -e "$garbled.damaged" ] && [ ! -e "$garbled" ] && [ ! -e k.h5 ] || fail "the garbled shard was not set aside"
    # A value no run records, changed in place (shards carry no checksums: it merged as an
    # overall relation of -12.9): found by the merge, and the shard set aside the same way.
    valued=$(ls k.h5.parts/shard-*.h5 | sed -n 2p)
    expect_status 0 $py - "$valued" <<'PY'
import h5py, sys
with h5py.File(sys.argv[1], "r+") as f:
    s = f["summary"][()]
    s[0, 0] = -12.9
    f["summary"][()] = s
PY
    expect_status 1 "$bin" sweep "$sweep" -o k.h5 -j 2 --resume
    grep -q "^interdep: error: $valued: read dataset /summary: run [0-9]* finished, but its final of relation_overall\[RUS,USA\] is -12.9, outside \[-1, 1\], which no run records (a damaged shard); the shard is damaged and was set aside as ${valued##*/}.damaged: rerun with --resume to run its runs again" err.txt \
      || { cat err.txt >&2; fail "a shard holding a relation of -12.9 was merged"; }
    [ -e "$valued.damaged" ] && [ ! -e "$valued" ] && [ ! -e k.h5 ] || fail "the shard of -12.9 was not set aside"
    # A shard copied within the directory (by hand, or by a sync) holds runs another holds: set
    # aside when resuming, before any run, not refused by the merge after every run.
    original=$(ls k.h5.parts/shard-*.h5 | sed -n 1p)
    # A folder by the name of the last shard (the name the resume writes next) is set aside too:
    # every resume ran every run again, then could not store them ("is a directory").
    folder=$(ls k.h5.parts/shard-*.h5 | tail -n 1)
    [ "$folder" != "$original" ] || fail "one shard only"
    rm "$folder" && mkdir "$folder"
    cp "$original" k.h5.parts/shard-r0000-000900.h5
    expect_status 0 "$bin" sweep "$sweep" -o k.h5 -j 2 --resume
    grep -q "^sweep: $folder is damaged (it is a directory, not a regular file): set aside as ${folder##*/}.damaged; its runs are run again" err.txt \
      || { cat err.txt >&2; fail "a folder by a shard's name was not set aside"; }
    grep -q "^sweep: k.h5.parts/shard-r0000-000900.h5 is damaged (it holds run [0-9]*, which ${original##*/} holds too: a copy): set aside" err.txt \
      || { cat err.txt >&2; fail "a copied shard was not set aside"; }
    grep -qE "\([1-9][0-9]* resumed" out.txt || { cat out.txt >&2; fail "nothing was resumed"; }
    [ ! -e k.h5.parts ] || fail "the parts directory was not removed"
    expect_status 0 "$bin" sweep "$sweep" -o whole.h5 -j 2 -q
    expect_status 0 $py "$src/tests/h5_same.py" k.h5 whole.h5
    ;;
  sweep_concurrent)
    # Two sweeps on one output. While the first runs, a second, resuming or not, is refused (exit
    # 2: a sweep is running, naming its process, not "interrupted"); after the first is killed
    # -9, two resumes race: one wins, the other is refused, and the result is that of an
    # uninterrupted sweep. The running sweep is held (SIGSTOP) while the second starts: no timing.
    sweep="$src/tests/data/sweeps/long-lhs.toml"
    wait_for_lock() {  # until c.h5.parts/lock names process $1
      for _ in $(seq 1 600); do
        [ "$(cat c.h5.parts/lock 2>/dev/null)" = "$1" ] && return 0
        sleep 0.1
      done
      kill -9 "$1"; fail "process $1 took no lock on c.h5.parts"
    }
    "$bin" sweep "$sweep" -o c.h5 -j 1 -q >first.txt 2>&1 & first=$!
    wait_for_lock $first
    kill -STOP $first
    for resume in "" --resume; do
      expect_status 2 "$bin" sweep "$sweep" -o c.h5 -q $resume
      grep -q "a sweep is running on c.h5 (process $first)" err.txt || { cat err.txt >&2; kill -9 $first; fail "a running sweep was not named ($resume)"; }
      ! grep -q "interrupted" err.txt || { kill -9 $first; fail "a running sweep was called interrupted"; }
    done
    kill -9 $first
    set +e; wait $first; set -e
    "$bin" sweep "$sweep" -o c.h5 -j 2 --resume >second.txt 2>&1 & second=$!
    wait_for_lock $second
    kill -STOP $second
    expect_status 2 "$bin" sweep "$sweep" -o c.h5 -q --resume
    grep -q "a sweep is running on c.h5 (process $second)" err.txt || { cat err.txt >&2; kill -9 $second; fail "the second resume was not refused"; }
    kill -CONT $second
    set +e; wait $second; status=$?; set -e
    [ "$status" = 0 ] || { cat second.txt >&2; fail "the resume that won exited $status"; }
    [ ! -e c.h5.parts ] || fail "the parts directory was not removed"
    expect_status 0 "$bin" sweep "$sweep" -o whole.h5 -j 2 -q
    expect_status 0 $py "$src/tests/h5_same.py" c.h5 whole.h5
    ;;
  mpi)
    command -v mpirun >/dev/null || fail "mpirun is missing (tools/install-deps installs openmpi-bin)"
    expect_status 0 "$bin" sweep "$src/tests/data/sweeps/small-lhs.toml" -o single.h5 -j 1 -q
    expect_status 0 mpirun --allow-run-as-root --oversubscribe -np 2 "$bin" sweep \
      "$src/tests/data/sweeps/small-lhs.toml" -o ranks.h5 -j 1 -q
    expect_status 0 $py "$src/tests/h5_same.py" single.h5 ranks.h5
    # Other commands do not share their work: under mpirun every rank ran them whole, writing
    # the same outputs at once. Refused once, by rank 0 (exit 2).
    expect_status 2 mpirun --allow-run-as-root --oversubscribe -np 2 "$bin" run \
      "$src/scenarios/baseline.toml" --set time.years=1 -o both.h5 -q
    [ "$(grep -c "interdep: only sweep and calibrate share their work among MPI ranks: under mpirun -np 2 every rank would run .interdep run. whole" err.txt)" = 1 ] \
      || { cat err.txt >&2; fail "run under mpirun -np 2 was not refused once"; }
    [ ! -e both.h5 ] || fail "run under mpirun wrote its file"
    for args in "--version" "--help" "bogus"; do
      expect_status 2 mpirun --allow-run-as-root --oversubscribe -np 2 "$bin" $args
      [ "$(grep -c "interdep: only sweep and calibrate share their work among MPI ranks" err.txt)" = 1 ] \
        || { cat err.txt >&2; fail "'interdep $args' under mpirun -np 2 was not refused once"; }
      [ ! -s out.txt ] || { cat out.txt >&2; fail "'interdep $args' under mpirun printed"; }
    done
    # calibrate deals its restarts and slices out to the ranks: the same result for 1, 2 and 3
    # ranks (3 restarts and 2 slices: uneven shares).
    pak_gdp_scenario "$src" 10 > scenario.toml
    { pak_growth_calibration pak-growth scenario.toml 8 40; echo "restarts = 3"; } > calib.toml
    expect_status 0 "$bin" calibrate calib.toml -o one -j 1 -q
    for k in 2 3; do
      expect_status 0 mpirun --allow-run-as-root --oversubscribe -np $k "$bin" calibrate calib.toml \
        -o ranks$k -j 1 -q
      for f in -trace.csv -fit.csv -parameters.csv; do
        cmp one$f ranks$k$f || fail "calibrate on $k ranks wrote another ranks$k$f than one process"
      done
      # The fitted scenario is named as its file (-o): the rest is the same.
      grep -qx "name = \"ranks$k\"" ranks$k.toml || fail "ranks$k.toml is not named ranks$k"
      cmp <(grep -v '^name = ' one.toml) <(grep -v '^name = ' ranks$k.toml) \
        || fail "calibrate on $k ranks wrote another fitted scenario than one process"
      [ -z "$(ls ranks$k.journal* 2>/dev/null)" ] || fail "a finished calibration left journals"
    done
    grep -q ",restart,3," one-trace.csv || fail "the calibration did not run 3 restarts"
    # Interrupted on 2 ranks (SIGINT to both once both journals hold evaluations), resumed by one
    # process from both ranks' journals.
    mpirun --allow-run-as-root --oversubscribe -np 2 "$bin" calibrate calib.toml -o cut -j 1 -q &
    launcher=$!
    for _ in $(seq 400); do
      [ "$(cat cut.journal 2>/dev/null | wc -l)" -gt 3 ] &&
        [ "$(cat cut.journal.rank-1 2>/dev/null | wc -l)" -gt 3 ] && break
      sleep 0.05
    done
    pkill -INT -P $launcher -f "calibrate calib.toml" 2>/dev/null || true
    wait $launcher || true
    if [ -e cut.journal ]; then
      stored=$(($(wc -l < cut.journal) + $(cat cut.journal.rank-1 2>/dev/null | wc -l)))
      expect_status 0 "$bin" calibrate calib.toml -o cut -j 1 -q --resume
      [ -z "$(ls cut.journal* 2>/dev/null)" ] || fail "the resumed calibration left journals"
      if [ "$stored" -gt 2 ]; then  # evaluations beyond the two headers: some answered from them
        grep -q ",1$" cut-trace.csv || fail "the resumed calibration used none of the ranks' journals"
      fi
    else
      expect_status 0 "$bin" calibrate calib.toml -o cut -j 1 -q
    fi
    cmp <(cut -d, -f1-5 one-trace.csv) <(cut -d, -f1-5 cut-trace.csv) \
      || fail "a calibration interrupted on 2 ranks and resumed on one gave other evaluations"
    ;;
  mpi_disk_full)
    # A sweep on 2 MPI ranks whose files cannot grow: the limit (ulimit -f, SIGXFSZ ignored) is
    # set in each rank alone, after mpirun and OpenMPI's daemons started (their own session files
    # would hit it first), and MPI's shared-memory transport, which sizes a file, is left out. A
    # rank's shard (12 runs, 20.5 KiB) that cannot be written, then the merged file (the shards
    # fit in 48 KiB, the merged file does not): exit 1, the file and the reason named on whole
    # lines, no temporary file; the shards are kept, and --resume on 2 ranks without the limit
    # ends as an uninterrupted single-process sweep does.
    command -v mpirun >/dev/null || fail "mpirun is missing (tools/install-deps installs openmpi-bin)"
    sweep="$src/tests/data/sweeps/small-lhs.toml"
    ranks=(mpirun --allow-run-as-root --oversubscribe --mca btl self,tcp -np 2)
    ranks_limited() {  # ranks_limited BLOCKS ARGS...: interdep ARGS on 2 ranks under the limit
      local limit=$1; shift
      set +e
      "${ranks[@]}" bash -c 'trap "" XFSZ; ulimit -f "$0"; exec "$@"' "$limit" "$bin" "$@" \
        >out.txt 2>err.txt
      got=$?
      set -e
    }
    expect_status 0 "$bin" sweep "$sweep" -o whole.h5 -j 1 -q
    for limit in 20 48; do
      ranks_limited $limit sweep "$sweep" -o s$limit.h5 -j 1 -q
      [ "$got" = 1 ] || { cat err.txt >&2; fail "a sweep on ranks that cannot write exited $got, expected 1"; }
      grep -q "^interdep: error: s$limit\.h5.*File too large" err.txt \
        || { cat err.txt >&2; fail "the ranks' error names neither s$limit.h5 nor the reason on a line of its own"; }
      # At 20 KiB no rank's shard was written: that is said, not that runs are kept.
      kept="finished runs are kept in"
      [ "$limit" = 20 ] && kept="no finished run was stored in"
      grep -q "^sweep: $kept s$limit.h5.parts.*--resume" err.txt \
        || { cat err.txt >&2; fail "--resume is not named, or what is kept is not said"; }
      [ -z "$(find . -name '*tmp*')" ] || fail "a temporary file was left behind ($(find . -name '*tmp*'))"
      [ ! -e s$limit.h5 ] && [ -d s$limit.h5.parts ] || fail "the failed sweep left s$limit.h5, or no parts"
      expect_status 0 "${ranks[@]}" "$bin" sweep "$sweep" -o s$limit.h5 -j 1 -q --resume
      expect_status 0 $py "$src/tests/h5_same.py" s$limit.h5 whole.h5
    done
    # At 20 KiB a rank's shard failed (it was not kept); at 48 KiB both shards were written.
    ;;
  mpi_rank_fails)
    # An error of one rank alone (a file its node cannot read, a thread its system refuses) while
    # the others go on: they waited for it in a collective until killed. And bad input on every
    # rank is said once, not once a rank, with one status. Rank 1 runs in a folder without the
    # sweep file.
    command -v mpirun >/dev/null || fail "mpirun is missing (tools/install-deps installs openmpi-bin)"
    ranks=(mpirun --allow-run-as-root --oversubscribe --mca btl self,tcp)
    cp "$src/tests/data/sweeps/small-lhs.toml" small.toml
    sed -i "s#^scenario = \"#scenario = \"$src/tests/data/sweeps/#" small.toml
    mkdir elsewhere
    set +e
    timeout 120 "${ranks[@]}" -np 2 bash -c '[ "$OMPI_COMM_WORLD_RANK" != 1 ] || cd elsewhere; exec "$@"' \
      rank "$bin" sweep small.toml -o s.h5 -j 1 -q >out.txt 2>err.txt
    got=$?
    set -e
    [ "$got" != 124 ] || fail "a sweep whose rank 1 failed alone hung"
    [ "$got" = 2 ] || { cat err.txt >&2; fail "a sweep whose rank 1 could not read its file exited $got, expected 2"; }
    grep -q "small.toml.*does not exist" err.txt || { cat err.txt >&2; fail "rank 1's error is not said"; }
    grep -q "^interdep: error: another rank could not start the sweep" err.txt \
      || { cat err.txt >&2; fail "rank 0 does not point to the other rank's error"; }
    [ ! -e s.h5 ] && [ ! -e s.h5.parts ] || fail "a sweep that did not start left files"
    # The same for a calibration.
    pak_gdp_scenario "$src" 3 > scenario.toml
    pak_growth_calibration pak-growth "$PWD/scenario.toml" 1 5 > calib.toml
    set +e
    timeout 120 "${ranks[@]}" -np 2 bash -c '[ "$OMPI_COMM_WORLD_RANK" != 1 ] || cd elsewhere; exec "$@"' \
      rank "$bin" calibrate calib.toml -o fit -j 1 -q >out.txt 2>err.txt
    got=$?
    set -e
    [ "$got" != 124 ] || fail "a calibration whose rank 1 failed alone hung"
    [ "$got" = 2 ] || { cat err.txt >&2; fail "a calibration whose rank 1 could not read its file exited $got, expected 2"; }
    grep -q "^interdep: error: another rank could not start the calibration" err.txt \
      || { cat err.txt >&2; fail "rank 0 does not point to the other rank's error"; }
    ! ls fit* >/dev/null 2>&1 || fail "a calibration that did not start left $(ls fit*)"
    # A run failing on rank 1 under on_failure = "stop": the end line counts every rank's runs
    # and failures (it counted rank 0's: "stopped after 3 of 6 runs (0 failed"). Rank 0 runs
    # rows 0, 2, 4; rank 1 row 1 (risk 1.5, refused as the run's failure), then stops.
    printf 'actors.PAK.risk\n0.1\n1.5\n0.1\n0.1\n0.1\n0.1\n' > failing.csv
    printf 'name = "f"\nscenario = "%s"\non_failure = "stop"\n[design]\nkind = "csv"\nfile = "failing.csv"\n[record]\noutputs = ["trade[RUS,USA]"]\n' \
      "$src/scenarios/baseline.toml" > failing.toml
    set +e
    timeout 120 "${ranks[@]}" -np 2 "$bin" sweep failing.toml -o f.h5 -j 1 >out.txt 2>err.txt
    got=$?
    set -e
    [ "$got" = 1 ] || { cat err.txt >&2; fail "a sweep stopped by a failure on rank 1 exited $got, expected 1"; }
    grep -q "stopped after 4 of 6 runs (1 failed" err.txt \
      || { cat err.txt >&2; fail "the stop did not count every rank's runs and failures"; }
    # Rank 0 names rank 1's failure and why (it named its own alone, and said one more failed).
    grep -q "^sweep: run 1 failed: .*risk" err.txt \
      || { cat err.txt >&2; fail "the failure on rank 1 was not named with why"; }
    ! grep -q "more failed" err.txt || { cat err.txt >&2; fail "a failure named was also counted as one more"; }
    printf 'name = "x"\nscenario = "nope.toml"\n[design]\nkind = "lhs"\nsamples = 3\n' > bad.toml
    set +e
    timeout 120 "${ranks[@]}" -np 3 "$bin" sweep bad.toml -o b.h5 -j 1 >out.txt 2>err.txt
    got=$?
    set -e
    [ "$got" = 2 ] || { cat err.txt >&2; fail "bad input on 3 ranks exited $got, expected 2"; }
    [ "$(grep -c "nope.toml' does not exist" err.txt)" = 1 ] || { cat err.txt >&2; fail "bad input was not said once"; }
    # An output rank 0 cannot create (the parts directory): every rank ends with its status.
    set +e
    timeout 120 "${ranks[@]}" -np 3 "$bin" sweep small.toml -o /sys/s.h5 -j 1 -q >out.txt 2>err.txt
    got=$?
    set -e
    [ "$got" = 1 ] || { cat err.txt >&2; fail "an output rank 0 could not create exited $got, expected 1"; }
    [ "$(grep -c "create the parts directory" err.txt)" = 1 ] || { cat err.txt >&2; fail "the output's error was not said once"; }
    ;;
  run_threads)
    # Threads share each step of a world of 32 actors or more: every dataset and attribute of the
    # file is the same with 1, 2 or 3 (but the command line and timings); -j 0 is all cores, as
    # in every command, and more threads than cores are run with a note (none under -q).
    $py "$src/bench/large_world.py" 40 5 > forty.toml
    for j in 1 2 3; do
      expect_status 0 "$bin" run forty.toml --set time.years=2 -o "j$j.h5" -q -j "$j"
    done
    expect_status 0 $py "$src/tests/h5_same.py" j1.h5 j2.h5
    expect_status 0 $py "$src/tests/h5_same.py" j1.h5 j3.h5
    expect_status 0 "$bin" run forty.toml --set time.years=2 -o j0.h5 -q -j 0
    expect_status 0 $py "$src/tests/h5_same.py" j1.h5 j0.h5
    cores=$(nproc)
    expect_status 0 "$bin" run forty.toml --set time.years=2 -o many.h5 -j $((cores + 1))
    grep -q -- "note: -j $((cores + 1)) is more threads than this machine's $cores core" err.txt \
      || { cat err.txt >&2; fail "more threads than cores were not noted"; }
    # -q prints only errors: not the note (it did, in every command).
    expect_status 0 "$bin" run forty.toml --set time.years=2 -o many.h5 -q -j $((cores + 1))
    ! grep -q "note:" err.txt || { cat err.txt >&2; fail "-q did not silence the note"; }
    expect_status 0 "$bin" run forty.toml --set time.years=2 -o few.h5 -q -j 1
    ! grep -q "note:" err.txt || fail "a thread count within the cores was noted"
    ;;
  product_kernels)
    # The step's matrix products give the same bits on every kernel (SSE2, AVX2, AVX-512): a
    # 43-actor world (wide tiles, narrow tails) run on each kernel this CPU has is the same file
    # but for its command line and timings. A kernel this CPU lacks or an unknown name is refused.
    $py "$src/bench/large_world.py" 43 5 > world.toml
    expect_status 0 "$bin" --version
    grep -qE "^matrix products on the (sse2|avx2|avx512) kernel" out.txt ||
      fail "--version names no product kernel"
    ran=0
    for kernel in sse2 avx2 avx512; do
      set +e
      env INTERDEP_PRODUCT_KERNEL=$kernel "$bin" run world.toml --set time.years=2 \
        -o "$kernel.h5" -q -j 1 >out.txt 2>err.txt
      status=$?
      set -e
      [ "$status" = 0 ] || [ "$status" = 2 ] || { cat err.txt >&2; fail "kernel $kernel: exit $status"; }
      if [ "$status" = 2 ]; then
        grep -q "INTERDEP_PRODUCT_KERNEL=$kernel: this CPU does not run it" err.txt ||
          fail "kernel $kernel refused without its reason"
        [ ! -e "$kernel.h5" ] || fail "a refused run left a file"
        continue
      fi
      ran=$((ran + 1))
      expect_status 0 $py "$src/tests/h5_same.py" sse2.h5 "$kernel.h5"
      # A small world, whose gravity solve runs Newton's method with its matrix on the kernel.
      env INTERDEP_PRODUCT_KERNEL=$kernel "$bin" run "$src/scenarios/sanctions.toml" \
        --set time.years=3 -o "small-$kernel.h5" -q >out.txt 2>err.txt || { cat err.txt >&2; fail "kernel $kernel: small world"; }
      expect_status 0 $py "$src/tests/h5_same.py" small-sse2.h5 "small-$kernel.h5"
    done
    [ "$ran" -ge 1 ] || fail "no kernel ran"
    expect_status 2 env INTERDEP_PRODUCT_KERNEL=avx1024 "$bin" run world.toml -o bad.h5 -q
    grep -q "expected sse2, avx2 or avx512" err.txt || fail "an unknown kernel name was not refused"
    ;;
  control_characters)
    # Control characters (docs/scenario-format.md, "Names and text: no control characters"):
    # refused where they are written (exit 2, shown as escapes in the message), and shown as
    # escapes when a file another program wrote holds them. Nothing printed acts on a terminal.
    no_controls() {  # no_controls WHAT: out.txt and err.txt hold no control character but \n, \t
      ! grep -q $'[\x01-\x08\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]' out.txt err.txt \
        || { cat -v out.txt err.txt >&2; fail "$1 printed a control character"; }
    }
    no_format() {  # no_format WHAT: out.txt and err.txt hold no bidi control, mark or zero-width
      ! LC_ALL=C grep -q $'\xe2\x80[\x8b\x8e\x8f\xaa-\xae]\|\xe2\x81[\xa0-\xaf]\|\xef\xbb\xbf\|\xc2\xad\|\xd8\x9c\|\xe3\x85\xa4\|\xef\xbe\xa0' out.txt err.txt \
        || { cat -v out.txt err.txt >&2; fail "$1 printed an invisible format character"; }
    }
    printf 'base = "%s/scenarios/sanctions.toml"\nname = "\\u001b[31mred"\n' "$src" > esc-name.toml
    printf 'base = "%s/scenarios/sanctions.toml"\nname = "x"\n[actors.PAK]\nname = "Pak\xe2\x80\xae"\n' "$src" > rlo-name.toml
    for command in validate run; do
      expect_status 2 "$bin" $command esc-name.toml
      grep -qF "esc-name.toml:2:8: error: key 'name': '\u001B[31mred': control character U+001B not allowed in a name or label" err.txt \
        || { cat err.txt >&2; fail "$command: the name's ESC was not refused at it"; }
      no_controls "$command"
      expect_status 2 "$bin" $command rlo-name.toml
      grep -qF "rlo-name.toml:4:8: error: key 'actors.PAK.name': 'Pak\u202E': invisible format character U+202E (RIGHT-TO-LEFT OVERRIDE) not allowed in a name or label: it reorders or hides text on screen; remove it" err.txt \
        || { cat err.txt >&2; fail "$command: the actor name's U+202E was not refused at it"; }
      no_format "$command"
    done
    [ ! -e esc-name.h5 ] || fail "a refused scenario was run"
    printf 'base = "%s/scenarios/sanctions.toml"\nname = "x"\n[[events]]\ndate = 2026-01-01\nkind = "impulse"\nactor = "PAK"\ntargets = ["RUS"]\ngoldstein = 1\nlabel = "bell\\u0007"\n' "$src" > esc-event.toml
    expect_status 2 "$bin" validate esc-event.toml
    grep -qF "esc-event.toml:9:9: error: key 'events.0.label': 'bell\u0007': control character U+0007 not allowed" err.txt \
      || { cat err.txt >&2; fail "an event label's BEL was not refused at it"; }
    printf 'base = "%s/scenarios/sanctions.toml"\nname = "x"\n[domains."eco\\u009bnomy"]\nlabel = "E"\n' "$src" > esc-key.toml
    expect_status 2 "$bin" validate esc-key.toml
    grep -qF "esc-key.toml:3:10: error: key 'domains.eco\u009Bnomy': control character U+009B not allowed in a key" err.txt \
      || { cat err.txt >&2; fail "a domain key's CSI was not refused at it"; }
    no_controls "validate of a key"
    # Free text: a description may run over lines and hold tabs.
    printf 'base = "%s/scenarios/sanctions.toml"\nname = "multi"\ndescription = """\nline one\n\tline two"""\n' "$src" > multi.toml
    expect_status 0 "$bin" run multi.toml --set time.years=1 -o multi.h5 -q
    expect_status 0 "$bin" inspect multi.h5
    grep -q "^	line two" out.txt || { cat out.txt >&2; fail "the description's lines were not printed"; }
    # The command line: --set, --label, and arguments echoed in errors.
    expect_status 2 "$bin" run "$src/scenarios/sanctions.toml" --set $'name=\e[31mred' -o x.h5
    grep -qF "control character U+001B not allowed" err.txt || { cat err.txt >&2; fail "--set of ESC not refused"; }
    no_controls "--set"
    expect_status 2 "$bin" run "$src/scenarios/sanctions.toml" --label $'\e]0;owned\a' -o x.h5
    grep -qF "control character U+001B not allowed in a run's label" err.txt || { cat err.txt >&2; fail "--label of ESC not refused"; }
    no_controls "--label"
    [ ! -e x.h5 ] || fail "a refused run wrote its file"
    expect_status 2 "$bin" run $'no\e[31msuch.toml'
    grep -qF 'no\u001B[31msuch.toml' err.txt || { cat err.txt >&2; fail "a path's ESC not shown as an escape"; }
    no_controls "run of a missing file"
    expect_status 2 "$bin" inspect $'\e[2J\r.h5'
    no_controls "inspect of a missing file"
    expect_status 2 "$bin" run $'--bad\e[1m'
    no_controls "an unknown option"
    expect_status 2 "$bin" $'r\e[1mun'
    no_controls "an unknown command"
    # A CSV of figures: a cell holding ESC is refused at its line.
    printf 'quantity,date,value,unit\nrelation_overall[PAK\033[31m,RUS],2026-06-01,0.2,1\n' > esc.csv
    expect_status 0 "$bin" run "$src/scenarios/sanctions.toml" --set time.years=2 -o a.h5 -q
    expect_status 2 "$bin" score a.h5 --observed esc.csv
    grep -qF "esc.csv:2:21: error" err.txt && grep -qF "control character U+001B (byte 0x1B) not allowed" err.txt \
      || { cat err.txt >&2; fail "a CSV cell's ESC was not refused at it"; }
    no_controls "score"
    # A result file another program wrote (h5py) with control characters in its names and texts:
    # every reader prints them as escapes. (And f.h5, with format characters, tried below.)
    $py - a.h5 e.h5 f.h5 <<'PY'
import shutil, sys
import h5py, numpy as np
shutil.copyfile(sys.argv[1], sys.argv[3])
with h5py.File(sys.argv[3], "r+") as f:
    names = list(f["actor_name"].asstr()[()])
    names[names.index("Russia")] = "Rus\u202esia\u2066"
    f["actor_name"][...] = np.array(names, dtype=object)
    f.attrs["scenario_name"] = "sanc\u200btions"
    f.attrs["label"] = np.bytes_(b"caf\xe9 \xff")
shutil.copyfile(sys.argv[1], sys.argv[2])
with h5py.File(sys.argv[2], "r+") as f:
    names = list(f["actor_name"].asstr()[()])
    names[names.index("Russia")] = "Rus\x1b[31msia\x07"
    f["actor_name"][...] = np.array(names, dtype=object)
    labels = list(f["events/label"].asstr()[()])
    labels[0] = "sanction\x1b]0;owned\x07\r"
    f["events/label"][...] = np.array(labels, dtype=object)
    f.attrs["scenario_name"] = "sanc\x1b[2Jtions"
    f.attrs["scenario_description"] = "over\nlines\x9b2J"
    f.attrs["label"] = "lab\x1b[5mel"
PY
    for command in "inspect e.h5" "explain e.h5 --pair RUS:USA" "compare e.h5 a.h5" "score e.h5" \
                   "report e.h5 -o e.html" "inspect e.h5 --scenario"; do
      # shellcheck disable=SC2086  # the command and its arguments
      set +e; "$bin" $command > out.txt 2> err.txt; set -e
      no_controls "$command"
    done
    expect_status 0 "$bin" inspect e.h5
    grep -qF 'RUS (Rus\u001B[31msia\u0007)' out.txt || { cat out.txt >&2; fail "inspect: the name's escapes not shown"; }
    grep -qF 'lab\u001B[5mel' out.txt || fail "inspect: the label's escapes not shown"
    expect_status 0 "$bin" explain e.h5 --pair RUS:USA
    grep -qF 'Rus\u001B[31msia\u0007' out.txt || { cat out.txt >&2; fail "explain: the name's escapes not shown"; }
    ! grep -q $'\x1b' e.html || fail "the report holds an ESC"
    # Invisible and bidirectional format characters ("Trojan Source"; docs/scenario-format.md,
    # "Names and text: no invisible or bidirectional format characters"): refused in names, keys,
    # labels and cells, exit 2, named by code point and name and shown as escapes; a
    # description may hold the zero-width joiners; what is printed never holds one.
    printf 'base = "%s/scenarios/sanctions.toml"\nname = "x"\n[domains."economy\\u200b"]\nlabel = "E"\n' "$src" > zwsp-key.toml
    expect_status 2 "$bin" validate zwsp-key.toml
    grep -qF "zwsp-key.toml:3:10: error: key 'domains.economy\u200B': invisible format character U+200B (ZERO WIDTH SPACE) not allowed in a key" err.txt \
      || { cat err.txt >&2; fail "a domain key's U+200B was not refused at it"; }
    # The Hangul filler U+3164, a letter that draws nothing (the "invisible identifier").
    printf 'base = "%s/scenarios/sanctions.toml"\nname = "x"\n[actors."PAK\xe3\x85\xa4"]\ngdp = 1\n' "$src" > filler-key.toml
    expect_status 2 "$bin" validate filler-key.toml
    grep -qF "filler-key.toml:3:9: error: key 'actors.PAK\u3164': invisible character U+3164 (HANGUL FILLER) not allowed in a key" err.txt \
      || { cat err.txt >&2; fail "an actor key's U+3164 was not refused at it"; }
    no_format "validate filler-key.toml"
    printf 'quantity,date,value,unit\nrelation_overall[PAK,RUS],2026-06-01,0.2\xe2\x81\xa6,1\n' > lri.csv
    expect_status 2 "$bin" score a.h5 --observed lri.csv
    grep -qF "lri.csv:2:38: error: key '--observed': '0.2\u2066': invisible format character U+2066 (LEFT-TO-RIGHT ISOLATE) not allowed in a cell" err.txt \
      || { cat err.txt >&2; fail "a CSV cell's U+2066 was not refused at it"; }
    no_format "score"
    expect_status 2 "$bin" run "$src/scenarios/sanctions.toml" --set $'actors.PAK.name=Pak\xe2\x80\xae' -o x.h5
    grep -qF -- "--set actors.PAK.name=Pak\u202E: error: key 'actors.PAK.name': 'Pak\u202E': invisible format character U+202E (RIGHT-TO-LEFT OVERRIDE) not allowed" err.txt \
      || { cat err.txt >&2; fail "--set of U+202E not refused"; }
    no_format "--set"
    expect_status 2 "$bin" run "$src/scenarios/sanctions.toml" --label $'risk\xe2\x80\x8baverse' -o x.h5
    grep -qF "'risk\u200Baverse': invisible format character U+200B (ZERO WIDTH SPACE) not allowed in a run's label" err.txt \
      || { cat err.txt >&2; fail "--label of U+200B not refused"; }
    no_format "--label"
    [ ! -e x.h5 ] || fail "a refused run wrote its file"
    # A description: the zero-width non-joiner of Persian prose is kept; an override is refused.
    printf 'base = "%s/scenarios/sanctions.toml"\nname = "fa"\ndescription = "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae\xd9\x88\xd8\xa7\xd9\x87\xd9\x85"\n' "$src" > zwnj.toml
    expect_status 0 "$bin" run zwnj.toml --set time.years=1 -o zwnj.h5 -q
    expect_status 0 "$bin" inspect zwnj.h5
    grep -qF $'\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae' out.txt || { cat out.txt >&2; fail "the description's U+200C was not kept"; }
    expect_status 2 "$bin" validate zwnj.toml --set $'description=a\xe2\x80\xaeb'
    expect_status 2 "$bin" run zwnj.toml --set $'description=a\xe2\x80\xaeb' -o x.h5
    grep -qF "invisible format character U+202E (RIGHT-TO-LEFT OVERRIDE) not allowed even in free text" err.txt \
      || { cat err.txt >&2; fail "a description's U+202E not refused"; }
    # f.h5 (written with e.h5 above) holds U+202E in a name and Latin-1 bytes in its label: every
    # reader prints them as escapes.
    for command in "inspect f.h5" "explain f.h5 --pair RUS:USA" "compare f.h5 a.h5" "score f.h5"; do
      # shellcheck disable=SC2086  # the command and its arguments
      set +e; "$bin" $command > out.txt 2> err.txt; set -e
      no_format "$command"
      ! LC_ALL=C grep -q $'\xe9 \|\xff' out.txt err.txt || fail "$command printed bytes that are not UTF-8"
    done
    expect_status 0 "$bin" inspect f.h5
    grep -qF 'RUS (Rus\u202Esia\u2066)' out.txt || { cat out.txt >&2; fail "inspect: the name's U+202E not shown as an escape"; }
    grep -qF 'caf\xE9' out.txt || { cat out.txt >&2; fail "inspect: the label's Latin-1 bytes not shown as escapes"; }
    ;;
  script_usage)
    # The test helpers and tools people run by hand say how: --help is usage (exit 0), and a
    # bad command line is usage with exit 2, not a traceback (doc_transcripts.py raised
    # IndexError).
    expect_status 0 $py "$src/tests/doc_transcripts.py" --help
    grep -q "^usage: tests/doc_transcripts.py \[-h\] INTERDEP SOURCE_DIR \[PAGE ...\]" out.txt \
      || { cat out.txt err.txt >&2; fail "doc_transcripts.py --help printed no usage"; }
    for arguments in "" "$bin" "$bin /no/such/dir" "$bin $src no/such/page.md" "--bogus $bin $src"; do
      # shellcheck disable=SC2086  # the arguments, split
      expect_status 2 $py "$src/tests/doc_transcripts.py" $arguments
      grep -q "^usage: tests/doc_transcripts.py" err.txt || fail "'$arguments': no usage"
      ! grep -q "Traceback" err.txt || fail "'$arguments': a traceback"
    done
    expect_status 2 $py "$src/tests/doc_transcripts.py" "$bin" "$src" no/such/page.md
    grep -q "error: argument PAGE: 'no/such/page.md' is not a file under" err.txt \
      || { cat err.txt >&2; fail "a missing page not named"; }
    ;;
  format_tool)
    # tools/format formats the files and folders it is given, and only those (it formatted the
    # whole tree whatever it was given); without any, the whole tree (format.clang_format).
    mkdir -p sub/deeper
    printf 'int  f( ){return 1;}\n' > a.cpp
    cp a.cpp b.cpp; cp a.cpp sub/deeper/c.hpp; cp a.cpp sub/d.txt
    expect_status 1 "$src/tools/format" --check a.cpp sub
    grep -qx "not formatted: a.cpp" out.txt && grep -qx "not formatted: sub/deeper/c.hpp" out.txt \
      || { cat out.txt >&2; fail "--check did not list the files given"; }
    ! grep -q "b.cpp\|d.txt" out.txt || fail "--check listed a file not given"
    cmp -s a.cpp b.cpp || fail "--check changed a file"
    expect_status 0 "$src/tools/format" a.cpp sub
    grep -qx "format: 2 files" out.txt || { cat out.txt >&2; fail "format did not count the files given"; }
    [ "$(cat a.cpp)" = "int f() { return 1; }" ] || fail "a.cpp was not formatted in the repository's style"
    cmp -s a.cpp sub/deeper/c.hpp || fail "a folder's file was not formatted"
    [ "$(cat b.cpp)" = "int  f( ){return 1;}" ] || fail "a file not given was formatted"
    expect_status 0 "$src/tools/format" --check a.cpp sub/deeper
    expect_status 2 "$src/tools/format" no-such.cpp
    grep -q "no-such.cpp: no such file or folder" err.txt || fail "a missing path not named"
    expect_status 2 "$src/tools/format" sub/d.txt
    grep -q "not a C++ source" err.txt || fail "a file that is not C++ not refused"
    expect_status 2 "$src/tools/format" --frobnicate
    grep -q "^Usage: tools/format \[--check\] \[PATH...\]" err.txt || fail "an unknown option printed no usage"
    expect_status 0 "$src/tools/format" --help
    grep -q "^Usage: tools/format" out.txt || fail "--help printed no usage"
    [ "$(cat b.cpp)" = "int  f( ){return 1;}" ] || fail "a file not given was formatted"
    ;;
  wrong_kind)
    # A file given to the wrong command says what it is and which command takes it (exit 2),
    # instead of the first key the wrong loader misses; a mistyped command gets the closest.
    sc="$src/scenarios/baseline.toml"; sw="$src/tests/data/sweeps/small-lhs.toml"
    cal="$src/scenarios/calibrations/replay-trade.toml"; ch="$src/scenarios/history/2014-2024-checks.toml"
    expect_wrong() {  # expect_wrong PATTERN command...: exit 2 and PATTERN in the message
      local pattern=$1; shift
      expect_status 2 "$bin" "$@"
      grep -q -- "$pattern" err.txt || { cat err.txt >&2; fail "'$*' did not say: $pattern"; }
    }
    expect_wrong "baseline.toml:[0-9]*:1: error: key 'actors': this is a scenario file (\[actors\]), not a sweep file: run it with \`interdep run $sc\`" sweep "$sc" -o s.h5
    [ ! -e s.h5.parts ] || fail "a refused sweep left parts"
    expect_wrong "small-lhs.toml:[0-9]*:1: error: key 'design': this is a sweep file (\[design\]), not a scenario file: run it with \`interdep sweep $sw\`" run "$sw" -o r.h5
    expect_wrong "this is a sweep file (\[design\]), not a calibration file: run it with \`interdep sweep" calibrate "$sw" -o c
    expect_wrong "this is a calibration file (\[fit\]), not a scenario file: run it with \`interdep calibrate $cal\`" run "$cal"
    expect_wrong "this is a scenario file (\[actors\]), not a file of dynamics checks" check "$sc"
    # A calibration whose [fit] and [optimizer] are all defaults has [parameters] alone: it is a
    # calibration (a sweep needs [record]); a sweep missing its [record] is told so by sweep.
    mkdir -p minimal
    printf 'name = "minimal"\nscenario = "%s"\nreplicates = 1\n[parameters."model.flows.relation_cost"]\nmin = 0.4\nmax = 0.6\n' \
      "$src/scenarios/history/2014-2024.toml" > minimal/cal.toml
    expect_status 0 "$bin" validate minimal/cal.toml
    grep -q "calibration" out.txt || { cat out.txt >&2; fail "validate did not take [parameters] alone for a calibration"; }
    printf 'name = "minimal"\nscenario = "%s"\n[parameters."actors.PAK.risk"]\nmin = 0.1\nmax = 0.2\n' "$sc" > minimal/sw.toml
    expect_wrong "key 'record.outputs'" sweep minimal/sw.toml -o s.h5
    expect_wrong "declares no \[\[observations\]\]: there is nothing to fit (if this is a sweep file, it needs \[record\] with outputs)" validate minimal/sw.toml
    expect_wrong "this is a file of dynamics checks (\[\[checks\]\]), not a sweep file: run it with \`interdep check $ch\`" sweep "$ch" -o s.h5
    expect_status 0 "$bin" run "$sc" -o one.h5 -q --set time.years=1
    expect_status 0 "$bin" sweep "$sw" -o many.h5 -q
    expect_wrong "one.h5: error: this is an HDF5 file (a result of interdep run or sweep), not a TOML text" run one.h5
    expect_wrong "many.h5: error: this is an HDF5 file" sweep many.h5 -o s.h5
    for command in "explain many.h5 --pair PAK:RUS" "compare many.h5 one.h5" "report many.h5 -o r.html"; do
      expect_wrong "many.h5.*this is a sweep file (conventions \"interdep-sweep-1\"), not the result of a single run: inspect, export, analyze, discover, score and tools/plot trajectories --sweep read it" $command
    done
    expect_wrong "one.h5.*the result of a single run: inspect, explain, compare, report, score and tools/plot read it" analyze one.h5 --output x
    [ ! -e r.html ] && [ ! -e r.h5 ] || fail "a refused command wrote a file"
    # Binary files that are not HDF5: named as binary, not as a TOML syntax error.
    printf 'abc\0def' > blob.toml
    expect_wrong "blob.toml: error: this is a binary file (it holds NUL bytes), not a TOML text" run blob.toml
    # Text in another encoding than UTF-8 (a Windows editor's "Unicode"), given to each command
    # that reads TOML: named as that encoding with the command that converts it.
    mkdir -p encodings
    for pair in "run:$sc" "sweep:$sw" "calibrate:$cal" "check:$ch" "validate:$sc"; do
      command=${pair%%:*} file=${pair#*:}
      for enc in UTF-16 UTF-16LE UTF-16BE UTF-32 UTF-32LE UTF-32BE; do
        iconv -f UTF-8 -t $enc "$file" > encodings/in.toml
        output="-o encodings/out.h5"; [ $command != validate ] || output=""
        expect_wrong "encodings/in.toml:1:1: error: this file is ${enc:0:6} text (.*expected UTF-8 text; save it as UTF-8 (iconv -f $enc -t UTF-8" \
          $command encodings/in.toml $output
        [ ! -e encodings/out.h5 ] || fail "$command of $enc text wrote a file"
      done
    done
    printf '# Caf\351 (Latin-1)\n' | cat - "$sc" > encodings/latin1.toml
    expect_wrong "encodings/latin1.toml:1:6: error: bytes that are not UTF-8 (0xE9): .*may be in Latin-1 or Windows-1252; save it as UTF-8 (iconv -f LATIN1" \
      run encodings/latin1.toml -o encodings/out.h5
    expect_wrong "unknown command 'rnu' (did you mean 'run'?)" rnu
    expect_wrong "unknown command 'sweeep' (did you mean 'sweep'?)" sweeep x.toml
    expect_wrong "unknown command 'my.toml' (did you mean 'interdep run my.toml'?)" my.toml
    expect_wrong "unknown command 'xyzzy'" xyzzy
    grep -q "Commands:" err.txt || fail "an unknown command with no close one does not list the commands"
    ;;
  *)
    fail "unknown case $case_name"
    ;;
esac
echo "ok: $case_name"
