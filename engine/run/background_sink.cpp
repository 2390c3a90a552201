#include "engine/run/background_sink.hpp"

#include <optional>

namespace interdep {

BackgroundSink::BackgroundSink(FrameSink& inner)
    : thread_([&inner](Trajectory& window) { inner.take(window); }) {}

void BackgroundSink::take(const Trajectory& window) {
  thread_.hand([&](std::optional<Trajectory>& slot) {
    // Copy-assigning into the same shape reuses the buffers: no allocation after the first two.
    if (slot)
      *slot = window;
    else
      slot.emplace(window);
  });
}

}  // namespace interdep
