#include "output/hdf5/hdf5_handle.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <limits>
#include <new>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <vector>

#include "engine/files/user_file.hpp"
#include "engine/text/control_chars.hpp"
#include "output/hdf5/read_fault.hpp"

namespace interdep {

namespace fs = std::filesystem;

namespace h5 {

namespace {
// HDF5 closes what is still open when the process exits. A file whose close failed (a full disk)
// stays registered, and closing it again at exit crashes HDF5 1.10 (H5F__close_cb). Every file
// this program writes is closed, or its temporary removed, before exit, so the clean-up is not
// needed: it is switched off before the library's first use (static initialisation, before main).
const herr_t kNoCleanupAtExit = H5dont_atexit();

// HDF5 keeps freed internal blocks on free lists for reuse, by default up to 37 MiB (1 MiB of
// regular, 4 of array, 16 of block and 16 of factory lists). A sweep that writes a shard every
// few seconds saw its memory creep by 2-3 MiB per 100,000 runs that way. Capped at a few MiB in
// all (reg 256/64 KiB, arr 512/128 KiB, blk and fac 1 MiB/256 KiB, global/per list), after
// H5dont_atexit above (the first call initialises the library).
constexpr int kKiB = 1024;
const herr_t kSmallFreeLists =
    H5set_free_list_limits(256 * kKiB, 64 * kKiB, 512 * kKiB, 128 * kKiB, 1024 * kKiB, 256 * kKiB);
}  // namespace

ErrorSilencer::ErrorSilencer() {
  H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

ErrorSilencer::~ErrorSilencer() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }

namespace {
// What a user can act on in the description of a failed system call. HDF5's file drivers describe
// one as "file write failed: time = ..., filename = '...', file descriptor = 3, errno = 27, error
// message = 'File too large', buf = 0x..., total write size = ..., bytes actually written =
// 18446744073709551615, offset = 0", or "unable to extend file properly, errno = 27, error message
// = 'File too large'": the temporary's name, the buffer's address and the sizes mean nothing to
// the user. Kept: what failed (the words before the first ':' or ','), and the system's message
// with the usual cause (files::write_failure). Any other description is returned as it is, on
// one line.
std::string readable_description(std::string desc) {
  std::replace(desc.begin(), desc.end(), '\n', ' ');
  // "truncated file: eof = 1827797, sblock->base_addr = 0, stored_eof = 3655594": what it means.
  constexpr std::string_view kTruncated = "truncated file: eof = ", kStored = "stored_eof = ";
  if (desc.rfind(kTruncated, 0) == 0) {
    const std::size_t stored_at = desc.find(kStored);
    const unsigned long long held = std::strtoull(desc.c_str() + kTruncated.size(), nullptr, 10);
    if (stored_at != std::string::npos) {
      const unsigned long long whole =
          std::strtoull(desc.c_str() + stored_at + kStored.size(), nullptr, 10);
      return "the file is cut short: it holds " + std::to_string(held) + " of its " +
             std::to_string(whole) +
             " bytes, as a copy, a download or a write that did not finish leaves a file; copy "
             "it again, or make it again";
    }
  }
  constexpr std::string_view kErrno = "errno = ";
  const std::size_t errno_at = desc.find(kErrno);
  const std::size_t what_end = desc.find_first_of(":,");
  if (errno_at == std::string::npos || what_end == std::string::npos || what_end > errno_at)
    return desc;
  const int code = std::atoi(desc.c_str() + errno_at + kErrno.size());
  if (code <= 0) return desc;
  return desc.substr(0, what_end) + ": " + files::write_failure(code);
}

// What an HDF5 call's error stack says: each entry's description, from the API call down to where
// it went wrong, and whether that was memory HDF5 could not have (major "Resource unavailable",
// minor "No space available for allocation", or "Can't allocate space" for a memory block: the
// same minor also names file space).
struct ErrorStack {
  std::vector<std::string> messages;
  bool out_of_memory = false;
};

// H5Ewalk2 callback (the entry's depth, the first argument, is not needed: the stack is walked
// in order).
herr_t collect_error(unsigned /*depth*/, const H5E_error2_t* err, void* client) {
  auto* stack = static_cast<ErrorStack*>(client);
  if (err == nullptr) return 0;
  const bool described = err->desc != nullptr && err->desc[0] != '\0';
  if (err->maj_num == H5E_RESOURCE &&
      (err->min_num == H5E_NOSPACE ||
       (err->min_num == H5E_CANTALLOC && described &&
        std::string_view(err->desc).find("memory") != std::string_view::npos)))
    stack->out_of_memory = true;
  if (described) stack->messages.emplace_back(readable_description(err->desc));
  return 0;
}

ErrorStack error_stack() {
  ErrorStack stack;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect_error, &stack);
  return stack;
}

std::string message_of(const std::vector<std::string>& messages) {
  if (messages.empty()) return "HDF5 call failed";
  if (messages.size() == 1 || messages.front() == messages.back()) return messages.front();
  return messages.front() + " (" + messages.back() + ")";
}
}  // namespace

std::string error_message() { return message_of(error_stack().messages); }

void throw_failure(const fs::path& path, std::string_view operation) {
  const ErrorStack stack = error_stack();
  // Not the file's fault: the same call succeeds where more memory is allowed (the commands
  // report std::bad_alloc as "out of memory", not as bad input).
  if (stack.out_of_memory) throw std::bad_alloc();
  throw OutputError(path, std::string(operation), message_of(stack.messages));
}

namespace {
// The kind of value the last failed conversion of this thread met (H5T_CONV_EXCEPT_PRECISION
// when none: precision is the one loss allowed).
thread_local H5T_conv_except_t conversion_fault = H5T_CONV_EXCEPT_PRECISION;

// HDF5 calls this for each value its conversion cannot make exactly; no HDF5 call may be made
// from here (the library is inside a conversion).
H5T_conv_ret_t refuse_lossy_conversion(H5T_conv_except_t kind, hid_t, hid_t, void*, void*, void*) {
  if (kind == H5T_CONV_EXCEPT_PRECISION) return H5T_CONV_UNHANDLED;  // rounding to a double
  conversion_fault = kind;
  return H5T_CONV_ABORT;
}
}  // namespace

hid_t number_transfer() {
  static const hid_t transfer = [] {
    const hid_t plist = H5Pcreate(H5P_DATASET_XFER);
    if (plist >= 0 && H5Pset_type_conv_cb(plist, refuse_lossy_conversion, nullptr) < 0) {
      H5Pclose(plist);
      return hid_t{-1};
    }
    return plist;  // kept for the process's life (HDF5's own clean-up at exit is off)
  }();
  if (transfer < 0) throw std::bad_alloc();  // creating a property list fails only so
  conversion_fault = H5T_CONV_EXCEPT_PRECISION;
  return transfer;
}

void check_number_read(herr_t status, const fs::path& path, std::string_view operation) {
  if (status >= 0) return;
  const H5T_conv_except_t kind = conversion_fault;
  if (kind == H5T_CONV_EXCEPT_PRECISION) throw_failure(path, operation);
  H5Eclear2(H5E_DEFAULT);
  conversion_fault = H5T_CONV_EXCEPT_PRECISION;
  const char* value =
      "a number out of the range its readers expect (too large or small, or an "
      "infinity)";
  switch (kind) {
    case H5T_CONV_EXCEPT_NAN: value = "NaN where whole numbers are expected"; break;
    case H5T_CONV_EXCEPT_PINF:
    case H5T_CONV_EXCEPT_NINF: value = "an infinity where whole numbers are expected"; break;
    case H5T_CONV_EXCEPT_TRUNCATE:
      value =
          "a value that is not a whole number (a fraction or NaN) where whole numbers are "
          "expected";
      break;
    default: break;
  }
  throw OutputError(path, std::string(operation),
                    std::string("holds ") + value + ": a damaged file");
}

hid_t check_id(hid_t id, const fs::path& path, std::string_view operation) {
  if (id < 0) throw_failure(path, operation);
  return id;
}

void check_status(herr_t status, const fs::path& path, std::string_view operation) {
  if (status < 0) throw_failure(path, operation);
}

Handle make(hid_t id, Handle::Closer closer, const fs::path& path, std::string_view operation) {
  return Handle(check_id(id, path, operation), closer);
}

std::string object_name(hid_t obj) {
  char name[256] = {0};
  if (H5Iget_name(obj, name, sizeof name) > 0 && std::strcmp(name, "/") != 0) return name;
  return "";
}

namespace {
// The file access properties every file here is opened or created with: closing the file closes
// whatever is still open in it; the chunk cache asked for.
// A file only read takes the close degree of the file's other opening in this process, if any:
// HDF5 refuses a second opening whose degree differs ("file close degree doesn't match"), and
// h5py opens files with the driver's default (weak), so that a Python session that had a sweep
// open in xarray could not analyse it. Every reader here closes what it opened.
enum class CloseDegree { strong, as_opened };
Handle file_access(ChunkCache cache, const fs::path& path, const std::string& operation,
                   CloseDegree degree = CloseDegree::strong) {
  Handle fapl = make(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, path, operation);
  check_status(H5Pset_fclose_degree(fapl.get(), degree == CloseDegree::strong ? H5F_CLOSE_STRONG
                                                                              : H5F_CLOSE_DEFAULT),
               path, operation);
  // HDF5 has ignored the first, metadata-cache argument since 1.8. Hash slots: a prime (HDF5's
  // advice) well above the chunks that fit. w0 = 1: a chunk read or written whole leaves first.
  if (cache == ChunkCache::small)
    check_status(H5Pset_cache(fapl.get(), 0, 61, kSmallChunkCacheBytes, 1.0), path, operation);
  if (cache == ChunkCache::none)
    check_status(H5Pset_cache(fapl.get(), 0, 1, 0, 1.0), path, operation);
  return fapl;
}

// Creates `file` as every writer here does: links kept in creation order (readers list groups and
// variables as written), and closing the file closes whatever is still open in it. `in_memory`:
// HDF5's core driver without a backing store (grows 1 MiB at a time, never touches the disk).
Handle create_hdf5_file(const std::string& file, bool in_memory, ChunkCache cache,
                        const fs::path& path, const std::string& operation) {
  const Handle fcpl = make(H5Pcreate(H5P_FILE_CREATE), H5Pclose, path, operation);
  check_status(
      H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), path,
      operation);
  const Handle fapl = file_access(cache, path, operation);
  if (in_memory)
    check_status(H5Pset_fapl_core(fapl.get(), std::size_t{1} << 20, 0), path, operation);
  return make(H5Fcreate(file.c_str(), H5F_ACC_EXCL, fcpl.get(), fapl.get()), H5Fclose, path,
              operation);
}
}  // namespace

Handle create_file(const fs::path& file, const fs::path& path, ChunkCache cache) {
  return create_hdf5_file(file.string(), false, cache, path,
                          "create a temporary file in its folder");
}

Handle create_memory_file(const std::string& name, const fs::path& path) {
  return create_hdf5_file(name, true, ChunkCache::library_default, path,
                          "create the file in memory");
}

std::vector<char> file_image(hid_t file, const fs::path& path) {
  const std::string operation = "take the file image";
  check_status(H5Fflush(file, H5F_SCOPE_GLOBAL), path, operation);
  const ssize_t size = H5Fget_file_image(file, nullptr, 0);
  if (size < 0) throw_failure(path, operation);
  std::vector<char> image(static_cast<std::size_t>(size));
  if (H5Fget_file_image(file, image.data(), image.size()) != size) throw_failure(path, operation);
  return image;
}

Handle open_file(const fs::path& file, unsigned flags, const fs::path& path, std::string_view kind,
                 ChunkCache cache) {
  // Before HDF5 looks: it would wait on a FIFO and read a device.
  if (const std::string why = files::not_a_regular_file(file); !why.empty())
    throw OutputError(path, "open", why);
  // A file it may not read or write is not "not HDF5" (H5Fis_hdf5 fails alike on both).
  if (const std::string why = files::cannot_open(file, flags != H5F_ACC_RDONLY); !why.empty())
    throw OutputError(path, "open", why);
  const htri_t is_hdf5 = H5Fis_hdf5(file.c_str());
  if (is_hdf5 < 0 && error_stack().out_of_memory) throw std::bad_alloc();
  if (is_hdf5 <= 0) {
    throw OutputError(path, "open", "not an HDF5 file (hence not " + std::string(kind) + ")");
  }
  const Handle fapl = file_access(
      cache, path, "open", flags == H5F_ACC_RDONLY ? CloseDegree::as_opened : CloseDegree::strong);
  if (flags != H5F_ACC_RDONLY)
    return make(H5Fopen(file.c_str(), flags, fapl.get()), H5Fclose, path, "open");
  // Noted before H5Fopen, which reads the file's superblock and root group.
  note_reading(-1, path);
  const hid_t id = H5Fopen(file.c_str(), flags, fapl.get());
  forget_reading(-1);
  if (id >= 0) note_reading(id, path);
  return make(id, close_read_file, path, "open");
}

void close_file(Handle& file, const fs::path& path, const std::string& what) {
  check_status(file.close(), path, "close " + what);
}

namespace {

// This machine's name as a temporary's name carries it: letters, digits and '.', the rest '_'
// ("" when it has none). The process ids in temporaries' names mean something on it alone.
const std::string& host_tag() {
  static const std::string tag = [] {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return std::string();
    std::string t(name);
    for (char& c : t)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.') c = '_';
    return t;
  }();
  return tag;
}

}  // namespace

namespace {
// ".<name>.tmp-<host>-", the name cut (at a character's start) so that with "<pid>-<counter>"
// the whole stays within the 255 bytes a file name may hold: a legal name of 240 bytes failed
// at its temporary's creation, after the work.
std::string temporary_prefix(const fs::path& path) {
  constexpr std::size_t kLongestName = 255;         // NAME_MAX of Linux's file systems, bytes
  constexpr std::size_t kCounterRoom = 2 * 20 + 1;  // two 64-bit numbers and their dash
  std::string name = path.filename().string();
  const std::size_t room = kLongestName - kCounterRoom - std::string_view(".").size() -
                           std::string_view(".tmp-").size() - host_tag().size() - 1;
  if (name.size() > room) {
    std::size_t cut = room;
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
    name.resize(cut);
  }
  std::string prefix = ".";  // built in steps: GCC 12 warns (-Wrestrict) at "." + s
  prefix.append(name).append(".tmp-");
  if (!host_tag().empty()) prefix.append(host_tag()).append("-");
  return prefix;
}
}  // namespace

fs::path temporary_path(const fs::path& path) {
  static std::atomic<unsigned long> counter{0};
  std::string name = temporary_prefix(path);
  name.append(std::to_string(static_cast<long>(::getpid())))
      .append("-")
      .append(std::to_string(counter.fetch_add(1)));
  return path.parent_path() / name;
}

std::vector<fs::path> remove_stale_temporaries(const fs::path& path) {
  std::vector<fs::path> removed;
  if (host_tag().empty()) return removed;
  const std::string prefix = temporary_prefix(path);
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    // "<pid>-<counter>" after the prefix, both whole numbers.
    const std::string rest = name.substr(prefix.size());
    const auto dash = rest.find('-');
    if (dash == 0 || dash == std::string::npos || dash + 1 == rest.size() ||
        rest.find_first_not_of("0123456789-") != std::string::npos ||
        rest.find('-', dash + 1) != std::string::npos || dash > 9)
      continue;
    const long pid = std::stol(rest.substr(0, dash));
    if (pid <= 0 || pid == static_cast<long>(::getpid())) continue;
    // Gone (ESRCH): no process of that id on this machine, so no one writes the file. Alive or
    // not ours to ask (EPERM): left alone.
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::error_code removal;
    if (it->is_regular_file(removal) && fs::remove(it->path(), removal) && !removal)
      removed.push_back(it->path());
  }
  return removed;
}

void sync_file(const fs::path& file, const fs::path& path) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw OutputError(path, "sync the temporary file", files::write_failure(errno));
  }
  const int status = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (status != 0) {
    throw OutputError(path, "sync the temporary file", files::write_failure(error));
  }
}

namespace {
// Makes the rename durable too (best effort: some file systems refuse to fsync a directory).
void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  static_cast<void>(::fsync(fd));
  ::close(fd);
}
}  // namespace

// The result goes to a symbolic link's target, so that the link stays and its target gets the
// result: rename(2) onto the link replaced the link with a regular file and left its target as
// it was, while the checks before the work had followed it.
ReplacingFile::ReplacingFile(fs::path path, const std::string& operation)
    : path_(std::move(path)), target_(files::link_target(path_)) {
  // The result replaces whatever is at the path: refused now, before the work, unless that is a
  // regular file or nothing (links followed). rename(2) would replace a FIFO or, run by root, a
  // device such as /dev/null with the result, and fails on a directory only at the end.
  if (const std::string why = files::not_an_output_file(path_); !why.empty())
    throw OutputError(path_, operation, why);
  // What an earlier process writing the same output left when it was killed (SIGKILL, a lost
  // session): removed, and said, as no one else will.
  for (const fs::path& stale : remove_stale_temporaries(target_))
    std::cerr << "interdep: note: removed " << stale.string()
              << ", the unfinished output of an earlier interdep process on this machine that "
                 "was stopped before it could remove it\n";
  temp_ = temporary_path(target_);
  note_temporary(temp_);
}

ReplacingFile::~ReplacingFile() {
  forget_temporary(temp_);
  if (committed_) return;
  // Removed when it can be; when it cannot (its folder made read-only while the work ran), said,
  // as the error that follows names the output, not the file left beside it.
  std::error_code ec;
  if (fs::remove(temp_, ec) || !ec || ec == std::errc::no_such_file_or_directory) return;
  std::cerr << "interdep: note: the unfinished output " << temp_.string()
            << " could not be removed (" << ec.message()
            << "): it is left; remove it, or a later interdep writing " << target_.string()
            << " on this machine removes it\n";
}

void ReplacingFile::commit() {
  sync_file(temp_, path_);
  // A deadline or a second signal while the file is put in place: acted on, and said, after it
  // (the file is then complete), not with the temporary removed under the rename.
  const h5::CommitSection put_in_place;
  // A file replaced keeps its permissions: a private result (0600) became readable by all (the
  // temporary's 0666 less the umask). Only the bits: the owner is whoever writes.
  if (struct stat old{}; ::stat(target_.c_str(), &old) == 0 && S_ISREG(old.st_mode))
    static_cast<void>(::chmod(temp_.c_str(), old.st_mode & 07777));
  std::error_code ec;
  fs::rename(temp_, target_, ec);
  if (ec)
    throw OutputError(path_, "rename the temporary file onto it", files::write_failure(ec.value()));
  committed_ = true;
  forget_temporary(temp_);
  sync_directory(target_.parent_path());
}

void atomic_write(const fs::path& path, const std::string& operation,
                  const std::function<void(const fs::path& temp)>& write) {
  ReplacingFile file(path, operation);
  try {
    write(file.temp());
    file.commit();
  } catch (const OutputError&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw;  // the machine's, not the file's: "out of memory"
  } catch (const std::exception& e) {
    throw OutputError(path, operation, e.what());
  }
}

namespace {
constexpr std::size_t kTextBuffer = std::size_t{1} << 20;  // bytes gathered before a write(2)
}  // namespace

TextFileWriter::TextFileWriter(const fs::path& file, const fs::path& path,
                               const std::string& operation)
    : what_(operation), path_(path) {
  fd_ = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd_ < 0) fail(errno);
  buffer_.reserve(kTextBuffer);
}

TextFileWriter::~TextFileWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void TextFileWriter::fail(int error) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  throw OutputError(path_, what_, files::write_failure(error));
}

void TextFileWriter::write_all(std::string_view text) {
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(n < 0 ? errno : ENOSPC);
    done += static_cast<std::size_t>(n);
  }
}

void TextFileWriter::append(std::string_view text) {
  assert(fd_ >= 0);
  if (buffer_.size() + text.size() > kTextBuffer) {
    write_all(buffer_);
    buffer_.clear();
  }
  if (text.size() >= kTextBuffer)
    write_all(text);
  else
    buffer_.append(text);
}

void TextFileWriter::close() {
  assert(fd_ >= 0);
  write_all(buffer_);
  buffer_.clear();
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail(errno);
}

void write_text_file(const fs::path& file, std::string_view text, const fs::path& path,
                     const std::string& operation) {
  TextFileWriter writer(file, path, operation);
  writer.append(text);
  writer.close();
}

void atomic_write_text(const fs::path& path, const std::string& operation, std::string_view text) {
  atomic_write(path, operation,
               [&](const fs::path& temp) { write_text_file(temp, text, path, operation); });
}

Handle string_transfer(std::size_t elements, const fs::path& path, const std::string& operation) {
  Handle dxpl = make(H5Pcreate(H5P_DATASET_XFER), H5Pclose, path, operation);
  const std::size_t bytes =
      std::clamp<std::size_t>(elements * 2 * sizeof(hvl_t), 4096, std::size_t{1} << 20);
  check_status(H5Pset_buffer(dxpl.get(), bytes, nullptr, nullptr), path, operation);
  return dxpl;
}

void check_fits_in_memory(std::size_t count, std::size_t bytes_each, std::string_view what,
                          const fs::path& path, const std::string& operation) {
  const auto pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  const std::size_t memory = pages > 0 && page > 0
                                 ? static_cast<std::size_t>(pages) * static_cast<std::size_t>(page)
                                 : std::size_t{1} << 40;
  if (bytes_each == 0 || count <= memory / bytes_each) return;
  const std::size_t mib = count / (std::size_t{1} << 20);
  throw OutputError(path, operation,
                    "claims " + std::to_string(count) + " " + std::string(what) + " (at least " +
                        std::to_string(mib > std::numeric_limits<std::size_t>::max() / bytes_each
                                           ? std::numeric_limits<std::size_t>::max()
                                           : mib * bytes_each) +
                        " MiB), more than this machine's memory: a damaged file");
}

std::vector<std::string> read_strings(hid_t obj, bool attribute, hid_t file_space, std::size_t n,
                                      const fs::path& path, const std::string& operation) {
  const Handle file_type =
      make(attribute ? H5Aget_type(obj) : H5Dget_type(obj), H5Tclose, path, operation);
  if (H5Tget_class(file_type.get()) != H5T_STRING)
    throw OutputError(path, operation, "not a string");
  std::vector<std::string> out;
  if (n == 0) return out;
  // A damaged dataspace can claim more strings than memory holds.
  const auto reserve = [&](auto& vector, std::size_t bytes_each) {
    check_fits_in_memory(n, bytes_each, "strings", path, operation);
    try {
      vector.reserve(n);
    } catch (const std::bad_alloc&) {
      throw OutputError(path, operation,
                        "claims " + std::to_string(n) +
                            " strings, more than this process can "
                            "hold: a damaged file");
    }
  };
  reserve(out, sizeof(std::string));
  const hsize_t count = n;
  const Handle memory_space = make(H5Screate_simple(1, &count, nullptr), H5Sclose, path, operation);
  auto read = [&](hid_t memory_type, void* buffer) {
    const herr_t status = attribute ? H5Aread(obj, memory_type, buffer)
                                    : H5Dread(obj, memory_type, memory_space.get(), file_space,
                                              string_transfer(n, path, operation).get(), buffer);
    check_status(status, path, operation);
  };
  if (H5Tis_variable_str(file_type.get()) > 0) {
    const Handle memory_type = string_type(path);
    std::vector<char*> pointers;
    reserve(pointers, sizeof(char*));
    pointers.assign(n, nullptr);
    {
      // A damaged global heap can make HDF5 1.10 loop for ever here: 20 s, and a second more per
      // 2,000 strings, far more than a read takes (a sweep's 10^6 messages: about 1 s).
      const ReadDeadline deadline(static_cast<unsigned>(20 + n / 2000));
      read(memory_type.get(), pointers.data());
    }
    for (const char* p : pointers) out.push_back(printable(p != nullptr ? p : ""));
#if H5_VERSION_GE(1, 12, 0)
    H5Treclaim(memory_type.get(), memory_space.get(), H5P_DEFAULT, pointers.data());
#else
    H5Dvlen_reclaim(memory_type.get(), memory_space.get(), H5P_DEFAULT, pointers.data());
#endif
  } else {
    const std::size_t size = H5Tget_size(file_type.get());
    const Handle memory_type = make(H5Tcopy(H5T_C_S1), H5Tclose, path, operation);
    check_status(H5Tset_size(memory_type.get(), size), path, operation);
    // Padded with NULs, not NUL-terminated: a string as long as its type (h5py's numpy bytes)
    // keeps its last character; strnlen below finds the end of a shorter one.
    check_status(H5Tset_strpad(memory_type.get(), H5T_STR_NULLPAD), path, operation);
    std::vector<char> buffer;
    reserve(buffer, size);  // n * size below: at least n
    buffer.resize(n * size);
    read(memory_type.get(), buffer.data());
    for (std::size_t k = 0; k < n; ++k) {
      const char* p = buffer.data() + k * size;
      out.push_back(printable(std::string_view(p, strnlen(p, size))));
    }
  }
  return out;
}

Handle string_type(const fs::path& path) {
  Handle type = make(H5Tcopy(H5T_C_S1), H5Tclose, path, "create string type");
  check_status(H5Tset_size(type.get(), H5T_VARIABLE), path, "create string type");
  check_status(H5Tset_cset(type.get(), H5T_CSET_UTF8), path, "create string type");
  return type;
}

}  // namespace h5

}  // namespace interdep
