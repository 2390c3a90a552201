// Global sensitivity estimators on model outputs evaluated at a design from
// engine/sweep/design.hpp: Sobol first- and total-order indices (Saltelli design), Morris
// elementary effects (Morris design), and standardised regression and partial rank correlation
// coefficients (any design: LHS, grid, CSV). Pure math, deterministic given the seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/sweep/design.hpp"

namespace interdep::sweep {

struct SobolIndex {
  double first = 0, total = 0;           // point estimates
  double first_low = 0, first_high = 0;  // bootstrap percentile interval of `first`
  double total_low = 0, total_high = 0;  // bootstrap percentile interval of `total`
};

// One index per parameter from outputs y in the Saltelli row order (Design::base_samples = N,
// rows A_j, AB_j^(1..k), B_j for each j; y.size() == N (k + 2)).
//   first  S_i  = mean_j( f(B)_j (f(AB^i)_j - f(A)_j) ) / V        (Saltelli et al. 2010)
//   total  ST_i = mean_j( (f(A)_j - f(AB^i)_j)^2 ) / (2 V)          (Jansen 1999)
//   V = variance (divisor 2N) of the concatenated f(A), f(B).
// As in SALib, y is first centred by the mean of all N (k + 2) outputs: this leaves the
// estimator's expectation unchanged but stops a large output mean from inflating its variance.
// Confidence intervals: `resamples` bootstrap resamples of the N base samples (with replacement,
// seeded interdep::Rng), percentile interval at `confidence` (e.g. 0.95), linear interpolation
// between order statistics. resamples == 0 skips the bootstrap: the interval collapses to the
// point estimate. If V == 0 (an output constant over A and B) every index and bound is NaN.
// Throws std::invalid_argument for base_samples or dims of 0, a y of the wrong size, confidence
// outside (0, 1), or a non-finite output (the message names the row).
std::vector<SobolIndex> sobol_indices(const std::vector<double>& y, std::size_t base_samples,
                                      std::size_t dims, std::size_t resamples, double confidence,
                                      std::uint64_t seed);

struct MorrisIndex {
  double mu = 0;           // mean elementary effect
  double mu_star = 0;      // mean absolute elementary effect (Campolongo et al. 2007)
  double sigma = 0;        // sample standard deviation (divisor n - 1); NaN if effects == 1
  double mu_star_low = 0;  // bootstrap percentile interval of mu_star
  double mu_star_high = 0;
  std::size_t effects = 0;  // number of elementary effects (r for a morris() design)
};

// One index per parameter from a Morris design (Design::base_samples = r trajectories of
// dims + 1 rows) and the outputs y at its rows. For consecutive rows of a trajectory that differ
// in dimension i, EE = (y_next - y_prev) / (x_next_i - x_prev_i) in unit scale (i.e. divided by
// +-Delta). Bootstrap: `resamples` resamples of the trajectories with replacement, percentile
// interval of mu_star at `confidence`; resamples == 0 collapses it to mu_star.
// Throws std::invalid_argument if the design is inconsistent (sizes, a step that changes other
// than exactly one coordinate, a parameter that never moves), y has the wrong size or a
// non-finite value (the message names the row), or confidence is outside (0, 1).
std::vector<MorrisIndex> morris_indices(const Design& design, const std::vector<double>& y,
                                        std::size_t resamples, double confidence,
                                        std::uint64_t seed);

struct RegressionIndex {
  double src = 0, src_low = 0, src_high = 0;     // standardised regression coefficient
  double prcc = 0, prcc_low = 0, prcc_high = 0;  // partial rank correlation coefficient
};
struct RegressionIndices {
  std::vector<RegressionIndex> parameters;
  double r2 = 0;       // R^2 of the linear regression of y on x: how far the SRC describe y
  double r2_rank = 0;  // R^2 of the regression of the ranks: how far the PRCC do
  // The parameters (indices) whose value is the same at every point, to rounding: their SRC and
  // PRCC are NaN, and the others' are estimated without them.
  std::vector<std::size_t> constant;
};

// The screening of agent-based models (Saltelli et al. 2008, ch. 1.2; Marino et al. 2008) on the
// design points' parameter values x ([point * dims + p], any units: both measures are
// scale-free) and outputs y ([point]):
//   SRC_p  = the coefficient of x_p in the least-squares regression of y on all x, with x and y
//            standardised (mean 0, standard deviation 1): the change of y, in its standard
//            deviations, per standard deviation of x_p. With independent x, sum SRC_p^2 = R^2;
//   PRCC_p = the correlation of the ranks of x_p and y once the ranks of the other x are
//            regressed out of both (ties get their mean rank): -P_py / sqrt(P_pp P_yy) with P
//            the inverse of the rank correlation matrix of (x, y). Monotone effects count, not
//            only linear ones.
// Intervals: `resamples` bootstrap resamples of the points (with replacement, seeded
// interdep::Rng), percentile interval at `confidence`; resamples == 0 collapses them. An output
// that does not vary, or parameters that are collinear, give NaN; a parameter that does not vary
// (its range at most 1e-12 of its magnitude) gets NaN, and the others are estimated without it
// (in a resample too). Throws
// std::invalid_argument for sizes that do not match, fewer points than dims + 2, confidence
// outside (0, 1), or a non-finite value (the message names the point).
RegressionIndices regression_indices(const std::vector<double>& x, const std::vector<double>& y,
                                     std::size_t dims, std::size_t resamples, double confidence,
                                     std::uint64_t seed);

}  // namespace interdep::sweep
