#!/usr/bin/env bash
# Every teaching scenario validates and runs from the command line, as the lesson notes do
# (docs/teaching/): `interdep validate FILE`, then `interdep run FILE -o OUT.h5`, and the result
# file exists. Also the --set contrasts the notes use. Usage: teaching_smoke.sh INTERDEP SOURCE_DIR
set -euo pipefail

interdep=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

shopt -s nullglob
files=("$source_dir"/scenarios/teaching/*.toml)
if [ ${#files[@]} -eq 0 ]; then
  echo "teaching_smoke: no scenario in $source_dir/scenarios/teaching/" >&2
  exit 1
fi

run() {  # run FILE OUT [--set ...]: the run must succeed and write OUT
  local file=$1 out=$2
  shift 2
  if ! "$interdep" run "$file" -o "$out" "$@" > "$work/log" 2>&1; then
    echo "teaching_smoke: interdep run $file $* failed:" >&2
    cat "$work/log" >&2
    exit 1
  fi
  if [ ! -s "$out" ]; then
    echo "teaching_smoke: interdep run $file $* wrote no $out" >&2
    exit 1
  fi
}

for file in "${files[@]}"; do
  name=$(basename "$file" .toml)
  if ! "$interdep" validate "$file" > "$work/log" 2>&1; then
    echo "teaching_smoke: interdep validate $file failed:" >&2
    cat "$work/log" >&2
    exit 1
  fi
  run "$file" "$work/$name.h5"
done

# The contrasts of docs/teaching/multiple-channels.md and structural-balance.md.
run "$source_dir/scenarios/teaching/sco-crisis.toml" "$work/sco-crisis-nodamping.h5" \
    --set institutions.SCO.conflict_damping=0
run "$source_dir/scenarios/teaching/russia-between.toml" "$work/russia-between-nobalance.h5" \
    --set model.decide.balance=0
echo "teaching_smoke: ${#files[@]} scenarios validated and run"
