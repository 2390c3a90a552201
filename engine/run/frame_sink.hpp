// Where a streamed run's recorded frames go as they are produced (simulate_into,
// engine/run/simulation.hpp): a run-file writer, a digest for the summary, anything that must
// not hold the whole run in memory.
#pragma once

#include "engine/run/trajectory.hpp"

namespace interdep {

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  // The frames window.first_frame() .. + window.frames() of the run, in order; the window is
  // emptied after this returns, so a sink copies what it keeps.
  virtual void take(const Trajectory& window) = 0;
};

}  // namespace interdep
