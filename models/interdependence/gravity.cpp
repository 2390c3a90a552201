// Structural gravity in changes (docs/model.md §7.2.2): trade among the actors and an implicit
// rest of the world, with each region's domestic sales, rescaled each step so that every
// region's sales and spending match its output ("exact hat algebra" of conditional general
// equilibrium, Yotov, Piermartini, Monteiro & Larch 2016, An Advanced Guide to Trade Policy
// Analysis, ch. 2; Anderson & van Wincoop 2003). A rise in one pair's costs raises its
// multilateral resistance terms, so part of the lost trade goes to the other partners.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "models/interdependence/interdependence_model.hpp"

namespace interdep {
namespace {

// Actors' trade with the rest of the world is known only as a total (exports plus imports):
// half each way (judgement).
constexpr double kRowExportShare = 0.5;
// Domestic sales are at least this share of output (an actor whose data give exports above its
// GDP, as a re-exporting hub's can).
constexpr double kMinDomesticShare = 0.1;
// The rest of the world keeps at least this share of world GDP.
constexpr double kMinRestOfWorldShare = 0.1;
// Largest relative change of an A or B in the last round: the sums then hold to about this.
constexpr double kScalingTolerance = 1e-12;
constexpr int kMaxScalingRounds = 200;
// Worlds of at most this many regions solve the scaling by Newton's method (below); larger ones
// by the region-by-region rounds alone, whose cost grows as R^2 a round against Newton's R^3.
constexpr std::size_t kNewtonRegions = 16;
constexpr int kMaxNewtonSteps = 8;
// Newton stops after a step that changed no A or B by more than this (relative): convergence is
// quadratic, so the error left is of the order of its square, 1e-12, as the rounds leave it.
constexpr double kNewtonStepTolerance = 1e-6;

// A pivot below this share of J's largest element counts as zero, and the solve goes to the
// rounds. A guard: holding one B per group of trading regions leaves J regular in exact
// arithmetic; rounding can still make it next to singular where a group hangs by a tiny flow.
constexpr double kSingularPivot = 1e-11;

// Solves J x = y for the m x m row-major J (overwritten) by Gaussian elimination with partial
// pivoting; x replaces y. False where a pivot is (next to) zero or not finite. Written out: at
// the few unknowns of a small world, Eigen's dynamic-size LU spent as long in its set-up and
// triangular-solve calls as the whole Newton step in its arithmetic (measured,
// docs/performance.md).
template <std::size_t kM>  // m = kM, or any m for 0
bool solve_linear_in_place(double* J, double* y, std::size_t any_m) {
  const std::size_t m = kM != 0 ? kM : any_m;
  double largest = 0.0;
  for (std::size_t k = 0; k < m * m; ++k) largest = std::max(largest, std::abs(J[k]));
  for (std::size_t c = 0; c < m; ++c) {
    std::size_t pivot = c;
    for (std::size_t r = c + 1; r < m; ++r)
      if (std::abs(J[r * m + c]) > std::abs(J[pivot * m + c])) pivot = r;
    const double p = J[pivot * m + c];
    if (!(std::abs(p) > kSingularPivot * largest) || !std::isfinite(p)) return false;
    if (pivot != c) {
      std::swap_ranges(J + c * m + c, J + c * m + m, J + pivot * m + c);
      std::swap(y[c], y[pivot]);
    }
    const double inverse = 1.0 / p;
    for (std::size_t r = c + 1; r < m; ++r) {
      const double f = J[r * m + c] * inverse;
      if (f == 0.0) continue;
      for (std::size_t k = c + 1; k < m; ++k) J[r * m + k] -= f * J[c * m + k];
      y[r] -= f * y[c];
    }
  }
  for (std::size_t c = m; c-- > 0;) {
    double sum = y[c];
    for (std::size_t k = c + 1; k < m; ++k) sum -= J[c * m + k] * y[k];
    y[c] = sum / J[c * m + c];
  }
  return true;
}

}  // namespace

// The flows at t0 as a complete (N+1) x (N+1) matrix, region N the rest of the world.
void InterdependenceModel::calibrate_gravity(const WorldState& state) {
  const std::size_t R = n_ + 1, row = n_;
  const auto at = [](std::size_t i, std::size_t j) {
    return std::pair{static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)};
  };
  base_flow_ = Matrix::Zero(static_cast<Eigen::Index>(R), static_cast<Eigen::Index>(R));
  double actors_gdp = 0.0;
  for (std::size_t i = 0; i < n_; ++i) {
    actors_gdp += gdp0_[i];
    double exports = 0.0;
    for (std::size_t j = 0; j < n_; ++j) {
      const auto [I, J] = at(i, j);
      base_flow_(I, J) = i == j ? 0.0 : state.trade[i * n_ + j];
      exports += base_flow_(I, J);
    }
    const auto [I, W] = at(i, row);
    base_flow_(I, W) = kRowExportShare * row_trade0_[i];
    base_flow_(W, I) = (1.0 - kRowExportShare) * row_trade0_[i];
    exports += base_flow_(I, W);
    base_flow_(I, I) = std::max(kMinDomesticShare * gdp0_[i], gdp0_[i] - exports);
  }
  const double world = spec_.params.flows.world_gdp;
  const double rest_gdp = std::max(kMinRestOfWorldShare * world, world - actors_gdp);
  const auto [W, W2] = at(row, row);
  const double rest_exports = base_flow_.row(W).sum();
  base_flow_(W, W2) = std::max(kMinDomesticShare * rest_gdp, rest_gdp - rest_exports);
  const auto Rn = static_cast<Eigen::Index>(R);
  sales0_.assign(R, 0.0);
  spending0_.assign(R, 0.0);
  for (std::size_t r = 0; r < R; ++r) {
    sales0_[r] = base_flow_.row(static_cast<Eigen::Index>(r)).sum();
    spending0_[r] = base_flow_.col(static_cast<Eigen::Index>(r)).sum();
  }
  scale_out_ = Eigen::VectorXd::Ones(Rn);
  scale_in_ = Eigen::VectorXd::Ones(Rn);
  sales_sum_ = Eigen::VectorXd::Zero(Rn);
  spending_sum_ = Eigen::VectorXd::Zero(Rn);
  sales_target_ = Eigen::Map<const Eigen::VectorXd>(sales0_.data(), Rn);
  spending_target_ = Eigen::Map<const Eigen::VectorXd>(spending0_.data(), Rn);
  previous_sales_ = sales_target_;
  previous_spending_ = spending_target_;
  gravity_flow_ = base_flow_;
  shocked_flow_ = base_flow_;
  for (std::size_t i = 0; i < n_; ++i) row_trade_[i] = row_trade0_[i];
  if (R <= kNewtonRegions) {
    newton_.jacobian.assign(R * R, 0.0);
    newton_.weighted.assign(R * R, 0.0);
    newton_.rhs.assign(R, 0.0);
    for (auto* v : {&newton_.sales, &newton_.spending, &newton_.weight, &newton_.scaled,
                    &newton_.start_out, &newton_.start_in})
      v->assign(R, 0.0);
    // Groups of regions that trade with each other, directly or through others (the cost
    // factors never make a flow of X0 zero, so the groups are those of t0): the last region of
    // each holds its B. In a world with trade with the rest of the world, one group, held by
    // the rest of the world (the last region).
    std::vector<std::size_t> group(R);
    for (std::size_t r = 0; r < R; ++r) group[r] = r;
    auto root = [&](std::size_t r) {
      while (group[r] != r) r = group[r] = group[group[r]];
      return r;
    };
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t s = r + 1; s < R; ++s) {
        const auto [I, J] = at(r, s);
        if (base_flow_(I, J) > 0.0 || base_flow_(J, I) > 0.0) {
          const std::size_t a = root(r), b = root(s);
          group[std::min(a, b)] = std::max(a, b);  // a group's root is its last region
        }
      }
    newton_.held.assign(R, 0);
    for (std::size_t r = 0; r < R; ++r) newton_.held[root(r)] = 1;
    newton_.held_regions.clear();
    for (std::size_t r = 0; r < R; ++r)
      if (newton_.held[r]) newton_.held_regions.push_back(r);
  }
}

// Newton's method on F_i = A_i (S B)_i - Y'_i = 0, G_j = B_j (S^T A)_j - E'_j = 0, from the warm
// start in scale_out_ and scale_in_. The changes of A are eliminated (each F_i is linear in
// dA_i), leaving equations in the changes of B. The scaling of a group of regions that trade
// with each other is fixed only up to A c, B / c, so the B of one region of each group is held
// (newton_.held: its change 0, its column left out) and its equation (implied by the group's
// others, as the group's sales equal its spending) replaced. Returns false, with A and B as they
// were, where a step fails (a region without trade, a non-positive A or B, a singular system)
// or it has not converged in kMaxNewtonSteps.
bool InterdependenceModel::solve_gravity_newton() {
  bool solved = false;
  with_actor_count(n_, [&](auto actors) {
    constexpr std::size_t kActors = decltype(actors)::value;
    constexpr std::size_t kRegions = kActors != 0 ? kActors + 1 : 0;  // and the rest of the world
    solved = solve_gravity_newton_of<kRegions>();
  });
  return solved;
}

template <std::size_t kR>
bool InterdependenceModel::solve_gravity_newton_of() {
  const std::size_t R = kR != 0 ? kR : n_ + 1;
  const double* const S = shocked_flow_.data();  // row-major R x R
  double* const a = scale_out_.data();
  double* const b = scale_in_.data();
  NewtonScratch& w = newton_;
  double* const sales = w.sales.data();
  double* const spending = w.spending.data();
  double* const weight = w.weight.data();
  double* const scaled = w.scaled.data();
  double* const jacobian = w.jacobian.data();
  double* const weighted = w.weighted.data();
  const double* const transposed = shocked_transposed_.data();  // S^T, row-major
  double* const change_in = w.rhs.data();
  const std::uint8_t* const held = w.held.data();
  std::copy(a, a + R, w.start_out.begin());
  std::copy(b, b + R, w.start_in.begin());
  auto fail = [&] {
    std::copy(w.start_out.begin(), w.start_out.end(), a);
    std::copy(w.start_in.begin(), w.start_in.end(), b);
    return false;
  };
  for (int step = 0; step < kMaxNewtonSteps; ++step) {
    std::fill(spending, spending + R, 0.0);
    for (std::size_t i = 0; i < R; ++i) {
      const double* const row = S + i * R;
      double sum = 0.0;
      for (std::size_t j = 0; j < R; ++j) {
        sum += row[j] * b[j];
        spending[j] += row[j] * a[i];
      }
      sales[i] = sum;
    }
    for (std::size_t i = 0; i < R; ++i) {
      if (!(sales[i] > 0.0 && spending[i] > 0.0 && a[i] > 0.0 && b[i] > 0.0)) return fail();
      weight[i] = a[i] / sales[i];
      scaled[i] = (a[i] * sales[i] - sales_target_(static_cast<Eigen::Index>(i))) / sales[i];
    }
    // J dB = rhs with J = diag(S^T A) - diag(B) S^T diag(A / SB) S and
    // rhs = -G + B (S^T (F / SB)); for a held region, dB_h = 0 (its row a unit row, its column
    // zero). T = diag(A / SB) S first, then S^T T on the step's product kernel.
    for (std::size_t i = 0; i < R; ++i) {
      const double* const row = S + i * R;
      double* const out = weighted + i * R;
      for (std::size_t k = 0; k < R; ++k) out[k] = weight[i] * row[k];
      for (const std::size_t k : w.held_regions) out[k] = 0.0;  // held: their columns left out
    }
    multiply(transposed, weighted, jacobian, R, R, R);
    for (std::size_t j = 0; j < R; ++j) {
      double* const out = jacobian + j * R;
      if (held[j]) {
        std::fill(out, out + R, 0.0);
        out[j] = 1.0;
        change_in[j] = 0.0;
        continue;
      }
      const double* const column = transposed + j * R;  // column j of S
      double sum = 0.0;
      for (std::size_t i = 0; i < R; ++i) sum += column[i] * scaled[i];
      for (std::size_t k = 0; k < R; ++k) out[k] *= -b[j];
      out[j] += spending[j];
      change_in[j] =
          spending_target_(static_cast<Eigen::Index>(j)) - b[j] * spending[j] + b[j] * sum;
    }
    if (!solve_linear_in_place<kR>(jacobian, change_in, R)) return fail();
    double largest = 0.0;
    for (std::size_t i = 0; i < R; ++i) {
      const double* const row = S + i * R;
      double sum = 0.0;
      for (std::size_t j = 0; j < R; ++j) sum += row[j] * change_in[j];
      const double da = -scaled[i] - weight[i] * sum;
      const double db = change_in[i];
      if (!std::isfinite(da) || !std::isfinite(db)) return fail();
      largest = std::max({largest, std::abs(da) / a[i], std::abs(db) / b[i]});
      a[i] += da;
      b[i] += db;
    }
    if (largest <= kNewtonStepTolerance) return true;
  }
  return fail();
}

// X'[i,j] = X0[i,j] (tau/tau0)^-theta A_i B_j, with A and B such that each region sells its
// output Y'_i = Y0_i Yhat_i and spends its share of world output (Ehat_j = Yhat_j, scaled so
// that the world's spending equals its output). Started from the last step's A and B moved by
// the growth of their targets, until no A or B changes by more than kScalingTolerance
// (relative); at most kMaxScalingRounds a step (the next step goes on from there).
void InterdependenceModel::solve_gravity(const WorldState& state) {
  const std::size_t R = n_ + 1, row = n_;
  const double theta = spec_.params.flows.trade_cost_elasticity;
  double world = 0.0, world0 = 0.0;
  for (std::size_t i = 0; i < n_; ++i) {
    world += state.gdp[i];
    world0 += gdp0_[i];
  }
  double sales = 0.0, spending = 0.0;
  for (std::size_t r = 0; r < R; ++r) {
    const auto k = static_cast<Eigen::Index>(r);
    const double growth = r == row ? world / world0 : state.gdp[r] / gdp0_[r];
    previous_sales_(k) = sales_target_(k);
    previous_spending_(k) = spending_target_(k);
    sales_target_(k) = sales0_[r] * growth;
    spending_target_(k) = spending0_[r] * growth;
    sales += sales_target_(k);
    spending += spending_target_(k);
  }
  spending_target_ *= sales / spending;
  // Warm start: a region whose targets grew by g needs A B to grow by g, split between the two.
  for (Eigen::Index k = 0; k < static_cast<Eigen::Index>(R); ++k) {
    if (previous_sales_(k) > 0.0) scale_out_(k) *= std::sqrt(sales_target_(k) / previous_sales_(k));
    if (previous_spending_(k) > 0.0)
      scale_in_(k) *= std::sqrt(spending_target_(k) / previous_spending_(k));
  }

  // (tau/tau0)^-theta with tau = rest * exp(-c rbar) (compute_trade_costs): the relations' part
  // is exp(theta c (rbar - rbar0)), the same both ways, once per pair; the rest's a power only
  // where a route, sanction, tariff or discount has changed it since t0 (one exp for most pairs
  // instead of a pow each way: the same factor, rounded differently).
  const double relation_exponent = theta * spec_.params.flows.relation_cost;
  shocked_flow_ = base_flow_;
  for_row_blocks([&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i)
      for (std::size_t j = i + 1; j < n_; ++j) {
        const std::size_t p = i * n_ + j, q = j * n_ + i;
        if (trade0_[p] <= 0.0 && trade0_[q] <= 0.0) continue;
        const auto I = static_cast<Eigen::Index>(i), J = static_cast<Eigen::Index>(j);
        const double change = mean_relation_(I, J) - mean_relation0_[p];
        const double relations = change == 0.0 ? 1.0 : std::exp(relation_exponent * change);
        auto rest = [&](std::size_t pair) {
          const double now = cost_rest_.data()[pair], then = cost_rest0_[pair];
          return now == then ? 1.0 : std::pow(now / then, -theta);
        };
        if (trade0_[p] > 0.0) shocked_flow_(I, J) *= relations * rest(p);
        if (trade0_[q] > 0.0) shocked_flow_(J, I) *= relations * rest(q);
      }
  });

  // Region by region (Gauss-Seidel), A_r and B_r solved together from r's row and column. Each
  // region's domestic sales X_rr A_r B_r dominate its row and column, and plain alternate
  // scaling converges slowly along A_r / B_r (which leaves X_rr unchanged); the joint update
  // removes that direction. With q_r = sum_{s != r} S_rs B_s and c_r = sum_{s != r} S_sr A_s:
  //   A_r (S_rr B_r + q_r) = Y'_r,  B_r (S_rr A_r + c_r) = E'_r,
  // so  c_r S_rr B^2 + (S_rr Y'_r + c_r q_r - E'_r S_rr) B - E'_r q_r = 0
  // and q_r S_rr A^2 + (S_rr E'_r + q_r c_r - Y'_r S_rr) A - Y'_r c_r = 0, each the positive
  // root, solved side by side. The sums S B and S^T A are kept up to date as each region moves
  // (an axpy with its row of S and of S^T), so that a region's update waits only on the last
  // region's square root and division, not on a dot product.
  const auto Rn = static_cast<Eigen::Index>(R);
  shocked_transposed_ = shocked_flow_.transpose();
  if (R <= kNewtonRegions && solve_gravity_newton()) {
    gravity_flow_ = scale_out_.asDiagonal() * shocked_flow_ * scale_in_.asDiagonal();
    return;
  }
  sales_sum_.noalias() = shocked_flow_ * scale_in_;            // S B: row sums over partners
  spending_sum_.noalias() = shocked_transposed_ * scale_out_;  // S^T A: column sums
  auto positive_root = [](double qa, double qb, double qc) {   // qa > 0, qc < 0
    const double root = std::sqrt(qb * qb - 4.0 * qa * qc);
    return qb >= 0.0 ? -2.0 * qc / (qb + root) : (root - qb) / (2.0 * qa);
  };
  // Plain pointers and loops in the solve: at a handful of regions, each of Eigen's
  // dynamic-size expressions cost more to set up than its few multiply-adds (the same
  // operations, element by element).
  double* const sales_sum = sales_sum_.data();
  double* const spending_sum = spending_sum_.data();
  for (int round = 0; round < kMaxScalingRounds; ++round) {
    bool converged = true;
    for (Eigen::Index r = 0; r < Rn; ++r) {
      const double own = shocked_flow_(r, r);
      const double a_old = scale_out_(r), b_old = scale_in_(r);
      const double q = sales_sum_(r) - own * b_old;
      const double c = spending_sum_(r) - own * a_old;
      const double y = sales_target_(r), e = spending_target_(r);
      double a_new = 0.0, b_new = 0.0;
      if (own > 0.0 && q > 0.0 && c > 0.0) {
        b_new = positive_root(c * own, own * y + c * q - e * own, -e * q);
        a_new = positive_root(q * own, own * e + q * c - y * own, -y * c);
      } else {  // a region without trade in one direction: alternate scaling
        const double row_sum = own * b_old + q;
        a_new = row_sum > 0.0 ? y / row_sum : 0.0;
        const double col_sum = own * a_new + c;
        b_new = col_sum > 0.0 ? e / col_sum : 0.0;
      }
      const double da = a_new - a_old, db = b_new - b_old;
      converged = converged && std::abs(da) <= kScalingTolerance * a_old &&
                  std::abs(db) <= kScalingTolerance * b_old;
      scale_out_(r) = a_new;
      scale_in_(r) = b_new;
      const double* const column = shocked_transposed_.row(r).data();  // column r of S
      const double* const s_row = shocked_flow_.row(r).data();         // row r of S
      for (Eigen::Index k = 0; k < Rn; ++k) {
        sales_sum[k] += db * column[k];
        spending_sum[k] += da * s_row[k];
      }
    }
    if (converged) break;
  }
  gravity_flow_ = scale_out_.asDiagonal() * shocked_flow_ * scale_in_.asDiagonal();
}

}  // namespace interdep
