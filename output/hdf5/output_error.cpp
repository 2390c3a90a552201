// The output layer's error, apart from HDF5 (the browser lab's engine, tools/lab, builds result
// rows without it).
#include "output/hdf5/output_error.hpp"

#include <utility>

namespace interdep {

OutputError::OutputError(std::filesystem::path path, std::string operation, std::string detail)
    : std::runtime_error(path.string() + ": " + operation + ": " + detail),
      path_(std::move(path)),
      operation_(std::move(operation)),
      detail_(std::move(detail)) {}

std::string unfinished_sweep_shard(const std::filesystem::path& shard) {
  // A sweep's parts directory is its output's name with ".parts" (output/sweep_file); the output
  // is named by the path the shard was given by (../out/s.h5, not s.h5: from here, that would
  // start another sweep instead of resuming this one).
  std::error_code ignored;
  const std::filesystem::path given =
      shard.has_parent_path() ? shard : std::filesystem::absolute(shard, ignored);
  const std::filesystem::path parts = given.parent_path();
  const std::string out =
      parts.extension() == ".parts" ? (parts.parent_path() / parts.stem()).string() : "OUT.h5";
  return "this is a shard of a sweep not yet finished (runs it has run so far): `interdep sweep "
         "SWEEP.toml -o " +
         out + " --resume` runs the rest and merges every shard into " + out +
         ", which inspect, export, analyze, discover, score and tools/plot trajectories --sweep "
         "read";
}

}  // namespace interdep
