#include "engine/network/balance_camps.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <compare>

namespace interdep {
namespace {

// What a split costs: frustrated ties first, then their weight (units of 2^-24 of |Rbar|).
struct Score {
  std::int64_t ties = 0;
  std::int64_t weight = 0;
  auto operator<=>(const Score&) const = default;
};

// A two-camp assignment with, per actor, how many of its ties are frustrated and their weight,
// so that the change of the score when one actor changes camp is read in O(1) and applied in
// O(n). Camps are 0/1 bytes; ties are the signed pairs of `sign`.
class CampState {
 public:
  CampState(std::span<const std::int8_t> sign, std::span<const std::int64_t> weight, std::size_t n,
            std::vector<std::uint8_t> camp)
      : sign_(sign), weight_(weight), n_(n), camp_(std::move(camp)), degree_(n), frustrated_(n) {
    assert(sign.size() == n * n && weight.size() == n * n && camp_.size() == n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        if (sign_[i * n + j] == 0) continue;
        const Score tie{1, weight_[i * n + j]};
        degree_[i] = add(degree_[i], tie);
        if (is_frustrated(i, j)) frustrated_[i] = add(frustrated_[i], tie);
      }
    for (std::size_t i = 0; i < n; ++i) {
      score_.ties += frustrated_[i].ties;
      score_.weight += frustrated_[i].weight;
    }
    // Every frustrated tie was counted from both ends.
    score_.ties /= 2;
    score_.weight /= 2;
  }

  const std::vector<std::uint8_t>& camp() const { return camp_; }
  Score score() const { return score_; }

  // Change of the score if actor i changed camp: its frustrated ties become satisfied and the
  // others frustrated.
  Score move_change(std::size_t i) const {
    return {degree_[i].ties - 2 * frustrated_[i].ties,
            degree_[i].weight - 2 * frustrated_[i].weight};
  }

  void move(std::size_t i) {
    const Score change = move_change(i);
    for (std::size_t j = 0; j < n_; ++j) {
      if (j == i || sign_[i * n_ + j] == 0) continue;
      const std::int64_t w = weight_[i * n_ + j];
      const std::int64_t toggle = is_frustrated(i, j) ? -1 : 1;
      frustrated_[j].ties += toggle;
      frustrated_[j].weight += toggle * w;
    }
    frustrated_[i] = {degree_[i].ties - frustrated_[i].ties,
                      degree_[i].weight - frustrated_[i].weight};
    camp_[i] ^= 1U;
    score_ = add(score_, change);
  }

 private:
  static Score add(Score a, Score b) { return {a.ties + b.ties, a.weight + b.weight}; }
  bool is_frustrated(std::size_t i, std::size_t j) const {
    const bool same = camp_[i] == camp_[j];
    const std::int8_t s = sign_[i * n_ + j];
    return (same && s < 0) || (!same && s > 0);
  }

  std::span<const std::int8_t> sign_;
  std::span<const std::int64_t> weight_;
  std::size_t n_;
  std::vector<std::uint8_t> camp_;
  std::vector<Score> degree_;      // [actor] all its signed ties
  std::vector<Score> frustrated_;  // [actor] its frustrated ties
  Score score_;
};

// All 2^(n-1) splits with actor 0 in camp 0, in Gray-code order: consecutive splits differ by
// one actor's move. A split is a bit mask (bit i set: actor i in camp 1); a move's change of
// the score is read in O(1) from the actor's positive and negative tie masks (popcount) and the
// weight of its frustrated ties from two tables of subset weight sums per actor (one per byte),
// so the 2^15 splits of 16 actors take ~0.15 ms, not ~1 ms as with CampState's O(n) moves.
CampState exact_camps(std::span<const std::int8_t> sign, std::span<const std::int64_t> weight,
                      std::size_t n) {
  static_assert(kExactCampActors <= 16, "subset tables split a mask into two bytes");
  assert(n >= 1 && n <= kExactCampActors);
  std::vector<std::uint32_t> positive(n, 0), negative(n, 0);
  std::vector<Score> degree(n);
  // subset_weight[(k * 2 + half) * bytes + byte]: total weight of k's ties to the actors in
  // `byte` of that half of a mask; a byte holds at most n actors, so `bytes` = 2^min(8, n).
  const std::size_t bytes = std::size_t{1} << std::min<std::size_t>(8, n);
  std::vector<std::int64_t> subset_weight(n * 2 * bytes, 0);
  for (std::size_t k = 0; k < n; ++k) {
    for (std::size_t j = 0; j < n; ++j) {
      const std::int8_t s = sign[k * n + j];
      if (s == 0) continue;
      (s > 0 ? positive : negative)[k] |= 1U << j;
      degree[k].ties += 1;
      degree[k].weight += weight[k * n + j];
    }
    for (std::size_t half = 0; half < 2; ++half)
      for (std::uint32_t byte = 1; byte < bytes; ++byte) {
        // A byte's sum is that of the byte without its lowest bit plus that bit's tie.
        const auto low = static_cast<std::size_t>(std::countr_zero(byte));
        const std::size_t j = half * 8 + low;
        const std::int64_t tie = j < n ? weight[k * n + j] : 0;
        subset_weight[(k * 2 + half) * bytes + byte] =
            subset_weight[(k * 2 + half) * bytes + (byte & (byte - 1))] + tie;
      }
  }
  // All in camp 0: the negative ties are frustrated.
  Score score;
  for (std::size_t k = 0; k < n; ++k)
    for (std::size_t j = k + 1; j < n; ++j)
      if (sign[k * n + j] < 0) score = {score.ties + 1, score.weight + weight[k * n + j]};
  std::uint32_t mask = 0, best_mask = 0;
  Score best = score;
  const std::uint32_t splits = 1U << (n - 1);
  for (std::uint32_t t = 1; t < splits; ++t) {
    const auto k = static_cast<std::size_t>(std::countr_zero(t)) + 1;  // actors 1..n-1
    const std::uint32_t bit = 1U << k;
    // Actors in k's camp; the tie masks hold no bit k (zero diagonal) nor bits >= n.
    const std::uint32_t same = (mask & bit) ? mask : ~mask;
    const std::uint32_t frustrated = (negative[k] & same) | (positive[k] & ~same);
    // frustrated < 2^n, so each byte indexes within `bytes`.
    const std::int64_t frustrated_weight = subset_weight[(k * 2) * bytes + (frustrated & 0xFFU)] +
                                           subset_weight[(k * 2 + 1) * bytes + (frustrated >> 8)];
    const auto frustrated_ties = static_cast<std::int64_t>(std::popcount(frustrated));
    score = {score.ties + degree[k].ties - 2 * frustrated_ties,
             score.weight + degree[k].weight - 2 * frustrated_weight};
    mask ^= bit;
    // Lexicographic order of (c_0, c_1, ...): at the lowest actor where two splits differ, the
    // one with that actor in camp 0 comes first.
    const std::uint32_t differ = mask ^ best_mask;
    const std::uint32_t first_difference = differ & (0U - differ);
    const bool lexicographically_smaller = differ != 0 && (mask & first_difference) == 0;
    if (score < best || (score == best && lexicographically_smaller)) {
      best = score;
      best_mask = mask;
    }
  }
  std::vector<std::uint8_t> camp(n);
  for (std::size_t i = 0; i < n; ++i) camp[i] = static_cast<std::uint8_t>((best_mask >> i) & 1U);
  CampState state(sign, weight, n, std::move(camp));
  assert(state.score() == best);
  return state;
}

// Steepest descent: the single move that lowers the score most (lowest actor on ties) until no
// move lowers it. Each move strictly lowers the score, so it stops.
void descend(CampState& state, std::size_t n) {
  for (;;) {
    std::size_t best = n;
    Score best_change{};
    for (std::size_t i = 0; i < n; ++i) {
      const Score change = state.move_change(i);
      if (change < best_change) {
        best_change = change;
        best = i;
      }
    }
    if (best == n) return;
    state.move(best);
  }
}

// One Kernighan-Lin pass (Kernighan & Lin 1970, in the single-move form of Fiduccia & Mattheyses
// 1982): move every actor once, each time the unmoved actor whose move costs least (lowest
// index on ties) even when it raises the score, then keep the prefix of moves with the lowest
// score. Climbs out of the local minima of descend. True when the score went down.
bool kernighan_lin_pass(CampState& state, std::size_t n) {
  const Score start = state.score();
  std::vector<std::uint8_t> moved(n, 0);
  std::vector<std::size_t> order;
  order.reserve(n);
  Score best = start;
  std::size_t best_prefix = 0;
  for (std::size_t step = 0; step < n; ++step) {
    std::size_t pick = n;
    Score pick_change{};
    for (std::size_t i = 0; i < n; ++i) {
      if (moved[i]) continue;
      const Score change = state.move_change(i);
      if (pick == n || change < pick_change) {
        pick = i;
        pick_change = change;
      }
    }
    state.move(pick);
    moved[pick] = 1;
    order.push_back(pick);
    if (state.score() < best) {
      best = state.score();
      best_prefix = order.size();
    }
  }
  for (std::size_t k = order.size(); k > best_prefix; --k) state.move(order[k - 1]);
  assert(state.score() == best);
  return best < start;
}

// Descent, then Kernighan-Lin passes until one finds nothing better.
void improve(CampState& state, std::size_t n) {
  do descend(state, n);
  while (kernighan_lin_pass(state, n));
}

// Eigenvector of the largest eigenvalue of a symmetric matrix. The eigenvalues alone cost a
// seventh of the full decomposition (1.9 vs 12.8 ms at n = 200); the vector then comes from
// inverse iteration with a shift just above the eigenvalue (one LU, 2n^3/3, and three solves).
Eigen::VectorXd leading_eigenvector(const Eigen::MatrixXd& m) {
  const Eigen::Index n = m.rows();
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> values(m, Eigen::EigenvaluesOnly);
  assert(values.info() == Eigen::Success);
  const double largest = values.eigenvalues()(n - 1);
  // A shift 1e-9 of the spectrum's scale above: the factor grows the leading component by
  // ~1e9 relative to the next eigenvalue's per solve, yet the LU stays non-singular.
  const double scale = std::max(1.0, values.eigenvalues().cwiseAbs().maxCoeff());
  const Eigen::PartialPivLU<Eigen::MatrixXd> lu(m - (largest + 1e-9 * scale) *
                                                        Eigen::MatrixXd::Identity(n, n));
  // A start with a component along every eigenvector in practice: not symmetric in the actors.
  Eigen::VectorXd v(n);
  for (Eigen::Index i = 0; i < n; ++i) v(i) = 1.0 + 1.0 / static_cast<double>(i + 2);
  for (int iteration = 0; iteration < 3; ++iteration) {
    v = lu.solve(v);
    v /= v.norm();
  }
  return v;
}

// Spectral start (Kunegis et al. 2010): the sign pattern of the eigenvector of the largest
// eigenvalue of the symmetric matrix of Rbar on signed ties; for a balanced graph whose ties
// connect all actors it is exactly the two camps (Perron-Frobenius on |Rbar|, signs flipped by
// camp). Then local search: single moves and Kernighan-Lin passes (improve).
CampState heuristic_camps(std::span<const std::int8_t> sign, std::span<const double> rbar,
                          std::span<const std::int64_t> weight, std::size_t n) {
  assert(n >= 1);
  Eigen::MatrixXd tie(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      tie(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) =
          sign[i * n + j] != 0 ? rbar[i * n + j] : 0.0;
  const Eigen::VectorXd leading = leading_eigenvector(tie);
  std::vector<std::uint8_t> camp(n);
  const bool first_negative = leading(0) < 0.0;
  for (std::size_t i = 0; i < n; ++i)
    camp[i] = (leading(static_cast<Eigen::Index>(i)) < 0.0) != first_negative ? 1 : 0;

  CampState state(sign, weight, n, std::move(camp));
  for (;;) {
    improve(state, n);
    // Actor 0's camp is camp 0: swapping the camps changes no tie's state.
    if (state.camp()[0] == 1) {
      std::vector<std::uint8_t> swapped = state.camp();
      for (auto& c : swapped) c ^= 1U;
      state = CampState(sign, weight, n, std::move(swapped));
    }
    // Towards the lexicographically smallest split of the same score: the lowest actor in
    // camp 1 whose move costs nothing joins camp 0 (an actor with no signed tie, say). Each such
    // move empties camp 1 by one, each improvement lowers the score, so the loop ends.
    std::size_t free_mover = n;
    for (std::size_t i = 1; i < n && free_mover == n; ++i)
      if (state.camp()[i] == 1 && state.move_change(i) == Score{}) free_mover = i;
    if (free_mover == n) return state;
    state.move(free_mover);
  }
}

}  // namespace

std::int64_t tie_weight_units(double rbar) {
  assert(std::abs(rbar) <= 1.0);
  // |rbar| * 2^24 is exact; + 0.5 and floor round to nearest with no ties-to-even subtleties,
  // the same formula as tools/plotlib/signed_network.py.
  return static_cast<std::int64_t>(std::floor(std::abs(rbar) * kTieWeightUnitsPerOne + 0.5));
}

Factions find_factions(std::span<const std::int8_t> sign, std::span<const double> rbar,
                       std::size_t n, CampSearch search) {
  assert(sign.size() == n * n && rbar.size() == n * n);
  Factions f;
  if (n == 0) return f;
  std::vector<std::int64_t> weight(n * n, 0);
  for (std::size_t p = 0; p < n * n; ++p)
    if (sign[p] != 0) weight[p] = tie_weight_units(rbar[p]);

  const bool exact =
      search == CampSearch::exact || (search == CampSearch::automatic && n <= kExactCampActors);
  const CampState state =
      exact ? exact_camps(sign, weight, n) : heuristic_camps(sign, rbar, weight, n);
  assert(state.camp()[0] == 0);
  f.faction.assign(state.camp().begin(), state.camp().end());
  f.count = 1;
  for (const std::int32_t c : f.faction)
    if (c == 1) f.count = 2;
  f.frustration = static_cast<std::int32_t>(state.score().ties);
  f.weighted_frustration = state.score().weight;
  f.exact = exact;
  assert(f.frustration == partition_frustration(sign, n, f.faction));
  return f;
}

std::int32_t partition_frustration(std::span<const std::int8_t> sign, std::size_t n,
                                   std::span<const std::int32_t> group) {
  assert(sign.size() == n * n && group.size() == n);
  std::int32_t frustration = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const std::int8_t s = sign[i * n + j];
      const bool same = group[i] == group[j];
      if ((same && s < 0) || (!same && s > 0)) ++frustration;
    }
  return frustration;
}

}  // namespace interdep
