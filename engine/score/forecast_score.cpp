#include "engine/score/forecast_score.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>

namespace interdep::score {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void add(SeriesScore& s, const FigureScore& f) {
  if (std::isnan(f.observed)) {
    ++s.predictions;
    return;
  }
  ++s.figures;
  s.covered += f.covered ? 1 : 0;
  s.mean_crps += f.crps;
  if (std::isfinite(f.log_error)) {
    s.mean_abs_log_error += std::abs(f.log_error);
    ++s.log_errors;
  }
}

void finish(SeriesScore& s) {
  s.mean_crps = s.figures > 0 ? s.mean_crps / static_cast<double>(s.figures) : kNaN;
  s.mean_abs_log_error =
      s.log_errors > 0 ? s.mean_abs_log_error / static_cast<double>(s.log_errors) : kNaN;
}

}  // namespace

double quantile(const std::vector<double>& sorted, double p) {
  assert(!sorted.empty() && p >= 0.0 && p <= 1.0);
  const double h = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(h));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (h - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

double crps_ensemble(std::vector<double> x, double observed) {
  assert(!x.empty());
  std::sort(x.begin(), x.end());
  const auto m = static_cast<double>(x.size());
  double to_observed = 0.0, spread = 0.0;
  // sum_i sum_j |x_i - x_j| = 2 sum_i (2i - m - 1) x_(i), i = 1..m over the sorted members.
  for (std::size_t i = 0; i < x.size(); ++i) {
    to_observed += std::abs(x[i] - observed);
    spread += (2.0 * static_cast<double>(i + 1) - m - 1.0) * x[i];
  }
  return to_observed / m - spread / (m * m);
}

// The relative width below which an observed value on an interval's edge is inside it.
constexpr double kInsideRounding = 1e-12;

ScoreTable score_ensemble(const std::vector<ObservationSpec>& observations,
                          const std::vector<std::vector<double>>& simulated, double level) {
  assert(level > 0.0 && level < 1.0);
  ScoreTable table;
  table.level = level;
  table.series.resize(observations.size());
  std::size_t f = 0;
  for (std::size_t s = 0; s < observations.size(); ++s) {
    const ObservationSpec& o = observations[s];
    for (std::size_t k = 0; k < o.dates.size(); ++k, ++f) {
      assert(f < simulated.size() && !simulated[f].empty());
      std::vector<double> x = simulated[f];
      std::sort(x.begin(), x.end());
      const auto m = static_cast<double>(x.size());
      FigureScore score;
      score.series = s;
      score.date = o.dates[k];
      score.observed = o.values[k];
      score.uncertainty = o.uncertainty[k];
      score.members = x.size();
      score.median = quantile(x, 0.5);
      score.mean = std::accumulate(x.begin(), x.end(), 0.0) / m;
      score.lower = quantile(x, (1.0 - level) / 2.0);
      score.upper = quantile(x, (1.0 + level) / 2.0);
      // Inside to the rounding of sums (kInsideRounding of the values' size): a figure written
      // from the run itself, summed in another order, lies on a one-member interval.
      const double rounding =
          kInsideRounding *
          std::max({std::abs(score.lower), std::abs(score.upper), std::abs(score.observed)});
      score.covered =
          score.lower - rounding <= score.observed && score.observed <= score.upper + rounding;
      score.log_error = score.median > 0.0 && score.observed > 0.0
                            ? std::log(score.median / score.observed)
                            : kNaN;
      score.crps = std::isnan(score.observed) ? kNaN : crps_ensemble(x, score.observed);
      double variance = 0.0;
      for (double v : x) variance += (v - score.mean) * (v - score.mean);
      variance = x.size() > 1 ? variance / (m - 1.0) : 0.0;
      const double u = std::isfinite(score.uncertainty) ? score.uncertainty : 0.0;
      const double scale = std::sqrt(u * u + variance);
      score.z = scale > 0.0 ? (score.mean - score.observed) / scale : kNaN;
      add(table.series[s], score);
      add(table.overall, score);
      table.figures.push_back(score);
    }
  }
  assert(f == simulated.size());
  for (SeriesScore& s : table.series) finish(s);
  finish(table.overall);
  return table;
}

}  // namespace interdep::score
