// `interdep validate SCENARIO.toml...`: loads each scenario, as `run` would, without running it.
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/calibrate/calibration_spec.hpp"
#include "engine/run/observation.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/file_kind.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/scenario/toml_reader.hpp"
#include "engine/scenario/user_text.hpp"
#include "engine/score/dynamics_check_spec.hpp"
#include "engine/sweep/sweep_loader.hpp"
#include "engine/text/control_chars.hpp"
#include "engine/text/text_format.hpp"
#include "models/registry.hpp"
#include "tools/cli/commands.hpp"

namespace interdep::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: interdep validate FILE.toml...\n"
    "Checks scenario files (with their base chains), and sweep, calibration and checks files\n"
    "(with their scenario), without running them.\n";

// What a file is, from the tables it has (engine/scenario/file_kind.hpp); a file that tells
// nothing is read as a scenario, whose loader then names what it misses.
TomlFileKind kind_of(const std::string& file) {
  const toml::table root = detail::parse_text(read_user_text(file, "the file"), file);
  const std::optional<TomlFileKindFound> found = toml_file_kind(root);
  return found ? found->kind : TomlFileKind::scenario;
}

void declare_options(CommandOptions& options) {
  options.listed.add_options()("set", po::value<std::vector<std::string>>()->composing(),
                               "override keys before validating")(
      "max-memory", po::value<Real>(),
      "refuse worlds whose runs would need more memory than this, GiB "
      "(default: 3/4 of physical memory)");
  options.add_positional("files", po::value<std::vector<std::string>>(), -1);
}

int run(const Invocation& invocation) {
  const po::variables_map& vm = invocation.options;
  if (!vm.count("files")) invocation.refuse_incomplete("validate needs at least one scenario file");
  limit_world_size(memory_limit(vm));
  LoadOptions options;
  if (vm.count("set")) options.overrides = vm["set"].as<std::vector<std::string>>();
  options.given_once_from = 0;  // a key --set twice is refused (apply_overrides)
  // Every file is checked, also after a bad one: the exit status says whether any was bad.
  int status = kExitOk;
  for (const auto& file : vm["files"].as<std::vector<std::string>>()) {
    try {
      const TomlFileKind kind = kind_of(file);
      // --set changes a scenario's keys; a sweep, calibration or checks file runs its scenario
      // without overrides (its command takes no --set), so validating it "with" them would
      // report ok for keys nothing reads.
      if (kind != TomlFileKind::scenario && !options.overrides.empty()) {
        std::cerr
            << "interdep: " << printable(file) << " is " << file_kind_name(kind)
            << ": --set overrides keys of scenario files only (" << file_kind_command(kind, file)
            << " takes no --set); validate it without --set, or the scenario it names with it\n";
        status = kExitBadInput;
        continue;
      }
      if (kind == TomlFileKind::calibration) {
        const calibrate::CalibrationSpec spec = calibrate::load_calibration(file);
        std::cout << printable(file) << ": ok (calibration " << spec.name << ": "
                  << counted(spec.parameters.size(), "parameter") << ", "
                  << counted(spec.replicates, "replicate") << " per candidate, scenario "
                  << spec.scenario.string() << ")\n";
        continue;
      }
      if (kind == TomlFileKind::checks) {
        const score::CheckSpec spec = score::load_checks(file);
        std::cout << printable(file) << ": ok (checks " << spec.name << ": "
                  << counted(spec.checks.size(), "check") << ", "
                  << counted(spec.replicates, "seed") << ", scenario " << spec.scenario.string()
                  << ")\n";
        continue;
      }
      if (kind == TomlFileKind::sweep) {
        const sweep::SweepSpec spec = sweep::load_sweep(file);
        const ScenarioSpec scenario = load_scenario(spec.scenario);
        check_model(scenario);
        resolve_observations(scenario);
        std::cout << printable(file) << ": ok (sweep " << spec.name << ": "
                  << counted(spec.parameters.size(), "parameter") << ", "
                  << counted(spec.replicates, "replicate") << " per point, scenario "
                  << spec.scenario.string() << ")\n";
        continue;
      }
      const auto spec = load_scenario(file, options);
      check_model(spec);
      resolve_observations(spec);
      std::cout << printable(file) << ": ok (" << spec.name << ": "
                << counted(spec.actor_count(), "actor") << ", "
                << counted(spec.domain_count(), "domain") << ", "
                << counted(spec.institution_count(), "institution") << ", "
                << counted(spec.events.size(), "event") << ", "
                << counted(static_cast<std::size_t>(spec.time.steps), "step");
      if (!spec.observations.empty())
        std::cout << ", " << spec.observations.size() << " observed series";
      std::cout << ")\n";
    } catch (const InputError& e) {
      std::cerr << printable(e.what()) << "\n";
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
