#include "output/sweep_file/sweep_file.hpp"

#include "output/hdf5/hdf5_handle.hpp"

#include <fcntl.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <initializer_list>
#include <limits>
#include <list>
#include <numeric>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace interdep::sweep {

namespace fs = std::filesystem;

namespace {

using h5::Handle;

constexpr unsigned kDeflateLevel = 4;       // merged file
constexpr unsigned kShardDeflateLevel = 1;  // shards are temporary: favour speed
constexpr std::size_t kRunsPerChunk = 4096;
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;    // fits HDF5's default chunk cache
constexpr std::size_t kMaxRunBytes = std::size_t{16} << 20;  // one run's chunk row at most
constexpr std::size_t kBlockBytes = std::size_t{16} << 20;   // merge buffer per pass
constexpr std::size_t kOpenShards = 64;                      // shard files open at once in merge
constexpr std::size_t kListedRuns = 10;                      // runs named in an error message
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string num(std::size_t n) { return std::to_string(n); }

std::string shape_text(const std::vector<hsize_t>& shape) {
  std::string s = "[";
  for (std::size_t k = 0; k < shape.size(); ++k) {
    if (k > 0) s += ", ";
    s += std::to_string(shape[k]);
  }
  return s + "]";
}

// "5", "5 and 9", "5, 9 and 12 (and 4 more)".
std::string run_list(const std::vector<std::size_t>& runs, std::size_t total) {
  std::string s;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    if (k > 0) s += k + 1 == runs.size() && total == runs.size() ? " and " : ", ";
    s += num(runs[k]);
  }
  if (total > runs.size()) s += " (and " + num(total - runs.size()) + " more)";
  return s;
}

// ------------------------------------------------------------------------------------------
// Files: temporary names, fsync, atomic replacement.


Handle create_file(const fs::path& temp, const fs::path& path) {
  const std::string operation = "create temporary file " + temp.filename().string();
  const Handle fcpl = h5::make(H5Pcreate(H5P_FILE_CREATE), H5Pclose, path, operation);
  h5::check_status(
      H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), path,
      operation);
  const Handle fapl = h5::make(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, path, operation);
  h5::check_status(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), path, operation);
  return h5::make(H5Fcreate(temp.c_str(), H5F_ACC_EXCL, fcpl.get(), fapl.get()), H5Fclose, path,
                  operation);
}

void close_file(Handle& file, const fs::path& path, const std::string& what) {
  h5::check_status(file.close(), path, "close " + what);
}

// Opens an existing HDF5 file; `kind` names what it should be, for the messages.
Handle open_file(const fs::path& file, unsigned flags, const fs::path& path, const char* kind) {
  std::error_code ec;
  if (!fs::exists(file, ec)) throw OutputError(path, "open", "no such file");
  if (fs::is_directory(file, ec)) throw OutputError(path, "open", "is a directory");
  if (H5Fis_hdf5(file.c_str()) <= 0) {
    throw OutputError(path, "open", std::string("not an HDF5 file (hence not ") + kind + ")");
  }
  const Handle fapl = h5::make(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, path, "open");
  h5::check_status(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), path, "open");
  return h5::make(H5Fopen(file.c_str(), flags, fapl.get()), H5Fclose, path, "open");
}

// ------------------------------------------------------------------------------------------
// Attributes.

std::string object_name(hid_t obj) {
  char name[256] = {0};
  if (H5Iget_name(obj, name, sizeof name) > 0 && std::strcmp(name, "/") != 0) return name;
  return "";
}

std::string attribute_op(const char* what, hid_t obj, const std::string& name) {
  return std::string(what) + " attribute " + object_name(obj) + "@" + name;
}

void write_attribute(hid_t obj, const std::string& name, hid_t file_type, hid_t memory_type,
                     hid_t space, const void* data, const fs::path& path) {
  const std::string operation = attribute_op("write", obj, name);
  if (H5Aexists(obj, name.c_str()) > 0) {
    h5::check_status(H5Adelete(obj, name.c_str()), path, operation);
  }
  const Handle attr =
      h5::make(H5Acreate2(obj, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
               path, operation);
  const char none = 0;  // HDF5 refuses a null buffer even for an empty attribute
  h5::check_status(H5Awrite(attr.get(), memory_type, data != nullptr ? data : &none), path,
                   operation);
}

template <class T>
void number_attribute(hid_t obj, const std::string& name, T value, const fs::path& path) {
  const Handle space =
      h5::make(H5Screate(H5S_SCALAR), H5Sclose, path, attribute_op("write", obj, name));
  write_attribute(obj, name, h5::Types<T>::file(), h5::Types<T>::memory(), space.get(), &value,
                  path);
}

template <class T>
void numbers_attribute(hid_t obj, const std::string& name, const std::vector<T>& values,
                       const fs::path& path) {
  const hsize_t n = values.size();
  const Handle space =
      h5::make(H5Screate_simple(1, &n, nullptr), H5Sclose, path, attribute_op("write", obj, name));
  write_attribute(obj, name, h5::Types<T>::file(), h5::Types<T>::memory(), space.get(),
                  values.data(), path);
}

void string_attribute(hid_t obj, const std::string& name, std::string_view value,
                      const fs::path& path) {
  const std::string operation = attribute_op("write", obj, name);
  const std::string owned(value);
  const char* pointer = owned.c_str();
  const Handle type = h5::string_type(path);
  const Handle space = h5::make(H5Screate(H5S_SCALAR), H5Sclose, path, operation);
  write_attribute(obj, name, type.get(), type.get(), space.get(), &pointer, path);
}

// A 1-D array of strings (netCDF string attribute with several values).
void strings_attribute(hid_t obj, const std::string& name, const std::vector<std::string>& values,
                       const fs::path& path) {
  const std::string operation = attribute_op("write", obj, name);
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& s : values) pointers.push_back(s.c_str());
  const hsize_t n = values.size();
  const Handle type = h5::string_type(path);
  const Handle space = h5::make(H5Screate_simple(1, &n, nullptr), H5Sclose, path, operation);
  write_attribute(obj, name, type.get(), type.get(), space.get(), pointers.data(), path);
}

Handle open_attribute(hid_t obj, const std::string& name, const fs::path& path,
                      const std::string& operation) {
  if (H5Aexists(obj, name.c_str()) <= 0) {
    throw OutputError(path, operation, "missing; not a sweep file or a damaged one");
  }
  return h5::make(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, path, operation);
}

std::size_t attribute_count(hid_t attr, const fs::path& path, const std::string& operation) {
  const Handle space = h5::make(H5Aget_space(attr), H5Sclose, path, operation);
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  h5::check_status(n < 0 ? -1 : 0, path, operation);
  return static_cast<std::size_t>(n);
}

std::vector<std::string> read_strings_attribute(hid_t obj, const std::string& name,
                                                const fs::path& path) {
  const std::string operation = attribute_op("read", obj, name);
  const Handle attr = open_attribute(obj, name, path, operation);
  return h5::read_strings(attr.get(), true, H5S_ALL, attribute_count(attr.get(), path, operation), path,
                      operation);
}

std::string read_string_attribute(hid_t obj, const std::string& name, const fs::path& path) {
  const std::vector<std::string> values = read_strings_attribute(obj, name, path);
  if (values.size() != 1) {
    throw OutputError(path, attribute_op("read", obj, name), "expected a single string");
  }
  return values.front();
}

template <class T>
T read_number_attribute(hid_t obj, const std::string& name, const fs::path& path) {
  const std::string operation = attribute_op("read", obj, name);
  const Handle attr = open_attribute(obj, name, path, operation);
  if (attribute_count(attr.get(), path, operation) != 1) {
    throw OutputError(path, operation, "expected a single value");
  }
  const Handle type = h5::make(H5Aget_type(attr.get()), H5Tclose, path, operation);
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) throw OutputError(path, operation, "not a number");
  T value{};
  h5::check_status(H5Aread(attr.get(), h5::Types<T>::memory(), &value), path, operation);
  return value;
}

// The file's conventions attribute must be `expected`.
void check_conventions(hid_t root, const fs::path& path, std::string_view expected,
                       const char* kind) {
  std::string found;
  if (H5Aexists(root, "conventions") > 0) found = read_string_attribute(root, "conventions", path);
  if (found == expected) return;
  std::string detail = std::string("not ") + kind + " (root attribute conventions is ";
  detail += found.empty() ? std::string("missing") : "\"" + found + "\"";
  detail += ", expected \"" + std::string(expected) + "\")";
  if (found == "interdep-1") detail += "; it is the result of a single run";
  throw OutputError(path, "open", detail);
}

// ------------------------------------------------------------------------------------------
// Datasets.

struct Describe {
  const char* units;
  const char* long_name;
};

// The largest power of two <= n (1 for n = 0).
std::size_t floor_power_of_two(std::size_t n) {
  std::size_t p = 1;
  while (p <= n / 2) p *= 2;
  return p;
}

// Chunk shape along the first (run) axis: whole trailing axes (halved, largest first, while one
// row exceeds kMaxRunBytes), as many rows as fit in kChunkBytes rounded down to a power of two,
// 1 .. kRunsPerChunk (so that the 1-D run variables' chunks of kRunsPerChunk runs are whole
// multiples of it). Empty (a contiguous dataset) when an axis has length 0.
std::vector<hsize_t> run_chunk(const std::vector<hsize_t>& shape, std::size_t element) {
  if (std::find(shape.begin(), shape.end(), hsize_t{0}) != shape.end()) return {};
  std::vector<hsize_t> chunk = shape;
  auto row_bytes = [&] {
    std::size_t b = element;
    for (std::size_t k = 1; k < chunk.size(); ++k) b *= static_cast<std::size_t>(chunk[k]);
    return b;
  };
  while (chunk.size() > 1 && row_bytes() > kMaxRunBytes) {
    const auto largest = std::max_element(chunk.begin() + 1, chunk.end());
    if (*largest <= 1) break;
    *largest = (*largest + 1) / 2;
  }
  const std::size_t rows = floor_power_of_two(std::min(kChunkBytes / row_bytes(), kRunsPerChunk));
  chunk[0] = std::min<hsize_t>(rows, shape[0]);
  return chunk;
}

class Dataset {
 public:
  Dataset() = default;
  Dataset(Handle handle, std::string name) : handle_(std::move(handle)), name_(std::move(name)) {}

  hid_t get() const { return handle_.get(); }
  const std::string& name() const { return name_; }

 private:
  Handle handle_;
  std::string name_;  // full path, for messages
};

// A new dataset of `shape`; chunked (with shuffle + deflate at `deflate`, if not 0) when `chunk`
// is not empty. Gets units and long_name.
Dataset create_dataset(hid_t loc, const std::string& name, hid_t file_type,
                       const std::vector<hsize_t>& shape, const std::vector<hsize_t>& chunk,
                       unsigned deflate, Describe what, const fs::path& path) {
  const std::string full = object_name(loc) + "/" + name;
  const std::string operation = "create dataset " + full;
  const Handle space =
      h5::make(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose,
               path, operation);
  const Handle dcpl = h5::make(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, path, operation);
  if (!chunk.empty()) {
    h5::check_status(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), path,
                     operation);
    if (deflate > 0 && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
      h5::check_status(H5Pset_shuffle(dcpl.get()), path, operation);
      h5::check_status(H5Pset_deflate(dcpl.get(), deflate), path, operation);
    }
  }
  Handle ds = h5::make(
      H5Dcreate2(loc, name.c_str(), file_type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
      H5Dclose, path, operation);
  string_attribute(ds.get(), "units", what.units, path);
  string_attribute(ds.get(), "long_name", what.long_name, path);
  return Dataset(std::move(ds), full);
}

Dataset open_dataset(hid_t loc, const std::string& name, const fs::path& path) {
  const std::string full = object_name(loc) + "/" + name;
  if (H5Lexists(loc, name.c_str(), H5P_DEFAULT) <= 0) {
    throw OutputError(path, "open dataset " + full, "missing; not a sweep file or a damaged one");
  }
  return Dataset(
      h5::make(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), H5Dclose, path, "open dataset " + full),
      full);
}

std::vector<hsize_t> shape_of(const Dataset& ds, const fs::path& path) {
  const std::string operation = "open dataset " + ds.name();
  const Handle space = h5::make(H5Dget_space(ds.get()), H5Sclose, path, operation);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  h5::check_status(rank, path, operation);
  std::vector<hsize_t> shape(static_cast<std::size_t>(rank));
  h5::check_status(H5Sget_simple_extent_dims(space.get(), shape.data(), nullptr), path, operation);
  return shape;
}

void require_shape(const Dataset& ds, const std::vector<hsize_t>& expected, const fs::path& path) {
  const std::vector<hsize_t> shape = shape_of(ds, path);
  if (shape != expected) {
    throw OutputError(path, "open dataset " + ds.name(),
                      "has shape " + shape_text(shape) + ", expected " + shape_text(expected));
  }
}

std::size_t length_of(const Dataset& ds, const fs::path& path) {
  const std::vector<hsize_t> shape = shape_of(ds, path);
  if (shape.size() != 1) {
    throw OutputError(path, "open dataset " + ds.name(),
                      "expected a 1-D dataset, found shape " + shape_text(shape));
  }
  return static_cast<std::size_t>(shape[0]);
}

// The selection start[k] .. start[k] + count[k] of a dataset's space.
Handle select(const Dataset& ds, const std::vector<hsize_t>& start,
              const std::vector<hsize_t>& count, const fs::path& path,
              const std::string& operation) {
  Handle space = h5::make(H5Dget_space(ds.get()), H5Sclose, path, operation);
  h5::check_status(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr,
                                       count.data(), nullptr),
                   path, operation);
  return space;
}

// Rows first .. first + rows of a dataset whose trailing axes are read or written whole.
std::pair<std::vector<hsize_t>, std::vector<hsize_t>> row_block(const Dataset& ds,
                                                                std::size_t first, std::size_t rows,
                                                                const fs::path& path) {
  std::vector<hsize_t> count = shape_of(ds, path);
  std::vector<hsize_t> start(count.size(), 0);
  start.at(0) = first;
  count.at(0) = rows;
  return {start, count};
}

// The file selection and matching memory space of rows [first, first + rows) of `ds`; no
// handles when the block holds no element.
struct RowSpaces {
  Handle file, memory;
  bool empty() const { return !file; }
};
RowSpaces row_spaces(const Dataset& ds, std::size_t first, std::size_t rows, const fs::path& path,
                     const std::string& operation) {
  const auto [start, count] = row_block(ds, first, rows, path);
  hsize_t n = 1;
  for (hsize_t c : count) n *= c;
  if (n == 0) return {};
  return {select(ds, start, count, path, operation),
          h5::make(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr),
                   H5Sclose, path, operation)};
}

template <class T>
void write_rows(const Dataset& ds, std::size_t first, std::size_t rows, const T* data,
                const fs::path& path) {
  const std::string operation = "write dataset " + ds.name();
  const RowSpaces spaces = row_spaces(ds, first, rows, path, operation);
  if (spaces.empty()) return;
  h5::check_status(H5Dwrite(ds.get(), h5::Types<T>::memory(), spaces.memory.get(),
                            spaces.file.get(), H5P_DEFAULT, data),
                   path, operation);
}

template <class T>
void write_all(const Dataset& ds, const std::vector<T>& values, const fs::path& path) {
  if (!values.empty())
    write_rows(ds, 0, static_cast<std::size_t>(shape_of(ds, path).at(0)), values.data(), path);
}

template <class T>
void read_rows(const Dataset& ds, std::size_t first, std::size_t rows, T* data,
               const fs::path& path) {
  const std::string operation = "read dataset " + ds.name();
  const RowSpaces spaces = row_spaces(ds, first, rows, path, operation);
  if (spaces.empty()) return;
  h5::check_status(H5Dread(ds.get(), h5::Types<T>::memory(), spaces.memory.get(),
                           spaces.file.get(), H5P_DEFAULT, data),
                   path, operation);
}

// A whole numeric dataset of the expected shape.
template <class T>
std::vector<T> read_all(hid_t loc, const std::string& name, const std::vector<hsize_t>& expected,
                        const fs::path& path) {
  const Dataset ds = open_dataset(loc, name, path);
  require_shape(ds, expected, path);
  const Handle type = h5::make(H5Dget_type(ds.get()), H5Tclose, path, "read dataset " + ds.name());
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) {
    throw OutputError(path, "read dataset " + ds.name(), "not a numeric dataset");
  }
  std::size_t n = 1;
  for (hsize_t e : expected) n *= static_cast<std::size_t>(e);
  std::vector<T> values(n);
  if (n > 0) read_rows(ds, 0, static_cast<std::size_t>(expected.at(0)), values.data(), path);
  return values;
}

// With `null_for_empty`, an empty string is written as a null string: no object in the file's
// global heap (the HDF5 default of a string never written; read back as "").
void write_string_rows(const Dataset& ds, std::size_t first, const std::vector<std::string>& values,
                       std::size_t rows, const fs::path& path, bool null_for_empty = false) {
  if (rows == 0) return;
  const std::string operation = "write dataset " + ds.name();
  std::vector<const char*> pointers(rows);
  for (std::size_t k = 0; k < rows; ++k) {
    pointers[k] = null_for_empty && values[k].empty() ? nullptr : values[k].c_str();
  }
  const hsize_t start = first, count = rows;
  const Handle file_space = select(ds, {start}, {count}, path, operation);
  const Handle memory_space =
      h5::make(H5Screate_simple(1, &count, nullptr), H5Sclose, path, operation);
  const Handle type = h5::string_type(path);
  h5::check_status(H5Dwrite(ds.get(), type.get(), memory_space.get(), file_space.get(),
                            h5::string_transfer(rows, path, operation).get(), pointers.data()),
                   path, operation);
}

std::vector<std::string> read_string_rows(const Dataset& ds, std::size_t first, std::size_t rows,
                                          const fs::path& path) {
  const std::string operation = "read dataset " + ds.name();
  if (rows == 0) return {};
  const hsize_t start = first, count = rows;
  const Handle file_space = select(ds, {start}, {count}, path, operation);
  return h5::read_strings(ds.get(), false, file_space.get(), rows, path, operation);
}

// The strings at the given rows (ascending) of a 1-D string dataset.
std::vector<std::string> read_string_points(const Dataset& ds, const std::vector<hsize_t>& rows,
                                            const fs::path& path) {
  const std::string operation = "read dataset " + ds.name();
  if (rows.empty()) return {};
  const Handle file_space = h5::make(H5Dget_space(ds.get()), H5Sclose, path, operation);
  h5::check_status(H5Sselect_elements(file_space.get(), H5S_SELECT_SET, rows.size(), rows.data()),
                   path, operation);
  return h5::read_strings(ds.get(), false, file_space.get(), rows.size(), path, operation);
}

std::vector<std::string> read_all_strings(hid_t loc, const std::string& name, std::size_t expected,
                                          const fs::path& path) {
  const Dataset ds = open_dataset(loc, name, path);
  require_shape(ds, {expected}, path);
  return read_string_rows(ds, 0, expected, path);
}

// A 1-D string dataset holding `values`.
Dataset string_dataset(hid_t loc, const std::string& name, const std::vector<std::string>& values,
                       Describe what, const fs::path& path) {
  const Handle type = h5::string_type(path);
  Dataset ds = create_dataset(loc, name, type.get(), {values.size()}, {}, 0, what, path);
  write_string_rows(ds, 0, values, values.size(), path);
  return ds;
}

// A 1-D numeric dataset along the run axis holding `values`, chunked and compressed.
template <class T>
Dataset run_dataset(hid_t loc, const std::string& name, const std::vector<T>& values, Describe what,
                    const fs::path& path) {
  const std::vector<hsize_t> shape = {values.size()};
  Dataset ds = create_dataset(loc, name, h5::Types<T>::file(), shape, run_chunk(shape, sizeof(T)),
                              kDeflateLevel, what, path);
  write_all(ds, values, path);
  return ds;
}

// A 1-D numeric dataset holding `values`.
template <class T>
Dataset number_dataset(hid_t loc, const std::string& name, const std::vector<T>& values,
                       Describe what, const fs::path& path) {
  Dataset ds = create_dataset(loc, name, h5::Types<T>::file(), {values.size()}, {}, 0, what, path);
  write_all(ds, values, path);
  return ds;
}

void make_scale(const Dataset& ds, const char* name, const fs::path& path) {
  h5::check_status(H5DSset_scale(ds.get(), name), path, "make dimension scale " + ds.name());
}

// Attaches dimension scales to the axes of `ds`, in order.
void attach(const Dataset& ds, std::initializer_list<const Dataset*> scales, const fs::path& path) {
  unsigned axis = 0;
  for (const Dataset* scale : scales) {
    h5::check_status(H5DSattach_scale(ds.get(), scale->get(), axis++), path,
                     "attach dimension scale " + scale->name() + " to " + ds.name());
  }
}

Handle create_group(hid_t loc, const std::string& name, const fs::path& path) {
  const std::string operation = "create group " + object_name(loc) + "/" + name;
  const Handle gcpl = h5::make(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, path, operation);
  h5::check_status(
      H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), path,
      operation);
  h5::check_status(
      H5Pset_attr_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), path,
      operation);
  return h5::make(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose,
                  path, operation);
}

Handle open_group(hid_t loc, const std::string& name, const fs::path& path) {
  const std::string operation = "open group " + object_name(loc) + "/" + name;
  if (H5Lexists(loc, name.c_str(), H5P_DEFAULT) <= 0) {
    throw OutputError(path, operation, "missing; not a sweep file or a damaged one");
  }
  return h5::make(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), H5Gclose, path, operation);
}

Handle root_group(hid_t file, const fs::path& path) {
  return h5::make(H5Gopen2(file, "/", H5P_DEFAULT), H5Gclose, path, "open root group");
}

// ------------------------------------------------------------------------------------------
// Shards.

std::size_t summary_width(const SweepLayout& layout) {
  return layout.outputs.size() * layout.statistics.size();
}
std::size_t series_width(const SweepLayout& layout) {
  return layout.times.size() * layout.outputs.size();
}

// Validates a batch and returns the order of its records by run index.
std::vector<std::size_t> check_records(const fs::path& path, const SweepLayout& layout,
                                       const std::vector<RunRecord>& records) {
  const std::string operation = "write shard";
  std::vector<std::size_t> order(records.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return records[a].index < records[b].index; });
  const std::size_t width = summary_width(layout), frames_width = series_width(layout);
  for (std::size_t k = 0; k < order.size(); ++k) {
    const RunRecord& r = records[order[k]];
    auto which = [&] { return "record " + num(order[k]) + " (run " + num(r.index) + "): "; };
    if (r.index >= layout.runs) {
      throw OutputError(
          path, operation,
          which() + "run index out of range (the sweep has " + num(layout.runs) + " runs)");
    }
    if (k > 0 && records[order[k - 1]].index == r.index) {
      throw OutputError(path, operation,
                        which() + "run " + num(r.index) + " appears twice in the batch");
    }
    if (r.status != kRunDone && r.status != kRunFailed) {
      throw OutputError(
          path, operation,
          which() + "status " + std::to_string(r.status) + " is neither 1 (done) nor 2 (failed)");
    }
    const bool failed = r.status == kRunFailed;
    if (r.summary.size() != width && !(failed && r.summary.empty())) {
      throw OutputError(path, operation,
                        which() + "summary has " + num(r.summary.size()) + " values, expected " +
                            num(width) + " (outputs x statistics)");
    }
    if (r.series.size() != frames_width && !(failed && r.series.empty())) {
      throw OutputError(path, operation,
                        which() + "series has " + num(r.series.size()) + " values, expected " +
                            num(frames_width) + " (frames x outputs)");
    }
  }
  return order;
}

void write_shard_file(const fs::path& temp, const fs::path& path, const SweepLayout& layout,
                      const std::vector<RunRecord>& records,
                      const std::vector<std::size_t>& order) {
  const std::size_t n = records.size();
  const std::size_t width = summary_width(layout), frames_width = series_width(layout);
  std::vector<std::uint64_t> runs(n);
  std::vector<std::uint8_t> status(n);
  std::vector<std::string> message(n);
  std::vector<double> summary(n * width, kNaN);
  for (std::size_t k = 0; k < n; ++k) {
    const RunRecord& r = records[order[k]];
    runs[k] = r.index;
    status[k] = r.status;
    message[k] = r.message;
    std::copy(r.summary.begin(), r.summary.end(),
              summary.begin() + static_cast<std::ptrdiff_t>(k * width));
  }

  Handle file = create_file(temp, path);
  {
    const Handle root = root_group(file.get(), path);
    const hid_t g = root.get();
    string_attribute(g, "conventions", kShardConventions, path);
    number_attribute<std::uint64_t>(g, "runs", layout.runs, path);
    string_dataset(g, "output", layout.outputs, {"", "recorded output"}, path);
    string_dataset(g, "statistic", layout.statistics, {"", "summary statistic"}, path);
    if (!layout.times.empty()) {
      number_dataset(g, "time", layout.times, {"year", "frame time of series"}, path);
    }
    number_dataset(g, "run", runs, {"1", "run index (ascending)"}, path);
    number_dataset(g, "status", status, {"1", "run status: 1 done, 2 failed"}, path);
    const Handle text = h5::string_type(path);
    const Dataset m =
        create_dataset(g, "message", text.get(), {n}, {}, 0, {"", "why the run failed"}, path);
    write_string_rows(m, 0, message, n, path, true);
    const std::vector<hsize_t> summary_shape = {n, width};
    const Dataset s = create_dataset(g, "summary", h5::Types<double>::file(), summary_shape, {}, 0,
                                     {"", "summary[row, output * statistics + statistic]"}, path);
    write_all(s, summary, path);
    summary = {};
    if (!layout.times.empty()) {
      const std::vector<hsize_t> series_shape = {n, frames_width};
      const Dataset d = create_dataset(g, "series", h5::Types<double>::file(), series_shape,
                                       run_chunk(series_shape, sizeof(double)), kShardDeflateLevel,
                                       {"", "series[row, frame * outputs + output]"}, path);
      // One record at a time: the batch is not copied again.
      const std::vector<double> nan_row(frames_width, kNaN);
      for (std::size_t k = 0; k < n; ++k) {
        const RunRecord& r = records[order[k]];
        write_rows(d, k, 1, r.series.empty() ? nan_row.data() : r.series.data(), path);
      }
    }
  }
  close_file(file, path, "temporary file " + temp.filename().string());
}

// An open shard, checked against a layout.
struct OpenShard {
  Handle file;
  Handle root;
  std::size_t rows = 0;
};

OpenShard open_shard(const fs::path& shard, const SweepLayout* layout) {
  OpenShard s;
  s.file = open_file(shard, H5F_ACC_RDONLY, shard, "a sweep shard");
  s.root = root_group(s.file.get(), shard);
  const hid_t g = s.root.get();
  check_conventions(g, shard, kShardConventions, "a sweep shard");
  s.rows = length_of(open_dataset(g, "run", shard), shard);
  if (layout == nullptr) return s;

  const std::string operation = "check shard";
  const auto runs = read_number_attribute<std::uint64_t>(g, "runs", shard);
  if (runs != layout->runs) {
    throw OutputError(shard, operation,
                      "written for a sweep of " + std::to_string(runs) + " runs, this one has " +
                          num(layout->runs));
  }
  const Dataset output = open_dataset(g, "output", shard);
  const Dataset statistic = open_dataset(g, "statistic", shard);
  if (read_string_rows(output, 0, length_of(output, shard), shard) != layout->outputs) {
    throw OutputError(shard, operation, "written for other outputs than this sweep's");
  }
  if (read_string_rows(statistic, 0, length_of(statistic, shard), shard) != layout->statistics) {
    throw OutputError(shard, operation, "written for other statistics than this sweep's");
  }
  const bool has_time = H5Lexists(g, "time", H5P_DEFAULT) > 0;
  std::vector<double> times;
  if (has_time) {
    const Dataset time = open_dataset(g, "time", shard);
    times = read_all<double>(g, "time", {length_of(time, shard)}, shard);
  }
  if (has_time == layout->times.empty() || times != layout->times) {
    throw OutputError(shard, operation, "written for other frame times than this sweep's");
  }
  require_shape(open_dataset(g, "status", shard), {s.rows}, shard);
  require_shape(open_dataset(g, "message", shard), {s.rows}, shard);
  require_shape(open_dataset(g, "summary", shard), {s.rows, summary_width(*layout)}, shard);
  if (!layout->times.empty()) {
    require_shape(open_dataset(g, "series", shard), {s.rows, series_width(*layout)}, shard);
  }
  return s;
}

std::vector<std::uint64_t> read_shard_runs(const OpenShard& s, const fs::path& shard) {
  std::vector<std::uint64_t> runs = read_all<std::uint64_t>(s.root.get(), "run", {s.rows}, shard);
  for (std::size_t k = 1; k < runs.size(); ++k) {
    if (runs[k] <= runs[k - 1]) {
      throw OutputError(shard, "read dataset /run",
                        "run indices are not strictly ascending at row " + num(k));
    }
  }
  return runs;
}

// ------------------------------------------------------------------------------------------
// Merging.

struct ShardRuns {
  fs::path path;
  std::vector<std::uint64_t> runs;  // ascending
};

// Shard files open during a merge pass, at most kOpenShards at once (least recently used is
// closed first), each with the datasets the pass reads.
class ShardPool {
 public:
  struct Entry {
    std::size_t shard = 0;
    Handle file;
    std::vector<Dataset> datasets;
  };

  ShardPool(const std::vector<ShardRuns>& shards, std::vector<std::string> names)
      : shards_(shards), names_(std::move(names)) {}

  Entry& get(std::size_t shard) {
    for (auto it = open_.begin(); it != open_.end(); ++it) {
      if (it->shard == shard) {
        open_.splice(open_.begin(), open_, it);
        return open_.front();
      }
    }
    if (open_.size() >= kOpenShards) open_.pop_back();
    const fs::path& path = shards_[shard].path;
    Entry e;
    e.shard = shard;
    e.file = open_file(path, H5F_ACC_RDONLY, path, "a sweep shard");
    const Handle root = root_group(e.file.get(), path);
    for (const auto& name : names_) e.datasets.push_back(open_dataset(root.get(), name, path));
    open_.push_front(std::move(e));
    return open_.front();
  }

  void release(std::size_t shard) {
    open_.remove_if([&](const Entry& e) { return e.shard == shard; });
  }

 private:
  const std::vector<ShardRuns>& shards_;
  std::vector<std::string> names_;
  std::list<Entry> open_;
};

// Walks the runs in blocks [a, b) of `block` runs. For each block, calls
// fill(entry, runs of the shard, first row, end row, a) for every shard holding runs of the
// block (rows first .. end of the shard hold them, ascending), then flush(a, b).
template <class Fill, class Flush>
void for_each_block(const std::vector<ShardRuns>& shards, std::size_t runs, std::size_t block,
                    ShardPool& pool, Fill&& fill, Flush&& flush) {
  std::vector<std::size_t> order;  // shards with runs, by their first run
  for (std::size_t k = 0; k < shards.size(); ++k) {
    if (!shards[k].runs.empty()) order.push_back(k);
  }
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    return shards[x].runs.front() < shards[y].runs.front();
  });
  std::size_t next = 0;
  std::vector<std::size_t> active;
  for (std::size_t a = 0; a < runs; a += block) {
    const std::size_t b = std::min(runs, a + block);
    while (next < order.size() && shards[order[next]].runs.front() < b) {
      active.push_back(order[next++]);
    }
    for (std::size_t k : active) {
      const auto& r = shards[k].runs;
      const auto lo = std::lower_bound(r.begin(), r.end(), std::uint64_t{a});
      const auto hi = std::lower_bound(lo, r.end(), std::uint64_t{b});
      if (lo == hi) continue;
      fill(pool.get(k), r, static_cast<std::size_t>(lo - r.begin()),
           static_cast<std::size_t>(hi - r.begin()), a);
    }
    flush(a, b);
    std::erase_if(active, [&](std::size_t k) {
      if (shards[k].runs.back() >= b) return false;
      pool.release(k);
      return true;
    });
  }
}

// Runs per merge block: a power of two of whole chunks, at most about kBlockBytes of buffer
// (more only when one chunk is larger). Chunks of a power of two of runs then never straddle two
// blocks, unless the blocks are smaller than the chunks (kBlockBytes / row_bytes < 4096 runs).
std::size_t block_runs(const std::vector<hsize_t>& chunk, std::size_t row_bytes, std::size_t runs) {
  const std::size_t chunk_rows = chunk.empty() ? kRunsPerChunk : static_cast<std::size_t>(chunk[0]);
  const std::size_t chunk_bytes = std::max<std::size_t>(1, chunk_rows * row_bytes);
  const std::size_t chunks = floor_power_of_two(kBlockBytes / chunk_bytes);
  return std::max<std::size_t>(1, std::min(runs, chunk_rows * chunks));
}

// Units of an output from its dataset name (the part before "["), as in a run's result file.
const char* output_units(const std::string& output) {
  const std::string dataset = output.substr(0, output.find('['));
  if (dataset == "gdp") return "US$ bn";
  if (dataset == "trade") return "US$ bn/yr";
  if (dataset == "energy") return "bcm/yr";
  for (const char* dimensionless : {"relations", "relation_overall", "sensitivity", "vulnerability",
                                    "leverage", "barbieri", "hirschman", "membership"}) {
    if (dataset == dimensionless) return "1";
  }
  return "";
}

void check_merge_inputs(const fs::path& out, const SweepLayout& layout, const SweepMeta& meta,
                        const DesignTable& design) {
  const std::string operation = "merge sweep";
  const std::size_t runs = layout.runs, table = runs * layout.parameters.size();
  auto expect = [&](const char* what, std::size_t size, std::size_t expected) {
    if (size != expected) {
      throw OutputError(
          out, operation,
          std::string(what) + " has " + num(size) + " values, expected " + num(expected));
    }
  };
  expect("design.point", design.point.size(), runs);
  expect("design.replicate", design.replicate.size(), runs);
  expect("design.seed", design.seed.size(), runs);
  expect("design.unit", design.unit.size(), table);
  expect("design.value", design.value.size(), table);
  if (!meta.discrete_values.empty()) {
    expect("meta.discrete_values", meta.discrete_values.size(), layout.parameters.size());
  }
}

// Reads every shard's run indices and checks that each run appears exactly once.
std::vector<ShardRuns> index_shards(const fs::path& out, const SweepLayout& layout,
                                    const std::vector<fs::path>& shards) {
  constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  if (shards.size() >= kNone) throw OutputError(out, "merge sweep", "too many shards");
  std::vector<std::uint32_t> owner(layout.runs, kNone);
  std::vector<ShardRuns> index;
  index.reserve(shards.size());
  for (std::size_t k = 0; k < shards.size(); ++k) {
    const OpenShard s = open_shard(shards[k], &layout);
    ShardRuns entry{shards[k], read_shard_runs(s, shards[k])};
    for (std::uint64_t run : entry.runs) {
      if (run >= layout.runs) {
        throw OutputError(shards[k], "check shard",
                          "holds run " + std::to_string(run) + ", out of range (the sweep has " +
                              num(layout.runs) + " runs)");
      }
      std::uint32_t& o = owner[static_cast<std::size_t>(run)];
      if (o != kNone) {
        throw OutputError(out, "merge sweep",
                          "run " + std::to_string(run) + " is duplicated: it is in " +
                              shards[o].string() + " and in " + shards[k].string());
      }
      o = static_cast<std::uint32_t>(k);
    }
    index.push_back(std::move(entry));
  }
  std::vector<std::size_t> missing;
  std::size_t total = 0;
  for (std::size_t run = 0; run < layout.runs; ++run) {
    if (owner[run] != kNone) continue;
    if (missing.size() < kListedRuns) missing.push_back(run);
    ++total;
  }
  if (total == 1) {
    throw OutputError(out, "merge sweep",
                      "run " + num(missing[0]) + " is missing: no shard holds it");
  }
  if (total > 1) {
    throw OutputError(
        out, "merge sweep",
        num(total) + " runs are missing (no shard holds them): runs " + run_list(missing, total));
  }
  return index;
}

void write_meta(hid_t root, const SweepLayout& layout, const SweepMeta& meta,
                const fs::path& path) {
  string_attribute(root, "conventions", kSweepConventions, path);
  const std::pair<const char*, const std::string*> strings[] = {
      {"engine_version", &meta.engine_version},
      {"created", &meta.created},
      {"command_line", &meta.command_line},
      {"sweep_name", &meta.sweep_name},
      {"sweep_description", &meta.sweep_description},
      {"sweep_file", &meta.sweep_file},
      {"sweep_text", &meta.sweep_text},
      {"scenario_file", &meta.scenario_file},
      {"scenario_text", &meta.scenario_text},
      {"design_kind", &meta.design_kind},
      {"record_mode", &meta.record_mode},
  };
  for (const auto& [name, value] : strings) string_attribute(root, name, *value, path);
  number_attribute<std::uint64_t>(root, "seed", meta.seed, path);
  number_attribute<std::int64_t>(root, "replicates", meta.replicates, path);
  number_attribute<std::int64_t>(root, "base_samples", meta.base_samples, path);
  number_attribute<std::int64_t>(root, "levels", meta.levels, path);
  number_attribute<std::int64_t>(root, "every", meta.every, path);
  strings_attribute(root, "renormalised", meta.renormalised, path);
  std::vector<std::string> discrete = meta.discrete_values;
  discrete.resize(layout.parameters.size());
  strings_attribute(root, "discrete_values", discrete, path);
}

void write_merged(const fs::path& temp, const fs::path& path, const SweepLayout& layout,
                  const SweepMeta& meta, const DesignTable& design,
                  const std::vector<ShardRuns>& shards) {
  const std::size_t runs = layout.runs, outputs = layout.outputs.size(),
                    statistics = layout.statistics.size(), frames = layout.times.size(),
                    parameters = layout.parameters.size();
  const std::size_t width = outputs * statistics, frames_width = frames * outputs;
  Handle file = create_file(temp, path);
  {
    const Handle root_handle = root_group(file.get(), path);
    const hid_t root = root_handle.get();
    write_meta(root, layout, meta, path);

    // Dimensions.
    const Dataset run = create_dataset(root, "run", h5::Types<std::int64_t>::file(), {runs},
                                       run_chunk({runs}, sizeof(std::int64_t)), kDeflateLevel,
                                       {"1", "run index"}, path);
    {
      std::vector<std::int64_t> run_index(std::min(runs, kRunsPerChunk * 64));
      for (std::size_t a = 0; a < runs; a += run_index.size()) {
        const std::size_t n = std::min(run_index.size(), runs - a);
        std::iota(run_index.begin(), run_index.begin() + static_cast<std::ptrdiff_t>(n),
                  static_cast<std::int64_t>(a));
        write_rows(run, a, n, run_index.data(), path);
      }
    }
    make_scale(run, "run", path);
    const Dataset parameter = string_dataset(root, "parameter", layout.parameters,
                                             {"", "scenario key path varied by the sweep"}, path);
    make_scale(parameter, "parameter", path);
    const Dataset output = string_dataset(root, "output", layout.outputs,
                                          {"", "recorded output: dataset[coordinates]"}, path);
    make_scale(output, "output", path);
    const Dataset statistic = string_dataset(
        root, "statistic", layout.statistics,
        {"", "summary statistic of an output over the recorded frames of a run"}, path);
    make_scale(statistic, "statistic", path);
    Dataset time;
    if (frames > 0) {
      time = number_dataset(root, "time", layout.times,
                            {"year", "time of the recorded frames of /series, decimal year"}, path);
      make_scale(time, "time", path);
    }

    // Variables.
    std::vector<std::string> units;
    for (const auto& o : layout.outputs) units.emplace_back(output_units(o));
    const Dataset output_unit =
        string_dataset(root, "output_units", units, {"", "units of the output"}, path);
    attach(output_unit, {&output}, path);

    const std::vector<hsize_t> summary_shape = {runs, outputs, statistics};
    const std::vector<hsize_t> summary_chunk = run_chunk(summary_shape, sizeof(double));
    const Dataset summary = create_dataset(
        root, "summary", h5::Types<double>::file(), summary_shape, summary_chunk, kDeflateLevel,
        {"",
         "statistic of an output over the run (in the output's units, see output_units); "
         "NaN for a failed run"},
        path);
    attach(summary, {&run, &output, &statistic}, path);

    Dataset series;
    std::vector<hsize_t> series_chunk;
    if (frames > 0) {
      const std::vector<hsize_t> series_shape = {runs, frames, outputs};
      series_chunk = run_chunk(series_shape, sizeof(double));
      series = create_dataset(root, "series", h5::Types<double>::file(), series_shape, series_chunk,
                              kDeflateLevel,
                              {"",
                               "output at each recorded frame (in the output's units, see "
                               "output_units); NaN for a failed run"},
                              path);
      attach(series, {&run, &time, &output}, path);
    }

    const Dataset status =
        create_dataset(root, "status", h5::Types<std::uint8_t>::file(), {runs},
                       run_chunk({runs}, 1), kDeflateLevel, {"1", "run status"}, path);
    numbers_attribute<std::uint8_t>(status.get(), "flag_values",
                                    {kRunPending, kRunDone, kRunFailed}, path);
    string_attribute(status.get(), "flag_meanings", "pending done failed", path);
    attach(status, {&run}, path);
    const Handle text = h5::string_type(path);
    const Dataset message =
        create_dataset(root, "message", text.get(), {runs}, run_chunk({runs}, 16), kDeflateLevel,
                       {"", "why the run failed (empty when it is done)"}, path);
    attach(message, {&run}, path);

    // The design: its own group, on the root's dimensions.
    {
      const Handle group = create_group(root, "design", path);
      const hid_t g = group.get();
      const Dataset point = run_dataset(g, "point", design.point,
                                        {"1", "design point (row of the design) of the run"}, path);
      attach(point, {&run}, path);
      const Dataset replicate =
          run_dataset(g, "replicate", design.replicate,
                      {"1", "replicate of the run at its design point, 0 .. replicates-1"}, path);
      attach(replicate, {&run}, path);
      const Dataset seed =
          run_dataset(g, "seed", design.seed, {"1", "random seed of the run"}, path);
      attach(seed, {&run}, path);
      const std::vector<hsize_t> table_shape = {runs, parameters};
      const std::vector<hsize_t> table_chunk = run_chunk(table_shape, sizeof(double));
      const Dataset unit = create_dataset(
          g, "unit", h5::Types<double>::file(), table_shape, table_chunk, kDeflateLevel,
          {"1",
           "design coordinate of the parameter on the unit hypercube [0, 1] (csv designs: "
           "the natural value)"},
          path);
      write_all(unit, design.unit, path);
      attach(unit, {&run, &parameter}, path);
      const Dataset value = create_dataset(
          g, "value", h5::Types<double>::file(), table_shape, table_chunk, kDeflateLevel,
          {"",
           "value of the parameter in its natural units (discrete parameters: index into "
           "discrete_values)"},
          path);
      write_all(value, design.value, path);
      attach(value, {&run, &parameter}, path);
    }

    // Pass 1: summary, status and message, a block of whole chunks at a time.
    if (runs > 0) {
      ShardPool pool(shards, {"summary", "status", "message"});
      const std::size_t block = block_runs(summary_chunk, width * sizeof(double) + 17, runs);
      std::vector<double> block_summary(block * width), rows_summary;
      std::vector<std::uint8_t> block_status(block), rows_status;
      std::vector<std::string> block_message(block);
      std::vector<hsize_t> failed_rows;
      for_each_block(
          shards, runs, block, pool,
          [&](ShardPool::Entry& e, const std::vector<std::uint64_t>& shard_runs, std::size_t lo,
              std::size_t hi, std::size_t a) {
            const fs::path& shard = shards[e.shard].path;
            const std::size_t n = hi - lo;
            rows_summary.resize(n * width);
            rows_status.resize(n);
            read_rows(e.datasets[0], lo, n, rows_summary.data(), shard);
            read_rows(e.datasets[1], lo, n, rows_status.data(), shard);
            failed_rows.clear();
            for (std::size_t k = 0; k < n; ++k) {
              const std::size_t at = static_cast<std::size_t>(shard_runs[lo + k]) - a;
              std::copy_n(rows_summary.begin() + static_cast<std::ptrdiff_t>(k * width), width,
                          block_summary.begin() + static_cast<std::ptrdiff_t>(at * width));
              block_status[at] = rows_status[k];
              block_message[at].clear();
              if (rows_status[k] != kRunDone) failed_rows.push_back(lo + k);
            }
            // Only failed runs have a message: read just those.
            std::vector<std::string> messages =
                read_string_points(e.datasets[2], failed_rows, shard);
            for (std::size_t k = 0; k < messages.size(); ++k) {
              const std::size_t row = static_cast<std::size_t>(failed_rows[k]);
              block_message[static_cast<std::size_t>(shard_runs[row]) - a] = std::move(messages[k]);
            }
          },
          [&](std::size_t a, std::size_t b) {
            write_rows(summary, a, b - a, block_summary.data(), path);
            write_rows(status, a, b - a, block_status.data(), path);
            write_string_rows(message, a, block_message, b - a, path, true);
          });
    }

    // Pass 2: series.
    if (runs > 0 && frames > 0) {
      ShardPool pool(shards, {"series"});
      const std::size_t block = block_runs(series_chunk, frames_width * sizeof(double), runs);
      std::vector<double> block_series(block * frames_width), rows_series;
      for_each_block(
          shards, runs, block, pool,
          [&](ShardPool::Entry& e, const std::vector<std::uint64_t>& shard_runs, std::size_t lo,
              std::size_t hi, std::size_t a) {
            const std::size_t n = hi - lo;
            rows_series.resize(n * frames_width);
            read_rows(e.datasets[0], lo, n, rows_series.data(), shards[e.shard].path);
            for (std::size_t k = 0; k < n; ++k) {
              const std::size_t at = static_cast<std::size_t>(shard_runs[lo + k]) - a;
              std::copy_n(rows_series.begin() + static_cast<std::ptrdiff_t>(k * frames_width),
                          frames_width,
                          block_series.begin() + static_cast<std::ptrdiff_t>(at * frames_width));
            }
          },
          [&](std::size_t a, std::size_t b) {
            write_rows(series, a, b - a, block_series.data(), path);
          });
    }
  }
  close_file(file, path, "temporary file " + temp.filename().string());
}

// ------------------------------------------------------------------------------------------
// Reading a merged file.

struct OpenSweep {
  Handle file;
  Handle root;
};

OpenSweep open_sweep(const fs::path& path, unsigned flags = H5F_ACC_RDONLY) {
  OpenSweep s;
  s.file = open_file(path, flags, path, "a sweep file");
  s.root = root_group(s.file.get(), path);
  check_conventions(s.root.get(), path, kSweepConventions, "a sweep file");
  return s;
}

std::size_t dimension_length(hid_t root, const char* name, const fs::path& path) {
  return length_of(open_dataset(root, name, path), path);
}

// ------------------------------------------------------------------------------------------
// Analysis tables.

bool valid_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\0') == std::string::npos;
}

void write_analysis_group(hid_t root, const fs::path& path, const std::string& name,
                          const std::vector<std::string>& rows,
                          const std::vector<std::pair<std::string, std::vector<double>>>& columns,
                          const std::vector<std::pair<std::string, std::string>>& attributes) {
  Handle analysis = H5Lexists(root, "analysis", H5P_DEFAULT) > 0
                        ? open_group(root, "analysis", path)
                        : create_group(root, "analysis", path);
  if (H5Lexists(analysis.get(), name.c_str(), H5P_DEFAULT) > 0) {
    h5::check_status(H5Ldelete(analysis.get(), name.c_str(), H5P_DEFAULT), path,
                     "delete group /analysis/" + name);
  }
  const Handle group = create_group(analysis.get(), name, path);
  const hid_t g = group.get();
  const Dataset row = string_dataset(g, "row", rows, {"", "row of the table"}, path);
  make_scale(row, "row", path);

  auto column_attribute = [&](const std::string& column, const char* which) -> const std::string* {
    const std::string key = column + "." + which;
    for (const auto& [k, v] : attributes) {
      if (k == key) return &v;
    }
    return nullptr;
  };
  for (const auto& [column, values] : columns) {
    const std::string* units = column_attribute(column, "units");
    const std::string* long_name = column_attribute(column, "long_name");
    const Dataset ds = create_dataset(g, column, h5::Types<double>::file(), {rows.size()}, {}, 0,
                                      {units != nullptr ? units->c_str() : "1",
                                       long_name != nullptr ? long_name->c_str() : column.c_str()},
                                      path);
    write_all(ds, values, path);
    attach(ds, {&row}, path);
  }
  for (const auto& [key, value] : attributes) {
    bool for_column = false;
    for (const auto& c : columns) {
      if (key == c.first + ".units" || key == c.first + ".long_name") for_column = true;
    }
    if (!for_column) string_attribute(g, key, value, path);
  }
}

herr_t collect_link(hid_t, const char* name, const H5L_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

herr_t collect_attribute(hid_t, const char* name, const H5A_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->emplace_back(name);
  return 0;
}

}  // namespace

// ------------------------------------------------------------------------------------------
// Public functions.

void write_shard(const fs::path& path, const SweepLayout& layout,
                 const std::vector<RunRecord>& records) {
  const h5::ErrorSilencer silence;
  const std::vector<std::size_t> order = check_records(path, layout, records);
  const fs::path dir = path.parent_path();
  if (!dir.empty()) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw OutputError(path, "create directory " + dir.string(), ec.message());
  }
  h5::atomic_write(path, "write shard",
               [&](const fs::path& temp) { write_shard_file(temp, path, layout, records, order); });
}

ShardIndex shard_index(const fs::path& shard) {
  const h5::ErrorSilencer silence;
  const OpenShard s = open_shard(shard, nullptr);
  ShardIndex index;
  const std::vector<std::uint64_t> runs = read_shard_runs(s, shard);
  index.runs.assign(runs.begin(), runs.end());
  index.status = read_all<std::uint8_t>(s.root.get(), "status", {s.rows}, shard);
  return index;
}

std::vector<std::size_t> shard_runs(const fs::path& shard) { return shard_index(shard).runs; }

void check_shard(const fs::path& shard, const SweepLayout& layout) {
  const h5::ErrorSilencer silence;
  const OpenShard s = open_shard(shard, &layout);
  const std::vector<std::uint64_t> runs = read_shard_runs(s, shard);
  if (!runs.empty() && runs.back() >= layout.runs) {
    throw OutputError(shard, "check shard",
                      "holds run " + std::to_string(runs.back()) +
                          ", out of range (the sweep has " + num(layout.runs) + " runs)");
  }
}

std::vector<fs::path> list_shards(const fs::path& parts_dir) {
  std::error_code ec;
  if (!fs::exists(parts_dir, ec)) return {};
  if (!fs::is_directory(parts_dir, ec)) {
    throw OutputError(parts_dir, "list shards", "not a directory");
  }
  std::vector<fs::path> shards;
  fs::directory_iterator it(parts_dir, ec);
  if (ec) throw OutputError(parts_dir, "list shards", ec.message());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool named = name.size() > 9 && name.starts_with("shard-") && name.ends_with(".h5");
    std::error_code type_ec;
    if (named && it->is_regular_file(type_ec)) shards.push_back(it->path());
  }
  if (ec) throw OutputError(parts_dir, "list shards", ec.message());
  std::sort(shards.begin(), shards.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
  return shards;
}

fs::path parts_directory(const fs::path& out) { return fs::path(out.string() + ".parts"); }

std::string shard_file_name(std::size_t rank, std::size_t sequence) {
  std::string r = num(rank), s = num(sequence);
  if (r.size() < 4) r.insert(0, 4 - r.size(), '0');
  if (s.size() < 6) s.insert(0, 6 - s.size(), '0');
  return "shard-r" + r + "-" + s + ".h5";
}

std::size_t next_shard_sequence(const fs::path& parts_dir, std::size_t rank) {
  const std::string first = shard_file_name(rank, 0);
  const std::string prefix = first.substr(0, first.rfind('-') + 1);  // "shard-r0003-"
  std::size_t next = 0;
  for (const fs::path& shard : list_shards(parts_dir)) {
    const std::string name = shard.filename().string();
    if (!name.starts_with(prefix)) continue;
    const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - 3);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    if (digits.size() > 18) continue;  // not one of ours
    next = std::max<std::size_t>(next, std::stoull(digits) + 1);
  }
  return next;
}

void merge_sweep(const fs::path& out, const SweepLayout& layout, const SweepMeta& meta,
                 const DesignTable& design, const std::vector<fs::path>& shards) {
  const h5::ErrorSilencer silence;
  check_merge_inputs(out, layout, meta, design);
  const std::vector<ShardRuns> index = index_shards(out, layout, shards);
  h5::atomic_write(out, "merge sweep",
               [&](const fs::path& temp) { write_merged(temp, out, layout, meta, design, index); });
}

SweepFile read_sweep(const fs::path& path) {
  const h5::ErrorSilencer silence;
  const OpenSweep s = open_sweep(path);
  const hid_t root = s.root.get();
  SweepFile f;

  SweepLayout& l = f.layout;
  l.runs = dimension_length(root, "run", path);
  l.parameters =
      read_all_strings(root, "parameter", dimension_length(root, "parameter", path), path);
  l.outputs = read_all_strings(root, "output", dimension_length(root, "output", path), path);
  l.statistics =
      read_all_strings(root, "statistic", dimension_length(root, "statistic", path), path);
  if (H5Lexists(root, "time", H5P_DEFAULT) > 0) {
    l.times = read_all<double>(root, "time", {dimension_length(root, "time", path)}, path);
  }
  const std::size_t runs = l.runs, parameters = l.parameters.size();

  SweepMeta& m = f.meta;
  const std::pair<const char*, std::string*> strings[] = {
      {"engine_version", &m.engine_version},
      {"created", &m.created},
      {"command_line", &m.command_line},
      {"sweep_name", &m.sweep_name},
      {"sweep_description", &m.sweep_description},
      {"sweep_file", &m.sweep_file},
      {"sweep_text", &m.sweep_text},
      {"scenario_file", &m.scenario_file},
      {"scenario_text", &m.scenario_text},
      {"design_kind", &m.design_kind},
      {"record_mode", &m.record_mode},
  };
  for (const auto& [name, value] : strings) *value = read_string_attribute(root, name, path);
  m.seed = read_number_attribute<std::uint64_t>(root, "seed", path);
  m.replicates = read_number_attribute<std::int64_t>(root, "replicates", path);
  m.base_samples = read_number_attribute<std::int64_t>(root, "base_samples", path);
  m.levels = read_number_attribute<std::int64_t>(root, "levels", path);
  m.every = read_number_attribute<std::int64_t>(root, "every", path);
  m.renormalised = read_strings_attribute(root, "renormalised", path);
  m.discrete_values = read_strings_attribute(root, "discrete_values", path);
  if (m.discrete_values.size() != parameters) {
    throw OutputError(path, "read attribute discrete_values",
                      "has " + num(m.discrete_values.size()) +
                          " values, expected one per parameter (" + num(parameters) + ")");
  }

  const Handle group = open_group(root, "design", path);
  const hid_t g = group.get();
  f.design.point = read_all<std::int64_t>(g, "point", {runs}, path);
  f.design.replicate = read_all<std::int64_t>(g, "replicate", {runs}, path);
  f.design.seed = read_all<std::uint64_t>(g, "seed", {runs}, path);
  f.design.unit = read_all<double>(g, "unit", {runs, parameters}, path);
  f.design.value = read_all<double>(g, "value", {runs, parameters}, path);

  f.status = read_all<std::uint8_t>(root, "status", {runs}, path);
  f.message = read_all_strings(root, "message", runs, path);
  return f;
}

std::vector<double> read_summary(const fs::path& path, std::size_t output, std::size_t statistic) {
  const h5::ErrorSilencer silence;
  const OpenSweep s = open_sweep(path);
  const Dataset ds = open_dataset(s.root.get(), "summary", path);
  const std::vector<hsize_t> shape = shape_of(ds, path);
  const std::string operation = "read dataset /summary";
  if (shape.size() != 3) throw OutputError(path, operation, "expected 3 dimensions");
  if (output >= shape[1] || statistic >= shape[2]) {
    throw OutputError(path, operation,
                      "output " + num(output) + ", statistic " + num(statistic) +
                          " is out of range (" + std::to_string(shape[1]) + " outputs, " +
                          std::to_string(shape[2]) + " statistics)");
  }
  // Whole rows a block at a time (a strided selection is slow), about kBlockBytes each.
  const std::size_t runs = static_cast<std::size_t>(shape[0]);
  const std::size_t width = static_cast<std::size_t>(shape[1] * shape[2]);
  const std::size_t column = output * static_cast<std::size_t>(shape[2]) + statistic;
  const std::size_t block =
      std::max<std::size_t>(1, std::min(runs, kBlockBytes / (width * sizeof(double))));
  std::vector<double> values(runs), rows(std::min(runs, block) * width);
  for (std::size_t a = 0; a < runs; a += block) {
    const std::size_t n = std::min(block, runs - a);
    read_rows(ds, a, n, rows.data(), path);
    for (std::size_t k = 0; k < n; ++k) values[a + k] = rows[k * width + column];
  }
  return values;
}

std::vector<double> read_series(const fs::path& path, std::size_t run) {
  const h5::ErrorSilencer silence;
  const OpenSweep s = open_sweep(path);
  const std::string operation = "read dataset /series";
  if (H5Lexists(s.root.get(), "series", H5P_DEFAULT) <= 0) {
    throw OutputError(path, operation, "the sweep recorded no series (record mode \"summary\")");
  }
  const Dataset ds = open_dataset(s.root.get(), "series", path);
  const std::vector<hsize_t> shape = shape_of(ds, path);
  if (shape.size() != 3) throw OutputError(path, operation, "expected 3 dimensions");
  if (run >= shape[0]) {
    throw OutputError(
        path, operation,
        "run " + num(run) + " is out of range (" + std::to_string(shape[0]) + " runs)");
  }
  std::vector<double> values(static_cast<std::size_t>(shape[1] * shape[2]));
  read_rows(ds, run, 1, values.data(), path);
  return values;
}

void write_analysis(const fs::path& path, const std::string& name,
                    const std::vector<std::string>& rows,
                    const std::vector<std::pair<std::string, std::vector<double>>>& columns,
                    const std::vector<std::pair<std::string, std::string>>& attributes) {
  const h5::ErrorSilencer silence;
  const std::string operation = "write analysis " + name;
  if (!valid_name(name)) {
    throw OutputError(path, operation, "\"" + name + "\" is not a valid group name");
  }
  for (std::size_t k = 0; k < columns.size(); ++k) {
    const auto& [column, values] = columns[k];
    if (!valid_name(column) || column == "row") {
      throw OutputError(path, operation, "\"" + column + "\" is not a valid column name");
    }
    for (std::size_t j = 0; j < k; ++j) {
      if (columns[j].first == column) {
        throw OutputError(path, operation, "column \"" + column + "\" appears twice");
      }
    }
    if (values.size() != rows.size()) {
      throw OutputError(path, operation,
                        "column \"" + column + "\" has " + num(values.size()) +
                            " values, expected one per row (" + num(rows.size()) + ")");
    }
  }
  {
    const OpenSweep s = open_sweep(path);  // must be a sweep file
  }
  h5::atomic_write(path, operation, [&](const fs::path& temp) {
    std::error_code ec;
    fs::copy_file(path, temp, fs::copy_options::none, ec);
    if (ec) throw OutputError(path, "copy to " + temp.filename().string(), ec.message());
    Handle file = open_file(temp, H5F_ACC_RDWR, path, "a sweep file");
    {
      const Handle root = root_group(file.get(), path);
      write_analysis_group(root.get(), path, name, rows, columns, attributes);
    }
    close_file(file, path, "temporary file " + temp.filename().string());
  });
}

AnalysisTable read_analysis(const fs::path& path, const std::string& name) {
  const h5::ErrorSilencer silence;
  const OpenSweep s = open_sweep(path);
  if (!valid_name(name)) {
    throw OutputError(path, "read analysis " + name, "\"" + name + "\" is not a valid group name");
  }
  const Handle analysis = open_group(s.root.get(), "analysis", path);
  const Handle group = open_group(analysis.get(), name, path);
  const hid_t g = group.get();
  const std::string operation = "read group /analysis/" + name;
  AnalysisTable table;
  const std::size_t n = dimension_length(g, "row", path);
  table.rows = read_all_strings(g, "row", n, path);

  std::vector<std::string> links;
  h5::check_status(H5Literate(g, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collect_link, &links),
                   path, operation);
  for (const auto& link : links) {
    if (link == "row") continue;
    table.columns.emplace_back(link, read_all<double>(g, link, {n}, path));
  }
  std::vector<std::string> names;
  h5::check_status(
      H5Aiterate2(g, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, collect_attribute, &names), path,
      operation);
  for (const auto& attribute : names) {
    table.attributes.emplace_back(attribute, read_string_attribute(g, attribute, path));
  }
  return table;
}

}  // namespace interdep::sweep
