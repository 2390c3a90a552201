// Scores of an ensemble forecast against observed figures (`interdep score`,
// docs/validation.md, "Scoring a run"). An ensemble is the runs a user hands over (replicates
// with other seeds, draws of the fitted parameters); each observed figure gets the members'
// simulated counterparts, and from them:
//   - the central predictive interval at `level` (default 90 %): the members' quantiles
//     (1 - level) / 2 and (1 + level) / 2, linearly interpolated between order statistics
//     (Hyndman & Fan type 7, as numpy.quantile's default);
//   - whether the observed figure lies inside it (coverage: the share of figures inside should
//     be near `level` for a calibrated ensemble);
//   - the log error ln(median / observed), for positive figures (a factor: 0.1 is 10 % high);
//   - the CRPS of the members' empirical distribution F, in the figure's unit:
//       CRPS(F, y) = (1/m) sum_i |x_i - y| - 1/(2 m^2) sum_i sum_j |x_i - x_j|
//     (Gneiting & Raftery 2007, eq. 20); for one member it is the absolute error;
//   - z = (mean - observed) / sqrt(u^2 + s^2), with u the figure's standard uncertainty (0 when
//     not given) and s the members' standard deviation (0 for one member).
#pragma once

#include <cstddef>
#include <vector>

#include "engine/scenario/spec.hpp"

namespace interdep::score {

// The p-quantile (0 <= p <= 1) of `sorted` (ascending, not empty), type 7.
double quantile(const std::vector<double>& sorted, double p);

// The CRPS of the empirical distribution of `members` (not empty) at `observed`.
double crps_ensemble(std::vector<double> members, double observed);

// A figure whose observed value is NaN (not known yet) is a prediction: it gets its median,
// mean and interval, and NaN or false for everything that needs the observed value; the
// summaries leave it out.
struct FigureScore {
  std::size_t series = 0;  // index in the observations scored
  double date = 0.0;       // decimal year (period year: the year)
  double observed = 0.0;
  double uncertainty = 0.0;  // NaN when the figure has none
  std::size_t members = 0;
  double median = 0.0, mean = 0.0, lower = 0.0, upper = 0.0;
  bool covered = false;    // lower <= observed <= upper
  double log_error = 0.0;  // NaN unless median and observed are > 0
  double crps = 0.0;       // in the figure's unit
  double z = 0.0;          // NaN when u and s are both 0
};

struct SeriesScore {
  std::size_t figures = 0, covered = 0;  // figures with an observed value, and those inside
  std::size_t predictions = 0;           // figures without one
  double mean_abs_log_error = 0.0;       // over the figures with a log error; NaN if none
  std::size_t log_errors = 0;            // how many figures have one
  double mean_crps = 0.0;                // in the series' unit
};

struct ScoreTable {
  double level = 0.9;
  std::vector<FigureScore> figures;  // every figure, series by series, in date order as given
  std::vector<SeriesScore> series;   // one per observation series
  SeriesScore overall;               // mean_crps mixes units: only shown for one series
};

// `simulated[f][m]`: member m's value for figure f, figures in the order of `observations`
// (series by series, each in its dates' order), every value finite. `level` in (0, 1).
ScoreTable score_ensemble(const std::vector<ObservationSpec>& observations,
                          const std::vector<std::vector<double>>& simulated, double level);

}  // namespace interdep::score
