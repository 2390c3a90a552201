// Structural gravity in changes (docs/model.md §7.2.2): trade among the actors and an implicit
// rest of the world, with each region's domestic sales, rescaled each step so that every
// region's sales and spending match its output ("exact hat algebra" of conditional general
// equilibrium, Yotov, Piermartini, Monteiro & Larch 2016, An Advanced Guide to Trade Policy
// Analysis, ch. 2; Anderson & van Wincoop 2003). A rise in one pair's costs raises its
// multilateral resistance terms, so part of the lost trade goes to the other partners.
#include <algorithm>
#include <cmath>

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

  shocked_flow_ = base_flow_;
  for_row_blocks([&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i)
      for (std::size_t j = 0; j < n_; ++j) {
        const std::size_t p = i * n_ + j;
        if (i == j || trade0_[p] <= 0.0) continue;
        shocked_flow_(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) *=
            std::pow(tau_.data()[p] / tau0_[p], -theta);
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
