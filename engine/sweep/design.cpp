#include "engine/sweep/design.hpp"

#include <bit>
#include <cassert>
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

// An unbiased integer in [0, n) from the hashes key_mix(hash, 0), key_mix(hash, 1), ...: the
// first that is not among the 2^64 mod n lowest values, taken mod n (as Rng::uniform_index).
std::size_t keyed_index(std::uint64_t hash, std::size_t n) {
  assert(n > 0);
  const auto bound = static_cast<std::uint64_t>(n);
  const std::uint64_t threshold = (0 - bound) % bound;  // 2^64 mod n
  for (std::uint64_t attempt = 0;; ++attempt) {
    const std::uint64_t r = Rng::key_mix(hash, attempt);
    if (r >= threshold) return static_cast<std::size_t>(r % bound);
  }
}

// The keys of the designs' draws: a stream per kind of draw, after the design's seed.
constexpr std::uint64_t kStrataStream = 1;    // Latin hypercube: the permutations' keys
constexpr std::uint64_t kPositionStream = 2;  // Latin hypercube: positions inside strata
constexpr std::uint64_t kSampleAStream = 1;   // Saltelli: matrix A
constexpr std::uint64_t kSampleBStream = 2;   // Saltelli: matrix B
constexpr std::uint64_t kStartStream = 1;     // Morris: x*, per trajectory and dimension
constexpr std::uint64_t kSignStream = 2;      // Morris: direction, per trajectory and dimension
constexpr std::uint64_t kOrderStream = 3;     // Morris: the order of the moves, per trajectory

}  // namespace

std::uint64_t keyed_permutation(std::uint64_t index, std::uint64_t n, std::uint64_t key) {
  assert(n > 0 && index < n);
  constexpr int kRounds = 6;
  // Half the bits of the smallest even width 2h >= 2 that holds n - 1.
  const int width = std::max(2, static_cast<int>(std::bit_width(n - 1)));
  const int h = (width + 1) / 2;
  const std::uint64_t mask = (std::uint64_t{1} << h) - 1;  // h <= 32
  std::uint64_t x = index;
  do {  // cycle walking: the values >= n are passed through again, until one lands in range
    std::uint64_t left = x >> h, right = x & mask;
    for (int r = 0; r < kRounds; ++r) {
      const std::uint64_t f = Rng::key_mix(Rng::key_mix(key, static_cast<std::uint64_t>(r)), right);
      const std::uint64_t next = left ^ (f & mask);
      left = right;
      right = next;
    }
    x = (left << h) | right;
  } while (x >= n);
  return x;
}

DesignPoints DesignPoints::grid(std::vector<std::size_t> levels_per_dim,
                                std::vector<bool> centred) {
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
  checked_mul(points, levels_per_dim.size(), "full_factorial");
  assert(centred.empty() || centred.size() == levels_per_dim.size());
  DesignPoints design(Kind::grid, points, levels_per_dim.size(), 0);
  design.levels_ = std::move(levels_per_dim);
  design.centred_ = centred.empty() ? std::vector<bool>(design.dims_, false) : std::move(centred);
  return design;
}

DesignPoints DesignPoints::latin_hypercube(std::size_t points, std::size_t dims,
                                           std::uint64_t seed) {
  require_positive(points, "latin_hypercube", "points");
  require_positive(dims, "latin_hypercube", "dims");
  checked_mul(points, dims, "latin_hypercube");
  return DesignPoints(Kind::lhs, points, dims, seed);
}

DesignPoints DesignPoints::saltelli(std::size_t base_samples, std::size_t dims,
                                    std::uint64_t seed) {
  require_positive(base_samples, "saltelli", "base_samples");
  require_positive(dims, "saltelli", "dims");
  if (dims > std::numeric_limits<std::size_t>::max() - 2) {
    throw std::invalid_argument("saltelli: design size overflows");
  }
  const std::size_t points = checked_mul(base_samples, dims + 2, "saltelli");
  checked_mul(points, dims, "saltelli");
  DesignPoints design(Kind::saltelli, points, dims, seed);
  design.base_samples_ = base_samples;
  return design;
}

DesignPoints DesignPoints::morris(std::size_t trajectories, std::size_t dims, std::size_t levels,
                                  std::uint64_t seed) {
  require_positive(trajectories, "morris", "trajectories");
  require_positive(dims, "morris", "dims");
  check_morris_levels(levels, "morris");
  if (dims == std::numeric_limits<std::size_t>::max()) {
    throw std::invalid_argument("morris: design size overflows");
  }
  const std::size_t points = checked_mul(trajectories, dims + 1, "morris");
  checked_mul(points, dims, "morris");
  DesignPoints design(Kind::morris, points, dims, seed);
  design.base_samples_ = trajectories;
  design.levels_ = {levels};
  return design;
}

DesignPoints DesignPoints::table(std::vector<double> rows, std::size_t dims) {
  require_positive(dims, "table", "dims");
  if (rows.size() % dims != 0) {
    throw std::invalid_argument("table: " + std::to_string(rows.size()) +
                                " values are not whole rows of " + std::to_string(dims));
  }
  DesignPoints design(Kind::table, rows.size() / dims, dims, 0);
  design.rows_ = std::move(rows);
  return design;
}

double DesignPoints::lhs_value(std::size_t p, std::size_t d) const {
  const Rng rng(seed_);
  const std::uint64_t key = Rng::key_chain(rng.key_root(), kStrataStream, d);
  const auto stratum = static_cast<double>(keyed_permutation(p, points_, key));
  const auto n = static_cast<double>(points_);
  double v = (stratum + rng.uniform_at(kPositionStream, d, p)) / n;
  // Rounding of s + u may land on the next stratum's edge: keep v strictly inside.
  while (v * n >= stratum + 1.0) v = std::nextafter(v, 0.0);
  while (v * n < stratum) v = std::nextafter(v, 1.0);
  return v;
}

void DesignPoints::morris_point(std::size_t p, std::span<double> out) const {
  // On the grid, Delta is half = p / 2 levels: the lower half {0, ..., half - 1} allows +Delta
  // and maps onto the upper half, which allows -Delta. Row m of trajectory t has moved the
  // first m dimensions of the trajectory's order.
  const std::size_t levels = levels_[0], half = levels / 2, k = dims_;
  const auto top = static_cast<double>(levels - 1);
  const std::size_t t = p / (k + 1), m = p % (k + 1);
  const Rng rng(seed_);
  const std::uint64_t root = rng.key_root();
  std::vector<std::size_t> level(k), order(k);
  std::vector<bool> up(k);
  for (std::size_t d = 0; d < k; ++d) {
    level[d] = keyed_index(Rng::key_chain(root, kStartStream, t, d), half);  // x*
    up[d] = rng.uniform_at(kSignStream, t, d) < 0.5;
    if (!up[d]) level[d] += half;  // start at x* + Delta, step -Delta
  }
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = k; i > 1; --i)  // Fisher-Yates, keyed by (trajectory, position)
    std::swap(order[i - 1], order[keyed_index(Rng::key_chain(root, kOrderStream, t, i), i)]);
  for (std::size_t step = 0; step < m; ++step) {
    const std::size_t moved = order[step];
    level[moved] = up[moved] ? level[moved] + half : level[moved] - half;
  }
  for (std::size_t d = 0; d < k; ++d) out[d] = static_cast<double>(level[d]) / top;
}

void DesignPoints::point(std::size_t p, std::span<double> out) const {
  assert(p < points_ && out.size() >= dims_);
  switch (kind_) {
    case Kind::grid: {
      std::size_t rest = p;  // mixed radix, last dimension fastest
      for (std::size_t d = dims_; d-- > 0;) {
        const std::size_t count = levels_[d], level = rest % count;
        rest /= count;
        const auto n = static_cast<double>(count);
        out[d] = centred_[d]  ? (static_cast<double>(level) + 0.5) / n
                 : count == 1 ? 0.5
                              : static_cast<double>(level) / static_cast<double>(count - 1);
      }
      return;
    }
    case Kind::lhs:
      for (std::size_t d = 0; d < dims_; ++d) out[d] = lhs_value(p, d);
      return;
    case Kind::saltelli: {
      // Block j holds A_j, AB_j^(1) .. AB_j^(k), B_j: row r takes A_j, but column r - 1 of
      // AB_j^(r) and every column of B_j from B_j.
      const std::size_t j = p / (dims_ + 2), r = p % (dims_ + 2);
      const Rng rng(seed_);
      for (std::size_t d = 0; d < dims_; ++d) {
        const bool from_b = r == dims_ + 1 || (r >= 1 && d == r - 1);
        out[d] = rng.uniform_at(from_b ? kSampleBStream : kSampleAStream, j, d);
      }
      return;
    }
    case Kind::morris: morris_point(p, out); return;
    case Kind::table:
      for (std::size_t d = 0; d < dims_; ++d) out[d] = rows_[p * dims_ + d];
      return;
  }
}

Design DesignPoints::whole() const {
  Design design;
  design.points = points_;
  design.dims = dims_;
  design.base_samples = base_samples_;
  design.unit.resize(points_ * dims_);  // the factories checked the product
  for (std::size_t p = 0; p < points_; ++p)
    point(p, std::span<double>(design.unit.data() + p * dims_, dims_));
  return design;
}

Design full_factorial(const std::vector<std::size_t>& levels_per_dim) {
  return DesignPoints::grid(levels_per_dim).whole();
}

Design latin_hypercube(std::size_t points, std::size_t dims, std::uint64_t seed) {
  return DesignPoints::latin_hypercube(points, dims, seed).whole();
}

Design saltelli(std::size_t base_samples, std::size_t dims, std::uint64_t seed) {
  return DesignPoints::saltelli(base_samples, dims, seed).whole();
}

double morris_delta(std::size_t levels) {
  check_morris_levels(levels, "morris_delta");
  const auto p = static_cast<double>(levels);
  return p / (2.0 * (p - 1.0));
}

Design morris(std::size_t trajectories, std::size_t dims, std::size_t levels, std::uint64_t seed) {
  return DesignPoints::morris(trajectories, dims, levels, seed).whole();
}

}  // namespace interdep::sweep
