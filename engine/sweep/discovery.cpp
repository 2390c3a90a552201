#include "engine/sweep/discovery.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace interdep::sweep {
namespace {

// The runs' parameter values and cases must match in size and be finite.
void check_runs(const std::vector<double>& x, const std::vector<bool>& is_case, std::size_t dims,
                const char* function) {
  const std::size_t n = is_case.size();
  if (dims == 0 || n == 0 || x.size() != n * dims)
    throw std::invalid_argument(std::string(function) + ": " + std::to_string(x.size()) +
                                " parameter values for " + std::to_string(n) + " runs of " +
                                std::to_string(dims) + " parameters");
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]))
      throw std::invalid_argument(std::string(function) + ": run " + std::to_string(i / dims) +
                                  " has a non-finite parameter value");
}

PrimBox box_of(const std::vector<double>& low, const std::vector<double>& high,
               const std::vector<std::size_t>& inside, const std::vector<bool>& is_case,
               std::size_t all_runs, std::size_t all_cases) {
  PrimBox b;
  b.low = low;
  b.high = high;
  b.runs = inside.size();
  for (std::size_t r : inside)
    if (is_case[r]) ++b.cases;
  // 0 of 0 cases is no share: NaN, as `interdep discover -o` writes it (a 0 read as "the box
  // holds none of the cases there are").
  b.coverage = all_cases > 0 ? static_cast<double>(b.cases) / static_cast<double>(all_cases)
                             : std::numeric_limits<double>::quiet_NaN();
  b.density = b.runs > 0 ? static_cast<double>(b.cases) / static_cast<double>(b.runs) : 0.0;
  b.mass = static_cast<double>(b.runs) / static_cast<double>(all_runs);
  return b;
}

}  // namespace

std::vector<PrimBox> prim_peel(const std::vector<double>& x, const std::vector<bool>& is_case,
                               std::size_t dims, const PrimOptions& options) {
  check_runs(x, is_case, dims, "prim_peel");
  const std::size_t n = is_case.size();
  if (!(options.alpha > 0.0 && options.alpha < 1.0) ||
      !(options.min_mass > 0.0 && options.min_mass < 1.0))
    throw std::invalid_argument("prim_peel: alpha and min_mass must lie in (0, 1)");
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

PrimBox prim_paste(const std::vector<double>& x, const std::vector<bool>& is_case, std::size_t dims,
                   const PrimBox& box, const PrimOptions& options) {
  check_runs(x, is_case, dims, "prim_paste");
  if (!(options.paste_alpha > 0.0 && options.paste_alpha < 1.0))
    throw std::invalid_argument("prim_paste: paste_alpha must lie in (0, 1)");
  if (box.low.size() != dims || box.high.size() != dims)
    throw std::invalid_argument("prim_paste: a box of " + std::to_string(box.low.size()) +
                                " parameters for runs of " + std::to_string(dims));
  const std::size_t n = is_case.size();
  std::size_t all_cases = 0;
  for (bool c : is_case)
    if (c) ++all_cases;
  std::vector<double> low = box.low, high = box.high;
  // Whether run r lies within the limits on every parameter but `skip` (dims: on all).
  const auto within = [&](std::size_t r, std::size_t skip) {
    for (std::size_t p = 0; p < dims; ++p) {
      if (p == skip) continue;
      const double v = x[r * dims + p];
      if (v < low[p] || v > high[p]) return false;
    }
    return true;
  };
  std::vector<std::size_t> inside;
  for (std::size_t r = 0; r < n; ++r)
    if (within(r, dims)) inside.push_back(r);
  std::size_t cases = 0;
  for (std::size_t r : inside)
    if (is_case[r]) ++cases;
  std::vector<double> outside;
  for (;;) {
    const double density =
        inside.empty() ? 0.0 : static_cast<double>(cases) / static_cast<double>(inside.size());
    const auto add = std::max<std::size_t>(
        1, static_cast<std::size_t>(
               std::floor(options.paste_alpha * static_cast<double>(inside.size()))));
    double best_density = density;
    std::size_t best_cases = 0;  // cases a widening takes in
    std::size_t best_dim = dims;
    bool best_upper = false;
    double best_limit = 0.0;
    for (std::size_t p = 0; p < dims; ++p)
      for (bool upper : {false, true}) {
        // The runs beyond this side that the other limits hold, nearest first.
        outside.clear();
        for (std::size_t r = 0; r < n; ++r) {
          const double v = x[r * dims + p];
          if ((upper ? v > high[p] : v < low[p]) && within(r, p)) outside.push_back(v);
        }
        if (outside.empty()) continue;
        std::sort(outside.begin(), outside.end());
        if (upper == false) std::reverse(outside.begin(), outside.end());
        const double limit = outside[std::min(add, outside.size()) - 1];
        std::size_t more = 0, more_cases = 0;
        for (std::size_t r = 0; r < n; ++r) {
          const double v = x[r * dims + p];
          const bool taken = upper ? v > high[p] && v <= limit : v < low[p] && v >= limit;
          if (!taken || !within(r, p)) continue;
          ++more;
          if (is_case[r]) ++more_cases;
        }
        const double widened =
            static_cast<double>(cases + more_cases) / static_cast<double>(inside.size() + more);
        // A widening that raises the density, or keeps it and takes in cases (a pure box grows
        // while it stays pure); the largest density, then the most cases.
        if (widened > best_density || (widened == best_density && more_cases > best_cases)) {
          best_density = widened;
          best_cases = more_cases;
          best_dim = p;
          best_upper = upper;
          best_limit = limit;
        }
      }
    if (best_dim == dims) break;  // no side raises the density
    (best_upper ? high : low)[best_dim] = best_limit;
    inside.clear();
    cases = 0;
    for (std::size_t r = 0; r < n; ++r)
      if (within(r, dims)) {
        inside.push_back(r);
        if (is_case[r]) ++cases;
      }
  }
  return box_of(low, high, inside, is_case, n, all_cases);
}

std::size_t choose_box(const std::vector<PrimBox>& trajectory, double threshold) {
  // Ties go to the other measure: of boxes with the same coverage (the same cases) the densest,
  // whose limits leave out the most runs that are not cases (the trajectory reaches it later).
  const auto better_coverage = [](const PrimBox& a, const PrimBox& b) {
    return a.coverage > b.coverage || (a.coverage == b.coverage && a.density > b.density);
  };
  const auto better_density = [](const PrimBox& a, const PrimBox& b) {
    return a.density > b.density || (a.density == b.density && a.coverage > b.coverage);
  };
  std::size_t chosen = 0;
  bool found = false;
  for (std::size_t k = 0; k < trajectory.size(); ++k) {
    const PrimBox& b = trajectory[k];
    if (b.density >= threshold && (!found || better_coverage(b, trajectory[chosen]))) {
      chosen = k;
      found = true;
    }
  }
  if (found) return chosen;
  for (std::size_t k = 0; k < trajectory.size(); ++k)
    if (better_density(trajectory[k], trajectory[chosen])) chosen = k;
  return chosen;
}

namespace {

double gini(std::size_t cases, std::size_t runs) {
  if (runs == 0) return 0.0;
  const double p = static_cast<double>(cases) / static_cast<double>(runs);
  return 2.0 * p * (1.0 - p);
}

void grow(const std::vector<double>& x, const std::vector<bool>& is_case, std::size_t dims,
          std::size_t max_depth, std::size_t min_leaf, std::vector<std::size_t> rows,
          std::size_t node, std::vector<CartNode>& tree) {
  const std::size_t n = rows.size(), cases = tree[node].cases;
  if (tree[node].depth >= max_depth || n < 2 * min_leaf || cases == 0 || cases == n) return;
  // The split of least weighted impurity: for each parameter, the runs in its order, each place
  // between two distinct values with min_leaf runs on either side.
  double best = static_cast<double>(n) * gini(cases, n);
  std::size_t best_parameter = CartNode::npos;
  double best_threshold = 0.0;
  std::vector<std::size_t> order;
  for (std::size_t p = 0; p < dims; ++p) {
    order = rows;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return x[a * dims + p] < x[b * dims + p];
    });
    std::size_t left_cases = 0;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      if (is_case[order[i]]) ++left_cases;
      const double here = x[order[i] * dims + p], next = x[order[i + 1] * dims + p];
      const std::size_t left = i + 1;
      if (here == next || left < min_leaf || n - left < min_leaf) continue;
      const double impurity = static_cast<double>(left) * gini(left_cases, left) +
                              static_cast<double>(n - left) * gini(cases - left_cases, n - left);
      if (impurity < best - 1e-12) {
        best = impurity;
        best_parameter = p;
        best_threshold = 0.5 * (here + next);
      }
    }
  }
  if (best_parameter == CartNode::npos) return;
  std::vector<std::size_t> below, above;
  for (std::size_t r : rows)
    (x[r * dims + best_parameter] <= best_threshold ? below : above).push_back(r);
  tree[node].parameter = best_parameter;
  tree[node].threshold = best_threshold;
  for (auto* side : {&below, &above}) {
    CartNode child;
    child.runs = side->size();
    for (std::size_t r : *side)
      if (is_case[r]) ++child.cases;
    child.depth = tree[node].depth + 1;
    tree.push_back(child);
    const std::size_t index = tree.size() - 1;
    (side == &below ? tree[node].left : tree[node].right) = index;
    grow(x, is_case, dims, max_depth, min_leaf, std::move(*side), index, tree);
  }
}

}  // namespace

std::vector<CartNode> cart_tree(const std::vector<double>& x, const std::vector<bool>& is_case,
                                std::size_t dims, std::size_t max_depth, std::size_t min_leaf) {
  check_runs(x, is_case, dims, "cart_tree");
  if (max_depth == 0 || min_leaf == 0)
    throw std::invalid_argument("cart_tree: max_depth and min_leaf must be at least 1");
  std::vector<CartNode> tree(1);
  std::vector<std::size_t> rows(is_case.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    rows[r] = r;
    if (is_case[r]) ++tree[0].cases;
  }
  tree[0].runs = rows.size();
  grow(x, is_case, dims, max_depth, min_leaf, std::move(rows), 0, tree);
  return tree;
}

std::vector<CartRule> cart_rules(const std::vector<CartNode>& tree, std::size_t dims) {
  std::vector<CartRule> rules;
  if (tree.empty()) return rules;
  constexpr double inf = std::numeric_limits<double>::infinity();
  // The tree is at most max_depth (<= a dozen) levels deep: recursion is fine.
  auto visit = [&](auto& self, std::size_t node, std::size_t depth, const std::vector<double>& low,
                   const std::vector<double>& high) -> void {
    const CartNode& n = tree[node];
    if (n.parameter == CartNode::npos) return;
    assert(n.parameter < dims && n.left < tree.size() && n.right < tree.size());
    for (const bool below : {true, false}) {
      CartRule rule{
          below ? n.left : n.right, depth + 1, n.parameter, below, n.threshold, low, high};
      if (below)
        rule.high[n.parameter] = std::min(rule.high[n.parameter], n.threshold);
      else
        rule.low[n.parameter] = std::max(rule.low[n.parameter], n.threshold);
      const std::size_t child = rule.node;
      std::vector<double> child_low = rule.low, child_high = rule.high;
      rules.push_back(std::move(rule));
      self(self, child, depth + 1, child_low, child_high);
    }
  };
  visit(visit, 0, 0, std::vector<double>(dims, -inf), std::vector<double>(dims, inf));
  return rules;
}

}  // namespace interdep::sweep
