#include "engine/sweep/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

namespace interdep::sweep {

namespace {

// Acklam's approximation for p in (0, 0.5] (relative error < 1.15e-9).
double acklam_lower(double p) {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double p_low = 0.02425;
  if (p < p_low) {
    const double q = std::sqrt(-2.0 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  }
  const double q = p - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
}

std::string describe(double x) {
  if (std::isnan(x)) return "NaN";
  return std::to_string(x);
}

}  // namespace

double normal_quantile(double p) {
  if (!(p >= 0.0 && p <= 1.0)) {
    throw std::invalid_argument("normal_quantile: probability must be in [0, 1] (got " +
                                describe(p) + ")");
  }
  if (p == 0.0) return -std::numeric_limits<double>::infinity();
  if (p == 1.0) return std::numeric_limits<double>::infinity();
  // Work in the lower half, where p is exact and the CDF has full relative precision;
  // 1 - p is exact for p in [0.5, 1].
  if (p > 0.5) return -normal_quantile(1.0 - p);
  double x = acklam_lower(p);
  // One Halley step on Phi(x) - p = 0 (skipped in the far tail, p < ~1e-308, where
  // exp(x^2 / 2) overflows and the approximation is kept as it is).
  const double e = 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
  const double u = e * std::sqrt(2.0 * std::numbers::pi) * std::exp(0.5 * x * x);
  if (e != 0.0 && std::isfinite(u)) x -= u / (1.0 + 0.5 * x * u);
  return x;
}

void validate(const ParameterDistribution& dist) {
  switch (dist.kind) {
    case Distribution::uniform:
      if (!std::isfinite(dist.max - dist.min) || dist.min > dist.max) {
        throw std::invalid_argument("uniform distribution needs finite min <= max (got min " +
                                    describe(dist.min) + ", max " + describe(dist.max) + ")");
      }
      return;
    case Distribution::loguniform:
      if (!std::isfinite(dist.min) || !std::isfinite(dist.max) || !(dist.min > 0.0) ||
          dist.min > dist.max) {
        throw std::invalid_argument(
            "loguniform distribution needs finite 0 < min <= max (got min " + describe(dist.min) +
            ", max " + describe(dist.max) + ")");
      }
      return;
    case Distribution::normal:
      if (!std::isfinite(dist.mean) || !std::isfinite(dist.sd) || dist.sd < 0.0) {
        throw std::invalid_argument(
            "normal distribution needs a finite mean and finite sd >= 0 "
            "(got mean " +
            describe(dist.mean) + ", sd " + describe(dist.sd) + ")");
      }
      return;
    case Distribution::discrete:
      if (dist.count == 0) {
        throw std::invalid_argument("discrete distribution needs count >= 1 (got 0)");
      }
      return;
  }
  throw std::invalid_argument("unknown distribution kind");
}

double to_value(const ParameterDistribution& dist, double u) {
  if (!(u >= 0.0 && u <= 1.0)) {
    throw std::invalid_argument("to_value: unit coordinate must be in [0, 1] (got " + describe(u) +
                                ")");
  }
  validate(dist);
  switch (dist.kind) {
    case Distribution::uniform:
      return std::clamp(dist.min + u * (dist.max - dist.min), dist.min, dist.max);
    case Distribution::loguniform: {
      const double lo = std::log(dist.min);
      const double hi = std::log(dist.max);
      return std::clamp(std::exp(lo + u * (hi - lo)), dist.min, dist.max);
    }
    case Distribution::normal: {
      constexpr double eps = 1e-12;
      return dist.mean + dist.sd * normal_quantile(std::clamp(u, eps, 1.0 - eps));
    }
    case Distribution::discrete: {
      // Value i takes the u in [i/count, (i+1)/count), the bounds as this build divides them:
      // u * count alone rounds a design's exact level l/(p-1) = 13/23 to 12.999... and gave two
      // Morris levels one value.
      const auto count = static_cast<double>(dist.count);
      double index = std::floor(u * count);
      if (index + 1.0 < count && (index + 1.0) / count <= u) index += 1.0;
      if (index > 0.0 && index / count > u) index -= 1.0;
      return std::min(index, count - 1.0);
    }
  }
  throw std::invalid_argument("unknown distribution kind");
}

}  // namespace interdep::sweep
