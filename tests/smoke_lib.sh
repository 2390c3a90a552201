# Shared by the shell test scripts (tests/*_smoke.sh, tests/report_check.sh): sourced, not run.
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_status() {  # expect_status N command...: runs it with stdout in out.txt, stderr in err.txt
  local want=$1; shift
  set +e; "$@" >out.txt 2>err.txt; local got=$?; set -e
  [ "$got" = "$want" ] || { cat out.txt err.txt >&2; fail "'$*' exited $got, expected $want"; }
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
