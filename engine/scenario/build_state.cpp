// The initial state between pairs of actors: [relations], [trade], [energy], and the check that
// each actor's totals hold its flows with the others.
#include <cmath>
#include <functional>

#include "engine/scenario/spec_builder.hpp"

namespace interdep::detail {
namespace {

// A total may fall short of the sum of its flows by rounding only (relative).
constexpr double kTotalTolerance = 1e-9;
// An actor's total trade may be at most this many times its GDP (see check_consistency).
constexpr double kMostOpen = 10.0;
// The largest GDP (US$ bn) or gas need (bcm/yr) a run may reach: products of three such
// quantities stay below a double's largest (1.8e308); world GDP is about 1e5 US$ bn (approx.
// World Bank 2023).
constexpr double kLargestGdp = 1e100;

}  // namespace

void SpecBuilder::read_relations() {
  std::vector<PairValues<double>::Entry> given;
  if (const toml::table* table = root_.subtable("relations"))
    for_each_pair(*table, "relations",
                  [&](std::size_t i, std::size_t j, const toml::node& n, const KeyPath& path) {
                    if (!n.is_table())
                      throw InputError(
                          position_of(n), path,
                          "expected a table of domain = relation in [-1, 1], got " + type_name(n));
                    for (const auto& [dk, dn] : *n.as_table()) {
                      const KeyPath dpath(path, dk.str());
                      const std::size_t d = domain_index(dk.str(), dn, dpath);
                      given.emplace_back((i * N() + j) * D() + d,
                                         pair_number(dn, dpath, kSigned, "a relation"));
                    }
                  });
  spec_.relations = PairValues<double>(N() * N() * D(), 0.0, std::move(given));
}

void SpecBuilder::read_trade() {
  std::vector<PairValues<double>::Entry> given;
  if (const toml::table* table = root_.subtable("trade"))
    for_each_pair(*table, "trade",
                  [&](std::size_t i, std::size_t j, const toml::node& n, const KeyPath& path) {
                    given.emplace_back(i * N() + j,
                                       pair_number(n, path, kNonNegative, "exports in US$ bn/yr"));
                  });
  spec_.trade = PairValues<double>(N() * N(), 0.0, std::move(given));
}

void SpecBuilder::read_energy() {
  std::vector<PairValues<EnergyLinkSpec>::Entry> given;
  if (const toml::table* table = root_.subtable("energy"))
    for_each_pair(
        *table, "energy",
        [&](std::size_t i, std::size_t j, const toml::node& n, const KeyPath& path) {
          if (!n.is_table())
            throw InputError(position_of(n), path,
                             "expected a table with flow, capacity and cost, got " + type_name(n));
          TableReader r(*n.as_table(), path);
          EnergyLinkSpec link;
          link.flow = r.number("flow", link.flow, kNonNegative);
          link.capacity = r.number("capacity", link.capacity, kNonNegative);
          link.cost = r.number("cost", link.cost, kPositive);
          r.finish();
          if (link.flow > link.capacity) {
            const toml::node* flow = n.as_table()->get("flow");
            const SourcePosition at = position_of(flow ? *flow : n);
            throw InputError(
                at, KeyPath(path, "flow"),
                "flow " + format_number(link.flow) + " bcm/yr exceeds the link's capacity " +
                    format_number(link.capacity) + " bcm/yr" +
                    values_set_elsewhere(at, {{"capacity", n.as_table()->get("capacity")}}));
          }
          given.emplace_back(i * N() + j, link);
        });
  spec_.energy = PairValues<EnergyLinkSpec>(N() * N(), EnergyLinkSpec{}, std::move(given));
}

// The decision step of actor i (docs/model.md §7.4.4–7.4.5). Benefit and anchor relax each of
// its relations toward a target at the rate a = mu (lambda_B D w_id + lambda_H h) a year: an
// explicit Euler step of a dt > 1 goes past the target (the relations swing from step to step,
// and beyond 2 the swings grow, held only by the rate bound); RK4 diverges beyond 2.785. And a
// step's noise, sigma sqrt(dt), larger than 1 (half the relation scale) leaves relations to noise
// and the clamp. Responsiveness 10 or inertia 30 gave terms of +-37,000 a step, accepted.
void SpecBuilder::check_step_stability(
    std::size_t i,
    const std::function<SourcePosition(const std::string&, std::string_view)>& key_position) const {
  const ActorSpec& a = spec_.actors[i];
  if (a.passive) return;  // it does not decide: its relations change by events only
  const DecideParams& d = spec_.params.decide;
  const double dt = spec_.time.dt(), domains = static_cast<double>(spec_.domains.size());
  const bool rk4 = d.integrator == Integrator::rk4;
  const double limit = rk4 ? 2.785 : 1.0;  // the scheme's bound on a dt (a real eigenvalue)
  const std::string path = "actors." + a.code;
  const auto node = [&](const std::string& key) { return root_.table().at_path(key).node(); };
  const auto set_elsewhere = [&](const SourcePosition& at, std::vector<std::string> keys) {
    std::vector<NamedNode> nodes;
    for (std::string& key : keys) {
      if (key.rfind("actors.", 0) != 0 && key.find('.') == std::string::npos)
        key = path + "." + key;
      nodes.emplace_back(key, node(key));
    }
    return values_set_elsewhere(at, nodes);
  };
  const auto relax_rate = [&](const ActorSpec& actor, std::size_t k) {
    const double w = k < actor.interests.size() ? actor.interests[k] : 0.0;
    return actor.responsiveness * (d.benefit * domains * w + d.anchor * actor.inertia);
  };
  for (std::size_t k = 0; k < spec_.domains.size(); ++k) {
    const double w = k < a.interests.size() ? a.interests[k] : 0.0;
    const double benefit = d.benefit * domains * w, anchor = d.anchor * a.inertia;
    const double rate = relax_rate(a, k);
    if (!(rate * dt > limit)) continue;
    // The steps a year that hold every deciding actor, not this one only.
    double fastest = rate;
    for (const ActorSpec& other : spec_.actors)
      if (!other.passive)
        for (std::size_t m = 0; m < spec_.domains.size(); ++m)
          fastest = std::max(fastest, relax_rate(other, m));
    // Said at a --set that took part (a sweep's or the lab's value), else at the actor's own key
    // that weighs most (responsiveness when it is above 1).
    std::string key_path = path + "." +
                           (a.responsiveness > 1.0 ? "responsiveness"
                            : anchor >= benefit    ? "inertia"
                                                   : "responsiveness");
    SourcePosition at = key_position(a.code, key_path.substr(path.size() + 1));
    for (const std::string& candidate :
         {std::string("time.steps_per_year"), path + ".responsiveness", path + ".inertia",
          std::string("model.decide.benefit"), std::string("model.decide.anchor"),
          std::string("model.decide.integrator")}) {
      const toml::node* given = node(candidate);
      if (given != nullptr && is_override(position_of(*given))) {
        key_path = candidate;
        at = position_of(*given);
        break;
      }
    }
    throw InputError(
        at, key_path,
        "relations of " + a.code + " in " + spec_.domains[k].name + " relax at " +
            format_number(rate) + " a year (responsiveness " + format_number(a.responsiveness) +
            " x (benefit " + format_number(d.benefit) + " x " + format_number(domains) +
            " domains x interest " + format_number(w) + " + anchor " + format_number(d.anchor) +
            " x inertia " + format_number(a.inertia) + ")): at " + format_number(1.0 / dt) +
            " steps a year a step of the " + (rk4 ? "RK4" : "Euler") +
            " integrator would take them " + number(rate * dt, 2) +
            " times the way to their target, " +
            (rk4 ? "and its steps diverge beyond 2.785" : "past it, swinging from step to step") +
            ": lower responsiveness or inertia, or raise time.steps_per_year to at least " +
            format_number(std::ceil(fastest / limit)) +
            (rk4 ? "" : " (or integrator = \"rk4\", stable to 2.785)") +
            set_elsewhere(
                at, {"responsiveness", "inertia", "model.decide.benefit", "model.decide.anchor",
                     "model.decide.integrator", "time.steps_per_year"}));
  }
  if (a.noise * std::sqrt(dt) > 1.0) {
    const SourcePosition at = key_position(a.code, "noise");
    throw InputError(at, path + ".noise",
                     "noise " + format_number(a.noise) +
                         " (per square-root year) gives each of the " + format_number(1.0 / dt) +
                         " steps a year a standard deviation of " +
                         number(a.noise * std::sqrt(dt), 2) +
                         ", more than half the relation scale (-1 to 1): the relations would be "
                         "noise and clamp; expected at most " +
                         number(1.0 / std::sqrt(dt), 2) + " (the default is 0.02)" +
                         set_elsewhere(at, {"time.steps_per_year"}));
  }
}

void SpecBuilder::check_consistency() {
  // Position of an actor's key if written, else of the actor's table.
  const auto key_position = [&](const std::string& code, std::string_view key) {
    const toml::node* actor = root_.table().at_path("actors." + code).node();
    const toml::node* value = actor && actor->is_table() ? actor->as_table()->get(key) : nullptr;
    SourcePosition p = position_of(value ? *value : *actor);
    if (p.file.empty()) p.file = spec_.source_path;
    return p;
  };
  // The keys a sum over actor i's pairs took (TABLE.FROM.TO, or its `keys`), for naming those set
  // by a --set or another file of the base chain: pairs from i (`out`) and/or to i (`in`).
  const auto pair_keys = [&](const std::string& table, std::size_t i, bool out, bool in,
                             const std::vector<std::size_t>& pairs,
                             std::initializer_list<const char*> keys) {
    std::vector<NamedNode> nodes;
    for (const std::size_t p : pairs) {
      const std::size_t from = p / N(), to = p % N();
      if (!((out && from == i) || (in && to == i))) continue;
      const std::string pair = table + "." + spec_.actors[from].code + "." + spec_.actors[to].code;
      if (keys.size() == 0) nodes.emplace_back(pair, root_.table().at_path(pair).node());
      for (const char* key : keys) {
        const std::string path = pair + "." + key;
        nodes.emplace_back(path, root_.table().at_path(path).node());
      }
    }
    return nodes;
  };
  std::vector<std::size_t> trade_pairs, energy_pairs, finance_pairs;
  for (const auto& entry : spec_.trade.entries()) trade_pairs.push_back(entry.first);
  for (const auto& entry : spec_.energy.entries()) energy_pairs.push_back(entry.first);
  for (const auto& entry : spec_.finance.entries()) finance_pairs.push_back(entry.first);
  // Each actor's flows with the others, from the pairs given (the rest are 0).
  std::vector<double> bilateral(N(), 0.0), inflow(N(), 0.0), outflow(N(), 0.0), received(N(), 0.0);
  for (const auto& [p, exports] : spec_.trade.entries()) {
    bilateral[p / N()] += exports;
    bilateral[p % N()] += exports;
  }
  for (const auto& [p, link] : spec_.energy.entries()) {
    outflow[p / N()] += link.flow;
    inflow[p % N()] += link.flow;
  }
  for (const auto& [p, f] : spec_.finance.entries()) received[p % N()] += f.total();
  for (std::size_t i = 0; i < N(); ++i) {
    const ActorSpec& a = spec_.actors[i];
    const std::string path = "actors." + a.code;
    check_step_stability(i, key_position);
    if (bilateral[i] > a.total_trade * (1 + kTotalTolerance)) {
      const SourcePosition at = key_position(a.code, "total_trade");
      throw InputError(
          at, path + ".total_trade",
          "total trade " + format_number(a.total_trade) +
              " US$ bn/yr is less than the actor's trade with the other actors in [trade] (" +
              format_number(bilateral[i]) + " US$ bn/yr)" +
              values_set_elsewhere(at, pair_keys("trade", i, true, true, trade_pairs, {})));
    }
    // Trade of ten times the economy is no economy's (the most open, Singapore's, is about 3.3
    // times its GDP, goods and services, approx. World Bank 2023): a GDP in another unit (US$
    // trillions for billions) or a slip. Shares of such an economy (sensitivity, openness) run
    // to thousands, and its leverage with them.
    if (const double trade = std::max(a.total_trade, bilateral[i]); trade > kMostOpen * a.gdp) {
      const SourcePosition at = key_position(a.code, "gdp");
      // The trade compared: the actor's total, or (when [trade] adds up to more) its pairs.
      const std::vector<NamedNode> others =
          a.total_trade >= bilateral[i]
              ? std::vector<NamedNode>{{path + ".total_trade",
                                        root_.table().at_path(path + ".total_trade").node()}}
              : pair_keys("trade", i, true, true, trade_pairs, {});
      throw InputError(at, path + ".gdp",
                       "GDP " + format_number(a.gdp) +
                           " US$ bn is less than a tenth of the "
                           "actor's total trade (" +
                           format_number(trade) +
                           " US$ bn/yr): no economy trades ten times its output (the most open, "
                           "Singapore's, about 3.3 times, approx. World Bank 2023); GDP is in "
                           "US$ bn (Pakistan's about 375)" +
                           values_set_elsewhere(at, others));
    }
    if (a.energy_import_capacity > 0.0 &&
        inflow[i] > a.energy_import_capacity * (1 + kTotalTolerance)) {
      const SourcePosition at = key_position(a.code, "energy_import_capacity");
      throw InputError(at, path + ".energy_import_capacity",
                       "gas import capacity " + format_number(a.energy_import_capacity) +
                           " bcm/yr is less than the inflows from the other actors in [energy] (" +
                           format_number(inflow[i]) + " bcm/yr)" +
                           values_set_elsewhere(
                               at, pair_keys("energy", i, false, true, energy_pairs, {"flow"})));
    }
    if (inflow[i] > a.energy_imports * (1 + kTotalTolerance)) {
      // A need given as a yearly path is its value at the start: name the path, not a key the
      // file may not have.
      const char* key = a.energy_demand_path.empty() ? "energy_imports" : "energy_demand";
      const SourcePosition at = key_position(a.code, key);
      throw InputError(at, path + "." + key,
                       std::string(a.energy_demand_path.empty()
                                       ? "gas imports "
                                       : "gas imports needed at the start (the path's value), ") +
                           format_number(a.energy_imports) +
                           " bcm/yr are less than the inflows from the other actors in [energy] (" +
                           format_number(inflow[i]) + " bcm/yr)" +
                           values_set_elsewhere(
                               at, pair_keys("energy", i, false, true, energy_pairs, {"flow"})));
    }
    // The finance received and the programmes, each by its key: any may be the one set wrong.
    const auto finance_nodes = [&](std::size_t borrower) {
      std::vector<NamedNode> nodes = pair_keys("finance", borrower, false, true, finance_pairs,
                                               {"aid", "lending", "investment", "remittances"});
      for (const LenderSpec& lender : spec_.lenders)
        for (const ProgrammeSpec& p : lender.programmes)
          if (p.borrower == borrower)
            for (const char* key : {"amount", "catalysed"}) {
              const std::string programme_key = "lenders." + lender.name + ".programmes." +
                                                spec_.actors[borrower].code + "." + key;
              nodes.emplace_back(programme_key, root_.table().at_path(programme_key).node());
            }
      return nodes;
    };
    double programmes = 0.0;
    for (const LenderSpec& lender : spec_.lenders)
      for (const ProgrammeSpec& p : lender.programmes)
        if (p.borrower == i) programmes += p.amount + p.catalysed;
    if (received[i] + programmes > a.external_finance * (1 + kTotalTolerance)) {
      const SourcePosition at = key_position(a.code, "external_finance");
      throw InputError(at, path + ".external_finance",
                       "external finance " + format_number(a.external_finance) +
                           " US$ bn/yr is less than the finance the actor receives from the "
                           "other actors in [finance] (" +
                           format_number(received[i]) +
                           " US$ bn/yr) plus its lenders' programmes and the finance they "
                           "catalyse (" +
                           format_number(programmes) + " US$ bn/yr)" +
                           values_set_elsewhere(at, finance_nodes(i)));
    }
    if (outflow[i] > a.energy_export_capacity * (1 + kTotalTolerance)) {
      const SourcePosition at = key_position(a.code, "energy_export_capacity");
      throw InputError(at, path + ".energy_export_capacity",
                       "gas export capacity " + format_number(a.energy_export_capacity) +
                           " bcm/yr is less than the outflows to the other actors in [energy] (" +
                           format_number(outflow[i]) + " bcm/yr)" +
                           values_set_elsewhere(
                               at, pair_keys("energy", i, true, false, energy_pairs, {"flow"})));
    }
    // GDP compounds at its growth rate each step (docs/model.md §7.2): a rate kept over a long run
    // can take it past what the model's products hold (GDP x GDP x a cost), and the run would
    // stop at a NaN far from the key. Refused here, at the rate, with the year it would get there.
    // The gas need compounds too (energy_demand_growth; a yearly path stays within its values).
    if (a.energy_demand_path.empty() && a.energy_imports > 0.0 &&
        std::log(a.energy_imports) +
                a.energy_demand_growth * (spec_.time.end() - spec_.time.start) >
            std::log(kLargestGdp)) {
      const SourcePosition at = key_position(a.code, "energy_demand_growth");
      throw InputError(
          at, path + ".energy_demand_growth",
          "a gas need of " + format_number(a.energy_imports) +
              " bcm/yr growing at this rate would pass 1e100 bcm/yr before the run ends (" +
              format_number(spec_.time.end()) +
              "), beyond what the model's arithmetic holds: lower the rate, or end the run "
              "sooner (time.years)" +
              values_set_elsewhere(at,
                                   {{path + ".energy_imports",
                                     root_.table().at_path(path + ".energy_imports").node()},
                                    {"time.years", root_.table().at_path("time.years").node()},
                                    {"time.steps", root_.table().at_path("time.steps").node()}}));
    }
    // The rate is constant between the years of its path (one piece without a path): the
    // exponent ln(GDP / GDP0) = sum of rate x years, piece by piece, in time independent of the
    // run's steps.
    const double limit = std::log(kLargestGdp) - std::log(a.gdp);
    const double start = spec_.time.start, end = spec_.time.end();
    std::vector<double> cuts;
    for (const auto& [year, rate] : a.gdp_growth_path)
      if (year > start && year < end) cuts.push_back(year);
    cuts.push_back(end);
    double exponent = 0.0, from = start;
    for (const double to : cuts) {
      const double rate = a.gdp_growth_at(from);
      if (exponent + rate * (to - from) > limit) {
        const double year = from + (limit - exponent) / rate;  // rate > 0: the crossing
        const char* key = a.gdp_growth_path.empty() ? "gdp_growth" : "gdp_growth_path";
        const SourcePosition at = key_position(a.code, key);
        throw InputError(
            at, path + "." + key,
            "GDP " + format_number(a.gdp) +
                " US$ bn growing at this rate would pass 1e100 US$ bn by " +
                format_number(std::ceil(year)) +
                ", beyond what the model's arithmetic holds: lower the rate, or end the run "
                "sooner (time.years)" +
                values_set_elsewhere(at,
                                     {{path + ".gdp", root_.table().at_path(path + ".gdp").node()},
                                      {"time.years", root_.table().at_path("time.years").node()},
                                      {"time.steps", root_.table().at_path("time.steps").node()}}));
      }
      exponent += rate * (to - from);
      from = to;
    }
  }
}

}  // namespace interdep::detail
