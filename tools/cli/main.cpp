// interdep: the command-line program. Subcommands: run, validate, inspect, sweep, analyze,
// explain, compare, report.
// Exit status: 0 success, 2 bad input (scenario or command line), 1 other failures,
// 130 interrupted.
#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <charconv>
#include <cmath>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#ifdef INTERDEP_HAVE_MPI
#include <mpi.h>
#endif

#include "tools/cli/summary.hpp"
#include "tools/cli/insight_commands.hpp"
#include "tools/cli/sweep_commands.hpp"
#include "engine/sweep/discrete_values.hpp"
#include "engine/sweep/sweep_loader.hpp"
#include "output/sweep_file/sweep_file.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/run/timestamp.hpp"
#include "engine/run/simulation.hpp"
#include "models/registry.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/network/network_record.hpp"
#include "engine/run/version.hpp"
#include "output/run_file/run_reader.hpp"
#include "output/run_file/run_writer.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInterrupted = 130;

std::atomic<bool> g_interrupted{false};  // set by SIGINT/SIGTERM, polled between steps
extern "C" void on_signal(int) { g_interrupted.store(true); }

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const char* kTopUsage =
    "interdep: simulate relations between states under scenarios written in TOML.\n"
    "\n"
    "Usage: interdep <command> [options]\n"
    "\n"
    "Commands:\n"
    "  run [SCENARIO.toml]     run a scenario (default scenarios/baseline.toml) and save it to HDF5\n"
    "  validate SCENARIO...    check scenario files without running them\n"
    "  inspect OUT.h5          print what a result file holds\n"
    "  sweep SWEEP.toml        run a scenario many times over a design (threads, MPI, resumable)\n"
    "  analyze OUT.h5          Sobol or Morris sensitivity indices of a sweep's output\n"
    "  explain OUT.h5 --pair A:B   how and why a relation moved, in plain words\n"
    "  compare RUN.h5 BASE.h5  what differs between a scenario run and a baseline run, ranked\n"
    "  report OUT.h5 -o F.html one self-contained HTML report with interactive charts\n"
    "\n"
    "Options:\n"
    "  -h, --help              this text; 'interdep <command> --help' for a command's options\n"
    "  --version               print the version\n"
    "\n"
    "Exit status: 0 success, 2 bad input, 1 other failure, 130 interrupted.\n";


std::uint64_t default_memory_limit() {
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return 8ull << 30;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size) / 4 * 3;
}

fs::path default_scenario() {
  const fs::path local = "scenarios/baseline.toml";
  if (fs::exists(local)) return local;
  return fs::path(INTERDEP_SOURCE_DIR) / "scenarios" / "baseline.toml";
}

// A seed is a whole number in [0, 2^64 - 1]; "-1" must not wrap around.
std::uint64_t parse_seed(const std::string& text) {
  std::uint64_t seed = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (error != std::errc() || end != text.data() + text.size())
    throw UsageError("--seed takes a whole number from 0 to 18446744073709551615, got '" + text + "'");
  return seed;
}

// Parses a subcommand's options; prints help and returns false when --help was given.
bool parse(const std::vector<std::string>& args, const po::options_description& visible,
           const po::options_description& all, const po::positional_options_description& positional,
           po::variables_map& vm, const std::string& usage) {
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << usage << "\n" << visible;
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + "\n\n" + usage);
  }
  return true;
}

int command_run(const std::vector<std::string>& args, const std::string& command_line) {
  po::options_description visible("Options");
  visible.add_options()("help,h", "show this help")(
      "output,o", po::value<std::string>(), "result file (default: <scenario name>.h5 here)")(
      "seed", po::value<std::string>(), "random seed, 0 .. 2^64-1 (default: the scenario's seed)")(
      "steps", po::value<std::int64_t>(), "number of steps (overrides time.years)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override a scenario key, e.g. --set time.years=5 (repeatable; validated like the file)")(
      "max-memory", po::value<double>(), "refuse runs needing more memory than this, GiB "
                                         "(default: 3/4 of physical memory)")(
      "quiet,q", "print only errors")(
      "from-sweep", po::value<std::string>(), "rerun one run of a sweep result file (with --run)")(
      "run", po::value<std::size_t>(), "index of the run to rerun (with --from-sweep)");
  po::options_description all;
  all.add(visible).add_options()("scenario", po::value<std::string>());
  po::positional_options_description positional;
  positional.add("scenario", 1);
  po::variables_map vm;
  const std::string usage =
      "Usage: interdep run [SCENARIO.toml] [-o OUT.h5] [--seed N] [--steps N] [--set key=value]...\n"
      "       interdep run --from-sweep SWEEP.h5 --run K [-o OUT.h5]\n"
      "Runs a scenario (default: scenarios/baseline.toml), or one run of a sweep exactly as the sweep\n"
      "ran it, and writes its trajectories to HDF5.\n";
  if (!parse(args, visible, all, positional, vm, usage)) return kExitOk;

  interdep::LoadOptions options;
  if (vm.count("set")) options.overrides = vm["set"].as<std::vector<std::string>>();
  if (vm.count("steps")) {
    const auto steps = vm["steps"].as<std::int64_t>();
    if (steps < 1) throw UsageError("--steps must be at least 1, got " + std::to_string(steps));
    options.overrides.push_back("time.steps=" + std::to_string(steps));
  }
  fs::path scenario;
  interdep::ScenarioSpec spec;
  std::uint64_t seed = 0;
  if (vm.count("from-sweep")) {
    // One run of a sweep, from what the sweep file stored: its scenario text, the run's
    // parameter values and seed. Bit for bit the run the sweep made.
    if (!vm.count("run")) throw UsageError("--from-sweep needs --run K");
    if (vm.count("scenario")) throw UsageError("give either a scenario or --from-sweep, not both");
    const fs::path sweep_path = vm["from-sweep"].as<std::string>();
    interdep::sweep::SweepFile sweep;
    try {
      sweep = interdep::sweep::read_sweep(sweep_path);
    } catch (const interdep::OutputError& e) {
      throw UsageError(std::string(e.what()));  // not a sweep result: bad input
    }
    const std::size_t run = vm["run"].as<std::size_t>();
    if (run >= sweep.layout.runs)
      throw UsageError("--run " + std::to_string(run) + " is out of range: the sweep has " +
                       std::to_string(sweep.layout.runs) + " runs (0.." + std::to_string(sweep.layout.runs - 1) + ")");
    const std::vector<interdep::sweep::ParameterSpec> parameters =
        interdep::sweep::stored_parameters(sweep.layout.parameters, sweep.meta.discrete_values);
    const std::string source = sweep_path.string() + " (stored scenario)";
    const interdep::ScenarioSpec base = interdep::load_scenario_text(sweep.meta.scenario_text, source, ".");
    const std::size_t k = parameters.size();
    const std::vector<double> values(sweep.design.value.begin() + static_cast<std::ptrdiff_t>(run * k),
                                     sweep.design.value.begin() + static_cast<std::ptrdiff_t>((run + 1) * k));
    std::vector<std::string> overrides = interdep::sweep::overrides_for(parameters, base, values);
    overrides.insert(overrides.end(), options.overrides.begin(), options.overrides.end());
    options.overrides = overrides;
    spec = interdep::load_scenario_text(sweep.meta.scenario_text, source, ".", options);
    seed = sweep.design.seed[run];
    scenario = fs::path(sweep_path.stem().string() + "-run" + std::to_string(run) + ".toml");
  } else {
    scenario = vm.count("scenario") ? fs::path(vm["scenario"].as<std::string>()) : default_scenario();
    spec = interdep::load_scenario(scenario, options);
    seed = spec.seed;
  }
  if (vm.count("seed")) seed = parse_seed(vm["seed"].as<std::string>());
  const double limit_gib = vm.count("max-memory") ? vm["max-memory"].as<double>()
                                                  : static_cast<double>(default_memory_limit()) / (1ull << 30);
  if (!(limit_gib > 0.0)) throw UsageError("--max-memory must be positive");
  std::unique_ptr<interdep::Model> model = interdep::make_model(spec);
  interdep::check_run_size(spec, interdep::Trajectory::bytes_needed(spec, model->term_names().size()),
                           static_cast<std::uint64_t>(limit_gib * static_cast<double>(1ull << 30)));
  const fs::path out = vm.count("output") ? fs::path(vm["output"].as<std::string>())
                                          : fs::path(scenario.stem().string() + ".h5");
  const bool quiet = vm.count("quiet") > 0;

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  const auto started = std::chrono::steady_clock::now();
  const interdep::RunResult result = interdep::simulate(spec, std::move(model), seed, &g_interrupted);
  const auto simulated = std::chrono::steady_clock::now();

  interdep::RunMetadata meta;
  meta.engine_version = interdep::kEngineVersion;
  meta.model = spec.model;
  meta.seed = seed;
  meta.created = interdep::utc_timestamp();
  meta.command_line = command_line;
  // The file appears complete at `out` or not at all (temporary file + rename); a signal that
  // arrives while writing is acted on only after the rename.
  sigset_t block, previous;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  // Graph measures come from the recorded frames, after the run ([output] network).
  const interdep::NetworkRecord network =
      spec.record.network ? interdep::analyze_network(spec, result.trajectory)
                          : interdep::NetworkRecord{};
  pthread_sigmask(SIG_BLOCK, &block, &previous);
  try {
    interdep::write_run(out, spec, result.trajectory, result.log, meta,
                        spec.record.network ? &network : nullptr);
  } catch (...) {
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    throw;
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  const auto written = std::chrono::steady_clock::now();

  if (!quiet) {
    const interdep::RunFile written_run = interdep::read_run(out);
    interdep::print_summary(std::cout, written_run, 8);
    interdep::print_network(std::cout, written_run);
    const auto ms = [](auto a, auto b) {
      return std::chrono::duration<double, std::milli>(b - a).count();
    };
    std::cout << "\nWrote " << out.string() << " (" << spec.time.steps << " steps simulated in "
              << ms(started, simulated) << " ms, written in " << ms(simulated, written) << " ms)\n";
  }
  return kExitOk;
}

int command_sweep(const std::vector<std::string>& args, const std::string& command_line) {
  po::options_description visible("Options");
  visible.add_options()("help,h", "show this help")(
      "output,o", po::value<std::string>(), "result file (default: the sweep file's name with .h5, here)")(
      "jobs,j", po::value<unsigned>(), "worker threads per process (default: all cores)")(
      "resume", "continue an interrupted sweep from its <output>.parts directory")(
      "quiet,q", "print only errors");
  po::options_description all;
  all.add(visible).add_options()("sweep", po::value<std::string>());
  po::positional_options_description positional;
  positional.add("sweep", 1);
  po::variables_map vm;
  const std::string usage =
      "Usage: interdep sweep SWEEP.toml [-o OUT.h5] [-j THREADS] [--resume]\n"
      "       mpirun -np K interdep sweep SWEEP.toml ...   (runs spread over K processes)\n"
      "Runs a scenario over an experimental design (docs/sweeps.md). Finished runs are kept in\n"
      "<output>.parts as they finish; an interrupted sweep continues with --resume.\n";
  if (!parse(args, visible, all, positional, vm, usage)) return kExitOk;
  if (!vm.count("sweep")) throw UsageError("sweep needs a sweep file\n\n" + usage);
  interdep::cli::SweepArguments a;
  a.sweep_file = vm["sweep"].as<std::string>();
  if (vm.count("output")) a.output = vm["output"].as<std::string>();
  if (vm.count("jobs")) {
    a.threads = vm["jobs"].as<unsigned>();
    if (a.threads == 0) throw UsageError("-j needs at least 1 thread");
  }
  a.resume = vm.count("resume") > 0;
  a.quiet = vm.count("quiet") > 0;
  a.cancel = &g_interrupted;
  a.command_line = command_line;
#ifdef INTERDEP_HAVE_MPI
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (initialised) {
    MPI_Comm_rank(MPI_COMM_WORLD, &a.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &a.ranks);
    a.all_agree = [](bool ok) {
      int value = ok ? 1 : 0;
      MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
      return value == 1;
    };
  }
#endif
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  return interdep::cli::sweep_command(a);
}

int command_analyze(const std::vector<std::string>& args) {
  po::options_description visible("Options");
  visible.add_options()("help,h", "show this help")(
      "output", po::value<std::string>(), "the output to analyse, e.g. 'relation_overall[PAK,RUS]'")(
      "statistic", po::value<std::string>()->default_value("final"), "final, min, max or mean")(
      "resamples", po::value<std::size_t>()->default_value(1000), "bootstrap resamples")(
      "confidence", po::value<double>()->default_value(0.95, "0.95"), "level of the bootstrap intervals")(
      "seed", po::value<std::string>(), "seed of the bootstrap (default 1)");
  po::options_description all;
  all.add(visible).add_options()("file", po::value<std::string>());
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  const std::string usage =
      "Usage: interdep analyze OUT.h5 --output NAME [--statistic final]\n"
      "Sobol indices (Saltelli design) or Morris elementary effects (Morris design) of one output of\n"
      "a sweep, as a ranked table; also written into the file under /analysis.\n";
  if (!parse(args, visible, all, positional, vm, usage)) return kExitOk;
  if (!vm.count("file") || !vm.count("output")) throw UsageError("analyze needs a sweep file and --output\n\n" + usage);
  interdep::cli::AnalyzeArguments a;
  a.file = vm["file"].as<std::string>();
  a.output = vm["output"].as<std::string>();
  a.statistic = vm["statistic"].as<std::string>();
  a.resamples = vm["resamples"].as<std::size_t>();
  a.confidence = vm["confidence"].as<double>();
  if (!(a.confidence > 0.0 && a.confidence < 1.0)) throw UsageError("--confidence must lie in (0, 1)");
  if (a.resamples < 10) throw UsageError("--resamples must be at least 10");
  if (vm.count("seed")) a.seed = parse_seed(vm["seed"].as<std::string>());
  try {
    return interdep::cli::analyze_command(a);
  } catch (const std::invalid_argument& e) {
    std::cerr << "interdep: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const interdep::OutputError& e) {
    std::cerr << "interdep: " << e.what() << "\n";
    return kExitBadInput;
  }
}

// A decimal year given on the command line (--from, --to).
double parse_year(const std::string& option, const std::string& text) {
  double year = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(year))
    throw UsageError(option + " takes a year such as 2030 or 2030.5, got '" + text + "'");
  return year;
}

int command_explain(const std::vector<std::string>& args) {
  po::options_description visible("Options");
  visible.add_options()("help,h", "show this help")(
      "pair", po::value<std::string>(), "the directed relation ACTOR:PARTNER, e.g. PAK:RUS")(
      "from", po::value<std::string>(), "start of the window, decimal year (default: start of the run)")(
      "to", po::value<std::string>(), "end of the window, decimal year (default: end of the run)")(
      "domain", po::value<std::string>(), "one issue domain, e.g. energy (default: the overall relation)")(
      "top", po::value<std::size_t>()->default_value(5), "number of terms and events listed");
  po::options_description all;
  all.add(visible).add_options()("file", po::value<std::string>());
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  const std::string usage =
      "Usage: interdep explain OUT.h5 --pair PAK:RUS [--from YEAR] [--to YEAR] [--domain D]\n"
      "Tells in plain words how and why a relation moved in a run: the decision terms that\n"
      "contributed most, with their numbers, and the events behind them, in order of weight.\n";
  if (!parse(args, visible, all, positional, vm, usage)) return kExitOk;
  if (!vm.count("file") || !vm.count("pair")) throw UsageError("explain needs a result file and --pair\n\n" + usage);
  interdep::cli::ExplainArguments a;
  a.file = vm["file"].as<std::string>();
  const std::string pair = vm["pair"].as<std::string>();
  const auto colon = pair.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == pair.size() || pair.find(':', colon + 1) != std::string::npos)
    throw UsageError("--pair takes ACTOR:PARTNER, e.g. PAK:RUS, got '" + pair + "'");
  a.actor = pair.substr(0, colon);
  a.partner = pair.substr(colon + 1);
  if (vm.count("from")) a.from = parse_year("--from", vm["from"].as<std::string>());
  if (vm.count("to")) a.to = parse_year("--to", vm["to"].as<std::string>());
  if (a.from && a.to && !(*a.from < *a.to)) throw UsageError("--from must come before --to");
  if (vm.count("domain")) a.domain = vm["domain"].as<std::string>();
  a.top = vm["top"].as<std::size_t>();
  if (a.top < 1) throw UsageError("--top must be at least 1");
  try {
    return interdep::cli::explain_command(a);
  } catch (const interdep::OutputError& e) {
    throw UsageError(std::string(e.what()));  // not a run result file: bad input
  }
}

int command_compare(const std::vector<std::string>& args) {
  po::options_description visible("Options");
  visible.add_options()("help,h", "show this help")(
      "top", po::value<std::size_t>()->default_value(10), "rows per ranked section");
  po::options_description all;
  all.add(visible).add_options()("files", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("files", 2);
  po::variables_map vm;
  const std::string usage =
      "Usage: interdep compare SCENARIO.h5 BASELINE.h5 [--top N]\n"
      "What differs between two runs of the same actors and period: end values, the largest\n"
      "deviations and when they happened, memberships gained or lost, for relations, flows and\n"
      "interdependence, ranked.\n";
  if (!parse(args, visible, all, positional, vm, usage)) return kExitOk;
  if (!vm.count("files") || vm["files"].as<std::vector<std::string>>().size() != 2)
    throw UsageError("compare needs two result files: the scenario run, then the baseline run\n\n" + usage);
  interdep::cli::CompareArguments a;
  a.scenario = vm["files"].as<std::vector<std::string>>()[0];
  a.baseline = vm["files"].as<std::vector<std::string>>()[1];
  a.top = vm["top"].as<std::size_t>();
  if (a.top < 1) throw UsageError("--top must be at least 1");
  try {
    return interdep::cli::compare_command(a);
  } catch (const interdep::OutputError& e) {
    throw UsageError(std::string(e.what()));
  }
}

int command_report(const std::vector<std::string>& args) {
  po::options_description visible("Options");
  visible.add_options()("help,h", "show this help")(
      "baseline", po::value<std::string>(), "a baseline run to compare with")(
      "output,o", po::value<std::string>(), "the HTML file (default: <result stem>.html here)")(
      "quiet,q", "print only errors");
  po::options_description all;
  all.add(visible).add_options()("file", po::value<std::string>());
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  const std::string usage =
      "Usage: interdep report OUT.h5 [--baseline BASE.h5] [-o report.html]\n"
      "Writes one self-contained HTML file (opens with no network access): interactive charts, the\n"
      "scenario text, the event timeline, the network at a chosen time and the explain narratives.\n";
  if (!parse(args, visible, all, positional, vm, usage)) return kExitOk;
  if (!vm.count("file")) throw UsageError("report needs a result file\n\n" + usage);
  interdep::cli::ReportArguments a;
  a.file = vm["file"].as<std::string>();
  if (vm.count("baseline")) a.baseline = vm["baseline"].as<std::string>();
  a.output = vm.count("output") ? fs::path(vm["output"].as<std::string>())
                                : fs::path(a.file.stem().string() + ".html");
  a.quiet = vm.count("quiet") > 0;
  try {
    return interdep::cli::report_command(a);
  } catch (const interdep::OutputError& e) {
    if (e.operation().rfind("read", 0) == 0) throw UsageError(std::string(e.what()));
    throw;
  }
}

int command_validate(const std::vector<std::string>& args) {
  po::options_description visible("Options");
  visible.add_options()("help,h", "show this help")(
      "set", po::value<std::vector<std::string>>()->composing(), "override keys before validating");
  po::options_description all;
  all.add(visible).add_options()("files", po::value<std::vector<std::string>>());
  po::positional_options_description positional;
  positional.add("files", -1);
  po::variables_map vm;
  const std::string usage =
      "Usage: interdep validate SCENARIO.toml...\n"
      "Checks scenario files (with their base chains) without running them.\n";
  if (!parse(args, visible, all, positional, vm, usage)) return kExitOk;
  if (!vm.count("files")) throw UsageError("validate needs at least one scenario file\n\n" + usage);
  interdep::LoadOptions options;
  if (vm.count("set")) options.overrides = vm["set"].as<std::vector<std::string>>();
  int status = kExitOk;
  for (const auto& file : vm["files"].as<std::vector<std::string>>()) {
    try {
      const auto spec = interdep::load_scenario(file, options);
      std::cout << file << ": ok (" << spec.name << ": " << spec.actor_count() << " actors, "
                << spec.domain_count() << " domains, " << spec.institution_count()
                << " institutions, " << spec.events.size() << " events, " << spec.time.steps
                << " steps)\n";
    } catch (const interdep::InputError& e) {
      std::cerr << e.what() << "\n";
      status = kExitBadInput;
    }
  }
  return status;
}

int command_inspect(const std::vector<std::string>& args) {
  po::options_description visible("Options");
  visible.add_options()("help,h", "show this help")(
      "scenario", "print the resolved scenario TOML stored in the file (rerun it with 'run')")(
      "top", po::value<std::size_t>()->default_value(8), "how many of the largest changes to list");
  po::options_description all;
  all.add(visible).add_options()("file", po::value<std::string>());
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  const std::string usage =
      "Usage: interdep inspect OUT.h5 [--scenario]\n"
      "Prints what a result holds: scenario, actors, period, seed, events applied, the final\n"
      "overall relations and the largest changes with the terms that drove them, and the\n"
      "network measures (/network) when the file has them.\n";
  if (!parse(args, visible, all, positional, vm, usage)) return kExitOk;
  if (!vm.count("file")) throw UsageError("inspect needs a result file\n\n" + usage);
  interdep::RunFile run;
  try {
    run = interdep::read_run(vm["file"].as<std::string>());
  } catch (const interdep::OutputError& e) {
    std::cerr << "interdep: " << e.what() << "\n";
    return kExitBadInput;  // the file given is not a readable result
  }
  if (vm.count("scenario")) {
    std::cout << run.scenario_text;
    return kExitOk;
  }
  interdep::print_summary(std::cout, run, vm["top"].as<std::size_t>());
  interdep::print_network(std::cout, run);
  return kExitOk;
}

}  // namespace

#ifdef INTERDEP_HAVE_MPI
// MPI is started only when the program runs under mpirun (OpenMPI sets OMPI_COMM_WORLD_SIZE),
// so that a plain `interdep run` never pays for, or depends on, an MPI runtime.
struct MpiSession {
  MpiSession(int& argc, char**& argv) {
    if (std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE")) {
      int provided = 0;
      MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
      active = true;
    }
  }
  ~MpiSession() {
    if (active) MPI_Finalize();
  }
  bool active = false;
};
#endif

int main(int argc, char** argv) {
#ifdef INTERDEP_HAVE_MPI
  MpiSession mpi(argc, argv);
#else
  if (std::getenv("OMPI_COMM_WORLD_SIZE") && std::string(std::getenv("OMPI_COMM_WORLD_SIZE")) != "1") {
    std::cerr << "interdep: started by mpirun, but this build has no MPI (install libopenmpi-dev and rebuild)\n";
    return kExitFailure;
  }
#endif
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command_line = "interdep";
  for (const auto& a : args) command_line += " " + a;
  try {
    if (args.empty() || args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
      std::cout << kTopUsage;
      return args.empty() ? kExitBadInput : kExitOk;
    }
    if (args[0] == "--version" || args[0] == "-V") {
      std::cout << "interdep " << interdep::kEngineVersion << "\n";
      return kExitOk;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    if (command == "run") return command_run(args, command_line);
    if (command == "validate") return command_validate(args);
    if (command == "inspect") return command_inspect(args);
    if (command == "sweep") return command_sweep(args, command_line);
    if (command == "analyze") return command_analyze(args);
    if (command == "explain") return command_explain(args);
    if (command == "compare") return command_compare(args);
    if (command == "report") return command_report(args);
    throw UsageError("unknown command '" + command + "'\n\n" + kTopUsage);
  } catch (const UsageError& e) {
    std::cerr << "interdep: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const interdep::InputError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  } catch (const interdep::RunCancelled&) {
    std::cerr << "interdep: interrupted; no output was written\n";
    return kExitInterrupted;
  } catch (const std::exception& e) {
    std::cerr << "interdep: error: " << e.what() << "\n";
    return kExitFailure;
  }
}
