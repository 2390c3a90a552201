// The interface every model implements (models/ holds them; models/registry.hpp lists them). The engine (engine/run/simulation.cpp) owns time, the random
// generator and the order of the phases; a model supplies what each phase does.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "engine/run/event_log.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/state.hpp"
#include "engine/run/step_workers.hpp"
#include "engine/scenario/spec.hpp"

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
  // The decision terms whose increments the model records per relation and step (the `term`
  // axis of /contributions), in the order of that axis.
  virtual std::span<const std::string_view> term_names() const = 0;

  // Threads the model may share a phase's work with (before initialize; they outlive the
  // model's use of them). A model that ignores them runs on the calling thread; one that uses
  // them must give the same results bit for bit (engine/run/step_workers.hpp).
  virtual void share_work(StepWorkers& /*workers*/) {}
  // Fill the initial state from the frozen spec; size any scratch space (no allocation later).
  virtual void initialize(WorldState& state) = 0;

  // Phase 1: apply one scheduled event.
  virtual void apply_event(const EventSpec& event, std::size_t event_index, const StepClock& clock,
                           WorldState& state, EventLog& log) = 0;
  // Phase 2: trade and energy flows.
  virtual void update_flows(const StepClock& clock, WorldState& state) = 0;
  // Phase 3: sensitivity, vulnerability, leverage.
  virtual void update_interdependence(WorldState& state) = 0;
  // Phase 4: every actor adjusts its relations. When contributions are tracked (state.terms >
  // 0), the model sets every element of state.contributions to this step's increments, those
  // of the events of phase 1 included: the engine does not clear them between steps.
  virtual void decide(const StepClock& clock, WorldState& state, Rng& rng) = 0;
  // Phase 5: admissions at summits, membership effects.
  virtual void run_institutions(const StepClock& clock, WorldState& state, Rng& rng,
                                EventLog& log) = 0;
};

}  // namespace interdep
