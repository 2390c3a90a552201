#include "engine/calibrate/calibrator.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <nlopt.hpp>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <sstream>
#include <system_error>
#include <thread>
#include <utility>

#include "engine/files/user_file.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/step_workers.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/scenario/user_text.hpp"
#include "engine/sweep/sweep_loader.hpp"
#include "engine/text/text_format.hpp"

namespace interdep::calibrate {
namespace {

// What a mean squared_log_error cannot score (zero or negative) calls for: not narrower ranges.
constexpr std::string_view kSquaredErrorAdvice =
    "fit a quantity that can be zero or negative (a relation, a change) with [fit] loss = "
    "\"squared_error\"";

namespace fs = std::filesystem;

// Why a candidate's runs failed, for a message about the candidate: the loader's or the run's
// error without its ending for a single run (a calibration writes its results when it ends).
// A number as its shortest exact decimal; "nan", "inf", "-inf" otherwise.
std::string value_text(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return shortest_number(v);
}

// A candidate's refusal, in the calibration's words (not the command line's --set), `overrides`
// the candidate's values as the scenario loader took them.
std::string failure_text(const InputError& error, const std::vector<std::string>& overrides) {
  std::string text = sweep::refusal_in_words_of(error, overrides, "calibration");
  const std::string single_run = "; no output was written";
  if (text.ends_with(single_run)) text.resize(text.size() - single_run.size());
  return text;
}

// The loss of a candidate that cannot be scored (calibrator.hpp): the worst, finite.
constexpr double kUnscorable = kUnscorableLoss;
// A slice interval's search: halvings of the bracket on each side.
constexpr int kSliceHalvings = 12;
// The most a journal read back to resume may hold: 1 GiB (a line an evaluation).
constexpr std::uintmax_t kMaxJournalBytes = std::uintmax_t{1} << 30;

nlopt::algorithm nlopt_algorithm(Algorithm a) {
  switch (a) {
    case Algorithm::bobyqa: return nlopt::LN_BOBYQA;
    case Algorithm::neldermead: return nlopt::LN_NELDERMEAD;
    case Algorithm::sbplx: return nlopt::LN_SBPLX;
    case Algorithm::cobyla: return nlopt::LN_COBYLA;
    case Algorithm::crs2: return nlopt::GN_CRS2_LM;
    case Algorithm::isres: return nlopt::GN_ISRES;
    case Algorithm::direct: return nlopt::GN_DIRECT_L;
  }
  return nlopt::LN_BOBYQA;
}

std::string hex(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%a", v);
  return buffer;
}

// Evaluations by their parameters' exact bits, from an earlier process's journal.
using Journal = std::map<std::vector<std::uint64_t>, std::pair<double, std::vector<double>>>;

std::vector<std::uint64_t> bits_of(const std::vector<double>& values) {
  std::vector<std::uint64_t> bits(values.size());
  std::memcpy(bits.data(), values.data(), values.size() * sizeof(double));
  return bits;
}

// The journal's first line: what wrote it. A journal answers only the calibration that wrote
// it: the same calibration file and the same merged scenario.
std::string journal_header(const CalibrationSpec& spec, const ScenarioSpec& scenario) {
  char buffer[80];
  std::snprintf(buffer, sizeof buffer, "# interdep calibrate journal %016" PRIx64 "%016" PRIx64,
                name_key(spec.text), name_key(scenario.resolved_text));
  return buffer;
}

// Journal lines: "values... ; loss ; simulated..." in hexadecimal floats (exact), after the header.
// Only whole lines count: a line cut short by an interruption (no line end), or one whose fields
// are not all numbers (damage), answers nothing, and its evaluation is made again.
Journal read_journal(const fs::path& path, const std::string& header, std::size_t parameters,
                     std::size_t figures) {
  Journal journal;
  // One line an evaluation: a journal may outgrow the 64 MiB of the files a user writes.
  const std::string text = read_user_text(
      path, "the calibration journal", SourcePosition{path.string(), 0, 0}, "", kMaxJournalBytes);
  if (text.empty()) return journal;  // left before its header was written: nothing to answer
  const std::size_t header_end = text.find('\n');
  std::string first = text.substr(0, header_end);
  if (!first.empty() && first.back() == '\r') first.pop_back();  // a copy with CRLF line ends
  if (first != header) {
    // What journal_header writes: its prefix and two 16-digit keys.
    const std::string prefix = header.substr(0, header.size() - 32);
    const bool a_header =
        first.size() == header.size() && first.starts_with(prefix) &&
        first.find_first_not_of("0123456789abcdef", prefix.size()) == std::string::npos;
    throw InputError(SourcePosition{path.string(), 1, 0}, "",
                     a_header ? "this journal was written by another calibration (its file or its "
                                "scenario has changed since): remove it to start again"
                              : "this is not a calibration journal, or a damaged one (its first "
                                "line is not the header interdep writes): remove it to start "
                                "again");
  }
  std::size_t at = header_end + 1;
  for (std::size_t end; (end = text.find('\n', at)) != std::string::npos; at = end + 1) {
    std::istringstream fields(text.substr(at, end - at));
    std::vector<double> numbers;
    bool numeric = true;
    for (std::string word; numeric && fields >> word;) {
      if (word == ";") continue;
      char* rest = nullptr;
      numbers.push_back(std::strtod(word.c_str(), &rest));
      numeric = *rest == '\0';
    }
    // A loss that is not a finite number of at least 0 (a sum of squares, or kUnscorable), or a
    // parameter that is not finite, is none the calibrator writes: damage, evaluated again (a
    // loss of -inf read as the best would end the fit at that candidate). Means may be NaN.
    if (!numeric || numbers.size() != parameters + 1 + figures ||
        !(std::isfinite(numbers[parameters]) && numbers[parameters] >= 0.0) ||
        !std::all_of(numbers.begin(), numbers.begin() + static_cast<long>(parameters),
                     [](double v) { return std::isfinite(v); }))
      continue;
    const std::vector<double> values(numbers.begin(),
                                     numbers.begin() + static_cast<long>(parameters));
    journal[bits_of(values)] = {
        numbers[parameters],
        std::vector<double>(numbers.begin() + static_cast<long>(parameters) + 1, numbers.end())};
  }
  return journal;
}

// The journal on disk, appended a line at a time with write(2): a line the system refuses (a full
// disk) is cut off again, so that the journal holds whole lines only and a resumed calibration
// reads every one of them; the error names the journal and the system's reason.
class JournalFile {
 public:
  JournalFile() = default;
  JournalFile(const JournalFile&) = delete;
  JournalFile& operator=(const JournalFile&) = delete;
  ~JournalFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  // A new journal starting with `header`, or (resuming) the end of an existing one.
  void open(const fs::path& path, const std::string& header, bool resuming) {
    path_ = path;
    fd_ =
        ::open(path.c_str(), (resuming ? O_RDWR : O_WRONLY | O_TRUNC) | O_CREAT | O_CLOEXEC, 0666);
    if (fd_ < 0) fail("open", errno, "");
    if (resuming) {
      // A line cut short by the interruption is cut off, so that the next line starts a line;
      // a header cut before its line end goes with it, and is written again.
      const off_t kept = cut_to_whole_lines();
      if (kept < 0) fail("repair", errno, "");
      if (kept > 0) return;
    }
    if (write_line(header + '\n') == 0) return;
    const int error = errno;
    std::error_code ignored;  // a journal without its header answers no calibration
    fs::remove(path_, ignored);
    fail("write", error, "");
  }
  bool is_open() const { return fd_ >= 0; }

  void append(const std::string& line) {
    if (write_line(line) != 0)
      fail("write", errno, " (the evaluations it holds are kept for --resume)");
  }

 private:
  // Cuts the file after its last line end: its new length, or -1 with errno set.
  off_t cut_to_whole_lines() {
    off_t end = ::lseek(fd_, 0, SEEK_END);
    if (end < 0) return -1;
    char c = '\n';
    // Back over the last line's characters, a byte at a time: a cut line is one line long.
    while (end > 0) {
      const ssize_t n = ::pread(fd_, &c, 1, end - 1);
      if (n < 0 && errno == EINTR) continue;
      if (n != 1) return -1;
      if (c == '\n') break;
      --end;
    }
    return ::ftruncate(fd_, end) == 0 ? end : -1;
  }

  // 0, or -1 with errno set and the file as it was before.
  int write_line(const std::string& line) {
    const off_t end = ::lseek(fd_, 0, SEEK_END);
    if (end < 0) return -1;
    for (std::size_t done = 0; done < line.size();) {
      const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int error = n < 0 ? errno : ENOSPC;
        static_cast<void>(::ftruncate(fd_, end));
        errno = error;
        return -1;
      }
      done += static_cast<std::size_t>(n);
    }
    return 0;
  }

  [[noreturn]] void fail(const char* operation, int error, const char* kept) const {
    throw std::runtime_error(path_.string() + ": " + operation +
                             " the calibration journal: " + files::write_failure(error) + kept);
  }

  fs::path path_;
  int fd_ = -1;
};

// Thrown into a restart's optimiser when another restart has failed: it stops there, and the
// other restart's own error is the one reported.
struct RestartAborted {};

class Objective {
 public:
  Objective(const CalibrationSpec& spec, const SimulateFigures& simulate,
            const CalibrationOptions& options)
      : spec_(spec),
        simulate_(simulate),
        options_(options),
        template_(spec.scenario),
        replicate_threads_(std::max(1u, options.threads)) {
    base_ = template_.instantiate(LoadOptions{});  // with its merged text: the fingerprint
    for (const auto& f : spec.parameters) {
      parameters_.push_back(f.parameter);
      // The start's own value at its unit coordinate: log and exp round (a loguniform start of
      // 4.0 came back as 3.999999999999999), and the first loss is meant to be the start's.
      starts_.push_back(f.start
                            ? std::optional<std::pair<double, double>>(
                                  {unit_coordinate(f.parameter.distribution, *f.start), *f.start})
                            : std::nullopt);
    }
    for (const ObservationSpec& o : base_.observations) {
      const bool quantity = spec.quantities.empty() ||
                            std::find(spec.quantities.begin(), spec.quantities.end(), o.quantity) !=
                                spec.quantities.end();
      for (std::size_t k = 0; k < o.dates.size(); ++k)
        fitted_.push_back(quantity && o.window(o.dates[k]).second <= spec.until + 1e-9);
    }
    traces_.resize(spec.restarts + 2 * parameters_.size());
    if (!options.journal.empty()) {
      const std::string header = journal_header(spec, base_);
      if (options.resume) {
        std::vector<fs::path> journals = options.resume_journals;
        if (journals.empty()) journals.push_back(options.journal);
        for (const fs::path& j : journals)
          if (fs::exists(j))
            journal_.merge(read_journal(j, header, parameters_.size(), fitted_.size()));
      }
      journal_out_.open(options.journal, header, options.resume && fs::exists(options.journal));
    }
  }

  const ScenarioSpec& base() const { return base_; }
  const std::vector<sweep::ParameterSpec>& parameters() const { return parameters_; }
  std::vector<std::string> overrides(const std::vector<double>& values) const {
    return sweep::overrides_for(parameters_, base_, values);
  }
  const std::vector<bool>& fitted() const { return fitted_; }
  // Every evaluation: restart by restart in restart order (whatever order the threads or ranks
  // ran them in), then the slices, each parameter's lower side, then its upper one.
  std::vector<Evaluation> trace() const {
    std::vector<Evaluation> all;
    for (const auto& t : traces_) all.insert(all.end(), t.begin(), t.end());
    return all;
  }
  // The evaluations of restart k (k < restarts) or of slice k - restarts; a rank sets those of
  // the restarts and slices other ranks ran.
  std::vector<Evaluation>& trace_of(std::size_t k) { return traces_.at(k); }
  double best_loss() const { return best_loss_; }
  // Threads a candidate's replicates run on (the restarts that run at once share the rest).
  void set_replicate_threads(unsigned threads) { replicate_threads_ = std::max(1u, threads); }
  // Makes every later evaluation throw RestartAborted.
  void abort() { aborted_ = true; }

  std::vector<double> natural(const double* unit) const {
    std::vector<double> values;
    for (std::size_t p = 0; p < parameters_.size(); ++p)
      values.push_back(
          starts_[p] && unit[p] == starts_[p]->first
              ? starts_[p]->second
              : sweep::to_value(parameters_[p].distribution, std::clamp(unit[p], 0.0, 1.0)));
    return values;
  }

  // The loss at the unit coordinates `unit`; recorded in trace `trace` (and the journal). An
  // evaluation of the slices has `restart` = the number of restarts.
  double operator()(const double* unit, std::size_t restart, std::size_t trace) {
    if (options_.cancel && options_.cancel->load()) throw CalibrationCancelled();
    if (aborted_) throw RestartAborted{};
    Evaluation e;
    e.restart = restart;
    e.values = natural(unit);
    if (const auto it = journal_.find(bits_of(e.values)); it != journal_.end()) {
      e.loss = it->second.first;
      e.simulated = it->second.second;
      e.from_journal = true;
      if (e.loss == kUnscorable) {  // why, again: the journal keeps the means, not the cause
        if (std::none_of(e.simulated.begin(), e.simulated.end(),
                         [](double m) { return std::isfinite(m); }))
          e.failure = "its runs failed in the interrupted calibration (the journal keeps no cause)";
        else
          (void)loss_of(e.simulated, &e.failure);
      }
    } else {
      try {
        e.simulated = mean_figures(e.values);
        e.loss = loss_of(e.simulated, &e.failure);
      } catch (const InputError& error) {
        // The scenario refuses this combination of values, or the model's state stopped being a
        // number in a run: the candidate is the worst, and the optimiser moves away from it.
        e.failure = failure_text(error, overrides(e.values));
        e.simulated.assign(fitted_.size(), std::numeric_limits<double>::quiet_NaN());
        e.loss = kUnscorable;
      } catch (const CalibrationCancelled&) {
        throw;
      } catch (const std::exception& error) {
        // Not the candidate's values: the machine or the program (memory, a file). It stops the
        // calibration, naming the candidate; the journal keeps what was evaluated before.
        throw CandidateFailed(
            candidate_text(parameters_, e.values),
            dynamic_cast<const std::bad_alloc*>(&error) ? "out of memory" : error.what());
      }
    }
    // Restarts may run on several threads: the journal, the traces and the progress one at a time.
    const std::lock_guard<std::mutex> lock(mutex_);
    if (!e.from_journal) {
      if (journal_out_.is_open()) {
        std::string line;
        for (double v : e.values) line += hex(v) + ' ';
        line += "; " + hex(e.loss) + " ;";
        for (double s : e.simulated) line += ' ' + hex(s);
        journal_out_.append(line + '\n');
      }
    }
    best_loss_ = std::min(best_loss_, e.loss);
    traces_.at(trace).push_back(e);
    ++evaluations_;
    if (options_.progress) options_.progress(e, evaluations_, best_loss_);
    return e.loss;
  }

  // The loss of a candidate's means; kUnscorable when a fitted figure's cannot be scored, with
  // why in `failure`.
  double loss_of(const std::vector<double>& simulated, std::string* failure) const {
    const std::vector<ObservedFigure> figures = figure_list();
    double loss = 0.0;
    for (std::size_t f = 0; f < figures.size(); ++f) {
      if (!fitted_[f]) continue;
      const double l =
          figure_loss(spec_.loss, simulated[f], figures[f].observed, figures[f].uncertainty);
      if (!std::isfinite(l)) {
        const ObservationSpec& o = base_.observations[figures[f].series];
        *failure = "the replicates' mean of " + o.quantity + " at " + value_text(figures[f].date) +
                   " is " + value_text(simulated[f]) +
                   (std::isfinite(simulated[f])
                        ? ", which squared_log_error cannot score (it needs a positive mean): " +
                              std::string(kSquaredErrorAdvice)
                        : ", not a number");
        return kUnscorable;
      }
      loss += l;
    }
    if (!std::isfinite(loss)) {  // every term finite, their sum beyond the largest number
      *failure = "the loss is beyond the largest number";
      return kUnscorable;
    }
    return loss;
  }

  // The scenario's figures (observed values, or the options' synthetic ones; no simulation).
  std::vector<ObservedFigure> figure_list() const {
    std::vector<ObservedFigure> figures;
    for (std::size_t s = 0; s < base_.observations.size(); ++s) {
      const ObservationSpec& o = base_.observations[s];
      for (std::size_t k = 0; k < o.dates.size(); ++k)
        figures.push_back(ObservedFigure{s, o.dates[k], o.values[k], o.uncertainty[k], 0.0, 0});
    }
    if (!options_.observed.empty())
      for (std::size_t f = 0; f < figures.size(); ++f)
        figures[f].observed = options_.observed.at(f);
    return figures;
  }

  // Every figure's mean over the replicates, each replicate on the same seed for every candidate.
  std::vector<double> mean_figures(const std::vector<double>& values) {
    LoadOptions options;
    options.resolved_text = false;
    options.overrides = overrides(values);
    const ScenarioSpec candidate = template_.instantiate(options);
    const std::size_t replicates = spec_.replicates;
    std::vector<std::vector<ObservedFigure>> runs(replicates);
    std::vector<std::exception_ptr> errors(replicates);
    auto run_replicate = [&](std::size_t r) {
      try {
        runs[r] = simulate_(candidate, sweep::run_seed(spec_.seed, r));
      } catch (...) {
        errors[r] = std::current_exception();  // by replicate: the first in replicate order
      }
    };
    StepWorkers workers(
        std::max<std::size_t>(1, std::min<std::size_t>(replicate_threads_, replicates)));
    workers.run(replicates, run_replicate);
    for (const auto& e : errors)
      if (e) std::rethrow_exception(e);
    std::vector<double> mean(fitted_.size(), 0.0);
    for (std::size_t f = 0; f < mean.size(); ++f) {
      for (std::size_t r = 0; r < replicates; ++r) mean[f] += runs[r].at(f).simulated;
      mean[f] /= static_cast<double>(replicates);
    }
    return mean;
  }

 private:
  const CalibrationSpec& spec_;
  const SimulateFigures& simulate_;
  const CalibrationOptions& options_;
  ScenarioTemplate template_;
  ScenarioSpec base_;
  std::vector<sweep::ParameterSpec> parameters_;
  std::vector<std::optional<std::pair<double, double>>> starts_;  // (unit coordinate, value)
  std::vector<bool> fitted_;  // per figure of the scenario, in file order
  Journal journal_;
  JournalFile journal_out_;
  std::vector<std::vector<Evaluation>> traces_;  // [restart], then [restarts + slice]
  std::size_t evaluations_ = 0;
  double best_loss_ = std::numeric_limits<double>::infinity();
  unsigned replicate_threads_ = 1;
  std::atomic<bool> aborted_{false};
  std::mutex mutex_;
};

// One NLopt run from `start` (unit coordinates); returns the best point and its loss.
std::pair<std::vector<double>, double> optimise(const CalibrationSpec& spec, Objective& objective,
                                                std::vector<double> start, std::size_t restart,
                                                std::string& stop_reason) {
  const std::size_t n = start.size();
  nlopt::opt opt(nlopt_algorithm(spec.algorithm), static_cast<unsigned>(n));
  opt.set_lower_bounds(std::vector<double>(n, 0.0));
  opt.set_upper_bounds(std::vector<double>(n, 1.0));
  opt.set_maxeval(static_cast<int>(spec.max_evaluations));
  opt.set_xtol_rel(spec.tolerance);
  // Stochastic methods draw from NLopt's generator: seeded per restart, so reruns repeat.
  nlopt::srand(static_cast<unsigned long>(sweep::run_seed(spec.seed, 1'000'000 + restart)));
  // The best candidate evaluated (the first of equal losses): NLopt's answer is not always it
  // (COBYLA, stopping at its tolerance, returns its last point; round-off ends a run early).
  struct Context {
    Objective* objective;
    std::size_t restart;
    std::size_t evaluations_left;
    std::exception_ptr error;
    std::vector<double> best_x;
    double best_loss = std::numeric_limits<double>::infinity();
    bool limit_reached = false;
  } context{&objective, restart, spec.max_evaluations, nullptr, start};
  opt.set_min_objective(
      [](unsigned n_x, const double* x, double*, void* data) -> double {
        auto* c = static_cast<Context*>(data);
        // NLopt's CRS2 asks for a few evaluations past set_maxeval (its population's last
        // generation): max_evaluations is a limit on every algorithm.
        if (c->evaluations_left == 0) {
          c->limit_reached = true;
          throw nlopt::forced_stop();
        }
        --c->evaluations_left;
        try {
          const double loss = (*c->objective)(x, c->restart, c->restart);
          if (loss < c->best_loss) {
            c->best_loss = loss;
            c->best_x.assign(x, x + n_x);
          }
          return loss;
        } catch (...) {
          c->error = std::current_exception();
          throw nlopt::forced_stop();
        }
      },
      &context);
  double loss = 0.0;
  try {
    const nlopt::result r = opt.optimize(start, loss);
    stop_reason = r == nlopt::MAXEVAL_REACHED ? "the evaluation limit"
                  : r == nlopt::XTOL_REACHED  ? "the parameters' tolerance"
                  : r == nlopt::FTOL_REACHED  ? "the loss's tolerance"
                                              : "NLopt's stopping rule (" + std::to_string(r) + ")";
  } catch (const nlopt::forced_stop&) {
    if (context.error) std::rethrow_exception(context.error);
    if (!context.limit_reached) throw;
    stop_reason = "the evaluation limit";
    return {context.best_x, context.best_loss};  // NLopt returned no point of its own
  } catch (const nlopt::roundoff_limited&) {
    stop_reason = "round-off";
  }
  if (context.error) std::rethrow_exception(context.error);
  // NLopt's point where it is as good as the best evaluated (what it returned before: the same
  // results wherever it was the best), else the best evaluated.
  if (loss <= context.best_loss) return {start, loss};
  return {context.best_x, context.best_loss};
}

}  // namespace

std::string candidate_text(const std::vector<sweep::ParameterSpec>& parameters,
                           const std::vector<double>& values) {
  std::string text;
  for (std::size_t p = 0; p < parameters.size() && p < values.size(); ++p)
    text += (p == 0 ? "" : ", ") + parameters[p].key + " = " + value_text(values[p]);
  return text;
}

double unit_coordinate(const sweep::ParameterDistribution& d, double value) {
  if (d.kind == sweep::Distribution::loguniform)
    return (std::log(value) - std::log(d.min)) / (std::log(d.max) - std::log(d.min));
  return (value - d.min) / (d.max - d.min);
}

double figure_loss(Loss loss, double m, double o, double u) {
  if (!std::isfinite(m)) return std::numeric_limits<double>::infinity();
  if (loss == Loss::squared_error) return ((m - o) / u) * ((m - o) / u);
  if (!(m > 0.0) || !(o > 0.0)) return std::numeric_limits<double>::infinity();
  const double z = (std::log(m) - std::log(o)) / (u / o);
  return z * z;
}

namespace {

// What a rank tells the others about a unit of work it ran: a restart (units 0 .. restarts - 1)
// or one side of a parameter's uncertainty slice (the units after them).
struct UnitOutcome {
  std::size_t unit = 0;
  std::vector<double>
      point;                // a restart's best point (unit coordinates); a slice's {edge, at bound}
  double loss = 0.0;        // a restart's best loss
  std::string stop_reason;  // a restart's
  std::vector<Evaluation> evaluations;
};

// A rank's outcomes as text for the collective: a status line, then each unit and its
// evaluations, numbers in hexadecimal (exact), one record a line.
std::string encode(int status, const std::vector<UnitOutcome>& units) {
  std::ostringstream out;
  out << "status " << status << '\n';
  for (const UnitOutcome& u : units) {
    out << "unit " << u.unit << ' ' << hex(u.loss) << ' ' << u.point.size();
    for (double v : u.point) out << ' ' << hex(v);
    out << '\n' << "stop " << u.stop_reason << '\n';
    for (const Evaluation& e : u.evaluations) {
      out << "evaluation " << e.restart << ' ' << (e.from_journal ? 1 : 0) << ' ' << hex(e.loss)
          << ' ' << e.values.size();
      for (double v : e.values) out << ' ' << hex(v);
      out << ' ' << e.simulated.size();
      for (double v : e.simulated) out << ' ' << hex(v);
      out << '\n';
      if (!e.failure.empty()) {
        std::string why = e.failure;  // one line
        std::replace(why.begin(), why.end(), '\n', ' ');
        out << "failure " << why << '\n';
      }
    }
  }
  return out.str();
}

double read_hex(std::istream& in) {
  std::string word;
  in >> word;
  return std::strtod(word.c_str(), nullptr);
}

std::vector<double> read_hex_list(std::istream& in) {
  std::size_t count = 0;
  in >> count;
  std::vector<double> values(count);
  for (double& v : values) v = read_hex(in);
  return values;
}

// The inverse of encode; the status goes to `status`.
std::vector<UnitOutcome> decode(const std::string& text, int& status) {
  std::istringstream in(text);
  std::vector<UnitOutcome> units;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string kind;
    fields >> kind;
    if (kind == "status") {
      fields >> status;
    } else if (kind == "unit") {
      UnitOutcome& u = units.emplace_back();
      fields >> u.unit;
      u.loss = read_hex(fields);
      u.point = read_hex_list(fields);
    } else if (kind == "stop") {
      units.back().stop_reason = line.size() > 5 ? line.substr(5) : "";
    } else if (kind == "evaluation") {
      Evaluation& e = units.back().evaluations.emplace_back();
      int from_journal = 0;
      fields >> e.restart >> from_journal;
      e.from_journal = from_journal != 0;
      e.loss = read_hex(fields);
      e.values = read_hex_list(fields);
      e.simulated = read_hex_list(fields);
    } else if (kind == "failure") {
      units.back().evaluations.back().failure = line.substr(8);
    }
  }
  return units;
}

constexpr int kRankOk = 0, kRankCancelled = 1, kRankFailed = 2;

// Runs the units of [0, count) dealt to this rank (unit % ranks == rank), `parallel` at a time on
// threads, each by run_unit(unit, outcome); a unit that fails stops the others at their next
// evaluation. Returns this rank's outcomes and each unit's error (null: done).
template <class RunUnit>
std::pair<std::vector<UnitOutcome>, std::vector<std::exception_ptr>> run_units(
    std::size_t count, const CalibrationOptions& options, std::size_t replicates, unsigned threads,
    Objective& objective, RunUnit run_unit) {
  const auto rank = static_cast<std::size_t>(std::max(0, options.rank));
  const auto ranks = static_cast<std::size_t>(std::max(1, options.ranks));
  std::vector<std::size_t> mine;
  for (std::size_t u = rank; u < count; u += ranks) mine.push_back(u);
  // The threads a candidate's replicates cannot use run other units at once (replicates first:
  // they balance, units of unequal length do not). The evaluations do not depend on the order.
  const auto parallel = static_cast<unsigned>(std::clamp<std::size_t>(
      threads / std::max<std::size_t>(1, replicates), 1, std::max<std::size_t>(1, mine.size())));
  objective.set_replicate_threads(threads / parallel);
  std::vector<UnitOutcome> outcomes(mine.size());
  std::vector<std::exception_ptr> errors(mine.size());
  auto run_one = [&](std::size_t k) {
    outcomes[k].unit = mine[k];
    try {
      run_unit(mine[k], outcomes[k]);
    } catch (...) {
      errors[k] = std::current_exception();
      objective.abort();  // the other units stop at their next evaluation
    }
  };
  {
    StepWorkers workers(parallel);
    workers.run(mine.size(), run_one);
  }
  objective.set_replicate_threads(threads);
  return {std::move(outcomes), std::move(errors)};
}

// Every unit's outcome, by unit, on every rank: this rank's evaluations are in `objective`
// already, the others' are set there. Throws this rank's first own error (an interruption, a
// failed run; not an abort it caused), else OtherRankFailed or CalibrationCancelled when another
// rank failed or was interrupted.
std::vector<UnitOutcome> exchange(std::size_t count, std::vector<UnitOutcome> mine,
                                  const std::vector<std::exception_ptr>& errors,
                                  const CalibrationOptions& options, std::size_t trace_offset,
                                  Objective& objective) {
  std::exception_ptr own;
  int status = kRankOk;
  for (const std::exception_ptr& e : errors) {
    if (!e) continue;
    try {
      std::rethrow_exception(e);
    } catch (const RestartAborted&) {
      continue;
    } catch (const CalibrationCancelled&) {
      own = e;
      status = kRankCancelled;
    } catch (...) {
      own = e;
      status = kRankFailed;
    }
    break;
  }
  std::vector<UnitOutcome> all(count);
  if (!options.all_gather || options.ranks <= 1) {
    if (own) std::rethrow_exception(own);
    for (UnitOutcome& u : mine) all[u.unit] = std::move(u);
    return all;
  }
  for (UnitOutcome& u : mine) u.evaluations = objective.trace_of(trace_offset + u.unit);
  const std::vector<std::string> texts = options.all_gather(encode(status, mine));
  std::vector<int> statuses(texts.size(), kRankOk);
  for (std::size_t r = 0; r < texts.size(); ++r)
    for (UnitOutcome& u : decode(texts[r], statuses[r])) {
      const std::size_t unit = u.unit;
      if (static_cast<int>(r) != options.rank)
        objective.trace_of(trace_offset + unit) = std::move(u.evaluations);
      all.at(unit) = std::move(u);
    }
  for (int wanted : {kRankFailed, kRankCancelled})
    for (std::size_t r = 0; r < statuses.size(); ++r) {
      if (statuses[r] != wanted) continue;
      if (static_cast<int>(r) == options.rank) std::rethrow_exception(own);
      if (wanted == kRankFailed) throw OtherRankFailed(static_cast<int>(r));
      throw CalibrationCancelled();
    }
  return all;
}

}  // namespace

CalibrationResult calibrate(const CalibrationSpec& spec, const SimulateFigures& simulate,
                            const CalibrationOptions& options) {
  // Several ranks run their share of the units only: they must exchange them.
  assert(options.ranks <= 1 || options.all_gather);
  Objective objective(spec, simulate, options);
  const std::size_t n = spec.parameters.size();
  CalibrationResult result;
  Rng draws(sweep::run_seed(spec.seed, 2'000'000));  // restarts' starting points
  // The restarts' starting points, drawn in restart order.
  std::vector<std::vector<double>> starts(spec.restarts, std::vector<double>(n));
  for (std::size_t restart = 0; restart < spec.restarts; ++restart)
    for (std::size_t p = 0; p < n; ++p) {
      const FittedParameter& f = spec.parameters[p];
      starts[restart][p] = restart > 0 ? draws.uniform()
                           : f.start   ? unit_coordinate(f.parameter.distribution, *f.start)
                                       : 0.5;
    }
  const unsigned threads = std::max(1u, options.threads);

  // Restarts: independent optimisations, dealt out to the ranks and run on their threads.
  auto [restarts_run, restart_errors] =
      run_units(spec.restarts, options, spec.replicates, threads, objective,
                [&](std::size_t r, UnitOutcome& out) {
                  auto [x, loss] = optimise(spec, objective, starts[r], r, out.stop_reason);
                  out.point = std::move(x);
                  out.loss = loss;
                });
  const std::vector<UnitOutcome> restarts =
      exchange(spec.restarts, std::move(restarts_run), restart_errors, options, 0, objective);
  // Not one candidate could be scored: there is no fit (every rank has every restart's trace).
  const Evaluation* first_failed = nullptr;
  std::size_t evaluated = 0;
  bool scored = false;
  for (std::size_t r = 0; r < spec.restarts; ++r)
    for (const Evaluation& e : objective.trace_of(r)) {
      ++evaluated;
      scored = scored || e.failure.empty();
      if (!e.failure.empty() && !first_failed) first_failed = &e;
    }
  if (!scored && first_failed)
    throw NothingScored(spec.parameters.front().position,
                        "no candidate could be scored: " +
                            (evaluated == 1 ? std::string("the one evaluated")
                                            : "all " + std::to_string(evaluated) + " evaluated") +
                            " failed, so there is no fit; the first, " +
                            candidate_text(objective.parameters(), first_failed->values) +
                            ", because " + first_failed->failure +
                            (first_failed->failure.ends_with(kSquaredErrorAdvice)
                                 ? std::string()
                                 : ". Narrow the parameters' ranges to values the model computes"));

  std::vector<double> best_unit;
  result.best_loss = std::numeric_limits<double>::infinity();
  for (std::size_t restart = 0; restart < spec.restarts; ++restart) {
    result.restart_best.push_back(objective.natural(restarts[restart].point.data()));
    result.restart_loss.push_back(restarts[restart].loss);
    if (restarts[restart].loss < result.best_loss) {
      result.best_loss = restarts[restart].loss;
      best_unit = restarts[restart].point;
    }
  }
  result.stop_reason = restarts.back().stop_reason;
  result.best = objective.natural(best_unit.data());
  result.best_overrides = objective.overrides(result.best);

  // Slices: each parameter moved alone from the best until the loss rises by 1 (bisection on
  // the unit scale), or to its bound; each side of each parameter is a unit of its own.
  auto [slices_run, slice_errors] = run_units(
      2 * n, options, spec.replicates, threads, objective, [&](std::size_t u, UnitOutcome& out) {
        const std::size_t p = u / 2, trace = spec.restarts + u;
        const double bound = u % 2 == 0 ? 0.0 : 1.0;
        std::vector<double> x = best_unit;
        x[p] = bound;
        const double bound_loss = objective(x.data(), spec.restarts, trace);
        const bool at_bound = bound_loss <= result.best_loss + 1.0;
        double inside = best_unit[p], outside = bound;
        if (!at_bound)
          for (int h = 0; h < kSliceHalvings; ++h) {
            x[p] = 0.5 * (inside + outside);
            (objective(x.data(), spec.restarts, trace) <= result.best_loss + 1.0 ? inside
                                                                                 : outside) = x[p];
          }
        std::vector<double> edge = best_unit;
        edge[p] = at_bound ? bound : inside;
        out.point = {objective.natural(edge.data())[p], at_bound ? 1.0 : 0.0, bound_loss};
      });
  const std::vector<UnitOutcome> slices =
      exchange(2 * n, std::move(slices_run), slice_errors, options, spec.restarts, objective);
  for (std::size_t p = 0; p < n; ++p) {
    ParameterFit fit;
    fit.key = spec.parameters[p].parameter.key;
    fit.best = result.best[p];
    fit.slice_low = slices[2 * p].point.at(0);
    fit.slice_high = slices[2 * p + 1].point.at(0);
    fit.low_at_bound = slices[2 * p].point.at(1) != 0.0;
    fit.high_at_bound = slices[2 * p + 1].point.at(1) != 0.0;
    // The loss at the bound, the best loss bit for bit, on both sides. (It read the side's
    // evaluations, which only an MPI exchange fills: in one process every parameter whose loss
    // stayed within 1 of the best at both bounds was said to change nothing.)
    const auto same_loss = [&](const UnitOutcome& side) {
      return side.point.at(2) == result.best_loss;
    };
    fit.no_effect = fit.low_at_bound && fit.high_at_bound && same_loss(slices[2 * p]) &&
                    same_loss(slices[2 * p + 1]);
    fit.restart_min = fit.restart_max = result.restart_best[0][p];
    for (const auto& r : result.restart_best) {
      fit.restart_min = std::min(fit.restart_min, r[p]);
      fit.restart_max = std::max(fit.restart_max, r[p]);
    }
    result.parameters.push_back(fit);
  }

  // The figures at the best parameters: the best evaluation's means.
  const std::vector<double> best_values = result.best;
  result.trace = objective.trace();
  const Evaluation* best = nullptr;
  for (const Evaluation& e : result.trace)
    if (e.values == best_values && (!best || e.loss < best->loss)) best = &e;
  const std::vector<ObservedFigure> figures = objective.figure_list();
  for (std::size_t f = 0; f < figures.size(); ++f) {
    FigureFit fit;
    fit.figure = figures[f];
    fit.figure.simulated = best ? best->simulated[f] : std::numeric_limits<double>::quiet_NaN();
    fit.figure.states = 1;
    fit.fitted = objective.fitted()[f];
    fit.z = (fit.figure.simulated - fit.figure.observed) / fit.figure.uncertainty;
    result.figures.push_back(fit);
  }
  return result;
}

std::vector<RecoveryDraw> recover(const CalibrationSpec& spec, const SimulateFigures& simulate,
                                  const CalibrationOptions& options, std::size_t draws,
                                  const std::function<void(std::size_t)>& drawn) {
  std::vector<RecoveryDraw> study;
  Rng truths(sweep::run_seed(spec.seed, 3'000'000));  // the drawn values' own stream
  CalibrationOptions plain = options;
  plain.journal.clear();  // a recovery study keeps no journal
  plain.observed.clear();
  Objective simulator(spec, simulate, plain);
  for (std::size_t d = 0; d < draws; ++d) {
    std::vector<double> unit(spec.parameters.size());
    for (double& u : unit) u = truths.uniform();
    RecoveryDraw draw;
    draw.truth = simulator.natural(unit.data());
    CalibrationOptions fit = plain;
    try {
      fit.observed = simulator.mean_figures(draw.truth);  // exactly what a candidate there sees
    } catch (const InputError& e) {
      throw InputError(
          spec.parameters.front().position, "parameters",
          "the recovery study's draw " + std::to_string(d + 1) + ", " +
              candidate_text(simulator.parameters(), draw.truth) +
              ", cannot be simulated: " + failure_text(e, simulator.overrides(draw.truth)) +
              ". Narrow the parameters' ranges to values the model computes");
    }
    draw.fit = calibrate(spec, simulate, fit);
    study.push_back(std::move(draw));
    if (drawn) drawn(study.size());
  }
  return study;
}

std::string fitted_scenario(const CalibrationSpec& spec, const CalibrationResult& result,
                            const fs::path& written_to) {
  std::error_code ec;
  fs::path base =
      fs::relative(fs::absolute(spec.scenario), fs::absolute(written_to).parent_path(), ec);
  if (ec || base.empty()) base = fs::absolute(spec.scenario);
  std::ostringstream out;
  out.precision(17);
  out << "# Fitted by interdep calibrate " << spec.source_path.filename().string() << " ("
      << spec.name << "): " << name_of(spec.algorithm) << ", " << spec.restarts << " restart(s), "
      << spec.replicates << " replicate(s) per candidate, seed " << spec.seed << ".\n# Loss ("
      << name_of(spec.loss) << ") " << result.best_loss << " after " << result.trace.size()
      << " evaluations; stopped at " << result.stop_reason << ".\n";
  out << "base = " << toml_string(base.generic_string()) << "\n";
  // Named as the file is (OUT of -o), so that two fits of one scenario give runs of two names.
  out << "name = " << toml_string(written_to.stem().string()) << "\n";
  // Its own description: the base's said what the base is ("nothing is fitted"), and a run of
  // the fitted scenario printed it.
  std::string fitted;
  for (const ParameterFit& p : result.parameters) fitted += (fitted.empty() ? "" : ", ") + p.key;
  out << "description = "
      << toml_string(spec.scenario.filename().string() + " with " + fitted +
                     " fitted by interdep calibrate " + spec.source_path.filename().string() +
                     " (" + spec.name +
                     "): the values and how well they are determined are in the comments "
                     "of this file")
      << "\n\n";
  for (const ParameterFit& p : result.parameters)
    out << "# " << p.key << " = " << shortest_number(p.best) << ": loss within 1 of the best for "
        << shortest_number(p.slice_low) << (p.low_at_bound ? " (the bound)" : "") << " .. "
        << shortest_number(p.slice_high) << (p.high_at_bound ? " (the bound)" : "")
        << "; restarts' best " << shortest_number(p.restart_min) << " .. "
        << shortest_number(p.restart_max) << "\n";
  // The overrides as dotted keys (with the interest weights renormalised as in the runs).
  for (const std::string& o : result.best_overrides) {
    const auto eq = o.find('=');
    out << o.substr(0, eq) << " = " << o.substr(eq + 1) << "\n";
  }
  return out.str();
}

}  // namespace interdep::calibrate
