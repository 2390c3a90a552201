// A thread of its own that takes items one at a time, in the order they are handed over, through
// a single slot: the hander waits only while the slot is still full, that is when the thread is
// more than one item behind. Both slots are reused, so that items of the same shape are handed
// over without allocating after the first two. What the thread's work throws is rethrown to the
// hander at its next hand() or at wait(); the thread then takes nothing more.
//
// BackgroundSink (a run's windows to their sink while the run goes on) and RunFileSink's writing
// stage (analysed windows to the file while the next is analysed) are both one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace interdep {

template <class Item>
class HandoffThread {
 public:
  // `work` takes one item; it runs on the thread, one item at a time.
  explicit HandoffThread(std::function<void(Item&)> work)
      : work_(std::move(work)), thread_([this] { loop(); }) {}
  // Waits for the item being taken, if any; an item not yet begun is dropped (the producer
  // failed or was cancelled).
  ~HandoffThread() {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
      has_pending_ = false;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  HandoffThread(const HandoffThread&) = delete;
  HandoffThread& operator=(const HandoffThread&) = delete;

  // Once the slot is free, `fill(std::optional<Item>& slot)` puts the next item in it (emplacing
  // it the first times, assigning to it afterwards). Rethrows what the work threw for an earlier
  // item.
  template <class Fill>
  void hand(Fill&& fill) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !has_pending_ || error_; });
    if (error_) std::rethrow_exception(error_);
    fill(pending_);
    has_pending_ = true;
    lock.unlock();
    changed_.notify_all();
  }

  // Waits until every item handed over was taken; rethrows what the work threw.
  void wait() {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (error_) std::rethrow_exception(error_);
  }

  // Time the work took, over every item so far.
  std::chrono::steady_clock::duration busy() const {
    std::lock_guard lock(mutex_);
    return busy_;
  }

 private:
  void loop() {
    for (;;) {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return has_pending_ || closing_; });
      if (!has_pending_) return;  // closing, and every item taken
      std::swap(pending_, current_);
      has_pending_ = false;
      lock.unlock();
      changed_.notify_all();  // the hander may fill the slot again
      const auto started = std::chrono::steady_clock::now();
      try {
        work_(*current_);
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

  std::function<void(Item&)> work_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Item> pending_, current_;  // handed over; being taken
  bool has_pending_ = false;
  bool closing_ = false;
  std::exception_ptr error_;
  std::chrono::steady_clock::duration busy_{};
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace interdep
