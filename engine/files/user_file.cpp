#include "engine/files/user_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

namespace interdep::files {
namespace {

constexpr std::size_t kLongestFileName = 255;  // NAME_MAX of Linux's file systems, bytes

// What a stat(2) mode that is not a regular file is.
std::string kind_of(mode_t mode) {
  const char* kind = S_ISDIR(mode)    ? "a directory"
                     : S_ISFIFO(mode) ? "a FIFO (named pipe)"
                     : S_ISCHR(mode)  ? "a character device"
                     : S_ISBLK(mode)  ? "a block device"
                     : S_ISSOCK(mode) ? "a socket"
                                      : nullptr;
  return kind ? "is " + std::string(kind) + ", not a regular file" : "is not a regular file";
}

// Why stat(2) or open(2) failed with `error`, as the end of a sentence about the path.
std::string failure(int error) {
  switch (error) {
    case ENOENT: return "does not exist";
    case ENOTDIR: return "does not exist (a part of its path is not a directory)";
    case ENAMETOOLONG: return "is a path too long for the system";
    case EACCES: return "cannot be read (permission denied)";
    case ELOOP: return "is a loop of symbolic links";
    default: return "cannot be read (" + std::string(std::strerror(error)) + ")";
  }
}

}  // namespace

std::string write_failure(int error) {
  std::string text = std::error_code(error, std::generic_category()).message();
  if (error == EFBIG) text += " (the limit on a file's size was reached: see `ulimit -f`)";
  if (error == ENOSPC) text += " (the disk is full)";
  if (error == EDQUOT) text += " (the disk quota is used up)";
  return text;
}

int copy_file_contents(const std::filesystem::path& from, const std::filesystem::path& to) {
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return errno;
  struct InputDescriptor {
    int fd;
    ~InputDescriptor() { ::close(fd); }
  } close_in{in};
  struct stat status {};
  if (::fstat(in, &status) != 0) return errno;
  const int out =
      ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, status.st_mode & 07777);
  if (out < 0) return errno;
  std::vector<char> buffer(std::size_t{1} << 20);  // 1 MiB a read
  int failure = 0;
  while (failure == 0) {
    const ssize_t got = ::read(in, buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) failure = errno;
    if (got <= 0) break;
    for (ssize_t done = 0; done < got && failure == 0;) {
      const ssize_t put = ::write(out, buffer.data() + done, static_cast<std::size_t>(got - done));
      if (put < 0 && errno != EINTR) failure = errno;
      if (put > 0) done += put;
    }
  }
  if (::close(out) != 0 && failure == 0) failure = errno;
  return failure;
}

namespace {

std::string too_large(std::uintmax_t limit) {
  return "is larger than the " + size_text(limit) + " limit";
}

// Closes the descriptor at scope end.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string not_a_regular_file(const std::filesystem::path& path) {
  const std::string& name = path.native();
  if (name.find('\0') != std::string::npos) return "holds a NUL character";
  if (name.empty()) return "is an empty path";
  struct stat st {};
  if (::stat(name.c_str(), &st) != 0) return failure(errno);
  return S_ISREG(st.st_mode) ? std::string() : kind_of(st.st_mode);
}

std::string cannot_open(const std::filesystem::path& path, bool for_writing) {
  const Descriptor file{
      ::open(path.c_str(), (for_writing ? O_RDWR : O_RDONLY) | O_NONBLOCK | O_CLOEXEC)};
  if (file.fd >= 0) return "";
  const int error = errno;
  if (for_writing && (error == EACCES || error == EROFS || error == ETXTBSY))
    return error == EACCES ? "cannot be written (permission denied)"
                           : "cannot be written (" + std::string(std::strerror(error)) + ")";
  return failure(error);
}

namespace {

// The inputs remember_inputs asks for: guarded, since sweeps read on several threads.
struct Inputs {
  std::mutex mutex;
  bool remembered = false;
  std::vector<std::filesystem::path> paths;
};
Inputs& inputs() {
  static Inputs held;
  return held;
}

}  // namespace

void remember_inputs() {
  const std::lock_guard<std::mutex> lock(inputs().mutex);
  inputs().remembered = true;
}

namespace {
thread_local InputsRead* inputs_read_here = nullptr;  // the innermost scope of this thread
}  // namespace

InputsRead::InputsRead() : outer_(inputs_read_here) { inputs_read_here = this; }
InputsRead::~InputsRead() { inputs_read_here = outer_; }

void InputsRead::add(const std::filesystem::path& path) {
  for (InputsRead* scope = this; scope != nullptr; scope = scope->outer_)
    if (std::find(scope->paths_.begin(), scope->paths_.end(), path) == scope->paths_.end())
      scope->paths_.push_back(path);
}

namespace {
// "is a file this command reads: ..." when `output` is one of `inputs`, else "".
std::string refusal_as_input(const std::filesystem::path& output,
                             const std::vector<std::filesystem::path>& inputs, const char* reader) {
  for (const auto& input : inputs)
    if (same_file(output, input))
      return (input == output ? std::string("is") : "is " + shown_path(input) + ",") +
             " a file this " + reader + " reads: writing it would destroy it; name another file";
  return "";
}
}  // namespace

std::string InputsRead::refusal(const std::filesystem::path& output) const {
  return refusal_as_input(output, paths_, "call");
}

void note_input(const std::filesystem::path& path) {
  if (inputs_read_here != nullptr && !path.empty()) inputs_read_here->add(path);
  Inputs& held = inputs();
  const std::lock_guard<std::mutex> lock(held.mutex);
  if (!held.remembered || path.empty()) return;
  for (const auto& known : held.paths)
    if (known == path) return;  // a base read by every run of a sweep: once
  held.paths.push_back(path);
}

std::filesystem::path link_target(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  constexpr int kMostLinks = 40;  // Linux's MAXSYMLINKS
  fs::path at = path;
  std::error_code ec;
  for (int hop = 0; hop < kMostLinks && fs::is_symlink(fs::symlink_status(at, ec)); ++hop) {
    const fs::path next = fs::read_symlink(at, ec);
    if (ec) break;
    at = next.is_absolute() ? next : at.parent_path() / next;
  }
  return at;
}

std::string not_an_output_file(const std::filesystem::path& path) {
  const std::string& name = path.native();
  if (name.empty()) return "names no file";
  if (name.find('\0') != std::string::npos) return "holds a NUL character";
  // Found before any work: the file's creation would fail only after it.
  if (const std::size_t bytes = path.filename().native().size(); bytes > kLongestFileName)
    return "has a file name of " + std::to_string(bytes) + " bytes, more than the " +
           std::to_string(kLongestFileName) + " a file system allows: name a shorter file";
  {
    Inputs& held = inputs();
    const std::lock_guard<std::mutex> lock(held.mutex);
    if (std::string refused = refusal_as_input(path, held.paths, "command"); !refused.empty())
      return refused;
  }
  struct stat st {};
  const bool there = ::stat(name.c_str(), &st) == 0;  // symbolic links followed
  if (there && S_ISDIR(st.st_mode)) return "is a directory: name a file to write";
  // The folder the result goes to: the link's target's, for a symbolic link (one to a file not
  // there yet gets it; its folder missing failed only at the end, exit 1).
  const std::filesystem::path target = link_target(path);
  const std::string link = target == path ? "" : "is a symbolic link to " + target.string() + ": ";
  // The folder: missing, or not a folder (a folder that cannot be examined, for want of
  // permission, is left to the writer to report).
  if (const std::filesystem::path folder = target.parent_path(); !folder.empty()) {
    struct stat dir {};
    if (::stat(folder.c_str(), &dir) != 0) {
      if (errno == ENOENT || errno == ENOTDIR)
        return link + "cannot be written: the folder " + folder.string() + " does not exist";
    } else if (!S_ISDIR(dir.st_mode)) {
      return link + "cannot be written: " + folder.string() + " is not a folder";
    }
  }
  // A folder this user may not make files in: said before any work (check, score, report and
  // discover found it only at the end).
  if (const std::filesystem::path folder =
          target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
      ::access(folder.c_str(), W_OK | X_OK) != 0 && (errno == EACCES || errno == EROFS)) {
    const bool read_only = errno == EROFS;
    return link + "cannot be written: the folder " +
           (folder == "." ? std::string("here (.)") : folder.string()) +
           (read_only ? " is on a read-only file system"
                      : " does not let this user make files in it");
  }
  if (path.filename().empty()) return "names a folder, not a file";
  if (there && !S_ISREG(st.st_mode))
    return kind_of(st.st_mode) + ": the result would replace it; name a regular file or a new one";
  // A file its owner made read-only is kept: rename(2) replaces it all the same (the folder's
  // permission is what it asks), and a result protected that way was lost without a word.
  if (there && ::access(name.c_str(), W_OK) != 0 && errno == EACCES) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return "is write-protected (mode " + std::string(mode) +
           "): it is kept; make it writable (chmod u+w) to replace it, or name another file";
  }
  return "";
}

std::string read_text_file(const std::filesystem::path& path, std::uintmax_t limit) {
  if (std::string why = not_a_regular_file(path); !why.empty()) throw FileRefused(why);
  // O_NONBLOCK: should a FIFO have taken the file's place since, opening it does not wait for a
  // writer; fstat then refuses it before anything is read.
  const Descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (file.fd < 0) throw FileRefused(failure(errno));
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) throw FileRefused(failure(errno));
  if (!S_ISREG(st.st_mode)) throw FileRefused(kind_of(st.st_mode));
  if (static_cast<std::uintmax_t>(st.st_size) > limit) throw FileRefused(too_large(limit));
  std::string text;
  text.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(file.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw FileRefused(failure(errno));
    if (n == 0) {
      note_input(path);
      return text;
    }
    // The file may grow while it is read: the limit holds for what is read, too.
    if (text.size() + static_cast<std::size_t>(n) > limit) throw FileRefused(too_large(limit));
    text.append(buffer, static_cast<std::size_t>(n));
  }
}

std::string shown_path(const std::filesystem::path& path) {
  const std::string& name = path.native();
  std::string shown;
  for (char c : name.size() > 160 ? name.substr(0, 120) : name) {
    if (c == '\0')
      shown += "\\0";
    else
      shown += c;
  }
  if (name.size() > 160) shown += "... (" + std::to_string(name.size()) + " characters)";
  return shown;
}

std::string size_text(std::uintmax_t bytes) {
  if (bytes % (std::uintmax_t{1} << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes % (std::uintmax_t{1} << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  namespace fs = std::filesystem;
  if (a.empty() || b.empty()) return false;  // names no file (fs::absolute would throw)
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec);
  const fs::path ca = fs::weakly_canonical(fs::absolute(a), ec);
  if (ec) return false;
  const fs::path cb = fs::weakly_canonical(fs::absolute(b), ec);
  return !ec && ca == cb;
}

}  // namespace interdep::files
