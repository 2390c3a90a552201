// `interdep inspect OUT.h5 [--scenario] [--top N]`: prints what a run result file or a sweep file holds.
#include <iostream>
#include <string>
#include <string_view>

#include "engine/scenario/scenario_loader.hpp"
#include "output/hdf5/output_error.hpp"
#include "output/run_file/run_content.hpp"
#include "output/run_file/run_reader.hpp"
#include "output/sweep_file/sweep_file.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/summary.hpp"
#include "tools/cli/sweep_summary.hpp"

namespace interdep::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: interdep inspect OUT.h5 [--scenario] [--top N]\n"
    "Prints what a result holds: scenario, actors, period, seed, events applied, the final\n"
    "overall relations and the largest changes with the terms that drove them, and the\n"
    "network measures (/network) when the file has them. Given a sweep file, prints its design\n"
    "and each output's statistics over the runs (an onset statistic as dates and 'never').\n";

void declare_options(CommandOptions& options) {
  options.listed.add_options()(
      "scenario", "print the resolved scenario TOML stored in the file (rerun it with 'run')")(
      "top", po::value<Whole<std::size_t>>()->default_value({8}, "8"),
      "how many of the largest changes, leverages and gas shortfalls to list (and, beyond 12 "
      "actors, of the closest and the most hostile pairs)");
  options.add_positional("file", po::value<std::string>(), 1);
}

int run(const Invocation& invocation) {
  const po::variables_map& vm = invocation.options;
  if (!vm.count("file")) invocation.refuse_incomplete("inspect needs a result file");
  const std::string file = vm["file"].as<std::string>();
  RunFile result;
  try {
    // --scenario needs the attributes alone, which a file too large to read whole also gives.
    result = vm.count("scenario") ? read_run_attributes(file) : read_run(file);
  } catch (const OutputError& e) {
    // A sweep file is told by its own summary; anything else is not a readable result.
    try {
      if (vm.count("scenario")) {
        std::cout << sweep::read_sweep(file).meta.scenario_text;
      } else {
        print_sweep_summary(std::cout, file);
      }
      return kExitOk;
    } catch (const OutputError& sweep_error) {
      // Name the sweep file's own problem when the file says it is one (a damaged sweep),
      // else the run file's.
      const bool is_sweep =
          std::string(e.what()).find(sweep::kSweepConventions) != std::string::npos;
      throw UsageError(is_sweep ? sweep_error.what() : e.what());
    }
  }
  if (vm.count("scenario")) {
    // With the run's label and overrides ([run]): `interdep run` of the text makes this file
    // again, its name and the overrides it lists included.
    // The label only when it is not the one a run of the text gets anyway (--label named it).
    const std::string& label = result.metadata.label;
    const bool named = label != default_run_label(result.scenario_name, result.metadata.overrides);
    std::cout << result.scenario_text
              << run_record_toml(named ? label : std::string(), result.metadata.overrides);
    return kExitOk;
  }
  print_summary(std::cout, result, whole<std::size_t>(vm, "top"));
  print_network(std::cout, result);
  return kExitOk;
}

}  // namespace

const Command kInspectCommand{.name = "inspect",
                              .synopsis = "OUT.h5",
                              .summary = "print what a result file holds",
                              .usage = kUsage,
                              .declare_options = declare_options,
                              .run = run};

}  // namespace interdep::cli
