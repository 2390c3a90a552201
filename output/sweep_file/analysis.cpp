#include "output/sweep_file/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "engine/sweep/design.hpp"
#include "engine/sweep/sensitivity.hpp"
#include "engine/sweep/sweep_spec.hpp"
#include "output/sweep_file/sweep_file.hpp"

namespace interdep::sweep {
namespace {

std::size_t find_name(const std::vector<std::string>& names, const std::string& name,
                      const char* what) {
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument(std::string("no ") + what + " '" + name +
                                "' in this sweep; it has: " + known);
  }
  return static_cast<std::size_t>(it - names.begin());
}

}  // namespace

SensitivityTable analyze_sweep(const std::filesystem::path& path, const AnalysisRequest& request) {
  const SweepFile file = read_sweep(path);
  const SweepLayout& layout = file.layout;
  const std::size_t output = find_name(layout.outputs, request.output, "output");
  const std::size_t statistic = find_name(layout.statistics, request.statistic, "statistic");
  // The design kind as stored in the file (its name-table word, sweep_spec.hpp).
  const std::optional<DesignKind> kind = parse<DesignKind>(file.meta.design_kind);
  if (kind != DesignKind::saltelli && kind != DesignKind::morris)
    throw std::invalid_argument(
        "a '" + file.meta.design_kind +
        "' design supports no sensitivity indices: use design kind \"saltelli\" "
        "(Sobol indices) or \"morris\" (elementary effects)");

  // Replicates are averaged per design point (runs are ordered point * replicates + replicate).
  const std::vector<double> per_run = read_summary(path, output, statistic);
  SensitivityTable table;
  table.runs = per_run.size();
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
  const std::size_t rows_per_sample = kind == DesignKind::saltelli ? k + 2 : k + 1;
  if (base_samples < 1 || points % rows_per_sample != 0 ||
      points / rows_per_sample != static_cast<std::uint64_t>(base_samples))
    throw std::invalid_argument("its base_samples (" + std::to_string(base_samples) +
                                ") do not match its " + std::to_string(points) +
                                " design points of " + std::to_string(k) + " parameters (" +
                                std::to_string(rows_per_sample) + " a sample)");
  table.base_samples = static_cast<std::size_t>(base_samples);
  std::vector<double> y(points, 0.0);
  for (std::size_t r = 0; r < per_run.size(); ++r) {
    if (!std::isfinite(per_run[r]))
      throw std::invalid_argument("run " + std::to_string(r) + " has no value of " +
                                  request.output + " (" +
                                  (file.message[r].empty() ? "not finished" : file.message[r]) +
                                  "); sensitivity indices need every run");
    y[r / table.replicates] += per_run[r] / static_cast<double>(table.replicates);
  }

  std::vector<double> rank_key(k);
  std::vector<std::pair<std::string, std::string>> attributes;
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
  } else {
    table.method = "morris";
    Design design;
    design.points = points;
    design.dims = k;
    design.base_samples = table.base_samples;
    for (std::size_t pt = 0; pt < points; ++pt)
      for (std::size_t p = 0; p < k; ++p)
        design.unit.push_back(file.design.unit[pt * table.replicates * k + p]);
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
  }
  table.ranking.resize(k);
  std::iota(table.ranking.begin(), table.ranking.end(), 0);
  std::stable_sort(table.ranking.begin(), table.ranking.end(), [&](std::size_t p, std::size_t q) {
    const double a = std::isnan(rank_key[p]) ? -HUGE_VAL : rank_key[p],
                 b = std::isnan(rank_key[q]) ? -HUGE_VAL : rank_key[q];
    return a > b;
  });
  attributes.insert(attributes.end(), {{"output", request.output},
                                       {"statistic", request.statistic},
                                       {"confidence", std::to_string(request.confidence)},
                                       {"resamples", std::to_string(request.resamples)},
                                       {"bootstrap_seed", std::to_string(request.seed)},
                                       {"replicates_averaged", std::to_string(table.replicates)}});
  table.group = table.method + ":" + request.output + ":" + request.statistic;
  write_analysis(path, table.group, table.parameters, table.columns, attributes);
  return table;
}

}  // namespace interdep::sweep
