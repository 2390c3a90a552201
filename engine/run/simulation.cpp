#include "engine/run/simulation.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/run/recorded_datasets.hpp"

#ifdef INTERDEP_BLAS
extern "C" void openblas_set_num_threads(int threads);  // OpenBLAS's own API (cblas.h)
#endif

namespace interdep {

std::size_t Simulation::step_threads(const ScenarioSpec& spec, std::size_t threads) {
  return spec.actor_count() >= kThreadedActors ? std::max<std::size_t>(1, threads) : 1;
}

Simulation::Simulation(const ScenarioSpec& spec, std::unique_ptr<Model> model, std::uint64_t seed,
                       std::size_t threads)
    : spec_(spec), seed_(seed), rng_(seed), model_(std::move(model)) {
  assert(model_ != nullptr);
  if (const std::size_t used = step_threads(spec, threads); used > 1) {
    workers_ = std::make_unique<StepWorkers>(used);
    model_->share_work(*workers_);
  }
#ifdef INTERDEP_BLAS
  // One thread per product: runs and sweeps are parallel already (sweep workers, the writing
  // thread), and a product then sums in the same order whatever the number of cores.
  static std::once_flag one_thread;
  std::call_once(one_thread, [] { openblas_set_num_threads(1); });
#endif
  // Decision-term increments are tracked only when they are recorded (declared in [output]).
  state_.resize(Dims{spec.actor_count(), spec.domain_count(), spec.institution_count()},
                spec.record.contributions ? model_->term_names().size() : 0,
                spec.corridor_edges.size());
  state_.step = 0;
  state_.time = spec.time.start;
  log_.reserve(spec);
  model_->initialize(state_);
}

StepClock Simulation::clock() const {
  StepClock c;
  c.step = state_.step;
  c.dt = spec_.time.dt();
  c.time = spec_.time.start + static_cast<double>(state_.step) * c.dt;
  return c;
}

void Simulation::step() {
  const StepClock now = clock();

  // 1. events scheduled for this step, in file order
  while (next_event_ < spec_.events.size() && spec_.events[next_event_].step == now.step) {
    model_->apply_event(spec_.events[next_event_], next_event_, now, state_, log_);
    ++next_event_;
  }
  // 2. flows move toward their gravity targets
  model_->update_flows(now, state_);
  // 3. sensitivity, vulnerability and leverage from the new flows
  model_->update_interdependence(state_);
  // 4. every actor adjusts its relations
  model_->decide(now, state_, rng_);
  // 5. admissions at summits
  model_->run_institutions(now, state_, rng_, log_);

  state_.step = now.step + 1;
  state_.time = spec_.time.start + static_cast<double>(state_.step) * now.dt;
}

namespace {

// A state whose datasets marked `finite` in kRecordedDatasets (GDP, trade, gas flows, overall
// relations, leverage) are not numbers (NaN or infinite) is refused as bad input: only an extreme input gets
// there (a responsiveness or an external finance of 1e308, growth over thousands of years), which
// the loader's ranges let through. Checked before each window of frames is handed on and at the
// end of the run (N + 3 N^2 values each time, not every frame: a NaN in these feeds the next
// step's flows and decisions, and does not go away). The time named is that of the first frame of
// `recorded` (the frames since the last check, which end with this state) that shows the value,
// else the state's; within a frame, an actor's quantity (GDP: most often the cause) before a
// pair's, each in the table's order.
void refuse_non_finite(const ScenarioSpec& spec, const WorldState& state,
                       const Trajectory& recorded) {
  const std::size_t n = spec.actor_count();
  struct Quantity {
    std::string_view name;
    const std::vector<double>& now;     // the state's values: one frame
    const std::vector<double>& frames;  // the recorded frames' ([frame][width])
    std::size_t width;
  };
  std::vector<Quantity> quantities;
  for (const std::size_t rank : {std::size_t{1}, std::size_t{2}})
    for (const RecordedDataset& row : kRecordedDatasets)
      if (row.finite && row.rank == rank) {
        assert(row.axes[0] == Axis::actor && (rank == 1 || row.is_pair()));
        const std::vector<double>& now = state.*row.f64;
        assert(now.size() == (rank == 1 ? n : n * n));
        quantities.push_back({row.name, now, recorded.*row.f64, now.size()});
      }
  auto all_finite = [](const double* values, std::size_t count) {
    return std::all_of(values, values + count, [](double v) { return std::isfinite(v); });
  };
  if (std::all_of(quantities.begin(), quantities.end(),
                  [&](const Quantity& q) { return all_finite(q.now.data(), q.width); }))
    return;
  auto refuse = [&](const Quantity& q, std::size_t k, double value, double time,
                    std::int64_t step) {
    const std::string which = q.width == n
                                  ? spec.actors[k].code
                                  : spec.actors[k / n].code + "," + spec.actors[k % n].code;
    char when[64];
    std::snprintf(when, sizeof when, "%.2f (step %lld)", time, static_cast<long long>(step));
    throw InputError(SourcePosition{spec.source_path, 0, 0}, "",
                     "the run's " + std::string(q.name) + "[" + which + "] is " +
                         (std::isnan(value) ? std::string("NaN")
                          : value > 0       ? "+infinity"
                                            : "-infinity") +
                         " at " + when +
                         ", the first recorded frame that shows a value that is not a number: an "
                         "input is beyond what the model computes (an extreme combination of "
                         "values, or a run so long that a quantity outgrows the largest number); "
                         "no output was written");
  };
  // The frames since the last check were finite up to some frame: the first one that is not,
  // and in it the first quantity, in the order above (as the state would be searched).
  for (std::size_t f = 0; f < recorded.frames(); ++f)
    for (const Quantity& q : quantities)
      for (std::size_t k = 0; k < q.width; ++k)
        if (const double v = q.frames[f * q.width + k]; !std::isfinite(v))
          refuse(q, k, v, recorded.time[f], recorded.step[f]);
  for (const Quantity& q : quantities)  // not recorded: the state's own time
    for (std::size_t k = 0; k < q.width; ++k)
      if (!std::isfinite(q.now[k])) refuse(q, k, q.now[k], state.time, state.step);
}

}  // namespace

RunResult simulate(const ScenarioSpec& spec, std::unique_ptr<Model> model, std::uint64_t seed,
                   const std::atomic<bool>* cancel, std::size_t threads) {
  Simulation sim(spec, std::move(model), seed, threads);
  Trajectory trajectory(spec, sim.model().term_names());
  trajectory.record(sim.state());
  while (!sim.done()) {
    if (cancel && cancel->load(std::memory_order_relaxed)) throw RunCancelled();
    sim.step();
    // 6. record
    trajectory.accumulate(sim.state());
    trajectory.record(sim.state());
  }
  refuse_non_finite(spec, sim.state(), trajectory);
  return RunResult{std::move(trajectory), sim.log()};
}

EventLog simulate_into(const ScenarioSpec& spec, std::unique_ptr<Model> model, std::uint64_t seed,
                       FrameSink& sink, const std::atomic<bool>* cancel, StateObserver* observer,
                       std::size_t threads, std::uint64_t window_bytes) {
  Simulation sim(spec, std::move(model), seed, threads);
  const std::size_t terms = sim.model().term_names().size();
  Trajectory window(spec, sim.model().term_names(),
                    Trajectory::window_frames(spec, terms, window_bytes));
  auto record = [&] {
    if (observer) observer->observe(sim.state());
    if (window.record(sim.state()) && window.full()) {
      refuse_non_finite(spec, sim.state(), window);  // before the sink writes the window
      sink.take(window);
      window.clear();
    }
  };
  record();
  while (!sim.done()) {
    if (cancel && cancel->load(std::memory_order_relaxed)) throw RunCancelled();
    sim.step();
    // 6. record, handing full windows to the sink
    window.accumulate(sim.state());
    record();
  }
  refuse_non_finite(spec, sim.state(), window);
  if (window.frames() > 0) sink.take(window);
  return sim.log();
}

}  // namespace interdep
