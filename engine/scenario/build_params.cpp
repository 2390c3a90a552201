// The run's parameters: [model] (its name, [model.flows], [model.decide]), [output] (what to
// record) and [network] (the analysis after the run).
#include <cmath>
#include <cstdint>
#include <limits>

#include "engine/scenario/spec_builder.hpp"

namespace interdep::detail {
namespace {

// Influence weights are written with a few decimals: |sum_k W[i,k] - 1| up to this is 1.
constexpr double kInfluenceTolerance = 1e-6;
// The /network triad counts are int32: n(n-1)(n-2)/6 <= 2^31 - 1 holds up to 2345 actors.
constexpr std::size_t kMaxNetworkActors = 2345;

}  // namespace

void SpecBuilder::read_model() {
  spec_.model_position = root_position();
  const toml::table* table = root_.subtable("model");
  if (!table) return;
  TableReader r(*table, "model");
  spec_.model = r.string("name", spec_.model);
  if (const toml::node* name = table->get("name")) {
    spec_.model_position = position_of(*name);
    // A --set value's line and column are of the synthetic "value = ..." text, not the user's.
    if (is_override(spec_.model_position))
      spec_.model_position.line = spec_.model_position.column = 0;
  }
  if (const toml::table* flows = r.subtable("flows")) read_flows(*flows);
  if (const toml::table* decide = r.subtable("decide")) read_decide(*decide);
  r.finish();
}

void SpecBuilder::read_flows(const toml::table& table) {
  TableReader f(table, "model.flows");
  FlowParams& p = spec_.params.flows;
  p.gdp_elasticity_origin =
      f.number("gdp_elasticity_origin", p.gdp_elasticity_origin, Range{0.0, 5.0});
  p.gdp_elasticity_destination =
      f.number("gdp_elasticity_destination", p.gdp_elasticity_destination, Range{0.0, 5.0});
  p.trade_cost_elasticity =
      f.number("trade_cost_elasticity", p.trade_cost_elasticity, Range{0.0, 50.0, true, false});
  p.relation_cost = f.number("relation_cost", p.relation_cost, Range{0.0, 10.0});
  p.route_elasticity = f.number("route_elasticity", p.route_elasticity, Range{0.0, 10.0});
  p.adjustment_years = f.number("adjustment_years", p.adjustment_years, kPositive);
  p.energy_choice = f.number("energy_choice", p.energy_choice, Range{0.0, 100.0});
  p.secondary_exposure = f.number("secondary_exposure", p.secondary_exposure, kNonNegative);
  p.finance = f.boolean("finance", p.finance);
  p.gravity = f.choice("gravity", p.gravity);
  p.world_gdp = f.number("world_gdp", p.world_gdp, kPositive);
  f.finish();
}

void SpecBuilder::read_decide(const toml::table& table) {
  TableReader d(table, "model.decide");
  DecideParams& p = spec_.params.decide;
  p.benefit = d.number("benefit", p.benefit, kNonNegative);
  p.reciprocity = d.number("reciprocity", p.reciprocity, kNonNegative);
  p.pressure = d.number("pressure", p.pressure, kNonNegative);
  p.balance = d.number("balance", p.balance, kNonNegative);
  p.alignment = d.number("alignment", p.alignment, kNonNegative);
  p.institutions = d.number("institutions", p.institutions, kNonNegative);
  p.anchor = d.number("anchor", p.anchor, kNonNegative);
  p.event_scale = d.number("event_scale", p.event_scale, Range{0.0, 1.0});
  p.event_reciprocal = d.number("event_reciprocal", p.event_reciprocal, kUnit);
  p.event_persistence = d.number("event_persistence", p.event_persistence, kUnit);
  p.benefit_gain = d.number("benefit_gain", p.benefit_gain, kNonNegative);
  p.max_change_per_year = d.number("max_change_per_year", p.max_change_per_year, kPositive);
  p.clamp = d.boolean("clamp", p.clamp);
  p.balance_normalize = d.boolean("balance_normalize", p.balance_normalize);
  p.integrator = d.choice("integrator", p.integrator);
  p.self_appraisal = d.choice("self_appraisal", p.self_appraisal);
  if (const toml::table* influence = d.subtable("influence")) read_influence(*influence);
  d.finish();
}

// [model.decide.influence.I] K = W[i,k]: the rows written replace the default (W proportional
// to the sensitivities) for all rows; a row not written listens to itself only.
void SpecBuilder::read_influence(const toml::table& table) {
  auto& W = spec_.params.decide.influence;
  W.assign(N() * N(), 0.0);
  for (std::size_t i = 0; i < N(); ++i) W[i * N() + i] = 1.0;
  for (const auto& [row_key, row_node] : table) {
    const std::string path = "model.decide.influence." + std::string(row_key.str());
    const std::size_t i = actor_index(row_key.str(), row_node, path);
    if (!row_node.is_table())
      throw InputError(position_of(row_node), path,
                       "expected a table of actor = weight, got " + type_name(row_node));
    W[i * N() + i] = 0.0;
    double sum = 0.0;
    std::vector<NamedNode> weights;
    for (const auto& [col_key, col_node] : *row_node.as_table()) {
      const std::string cpath = path + "." + std::string(col_key.str());
      const std::size_t k = actor_index(col_key.str(), col_node, cpath);
      W[i * N() + k] = pair_number(col_node, cpath, kUnit, "an influence weight");
      sum += W[i * N() + k];
      weights.emplace_back(std::string(col_key.str()), &col_node);
    }
    if (std::abs(sum - 1.0) > kInfluenceTolerance)
      throw InputError(position_of(row_node), path,
                       "influence weights of a row must sum to 1 (tolerance " +
                           format_number(kInfluenceTolerance) + "), got " + format_number(sum) +
                           values_set_elsewhere(position_of(row_node), weights));
  }
}

void SpecBuilder::read_output() {
  const toml::table* table = root_.subtable("output");
  if (!table) return;
  TableReader r(*table, "output");
  RecordSpec& record = spec_.record;
  record.every = r.integer("every", record.every, 1, std::numeric_limits<std::int32_t>::max());
  record.contributions = r.boolean("contributions", record.contributions);
  record.network = r.boolean("network", record.network);
  record.compression = r.integer("compression", record.compression, 0, 9);
  r.finish();
}

void SpecBuilder::read_network() {
  if (spec_.record.network && N() > kMaxNetworkActors) {
    // At `network = true` where the file writes it; else at [actors], whose size is the cause
    // (the network analysis is on by default).
    const toml::table* output = root_.table().get_as<toml::table>("output");
    const toml::node* written = output ? output->get("network") : nullptr;
    const toml::table* actors = root_.table().get_as<toml::table>("actors");
    throw InputError(written  ? position_of(*written)
                     : actors ? position_of(*actors)
                              : root_position(),
                     written ? "output.network" : "actors",
                     "a world of " + std::to_string(N()) + " actors: the network analysis (" +
                         (written ? "" : "on by default, ") +
                         "[output] network) supports at most " + std::to_string(kMaxNetworkActors) +
                         " actors (its triad counts are 32-bit); set [output] network = false to "
                         "run without it");
  }
  const toml::table* table = root_.subtable("network");
  if (!table) return;
  TableReader r(*table, "network");
  // [0, 1): a threshold of 1 would leave every tie unsigned, as |Rbar| <= 1.
  spec_.network.tie_threshold =
      r.number("tie_threshold", spec_.network.tie_threshold, Range{0.0, 1.0, false, true});
  r.finish();
}

}  // namespace interdep::detail
