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
constexpr double kScalingTolerance = 1e-13;  // relative error of every sales total
constexpr int kMaxScalingRounds = 1000;

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
  sales0_.assign(R, 0.0);
  spending0_.assign(R, 0.0);
  for (std::size_t r = 0; r < R; ++r) {
    sales0_[r] = base_flow_.row(static_cast<Eigen::Index>(r)).sum();
    spending0_[r] = base_flow_.col(static_cast<Eigen::Index>(r)).sum();
  }
  scale_out_.assign(R, 1.0);
  scale_in_.assign(R, 1.0);
  gravity_flow_ = base_flow_;
  shocked_flow_ = base_flow_;
  for (std::size_t i = 0; i < n_; ++i) row_trade_[i] = row_trade0_[i];
}

// X'[i,j] = X0[i,j] (tau/tau0)^-theta A_i B_j, with A and B such that each region sells its
// output Y'_i = Y0_i Yhat_i and spends its share of world output (Ehat_j = Yhat_j, scaled so
// that the world's spending equals its output). Warm-started from the last step's A, B.
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
    const double growth = r == row ? world / world0 : state.gdp[r] / gdp0_[r];
    sales_target_[r] = sales0_[r] * growth;
    spending_target_[r] = spending0_[r] * growth;
    sales += sales_target_[r];
    spending += spending_target_[r];
  }
  for (std::size_t r = 0; r < R; ++r) spending_target_[r] *= sales / spending;

  shocked_flow_ = base_flow_;
  for (std::size_t i = 0; i < n_; ++i)
    for (std::size_t j = 0; j < n_; ++j) {
      const std::size_t p = i * n_ + j;
      if (i == j || trade0_[p] <= 0.0) continue;
      shocked_flow_(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) *=
          std::pow(tau_.data()[p] / tau0_[p], -theta);
    }

  const auto Rn = static_cast<Eigen::Index>(R);
  for (int round = 0; round < kMaxScalingRounds; ++round) {
    for (Eigen::Index i = 0; i < Rn; ++i) {
      double sum = 0.0;
      for (Eigen::Index j = 0; j < Rn; ++j)
        sum += shocked_flow_(i, j) * scale_in_[static_cast<std::size_t>(j)];
      scale_out_[static_cast<std::size_t>(i)] =
          sum > 0.0 ? sales_target_[static_cast<std::size_t>(i)] / sum : 0.0;
    }
    for (Eigen::Index j = 0; j < Rn; ++j) {
      double sum = 0.0;
      for (Eigen::Index i = 0; i < Rn; ++i)
        sum += shocked_flow_(i, j) * scale_out_[static_cast<std::size_t>(i)];
      scale_in_[static_cast<std::size_t>(j)] =
          sum > 0.0 ? spending_target_[static_cast<std::size_t>(j)] / sum : 0.0;
    }
    // Columns now hold exactly; stop when every row does too.
    double worst = 0.0;
    for (Eigen::Index i = 0; i < Rn; ++i) {
      double sum = 0.0;
      for (Eigen::Index j = 0; j < Rn; ++j)
        sum += shocked_flow_(i, j) * scale_in_[static_cast<std::size_t>(j)];
      const double target = sales_target_[static_cast<std::size_t>(i)];
      if (target > 0.0)
        worst = std::max(worst,
                         std::abs(sum * scale_out_[static_cast<std::size_t>(i)] - target) / target);
    }
    if (worst < kScalingTolerance) break;
  }
  for (Eigen::Index i = 0; i < Rn; ++i)
    for (Eigen::Index j = 0; j < Rn; ++j)
      gravity_flow_(i, j) = shocked_flow_(i, j) * scale_out_[static_cast<std::size_t>(i)] *
                            scale_in_[static_cast<std::size_t>(j)];
}

}  // namespace interdep
