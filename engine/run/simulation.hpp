// A run is a function of (frozen scenario spec, seed). The Simulation owns the clock, the one
// random generator of the run and the phase order of a step.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>

#include "engine/run/event_log.hpp"
#include "engine/run/frame_sink.hpp"
#include "engine/run/model.hpp"
#include "engine/run/observation.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/state.hpp"
#include "engine/run/step_workers.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep {

class Simulation {
 public:
  // `spec` must outlive the simulation; it is never modified. `model` (a models/ registry
  // product for this spec) supplies what each phase does. `threads` (>= 1) may share the work of
  // each step in a world of at least kThreadedActors actors (StepWorkers); the results are bit
  // for bit the same whatever the number.
  Simulation(const ScenarioSpec& spec, std::unique_ptr<Model> model, std::uint64_t seed,
             std::size_t threads = 1);

  // Below this many actors a step is too short (about 0.1 ms at 20 actors) for threads to
  // pay for waking each other: a world this small runs on the calling thread alone.
  static constexpr std::size_t kThreadedActors = 32;
  // The threads a step of this scenario uses when `threads` are offered.
  static std::size_t step_threads(const ScenarioSpec& spec, std::size_t threads);

  // One step: events -> flows -> interdependence -> decide -> institutions.
  void step();
  bool done() const { return state_.step >= spec_.time.steps; }

  const WorldState& state() const { return state_; }
  const EventLog& log() const { return log_; }
  const ScenarioSpec& spec() const { return spec_; }
  const Model& model() const { return *model_; }
  std::uint64_t seed() const { return seed_; }

 private:
  StepClock clock() const;

  const ScenarioSpec& spec_;
  std::uint64_t seed_;
  Rng rng_;
  std::unique_ptr<StepWorkers> workers_;  // declared before the model: it outlives the model's use
  std::unique_ptr<Model> model_;
  WorldState state_;
  EventLog log_;
  std::size_t next_event_ = 0;  // events are sorted by step
};

struct RunResult {
  Trajectory trajectory;
  EventLog log;
};

// Thrown by simulate when `cancel` becomes true between two steps (Ctrl-C).
struct RunCancelled : std::runtime_error {
  RunCancelled() : std::runtime_error("run cancelled") {}
};

// Runs the whole scenario with `model`, recording into a trajectory allocated up front.
// `cancel`, if given, is polled between steps. (models/registry.hpp's run_scenario picks the
// model the scenario names.)
RunResult simulate(const ScenarioSpec& spec, std::unique_ptr<Model> model, std::uint64_t seed,
                   const std::atomic<bool>* cancel = nullptr, std::size_t threads = 1);

// The same, streamed: frames are recorded into a window of Trajectory::window_frames frames
// (as many as fit in `window_bytes`) that `sink` takes whenever it is full and at the end, so
// memory does not grow with the run's length. Returns the run's event log. The frames are
// bit-identical to simulate's. `observer`, if given, sees every state (the initial one, then each
// step's) in this thread.
EventLog simulate_into(const ScenarioSpec& spec, std::unique_ptr<Model> model, std::uint64_t seed,
                       FrameSink& sink, const std::atomic<bool>* cancel = nullptr,
                       StateObserver* observer = nullptr, std::size_t threads = 1,
                       std::uint64_t window_bytes = Trajectory::kWindowBytes);

}  // namespace interdep
