// Experimental designs on the unit hypercube [0, 1]^dims for parameter sweeps and sensitivity
// analysis. Pure math: deterministic given the seed (interdep::Rng), no I/O. Values are mapped to
// parameter values afterwards (engine/sweep/distribution.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace interdep::sweep {

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

// Every combination of levels; level l of L maps to l / (L - 1) (L == 1 maps to 0.5). Rows in
// row-major order, last dimension fastest. Throws std::invalid_argument if there are no
// dimensions, a dimension has 0 levels, or the number of points overflows.
Design full_factorial(const std::vector<std::size_t>& levels_per_dim);

// Latin hypercube: in every dimension each stratum [s/n, (s+1)/n) holds exactly one point, at a
// uniformly random position inside it; strata are assigned to points by an independent random
// permutation per dimension. Throws std::invalid_argument if points or dims is 0.
Design latin_hypercube(std::size_t points, std::size_t dims, std::uint64_t seed);

// Saltelli (2010) cross design for first- and total-order Sobol indices: two independent N x k
// matrices A and B, and for every i the matrix AB^(i) = A with column i taken from B.
// A and B are plain Monte Carlo (pseudo-random uniforms from interdep::Rng), NOT Sobol
// quasi-random sequences as in SALib: the Joe-Kuo direction numbers are not available here. The
// estimators are unbiased either way; Monte Carlo converges as 1/sqrt(N) instead of about 1/N.
// Throws std::invalid_argument if base_samples or dims is 0 or the size overflows.
Design saltelli(std::size_t base_samples, std::size_t dims, std::uint64_t seed);

// Morris (1991) elementary-effects design: `trajectories` one-at-a-time trajectories on the grid
// {0, 1/(p-1), ..., 1} with p = levels (even, >= 2) and step Delta = p / (2 (p - 1)). Each
// trajectory starts from a random grid point x* among those that allow +Delta (the lower half of
// the grid), takes a random sign per dimension (start at x*_i and step +Delta, or start at
// x*_i + Delta and step -Delta), and moves the dimensions one at a time in a random order, as in
// Morris (1991) and Campolongo et al. (2007). Every value stays on the grid in [0, 1].
// Throws std::invalid_argument if trajectories or dims is 0, or levels is < 2 or odd.
Design morris(std::size_t trajectories, std::size_t dims, std::size_t levels, std::uint64_t seed);

// Delta = p / (2 (p - 1)) in unit scale, as used by morris(). Throws like morris() for bad p.
double morris_delta(std::size_t levels);

}  // namespace interdep::sweep
