// Maps a unit-hypercube coordinate u in [0, 1] to a parameter value by the inverse CDF of the
// parameter's distribution, so that any design (engine/sweep/design.hpp) becomes a sample of the
// parameters.
#pragma once

#include <cstddef>

namespace interdep::sweep {

enum class Distribution { uniform, normal, loguniform, discrete };

struct ParameterDistribution {
  Distribution kind = Distribution::uniform;
  double min = 0, max = 1;  // uniform, loguniform (0 < min)
  double mean = 0, sd = 1;  // normal
  std::size_t count = 0;    // discrete: number of values
};

// Throws std::invalid_argument unless the fields used by `kind` are valid: uniform needs min <= max
// with max - min finite; loguniform finite 0 < min <= max; normal finite mean and finite sd >= 0;
// discrete count >= 1. to_value() calls it; call it early to reject a bad configuration.
void validate(const ParameterDistribution& dist);

// The value at unit coordinate u (throws std::invalid_argument unless u is in [0, 1], or if
// validate() throws):
//   uniform:    min + u (max - min)                                (clamped to [min, max])
//   loguniform: exp(log min + u (log max - log min))               (clamped to [min, max])
//   normal:     mean + sd * normal_quantile(u), u clamped to [1e-12, 1 - 1e-12]
//   discrete:   the index floor(u * count), clamped to count - 1, as a double
double to_value(const ParameterDistribution& dist, double u);

// A quantile whose value is not a whole number unless the range is tiny (the golden section):
// where a sweep or a calibration tries a continuous parameter inside its range, so that a key
// taking whole numbers only is refused before any run.
inline constexpr double kInsideQuantile = 0.3819660112501051;

// Inverse of the standard normal CDF: Acklam's rational approximation refined by one Halley step
// with std::erfc (relative error below 3e-14 for p from 1e-300 to 1 - 1e-3 against Python's
// statistics.NormalDist, i.e. Wichura's AS241; Acklam alone is 1.15e-9).
// p == 0 gives -infinity and p == 1 +infinity; p outside [0, 1] or NaN throws
// std::invalid_argument.
double normal_quantile(double p);

}  // namespace interdep::sweep
