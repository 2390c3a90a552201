// Attributes of groups and datasets: scalar and 1-D numbers, strings and string arrays, written
// (replacing an attribute of the same name) and read back with their size and class checked.
//
// Errors: OutputError(path, "<write|read> attribute <object>@<name>", reason), where <object> is
// the HDF5 path of the group or dataset ("" for the root group). Numbers are stored in the
// little-endian file type of Types<T> (hdf5_handle.hpp: double, int64, int32, int8, uint8,
// uint64) and converted to T when read; strings are variable-length UTF-8 (netCDF-4 strings).
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "output/hdf5/hdf5_handle.hpp"

namespace interdep::h5 {

// The operation named in errors about attribute `name` of `obj`: "<what> attribute
// /design/point@units".
std::string attribute_operation(std::string_view what, hid_t obj, const std::string& name);

// ------------------------------------------------------------------------------------------
// Writing.

// Writes `data` (in `memory_type`) as attribute `name` of `obj`, of `file_type` over `space` (a
// scalar or simple dataspace), replacing an existing attribute of that name. The typed
// functions below are what callers use.
void write_attribute(hid_t obj, const std::string& name, hid_t file_type, hid_t memory_type,
                     hid_t space, const void* data, const std::filesystem::path& path);

// A scalar number attribute.
void write_number_attribute(hid_t obj, const std::string& name, hid_t file_type, hid_t memory_type,
                            const void* value, const std::filesystem::path& path);
template <class T>
void write_number_attribute(hid_t obj, const std::string& name, T value,
                            const std::filesystem::path& path) {
  write_number_attribute(obj, name, Types<T>::file(), Types<T>::memory(), &value, path);
}

// A 1-D number attribute of values.size() elements (netCDF: an attribute with several values).
void write_numbers_attribute(hid_t obj, const std::string& name, hid_t file_type, hid_t memory_type,
                             std::size_t count, const void* values,
                             const std::filesystem::path& path);
template <class T>
void write_numbers_attribute(hid_t obj, const std::string& name, const std::vector<T>& values,
                             const std::filesystem::path& path) {
  write_numbers_attribute(obj, name, Types<T>::file(), Types<T>::memory(), values.size(),
                          values.data(), path);
}

// A scalar string attribute.
void write_string_attribute(hid_t obj, const std::string& name, std::string_view value,
                            const std::filesystem::path& path);

// A 1-D string attribute (a netCDF string attribute with several values; an empty list and a
// list of one empty string stay distinct).
void write_strings_attribute(hid_t obj, const std::string& name,
                             const std::vector<std::string>& values,
                             const std::filesystem::path& path);

// ------------------------------------------------------------------------------------------
// Reading. `missing` is the reason given when the attribute does not exist (kMissing, or the
// reader's own, e.g. "missing; not a sweep file or a damaged one").

bool has_attribute(hid_t obj, const std::string& name);

// Opens attribute `name` of `obj`; OutputError(path, operation, missing) if there is none.
Handle open_attribute(hid_t obj, const std::string& name, const std::filesystem::path& path,
                      const std::string& operation, std::string_view missing = kMissing);

// Number of elements of an open attribute (1 for a scalar).
std::size_t attribute_size(hid_t attr, const std::filesystem::path& path,
                           const std::string& operation);

// OutputError(path, operation, "expected a single value") unless an open attribute holds
// exactly one element.
void require_single(hid_t attr, const std::filesystem::path& path, const std::string& operation);

// Every string of a string attribute (scalar: one; variable- or fixed-length). OutputError if
// it is not a string.
std::vector<std::string> read_strings_attribute(hid_t obj, const std::string& name,
                                                const std::filesystem::path& path,
                                                std::string_view missing = kMissing);

// A string attribute holding exactly one string ("expected a single string" otherwise).
std::string read_string_attribute(hid_t obj, const std::string& name,
                                  const std::filesystem::path& path,
                                  std::string_view missing = kMissing);

// Opens an attribute that must hold integers or floating-point numbers ("not a number"
// otherwise), for read_attribute.
Handle open_number_attribute(hid_t obj, const std::string& name, const std::filesystem::path& path,
                             const std::string& operation, std::string_view missing = kMissing);

// Reads all of an open attribute, converted to `memory_type`, into `data`.
void read_attribute(hid_t attr, hid_t memory_type, void* data, const std::filesystem::path& path,
                    const std::string& operation);

// An integer or floating-point attribute of exactly one element ("expected a single value"
// otherwise), converted to T.
template <class T>
T read_number_attribute(hid_t obj, const std::string& name, const std::filesystem::path& path,
                        std::string_view missing = kMissing) {
  const std::string operation = attribute_operation("read", obj, name);
  const Handle attr = open_number_attribute(obj, name, path, operation, missing);
  require_single(attr.get(), path, operation);
  T value{};
  read_attribute(attr.get(), Types<T>::memory(), &value, path, operation);
  return value;
}

// Every element of an integer or floating-point attribute (a scalar: one), converted to T.
template <class T>
std::vector<T> read_numbers_attribute(hid_t obj, const std::string& name,
                                      const std::filesystem::path& path,
                                      std::string_view missing = kMissing) {
  const std::string operation = attribute_operation("read", obj, name);
  const Handle attr = open_number_attribute(obj, name, path, operation, missing);
  std::vector<T> values(attribute_size(attr.get(), path, operation));
  if (!values.empty())
    read_attribute(attr.get(), Types<T>::memory(), values.data(), path, operation);
  return values;
}

// The names of a group's attributes in creation order. The group must track attribute creation
// order (made by create_group(..., GroupOrder::links_and_attributes), datasets.hpp);
// OutputError(path, "read group <group>", ...) otherwise.
std::vector<std::string> attribute_names(hid_t group, const std::filesystem::path& path);

}  // namespace interdep::h5
