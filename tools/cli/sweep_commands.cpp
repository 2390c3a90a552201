// interdep sweep and interdep analyze (docs/sweeps.md).
#include "tools/cli/sweep_commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "output/sweep_file/analysis.hpp"
#include "engine/sweep/runner.hpp"
#include "engine/sweep/sweep_loader.hpp"
#include "output/sweep_file/shard_store.hpp"
#include "output/sweep_file/sweep_file.hpp"
#include "models/registry.hpp"

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
  const std::filesystem::path output =
      a.output.empty() ? std::filesystem::path(a.sweep_file.stem().string() + ".h5") : a.output;
  sweep::ShardStore store(output, static_cast<std::size_t>(a.rank), a.resume);
  sweep::SweepOptions options;
  options.threads = a.threads;
  options.rank = a.rank;
  options.ranks = a.ranks;
  options.all_agree = a.all_agree;
  options.cancel = a.cancel;
  options.command_line = a.command_line;
  ProgressReporter reporter(a.quiet || a.rank != 0);
  options.progress = [&](const sweep::Progress& p) { reporter(p); };
  if (a.rank == 0 && !a.quiet && !spec.renormalised.empty()) {
    std::cerr << "sweep: the interest weights of";
    for (const auto& code : spec.renormalised) std::cerr << " " << code;
    std::cerr << " vary and are renormalised to sum to 1 in every run\n";
  }
  const sweep::SweepOutcome outcome = sweep::run_sweep(
      spec, options,
      [](const ScenarioSpec& scenario, std::uint64_t seed) { return run_scenario(scenario, seed).trajectory; },
      store);
  reporter.finish();
  if (a.rank != 0) return outcome.stopped ? 1 : 0;
  const auto& p = outcome.progress;
  if (outcome.stopped) {
    std::cerr << "sweep: stopped after " << p.done << " of " << p.total << " runs (" << p.failed
              << " failed); finished runs are kept in " << store.parts().string()
              << ": rerun with --resume to continue\n";
    return a.cancel && a.cancel->load() ? 130 : 1;
  }
  // Count failures from the merged file: with MPI, this rank saw only its own share of runs.
  const sweep::SweepFile merged = sweep::read_sweep(output);
  const auto failed = static_cast<std::size_t>(std::count(merged.status.begin(), merged.status.end(), 2));
  if (!a.quiet)
    std::cout << "Wrote " << output.string() << ": " << p.total << " runs (" << p.resumed
              << " resumed, " << failed << " failed) in " << clock_text(p.seconds) << "\n";
  if (failed && !a.quiet) {
    for (std::size_t r = 0, shown = 0; r < merged.status.size() && shown < 5; ++r)
      if (merged.status[r] == 2) {
        std::cerr << "sweep: run " << r << " failed: " << merged.message[r] << "\n";
        ++shown;
      }
  }
  return failed ? 1 : 0;
}

int analyze_command(const AnalyzeArguments& a) {
  sweep::AnalysisRequest request;
  request.output = a.output;
  request.statistic = a.statistic;
  request.resamples = a.resamples;
  request.confidence = a.confidence;
  request.seed = a.seed;
  const sweep::SensitivityTable t = sweep::analyze_sweep(a.file, request);
  const std::string label = a.output + " (" + a.statistic + ")";
  const auto column = [&](const char* name) -> const std::vector<double>& {
    for (const auto& [n, v] : t.columns)
      if (n == name) return v;
    throw std::logic_error(std::string("analysis table without column ") + name);
  };
  if (t.method == "sobol") {
    std::printf("Sobol indices of %s: %zu base samples, %zu runs (replicates averaged: %zu); "
                "%.0f %% bootstrap intervals, %zu resamples\n",
                label.c_str(), t.base_samples, t.runs, t.replicates, 100 * a.confidence, a.resamples);
    std::printf("%-44s %8s %21s %8s %21s\n", "parameter (ranked by ST)", "S1", "S1 interval", "ST", "ST interval");
    const auto &s1 = column("S1"), &s1l = column("S1_low"), &s1h = column("S1_high");
    const auto &st = column("ST"), &stl = column("ST_low"), &sth = column("ST_high");
    for (std::size_t p : t.ranking)
      std::printf("%-44s %8.3f [%8.3f, %8.3f] %8.3f [%8.3f, %8.3f]\n", t.parameters[p].c_str(), s1[p], s1l[p],
                  s1h[p], st[p], stl[p], sth[p]);
  } else {
    std::printf("Morris elementary effects of %s: %zu trajectories, %zu runs (replicates averaged: %zu); "
                "%.0f %% bootstrap interval of mu*\n",
                label.c_str(), t.base_samples, t.runs, t.replicates, 100 * a.confidence);
    std::printf("%-44s %11s %11s %25s %11s\n", "parameter (ranked by mu*)", "mu", "mu*", "mu* interval", "sigma");
    const auto &mu = column("mu"), &ms = column("mu_star"), &msl = column("mu_star_low"),
               &msh = column("mu_star_high"), &sigma = column("sigma");
    for (std::size_t p : t.ranking)
      std::printf("%-44s %11.4g %11.4g [%11.4g, %11.4g] %11.4g\n", t.parameters[p].c_str(), mu[p], ms[p], msl[p],
                  msh[p], sigma[p]);
  }
  std::printf("(written to %s under /analysis/%s)\n", a.file.string().c_str(), t.group.c_str());
  return 0;
}

}  // namespace interdep::cli
