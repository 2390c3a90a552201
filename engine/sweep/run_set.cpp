#include "engine/sweep/run_set.hpp"

#include <algorithm>
#include <cassert>

namespace interdep::sweep {

RunSet::RunSet(std::size_t runs)
    : runs_(runs),
      filled_((runs + kBlockRuns - 1) / kBlockRuns, 0),
      bits_((runs + kBlockRuns - 1) / kBlockRuns) {}

std::size_t RunSet::block_size(std::size_t block) const {
  return std::min(kBlockRuns, runs_ - block * kBlockRuns);
}

bool RunSet::contains(std::size_t run) const {
  assert(run < runs_);
  const std::size_t b = run / kBlockRuns;
  if (filled_[b] == 0) return false;
  if (filled_[b] == block_size(b)) return true;
  return bit(run);
}

bool RunSet::insert(std::size_t run) {
  if (contains(run)) return false;
  const std::size_t b = run / kBlockRuns, size = block_size(b);
  if (filled_[b] + 1 == size) {  // the block is full: its bits are no longer needed
    bits_[b].reset();
  } else {
    if (!bits_[b]) bits_[b] = std::make_unique<std::uint64_t[]>(kBlockRuns / 64);  // zeroed
    const std::size_t offset = run % kBlockRuns;
    bits_[b][offset / 64] |= std::uint64_t{1} << (offset % 64);
  }
  ++filled_[b];
  ++count_;
  return true;
}

std::size_t RunSet::bit_bytes() const {
  std::size_t bytes = 0;
  for (const auto& bits : bits_)
    if (bits) bytes += kBlockRuns / 8;
  return bytes;
}

}  // namespace interdep::sweep
