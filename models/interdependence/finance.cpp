// Finance as a channel of dependence (docs/model.md §7.3.2): flows between actors (aid, lending,
// investment, remittances), and lenders of last resort whose programmes their large
// shareholders can block. Events change the flows and the programmes (phase 1); phase 3 turns
// them into the finance share FS; in phase 5 each lender reviews its programmes.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "models/interdependence/interdependence_model.hpp"

namespace interdep {

void InterdependenceModel::apply_finance_event(const EventSpec& e, WorldState& state) {
  if (e.kind == EventKind::finance) {
    for (std::size_t t : e.targets) {
      e.finance.apply_to(finance_[e.actor * n_ + t]);
      state.finance[e.actor * n_ + t] = finance_flow(e.actor, t);
    }
  } else if (e.kind == EventKind::programme) {
    const std::size_t k = e.lender * n_ + e.actor;
    programme_amount_[k] = e.amount;
    if (e.catalysed) programme_catalysed_[k] = *e.catalysed;
    programme_suspended_[k] = 0;  // a new approval starts unblocked until the next review
    record_programmes(state);
  }
}

double InterdependenceModel::finance_flow(std::size_t i, std::size_t j) const {
  const auto I = static_cast<Eigen::Index>(i), J = static_cast<Eigen::Index>(j);
  return finance_[i * n_ + j].total() * (1.0 - finance_cut_out_(I, J)) *
         (1.0 - finance_cut_in_(J, I));
}

void InterdependenceModel::record_programmes(WorldState& state) const {
  std::fill(state.programme_finance.begin(), state.programme_finance.end(), 0.0);
  for (std::size_t l = 0; l < spec_.lenders.size(); ++l)
    for (std::size_t i = 0; i < n_; ++i)
      if (!programme_suspended_[l * n_ + i])
        state.programme_finance[i] += programme_amount_[l * n_ + i];
}

// FS[i,j] = min(1, (F[j->i] + sum_l b[l,j] (A + K)[l,i]) / F_i) over the programmes going on;
// FG[i,j] = min(1, (F[j->i] + sum_l g[l,j] (A + K)[l,i]) / F_i), g = 1 for a shareholder that
// blocks alone; phi[i] = F_i / Y_i with F_i = F_RoW[i] Y_i/Y0_i + sum_j F[j->i] + sum_l A[l,i].
// Actor i's finance openness, the shares of its finance each partner controls (vulnerability)
// and gives (benefit), row i.
void InterdependenceModel::compute_finance_shares(std::size_t i, const WorldState& state) {
  const auto I = static_cast<Eigen::Index>(i);
  finance_share_.row(I).setZero();
  finance_given_.row(I).setZero();
  finance_openness_[i] = 0.0;
  if (!spec_.params.flows.finance) return;
  double total = row_finance0_[i] * state.gdp[i] / gdp0_[i] + state.programme_finance[i];
  for (std::size_t j = 0; j < n_; ++j) total += state.finance[j * n_ + i];
  if (total <= 0.0) return;
  finance_openness_[i] = total / state.gdp[i];
  for (std::size_t j = 0; j < n_; ++j) {
    if (j == i) continue;
    // What j can block counts for i's vulnerability: a minor shareholder is part of a blocking
    // coalition. Only what j gives counts as benefit: a programme is the favour of the
    // shareholders that could refuse it alone, not of one whose votes cannot (docs/model.md
    // §7.3.2; with blocking power as benefit, the IMF's 2019 programme drew Pakistan toward
    // Russia, against the documents).
    double controlled = state.finance[j * n_ + i], given = controlled;
    for (std::size_t l = 0; l < spec_.lenders.size(); ++l) {
      const std::size_t k = l * n_ + i;
      if (!programme_suspended_[k] && programme_amount_[k] > 0.0) {
        const double programme = programme_amount_[k] + programme_catalysed_[k];
        controlled += veto_[l * n_ + j] * programme;
        given += grantor_[l * n_ + j] * programme;
      }
    }
    finance_share_(I, static_cast<Eigen::Index>(j)) = std::min(1.0, controlled / total);
    finance_given_(I, static_cast<Eigen::Index>(j)) = std::min(1.0, given / total);
  }
}

// A review falls in the step that completes a period of `review_months` months since the start.
bool InterdependenceModel::review_in_step(const StepClock& clock, int review_months) const {
  if (review_months <= 0) return false;
  const auto [first, last] = months_of_step(clock);
  for (std::int64_t m = first; m < last; ++m)
    if ((m + 1) % review_months == 0) return true;
  return false;
}

// At a review, the shareholders whose overall relation with the borrower is below the lender's
// support threshold, or whose financial sanction on the borrower blocks their own finance to it,
// oppose its programme; it is suspended while their votes reach the blocking share, and resumes
// at a later review when they no longer do.
void InterdependenceModel::review_programmes(const StepClock& clock, WorldState& state) {
  bool changed = false;
  for (std::size_t l = 0; l < spec_.lenders.size(); ++l) {
    const LenderSpec& lender = spec_.lenders[l];
    if (!review_in_step(clock, lender.review_months)) continue;
    for (std::size_t i = 0; i < n_; ++i) {
      const std::size_t k = l * n_ + i;
      if (programme_amount_[k] <= 0.0) continue;
      double opposed = 0.0;
      for (std::size_t s = 0; s < n_; ++s)
        if (s != i &&
            (state.relation_overall[s * n_ + i] < lender.support_threshold ||
             finance_cut_out_(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(i)) > 0.0))
          opposed += lender.votes[s];
      // Votes written in decimals sum with rounding (0.7 + 0.1 is 0.79999999999999993): a
      // coalition whose shares add up to the blocking share blocks.
      const std::uint8_t blocked =
          opposed >= lender.blocking_share * (1.0 - kVoteSumRounding) ? 1 : 0;
      changed = changed || blocked != programme_suspended_[k];
      programme_suspended_[k] = blocked;
    }
  }
  if (changed) record_programmes(state);
}

}  // namespace interdep
