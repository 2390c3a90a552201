#include "bench/synthetic_scenario.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/run/rng.hpp"

namespace interdep::bench {
namespace {

constexpr std::uint64_t kGeneratorSeed = 20261122;  // fixed: the synthetic scenarios never change
constexpr int kDomains = 5;
// The baseline's domains and their benefit channels (scenarios/baseline.toml): one channel of
// weight 1 per material domain, none for culture.
constexpr const char* kDomainNames[kDomains] = {"security", "economy", "energy", "diplomacy",
                                                "culture"};
constexpr const char* kDomainTables =
    "[domains.security]\nlabel = \"Security\"\nthreat = 1.0\n"
    "[domains.economy]\nlabel = \"Economy\"\ntrade = 1.0\n"
    "[domains.energy]\nlabel = \"Energy\"\nenergy = 1.0\n"
    "[domains.diplomacy]\nlabel = \"Diplomacy\"\ninstitutions = 1.0\n"
    "[domains.culture]\nlabel = \"Culture\"\n";

// ---------------------------------------------------------------------------------------------
// Synthetic scenarios

std::string num(double v) {  // six significant digits, like a hand-written scenario
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}
std::string exact(double v) {  // round-trips through strtod
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
std::string relation(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

// "A007": a prefix and at least three digits (a valid actor, node or edge code up to 10^7).
std::string code(const char* prefix, std::size_t i) {
  std::string digits = std::to_string(i);
  if (digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
  return prefix + digits;
}

double uniform(Rng& rng, double lo, double hi) { return lo + (hi - lo) * rng.uniform(); }

// A scenario of n actors in the shape of scenarios/baseline.toml: the baseline's five domains,
// seeded random interests summing to 1, relations in [-0.8, 0.8] for every ordered pair and
// domain, gravity-like trade for every pair, a few gas exporters with links, three institutions
// with random members, a corridor graph through transit hubs, one apply and one impulse event,
// and the default model parameters. Ten years, monthly.
}  // namespace

std::string synthetic_scenario(std::size_t n) {
  Rng rng(kGeneratorSeed + n);
  std::string t;
  t.reserve(n * n * 110 + 4096);
  t += "name = \"synthetic-" + std::to_string(n) + "\"\n";
  t += "description = \"Benchmark scenario, drawn from a fixed seed (bench/bench_step.cpp).\"\n";
  t += "seed = 1\n[time]\nstart = 2025-01-01\nyears = 10\nsteps_per_year = 12\n";
  t += kDomainTables;

  // Actors: GDP log-uniform over US$ 20 bn .. 20 trn, the rest scaled from it.
  std::vector<double> gdp(n);
  double world = 0.0;
  for (auto& y : gdp) {
    y = std::exp(uniform(rng, std::log(20.0), std::log(20000.0)));
    world += y;
  }
  // Trade i -> j for every pair: gravity Y_i Y_j / Y_world with a lognormal residual.
  std::vector<double> trade(n * n, 0.0), bilateral(n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      const double x =
          std::stod(num(0.04 * gdp[i] * gdp[j] / world * std::exp(0.8 * rng.normal())));
      trade[i * n + j] = x;
      bilateral[i] += x;
      bilateral[j] += x;
    }
  // Gas: max(2, n/10) exporters with up to 4 links each; flow 40..90 % of capacity, one link in
  // four built but idle. Importers' demand exceeds their inflow (the rest of the world supplies
  // the remainder).
  struct Link {
    std::size_t from, to;
    double flow, capacity, cost;
  };
  std::vector<Link> links;
  std::vector<double> inflow(n, 0.0), outflow(n, 0.0);
  const std::size_t exporters = std::max<std::size_t>(2, n / 10);
  std::vector<bool> is_exporter(n, false);
  for (std::size_t e = 0; e < exporters; ++e) {
    std::size_t s = rng.uniform_index(n);
    while (is_exporter[s]) s = (s + 1) % n;
    is_exporter[s] = true;
    const std::size_t degree = std::min<std::size_t>(n - 1, 4);
    std::vector<bool> linked(n, false);
    for (std::size_t k = 0; k < degree; ++k) {
      std::size_t j = rng.uniform_index(n);
      while (j == s || linked[j]) j = (j + 1) % n;
      linked[j] = true;
      const double capacity = std::stod(num(uniform(rng, 2.0, 50.0)));
      const double flow =
          rng.uniform() < 0.25 ? 0.0 : std::stod(num(capacity * uniform(rng, 0.4, 0.9)));
      links.push_back({s, j, flow, capacity, uniform(rng, 0.85, 1.15)});
      inflow[j] += flow;
      outflow[s] += flow;
    }
  }

  for (std::size_t i = 0; i < n; ++i) {
    t += "[actors." + code("A", i) + "]\nname = \"Actor " + std::to_string(i) + "\"\n";
    // Interests: Dirichlet(1) draws, culture weighted down, normalised and written exactly.
    double w[kDomains], sum = 0.0;
    for (int d = 0; d < kDomains; ++d) {
      w[d] = -std::log(1.0 - rng.uniform()) * (d == kDomains - 1 ? 0.3 : 1.0);
      sum += w[d];
    }
    double written = 0.0;
    t += "interests = { ";
    for (int d = 0; d < kDomains; ++d) {
      const std::string s = exact(w[d] / sum);
      written += std::stod(s);
      t += std::string(d ? ", " : "") + kDomainNames[d] + " = " + s;
    }
    t += " }\n";
    if (std::abs(written - 1.0) > 1e-9)
      throw std::logic_error("synthetic interests of actor " + std::to_string(i) + " sum to " +
                             exact(written));
    const bool importer = inflow[i] > 0.0 || rng.uniform() < 0.5;
    t += "gdp = " + num(gdp[i]) + "\n";
    t += "gdp_growth = " + num(uniform(rng, 0.005, 0.065)) + "\n";
    t += "military = " + num(gdp[i] * uniform(rng, 0.005, 0.04)) + "\n";
    t += "total_trade = " + num(bilateral[i] * uniform(rng, 1.3, 2.5) + 1.0) + "\n";
    const double gas_imports =
        importer ? inflow[i] * uniform(rng, 1.2, 3.0) + uniform(rng, 1.0, 30.0) : 0.0;
    t += "energy_imports = " + num(gas_imports) + "\n";
    // Imported gas is 2 % to 60 % of primary energy use (0.036 EJ per bcm).
    t += "primary_energy = " + num(1.0 + gas_imports * 0.036 / uniform(rng, 0.02, 0.6)) + "\n";
    t += "energy_export_capacity = " +
         num(is_exporter[i] ? outflow[i] * uniform(rng, 1.2, 2.0) + 10.0 : 0.0) + "\n";
    t += "energy_substitution = " + num(uniform(rng, 1.5, 4.0)) + "\n";
    t += "rest_of_world_energy_cost = " + num(uniform(rng, 0.9, 1.1)) + "\n";
    t += "responsiveness = " + num(uniform(rng, 0.6, 1.4)) + "\n";
    t += "inertia = " + num(uniform(rng, 0.1, 0.4)) + "\n";
    t += "risk = " + num(uniform(rng, -0.5, 0.5)) + "\n";
    t += "noise = " + num(uniform(rng, 0.01, 0.03)) + "\n";
  }

  // Relations for every ordered pair and domain: a pair affinity shared by both directions plus
  // a directed and a per-domain part, within [-0.8, 0.8].
  std::vector<double> affinity(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j)
      affinity[i * n + j] = affinity[j * n + i] = uniform(rng, -0.6, 0.6);
  for (std::size_t i = 0; i < n; ++i) {
    t += "[relations." + code("A", i) + "]\n";
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      const double directed = affinity[i * n + j] + uniform(rng, -0.1, 0.1);
      t += code("A", j) + " = { ";
      for (int d = 0; d < kDomains; ++d) {
        const double r = std::clamp(directed + uniform(rng, -0.2, 0.2), -0.8, 0.8);
        t += std::string(d ? ", " : "") + kDomainNames[d] + " = " + relation(r);
      }
      t += " }\n";
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    t += "[trade." + code("A", i) + "]\n";
    for (std::size_t j = 0; j < n; ++j)
      if (i != j) t += code("A", j) + " = " + num(trade[i * n + j]) + "\n";
  }
  for (const Link& l : links)
    t += "[energy." + code("A", l.from) + "." + code("A", l.to) + "]\nflow = " + num(l.flow) +
         "\ncapacity = " + num(l.capacity) + "\ncost = " + num(l.cost) + "\n";

  // Three institutions like the baseline's SCO, BRICS and Quad, members drawn with p = 0.35.
  struct Inst {
    const char* name;
    const char* rule;
    int summit;
    double discount, damping;
  };
  const Inst insts[3] = {{"ALPHA", "consensus", 7, 0.02, 0.06},
                         {"BETA", "majority", 10, 0.02, 0.04},
                         {"GAMMA", "pce", 0, 0.0, 0.02}};
  std::size_t outsider = n;  // an actor outside ALPHA, who applies to it
  for (const Inst& inst : insts) {
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < n; ++i)
      if (rng.uniform() < 0.35) members.push_back(i);
    for (std::size_t i = 0; members.size() < 2; ++i)
      if (std::find(members.begin(), members.end(), i) == members.end()) members.push_back(i);
    std::sort(members.begin(), members.end());
    if (outsider == n)
      for (std::size_t i = 0; i < n && outsider == n; ++i)
        if (!std::binary_search(members.begin(), members.end(), i)) outsider = i;
    t += std::string("[institutions.") + inst.name + "]\nmembers = [";
    for (std::size_t k = 0; k < members.size(); ++k)
      t += (k ? ", \"" : "\"") + code("A", members[k]) + "\"";
    t += std::string("]\nrule = \"") + inst.rule +
         "\"\nsummit_month = " + std::to_string(inst.summit) +
         "\ntrade_cost_discount = " + num(inst.discount) +
         "\nconflict_damping = " + num(inst.damping) + "\n";
  }

  // Corridors: max(2, n/10) transit hubs in a ring, every actor on one or two hubs, and n/2
  // direct actor-to-actor legs.
  const std::size_t hubs = std::max<std::size_t>(2, n / 10);
  t += "[corridors.nodes]\n";
  for (std::size_t h = 0; h < hubs; ++h)
    t += code("H", h) + " = \"Hub " + std::to_string(h) + "\"\n";
  std::size_t edge = 0;
  auto add_edge = [&](const std::string& from, const std::string& to, double cost) {
    t += "[corridors.edges." + code("E", edge++) + "]\nfrom = \"" + from + "\"\nto = \"" + to +
         "\"\ncost = " + num(cost) + "\nopen = true\n";
  };
  for (std::size_t h = 0; h < hubs; ++h)
    add_edge(code("H", h), code("H", (h + 1) % hubs), uniform(rng, 0.5, 2.0));
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t first = rng.uniform_index(hubs);
    add_edge(code("A", i), code("H", first), uniform(rng, 0.5, 3.0));
    if (rng.uniform() < 0.5)
      add_edge(code("A", i), code("H", (first + 1) % hubs), uniform(rng, 0.5, 3.0));
  }
  for (std::size_t k = 0; k < n / 2; ++k) {
    const std::size_t i = rng.uniform_index(n);
    std::size_t j = rng.uniform_index(n);
    if (j == i) j = (i + 1) % n;
    add_edge(code("A", i), code("A", j), uniform(rng, 0.5, 3.0));
  }

  // Events: an application to ALPHA (decided at its July summits) and a cooperative impulse.
  if (outsider < n)
    t += "[[events]]\ndate = 2025.5\nkind = \"apply\"\nactor = \"" + code("A", outsider) +
         "\"\ninstitution = \"ALPHA\"\n";
  t += "[[events]]\ndate = 2027.25\nkind = \"impulse\"\nactor = \"A000\"\ntargets = "
       "\"A001\"\ncameo = \"036\"\n";
  return t;
}

}  // namespace interdep::bench
