// Phase 1 of a step: scheduled events (docs/model.md §7.1). They move relations and their
// anchors (impulses), the sanction matrices, gas links, the corridor graph and applications.
#include "models/interdependence/interdependence_model.hpp"

#include <cmath>

#include "engine/network/corridors.hpp"

namespace interdep {

void InterdependenceModel::apply_impulse(std::size_t from, std::size_t to,
                                         const std::vector<std::size_t>& domains, double delta,
                                         WorldState& state) {
  const bool clamp = spec_.params.decide.clamp;
  auto hit = [&](std::size_t d) {
    double& r = state.relations[state.dims.rel(from, to, d)];
    const double moved = r + delta;
    const double kept = clamp ? clamp_relation(moved) : moved;
    // Recorded by decide, which sets this step's contributions (no allocation: reserved).
    if (state.terms > 0)
      impulses_.push_back(Impulse{from, state.dims.rel(from, to, d), delta, kept - moved});
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
    log.events.push_back(
        AppliedEvent{clock.step, clock.time, event_index, e.actor, target, goldstein});
  };
  // A sanction's target answers with its own events (counter-sanctions are explicit), so a
  // sanction or its lifting moves only the sender's relation unless it is mutual; any other
  // impulse is felt back in part (event_reciprocal).
  const double reverse = reverse_impulse_share(e.kind, e.mutual, p);
  auto impulse = [&](std::size_t target) {
    if (e.goldstein == 0.0) return;
    const double delta = p.event_scale * e.goldstein;
    apply_impulse(e.actor, target, e.domains, delta, state);
    if (reverse != 0.0) apply_impulse(target, e.actor, e.domains, reverse * delta, state);
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
        const auto T = static_cast<Eigen::Index>(t);
        const bool exports = e.direction != FlowDirection::imports;
        const bool imports = e.direction != FlowDirection::exports;
        if (e.sanction_type == SanctionType::trade) {
          if (e.direction == FlowDirection::both)
            sanction_(A, T) += e.intensity;
          else if (exports)
            export_sanction_(A, T) += e.intensity;
          else
            import_sanction_(A, T) += e.intensity;
          secondary_(A, T) += e.secondary;
          any_secondary_ = any_secondary_ || e.secondary > 0.0;
        } else if (e.sanction_type == SanctionType::financial) {
          // Blocked shares combine: a second sanction blocks a share of what still flows.
          if (exports)
            finance_cut_out_(A, T) = 1.0 - (1.0 - finance_cut_out_(A, T)) * (1.0 - e.intensity);
          if (imports)
            finance_cut_in_(A, T) = 1.0 - (1.0 - finance_cut_in_(A, T)) * (1.0 - e.intensity);
          state.finance[e.actor * n_ + t] = finance_flow(e.actor, t);
          state.finance[t * n_ + e.actor] = finance_flow(t, e.actor);
        }  // arms, travel, other: the impulse only
        impulse(t);
        log_row(t, e.goldstein);
      }
      break;
    case EventKind::lift_sanction:
      for (std::size_t t : e.targets) {
        const auto T = static_cast<Eigen::Index>(t);
        if (e.persistence > 0.0) {
          // The lifted trade costs fade over the persistence instead of at once.
          lingering_(A, T) += sanction_(A, T) + export_sanction_(A, T);
          lingering_(T, A) += sanction_(A, T) + import_sanction_(A, T);
          lingering_rate_(A, T) = lingering_rate_(T, A) = 1.0 / e.persistence;
        }
        for (Matrix* m : {&sanction_, &secondary_, &export_sanction_, &import_sanction_,
                          &finance_cut_out_, &finance_cut_in_})
          (*m)(A, T) = 0.0;
        state.finance[e.actor * n_ + t] = finance_flow(e.actor, t);
        state.finance[t * n_ + e.actor] = finance_flow(t, e.actor);
        impulse(t);
        log_row(t, e.goldstein);
      }
      break;
    case EventKind::trade_cost:
      for (std::size_t t : e.targets) {
        const auto T = static_cast<Eigen::Index>(t);
        if (e.direction != FlowDirection::imports) tariff_(A, T) = e.intensity;
        if (e.direction != FlowDirection::exports) tariff_(T, A) = e.intensity;
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
    case EventKind::finance:
      apply_finance_event(e, state);
      for (std::size_t t : e.targets) {
        impulse(t);
        log_row(t, e.goldstein);
      }
      break;
    case EventKind::programme:
      apply_finance_event(e, state);
      log_row(e.actor, e.goldstein);
      break;
    case EventKind::join:
      // A member that is not an actor votes from its joined step, which the event set.
      if (!e.other_member) {
        state.membership[state.dims.member(e.actor, e.institution)] = 1;
        state.applicant[state.dims.member(e.actor, e.institution)] = 0;
      }
      log_row(e.actor, e.goldstein);
      break;
    case EventKind::leave:
      if (!e.other_member) state.membership[state.dims.member(e.actor, e.institution)] = 0;
      log_row(e.actor, e.goldstein);
      break;
    case EventKind::import_capacity:
      import_capacity_[e.actor] = e.capacity;
      log_row(e.actor, e.goldstein);
      break;
    case EventKind::corridor:
      // Rare: recomputing shortest paths allocates (the only phase that does).
      state.corridor_open[e.corridor_edge] = e.open ? 1 : 0;
      update_routes(state);
      update_route_factors();
      log_row(e.actor, e.goldstein);
      break;
  }
  sync_relations(state);
}

// Route costs over the corridor edges open in `state` (engine/network/corridors.hpp).
void InterdependenceModel::update_routes(const WorldState& state) {
  route_ = corridor_route_costs(spec_.corridor_nodes.size(), n_, spec_.corridor_edges,
                                state.corridor_open);
}

namespace {
constexpr double kClosedRouteFactor = 1000.0;  // trade-cost factor when no corridor route is open
}  // namespace

// Each pair's route factor of tau from its route now and at t0 (§7.2.1). The trade of a pair
// whose route cost goes from d0 to d moves by (d/d0)^-delta, whatever theta: delta is the
// distance elasticity of trade (about 1), where the factor d/d0 alone moved it by (d/d0)^-theta.
void InterdependenceModel::update_route_factors() {
  const FlowParams& fp = spec_.params.flows;
  const double exponent = fp.route_elasticity / fp.trade_cost_elasticity;
  route_factor_.assign(route_.size(), 1.0);
  for (std::size_t p = 0; p < route_.size(); ++p) {
    if (!(std::isfinite(route0_[p]) && route0_[p] > 0.0)) continue;
    if (!std::isfinite(route_[p]))
      route_factor_[p] = kClosedRouteFactor;
    else if (route_[p] != route0_[p])
      route_factor_[p] = std::pow(route_[p] / route0_[p], exponent);
  }
}

}  // namespace interdep
