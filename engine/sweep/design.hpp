// Experimental designs on the unit hypercube [0, 1]^dims for parameter sweeps and sensitivity
// analysis. Pure math, no I/O. Values are mapped to parameter values afterwards
// (engine/sweep/distribution.hpp).
//
// Every point of a design is made from its index alone (DesignPoints::point): the random designs
// (Latin hypercube, Saltelli, Morris) draw keyed uniforms (interdep::Rng::uniform_at) and the
// Latin hypercube's strata come from a keyed permutation, so a sweep makes each run's point as
// it runs it and holds no table whose size grows with its runs (docs/sweeps.md, "Designs").
// Deterministic given the seed; the same point whatever the thread, rank or order asking.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace interdep::sweep {

// How random designs make their points, recorded with a sweep's parts (its shards' directory):
// a resume refuses runs whose points another scheme made. Before "keyed", the points were drawn
// in sequence from one generator and the directory has no record.
inline constexpr std::string_view kDesignScheme = "keyed";

// A design held whole, as a table (tests, sensitivity analysis, small designs).
struct Design {
  std::size_t points = 0;    // rows
  std::size_t dims = 0;      // columns (parameters)
  std::vector<double> unit;  // [point * dims + dim], each in [0, 1]
  // Saltelli: base_samples = N; rows are ordered per base sample j as A_j, AB_j^(1), ...,
  // AB_j^(k), B_j (k = dims), so points = N (k + 2) (SALib's order without second-order terms).
  // Morris: base_samples = r trajectories, each k + 1 consecutive rows that differ in exactly one
  // coordinate between consecutive rows. Other designs: 0.
  std::size_t base_samples = 0;

  double at(std::size_t point, std::size_t dim) const { return unit[point * dims + dim]; }
};

// A design whose points are made on demand from their index. Its memory is its parameters
// (per dimension), never its points; only the "table" kind holds what it was given.
class DesignPoints {
 public:
  // Every combination of levels; level l of L maps to l / (L - 1) (L == 1 maps to 0.5), or, for
  // a `centred` dimension (discrete parameters), to the centre of its stratum (l + 0.5) / L.
  // Points in row-major order, last dimension fastest. `centred` is empty or one flag a
  // dimension. Throws std::invalid_argument if there are no dimensions, a dimension has 0
  // levels, or the number of points overflows.
  static DesignPoints grid(std::vector<std::size_t> levels_per_dim, std::vector<bool> centred = {});
  // Latin hypercube: in every dimension each stratum [s/n, (s+1)/n) holds exactly one point, at
  // a uniform position inside it. Point p's stratum in dimension d is pi_d(p), a keyed
  // pseudo-random permutation of 0 .. n-1 (a Feistel network on the next even power of two,
  // cycle-walked into range), independent between dimensions. Throws std::invalid_argument if
  // points or dims is 0.
  static DesignPoints latin_hypercube(std::size_t points, std::size_t dims, std::uint64_t seed);
  // Saltelli (2010) cross design for first- and total-order Sobol indices: two independent
  // N x k matrices A and B, and for every i the matrix AB^(i) = A with column i taken from B.
  // A and B are plain Monte Carlo (keyed uniforms), NOT Sobol quasi-random sequences as in
  // SALib: the Joe-Kuo direction numbers are not available here. The estimators are unbiased
  // either way; Monte Carlo converges as 1/sqrt(N) instead of about 1/N.
  // Throws std::invalid_argument if base_samples or dims is 0 or the size overflows.
  static DesignPoints saltelli(std::size_t base_samples, std::size_t dims, std::uint64_t seed);
  // Morris (1991) elementary-effects design: `trajectories` one-at-a-time trajectories on the
  // grid {0, 1/(p-1), ..., 1} with p = levels (even, >= 2) and step Delta = p / (2 (p - 1)).
  // Each trajectory starts from a random grid point x* among those that allow +Delta (the lower
  // half of the grid), takes a random sign per dimension (start at x*_i and step +Delta, or
  // start at x*_i + Delta and step -Delta), and moves the dimensions one at a time in a random
  // order, as in Morris (1991) and Campolongo et al. (2007). Every value stays on the grid in
  // [0, 1]. Throws std::invalid_argument if trajectories or dims is 0, or levels is < 2 or odd.
  static DesignPoints morris(std::size_t trajectories, std::size_t dims, std::size_t levels,
                             std::uint64_t seed);
  // The rows of a table given whole ([point * dims + dim]; a csv design's values).
  static DesignPoints table(std::vector<double> rows, std::size_t dims);

  std::size_t points() const { return points_; }
  std::size_t dims() const { return dims_; }
  std::size_t base_samples() const { return base_samples_; }  // as Design::base_samples

  // Point p's coordinates (p < points()) into out[0 .. dims()).
  void point(std::size_t p, std::span<double> out) const;
  // Every point, as a table.
  Design whole() const;

 private:
  enum class Kind { grid, lhs, saltelli, morris, table };
  DesignPoints(Kind kind, std::size_t points, std::size_t dims, std::uint64_t seed)
      : kind_(kind), points_(points), dims_(dims), seed_(seed) {}
  double lhs_value(std::size_t p, std::size_t d) const;
  void morris_point(std::size_t p, std::span<double> out) const;

  Kind kind_;
  std::size_t points_ = 0, dims_ = 0, base_samples_ = 0;
  std::uint64_t seed_ = 0;
  std::vector<std::size_t> levels_;  // grid: per dimension; morris: one entry, p
  std::vector<bool> centred_;        // grid: per dimension
  std::vector<double> rows_;         // table
};

// The designs above, held whole.
Design full_factorial(const std::vector<std::size_t>& levels_per_dim);
Design latin_hypercube(std::size_t points, std::size_t dims, std::uint64_t seed);
Design saltelli(std::size_t base_samples, std::size_t dims, std::uint64_t seed);
Design morris(std::size_t trajectories, std::size_t dims, std::size_t levels, std::uint64_t seed);

// Delta = p / (2 (p - 1)) in unit scale, as used by morris(). Throws like morris() for bad p.
double morris_delta(std::size_t levels);

// A keyed pseudo-random permutation of 0 .. n-1 (n > 0): the image of `index` (< n) under the
// permutation named by `key`. A balanced Feistel network of six rounds (keyed splitmix64
// hashes) on the smallest even number of bits that holds n - 1, cycle-walked into [0, n): a
// bijection for every key, about two rounds of walking on average.
std::uint64_t keyed_permutation(std::uint64_t index, std::uint64_t n, std::uint64_t key);

}  // namespace interdep::sweep
