// Threads that share the work of one step in a large world, and any other set of independent
// tasks (a calibration's replicates and restarts, a checks file's runs, explain --measure's
// runs): one pool that joins its threads whatever happens, not a hand-written one at each place.
// A phase splits into parts, each a function of what the phase reads that writes only what is
// its own (a block of actors' rows, a domain's matrices, a run's figures). Which thread runs a part changes nothing in it, so every result is bit for
// bit the same on 1 thread or many (docs/performance.md, "Threads within a run").
//
// The threads start with the pool and wait between phases, spinning a little first (the next
// phase is often a few microseconds away), then asleep. Running a phase allocates nothing
// (tests/test_allocations.cpp). Without pool threads every part runs on the caller, in order.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace interdep {

class StepWorkers {
 public:
  // `threads` >= 1: the caller plus threads - 1 pool threads.
  explicit StepWorkers(std::size_t threads);
  ~StepWorkers();
  StepWorkers(const StepWorkers&) = delete;
  StepWorkers& operator=(const StepWorkers&) = delete;

  std::size_t threads() const { return pool_.size() + 1; }

  // Runs part(k) for k = 0 .. parts-1, spread over the threads (the caller's included), and
  // returns when all are done. The first exception a part throws is rethrown here, after every
  // part has finished.
  template <class Part>
  void run(std::size_t parts, Part& part) {
    if (pool_.empty() || parts <= 1) {
      for (std::size_t k = 0; k < parts; ++k) part(k);
      return;
    }
    dispatch(parts, &part, [](void* context, std::size_t k) { (*static_cast<Part*>(context))(k); });
  }

 private:
  using PartFunction = void (*)(void* context, std::size_t part);
  void dispatch(std::size_t parts, void* context, PartFunction function);
  void work();
  void take_parts(std::uint64_t generation);
  void stop();  // the pool threads end and are joined

  std::vector<std::thread> pool_;
  std::mutex mutex_;
  std::condition_variable wake_;  // a new phase, or stopping
  std::condition_variable done_;  // the phase's last part finished
  // The phase, in one word: its generation, its number of parts and the next part to claim
  // (step_workers.cpp), claimed by compare-and-swap, so that a thread still holding an earlier
  // generation claims nothing. context_ and function_ are written before the phase is published
  // in claim_ (release) and read only by a thread whose claim succeeded (acquire).
  std::atomic<std::uint64_t> claim_{0};
  void* context_ = nullptr;
  PartFunction function_ = nullptr;
  std::atomic<std::size_t> finished_{0};  // parts of this phase done
  std::exception_ptr error_;              // guarded by mutex_
  std::atomic<bool> stopping_{false};
};

}  // namespace interdep
