// `interdep sweep SWEEP.toml` (docs/sweeps.md): runs a scenario over an experimental design, on
// threads and, under mpirun, on several processes; finished runs are kept so that an interrupted
// sweep can --resume.
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#ifdef INTERDEP_HAVE_MPI
#include <mpi.h>
#endif

#include "engine/scenario/scenario_loader.hpp"
#include "engine/sweep/runner.hpp"
#include "engine/sweep/sweep_loader.hpp"
#include "engine/text/control_chars.hpp"
#include "engine/text/text_format.hpp"
#include "models/registry.hpp"
#include "output/hdf5/output_error.hpp"
#include "output/sweep_file/shard_store.hpp"
#include "output/sweep_file/sweep_file.hpp"
#include "tools/cli/commands.hpp"

namespace fs = std::filesystem;

namespace interdep::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: interdep sweep SWEEP.toml [-o OUT.h5] [-j THREADS] [--resume]\n"
    "       mpirun -np K interdep sweep SWEEP.toml ...   (runs spread over K processes)\n"
    "Runs a scenario over an experimental design (docs/sweeps.md). Finished runs are kept in\n"
    "<output>.parts as they finish; an interrupted sweep continues with --resume.\n";

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
      const int filled =
          p.total
              ? static_cast<int>(width * static_cast<double>(p.done) / static_cast<double>(p.total))
              : width;
      std::string bar(static_cast<std::size_t>(filled), '#');
      bar.resize(static_cast<std::size_t>(width), '.');
      std::snprintf(line, sizeof line, "\r[%s] %zu/%zu runs, %.1f runs/s, ETA %s%s   ", bar.c_str(),
                    p.done, p.total, rate, clock_text(eta).c_str(),
                    p.failed ? (", " + std::to_string(p.failed) + " failed").c_str() : "");
      std::cerr << line << std::flush;
      dirty_ = true;
    } else if (p.seconds - last_ >= 10.0 || p.done == p.total) {
      last_ = p.seconds;
      std::snprintf(line, sizeof line, "sweep: %zu/%zu runs, %.1f runs/s, ETA %s, %zu failed\n",
                    p.done, p.total, rate, clock_text(eta).c_str(), p.failed);
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

// Under mpirun (main started MPI), this process's rank among all, and the collective AND the
// runner agrees through; otherwise `options` stays one process, rank 0 of 1.
void join_mpi_ranks([[maybe_unused]] sweep::SweepOptions& options) {
#ifdef INTERDEP_HAVE_MPI
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (initialised) {
    MPI_Comm_rank(MPI_COMM_WORLD, &options.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &options.ranks);
    options.all_agree = [](bool ok) {
      int value = ok ? 1 : 0;
      MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
      return value == 1;
    };
    options.from_rank0 = [](int value) {
      MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
      return value;
    };
  }
#endif
}

void declare_options(CommandOptions& options) {
  options.listed.add_options()("output,o", po::value<std::string>(),
                               "result file (default: the sweep file's name with .h5, here)")(
      "jobs,j", po::value<ThreadsOption>(),
      "worker threads per process (default and 0: all cores)")(
      "resume", "continue an interrupted sweep from its <output>.parts directory")(
      "quiet,q", "print only errors");
  options.add_positional("sweep", po::value<std::string>(), 1);
}

// Exit status: 0 all runs done, 1 some failed or stopped, 130 interrupted.
int run(const Invocation& invocation) {
  const po::variables_map& vm = invocation.options;
  if (!vm.count("sweep")) invocation.refuse_incomplete("sweep needs a sweep file");
  const fs::path sweep_file = vm["sweep"].as<std::string>();
  sweep::SweepOptions options;
  if (vm.count("jobs")) options.threads = threads_option(vm, "jobs");
  const bool resume = vm.count("resume") > 0;
  const bool quiet = vm.count("quiet") > 0;
  options.command_line = invocation.command_line;
  join_mpi_ranks(options);

  std::optional<sweep::SweepSpec> loaded;
  fs::path output;
  std::exception_ptr setup_error;
  try {
    // Its watcher is a thread, which the system may refuse this rank alone.
    options.cancel = &stop_on_interrupt(OnInterrupt::save_finished_work);
    loaded = sweep::load_sweep(sweep_file);
    check_model(load_scenario(loaded->scenario));  // refused once here, not in every run
    output = output_or(vm, sweep_file.stem().string() + ".h5");
    // Refused now, not at the final rename after every run.
    if (const std::string problem = sweep::sweep_output_problem(output); !problem.empty())
      throw UsageError("-o " + problem);
  } catch (...) {
    setup_error = std::current_exception();
  }
  const RankCollectives collectives{options.rank, options.ranks, options.all_agree,
                                    options.from_rank0};
  if (const std::optional<int> status = agree_on_setup(collectives, "sweep", setup_error))
    return *status;
  const sweep::SweepSpec& spec = *loaded;
  const std::atomic<bool>& interrupted = *options.cancel;
  sweep::ShardStore store(output, static_cast<std::size_t>(options.rank), resume,
                          [quiet](const std::string& line) {
                            if (!quiet) std::cerr << (line + "\n");
                          });
  if (options.rank == 0)  // said if the sweep is ended before it can say it (a second Ctrl-C)
    stop_on_interrupt(OnInterrupt::save_finished_work, "sweep: finished runs are kept in " +
                                                           store.parts().string() +
                                                           ": rerun with --resume to continue");
  ProgressReporter reporter(quiet || options.rank != 0);
  options.progress = [&](const sweep::Progress& p) { reporter(p); };
  if (options.rank == 0 && !quiet && !spec.renormalised.empty()) {
    std::string codes;
    for (const auto& code : spec.renormalised) codes += " " + code;
    std::cerr << ("sweep: the interest weights of" + codes +
                  " vary and are renormalised to sum to 1 in every run\n");
  }
  // The sweep stopped by what is not a run's failure: `why` said, and the runs kept, if any.
  // One write per line: every MPI rank may print these, and their lines must not interleave.
  const auto stopped_by = [&](const std::string& why, const std::string& resume_when) {
    reporter.finish();
    std::cerr << ("interdep: error: " + why + "\n");
    std::error_code ec;
    if (store.holds_runs())
      std::cerr << ("sweep: finished runs are kept in " + store.parts().string() +
                    ": rerun with --resume to continue" + resume_when + "\n");
    else if (fs::exists(store.parts(), ec))  // (under MPI, as far as this rank sees)
      std::cerr << ("sweep: no finished run was stored in " + store.parts().string() +
                    " before this: rerun with --resume to start again" + resume_when + "\n");
    return kExitFailure;
  };
  sweep::SweepOutcome outcome;
  try {
    outcome = sweep::run_sweep(
        spec, options,
        [](const ScenarioSpec& scenario, std::uint64_t seed, FrameSink& sink,
           std::uint64_t window_bytes) { stream_scenario(scenario, seed, sink, window_bytes); },
        store);
  } catch (const sweep::OtherRankFailed& e) {
    // Rank 0 could not prepare or finish the output, and says why: this rank ends as it does.
    reporter.finish();
    return e.bad_input ? kExitBadInput : kExitFailure;
  } catch (const sweep::DamagedShard& e) {
    // Set aside by the store: the message says so, and how to go on.
    reporter.finish();
    std::cerr << ("interdep: error: " + printable(e.what()) + "\n");
    return kExitFailure;
  } catch (const OutputError& e) {
    // A shard or the merged file could not be written (a full disk): the shards written are kept.
    return stopped_by(printable(e.what()), " once the output can be written");
  } catch (const std::system_error& e) {
    // A worker thread the system refused (its limit on threads or memory): the runs finished
    // are kept, as for memory below.
    return stopped_by(system_error_text(e) + "; fewer threads (-j) need less", "");
  } catch (const std::bad_alloc&) {
    // The machine's, not a run's (sweep::run_sweep stops the sweep): the runs finished are kept,
    // and a resume with the memory runs the rest, to the file a sweep without the stop makes.
    return stopped_by(
        "out of memory: a run needed more than this process may use (ulimit -v, the "
        "machine); fewer threads (-j) need less",
        " once there is memory");
  }
  reporter.finish();
  if (options.rank != 0) return outcome.stopped ? kExitFailure : kExitOk;
  const auto& p = outcome.progress;
  if (outcome.stopped) {
    // One write per message (as above): another rank's error may be printed at the same time.
    // (Under MPI the failure may be another rank's: p counts every rank's runs.)
    const bool for_failure = !interrupted.load() && spec.failure == sweep::FailurePolicy::stop &&
                             (!outcome.failures.empty() || p.failed > 0);
    if (for_failure) {
      for (const auto& [run, message] : outcome.failures)
        std::cerr << ("sweep: run " + std::to_string(run) + " failed: " + printable(message) +
                      "\n");
      // The first few of every rank's failures (and a resumed sweep's earlier ones): the
      // count below is every rank's.
      if (p.failed > outcome.failures.size())
        std::cerr << ("sweep: " + std::to_string(p.failed - outcome.failures.size()) +
                      " more failed, kept in " + store.parts().string() +
                      ": the merged file lists every failure once all the runs are done\n");
    }
    // Stopped before any run finished: nothing is kept (it said "finished runs are kept").
    if (p.done == 0) {
      std::cerr << ("sweep: stopped after 0 of " + std::to_string(p.total) +
                    " runs; no finished run was stored in " + store.parts().string() +
                    ": rerun with --resume to start again\n");
      return interrupted.load() ? kExitInterrupted : kExitFailure;
    }
    std::cerr << ("sweep: stopped after " + std::to_string(p.done) + " of " +
                  std::to_string(p.total) + " runs (" + std::to_string(p.failed) + " failed" +
                  (for_failure ? ", and on_failure = \"stop\"" : "") +
                  "); finished runs are kept in " + store.parts().string() +
                  (for_failure ? ": rerun with --resume to run the rest (a failed run is kept as "
                                 "failed, not run again: to run it again once its cause is "
                                 "fixed, remove " +
                                     store.parts().string() + " and start anew)\n"
                               : ": rerun with --resume to continue\n"));
    return interrupted.load() ? kExitInterrupted : kExitFailure;
  }
  // A Ctrl-C or SIGTERM during the merge (which reads every shard once, and is not cut short:
  // its parts would have to be merged again) is answered once it is done: the file is complete,
  // and the status says the command was interrupted (it was 0, the signal unanswered).
  if (interrupted.load()) {
    std::cerr << ("sweep: interrupted while its runs were merged; the merge finished: " +
                  printable(output.string()) + " is complete\n");
    return kExitInterrupted;
  }
  // Count failures from the merged file: with MPI, this rank saw only its own share of runs.
  constexpr std::size_t kFailuresShown = 5;
  const sweep::SweepFailures failures = sweep::read_failures(output, kFailuresShown);
  if (!quiet)
    std::cout << "Wrote " << printable(output.string()) << ": " << p.total << " runs (" << p.resumed
              << " resumed, " << failures.failed << " failed) in " << clock_text(p.seconds) << "\n";
  // Failed runs are errors: said with -q too (it exited 1 without a word).
  if (quiet && failures.failed > 0)
    std::cerr << ("sweep: " + std::to_string(failures.failed) + " of " + std::to_string(p.total) +
                  " runs failed (kept in " + printable(output.string()) + " as failed)\n");
  for (std::size_t k = 0; k < failures.runs.size(); ++k)
    std::cerr << ("sweep: run " + std::to_string(failures.runs[k]) +
                  " failed: " + failures.messages[k] + "\n");
  return failures.failed ? kExitFailure : kExitOk;
}

}  // namespace

const Command kSweepCommand{
    .name = "sweep",
    .synopsis = "SWEEP.toml",
    .summary = "run a scenario many times over a design (threads, MPI, resumable)",
    .usage = kUsage,
    .declare_options = declare_options,
    .run = run};

}  // namespace interdep::cli
