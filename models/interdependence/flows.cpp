// Phase 2 of a step: trade and gas flows (docs/model.md §7.2). Trade relaxes toward a gravity
// target scaled by the change of trade costs since t0; gas toward a calibrated logit split of
// each importer's demand.
#include "models/interdependence/interdependence_model.hpp"

#include <algorithm>
#include <cmath>

namespace interdep {

namespace {

// Logit constant of the rest-of-world gas option. The constants are identified only relative to
// one option, so the outside one is the reference: 0, and energy_taste_ is calibrated against it.
constexpr double kOutsideTaste = 0.0;

}  // namespace

// tau[i,j] = route factor * (1 + wedge) * institution discounts * exp(-kappa Rbar_ij); the wedge
// of flow i -> j sums the pair's sanctions both ways, i's on its exports, j's on its imports,
// trade-cost shocks on the flow, and the secondary part.
void InterdependenceModel::compute_trade_costs(const WorldState& state, Matrix& tau) {
  const FlowParams& fp = spec_.params.flows;
  const auto N = static_cast<Eigen::Index>(n_);
  // Secondary sanctions: third country i trading with target j pays in proportion to its trade
  // share with the sender s: sum_s TS[i,s] Q[s,j].
  if (any_secondary_) multiply_into(trade_share_, secondary_, product_);
  // Anticipated trade sanctions: the cost rises linearly over the `anticipation` years before
  // the sanction's date, until the step the event applies it in full (the step whose start is
  // at or before its date; a date between two steps' starts gets no ramp on top of it).
  if (!anticipated_events_.empty()) {
    anticipated_.setZero();
    for (std::size_t k : anticipated_events_) {
      const EventSpec& e = spec_.events[k];
      const double from = e.date - e.anticipation;
      if (state.time < from || state.step >= e.step) continue;
      const double ramp = e.intensity * (state.time - from) / e.anticipation;
      const auto A = static_cast<Eigen::Index>(e.actor);
      for (std::size_t t : e.targets) {
        const auto T = static_cast<Eigen::Index>(t);
        if (e.direction != FlowDirection::imports) anticipated_(A, T) += ramp;
        if (e.direction != FlowDirection::exports) anticipated_(T, A) += ramp;
      }
    }
  }
  refresh_membership(state);  // trade_discount_, read by the pairs below
  // exp(-c rbar) is the same for (i, j) and (j, i), rbar being their mean relation (the sum's
  // terms swap places, which leaves it unchanged): computed once per pair, at (min, max).
  for_row_blocks([&](std::size_t first, std::size_t last) {
    for (auto i = static_cast<Eigen::Index>(first); i < static_cast<Eigen::Index>(last); ++i)
      for (Eigen::Index j = i + 1; j < N; ++j) {
        const double rbar = 0.5 * (state.relation_overall[static_cast<std::size_t>(i * N + j)] +
                                   state.relation_overall[static_cast<std::size_t>(j * N + i)]);
        mean_relation_(i, j) = rbar;
        relation_factor_(i, j) = std::exp(-fp.relation_cost * rbar);
      }
  });
  for_row_blocks([&](std::size_t first, std::size_t last) {
    for (auto i = static_cast<Eigen::Index>(first); i < static_cast<Eigen::Index>(last); ++i) {
      for (Eigen::Index j = 0; j < N; ++j) {
        if (i == j) {
          tau(i, j) = 1.0;
          cost_rest_(i, j) = 1.0;
          wedge_(i, j) = 0.0;
          continue;
        }
        double wedge = sanction_(i, j) + sanction_(j, i) + export_sanction_(i, j) +
                       import_sanction_(j, i) + tariff_(i, j) + anticipated_(i, j) +
                       lingering_(i, j);
        if (any_secondary_) wedge += fp.secondary_exposure * (product_(i, j) + product_(j, i));
        wedge_(i, j) = wedge;

        const auto p = static_cast<std::size_t>(i * N + j);
        const double route = route_factor_[p];

        cost_rest_(i, j) = route * (1.0 + wedge) * trade_discount_(i, j);
        tau(i, j) = cost_rest_(i, j) *
                    relation_factor(static_cast<std::size_t>(i), static_cast<std::size_t>(j));
      }
    }
  });
}

double InterdependenceModel::effective_energy_cost(std::size_t k, std::size_t j) const {
  const auto K = static_cast<Eigen::Index>(k), J = static_cast<Eigen::Index>(j);
  return energy_cost_(K, J) * (1.0 + wedge_(K, J)) * relation_factor(k, j);
}

// Importers split the gas they can land (their need within their import capacity) between the
// links and the rest of the world by a calibrated logit on delivered cost. A full link's excess
// goes to the other options; a supplier short of export capacity sells less (§7.2.4).
void InterdependenceModel::compute_energy_targets(const WorldState& state) {
  const FlowParams& fp = spec_.params.flows;
  const auto N = static_cast<Eigen::Index>(n_);
  energy_target_.setZero();
  std::fill(outside_target_.begin(), outside_target_.end(), 0.0);
  for (Eigen::Index j = 0; j < N; ++j) {
    const double demand = landable(static_cast<std::size_t>(j), state);
    if (demand <= 0.0) continue;
    const double outside_utility =
        kOutsideTaste -
        fp.energy_choice * spec_.actors[static_cast<std::size_t>(j)].rest_of_world_energy_cost;
    double top = outside_utility;
    for (Eigen::Index k = 0; k < N; ++k)
      if (k != j && energy_capacity_(k, j) > 0.0) {
        const double u = energy_taste_(k, j) -
                         fp.energy_choice * effective_energy_cost(static_cast<std::size_t>(k),
                                                                  static_cast<std::size_t>(j));
        energy_target_(k, j) = u;  // utilities first, shares below
        top = std::max(top, u);
      }
    // Logit weights; a link whose share of what is left exceeds its capacity runs full, and the
    // rest is split again among the other options (a link capped once stays capped: removing
    // it only raises the others' shares). At most N rounds.
    double outside_weight = std::exp(outside_utility - top);
    for (Eigen::Index k = 0; k < N; ++k)  // each link's weight, once for every round below
      link_weight_[static_cast<std::size_t>(k)] =
          k != j && energy_capacity_(k, j) > 0.0 ? std::exp(energy_target_(k, j) - top) : 0.0;
    std::fill(link_full_.begin(), link_full_.end(), 0);
    double left = demand;
    for (std::size_t round = 0; round <= n_; ++round) {
      double denominator = outside_weight;
      for (Eigen::Index k = 0; k < N; ++k)
        if (k != j && energy_capacity_(k, j) > 0.0 && !link_full_[static_cast<std::size_t>(k)])
          denominator += link_weight_[static_cast<std::size_t>(k)];
      // Every option left so far below the full links' utilities that its weight underflowed
      // to 0 (a link priced 10^6 times the others: 0 / 0 would split what is left): the weights
      // of those left, again against the best of them (the same shares, in exact arithmetic).
      if (!(denominator > 0.0)) {
        double best = outside_utility;
        for (Eigen::Index k = 0; k < N; ++k)
          if (k != j && energy_capacity_(k, j) > 0.0 && !link_full_[static_cast<std::size_t>(k)])
            best = std::max(best, energy_target_(k, j));  // the utilities, until the shares
        outside_weight = std::exp(outside_utility - best);
        denominator = outside_weight;
        for (Eigen::Index k = 0; k < N; ++k)
          if (k != j && energy_capacity_(k, j) > 0.0 && !link_full_[static_cast<std::size_t>(k)]) {
            link_weight_[static_cast<std::size_t>(k)] = std::exp(energy_target_(k, j) - best);
            denominator += link_weight_[static_cast<std::size_t>(k)];
          }
      }
      bool capped = false;
      for (Eigen::Index k = 0; k < N; ++k) {
        if (k == j || energy_capacity_(k, j) <= 0.0 || link_full_[static_cast<std::size_t>(k)])
          continue;
        const double share = link_weight_[static_cast<std::size_t>(k)] / denominator;
        if (share * left > energy_capacity_(k, j)) {
          link_full_[static_cast<std::size_t>(k)] = 1;
          capped = true;
        }
      }
      if (capped) {
        for (Eigen::Index k = 0; k < N; ++k)
          if (link_full_[static_cast<std::size_t>(k)] == 1) {
            left -= energy_capacity_(k, j);
            link_full_[static_cast<std::size_t>(k)] = 2;  // counted
          }
        continue;
      }
      for (Eigen::Index k = 0; k < N; ++k) {
        if (k == j || energy_capacity_(k, j) <= 0.0) {
          energy_target_(k, j) = 0.0;
          continue;
        }
        if (link_full_[static_cast<std::size_t>(k)]) {
          energy_target_(k, j) = energy_capacity_(k, j);
          continue;
        }
        const double share = link_weight_[static_cast<std::size_t>(k)] / denominator;
        energy_target_(k, j) = share * left;
      }
      outside_target_[static_cast<std::size_t>(j)] = outside_weight / denominator * left;
      break;
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
  for (std::size_t i = 0; i < n_; ++i) {
    // exp(g dt) again only when the rate or the step changed (a growth path changes it yearly).
    const double exponent = spec_.actors[i].gdp_growth_at(clock.time) * clock.dt;
    if (exponent != growth_exponent_[i]) {
      growth_exponent_[i] = exponent;
      growth_factor_[i] = std::exp(exponent);
    }
    const double growth = growth_factor_[i];
    state.gdp[i] *= growth;
    // Finance received grows with the recipient's economy (programmes do not: they are sums
    // agreed in US$).
    for (std::size_t j = 0; j < n_; ++j) {
      FinanceFlowSpec& f = finance_[j * n_ + i];
      if (f.total() <= 0.0) continue;
      for (double* part : {&f.aid, &f.lending, &f.investment, &f.remittances}) *part *= growth;
      state.finance[j * n_ + i] = finance_flow(j, i);
    }
  }

  // Lifted trade sanctions fade with their persistence.
  for (Eigen::Index i = 0; i < lingering_.rows(); ++i)
    for (Eigen::Index j = 0; j < lingering_.cols(); ++j)
      if (lingering_(i, j) != 0.0) lingering_(i, j) *= std::exp(-clock.dt * lingering_rate_(i, j));
  compute_trade_costs(state, tau_);
  if (fp.gravity == Gravity::structural) {
    solve_gravity(state);
    for (std::size_t i = 0; i < n_; ++i) {
      const auto I = static_cast<Eigen::Index>(i), W = static_cast<Eigen::Index>(n_);
      for (std::size_t j = 0; j < n_; ++j) {
        const std::size_t p = i * n_ + j;
        if (trade0_[p] <= 0.0) continue;
        state.trade[p] += relax * (gravity_flow_(I, static_cast<Eigen::Index>(j)) - state.trade[p]);
      }
      row_trade_[i] += relax * (gravity_flow_(I, W) + gravity_flow_(W, I) - row_trade_[i]);
    }
  } else {
    update_partial_gravity(state, relax);
  }

  for (std::size_t i = 0; i < n_; ++i)
    state.energy_demand[i] =
        spec_.actors[i].energy_demand_at(clock.time + clock.dt, spec_.time.start);
  compute_energy_targets(state);
  // Flows move toward their targets, but a link never carries more than its capacity: when an
  // event lowers a capacity below the flow (a supplier's stop, a damaged line), the excess stops
  // in that step rather than fading over the adjustment time (docs/model.md §7.2.4).
  const double* const capacity = energy_capacity_.data();
  for (std::size_t p = 0; p < n_ * n_; ++p)
    state.energy[p] = std::min(
        state.energy[p] + relax * (energy_target_.data()[p] - state.energy[p]), capacity[p]);
  for (std::size_t j = 0; j < n_; ++j)
    energy_outside_[j] += relax * (outside_target_[j] - energy_outside_[j]);
  // Nor does an importer land more than its import capacity: when an import_capacity event
  // lowers it below what arrives (a damaged terminal, a line shut), every inflow, the rest of
  // the world's too, is scaled down to it in that step, as a cut link's flow is (§7.2.4). The
  // targets never ask for more, so otherwise only a sum's rounding (1e-12 of it) can exceed it.
  for (std::size_t j = 0; j < n_; ++j) {
    const double limit = import_capacity_[j];
    if (limit <= 0.0) continue;  // no limit
    double landed = energy_outside_[j];
    for (std::size_t k = 0; k < n_; ++k) landed += state.energy[k * n_ + j];
    if (landed <= limit * (1.0 + kGasSumRounding)) continue;
    const double scale = limit / landed;
    for (std::size_t k = 0; k < n_; ++k) state.energy[k * n_ + j] *= scale;
    energy_outside_[j] *= scale;
  }
}

// Partial gravity (0.1): each pair against its own t0, X ~ Y_i^a Y_j^b / Y_world tau^-theta, with
// multilateral resistance fixed; trade with the rest of the world grows with own GDP.
void InterdependenceModel::update_partial_gravity(WorldState& state, double relax) {
  const FlowParams& fp = spec_.params.flows;
  for (std::size_t i = 0; i < n_; ++i) row_trade_[i] = row_trade0_[i] * state.gdp[i] / gdp0_[i];
  // Structural gravity divides by world output: X ~ Y_i Y_j / Y_world (the modelled actors'
  // GDP stands in for the world's).
  double world = 0.0, world0 = 0.0;
  for (std::size_t i = 0; i < n_; ++i) {
    world += state.gdp[i];
    world0 += gdp0_[i];
  }
  const double world_growth = world / world0;
  // Each destination's growth term once a step, not once a pair (the same pow, the same bits).
  for (std::size_t j = 0; j < n_; ++j)
    destination_growth_[j] = std::pow(state.gdp[j] / gdp0_[j], fp.gdp_elasticity_destination);
  for (std::size_t i = 0; i < n_; ++i) {
    const double growth_i = std::pow(state.gdp[i] / gdp0_[i], fp.gdp_elasticity_origin);
    for (std::size_t j = 0; j < n_; ++j) {
      const std::size_t p = i * n_ + j;
      if (trade0_[p] <= 0.0) continue;  // gravity is calibrated per pair: no data, no flow
      const double growth_j = destination_growth_[j];
      const double cost = tau_.data()[p] / tau0_[p];
      const double target = trade0_[p] * growth_i * growth_j / world_growth *
                            std::pow(cost, -fp.trade_cost_elasticity);
      state.trade[p] += relax * (target - state.trade[p]);
    }
  }
}

}  // namespace interdep
