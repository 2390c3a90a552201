// `interdep analyze OUT.h5 --output NAME` (docs/sweeps.md): Sobol indices or Morris elementary
// effects of one output of a sweep, printed as a ranked table and stored in the file.
#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "output/hdf5/output_error.hpp"
#include "output/sweep_file/analysis.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/csv_file.hpp"

namespace interdep::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: interdep analyze OUT.h5 --output NAME [--statistic final] [--policy NAME]\n"
    "Sobol indices (Saltelli design), Morris elementary effects (Morris design), or standardised\n"
    "regression and partial rank correlation coefficients (LHS, grid and CSV designs) of one\n"
    "output of a sweep, as a ranked table; also written into the file under /analysis.\n";

void declare_options(CommandOptions& options) {
  options.listed.add_options()("output", po::value<std::string>(),
                               "the output to analyse, e.g. 'relation_overall[PAK,RUS]'")(
      "statistic", po::value<std::string>()->default_value("final"), "final, min, max or mean")(
      "resamples",
      po::value<Whole<std::size_t, sweep::kMinResamples, sweep::kMaxResamples>>()->default_value(
          {1000}, "1000"),
      "bootstrap resamples")("policy", po::value<std::string>(),
                             "a sweep with policies: the policy whose runs to analyse")(
      "confidence", po::value<Real>()->default_value({0.95}, "0.95"),
      "level of the bootstrap intervals")("seed", po::value<std::string>(),
                                          "seed of the bootstrap (default 1)");
  options.add_positional("file", po::value<std::string>(), 1);
}

// printf's formats, written through std::cout, whose first failed write keeps its reason for
// finish_standard_output (stdio's error flag alone would not say why).
[[gnu::format(printf, 1, 2)]] void print(const char* format, ...) {
  std::va_list args;
  va_start(args, format);
  std::va_list measure;
  va_copy(measure, args);
  const int size = std::vsnprintf(nullptr, 0, format, measure);
  va_end(measure);
  std::string text(static_cast<std::size_t>(std::max(size, 0)), '\0');
  std::vsnprintf(text.data(), text.size() + 1, format, args);
  va_end(args);
  std::cout << text;
}

void print_table(const sweep::SensitivityTable& t, const sweep::AnalysisRequest& request,
                 const std::string& file) {
  // The level as a percentage, as precise as it was given: 95, 97.5, 99.9.
  const std::string level = shown_number(100.0 * request.confidence);
  const std::string label =
      t.output + " (" + request.statistic + ")" +
      (request.policy.empty() ? "" : " under policy '" + request.policy + "'");
  const auto column = [&](const char* name) -> const std::vector<double>& {
    for (const auto& [n, v] : t.columns)
      if (n == name) return v;
    throw std::logic_error(std::string("analysis table without column ") + name);
  };
  if (t.method == "sobol") {
    print(
        "Sobol indices of %s: %zu base samples, %zu runs (replicates averaged: %zu); "
        "%s %% bootstrap intervals, %zu resamples\n",
        label.c_str(), t.base_samples, t.runs, t.replicates, level.c_str(), request.resamples);
    print("%-44s %8s %21s %8s %21s\n", "parameter (ranked by ST)", "S1", "S1 interval", "ST",
          "ST interval");
    const auto &s1 = column("S1"), &s1l = column("S1_low"), &s1h = column("S1_high");
    const auto &st = column("ST"), &stl = column("ST_low"), &sth = column("ST_high");
    for (std::size_t p : t.ranking)
      print("%-44s %8.3f [%8.3f, %8.3f] %8.3f [%8.3f, %8.3f]\n", t.parameters[p].c_str(), s1[p],
            s1l[p], s1h[p], st[p], stl[p], sth[p]);
  } else if (t.method == "regression") {
    print(
        "Standardised regression (SRC) and partial rank correlation (PRCC) coefficients of %s: "
        "%zu design points, %zu runs (replicates averaged: %zu); %s %% bootstrap intervals, %zu "
        "resamples\n",
        label.c_str(), t.base_samples, t.runs, t.replicates, level.c_str(), request.resamples);
    print("%-44s %8s %21s %8s %21s\n", "parameter (ranked by |PRCC|)", "SRC", "SRC interval",
          "PRCC", "PRCC interval");
    const auto &src = column("SRC"), &srcl = column("SRC_low"), &srch = column("SRC_high");
    const auto &pr = column("PRCC"), &prl = column("PRCC_low"), &prh = column("PRCC_high");
    for (std::size_t p : t.ranking)
      print("%-44s %8.3f [%8.3f, %8.3f] %8.3f [%8.3f, %8.3f]\n", t.parameters[p].c_str(), src[p],
            srcl[p], srch[p], pr[p], prl[p], prh[p]);
    print(
        "R^2: %.3f of the linear regression (the SRC describe y that far), %.3f of the rank "
        "regression (the PRCC)\n",
        t.r2, t.r2_rank);
  } else {
    print(
        "Morris elementary effects of %s: %zu trajectories, %zu runs (replicates averaged: %zu); "
        "%s %% bootstrap interval of mu*\n",
        label.c_str(), t.base_samples, t.runs, t.replicates, level.c_str());
    print("%-44s %11s %11s %25s %11s\n", "parameter (ranked by mu*)", "mu", "mu*", "mu* interval",
          "sigma");
    const auto &mu = column("mu"), &ms = column("mu_star"), &msl = column("mu_star_low"),
               &msh = column("mu_star_high"), &sigma = column("sigma");
    for (std::size_t p : t.ranking)
      print("%-44s %11.4g %11.4g [%11.4g, %11.4g] %11.4g\n", t.parameters[p].c_str(), mu[p], ms[p],
            msl[p], msh[p], sigma[p]);
  }
  if (t.replicates >= 2 && std::isinf(t.noise_share))
    print("Run-to-run noise: all of the output's variation (seeds %s)\n", t.seeds.c_str());
  else if (t.replicates >= 2 && std::isnan(t.noise_share))
    print("Run-to-run noise: none to measure, the output does not vary (seeds %s)\n",
          t.seeds.c_str());
  else if (t.replicates >= 2)
    print(
        "Run-to-run noise: %.1f %% of the variance of the replicate-averaged output "
        "(seeds %s)\n",
        100.0 * t.noise_share, t.seeds.c_str());
  else
    print("Seeds: %s%s\n", t.seeds.c_str(),
          t.seeds == "common" ? " (every design point ran on the same noise)" : "");
  // One warning a line (a one-sample design's and the noise's may both be there).
  for (std::size_t at = 0; at < t.warning.size();) {
    const std::size_t end = std::min(t.warning.find('\n', at), t.warning.size());
    print("warning: %s\n", t.warning.substr(at, end - at).c_str());
    at = end + 1;
  }
  if (t.store_failure)
    print(
        "(not written to %s: the write failed, said below; the table above is all there "
        "is)\n",
        file.c_str());
  else if (t.not_stored.empty())
    print("(written to %s under /analysis/%s)\n", file.c_str(), t.group.c_str());
  else
    print("(not written to %s: %s; the table above is all there is)\n", file.c_str(),
          t.not_stored.c_str());
}

int run(const Invocation& invocation) {
  const po::variables_map& vm = invocation.options;
  if (!vm.count("file") || !vm.count("output"))
    invocation.refuse_incomplete("analyze needs a sweep file and --output");
  const std::string file = vm["file"].as<std::string>();
  sweep::AnalysisRequest request;
  request.output = vm["output"].as<std::string>();
  request.statistic = vm["statistic"].as<std::string>();
  request.resamples =
      whole<std::size_t, sweep::kMinResamples, sweep::kMaxResamples>(vm, "resamples");
  request.confidence = real(vm, "confidence");
  if (!(request.confidence > 0.0 && request.confidence < 1.0))
    throw UsageError("--confidence must lie in (0, 1)");
  if (vm.count("seed")) request.seed = parse_seed(vm["seed"].as<std::string>());
  if (vm.count("policy")) request.policy = vm["policy"].as<std::string>();
  try {
    const sweep::SensitivityTable table = sweep::analyze_sweep(file, request);
    print_table(table, request, file);
    std::cout.flush();  // the table before the error that follows it
    if (table.store_failure) std::rethrow_exception(table.store_failure);
    return kExitOk;
  } catch (const std::invalid_argument& e) {
    // An output, statistic or design the sweep cannot answer, or contents that do not add up
    // (a damaged file): either way the file is named.
    throw UsageError(file + ": " + e.what());
  } catch (const OutputError& e) {
    // Reading it failed: not a sweep result file, bad input. Storing the analysis in it failed
    // (a full disk, a file size limit): a failure, the file as it was.
    const std::string& operation = e.operation();
    if (operation.rfind("open", 0) == 0 || operation.rfind("read", 0) == 0)
      throw UsageError(e.what());
    throw;
  }
}

}  // namespace

const Command kAnalyzeCommand{.name = "analyze",
                              .synopsis = "OUT.h5",
                              .summary = "sensitivity of a sweep's output: Sobol, Morris, SRC/PRCC",
                              .usage = kUsage,
                              .declare_options = declare_options,
                              .run = run};

}  // namespace interdep::cli
