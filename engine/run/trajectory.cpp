#include "engine/run/trajectory.hpp"

#include <algorithm>
#include <cassert>

namespace interdep {
namespace {

template <class T>
void append_frame(std::vector<T>& dst, const std::vector<T>& src, std::size_t frame) {
  assert((frame + 1) * src.size() <= dst.size());
  std::copy(src.begin(), src.end(), dst.begin() + static_cast<std::ptrdiff_t>(frame * src.size()));
}

}  // namespace

std::int64_t Trajectory::frame_count(const ScenarioSpec& spec) {
  const std::int64_t steps = spec.time.steps;
  const std::int64_t every = std::max<std::int64_t>(1, spec.record.every);
  return 1 + steps / every + ((steps % every) != 0 ? 1 : 0);
}

std::uint64_t Trajectory::frame_bytes(const ScenarioSpec& spec, std::size_t terms) {
  const AxisSizes sizes{spec.actor_count(), spec.domain_count(), spec.institution_count(), terms,
                        spec.corridor_edges.size()};
  std::uint64_t bytes = 2 * 8;  // step and time
  for (const RecordedDataset& row : kRecordedDatasets) {
    if (row.optional && !spec.record.contributions) continue;
    bytes += row.frame_size(sizes) * (row.f64 != nullptr ? 8 : 1);
  }
  return bytes;
}

std::size_t Trajectory::window_frames(const ScenarioSpec& spec, std::size_t terms,
                                      std::uint64_t window_bytes) {
  const std::uint64_t fit = window_bytes / std::max<std::uint64_t>(1, frame_bytes(spec, terms));
  const auto frames = static_cast<std::uint64_t>(frame_count(spec));
  return static_cast<std::size_t>(std::clamp<std::uint64_t>(fit, 1, frames));
}

// The live state, the model's scratch (a few N*N*D arrays) and the pending contributions.
std::uint64_t Trajectory::state_bytes(const ScenarioSpec& spec, std::size_t terms) {
  const auto n = static_cast<std::uint64_t>(spec.actor_count());
  const auto d = static_cast<std::uint64_t>(spec.domain_count());
  return (n * n * d * (terms * 2 + 8) + 16 * n * n) * 8;
}

std::uint64_t Trajectory::bytes_needed(const ScenarioSpec& spec, std::size_t terms) {
  const auto frames = static_cast<std::uint64_t>(frame_count(spec));
  return frames * frame_bytes(spec, terms) + state_bytes(spec, terms);
}

std::uint64_t Trajectory::bytes_needed_streamed(const ScenarioSpec& spec, std::size_t terms) {
  // The window, its two copies for the analysing thread (engine/run/background_sink.hpp) and
  // two more for the writing thread (output/run_file/run_stream.hpp), and what the summary keeps
  // (a few frames).
  const std::uint64_t window = window_frames(spec, terms) * frame_bytes(spec, terms);
  return 5 * window + 3 * frame_bytes(spec, terms) + state_bytes(spec, terms);
}

Trajectory::Trajectory(const ScenarioSpec& spec, std::span<const std::string_view> term_names)
    : Trajectory(spec, term_names, static_cast<std::size_t>(frame_count(spec))) {}

Trajectory::Trajectory(const ScenarioSpec& spec, std::span<const std::string_view> term_names,
                       std::size_t capacity)
    : dims_{spec.actor_count(), spec.domain_count(), spec.institution_count()},
      sizes_{spec.actor_count(), spec.domain_count(), spec.institution_count(), term_names.size(),
             spec.corridor_edges.size()},
      term_names_(term_names.begin(), term_names.end()),
      every_(std::max<std::int64_t>(1, spec.record.every)),
      last_step_(spec.time.steps),
      capacity_(capacity),
      with_optional_(spec.record.contributions) {
  step.assign(capacity_, 0);
  time.assign(capacity_, 0.0);
  size_recorded_arrays(*this, sizes_, capacity_, with_optional_);
  // Only accumulated datasets need a running sum, and only when frames span several steps; the
  // others stay empty.
  for (const RecordedDataset& row : kRecordedDatasets)
    if (every_ > 1 && row.recording == Recording::accumulated && records(row) && row.f64 != nullptr)
      (pending_.*row.f64).assign(row.frame_size(sizes_), 0.0);
}

void Trajectory::clear() {
  first_frame_ += frames_;
  frames_ = 0;
}

void Trajectory::copy_frame(const Trajectory& from, std::size_t frame) {
  assert(frame < from.frames_ && from.sizes_.actors == sizes_.actors &&
         from.sizes_.terms == sizes_.terms && from.with_optional_ == with_optional_);
  if (frames_ == capacity_) {
    ++capacity_;
    step.resize(capacity_);
    time.resize(capacity_);
    for (const RecordedDataset& row : kRecordedDatasets) {
      if (!records(row)) continue;
      const std::size_t size = capacity_ * row.frame_size(sizes_);
      if (row.f64 != nullptr) (this->*row.f64).resize(size);
      if (row.u8 != nullptr) (this->*row.u8).resize(size);
    }
  }
  const std::size_t f = frames_++;
  step[f] = from.step[frame];
  time[f] = from.time[frame];
  auto copy = [&](auto& dst, const auto& src, std::size_t per_frame) {
    std::copy_n(src.begin() + static_cast<std::ptrdiff_t>(frame * per_frame), per_frame,
                dst.begin() + static_cast<std::ptrdiff_t>(f * per_frame));
  };
  for (const RecordedDataset& row : kRecordedDatasets) {
    if (!records(row)) continue;
    const std::size_t per_frame = row.frame_size(sizes_);
    if (row.f64 != nullptr) copy(this->*row.f64, from.*row.f64, per_frame);
    if (row.u8 != nullptr) copy(this->*row.u8, from.*row.u8, per_frame);
  }
}

void Trajectory::accumulate(const WorldState& state) {
  // Recording every step, a frame's sum is the step's own increment: record() takes it from
  // the state directly, sparing a pass over the running sums (at 200 actors 16 MB a step).
  if (every_ == 1) return;
  for (const RecordedDataset& row : kRecordedDatasets) {
    if (row.recording != Recording::accumulated || !records(row)) continue;
    assert(row.f64 != nullptr && "accumulated datasets are real-valued");
    std::vector<double>& sum = pending_.*row.f64;
    const std::vector<double>& increment = state.*row.f64;
    assert(increment.size() == sum.size());
    for (std::size_t k = 0; k < sum.size(); ++k) sum[k] += increment[k];
  }
}

bool Trajectory::record(const WorldState& state) {
  const bool due = state.step == 0 || state.step % every_ == 0 || state.step == last_step_;
  if (!due) return false;
  assert(frames_ < capacity_);
  const std::size_t f = frames_++;
  step[f] = state.step;
  time[f] = state.time;
  for (const RecordedDataset& row : kRecordedDatasets) {
    if (!records(row)) continue;
    if (row.u8 != nullptr) {
      append_frame(this->*row.u8, state.*row.u8, f);
    } else if (row.recording == Recording::accumulated && every_ == 1) {
      // The sum since the last frame is this step's increment; 0.0 + x keeps the running sum's
      // bits (it turns -0.0 into +0.0, as the sum did). The initial frame has no increment.
      const std::vector<double>& increment = state.*row.f64;
      std::vector<double>& dst = this->*row.f64;
      const std::size_t size = increment.size();
      assert((f + 1) * size <= dst.size());
      double* out = dst.data() + f * size;
      if (state.step == 0)
        std::fill(out, out + size, 0.0);
      else
        for (std::size_t k = 0; k < size; ++k) out[k] = 0.0 + increment[k];
    } else if (row.recording == Recording::accumulated) {
      std::vector<double>& sum = pending_.*row.f64;
      append_frame(this->*row.f64, sum, f);
      std::fill(sum.begin(), sum.end(), 0.0);
    } else {
      append_frame(this->*row.f64, state.*row.f64, f);
    }
  }
  return true;
}

std::uint64_t Trajectory::fingerprint() const {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a 64-bit offset basis
  auto mix = [&h](const void* data, std::size_t bytes) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t k = 0; k < bytes; ++k) {
      h ^= p[k];
      h *= 1099511628211ull;  // FNV prime
    }
  };
  auto mix_frames = [&](const auto& v) {
    const std::size_t per_frame = capacity_ ? v.size() / capacity_ : 0;
    mix(v.data(), frames_ * per_frame * sizeof(v[0]));
  };
  mix_frames(step);
  mix_frames(time);
  for (const RecordedDataset& row : kRecordedDatasets) {
    if (row.f64 != nullptr) mix_frames(this->*row.f64);
    if (row.u8 != nullptr) mix_frames(this->*row.u8);
  }
  return h;
}

}  // namespace interdep
