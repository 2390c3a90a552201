#include "engine/sweep/discovery.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace interdep::sweep {
namespace {

PrimBox box_of(const std::vector<double>& low, const std::vector<double>& high,
               const std::vector<std::size_t>& inside, const std::vector<bool>& is_case,
               std::size_t all_runs, std::size_t all_cases) {
  PrimBox b;
  b.low = low;
  b.high = high;
  b.runs = inside.size();
  for (std::size_t r : inside)
    if (is_case[r]) ++b.cases;
  b.coverage = all_cases > 0 ? static_cast<double>(b.cases) / static_cast<double>(all_cases) : 0.0;
  b.density = b.runs > 0 ? static_cast<double>(b.cases) / static_cast<double>(b.runs) : 0.0;
  b.mass = static_cast<double>(b.runs) / static_cast<double>(all_runs);
  return b;
}

}  // namespace

std::vector<PrimBox> prim_peel(const std::vector<double>& x, const std::vector<bool>& is_case,
                               std::size_t dims, const PrimOptions& options) {
  const std::size_t n = is_case.size();
  if (dims == 0 || n == 0 || x.size() != n * dims)
    throw std::invalid_argument("prim_peel: " + std::to_string(x.size()) +
                                " parameter values for " + std::to_string(n) + " runs of " +
                                std::to_string(dims) + " parameters");
  if (!(options.alpha > 0.0 && options.alpha < 1.0) ||
      !(options.min_mass > 0.0 && options.min_mass < 1.0))
    throw std::invalid_argument("prim_peel: alpha and min_mass must lie in (0, 1)");
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]))
      throw std::invalid_argument("prim_peel: run " + std::to_string(i / dims) +
                                  " has a non-finite parameter value");
  std::size_t all_cases = 0;
  for (bool c : is_case)
    if (c) ++all_cases;

  std::vector<double> low(dims, HUGE_VAL), high(dims, -HUGE_VAL);
  std::vector<std::size_t> inside(n);
  for (std::size_t r = 0; r < n; ++r) {
    inside[r] = r;
    for (std::size_t p = 0; p < dims; ++p) {
      low[p] = std::min(low[p], x[r * dims + p]);
      high[p] = std::max(high[p], x[r * dims + p]);
    }
  }
  std::vector<PrimBox> trajectory{box_of(low, high, inside, is_case, n, all_cases)};
  const auto min_runs =
      static_cast<std::size_t>(std::ceil(options.min_mass * static_cast<double>(n)));
  std::vector<double> values;
  for (;;) {
    // The best peel: the side of a parameter whose alpha share, removed, leaves the densest box.
    double best_density = -1.0;
    std::size_t best_dim = 0;
    bool best_upper = false;
    double best_limit = 0.0;
    std::size_t best_left = 0;
    for (std::size_t p = 0; p < dims; ++p) {
      values.clear();
      for (std::size_t r : inside) values.push_back(x[r * dims + p]);
      std::sort(values.begin(), values.end());
      const auto peel = std::max<std::size_t>(
          1,
          static_cast<std::size_t>(std::floor(options.alpha * static_cast<double>(values.size()))));
      for (bool upper : {false, true}) {
        // Runs at the cut value go with the peel, so that a peel always removes whole values
        // (ties on a grid) and the new limit is a value some remaining run takes.
        const double cut = upper ? values[values.size() - peel] : values[peel - 1];
        std::size_t left = 0, cases = 0;
        double limit = upper ? -HUGE_VAL : HUGE_VAL;
        for (std::size_t r : inside) {
          const double v = x[r * dims + p];
          if (upper ? v >= cut : v <= cut) continue;
          ++left;
          if (is_case[r]) ++cases;
          limit = upper ? std::max(limit, v) : std::min(limit, v);
        }
        if (left < min_runs || left == 0 || left == inside.size()) continue;
        const double density = static_cast<double>(cases) / static_cast<double>(left);
        // The densest peel; ties: the one that keeps more runs, then the first found.
        if (density > best_density || (density == best_density && left > best_left)) {
          best_density = density;
          best_dim = p;
          best_upper = upper;
          best_limit = limit;
          best_left = left;
        }
      }
    }
    if (best_density < 0.0) break;  // no peel leaves min_mass
    std::vector<std::size_t> kept;
    kept.reserve(best_left);
    for (std::size_t r : inside) {
      const double v = x[r * dims + best_dim];
      if (best_upper ? v <= best_limit : v >= best_limit) kept.push_back(r);
    }
    inside.swap(kept);
    (best_upper ? high : low)[best_dim] = best_limit;
    trajectory.push_back(box_of(low, high, inside, is_case, n, all_cases));
  }
  return trajectory;
}

std::size_t choose_box(const std::vector<PrimBox>& trajectory, double threshold) {
  std::size_t chosen = 0;
  bool found = false;
  for (std::size_t k = 0; k < trajectory.size(); ++k) {
    const PrimBox& b = trajectory[k];
    if (b.density >= threshold && (!found || b.coverage > trajectory[chosen].coverage)) {
      chosen = k;
      found = true;
    }
  }
  if (found) return chosen;
  for (std::size_t k = 0; k < trajectory.size(); ++k)
    if (trajectory[k].density > trajectory[chosen].density) chosen = k;
  return chosen;
}

}  // namespace interdep::sweep
