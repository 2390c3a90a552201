#include "models/registry.hpp"

#include "engine/scenario/errors.hpp"
#include "models/interdependence/interdependence_model.hpp"
#include "models/interdependence/term_narratives.hpp"

namespace interdep {

std::vector<std::string> model_names() { return {"interdependence"}; }

std::unique_ptr<Model> make_model(const ScenarioSpec& spec) {
  if (spec.model == "interdependence") return std::make_unique<InterdependenceModel>(spec);
  std::string known;
  for (const auto& n : model_names()) known += (known.empty() ? "'" : ", '") + n + "'";
  throw InputError(SourcePosition{spec.source_path, 0, 0}, "model",
                   "unknown model '" + spec.model + "'; available models: " + known);
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
                       const std::atomic<bool>* cancel) {
  return simulate(spec, make_model(spec), seed, cancel);
}

}  // namespace interdep
