// `interdep compare SCENARIO.h5 BASELINE.h5 [--top N]`: prints the ranked differences of
// output/insight/compare.hpp.
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/text/control_chars.hpp"
#include "output/hdf5/output_error.hpp"
#include "output/insight/compare.hpp"
#include "output/run_file/run_reader.hpp"
#include "tools/cli/commands.hpp"

namespace interdep::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: interdep compare SCENARIO.h5 BASELINE.h5 [--top N]\n"
    "What differs between two runs of the same actors and period: end values, the largest\n"
    "deviations and when they happened, memberships gained or lost, for relations, flows and\n"
    "interdependence, ranked.\n";

void declare_options(CommandOptions& options) {
  options.listed.add_options()("top", po::value<Whole<std::size_t, 1>>()->default_value({10}, "10"),
                               "rows per ranked section");
  options.add_positional("files", po::value<std::vector<std::string>>(), 2);
}

int run(const Invocation& invocation) {
  const po::variables_map& vm = invocation.options;
  if (!vm.count("files") || vm["files"].as<std::vector<std::string>>().size() != 2)
    invocation.refuse_incomplete(
        "compare needs two result files: the scenario run, then the baseline run");
  const auto& files = vm["files"].as<std::vector<std::string>>();
  const std::size_t top = whole<std::size_t, 1>(vm, "top");
  RunFile scenario, baseline;
  try {
    scenario = read_run(files[0]);
    baseline = read_run(files[1]);
  } catch (const OutputError& e) {
    throw UsageError(e.what());  // not a run result file: bad input
  }
  // A run compared with itself (the same name twice, or a link to it) differs nowhere: said
  // so, since a table of zeros reads as "the scenario changed nothing".
  std::error_code error;
  if (std::filesystem::equivalent(files[0], files[1], error))
    std::cerr << ("interdep: note: " + printable(files[0]) + " and " + printable(files[1]) +
                  " are the same file: nothing can differ\n");
  std::cout << insight::render(insight::compare(scenario, baseline), top);
  return kExitOk;
}

}  // namespace

const Command kCompareCommand{
    .name = "compare",
    .synopsis = "RUN.h5 BASE.h5",
    .summary = "what differs between a scenario run and a baseline run, ranked",
    .usage = kUsage,
    .declare_options = declare_options,
    .run = run};

}  // namespace interdep::cli
