#include "engine/sweep/design.hpp"

#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "engine/run/rng.hpp"

namespace interdep::sweep {

namespace {

std::size_t checked_mul(std::size_t a, std::size_t b, const char* what) {
  if (a != 0 && b > std::numeric_limits<std::size_t>::max() / a) {
    throw std::invalid_argument(std::string(what) + ": design size overflows");
  }
  return a * b;
}

// Fisher-Yates shuffle of 0, 1, ..., n - 1.
std::vector<std::size_t> random_permutation(Rng& rng, std::size_t n) {
  std::vector<std::size_t> perm(n);
  std::iota(perm.begin(), perm.end(), std::size_t{0});
  for (std::size_t i = n; i > 1; --i) {
    const std::size_t j = rng.uniform_index(i);
    std::swap(perm[i - 1], perm[j]);
  }
  return perm;
}

void require_positive(std::size_t value, const char* function, const char* name) {
  if (value == 0) {
    throw std::invalid_argument(std::string(function) + ": " + name + " must be at least 1");
  }
}

void check_morris_levels(std::size_t levels, const char* function) {
  if (levels < 2) {
    throw std::invalid_argument(std::string(function) + ": levels must be at least 2 (got " +
                                std::to_string(levels) + ")");
  }
  if (levels % 2 != 0) {
    throw std::invalid_argument(std::string(function) +
                                ": levels must be even so that Delta = p / (2 (p - 1)) pairs "
                                "every grid point with another one (got " +
                                std::to_string(levels) + ")");
  }
}

}  // namespace

Design full_factorial(const std::vector<std::size_t>& levels_per_dim) {
  if (levels_per_dim.empty()) {
    throw std::invalid_argument("full_factorial: at least one dimension is needed");
  }
  std::size_t points = 1;
  for (std::size_t d = 0; d < levels_per_dim.size(); ++d) {
    if (levels_per_dim[d] == 0) {
      throw std::invalid_argument("full_factorial: dimension " + std::to_string(d) +
                                  " has 0 levels (need at least 1)");
    }
    points = checked_mul(points, levels_per_dim[d], "full_factorial");
  }
  Design design;
  design.points = points;
  design.dims = levels_per_dim.size();
  design.unit.resize(checked_mul(points, design.dims, "full_factorial"));
  std::vector<std::size_t> level(design.dims, 0);  // odometer, last dimension fastest
  for (std::size_t p = 0; p < points; ++p) {
    for (std::size_t d = 0; d < design.dims; ++d) {
      const std::size_t count = levels_per_dim[d];
      design.unit[p * design.dims + d] =
          count == 1 ? 0.5 : static_cast<double>(level[d]) / static_cast<double>(count - 1);
    }
    for (std::size_t d = design.dims; d-- > 0;) {
      if (++level[d] < levels_per_dim[d]) break;
      level[d] = 0;
    }
  }
  return design;
}

Design latin_hypercube(std::size_t points, std::size_t dims, std::uint64_t seed) {
  require_positive(points, "latin_hypercube", "points");
  require_positive(dims, "latin_hypercube", "dims");
  Design design;
  design.points = points;
  design.dims = dims;
  design.unit.resize(checked_mul(points, dims, "latin_hypercube"));
  Rng rng(seed);
  const auto n = static_cast<double>(points);
  for (std::size_t d = 0; d < dims; ++d) {
    const std::vector<std::size_t> stratum = random_permutation(rng, points);
    for (std::size_t p = 0; p < points; ++p) {
      const auto s = static_cast<double>(stratum[p]);
      double v = (s + rng.uniform()) / n;
      // Rounding of s + u may land on the next stratum's edge: keep v strictly inside.
      while (v * n >= s + 1.0) v = std::nextafter(v, 0.0);
      while (v * n < s) v = std::nextafter(v, 1.0);
      design.unit[p * dims + d] = v;
    }
  }
  return design;
}

Design saltelli(std::size_t base_samples, std::size_t dims, std::uint64_t seed) {
  require_positive(base_samples, "saltelli", "base_samples");
  require_positive(dims, "saltelli", "dims");
  if (dims > std::numeric_limits<std::size_t>::max() - 2) {
    throw std::invalid_argument("saltelli: design size overflows");
  }
  const std::size_t rows_per_sample = dims + 2;
  Design design;
  design.points = checked_mul(base_samples, rows_per_sample, "saltelli");
  design.dims = dims;
  design.base_samples = base_samples;
  design.unit.resize(checked_mul(design.points, dims, "saltelli"));
  // Monte Carlo: A_j and B_j are independent pseudo-random uniform rows (not a Sobol sequence).
  Rng rng(seed);
  std::vector<double> a(dims), b(dims);
  for (std::size_t j = 0; j < base_samples; ++j) {
    for (auto& v : a) v = rng.uniform();
    for (auto& v : b) v = rng.uniform();
    double* block = design.unit.data() + j * rows_per_sample * dims;
    for (std::size_t r = 0; r < rows_per_sample; ++r) {
      const std::vector<double>& source = r + 1 == rows_per_sample ? b : a;  // B_j last
      for (std::size_t d = 0; d < dims; ++d) block[r * dims + d] = source[d];
      if (r >= 1 && r <= dims) block[r * dims + (r - 1)] = b[r - 1];  // AB_j^(r)
    }
  }
  return design;
}

double morris_delta(std::size_t levels) {
  check_morris_levels(levels, "morris_delta");
  const auto p = static_cast<double>(levels);
  return p / (2.0 * (p - 1.0));
}

Design morris(std::size_t trajectories, std::size_t dims, std::size_t levels, std::uint64_t seed) {
  require_positive(trajectories, "morris", "trajectories");
  require_positive(dims, "morris", "dims");
  check_morris_levels(levels, "morris");
  if (dims == std::numeric_limits<std::size_t>::max()) {
    throw std::invalid_argument("morris: design size overflows");
  }
  Design design;
  design.points = checked_mul(trajectories, dims + 1, "morris");
  design.dims = dims;
  design.base_samples = trajectories;
  design.unit.resize(checked_mul(design.points, dims, "morris"));

  // On the grid, Delta is half = p / 2 levels: the lower half {0, ..., half - 1} allows +Delta
  // and maps onto the upper half, which allows -Delta.
  const std::size_t half = levels / 2;
  const auto top = static_cast<double>(levels - 1);
  Rng rng(seed);
  std::vector<std::size_t> level(dims);
  std::vector<bool> up(dims);
  for (std::size_t t = 0; t < trajectories; ++t) {
    for (std::size_t d = 0; d < dims; ++d) level[d] = rng.uniform_index(half);  // x*
    for (std::size_t d = 0; d < dims; ++d) {
      up[d] = (rng.next_u64() >> 63) == 0;
      if (!up[d]) level[d] += half;  // start at x* + Delta, step -Delta
    }
    const std::vector<std::size_t> order = random_permutation(rng, dims);
    double* block = design.unit.data() + t * (dims + 1) * dims;
    for (std::size_t d = 0; d < dims; ++d) block[d] = static_cast<double>(level[d]) / top;
    for (std::size_t m = 0; m < dims; ++m) {
      const std::size_t moved = order[m];
      level[moved] = up[moved] ? level[moved] + half : level[moved] - half;
      double* row = block + (m + 1) * dims;
      for (std::size_t d = 0; d < dims; ++d) row[d] = static_cast<double>(level[d]) / top;
    }
  }
  return design;
}

}  // namespace interdep::sweep
