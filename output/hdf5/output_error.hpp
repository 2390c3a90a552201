// The one error of the output layer: a result file could not be written or read.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace interdep {

// A result file could not be written or read. what() names the path, the operation that
// failed and, for HDF5 failures, HDF5's own description of the error.
class OutputError : public std::runtime_error {
 public:
  OutputError(std::filesystem::path path, std::string operation, std::string detail);

  const std::filesystem::path& path() const { return path_; }
  const std::string& operation() const { return operation_; }
  const std::string& detail() const { return detail_; }

 private:
  std::filesystem::path path_;
  std::string operation_;
  std::string detail_;
};

// What a shard of a sweep not yet merged is (conventions "interdep-sweep-shard-..."), and what
// finishes it: said by each reader that refuses one.
std::string unfinished_sweep_shard(const std::filesystem::path& shard);

}  // namespace interdep
