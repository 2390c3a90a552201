// [actors.CODE]: the actors, their economies and their dispositions.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "engine/scenario/key_alternatives.hpp"
#include "engine/scenario/spec_builder.hpp"

namespace interdep::detail {
namespace {

// The keys of an actor's table that set the gas it lands at the start (its imports, or the
// year points of its demand path, and its import capacity), each by its node: a check of the
// landed gas against another key names those set elsewhere (by --set, in another file).
std::vector<NamedNode> landed_gas_nodes(const TableReader& r) {
  std::vector<NamedNode> nodes;
  for (const char* key : {"energy_imports", "energy_import_capacity"})
    nodes.emplace_back(r.key_path(key), r.table().get(key));
  if (const toml::table* path = r.table().get_as<toml::table>("energy_demand"))
    for (const auto& [year, value] : *path)
      nodes.emplace_back(r.key_path("energy_demand") + "." + std::string(year.str()), &value);
  return nodes;
}

// The state holds N x N matrices of doubles: at 5000 actors one matrix is 200 MB.
constexpr std::size_t kMaxActors = 5000;
// Interest weights are written with a few decimals: |sum_d w[i,d] - 1| up to this is 1.
constexpr double kInterestTolerance = 1e-6;

}  // namespace

void SpecBuilder::read_actors() {
  const toml::table* table = root_.subtable("actors");
  if (!table || table->size() < 2) {
    refuse_misspelt_table("actors", "the actors");
    throw InputError(table ? position_of(*table) : root_position(), "actors",
                     "at least two actors are required, e.g. [actors.PAK] and [actors.RUS]");
  }
  if (table->size() > kMaxActors)
    throw InputError(position_of(*table), "actors",
                     "at most " + std::to_string(kMaxActors) + " actors are supported, got " +
                         std::to_string(table->size()));
  for (const auto& [key, node] : *table) {
    const std::string code(key.str());
    const std::string path = "actors." + code;
    if (!valid_code(code))
      throw InputError(
          position_of(key.source()), path,
          "actor codes are 2 to 8 upper-case letters or digits, e.g. PAK; got '" + code + "'");
    if (!node.is_table())
      throw InputError(position_of(node), path, "expected a table, got " + type_name(node));
    TableReader r(*node.as_table(), path);
    ActorSpec a;
    a.code = code;
    a.name = r.string("name", code);
    a.gdp = r.number("gdp", a.gdp, kPositive);
    a.gdp_growth = r.number("gdp_growth", a.gdp_growth, Range{-0.5, 0.5, true, true});
    a.military = r.number("military", a.military, kNonNegative);
    a.total_trade = r.number("total_trade", a.total_trade, kNonNegative);
    a.energy_imports = r.number("energy_imports", a.energy_imports, kNonNegative);
    a.energy_demand_growth =
        r.number("energy_demand_growth", a.energy_demand_growth, Range{-0.5, 0.5, true, true});
    // A table year = value (years as keys, e.g. { 2025 = 25.5, 2030 = 40 }), sorted by year.
    const auto year_table = [&](const toml::table& years, std::string_view name, const Range& range,
                                const std::string& what) {
      std::vector<std::pair<double, double>> points;
      for (const auto& [year, value] : years) {
        const std::string point = r.key_path(name) + "." + std::string(year.str());
        char* end = nullptr;
        const std::string text(year.str());
        const double y = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || !std::isfinite(y))
          throw InputError(position_of(year.source()), point,
                           "expected a year such as 2030 (or 2030.5) as the key");
        const double v = pair_number(value, point, range, what);
        for (const auto& [other, unused] : points)
          if (other == y)
            throw InputError(position_of(year.source()), point,
                             "the year " + format_number(y) + " is given twice");
        points.emplace_back(y, v);
      }
      if (points.empty())
        r.fail(&years, name, "expected at least one year = " + what + ", e.g. { 2025 = ... }");
      std::sort(points.begin(), points.end());
      return points;
    };
    if (const toml::table* demand_path = r.subtable("energy_demand")) {
      for (const char* other : {"energy_imports", "energy_demand_growth"})
        if (const toml::node* n = r.table().get(other))
          r.fail(n, other, std::string(both_message("energy_imports")));
      a.energy_demand_path =
          year_table(*demand_path, "energy_demand", kNonNegative, "gas imports needed in bcm/yr");
      a.energy_imports = a.energy_demand_at(spec_.time.start, spec_.time.start);
    }
    if (const toml::table* growth_path = r.subtable("gdp_growth_path")) {
      if (const toml::node* n = r.table().get("gdp_growth"))
        r.fail(n, "gdp_growth", std::string(both_message("gdp_growth")));
      a.gdp_growth_path = year_table(*growth_path, "gdp_growth_path", Range{-0.5, 0.5, true, true},
                                     "a GDP growth rate in 1/yr");
    }
    a.energy_import_capacity =
        r.number("energy_import_capacity", a.energy_import_capacity, kNonNegative);
    r.retired("energy_import_dependence",
              "it was the imported share of all primary energy but weighed a partner's share of "
              "the gas imports; the gas term now weighs it by energy_imports (bcm/yr) over "
              "primary_energy (EJ/yr, total primary energy use): write primary_energy instead");
    a.primary_energy = r.number("primary_energy", a.primary_energy, kNonNegative);
    const double landed = a.energy_landed0();
    if (landed * kExajoulesPerBcm > a.primary_energy && a.primary_energy > 0.0)
      r.fail(
          r.get("primary_energy"), "primary_energy",
          "is below the energy of the gas imports (" + format_number(landed) + " bcm/yr x " +
              format_number(kExajoulesPerBcm) +
              " EJ/bcm = " + format_number(landed * kExajoulesPerBcm) +
              " EJ/yr): expected total primary energy use in EJ/yr" +
              values_set_elsewhere(r.get("primary_energy") ? position_of(*r.get("primary_energy"))
                                                           : position_of(r.table()),
                                   landed_gas_nodes(r)));
    a.energy_export_capacity =
        r.number("energy_export_capacity", a.energy_export_capacity, kNonNegative);
    a.energy_substitution =
        r.number("energy_substitution", a.energy_substitution, Range{1.0, 1000.0, true, false});
    a.rest_of_world_energy_cost =
        r.number("rest_of_world_energy_cost", a.rest_of_world_energy_cost, kPositive);
    a.responsiveness = r.number("responsiveness", a.responsiveness, kNonNegative);
    a.inertia = r.number("inertia", a.inertia, kNonNegative);
    a.risk = r.number("risk", a.risk, kSigned);
    a.noise = r.number("noise", a.noise, kNonNegative);
    a.external_finance = r.number("external_finance", a.external_finance, kNonNegative);
    a.passive = r.boolean("passive", a.passive);
    a.finance_substitution =
        r.number("finance_substitution", a.finance_substitution, Range{0.0, 1000.0, true, false});

    const toml::table* interests = r.subtable("interests");
    if (!interests) {
      // [actors.PKA] risk = 0.5 over a base that has PAK: a new actor by a typing slip.
      std::vector<std::string> others;
      for (const auto& [other, unused] : *table)
        if (other.str() != key.str()) others.emplace_back(other.str());
      const std::string near = closest_match(code, others);
      r.fail(nullptr, "interests",
             "is required: a table of interest weights over the domains " +
                 word_list(domain_names()) + " that sums to 1" +
                 (near.empty() ? std::string()
                               : " ([actors." + code + "] starts a new actor: did you mean '" +
                                     near + "'?)"));
    }
    a.interests.assign(D(), 0.0);  // a domain not written weighs nothing
    TableReader w(*interests, path + ".interests");
    double sum = 0.0;
    for (std::size_t d = 0; d < D(); ++d) {
      a.interests[d] = w.number(spec_.domains[d].name, a.interests[d], kUnit);
      sum += a.interests[d];
    }
    w.finish();
    if (std::abs(sum - 1.0) > kInterestTolerance) {
      std::vector<NamedNode> weights;
      for (const DomainSpec& d : spec_.domains)
        weights.emplace_back(d.name, interests->get(d.name));
      throw InputError(position_of(*interests), path + ".interests",
                       "interest weights must sum to 1 (tolerance " +
                           format_number(kInterestTolerance) + "), got " + format_number(sum) +
                           values_set_elsewhere(position_of(*interests), weights));
    }
    r.finish();
    spec_.actors.push_back(std::move(a));
  }
}

}  // namespace interdep::detail
