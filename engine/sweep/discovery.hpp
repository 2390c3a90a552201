// Scenario discovery (docs/sweeps.md, "Scenario discovery"): which boxes of parameter space hold
// the runs where a condition on an output holds. PRIM, the Patient Rule Induction Method of
// Friedman & Fisher (1999), as EMA Workbench applies it to model runs (Bryant & Lempert 2010):
// starting from the box of all runs, peel off, one side of one parameter at a time, the `alpha`
// share of the box's runs whose removal raises the share of cases inside most, until the box
// would hold fewer than `min_mass` of all runs. Each step's box is kept: the trajectory is the
// trade-off between coverage (the share of all cases the box holds) and density (the share of
// the box's runs that are cases); the chosen box may then be pasted (prim_paste). Pure math,
// deterministic.
#pragma once

#include <cstddef>
#include <vector>

namespace interdep::sweep {

struct PrimBox {
  std::vector<double> low, high;  // the box's limits per parameter (inclusive)
  std::size_t runs = 0;           // runs inside
  std::size_t cases = 0;          // cases inside
  double coverage = 0.0;          // cases inside / all cases; NaN without cases (0 of 0)
  double density = 0.0;           // cases inside / runs inside
  double mass = 0.0;              // runs inside / all runs
};

struct PrimOptions {
  double alpha = 0.05;        // share of the box's runs one peel removes (at least one run)
  double min_mass = 0.05;     // stop before the box holds fewer than this share of all runs
  double paste_alpha = 0.05;  // pasting: share of the box's runs one widening takes in (EMA's)
};

// x: [run * dims + p], the runs' parameter values; is_case: whether the condition holds in each
// run. Returns the peeling trajectory, the first box holding every run. Throws
// std::invalid_argument for sizes that do not match, dims of 0, no runs, a non-finite x, or
// options outside (0, 1).
std::vector<PrimBox> prim_peel(const std::vector<double>& x, const std::vector<bool>& is_case,
                               std::size_t dims, const PrimOptions& options = {});

// PRIM's pasting (Friedman & Fisher 1999, §5), the step after peeling: peeling removes a share of
// the runs at a time and may cut too deep, so the box is widened again, one side of one
// parameter at a time, by the `paste_alpha` share of its runs nearest that side (at least one run,
// with every run at the new limit), choosing the side that raises the density most, for as long
// as some side raises it or keeps it while taking in cases (so a pure box grows while it stays
// pure). Only runs inside the box's other limits are taken in. Returns the
// pasted box: it contains `box`, and its density is at least `box`'s. Throws
// std::invalid_argument as prim_peel does, and for a box of another number of parameters.
PrimBox prim_paste(const std::vector<double>& x, const std::vector<bool>& is_case, std::size_t dims,
                   const PrimBox& box, const PrimOptions& options = {});

// The box to report: of those with density >= `threshold`, the one with the most coverage
// (ties: the earlier, larger box); if none reaches it, the densest. Index into the trajectory.
std::size_t choose_box(const std::vector<PrimBox>& trajectory, double threshold);

// CART's view of the same question (Breiman et al. 1984; EMA Workbench offers it beside PRIM):
// a classification tree that splits the runs, one parameter at a threshold at a time, where the
// split lowers the Gini impurity 2p(1-p) (weighted by the runs on each side) most, to at most
// `max_depth` levels, with at least `min_leaf` runs on each side of a split. Node 0 is the root;
// a node that does not split is a leaf (parameter == npos).
struct CartNode {
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::size_t parameter = npos;  // split on x[parameter] <= threshold (left) or > (right)
  double threshold = 0.0;        // halfway between the two values the split falls between
  std::size_t left = npos, right = npos;
  std::size_t runs = 0, cases = 0;
  std::size_t depth = 0;
};
// Throws std::invalid_argument as prim_peel does, and for max_depth or min_leaf of 0.
std::vector<CartNode> cart_tree(const std::vector<double>& x, const std::vector<bool>& is_case,
                                std::size_t dims, std::size_t max_depth, std::size_t min_leaf);

// A CART tree's rules as a reader follows them: every node below the root, depth first (the
// `<=` side before the `>` side), with the split that leads to it and the limits the path from
// the root sets on each parameter, low < x[p] <= high (-inf / +inf where it sets none). A
// parameter split twice on a path is narrowed twice: a discrete one's values at a node are the
// indices inside its limits, not every value on one side of the last split.
struct CartRule {
  std::size_t node = 0;       // index into the tree
  std::size_t depth = 0;      // 1 for the root's children
  std::size_t parameter = 0;  // the split leading here: x[parameter] vs threshold
  bool below = true;          // the `<=` side (true) or the `>` side
  double threshold = 0.0;
  std::vector<double> low, high;  // per parameter, the path's limits including this split
};
std::vector<CartRule> cart_rules(const std::vector<CartNode>& tree, std::size_t dims);

}  // namespace interdep::sweep
