# Shared by the shell test scripts (tests/*_smoke.sh, tests/report_check.sh): sourced, not run.
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_status() {  # expect_status N command...: runs it with stdout in out.txt, stderr in err.txt
  local want=$1; shift
  set +e; "$@" >out.txt 2>err.txt; local got=$?; set -e
  [ "$got" = "$want" ] || { cat out.txt err.txt >&2; fail "'$*' exited $got, expected $want"; }
}
# with_file_limit BLOCKS command...: runs it with files that cannot grow past BLOCKS KiB (ulimit -f;
# writes past it fail with EFBIG, as on a full disk, and SIGXFSZ is ignored), stdout in out.txt,
# stderr in err.txt (through pipes, which the limit does not cut); its exit status in $got.
with_file_limit() {
  local limit=$1; shift
  set +e
  { (trap '' XFSZ; ulimit -f "$limit"; exec "$@" 2>&1 >&3 3>&-) | cat > err.txt
    echo "${PIPESTATUS[0]}" > status.txt; } 3>&1 | cat > out.txt
  got=$(cat status.txt); rm -f status.txt
  set -e
}
# expect_clean_failure FILE: the last with_file_limit failed as a full disk must: exit 1, one or
# two lines naming FILE and the reason, no abort, and no temporary file left here.
expect_clean_failure() {
  [ "$got" = 1 ] || { cat err.txt >&2; fail "a command that cannot write exited $got, expected 1"; }
  grep -q "$1.*File too large (the limit on a file's size was reached: see \`ulimit -f\`)" err.txt \
    || { cat err.txt >&2; fail "the error names neither $1 nor the reason"; }
  ! grep -q "file descriptor\|buf = \|tmp-" err.txt \
    || { cat err.txt >&2; fail "the error carries HDF5's internals (descriptor, buffer, temporary)"; }
  [ "$(wc -l < err.txt)" -le 2 ] || { cat err.txt >&2; fail "more than the error was printed"; }
  [ -z "$(find . -name '*tmp*')" ] || fail "a temporary file was left behind ($(find . -name '*tmp*'))"
}
# level_check LABEL TO THRESHOLD: a [[checks]] entry that Russia's relation with China stays below
# THRESHOLD from 2025 to TO (a date).
level_check() {
  cat <<TOML
[[checks]]
label = "$1"
quantity = "relation_overall[RUS,CHN]"
from = 2025-01-01
to = $2
expect = "below"
threshold = $3
source = "test"
TOML
}
# pak_gdp_scenario SRC YEARS: the baseline of source tree SRC, YEARS long, observing Pakistan's GDP
# in 2026 and mid-2027 (388 and 405 US$ bn, uncertainty 4).
pak_gdp_scenario() {
  cat <<TOML
base = "$1/scenarios/baseline.toml"
[time]
years = $2
[[observations]]
quantity = "gdp[PAK]"
unit = "US\$ bn"
source = "a test"
dates = [2026.0, 2027.5]
values = [388, 405]
uncertainty = 4
TOML
}
# pressure_series_sweep NAME SOURCE SAMPLES OUTPUTS: an LHS sweep of the baseline over
# model.decide.pressure in [0.5, 4] recording OUTPUTS (a TOML list's items) at every step.
pressure_series_sweep() {
  cat <<TOML
name = "$1"
scenario = "$2/scenarios/baseline.toml"
[design]
kind = "lhs"
samples = $3
[parameters."model.decide.pressure"]
min = 0.5
max = 4.0
[record]
mode = "every"
every = 1
outputs = [$4]
TOML
}
# pak_growth_calibration NAME SCENARIO REPLICATES EVALUATIONS: a calibration file fitting
# Pakistan's GDP growth in [-0.05, 0.15].
pak_growth_calibration() {
  cat <<TOML
name = "$1"
scenario = "$2"
replicates = $3
[parameters."actors.PAK.gdp_growth"]
distribution = "uniform"
min = -0.05
max = 0.15
[optimizer]
max_evaluations = $4
TOML
}
# trade_observation DATES VALUES: an [[observations]] entry of Pakistan-Russia trade, both
# directions, calendar years, in US$ million/yr, uncertainty 70 (e.g. "2026, 2030" "700, 900").
trade_observation() {
  cat <<TOML
[[observations]]
quantity = "trade[PAK,RUS]"
aggregate = "pair_total"
period = "year"
unit = "US\$ million/yr"
source = "a test"
dates = [$1]
values = [$2]
uncertainty = 70
TOML
}
