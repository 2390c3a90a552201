// The model registry: the one place that knows which models exist. A second model is added
// in models/ and listed in registry.cpp, not in the engine.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/run/model.hpp"
#include "engine/run/observation.hpp"
#include "engine/run/recorded_run_view.hpp"
#include "engine/run/simulation.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep {

// The model `spec.model` names, built for `spec`; InputError at `model.name` when no model has
// that name.
std::unique_ptr<Model> make_model(const ScenarioSpec& spec);
// The InputError make_model would throw for an unknown model, without building one: `validate`
// refuses what `run` would.
void check_model(const ScenarioSpec& spec);
std::vector<std::string> model_names();
// The least memory a run of the world `partial` needs (its time, domains, actors and model name
// read): the spec's dense arrays and the run's state, bytes; 0 for a model no one has (check_model
// refuses it). What the command line installs as the loader's WorldSizeCheck.
std::uint64_t world_run_bytes(const ScenarioSpec& partial);

// Tells why decision term `term` moved the window's relation by `value` [relation units], from
// the recorded run's own data (explain's accounts).
using TermNarrator = std::string (*)(const RelationWindow& window, std::string_view term,
                                     double value);
// The narrator of the model named `model` (a run file's `model` attribute); for a model without
// narratives, one that names the term and points to docs/model.md.
TermNarrator term_narrator(std::string_view model);

// A whole run of `spec` with the model it names (engine/run/simulation.hpp, simulate).
// `threads` may share each step's work in a large world (Simulation), with the same results.
RunResult run_scenario(const ScenarioSpec& spec, std::uint64_t seed,
                       const std::atomic<bool>* cancel = nullptr, std::size_t threads = 1);

// The same run streamed into `sink` a window of frames at a time (simulate_into): what a sweep
// reduces to its outputs without holding the run.
EventLog stream_scenario(const ScenarioSpec& spec, std::uint64_t seed, FrameSink& sink,
                         std::uint64_t window_bytes);

// A run of `spec` kept only as the simulated counterpart of its observed figures
// (ObservationSampler, engine/run/observation.hpp); the recorded frames are discarded. What a
// calibration runs for every replicate of every candidate.
std::vector<ObservedFigure> observe_scenario(const ScenarioSpec& spec, std::uint64_t seed);

}  // namespace interdep
