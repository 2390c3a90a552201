// Unit tests of the interdependence model's submodels (docs/model.md §7), each on a small
// scenario written here with every other term switched off, compared with a closed form.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "engine/run/simulation.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "models/interdependence/matrix_product.hpp"
#include "models/interdependence/terms.hpp"
#include "models/registry.hpp"

using namespace interdep;

namespace {

// Two actors AA and BB, one domain, all decision terms off, no noise, no growth.
std::string two_actors(const std::string& extra) {
  return R"(
name = "two actors"
[time]
start = 2030-01-01
years = 40
steps_per_year = 12
[domains.x]
trade = 1.0
[actors.AA]
interests = { x = 1.0 }
gdp = 100.0
gdp_growth = 0.0
total_trade = 40.0
energy_imports = 10.0
primary_energy = 0.72  # 10 bcm x 0.036 EJ/bcm / 0.72 EJ: imported gas is half the energy
energy_substitution = 3.0
rest_of_world_energy_cost = 1.0
noise = 0.0
inertia = 0.0
[actors.BB]
interests = { x = 1.0 }
gdp = 400.0
gdp_growth = 0.0
total_trade = 100.0
energy_export_capacity = 50.0
noise = 0.0
inertia = 0.0
[trade.AA]
BB = 5.0
[trade.BB]
AA = 15.0
[relations.AA]
BB = { x = 0.2 }
[relations.BB]
AA = { x = -0.4 }
[model.flows]
relation_cost = 0.0
[model.decide]
benefit = 0.0
reciprocity = 0.0
pressure = 0.0
balance = 0.0
alignment = 0.0
anchor = 0.0
)" + extra;
}

ScenarioSpec load(const std::string& text, LoadOptions options = {}) {
  return load_scenario_text(text, "model-test.toml", ".", options);
}

std::size_t last(const Trajectory& t) { return t.frames() - 1; }

}  // namespace

TEST_CASE("sensitivity and vulnerability follow their definitions at the initial state",
          "[model][interdependence]") {
  const ScenarioSpec spec = load(two_actors(""));
  const Trajectory t = run_scenario(spec, 1).trajectory;
  // AA: openness 40/100, trade share with BB (5 + 15)/40 = 0.5; no gas from BB yet.
  const double theta = spec.params.flows.trade_cost_elasticity;
  CHECK(t.sensitivity[0 * 2 + 1] == Approx(0.4 * 0.5).epsilon(1e-12));
  CHECK(t.vulnerability[0 * 2 + 1] ==
        Approx(0.4 * (1.0 - std::pow(0.5, 1.0 / theta))).epsilon(1e-12));
  // BB: openness 100/400, share 20/100.
  CHECK(t.sensitivity[1 * 2 + 0] == Approx(0.25 * 0.2).epsilon(1e-12));
  CHECK(t.vulnerability[1 * 2 + 0] ==
        Approx(0.25 * (1.0 - std::pow(0.8, 1.0 / theta))).epsilon(1e-12));
  // Leverage of BB over AA is V[AA,BB] - V[BB,AA], antisymmetric.
  CHECK(t.leverage[0 * 2 + 1] == Approx(t.vulnerability[1] - t.vulnerability[2]).epsilon(1e-12));
  CHECK(t.leverage[1 * 2 + 0] == Approx(-t.leverage[1]).epsilon(1e-12));
  // Barbieri: salience sqrt(0.5 * 0.2) times symmetry 1 - |0.5 - 0.2|, the same for both.
  CHECK(t.barbieri[1] == Approx(std::sqrt(0.5 * 0.2) * 0.7).epsilon(1e-12));
  CHECK(t.barbieri[2] == Approx(t.barbieri[1]).epsilon(1e-12));
  // Hirschman over the modelled partners: one partner, so H = its share.
  CHECK(t.hirschman[0] == Approx(0.5).epsilon(1e-12));
  CHECK(t.hirschman[1] == Approx(0.2).epsilon(1e-12));
  // Vulnerability is below sensitivity when substitutes are good (theta > 1).
  CHECK(t.vulnerability[1] < t.sensitivity[1]);
}

TEST_CASE("with nothing changing, calibrated flows stay where the data put them",
          "[model][flows]") {
  const ScenarioSpec spec =
      load(two_actors("[energy.BB.AA]\nflow = 4.0\ncapacity = 8.0\ncost = 0.9\n"));
  const Trajectory t = run_scenario(spec, 1).trajectory;
  for (std::size_t p = 0; p < 4; ++p) {
    CHECK(t.trade[last(t) * 4 + p] == Approx(t.trade[p]).epsilon(1e-12));
    CHECK(t.energy[last(t) * 4 + p] == Approx(t.energy[p]).epsilon(1e-12));
  }
}

TEST_CASE("a sanction lowers bilateral trade by the gravity factor (1 + intensity)^-theta",
          "[model][flows]") {
  const std::string event = R"(
[[events]]
date = 2030-01-01
kind = "sanction"
actor = "BB"
targets = "AA"
intensity = 0.5
goldstein = 0.0
)";
  // Partial gravity: the pair against fixed multilateral resistance (structural: next test).
  LoadOptions partial;
  partial.overrides = {"model.flows.gravity=\"partial\""};
  const ScenarioSpec spec = load(two_actors(event), partial);
  const Trajectory t = run_scenario(spec, 1).trajectory;
  const double factor = std::pow(1.5, -spec.params.flows.trade_cost_elasticity);
  // After 40 years (20 adjustment times) the flows sit at their new targets.
  CHECK(t.trade[last(t) * 4 + 1] == Approx(5.0 * factor).epsilon(1e-6));
  CHECK(t.trade[last(t) * 4 + 2] == Approx(15.0 * factor).epsilon(1e-6));
  // The relaxation: after one step the gap has closed by 1 - exp(-dt / T).
  const double relax = 1.0 - std::exp(-(1.0 / 12) / spec.params.flows.adjustment_years);
  CHECK(t.trade[1 * 4 + 1] == Approx(5.0 + relax * (5.0 * factor - 5.0)).epsilon(1e-12));
}

TEST_CASE("a cheaper corridor route raises the pair's trade by (d/d0)^-delta, whatever theta",
          "[model][flows][corridors]") {
  // AA and BB trade through a transit node (route cost 3.0); a direct edge (1.5) opens in the
  // first month. Trade's distance elasticity delta, not theta, says how much the trade moves.
  const std::string corridors = R"(
[corridors.nodes]
T1 = "transit"
[corridors.edges.a-t]
from = "AA"
to = "T1"
cost = 1.0
[corridors.edges.t-b]
from = "T1"
to = "BB"
cost = 2.0
[corridors.edges.a-b]
from = "AA"
to = "BB"
cost = 1.5
open = false
[[events]]
date = 2030-02-01
kind = "corridor"
actor = "AA"
edge = "a-b"
open = true
)";
  for (const char* delta : {"1.0", "0.5"})
    for (const char* theta : {"4.0", "1.6"}) {
      LoadOptions options;
      options.overrides = {"model.flows.gravity=\"partial\"",
                           std::string("model.flows.route_elasticity=") + delta,
                           std::string("model.flows.trade_cost_elasticity=") + theta};
      const ScenarioSpec spec = load(two_actors(corridors), options);
      const Trajectory t = run_scenario(spec, 1).trajectory;
      INFO("delta " << delta << ", theta " << theta);
      const double factor = std::pow(1.5 / 3.0, -std::stod(delta));
      CHECK(t.trade[last(t) * 4 + 1] == Approx(5.0 * factor).epsilon(1e-6));
      CHECK(t.trade[last(t) * 4 + 2] == Approx(15.0 * factor).epsilon(1e-6));
      CHECK(t.trade[1 * 4 + 1] == 5.0);  // the first month, before the edge opens: unchanged
    }
}

TEST_CASE(
    "structural gravity: a cost shock on one pair diverts trade to the third country, as the "
    "three-country solution of the scaling equations says",
    "[model][flows][gravity]") {
  // Three identical economies (output 100, domestic sales 80, exports 10 to each partner, no
  // rest-of-world trade); AA and BB raise their pair's costs by (1 + z) both ways. By symmetry
  // the scaling terms are a (AA, BB) and c (CC), with X'[i,j] = X[i,j] t^-theta a_i a_j and
  //   CC: 80 c^2 + 20 a c = 100,   AA: 80 a^2 + 10 s a^2 + 10 a c = 100,   s = (1+z)^-theta.
  const double z = 0.5;
  const std::string text = R"(
name = "three countries"
[time]
start = 2030-01-01
years = 40
[domains.x]
[actors.AA]
interests = { x = 1.0 }
gdp = 100.0
gdp_growth = 0.0
total_trade = 40.0
noise = 0.0
[actors.BB]
interests = { x = 1.0 }
gdp = 100.0
gdp_growth = 0.0
total_trade = 40.0
noise = 0.0
[actors.CC]
interests = { x = 1.0 }
gdp = 100.0
gdp_growth = 0.0
total_trade = 40.0
noise = 0.0
[trade.AA]
BB = 10.0
CC = 10.0
[trade.BB]
AA = 10.0
CC = 10.0
[trade.CC]
AA = 10.0
BB = 10.0
[model.flows]
relation_cost = 0.0
world_gdp = 300.0
[model.decide]
benefit = 0.0
reciprocity = 0.0
pressure = 0.0
balance = 0.0
anchor = 0.0
[[events]]
date = 2030-01-01
kind = "sanction"
actor = "AA"
targets = "BB"
intensity = 0.5
goldstein = 0.0
)";
  const ScenarioSpec spec = load(text);
  const Trajectory t = run_scenario(spec, 1).trajectory;
  const double s = std::pow(1.0 + z, -spec.params.flows.trade_cost_elasticity);
  const auto c_of = [](double a) {
    return (-20.0 * a + std::sqrt(400.0 * a * a + 32000.0)) / 160.0;
  };
  double lo = 0.5, hi = 2.0;  // f(a) = 80 a^2 + 10 s a^2 + 10 a c(a) - 100 rises with a
  for (int k = 0; k < 200; ++k) {
    const double a = 0.5 * (lo + hi);
    (80.0 * a * a + 10.0 * s * a * a + 10.0 * a * c_of(a) - 100.0 > 0.0 ? hi : lo) = a;
  }
  const double a = 0.5 * (lo + hi), c = c_of(a);
  const std::size_t end = last(t);
  const auto X = [&](std::size_t i, std::size_t j) { return t.trade[end * 9 + i * 3 + j]; };
  CHECK(X(0, 1) == Approx(10.0 * s * a * a).epsilon(1e-6));
  CHECK(X(1, 0) == Approx(10.0 * s * a * a).epsilon(1e-6));
  CHECK(X(0, 2) == Approx(10.0 * a * c).epsilon(1e-6));
  CHECK(X(2, 1) == Approx(10.0 * a * c).epsilon(1e-6));
  CHECK(X(0, 2) > 10.0 + 0.1);  // diverted toward CC
  // Partial gravity keeps the third pair where it was.
  LoadOptions partial;
  partial.overrides = {"model.flows.gravity=\"partial\""};
  const Trajectory u = run_scenario(load(text, partial), 1).trajectory;
  CHECK(u.trade[last(u) * 9 + 0 * 3 + 2] == Approx(10.0).epsilon(1e-9));
}

TEST_CASE(
    "structural gravity: the solve meets the closed form of K symmetric countries, by Newton's "
    "method in a small world and by rounds in a large one",
    "[model][flows][gravity]") {
  // K identical economies (output 100, exports b to each partner, domestic sales 100 - (K-1) b,
  // no trade with the rest of the world, which then trades with itself alone: a second group of
  // regions whose scaling Newton's method must hold apart). AA and BB raise their pair's costs
  // by (1 + z) both ways; flows adjust at once. By symmetry A = B = a for AA and BB, c for the
  // others, with s = (1 + z)^-theta and D the domestic sales:
  //   AA: (D + b s) a^2 + b (K-2) a c = 100,   others: (D + b (K-3)) c^2 + 2 b a c = 100.
  // K = 3 is solved by Newton's method (4 regions), K = 17 by rounds (18 regions, over 16).
  for (const int K : {3, 17}) {
    CAPTURE(K);
    const double b = K == 3 ? 10.0 : 2.0, D = 100.0 - (K - 1) * b, z = 0.5;
    std::vector<std::string> names{"AA", "BB"};
    for (int k = 2; k < K; ++k) names.push_back("C" + std::to_string(k));
    std::string text = "name = \"symmetric\"\n[time]\nstart = 2030-01-01\nyears = 1\n[domains.x]\n";
    for (const std::string& n : names)
      text += "[actors." + n + "]\ninterests = { x = 1.0 }\ngdp = 100.0\ngdp_growth = 0.0\n" +
              "total_trade = " + std::to_string(2.0 * b * (K - 1)) + "\nnoise = 0.0\n";
    for (const std::string& from : names) {
      text += "[trade." + from + "]\n";
      for (const std::string& to : names)
        if (to != from) text += to + " = " + std::to_string(b) + "\n";
    }
    text += "[model.flows]\nrelation_cost = 0.0\nadjustment_years = 1e-6\nworld_gdp = " +
            std::to_string(100.0 * K) + "\n";
    text +=
        "[model.decide]\nbenefit = 0.0\nreciprocity = 0.0\npressure = 0.0\nbalance = 0.0\n"
        "anchor = 0.0\n";
    text +=
        "[[events]]\ndate = 2030-01-01\nkind = \"sanction\"\nactor = \"AA\"\n"
        "targets = \"BB\"\nintensity = 0.5\ngoldstein = 0.0\n";
    const ScenarioSpec spec = load(text);
    const Trajectory t = run_scenario(spec, 1).trajectory;
    const double s = std::pow(1.0 + z, -spec.params.flows.trade_cost_elasticity);
    const double e = D + b * (K - 3);
    const auto c_of = [&](double a) {
      return (-2.0 * b * a + std::sqrt(4.0 * b * b * a * a + 400.0 * e)) / (2.0 * e);
    };
    double lo = 0.5, hi = 2.0;  // (D + b s) a^2 + b (K-2) a c(a) - 100 rises with a
    for (int k = 0; k < 200; ++k) {
      const double a = 0.5 * (lo + hi);
      ((D + b * s) * a * a + b * (K - 2) * a * c_of(a) - 100.0 > 0.0 ? hi : lo) = a;
    }
    const double a = 0.5 * (lo + hi), c = c_of(a);
    // After the first step: one solve from the warm start, the sanction's whole shock in it (a
    // later step's solve goes on from the last, which would hide a solve that stops early).
    const auto n = static_cast<std::size_t>(K);
    const std::size_t first = 1;
    const auto X = [&](std::size_t i, std::size_t j) { return t.trade[first * n * n + i * n + j]; };
    CHECK(X(0, 1) == Approx(b * s * a * a).epsilon(1e-10));
    CHECK(X(1, 0) == Approx(b * s * a * a).epsilon(1e-10));
    CHECK(X(0, 2) == Approx(b * a * c).epsilon(1e-10));
    CHECK(X(2, 1) == Approx(b * a * c).epsilon(1e-10));
    if (K > 3) CHECK(X(n - 1, n - 2) == Approx(b * c * c).epsilon(1e-10));
    CHECK(X(0, 2) > b * 1.005);  // diverted toward the others
  }
}

TEST_CASE("a new gas link takes the logit share of its cost against the rest of the world",
          "[model][flows]") {
  const std::string event = R"(
[[events]]
date = 2031-01-01
kind = "energy_link"
actor = "BB"
targets = "AA"
capacity = 100.0
cost = 0.8
)";
  const ScenarioSpec spec = load(two_actors(event));
  const Trajectory t = run_scenario(spec, 1).trajectory;
  const double beta = spec.params.flows.energy_choice;
  const double share = std::exp(-beta * 0.8) / (std::exp(-beta * 0.8) + std::exp(-beta * 1.0));
  CHECK(t.energy[last(t) * 4 + 1 * 2 + 0] == Approx(10.0 * share).epsilon(1e-6));
  CHECK(t.energy[0 * 4 + 1 * 2 + 0] == 0.0);
  // AA's sensitivity to BB now includes the gas share: openness * TS + e * ES.
  const double es = t.energy[last(t) * 4 + 2] / 10.0;
  CHECK(t.sensitivity[last(t) * 4 + 1] == Approx(0.4 * 0.5 + 0.5 * es).epsilon(1e-9));
}

TEST_CASE("a link capacity caps the gas flow and a supplier's export capacity caps its sales",
          "[model][flows]") {
  const std::string event = R"(
[[events]]
date = 2031-01-01
kind = "energy_link"
actor = "BB"
targets = "AA"
capacity = 2.0
cost = 0.1
)";
  const Trajectory t = run_scenario(load(two_actors(event)), 1).trajectory;
  CHECK(t.energy[last(t) * 4 + 2] == Approx(2.0).epsilon(1e-6));
  LoadOptions small_supplier;
  small_supplier.overrides = {"actors.BB.energy_export_capacity=1.5"};
  const Trajectory u = run_scenario(load(two_actors(event), small_supplier), 1).trajectory;
  CHECK(u.energy[last(u) * 4 + 2] == Approx(1.5).epsilon(1e-6));
}

TEST_CASE("a trickle of gas is a trickle's share of the seller's exports, not all of them",
          "[model][interdependence]") {
  // The seller BB's benefit from its gas exports to AA (energy channel: import plus export
  // share). A share of exports alone is scale-free: a link cut to a trickle (a sanction, a
  // link opening at a few m3) made BB's export share 1, and the benefit pulled BB toward AA
  // as much as a working pipeline. Its exports count as at least 1 % of its export capacity.
  const std::string link = R"(
[[events]]
date = 2031-01-01
kind = "energy_link"
actor = "BB"
targets = "AA"
capacity = CAPACITY
cost = 0.8
)";
  auto seller_toward_buyer = [&](const std::string& capacity) {
    std::string text = two_actors(capacity.empty() ? "" : link);
    if (!capacity.empty()) text.replace(text.find("CAPACITY"), 8, capacity);
    LoadOptions options;
    options.overrides = {"domains.x.trade=0", "domains.x.energy=1", "model.decide.benefit=1",
                         "time.years=6"};
    const Trajectory t = run_scenario(load(text, options), 1).trajectory;
    return std::pair{t.relations[last(t) * 4 + 1 * 2 + 0], t.energy[last(t) * 4 + 1 * 2 + 0]};
  };
  const auto [none, no_gas] = seller_toward_buyer("");
  const auto [trickle, trickle_gas] = seller_toward_buyer("1e-6");
  const auto [pipeline, pipeline_gas] = seller_toward_buyer("100.0");
  CHECK(no_gas == 0.0);
  CHECK(trickle_gas > 0.0);
  CHECK(trickle_gas <= 1e-6);
  CHECK(pipeline_gas > 1.0);
  // A trickle of 1e-6 bcm/yr: an export share of 2e-6, a log change of 2e-4.
  CHECK(std::abs(trickle - none) < 1e-3);
  // The pipeline's benefit is there: BB moves toward AA.
  CHECK(pipeline - none > 0.2);
}

TEST_CASE("a capacity cut below the flow binds in the step of the event, not over years",
          "[model][flows]") {
  const std::string events = R"(
[[events]]
date = 2031-01-01
kind = "energy_link"
actor = "BB"
targets = "AA"
capacity = 8.0
cost = 0.1

[[events]]
date = 2034-01-01
kind = "energy_link"
actor = "BB"
targets = "AA"
capacity = 0.5
)";
  const ScenarioSpec spec = load(two_actors(events));
  const Trajectory t = run_scenario(spec, 1).trajectory;
  const auto cut = static_cast<std::size_t>(spec.events[1].step);
  const auto gas = [&](std::size_t f) { return t.energy[f * 4 + 1 * 2 + 0]; };
  REQUIRE(gas(cut) > 4.0);  // the link filled toward its 8 bcm/yr before the cut
  for (std::size_t f = cut + 1; f < t.frames(); ++f) CHECK(gas(f) == 0.5);
  // Before the cut the flow only rose toward its target, below the capacity in force.
  for (std::size_t f = 1; f <= cut; ++f) {
    CHECK(gas(f) >= gas(f - 1));
    CHECK(gas(f) <= 8.0);
  }
}

TEST_CASE("an import capacity cut below what arrives binds in the step of the event",
          "[model][flows]") {
  // AA needs 10 bcm/yr, from the rest of the world and, from 2031, a link from BB; in 2034 its
  // terminals are cut to 3 bcm/yr. Every inflow scales down to 3 at once (it landed 5.9 of them
  // a year and a half later, and the shortfall read 4.9 of the 7 it is).
  const std::string events = R"(
[[events]]
date = 2031-01-01
kind = "energy_link"
actor = "BB"
targets = "AA"
capacity = 8.0
cost = 0.1

[[events]]
date = 2034-01-01
kind = "import_capacity"
actor = "AA"
capacity = 3.0
)";
  const ScenarioSpec spec = load(two_actors(events));
  const Trajectory t = run_scenario(spec, 1).trajectory;
  const auto cut = static_cast<std::size_t>(spec.events[1].step);
  const auto from_bb = [&](std::size_t f) { return t.energy[f * 4 + 1 * 2 + 0]; };
  const auto landed = [&](std::size_t f) { return 10.0 - t.energy_shortfall[f * 2 + 0]; };
  REQUIRE(from_bb(cut) > 3.0);  // the link alone brought more than the new limit before it
  CHECK(t.energy_shortfall[cut * 2 + 0] == Approx(0.0).margin(1e-9));
  for (std::size_t f = cut + 1; f < t.frames(); ++f) {
    INFO("frame " << f);
    CHECK(landed(f) <= 3.0 * (1.0 + 1e-12));
    CHECK(landed(f) == Approx(3.0).epsilon(1e-9));
    CHECK(from_bb(f) <= 3.0 * (1.0 + 1e-12));
  }
}

TEST_CASE("reciprocity alone closes the gap between r[i,j] and r[j,i] geometrically",
          "[model][decide]") {
  LoadOptions options;
  options.overrides = {"model.decide.reciprocity=0.6", "time.years=2"};
  const ScenarioSpec spec = load(two_actors(""), options);
  const Trajectory t = run_scenario(spec, 1).trajectory;
  // Euler: the gap shrinks by (1 - 2 lambda dt) per step; the mean is conserved.
  const double per_step = 1.0 - 2.0 * 0.6 / 12.0;
  for (std::size_t f = 0; f < t.frames(); ++f) {
    const double gap = t.relations[f * 4 + 1] - t.relations[f * 4 + 2];
    CHECK(gap == Approx(0.6 * std::pow(per_step, static_cast<double>(t.step[f]))).epsilon(1e-12));
    CHECK(t.relations[f * 4 + 1] + t.relations[f * 4 + 2] == Approx(-0.2).epsilon(1e-12));
  }
}

TEST_CASE(
    "an impulse moves the relation by event_scale times the Goldstein weight and part of it lasts",
    "[model][events]") {
  const std::string event = R"(
[[events]]
date = 2030-01-01
actor = "AA"
targets = "BB"
cameo = "163"
)";
  LoadOptions options;
  options.overrides = {"actors.AA.inertia=0.5", "actors.BB.inertia=0.5", "model.decide.anchor=1",
                       "time.years=30"};
  const ScenarioSpec spec = load(two_actors(event), options);
  const Trajectory t = run_scenario(spec, 1).trajectory;
  const auto& p = spec.params.decide;
  const double delta = p.event_scale * -8.0;
  // The first frame after the step holds the jump minus one step of anchoring back.
  const double jumped = 0.2 + delta;
  const double anchor = 0.2 + p.event_persistence * delta;
  CHECK(t.relations[1 * 4 + 1] == Approx(jumped + 0.5 / 12.0 * (anchor - jumped)).epsilon(1e-12));
  // The reverse direction feels event_reciprocal of it.
  CHECK(t.relations[1 * 4 + 2] ==
        Approx(-0.4 + p.event_reciprocal * delta +
               0.5 / 12.0 *
                   (p.event_persistence * p.event_reciprocal * delta - p.event_reciprocal * delta))
            .epsilon(1e-12));
  // In the long run the relation settles at the shifted anchor.
  CHECK(t.relations[last(t) * 4 + 1] == Approx(anchor).epsilon(1e-6));
  CHECK(t.contributions[1 * 4 * kTermCount + 1 * kTermCount +
                        static_cast<std::size_t>(Term::event)] == Approx(delta).epsilon(1e-12));
}

TEST_CASE("third-party pressure lowers the relation toward a rival of the actor one depends on",
          "[model][decide]") {
  // CC depends heavily on DD (all its trade); DD is hostile to EE; CC courts EE.
  const std::string text = R"(
name = "pressure"
[time]
years = 5
[domains.x]
[actors.CC]
interests = { x = 1.0 }
total_trade = 10.0
noise = 0.0
[actors.DD]
interests = { x = 1.0 }
total_trade = 1000.0
noise = 0.0
[actors.EE]
interests = { x = 1.0 }
noise = 0.0
[trade.CC]
DD = 5.0
[trade.DD]
CC = 5.0
[relations.CC]
EE = { x = 0.5 }
[relations.DD]
EE = { x = -0.8 }
[model.decide]
benefit = 0.0
reciprocity = 0.0
balance = 0.0
anchor = 0.0
pressure = 2.0
)";
  const ScenarioSpec spec = load(text);
  const Trajectory t = run_scenario(spec, 1).trajectory;
  const std::size_t cc_ee = 0 * 3 + 2, dd_ee = 1 * 3 + 2;
  CHECK(t.leverage[0 * 3 + 1] > 0.0);  // DD has leverage over CC
  CHECK(t.relations[last(t) * 9 + cc_ee] < 0.5 - 0.05);
  CHECK(t.relations[last(t) * 9 + dd_ee] == Approx(-0.8));  // DD depends on nobody
  LoadOptions off;
  off.overrides = {"model.decide.pressure=0"};
  const Trajectory u = run_scenario(load(text, off), 1).trajectory;
  CHECK(u.relations[last(u) * 9 + cc_ee] == Approx(0.5));
}

TEST_CASE("shared institutions damp conflict between members only", "[model][institutions]") {
  const std::string text = R"(
name = "damping"
[time]
years = 10
[domains.x]
[actors.AA]
interests = { x = 1.0 }
noise = 0.0
inertia = 0.0
[actors.BB]
interests = { x = 1.0 }
noise = 0.0
inertia = 0.0
[actors.CC]
interests = { x = 1.0 }
noise = 0.0
inertia = 0.0
[relations.AA]
BB = { x = -0.6 }
CC = { x = -0.6 }
[institutions.forum]
members = ["AA", "BB"]
conflict_damping = 0.2
[model.decide]
benefit = 0.0
reciprocity = 0.0
pressure = 0.0
balance = 0.0
anchor = 0.0
)";
  const Trajectory t = run_scenario(load(text), 1).trajectory;
  // Member pair: dr/dt = -0.2 r, so r = -0.6 (1 - 0.2/12)^120 under Euler.
  CHECK(t.relations[last(t) * 9 + 1] ==
        Approx(-0.6 * std::pow(1.0 - 0.2 / 12.0, 120.0)).epsilon(1e-12));
  CHECK(t.relations[last(t) * 9 + 2] == Approx(-0.6));  // CC is not a member
}

TEST_CASE(
    "a relation to a third party crossing zero changes the shared-threat benefit continuously",
    "[model][decide]") {
  // AA's relation to KK starts just above 0 (no shared threat at t0); BB is hostile to KK. An
  // impulse in the first step takes it to just below 0 (-delta), a second run leaves it at
  // +delta. The input moved by 2 delta; AA's drift toward BB may differ between the runs by at
  // most lambda_B D w g |dC/dR| <= 1 * 1 * 1 * 0.5 * 1 per unit of input, per year (§7.4.2),
  // so the first step's change of r[AA,BB] by at most dt * 0.5 * 2 delta.
  const double delta = 0.001;
  auto text = [&](bool cross) {
    return std::string(R"(
name = "threat continuity"
[time]
years = 1
[domains.sec]
threat = 1.0
[actors.AA]
interests = { sec = 1.0 }
military = 10.0
noise = 0.0
[actors.BB]
interests = { sec = 1.0 }
military = 10.0
noise = 0.0
[actors.KK]
interests = { sec = 1.0 }
military = 10.0
noise = 0.0
[relations.AA]
KK = { sec = 0.001 }
BB = { sec = 0.2 }
[relations.BB]
KK = { sec = -0.8 }
[model.decide]
benefit = 1.0
benefit_gain = 0.5
event_scale = 0.001
event_reciprocal = 0.0
reciprocity = 0.0
pressure = 0.0
balance = 0.0
anchor = 0.0
[[events]]
date = 2025-01-01
actor = "AA"
targets = "KK"
)") + (cross ? "goldstein = -2.0\n" : "goldstein = 0.0\n");
  };
  const Trajectory above = run_scenario(load(text(false)), 1).trajectory;
  const Trajectory below = run_scenario(load(text(true)), 1).trajectory;
  const std::size_t aa_kk = 0 * 3 + 2, aa_bb = 0 * 3 + 1;
  // (After the step: the impulse, then AA->KK's own small drift.)
  REQUIRE(above.relations[1 * 9 + aa_kk] > 0.0);
  REQUIRE(below.relations[1 * 9 + aa_kk] < 0.0);
  const double change_above = above.relations[1 * 9 + aa_bb] - 0.2;
  const double change_below = below.relations[1 * 9 + aa_bb] - 0.2;
  CHECK(change_above == 0.0);  // no shared threat: the target stays at the anchor
  CHECK(change_below > 0.0);   // a shared adversary pulls AA toward BB
  CHECK(change_below - change_above <= (1.0 / 12.0) * 0.5 * 2.0 * delta);
}

TEST_CASE(
    "finance is a channel of dependence: shares, sensitivity, vulnerability and leverage follow "
    "their definitions, and a hostile shareholder blocks a programme at its review",
    "[model][interdependence][finance]") {
  // AA receives 20 US$ bn/yr: 4 from BB (aid 1, remittances 3), a programme of LL of 2 whose
  // going on keeps 4 more flowing, and 14 from the rest of the world. BB holds 30 % of LL's
  // votes, above the blocking share 15 %, so it can block the whole programme: b = 1.
  const std::string extra = R"(
[finance.BB]
AA = { aid = 1.0, remittances = 3.0 }
[lenders.LL]
votes = { BB = 0.3, AA = 0.01 }
blocking_share = 0.15
support_threshold = -0.2
review_months = 6
[lenders.LL.programmes]
AA = { amount = 2.0, catalysed = 4.0 }
)";
  auto with = [&](std::initializer_list<std::string> overrides) {
    LoadOptions o;
    o.overrides = {"actors.AA.external_finance=20", "actors.AA.finance_substitution=2"};
    for (const auto& s : overrides) o.overrides.push_back(s);
    return load(two_actors(extra), o);
  };
  const double theta = 4.0;
  const double trade_v = 0.4 * (1.0 - std::pow(0.5, 1.0 / theta));
  const Trajectory t = run_scenario(with({}), 1).trajectory;
  // Frame 0: FS = (4 + 1 x (2 + 4)) / 20 = 0.5, phi = 20 / 100.
  const double finance_v = 0.2 * (1.0 - std::pow(0.5, 1.0 / 2.0));
  CHECK(t.sensitivity[0 * 2 + 1] == Approx(0.4 * 0.5 + 0.2 * 0.5).epsilon(1e-12));
  CHECK(t.vulnerability[0 * 2 + 1] == Approx(trade_v + finance_v).epsilon(1e-12));
  const std::size_t C = kDependenceChannels.size();
  CHECK(t.leverage_channels[1 * C + 2] == Approx(finance_v).epsilon(1e-12));  // [AA, BB, finance]
  CHECK(t.leverage_channels[1 * C + 1] == 0.0);                               // no gas
  double sum = 0.0;
  for (std::size_t c = 0; c < C; ++c) sum += t.leverage_channels[1 * C + c];
  CHECK(sum == Approx(t.leverage[1]).epsilon(1e-12));
  CHECK(t.leverage_channels[2 * C + 2] == Approx(-finance_v).epsilon(1e-12));  // [BB, AA]
  CHECK(t.finance[1 * 2 + 0] == Approx(4.0));
  CHECK(t.programme_finance[0] == Approx(2.0));

  // BB's relation to AA (-0.4) is below the threshold: at the first review (the step that
  // completes month 6) the programme is suspended; AA's finance is then 18, FS = 4 / 18.
  for (std::size_t f = 0; f < t.frames(); ++f) {
    INFO("frame " << f << ", step " << t.step[f]);
    CHECK(t.programme_finance[f * 2 + 0] == (t.step[f] >= 6 ? 0.0 : 2.0));
  }
  const std::size_t end = last(t);
  CHECK(t.sensitivity[end * 4 + 1] - t.sensitivity[1] ==
        Approx(0.18 * (4.0 / 18.0) - 0.1).epsilon(1e-9));

  // A friendly shareholder lets it run; with the channel off, finance counts for nothing.
  const Trajectory friendly = run_scenario(with({"relations.BB.AA.x=0.5"}), 1).trajectory;
  CHECK(friendly.programme_finance[last(friendly) * 2 + 0] == Approx(2.0));

  // A friendly shareholder's financial sanction on the borrower (from 2031-03, lifted 2033-03)
  // reaches the programme: it is suspended from the review that completes month 18 (step 17)
  // and resumes at the review that completes month 42 (step 41).
  const std::string sanction = extra + R"(
[[events]]
date = 2031-03-01
kind = "sanction"
type = "financial"
direction = "exports"
intensity = 0.5
actor = "BB"
targets = "AA"
goldstein = 0
[[events]]
date = 2033-03-01
kind = "lift_sanction"
actor = "BB"
targets = "AA"
goldstein = 0
)";
  LoadOptions o;
  o.overrides = {"actors.AA.external_finance=20", "relations.BB.AA.x=0.5"};
  const Trajectory sanctioned = run_scenario(load(two_actors(sanction), o), 1).trajectory;
  for (std::size_t f = 0; f < sanctioned.frames(); ++f) {
    INFO("frame " << f << ", step " << sanctioned.step[f]);
    const std::int64_t s = sanctioned.step[f];
    CHECK(sanctioned.programme_finance[f * 2 + 0] == (s >= 18 && s < 42 ? 0.0 : 2.0));
  }
  const Trajectory off = run_scenario(with({"model.flows.finance=false"}), 1).trajectory;
  CHECK(off.sensitivity[1] == Approx(0.4 * 0.5).epsilon(1e-12));
  CHECK(off.leverage_channels[1 * C + 2] == 0.0);
  CHECK(off.finance[1 * 2 + 0] == Approx(4.0));  // the flows are still recorded
}

TEST_CASE("shareholders whose votes add up to the blocking share block a programme",
          "[model][finance]") {
  // 0.7 + 0.1 is 0.79999999999999993 in doubles: the coalition of XX and YY, both hostile to
  // the borrower, has the blocking share 0.8 as written and blocks at the first review (the
  // step that completes month 6); 0.0523 + 0.0754 + 0.0223 against 0.15 likewise.
  const auto programme = [](const std::string& votes, const std::string& share) {
    const std::string text = R"(name = "coalition"
seed = 1
[time]
start = 2025-01-01
years = 1
steps_per_year = 12
[domains.econ]
finance = 1.0
[actors.BOR]
interests = { econ = 1.0 }
external_finance = 10
noise = 0.0
[actors.XX]
interests = { econ = 1.0 }
noise = 0.0
[actors.YY]
interests = { econ = 1.0 }
noise = 0.0
[actors.ZZ]
interests = { econ = 1.0 }
noise = 0.0
[relations.XX]
BOR = { econ = -0.9 }
[relations.YY]
BOR = { econ = -0.9 }
[relations.ZZ]
BOR = { econ = -0.9 }
[lenders.FUND]
review_months = 6
votes = )" + votes +
                             "\nblocking_share = " + share +
                             "\n[lenders.FUND.programmes]\nBOR = { amount = 2.0 }\n";
    const ScenarioSpec spec = load(text);
    REQUIRE(spec.actors[0].code == "BOR");
    return run_scenario(spec, 1).trajectory;
  };
  const std::size_t n = 4;  // BOR, XX, YY, ZZ
  for (const auto& [votes, share] : std::vector<std::pair<std::string, std::string>>{
           {"{ XX = 0.7, YY = 0.1 }", "0.8"},
           {"{ XX = 0.0523, YY = 0.0754, ZZ = 0.0223 }", "0.15"}}) {
    INFO(votes << " against " << share);
    const Trajectory t = programme(votes, share);
    REQUIRE(t.frames() == 13);
    for (std::size_t f = 0; f < t.frames(); ++f) {
      INFO("frame " << f);
      CHECK(t.programme_finance[f * n + 0] == (t.step[f] >= 6 ? 0.0 : 2.0));
    }
  }
  // A vote short of the share does not block.
  const Trajectory short_of = programme("{ XX = 0.7, YY = 0.0999 }", "0.8");
  CHECK(short_of.programme_finance[12 * n + 0] == 2.0);
}

TEST_CASE(
    "a programme's benefit goes to the shareholders that can block it alone, and a minor "
    "shareholder gains leverage from it, not warmth",
    "[model][finance]") {
  // AA borrows from LL from 2031 on (a programme event; a second run has none). BB holds 30 % of
  // LL's votes and blocks alone (b = 1, g = 1); CC holds 5 %, a third of a blocking coalition
  // (b = 1/3, g = 0). Only the benefit channel moves relations (benefit on, finance weight 1).
  auto run = [&](bool programme, double pressure = 0.0) {
    std::string text = R"(
name = "programme benefit"
[time]
start = 2030-01-01
years = 4
[domains.fin]
finance = 1.0
[actors.AA]
interests = { fin = 1.0 }
gdp = 100.0
gdp_growth = 0.0
external_finance = 20.0
noise = 0.0
inertia = 0.0
)";
    for (const char* shareholder : {"BB", "CC"})
      text += std::string("[actors.") + shareholder +
              "]\ninterests = { fin = 1.0 }\ngdp = 400.0\ngdp_growth = 0.0\nnoise = 0.0\n"
              "inertia = 0.0\n";
    text += R"(
[finance.BB]
AA = { aid = 2.0 }
[lenders.LL]
votes = { BB = 0.3, CC = 0.05 }
blocking_share = 0.15
review_months = 0
[relations.AA]
BB = { fin = 0.1 }
CC = { fin = 0.1 }
[relations.BB]
CC = { fin = -0.6 }
[model.decide]
benefit = 1.0
benefit_gain = 1.0
reciprocity = 0.0
balance = 0.0
alignment = 0.0
anchor = 0.0
)";
    text += "pressure = " + std::to_string(pressure) + "\n";
    if (programme)
      text += R"(
[[events]]
date = 2031-01-01
kind = "programme"
lender = "LL"
actor = "AA"
amount = 3.0
catalysed = 1.0
)";
    return run_scenario(load(text), 1).trajectory;
  };
  const Trajectory with = run(true), without = run(false);
  const std::size_t end_with = last(with), end_without = last(without);
  REQUIRE(with.time[end_with] == without.time[end_without]);
  const std::size_t aa_bb = 0 * 3 + 1, aa_cc = 0 * 3 + 2;
  auto overall = [](const Trajectory& t, std::size_t frame, std::size_t pair) {
    return t.relation_overall[frame * 9 + pair];
  };
  // BB's share of what AA receives rises from 2 / 20 to (2 + 4) / 23: AA warms to BB.
  CHECK(overall(with, end_with, aa_bb) > overall(without, end_without, aa_bb) + 0.01);
  // CC gives nothing: its benefit channel stays 0, and AA's relation with it is the same run.
  CHECK(overall(with, end_with, aa_cc) == overall(without, end_without, aa_cc));
  // What CC can block still counts as AA's vulnerability to it: (1/3 x 4) / 23 of AA's finance.
  const std::size_t C = kDependenceChannels.size();
  const double finance_v = 23.0 / 100.0 * (1.0 - std::pow(1.0 - (4.0 / 3.0) / 23.0, 1.0 / 2.0));
  CHECK(with.leverage_channels[(end_with * 9 + aa_cc) * C + 2] == Approx(finance_v).epsilon(1e-9));
  CHECK(without.leverage_channels[(end_without * 9 + aa_cc) * C + 2] == 0.0);

  // With pressure, the programme holds AA back from CC, whom the grantor BB is hostile to: BB's
  // leverage over AA grows with what it can block (the replay's check 2, IMF and Russia, in
  // small). Were CC credited by its blocking power, the programme would warm AA toward it.
  const Trajectory pressed = run(true, 1.0), unpressed = run(false, 1.0);
  CHECK(overall(pressed, last(pressed), aa_cc) < overall(unpressed, last(unpressed), aa_cc));
}

TEST_CASE("finance and programme events set aid and programmes from their date on",
          "[model][finance]") {
  const std::string extra = R"(
[finance.BB]
AA = { aid = 1.0, remittances = 3.0 }
[lenders.LL]
votes = { BB = 0.1 }
review_months = 0
[[events]]
date = 2031-01-01
kind = "finance"
actor = "BB"
targets = "AA"
aid = 0.0
cameo = "162"
[[events]]
date = 2032-01-01
kind = "programme"
lender = "LL"
actor = "AA"
amount = 3.0
catalysed = 1.0
[[events]]
date = 2033-01-01
kind = "programme"
lender = "LL"
actor = "AA"
amount = 0.0
)";
  LoadOptions o;
  o.overrides = {"actors.AA.external_finance=20"};
  const ScenarioSpec spec = load(two_actors(extra), o);
  const Trajectory t = run_scenario(spec, 1).trajectory;
  auto at = [&](double year, const std::vector<double>& a, std::size_t per_frame,
                std::size_t index) {
    for (std::size_t f = 0; f < t.frames(); ++f)
      if (t.time[f] >= year - 1e-9) return a[f * per_frame + index];
    FAIL("no frame at " << year);
    return 0.0;
  };
  CHECK(at(2030.5, t.finance, 4, 2) == Approx(4.0));
  CHECK(at(2031.5, t.finance, 4, 2) == Approx(3.0));  // the aid is cut, remittances go on
  CHECK(at(2031.5, t.programme_finance, 2, 0) == 0.0);
  CHECK(at(2032.5, t.programme_finance, 2, 0) == Approx(3.0));
  CHECK(at(2033.5, t.programme_finance, 2, 0) == 0.0);
  // The cut carries the CAMEO 162 impulse (reduce or stop aid): AA's relation to BB drops.
  CHECK(at(2031.0 + 1.0 / 12, t.relation_overall, 4, 1) < at(2030.9, t.relation_overall, 4, 1));
}

TEST_CASE(
    "gas need grows by its rate or path, an import capacity caps what is landed, the rest is "
    "the shortfall, and a full link's excess goes to the other suppliers",
    "[model][gas]") {
  // AA needs 10 bcm/yr, lands at most 6: the rest of the world supplies 6, the shortfall is 4.
  // In 2031 the capacity rises to 8, and the shortfall relaxes toward 2 (T_X = 2 yr).
  const std::string capacity = R"(
[[events]]
date = 2031-01-01
kind = "import_capacity"
actor = "AA"
capacity = 8.0
)";
  LoadOptions o;
  o.overrides = {"actors.AA.energy_import_capacity=6"};
  const Trajectory t = run_scenario(load(two_actors(capacity), o), 1).trajectory;
  CHECK(t.energy_demand[0] == Approx(10.0));
  CHECK(t.energy_shortfall[0] == Approx(4.0));
  const std::size_t year_2031 = 12, year_2033 = 36;
  CHECK(t.energy_shortfall[year_2031 * 2] == Approx(4.0).epsilon(1e-12));
  CHECK(t.energy_shortfall[year_2033 * 2] == Approx(2.0 + 2.0 * std::exp(-1.0)).epsilon(1e-9));

  // Growth 5 %/yr: the need at 2040 is 10 e^(0.05 * 10); a path interpolates linearly.
  o.overrides = {"actors.AA.energy_demand_growth=0.05", "time.years=10"};
  const Trajectory grown = run_scenario(load(two_actors(""), o), 1).trajectory;
  CHECK(grown.energy_demand[last(grown) * 2] == Approx(10.0 * std::exp(0.5)).epsilon(1e-9));
  LoadOptions path;
  path.overrides = {"time.years=10"};
  const std::string with_path = std::string(two_actors(""))
                                    .replace(two_actors("").find("energy_imports = 10.0"),
                                             std::string("energy_imports = 10.0").size(),
                                             "energy_demand = { 2030 = 10.0, 2040 = 30.0 }");
  const Trajectory pathed = run_scenario(load(with_path, path), 1).trajectory;
  CHECK(pathed.energy_demand[0] == Approx(10.0));
  CHECK(pathed.energy_demand[60 * 2] == Approx(20.0).epsilon(1e-9));  // 2035
  CHECK(pathed.energy_demand[last(pathed) * 2] == Approx(30.0).epsilon(1e-9));

  // A link from BB at half the outside cost would take most of AA's gas; capped at 2 bcm/yr, it
  // runs full and the rest of the world lands the other 8: no shortfall.
  const std::string link = R"(
[energy.BB.AA]
capacity = 2.0
cost = 0.5
)";
  const Trajectory capped = run_scenario(load(two_actors(link)), 1).trajectory;
  const std::size_t end = last(capped);
  CHECK(capped.energy[end * 4 + 1 * 2 + 0] == Approx(2.0).epsilon(1e-6));
  // Exactly 0 at every frame, not the rounding of the landed gas's sum (a residue of 1e-14
  // bcm/yr made a sweep's shortfall "onset" where none was).
  std::size_t residues = 0;
  for (std::size_t f = 0; f <= end; ++f) residues += capped.energy_shortfall[f * 2] != 0.0;
  CHECK(residues == 0);
}

TEST_CASE("a sanction moves only the sender's relation: the target answers with its own events",
          "[model][events]") {
  // No automatic reverse impulse on top of an explicit counter-sanction (docs/model.md §7.1).
  const std::string event = R"(
[[events]]
date = 2030-01-01
kind = "sanction"
actor = "BB"
targets = "AA"
intensity = 0.5
)";
  const ScenarioSpec spec = load(two_actors(event));
  const Trajectory t = run_scenario(spec, 1).trajectory;
  const std::size_t event_term = static_cast<std::size_t>(Term::event);
  const std::size_t T = t.dims().domains == 1 ? kTermNames.size() : 0;
  REQUIRE(T > 0);
  // Frame 1 holds the first step's increments: BB -> AA moved by 0.03 x (-8), AA -> BB not.
  CHECK(t.contributions[(1 * 4 + 1 * 2 + 0) * T + event_term] ==
        Approx(spec.params.decide.event_scale * -8.0));
  CHECK(t.contributions[(1 * 4 + 0 * 2 + 1) * T + event_term] == 0.0);
  // An impulse of the same weight is felt back in part.
  const std::string impulse = R"(
[[events]]
date = 2030-01-01
actor = "BB"
targets = "AA"
cameo = "163"
)";
  const Trajectory u = run_scenario(load(two_actors(impulse)), 1).trajectory;
  CHECK(u.contributions[(1 * 4 + 0 * 2 + 1) * T + event_term] ==
        Approx(spec.params.decide.event_reciprocal * spec.params.decide.event_scale * -8.0));
}

TEST_CASE("a passive actor does not decide: its relations move only by events", "[model][decide]") {
  // BB is passive: reciprocity (on) and noise would move its relation to AA, but do not; AA's
  // relation to BB still moves, and an event still moves BB's.
  const std::string event = R"(
[[events]]
date = 2035-01-01
actor = "BB"
targets = "AA"
goldstein = 5.0
)";
  LoadOptions o;
  o.overrides = {"actors.BB.passive=true", "actors.BB.noise=0.1", "model.decide.reciprocity=0.5"};
  const Trajectory t = run_scenario(load(two_actors(event), o), 1).trajectory;
  const std::size_t event_frame = 60;  // 2035-01-01 is step 60
  for (std::size_t f = 0; f <= event_frame; ++f) CHECK(t.relations[f * 4 + 2] == -0.4);
  CHECK(t.relations[(event_frame + 1) * 4 + 2] == Approx(-0.4 + 0.03 * 5.0));
  CHECK(t.relations[last(t) * 4 + 2] == t.relations[(event_frame + 1) * 4 + 2]);
  CHECK(t.relations[last(t) * 4 + 1] != 0.2);  // AA decides
  o.overrides[0] = "actors.BB.passive=false";
  const Trajectory u = run_scenario(load(two_actors(event), o), 1).trajectory;
  CHECK(u.relations[10 * 4 + 2] != -0.4);
}

TEST_CASE("a passive actor's settings move no one's relations, under either integrator",
          "[model][decide]") {
  // PP is passive: its own drift (here reciprocity toward AA) is not taken, so neither its
  // responsiveness nor its inertia may change what AA and BB do. Runge-Kutta's stages once
  // moved PP's relations inside the step, which the others' reciprocity and balance then read
  // (at responsiveness 1000 AA's relation to PP went from 0.5 to -1 within the year).
  const std::string text = R"(
name = "passive-stages"
[time]
steps = 12
[domains.d]
[actors.AA]
interests = { d = 1 }
noise = 0
[actors.BB]
interests = { d = 1 }
noise = 0
[actors.PP]
interests = { d = 1 }
noise = 0
passive = true
[relations.AA]
BB = { d = 0.5 }
PP = { d = 0.5 }
[relations.BB]
AA = { d = 0.1 }
PP = { d = -0.6 }
[relations.PP]
AA = { d = 0.8 }
BB = { d = -0.9 }
)";
  for (const char* integrator : {"euler", "rk4"}) {
    CAPTURE(integrator);
    LoadOptions written, fast;
    written.overrides = {std::string("model.decide.integrator=\"") + integrator + "\""};
    fast.overrides = written.overrides;
    fast.overrides.push_back("actors.PP.responsiveness=1000");
    fast.overrides.push_back("actors.PP.inertia=5");
    const Trajectory a =
        run_scenario(load_scenario_text(text, "passive.toml", ".", written), 1).trajectory;
    const Trajectory b =
        run_scenario(load_scenario_text(text, "passive.toml", ".", fast), 1).trajectory;
    CHECK(a.relations == b.relations);
    // PP's relations keep what the scenario gave them.
    CHECK(a.relations[last(a) * 9 + 2 * 3 + 0] == 0.8);
  }
}

namespace {

// A club (members SS, OO; applicant AP) serving domain x, with a summit every January; OO's
// interest in x is `opponent_salience`, SS's 0.5. Every term but the vote is off.
std::string club(const std::string& rule, double opponent_salience, double opponent_military) {
  return R"(
name = "club"
[time]
start = 2030-02-01
years = 1
[domains.x]
[domains.y]
[actors.AP]
interests = { x = 0.5, y = 0.5 }
noise = 0.0
[actors.SS]
interests = { x = 0.5, y = 0.5 }
military = 1.0
noise = 0.0
[actors.OO]
interests = { x = )" +
         std::to_string(opponent_salience) + ", y = " + std::to_string(1.0 - opponent_salience) +
         R"( }
military = )" +
         std::to_string(opponent_military) + R"(
noise = 0.0
[relations.SS]
AP = { x = 0.5, y = 0.5 }
[relations.OO]
AP = { x = -0.5, y = -0.5 }
[institutions.club]
members = ["SS", "OO"]
rule = ")" +
         rule + R"("
summit_month = 1
domains = ["x"]
[model.decide]
benefit = 0.0
reciprocity = 0.0
pressure = 0.0
balance = 0.0
anchor = 0.0
[[events]]
date = 2030-02-01
kind = "apply"
actor = "AP"
institution = "club"
)";
}

}  // namespace

TEST_CASE(
    "admission votes weigh capability by salience: under PCE the chance falls as the "
    "opponent's salience rises, and under consensus one weak member's veto blocks",
    "[model][institutions]") {
  // PCE (m = 1): for = 1 x 0.5 x 0.5, against = 1 x w x 0.5, P = 0.25 / (0.25 + 0.5 w).
  double previous = 1.0;
  for (double w : {0.2, 0.5, 0.8}) {
    INFO("opponent salience " << w);
    const RunResult run = run_scenario(load(club("pce", w, 1.0)), 3);
    REQUIRE(run.log.admissions.size() >= 1u);
    const double p = run.log.admissions.front().probability;
    CHECK(p == Approx(0.25 / (0.25 + 0.5 * w)).epsilon(1e-12));
    CHECK(p < previous);
    previous = p;
  }
  // Consensus: OO, a thousand times weaker than SS, still blocks with its no.
  const RunResult consensus = run_scenario(load(club("consensus", 0.5, 0.001)), 3);
  REQUIRE(!consensus.log.admissions.empty());
  for (const auto& d : consensus.log.admissions) CHECK(!d.admitted);
  // Under PCE the weak opponent counts for little.
  const RunResult pce = run_scenario(load(club("pce", 0.5, 0.001)), 3);
  CHECK(pce.log.admissions.front().probability > 0.99);
}

TEST_CASE(
    "a PCE vote whose strengths to the power m are beyond doubles gives the probability of the "
    "strengths themselves, not NaN and not a tie",
    "[model][institutions]") {
  // for = SS's capability x 0.5 x 0.5, against = OO's x 0.2 x 0.5: with equal capabilities
  // P = 0.25^m / (0.25^m + 0.1^m) whatever they are. At 1e15 US$ bn (the largest input) to the
  // power 25 the strengths overflow (inf / inf: NaN, and the applicant refused; found at 1e300
  // squared); at 1e-200 squared they underflow to 0 (0 / 0, once read as a tie, 0.5).
  struct Case {
    std::string military;
    double m;
  };
  for (const Case& c : {Case{"1", 2.0}, Case{"1e15", 25.0}, Case{"1e-200", 2.0}}) {
    INFO("capabilities " << c.military << " US$ bn, m = " << c.m);
    LoadOptions o;
    o.overrides = {"actors.SS.military=" + c.military, "actors.OO.military=" + c.military,
                   "institutions.club.pce_exponent=" + std::to_string(c.m)};
    const RunResult run = run_scenario(load(club("pce", 0.2, 1.0), o), 3);
    REQUIRE(!run.log.admissions.empty());
    const double p_for = std::pow(0.25, c.m), p_against = std::pow(0.1, c.m);
    for (const auto& d : run.log.admissions)
      CHECK(d.probability == Approx(p_for / (p_for + p_against)).epsilon(1e-12));
  }
}

namespace {
// An institution "club" with `keys`, not yet founded: AA and BB join it on 2031-01-01 (step
// 12), AA leaves on 2033-01-01 (step 36).
std::string club_join_leave(const std::string& keys) {
  return "[institutions.club]\n" + keys + "\n" + R"([[events]]
date = 2031-01-01
kind = "join"
actor = "AA"
institution = "club"
[[events]]
date = 2031-01-01
kind = "join"
actor = "BB"
institution = "club"
[[events]]
date = 2033-01-01
kind = "leave"
actor = "AA"
institution = "club"
)";
}
}  // namespace

TEST_CASE("a change of membership reaches conflict damping and the shared-institution channel",
          "[model][institutions]") {
  // The matrices built from membership (institutions.cpp, refresh_membership) are kept between
  // steps: the join and the leave must rebuild them. Here the relation moves only by the
  // benefit of the shared-institution channel and by the club's conflict damping, both nothing
  // before AA and BB share the club (the relations start at their anchors).
  std::string text = two_actors(club_join_leave("conflict_damping = 0.5"));
  auto replace = [&](const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  };
  replace("[domains.x]\ntrade = 1.0", "[domains.x]\ninstitutions = 1.0");
  replace("benefit = 0.0", "benefit = 1.0");
  const Trajectory t = run_scenario(load(text), 1).trajectory;
  const std::size_t T = kTermNames.size();
  REQUIRE(t.dims().domains == 1);
  // Frame f holds the increments of step f - 1; the joins apply in step 12 (2031-01-01), the
  // leave in step 36. Pair (BB, AA): relation -0.4, damped while both belong.
  auto term = [&](std::size_t f, std::size_t i, std::size_t j, Term what) {
    return t.contributions[(f * 4 + i * 2 + j) * T + static_cast<std::size_t>(what)];
  };
  CHECK(term(12, 1, 0, Term::institutions) == 0.0);
  CHECK(term(12, 0, 1, Term::benefit) == 0.0);
  CHECK(term(13, 1, 0, Term::institutions) > 0.0);   // pulls -0.4 toward 0
  CHECK(term(13, 0, 1, Term::benefit) > 0.0);        // a shared institution: a warmer target
  CHECK(term(38, 1, 0, Term::institutions) == 0.0);  // AA has left
}

TEST_CASE("join and leave events change memberships at their dates, founding an institution",
          "[model][institutions]") {
  const ScenarioSpec spec = load(two_actors(club_join_leave("trade_cost_discount = 0.5")));
  const Trajectory t = run_scenario(spec, 1).trajectory;
  auto member = [&](std::size_t f, std::size_t i) { return t.membership[f * 2 + i]; };
  CHECK(member(12, 0) == 0);  // 2031-01-01, the state before the step
  CHECK(member(13, 0) == 1);
  CHECK(member(13, 1) == 1);
  CHECK(member(37, 0) == 0);
  CHECK(member(37, 1) == 1);
  // Co-members trade more (the discount) while both belong, and less again after AA leaves.
  CHECK(t.trade[36 * 4 + 1] > 1.5 * t.trade[12 * 4 + 1]);
  CHECK(t.trade[last(t) * 4 + 1] == Approx(5.0).epsilon(1e-3));
}

TEST_CASE("an application made after the summit's month of a long step waits for the next summit",
          "[model][institutions]") {
  // Hunt AO: a yearly step holds a March summit and a September application; the application
  // was decided at the summit held before it was made (admitted "2025-01").
  const std::string world = R"(
name = "club"
seed = 7
[time]
start = 2025-01-01
years = 4
steps_per_year = 1
[domains.diplo]
institutions = 1.0
[actors.AA]
interests = { diplo = 1.0 }
gdp = 100
responsiveness = 0.4
[actors.BB]
interests = { diplo = 1.0 }
gdp = 200
responsiveness = 0.4
[actors.CC]
interests = { diplo = 1.0 }
gdp = 300
responsiveness = 0.4
[relations.AA]
BB = { diplo = 0.3 }
CC = { diplo = 0.3 }
[relations.BB]
AA = { diplo = 0.4 }
CC = { diplo = 0.4 }
[relations.CC]
AA = { diplo = 0.4 }
BB = { diplo = 0.4 }
[institutions.CLUB]
members = ["BB", "CC"]
summit_month = 3
rule = "consensus"
admission_threshold = -1
[[events]]
kind = "apply"
actor = "AA"
institution = "CLUB"
)";
  const auto first_decision = [&](const std::string& date, const std::string& steps) {
    LoadOptions o;
    o.overrides = {"events.0.date=" + date, "time.steps_per_year=" + steps};
    const EventLog log = run_scenario(load(world + "date = 2025-01-01\n", o), 1).log;
    REQUIRE_FALSE(log.admissions.empty());
    return log.admissions.front().time;
  };
  CHECK(first_decision("2025-09-15", "1") == Approx(2026.0));  // the step of the 2026 summit
  CHECK(first_decision("2025-02-10", "1") == Approx(2025.0));  // made before the 2025 summit
  CHECK(first_decision("2025-09-15", "4") == Approx(2026.0));  // the first quarter of 2026
  CHECK(first_decision("2025-09-15", "12") == Approx(2026.0 + 2.0 / 12.0));
  CHECK(first_decision("2025-03-20", "12") == Approx(2025.0 + 2.0 / 12.0));  // in its month
}

TEST_CASE(
    "typed sanctions act on their own channel and direction, and a trade-cost shock is not a "
    "sanction",
    "[model][events][sanctions]") {
  // Partial gravity, so each flow answers only its own cost: (1 + z)^-theta.
  LoadOptions partial;
  partial.overrides = {"model.flows.gravity=\"partial\""};
  const auto run = [&](const std::string& event) {
    return run_scenario(load(two_actors("[finance.BB]\nAA = { aid = 2.0 }\n" + event),
                             [&] {
                               LoadOptions o = partial;
                               o.overrides.push_back("actors.AA.external_finance=10");
                               return o;
                             }()),
                        1)
        .trajectory;
  };
  const double theta = 4.0, factor = std::pow(1.5, -theta);
  const auto end_trade = [](const Trajectory& t, std::size_t p) {
    return t.trade[last(t) * 4 + p];
  };

  // An export ban by BB on AA: BB's exports to AA (15) fall, AA's to BB (5) do not.
  const Trajectory exports = run(R"(
[[events]]
date = 2030-01-01
kind = "sanction"
actor = "BB"
targets = "AA"
intensity = 0.5
direction = "exports"
goldstein = 0.0
)");
  CHECK(end_trade(exports, 2) == Approx(15.0 * factor).epsilon(1e-6));
  CHECK(end_trade(exports, 1) == Approx(5.0).epsilon(1e-9));

  // A financial sanction blocks 60 % of BB's finance to AA and leaves trade alone; lifting it
  // restores the flow.
  const Trajectory financial = run(R"(
[[events]]
date = 2030-01-01
kind = "sanction"
type = "financial"
actor = "BB"
targets = "AA"
intensity = 0.6
[[events]]
date = 2040-01-01
kind = "lift_sanction"
actor = "BB"
targets = "AA"
)");
  CHECK(financial.finance[60 * 4 + 2] == Approx(0.8));  // 2035
  CHECK(financial.finance[last(financial) * 4 + 2] == Approx(2.0));
  CHECK(end_trade(financial, 2) == Approx(15.0).epsilon(1e-9));

  // An arms embargo carries its impulse only.
  const Trajectory arms = run(R"(
[[events]]
date = 2030-01-01
kind = "sanction"
type = "arms"
actor = "BB"
targets = "AA"
)");
  CHECK(end_trade(arms, 2) == Approx(15.0).epsilon(1e-9));
  CHECK(arms.finance[last(arms) * 4 + 2] == Approx(2.0));
  CHECK(arms.relations[1 * 4 + 2] == Approx(-0.4 - 0.03 * 8.0));

  // A suspension of trade (Pakistan-India 2019) is a trade_cost shock: both flows fall, no
  // impulse unless given, and setting it back to 0 restores them.
  const Trajectory suspension = run(R"(
[[events]]
date = 2030-01-01
kind = "trade_cost"
actor = "AA"
targets = "BB"
intensity = 0.5
[[events]]
date = 2050-01-01
kind = "trade_cost"
actor = "AA"
targets = "BB"
intensity = 0.0
)");
  CHECK(suspension.trade[240 * 4 + 1] == Approx(5.0 * factor).epsilon(1e-3));  // 20 yr: e^-10 left
  CHECK(suspension.trade[240 * 4 + 2] == Approx(15.0 * factor).epsilon(1e-3));
  CHECK(suspension.relations[1 * 4 + 2] == -0.4);
  CHECK(end_trade(suspension, 1) == Approx(5.0).epsilon(1e-4));
}

TEST_CASE("a GDP growth path sets the rate from each year on", "[model][flows]") {
  // AA grows 0 % until 2035, then 10 %/yr: 100 e^(0.1 x 5) in 2040.
  std::string text = two_actors("");
  const std::string flat = "gdp = 100.0\ngdp_growth = 0.0\n";
  text.replace(text.find(flat), flat.size(),
               "gdp = 100.0\ngdp_growth_path = { 2030 = 0.0, 2035 = 0.1 }\n");
  LoadOptions o;
  o.overrides = {"time.years=10"};
  const Trajectory t = run_scenario(load(text, o), 1).trajectory;
  CHECK(t.gdp[60 * 2] == Approx(100.0).epsilon(1e-12));
  CHECK(t.gdp[last(t) * 2] == Approx(100.0 * std::exp(0.5)).epsilon(1e-9));
  CHECK(t.gdp[last(t) * 2 + 1] == Approx(400.0).epsilon(1e-12));
}

TEST_CASE(
    "an anticipated sanction raises trade costs before its date, and a persistent lift lets "
    "them fade",
    "[model][events][sanctions]") {
  // Partial gravity: each flow's target is its own cost factor to the power -theta. A sanction
  // of 0.5 on 2032-01-01 anticipated over 2 years: in 2031-01 the cost is up by 0.25. Lifted on
  // 2035-01-01 with a persistence of 1 year: in 2036-01 the cost is still up by 0.5 e^-(13/12)
  // (it fades from the lift's own step).
  LoadOptions partial;
  partial.overrides = {"model.flows.gravity=\"partial\"", "model.flows.adjustment_years=0.001"};
  const std::string events = R"(
[[events]]
date = 2032-01-01
kind = "sanction"
actor = "BB"
targets = "AA"
intensity = 0.5
anticipation = 2.0
goldstein = 0.0
[[events]]
date = 2035-01-01
kind = "lift_sanction"
actor = "BB"
targets = "AA"
persistence = 1.0
goldstein = 0.0
)";
  const Trajectory t = run_scenario(load(two_actors(events), partial), 1).trajectory;
  const double theta = 4.0;
  // Frame f holds the state after step f - 1, whose costs were those of time 2030 + (f-1)/12.
  const auto trade_after = [&](double year) {
    const auto f = static_cast<std::size_t>(std::lround((year - 2030.0) * 12.0)) + 1;
    return t.trade[f * 4 + 2];  // BB -> AA, 15 at the start
  };
  CHECK(trade_after(2030.0) == Approx(15.0).epsilon(1e-9));  // the ramp starts at 0 in 2030
  CHECK(trade_after(2030.5) == Approx(15.0 * std::pow(1.125, -theta)).epsilon(1e-6));
  CHECK(trade_after(2031.0) == Approx(15.0 * std::pow(1.25, -theta)).epsilon(1e-6));
  CHECK(trade_after(2033.0) == Approx(15.0 * std::pow(1.5, -theta)).epsilon(1e-6));
  CHECK(trade_after(2036.0) ==
        Approx(15.0 * std::pow(1.0 + 0.5 * std::exp(-(1.0 + 1.0 / 12.0)), -theta)).epsilon(1e-6));

  // Dated between two steps' starts (2032-01-15): the step of 2032-01 applies it in full, and
  // the ramp, which was about 0.47 a step before, stops there (it is not added on top).
  std::string mid_month = events;
  mid_month.replace(mid_month.find("2032-01-01"), 10, "2032-01-15");
  const Trajectory m = run_scenario(load(two_actors(mid_month), partial), 1).trajectory;
  const auto f = static_cast<std::size_t>(24 + 1);                  // after the step of 2032-01
  CHECK(m.trade[(f - 1) * 4 + 2] < 15.0 * std::pow(1.45, -theta));  // the ramp near 0.47
  CHECK(m.trade[(f - 1) * 4 + 2] > 15.0 * std::pow(1.5, -theta));
  CHECK(m.trade[f * 4 + 2] == Approx(15.0 * std::pow(1.5, -theta)).epsilon(1e-6));
}

// The step's products promise one summation order (models/interdependence/matrix_product.hpp):
// every element the naive loop's running sum over k, each product and sum rounded. Every
// kernel this CPU runs must give exactly those bits, on shapes that reach every tile, strip
// and block of the kernels (rows past 96, depths past 256, columns that leave every width of
// tail, and every square size the small worlds' kernels are compiled for, 2 to 9), with values
// over 60 binary orders of magnitude so that another order or a fused multiply-add rounds
// differently, and with zeros of both signs.
TEST_CASE("matrix products sum every element in the naive loop's order on every kernel here",
          "[model][product]") {
  std::mt19937_64 generator(20261202);
  std::uniform_real_distribution<double> mantissa(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-30, 30), kind(0, 9);
  auto value = [&] {
    switch (kind(generator)) {
      case 0: return 0.0;
      case 1: return -0.0;
      default: return std::ldexp(mantissa(generator), exponent(generator));
    }
  };
  const std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> shapes = {
      {1, 1, 1},     {2, 3, 4},       {5, 5, 5},     {7, 1, 9},       {3, 0, 4},     {9, 300, 3},
      {13, 257, 31}, {100, 100, 100}, {97, 513, 45}, {200, 200, 200}, {130, 40, 70}, {6, 11, 27},
      {8, 9, 50},    {1, 600, 1},     {33, 17, 33},  {2, 2, 2},       {3, 3, 3},     {4, 4, 4},
      {6, 6, 6},     {7, 7, 7},       {8, 8, 8},     {9, 9, 9},       {10, 10, 10}};
  const std::vector<ProductKernel> kernels = kernels_here();
  REQUIRE(kernels.front() == ProductKernel::sse2);
  // multiply() runs the widest kernel, or the one INTERDEP_PRODUCT_KERNEL names.
  REQUIRE(product_kernel() <= kernels.back());
  for (const auto& [m, k, n] : shapes) {
    std::vector<double> a(m * k), b(k * n), expected(m * n);
    for (double& x : a) x = value();
    for (double& x : b) x = value();
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        double sum = 0.0;
        for (std::size_t q = 0; q < k; ++q) {
          const volatile double term = a[i * k + q] * b[q * n + j];  // rounded on its own
          sum = sum + term;
        }
        expected[i * n + j] = sum;
      }
    for (ProductKernel kernel : kernels) {
      INFO("kernel " << kernel_name(kernel) << ", " << m << " x " << k << " times " << k << " x "
                     << n);
      std::vector<double> c(m * n, 12345.0);  // every element written, whatever was there
      multiply_on(kernel, a.data(), b.data(), c.data(), m, k, n);
      std::size_t differing = 0;
      for (std::size_t e = 0; e < c.size(); ++e) {
        std::uint64_t got = 0, want = 0;
        std::memcpy(&got, &c[e], sizeof got);
        std::memcpy(&want, &expected[e], sizeof want);
        differing += got != want;
      }
      CHECK(differing == 0);
    }
  }
}
