// Result files: one HDF5 file per run, laid out so that netCDF-4 readers (xarray with the
// h5netcdf engine, netCDF-C) see named dimensions. docs/output-format.md describes the layout.
//
// The writer is free of model logic: it turns a frozen ScenarioSpec, a Trajectory and an
// EventLog into datasets, and nothing else. Writes are atomic: the file is written under a
// temporary name in the target's directory and renamed onto the target only when complete.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "engine/network/network_record.hpp"
#include "engine/run/event_log.hpp"
#include "engine/run/recorded_run.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/scenario/spec.hpp"
#include "output/hdf5/output_error.hpp"

namespace interdep {

// The format tag stored in the root attribute `conventions`.
inline constexpr std::string_view kOutputConventions = "interdep-1";

// Writes one run to `path` (docs/output-format.md). Only the first traj.frames() frames are
// written. `network` (analyze_network of the same run) becomes the /network group; nullptr
// writes none. Throws OutputError on any failure; then no temporary file is left behind and an
// existing file at `path` is untouched.
void write_run(const std::filesystem::path& path, const ScenarioSpec& spec, const Trajectory& traj,
               const EventLog& log, const RunMetadata& meta,
               const NetworkRecord* network = nullptr);

}  // namespace interdep
