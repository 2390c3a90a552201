// Global sensitivity estimators on model outputs evaluated at a design from
// engine/sweep/design.hpp: Sobol first- and total-order indices (Saltelli design) and Morris
// elementary effects (Morris design). Pure math, deterministic given the seed.
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

}  // namespace interdep::sweep
