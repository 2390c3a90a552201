#include "engine/sweep/sensitivity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <Eigen/QR>

#include "engine/run/rng.hpp"

namespace interdep::sweep {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void check_confidence(double confidence, const char* function) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    throw std::invalid_argument(std::string(function) +
                                ": confidence must be in (0, 1), e.g. 0.95 (got " +
                                std::to_string(confidence) + ")");
  }
}

std::string value_text(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+inf" : "-inf";
  return std::to_string(v);
}

// Quantile q of sorted values by linear interpolation between order statistics (NumPy's
// default); values must not be empty.
double sorted_quantile(const std::vector<double>& sorted, double q) {
  const double h = static_cast<double>(sorted.size() - 1) * q;
  const double below = std::floor(h);
  const auto i = static_cast<std::size_t>(below);
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (h - below) * (sorted[i + 1] - sorted[i]);
}

// Percentile interval of the finite values (NaN, NaN if there are none).
std::pair<double, double> percentile_interval(std::vector<double> values, double confidence) {
  std::erase_if(values, [](double v) { return !std::isfinite(v); });
  if (values.empty()) return {kNaN, kNaN};
  std::sort(values.begin(), values.end());
  const double tail = 0.5 * (1.0 - confidence);
  return {sorted_quantile(values, tail), sorted_quantile(values, 1.0 - tail)};
}

// Centred outputs split into the Saltelli blocks.
struct SaltelliOutputs {
  std::size_t n = 0, k = 0;
  std::vector<double> a, b;  // [j]
  std::vector<double> ab;    // [i * n + j]
};

// First- and total-order estimates over the base samples `rows` (all of them if null).
void sobol_estimate(const SaltelliOutputs& out, const std::vector<std::size_t>* rows,
                    std::vector<double>& first, std::vector<double>& total) {
  const std::size_t n = out.n;
  auto row = [&](std::size_t m) { return rows ? (*rows)[m] : m; };
  double sum = 0.0;
  for (std::size_t m = 0; m < n; ++m) sum += out.a[row(m)] + out.b[row(m)];
  const double mean = sum / static_cast<double>(2 * n);
  double ss = 0.0;
  for (std::size_t m = 0; m < n; ++m) {
    const double da = out.a[row(m)] - mean;
    const double db = out.b[row(m)] - mean;
    ss += da * da + db * db;
  }
  const double variance = ss / static_cast<double>(2 * n);
  for (std::size_t i = 0; i < out.k; ++i) {
    const double* ab = out.ab.data() + i * n;
    double first_sum = 0.0, total_sum = 0.0;
    for (std::size_t m = 0; m < n; ++m) {
      const std::size_t j = row(m);
      const double diff = ab[j] - out.a[j];
      first_sum += out.b[j] * diff;
      total_sum += diff * diff;
    }
    if (variance > 0.0) {
      first[i] = first_sum / static_cast<double>(n) / variance;
      total[i] = total_sum / static_cast<double>(2 * n) / variance;
    } else {
      first[i] = kNaN;
      total[i] = kNaN;
    }
  }
}

}  // namespace

std::vector<SobolIndex> sobol_indices(const std::vector<double>& y, std::size_t base_samples,
                                      std::size_t dims, std::size_t resamples, double confidence,
                                      std::uint64_t seed) {
  if (base_samples == 0) throw std::invalid_argument("sobol_indices: base_samples must be >= 1");
  if (dims == 0) throw std::invalid_argument("sobol_indices: dims must be >= 1");
  check_confidence(confidence, "sobol_indices");
  const std::size_t per_sample = dims + 2;
  if (per_sample < dims || y.size() / per_sample != base_samples || y.size() % per_sample != 0) {
    throw std::invalid_argument("sobol_indices: expected base_samples * (dims + 2) = " +
                                std::to_string(base_samples) + " * " + std::to_string(per_sample) +
                                " outputs in the Saltelli order, got " + std::to_string(y.size()));
  }
  double sum = 0.0;
  for (std::size_t r = 0; r < y.size(); ++r) {
    if (!std::isfinite(y[r])) {
      const std::size_t block = r % per_sample;
      const std::string matrix = block == 0 ? "A"
                                 : block == per_sample - 1
                                     ? "B"
                                     : "AB for parameter " + std::to_string(block - 1);
      throw std::invalid_argument("sobol_indices: output of row " + std::to_string(r) +
                                  " (base sample " + std::to_string(r / per_sample) + ", " +
                                  matrix + ") is " + value_text(y[r]) +
                                  "; Sobol indices need finite outputs");
    }
    sum += y[r];
  }
  const double centre = sum / static_cast<double>(y.size());

  SaltelliOutputs out;
  out.n = base_samples;
  out.k = dims;
  out.a.resize(base_samples);
  out.b.resize(base_samples);
  out.ab.resize(base_samples * dims);
  for (std::size_t j = 0; j < base_samples; ++j) {
    const double* block = y.data() + j * per_sample;
    out.a[j] = block[0] - centre;
    for (std::size_t i = 0; i < dims; ++i) out.ab[i * base_samples + j] = block[1 + i] - centre;
    out.b[j] = block[dims + 1] - centre;
  }

  std::vector<double> first(dims), total(dims);
  sobol_estimate(out, nullptr, first, total);
  std::vector<SobolIndex> result(dims);
  for (std::size_t i = 0; i < dims; ++i) {
    result[i] = {first[i], total[i], first[i], first[i], total[i], total[i]};
  }
  if (base_samples < 2 && !std::isnan(first[0])) {
    // Every resample of one base sample is that sample: an interval of width 0 would claim a
    // precision the estimate does not have. No interval.
    for (SobolIndex& s : result) s.first_low = s.first_high = s.total_low = s.total_high = kNaN;
    return result;
  }
  if (resamples == 0 || std::isnan(first[0])) return result;

  std::vector<std::vector<double>> boot_first(dims), boot_total(dims);
  for (std::size_t i = 0; i < dims; ++i) {
    boot_first[i].reserve(resamples);
    boot_total[i].reserve(resamples);
  }
  Rng rng(seed);
  std::vector<std::size_t> rows(base_samples);
  for (std::size_t b = 0; b < resamples; ++b) {
    for (auto& r : rows) r = rng.uniform_index(base_samples);
    sobol_estimate(out, &rows, first, total);
    for (std::size_t i = 0; i < dims; ++i) {
      boot_first[i].push_back(first[i]);
      boot_total[i].push_back(total[i]);
    }
  }
  for (std::size_t i = 0; i < dims; ++i) {
    std::tie(result[i].first_low, result[i].first_high) =
        percentile_interval(std::move(boot_first[i]), confidence);
    std::tie(result[i].total_low, result[i].total_high) =
        percentile_interval(std::move(boot_total[i]), confidence);
  }
  return result;
}

std::vector<MorrisIndex> morris_indices(const Design& design, const std::vector<double>& y,
                                        std::size_t resamples, double confidence,
                                        std::uint64_t seed) {
  const std::size_t k = design.dims;
  const std::size_t r = design.base_samples;
  if (k == 0) throw std::invalid_argument("morris_indices: the design has no dimensions");
  if (r == 0) throw std::invalid_argument("morris_indices: the design has no trajectories");
  if (k == std::numeric_limits<std::size_t>::max() || design.points / (k + 1) != r ||
      design.points % (k + 1) != 0 || design.unit.size() / k != design.points ||
      design.unit.size() % k != 0) {
    throw std::invalid_argument("morris_indices: not a Morris design: expected " +
                                std::to_string(r) + " trajectories of " + std::to_string(k + 1) +
                                " rows of " + std::to_string(k) + " values, got " +
                                std::to_string(design.points) + " rows and " +
                                std::to_string(design.unit.size()) + " values");
  }
  if (y.size() != design.points) {
    throw std::invalid_argument("morris_indices: expected one output per design row (" +
                                std::to_string(design.points) + "), got " +
                                std::to_string(y.size()));
  }
  check_confidence(confidence, "morris_indices");
  for (std::size_t row = 0; row < y.size(); ++row) {
    if (!std::isfinite(y[row])) {
      throw std::invalid_argument("morris_indices: output of row " + std::to_string(row) +
                                  " (trajectory " + std::to_string(row / (k + 1)) + ") is " +
                                  value_text(y[row]) + "; elementary effects need finite outputs");
    }
  }

  // Elementary effects, and per trajectory and parameter the sum of |EE| and their count.
  std::vector<std::vector<double>> effects(k);
  std::vector<double> abs_sum(r * k, 0.0);   // [t * k + i]
  std::vector<std::size_t> count(r * k, 0);  // [t * k + i]
  for (std::size_t t = 0; t < r; ++t) {
    for (std::size_t m = 0; m < k; ++m) {
      const std::size_t prev = t * (k + 1) + m;
      const double* x0 = design.unit.data() + prev * k;
      const double* x1 = x0 + k;
      std::size_t moved = k, changes = 0;
      for (std::size_t i = 0; i < k; ++i) {
        if (x0[i] != x1[i]) {
          moved = i;
          ++changes;
        }
      }
      const double dx = changes == 1 ? x1[moved] - x0[moved] : 0.0;
      if (changes != 1 || !std::isfinite(dx)) {
        throw std::invalid_argument("morris_indices: rows " + std::to_string(prev) + " and " +
                                    std::to_string(prev + 1) + " (trajectory " + std::to_string(t) +
                                    ") differ in " + std::to_string(changes) +
                                    " coordinates; a Morris step changes exactly one");
      }
      const double ee = (y[prev + 1] - y[prev]) / dx;
      effects[moved].push_back(ee);
      abs_sum[t * k + moved] += std::abs(ee);
      ++count[t * k + moved];
    }
  }

  std::vector<MorrisIndex> result(k);
  for (std::size_t i = 0; i < k; ++i) {
    const std::vector<double>& e = effects[i];
    if (e.empty()) {
      throw std::invalid_argument("morris_indices: parameter " + std::to_string(i) +
                                  " never changes in the design");
    }
    const auto n = static_cast<double>(e.size());
    double sum = 0.0, abs_total = 0.0;
    for (double v : e) {
      sum += v;
      abs_total += std::abs(v);
    }
    const double mu = sum / n;
    double ss = 0.0;
    for (double v : e) ss += (v - mu) * (v - mu);
    MorrisIndex& out = result[i];
    out.mu = mu;
    out.mu_star = abs_total / n;
    out.sigma = e.size() > 1 ? std::sqrt(ss / (n - 1.0)) : kNaN;
    out.mu_star_low = out.mu_star;
    out.mu_star_high = out.mu_star;
    out.effects = e.size();
  }
  if (r < 2) {
    // One trajectory: every resample is that trajectory, and an interval would have width 0.
    for (MorrisIndex& m : result) m.mu_star_low = m.mu_star_high = kNaN;
    return result;
  }
  if (resamples == 0) return result;

  std::vector<std::vector<double>> boot(k);
  for (auto& b : boot) b.reserve(resamples);
  Rng rng(seed);
  std::vector<double> sums(k);
  std::vector<std::size_t> counts(k);
  for (std::size_t b = 0; b < resamples; ++b) {
    std::fill(sums.begin(), sums.end(), 0.0);
    std::fill(counts.begin(), counts.end(), std::size_t{0});
    for (std::size_t s = 0; s < r; ++s) {
      const std::size_t t = rng.uniform_index(r);
      for (std::size_t i = 0; i < k; ++i) {
        sums[i] += abs_sum[t * k + i];
        counts[i] += count[t * k + i];
      }
    }
    for (std::size_t i = 0; i < k; ++i) {
      if (counts[i] > 0) boot[i].push_back(sums[i] / static_cast<double>(counts[i]));
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    std::tie(result[i].mu_star_low, result[i].mu_star_high) =
        percentile_interval(std::move(boot[i]), confidence);
  }
  return result;
}

namespace {

// Ranks 1..n of `v`, ties sharing their mean rank.
Eigen::VectorXd ranks_of(const Eigen::VectorXd& v) {
  const auto n = v.size();
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](Eigen::Index a, Eigen::Index b) { return v[a] < v[b]; });
  Eigen::VectorXd r(n);
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    const double mean_rank = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t t = i; t <= j; ++t) r[order[t]] = mean_rank;
    i = j + 1;
  }
  return r;
}

// The columns (x..., y) of `m` standardised in place; false if one does not vary.
bool standardise(Eigen::MatrixXd& m) {
  const double n = static_cast<double>(m.rows());
  for (Eigen::Index c = 0; c < m.cols(); ++c) {
    const double mean = m.col(c).mean();
    m.col(c).array() -= mean;
    const double sd = std::sqrt(m.col(c).squaredNorm() / (n - 1.0));
    if (!(sd > 0.0) || !std::isfinite(sd)) return false;
    m.col(c) /= sd;
  }
  return true;
}

// Whether the values `v` differ by more than rounding: a range above 1e-12 of their magnitude. A
// parameter set to 0.1 at every point does not vary, though 0.1 less the mean of its copies need
// not be exactly 0 (and would be standardised into noise).
bool varies(const Eigen::VectorXd& v) {
  const double low = v.minCoeff(), high = v.maxCoeff();
  return high - low > 1e-12 * std::max(std::abs(low), std::abs(high));
}

// SRC and PRCC of the rows `rows` of (x, y); R^2 of both regressions when asked.
void regression_estimate(const Eigen::MatrixXd& xy, const std::vector<std::size_t>& rows,
                         std::vector<double>& src, std::vector<double>& prcc, double* r2,
                         double* r2_rank) {
  const auto n = static_cast<Eigen::Index>(rows.size());
  src.assign(static_cast<std::size_t>(xy.cols() - 1), kNaN);
  prcc.assign(static_cast<std::size_t>(xy.cols() - 1), kNaN);
  if (r2) *r2 = kNaN;
  if (r2_rank) *r2_rank = kNaN;
  Eigen::MatrixXd all(n, xy.cols());
  for (Eigen::Index i = 0; i < n; ++i)
    all.row(i) = xy.row(static_cast<Eigen::Index>(rows[static_cast<std::size_t>(i)]));
  // The parameters that vary over these rows, and y: one that does not keeps NaN, and the others
  // are estimated without it (a constant is the regression's intercept). Nothing is estimated for
  // a y that does not vary.
  std::vector<Eigen::Index> column;  // m's column c is all's column[c]
  for (Eigen::Index c = 0; c + 1 < xy.cols(); ++c)
    if (varies(all.col(c))) column.push_back(c);
  if (column.empty() || !varies(all.col(xy.cols() - 1))) return;
  column.push_back(xy.cols() - 1);
  const auto k = static_cast<Eigen::Index>(column.size()) - 1;
  Eigen::MatrixXd m(n, k + 1);
  for (Eigen::Index c = 0; c <= k; ++c) m.col(c) = all.col(column[static_cast<std::size_t>(c)]);
  const auto out = [&](Eigen::Index p) {
    return static_cast<std::size_t>(column[static_cast<std::size_t>(p)]);
  };
  Eigen::MatrixXd ranked(n, k + 1);
  for (Eigen::Index c = 0; c <= k; ++c) ranked.col(c) = ranks_of(m.col(c));
  if (standardise(m)) {
    const Eigen::MatrixXd x = m.leftCols(k);
    const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x);
    if (qr.rank() == k) {
      const Eigen::VectorXd beta = qr.solve(m.col(k));
      for (Eigen::Index p = 0; p < k; ++p) src[out(p)] = beta[p];
      if (r2) *r2 = 1.0 - (m.col(k) - x * beta).squaredNorm() / m.col(k).squaredNorm();
    }
  }
  if (standardise(ranked)) {
    // The regression of y's ranks on the parameters' ranks, and each coefficient's t statistic:
    // a partial correlation is t / sqrt(t^2 + df), that is b_j / sqrt(b_j^2 + SSE (X'X)^-1_jj).
    // Unlike the inverse of the correlation matrix of (x, y), this form stays defined when the
    // ranks of y follow those of the parameters exactly (a monotone output of one parameter,
    // SSE = 0): the parameters that move y then have +-1, the others about 0. SSE is held above
    // the rounding of the regression's residuals (1e-13 a standardised rank, squared) so that the
    // others' coefficients, rounding themselves, do not become +-1.
    const Eigen::MatrixXd x = ranked.leftCols(k);
    const Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(x);
    if (qr.rank() == k) {
      const Eigen::VectorXd beta = qr.solve(ranked.col(k));
      const double rounding = 1e-26 * static_cast<double>(n);
      const double sse = std::max((ranked.col(k) - x * beta).squaredNorm(), rounding);
      // (X'X)^-1 = P R^-1 R^-T P^T: its diagonal from the rows of R^-1, in pivoted order.
      const auto r = qr.matrixR().topLeftCorner(k, k).template triangularView<Eigen::Upper>();
      const Eigen::MatrixXd r_inverse = r.solve(Eigen::MatrixXd::Identity(k, k));
      const auto& order = qr.colsPermutation().indices();
      for (Eigen::Index i = 0; i < k; ++i) {
        const Eigen::Index q = order[i];
        const double b = beta[q], spread = sse * r_inverse.row(i).squaredNorm();
        if (std::isfinite(b) && std::isfinite(spread)) prcc[out(q)] = b / std::sqrt(b * b + spread);
      }
      // R^2 of y's ranks on x's (its total sum of squares is n - 1, standardised).
      if (r2_rank)
        *r2_rank = 1.0 - (ranked.col(k) - x * beta).squaredNorm() / static_cast<double>(n - 1);
    }
  }
}

}  // namespace

RegressionIndices regression_indices(const std::vector<double>& x, const std::vector<double>& y,
                                     std::size_t dims, std::size_t resamples, double confidence,
                                     std::uint64_t seed) {
  check_confidence(confidence, "regression_indices");
  if (dims == 0) throw std::invalid_argument("regression_indices: dims must be at least 1");
  if (x.size() != y.size() * dims)
    throw std::invalid_argument("regression_indices: " + std::to_string(x.size()) +
                                " parameter values for " + std::to_string(y.size()) +
                                " points of " + std::to_string(dims) + " parameters");
  if (y.size() < dims + 2)
    throw std::invalid_argument("SRC and PRCC: " + std::to_string(y.size()) +
                                " design points are too few for " + std::to_string(dims) +
                                " parameters (at least " + std::to_string(dims + 2) + ")");
  const auto n = static_cast<Eigen::Index>(y.size()), k = static_cast<Eigen::Index>(dims);
  Eigen::MatrixXd xy(n, k + 1);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index p = 0; p < k; ++p) xy(i, p) = x[static_cast<std::size_t>(i * k + p)];
    xy(i, k) = y[static_cast<std::size_t>(i)];
    if (!xy.row(i).allFinite())
      throw std::invalid_argument("regression_indices: point " + std::to_string(i) +
                                  " has a non-finite value (" + value_text(xy(i, k)) + ")");
  }
  std::vector<std::size_t> all(y.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  RegressionIndices out;
  for (Eigen::Index p = 0; p < k; ++p)
    if (!varies(xy.col(p))) out.constant.push_back(static_cast<std::size_t>(p));
  std::vector<double> src, prcc;
  regression_estimate(xy, all, src, prcc, &out.r2, &out.r2_rank);
  out.parameters.resize(dims);
  for (std::size_t p = 0; p < dims; ++p) {
    RegressionIndex& r = out.parameters[p];
    r.src = r.src_low = r.src_high = src[p];
    r.prcc = r.prcc_low = r.prcc_high = prcc[p];
  }
  if (resamples == 0) return out;
  std::vector<std::vector<double>> boot_src(dims), boot_prcc(dims);
  Rng rng(seed);
  std::vector<std::size_t> rows(y.size());
  for (std::size_t b = 0; b < resamples; ++b) {
    for (std::size_t& r : rows) r = rng.uniform_index(y.size());
    regression_estimate(xy, rows, src, prcc, nullptr, nullptr);
    for (std::size_t p = 0; p < dims; ++p) {
      boot_src[p].push_back(src[p]);
      boot_prcc[p].push_back(prcc[p]);
    }
  }
  for (std::size_t p = 0; p < dims; ++p) {
    RegressionIndex& r = out.parameters[p];
    if (std::isfinite(r.src))
      std::tie(r.src_low, r.src_high) = percentile_interval(std::move(boot_src[p]), confidence);
    if (std::isfinite(r.prcc))
      std::tie(r.prcc_low, r.prcc_high) = percentile_interval(std::move(boot_prcc[p]), confidence);
  }
  return out;
}

}  // namespace interdep::sweep
