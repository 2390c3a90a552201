// `interdep validate SCENARIO.toml...`: loads each scenario, as `run` would, without running it.
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/errors.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "tools/cli/commands.hpp"

namespace interdep::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: interdep validate SCENARIO.toml...\n"
    "Checks scenario files (with their base chains) without running them.\n";

void declare_options(CommandOptions& options) {
  options.listed.add_options()("set", po::value<std::vector<std::string>>()->composing(),
                               "override keys before validating");
  options.add_positional("files", po::value<std::vector<std::string>>(), -1);
}

int run(const Invocation& invocation) {
  const po::variables_map& vm = invocation.options;
  if (!vm.count("files")) invocation.refuse_incomplete("validate needs at least one scenario file");
  LoadOptions options;
  if (vm.count("set")) options.overrides = vm["set"].as<std::vector<std::string>>();
  // Every file is checked, also after a bad one: the exit status says whether any was bad.
  int status = kExitOk;
  for (const auto& file : vm["files"].as<std::vector<std::string>>()) {
    try {
      const auto spec = load_scenario(file, options);
      std::cout << file << ": ok (" << spec.name << ": " << spec.actor_count() << " actors, "
                << spec.domain_count() << " domains, " << spec.institution_count()
                << " institutions, " << spec.events.size() << " events, " << spec.time.steps
                << " steps)\n";
    } catch (const InputError& e) {
      std::cerr << e.what() << "\n";
      status = kExitBadInput;
    }
  }
  return status;
}

}  // namespace

const Command kValidateCommand{.name = "validate",
                               .synopsis = "SCENARIO...",
                               .summary = "check scenario files without running them",
                               .usage = kUsage,
                               .declare_options = declare_options,
                               .run = run};

}  // namespace interdep::cli
