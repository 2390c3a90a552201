#include "engine/score/dynamics_checks.hpp"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <exception>
#include <mutex>

#include "engine/run/quantity.hpp"
#include "engine/run/step_workers.hpp"
#include "engine/score/forecast_score.hpp"
#include "engine/sweep/sweep_loader.hpp"

namespace interdep::score {
namespace {

// The distinct `without` sets in order of first use; set 0 is empty (the scenario itself).
std::vector<std::vector<std::string>> variants_of(const CheckSpec& spec) {
  std::vector<std::vector<std::string>> variants{{}};
  for (const DynamicsCheck& c : spec.checks)
    if (!c.without.empty() &&
        std::find(variants.begin(), variants.end(), c.without) == variants.end())
      variants.push_back(c.without);
  return variants;
}

// The scenario of a variant, observing every check that reads it at its two dates: check c's
// figures are 2 * position and 2 * position + 1 among those observed.
ScenarioSpec variant_spec(const CheckSpec& spec, const ScenarioSpec& scenario,
                          const std::vector<std::string>& without,
                          std::vector<std::size_t>& position_of_check) {
  ScenarioSpec s = scenario;
  if (!without.empty())
    s.events.erase(std::remove_if(s.events.begin(), s.events.end(),
                                  [&](const EventSpec& e) {
                                    return std::find(without.begin(), without.end(), e.label) !=
                                           without.end();
                                  }),
                   s.events.end());
  s.observations.clear();
  position_of_check.assign(spec.checks.size(), spec.checks.size());
  for (std::size_t k = 0; k < spec.checks.size(); ++k) {
    const DynamicsCheck& c = spec.checks[k];
    if (!without.empty() && c.without != without) continue;
    ObservationSpec o;
    o.quantity = c.quantity;
    o.position = c.position;
    o.aggregate = c.aggregate;
    o.unit = std::string(parse_quantity(c.quantity, scenario).dataset->units);
    // Its figures are the check's own (labels are unique): two checks of one quantity over one
    // window, or windows that meet, from one source were refused as one figure given twice.
    o.source = c.source + " (check '" + c.label + "')";
    o.dates = {c.from, c.to};
    o.values = {0.0, 0.0};
    o.uncertainty = {1.0, 1.0};
    position_of_check[k] = s.observations.size();
    s.observations.push_back(std::move(o));
  }
  return s;
}

bool as_expected(const DynamicsCheck& c, double measured) {
  switch (c.expect) {
    case Expectation::rise: return measured > c.threshold;
    case Expectation::fall: return measured < -c.threshold;
    case Expectation::above: return measured > c.threshold;
    case Expectation::below: return measured < c.threshold;
  }
  return false;
}

}  // namespace

std::size_t comparison_runs(const CheckSpec& spec) { return variants_of(spec).size(); }

std::vector<CheckOutcome> run_checks(const CheckSpec& spec, const ScenarioSpec& scenario,
                                     const ObserveRun& observe, const CheckRunOptions& options) {
  const std::vector<std::vector<std::string>> variants = variants_of(spec);
  std::vector<ScenarioSpec> specs;
  std::vector<std::vector<std::size_t>> positions(variants.size());
  for (std::size_t v = 0; v < variants.size(); ++v)
    specs.push_back(variant_spec(spec, scenario, variants[v], positions[v]));

  // Every (variant, replicate) run, on threads; results[v][r] is its figures.
  const std::size_t replicates = spec.replicates, total = variants.size() * replicates;
  std::vector<std::vector<std::vector<ObservedFigure>>> results(
      variants.size(), std::vector<std::vector<ObservedFigure>>(replicates));
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::size_t done = 0;
  auto run_task = [&](std::size_t task) {
    if (failed || (options.cancel != nullptr && options.cancel->load())) return;
    const std::size_t v = task / replicates, r = task % replicates;
    try {
      results[v][r] = observe(specs[v], sweep::run_seed(spec.seed, r));
    } catch (...) {
      failed = true;  // the tasks not yet begun are skipped
      throw;          // the first is rethrown once every task has returned
    }
    const std::lock_guard<std::mutex> lock(mutex);  // one progress call at a time, in order
    ++done;
    if (options.progress) options.progress(done, total);
  };
  StepWorkers workers(
      std::max(1u, std::min<unsigned>(options.threads, static_cast<unsigned>(total))));
  workers.run(total, run_task);
  if (options.cancel != nullptr && options.cancel->load() && done < total) throw ChecksCancelled();

  std::vector<CheckOutcome> outcomes;
  for (std::size_t k = 0; k < spec.checks.size(); ++k) {
    const DynamicsCheck& c = spec.checks[k];
    const auto v = static_cast<std::size_t>(std::find(variants.begin(), variants.end(), c.without) -
                                            variants.begin());
    const bool level = c.expect == Expectation::above || c.expect == Expectation::below;
    CheckOutcome out;
    for (std::size_t r = 0; r < replicates; ++r) {
      // The measure of one run: the level at `to`, or its change since `from`.
      const auto measure = [&](std::size_t variant) {
        const std::vector<ObservedFigure>& f = results[variant][r];
        const std::size_t at = 2 * positions[variant][k];
        assert(at + 1 < f.size());
        return level ? f[at + 1].simulated : f[at + 1].simulated - f[at].simulated;
      };
      double m = measure(0);
      if (v != 0) m -= measure(v);
      out.measured.push_back(m);
      if (as_expected(c, m)) ++out.agree;
    }
    std::vector<double> sorted = out.measured;
    std::sort(sorted.begin(), sorted.end());
    out.median = quantile(sorted, 0.5);
    out.low = sorted.front();
    out.high = sorted.back();
    out.holds = static_cast<double>(out.agree) > spec.agreement * static_cast<double>(replicates);
    outcomes.push_back(std::move(out));
  }
  return outcomes;
}

}  // namespace interdep::score
