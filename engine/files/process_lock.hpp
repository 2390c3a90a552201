// A lock a process holds on a path while it works on the files named after it, so that a second
// process started on them (a calibration resumed while it still runs) is refused instead of
// writing beside it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>

namespace interdep::files {

// The process id written in an open lock file, or "" (none yet, or not a number).
std::string lock_file_holder(int fd);

class ProcessLock {
 public:
  // Locks `path` (created if missing, the holder's process id written in it); nullopt when
  // another process holds it, `holder` then set to its process id ("" if unknown). Throws
  // std::system_error when the file cannot be made or locked for another reason.
  static std::optional<ProcessLock> take(const std::filesystem::path& path, std::string& holder);
  // Locks `path`, waiting for the process that holds it to end its work.
  static ProcessLock wait_for(const std::filesystem::path& path);
  ProcessLock(ProcessLock&& other) noexcept;
  ProcessLock& operator=(ProcessLock&& other) noexcept;
  ProcessLock(const ProcessLock&) = delete;
  ProcessLock& operator=(const ProcessLock&) = delete;
  ~ProcessLock();  // removes the file, then releases the lock

 private:
  ProcessLock(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  void release() noexcept;
  static std::optional<ProcessLock> lock(const std::filesystem::path& path, bool wait,
                                         std::string& holder);
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace interdep::files
