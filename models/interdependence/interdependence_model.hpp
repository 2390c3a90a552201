// The "interdependence" model (docs/model.md): gravity flows with sanction cost shocks, Keohane
// and Nye's sensitivity and vulnerability, actor decisions with interest-weighted benefits,
// reciprocity, third-party pressure, structural balance, alignment and seeded noise, and
// institutions with admission rules.
#pragma once

#include <Eigen/Core>
#include <array>
#include <span>
#include <vector>

#include "engine/run/model.hpp"
#include "engine/network/corridors.hpp"
#include "models/interdependence/terms.hpp"

namespace interdep {

class InterdependenceModel final : public Model {
 public:
  explicit InterdependenceModel(const ScenarioSpec& spec);

  std::string_view name() const override { return "interdependence"; }
  std::span<const std::string_view> term_names() const override { return kTermNames; }
  void initialize(WorldState& state) override;
  void apply_event(const EventSpec& event, std::size_t event_index, const StepClock& clock,
                   WorldState& state, EventLog& log) override;
  void update_flows(const StepClock& clock, WorldState& state) override;
  void update_interdependence(WorldState& state) override;
  void decide(const StepClock& clock, WorldState& state, Rng& rng) override;
  void run_institutions(const StepClock& clock, WorldState& state, Rng& rng,
                        EventLog& log) override;

  // Terms integrated by decide(), in the order of Term (benefit .. institutions).
  static constexpr std::size_t kDriftTerms = 7;

 private:
  using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Drift = std::array<std::vector<Matrix>, kDriftTerms>;  // [term][domain] N x N

  // Flows
  void compute_trade_costs(const WorldState& state, Matrix& tau);
  double effective_energy_cost(std::size_t supplier, std::size_t importer,
                               const WorldState& state) const;
  void compute_energy_targets(const WorldState& state);
  // Decisions
  void compute_channels(const WorldState& state, std::vector<Matrix>& channel);
  void compute_relation_overall(const std::vector<Matrix>& x, Matrix& r) const;
  void unpack_relations(const std::vector<double>& packed, std::vector<Matrix>& per_domain) const;
  void sync_relations(WorldState& state);
  void evaluate_drift(const std::vector<Matrix>& x, Drift& out);
  void apply_impulse(std::size_t from, std::size_t to, const std::vector<std::size_t>& domains,
                     double delta, WorldState& state);
  bool summit_in_step(const StepClock& clock, int summit_month) const;
  void update_routes(const WorldState& state);

  const ScenarioSpec& spec_;
  const std::size_t n_, d_, i_;  // actors, domains, institutions

  // Calibration from the initial state.
  std::vector<double> trade0_, gdp0_, tau0_, route0_, row_trade0_;
  Matrix energy_taste_;            // alpha[i,j]: logit constant that reproduces initial shares
  std::vector<double> row_taste_;  // alpha of the rest-of-world option, per importer
  std::vector<double> channel0_;   // benefit channel values at t0, [(i*N+j)*4 + c]

  // Mutable exogenous state changed by events.
  std::vector<double> route_;       // route cost i->j on the corridor graph
  Matrix sanction_;                 // Z[s,t]: tariff-equivalent sanction of s on t
  Matrix secondary_;                // Q[s,t]: secondary-sanction scale of s on t
  Matrix energy_capacity_, energy_cost_;
  bool any_secondary_ = false;

  // Scratch, sized at construction so stepping does not allocate.
  Matrix tau_, wedge_, leverage_plus_, damping_, trade_share_, energy_share_, export_share_, energy_target_, overall_, hostility_,
      pressure_sum_, influence_, product_, threat_;
  std::vector<double> total_trade_, openness_;
  std::vector<Matrix> x_, x0_, stage_, target_;  // per domain
  std::vector<Matrix> channel_;                  // 4 channels: trade, energy, threat, institutions
  Drift k1_, k2_, k3_, k4_, increment_;
};

}  // namespace interdep
