// In-memory recording of a run: one frame per recorded step, allocated in full before the step
// loop so that recording never allocates while stepping. What to record comes from RecordSpec,
// declared apart from the model. Writers (output/) turn a Trajectory into a file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/spec.hpp"
#include "engine/run/state.hpp"

namespace interdep {

class Trajectory {
 public:
  // Bytes a run of `spec` will hold in memory (trajectory plus state), to refuse absurd sizes
  // before allocating anything.
  // `terms`: the model's decision terms (Model::term_names).
  static std::uint64_t bytes_needed(const ScenarioSpec& spec, std::size_t terms);
  // Number of frames: the initial state plus every `every`-th step plus the last step.
  static std::int64_t frame_count(const ScenarioSpec& spec);

  // `term_names`: the model's decision terms (Model::term_names), the `term` axis.
  Trajectory(const ScenarioSpec& spec, std::span<const std::string_view> term_names);

  // Adds this step's decision-term increments to the running sum since the last frame.
  void accumulate(const WorldState& state);
  // Records a frame if `state.step` is one to record.
  void record(const WorldState& state);

  const Dims& dims() const { return dims_; }
  std::size_t corridor_edges() const { return corridor_edges_; }
  std::size_t frames() const { return frames_; }  // frames recorded so far
  bool has_contributions() const { return with_contributions_; }
  const std::vector<std::string>& term_names() const { return term_names_; }

  // FNV-1a hash of every recorded array's bytes: equal hashes mean bit-identical trajectories.
  std::uint64_t fingerprint() const;

  // Frame-major arrays: [frame][...] with the per-frame layout of WorldState.
  std::vector<std::int64_t> step;
  std::vector<double> time;
  std::vector<double> relations;
  std::vector<double> relation_overall;
  std::vector<double> trade;
  std::vector<double> energy;
  std::vector<double> gdp;
  std::vector<double> sensitivity;
  std::vector<double> vulnerability;
  std::vector<double> leverage;
  std::vector<double> barbieri;
  std::vector<double> hirschman;
  std::vector<std::uint8_t> membership;
  std::vector<double> contributions;  // increments summed over the steps since the last frame
  std::vector<std::uint8_t> corridor_open;  // [frame][edge]: corridor edge open (1) or closed (0)

 private:
  Dims dims_;
  std::vector<std::string> term_names_;
  std::size_t corridor_edges_ = 0;
  std::int64_t every_ = 1;
  std::int64_t last_step_ = 0;
  std::size_t capacity_ = 0;
  std::size_t frames_ = 0;
  bool with_contributions_ = true;
  std::vector<double> pending_;  // contributions accumulated since the last frame
};

}  // namespace interdep
