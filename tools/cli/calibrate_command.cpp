// `interdep calibrate CALIB.toml` (docs/calibration.md): fits a scenario's parameters to its
// observed figures with an NLopt optimiser and writes the fitted scenario, the loss trace, the
// fit table and each parameter's approximate uncertainty.
#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <exception>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/calibrate/calibrator.hpp"
#include "engine/files/process_lock.hpp"
#include "engine/run/observation.hpp"
#include "engine/run/simulation.hpp"
#include "engine/scenario/observed_table.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/text/control_chars.hpp"
#include "engine/text/text_format.hpp"
#include "models/registry.hpp"
#include "output/hdf5/output_error.hpp"
#include "output/hdf5/read_fault.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/csv_file.hpp"

#ifdef INTERDEP_HAVE_MPI
#include <mpi.h>
#endif

namespace interdep::cli {
namespace {

namespace fs = std::filesystem;
using calibrate::CalibrationResult;
using calibrate::CalibrationSpec;

constexpr std::string_view kUsage =
    "Usage: interdep calibrate CALIB.toml [-o OUT] [-j THREADS] [--resume] [-q]\n"
    "Fits the parameters CALIB.toml names to the observed figures of its scenario with an NLopt\n"
    "optimiser, and writes OUT.toml (the fitted scenario: its base is the calibrated one),\n"
    "OUT-trace.csv (every evaluation), OUT-fit.csv (observed against simulated at the best\n"
    "parameters) and OUT-parameters.csv (each parameter's best value and uncertainty).\n"
    "OUT defaults to CALIB's name with -fitted, in the current directory. While it runs, every\n"
    "evaluation goes to OUT.journal: after an interruption, --resume continues from it.\n"
    "       mpirun -np K interdep calibrate CALIB.toml ...   (restarts and slices dealt out to K\n"
    "                                                      processes: the same result for any K)\n";

void declare_options(CommandOptions& options) {
  options.listed.add_options()("output,o", po::value<std::string>(),
                               "prefix of the files written (default: CALIB's name + -fitted; "
                               "-o fit.toml is the prefix fit)")(
      "threads,j", po::value<ThreadsOption>()->default_value({0}, "0"),
      "threads for a candidate's replicates (0: one per core)")(
      "resume", "continue an interrupted calibration from its journal")(
      "recover", po::value<Whole<std::size_t, 1, 1000>>(),
      "a recovery study instead: K draws of the parameters, each fitted back from figures "
      "simulated at it (writes OUT-recovery.csv)")("quiet,q", "no progress lines");
  options.add_positional("calibration", po::value<std::string>(), 1);
}

// Under mpirun (main started MPI): this process's rank, the collective the ranks exchange their
// restarts and slices through, and `agree`, a collective AND over the ranks; otherwise one
// process, and `agree` returns its argument.
void join_mpi_ranks([[maybe_unused]] calibrate::CalibrationOptions& options,
                    std::function<bool(bool)>& agree, [[maybe_unused]] RankCollectives& ranks) {
  agree = [](bool ok) { return ok; };
#ifdef INTERDEP_HAVE_MPI
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised) return;
  MPI_Comm_rank(MPI_COMM_WORLD, &options.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &options.ranks);
  agree = [](bool ok) {
    int value = ok ? 1 : 0;
    MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return value == 1;
  };
  ranks = {options.rank, options.ranks, agree, [](int value) {
             MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
             return value;
           }};
  options.all_gather = [ranks = options.ranks](const std::string& text) {
    // MPI counts are ints: a rank's text of 2 GiB or more (never near: a few MB for thousands
    // of evaluations) is refused on every rank alike, so that none waits for the others.
    const int size =
        text.size() > static_cast<std::size_t>(INT_MAX) ? -1 : static_cast<int>(text.size());
    std::vector<int> sizes(static_cast<std::size_t>(ranks)), offsets(sizes.size());
    MPI_Allgather(&size, 1, MPI_INT, sizes.data(), 1, MPI_INT, MPI_COMM_WORLD);
    long long total = 0;
    for (std::size_t r = 0; r < sizes.size(); ++r) {
      if (sizes[r] < 0 || total + sizes[r] > INT_MAX)
        throw std::runtime_error(
            "calibrate: the ranks' traces exceed what MPI exchanges at once (2 GiB)");
      offsets[r] = static_cast<int>(total);
      total += sizes[r];
    }
    std::string all(static_cast<std::size_t>(total), '\0');
    MPI_Allgatherv(text.data(), size, MPI_CHAR, all.data(), sizes.data(), offsets.data(), MPI_CHAR,
                   MPI_COMM_WORLD);
    std::vector<std::string> texts;
    for (std::size_t r = 0; r < sizes.size(); ++r)
      texts.push_back(
          all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(sizes[r])));
    return texts;
  };
#endif
}

// The journal each rank writes: OUT.journal for rank 0, OUT.journal.rank-K for the others.
fs::path journal_of(const std::string& prefix, int rank) {
  return rank == 0 ? fs::path(prefix + ".journal")
                   : fs::path(prefix + ".journal.rank-" + std::to_string(rank));
}

// Every journal of an interrupted calibration into `prefix`, whatever its number of ranks.
std::vector<fs::path> journals_of(const std::string& prefix) {
  std::vector<fs::path> found{journal_of(prefix, 0)};
  const fs::path first = found.front();
  const fs::path folder = first.parent_path().empty() ? fs::path(".") : first.parent_path();
  const std::string stem = first.filename().string() + ".rank-";
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(stem, 0) == 0) found.push_back(first.parent_path() / name);
  }
  std::sort(found.begin() + 1, found.end());
  return found;
}

std::string trace_csv(const CalibrationSpec& spec, const CalibrationResult& r) {
  std::ostringstream out;
  out << "evaluation,phase,restart";
  for (const auto& p : spec.parameters) out << ',' << csv_cell(p.parameter.key);
  out << ",loss,from_journal\n";
  for (std::size_t k = 0; k < r.trace.size(); ++k) {
    const calibrate::Evaluation& e = r.trace[k];
    const bool slice = e.restart >= spec.restarts;  // the uncertainty slices follow the restarts
    // Numbered from 1, as the progress lines count them (and as restarts are numbered).
    out << k + 1 << ',' << (slice ? "slice" : "restart") << ',' << (slice ? 0 : e.restart + 1);
    for (double v : e.values) out << ',' << csv_number(v);
    out << ',' << csv_number(e.loss) << ',' << (e.from_journal ? 1 : 0) << '\n';
  }
  return out.str();
}

std::string fit_csv(const ScenarioSpec& scenario, const CalibrationResult& r) {
  std::ostringstream out;
  out << "quantity,period,aggregate,date,window_start,window_end,observed,uncertainty,simulated,"
         "z,unit,fitted,source\n";
  for (const calibrate::FigureFit& f : r.figures) {
    const ObservationSpec& o = scenario.observations[f.figure.series];
    const auto [from, to] = o.window(f.figure.date);
    out << csv_cell(o.quantity) << ',' << name_of(o.period) << ',' << name_of(o.aggregate) << ','
        << csv_number(f.figure.date) << ',' << csv_number(from) << ',' << csv_number(to) << ','
        << csv_number(f.figure.observed) << ',' << csv_number(f.figure.uncertainty) << ','
        << csv_number(f.figure.simulated) << ',' << csv_number(f.z) << ',' << csv_cell(o.unit)
        << ',' << (f.fitted ? 1 : 0) << ',' << csv_cell(o.source) << '\n';
  }
  return out.str();
}

std::string parameters_csv(const CalibrationResult& r) {
  std::ostringstream out;
  out << "key,best,slice_low,slice_high,low_at_bound,high_at_bound,restart_min,restart_max\n";
  for (const calibrate::ParameterFit& p : r.parameters)
    out << csv_cell(p.key) << ',' << csv_number(p.best) << ',' << csv_number(p.slice_low) << ','
        << csv_number(p.slice_high) << ',' << (p.low_at_bound ? 1 : 0) << ','
        << (p.high_at_bound ? 1 : 0) << ',' << csv_number(p.restart_min) << ','
        << csv_number(p.restart_max) << '\n';
  return out.str();
}

// A recovered value is within this share of its parameter's box of the truth.
constexpr double kRecovered = 0.05;

int run_recovery(const CalibrationSpec& spec, const calibrate::SimulateFigures& simulate,
                 calibrate::CalibrationOptions options, std::size_t draws,
                 const std::string& prefix, bool quiet, std::size_t& drawn) {
  options.progress = nullptr;
  if (!quiet) std::cerr << "calibrate: recovery study, " << counted(draws, "draw") << "\n";
  // A line every 10 s and at the end (a study of many draws took a minute without a word).
  const auto started = std::chrono::steady_clock::now();
  double said = 0.0;
  const std::vector<calibrate::RecoveryDraw> study =
      calibrate::recover(spec, simulate, options, draws, [&](std::size_t done) {
        drawn = done;
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (quiet || (seconds - said < 10.0 && done < draws)) return;
        said = seconds;
        const double eta = seconds / static_cast<double>(done) * static_cast<double>(draws - done);
        std::cerr << ("calibrate: recovery study: " + std::to_string(done) + "/" +
                      std::to_string(draws) + " draws fitted, ETA " + clock_text(eta) + "\n");
      });
  std::ostringstream csv;
  csv << "draw,key,truth,fitted,slice_low,slice_high,error_share_of_range,recovered,loss,"
         "slice_share_of_range,slice_spans_range\n";
  std::cout << "Recovery study " << spec.name << ": " << counted(draws, "draw")
            << ", each fitted back from figures simulated at it ("
            << counted(spec.replicates, "replicate") << ", seed " << spec.seed << ")\n";
  for (std::size_t p = 0; p < spec.parameters.size(); ++p) {
    const sweep::ParameterDistribution& d = spec.parameters[p].parameter.distribution;
    std::size_t recovered = 0, unbounded = 0;
    double worst = 0.0, widest = 0.0;
    for (std::size_t k = 0; k < study.size(); ++k) {
      const calibrate::ParameterFit& fit = study[k].fit.parameters[p];
      const double error = std::abs(calibrate::unit_coordinate(d, fit.best) -
                                    calibrate::unit_coordinate(d, study[k].truth[p]));
      const double slice = calibrate::unit_coordinate(d, fit.slice_high) -
                           calibrate::unit_coordinate(d, fit.slice_low);
      const bool ok = error <= kRecovered;
      recovered += ok ? 1 : 0;
      // The loss stays within 1 of the best over the whole range: figures simulated at the truth
      // with the fit's own seeds and no observation error bring back even a parameter they
      // hardly depend on, but at their uncertainties they cannot tell its values apart.
      unbounded += fit.low_at_bound && fit.high_at_bound ? 1 : 0;
      worst = std::max(worst, error);
      widest = std::max(widest, slice);
      csv << k << ',' << csv_cell(fit.key) << ',' << csv_number(study[k].truth[p]) << ','
          << csv_number(fit.best) << ',' << csv_number(fit.slice_low) << ','
          << csv_number(fit.slice_high) << ',' << csv_number(error) << ',' << (ok ? 1 : 0) << ','
          << csv_number(study[k].fit.best_loss) << ',' << csv_number(slice) << ','
          << (fit.low_at_bound && fit.high_at_bound ? 1 : 0) << '\n';
    }
    std::cout << "  " << spec.parameters[p].parameter.key << ": recovered within "
              << shown_number(100 * kRecovered) << " % of its range in " << recovered << " of "
              << study.size() << " draws (worst " << shown_number(100 * worst)
              << " %; widest slice " << shown_number(100 * widest) << " % of the range): ";
    if (recovered < study.size())
      std::cout << "NOT identified by these figures\n";
    else if (unbounded > 0)
      std::cout << "NOT identified by these figures: in " << unbounded << " of " << study.size()
                << " draws the loss stays within 1 of the best over its whole range (the figures "
                   "come back to it without observation error, but their uncertainties cannot "
                   "tell its values apart)\n";
    else
      std::cout << "identified by these figures\n";
  }
  write_csv_file(prefix + "-recovery.csv", csv.str());
  std::cout << "Wrote " << printable(prefix) << "-recovery.csv\n";
  return kExitOk;
}

int run(const Invocation& invocation) {
  const po::variables_map& vm = invocation.options;
  if (!vm.count("calibration")) invocation.refuse_incomplete("calibrate needs a calibration file");
  const fs::path file = vm["calibration"].as<std::string>();
  std::string prefix = output_or(vm, file.stem().string() + "-fitted").string();
  // -o fit.toml names the fitted scenario as a user reads it: the prefix fit (fit.toml,
  // fit-trace.csv, ...), not fit.toml.toml and fit.toml-trace.csv.
  if (prefix.ends_with(".toml") && fs::path(prefix).filename().string().size() > 5)
    prefix.resize(prefix.size() - 5);
  const fs::path fitted = prefix + ".toml", journal = journal_of(prefix, 0);
  const bool resume = vm.count("resume") > 0;
  calibrate::CalibrationOptions options;
  std::function<bool(bool)> agree;
  RankCollectives ranks;
  join_mpi_ranks(options, agree, ranks);
  const bool quiet = vm.count("quiet") > 0 || options.rank != 0;  // rank 0 speaks for all
  // Every rank reads and checks before any writes its journal, and they agree: none goes on
  // alone, none waits for one that has left, and an error every rank finds is said once.
  std::optional<CalibrationSpec> loaded;
  std::exception_ptr refusal;
  std::optional<files::ProcessLock> running;  // rank 0's, for the whole calibration
  try {
    loaded = calibrate::load_calibration(file);
    // -o is a prefix of file names: "cal/" or a folder would write "cal/.toml", "cal/-fit.csv".
    if (const fs::path given(prefix); !given.has_filename() || given.filename() == "." ||
                                      given.filename() == ".." || fs::is_directory(given))
      throw UsageError("-o " + prefix +
                       " names a folder; -o takes the beginning of the output files' names, "
                       "e.g. " +
                       (fs::path(prefix) / "fit").string() + " for " +
                       (fs::path(prefix) / "fit.toml").string() + " and its tables");
    // A device or a FIFO at the prefix (-o /dev/null, to throw the results away) made files
    // beside it (/dev/null.toml, /dev/null-fit.csv, ...), as root even in /dev.
    if (std::error_code ec; fs::exists(prefix, ec) && !fs::is_regular_file(prefix, ec))
      throw UsageError("-o " + prefix +
                       " is not a regular file; -o takes the beginning of the output files' "
                       "names (FIT gives FIT.toml and its tables), which go beside it");
    // Every file it will write, before any work: a folder or a FIFO in the way of the last one
    // was found only when the calibration had ended.
    std::vector<fs::path> outputs{fitted, prefix + "-trace.csv", prefix + "-fit.csv",
                                  prefix + "-parameters.csv"};
    if (vm.count("recover")) outputs = {prefix + "-recovery.csv"};
    for (const fs::path& p : outputs) check_output_path(p, "-o " + prefix + ": its output");
    // Its lock too: a directory there ended in "open P.lock: Is a directory" (exit 1).
    check_output_path(prefix + ".lock", "-o " + prefix + ": its lock file");
    // One calibration into a prefix at a time: a second, told by the first's journal that one
    // "was interrupted", was resumed beside it, both writing the journal.
    if (options.rank == 0) {
      std::string holder;
      running = files::ProcessLock::take(prefix + ".lock", holder);
      if (!running)
        throw UsageError("a calibration into " + prefix + " is running (process " +
                         (holder.empty() ? std::string("unknown") : holder) +
                         "): wait for it to end, or stop it and rerun with --resume");
    }
    // A recovery study keeps no journal: a calibration's left into the same prefix is not its
    // own, and --resume has nothing to continue.
    const bool recover = vm.count("recover") > 0;
    if (recover && resume)
      throw UsageError(
          "--resume with --recover: a recovery study keeps no journal and cannot be "
          "resumed; run it again without --resume");
    if (!recover && fs::exists(fs::symlink_status(journal)) && !fs::is_regular_file(journal))
      throw UsageError(journal.string() + " is in the way (not a regular file): a calibration " +
                       "into " + prefix + " keeps its journal there; remove it or name another -o");
    if (!recover && fs::exists(journal) && !resume)
      throw UsageError("a calibration into " + prefix + " was interrupted (" + journal.string() +
                       "): --resume continues it, or remove the journal to start again");
    if (!recover && resume && !fs::exists(journal))
      throw UsageError("--resume: no journal " + journal.string() + " to continue from");
    options.threads = threads_option(vm, "threads");
    // Its watcher is a thread, which the system may refuse one rank alone.
    options.cancel = &stop_on_interrupt(
        OnInterrupt::save_finished_work,
        options.rank != 0
            ? ""
            : "calibrate: " + journal.string() +
                  (options.ranks > 1 ? " and the other ranks' journals keep" : " keeps") +
                  " every evaluation finished: rerun with --resume to continue");
  } catch (...) {
    refusal = std::current_exception();
  }
  if (const std::optional<int> status = agree_on_setup(ranks, "calibration", refusal))
    return *status;
  const CalibrationSpec& spec = *loaded;
  // The lock file goes with the process, interrupted too (a signal's handler removes it).
  struct LockNoted {
    fs::path path;
    ~LockNoted() {
      if (!path.empty()) h5::forget_temporary(path);
    }
  } lock_noted{running ? fs::path(prefix + ".lock") : fs::path()};
  if (running) h5::note_temporary(lock_noted.path);
  options.journal = journal_of(prefix, options.rank);
  options.resume = resume;
  if (resume) options.resume_journals = journals_of(prefix);
  std::vector<sweep::ParameterSpec> parameters;
  for (const calibrate::FittedParameter& f : spec.parameters) parameters.push_back(f.parameter);
  if (!quiet)
    options.progress = [&](const calibrate::Evaluation& e, std::size_t index, double best) {
      const std::string phase =
          e.restart < spec.restarts
              ? "restart " + std::to_string(e.restart + 1) + " of " + std::to_string(spec.restarts)
              : "uncertainty slices";
      if (!e.failure.empty()) {
        std::cerr << ("calibrate: evaluation " + std::to_string(index) + " (" + phase +
                      "): the candidate " + calibrate::candidate_text(parameters, e.values) +
                      " could not be scored, and counts as the worst (loss " +
                      shown_number(e.loss) + "): " + e.failure +
                      (e.from_journal ? " (journal)" : "") + "\n");
        return;
      }
      std::cerr << "calibrate: evaluation " << index << " (" << phase << "): loss "
                << shown_number(e.loss) << ", best " << shown_number(best)
                << (e.from_journal ? " (journal)" : "") << "\n";
    };
  const calibrate::SimulateFigures simulate = observe_scenario;
  if (vm.count("recover")) {
    const std::size_t draws = whole<std::size_t, 1, 1000>(vm, "recover");
    std::size_t drawn = 0;  // draws fitted (every rank works on every draw)
    try {
      if (options.rank != 0) {  // this rank's share of the study; rank 0 reports it
        calibrate::recover(spec, simulate, options, draws);
        return kExitOk;
      }
      return run_recovery(spec, simulate, options, draws, prefix, quiet, drawn);
    } catch (const calibrate::CalibrationCancelled&) {
      // Nothing is kept: a study's draws are fitted from nothing but the calibration's seed.
      if (options.rank == 0)
        std::cerr << ("calibrate: recovery study interrupted after " + std::to_string(drawn) +
                      " of " + counted(draws, "draw") + "; nothing was written (a study keeps " +
                      "no journal and cannot be resumed: rerun it, with --recover K for fewer " +
                      "draws)\n");
      return kExitInterrupted;
    } catch (const calibrate::OtherRankFailed&) {
      return kExitFailure;  // the rank that failed reports its error
    }
  }
  CalibrationResult result;
  try {
    result = calibrate::calibrate(spec, simulate, options);
  } catch (const calibrate::CalibrationCancelled&) {
    if (options.rank == 0)
      std::cerr << ("calibrate: interrupted; " + journal.string() +
                    (options.ranks > 1 ? " and the other ranks' journals keep" : " keeps") +
                    " every evaluation: rerun with --resume to continue\n");
    return kExitInterrupted;
  } catch (const calibrate::OtherRankFailed&) {
    return kExitFailure;  // the rank that failed reports its error
  } catch (const calibrate::NothingScored& e) {
    // No candidate could be scored: a journal of failures is nothing to resume from; every rank
    // removes its own, and rank 0 reports.
    std::error_code ignored;
    fs::remove(options.journal, ignored);
    if (options.rank != 0) return kExitBadInput;
    for (const fs::path& j : journals_of(prefix)) fs::remove(j, ignored);  // those resumed from
    throw;
  }
  if (options.rank != 0) return kExitOk;  // rank 0 writes the result and removes the journals
  // A Ctrl-C or SIGTERM after the last evaluation: stopped before the results are written, as
  // during the evaluations (it was not looked at again: the results were written, status 0).
  if (options.cancel != nullptr && options.cancel->load()) {
    std::cerr << ("calibrate: interrupted; " + journal.string() +
                  (options.ranks > 1 ? " and the other ranks' journals keep" : " keeps") +
                  " every evaluation: rerun with --resume to write the results\n");
    return kExitInterrupted;
  }

  LoadOptions plain;
  plain.resolved_text = false;
  const ScenarioSpec scenario = load_scenario(spec.scenario, plain);
  try {
    write_csv_files({{prefix + "-trace.csv", trace_csv(spec, result)},
                     {prefix + "-fit.csv", fit_csv(scenario, result)},
                     {prefix + "-parameters.csv", parameters_csv(result)},
                     {fitted, calibrate::fitted_scenario(spec, result, fitted)}});
  } catch (const OutputError& e) {
    std::cerr << ("interdep: error: " + printable(e.what()) +
                  "\ncalibrate: no result was written; " + journal.string() +
                  " keeps every evaluation: rerun with --resume to write the results\n");
    return kExitFailure;
  }
  for (const fs::path& j : journals_of(prefix)) fs::remove(j);
  // One that arrived while they were written and put in place: they are complete.
  if (options.cancel != nullptr && options.cancel->load()) {
    std::cerr << ("calibrate: interrupted while its results were put in place: " + fitted.string() +
                  " and its tables are complete\n");
    return kExitInterrupted;
  }
  // Candidates that could not be scored counted as the worst: said even with -q (a warning).
  std::size_t failed = 0;
  const calibrate::Evaluation* first_failed = nullptr;
  for (const calibrate::Evaluation& e : result.trace)
    if (!e.failure.empty()) {
      ++failed;
      if (!first_failed) first_failed = &e;
    }
  if (first_failed)
    std::cerr << ("calibrate: warning: " + std::to_string(failed) + " of " +
                  std::to_string(result.trace.size()) +
                  " candidates could not be scored and counted as the worst (loss " +
                  shown_number(calibrate::kUnscorableLoss) + "); the first, " +
                  calibrate::candidate_text(parameters, first_failed->values) + ", because " +
                  first_failed->failure + "\n");

  // A parameter no fitted figure responds to: its "fit" is wherever the optimiser stopped.
  for (const calibrate::ParameterFit& p : result.parameters)
    if (p.no_effect)
      std::cerr << ("calibrate: warning: " + p.key +
                    " changes no fitted figure: the loss is the same at both its bounds as at "
                    "its best value, so its fitted value " +
                    shown_number(p.best) +
                    " is arbitrary (the scenario may not use it as set, or no observed figure "
                    "depends on it): leave it out, or observe a figure it moves\n");

  // The evaluations by what ran them: each restart's optimiser (limited by max_evaluations, a
  // restart) and the uncertainty slices after them (not limited by it).
  std::vector<std::size_t> per_restart(spec.restarts, 0);
  std::size_t slices = 0;
  for (const calibrate::Evaluation& e : result.trace)
    (e.restart < spec.restarts ? per_restart[e.restart] : slices) += 1;
  std::string by_restart;
  for (std::size_t r = 0; r < per_restart.size(); ++r)
    by_restart += (r > 0 ? " + " : "") + std::to_string(per_restart[r]);
  std::cout << "Calibration " << spec.name << ": " << name_of(spec.algorithm) << ", "
            << result.trace.size() << " evaluations ("
            << (spec.restarts == 1 ? "the optimiser " : "the restarts ") << by_restart
            << ", the uncertainty slices " << slices << "), best loss "
            << shown_number(result.best_loss) << " (" << name_of(spec.loss) << "; stopped at "
            << result.stop_reason << ")\n";
  std::cout << "Fitted (loss within 1 of the best, other parameters at their best; restarts' "
               "best):\n";
  for (const calibrate::ParameterFit& p : result.parameters)
    std::cout << "  " << p.key << " = " << shown_number(p.best) << "  ["
              << shown_number(p.slice_low) << (p.low_at_bound ? " (bound)" : "") << ", "
              << shown_number(p.slice_high) << (p.high_at_bound ? " (bound)" : "") << "]  restarts "
              << shown_number(p.restart_min) << " .. " << shown_number(p.restart_max) << "\n";
  std::cout << "Observed against simulated at the best parameters (* fitted):\n";
  for (const calibrate::FigureFit& f : result.figures) {
    const ObservationSpec& o = scenario.observations[f.figure.series];
    // Dated as its period names it: 2019 (a year), 2027Q2, 2027-06, 2026-07-01 (a point).
    std::cout << "  " << (f.fitted ? "* " : "  ") << o.quantity << " "
              << observation_date_text(o.period, f.figure.date) << "  observed "
              << shown_number(f.figure.observed) << " ± " << shown_number(f.figure.uncertainty)
              << "  simulated " << shown_number(f.figure.simulated) << "  z " << shown_number(f.z)
              << "\n";
  }
  std::cout << "Wrote " << printable(fitted.string()) << ", " << printable(prefix) << "-trace.csv, "
            << printable(prefix) << "-fit.csv, " << printable(prefix) << "-parameters.csv\n";
  return kExitOk;
}

}  // namespace

const Command kCalibrateCommand{
    .name = "calibrate",
    .synopsis = "CALIB.toml",
    .summary = "fit a scenario's parameters to its observed figures (NLopt)",
    .usage = kUsage,
    .declare_options = declare_options,
    .run = run};

}  // namespace interdep::cli
