// Sweep files: the results of `interdep sweep`, one HDF5 file for thousands of runs, laid out so
// that netCDF-4 readers (xarray with the h5netcdf engine) see named dimensions. Workers produce
// one RunRecord per finished run; the sweep writes them in batches as SHARD files (write_shard)
// into `OUT.h5.parts/`, each atomically, so a killed sweep loses at most the batch in flight and
// `--resume` skips every run held by a complete shard (list_shards, shard_runs). When every run
// is done the shards are merged into OUT.h5 (merge_sweep), streaming shard by shard: memory stays
// bounded whatever the number of runs. docs/output-format.md ("Sweep files") describes the
// layouts.
//
// All functions throw interdep::OutputError (naming the path, the operation and the reason) on
// failure. Every write is atomic: temporary name in the target's directory, fsync, rename(2).
// HDF5 (the Debian build) is not thread-safe: call these from one thread at a time.
//
// Implemented by job: shards.cpp (shards, their index and names), merge.cpp (merge_sweep),
// sweep_reader.cpp (read_sweep, read_summary, read_series, SweepRunReader), analysis_table.cpp (write_analysis,
// read_analysis), on the HDF5 toolkit of output/hdf5.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/sweep/run_record.hpp"
#include "output/hdf5/output_error.hpp"

namespace interdep::sweep {

// Root attribute `conventions` of a merged sweep file and of a shard.
inline constexpr std::string_view kSweepConventions = "interdep-sweep-1";
inline constexpr std::string_view kShardConventions = "interdep-sweep-shard-1";

// Writes a batch atomically (temporary name + fsync + rename) as `path`. The records may come in
// any order; they are stored sorted by run index. Creates the parent directory if needed.
// Throws OutputError (and writes nothing) if a record's index is out of range or repeated in the
// batch, its status is not 1 or 2, or its summary / series has the wrong length.
void write_shard(const std::filesystem::path& path, const SweepLayout& layout,
                 const std::vector<RunRecord>& records);

// Run indices held by a complete shard, ascending; OutputError if unreadable.
std::vector<std::size_t> shard_runs(const std::filesystem::path& shard);

// Run indices (ascending) and their statuses (1 done, 2 failed) held by a complete shard.
struct ShardIndex {
  std::vector<std::size_t> runs;
  std::vector<std::uint8_t> status;
};
ShardIndex shard_index(const std::filesystem::path& shard);
// The failed runs a shard holds, with why each failed ("" when no message was stored), in the
// shard's order; the messages are read only when a run failed.
std::vector<std::pair<std::size_t, std::string>> shard_failures(const std::filesystem::path& shard);

// Throws OutputError naming the shard unless it was written for `layout` (same number of runs,
// outputs, statistics and frame times), e.g. before `--resume` trusts a parts directory.
void check_shard(const std::filesystem::path& shard, const SweepLayout& layout);

// All complete shards in a parts directory (files named shard-*.h5; temporary files ignored),
// sorted by name. A missing directory has no shards.
std::vector<std::filesystem::path> list_shards(const std::filesystem::path& parts_dir);
// The entries of a parts directory named as shards that are no regular file (a directory, a
// FIFO, a link to nothing), sorted by name: list_shards passes them over, and a resume sets them
// aside as damaged shards (a new shard of that name could not be written over a directory).
std::vector<std::filesystem::path> list_shards_not_files(const std::filesystem::path& parts_dir);

// Conventional names: the parts directory of `out` ("OUT.h5.parts") and the file name of the
// `sequence`-th shard of MPI rank `rank` ("shard-r0003-000017.h5"; 0 for a serial sweep).
std::filesystem::path parts_directory(const std::filesystem::path& out);
std::string shard_file_name(std::size_t rank, std::size_t sequence);
// One more than the highest sequence of rank `rank` among the complete shards in `parts_dir` (0
// if none): where a resumed sweep continues, so that no new shard replaces an old one.
std::size_t next_shard_sequence(const std::filesystem::path& parts_dir, std::size_t rank);

// Merges shards into `out` (atomic). Every run 0..runs-1 must appear exactly once across shards,
// else OutputError naming the missing / duplicated run (and nothing is written). Streams shard
// by shard and the design a block of rows at a time: memory holds the shards' run indices and a
// bounded block of runs.
void merge_sweep(const std::filesystem::path& out, const SweepLayout& layout, const SweepMeta& meta,
                 const DesignRows& design, const std::vector<std::filesystem::path>& shards);
// The same with a design table held whole.
void merge_sweep(const std::filesystem::path& out, const SweepLayout& layout, const SweepMeta& meta,
                 const DesignTable& design, const std::vector<std::filesystem::path>& shards);

// Reading a merged sweep file (for `interdep analyze` and `interdep run --from-sweep`).
struct SweepFile {
  SweepLayout layout;
  SweepMeta meta;
  DesignTable design;
  std::vector<std::uint8_t> status;
  std::vector<std::string> message;
};
// Throws OutputError naming `path` when it is missing, not HDF5 or not a sweep file.
SweepFile read_sweep(const std::filesystem::path& path);  // without summary/series
// Its layout and metadata only: `design`, `status` and `message` are left empty (read them with
// a SweepRunReader, a block of runs at a time).
SweepFile read_sweep_head(const std::filesystem::path& path);

// The rows of a block of runs first .. first + runs - 1 of a merged sweep file.
struct SweepRunBlock {
  std::size_t first = 0, runs = 0;
  std::vector<std::int64_t> policy;  // empty without policies
  std::vector<std::int64_t> point, replicate;
  std::vector<std::uint64_t> seed;
  std::vector<double> value;  // [run * parameters + p], natural units (discrete: value index)
  std::vector<std::uint8_t> status;
  std::vector<std::string> message;
  std::vector<double> summary;  // [run * outputs * statistics + output * statistics + statistic]
  std::vector<double> series;   // [(run * times + frame) * outputs + output]; when asked for
};
// Every run's rows of a merged sweep file, a block of block_runs() runs at a time from one open
// file, so that memory does not grow with the number of runs (interdep export). `head` is the
// file's read_sweep_head; with `series`, the blocks carry the series too (OutputError when the
// sweep recorded none). Every dataset's shape is checked against the head when it opens.
class SweepRunReader {
 public:
  SweepRunReader(std::filesystem::path path, const SweepFile& head, bool series);
  ~SweepRunReader();
  SweepRunReader(const SweepRunReader&) = delete;
  SweepRunReader& operator=(const SweepRunReader&) = delete;

  std::size_t block_runs() const { return block_runs_; }
  // Runs first .. min(first + block_runs(), runs) - 1 into `block` (first < runs).
  void read(std::size_t first, SweepRunBlock& block);

 private:
  struct Open;
  std::filesystem::path path_;
  std::size_t runs_, parameters_, policies_, summary_width_, series_width_;
  std::int64_t replicates_;  // the sweep's replicates a point: a run's replicate is below them
  std::size_t block_runs_ = 1;
  std::unique_ptr<Open> open_;
};
// How many runs of a merged sweep failed (kRunFailed), and the first `messages` of them (ascending
// run) with their messages. Reads the statuses a block at a time: memory does not grow with the
// number of runs (what `interdep sweep` reports when it ends).
struct SweepFailures {
  std::size_t failed = 0;
  std::vector<std::size_t> runs;      // the first failed runs, at most `messages`
  std::vector<std::string> messages;  // theirs
};
SweepFailures read_failures(const std::filesystem::path& path, std::size_t messages);
// One value per run: summary[:, output, statistic].
std::vector<double> read_summary(const std::filesystem::path& path, std::size_t output,
                                 std::size_t statistic);
// [frame * outputs + output]; OutputError if the file has no /series.
std::vector<double> read_series(const std::filesystem::path& path, std::size_t run);

// Adds (or replaces) a group /analysis/<name> holding a table: dimension `row` with string
// coordinate `rows` (e.g. parameter keys) and one float64 dataset per column; attributes from
// `attributes` (strings, on the group). An attribute named "<column>.units" or
// "<column>.long_name", for an existing column, sets that column's attribute instead (default
// units "1", long_name the column name). Atomic: copy to a temporary file, modify, fsync, rename.
// `unchanged`, when given, is asked once the file is locked for the analysis: false (the file
// holds other runs than those the table was computed from: a sweep wrote it meanwhile) refuses
// with OutputError, and the file is left as it is (it took a stale table without a word).
void write_analysis(const std::filesystem::path& path, const std::string& name,
                    const std::vector<std::string>& rows,
                    const std::vector<std::pair<std::string, std::vector<double>>>& columns,
                    const std::vector<std::pair<std::string, std::string>>& attributes,
                    const std::function<bool()>& unchanged = {});

// A group written by write_analysis: columns and group attributes in the order written.
struct AnalysisTable {
  std::vector<std::string> rows;
  std::vector<std::pair<std::string, std::vector<double>>> columns;
  std::vector<std::pair<std::string, std::string>> attributes;
};
AnalysisTable read_analysis(const std::filesystem::path& path, const std::string& name);

}  // namespace interdep::sweep
