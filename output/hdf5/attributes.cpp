#include "output/hdf5/attributes.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

namespace interdep::h5 {

namespace fs = std::filesystem;

std::string attribute_operation(std::string_view what, hid_t obj, const std::string& name) {
  return std::string(what) + " attribute " + object_name(obj) + "@" + name;
}

void write_attribute(hid_t obj, const std::string& name, hid_t file_type, hid_t memory_type,
                     hid_t space, const void* data, const fs::path& path) {
  const std::string operation = attribute_operation("write", obj, name);
  if (H5Aexists(obj, name.c_str()) > 0) {
    check_status(H5Adelete(obj, name.c_str()), path, operation);
  }
  const Handle attr =
      make(H5Acreate2(obj, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
           path, operation);
  const char none = 0;  // HDF5 refuses a null buffer even for an empty attribute
  check_status(H5Awrite(attr.get(), memory_type, data != nullptr ? data : &none), path, operation);
}

void write_number_attribute(hid_t obj, const std::string& name, hid_t file_type, hid_t memory_type,
                            const void* value, const fs::path& path) {
  const Handle space =
      make(H5Screate(H5S_SCALAR), H5Sclose, path, attribute_operation("write", obj, name));
  write_attribute(obj, name, file_type, memory_type, space.get(), value, path);
}

void write_numbers_attribute(hid_t obj, const std::string& name, hid_t file_type, hid_t memory_type,
                             std::size_t count, const void* values, const fs::path& path) {
  const hsize_t n = count;
  const Handle space = make(H5Screate_simple(1, &n, nullptr), H5Sclose, path,
                            attribute_operation("write", obj, name));
  write_attribute(obj, name, file_type, memory_type, space.get(), values, path);
}

void write_string_attribute(hid_t obj, const std::string& name, std::string_view value,
                            const fs::path& path) {
  const std::string operation = attribute_operation("write", obj, name);
  const std::string owned(value);
  const char* pointer = owned.c_str();
  const Handle type = string_type(path);
  const Handle space = make(H5Screate(H5S_SCALAR), H5Sclose, path, operation);
  write_attribute(obj, name, type.get(), type.get(), space.get(), &pointer, path);
}

void write_strings_attribute(hid_t obj, const std::string& name,
                             const std::vector<std::string>& values, const fs::path& path) {
  const std::string operation = attribute_operation("write", obj, name);
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& s : values) pointers.push_back(s.c_str());
  const hsize_t n = values.size();
  const Handle type = string_type(path);
  const Handle space = make(H5Screate_simple(1, &n, nullptr), H5Sclose, path, operation);
  write_attribute(obj, name, type.get(), type.get(), space.get(), pointers.data(), path);
}

bool has_attribute(hid_t obj, const std::string& name) { return H5Aexists(obj, name.c_str()) > 0; }

Handle open_attribute(hid_t obj, const std::string& name, const fs::path& path,
                      const std::string& operation, std::string_view missing) {
  if (!has_attribute(obj, name)) throw OutputError(path, operation, std::string(missing));
  return make(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose, path, operation);
}

std::size_t attribute_size(hid_t attr, const fs::path& path, const std::string& operation) {
  const Handle space = make(H5Aget_space(attr), H5Sclose, path, operation);
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  check_status(n < 0 ? -1 : 0, path, operation);
  return static_cast<std::size_t>(n);
}

void require_single(hid_t attr, const fs::path& path, const std::string& operation) {
  if (attribute_size(attr, path, operation) != 1) {
    throw OutputError(path, operation, "expected a single value");
  }
}

std::vector<std::string> read_strings_attribute(hid_t obj, const std::string& name,
                                                const fs::path& path, std::string_view missing) {
  const std::string operation = attribute_operation("read", obj, name);
  const Handle attr = open_attribute(obj, name, path, operation, missing);
  return read_strings(attr.get(), true, H5S_ALL, attribute_size(attr.get(), path, operation), path,
                      operation);
}

std::string read_string_attribute(hid_t obj, const std::string& name, const fs::path& path,
                                  std::string_view missing) {
  const std::vector<std::string> values = read_strings_attribute(obj, name, path, missing);
  if (values.size() != 1) {
    throw OutputError(path, attribute_operation("read", obj, name), "expected a single string");
  }
  return values.front();
}

Handle open_number_attribute(hid_t obj, const std::string& name, const fs::path& path,
                             const std::string& operation, std::string_view missing) {
  Handle attr = open_attribute(obj, name, path, operation, missing);
  const Handle type = make(H5Aget_type(attr.get()), H5Tclose, path, operation);
  const H5T_class_t cls = H5Tget_class(type.get());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT) throw OutputError(path, operation, "not a number");
  return attr;
}

void read_attribute(hid_t attr, hid_t memory_type, void* data, const fs::path& path,
                    const std::string& operation) {
  // H5Aread takes no transfer properties: the values are read as the file holds them and
  // converted with number_transfer(), whose conversion fails on a value the type cannot hold.
  const Handle file_type = make(H5Aget_type(attr), H5Tclose, path, operation);
  const H5T_class_t cls = H5Tget_class(file_type.get());
  if (cls != H5T_INTEGER && cls != H5T_FLOAT)
    throw OutputError(path, operation, "not a number: a damaged file");
  const Handle native =
      make(H5Tget_native_type(file_type.get(), H5T_DIR_ASCEND), H5Tclose, path, operation);
  const std::size_t count = attribute_size(attr, path, operation);
  const std::size_t memory_size = H5Tget_size(memory_type);
  const std::size_t each = std::max(H5Tget_size(native.get()), memory_size);
  if (each == 0) throw OutputError(path, operation, "has a type of no size: a damaged file");
  check_fits_in_memory(count, each, "values", path, operation);
  std::vector<unsigned char> buffer(count * each);
  check_status(H5Aread(attr, native.get(), buffer.data()), path, operation);
  check_number_read(
      H5Tconvert(native.get(), memory_type, count, buffer.data(), nullptr, number_transfer()), path,
      operation);
  std::memcpy(data, buffer.data(), count * memory_size);
}

std::vector<std::string> attribute_names(hid_t group, const fs::path& path) {
  std::vector<std::string> names;
  check_status(
      H5Aiterate2(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, nullptr, append_name<H5A_info_t>, &names),
      path, "read group " + object_name(group));
  return names;
}

}  // namespace interdep::h5
