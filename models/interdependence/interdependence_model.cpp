// The "interdependence" model: construction, calibration from the initial state (initialize) and
// the relation helpers every phase uses. The phases are in events.cpp, flows.cpp,
// interdependence.cpp, decide.cpp and institutions.cpp. Equations and parameters: docs/model.md
// (section numbers below refer to it).
#include "models/interdependence/interdependence_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace interdep {
namespace {

constexpr double kMinOutsideShare = 1e-6;  // floor of the rest-of-world gas share in calibration

}  // namespace

InterdependenceModel::InterdependenceModel(const ScenarioSpec& spec)
    : spec_(spec), n_(spec.actor_count()), d_(spec.domain_count()), i_(spec.institution_count()) {
  const auto n = static_cast<Eigen::Index>(n_);
  auto square = [n](Matrix& m) { m = Matrix::Zero(n, n); };
  for (Matrix* m : {&threat_weight_,
                    &energy_taste_,
                    &sanction_,
                    &secondary_,
                    &export_sanction_,
                    &import_sanction_,
                    &tariff_,
                    &anticipated_,
                    &lingering_,
                    &lingering_rate_,
                    &finance_cut_out_,
                    &finance_cut_in_,
                    &energy_capacity_,
                    &energy_cost_,
                    &tau_,
                    &relation_factor_,
                    &mean_relation_,
                    &cost_rest_,
                    &wedge_,
                    &trade_share_,
                    &energy_share_,
                    &export_share_,
                    &energy_target_,
                    &overall_,
                    &hostility_,
                    &threat_hostility_,
                    &threat_transposed_,
                    &pressure_sum_,
                    &influence_,
                    &product_,
                    &leverage_plus_,
                    &damping_,
                    &shared_institutions_,
                    &trade_discount_,
                    &finance_share_,
                    &finance_given_,
                    &channel_vulnerability_[0],
                    &channel_vulnerability_[1],
                    &channel_vulnerability_[2]})
    square(*m);
  for (auto* v : {&x_, &x0_, &target_}) v->assign(d_, Matrix::Zero(n, n));
  const DecideParams& decide = spec.params.decide;
  if (decide.balance > 0.0) balance_product_.assign(d_, Matrix::Zero(n, n));
  if (decide.alignment > 0.0) {
    alignment_product_.assign(d_, Matrix::Zero(n, n));
    self_view_.assign(d_, Eigen::VectorXd::Zero(n));
  }
  transposed_.assign(d_, Matrix::Zero(n, n));
  channel_.assign(kChannels, Matrix::Zero(n, n));
  size_combine_scratch(1);
  if (decide.integrator != Integrator::euler) {
    stage_.assign(d_, Matrix::Zero(n, n));
    for (auto* k : {&k1_, &k2_, &k3_, &k4_})
      for (auto& term : *k) term.assign(d_, Matrix::Zero(n, n));
    for (auto& term : increment_) term.assign(d_, Matrix::Zero(n, n));
  }
  openness_.assign(n_, 0.0);
  gas_dependence_.assign(n_, 0.0);
  row_trade_.assign(n_, 0.0);
  outside_target_.assign(n_, 0.0);
  link_full_.assign(n_, 0);
  link_weight_.assign(n_, 0.0);
  growth_exponent_.assign(n_, std::numeric_limits<double>::quiet_NaN());
  growth_factor_.assign(n_, 1.0);
  destination_growth_.assign(n_, 1.0);
  energy_outside_.assign(n_, 0.0);
  for (const ActorSpec& a : spec.actors) import_capacity_.push_back(a.energy_import_capacity);
  finance_openness_.assign(n_, 0.0);
  finance_ = spec.finance.dense();
  const std::size_t lenders = spec.lenders.size();
  programme_amount_.assign(lenders * n_, 0.0);
  programme_catalysed_.assign(lenders * n_, 0.0);
  programme_suspended_.assign(lenders * n_, 0);
  veto_.assign(lenders * n_, 0.0);
  grantor_.assign(lenders * n_, 0.0);
  for (std::size_t l = 0; l < lenders; ++l) {
    const LenderSpec& lender = spec.lenders[l];
    for (const ProgrammeSpec& p : lender.programmes) {
      programme_amount_[l * n_ + p.borrower] = p.amount;
      programme_catalysed_[l * n_ + p.borrower] = p.catalysed;
    }
    for (std::size_t j = 0; j < n_; ++j) {
      veto_[l * n_ + j] = std::min(1.0, lender.votes[j] / lender.blocking_share);
      grantor_[l * n_ + j] = lender.blocks_alone(j) ? 1.0 : 0.0;
    }
  }
  for (const ActorSpec& a : spec.actors) actor_key_.push_back(name_key(a.code));
  for (const DomainSpec& d : spec.domains) domain_key_.push_back(name_key(d.name));
  for (const InstitutionSpec& k : spec.institutions) institution_key_.push_back(name_key(k.name));
  channel0_.assign(n_ * n_ * kChannels, 0.0);

  for (std::size_t i = 0; i < n_; ++i)
    for (std::size_t k = 0; k < n_; ++k) {
      const double both = spec.actors[i].military + spec.actors[k].military;
      threat_weight_(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) =
          both > 0.0 ? spec.actors[k].military / both : 0.0;
    }

  std::size_t impulses = 0;  // at most: each target both ways in every domain
  for (std::size_t k = 0; k < spec.events.size(); ++k) {
    const EventSpec& e = spec.events[k];
    if (e.kind == EventKind::sanction && e.anticipation > 0.0) anticipated_events_.push_back(k);
    impulses += 2 * e.targets.size() * (e.domains.empty() ? d_ : e.domains.size());
  }
  impulses_.reserve(impulses);

  if (!spec.params.decide.influence.empty())
    for (std::size_t i = 0; i < n_; ++i)
      for (std::size_t k = 0; k < n_; ++k)
        influence_(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) =
            spec.params.decide.influence[i * n_ + k];
}

// Scratch for `parts` parts of decide's actors.
void InterdependenceModel::size_combine_scratch(std::size_t parts) {
  const bool euler = spec_.params.decide.integrator == Integrator::euler;
  combine_scratch_.assign(parts, CombineScratch{});
  for (CombineScratch& scratch : combine_scratch_) {
    if (euler) scratch.drift_rows.assign(d_ * kDriftTerms * n_, 0.0);
    scratch.increment.assign(d_ * kDriftTerms, nullptr);
    scratch.pair_key_u.assign(n_, Rng::KeyMixer{});
    scratch.relation_row.assign(d_, nullptr);
    scratch.impulse_event.assign(n_ * d_, 0.0);
    scratch.impulse_clamp.assign(n_ * d_, 0.0);
  }
}

// Two parts a thread, so that a thread that finishes early takes another.
void InterdependenceModel::share_work(StepWorkers& workers) {
  workers_ = &workers;
  size_combine_scratch(std::min(n_, 2 * workers.threads()));
}

// Packed relations [(i*N + j)*D + d] (the WorldState layout) -> one N x N matrix per domain.
void InterdependenceModel::unpack_relations(const std::vector<double>& packed,
                                            std::vector<Matrix>& per_domain) const {
  for (std::size_t i = 0; i < n_; ++i)
    for (std::size_t j = 0; j < n_; ++j)
      for (std::size_t d = 0; d < d_; ++d)
        per_domain[d](static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
            packed[(i * n_ + j) * d_ + d];
}

// After relations changed in `state`: refresh the per-domain copy and the overall relations,
// a block of actors' rows at a time.
void InterdependenceModel::sync_relations(WorldState& state) {
  for_row_blocks([&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      const auto I = static_cast<Eigen::Index>(i);
      for (std::size_t j = 0; j < n_; ++j)
        for (std::size_t d = 0; d < d_; ++d)
          x_[d](I, static_cast<Eigen::Index>(j)) = state.relations[(i * n_ + j) * d_ + d];
      overall_row(x_, i);
      std::copy(overall_.row(I).data(), overall_.row(I).data() + n_,
                state.relation_overall.begin() + static_cast<std::ptrdiff_t>(i * n_));
    }
  });
}

bool InterdependenceModel::relations_in_sync(const WorldState& state) const {
  // The same value, NaN as NaN: a run that an extreme input drives to NaN is refused by the
  // simulation (engine/run/simulation.cpp), not by this assertion.
  auto same = [](double a, double b) { return a == b || (a != a && b != b); };
  for (std::size_t i = 0; i < n_; ++i)
    for (std::size_t j = 0; j < n_; ++j) {
      const auto I = static_cast<Eigen::Index>(i), J = static_cast<Eigen::Index>(j);
      double overall = 0.0;
      for (std::size_t d = 0; d < d_; ++d) {
        if (!same(x_[d](I, J), state.relations[state.dims.rel(i, j, d)])) return false;
        overall += spec_.actors[i].interests[d] * x_[d](I, J);
      }
      if (!same(overall, overall_(I, J)) || !same(overall, state.relation_overall[i * n_ + j]))
        return false;
    }
  return true;
}

void InterdependenceModel::compute_relation_overall(const std::vector<Matrix>& x, Matrix& r) const {
  r.setZero();
  for (std::size_t d = 0; d < d_; ++d)
    for (std::size_t i = 0; i < n_; ++i)
      r.row(static_cast<Eigen::Index>(i)) +=
          spec_.actors[i].interests[d] * x[d].row(static_cast<Eigen::Index>(i));
}

// Row i of overall_ from x, as compute_relation_overall (the same sums in the same order: from
// 0.0, each domain's weight times its relation added in the domains' order). Plain loops: at a
// handful of actors, Eigen's row expressions of dynamic size cost more to set up than their
// few operations.
void InterdependenceModel::overall_row(const std::vector<Matrix>& x, std::size_t i) {
  const auto I = static_cast<Eigen::Index>(i);
  double* __restrict const out = overall_.row(I).data();
  std::fill(out, out + n_, 0.0);
  const std::vector<double>& interests = spec_.actors[i].interests;
  for (std::size_t d = 0; d < d_; ++d) {
    const double weight = interests[d];
    const double* __restrict const row = x[d].row(I).data();
    for (std::size_t j = 0; j < n_; ++j) out[j] += weight * row[j];
  }
}

// ---------------------------------------------------------------------------------------------
// Initial state and calibration (docs/model.md §5)

void InterdependenceModel::initialize(WorldState& state) {
  state.relations = spec_.relations.dense();
  state.trade = spec_.trade.dense();
  // Gas links: every pair the fallback link (no link), then the links written.
  const EnergyLinkSpec& no_link = spec_.energy.fallback();
  std::fill(state.energy.begin(), state.energy.end(), no_link.flow);
  energy_capacity_.setConstant(no_link.capacity);
  energy_cost_.setConstant(no_link.cost);
  for (const auto& [p, link] : spec_.energy.entries()) {
    state.energy[p] = link.flow;
    energy_capacity_(static_cast<Eigen::Index>(p / n_), static_cast<Eigen::Index>(p % n_)) =
        link.capacity;
    energy_cost_(static_cast<Eigen::Index>(p / n_), static_cast<Eigen::Index>(p % n_)) = link.cost;
  }
  for (std::size_t i = 0; i < n_; ++i) state.gdp[i] = spec_.actors[i].gdp;
  for (std::size_t i = 0; i < n_; ++i) state.energy_demand[i] = spec_.actors[i].energy_imports;
  for (std::size_t j = 0; j < n_; ++j) {
    double inflow = 0.0;
    for (std::size_t k = 0; k < n_; ++k) inflow += state.energy[k * n_ + j];
    energy_outside_[j] = std::max(0.0, landable(j, state) - inflow);
  }
  for (std::size_t i = 0; i < n_; ++i)
    for (std::size_t j = 0; j < n_; ++j) state.finance[i * n_ + j] = finance_flow(i, j);
  record_programmes(state);
  for (std::size_t k = 0; k < i_; ++k)
    for (std::size_t m : spec_.institutions[k].members)
      state.membership[state.dims.member(m, k)] = 1;
  unpack_relations(state.relations, x0_);
  sync_relations(state);

  state.corridor_open.resize(spec_.corridor_edges.size());
  for (std::size_t k = 0; k < spec_.corridor_edges.size(); ++k)
    state.corridor_open[k] = spec_.corridor_edges[k].open ? 1 : 0;
  update_routes(state);
  route0_ = route_;
  update_route_factors();
  trade0_ = state.trade;
  gdp0_ = state.gdp;
  row_trade0_.assign(n_, 0.0);
  for (std::size_t i = 0; i < n_; ++i) {
    double bilateral = 0.0;
    for (std::size_t j = 0; j < n_; ++j)
      bilateral += state.trade[i * n_ + j] + state.trade[j * n_ + i];
    row_trade0_[i] = std::max(0.0, spec_.actors[i].total_trade - bilateral);
  }
  for (std::size_t i = 0; i < n_; ++i) row_trade_[i] = row_trade0_[i];
  row_finance0_.assign(n_, 0.0);
  for (std::size_t i = 0; i < n_; ++i) {
    double received = state.programme_finance[i];
    for (std::size_t j = 0; j < n_; ++j) received += state.finance[j * n_ + i];
    row_finance0_[i] = std::max(0.0, spec_.actors[i].external_finance - received);
  }

  // Shares at t0: recorded in frame 0, the channels at t0 below, and the secondary-sanction
  // wedge of the first step (flows run before interdependence within a step).
  update_interdependence(state);
  compute_trade_costs(state, tau_);
  tau0_.assign(tau_.data(), tau_.data() + tau_.size());
  cost_rest0_.assign(cost_rest_.data(), cost_rest_.data() + cost_rest_.size());
  mean_relation0_.assign(mean_relation_.data(), mean_relation_.data() + mean_relation_.size());
  if (spec_.params.flows.gravity == Gravity::structural) calibrate_gravity(state);

  // Gas supplier logit constants that reproduce the initial shares (§7.2.4).
  const FlowParams& fp = spec_.params.flows;
  for (std::size_t j = 0; j < n_; ++j) {
    const double demand = landable(j, state);
    if (demand <= 0.0) continue;
    double inflow = 0.0;
    for (std::size_t k = 0; k < n_; ++k) inflow += state.energy[k * n_ + j];
    const double outside_share = std::max(kMinOutsideShare, 1.0 - inflow / demand);
    const double outside_cost = spec_.actors[j].rest_of_world_energy_cost;
    for (std::size_t k = 0; k < n_; ++k) {
      const auto K = static_cast<Eigen::Index>(k), J = static_cast<Eigen::Index>(j);
      const double flow = state.energy[k * n_ + j];
      if (k == j || flow <= 0.0)
        continue;  // no link with itself (a fallback flow fills the
                   // diagonal too; the logit never reads it)
      const double cost = effective_energy_cost(k, j);
      energy_taste_(K, J) =
          std::log(flow / demand / outside_share) + fp.energy_choice * (cost - outside_cost);
    }
  }
  compute_channels(state, channel_);
  for (std::size_t c = 0; c < kChannels; ++c)
    for (std::size_t p = 0; p < n_ * n_; ++p) channel0_[p * kChannels + c] = channel_[c].data()[p];
}

}  // namespace interdep
