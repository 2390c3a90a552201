// Result files: one HDF5 file per run, laid out so that netCDF-4 readers (xarray with the
// h5netcdf engine, netCDF-C) see named dimensions. docs/output-format.md describes the layout.
//
// The writer is free of model logic: it turns a frozen ScenarioSpec, a Trajectory and an
// EventLog into datasets, and nothing else. Writes are atomic: the file is written under a
// temporary name in the target's directory and renamed onto the target only when complete.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "engine/event_log.hpp"
#include "engine/spec.hpp"
#include "engine/trajectory.hpp"

namespace interdep {

// Who made the run and how; stored as root attributes next to the scenario.
struct RunMetadata {
  std::string engine_version;
  std::string model;
  std::uint64_t seed = 0;
  std::string created;       // ISO-8601 UTC, e.g. "2025-06-01T12:00:00Z"
  std::string command_line;
};

// A result file could not be written or read. what() names the path, the operation that
// failed and, for HDF5 failures, HDF5's own description of the error.
class OutputError : public std::runtime_error {
 public:
  OutputError(std::filesystem::path path, std::string operation, std::string detail);

  const std::filesystem::path& path() const { return path_; }
  const std::string& operation() const { return operation_; }
  const std::string& detail() const { return detail_; }

 private:
  std::filesystem::path path_;
  std::string operation_;
  std::string detail_;
};

// The format tag stored in the root attribute `conventions`.
inline constexpr std::string_view kOutputConventions = "interdep-1";

// Writes one run to `path` (docs/output-format.md). Only the first traj.frames() frames are
// written. Throws OutputError on any failure; then no temporary file is left behind and an
// existing file at `path` is untouched.
void write_run(const std::filesystem::path& path, const ScenarioSpec& spec, const Trajectory& traj,
               const EventLog& log, const RunMetadata& meta);

// HDF5 plumbing shared by the writer and the reader (output/hdf5_reader.cpp) and the tests.
// Not part of the stable interface.
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

// Throw OutputError(path, operation, error_message()) when an HDF5 call failed.
hid_t check_id(hid_t id, const std::filesystem::path& path, std::string_view operation);
void check_status(herr_t status, const std::filesystem::path& path, std::string_view operation);
// Wraps a new identifier, throwing OutputError if it is invalid.
Handle make(hid_t id, Handle::Closer closer, const std::filesystem::path& path,
            std::string_view operation);

// Variable-length UTF-8 string type.
Handle string_type(const std::filesystem::path& path);

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
