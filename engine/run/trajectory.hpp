// In-memory recording of a run: one frame per recorded step of every dataset of the table
// (engine/run/recorded_datasets.hpp), allocated in full before the step loop so that recording
// never allocates while stepping. What to record comes from RecordSpec, declared apart from the
// model. Writers (output/) turn a Trajectory into a file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/run/recorded_datasets.hpp"
#include "engine/run/state.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep {

// The recorded arrays (RecordedArrays members, frame-major: [frame][per-frame layout of the
// state]) plus the frames' steps and times.
class Trajectory : public RecordedArrays {
 public:
  // Bytes a run of `spec` will hold in memory (trajectory plus state), to refuse absurd sizes
  // before allocating anything. `terms`: the model's decision terms (Model::term_names).
  static std::uint64_t bytes_needed(const ScenarioSpec& spec, std::size_t terms);
  // Number of frames: the initial state plus every `every`-th step plus the last step.
  static std::int64_t frame_count(const ScenarioSpec& spec);

  // `term_names`: the model's decision terms (Model::term_names), the `term` axis.
  Trajectory(const ScenarioSpec& spec, std::span<const std::string_view> term_names);

  // Adds this step's values of accumulated datasets (the decision-term increments) to their
  // running sums since the last frame.
  void accumulate(const WorldState& state);
  // Records a frame if `state.step` is one to record.
  void record(const WorldState& state);

  const Dims& dims() const { return dims_; }
  AxisSizes sizes() const { return sizes_; }
  std::size_t frames() const { return frames_; }  // frames recorded so far
  // Whether `row` is recorded in this run (optional datasets only when asked for).
  bool records(const RecordedDataset& row) const { return !row.optional || with_optional_; }
  bool has_contributions() const { return with_optional_; }
  const std::vector<std::string>& term_names() const { return term_names_; }

  // FNV-1a hash of every recorded array's bytes: equal hashes mean bit-identical trajectories.
  std::uint64_t fingerprint() const;

  std::vector<std::int64_t> step;  // [frame]
  std::vector<double> time;        // [frame], decimal year

 private:
  Dims dims_;
  AxisSizes sizes_;
  std::vector<std::string> term_names_;
  std::int64_t every_ = 1;
  std::int64_t last_step_ = 0;
  std::size_t capacity_ = 0;
  std::size_t frames_ = 0;
  bool with_optional_ = true;
  RecordedArrays pending_;  // accumulated datasets: sums since the last frame (one frame each)
};

}  // namespace interdep
