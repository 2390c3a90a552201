// A calibration as plain data (docs/calibration.md): which scenario, which keys to fit within
// which bounds, which of the scenario's observed figures to fit and with what loss, how many
// replicates (common random numbers: the same seeds for every candidate), and the optimiser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "engine/scenario/enum_names.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/sweep/sweep_spec.hpp"

namespace interdep::calibrate {

// The loss of a candidate: the sum over the fitted figures of the squared standardised error of
// the replicates' mean m against the observation o with uncertainty u.
enum class Loss {
  squared_log_error,  // ((ln m - ln o) / (u / o))^2: relative errors, for positive flows
  squared_error,      // ((m - o) / u)^2
};

// Derivative-free optimisers of NLopt (docs/calibration.md lists what each is for).
enum class Algorithm { bobyqa, neldermead, sbplx, cobyla, crs2, isres, direct };

struct FittedParameter {
  sweep::ParameterSpec parameter;  // key and bounds: uniform (fitted on a linear scale) or
                                   // loguniform (on a log scale)
  std::optional<double> start;     // the first restart's starting point (default: the middle)
  SourcePosition position;         // where it was declared
};

struct CalibrationSpec {
  std::string name;
  std::string description;
  std::filesystem::path source_path;  // the calibration file
  std::string text;                   // its text (the journal's fingerprint includes it)
  std::filesystem::path scenario;     // resolved against the calibration file
  std::uint64_t seed = 1;             // replicate r's seed and the optimiser's draws derive from it
  std::size_t replicates = 4;         // runs per candidate, the same seeds for every candidate
  std::vector<FittedParameter> parameters;
  std::vector<std::string> quantities;                     // the series to fit; empty: every series
  double until = std::numeric_limits<double>::infinity();  // fit only figures whose states all
                                                           // lie before this decimal year
  Loss loss = Loss::squared_log_error;
  Algorithm algorithm = Algorithm::bobyqa;
  std::size_t max_evaluations = 200;  // per restart
  double tolerance = 1e-4;            // relative change of the parameters (scaled to [0, 1])
  std::size_t restarts = 1;           // optimisations from different starting points
};

constexpr EnumNames<Loss, 2> enum_names(Loss) {
  return {{{Loss::squared_log_error, "squared_log_error"}, {Loss::squared_error, "squared_error"}}};
}

constexpr EnumNames<Algorithm, 7> enum_names(Algorithm) {
  return {{{Algorithm::bobyqa, "bobyqa"},
           {Algorithm::neldermead, "neldermead"},
           {Algorithm::sbplx, "sbplx"},
           {Algorithm::cobyla, "cobyla"},
           {Algorithm::crs2, "crs2"},
           {Algorithm::isres, "isres"},
           {Algorithm::direct, "direct"}}};
}

// Reads and validates a calibration file and its scenario: every key is tried at both bounds,
// the quantities name series of the scenario's [[observations]], and at least one figure is
// left to fit. Throws InputError with positions.
CalibrationSpec load_calibration(const std::filesystem::path& path);

}  // namespace interdep::calibrate
