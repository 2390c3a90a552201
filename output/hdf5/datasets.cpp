#include "output/hdf5/datasets.hpp"

#include <hdf5_hl.h>

#include <algorithm>
#include <limits>

#include "output/hdf5/attributes.hpp"

namespace interdep::h5 {

namespace fs = std::filesystem;

std::string shape_text(const std::vector<hsize_t>& shape) {
  std::string s = "[";
  for (std::size_t k = 0; k < shape.size(); ++k) {
    if (k > 0) s += ", ";
    s += std::to_string(shape[k]);
  }
  return s + "]";
}

std::size_t element_count(const std::vector<hsize_t>& shape) {
  // Saturating: a damaged file's shape can claim more elements than a size_t counts, and a
  // product that wrapped round would size a buffer smaller than the read.
  std::size_t n = 1;
  for (hsize_t e : shape) {
    if (e != 0 && n > std::numeric_limits<std::size_t>::max() / e)
      return std::numeric_limits<std::size_t>::max();
    n *= static_cast<std::size_t>(e);
  }
  for (hsize_t e : shape)
    if (e == 0) return 0;
  return n;
}

// ------------------------------------------------------------------------------------------
// Creating and opening.

std::vector<hsize_t> row_chunk(const std::vector<hsize_t>& shape, std::size_t element_bytes,
                               std::size_t max_row_bytes) {
  if (shape.empty() || std::find(shape.begin(), shape.end(), hsize_t{0}) != shape.end()) return {};
  std::vector<hsize_t> chunk = shape;
  chunk[0] = 1;
  auto row_bytes = [&] {
    std::size_t b = element_bytes;
    for (std::size_t k = 1; k < chunk.size(); ++k) b *= static_cast<std::size_t>(chunk[k]);
    return b;
  };
  while (chunk.size() > 1 && row_bytes() > max_row_bytes) {
    const auto largest = std::max_element(chunk.begin() + 1, chunk.end());
    if (*largest <= 1) break;
    *largest = (*largest + 1) / 2;
  }
  return chunk;
}

std::vector<hsize_t> frame_chunk(const std::vector<hsize_t>& shape, hid_t file_type,
                                 std::size_t max_frame_bytes) {
  return row_chunk(shape, H5Tget_size(file_type), max_frame_bytes);
}

Dataset create_dataset(hid_t loc, const std::string& name, hid_t file_type,
                       const std::vector<hsize_t>& shape, const std::vector<hsize_t>& chunk,
                       unsigned deflate, Describe what, const fs::path& path) {
  Dataset ds = create_dataset(loc, name, file_type, shape, chunk, deflate, path);
  describe(ds, what, path);
  return ds;
}

namespace {

Dataset create_with_limits(hid_t loc, const std::string& name, hid_t file_type,
                           const std::vector<hsize_t>& shape, const std::vector<hsize_t>& max_shape,
                           const std::vector<hsize_t>& chunk, unsigned deflate,
                           const fs::path& path) {
  const std::string full = object_name(loc) + "/" + name;
  const std::string operation = "create dataset " + full;
  const Handle space = make(H5Screate_simple(static_cast<int>(shape.size()), shape.data(),
                                             max_shape.empty() ? nullptr : max_shape.data()),
                            H5Sclose, path, operation);
  const Handle dcpl = make(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, path, operation);
  if (!chunk.empty()) {
    check_status(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), path,
                 operation);
    if (deflate > 0 && H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
      check_status(H5Pset_shuffle(dcpl.get()), path, operation);
      check_status(H5Pset_deflate(dcpl.get(), deflate), path, operation);
    }
  }
  Handle ds = make(
      H5Dcreate2(loc, name.c_str(), file_type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
      H5Dclose, path, operation);
  return Dataset(std::move(ds), full);
}

}  // namespace

Dataset create_dataset(hid_t loc, const std::string& name, hid_t file_type,
                       const std::vector<hsize_t>& shape, const std::vector<hsize_t>& chunk,
                       unsigned deflate, const fs::path& path) {
  return create_with_limits(loc, name, file_type, shape, {}, chunk, deflate, path);
}

Dataset create_growing_dataset(hid_t loc, const std::string& name, hid_t file_type,
                               const std::vector<hsize_t>& row_shape, std::size_t rows_per_chunk,
                               std::size_t max_chunk_bytes, unsigned deflate,
                               const fs::path& path) {
  std::vector<hsize_t> shape{0}, max_shape{H5S_UNLIMITED}, one_row{1};
  for (const hsize_t length : row_shape) {
    shape.push_back(length);
    // HDF5 refuses a chunk with a zero-length axis: such an axis may grow too (it never does),
    // and its chunk is 1 long.
    max_shape.push_back(length == 0 ? H5S_UNLIMITED : length);
    one_row.push_back(std::max<hsize_t>(length, 1));
  }
  const std::size_t element_bytes = H5Tget_size(file_type);
  std::vector<hsize_t> chunk = row_chunk(one_row, element_bytes, max_chunk_bytes);
  const std::size_t chunk_row_bytes = element_bytes * element_count(chunk);
  chunk[0] = std::clamp<hsize_t>(max_chunk_bytes / std::max<std::size_t>(chunk_row_bytes, 1), 1,
                                 std::max<std::size_t>(rows_per_chunk, 1));
  return create_with_limits(loc, name, file_type, shape, max_shape, chunk, deflate, path);
}

void describe(const Dataset& ds, Describe what, const fs::path& path) {
  write_string_attribute(ds.get(), "units", what.units, path);
  write_string_attribute(ds.get(), "long_name", what.long_name, path);
}

bool has_link(hid_t loc, const std::string& name) {
  return H5Lexists(loc, name.c_str(), H5P_DEFAULT) > 0;
}

Dataset open_dataset(hid_t loc, const std::string& name, const fs::path& path,
                     std::string_view missing) {
  const std::string full = object_name(loc) + "/" + name;
  if (!has_link(loc, name)) throw OutputError(path, "open dataset " + full, std::string(missing));
  return open_dataset_as(loc, name, full, path);
}

Dataset open_dataset_as(hid_t loc, const std::string& name, std::string label,
                        const fs::path& path) {
  Handle ds =
      make(H5Dopen2(loc, name.c_str(), H5P_DEFAULT), H5Dclose, path, "open dataset " + label);
  return Dataset(std::move(ds), std::move(label));
}

// ------------------------------------------------------------------------------------------
// Shapes.

std::vector<hsize_t> shape_of(const Dataset& ds, const fs::path& path) {
  const std::string operation = "open dataset " + ds.name();
  const Handle space = make(H5Dget_space(ds.get()), H5Sclose, path, operation);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  check_status(rank, path, operation);
  std::vector<hsize_t> shape(static_cast<std::size_t>(rank));
  check_status(H5Sget_simple_extent_dims(space.get(), shape.data(), nullptr), path, operation);
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

Handle select_block(const Dataset& ds, const std::vector<hsize_t>& start,
                    const std::vector<hsize_t>& count, const fs::path& path,
                    const std::string& operation) {
  Handle space = make(H5Dget_space(ds.get()), H5Sclose, path, operation);
  check_status(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(),
                                   nullptr),
               path, operation);
  return space;
}

// ------------------------------------------------------------------------------------------
// Numbers.

namespace {

// Calls transfer(memory space, file space) for rows [first, first + rows) of `ds`, whose
// trailing axes are read or written whole, unless the block holds no element.
template <class Transfer>
void transfer_rows(const Dataset& ds, std::size_t first, std::size_t rows, const fs::path& path,
                   const std::string& operation, Transfer&& transfer) {
  std::vector<hsize_t> count = shape_of(ds, path);
  std::vector<hsize_t> start(count.size(), 0);
  start.at(0) = first;
  count.at(0) = rows;
  if (element_count(count) == 0) return;
  const Handle file = select_block(ds, start, count, path, operation);
  const Handle memory =
      make(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), H5Sclose, path,
           operation);
  // A read's failed conversion says what the file held; a write has none to say.
  check_number_read(transfer(memory.get(), file.get()), path, operation);
}

// Throws unless `count` values fill the dataset.
void require_count(const Dataset& ds, std::size_t count, const fs::path& path,
                   const std::string& operation) {
  const std::size_t needed = element_count(shape_of(ds, path));
  if (count != needed) {
    throw OutputError(
        path, operation,
        "data has " + std::to_string(count) + " values, the shape needs " + std::to_string(needed));
  }
}

}  // namespace

void write_rows(const Dataset& ds, std::size_t first, std::size_t rows, hid_t memory_type,
                const void* data, const fs::path& path) {
  transfer_rows(ds, first, rows, path, "write dataset " + ds.name(), [&](hid_t memory, hid_t file) {
    return H5Dwrite(ds.get(), memory_type, memory, file, H5P_DEFAULT, data);
  });
}

namespace {

// Grows a dataset of create_growing_dataset by `rows` rows; returns the index of the first new
// row.
std::size_t grow(const Dataset& ds, std::size_t rows, const fs::path& path,
                 const std::string& operation) {
  std::vector<hsize_t> shape = shape_of(ds, path);
  const std::size_t first = shape.at(0);
  shape[0] += rows;
  check_status(H5Dset_extent(ds.get(), shape.data()), path, operation);
  return first;
}

}  // namespace

void append_rows(const Dataset& ds, std::size_t rows, hid_t memory_type, const void* data,
                 const fs::path& path) {
  const std::string operation = "write dataset " + ds.name();
  const std::size_t first = grow(ds, rows, path, operation);
  transfer_rows(ds, first, rows, path, operation, [&](hid_t memory, hid_t file) {
    return H5Dwrite(ds.get(), memory_type, memory, file, H5P_DEFAULT, data);
  });
}

void append_string_rows(const Dataset& ds, std::size_t rows, std::span<const std::string> values,
                        const fs::path& path) {
  const std::string operation = "write dataset " + ds.name();
  const std::size_t first = grow(ds, rows, path, operation);
  std::vector<hsize_t> block = shape_of(ds, path);
  block[0] = rows;
  if (values.size() != element_count(block))
    throw OutputError(path, operation,
                      "data has " + std::to_string(values.size()) + " values, " +
                          std::to_string(rows) + " rows need " +
                          std::to_string(element_count(block)));
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& v : values) pointers.push_back(v.c_str());
  const Handle type = string_type(path);
  const Handle transfer = string_transfer(values.size(), path, operation);
  transfer_rows(ds, first, rows, path, operation, [&](hid_t memory, hid_t file) {
    return H5Dwrite(ds.get(), type.get(), memory, file, transfer.get(), pointers.data());
  });
}

void read_rows(const Dataset& ds, std::size_t first, std::size_t rows, hid_t memory_type,
               void* data, const fs::path& path) {
  transfer_rows(ds, first, rows, path, "read dataset " + ds.name(), [&](hid_t memory, hid_t file) {
    return H5Dread(ds.get(), memory_type, memory, file, number_transfer(), data);
  });
}

void write_all(const Dataset& ds, hid_t memory_type, std::size_t count, const void* data,
               const fs::path& path) {
  const std::string operation = "write dataset " + ds.name();
  require_count(ds, count, path, operation);
  if (count == 0) return;
  check_status(H5Dwrite(ds.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), path,
               operation);
}

void read_all(const Dataset& ds, const std::vector<hsize_t>& expected, hid_t memory_type,
              void* data, const fs::path& path) {
  require_shape(ds, expected, path);
  const std::string operation = "read dataset " + ds.name();
  const Handle type = make(H5Dget_type(ds.get()), H5Tclose, path, operation);
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) {
    throw OutputError(path, operation, "not a numeric dataset");
  }
  if (element_count(expected) == 0) return;
  check_number_read(H5Dread(ds.get(), memory_type, H5S_ALL, H5S_ALL, number_transfer(), data), path,
                    operation);
}

// ------------------------------------------------------------------------------------------
// Strings.

void write_string_rows(const Dataset& ds, std::size_t first, const std::vector<std::string>& values,
                       std::size_t rows, const fs::path& path, EmptyString empty) {
  if (rows == 0) return;
  const std::string operation = "write dataset " + ds.name();
  std::vector<const char*> pointers(rows);
  for (std::size_t k = 0; k < rows; ++k) {
    pointers[k] = empty == EmptyString::null && values[k].empty() ? nullptr : values[k].c_str();
  }
  const hsize_t start = first, count = rows;
  const Handle file_space = select_block(ds, {start}, {count}, path, operation);
  const Handle memory_space = make(H5Screate_simple(1, &count, nullptr), H5Sclose, path, operation);
  const Handle type = string_type(path);
  check_status(H5Dwrite(ds.get(), type.get(), memory_space.get(), file_space.get(),
                        string_transfer(rows, path, operation).get(), pointers.data()),
               path, operation);
}

void write_all_strings(const Dataset& ds, std::span<const std::string> values,
                       const fs::path& path) {
  const std::string operation = "write dataset " + ds.name();
  require_count(ds, values.size(), path, operation);
  if (values.empty()) return;
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& s : values) pointers.push_back(s.c_str());
  const Handle type = string_type(path);
  check_status(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL,
                        string_transfer(values.size(), path, operation).get(), pointers.data()),
               path, operation);
}

std::vector<std::string> read_string_rows(const Dataset& ds, std::size_t first, std::size_t rows,
                                          const fs::path& path) {
  const std::string operation = "read dataset " + ds.name();
  if (rows == 0) return {};
  const hsize_t start = first, count = rows;
  const Handle file_space = select_block(ds, {start}, {count}, path, operation);
  return read_strings(ds.get(), false, file_space.get(), rows, path, operation);
}

std::vector<std::string> read_string_points(const Dataset& ds, const std::vector<hsize_t>& rows,
                                            const fs::path& path) {
  const std::string operation = "read dataset " + ds.name();
  if (rows.empty()) return {};
  const Handle file_space = make(H5Dget_space(ds.get()), H5Sclose, path, operation);
  check_status(H5Sselect_elements(file_space.get(), H5S_SELECT_SET, rows.size(), rows.data()), path,
               operation);
  return read_strings(ds.get(), false, file_space.get(), rows.size(), path, operation);
}

std::vector<std::string> read_all_strings(const Dataset& ds, const std::vector<hsize_t>& expected,
                                          const fs::path& path) {
  require_shape(ds, expected, path);
  return read_strings(ds.get(), false, H5S_ALL, element_count(expected), path,
                      "read dataset " + ds.name());
}

std::vector<std::string> read_all_strings(hid_t loc, const std::string& name,
                                          const std::vector<hsize_t>& expected,
                                          const fs::path& path, std::string_view missing) {
  return read_all_strings(open_dataset(loc, name, path, missing), expected, path);
}

Dataset string_dataset(hid_t loc, const std::string& name, const std::vector<std::string>& values,
                       Describe what, const fs::path& path) {
  const Handle type = string_type(path);
  Dataset ds = create_dataset(loc, name, type.get(), {values.size()}, {}, 0, what, path);
  write_string_rows(ds, 0, values, values.size(), path);
  return ds;
}

// ------------------------------------------------------------------------------------------
// Dimension scales.

void make_scale(const Dataset& ds, const std::string& name, const fs::path& path) {
  check_status(H5DSset_scale(ds.get(), name.c_str()), path, "make dimension scale " + ds.name());
}

void attach_scales(const Dataset& ds, std::span<const Dataset* const> scales,
                   const fs::path& path) {
  unsigned axis = 0;
  for (const Dataset* scale : scales) {
    check_status(H5DSattach_scale(ds.get(), scale->get(), axis++), path,
                 "attach dimension scale " + scale->name() + " to " + ds.name());
  }
}

void attach_scales(const Dataset& ds, std::initializer_list<const Dataset*> scales,
                   const fs::path& path) {
  attach_scales(ds, std::span<const Dataset* const>(scales.begin(), scales.size()), path);
}

std::vector<hsize_t> scale_lengths(std::span<const Dataset* const> scales, const fs::path& path) {
  std::vector<hsize_t> shape;
  shape.reserve(scales.size());
  for (const Dataset* scale : scales) shape.push_back(length_of(*scale, path));
  return shape;
}

// ------------------------------------------------------------------------------------------
// Groups.

Handle create_group(hid_t loc, const std::string& name, GroupOrder order, const fs::path& path) {
  const std::string operation = "create group " + object_name(loc) + "/" + name;
  const Handle gcpl = make(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, path, operation);
  const unsigned flags = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
  check_status(H5Pset_link_creation_order(gcpl.get(), flags), path, operation);
  if (order == GroupOrder::links_and_attributes) {
    check_status(H5Pset_attr_creation_order(gcpl.get(), flags), path, operation);
  }
  return make(H5Gcreate2(loc, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose, path,
              operation);
}

Handle open_group(hid_t loc, const std::string& name, const fs::path& path,
                  std::string_view missing) {
  const std::string full = object_name(loc) + "/" + name;
  if (!has_link(loc, name)) throw OutputError(path, "open group " + full, std::string(missing));
  return open_group_as(loc, name, full, path);
}

Handle open_group_as(hid_t loc, const std::string& name, const std::string& label,
                     const fs::path& path) {
  return make(H5Gopen2(loc, name.c_str(), H5P_DEFAULT), H5Gclose, path, "open group " + label);
}

Handle root_group(hid_t file, const fs::path& path) {
  return make(H5Gopen2(file, "/", H5P_DEFAULT), H5Gclose, path, "open root group");
}

void delete_group(hid_t loc, const std::string& name, const fs::path& path) {
  check_status(H5Ldelete(loc, name.c_str(), H5P_DEFAULT), path,
               "delete group " + object_name(loc) + "/" + name);
}

std::vector<std::string> link_names(hid_t group, const fs::path& path) {
  std::vector<std::string> names;
  check_status(
      H5Literate(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, append_name<H5L_info_t>, &names),
      path, "read group " + object_name(group));
  return names;
}

}  // namespace interdep::h5
