#!/usr/bin/env bash
# Holds the engine against the independent NumPy reference of the model (bench/numpy_reference.py,
# written from docs/model.md): synthetic worlds of 5, 7 and 20 actors (bench/synthetic_scenario.cpp)
# run for two and a half simulated years (30 monthly steps: the impulse of 2027-04 and two July
# summits, where the applicant is voted on, fall inside; two years would leave the impulse out,
# which the engine refuses), and every recorded state dataset, the event log and the admission
# decisions compared frame by frame. Variants of the 7-actor world switch on what the synthetic
# scenario leaves off: the majority and PCE admission rules, RK4, partial gravity, alignment and
# an evolving self-appraisal; and "features-7" adds to it (a base chain) a passive actor, growth
# and gas-need paths, finance and a lender with programme reviews, members that are not actors,
# and events of every kind (trade sanctions with secondary part, anticipation and directions, a
# financial sanction, lifts with and without persistence, a trade-cost shock, a new gas link, an
# import capacity, a corridor closed, finance and programme events, applications, joins and a
# leave). Each comparison is run twice: with the matrix products summed in the engine's order
# (the results are then the same to the bit) and with BLAS (last-bit differences, within the
# default tolerances: rtol 1e-12, atol 1e-14 of each dataset's scale). Then every shipped scenario
# (scenarios/, the lessons, the replay, the closed-form oracles of tests/data/oracles) whole, as
# it is written.
#
#   tests/numpy_reference_check.sh ENGINE_BINARY SYNTHETIC_BINARY SOURCE_DIR
#
# A negative control runs last: the reference with one decision rate changed by one part in a
# million must disagree, or the comparison could not fail and the check says so. Setting
# NUMPY_REFERENCE_PERTURB=key=value passes that --set to the reference only in every comparison
# (e.g. NUMPY_REFERENCE_PERTURB=model.flows.relation_cost=0.5000001): the check must then fail.
# Needs /usr/bin/python3 with numpy and h5py (or PYTHON). Exit 0 when everything agrees.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 ENGINE_BINARY SYNTHETIC_BINARY SOURCE_DIR" >&2
  exit 2
fi
for f in "$1" "$2"; do
  if [ ! -f "$f" ] || [ ! -x "$f" ]; then
    echo "error: $f is not an executable file" >&2
    exit 2
  fi
done
[ -f "$3/bench/numpy_reference.py" ] || { echo "error: $3/bench/numpy_reference.py not found" >&2; exit 2; }
engine=$(realpath "$1")
synthetic=$(realpath "$2")
src=$(realpath "$3")
python=${PYTHON:-/usr/bin/python3}
reference="$src/bench/numpy_reference.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

years=2.5
# The run length the comparisons set (check); empty for the shipped scenarios, run whole.
length=(--set time.years=$years)
perturb=()
if [ -n "${NUMPY_REFERENCE_PERTURB:-}" ]; then
  perturb=(--set "$NUMPY_REFERENCE_PERTURB")
  echo "perturbing the reference only: --set $NUMPY_REFERENCE_PERTURB"
fi
failures=0

# check NAME SCENARIO [--set KEY=VALUE]...: the engine and the reference on SCENARIO with these
# overrides (both sides), compared with both kinds of product.
check() {
  local name=$1 scenario=$2
  shift 2
  local run="$work/$name.h5"
  if ! "$engine" run "$scenario" -o "$run" -q ${length[@]+"${length[@]}"} "$@" \
    > "$work/$name-engine.txt" 2>&1; then
    echo "FAILED  $name: the engine did not run it"
    cat "$work/$name-engine.txt"
    failures=$((failures + 1))
    return 0
  fi
  for products in ordered blas; do
    local out="$work/$name-$products.txt" status=0
    "$python" "$reference" "$scenario" --compare "$run" ${length[@]+"${length[@]}"} "$@" \
      ${perturb[@]+"${perturb[@]}"} --products "$products" > "$out" 2>&1 || status=$?
    if [ "$status" -eq 0 ]; then
      echo "ok      $name (products $products)"
    else
      echo "FAILED  $name (products $products): exit $status"
      cat "$out"
      failures=$((failures + 1))
    fi
  done
}

for n in 5 7 20; do
  "$synthetic" "$n" > "$work/s$n.toml"
done
check synthetic-5 "$work/s5.toml"
check synthetic-7 "$work/s7.toml"
check synthetic-20 "$work/s20.toml"
check majority-7 "$work/s7.toml" --set institutions.ALPHA.rule=majority
check pce-7 "$work/s7.toml" --set institutions.ALPHA.rule=pce
check rk4-7 "$work/s7.toml" --set model.decide.integrator=rk4
check partial-7 "$work/s7.toml" --set model.flows.gravity=partial
check alignment-7 "$work/s7.toml" --set model.decide.alignment=0.5 \
  --set model.decide.self_appraisal=evolve

# features-7: the 7-actor world without A002's energy_imports and A006's gdp_growth (paths replace
# them), and what the synthetic scenario leaves off on top of it.
awk '/^\[/ { section = $0 }
     !((section == "[actors.A002]" && /^energy_imports/) ||
       (section == "[actors.A006]" && /^gdp_growth/))' "$work/s7.toml" > "$work/s7-features-base.toml"
cat > "$work/features-7.toml" <<'FEATURES'
base = "s7-features-base.toml"
name = "features-7"

[actors.A003]
external_finance = 9.0
finance_substitution = 1.2
[actors.A006]
external_finance = 4.0
gdp_growth_path = { 2025 = 0.03, 2026 = -0.02, 2027 = 0.05 }
[actors.A002]
passive = true
noise = 0.0
energy_demand = { 2025 = 30.0, "2026.5" = 40.0, 2030 = 45.0 }
energy_import_capacity = 35.0

[finance.A001]
A003 = { aid = 0.5, lending = 1.0, investment = 0.3, remittances = 0.2 }
A006 = { aid = 0.4 }
[finance.A004]
A003 = { remittances = 2.0 }

[lenders.FUND]
votes = { A004 = 0.3, A001 = 0.1, A005 = 0.05 }
blocking_share = 0.15
support_threshold = 0.1
review_months = 3
programmes = { A003 = { amount = 1.5, catalysed = 2.0 }, A006 = { amount = 0.5 } }

[institutions.ALPHA.others.XXA]
military = 20.0
salience = 0.7
stance = { A001 = 0.4, A006 = -0.3 }
[institutions.BETA.others.XXB]
military = 5.0
stance = { A006 = 0.5 }
joined = 2024-01-01
[institutions.BETA]
domains = ["security", "economy"]
[institutions.GAMMA]
summit_month = 4
pce_exponent = 1.5

[model.flows]
secondary_exposure = 0.8

[[events]]
date = 2025-03-15
kind = "sanction"
actor = "A004"
targets = ["A001", "A006"]
intensity = 0.4
secondary = 0.2
anticipation = 0.1
[[events]]
date = 2025-06-01
kind = "sanction"
type = "financial"
direction = "both"
actor = "A001"
targets = "A003"
intensity = 0.5
[[events]]
date = 2025-07-01
kind = "sanction"
type = "trade"
direction = "exports"
actor = "A000"
targets = "A002"
intensity = 0.3
goldstein = -5.0
mutual = true
domains = ["economy", "diplomacy"]
[[events]]
date = 2025-08-01
kind = "sanction"
type = "trade"
direction = "imports"
actor = "A005"
targets = "A000"
intensity = 0.25
[[events]]
date = 2025-09-01
kind = "trade_cost"
actor = "A003"
targets = "A004"
intensity = 0.2
direction = "exports"
[[events]]
date = 2025-10-01
kind = "energy_link"
actor = "A003"
targets = "A002"
capacity = 6.0
cost = 0.95
[[events]]
date = 2025-11-01
kind = "import_capacity"
actor = "A002"
capacity = 42.0
[[events]]
date = 2025-12-01
kind = "corridor"
actor = "A000"
edge = "E003"
open = false
[[events]]
date = 2026-01-01
kind = "lift_sanction"
actor = "A004"
targets = "A001"
persistence = 0.75
[[events]]
date = 2026-02-01
kind = "finance"
actor = "A001"
targets = ["A003", "A006"]
aid = 0.1
investment = 0.9
cameo = "071"
[[events]]
date = 2026-03-01
kind = "programme"
actor = "A006"
lender = "FUND"
amount = 0.8
catalysed = 1.0
[[events]]
date = 2025-04-01
kind = "apply"
actor = "A001"
institution = "GAMMA"
[[events]]
date = 2025-02-01
kind = "apply"
actor = "A006"
institution = "BETA"
[[events]]
date = 2026-05-01
kind = "leave"
actor = "A005"
institution = "ALPHA"
[[events]]
date = 2026-04-01
kind = "join"
member = "XXA"
institution = "ALPHA"
[[events]]
date = 2026-06-01
kind = "join"
actor = "A006"
institution = "GAMMA"
[[events]]
date = 2026-07-01
kind = "lift_sanction"
actor = "A001"
targets = "A003"
[[events]]
date = 2026-08-01
kind = "impulse"
actor = "A002"
targets = ["A000", "A004"]
goldstein = 9.9
FEATURES
check features-7 "$work/features-7.toml"

# Every shipped scenario, whole (their own length, seed and events): the mission's, the lessons,
# the 2014-2024 replay and the closed-form oracles.
length=()
for scenario in "$src"/scenarios/*.toml "$src"/scenarios/teaching/*.toml \
  "$src"/scenarios/history/2014-2024.toml "$src"/scenarios/history/2014-2024-fitted.toml \
  "$src"/tests/data/oracles/*.toml; do
  [ -f "$scenario" ] || continue
  check "shipped-$(basename "$(dirname "$scenario")")-$(basename "$scenario" .toml)" "$scenario"
done
length=(--set time.years=$years)

# Negative control: a decision rate changed by one part in a million, on the reference's side only.
status=0
"$python" "$reference" "$work/s7.toml" --compare "$work/synthetic-7.h5" --set time.years=$years \
  --set model.decide.reciprocity=0.3000003 > "$work/control.txt" 2>&1 || status=$?
if [ "$status" -eq 1 ]; then
  echo "ok      negative control (reciprocity 0.3000003 on the reference's side is found)"
else
  echo "FAILED  negative control: a perturbed reference gave exit $status, expected 1"
  cat "$work/control.txt"
  failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures comparison(s) failed"
  exit 1
fi
echo "the engine agrees with the NumPy reference"
