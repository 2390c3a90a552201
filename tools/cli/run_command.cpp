// `interdep run [SCENARIO.toml]` and `interdep run --from-sweep SWEEP.h5 --run K`: simulates a
// scenario, writes its result file atomically and prints its summary.
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "engine/run/background_sink.hpp"
#include "engine/run/observation.hpp"
#include "engine/run/simulation.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/sweep/discrete_values.hpp"
#include "engine/sweep/sweep_loader.hpp"
#include "engine/text/control_chars.hpp"
#include "engine/text/text_format.hpp"
#include "models/registry.hpp"
#include "output/run_file/run_content.hpp"
#include "output/run_file/run_stream.hpp"
#include "output/sweep_file/sweep_file.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/summary.hpp"

namespace fs = std::filesystem;

namespace interdep::cli {
namespace {

// --steps: a whole number TOML's integers hold (the loader then says how many steps a run may
// take, and why).
constexpr std::uint64_t kMostSteps = std::numeric_limits<std::int64_t>::max();

constexpr std::string_view kUsage =
    "Usage: interdep run [SCENARIO.toml] [-o OUT.h5] [--seed N] [--steps N] [--set key=value]...\n"
    "                    [--label NAME] [-j THREADS]\n"
    "       interdep run --from-sweep SWEEP.h5 --run K [-o OUT.h5]\n"
    "Runs a scenario (default: scenarios/baseline.toml in this folder, else the copy installed\n"
    "with interdep or in its source tree; the summary's \"From:\" line names the file), or one\n"
    "run of a sweep exactly as the sweep ran it, and writes its trajectories to HDF5.\n";

void declare_options(CommandOptions& options) {
  options.listed.add_options()(
      "output,o", po::value<std::string>(),
      "result file (default: the scenario file's name with .h5, here: baseline.h5 for the "
      "default scenario; an existing file is replaced)")(
      "seed", po::value<std::string>(), "random seed, 0 .. 2^64-1 (default: the scenario's seed)")(
      "label", po::value<std::string>(),
      "name of the run in its file and summaries (default: the scenario's name, followed by the "
      "overrides when there are any)")("steps", po::value<Whole<std::uint64_t, 1, kMostSteps>>(),
                                       "number of steps (overrides time.years)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override a scenario key, e.g. --set time.years=5 (repeatable; validated like the file)")(
      "compression", po::value<Whole<unsigned, 0, 9>>(),
      "deflate level of the file's datasets over time, 0 (none, the default: fastest) .. 9 "
      "(smallest); same as --set output.compression=N")(
      "jobs,j", po::value<ThreadsOption>(),
      "threads sharing each step in a world of 32 actors or more (default and 0: all cores; the "
      "results are the same bit for bit with any number)")(
      "max-memory", po::value<Real>(),
      "refuse runs needing more memory than this, GiB "
      "(default: 3/4 of physical memory)")("quiet,q", "print only errors")(
      "from-sweep", po::value<std::string>(), "rerun one run of a sweep result file (with --run)")(
      "run", po::value<Whole<std::size_t>>(), "index of the run to rerun (with --from-sweep)");
  options.add_positional("scenario", po::value<std::string>(), 1);
}

// The scenario a run simulates; spec.seed is the seed it runs with.
struct ScenarioToRun {
  fs::path path;  // names the default output file
  ScenarioSpec spec;
};

// Run `run_index` of the sweep result `sweep_path`, from what the sweep file stored: its scenario
// text, the run's parameter values and seed. Bit for bit the run the sweep made; `options` (--set,
// --steps) apply on top.
ScenarioToRun scenario_from_sweep(const fs::path& sweep_path, std::size_t run_index,
                                  LoadOptions options) {
  sweep::SweepFile stored;
  try {
    stored = sweep::read_sweep(sweep_path);
  } catch (const OutputError& e) {
    throw UsageError(std::string(e.what()));  // not a sweep result: bad input
  }
  if (run_index >= stored.layout.runs)
    throw UsageError("--run " + std::to_string(run_index) + " is out of range: " +
                     sweep_path.string() + " has " + std::to_string(stored.layout.runs) +
                     " runs (0.." + std::to_string(stored.layout.runs - 1) + ")");
  const std::vector<sweep::ParameterSpec> parameters =
      sweep::stored_parameters(stored.layout.parameters, stored.meta.discrete_values);
  const std::string source = sweep_path.string() + " (stored scenario)";
  const ScenarioSpec base = load_scenario_text(stored.meta.scenario_text, source, ".");
  const std::size_t k = parameters.size();
  const std::vector<double> values(
      stored.design.value.begin() + static_cast<std::ptrdiff_t>(run_index * k),
      stored.design.value.begin() + static_cast<std::ptrdiff_t>((run_index + 1) * k));
  std::vector<std::string> overrides;
  try {
    overrides = sweep::overrides_for(parameters, base, values);
  } catch (const std::invalid_argument& e) {  // a discrete value's index the file damaged
    throw UsageError(sweep_path.string() + ": run " + std::to_string(run_index) + ": " + e.what());
  }
  if (!stored.meta.policies.empty()) {  // the run's policy first, as the sweep applied it
    std::vector<std::string> levers = sweep::decode_discrete_values(
        stored.meta.policy_overrides[static_cast<std::size_t>(stored.design.policy[run_index])]);
    overrides.insert(overrides.begin(), levers.begin(), levers.end());
  }
  overrides.push_back(seed_override(stored.design.seed[run_index]));
  const std::size_t from_file = overrides.size();
  overrides.insert(overrides.end(), options.overrides.begin(), options.overrides.end());
  options.overrides = overrides;
  options.given_once_from = from_file;  // the command line's may set a parameter again, once
  ScenarioToRun scenario;
  try {
    scenario.spec = load_scenario_text(stored.meta.scenario_text, source, ".", options);
  } catch (const InputError& e) {
    // An error in a parameter the sweep file stored comes back as "--set KEY=VALUE", which the
    // user never typed: it names the file it came from (the command line's own --set stay).
    for (std::size_t o = 0; o < from_file; ++o)
      if (e.where().file == "--set " + overrides[o])
        throw InputError(SourcePosition{sweep_path.string() + " (parameter " + overrides[o] +
                                            " of run " + std::to_string(run_index) + ")",
                                        0, 0},
                         e.key(), e.message());
    throw;
  }
  scenario.path =
      fs::path(sweep_path.stem().string() + "-run" + std::to_string(run_index) + ".toml");
  return scenario;
}

// `load()`, with an error of an override the command line gave as an option of its own
// ({"time.steps=5", "--steps 5"}) naming that option as typed, not "--set time.steps=5".
template <class Load>
auto as_typed(const std::vector<std::pair<std::string, std::string>>& typed, Load load) {
  try {
    return load();
  } catch (const InputError& e) {
    std::string file = e.where().file;
    std::string message = e.message();
    for (const auto& [assignment, option] : typed) {
      const std::string set = "--set " + assignment;
      if (file == set) file = option;
      for (std::size_t at = message.find(set); at != std::string::npos;
           at = message.find(set, at + option.size()))
        message.replace(at, set.size(), option);
    }
    throw InputError(SourcePosition{file, e.where().line, e.where().column}, e.key(), message);
  }
}

int run(const Invocation& invocation) {
  const po::variables_map& vm = invocation.options;
  LoadOptions options;
  if (vm.count("set")) options.overrides = vm["set"].as<std::vector<std::string>>();
  options.given_once_from = 0;  // a key given twice is refused (apply_overrides)
  // --steps, --compression and --seed are overrides too; errors name them as typed.
  std::vector<std::pair<std::string, std::string>> typed;  // {assignment, option as typed}
  if (vm.count("steps")) {
    const auto steps = whole<std::uint64_t, 1, kMostSteps>(vm, "steps");
    typed.emplace_back("time.steps=" + std::to_string(steps), "--steps " + std::to_string(steps));
  }
  if (vm.count("compression")) {
    const unsigned level = whole<unsigned, 0, 9>(vm, "compression");
    typed.emplace_back("output.compression=" + std::to_string(level),
                       "--compression " + std::to_string(level));
  }
  if (vm.count("seed"))
    typed.emplace_back(seed_override(parse_seed(vm["seed"].as<std::string>())),
                       "--seed " + vm["seed"].as<std::string>());
  for (const auto& [assignment, option] : typed) options.overrides.push_back(assignment);
  const std::uint64_t limit = memory_limit(vm);
  limit_world_size(limit);
  ScenarioToRun scenario;
  if (vm.count("from-sweep")) {
    if (!vm.count("run")) throw UsageError("--from-sweep needs --run K");
    if (vm.count("scenario")) throw UsageError("give either a scenario or --from-sweep, not both");
    scenario = as_typed(typed, [&] {
      return scenario_from_sweep(vm["from-sweep"].as<std::string>(), whole<std::size_t>(vm, "run"),
                                 options);
    });
  } else {
    if (vm.count("run")) throw UsageError("--run K names a run of --from-sweep SWEEP.h5");
    scenario.path = vm.count("scenario") ? fs::path(vm["scenario"].as<std::string>())
                                         : shipped_scenario("baseline.toml");
    scenario.spec = as_typed(typed, [&] { return load_scenario(scenario.path, options); });
  }
  const ScenarioSpec& spec = scenario.spec;
  const std::uint64_t seed = spec.seed;
  std::unique_ptr<Model> model = make_model(spec);
  // The run's counterpart of every observed figure ([[observations]]), from its states.
  std::optional<ObservationSampler> observations;
  if (!spec.observations.empty()) observations.emplace(spec);
  check_run_size(spec, Trajectory::bytes_needed_streamed(spec, model->term_names().size()), limit);
  const fs::path out = output_or(vm, scenario.path.stem().string() + ".h5");
  check_output_path(out);  // now, not at the rename after the run
  const bool quiet = vm.count("quiet") > 0;
  const unsigned threads =
      vm.count("jobs") ? threads_option(vm, "jobs") : checked_threads(0u, "-j", true);

  // The run's name: --label, or the scenario's name with what was changed in it.
  const RunMetadata meta = run_metadata(
      spec, invocation.command_line,
      vm.count("label") ? std::optional<std::string>(vm["label"].as<std::string>()) : std::nullopt);
  // A blank label names nothing (the scenario's `name = ""` is refused the same way).
  if (vm.count("label") &&
      vm["label"].as<std::string>().find_first_not_of(" \t") == std::string::npos)
    throw UsageError("--label \"" + vm["label"].as<std::string>() +
                     "\" is blank: give the run a name, or leave the option out for the "
                     "scenario's");

  // Frames go to the file as they are recorded, with their graph measures ([output] network),
  // on a second thread while the run goes on (and written on a third while the next window is
  // analysed); the summary comes from a digest of a few frames kept in memory, not from the file.
  const std::atomic<bool>& interrupted = stop_on_interrupt(OnInterrupt::discard_output);
  // Said at the end: a what-if run without -o writes over the baseline's file of the same name.
  std::error_code exists_error;
  const bool replacing = fs::exists(out, exists_error);
  const auto started = std::chrono::steady_clock::now();
  RunFileSink sink(out, spec, model->term_names(), meta, !quiet, /*write_alongside=*/true);
  RecordedRun digest;
  std::chrono::steady_clock::duration writing{};
  {
    BackgroundSink background(sink);
    const EventLog log = simulate_into(spec, std::move(model), seed, background, &interrupted,
                                       observations ? &*observations : nullptr, threads);
    background.wait();
    // A Ctrl-C or SIGTERM after the last step, while the writer caught up: the run stops there,
    // as it would have during the steps (it was not looked at again: the file was put in place
    // and the status was 0).
    if (interrupted.load()) throw RunCancelled();
    writing = background.busy();
    const auto finishing = std::chrono::steady_clock::now();
    // The file appears complete at `out` or not at all (a temporary renamed; a signal during
    // the rename is acted on after it: ReplacingFile::commit).
    digest = sink.finish(log, observations ? observation_rows(spec, observations->figures())
                                           : std::vector<RunObservation>{});
    writing += std::chrono::steady_clock::now() - finishing;
  }
  const auto finished = std::chrono::steady_clock::now();
  // One that arrived while the file was finished and put in place: the file is complete.
  if (interrupted.load()) {
    std::cerr << "interdep: interrupted while its output was put in place: " +
                     printable(out.string()) + " is complete\n";
    return kExitInterrupted;
  }

  if (!quiet) {
    print_summary(std::cout, digest, 8);
    print_network(std::cout, digest);
    const auto ms = [](auto duration) {  // "54.2": a tenth of a millisecond is all a reader needs
      return number(std::chrono::duration<double, std::milli>(duration).count(), 1);
    };
    std::cout << "\nWrote " << printable(out.string()) << " ("
              << counted(static_cast<std::size_t>(spec.time.steps), "step") << " in "
              << ms(finished - started) << " ms; writing and network analysis took " << ms(writing)
              << " ms, alongside the steps)"
              << (replacing ? "; it replaced the earlier " + out.filename().string() +
                                  (vm.count("output") ? "" : " (name another with -o)")
                            : std::string())
              << "\n";
  }
  return kExitOk;
}

}  // namespace

const Command kRunCommand{
    .name = "run",
    .synopsis = "[SCENARIO.toml]",
    .summary = "run a scenario (default scenarios/baseline.toml) and save it to HDF5",
    .usage = kUsage,
    .declare_options = declare_options,
    .run = run};

}  // namespace interdep::cli
