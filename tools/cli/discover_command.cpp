// `interdep discover SWEEP.h5 --output NAME --where "OP VALUE"` (docs/sweeps.md, "Scenario
// discovery"): the boxes of parameter space where a condition on an output holds, found by PRIM
// (engine/sweep/discovery.hpp), with the coverage-density trade-off and the chosen box's limits.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sweep/discovery.hpp"
#include "engine/sweep/discrete_values.hpp"
#include "engine/text/control_chars.hpp"
#include "output/hdf5/output_error.hpp"
#include "output/sweep_file/analysis.hpp"
#include "output/sweep_file/sweep_file.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/csv_file.hpp"

namespace interdep::cli {
namespace {

// "1 run", "2 runs": a count and its noun, for the lines below.
std::string counted(std::size_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

namespace fs = std::filesystem;

constexpr std::string_view kUsage =
    "Usage: interdep discover SWEEP.h5 --output NAME --where \"OP VALUE\" [--statistic final]\n"
    "                         [--threshold 0.8] [--alpha 0.05] [--min-mass 0.05]\n"
    "                         [--paste-alpha 0.05] [--depth 3] [-o BOXES.csv]\n"
    "Scenario discovery: which ranges of the swept parameters hold the runs where the\n"
    "condition holds (e.g. --output \"membership[PAK,BRICS]\" --where \"== 1\"; OP is one of\n"
    "< <= > >= == !=; VALUE a number, or nan with == and != for an onset that never came).\n"
    "PRIM peels the box of all runs one side of one parameter at a time; it prints every box's\n"
    "coverage (share of the cases inside) and density (share of the box's runs that are cases),\n"
    "and the limits of the box with the most coverage among those of density >= --threshold,\n"
    "then that box pasted (widened again where that raises its density or takes in cases);\n"
    "then the rules of a small CART classification tree (--depth levels), a second view.\n";

// The deepest CART tree asked for: its rules are read by people, and it recurses a level a call.
using DepthOption = Whole<std::size_t, 0, 12>;

void declare_options(CommandOptions& options) {
  options.listed.add_options()("output", po::value<std::string>(),
                               "the output, e.g. 'membership[PAK,BRICS]'")(
      "statistic", po::value<std::string>()->default_value("final"), "which of its statistics")(
      "where", po::value<std::string>(), "the condition, e.g. \"== 1\" or \"< -0.2\"")(
      "threshold", po::value<Real>()->default_value({0.8}, "0.8"),
      "the density the chosen box must reach")(
      "alpha", po::value<Real>()->default_value({0.05}, "0.05"), "share of a box one peel removes")(
      "paste-alpha", po::value<Real>()->default_value({0.05}, "0.05"),
      "share of the box's runs one widening of pasting takes in")(
      "min-mass", po::value<Real>()->default_value({0.05}, "0.05"),
      "the smallest share of all runs a box may hold")(
      "boxes,o", po::value<std::string>(), "write every box of the trajectory to this CSV")(
      "depth", po::value<DepthOption>()->default_value({3}, "3"),
      "levels of the CART tree (0: none; at most 12)");
  options.add_positional("file", po::value<std::string>(), 1);
}

// "OP VALUE" as a test of one value.
struct Condition {
  std::string op;
  double value = 0.0;
  bool nan = false;  // VALUE "nan": == and != test for NaN
  bool holds(double v) const {
    if (nan) return op == "==" ? std::isnan(v) : !std::isnan(v);
    if (std::isnan(v)) return false;  // an output that has no value is not a case
    if (op == "<") return v < value;
    if (op == "<=") return v <= value;
    if (op == ">") return v > value;
    if (op == ">=") return v >= value;
    if (op == "==") return v == value;
    return v != value;
  }
};

Condition parse_condition(const std::string& text) {
  const auto refuse = [&] {
    return UsageError("--where \"" + text +
                      "\": expected an operator (< <= > >= == !=) and a number, e.g. \"== 1\" or "
                      "\"< -0.2\" (or \"== nan\" for an onset that never came)");
  };
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  Condition c;
  for (const char* op : {"<=", ">=", "==", "!=", "<", ">"}) {
    if (text.compare(i, std::string_view(op).size(), op) == 0) {
      c.op = op;
      break;
    }
  }
  if (c.op.empty()) throw refuse();
  i += c.op.size();
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  std::size_t end = text.size();
  while (end > i && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  const std::string number = text.substr(i, end - i);
  if (number == "nan") {
    if (c.op != "==" && c.op != "!=") throw refuse();
    c.nan = true;
    return c;
  }
  const auto [stop, error] = std::from_chars(number.data(), number.data() + number.size(), c.value);
  if (number.empty() || error != std::errc() || stop != number.data() + number.size() ||
      !std::isfinite(c.value))
    throw refuse();
  return c;
}

// A box's limit in the CSV of -o: a discrete parameter's value at that limit (the box holds the
// values from its low one to its high one, in the order the sweep lists them), else the number.
std::string limit_cell(double limit, const std::vector<std::string>& discrete) {
  if (discrete.empty()) return csv_number(limit);
  const auto k = static_cast<std::size_t>(std::llround(std::clamp(
      limit, 0.0, static_cast<double>(discrete.size() - 1))));  // indices: whole, in range
  return csv_cell(discrete[k]);
}

// A limit as a reader wants it: a discrete parameter's values inside, a number otherwise.
// `discrete`: the parameter's values as a reader writes them (plain_discrete_value), or none.
std::string limits_text(double low, double high, const std::vector<std::string>& discrete) {
  if (discrete.empty()) return shown_number(low) + " .. " + shown_number(high);
  std::string values;
  for (std::size_t k = 0; k < discrete.size(); ++k)
    if (static_cast<double>(k) >= low && static_cast<double>(k) <= high)
      values += (values.empty() ? "" : ", ") + discrete[k];
  return "{" + values + "}";
}

// One side of a CART split as a reader wants it: "x <= 0.35" or, for a discrete parameter, the
// values left at that node by every split on the path ("rule in {majority}"): the value indices
// k with low < k <= high.
std::string split_text(const std::string& key, const sweep::CartRule& rule,
                       const std::vector<std::string>& discrete) {
  if (discrete.empty()) return key + (rule.below ? " <= " : " > ") + shown_number(rule.threshold);
  const double low = rule.low[rule.parameter], high = rule.high[rule.parameter];
  std::string values;
  for (std::size_t k = 0; k < discrete.size(); ++k)
    if (static_cast<double>(k) > low && static_cast<double>(k) <= high)
      values += (values.empty() ? "" : ", ") + discrete[k];
  return key + " in {" + values + "}";
}

void print_tree(const std::vector<sweep::CartNode>& tree, const std::vector<std::string>& keys,
                const std::vector<std::vector<std::string>>& discrete) {
  for (const sweep::CartRule& rule : sweep::cart_rules(tree, keys.size())) {
    const sweep::CartNode& node = tree[rule.node];
    std::printf("%s%s: %s, %s (%.0f %%)\n", std::string(2 * rule.depth, ' ').c_str(),
                split_text(keys[rule.parameter], rule, discrete[rule.parameter]).c_str(),
                counted(node.runs, "run").c_str(), counted(node.cases, "case").c_str(),
                100.0 * static_cast<double>(node.cases) / static_cast<double>(node.runs));
  }
}

int run(const Invocation& invocation) {
  const po::variables_map& vm = invocation.options;
  if (!vm.count("file") || !vm.count("output") || !vm.count("where"))
    invocation.refuse_incomplete("discover needs a sweep file, --output and --where");
  const fs::path path = vm["file"].as<std::string>();
  const Condition condition = parse_condition(vm["where"].as<std::string>());
  sweep::PrimOptions options;
  options.alpha = real(vm, "alpha");
  options.min_mass = real(vm, "min-mass");
  options.paste_alpha = real(vm, "paste-alpha");
  if (!(options.paste_alpha > 0.0 && options.paste_alpha < 0.5))
    throw UsageError("--paste-alpha must lie in (0, 0.5)");
  const double threshold = real(vm, "threshold");
  if (!(options.alpha > 0.0 && options.alpha < 0.5))
    throw UsageError("--alpha must lie in (0, 0.5)");
  if (!(options.min_mass > 0.0 && options.min_mass < 1.0))
    throw UsageError("--min-mass must lie in (0, 1)");
  if (!(threshold > 0.0 && threshold <= 1.0)) throw UsageError("--threshold must lie in (0, 1]");
  if (vm.count("boxes")) check_output_path(vm["boxes"].as<std::string>());
  const std::string output = vm["output"].as<std::string>();
  const std::string statistic = vm["statistic"].as<std::string>();

  sweep::SweepFile file;
  std::vector<double> y;
  std::size_t o = 0, s = 0;
  try {
    file = sweep::read_sweep(path);
    o = sweep::find_name(file.layout.outputs, output, "output");
    s = sweep::find_name(file.layout.statistics, statistic, "statistic");
    y = sweep::read_summary(path, o, s);
  } catch (const OutputError& e) {
    throw UsageError(e.what());
  } catch (const std::invalid_argument& e) {  // an output or statistic the sweep has not
    throw UsageError(path.string() + ": " + e.what());
  }
  const sweep::SweepLayout& layout = file.layout;
  const std::size_t parameters = layout.parameters.size();
  if (parameters == 0) throw UsageError(path.string() + ": the sweep varies no parameter");
  // The dimensions boxes restrict: the parameters and, in a sweep with policies, the policy (a
  // discrete dimension of its own: which policies hold the cases).
  const bool policies = !file.meta.policies.empty();
  std::vector<std::string> names = layout.parameters;
  if (policies) names.emplace_back("policy");
  const std::size_t k = names.size();
  std::vector<std::vector<std::string>> discrete(k);
  // As a reader writes them: a parameter's TOML literals made plain ("rk4", 0.8); the
  // policies' names as they are (a name is not a literal: "1e3" stays "1e3").
  for (std::size_t p = 0; p < parameters && p < file.meta.discrete_values.size(); ++p)
    for (const std::string& literal : sweep::decode_discrete_values(file.meta.discrete_values[p]))
      discrete[p].push_back(sweep::plain_discrete_value(literal));
  if (policies) discrete.back() = file.meta.policies;
  // Every finished run is a case or not; runs that failed or never ran are left out.
  std::vector<double> x;
  std::vector<bool> is_case;
  std::size_t cases = 0;
  try {
    for (std::size_t r = 0; r < layout.runs; ++r) {
      if (file.status.at(r) != 1) continue;
      for (std::size_t p = 0; p < parameters; ++p)
        x.push_back(file.design.value.at(r * parameters + p));
      if (policies) x.push_back(static_cast<double>(file.design.policy.at(r)));
      is_case.push_back(condition.holds(y.at(r)));
      if (is_case.back()) ++cases;
    }
  } catch (const std::out_of_range&) {
    throw UsageError(path.string() + ": its tables do not match its runs (a damaged file)");
  }
  if (is_case.empty()) throw UsageError(path.string() + ": no run finished");
  const std::string where =
      layout.outputs[o] + " (" + statistic + ") " + vm["where"].as<std::string>();
  std::printf("Scenario discovery: %s in %zu of %zu finished runs (%.1f %%)\n", where.c_str(),
              cases, is_case.size(),
              100.0 * static_cast<double>(cases) / static_cast<double>(is_case.size()));
  // The boxes table (--boxes): box 0, the whole space, then each peeled box.
  const auto write_boxes = [&](const std::vector<sweep::PrimBox>& boxes) {
    std::ostringstream csv;
    csv << "box,coverage,density,mass,runs,cases";
    for (const std::string& key : names)
      csv << ',' << csv_cell(key + ":low") << ',' << csv_cell(key + ":high");
    csv << '\n';
    for (std::size_t b = 0; b < boxes.size(); ++b) {
      csv << b << ',' << csv_number(boxes[b].coverage) << ',' << csv_number(boxes[b].density) << ','
          << csv_number(boxes[b].mass) << ',' << boxes[b].runs << ',' << boxes[b].cases;
      for (std::size_t p = 0; p < k; ++p)
        csv << ',' << limit_cell(boxes[b].low[p], discrete[p]) << ','
            << limit_cell(boxes[b].high[p], discrete[p]);
      csv << '\n';
    }
    write_csv_file(vm["boxes"].as<std::string>(), csv.str());
    std::printf("Wrote %s\n", printable(vm["boxes"].as<std::string>()).c_str());
  };
  if (cases == 0 || cases == is_case.size()) {
    std::printf("The condition holds in %s run: there is no box to find.\n",
                cases == 0 ? "no" : "every");
    if (vm.count("boxes")) {
      // Still written (a script reads it next): the whole space alone, as box 0.
      sweep::PrimBox whole;
      whole.runs = is_case.size();
      whole.cases = cases;
      whole.mass = 1.0;
      whole.coverage = cases == 0 ? std::nan("") : 1.0;  // 0 of 0 cases
      whole.density = cases == 0 ? 0.0 : 1.0;
      whole.low.assign(k, std::numeric_limits<double>::infinity());
      whole.high.assign(k, -std::numeric_limits<double>::infinity());
      for (std::size_t r = 0; r < is_case.size(); ++r)
        for (std::size_t p = 0; p < k; ++p) {
          whole.low[p] = std::min(whole.low[p], x[r * k + p]);
          whole.high[p] = std::max(whole.high[p], x[r * k + p]);
        }
      write_boxes({whole});
    }
    return kExitOk;
  }
  const std::vector<sweep::PrimBox> boxes = sweep::prim_peel(x, is_case, k, options);
  const sweep::PrimBox& all = boxes.front();
  const auto restricted = [&](const sweep::PrimBox& b) {
    std::string list;
    for (std::size_t p = 0; p < k; ++p)
      if (b.low[p] > all.low[p] || b.high[p] < all.high[p])
        list += (list.empty() ? "" : " ") + names[p];
    return list.empty() ? std::string("-") : list;
  };
  std::printf("PRIM peeling (alpha %g, min mass %g): coverage against density\n", options.alpha,
              options.min_mass);
  std::printf("%5s %9s %8s %6s  %s\n", "box", "coverage", "density", "mass", "restricted");
  for (std::size_t b = 0; b < boxes.size(); ++b)
    std::printf("%5zu %9.3f %8.3f %6.3f  %s\n", b, boxes[b].coverage, boxes[b].density,
                boxes[b].mass, restricted(boxes[b]).c_str());
  const std::size_t chosen = sweep::choose_box(boxes, threshold);
  const sweep::PrimBox& box = boxes[chosen];
  std::printf("Box %zu (%s): coverage %.3f, density %.3f, mass %.3f, %s, %s\n", chosen,
              box.density >= threshold
                  ? ("the most coverage at density >= " + shown_number(threshold)).c_str()
                  : ("no box reaches density " + shown_number(threshold) + ": the densest").c_str(),
              box.coverage, box.density, box.mass, counted(box.runs, "run").c_str(),
              counted(box.cases, "case").c_str());
  for (std::size_t p = 0; p < k; ++p) {
    const bool narrowed = box.low[p] > all.low[p] || box.high[p] < all.high[p];
    std::printf("  %-44s %s%s\n", names[p].c_str(),
                limits_text(box.low[p], box.high[p], discrete[p]).c_str(),
                narrowed
                    ? ("   (of " + limits_text(all.low[p], all.high[p], discrete[p]) + ")").c_str()
                    : "   (not restricted)");
  }
  // Pasting (Friedman & Fisher 1999): the chosen box widened again where peeling cut too deep.
  const sweep::PrimBox pasted = sweep::prim_paste(x, is_case, k, box, options);
  if (pasted.low == box.low && pasted.high == box.high) {
    std::printf("Pasting (paste alpha %g) widens no side of box %zu.\n", options.paste_alpha,
                chosen);
  } else {
    std::printf("Pasted (paste alpha %g): coverage %.3f, density %.3f, mass %.3f, %s, %s\n",
                options.paste_alpha, pasted.coverage, pasted.density, pasted.mass,
                counted(pasted.runs, "run").c_str(), counted(pasted.cases, "case").c_str());
    for (std::size_t p = 0; p < k; ++p)
      if (pasted.low[p] != box.low[p] || pasted.high[p] != box.high[p])
        std::printf("  %-44s %s   (box %zu: %s)\n", names[p].c_str(),
                    limits_text(pasted.low[p], pasted.high[p], discrete[p]).c_str(), chosen,
                    limits_text(box.low[p], box.high[p], discrete[p]).c_str());
  }
  // CART, a second view: the rules of a small classification tree, each leaf's share of cases.
  const std::size_t depth = vm["depth"].as<DepthOption>().value;
  if (depth > 0) {
    const auto min_leaf = std::max<std::size_t>(
        1, static_cast<std::size_t>(
               std::ceil(options.min_mass * static_cast<double>(is_case.size()))));
    const std::vector<sweep::CartNode> tree = sweep::cart_tree(x, is_case, k, depth, min_leaf);
    std::printf("CART, a second view (depth <= %zu, at least %s a leaf):\n", depth,
                counted(min_leaf, "run").c_str());
    if (tree.size() == 1)
      std::printf("  no split lowers the impurity\n");
    else
      print_tree(tree, names, discrete);
  }
  if (vm.count("boxes")) write_boxes(boxes);
  return kExitOk;
}

}  // namespace

const Command kDiscoverCommand{
    .name = "discover",
    .synopsis = "SWEEP.h5 --output NAME --where \"OP VALUE\"",
    .summary = "scenario discovery: where in the sweep a condition holds (PRIM)",
    .usage = kUsage,
    .declare_options = declare_options,
    .run = run};

}  // namespace interdep::cli
