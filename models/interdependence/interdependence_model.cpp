// Equations and parameters: docs/model.md (section numbers below refer to it).
#include "models/interdependence/interdependence_model.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

namespace interdep {
namespace {

// Benefit channels (docs/model.md §7.4.2).
enum Channel : std::size_t { kTradeChannel, kEnergyChannel, kThreatChannel, kInstitutionChannel, kChannels };

double channel_weight(const DomainSpec& domain, std::size_t channel) {
  switch (channel) {
    case kTradeChannel: return domain.trade;
    case kEnergyChannel: return domain.energy;
    case kThreatChannel: return domain.threat;
    default: return domain.institutions;
  }
}

constexpr double kChannelFloor = 0.01;        // epsilon of ln((C + eps) / (C0 + eps)), share
constexpr double kClosedRouteFactor = 1000.0;  // trade-cost factor when no corridor route is open
constexpr double kMinOutsideShare = 1e-6;     // floor of the rest-of-world gas share in calibration

double clamp_relation(double r) { return std::clamp(r, -1.0, 1.0); }

// Loss of a partner with share s under a CES aggregate whose trade elasticity is theta:
// 1 - (1 - s)^(1/theta) (Arkolakis, Costinot and Rodriguez-Clare 2012).
double partner_loss(double share, double theta) {
  if (share <= 0.0) return 0.0;
  if (share >= 1.0) return 1.0;
  return 1.0 - std::pow(1.0 - share, 1.0 / theta);
}

}  // namespace

InterdependenceModel::InterdependenceModel(const ScenarioSpec& spec)
    : spec_(spec),
      n_(spec.actor_count()),
      d_(spec.domain_count()),
      i_(spec.institution_count()) {
  const auto n = static_cast<Eigen::Index>(n_);
  auto square = [n](Matrix& m) { m = Matrix::Zero(n, n); };
  for (Matrix* m : {&energy_taste_, &sanction_, &secondary_, &energy_capacity_, &energy_cost_,
                    &tau_, &wedge_, &trade_share_, &energy_share_, &export_share_, &energy_target_,
                    &overall_, &hostility_, &pressure_sum_, &influence_, &product_, &threat_,
                    &leverage_plus_, &damping_})
    square(*m);
  for (auto* v : {&x_, &x0_, &stage_, &target_}) v->assign(d_, Matrix::Zero(n, n));
  channel_.assign(kChannels, Matrix::Zero(n, n));
  for (auto* k : {&k1_, &k2_, &k3_, &k4_})
    for (auto& term : *k) term.assign(d_, Matrix::Zero(n, n));
  for (auto& term : increment_) term.assign(d_, Matrix::Zero(n, n));
  total_trade_.assign(n_, 0.0);
  openness_.assign(n_, 0.0);
  row_taste_.assign(n_, 0.0);
  channel0_.assign(n_ * n_ * kChannels, 0.0);

  if (!spec.params.decide.influence.empty())
    for (std::size_t i = 0; i < n_; ++i)
      for (std::size_t k = 0; k < n_; ++k)
        influence_(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(k)) =
            spec.params.decide.influence[i * n_ + k];
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

// After relations changed in `state`: refresh the per-domain copy and the overall relations.
void InterdependenceModel::sync_relations(WorldState& state) {
  unpack_relations(state.relations, x_);
  compute_relation_overall(x_, overall_);
  std::copy(overall_.data(), overall_.data() + overall_.size(), state.relation_overall.begin());
}

// ---------------------------------------------------------------------------------------------
// Initial state and calibration (docs/model.md §5)

void InterdependenceModel::initialize(WorldState& state) {
  const auto N = static_cast<Eigen::Index>(n_);
  state.relations = spec_.relations;
  state.trade = spec_.trade;
  state.energy = spec_.energy;
  for (std::size_t i = 0; i < n_; ++i) state.gdp[i] = spec_.actors[i].gdp;
  for (std::size_t k = 0; k < i_; ++k)
    for (std::size_t m : spec_.institutions[k].members) state.membership[state.dims.member(m, k)] = 1;
  for (Eigen::Index i = 0; i < N; ++i)
    for (Eigen::Index j = 0; j < N; ++j) {
      const auto p = static_cast<std::size_t>(i * N + j);
      energy_capacity_(i, j) = spec_.energy_capacity[p];
      energy_cost_(i, j) = spec_.energy_cost[p];
    }
  unpack_relations(spec_.relations, x0_);
  sync_relations(state);

  state.corridor_open.resize(spec_.corridor_edges.size());
  for (std::size_t k = 0; k < spec_.corridor_edges.size(); ++k)
    state.corridor_open[k] = spec_.corridor_edges[k].open ? 1 : 0;
  update_routes(state);
  route0_ = route_;
  trade0_ = state.trade;
  gdp0_ = state.gdp;
  row_trade0_.assign(n_, 0.0);
  for (std::size_t i = 0; i < n_; ++i) {
    double bilateral = 0.0;
    for (std::size_t j = 0; j < n_; ++j) bilateral += state.trade[i * n_ + j] + state.trade[j * n_ + i];
    row_trade0_[i] = std::max(0.0, spec_.actors[i].total_trade - bilateral);
  }

  update_interdependence(state);  // shares at t0, needed by the cost wedge
  compute_trade_costs(state, tau_);
  tau0_.assign(tau_.data(), tau_.data() + tau_.size());

  // Gas supplier logit constants that reproduce the initial shares (§7.2.4).
  const FlowParams& fp = spec_.params.flows;
  for (std::size_t j = 0; j < n_; ++j) {
    const double demand = spec_.actors[j].energy_imports;
    if (demand <= 0.0) continue;
    double inflow = 0.0;
    for (std::size_t k = 0; k < n_; ++k) inflow += state.energy[k * n_ + j];
    const double outside_share = std::max(kMinOutsideShare, 1.0 - inflow / demand);
    row_taste_[j] = 0.0;
    const double outside_cost = spec_.actors[j].rest_of_world_energy_cost;
    for (std::size_t k = 0; k < n_; ++k) {
      const auto K = static_cast<Eigen::Index>(k), J = static_cast<Eigen::Index>(j);
      const double flow = state.energy[k * n_ + j];
      if (flow <= 0.0) continue;
      const double cost = effective_energy_cost(k, j, state);
      energy_taste_(K, J) = std::log(flow / demand / outside_share) + fp.energy_choice * (cost - outside_cost);
    }
  }
  compute_channels(state, channel_);
  for (std::size_t c = 0; c < kChannels; ++c)
    for (std::size_t p = 0; p < n_ * n_; ++p) channel0_[p * kChannels + c] = channel_[c].data()[p];
}

// ---------------------------------------------------------------------------------------------
// Phase 1: events (§7.1)

void InterdependenceModel::apply_impulse(std::size_t from, std::size_t to,
                                         const std::vector<std::size_t>& domains, double delta,
                                         WorldState& state) {
  const bool clamp = spec_.params.decide.clamp;
  auto hit = [&](std::size_t d) {
    double& r = state.relations[state.dims.rel(from, to, d)];
    const double moved = r + delta;
    const double kept = clamp ? clamp_relation(moved) : moved;
    state.add_contribution(from, to, d, term_index(Term::event), delta);
    state.add_contribution(from, to, d, term_index(Term::clamp), kept - moved);
    r = kept;
    // Part of the impulse lasts: the disposition the actor returns to moves with it.
    double& anchor = x0_[d](static_cast<Eigen::Index>(from), static_cast<Eigen::Index>(to));
    anchor = clamp_relation(anchor + spec_.params.decide.event_persistence * delta);
  };
  if (domains.empty())
    for (std::size_t d = 0; d < d_; ++d) hit(d);
  else
    for (std::size_t d : domains) hit(d);
}

void InterdependenceModel::apply_event(const EventSpec& e, std::size_t event_index,
                                       const StepClock& clock, WorldState& state, EventLog& log) {
  const DecideParams& p = spec_.params.decide;
  const auto A = static_cast<Eigen::Index>(e.actor);
  auto log_row = [&](std::size_t target, double goldstein) {
    log.events.push_back(AppliedEvent{clock.step, clock.time, event_index, e.actor, target, goldstein});
  };
  auto impulse = [&](std::size_t target) {
    if (e.goldstein == 0.0) return;
    const double delta = p.event_scale * e.goldstein;
    apply_impulse(e.actor, target, e.domains, delta, state);
    apply_impulse(target, e.actor, e.domains, (e.mutual ? 1.0 : p.event_reciprocal) * delta, state);
  };

  switch (e.kind) {
    case EventKind::impulse:
      for (std::size_t t : e.targets) {
        impulse(t);
        log_row(t, e.goldstein);
      }
      break;
    case EventKind::sanction:
      for (std::size_t t : e.targets) {
        sanction_(A, static_cast<Eigen::Index>(t)) += e.intensity;
        secondary_(A, static_cast<Eigen::Index>(t)) += e.secondary;
        any_secondary_ = any_secondary_ || e.secondary > 0.0;
        impulse(t);
        log_row(t, e.goldstein);
      }
      break;
    case EventKind::lift_sanction:
      for (std::size_t t : e.targets) {
        sanction_(A, static_cast<Eigen::Index>(t)) = 0.0;
        secondary_(A, static_cast<Eigen::Index>(t)) = 0.0;
        impulse(t);
        log_row(t, e.goldstein);
      }
      break;
    case EventKind::energy_link:
      for (std::size_t t : e.targets) {
        energy_capacity_(A, static_cast<Eigen::Index>(t)) = e.capacity;
        if (e.cost > 0.0) energy_cost_(A, static_cast<Eigen::Index>(t)) = e.cost;
        impulse(t);
        log_row(t, e.goldstein);
      }
      break;
    case EventKind::apply:
      // An actor that joined during the run has nothing to apply for.
      if (!state.membership[state.dims.member(e.actor, e.institution)])
        state.applicant[state.dims.member(e.actor, e.institution)] = 1;
      log_row(e.actor, e.goldstein);
      break;
    case EventKind::corridor:
      // Rare: recomputing shortest paths allocates (the only phase that does).
      state.corridor_open[e.corridor_edge] = e.open ? 1 : 0;
      update_routes(state);
      log_row(e.actor, e.goldstein);
      break;
  }
  sync_relations(state);
}

// ---------------------------------------------------------------------------------------------
// Phase 2: flows (§7.2)

// tau[i,j] = route factor * (1 + sanction wedge) * institution discounts * exp(-kappa Rbar_ij)
void InterdependenceModel::compute_trade_costs(const WorldState& state, Matrix& tau) {
  const FlowParams& fp = spec_.params.flows;
  const auto N = static_cast<Eigen::Index>(n_);
  // Secondary sanctions: third country i trading with target j pays in proportion to its trade
  // share with the sender s: sum_s TS[i,s] Q[s,j].
  if (any_secondary_) product_.noalias() = trade_share_ * secondary_;
  for (Eigen::Index i = 0; i < N; ++i) {
    for (Eigen::Index j = 0; j < N; ++j) {
      if (i == j) {
        tau(i, j) = 1.0;
        wedge_(i, j) = 0.0;
        continue;
      }
      double wedge = sanction_(i, j) + sanction_(j, i);
      if (any_secondary_) wedge += fp.secondary_exposure * (product_(i, j) + product_(j, i));
      wedge_(i, j) = wedge;

      const auto p = static_cast<std::size_t>(i * N + j);
      double route = 1.0;
      if (std::isfinite(route0_[p]) && route0_[p] > 0.0)
        route = std::isfinite(route_[p]) ? route_[p] / route0_[p] : kClosedRouteFactor;

      double discount = 1.0;
      for (std::size_t k = 0; k < i_; ++k)
        if (state.membership[state.dims.member(static_cast<std::size_t>(i), k)] &&
            state.membership[state.dims.member(static_cast<std::size_t>(j), k)])
          discount *= 1.0 - spec_.institutions[k].trade_cost_discount;

      const double rbar = 0.5 * (state.relation_overall[p] +
                                 state.relation_overall[static_cast<std::size_t>(j * N + i)]);
      tau(i, j) = route * (1.0 + wedge) * discount * std::exp(-fp.relation_cost * rbar);
    }
  }
}

double InterdependenceModel::effective_energy_cost(std::size_t k, std::size_t j,
                                                   const WorldState& state) const {
  const auto K = static_cast<Eigen::Index>(k), J = static_cast<Eigen::Index>(j);
  const double rbar = 0.5 * (state.relation_overall[k * n_ + j] + state.relation_overall[j * n_ + k]);
  return energy_cost_(K, J) * (1.0 + wedge_(K, J)) * std::exp(-spec_.params.flows.relation_cost * rbar);
}

// Importers split their gas demand between the links and the rest of the world by a calibrated
// logit on delivered cost, within link and supplier capacities (§7.2.4).
void InterdependenceModel::compute_energy_targets(const WorldState& state) {
  const FlowParams& fp = spec_.params.flows;
  const auto N = static_cast<Eigen::Index>(n_);
  energy_target_.setZero();
  for (Eigen::Index j = 0; j < N; ++j) {
    const double demand = spec_.actors[static_cast<std::size_t>(j)].energy_imports;
    if (demand <= 0.0) continue;
    const double outside_utility =
        row_taste_[static_cast<std::size_t>(j)] -
        fp.energy_choice * spec_.actors[static_cast<std::size_t>(j)].rest_of_world_energy_cost;
    double top = outside_utility;
    for (Eigen::Index k = 0; k < N; ++k)
      if (k != j && energy_capacity_(k, j) > 0.0) {
        const double u = energy_taste_(k, j) -
                         fp.energy_choice * effective_energy_cost(static_cast<std::size_t>(k),
                                                                  static_cast<std::size_t>(j), state);
        energy_target_(k, j) = u;  // utilities first, shares below
        top = std::max(top, u);
      }
    double denominator = std::exp(outside_utility - top);
    for (Eigen::Index k = 0; k < N; ++k)
      if (k != j && energy_capacity_(k, j) > 0.0) denominator += std::exp(energy_target_(k, j) - top);
    for (Eigen::Index k = 0; k < N; ++k) {
      if (k == j || energy_capacity_(k, j) <= 0.0) {
        energy_target_(k, j) = 0.0;
        continue;
      }
      const double share = std::exp(energy_target_(k, j) - top) / denominator;
      energy_target_(k, j) = std::min(energy_capacity_(k, j), share * demand);
    }
  }
  // A supplier cannot sell more than its export capacity: scale its sales down pro rata.
  for (Eigen::Index k = 0; k < N; ++k) {
    const double sold = energy_target_.row(k).sum();
    const double capacity = spec_.actors[static_cast<std::size_t>(k)].energy_export_capacity;
    if (sold > capacity && sold > 0.0) energy_target_.row(k) *= capacity / sold;
  }
}

void InterdependenceModel::update_flows(const StepClock& clock, WorldState& state) {
  const FlowParams& fp = spec_.params.flows;
  const double relax = 1.0 - std::exp(-clock.dt / fp.adjustment_years);
  for (std::size_t i = 0; i < n_; ++i) state.gdp[i] *= std::exp(spec_.actors[i].gdp_growth * clock.dt);

  compute_trade_costs(state, tau_);
  // Structural gravity divides by world output: X ~ Y_i Y_j / Y_world (the modelled actors'
  // GDP stands in for the world's).
  double world = 0.0, world0 = 0.0;
  for (std::size_t i = 0; i < n_; ++i) {
    world += state.gdp[i];
    world0 += gdp0_[i];
  }
  const double world_growth = world / world0;
  for (std::size_t i = 0; i < n_; ++i) {
    const double growth_i = std::pow(state.gdp[i] / gdp0_[i], fp.gdp_elasticity_origin);
    for (std::size_t j = 0; j < n_; ++j) {
      const std::size_t p = i * n_ + j;
      if (trade0_[p] <= 0.0) continue;  // gravity is calibrated per pair: no data, no flow
      const double growth_j = std::pow(state.gdp[j] / gdp0_[j], fp.gdp_elasticity_destination);
      const double cost = tau_.data()[p] / tau0_[p];
      const double target =
          trade0_[p] * growth_i * growth_j / world_growth * std::pow(cost, -fp.trade_cost_elasticity);
      state.trade[p] += relax * (target - state.trade[p]);
    }
  }

  compute_energy_targets(state);
  for (std::size_t p = 0; p < n_ * n_; ++p)
    state.energy[p] += relax * (energy_target_.data()[p] - state.energy[p]);
}

// ---------------------------------------------------------------------------------------------
// Phase 3: interdependence (§7.3)

void InterdependenceModel::update_interdependence(WorldState& state) {
  const auto N = static_cast<Eigen::Index>(n_);
  const double theta = spec_.params.flows.trade_cost_elasticity;
  for (std::size_t i = 0; i < n_; ++i) {
    double bilateral = 0.0, exported_gas = 0.0;
    for (std::size_t j = 0; j < n_; ++j) {
      bilateral += state.trade[i * n_ + j] + state.trade[j * n_ + i];
      exported_gas += state.energy[i * n_ + j];
    }
    total_trade_[i] = row_trade0_.empty() ? bilateral
                                          : row_trade0_[i] * state.gdp[i] / gdp0_[i] + bilateral;
    openness_[i] = total_trade_[i] / state.gdp[i];
    const double gas_imports = spec_.actors[i].energy_imports;
    for (std::size_t j = 0; j < n_; ++j) {
      const auto I = static_cast<Eigen::Index>(i), J = static_cast<Eigen::Index>(j);
      trade_share_(I, J) = total_trade_[i] > 0.0
                               ? (state.trade[i * n_ + j] + state.trade[j * n_ + i]) / total_trade_[i]
                               : 0.0;
      energy_share_(I, J) = gas_imports > 0.0 ? state.energy[j * n_ + i] / gas_imports : 0.0;
      export_share_(I, J) = exported_gas > 0.0 ? state.energy[i * n_ + j] / exported_gas : 0.0;
    }
  }
  for (Eigen::Index i = 0; i < N; ++i) {
    const ActorSpec& a = spec_.actors[static_cast<std::size_t>(i)];
    const double ed = a.energy_import_dependence;
    for (Eigen::Index j = 0; j < N; ++j) {
      const auto p = static_cast<std::size_t>(i * N + j);
      const double ts = trade_share_(i, j), es = energy_share_(i, j);
      state.sensitivity[p] = openness_[static_cast<std::size_t>(i)] * ts + ed * es;
      state.vulnerability[p] = openness_[static_cast<std::size_t>(i)] * partner_loss(ts, theta) +
                               ed * partner_loss(es, a.energy_substitution - 1.0);
    }
  }
  for (Eigen::Index i = 0; i < N; ++i) {
    double concentration = 0.0;
    for (Eigen::Index j = 0; j < N; ++j) {
      const auto p = static_cast<std::size_t>(i * N + j);
      state.leverage[p] = state.vulnerability[p] - state.vulnerability[static_cast<std::size_t>(j * N + i)];
      // Barbieri (1996): salience sqrt(TS_i TS_j) times symmetry 1 - |TS_i - TS_j|.
      const double ts_i = trade_share_(i, j), ts_j = trade_share_(j, i);
      state.barbieri[p] = std::sqrt(ts_i * ts_j) * (1.0 - std::abs(ts_i - ts_j));
      concentration += ts_i * ts_i;
    }
    // Hirschman (1945): sqrt(sum_k s_ik^2) over the modelled partners' shares of i's trade.
    state.hirschman[static_cast<std::size_t>(i)] = std::sqrt(concentration);
  }
}

// ---------------------------------------------------------------------------------------------
// Phase 4: decisions (§7.4)

void InterdependenceModel::compute_relation_overall(const std::vector<Matrix>& x, Matrix& r) const {
  r.setZero();
  for (std::size_t d = 0; d < d_; ++d)
    for (std::size_t i = 0; i < n_; ++i)
      r.row(static_cast<Eigen::Index>(i)) +=
          spec_.actors[i].interests[d] * x[d].row(static_cast<Eigen::Index>(i));
}

void InterdependenceModel::compute_channels(const WorldState& state, std::vector<Matrix>& channel) {
  const auto N = static_cast<Eigen::Index>(n_);
  channel[kTradeChannel] = trade_share_;
  channel[kEnergyChannel] = energy_share_ + export_share_;
  // Shared threat: sum_k pi_k max(0,-R[i,k]) max(0,-R[j,k]), pi = military capability shares.
  double military = 0.0;
  for (const auto& a : spec_.actors) military += a.military;
  for (Eigen::Index i = 0; i < N; ++i)
    for (Eigen::Index k = 0; k < N; ++k)
      hostility_(i, k) = std::max(0.0, -state.relation_overall[static_cast<std::size_t>(i * N + k)]);
  for (Eigen::Index k = 0; k < N; ++k) {
    const double weight = military > 0.0 ? spec_.actors[static_cast<std::size_t>(k)].military / military : 0.0;
    product_.col(k) = hostility_.col(k) * weight;
  }
  channel[kThreatChannel].noalias() = product_ * hostility_.transpose();
  // Shared institutions: the share of institutions both belong to.
  Matrix& shared = channel[kInstitutionChannel];
  shared.setZero();
  for (std::size_t k = 0; k < i_; ++k)
    for (Eigen::Index i = 0; i < N; ++i)
      if (state.membership[state.dims.member(static_cast<std::size_t>(i), k)])
        for (Eigen::Index j = 0; j < N; ++j)
          if (state.membership[state.dims.member(static_cast<std::size_t>(j), k)]) shared(i, j) += 1.0;
  if (i_ > 0) shared /= static_cast<double>(i_);
  for (std::size_t c = 0; c < kChannels; ++c) channel[c].diagonal().setZero();
}

// The drift of every relation under each term, for relations x (per domain), with flows,
// leverage, benefit targets and institutional damping held at their values for this step.
void InterdependenceModel::evaluate_drift(const std::vector<Matrix>& x, Drift& out) {
  const DecideParams& p = spec_.params.decide;
  const auto N = static_cast<Eigen::Index>(n_);
  const double nu = p.balance_normalize ? std::max(1.0, static_cast<double>(n_) - 2.0) : 1.0;
  const bool evolve_self = p.self_appraisal == SelfAppraisal::evolve;

  compute_relation_overall(x, overall_);
  hostility_ = (-overall_).cwiseMax(0.0);
  if (p.pressure > 0.0) pressure_sum_.noalias() = leverage_plus_ * hostility_;

  for (std::size_t d = 0; d < d_; ++d) {
    const Matrix& X = x[d];
    Matrix& balance = out[static_cast<std::size_t>(Term::balance)][d];
    Matrix& alignment = out[static_cast<std::size_t>(Term::alignment)][d];
    if (p.balance > 0.0) {
      balance.noalias() = X * X;  // sum_k r[i,k] r[k,j]: the O(N^3) heart of the step
      balance *= p.balance / nu;
    } else {
      balance.setZero();
    }
    if (p.alignment > 0.0) {
      alignment.noalias() = influence_ * X;  // sum_k W[i,k] r[k,j]
    }
    const double relative_interest = static_cast<double>(d_);
    for (Eigen::Index i = 0; i < N; ++i) {
      const ActorSpec& a = spec_.actors[static_cast<std::size_t>(i)];
      const double mu = a.responsiveness;
      const double benefit_rate = p.benefit * a.interests[d] * relative_interest;
      const double anchor_rate = p.anchor * a.inertia;
      const double pressure_rate = p.pressure * (1.0 - a.risk);
      for (Eigen::Index j = 0; j < N; ++j) {
        const double r = X(i, j);
        if (i == j) {
          for (std::size_t t = 0; t < kDriftTerms; ++t)
            if (t != static_cast<std::size_t>(Term::balance)) out[t][d](i, j) = 0.0;
          balance(i, j) = evolve_self ? mu * balance(i, j) : 0.0;
          continue;
        }
        out[static_cast<std::size_t>(Term::benefit)][d](i, j) = mu * benefit_rate * (target_[d](i, j) - r);
        out[static_cast<std::size_t>(Term::reciprocity)][d](i, j) = mu * p.reciprocity * (X(j, i) - r);
        out[static_cast<std::size_t>(Term::pressure)][d](i, j) =
            p.pressure > 0.0 ? -mu * pressure_rate * pressure_sum_(i, j) * 0.5 * (1.0 + r) : 0.0;
        balance(i, j) *= mu;
        // Alignment: j's view of itself is replaced by i's own view (no pull from it).
        alignment(i, j) = p.alignment > 0.0
                              ? mu * p.alignment *
                                    (alignment(i, j) - influence_(i, j) * X(j, j) + influence_(i, j) * r - r)
                              : 0.0;
        out[static_cast<std::size_t>(Term::anchor)][d](i, j) = mu * anchor_rate * (x0_[d](i, j) - r);
        out[static_cast<std::size_t>(Term::institutions)][d](i, j) =
            mu * p.institutions * damping_(i, j) * std::max(0.0, -r);
      }
    }
  }
}

void InterdependenceModel::decide(const StepClock& clock, WorldState& state, Rng& rng) {
  const DecideParams& p = spec_.params.decide;
  const auto N = static_cast<Eigen::Index>(n_);
  const double dt = clock.dt;

  // Inputs held fixed during the step.
  unpack_relations(state.relations, x_);
  for (Eigen::Index i = 0; i < N; ++i)
    for (Eigen::Index k = 0; k < N; ++k)
      leverage_plus_(i, k) = std::max(0.0, state.leverage[static_cast<std::size_t>(i * N + k)]);
  damping_.setZero();
  for (std::size_t k = 0; k < i_; ++k) {
    const double damp = spec_.institutions[k].conflict_damping;
    if (damp <= 0.0) continue;
    for (Eigen::Index i = 0; i < N; ++i)
      if (state.membership[state.dims.member(static_cast<std::size_t>(i), k)])
        for (Eigen::Index j = 0; j < N; ++j)
          if (i != j && state.membership[state.dims.member(static_cast<std::size_t>(j), k)])
            damping_(i, j) += damp;
  }
  if (p.alignment > 0.0 && p.influence.empty()) {
    // W[i,k] proportional to i's sensitivity to k: an actor listens to those it depends on.
    for (Eigen::Index i = 0; i < N; ++i) {
      double sum = 0.0;
      for (Eigen::Index k = 0; k < N; ++k)
        sum += k == i ? 0.0 : state.sensitivity[static_cast<std::size_t>(i * N + k)];
      for (Eigen::Index k = 0; k < N; ++k)
        influence_(i, k) = sum > 0.0 ? (k == i ? 0.0 : state.sensitivity[static_cast<std::size_t>(i * N + k)] / sum)
                                     : (k == i ? 1.0 : 0.0);
    }
  }
  if (p.benefit > 0.0) {
    compute_channels(state, channel_);
    // Log change of each channel since t0, once per pair; the domains only weigh them.
    for (std::size_t c = 0; c < kChannels; ++c) {
      bool used = false;
      for (const DomainSpec& dom : spec_.domains) used = used || channel_weight(dom, c) > 0.0;
      if (!used) continue;
      double* change = channel_[c].data();
      for (std::size_t pr = 0; pr < n_ * n_; ++pr)
        change[pr] = std::log((change[pr] + kChannelFloor) / (channel0_[pr * kChannels + c] + kChannelFloor));
    }
    for (std::size_t d = 0; d < d_; ++d) {
      for (std::size_t pr = 0; pr < n_ * n_; ++pr) {
        double signal = 0.0;
        for (std::size_t c = 0; c < kChannels; ++c) {
          const double weight = channel_weight(spec_.domains[d], c);
          if (weight > 0.0) signal += weight * channel_[c].data()[pr];
        }
        target_[d].data()[pr] = clamp_relation(x0_[d].data()[pr] + std::tanh(p.benefit_gain * signal));
      }
    }
  }

  // Integrate the drift over the step: Euler or classical Runge-Kutta (docs/model.md §7.4.4).
  if (p.integrator == Integrator::euler) {
    evaluate_drift(x_, k1_);
    for (std::size_t t = 0; t < kDriftTerms; ++t)
      for (std::size_t d = 0; d < d_; ++d) increment_[t][d] = dt * k1_[t][d];
  } else {
    auto stage = [&](const Drift& k, double h) {
      for (std::size_t d = 0; d < d_; ++d) {
        stage_[d] = x_[d];
        for (std::size_t t = 0; t < kDriftTerms; ++t) stage_[d] += h * k[t][d];
      }
    };
    evaluate_drift(x_, k1_);
    stage(k1_, 0.5 * dt);
    evaluate_drift(stage_, k2_);
    stage(k2_, 0.5 * dt);
    evaluate_drift(stage_, k3_);
    stage(k3_, dt);
    evaluate_drift(stage_, k4_);
    for (std::size_t t = 0; t < kDriftTerms; ++t)
      for (std::size_t d = 0; d < d_; ++d)
        increment_[t][d] = (dt / 6.0) * (k1_[t][d] + 2.0 * k2_[t][d] + 2.0 * k3_[t][d] + k4_[t][d]);
  }

  // Combine: bound the drift's rate, add noise, clamp; record every part (§7.4.5).
  const double bound = p.max_change_per_year * dt;
  const double sqrt_dt = std::sqrt(dt);
  for (Eigen::Index i = 0; i < N; ++i) {
    const double sigma = spec_.actors[static_cast<std::size_t>(i)].noise * sqrt_dt;
    for (Eigen::Index j = 0; j < N; ++j) {
      if (i == j && p.self_appraisal == SelfAppraisal::fixed) continue;
      for (std::size_t d = 0; d < d_; ++d) {
        const auto I = static_cast<std::size_t>(i), J = static_cast<std::size_t>(j);
        double drift = 0.0;
        for (std::size_t t = 0; t < kDriftTerms; ++t) {
          const double inc = increment_[t][d](i, j);
          drift += inc;
          state.add_contribution(I, J, d, t, inc);
        }
        const double bounded = std::abs(drift) > bound ? std::copysign(bound, drift) : drift;
        // Drawn for every pair, even at sigma = 0, so that the sequence of draws does not depend
        // on the noise levels (runs that differ in them still share their random numbers).
        const double noise = i != j ? sigma * rng.normal() : 0.0;
        const double moved = x_[d](i, j) + bounded + noise;
        const double kept = p.clamp ? clamp_relation(moved) : moved;
        state.add_contribution(I, J, d, term_index(Term::noise), noise);
        state.add_contribution(I, J, d, term_index(Term::clamp), (bounded - drift) + (kept - moved));
        state.relations[state.dims.rel(I, J, d)] = kept;
      }
    }
  }
  sync_relations(state);
}

// ---------------------------------------------------------------------------------------------
// Phase 5: institutions (§7.5)

// Route costs over the corridor edges open in `state` (engine/network/corridors.hpp).
void InterdependenceModel::update_routes(const WorldState& state) {
  route_ = corridor_routes(spec_.corridor_nodes.size(), n_, spec_.corridor_edges, state.corridor_open).cost;
}

bool InterdependenceModel::summit_in_step(const StepClock& clock, int summit_month) const {
  if (summit_month <= 0) return false;
  const double per_step = 12.0 / spec_.time.steps_per_year;  // months per step
  const auto first = static_cast<std::int64_t>(std::floor(static_cast<double>(clock.step) * per_step + 1e-9));
  const auto last = static_cast<std::int64_t>(std::floor(static_cast<double>(clock.step + 1) * per_step + 1e-9));
  for (std::int64_t m = first; m < last; ++m)
    if ((spec_.time.start_month - 1 + m) % 12 + 1 == summit_month) return true;
  return false;
}

void InterdependenceModel::run_institutions(const StepClock& clock, WorldState& state, Rng& rng,
                                            EventLog& log) {
  for (std::size_t k = 0; k < i_; ++k) {
    const InstitutionSpec& inst = spec_.institutions[k];
    if (!summit_in_step(clock, inst.summit_month)) continue;
    for (std::size_t a = 0; a < n_; ++a) {
      if (!state.applicant[state.dims.member(a, k)]) continue;
      int yes = 0, no = 0;
      double strength_for = 0.0, strength_against = 0.0;
      for (std::size_t m = 0; m < n_; ++m) {
        if (m == a || !state.membership[state.dims.member(m, k)]) continue;
        const double utility = state.relation_overall[m * n_ + a] - inst.admission_threshold;
        (utility >= 0.0 ? yes : no) += 1;
        // Probabilistic Condorcet Election vote: capability-weighted utility difference.
        const double vote = spec_.actors[m].military * utility;
        strength_for += std::max(0.0, vote);
        strength_against += std::max(0.0, -vote);
      }
      double probability = 0.0;
      bool admitted = false;
      switch (inst.rule) {
        case AdmissionRule::consensus:
          admitted = no == 0;
          probability = admitted ? 1.0 : 0.0;
          break;
        case AdmissionRule::majority:
          admitted = yes + no == 0 || 2 * yes > yes + no;  // nobody to object: admitted
          probability = admitted ? 1.0 : 0.0;
          break;
        case AdmissionRule::pce: {
          const double cf = std::pow(strength_for, inst.pce_exponent);
          const double ca = std::pow(strength_against, inst.pce_exponent);
          probability = cf + ca > 0.0 ? cf / (cf + ca) : 0.5;
          // Keyed by (step, institution, applicant): independent of the noise draws.
          admitted = rng.uniform_at(static_cast<std::uint64_t>(clock.step), k, a) < probability;
          break;
        }
      }
      log.admissions.push_back(AdmissionDecision{clock.step, clock.time, k, a, yes, no, probability, admitted});
      if (admitted) {
        state.membership[state.dims.member(a, k)] = 1;
        state.applicant[state.dims.member(a, k)] = 0;
      }
    }
  }
}

}  // namespace interdep
