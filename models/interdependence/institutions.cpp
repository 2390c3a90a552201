// Phase 5 of a step: institutions (docs/model.md §7.5). At an institution's summit its members
// vote on every pending application by the institution's rule: consensus, majority or a
// Probabilistic Condorcet Election.
#include "models/interdependence/interdependence_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace interdep {
namespace {

// P = c^m / (c^m + c'^m) of a Probabilistic Condorcet Election, c and c' the strengths for and
// against (>= 0, capability x salience x utility), m > 0. Where c^m or c'^m is beyond doubles
// (a capability of 1e200 US$ bn squared overflows to inf, inf / inf is NaN; 1e-200 squared
// underflows to 0, and 0 / 0 read as a tie), the same ratio from the strengths' own ratio, which
// lies in [0, 1] and so cannot overflow. Elsewhere the direct form, bit for bit as before.
double pce_probability(double strength_for, double strength_against, double m) {
  const double cf = std::pow(strength_for, m);
  const double ca = std::pow(strength_against, m);
  if (std::isfinite(cf + ca) && cf + ca > 0.0) return cf / (cf + ca);
  if (strength_for == strength_against) return 0.5;  // nobody for or against, or both infinite
  if (strength_for > strength_against)
    return 1.0 / (1.0 + std::pow(strength_against / strength_for, m));
  const double r = std::pow(strength_for / strength_against, m);
  return r / (1.0 + r);
}

}  // namespace

std::pair<std::int64_t, std::int64_t> InterdependenceModel::months_of_step(
    const StepClock& clock) const {
  const double per_step = 12.0 / spec_.time.steps_per_year;  // months per step
  const auto first =
      static_cast<std::int64_t>(std::floor(static_cast<double>(clock.step) * per_step + 1e-9));
  const auto last =
      static_cast<std::int64_t>(std::floor(static_cast<double>(clock.step + 1) * per_step + 1e-9));
  return {first, last};
}

bool InterdependenceModel::summit_in_step(const StepClock& clock, int summit_month) const {
  if (summit_month <= 0) return false;
  const auto [first, last] = months_of_step(clock);
  for (std::int64_t m = first; m < last; ++m)
    if ((spec_.time.start_month - 1 + m) % 12 + 1 == summit_month) return true;
  return false;
}

// Each matrix summed over the institutions in their order, as the phases once summed it pair by
// pair: the same bits whether rebuilt this step or kept from the last.
void InterdependenceModel::refresh_membership(const WorldState& state) {
  if (membership_built_ && state.membership == membership_seen_) return;
  membership_seen_ = state.membership;
  membership_built_ = true;
  const auto N = static_cast<Eigen::Index>(n_);
  auto member = [&](Eigen::Index i, std::size_t k) {
    return state.membership[state.dims.member(static_cast<std::size_t>(i), k)] != 0;
  };
  shared_institutions_.setZero();
  damping_.setZero();
  trade_discount_.setOnes();
  for (std::size_t k = 0; k < i_; ++k) {
    const InstitutionSpec& inst = spec_.institutions[k];
    for (Eigen::Index i = 0; i < N; ++i) {
      if (!member(i, k)) continue;
      for (Eigen::Index j = 0; j < N; ++j) {
        if (!member(j, k)) continue;
        shared_institutions_(i, j) += 1.0;
        if (i == j) continue;
        if (inst.conflict_damping > 0.0) damping_(i, j) += inst.conflict_damping;
        trade_discount_(i, j) *= 1.0 - inst.trade_cost_discount;
      }
    }
  }
  if (i_ > 0) shared_institutions_ /= static_cast<double>(i_);
}

bool InterdependenceModel::applied_after_summit(const StepClock& clock, std::size_t institution,
                                                std::size_t applicant, int summit_month) const {
  // The end of the summit's month [decimal year]: the month index from the start month.
  const auto [first, last] = months_of_step(clock);
  std::int64_t month = first;
  while (month < last && (spec_.time.start_month - 1 + month) % 12 + 1 != summit_month) ++month;
  const double summit_month_end = spec_.time.start + static_cast<double>(month + 1) / 12.0;
  return std::any_of(spec_.events.begin(), spec_.events.end(), [&](const EventSpec& e) {
    return e.kind == EventKind::apply && e.step == clock.step && e.actor == applicant &&
           e.institution == institution && e.date >= summit_month_end - 1e-9;
  });
}

void InterdependenceModel::run_institutions(const StepClock& clock, WorldState& state, Rng& rng,
                                            EventLog& log) {
  review_programmes(clock, state);
  for (std::size_t k = 0; k < i_; ++k) {
    const InstitutionSpec& inst = spec_.institutions[k];
    if (!summit_in_step(clock, inst.summit_month)) continue;
    for (std::size_t a = 0; a < n_; ++a) {
      if (!state.applicant[state.dims.member(a, k)]) continue;
      // A step longer than a month may hold the summit and, after its month, an application
      // (a yearly step: a March summit, a September application): it waits for the next summit,
      // not decided before it was made.
      if (applied_after_summit(clock, k, a, inst.summit_month)) continue;
      int yes = 0, no = 0;
      double strength_for = 0.0, strength_against = 0.0;
      for (std::size_t m = 0; m < n_; ++m) {
        if (m == a || !state.membership[state.dims.member(m, k)]) continue;
        const double utility = state.relation_overall[m * n_ + a] - inst.admission_threshold;
        (utility >= 0.0 ? yes : no) += 1;
        // Probabilistic Condorcet Election vote: capability times salience (the voter's interest
        // in the domains the institution serves) times the utility difference.
        double salience = inst.domains.empty() ? 1.0 : 0.0;
        for (std::size_t d : inst.domains) salience += spec_.actors[m].interests[d];
        const double vote = spec_.actors[m].military * salience * utility;
        strength_for += std::max(0.0, vote);
        strength_against += std::max(0.0, -vote);
      }
      // Members that are not actors vote the same way with their fixed stance and salience.
      for (const OtherMemberSpec& o : inst.others) {
        if (clock.step < o.joined_step || clock.step >= o.left_step) continue;
        const double utility = o.stance[a] - inst.admission_threshold;
        (utility >= 0.0 ? yes : no) += 1;
        const double vote = o.military * o.salience * utility;
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
          probability = pce_probability(strength_for, strength_against, inst.pce_exponent);
          // Keyed by (step, institution, applicant) and their names: independent of the noise
          // draws and of the order of actors and institutions.
          admitted = rng.uniform_at(kAdmissionStream, static_cast<std::uint64_t>(clock.step),
                                    institution_key_[k], actor_key_[a]) < probability;
          break;
        }
      }
      log.admissions.push_back(
          AdmissionDecision{clock.step, clock.time, k, a, yes, no, probability, admitted});
      if (admitted) {
        state.membership[state.dims.member(a, k)] = 1;
        state.applicant[state.dims.member(a, k)] = 0;
      }
    }
  }
}

}  // namespace interdep
