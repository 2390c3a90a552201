// The sweep runner's store on disk (engine/sweep/runner.hpp, RunStore): batches of finished
// runs become shard files in `OUT.h5.parts/` (each written atomically, so a killed sweep loses
// at most the batch in flight), a resumed sweep skips every run a complete shard holds, and at
// the end the shards are merged into OUT.h5 and the parts directory is removed.
//
// One sweep at a time on a parts directory: prepare() takes flock(2) on `OUT.h5.parts/lock`
// (which holds the taker's process id) and the store keeps it until it is destroyed, merge
// included. A second sweep on the same output, resuming or not, is refused while the first runs
// ("a sweep is running on OUT.h5 (process PID)"); the kernel releases the lock however the first
// ends, kill -9 included, and then --resume continues. Under MPI only rank 0 prepares, so only it
// holds the lock.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engine/sweep/runner.hpp"
#include "output/hdf5/output_error.hpp"

namespace interdep::sweep {

// Why a sweep's merged file cannot be written at `output`, found before any run (it would fail at
// the final rename): files::not_an_output_file's reason after the path ("OUTPUT is a directory:
// name a file to write", "OUTPUT cannot be written: the folder F does not exist", "OUTPUT is a
// FIFO (named pipe), not a regular file: ..."), or "OUTPUT: OUTPUT.parts is in the way (not a
// directory) ..."; "" when nothing is known to stand in the way.
std::string sweep_output_problem(const std::filesystem::path& output);

// A shard the merge could not read (damaged from outside): the store has set it aside as
// SHARD.damaged, so that --resume runs its runs again. path() is the shard.
class DamagedShard : public OutputError {
 public:
  using OutputError::OutputError;
};

class ShardStore final : public RunStore {
 public:
  // `output`: the merged file to write; `rank`: this process's MPI rank (0 without MPI), which
  // names its shards; `resume`: continue the sweep an earlier process left in the parts
  // directory instead of refusing to touch it; `warn`: told, a line at a time, of each damaged
  // shard a resume sets aside (nothing is said if unset).
  ShardStore(std::filesystem::path output, std::size_t rank, bool resume,
             std::function<void(const std::string&)> warn = {});
  ~ShardStore() override;
  ShardStore(const ShardStore&) = delete;
  ShardStore& operator=(const ShardStore&) = delete;

  // Resuming, a shard that cannot be read as one of this sweep's (cut short, overwritten: shards
  // are written atomically, so only damage from outside does this) is renamed SHARD.damaged and
  // its runs are run again: the result is the same, and nothing is deleted.
  void prepare(const SweepSpec& sweep, const std::string& scenario_text,
               const SweepLayout& layout) override;
  // A shard's run indices at a time.
  void visit_stored_runs(const std::function<void(std::size_t, bool)>& run) override;
  std::vector<std::pair<std::size_t, std::string>> stored_failures(std::size_t most) override;
  void store(const SweepLayout& layout, const std::vector<RunRecord>& batch) override;
  // Throws DamagedShard, having set the shard aside, when a shard cannot be read.
  void finish(const SweepLayout& layout, const SweepMeta& meta, const DesignRows& design) override;

  const std::filesystem::path& output() const { return output_; }
  std::filesystem::path parts() const;
  // Whether the parts directory holds anything but its records: a run stored (a shard), or a
  // file a stored run may be in. False when it is missing.
  bool holds_runs() const;
  // The lock file in the parts directory.
  std::filesystem::path lock_file() const;

 private:
  void write_records(const SweepSpec& sweep, const std::string& scenario_text) const;
  void lock_parts(const SweepSpec& sweep);
  void check_parts(const SweepSpec& sweep, const std::string& scenario_text) const;
  // OutputError(parts(), operation) when the parts directory is no longer there.
  void check_parts_there(const std::string& operation) const;
  void set_aside_damaged_shards(const SweepLayout& layout) const;
  // Renames `shard` SHARD.damaged (its name, or OutputError naming `damage` if it cannot be).
  static std::filesystem::path set_aside(const std::filesystem::path& shard,
                                         const std::string& damage);

  std::filesystem::path output_;
  std::size_t rank_ = 0;
  bool resume_ = false;
  std::size_t sequence_ = 0;  // of this rank's next shard
  int lock_ = -1;             // descriptor of the locked lock file, while this store holds it
  std::function<void(const std::string&)> warn_;
};

}  // namespace interdep::sweep
