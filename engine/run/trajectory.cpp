#include "engine/run/trajectory.hpp"

#include <algorithm>
#include <cassert>

namespace interdep {
namespace {

Dims dims_of(const ScenarioSpec& spec) {
  return Dims{spec.actor_count(), spec.domain_count(), spec.institution_count()};
}

template <class T>
void append_frame(std::vector<T>& dst, const std::vector<T>& src, std::size_t frame) {
  std::copy(src.begin(), src.end(), dst.begin() + static_cast<std::ptrdiff_t>(frame * src.size()));
}

}  // namespace

std::int64_t Trajectory::frame_count(const ScenarioSpec& spec) {
  const std::int64_t steps = spec.time.steps;
  const std::int64_t every = std::max<std::int64_t>(1, spec.record.every);
  return 1 + steps / every + ((steps % every) != 0 ? 1 : 0);
}

std::uint64_t Trajectory::bytes_needed(const ScenarioSpec& spec, std::size_t terms) {
  const auto n = static_cast<std::uint64_t>(spec.actor_count());
  const auto d = static_cast<std::uint64_t>(spec.domain_count());
  const auto inst = static_cast<std::uint64_t>(spec.institution_count());
  const auto frames = static_cast<std::uint64_t>(frame_count(spec));
  const std::uint64_t contrib = spec.record.contributions ? n * n * d * terms : 0;
  const std::uint64_t per_frame_doubles = 2 + n * n * d + 7 * n * n + 2 * n + contrib;
  const std::uint64_t per_frame_bytes =
      per_frame_doubles * 8 + n * inst + spec.corridor_edges.size();
  // The live state, the model's scratch (a few N*N*D arrays) and the pending contributions.
  const std::uint64_t state_bytes = (n * n * d * (terms * 2 + 8) + 16 * n * n) * 8;
  return frames * per_frame_bytes + state_bytes;
}

Trajectory::Trajectory(const ScenarioSpec& spec, std::span<const std::string_view> term_names)
    : dims_(dims_of(spec)),
      term_names_(term_names.begin(), term_names.end()),
      corridor_edges_(spec.corridor_edges.size()),
      every_(std::max<std::int64_t>(1, spec.record.every)),
      last_step_(spec.time.steps),
      capacity_(static_cast<std::size_t>(frame_count(spec))),
      with_contributions_(spec.record.contributions) {
  const std::size_t f = capacity_, p = dims_.pairs(), r = p * dims_.domains;
  step.assign(f, 0);
  time.assign(f, 0.0);
  relations.assign(f * r, 0.0);
  relation_overall.assign(f * p, 0.0);
  trade.assign(f * p, 0.0);
  energy.assign(f * p, 0.0);
  gdp.assign(f * dims_.actors, 0.0);
  sensitivity.assign(f * p, 0.0);
  vulnerability.assign(f * p, 0.0);
  leverage.assign(f * p, 0.0);
  barbieri.assign(f * p, 0.0);
  hirschman.assign(f * dims_.actors, 0.0);
  membership.assign(f * dims_.actors * dims_.institutions, 0);
  corridor_open.assign(f * corridor_edges_, 0);
  if (with_contributions_) {
    contributions.assign(f * r * term_names_.size(), 0.0);
    pending_.assign(r * term_names_.size(), 0.0);
  }
}

void Trajectory::accumulate(const WorldState& state) {
  if (!with_contributions_) return;
  assert(state.contributions.size() == pending_.size());
  for (std::size_t k = 0; k < pending_.size(); ++k) pending_[k] += state.contributions[k];
}

void Trajectory::record(const WorldState& state) {
  const bool due = state.step == 0 || state.step % every_ == 0 || state.step == last_step_;
  if (!due) return;
  assert(frames_ < capacity_);
  const std::size_t f = frames_++;
  step[f] = state.step;
  time[f] = state.time;
  append_frame(relations, state.relations, f);
  append_frame(relation_overall, state.relation_overall, f);
  append_frame(trade, state.trade, f);
  append_frame(energy, state.energy, f);
  append_frame(gdp, state.gdp, f);
  append_frame(sensitivity, state.sensitivity, f);
  append_frame(vulnerability, state.vulnerability, f);
  append_frame(leverage, state.leverage, f);
  append_frame(barbieri, state.barbieri, f);
  append_frame(hirschman, state.hirschman, f);
  append_frame(membership, state.membership, f);
  assert(state.corridor_open.size() == corridor_edges_);
  append_frame(corridor_open, state.corridor_open, f);
  if (with_contributions_) {
    append_frame(contributions, pending_, f);
    std::fill(pending_.begin(), pending_.end(), 0.0);
  }
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
  mix_frames(relations);
  mix_frames(relation_overall);
  mix_frames(trade);
  mix_frames(energy);
  mix_frames(gdp);
  mix_frames(sensitivity);
  mix_frames(vulnerability);
  mix_frames(leverage);
  mix_frames(barbieri);
  mix_frames(hirschman);
  mix_frames(membership);
  mix_frames(contributions);
  mix_frames(corridor_open);
  return h;
}

}  // namespace interdep
