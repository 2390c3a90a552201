// Sensitivity analysis of one output of a merged sweep file: read, average the replicates,
// estimate (Sobol for a Saltelli design, Morris for a Morris design), write the table back into
// the file under /analysis. `interdep analyze` prints what this returns.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace interdep::sweep {

// Bootstrap resamples an analysis takes at most: 100 times the default, far past where the
// intervals' third digit settles, and a bound on its time and memory (resamples x parameters).
inline constexpr std::size_t kMinResamples = 10, kMaxResamples = 100'000;

struct AnalysisRequest {
  std::string output;  // e.g. "relation_overall[PAK,RUS]"
  std::string statistic = "final";
  std::size_t resamples = 1000;  // bootstrap
  double confidence = 0.95;
  std::uint64_t seed = 1;  // of the bootstrap
  std::string policy;      // a sweep with policies: the policy whose runs are analysed
};

struct SensitivityTable {
  std::string method;  // "sobol", "morris" or "regression" (LHS, grid and CSV designs)
  std::string group;   // where it was written: /analysis/<group>
  std::string output;  // the output analysed, as the file names it (trade[RUS,PAK])
  std::string policy;  // the policy analysed ("" without policies)
  std::vector<std::string> parameters;
  std::vector<std::pair<std::string, std::vector<double>>> columns;  // one value per parameter
  std::vector<std::size_t> ranking;  // parameters, most influential first (ST or mu*)
  std::size_t runs = 0;
  std::size_t base_samples = 0;  // Saltelli N or Morris trajectories
  std::size_t replicates = 1;
  std::string seeds;  // "per_run" or "common" (SeedSharing)
  // Run-to-run noise: the replicates' variance at a design point (mean over the points) over R,
  // as a share of the variance of the replicate-averaged output over the points: how much of
  // what the indices apportion is noise. NaN with one replicate (it cannot be measured).
  double noise_share = 0.0;
  std::string warning;  // "" or why the indices may measure noise, with the figure
  // "" when the table was written into the file under /analysis; otherwise why it was not (the
  // file or its folder may be read and not written): the table is then returned only.
  std::string not_stored;
  // The error of a write into the file that failed (a full disk, a file size limit), or null:
  // the table is returned all the same, for the caller to show before it reports the failure
  // (the computed table was lost with it).
  std::exception_ptr store_failure;
  double r2 = 0, r2_rank = 0;  // regression: R^2 of the linear and of the rank regression
};

// noise_share above this draws a warning: indices, and each ST, up to about its size may be noise.
inline constexpr double kNoiseShareWarning = 0.05;

// The index of `name` among a sweep's outputs or statistics (`what` says which); throws
// std::invalid_argument naming it and listing those there are. An output is also found however
// it is spaced (quantity_spelling).
std::size_t find_name(const std::vector<std::string>& names, const std::string& name,
                      const char* what);

// Throws std::invalid_argument for requests the file cannot answer (unknown output, a design
// without indices, a run without a value) and OutputError for unreadable files.
SensitivityTable analyze_sweep(const std::filesystem::path& file, const AnalysisRequest& request);

}  // namespace interdep::sweep
