// libFuzzer target: arbitrary bytes as a scenario file, loaded as fuzz_scenario loads them
// (scenario_input.hpp), and a scenario the loader accepts run in memory for a few steps. The run
// must end with a result or an InputError (a bad input, exit 2; among them the refusal of a state
// that is not a number, refuse_non_finite in engine/run/simulation.cpp); any other outcome is a
// finding: a crash, an assertion, a sanitizer report, another exception, a hang, a recorded value
// that is NaN or infinite although the run was not refused (in the frames or in the event log).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "engine/run/recorded_datasets.hpp"
#include "engine/run/simulation.hpp"
#include "engine/scenario/errors.hpp"
#include "models/registry.hpp"
#include "tests/fuzz/scenario_input.hpp"

namespace {

// A run's cost grows with N^2 D per step (and N^3 for structural gravity's solve): worlds beyond
// these are loaded but not run, so that an input runs in milliseconds under the sanitizers and
// the fuzzer explores inputs, not long runs. The shipped scenarios have 7 actors.
constexpr std::size_t kMaxActors = 12;
constexpr std::size_t kMaxDomains = 12;
// Steps run at most (two years of monthly steps): the run is cut there, its events and summits
// beyond never reached, as a run with fewer steps would be.
constexpr std::int64_t kMaxSteps = 24;

// Every recorded float64 dataset holds numbers after a run that was not refused:
// refuse_non_finite checks the datasets marked `finite`, on the ground that a NaN anywhere else
// feeds them in the next step. A recorded value that is not a number is a finding.
void require_numbers(const interdep::Trajectory& trajectory) {
  for (const interdep::RecordedDataset& row : interdep::kRecordedDatasets) {
    if (row.f64 == nullptr) continue;
    const std::vector<double>& values = trajectory.*row.f64;
    const auto bad =
        std::find_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); });
    if (bad != values.end()) {
      std::fprintf(stderr, "fuzz_run: dataset %.*s holds %g at index %td of a run not refused\n",
                   static_cast<int>(row.name.size()), row.name.data(), *bad, bad - values.begin());
      std::abort();
    }
  }
}

// The event log's numbers too: every applied event's time and weight, every admission
// decision's time and probability, in [0, 1].
void require_numbers(const interdep::EventLog& log) {
  auto finding = [](const char* what, std::size_t row, double value) {
    std::fprintf(stderr, "fuzz_run: %s of row %zu of the log is %g in a run not refused\n", what,
                 row, value);
    std::abort();
  };
  for (std::size_t k = 0; k < log.events.size(); ++k) {
    if (!std::isfinite(log.events[k].time)) finding("event time", k, log.events[k].time);
    if (!std::isfinite(log.events[k].goldstein))
      finding("event weight", k, log.events[k].goldstein);
  }
  for (std::size_t k = 0; k < log.admissions.size(); ++k) {
    const interdep::AdmissionDecision& a = log.admissions[k];
    if (!std::isfinite(a.time)) finding("admission time", k, a.time);
    if (!(a.probability >= 0.0 && a.probability <= 1.0))
      finding("admission probability", k, a.probability);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    interdep::ScenarioSpec spec = interdep::fuzz::load_fuzz_scenario(data, size);
    if (spec.actor_count() > kMaxActors || spec.domain_count() > kMaxDomains) return 0;
    if (spec.time.steps > kMaxSteps) {
      spec.time.steps = kMaxSteps;
      spec.time.years = static_cast<double>(kMaxSteps) / spec.time.steps_per_year;
    }
    const interdep::RunResult result = interdep::run_scenario(spec, spec.seed);
    require_numbers(result.trajectory);
    require_numbers(result.log);
  } catch (const interdep::InputError&) {
    // bad input, refused with its place; or a run refused for a value that is not a number
  }
  return 0;
}
