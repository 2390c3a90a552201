// Phase 3 of a step: interdependence from the new flows (docs/model.md §7.3): trade and gas
// shares, sensitivity, vulnerability, leverage, Barbieri's salience-symmetry and Hirschman's
// concentration index.
#include "models/interdependence/interdependence_model.hpp"

#include <algorithm>
#include <cmath>

namespace interdep {
namespace {

// A seller's gas exports are counted as at least this share of its export capacity when its
// buyers' shares are taken (docs/model.md §7.4.2, judgement): a trickle (a link cut to 1e-8
// bcm/yr by sanctions, a link opening) is a trickle's share, not all of what the seller sells.
constexpr double kExportShareCapacityFloor = 0.01;

// Loss of a partner with share s under a CES aggregate whose trade elasticity is theta:
// 1 - (1 - s)^(1/theta) (Arkolakis, Costinot and Rodriguez-Clare 2012).
double partner_loss(double share, double theta) {
  if (share <= 0.0) return 0.0;
  if (share >= 1.0) return 1.0;
  return 1.0 - std::pow(1.0 - share, 1.0 / theta);
}

}  // namespace

void InterdependenceModel::update_interdependence(WorldState& state) {
  const auto N = static_cast<Eigen::Index>(n_);
  const double theta = spec_.params.flows.trade_cost_elasticity;
  Matrix& trade_v = channel_vulnerability_[0];
  Matrix& energy_v = channel_vulnerability_[1];
  Matrix& finance_v = channel_vulnerability_[2];
  // Rows first (each actor's shares, sensitivity and vulnerability from its own flows), then the
  // pairs both ways (leverage reads both rows): two passes over blocks of actors.
  for_row_blocks([&](std::size_t first, std::size_t last) {
    for (std::size_t i = first; i < last; ++i) {
      double bilateral = 0.0, exported_gas = 0.0;
      for (std::size_t j = 0; j < n_; ++j) {
        bilateral += state.trade[i * n_ + j] + state.trade[j * n_ + i];
        exported_gas += state.energy[i * n_ + j];
      }
      // Trade with the rest of the world: from the flows phase (initialize sets it at t0).
      const double total_trade = row_trade_[i] + bilateral;
      openness_[i] = total_trade / state.gdp[i];
      // Gas landed from every supplier, the rest of the world included.
      double gas_imports = energy_outside_[i];
      for (std::size_t j = 0; j < n_; ++j) gas_imports += state.energy[j * n_ + i];
      // Need met within the rounding of the landed gas's sum (its shares of D add to D but for a
      // few ulps) is no shortfall: a residue of 1e-14 bcm/yr read as one made a sweep's onset.
      const double need = state.energy_demand[i], missing = need - gas_imports;
      state.energy_shortfall[i] = missing > kGasSumRounding * need ? missing : 0.0;
      const double exported_floor = std::max(
          exported_gas, kExportShareCapacityFloor * spec_.actors[i].energy_export_capacity);
      const double primary = spec_.actors[i].primary_energy;
      gas_dependence_[i] =
          primary > 0.0 ? std::min(1.0, gas_imports * kExajoulesPerBcm / primary) : 0.0;
      for (std::size_t j = 0; j < n_; ++j) {
        const auto I = static_cast<Eigen::Index>(i), J = static_cast<Eigen::Index>(j);
        trade_share_(I, J) = total_trade > 0.0
                                 ? (state.trade[i * n_ + j] + state.trade[j * n_ + i]) / total_trade
                                 : 0.0;
        energy_share_(I, J) = gas_imports > 0.0 ? state.energy[j * n_ + i] / gas_imports : 0.0;
        export_share_(I, J) =
            exported_floor > 0.0 ? state.energy[i * n_ + j] / exported_floor : 0.0;
      }
      compute_finance_shares(i, state);
      // Sensitivity and vulnerability sum the channels of dependence (trade, gas, finance), each
      // a partner's share scaled by how much of the actor's economy or energy the channel
      // carries.
      const auto I = static_cast<Eigen::Index>(i);
      const ActorSpec& a = spec_.actors[i];
      const double ed = gas_dependence_[i];
      for (Eigen::Index j = 0; j < N; ++j) {
        const auto p = static_cast<std::size_t>(I * N + j);
        const double ts = trade_share_(I, j), es = energy_share_(I, j), fs = finance_share_(I, j);
        state.sensitivity[p] = openness_[i] * ts + ed * es + finance_openness_[i] * fs;
        trade_v(I, j) = openness_[i] * partner_loss(ts, theta);
        energy_v(I, j) = ed * partner_loss(es, a.energy_substitution - 1.0);
        finance_v(I, j) = finance_openness_[i] * partner_loss(fs, a.finance_substitution);
        state.vulnerability[p] = trade_v(I, j) + energy_v(I, j) + finance_v(I, j);
      }
    }
  });
  constexpr std::size_t C = kDependenceChannels.size();
  for_row_blocks([&](std::size_t first, std::size_t last) {
    for (auto i = static_cast<Eigen::Index>(first); i < static_cast<Eigen::Index>(last); ++i) {
      double concentration = 0.0;
      for (Eigen::Index j = 0; j < N; ++j) {
        const auto p = static_cast<std::size_t>(i * N + j);
        state.leverage[p] =
            state.vulnerability[p] - state.vulnerability[static_cast<std::size_t>(j * N + i)];
        for (std::size_t c = 0; c < C; ++c)
          state.leverage_channels[p * C + c] =
              channel_vulnerability_[c](i, j) - channel_vulnerability_[c](j, i);
        // Barbieri (1996): salience sqrt(TS_i TS_j) times symmetry 1 - |TS_i - TS_j|.
        const double ts_i = trade_share_(i, j), ts_j = trade_share_(j, i);
        state.barbieri[p] = std::sqrt(ts_i * ts_j) * (1.0 - std::abs(ts_i - ts_j));
        concentration += ts_i * ts_i;
      }
      // Hirschman (1945): sqrt(sum_k s_ik^2) over the modelled partners' shares of i's trade.
      state.hirschman[static_cast<std::size_t>(i)] = std::sqrt(concentration);
    }
  });
}

}  // namespace interdep
