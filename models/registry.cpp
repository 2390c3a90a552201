#include "models/registry.hpp"

#include <algorithm>
#include <stdexcept>

#include "engine/run/trajectory.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "models/interdependence/interdependence_model.hpp"
#include "models/interdependence/term_narratives.hpp"
#include "models/interdependence/terms.hpp"

namespace interdep {

std::vector<std::string> model_names() { return {"interdependence"}; }

void check_model(const ScenarioSpec& spec) {
  const std::vector<std::string> names = model_names();
  if (std::find(names.begin(), names.end(), spec.model) != names.end()) return;
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "'" : ", '") + n + "'";
  SourcePosition where = spec.model_position;
  if (where.file.empty()) where.file = spec.source_path;
  throw InputError(where, "model.name",
                   "unknown model '" + spec.model + "'; available models: " + known);
}

std::uint64_t world_run_bytes(const ScenarioSpec& partial) {
  if (partial.model != "interdependence") return 0;
  return dense_spec_bytes(partial.actor_count(), partial.domain_count()) +
         Trajectory::state_bytes(partial, kTermCount);
}

std::unique_ptr<Model> make_model(const ScenarioSpec& spec) {
  if (spec.model == "interdependence") return std::make_unique<InterdependenceModel>(spec);
  check_model(spec);  // throws for a name model_names() does not list
  throw std::logic_error("model '" + spec.model + "' is listed but make_model does not build it");
}

namespace {
std::string generic_term_narrative(const RelationWindow&, std::string_view term, double) {
  return "Term '" + std::string(term) + "' of the model (see docs/model.md).";
}
}  // namespace

TermNarrator term_narrator(std::string_view model) {
  if (model == "interdependence") return interdependence_term_narrative;
  return generic_term_narrative;
}

RunResult run_scenario(const ScenarioSpec& spec, std::uint64_t seed,
                       const std::atomic<bool>* cancel, std::size_t threads) {
  return simulate(spec, make_model(spec), seed, cancel, threads);
}

EventLog stream_scenario(const ScenarioSpec& spec, std::uint64_t seed, FrameSink& sink,
                         std::uint64_t window_bytes) {
  return simulate_into(spec, make_model(spec), seed, sink, nullptr, nullptr, 1, window_bytes);
}

std::vector<ObservedFigure> observe_scenario(const ScenarioSpec& spec, std::uint64_t seed) {
  ObservationSampler sampler(spec);
  struct DiscardFrames final : FrameSink {
    void take(const Trajectory&) override {}
  } discard;
  (void)simulate_into(spec, make_model(spec), seed, discard, nullptr, &sampler);
  return sampler.figures();
}

}  // namespace interdep
