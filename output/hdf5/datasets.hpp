// Datasets and groups of result files: creation (contiguous, or chunked with shuffle + deflate)
// with their units and long_name, shape checks, blocks of rows, typed and string reads and
// writes of rows or of whole datasets, netCDF dimension scales, groups that keep creation order.
//
// Data is row-major; a "row" is one index of the first axis with all of the trailing axes.
// Numbers: T is one of the element types of Types<T> (hdf5_handle.hpp), stored in its
// little-endian file type and converted to T when read. Strings are variable-length UTF-8.
// Errors: OutputError(path, operation, reason); the operation names the object by its full
// HDF5 path: "create dataset /design/point", "open dataset /run", "read dataset /summary",
// "write dataset /status", "create group /analysis", "attach dimension scale /run to /status".
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <filesystem>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "output/hdf5/hdf5_handle.hpp"

namespace interdep::h5 {

// The units and long_name attributes every variable of a result file carries (netCDF/CF);
// units "" for strings and "1" for dimensionless numbers.
struct Describe {
  std::string_view units;
  std::string_view long_name;
};

// An open dataset and its full HDF5 path ("/design/point"), which errors name.
class Dataset {
 public:
  Dataset() = default;
  Dataset(Handle handle, std::string name) : handle_(std::move(handle)), name_(std::move(name)) {}

  hid_t get() const { return handle_.get(); }
  const std::string& name() const { return name_; }
  explicit operator bool() const { return static_cast<bool>(handle_); }

 private:
  Handle handle_;
  std::string name_;
};

// "[3, 4]", for messages.
std::string shape_text(const std::vector<hsize_t>& shape);

// Number of elements of a dataset of this shape (the product of the axes).
std::size_t element_count(const std::vector<hsize_t>& shape);

// ------------------------------------------------------------------------------------------
// Creating and opening.

// The chunk of one row of a dataset written and read along its first axis: 1 x the trailing
// axes, the largest trailing axis halved (rounding up, repeatedly) while the row holds more
// than `max_row_bytes` of elements of `element_bytes` bytes. The caller sets chunk[0] to the
// rows it wants per chunk. Empty (the dataset stays contiguous) when an axis has length 0:
// HDF5 refuses chunks with a zero-length axis.
std::vector<hsize_t> row_chunk(const std::vector<hsize_t>& shape, std::size_t element_bytes,
                               std::size_t max_row_bytes);

// The chunk of one time frame (one row, see row_chunk) of a dataset over time of `file_type`,
// whose elements are H5Tget_size bytes each (a variable-length string: the reference a chunk
// stores), halved along the largest axes while the frame holds more than `max_frame_bytes`.
std::vector<hsize_t> frame_chunk(const std::vector<hsize_t>& shape, hid_t file_type,
                                 std::size_t max_frame_bytes);

// A new dataset `name` under `loc`, of `file_type` and `shape`, with attributes units and
// long_name from `what`. Contiguous when `chunk` is empty; otherwise chunked as `chunk` and,
// when `deflate` (1..9) is not 0 and the deflate filter is available, shuffled and compressed.
Dataset create_dataset(hid_t loc, const std::string& name, hid_t file_type,
                       const std::vector<hsize_t>& shape, const std::vector<hsize_t>& chunk,
                       unsigned deflate, Describe what, const std::filesystem::path& path);

// The same without attributes, for a writer that adds them (describe) after the data: the order
// in which a file's objects are written fixes where they lie in it.
Dataset create_dataset(hid_t loc, const std::string& name, hid_t file_type,
                       const std::vector<hsize_t>& shape, const std::vector<hsize_t>& chunk,
                       unsigned deflate, const std::filesystem::path& path);

// A dataset that grows along its first axis (time, in a streamed run file): rows of
// `row_shape` (the trailing axes), none yet, chunked as row_chunk does with up to
// `rows_per_chunk` rows per chunk while a chunk stays within `max_chunk_bytes`; compressed as
// create_dataset does. append_rows adds rows.
Dataset create_growing_dataset(hid_t loc, const std::string& name, hid_t file_type,
                               const std::vector<hsize_t>& row_shape, std::size_t rows_per_chunk,
                               std::size_t max_chunk_bytes, unsigned deflate,
                               const std::filesystem::path& path);

// Writes the attributes units and long_name of `what` to a dataset.
void describe(const Dataset& ds, Describe what, const std::filesystem::path& path);

// Whether `loc` has a link (dataset or group) named `name`.
bool has_link(hid_t loc, const std::string& name);

// Opens an existing dataset; OutputError(path, "open dataset <full name>", missing) if there is
// none (`missing`: kMissing or the reader's own reason, see hdf5_handle.hpp).
Dataset open_dataset(hid_t loc, const std::string& name, const std::filesystem::path& path,
                     std::string_view missing = kMissing);

// Opens the dataset `name` of `loc`, which the caller knows to exist (has_link), as a Dataset
// whose errors call it `label` rather than its full path (a reader whose messages name objects
// its own way, e.g. by their link name alone): OutputError(path, "open dataset <label>", ...).
Dataset open_dataset_as(hid_t loc, const std::string& name, std::string label,
                        const std::filesystem::path& path);

// ------------------------------------------------------------------------------------------
// Shapes.

std::vector<hsize_t> shape_of(const Dataset& ds, const std::filesystem::path& path);

// OutputError(path, "open dataset <name>", "has shape [..], expected [..]") unless the dataset
// has exactly the shape `expected`.
void require_shape(const Dataset& ds, const std::vector<hsize_t>& expected,
                   const std::filesystem::path& path);

// The length of a 1-D dataset (a dimension); OutputError if it has another rank.
std::size_t length_of(const Dataset& ds, const std::filesystem::path& path);

// The dataset's space with the block start[k] .. start[k] + count[k] selected.
Handle select_block(const Dataset& ds, const std::vector<hsize_t>& start,
                    const std::vector<hsize_t>& count, const std::filesystem::path& path,
                    const std::string& operation);

// ------------------------------------------------------------------------------------------
// Numbers.

// Rows first .. first + rows of `ds` from / into `data` (rows x the trailing axes, row-major,
// in `memory_type`). Nothing happens for a block without elements.
void write_rows(const Dataset& ds, std::size_t first, std::size_t rows, hid_t memory_type,
                const void* data, const std::filesystem::path& path);
void read_rows(const Dataset& ds, std::size_t first, std::size_t rows, hid_t memory_type,
               void* data, const std::filesystem::path& path);
template <class T>
void write_rows(const Dataset& ds, std::size_t first, std::size_t rows, const T* data,
                const std::filesystem::path& path) {
  write_rows(ds, first, rows, Types<T>::memory(), data, path);
}
template <class T>
void read_rows(const Dataset& ds, std::size_t first, std::size_t rows, T* data,
               const std::filesystem::path& path) {
  read_rows(ds, first, rows, Types<T>::memory(), data, path);
}

// Appends `rows` rows (rows x the trailing axes, row-major) to a dataset made by
// create_growing_dataset.
void append_rows(const Dataset& ds, std::size_t rows, hid_t memory_type, const void* data,
                 const std::filesystem::path& path);
template <class T>
void append_rows(const Dataset& ds, std::size_t rows, const T* data,
                 const std::filesystem::path& path) {
  append_rows(ds, rows, Types<T>::memory(), data, path);
}

// The whole dataset from `count` values in `memory_type`; OutputError(path, "write dataset
// <name>", "data has N values, the shape needs M") unless count is its number of elements.
void write_all(const Dataset& ds, hid_t memory_type, std::size_t count, const void* data,
               const std::filesystem::path& path);
template <class T>
void write_all(const Dataset& ds, std::span<const T> values, const std::filesystem::path& path) {
  write_all(ds, Types<T>::memory(), values.size(), values.data(), path);
}
template <class T>
void write_all(const Dataset& ds, const std::vector<T>& values, const std::filesystem::path& path) {
  write_all(ds, std::span<const T>(values), path);
}

// A whole integer or floating-point dataset that must have the shape `expected` (see
// require_shape; "not a numeric dataset" otherwise), converted to `memory_type` into `data`,
// which holds element_count(expected) values.
void read_all(const Dataset& ds, const std::vector<hsize_t>& expected, hid_t memory_type,
              void* data, const std::filesystem::path& path);
template <class T>
std::vector<T> read_all(const Dataset& ds, const std::vector<hsize_t>& expected,
                        const std::filesystem::path& path) {
  // The shape first, then the buffer: `expected` may come from a damaged file's other dataset.
  require_shape(ds, expected, path);
  const std::size_t count = element_count(expected);
  check_fits_in_memory(count, sizeof(T), "values", path, "read dataset " + ds.name());
  std::vector<T> values(count);
  read_all(ds, expected, Types<T>::memory(), values.data(), path);
  return values;
}
// The same, opening the dataset `name` of `loc` (open_dataset).
template <class T>
std::vector<T> read_all(hid_t loc, const std::string& name, const std::vector<hsize_t>& expected,
                        const std::filesystem::path& path, std::string_view missing = kMissing) {
  return read_all<T>(open_dataset(loc, name, path, missing), expected, path);
}

// A new contiguous 1-D dataset holding `values`.
template <class T>
Dataset number_dataset(hid_t loc, const std::string& name, const std::vector<T>& values,
                       Describe what, const std::filesystem::path& path) {
  Dataset ds = create_dataset(loc, name, Types<T>::file(), {values.size()}, {}, 0, what, path);
  write_all(ds, values, path);
  return ds;
}

// ------------------------------------------------------------------------------------------
// Strings.

// How write_string_rows stores an empty string: as a string of length 0 (an object in the
// file's global heap), or as a null string (no heap object: what HDF5 reads for a string never
// written; read back as "").
enum class EmptyString { stored, null };

// values[0 .. rows) into rows first .. first + rows of a 1-D string dataset.
void write_string_rows(const Dataset& ds, std::size_t first, const std::vector<std::string>& values,
                       std::size_t rows, const std::filesystem::path& path,
                       EmptyString empty = EmptyString::stored);

// The whole string dataset, any rank, from `values` (row-major); OutputError unless there is
// one value per element.
void write_all_strings(const Dataset& ds, std::span<const std::string> values,
                       const std::filesystem::path& path);
inline void write_all_strings(const Dataset& ds, const std::vector<std::string>& values,
                              const std::filesystem::path& path) {
  write_all_strings(ds, std::span<const std::string>(values), path);
}

// Appends `rows` rows of strings (row-major, one value per element) to a string dataset made by
// create_growing_dataset.
void append_string_rows(const Dataset& ds, std::size_t rows, std::span<const std::string> values,
                        const std::filesystem::path& path);

// Rows first .. first + rows of a 1-D string dataset (variable- or fixed-length).
std::vector<std::string> read_string_rows(const Dataset& ds, std::size_t first, std::size_t rows,
                                          const std::filesystem::path& path);

// The strings at the given rows (ascending) of a 1-D string dataset.
std::vector<std::string> read_string_points(const Dataset& ds, const std::vector<hsize_t>& rows,
                                            const std::filesystem::path& path);

// A whole string dataset that must have the shape `expected`, row-major: an open one, or the
// dataset `name` of `loc`.
std::vector<std::string> read_all_strings(const Dataset& ds, const std::vector<hsize_t>& expected,
                                          const std::filesystem::path& path);
std::vector<std::string> read_all_strings(hid_t loc, const std::string& name,
                                          const std::vector<hsize_t>& expected,
                                          const std::filesystem::path& path,
                                          std::string_view missing = kMissing);

// A new contiguous 1-D string dataset holding `values`.
Dataset string_dataset(hid_t loc, const std::string& name, const std::vector<std::string>& values,
                       Describe what, const std::filesystem::path& path);

// ------------------------------------------------------------------------------------------
// Dimension scales (netCDF-4 dimensions).

// Marks a 1-D dataset (a coordinate variable) as the dimension scale `name`.
void make_scale(const Dataset& ds, const std::string& name, const std::filesystem::path& path);

// Attaches the dimension scales to the axes of `ds`, in order (scale k to axis k).
void attach_scales(const Dataset& ds, std::span<const Dataset* const> scales,
                   const std::filesystem::path& path);
void attach_scales(const Dataset& ds, std::initializer_list<const Dataset*> scales,
                   const std::filesystem::path& path);

// The shape of a variable over these dimension scales: their lengths, in order (length_of).
std::vector<hsize_t> scale_lengths(std::span<const Dataset* const> scales,
                                   const std::filesystem::path& path);

// ------------------------------------------------------------------------------------------
// Groups.

// What a new group tracks and indexes in creation order: its links (as netCDF-4 groups do), or
// its links and its attributes (so that attribute_names lists them in the order written).
enum class GroupOrder { links, links_and_attributes };

Handle create_group(hid_t loc, const std::string& name, GroupOrder order,
                    const std::filesystem::path& path);

// Opens an existing group; OutputError(path, "open group <full name>", missing) if none.
Handle open_group(hid_t loc, const std::string& name, const std::filesystem::path& path,
                  std::string_view missing = kMissing);

// Opens the group `name` of `loc`, which the caller knows to exist, naming it `label` in the
// error if it cannot be opened (see open_dataset_as): OutputError(path, "open group <label>", ...).
Handle open_group_as(hid_t loc, const std::string& name, const std::string& label,
                     const std::filesystem::path& path);

// The root group "/" of an open file.
Handle root_group(hid_t file, const std::filesystem::path& path);

// Removes the link `name` (a group or dataset) from `loc`: OutputError(path, "delete group
// <full name>", ...) on failure.
void delete_group(hid_t loc, const std::string& name, const std::filesystem::path& path);

// The names of a group's links in creation order (the group must track it: every group and file
// made by this toolkit does); OutputError(path, "read group <group>", ...) otherwise.
std::vector<std::string> link_names(hid_t group, const std::filesystem::path& path);

}  // namespace interdep::h5
