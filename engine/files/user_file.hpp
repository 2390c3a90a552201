// The files a user hands in (scenarios and their base chains, sweep, calibration, observation and
// design CSV files, result files to read back), opened safely: only a regular file (symbolic
// links followed) is read. A FIFO would block the reader, /dev/zero would fill the memory, a
// directory reads as an empty file: each is named instead. Text is read whole, up to a cap.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace interdep::files {

// The most a text file (TOML, CSV) a user hands in may hold: 64 MiB, far beyond any scenario,
// sweep, calibration, observed series or design matrix, and small enough to read whole.
inline constexpr std::uintmax_t kMaxTextBytes = std::uintmax_t{64} << 20;

// Why `path` cannot be read as a regular file, as the end of a sentence about it: "does not
// exist", "is a directory, not a regular file", "is a FIFO (named pipe), not a regular file",
// "is a character device, not a regular file", "is a path too long for the system", "holds a
// NUL character", ...; empty when it is a regular file. Nothing is opened: only stat(2) is asked.
std::string not_a_regular_file(const std::filesystem::path& path);

// Why a result cannot be written at `path` (to a temporary name in its folder, then renamed
// over it), as the end of a sentence about the path: "names no file", "is a directory: name a
// file to write", "cannot be written: the folder F does not exist", "is a FIFO (named pipe), not
// a regular file: the result would replace it; ..." (rename(2) would replace a FIFO or, run by
// root, a device such as /dev/null); empty when the result can go there (nothing there yet, or
// a regular file to replace, symbolic links followed). Every writer of results asks this before
// any work: the command line (exit 2), the sweep, the Python module and h5::ReplacingFile.
// A file that is there but write-protected (access(2) refuses writing: not as root) is refused
// too ("is write-protected (mode 0444): it is kept; ...").
std::string not_an_output_file(const std::filesystem::path& path);

// Where a file written at `path` goes: a symbolic link's target (links followed, as many as the
// system follows), `path` itself when it is no link.
std::filesystem::path link_target(const std::filesystem::path& path);

// Why the file at `path` cannot be opened for reading (or reading and writing), as the end of a
// sentence about it ("cannot be read (permission denied)", "cannot be written (permission
// denied)"), or "" when it can.
std::string cannot_open(const std::filesystem::path& path, bool for_writing);

// From this call on (a command line's main), every file read_text_file reads, and every file
// given to note_input, is an input of the process, and not_an_output_file refuses it as an
// output: a result written over a base scenario, a design table or observed figures would
// destroy what the command read. Off unless called (a Python session may rewrite its inputs).
void remember_inputs();
// `path` as an input of the process (when remembered): for inputs not read by read_text_file.
void note_input(const std::filesystem::path& path);

// The files read on this thread (read_text_file, note_input) while it lives: for one call of a
// Python session, which does not remember inputs for the whole process, so that a call that
// writes refuses to write over what it read (interdep.sweep over its own sweep file).
class InputsRead {
 public:
  InputsRead();
  ~InputsRead();
  InputsRead(const InputsRead&) = delete;
  InputsRead& operator=(const InputsRead&) = delete;
  const std::vector<std::filesystem::path>& paths() const { return paths_; }
  void add(const std::filesystem::path& path);
  // As not_an_output_file's refusal of an input ("is a file this command reads: ..."), or "".
  std::string refusal(const std::filesystem::path& output) const;

 private:
  InputsRead* outer_;
  std::vector<std::filesystem::path> paths_;
};

// A file read_text_file refused; reason() ends a sentence about the path, as not_a_regular_file.
class FileRefused : public std::runtime_error {
 public:
  explicit FileRefused(std::string reason)
      : std::runtime_error(reason), reason_(std::move(reason)) {}
  const std::string& reason() const { return reason_; }

 private:
  std::string reason_;
};

// The whole text of the regular file `path`, read only if it holds at most `limit` bytes.
// Throws FileRefused otherwise (not a regular file, larger than the limit, unreadable). Opened
// without blocking and checked again once open (fstat), so that a FIFO put in the file's place
// after the first check is still never read.
std::string read_text_file(const std::filesystem::path& path, std::uintmax_t limit = kMaxTextBytes);

// What a failed system call on a file (write, close, sync, rename, ...) with `error` (an errno)
// means, as the end of a sentence: the system's message, and for a write the system refused for
// want of room, its usual cause: "File too large (the limit on a file's size was reached: see
// `ulimit -f`)", "No space left on device (the disk is full)", "Disk quota exceeded (...)".
std::string write_failure(int error);

// Copies the regular file `from` to `to`, a new file (refused if it exists) with `from`'s
// permission bits: 0, or the errno of what failed. A write that stops short is written on, so
// that a full disk or a file size limit gives ENOSPC or EFBIG, not the EIO that
// std::filesystem::copy_file makes of a short copy.
int copy_file_contents(const std::filesystem::path& from, const std::filesystem::path& to);

// `path` as a message shows it: a NUL as \0, and a path longer than 160 characters cut to its
// first 120, with its length.
std::string shown_path(const std::filesystem::path& path);

// "64 MiB": a limit in bytes as people read it in the messages above.
std::string size_text(std::uintmax_t bytes);

// Whether `a` and `b` name one file: the same file when both exist (links included), else the
// same absolute path once "." and ".." and symbolic links are resolved. An empty path names no
// file, the same as none.
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace interdep::files
