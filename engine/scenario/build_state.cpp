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

// The decision step (docs/model.md §7.4.4–7.4.5). Five terms pull a relation r[i,j,d] toward a
// value at a rate proportional to r itself, a year: benefit and anchor toward their targets at
// mu_i (lambda_B D w_id + lambda_H h_i); institutional damping, for a pair that is or may become
// co-members and whose relation in the domain starts below 0, at mu_i lambda_I Gamma_ij; alignment at mu_i lambda_A (1 - W_ii - W_ij), and it
// mixes in the views of j of the others who decide, with their weights (counted again:
// Gershgorin's bound); reciprocity at mu_i lambda_R toward r[j,i], which reciprocity pulls back
// toward r[i,j] at mu_j lambda_R. The pair's faster mode relaxes at
//   (A + B)/2 + sqrt(((A - B)/2)^2 + c_i c_j),  A = a_i + c_i, B = a_j + c_j, c = mu lambda_R
// (B = c_j = 0 when j does not decide): an explicit Euler step of a dt with that rate above 1
// goes past the target (the relations swing from step to step; beyond 2 the swings grow, held
// only by the rate bound), and RK4 diverges beyond 2.785. Reciprocity 13 a year swapped a pair's
// relations every month. And a step's noise, sigma sqrt(dt), larger than 1 (half the relation
// scale) leaves relations to noise and the clamp. Pressure's pull depends on the leverage of the
// run, not on parameters alone: it is not counted here.
namespace {

struct PullRates {
  double benefit = 0.0, anchor = 0.0, institutions = 0.0, alignment = 0.0, reciprocity = 0.0;
  double own() const { return benefit + anchor + institutions + alignment + reciprocity; }
};

double pair_mode(const PullRates& mine, const PullRates& theirs) {
  const double a = mine.own(), b = theirs.own();
  return 0.5 * (a + b) +
         std::sqrt(0.25 * (a - b) * (a - b) + mine.reciprocity * theirs.reciprocity);
}

// Conflict damping of each pair (n x n, 1/yr): the institutions both are members of at the start
// or may join (by a join or an application of their own).
std::vector<double> pair_damping(const ScenarioSpec& spec) {
  const std::size_t n = spec.actor_count();
  std::vector<double> damping(n * n, 0.0);
  for (std::size_t l = 0; l < spec.institutions.size(); ++l) {
    const InstitutionSpec& inst = spec.institutions[l];
    if (!(inst.conflict_damping > 0.0)) continue;
    std::vector<bool> may_belong(n, false);
    for (const std::size_t m : inst.members) may_belong[m] = true;
    for (const EventSpec& e : spec.events)
      if (e.enabled && (e.kind == EventKind::join || e.kind == EventKind::apply) &&
          e.institution == l && !e.other_member)
        may_belong[e.actor] = true;
    for (std::size_t p = 0; p < n; ++p)
      for (std::size_t q = 0; q < n; ++q)
        if (p != q && may_belong[p] && may_belong[q]) damping[p * n + q] += inst.conflict_damping;
  }
  return damping;
}

// Each actor's written influence weights on the actors that decide, summed (empty without
// written weights): once, not once an actor (n^3 for a world of many).
std::vector<double> influence_on_deciding(const ScenarioSpec& spec) {
  const std::size_t n = spec.actor_count();
  const std::vector<double>& W = spec.params.decide.influence;
  std::vector<double> sums(W.empty() ? 0 : n, 0.0);
  for (std::size_t from = 0; from < sums.size(); ++from)
    for (std::size_t k = 0; k < n; ++k)
      if (!spec.actors[k].passive) sums[from] += W[from * n + k];
  return sums;
}

}  // namespace

void SpecBuilder::check_step_stability(
    std::size_t i, const std::vector<double>& damping, const std::vector<double>& on_deciding,
    const std::function<SourcePosition(const std::string&, std::string_view)>& key_position) const {
  const ActorSpec& a = spec_.actors[i];
  if (a.passive) return;  // it does not decide: its relations change by events only
  const DecideParams& d = spec_.params.decide;
  const double dt = spec_.time.dt(), domains = static_cast<double>(spec_.domains.size());
  const bool rk4 = d.integrator == Integrator::rk4;
  const double limit = rk4 ? 2.785 : 1.0;  // the scheme's bound on a dt (a real eigenvalue)
  const std::string path = "actors." + a.code;
  const auto node = [&](const std::string& key) { return root_.table().at_path(key).node(); };

  const std::size_t n = N();
  // Alignment's weight on r[from,to]: its own pull, 1 - W_ii - W_ij, and the others' views it mixes
  // in from actors that decide (their views move too), sum of W_ik; without written weights
  // (W from the sensitivities, which the run changes) at most 1 each.
  const auto alignment_weight = [&](std::size_t from, std::size_t to) {
    if (d.influence.empty()) return 2.0;
    const double* w = d.influence.data() + from * n;
    const auto deciding = [&](std::size_t k) { return spec_.actors[k].passive ? 0.0 : w[k]; };
    const double moving = std::max(0.0, on_deciding[from] - deciding(from) - deciding(to));
    return std::max(0.0, 1.0 - w[from] - w[to]) + moving;
  };
  const auto rates = [&](std::size_t from, std::size_t to, std::size_t k) {
    PullRates r;
    const ActorSpec& actor = spec_.actors[from];
    if (actor.passive) return r;
    const double mu = actor.responsiveness;
    const double w = k < actor.interests.size() ? actor.interests[k] : 0.0;
    r.benefit = mu * d.benefit * domains * w;
    r.anchor = mu * d.anchor * actor.inertia;
    // Damping pulls a negative relation only, toward 0: counted where the pair's relation in
    // the domain starts below 0 (one that overshoots 0 is not pulled back: no swing).
    const std::size_t D = spec_.domains.size();
    if (spec_.relations[(from * n + to) * D + k] < 0.0 ||
        spec_.relations[(to * n + from) * D + k] < 0.0)
      r.institutions = mu * d.institutions * damping[from * n + to];
    r.alignment = mu * d.alignment * alignment_weight(from, to);
    r.reciprocity = mu * d.reciprocity;
    return r;
  };
  const auto mode = [&](std::size_t p, std::size_t q, std::size_t k) {
    return pair_mode(rates(p, q, k), rates(q, p, k));
  };
  for (std::size_t k = 0; k < spec_.domains.size(); ++k)
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i) continue;
      const PullRates mine = rates(i, j, k), theirs = rates(j, i, k);
      const double rate = pair_mode(mine, theirs);
      // Said once a pair, at the side whose own pull is the larger (the first on a tie).
      if (!(rate * dt > limit) || mine.own() < theirs.own() ||
          (mine.own() == theirs.own() && j < i))
        continue;
      // The steps a year that hold every pair, not this one only.
      double fastest = rate;
      for (std::size_t p = 0; p < n; ++p)
        for (std::size_t q = p + 1; q < n; ++q)
          for (std::size_t m = 0; m < spec_.domains.size(); ++m)
            fastest = std::max(fastest, mode(p, q, m));
      const ActorSpec& partner = spec_.actors[j];
      const double mu = a.responsiveness;
      const double w = k < a.interests.size() ? a.interests[k] : 0.0;
      // The key that weighs most: responsiveness when it is above 1, else the largest pull's.
      struct Part {
        double rate;
        std::string key;
      };
      std::vector<Part> parts = {{mine.benefit, path + ".responsiveness"},
                                 {mine.anchor, path + ".inertia"},
                                 {mine.reciprocity, "model.decide.reciprocity"},
                                 {mine.alignment, "model.decide.alignment"},
                                 {mine.institutions, "model.decide.institutions"}};
      std::string key_path = path + ".responsiveness";
      if (!(mu > 1.0)) {
        const Part* largest = &parts[0];
        for (const Part& part : parts)
          if (part.rate > largest->rate) largest = &part;
        key_path = largest->key;
      }
      SourcePosition at =
          key_path.rfind(path, 0) == 0
              ? key_position(a.code, key_path.substr(path.size() + 1))
              : (node(key_path) != nullptr ? position_of(*node(key_path))
                                           : key_position(a.code, "responsiveness"));
      if (at.file.empty()) at.file = spec_.source_path;
      if (key_path.rfind(path, 0) != 0 && node(key_path) == nullptr)
        key_path = path + ".responsiveness";  // a default rate: said at the actor
      // Said at a --set that took part (a sweep's or the lab's value).
      std::vector<std::string> candidates = {
          "time.steps_per_year",     path + ".responsiveness",
          path + ".inertia",         "model.decide.benefit",
          "model.decide.anchor",     "model.decide.reciprocity",
          "model.decide.alignment",  "model.decide.institutions",
          "model.decide.integrator", "actors." + partner.code + ".responsiveness"};
      for (const InstitutionSpec& inst : spec_.institutions)
        candidates.push_back("institutions." + inst.name + ".conflict_damping");
      for (const std::string& candidate : candidates) {
        const toml::node* given = node(candidate);
        if (given != nullptr && is_override(position_of(*given))) {
          key_path = candidate;
          at = position_of(*given);
          break;
        }
      }
      std::string sum = "benefit " + format_number(d.benefit) + " x " + format_number(domains) +
                        " domains x interest " + format_number(w) + " + anchor " +
                        format_number(d.anchor) + " x inertia " + format_number(a.inertia);
      if (mine.reciprocity > 0.0) sum += " + reciprocity " + format_number(d.reciprocity);
      if (mine.alignment > 0.0)
        sum += " + alignment " + format_number(d.alignment) + " x " +
               format_number(alignment_weight(i, j)) +
               " (its weight on others' views, counted again for those who decide)";
      if (mine.institutions > 0.0)
        sum += " + institutions " + format_number(d.institutions) + " x conflict damping " +
               format_number(damping[i * n + j]) + " (co-members)";
      std::string pair_part;
      if (mine.reciprocity > 0.0 && theirs.reciprocity > 0.0)
        pair_part = "; with reciprocity " + partner.code + "'s relation back, pulled at " +
                    number(theirs.own(), 2) + " a year, pulls the pair's faster mode to " +
                    number(rate, 2) + " a year";
      std::vector<std::string> named = {"responsiveness",
                                        "inertia",
                                        "model.decide.benefit",
                                        "model.decide.anchor",
                                        "model.decide.reciprocity",
                                        "model.decide.alignment",
                                        "model.decide.institutions",
                                        "model.decide.integrator",
                                        "time.steps_per_year"};
      std::vector<NamedNode> nodes;
      for (std::string& key : named) {
        if (key.find('.') == std::string::npos) key = path + "." + key;
        nodes.emplace_back(key, node(key));
      }
      throw InputError(
          at, key_path,
          "relations of " + a.code + " with " + partner.code + " in " + spec_.domains[k].name +
              " relax at " + number(rate, 2) + " a year (responsiveness " + format_number(mu) +
              " x (" + sum + ") = " + number(mine.own(), 2) + pair_part + "): at " +
              format_number(1.0 / dt) + (dt == 1.0 ? " step" : " steps") +
              " a year a step of the " + (rk4 ? "RK4" : "Euler") + " integrator would take them " +
              number(rate * dt, 2) + " times the way to their target, " +
              (rk4 ? "and its steps diverge beyond 2.785" : "past it, swinging from step to step") +
              ": lower responsiveness, inertia or the model's rates, or raise "
              "time.steps_per_year to at least " +
              format_number(std::ceil(fastest / limit)) +
              (rk4 ? "" : " (or integrator = \"rk4\", stable to 2.785)") +
              values_set_elsewhere(at, nodes));
    }
  if (a.noise * std::sqrt(dt) > 1.0) {
    const SourcePosition at = key_position(a.code, "noise");
    throw InputError(
        at, path + ".noise",
        "noise " + format_number(a.noise) + " (per square-root year) gives " +
            std::string(dt == 1.0 ? "the " : "each of the ") + format_number(1.0 / dt) +
            (dt == 1.0 ? " step" : " steps") + " a year a standard deviation of " +
            number(a.noise * std::sqrt(dt), 2) +
            ", more than half the relation scale (-1 to 1): the relations would be "
            "noise and clamp; expected at most " +
            number(1.0 / std::sqrt(dt), 2) + " (the default is 0.02)" +
            values_set_elsewhere(at, {{"time.steps_per_year", node("time.steps_per_year")}}));
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
  const std::vector<double> damping = pair_damping(spec_);
  const std::vector<double> on_deciding = influence_on_deciding(spec_);
  for (std::size_t i = 0; i < N(); ++i) {
    const ActorSpec& a = spec_.actors[i];
    const std::string path = "actors." + a.code;
    check_step_stability(i, damping, on_deciding, key_position);
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
        // A programme of amount 0 is not going on: it catalyses nothing (docs/model.md §7.3.2).
        if (p.borrower == i && p.amount > 0.0) programmes += p.amount + p.catalysed;
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
    // The run's length as the scenario gives it (time.steps or time.years), and where to say a
    // growth that outgrows the arithmetic: at the growth key if it is written, else (a default
    // rate) at the run's length if that is written, else at the actor.
    const char* length_key =
        root_.table().at_path("time.steps").node() != nullptr ? "time.steps" : "time.years";
    const auto growth_or_length = [&](const std::string& code, const char* growth) {
      const toml::node* actor = root_.table().at_path("actors." + code).node();
      const bool written =
          actor != nullptr && actor->is_table() && actor->as_table()->get(growth) != nullptr;
      const toml::node* length = root_.table().at_path(length_key).node();
      if (!written && length != nullptr)
        return std::pair<SourcePosition, std::string>(position_of(*length), length_key);
      return std::pair<SourcePosition, std::string>(key_position(code, growth),
                                                    "actors." + code + "." + growth);
    };
    // GDP compounds at its growth rate each step (docs/model.md §7.2): a rate kept over a long run
    // can take it past what the model's products hold (GDP x GDP x a cost), and the run would
    // stop at a NaN far from the key. Refused here, at the rate, with the year it would get there.
    // The gas need compounds too (energy_demand_growth; a yearly path stays within its values).
    if (a.energy_demand_path.empty() && a.energy_imports > 0.0 &&
        std::log(a.energy_imports) +
                a.energy_demand_growth * (spec_.time.end() - spec_.time.start) >
            std::log(kLargestGdp)) {
      const auto [at, key] = growth_or_length(a.code, "energy_demand_growth");
      throw InputError(
          at, key,
          "a gas need of " + format_number(a.energy_imports) + " bcm/yr growing at " +
              format_number(a.energy_demand_growth) + " a year (" + path +
              ".energy_demand_growth) would pass 1e100 bcm/yr before the run ends (" +
              format_number(spec_.time.end()) +
              "), beyond what the model's arithmetic holds: lower the rate, or end the run "
              "sooner (" +
              length_key + ")" +
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
        const char* growth = a.gdp_growth_path.empty() ? "gdp_growth" : "gdp_growth_path";
        const auto [at, key] = growth_or_length(a.code, growth);
        throw InputError(
            at, key,
            "GDP " + format_number(a.gdp) + " US$ bn growing at " + format_number(rate) +
                " a year (" + path + "." + growth + ") would pass 1e100 US$ bn by " +
                format_number(std::ceil(year)) +
                ", beyond what the model's arithmetic holds: lower the rate, or end the run "
                "sooner (" +
                length_key + ")" +
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
