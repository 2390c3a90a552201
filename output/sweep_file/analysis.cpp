#include "output/sweep_file/analysis.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "engine/files/user_file.hpp"
#include "engine/run/quantity.hpp"
#include "engine/run/recorded_datasets.hpp"
#include "engine/sweep/design.hpp"
#include "engine/sweep/sensitivity.hpp"
#include "engine/sweep/sweep_spec.hpp"
#include "engine/text/text_format.hpp"
#include "output/sweep_file/sweep_file.hpp"

namespace interdep::sweep {

std::size_t find_name(const std::vector<std::string>& names, const std::string& name,
                      const char* what) {
  auto it = std::find(names.begin(), names.end(), name);
  // An output however it is spaced (trade[RUS, PAK]), and in a file written before outputs were
  // stored in one spelling, as it was spaced there.
  if (it == names.end() && std::string_view(what) == "output")
    it = std::find_if(names.begin(), names.end(), [&](const std::string& n) {
      return quantity_spelling(n) == quantity_spelling(name);
    });
  if (it == names.end()) {
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument(std::string("no ") + what + " '" + name +
                                "' in this sweep; it has: " + known);
  }
  return static_cast<std::size_t>(it - names.begin());
}

namespace {

// The replicates' variance at a point (divisor R - 1), averaged over the points, over R: the
// noise left in a replicate-averaged value; as a share of the averaged values' variance over
// the points (divisor P - 1). NaN with one replicate; +inf when only the noise varies. With
// common seeds, replicate k ran on the same noise at every point: the part of its deviation
// shared by every point (its mean over the points) moves every averaged value alike and cannot
// change an index, so only the rest counts (the interaction of points and replicates of a
// two-way layout, its sum of squares over (P - 1)(R - 1)). NaN too when nothing varies at all
// (0 of 0: no variance to share, and the table's warning says the output is the same in every
// run).
double noise_share(const std::vector<double>& per_run, const std::vector<double>& y,
                   std::size_t replicates, bool common_seeds) {
  if (replicates < 2 || y.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  const auto r = static_cast<double>(replicates);
  const auto points = static_cast<double>(y.size());
  std::vector<double> shared(replicates, 0.0);  // replicate k's deviation common to all points
  if (common_seeds)
    for (std::size_t p = 0; p < y.size(); ++p)
      for (std::size_t k = 0; k < replicates; ++k)
        shared[k] += (per_run[p * replicates + k] - y[p]) / points;
  double within = 0.0;
  for (std::size_t p = 0; p < y.size(); ++p)
    for (std::size_t k = 0; k < replicates; ++k) {
      const double d = per_run[p * replicates + k] - y[p] - shared[k];
      within += d * d / (r - 1.0);
    }
  within /= common_seeds ? points - 1.0 : points;
  // The same value at every point (common seeds and parameters without effect): no variance to
  // share, however the mean rounds; all of it is noise if the replicates differ at all.
  if (std::all_of(y.begin(), y.end(), [&](double v) { return v == y.front(); })) {
    for (std::size_t p = 0; p < y.size(); ++p)
      for (std::size_t k = 0; k < replicates; ++k)
        if (per_run[p * replicates + k] != y[p]) return std::numeric_limits<double>::infinity();
    return std::numeric_limits<double>::quiet_NaN();
  }
  double mean = 0.0, between = 0.0;
  for (double v : y) mean += v / static_cast<double>(y.size());
  for (double v : y) between += (v - mean) * (v - mean) / static_cast<double>(y.size() - 1);
  return within / r / between;
}

// Why the indices are one estimate without an interval: a Saltelli design of one base sample or
// a Morris design of one trajectory, which every bootstrap resample repeats. "" otherwise.
std::string one_sample_warning(const SensitivityTable& t) {
  if (t.base_samples >= 2 || t.method == "regression") return "";
  return t.method == "sobol"
             ? "one base sample: each S1 and ST is a single estimate from k + 2 = " +
                   std::to_string(t.parameters.size() + 2) +
                   " design points, with no interval (a bootstrap resamples base samples and "
                   "needs at least 2); Sobol indices settle with hundreds of base samples, and "
                   "one alone may lie outside [0, 1]"
             : "one trajectory: each mu and mu* is a single elementary effect, with no interval "
               "of mu* and no sigma (a bootstrap resamples trajectories and needs at least 2); "
               "Morris screening takes 10 or more";
}

// A parameter whose every one-at-a-time change (a pair of design points that differ in its value
// alone) left the (replicate-averaged) output exactly as it was: a scenario that does not read it
// as set (pce_exponent under another admission rule, influence without alignment > 0), or an
// output it cannot reach. Its index is an exact 0, not a small estimate: said, since a researcher
// may have meant to vary something that acts.
std::string unmoved_warning(const std::string& parameter, std::size_t changes) {
  return parameter + " changed the output in none of its " + std::to_string(changes) +
         " one-at-a-time " + (changes == 1 ? "change" : "changes") +
         " (its index is an exact 0): the scenario may not use it as set (e.g. pce_exponent "
         "under another admission rule, influence without alignment > 0), or this output does "
         "not depend on it";
}

std::string noise_warning(const SensitivityTable& t) {
  if (std::isinf(t.noise_share))
    return "the replicate-averaged output is the same at every design point: the parameters do "
           "not move it, only run-to-run noise does, and there is no variance to apportion";
  if (t.replicates >= 2 && t.noise_share > kNoiseShareWarning) {
    char share[32];
    std::snprintf(share, sizeof share, "%.1f %%", 100.0 * t.noise_share);  // as the table says
    const std::string what = t.method == "sobol"        ? "indices, and the part of each ST,"
                             : t.method == "regression" ? "coefficients"
                                                        : "elementary effects";
    return std::string("run-to-run noise is ") + share +
           " of the variance of the replicate-averaged output (measured from the " +
           std::to_string(t.replicates) + " replicates): " + what +
           " up to about that share may be noise; add replicates" +
           (t.seeds == "common" ? "" : " or sweep with seeds = \"common\"");
  }
  // Variance-based indices hand noise out to the parameters; regression coefficients are not
  // inflated by it (it lowers R^2 and widens the intervals instead).
  if (t.replicates < 2 && t.seeds != "common" && t.method != "regression")
    return "every run has its own seed and there is one replicate a point, so run-to-run noise "
           "cannot be told from the parameters' effects (it raises every ST by its share of the "
           "output's variance): sweep with seeds = \"common\" (the default for this design "
           "since 0.3), or with replicates >= 2 to measure the noise";
  return "";
}

// Why the analysis cannot be stored in the sweep file at `path`, as a sentence's end, or "".
// Storing replaces the file (a symbolic link's target) by a copy written beside it, under a lock
// file there: it needs the file and its folder writable.
std::string why_not_writable(const std::filesystem::path& path) {
  if (std::string why = files::cannot_open(path, true); !why.empty()) return "it " + why;
  const std::filesystem::path target = files::link_target(path);
  const std::filesystem::path folder = std::filesystem::absolute(target).parent_path();
  if (::access(folder.c_str(), W_OK | X_OK) != 0)
    return "its folder " + folder.string() + " cannot be written (" +
           (errno == EACCES ? std::string("permission denied") : std::strerror(errno)) + ")";
  return "";
}

}  // namespace

// Narrows `per_run` (every run's value) to the runs of the policy named `policy` and returns
// the index of its first run: a sweep with policies runs the whole design under each, one policy
// after another, and each policy's indices are its own.
std::size_t policy_runs(const SweepFile& file, const std::string& policy,
                        std::vector<double>& per_run) {
  const std::vector<std::string>& policies = file.meta.policies;
  if (policies.empty()) {
    if (!policy.empty())
      throw std::invalid_argument("it has no policies, so no policy '" + policy + "'");
    return 0;
  }
  if (policy.empty()) {
    std::string names;
    for (const auto& n : policies) names += (names.empty() ? "'" : ", '") + n + "'";
    throw std::invalid_argument("it runs " + std::to_string(policies.size()) +
                                " policies, each analysed on its own: name one (" + names + ")");
  }
  const std::size_t p = find_name(policies, policy, "policy");
  if (per_run.size() % policies.size() != 0)
    throw std::invalid_argument("its " + std::to_string(per_run.size()) +
                                " runs do not divide into " + std::to_string(policies.size()) +
                                " policies (a damaged file)");
  const std::size_t each = per_run.size() / policies.size(), first = p * each;
  for (std::size_t r = first; r < first + each; ++r)
    if (file.design.policy.at(r) != static_cast<std::int64_t>(p))
      throw std::invalid_argument("run " + std::to_string(r) + " is not of policy '" + policy +
                                  "' where its policy's runs lie (a damaged file)");
  per_run = std::vector<double>(per_run.begin() + static_cast<std::ptrdiff_t>(first),
                                per_run.begin() + static_cast<std::ptrdiff_t>(first + each));
  return first;
}

SensitivityTable analyze_sweep(const std::filesystem::path& path, const AnalysisRequest& request) {
  const SweepFile file = read_sweep(path);
  const SweepLayout& layout = file.layout;
  const std::size_t output = find_name(layout.outputs, request.output, "output");
  const std::size_t statistic = find_name(layout.statistics, request.statistic, "statistic");
  // The output as the file names it (--output "trade[RUS, PAK]" is trade[RUS,PAK]): the table
  // written below is named after it.
  const std::string& output_name = layout.outputs[output];
  // The design kind as stored in the file (its name-table word, sweep_spec.hpp).
  const std::optional<DesignKind> kind = parse<DesignKind>(file.meta.design_kind);
  if (!kind)
    throw std::invalid_argument("its design kind '" + file.meta.design_kind +
                                "' is not one interdep knows (a damaged file)");

  // Replicates are averaged per design point (runs are ordered point * replicates + replicate,
  // within a policy; policies one after another).
  const std::vector<double> summary_read = read_summary(path, output, statistic);
  std::vector<double> per_run = summary_read;
  const std::size_t first = policy_runs(file, request.policy, per_run);
  SensitivityTable table;
  table.runs = per_run.size();
  table.policy = request.policy;
  table.parameters = layout.parameters;
  const std::size_t k = layout.parameters.size();
  // The counts the file states must describe its runs before any is indexed by them.
  const std::int64_t replicates = file.meta.replicates, base_samples = file.meta.base_samples;
  if (replicates < 1 || static_cast<std::uint64_t>(replicates) > table.runs ||
      table.runs % static_cast<std::size_t>(replicates) != 0)
    throw std::invalid_argument("its replicates (" + std::to_string(replicates) +
                                ") do not divide its " + std::to_string(table.runs) + " runs");
  table.replicates = static_cast<std::size_t>(replicates);
  const std::size_t points = table.runs / table.replicates;
  const bool sampled = kind == DesignKind::saltelli || kind == DesignKind::morris;
  const std::size_t rows_per_sample = kind == DesignKind::saltelli ? k + 2 : k + 1;
  if (sampled && (base_samples < 1 || points % rows_per_sample != 0 ||
                  points / rows_per_sample != static_cast<std::uint64_t>(base_samples)))
    throw std::invalid_argument("its base_samples (" + std::to_string(base_samples) +
                                ") do not match its " + std::to_string(points) +
                                " design points of " + std::to_string(k) + " parameters (" +
                                std::to_string(rows_per_sample) + " a sample)");
  table.base_samples = sampled ? static_cast<std::size_t>(base_samples) : points;
  std::vector<double> y(points, 0.0);
  for (std::size_t r = 0; r < per_run.size(); ++r) {
    if (!std::isfinite(per_run[r])) {
      const std::size_t run = first + r;
      // A finished run without a value: an onset never reached (or an output undefined there).
      const bool finished = file.status.at(run) == kRunDone;
      throw std::invalid_argument(
          "run " + std::to_string(run) + " has no value of " + output_name +
          (finished
               ? ":" + request.statistic + " (" +
                     (request.statistic == "onset" ? "the onset never came in that run"
                                                   : "not a number in that run") +
                     "; `interdep discover` takes such runs as cases: --where \"== nan\")"
               : " (" +
                     (file.message[run].empty() ? std::string("not finished") : file.message[run]) +
                     ")") +
          "; sensitivity indices need every run");
    }
    y[r / table.replicates] += per_run[r] / static_cast<double>(table.replicates);
  }
  table.seeds = file.meta.seeds;
  table.noise_share = noise_share(per_run, y, table.replicates, table.seeds == "common");

  std::vector<double> rank_key(k);
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<std::size_t> constant;  // regression: parameters with one value at every point
  if (kind == DesignKind::saltelli) {
    table.method = "sobol";
    const auto indices = sobol_indices(y, table.base_samples, k, request.resamples,
                                       request.confidence, request.seed);
    table.columns = {{"S1", {}}, {"S1_low", {}}, {"S1_high", {}},
                     {"ST", {}}, {"ST_low", {}}, {"ST_high", {}}};
    for (std::size_t p = 0; p < k; ++p) {
      const SobolIndex& s = indices[p];
      const double values[] = {s.first, s.first_low, s.first_high,
                               s.total, s.total_low, s.total_high};
      for (std::size_t c = 0; c < table.columns.size(); ++c)
        table.columns[c].second.push_back(values[c]);
      rank_key[p] = s.total;
    }
    attributes.emplace_back(
        "method", "Sobol indices: Saltelli et al. (2010) first order, Jansen (1999) total order");
  } else if (kind != DesignKind::morris) {
    table.method = "regression";
    std::vector<double> x;  // each point's parameter values (its first replicate's row)
    x.reserve(points * k);
    for (std::size_t pt = 0; pt < points; ++pt)
      for (std::size_t p = 0; p < k; ++p)
        x.push_back(file.design.value.at((first + pt * table.replicates) * k + p));
    const RegressionIndices r =
        regression_indices(x, y, k, request.resamples, request.confidence, request.seed);
    table.columns = {{"SRC", {}},  {"SRC_low", {}},  {"SRC_high", {}},
                     {"PRCC", {}}, {"PRCC_low", {}}, {"PRCC_high", {}}};
    for (std::size_t p = 0; p < k; ++p) {
      const RegressionIndex& g = r.parameters[p];
      const double values[] = {g.src, g.src_low, g.src_high, g.prcc, g.prcc_low, g.prcc_high};
      for (std::size_t c = 0; c < table.columns.size(); ++c)
        table.columns[c].second.push_back(values[c]);
      rank_key[p] = std::abs(g.prcc);
    }
    table.r2 = r.r2;
    table.r2_rank = r.r2_rank;
    constant = r.constant;
    attributes.emplace_back("method",
                            "standardised regression coefficients and partial rank correlation "
                            "coefficients (Saltelli et al. 2008; Marino et al. 2008)");
    attributes.emplace_back("R2", shortest_number(r.r2));
    attributes.emplace_back("R2_rank", shortest_number(r.r2_rank));
  } else {
    table.method = "morris";
    Design design;
    design.points = points;
    design.dims = k;
    design.base_samples = table.base_samples;
    for (std::size_t pt = 0; pt < points; ++pt)
      for (std::size_t p = 0; p < k; ++p)
        design.unit.push_back(file.design.unit.at((first + pt * table.replicates) * k + p));
    const auto indices =
        morris_indices(design, y, request.resamples, request.confidence, request.seed);
    table.columns = {
        {"mu", {}}, {"mu_star", {}}, {"mu_star_low", {}}, {"mu_star_high", {}}, {"sigma", {}}};
    for (std::size_t p = 0; p < k; ++p) {
      const MorrisIndex& m = indices[p];
      const double values[] = {m.mu, m.mu_star, m.mu_star_low, m.mu_star_high, m.sigma};
      for (std::size_t c = 0; c < table.columns.size(); ++c)
        table.columns[c].second.push_back(values[c]);
      rank_key[p] = m.mu_star;
    }
    attributes.emplace_back("method",
                            "Morris (1991) elementary effects; mu* of Campolongo et al. (2007)");
    // Effects are the output's change over a parameter's whole (unit-scale) range: its units.
    const RecordedDataset* recorded =
        find_recorded_dataset(output_name.substr(0, output_name.find('[')));
    const std::string units = request.statistic == "onset" ? "yr"
                              : recorded != nullptr        ? std::string(recorded->units)
                                                           : std::string("1");
    for (const char* column : {"mu", "mu_star", "mu_star_low", "mu_star_high", "sigma"})
      attributes.emplace_back(std::string(column) + ".units", units);
  }
  table.ranking.resize(k);
  std::iota(table.ranking.begin(), table.ranking.end(), 0);
  std::stable_sort(table.ranking.begin(), table.ranking.end(), [&](std::size_t p, std::size_t q) {
    const double a = std::isnan(rank_key[p]) ? -HUGE_VAL : rank_key[p],
                 b = std::isnan(rank_key[q]) ? -HUGE_VAL : rank_key[q];
    return a > b;
  });
  table.warning = noise_warning(table);
  // The design's one-at-a-time pairs (Saltelli: A_j and AB_j^(p); Morris: a trajectory's
  // consecutive points), each counted for the parameter whose value it changes: a pair in which a
  // discrete parameter drew the same value changes nothing, and is not counted.
  std::vector<std::size_t> changes(k, 0);
  std::vector<bool> moved(k, false);
  const auto at = [&](const std::vector<double>& values, std::size_t point, std::size_t p) {
    return values.at((first + point * table.replicates) * k + p);
  };
  const auto one_at_a_time = [&](std::size_t before, std::size_t after, std::size_t p) {
    if (at(file.design.value, before, p) == at(file.design.value, after, p)) return;
    ++changes[p];
    moved[p] = moved[p] || y[before] != y[after];
  };
  if (kind == DesignKind::saltelli) {
    for (std::size_t j = 0; j < table.base_samples; ++j)
      for (std::size_t p = 0; p < k; ++p) one_at_a_time(j * (k + 2), j * (k + 2) + 1 + p, p);
  } else if (kind == DesignKind::morris) {
    for (std::size_t point = 0; point + 1 < points; ++point) {
      if ((point + 1) % (k + 1) == 0) continue;  // the next trajectory's start
      for (std::size_t p = 0; p < k; ++p)
        if (at(file.design.unit, point, p) != at(file.design.unit, point + 1, p))
          one_at_a_time(point, point + 1, p);
    }
  }
  // (An output the same at every point has every parameter unmoved: said once, above or below.)
  const bool y_varies = std::any_of(y.begin(), y.end(), [&](double v) { return v != y.front(); });
  for (std::size_t p = 0; p < k && y_varies; ++p)
    if (changes[p] > 0 && !moved[p]) {
      const std::string still = unmoved_warning(table.parameters[p], changes[p]);
      table.warning = table.warning.empty() ? still : table.warning + "\n" + still;
    }
  if (std::all_of(per_run.begin(), per_run.end(), [&](double v) { return v == per_run.front(); }))
    table.warning = "the output is " + shortest_number(per_run.front()) +
                    " in every run: neither the parameters nor the noise move it, so there is no "
                    "variance to apportion and the indices are not defined";
  else if (const std::string few = one_sample_warning(table); !few.empty())
    table.warning = table.warning.empty() ? few : few + "\n" + table.warning;
  else if (!constant.empty()) {
    std::string names;
    for (std::size_t p : constant) names += (names.empty() ? "" : ", ") + table.parameters[p];
    const bool one = constant.size() == 1;
    const std::string same = names + (one ? " has" : " have") +
                             " the same value at every design point: " + (one ? "its" : "their") +
                             " SRC and PRCC are NaN, and the other parameters' are " +
                             "estimated without " + (one ? "it" : "them");
    table.warning = table.warning.empty() ? same : table.warning + "\n" + same;
  }
  attributes.insert(attributes.end(), {{"output", output_name},
                                       {"statistic", request.statistic},
                                       {"confidence", shortest_number(request.confidence)},
                                       {"resamples", std::to_string(request.resamples)},
                                       {"bootstrap_seed", std::to_string(request.seed)},
                                       {"replicates_averaged", std::to_string(table.replicates)},
                                       {"seeds", table.seeds},
                                       {"noise_share", shortest_number(table.noise_share)},
                                       {"warning", table.warning}});
  table.group = table.method + ":" + output_name + ":" + request.statistic;
  table.output = output_name;
  if (!request.policy.empty()) {
    attributes.emplace_back("policy", request.policy);
    table.group += ":" + request.policy;
  }
  // The table describes the runs read above: the file must still hold them when it is written.
  const auto same_bits = [](const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
  };
  const auto unchanged = [&] {
    const SweepFile now = read_sweep(path);
    return now.meta.created == file.meta.created &&
           now.meta.command_line == file.meta.command_line &&
           now.meta.sweep_text == file.meta.sweep_text && now.design.seed == file.design.seed &&
           same_bits(now.design.value, file.design.value) && now.status == file.status &&
           same_bits(read_summary(path, output, statistic), summary_read);
  };
  // A sweep the user may read and not write (a colleague's results, a read-only share): the
  // table is computed all the same, and returned without being stored.
  table.not_stored = why_not_writable(path);
  if (table.not_stored.empty()) {
    try {
      write_analysis(path, table.group, table.parameters, table.columns, attributes, unchanged);
    } catch (const OutputError&) {
      table.store_failure = std::current_exception();
    }
  }
  return table;
}

}  // namespace interdep::sweep
