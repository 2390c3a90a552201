// The interface every model implements. The engine (engine/simulation.cpp) owns time, the random
// generator and the order of the phases; a model supplies what each phase does.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/event_log.hpp"
#include "engine/rng.hpp"
#include "engine/spec.hpp"
#include "engine/state.hpp"

namespace interdep {

struct StepClock {
  std::int64_t step = 0;  // index of the step being taken (0-based)
  double time = 0.0;      // decimal year at the start of the step
  double dt = 1.0 / 12;   // yr
};

class Model {
 public:
  virtual ~Model() = default;
  virtual std::string_view name() const = 0;

  // Fill the initial state from the frozen spec; size any scratch space (no allocation later).
  virtual void initialize(WorldState& state) = 0;

  // Phase 1: apply one scheduled event.
  virtual void apply_event(const EventSpec& event, std::size_t event_index, const StepClock& clock,
                           WorldState& state, EventLog& log) = 0;
  // Phase 2: trade and energy flows.
  virtual void update_flows(const StepClock& clock, WorldState& state) = 0;
  // Phase 3: sensitivity, vulnerability, leverage.
  virtual void update_interdependence(WorldState& state) = 0;
  // Phase 4: every actor adjusts its relations.
  virtual void decide(const StepClock& clock, WorldState& state, Rng& rng) = 0;
  // Phase 5: admissions at summits, membership effects.
  virtual void run_institutions(const StepClock& clock, WorldState& state, Rng& rng,
                                EventLog& log) = 0;
};

// Model registry: a second model is added in models/ and listed here, not in the engine.
std::unique_ptr<Model> make_model(const ScenarioSpec& spec);
std::vector<std::string> model_names();

}  // namespace interdep
