// A path under the system's temporary folder named for this fuzzer process, removed with all it
// holds when the process exits: libFuzzer ends a bounded run (-max_total_time, -runs) with exit(),
// which runs the destructors of static objects, so CI's runs leave nothing in /tmp.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace interdep::fuzz {

class ProcessTemporary {
 public:
  // <tmp>/<stem>-<pid><extension>, not created.
  explicit ProcessTemporary(const std::string& stem, const std::string& extension = "")
      : path_(std::filesystem::temp_directory_path() /
              (stem + "-" + std::to_string(getpid()) + extension)) {}
  ProcessTemporary(const ProcessTemporary&) = delete;
  ProcessTemporary& operator=(const ProcessTemporary&) = delete;
  ~ProcessTemporary() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace interdep::fuzz
