#include "engine/files/process_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <string>
#include <system_error>
#include <utility>

namespace interdep::files {

std::string lock_file_holder(int fd) {
  char text[32] = {};
  const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
  std::string holder(text, n > 0 ? static_cast<std::size_t>(n) : 0);
  while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
  if (holder.find_first_not_of("0123456789") != std::string::npos) return "";
  return holder;
}

std::optional<ProcessLock> ProcessLock::take(const std::filesystem::path& path,
                                             std::string& holder) {
  return lock(path, false, holder);
}

ProcessLock ProcessLock::wait_for(const std::filesystem::path& path) {
  std::string holder;
  std::optional<ProcessLock> held = lock(path, true, holder);
  assert(held.has_value());  // a blocking lock is held or throws
  return std::move(*held);
}

std::optional<ProcessLock> ProcessLock::lock(const std::filesystem::path& path, bool wait,
                                             std::string& holder) {
  // The holder removes the file when it ends: a process that opened it before then locks a file
  // no longer at the path, and opens the path again (a few times at most: each round means
  // another process ended in between).
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "open " + path.string());
    int status = 0;
    do {
      status = ::flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB);
    } while (status != 0 && errno == EINTR && wait);
    if (status != 0) {
      const int error = errno;
      holder = lock_file_holder(fd);
      ::close(fd);
      if (error == EWOULDBLOCK) return std::nullopt;
      throw std::system_error(error, std::generic_category(), "lock " + path.string());
    }
    struct stat held {};
    struct stat now {};
    if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &now) == 0 && held.st_ino == now.st_ino &&
        held.st_dev == now.st_dev) {
      // The holder's id, for a refusal's message only: a disk without room for it (a file size
      // limit of 0) leaves it unknown, and the work then fails where it writes its own files.
      const std::string pid = std::to_string(static_cast<long>(::getpid())) + "\n";
      if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
      return ProcessLock(path, fd);
    }
    ::close(fd);
  }
  throw std::system_error(EAGAIN, std::generic_category(), "lock " + path.string());
}

ProcessLock::ProcessLock(ProcessLock&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

ProcessLock& ProcessLock::operator=(ProcessLock&& other) noexcept {
  if (this != &other) {
    release();
    path_ = std::move(other.path_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

ProcessLock::~ProcessLock() { release(); }

void ProcessLock::release() noexcept {
  if (fd_ < 0) return;
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);  // while still held: no one locks it in between
  ::close(fd_);
  fd_ = -1;
}

}  // namespace interdep::files
