// A FrameSink that hands each window to another sink on a thread of its own, so that writing a
// window (and analysing it) overlaps the next steps. The windows reach the other sink in order
// and bit for bit; the simulation waits only when that sink is more than one window behind.
#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "engine/run/frame_sink.hpp"
#include "engine/run/trajectory.hpp"

namespace interdep {

class BackgroundSink final : public FrameSink {
 public:
  // `inner` must outlive this sink; nothing else may use it until wait() returns.
  explicit BackgroundSink(FrameSink& inner);
  // Waits for the thread (the window it is taking, if any; later windows are dropped).
  ~BackgroundSink() override;
  BackgroundSink(const BackgroundSink&) = delete;
  BackgroundSink& operator=(const BackgroundSink&) = delete;

  // Copies the window for the thread. Rethrows what the inner sink threw for an earlier window.
  void take(const Trajectory& window) override;
  // Waits until the inner sink has taken every window; rethrows what it threw.
  void wait();
  // Time the inner sink spent taking windows.
  std::chrono::steady_clock::duration busy() const;

 private:
  void work();

  FrameSink& inner_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Trajectory> pending_, current_;  // handed over; being taken
  bool has_pending_ = false;
  bool closing_ = false;
  std::exception_ptr error_;
  std::chrono::steady_clock::duration busy_{};
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace interdep
