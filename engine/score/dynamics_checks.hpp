// Measuring dynamics checks (dynamics_check_spec.hpp) on a scenario: each replicate seed runs
// the scenario and, for every distinct set of events a check leaves out, the scenario without
// them at the same seed; each check's measure is read from the states nearest its dates. It is
// handed what runs a scenario (models' observe_scenario): it links no model.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <vector>

#include "engine/run/observation.hpp"
#include "engine/score/dynamics_check_spec.hpp"

namespace interdep::score {

struct CheckOutcome {
  std::vector<double> measured;  // per replicate, in the dataset's unit (see DynamicsCheck)
  std::size_t agree = 0;         // replicates whose measure is as expected
  bool holds = false;            // agree / replicates > agreement
  double median = 0.0, low = 0.0, high = 0.0;  // of the measures
};

// The simulated counterparts of `spec`'s observed figures in a run at `seed`.
using ObserveRun = std::function<std::vector<ObservedFigure>(const ScenarioSpec&, std::uint64_t)>;

struct CheckRunOptions {
  unsigned threads = 1;                       // runs at once
  const std::atomic<bool>* cancel = nullptr;  // polled between runs: ChecksCancelled
  // After each run, from the thread that ran it, one call at a time (done counts up by one).
  std::function<void(std::size_t done, std::size_t total)> progress;
};

struct ChecksCancelled : std::runtime_error {
  ChecksCancelled() : std::runtime_error("the checks were interrupted") {}
};

// The scenarios a check run simulates: the scenario itself (0), then the scenario without each
// distinct set of events that checks leave out, in order of first use.
std::size_t comparison_runs(const CheckSpec& spec);

// Every check's outcome, in file order; the same for any number of threads.
std::vector<CheckOutcome> run_checks(const CheckSpec& spec, const ScenarioSpec& scenario,
                                     const ObserveRun& observe, const CheckRunOptions& options);

}  // namespace interdep::score
