// The model registry: the one place that knows which models exist. A second model is added
// in models/ and listed in registry.cpp, not in the engine.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/run/model.hpp"
#include "engine/run/simulation.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep {

// The model `spec.model` names, built for `spec`; InputError naming the key `model` when no
// model has that name.
std::unique_ptr<Model> make_model(const ScenarioSpec& spec);
std::vector<std::string> model_names();

// A whole run of `spec` with the model it names (engine/run/simulation.hpp, simulate).
RunResult run_scenario(const ScenarioSpec& spec, std::uint64_t seed,
                       const std::atomic<bool>* cancel = nullptr);

}  // namespace interdep
