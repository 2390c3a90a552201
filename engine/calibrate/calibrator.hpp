// Fits a scenario's parameters to its observed figures (docs/calibration.md): a derivative-free
// NLopt optimiser searches the parameters' box (scaled to [0, 1], log-scaled for loguniform
// ones); each candidate is the scenario with the parameters overridden, run `replicates` times
// with the same seeds for every candidate (common random numbers: the optimiser compares
// candidates, not noise), and scored by the loss of the replicates' mean of every fitted figure.
// Reproducible from the seed; every evaluation is kept in a journal so that an interrupted
// calibration resumes where it stopped (the optimiser replays, answered from the journal).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/calibrate/calibration_spec.hpp"
#include "engine/run/observation.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep::calibrate {

// Runs a candidate scenario with `seed` and returns the simulated counterpart of each observed
// figure (ObservationSampler::figures): handed in, so that this library runs no model itself.
using SimulateFigures =
    std::function<std::vector<ObservedFigure>(const ScenarioSpec& spec, std::uint64_t seed)>;

struct Evaluation {
  std::size_t restart = 0;
  std::vector<double> values;     // the parameters, natural units
  double loss = 0.0;              // +inf when a fitted figure's mean cannot be scored
  std::vector<double> simulated;  // the replicates' mean of every figure of the scenario
  bool from_journal = false;      // answered from the journal of an interrupted calibration
  // Why the candidate could not be scored ("": it was): the scenario refused its values, a run
  // failed (the model's state stopped being a number) or a fitted figure's mean cannot be scored
  // (not a number; not positive under squared_log_error). Its loss is then kUnscorableLoss, the
  // worst, and the optimiser goes on (docs/calibration.md).
  std::string failure;
};

// The loss of a candidate that cannot be scored: finite, so that the optimisers' models stay
// finite, and above any loss a scorable candidate has in practice.
inline constexpr double kUnscorableLoss = 1e12;

// A fitted parameter's uncertainty, approximate: the interval where the loss, with the other
// parameters at their best values, stays within 1 of the best (a slice of the loss, not a full
// profile), and the range of the restarts' best values.
struct ParameterFit {
  std::string key;
  double best = 0.0;
  double slice_low = 0.0, slice_high = 0.0;
  bool low_at_bound = false, high_at_bound = false;  // the loss never rose by 1 on that side
  // The loss at both bounds was the best loss exactly: no fitted figure responds to the
  // parameter (the scenario may not use it as set), and its fitted value is arbitrary.
  bool no_effect = false;
  double restart_min = 0.0, restart_max = 0.0;
};

struct FigureFit {
  ObservedFigure figure;  // with `simulated` the replicates' mean at the best parameters
  bool fitted = false;    // in the loss (else held out: after `until`, or another quantity)
  double z = 0.0;         // (simulated - observed) / uncertainty
};

struct CalibrationResult {
  std::vector<Evaluation> trace;  // every evaluation, in order (restarts, then the slices)
  std::vector<double> best;       // natural units
  std::vector<std::string> best_overrides;  // "key=value" that set them (renormalised interests)
  double best_loss = 0.0;
  std::vector<std::vector<double>> restart_best;  // each restart's best parameters
  std::vector<double> restart_loss;
  std::vector<ParameterFit> parameters;
  std::vector<FigureFit> figures;
  std::string stop_reason;  // NLopt's, of the last restart
};

struct CalibrationOptions {
  unsigned threads = 1;                       // replicates of a candidate run on this many threads
  const std::atomic<bool>* cancel = nullptr;  // stops between evaluations: CalibrationCancelled
  std::filesystem::path journal;              // the journal this process writes; "": none
  bool resume = false;                        // answer repeated candidates from the journal
  // Resuming: the journals to answer from (those of every process of the interrupted
  // calibration, whatever their number); empty: `journal` alone.
  std::vector<std::filesystem::path> resume_journals;
  // Several processes (MPI ranks): this one's rank among `ranks`, and the collective that hands
  // every rank's text to every rank, in rank order (MPI_Allgatherv). The restarts, then the
  // uncertainty slices, are dealt out by rank; the result is the same on every rank and for any
  // number of ranks and threads. Unset: one process.
  int rank = 0;
  int ranks = 1;
  std::function<std::vector<std::string>(const std::string&)> all_gather;
  std::function<void(const Evaluation&, std::size_t index, double best_loss)> progress;
  // Instead of the scenario's observed values, these (one per figure, in file order): the
  // synthetic figures of a recovery study. Empty: the scenario's.
  std::vector<double> observed;
};

// "key = value, key = value": a candidate's parameters, in the calibration file's order, each
// value in the fewest digits that read back as the same number (to be set again with --set).
std::string candidate_text(const std::vector<sweep::ParameterSpec>& parameters,
                           const std::vector<double>& values);

// A candidate whose evaluation failed for a reason that is not its values (memory, the machine):
// the calibration stops, naming the candidate and the cause.
struct CandidateFailed : std::runtime_error {
  CandidateFailed(const std::string& candidate, const std::string& cause)
      : std::runtime_error("calibrate: the evaluation of the candidate " + candidate +
                           " failed: " + cause) {}
};

// Not one candidate of the restarts could be scored (each failed as Evaluation::failure says):
// there is no fit. Bad input (the parameters' ranges), at the first parameter.
struct NothingScored : InputError {
  NothingScored(SourcePosition where, const std::string& message)
      : InputError(std::move(where), "parameters", message) {}
};

struct CalibrationCancelled : std::runtime_error {
  CalibrationCancelled() : std::runtime_error("calibration interrupted") {}
};

// Thrown on the ranks that did not fail when another rank's restart or slice failed: that rank
// throws (and reports) its own error.
struct OtherRankFailed : std::runtime_error {
  explicit OtherRankFailed(int rank)
      : std::runtime_error("calibration stopped: rank " + std::to_string(rank) + " failed") {}
};

// Where `value` lies in the parameter's box, 0..1: on a log scale for loguniform (the inverse of
// sweep::to_value), the scale the optimiser searches and recovery errors are measured on.
double unit_coordinate(const sweep::ParameterDistribution& d, double value);

// The loss of one figure's mean m against observation o with uncertainty u.
double figure_loss(Loss loss, double m, double o, double u);

CalibrationResult calibrate(const CalibrationSpec& spec, const SimulateFigures& simulate,
                            const CalibrationOptions& options);

// Parameter recovery (docs/calibration.md): `draws` times, parameter values drawn uniformly in
// their box (on their scale) from the calibration's seed, figures simulated at them as the
// calibration's own replicates would see them, and the calibration fitted to those figures.
struct RecoveryDraw {
  std::vector<double> truth;  // the drawn values, natural units
  CalibrationResult fit;
};
// `drawn`, if set, is told the number of draws fitted so far after each one.
std::vector<RecoveryDraw> recover(const CalibrationSpec& spec, const SimulateFigures& simulate,
                                  const CalibrationOptions& options, std::size_t draws,
                                  const std::function<void(std::size_t)>& drawn = {});

// The fitted scenario: `base` naming the calibrated scenario and each fitted key set to its best
// value, with the fit summarised in comments. TOML text.
std::string fitted_scenario(const CalibrationSpec& spec, const CalibrationResult& result,
                            const std::filesystem::path& written_to);

}  // namespace interdep::calibrate
