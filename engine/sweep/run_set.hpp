// A set of run indices in [0, runs): the runs a sweep already holds (resume) or has found in its
// shards (merge). Kept as bits in blocks of kBlockRuns runs, where a block that holds none or
// all of its runs costs no bits: runs stored in order, as one process stores them, keep the
// set's memory flat (12 bytes a block, about 180 KB at 10^9 runs); runs scattered over the
// whole range (many MPI ranks interrupted at once) cost up to a bit a run, as a bit vector would.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace interdep::sweep {

class RunSet {
 public:
  static constexpr std::size_t kBlockRuns = std::size_t{1} << 16;  // 8 KiB of bits

  explicit RunSet(std::size_t runs);

  std::size_t runs() const { return runs_; }   // the range, [0, runs)
  std::size_t size() const { return count_; }  // runs in the set

  // Adds `run` (< runs()); false if it was there already.
  bool insert(std::size_t run);
  bool contains(std::size_t run) const;  // run < runs(); safe from many threads at once
  // Calls missing(run) for every run of [0, runs()) not in the set, ascending, while it returns
  // true.
  template <class Missing>
  void for_each_missing(Missing&& missing) const {
    for (std::size_t b = 0; b < filled_.size(); ++b) {
      const std::size_t first = b * kBlockRuns, size = block_size(b);
      if (filled_[b] == size) continue;
      for (std::size_t r = first; r < first + size; ++r)
        if ((filled_[b] == 0 || !bit(r)) && !missing(r)) return;
    }
  }
  // Bytes of bits held now (partial blocks only), for tests of its memory.
  std::size_t bit_bytes() const;

 private:
  std::size_t block_size(std::size_t block) const;
  bool bit(std::size_t run) const {
    const std::uint64_t* bits = bits_[run / kBlockRuns].get();
    const std::size_t offset = run % kBlockRuns;
    return (bits[offset / 64] >> (offset % 64)) & 1u;
  }

  std::size_t runs_ = 0, count_ = 0;
  std::vector<std::uint32_t> filled_;                   // runs in the set, per block
  std::vector<std::unique_ptr<std::uint64_t[]>> bits_;  // a partial block's bits; else null
};

}  // namespace interdep::sweep
