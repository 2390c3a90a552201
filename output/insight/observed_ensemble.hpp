// The ensemble `interdep score` holds against observed figures (docs/validation.md, "Scoring a
// run"): every run of the result files it is given — run files (one member each) and sweep files
// recorded with series (mode "every" or "full": one member per finished run) — and each
// member's simulated counterpart of every observed figure, taken from the recorded frames
// (engine/run/observation.hpp, observe_frames).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/scenario/observed_table.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep::insight {

struct ObservedEnsemble {
  ScenarioSpec scenario;                      // stored in the first file: actors, period
  std::vector<ObservationSpec> observations;  // held against the runs, resolved
  std::vector<std::string> members;           // "RUN.h5", or "SWEEP.h5 run 17"
  std::size_t failed_runs = 0;                // sweep runs that failed: not members
  // [figure][member], figures series by series as in `observations`.
  std::vector<std::vector<double>> simulated;
  // [figure]: the recorded frames the first member's value was taken from, and their times.
  std::vector<std::size_t> frames;
  std::vector<double> from, to;
};

// Reads `files` and the figures of `observed` (or, when it holds no series, the [[observations]]
// of the scenario stored in the first file). Throws interdep::InputError (at the observed file's
// row) for a quantity the runs do not have, a figure outside their period, or a figure whose
// window holds no recorded frame; OutputError for a file that is not a result; std::invalid_argument
// naming the file for files that do not share the first one's actors, domains, institutions and
// period, for a sweep without series or without the quantities observed among its outputs, and
// for no observations at all.
ObservedEnsemble observed_ensemble(const std::vector<std::filesystem::path>& files,
                                   const ObservedTable& observed);

}  // namespace interdep::insight
