// What the parts of the sweep file share (shards.cpp, merge.cpp, sweep_reader.cpp,
// analysis_table.cpp): chunking and buffer sizes, the layout's widths, opening a shard or a
// merged file and checking its conventions. Private to output/sweep_file.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "output/hdf5/datasets.hpp"
#include "output/hdf5/hdf5_handle.hpp"
#include "output/sweep_file/sweep_file.hpp"

namespace interdep::sweep::detail {

constexpr std::size_t kRunsPerChunk = 4096;
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;    // fits HDF5's default chunk cache
constexpr std::size_t kMaxRunBytes = std::size_t{16} << 20;  // one run's chunk row at most
constexpr std::size_t kBlockBytes = std::size_t{2} << 20;    // merge and read buffer per pass

// Why a dataset, group or attribute a sweep file or shard must have is not there.
constexpr std::string_view kDamaged = "missing; not a sweep file or a damaged one";

inline std::string num(std::size_t n) { return std::to_string(n); }

inline std::size_t summary_width(const SweepLayout& layout) {
  return layout.outputs.size() * layout.statistics.size();
}
inline std::size_t series_width(const SweepLayout& layout) {
  return layout.times.size() * layout.outputs.size();
}

// The largest power of two <= n (1 for n = 0).
inline std::size_t floor_power_of_two(std::size_t n) {
  std::size_t p = 1;
  while (p <= n / 2) p *= 2;
  return p;
}

// Chunk shape along the first (run) axis: whole trailing axes (halved, largest first, while one
// row exceeds kMaxRunBytes), as many rows as fit in kChunkBytes rounded down to a power of two,
// 1 .. kRunsPerChunk (so that the 1-D run variables' chunks of kRunsPerChunk runs are whole
// multiples of it). Empty (a contiguous dataset) when an axis has length 0.
inline std::vector<hsize_t> run_chunk(const std::vector<hsize_t>& shape, std::size_t element) {
  std::vector<hsize_t> chunk = h5::row_chunk(shape, element, kMaxRunBytes);
  if (chunk.empty()) return chunk;
  const std::size_t row_bytes = element * h5::element_count(chunk);  // chunk[0] is 1
  const std::size_t rows = floor_power_of_two(std::min(kChunkBytes / row_bytes, kRunsPerChunk));
  chunk[0] = std::min<hsize_t>(rows, shape[0]);
  return chunk;
}

// Throws OutputError(path, "open", ...) unless the root attribute `conventions` is `expected`;
// `kind` ("a sweep file", "a sweep shard") names what the file should have been.
void check_conventions(hid_t root, const std::filesystem::path& path, std::string_view expected,
                       const char* kind);

// A merged sweep file open for reading, its conventions checked (sweep_reader.cpp).
struct OpenSweep {
  h5::Handle file;
  h5::Handle root;
};
OpenSweep open_sweep(const std::filesystem::path& path);

// Length of the 1-D dataset `name` (a dimension) under `loc`.
std::size_t dimension_length(hid_t loc, const char* name, const std::filesystem::path& path);

// A shard open for reading, with its number of rows (shards.cpp). With a layout, it is checked
// to have been written for it (check_shard); without, only its conventions and /run are.
// `cache`: the merge reads each chunk once (h5::ChunkCache::none).
struct OpenShard {
  h5::Handle file;
  h5::Handle root;
  std::size_t rows = 0;
};
OpenShard open_shard(const std::filesystem::path& shard, const SweepLayout* layout,
                     h5::ChunkCache cache = h5::ChunkCache::library_default);

// Why a shard's row `row` cannot hold `status` (a run is stored done, 1, or failed, 2).
std::string bad_status(std::size_t row, std::uint8_t status);

// The shard's run indices; OutputError unless they are strictly ascending.
std::vector<std::uint64_t> read_shard_runs(const OpenShard& s, const std::filesystem::path& shard);

}  // namespace interdep::sweep::detail
