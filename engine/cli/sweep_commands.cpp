// interdep sweep and interdep analyze (docs/sweeps.md).
#include "engine/cli/sweep_commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <numeric>

#include "engine/sweep/distribution.hpp"
#include "engine/sweep/runner.hpp"
#include "engine/sweep/sensitivity.hpp"
#include "engine/sweep/sweep_loader.hpp"
#include "output/sweep_file.hpp"

namespace interdep::cli {
namespace {

std::string clock_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  const auto s = static_cast<long>(seconds + 0.5);
  char buffer[32];
  if (s >= 3600)
    std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(buffer, sizeof buffer, "%02ld:%02ld", s / 60, s % 60);
  return buffer;
}

// A bar on a terminal, plain lines every 10 s otherwise (logs, CI, batch systems).
class ProgressReporter {
 public:
  explicit ProgressReporter(bool quiet) : quiet_(quiet), terminal_(isatty(STDERR_FILENO) != 0) {}

  void operator()(const sweep::Progress& p) {
    if (quiet_) return;
    const std::size_t fresh = p.done - p.resumed;
    const double rate = p.seconds > 0 ? static_cast<double>(fresh) / p.seconds : 0.0;
    const double eta = rate > 0 ? static_cast<double>(p.total - p.done) / rate : -1.0;
    char line[256];
    if (terminal_) {
      const int width = 30;
      const int filled = p.total ? static_cast<int>(width * static_cast<double>(p.done) / static_cast<double>(p.total)) : width;
      std::string bar(static_cast<std::size_t>(filled), '#');
      bar.resize(static_cast<std::size_t>(width), '.');
      std::snprintf(line, sizeof line, "\r[%s] %zu/%zu runs, %.1f runs/s, ETA %s%s   ", bar.c_str(), p.done,
                    p.total, rate, clock_text(eta).c_str(),
                    p.failed ? (", " + std::to_string(p.failed) + " failed").c_str() : "");
      std::cerr << line << std::flush;
      dirty_ = true;
    } else if (p.seconds - last_ >= 10.0 || p.done == p.total) {
      last_ = p.seconds;
      std::snprintf(line, sizeof line, "sweep: %zu/%zu runs, %.1f runs/s, ETA %s, %zu failed\n", p.done, p.total,
                    rate, clock_text(eta).c_str(), p.failed);
      std::cerr << line;
    }
  }
  void finish() {
    if (dirty_) std::cerr << "\n";
    dirty_ = false;
  }

 private:
  bool quiet_;
  bool terminal_;
  bool dirty_ = false;
  double last_ = -1e9;
};

}  // namespace

int sweep_command(const SweepArguments& a) {
  const sweep::SweepSpec spec = sweep::load_sweep(a.sweep_file);
  sweep::SweepOptions options;
  options.output = a.output.empty() ? std::filesystem::path(a.sweep_file.stem().string() + ".h5") : a.output;
  options.threads = a.threads;
  options.resume = a.resume;
  options.rank = a.rank;
  options.ranks = a.ranks;
  options.barrier = a.barrier;
  options.cancel = a.cancel;
  options.command_line = a.command_line;
  ProgressReporter reporter(a.quiet || a.rank != 0);
  options.progress = [&](const sweep::Progress& p) { reporter(p); };
  if (a.rank == 0 && !a.quiet && !spec.renormalised.empty()) {
    std::cerr << "sweep: the interest weights of";
    for (const auto& code : spec.renormalised) std::cerr << " " << code;
    std::cerr << " vary and are renormalised to sum to 1 in every run\n";
  }
  const sweep::SweepOutcome outcome = sweep::run_sweep(spec, options);
  reporter.finish();
  if (a.rank != 0) return outcome.stopped ? 1 : 0;
  const auto& p = outcome.progress;
  if (outcome.stopped) {
    std::cerr << "sweep: stopped after " << p.done << " of " << p.total << " runs (" << p.failed
              << " failed); finished runs are kept in " << sweep::parts_directory(options.output).string()
              << ": rerun with --resume to continue\n";
    return a.cancel && a.cancel->load() ? 130 : 1;
  }
  if (!a.quiet)
    std::cout << "Wrote " << options.output.string() << ": " << p.total << " runs (" << p.resumed
              << " resumed, " << p.failed << " failed) in " << clock_text(p.seconds) << "\n";
  return p.failed ? 1 : 0;
}

int analyze_command(const AnalyzeArguments& a) {
  const sweep::SweepFile file = sweep::read_sweep(a.file);
  const auto& layout = file.layout;
  const auto find = [](const std::vector<std::string>& names, const std::string& name, const char* what) {
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      throw std::invalid_argument(std::string("no ") + what + " '" + name + "' in this sweep; it has: " + known);
    }
    return static_cast<std::size_t>(it - names.begin());
  };
  const std::size_t output = find(layout.outputs, a.output, "output");
  const std::size_t statistic = find(layout.statistics, a.statistic, "statistic");
  const std::vector<double> per_run = sweep::read_summary(a.file, output, statistic);
  // Replicates are averaged per design point (runs are ordered point * replicates + replicate).
  const auto replicates = static_cast<std::size_t>(std::max<std::int64_t>(1, file.meta.replicates));
  const std::size_t points = per_run.size() / replicates;
  std::vector<double> y(points, 0.0);
  for (std::size_t r = 0; r < per_run.size(); ++r) {
    if (!std::isfinite(per_run[r]))
      throw std::invalid_argument("run " + std::to_string(r) + " has no value of " + a.output + " (" +
                                  (file.message[r].empty() ? "not finished" : file.message[r]) +
                                  "); sensitivity indices need every run");
    y[r / replicates] += per_run[r] / static_cast<double>(replicates);
  }
  const std::size_t k = layout.parameters.size();
  std::vector<std::pair<std::string, std::vector<double>>> columns;
  std::vector<std::size_t> order(k);
  std::iota(order.begin(), order.end(), 0);
  const std::string label = a.output + " (" + a.statistic + ")";
  if (file.meta.design_kind == "saltelli") {
    const auto indices = sweep::sobol_indices(y, static_cast<std::size_t>(file.meta.base_samples), k, a.resamples,
                                              a.confidence, a.seed);
    std::sort(order.begin(), order.end(), [&](std::size_t p, std::size_t q) { return indices[p].total > indices[q].total; });
    std::printf("Sobol indices of %s, %zu base samples, %zu runs; %.0f %% bootstrap intervals (%zu resamples)\n",
                label.c_str(), static_cast<std::size_t>(file.meta.base_samples), per_run.size(), 100 * a.confidence, a.resamples);
    std::printf("%-44s %8s %19s %8s %19s\n", "parameter", "S1", "S1 interval", "ST", "ST interval");
    for (std::size_t p : order) {
      const auto& s = indices[p];
      std::printf("%-44s %8.3f [%8.3f, %8.3f] %8.3f [%8.3f, %8.3f]\n", layout.parameters[p].c_str(), s.first,
                  s.first_low, s.first_high, s.total, s.total_low, s.total_high);
    }
    columns = {{"S1", {}}, {"S1_low", {}}, {"S1_high", {}}, {"ST", {}}, {"ST_low", {}}, {"ST_high", {}}};
    for (const auto& s : indices) {
      for (auto [col, v] : {std::pair{0, s.first}, {1, s.first_low}, {2, s.first_high}, {3, s.total}, {4, s.total_low}, {5, s.total_high}})
        columns[static_cast<std::size_t>(col)].second.push_back(v);
    }
  } else if (file.meta.design_kind == "morris") {
    sweep::Design design;
    design.points = points;
    design.dims = k;
    design.base_samples = static_cast<std::size_t>(file.meta.base_samples);
    for (std::size_t pt = 0; pt < points; ++pt)
      for (std::size_t p = 0; p < k; ++p) design.unit.push_back(file.design.unit[pt * replicates * k + p]);
    const auto indices = sweep::morris_indices(design, y, a.resamples, a.confidence, a.seed);
    std::sort(order.begin(), order.end(), [&](std::size_t p, std::size_t q) { return indices[p].mu_star > indices[q].mu_star; });
    std::printf("Morris elementary effects of %s, %zu trajectories; %.0f %% bootstrap interval of mu*\n", label.c_str(),
                design.base_samples, 100 * a.confidence);
    std::printf("%-44s %10s %10s %23s %10s\n", "parameter", "mu", "mu*", "mu* interval", "sigma");
    for (std::size_t p : order) {
      const auto& m = indices[p];
      std::printf("%-44s %10.4g %10.4g [%10.4g, %10.4g] %10.4g\n", layout.parameters[p].c_str(), m.mu, m.mu_star,
                  m.mu_star_low, m.mu_star_high, m.sigma);
    }
    columns = {{"mu", {}}, {"mu_star", {}}, {"mu_star_low", {}}, {"mu_star_high", {}}, {"sigma", {}}};
    for (const auto& m : indices)
      for (auto [col, v] : {std::pair{0, m.mu}, {1, m.mu_star}, {2, m.mu_star_low}, {3, m.mu_star_high}, {4, m.sigma}})
        columns[static_cast<std::size_t>(col)].second.push_back(v);
  } else {
    throw std::invalid_argument("a '" + file.meta.design_kind +
                                "' design supports no sensitivity indices: use design kind \"saltelli\" "
                                "(Sobol indices) or \"morris\" (elementary effects)");
  }
  const std::string method = file.meta.design_kind == "saltelli" ? "sobol" : "morris";
  sweep::write_analysis(a.file, method + ":" + a.output + ":" + a.statistic, layout.parameters, columns,
                        {{"method", method == "sobol" ? "Saltelli (2010) first order, Jansen (1999) total order"
                                                      : "Morris (1991) elementary effects, Campolongo et al. (2007) mu*"},
                         {"output", a.output},
                         {"statistic", a.statistic},
                         {"confidence", std::to_string(a.confidence)},
                         {"resamples", std::to_string(a.resamples)},
                         {"bootstrap_seed", std::to_string(a.seed)}});
  std::printf("(written to %s, group /analysis/%s:%s:%s)\n", a.file.string().c_str(), method.c_str(),
              a.output.c_str(), a.statistic.c_str());
  return 0;
}

}  // namespace interdep::cli
