# Shared by the shell test scripts (tests/*_smoke.sh, tests/report_check.sh): sourced, not run.
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_status() {  # expect_status N command...: runs it with stdout in out.txt, stderr in err.txt
  local want=$1; shift
  set +e; "$@" >out.txt 2>err.txt; local got=$?; set -e
  [ "$got" = "$want" ] || { cat out.txt err.txt >&2; fail "'$*' exited $got, expected $want"; }
}
