// The sweep runner's store on disk (engine/sweep/runner.hpp, RunStore): batches of finished
// runs become shard files in `OUT.h5.parts/` (each written atomically, so a killed sweep loses
// at most the batch in flight), a resumed sweep skips every run a complete shard holds, and at
// the end the shards are merged into OUT.h5 and the parts directory is removed.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/sweep/runner.hpp"

namespace interdep::sweep {

class ShardStore final : public RunStore {
 public:
  // `output`: the merged file to write; `rank`: this process's MPI rank (0 without MPI), which
  // names its shards; `resume`: continue the sweep an earlier process left in the parts
  // directory instead of refusing to touch it.
  ShardStore(std::filesystem::path output, std::size_t rank, bool resume);

  void prepare(const SweepSpec& sweep, const std::string& scenario_text) override;
  std::vector<std::size_t> stored_runs() override;
  void store(const SweepLayout& layout, const std::vector<RunRecord>& batch) override;
  void finish(const SweepLayout& layout, const SweepMeta& meta, const DesignRows& design) override;

  const std::filesystem::path& output() const { return output_; }
  std::filesystem::path parts() const;

 private:
  std::filesystem::path output_;
  std::size_t rank_ = 0;
  bool resume_ = false;
  std::size_t sequence_ = 0;  // of this rank's next shard
};

}  // namespace interdep::sweep
