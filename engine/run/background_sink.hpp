// A FrameSink that hands each window to another sink on a thread of its own, so that writing a
// window (and analysing it) overlaps the next steps. The windows reach the other sink in order
// and bit for bit; the simulation waits only when that sink is more than one window behind.
#pragma once

#include <chrono>

#include "engine/run/frame_sink.hpp"
#include "engine/run/handoff_thread.hpp"
#include "engine/run/trajectory.hpp"

namespace interdep {

class BackgroundSink final : public FrameSink {
 public:
  // `inner` must outlive this sink; nothing else may use it until wait() returns. Destroying
  // the sink waits for the window being taken, if any; later windows are dropped.
  explicit BackgroundSink(FrameSink& inner);

  // Copies the window for the thread. Rethrows what the inner sink threw for an earlier window.
  void take(const Trajectory& window) override;
  // Waits until the inner sink has taken every window; rethrows what it threw.
  void wait() { thread_.wait(); }
  // Time the inner sink spent taking windows.
  std::chrono::steady_clock::duration busy() const { return thread_.busy(); }

 private:
  HandoffThread<Trajectory> thread_;
};

}  // namespace interdep
