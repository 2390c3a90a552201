// Values a scenario gives to some ordered pairs of actors (for relations, to some pairs and
// domains), every other pair taking one default: the initial state as the file writes it, in
// memory proportional to the file rather than to N² (`validate` of a large, sparse world stays
// small). A model expands it to a dense array when it starts (dense()).
#pragma once

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <utility>
#include <vector>

namespace interdep {

template <class T>
class PairValues {
 public:
  // (flat index into the dense array, value)
  using Entry = std::pair<std::size_t, T>;

  PairValues() = default;
  // `size` values, all `fallback`, but those of `entries` (any order; of two entries with one
  // index, the later wins).
  PairValues(std::size_t size, T fallback, std::vector<Entry> entries = {})
      : size_(size), fallback_(std::move(fallback)), entries_(std::move(entries)) {
    std::stable_sort(entries_.begin(), entries_.end(),
                     [](const Entry& a, const Entry& b) { return a.first < b.first; });
    // Keep the last of each run of equal indices.
    std::vector<Entry> kept;
    kept.reserve(entries_.size());
    for (std::size_t k = 0; k < entries_.size(); ++k) {
      assert(entries_[k].first < size_);
      if (k + 1 < entries_.size() && entries_[k + 1].first == entries_[k].first) continue;
      kept.push_back(std::move(entries_[k]));
    }
    entries_ = std::move(kept);
  }

  // The length of the dense array.
  std::size_t size() const { return size_; }
  const T& fallback() const { return fallback_; }
  // The values given, one per index, in index order.
  const std::vector<Entry>& entries() const { return entries_; }

  // The value at a flat index (binary search).
  const T& operator[](std::size_t index) const {
    assert(index < size_);
    const auto it = std::lower_bound(entries_.begin(), entries_.end(), index,
                                     [](const Entry& e, std::size_t i) { return e.first < i; });
    return it != entries_.end() && it->first == index ? it->second : fallback_;
  }

  std::vector<T> dense() const {
    std::vector<T> out(size_, fallback_);
    for (const Entry& e : entries_) out[e.first] = e.second;
    return out;
  }

  // Equal as dense arrays (the same values at every index).
  friend bool operator==(const PairValues& a, const PairValues& b) {
    return a.size_ == b.size_ && a.dense() == b.dense();
  }

 private:
  std::size_t size_ = 0;
  T fallback_{};
  std::vector<Entry> entries_;
};

}  // namespace interdep
