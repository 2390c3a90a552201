#include "engine/run/background_sink.hpp"

#include <utility>

namespace interdep {

BackgroundSink::BackgroundSink(FrameSink& inner) : inner_(inner), thread_([this] { work(); }) {}

BackgroundSink::~BackgroundSink() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    has_pending_ = false;  // a window not yet begun is dropped: the run failed or was cancelled
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BackgroundSink::take(const Trajectory& window) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !has_pending_ || error_; });
  if (error_) std::rethrow_exception(error_);
  // Copy-assigning into the same shape reuses the buffers: no allocation after the first two.
  if (pending_)
    *pending_ = window;
  else
    pending_.emplace(window);
  has_pending_ = true;
  lock.unlock();
  changed_.notify_all();
}

void BackgroundSink::wait() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (error_) std::rethrow_exception(error_);
}

std::chrono::steady_clock::duration BackgroundSink::busy() const {
  std::lock_guard lock(mutex_);
  return busy_;
}

void BackgroundSink::work() {
  for (;;) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return has_pending_ || closing_; });
    if (!has_pending_) return;  // closing, and every window taken
    std::swap(pending_, current_);
    has_pending_ = false;
    lock.unlock();
    changed_.notify_all();  // the simulation may hand over the next window
    const auto started = std::chrono::steady_clock::now();
    try {
      inner_.take(*current_);
    } catch (...) {
      lock.lock();
      error_ = std::current_exception();
      has_pending_ = false;
      lock.unlock();
      changed_.notify_all();
      return;
    }
    const auto spent = std::chrono::steady_clock::now() - started;
    lock.lock();
    busy_ += spent;
  }
}

}  // namespace interdep
