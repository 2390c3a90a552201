#include "engine/run/step_workers.hpp"

#include <cassert>
#include <utility>

namespace interdep {
namespace {

// How long a waiting thread polls before it sleeps: about 10-40 us of pause instructions, longer
// than the gaps between the phases of a step at a few hundred actors, much shorter than a step.
constexpr int kSpins = 4000;
constexpr std::uint64_t kPartMask = 0xFFFFFFFFull;

inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}

}  // namespace

StepWorkers::StepWorkers(std::size_t threads) {
  assert(threads >= 1);
  pool_.reserve(threads - 1);
  for (std::size_t t = 1; t < threads; ++t) pool_.emplace_back([this] { work(); });
}

StepWorkers::~StepWorkers() {
  {
    std::lock_guard lock(mutex_);
    stopping_.store(true);
  }
  wake_.notify_all();
  for (auto& thread : pool_) thread.join();
}

// Claims and runs parts of phase `generation` until none is left (or a later phase began).
void StepWorkers::take_parts(std::uint64_t generation) {
  for (;;) {
    std::uint64_t claim = claim_.load(std::memory_order_acquire);
    std::size_t parts = 0;
    do {
      if ((claim >> 32) != generation) return;
      parts = parts_.load(std::memory_order_relaxed);
      if ((claim & kPartMask) >= parts) return;
    } while (!claim_.compare_exchange_weak(claim, claim + 1, std::memory_order_acq_rel,
                                           std::memory_order_acquire));
    try {
      function_(context_, static_cast<std::size_t>(claim & kPartMask));
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
    if (finished_.fetch_add(1, std::memory_order_acq_rel) + 1 == parts) {
      std::lock_guard lock(mutex_);  // the caller may be asleep on done_
      done_.notify_all();
    }
  }
}

void StepWorkers::dispatch(std::size_t parts, void* context, PartFunction function) {
  assert(parts <= kPartMask);
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    parts_.store(parts, std::memory_order_relaxed);
    context_ = context;
    function_ = function;
    error_ = nullptr;
    finished_.store(0, std::memory_order_relaxed);
    generation = (claim_.load(std::memory_order_relaxed) >> 32) + 1;
    claim_.store(generation << 32, std::memory_order_release);
  }
  wake_.notify_all();
  take_parts(generation);  // the caller works too
  const auto over = [&] { return finished_.load(std::memory_order_acquire) == parts; };
  for (int spin = 0; spin < kSpins && !over(); ++spin) relax();
  std::unique_lock lock(mutex_);
  done_.wait(lock, over);
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

void StepWorkers::work() {
  std::uint64_t seen = 0;
  for (;;) {
    const auto moved = [&] {
      return stopping_.load(std::memory_order_acquire) ||
             (claim_.load(std::memory_order_acquire) >> 32) != seen;
    };
    for (int spin = 0; spin < kSpins && !moved(); ++spin) relax();
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, moved);
      if (stopping_.load()) return;
      seen = claim_.load(std::memory_order_relaxed) >> 32;
    }
    take_parts(seen);
  }
}

}  // namespace interdep
