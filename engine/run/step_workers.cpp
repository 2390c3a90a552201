#include "engine/run/step_workers.hpp"

#include <cassert>
#include <utility>

namespace interdep {
namespace {

// How long a waiting thread polls before it sleeps: about 10-40 us of pause instructions, longer
// than the gaps between the phases of a step at a few hundred actors, much shorter than a step.
constexpr int kSpins = 4000;
// The claim word: generation (bits 40-63, compared for equality only), the phase's number of
// parts (bits 20-39) and the next part to claim (bits 0-19). One word, so that a thread reads a
// phase's size and its next part together, and a claim succeeds only on the word as published.
constexpr unsigned kGenerationShift = 40, kPartsShift = 20;
constexpr std::uint64_t kField = (std::uint64_t{1} << 20) - 1;
constexpr std::uint64_t generation_of(std::uint64_t claim) { return claim >> kGenerationShift; }
constexpr std::uint64_t parts_of(std::uint64_t claim) { return (claim >> kPartsShift) & kField; }
constexpr std::uint64_t next_of(std::uint64_t claim) { return claim & kField; }

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
  try {
    for (std::size_t t = 1; t < threads; ++t) pool_.emplace_back([this] { work(); });
  } catch (...) {
    // A thread the system refuses (its limit on threads or on memory): those started stop and
    // are joined, and the refusal is let through (std::system_error). Left joinable, they ended
    // the process (std::terminate).
    stop();
    throw;
  }
}

StepWorkers::~StepWorkers() { stop(); }

void StepWorkers::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_.store(true);
  }
  wake_.notify_all();
  for (auto& thread : pool_)
    if (thread.joinable()) thread.join();
}

// Claims and runs parts of phase `generation` until none is left (or a later phase began).
void StepWorkers::take_parts(std::uint64_t generation) {
  for (;;) {
    std::uint64_t claim = claim_.load(std::memory_order_acquire);
    do {
      if (generation_of(claim) != generation || next_of(claim) >= parts_of(claim)) return;
    } while (!claim_.compare_exchange_weak(claim, claim + 1, std::memory_order_acq_rel,
                                           std::memory_order_acquire));
    // The claim succeeded on this phase's word: context_ and function_ are this phase's.
    try {
      function_(context_, static_cast<std::size_t>(next_of(claim)));
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
    if (finished_.fetch_add(1, std::memory_order_acq_rel) + 1 == parts_of(claim)) {
      std::lock_guard lock(mutex_);  // the caller may be asleep on done_
      done_.notify_all();
    }
  }
}

void StepWorkers::dispatch(std::size_t parts, void* context, PartFunction function) {
  assert(parts <= kField);
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    context_ = context;
    function_ = function;
    error_ = nullptr;
    finished_.store(0, std::memory_order_relaxed);
    generation = (generation_of(claim_.load(std::memory_order_relaxed)) + 1) &
                 ((std::uint64_t{1} << (64 - kGenerationShift)) - 1);
    claim_.store((generation << kGenerationShift) | (std::uint64_t{parts} << kPartsShift),
                 std::memory_order_release);
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
             generation_of(claim_.load(std::memory_order_acquire)) != seen;
    };
    for (int spin = 0; spin < kSpins && !moved(); ++spin) relax();
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, moved);
      if (stopping_.load()) return;
      seen = generation_of(claim_.load(std::memory_order_relaxed));
    }
    take_parts(seen);
  }
}

}  // namespace interdep
