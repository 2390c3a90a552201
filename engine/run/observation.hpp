// Observations held against a run (docs/scenario-format.md, [[observations]]): each declared
// series resolved against the recorded-dataset table and its unit, and the simulated counterpart
// of every observed figure, taken from the run's states as they are made (not from the recorded
// frames, so it does not depend on [output] every).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/run/quantity.hpp"
#include "engine/run/recorded_run.hpp"
#include "engine/run/state.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep {

// What follows a run state by state, in the simulation's thread: the initial state, then the
// state after every step (simulate_into).
class StateObserver {
 public:
  virtual ~StateObserver() = default;
  virtual void observe(const WorldState& state) = 0;
};

// One [[observations]] series, resolved.
struct ObservedSeries {
  Quantity quantity;         // what the figures measure
  Quantity reverse;          // pair_total: the other direction (indices swapped)
  double unit_factor = 1.0;  // the observation's unit per the dataset's unit
};

// Resolves every series of spec.observations: its quantity (sweepable dataset, coordinates),
// `aggregate` (pair_total only for actor x partner datasets) and unit (the dataset's, or one of
// the conversions of docs/scenario-format.md). Throws InputError at the series' quantity.
std::vector<ObservedSeries> resolve_observations(const ScenarioSpec& spec);
// The same for any list of series held against a run of `spec` (`interdep score`'s observed
// file): errors name the key `key_prefix.<index>.<field>`, or the field alone when the prefix
// is empty.
std::vector<ObservedSeries> resolve_observations(const std::vector<ObservationSpec>& observations,
                                                 const ScenarioSpec& spec,
                                                 std::string_view key_prefix);

// One observed figure and its simulated counterpart, in the observation's unit.
struct ObservedFigure {
  std::size_t series = 0;  // index in spec.observations
  double date = 0.0;       // decimal year (period year: the calendar year)
  double observed = 0.0;
  double uncertainty = 0.0;
  double simulated = 0.0;  // period point: the state at the step nearest the date; period year:
                           // the mean over the states dated within the year
  std::size_t states = 0;  // states the simulated value is taken from (0: not reached)
  double from = 0.0, to = 0.0;  // times of the first and last of those states, decimal years
};

// The rows of a run file's /observed group: each figure with its series' quantity, period,
// aggregate, unit and source.
std::vector<RunObservation> observation_rows(const ScenarioSpec& spec,
                                             const std::vector<ObservedFigure>& figures);

// A quantity's value in recorded frame `frame`, in the dataset's unit.
using FrameValue = std::function<double(std::size_t frame, const Quantity& quantity)>;

// The simulated counterpart of every figure of `observations` (resolved as `series`), taken
// from recorded frames rather than from the states as they are made: frame f holds the state
// after step frame_steps[f] (ascending). A point takes the recorded frame nearest its date's
// step; a year, the mean over the recorded frames within its 12 months. With every step
// recorded this equals ObservationSampler's figures; with every k-th step, a year averages
// fewer states and a point may be a step or more away (from/to say which). A figure with no
// recorded frame in its window has states == 0 and a NaN simulated value.
std::vector<ObservedFigure> observe_frames(const std::vector<ObservationSpec>& observations,
                                           const std::vector<ObservedSeries>& series,
                                           const TimeSpec& time,
                                           const std::vector<std::int64_t>& frame_steps,
                                           const FrameValue& value);

class ObservationSampler final : public StateObserver {
 public:
  explicit ObservationSampler(const ScenarioSpec& spec);  // resolves (InputError)
  void observe(const WorldState& state) override;
  // Every figure of every series, in file order; a figure whose states the run did not reach
  // (a cancelled run) has states == 0 and a NaN simulated value.
  std::vector<ObservedFigure> figures() const;

 private:
  struct Window {
    std::int64_t first_step = 0, last_step = 0;  // the states it averages, inclusive
    double sum = 0.0;
    std::size_t count = 0;
  };
  std::vector<ObservedSeries> series_;
  std::vector<ObservedFigure> figures_;
  std::vector<Window> windows_;  // one per figure
};

}  // namespace interdep
