// HDF5 plumbing shared by every reader and writer of output/ and their tests: RAII handles,
// error capture, files (create, open, atomic replacement), strings and the element types of
// result files. Attributes are in attributes.hpp; datasets, dimension scales and groups in
// datasets.hpp. Not part of the stable interface.
//
// Every function that takes a `path` throws OutputError(path, operation, reason) on failure;
// `path` is the file the user named (the target, not a temporary name), `operation` says what
// was being done ("write attribute /design@units") and the reason is HDF5's own where it has one.
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "output/hdf5/output_error.hpp"

namespace interdep {

namespace h5 {

// Owns one HDF5 identifier and releases it with the matching close function
// (H5Fclose, H5Gclose, H5Dclose, H5Sclose, H5Tclose, H5Aclose, H5Pclose).
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);

  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = -1; }
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = other.id_;
      closer_ = other.closer_;
      other.id_ = -1;
    }
    return *this;
  }
  ~Handle() { reset(); }

  hid_t get() const { return id_; }
  explicit operator bool() const { return id_ >= 0; }

  // Closes now and reports the close function's status (a file's close flushes it).
  herr_t close() {
    herr_t status = 0;
    if (id_ >= 0 && closer_ != nullptr) status = closer_(id_);
    id_ = -1;
    return status;
  }
  void reset() noexcept { static_cast<void>(close()); }

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

// Turns off HDF5's automatic printing of its error stack for its lifetime (failures become
// OutputError instead) and restores the previous handler afterwards.
class ErrorSilencer {
 public:
  ErrorSilencer();
  ~ErrorSilencer();
  ErrorSilencer(const ErrorSilencer&) = delete;
  ErrorSilencer& operator=(const ErrorSilencer&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

// HDF5's description of the error that just happened (outermost and innermost entries of the
// current error stack). Call it right after the failing call, before any other HDF5 call.
std::string error_message();

// Throw OutputError(path, operation, error_message()) when an HDF5 call failed; std::bad_alloc
// when it failed for want of memory (the file is not to blame: not bad input).
hid_t check_id(hid_t id, const std::filesystem::path& path, std::string_view operation);
void check_status(herr_t status, const std::filesystem::path& path, std::string_view operation);
// Wraps a new identifier, throwing OutputError if it is invalid.
Handle make(hid_t id, Handle::Closer closer, const std::filesystem::path& path,
            std::string_view operation);

// Reads of numbers whose conversion must not lose what they are. HDF5 converts a value the
// reader's type cannot hold silently: NaN read as a whole number gives 2^63 or 0, 300 read as a
// byte 255, 2.5 read as a whole number 2. Every numeric read of attributes.hpp and datasets.hpp
// passes number_transfer() (for an attribute, through H5Tconvert), which makes such a conversion
// fail, and check_number_read() then says which kind of value the file held (OutputError
// "... holds NaN where whole numbers are expected: a damaged file"). Losing precision (a large
// integer read as a double) is allowed. number_transfer() also forgets the last failed
// conversion: call it right before each read.
hid_t number_transfer();
void check_number_read(herr_t status, const std::filesystem::path& path,
                       std::string_view operation);

// The detail of the OutputError thrown when a dataset, group or attribute that should be there
// is not. Readers of a particular kind of file pass their own ("missing; not a sweep file or a
// damaged one") to the open and read functions of attributes.hpp and datasets.hpp.
inline constexpr std::string_view kMissing = "missing";

// The HDF5 path of an object ("/design/point"); "" for the root group (so that
// object_name(loc) + "/" + name names a child of any group).
std::string object_name(hid_t obj);

// ------------------------------------------------------------------------------------------
// Files. A file handle closes with H5F_CLOSE_STRONG: every object still open in it is closed
// with it. `path` is the name errors give (the target, when `file` is its temporary name).

// How much of each open dataset's chunks HDF5 keeps in memory: by default up to 1 MiB a dataset,
// held until the dataset closes, so that a file's memory grows with the chunks it touched.
// `small`: 128 KiB a dataset, for a file written in blocks of rows that may end inside a small
// chunk (larger chunks bypass it and must be written whole). `none`: for a file whose chunks
// are each read once.
enum class ChunkCache { library_default, small, none };
inline constexpr std::size_t kSmallChunkCacheBytes = std::size_t{128} << 10;

// Creates `file` (refusing to replace one), tracking and indexing link creation order, as
// netCDF-4 files do. OutputError(path, "create temporary file <name of file>", ...).
Handle create_file(const std::filesystem::path& file, const std::filesystem::path& path,
                   ChunkCache cache = ChunkCache::library_default);

// The same file in memory only (HDF5's core driver without a backing store): nothing is written
// to disk, and file_image gives its bytes. `name` only tells HDF5's open files apart.
Handle create_memory_file(const std::string& name, const std::filesystem::path& path);

// The bytes of an open file as it would be on disk (flushed first): a file image that h5py,
// h5netcdf and HDF5 itself open from memory. OutputError(path, "take the file image", ...).
std::vector<char> file_image(hid_t file, const std::filesystem::path& path);

// Opens an existing HDF5 file with H5F_ACC_RDONLY or H5F_ACC_RDWR. OutputError(path, "open",
// ...) when it does not exist, is a directory, or is not HDF5 ("not an HDF5 file (hence not
// <kind>)", e.g. kind "a sweep file").
Handle open_file(const std::filesystem::path& file, unsigned flags,
                 const std::filesystem::path& path, std::string_view kind,
                 ChunkCache cache = ChunkCache::library_default);

// Closes (and so flushes) a file now; OutputError(path, "close <what>", ...) on failure.
void close_file(Handle& file, const std::filesystem::path& path, const std::string& what);

// A fresh temporary name next to `path` (".<name>.tmp-<host>-<pid>-<counter>"), for atomic
// writes.
std::filesystem::path temporary_path(const std::filesystem::path& path);
// Removes the temporaries of `path` that processes of this machine no longer running left
// (killed before they could remove them), and returns their paths. Another machine's, a live
// process's and anything not named as temporary_path names are left alone.
std::vector<std::filesystem::path> remove_stale_temporaries(const std::filesystem::path& path);
// Forces `file`'s bytes to disk before a rename makes them visible as `path` (errors name `path`).
void sync_file(const std::filesystem::path& file, const std::filesystem::path& path);

// A file being written under a temporary name next to `path` that replaces `path` only when
// commit() succeeds: commit fsyncs it, renames it onto `path` and fsyncs the directory (best
// effort). Destroyed without a commit (an error, a cancelled run), it removes the temporary file
// and `path` is untouched. For writers that keep the file open over a long time (a streamed run);
// atomic_write is the one-call form.
class ReplacingFile {
 public:
  // OutputError(path, operation, ...) when `path` does not name a file, or names something
  // other than a regular file (a directory, a FIFO, a device; symbolic links followed). A
  // symbolic link's target gets the result; the link stays.
  ReplacingFile(std::filesystem::path path, const std::string& operation);
  ~ReplacingFile();
  ReplacingFile(const ReplacingFile&) = delete;
  ReplacingFile& operator=(const ReplacingFile&) = delete;

  const std::filesystem::path& temp() const { return temp_; }
  const std::filesystem::path& path() const { return path_; }
  // The temporary file must be closed. OutputError on failure (the destructor then removes it).
  void commit();

 private:
  std::filesystem::path path_;    // as given: named in messages
  std::filesystem::path target_;  // where the result goes: path_, or its link's target
  std::filesystem::path temp_;
  bool committed_ = false;
};

// Calls write(temp) to produce the complete file under a temporary name next to `path`, then
// fsyncs it, renames it onto `path` and fsyncs the directory (best effort). On any failure the
// temporary file is removed, `path` is untouched and the error is rethrown as OutputError
// (other exceptions are wrapped with `operation`). Used by every writer of result files.
void atomic_write(const std::filesystem::path& path, const std::string& operation,
                  const std::function<void(const std::filesystem::path& temp)>& write);

// Writes `text` into `file` (created, or emptied) with write(2), so that a failure gives the
// system's reason ("File too large", "No space left on device"): OutputError(path, operation
// + " " + file's name, reason). The file may be left partly written: write a temporary.
void write_text_file(const std::filesystem::path& file, std::string_view text,
                     const std::filesystem::path& path, const std::string& operation);

// write_text_file a piece at a time: `file` (created, or emptied) receives what append() is
// given, through a buffer of about 1 MiB, so that a table of any size is written in bounded
// memory. Failures as write_text_file's, from append() or close(); the destructor closes the
// file without reporting (a failed write is thrown away with its temporary file).
class TextFileWriter {
 public:
  TextFileWriter(const std::filesystem::path& file, const std::filesystem::path& path,
                 const std::string& operation);
  ~TextFileWriter();
  TextFileWriter(const TextFileWriter&) = delete;
  TextFileWriter& operator=(const TextFileWriter&) = delete;

  void append(std::string_view text);
  void close();  // writes what is buffered and closes the file

 private:
  [[noreturn]] void fail(int error);
  void write_all(std::string_view text);
  std::string what_;
  std::filesystem::path path_;
  int fd_ = -1;
  std::string buffer_;
};

// atomic_write of a text file: `path` holds `text` whole, or is untouched and no temporary file
// is left.
void atomic_write_text(const std::filesystem::path& path, const std::string& operation,
                       std::string_view text);

// Variable-length UTF-8 string type.
Handle string_type(const std::filesystem::path& path);

// A transfer property list whose type-conversion buffer fits `elements` variable-length strings
// (HDF5 callocs its default 1 MiB for every string read or write otherwise).
Handle string_transfer(std::size_t elements, const std::filesystem::path& path,
                       const std::string& operation);

// OutputError ("claims N values (M MiB), more than this machine's memory: a damaged file") when
// `count` elements of `bytes_each` bytes, as a file's dataspace claims them, cannot fit in this
// machine's physical memory: a damaged file is bad input, not std::bad_alloc (nor an allocation
// the sanitizers refuse before new could throw). `what` names the elements ("strings",
// "values").
void check_fits_in_memory(std::size_t count, std::size_t bytes_each, std::string_view what,
                          const std::filesystem::path& path, const std::string& operation);

// Reads n strings (variable- or fixed-length) from an attribute, or from the selection
// `file_space` of a dataset (H5S_ALL: all of it) into a buffer of n elements. Every string any
// reader takes from a file comes through here, with its control characters but line feed and
// tab written as escapes (\u001B: engine/text/control_chars.hpp): names, labels and texts of a
// file that another program wrote are printed, and must not act on the terminal.
std::vector<std::string> read_strings(hid_t obj, bool attribute, hid_t file_space, std::size_t n,
                                      const std::filesystem::path& path,
                                      const std::string& operation);

// A callback of H5Literate (Info = H5L_info_t) or H5Aiterate2 (Info = H5A_info_t) that appends
// each name to the std::vector<std::string> passed as `names`.
template <class Info>
herr_t append_name(hid_t, const char* name, const Info*, void* names) {
  static_cast<std::vector<std::string>*>(names)->emplace_back(name);
  return 0;
}

// Memory and file types of the numeric element types used in result files.
template <class T>
struct Types;
template <>
struct Types<double> {
  static hid_t memory() { return H5T_NATIVE_DOUBLE; }
  static hid_t file() { return H5T_IEEE_F64LE; }
};
template <>
struct Types<std::int64_t> {
  static hid_t memory() { return H5T_NATIVE_INT64; }
  static hid_t file() { return H5T_STD_I64LE; }
};
template <>
struct Types<std::int32_t> {
  static hid_t memory() { return H5T_NATIVE_INT32; }
  static hid_t file() { return H5T_STD_I32LE; }
};
template <>
struct Types<std::int8_t> {
  static hid_t memory() { return H5T_NATIVE_INT8; }
  static hid_t file() { return H5T_STD_I8LE; }
};
template <>
struct Types<std::uint8_t> {
  static hid_t memory() { return H5T_NATIVE_UINT8; }
  static hid_t file() { return H5T_STD_U8LE; }
};
template <>
struct Types<std::uint64_t> {
  static hid_t memory() { return H5T_NATIVE_UINT64; }
  static hid_t file() { return H5T_STD_U64LE; }
};

}  // namespace h5
}  // namespace interdep
