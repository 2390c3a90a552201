// In-memory recording of a run: one frame per recorded step of every dataset of the table
// (engine/run/recorded_datasets.hpp), allocated before the step loop so that recording never
// allocates while stepping. What to record comes from RecordSpec, declared apart from the
// model. Writers (output/) turn a Trajectory into a file.
//
// A Trajectory holds either the whole run (capacity frame_count) or a window of the next
// `capacity` frames that a FrameSink (engine/run/frame_sink.hpp) takes and clear() empties, so
// that a streamed run's memory does not grow with its length.
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
  // The same for a streamed run, which holds window_frames frames at a time.
  static std::uint64_t bytes_needed_streamed(const ScenarioSpec& spec, std::size_t terms);
  // Bytes of a run's live state, the model's scratch and the pending contributions: what every
  // run of the world holds, however long and however recorded (it reads only the actors and
  // domains of `spec`).
  static std::uint64_t state_bytes(const ScenarioSpec& spec, std::size_t terms);
  // Number of frames: the initial state plus every `every`-th step plus the last step.
  static std::int64_t frame_count(const ScenarioSpec& spec);
  // Bytes of one frame of every recorded dataset (and its step and time).
  static std::uint64_t frame_bytes(const ScenarioSpec& spec, std::size_t terms);
  // Frames of a streamed run's window, which are also the frames of a run file's chunks: as many
  // as fit in `window_bytes` (at least 1), at most the run's frame_count.
  static constexpr std::uint64_t kWindowBytes = std::uint64_t{4} << 20;
  static std::size_t window_frames(const ScenarioSpec& spec, std::size_t terms,
                                   std::uint64_t window_bytes = kWindowBytes);

  // The whole run. `term_names`: the model's decision terms (Model::term_names), the `term` axis.
  Trajectory(const ScenarioSpec& spec, std::span<const std::string_view> term_names);
  // A window of `capacity` frames (at least 1).
  Trajectory(const ScenarioSpec& spec, std::span<const std::string_view> term_names,
             std::size_t capacity);

  // Adds this step's values of accumulated datasets (the decision-term increments) to their
  // running sums since the last frame.
  void accumulate(const WorldState& state);
  // Records a frame if `state.step` is one to record; returns whether it did. The window must
  // not be full().
  bool record(const WorldState& state);
  // Empties the window after a sink took its frames: the next frame recorded is frame
  // first_frame() + frames() of the run.
  void clear();
  bool full() const { return frames_ == capacity_; }
  // Appends frame `frame` of `from` (a run of the same scenario), growing the capacity: what a
  // digest of a few frames keeps (output/run_file/run_content.hpp).
  void copy_frame(const Trajectory& from, std::size_t frame);

  const Dims& dims() const { return dims_; }
  AxisSizes sizes() const { return sizes_; }
  std::size_t frames() const { return frames_; }  // frames held
  std::size_t capacity() const { return capacity_; }
  // Index in the run of the first frame held (0 unless a window was cleared).
  std::size_t first_frame() const { return first_frame_; }
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
  std::size_t first_frame_ = 0;
  bool with_optional_ = true;
  RecordedArrays pending_;  // accumulated datasets: sums since the last frame (one frame each)
};

}  // namespace interdep
