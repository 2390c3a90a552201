// Result files: one HDF5 file per run, laid out so that netCDF-4 readers (xarray with the
// h5netcdf engine, netCDF-C) see named dimensions. docs/output-format.md describes the layout.
//
// The writer is free of model logic: it turns a frozen ScenarioSpec, a Trajectory and an
// EventLog into datasets, and nothing else. Writes are atomic: the file is written under a
// temporary name in the target's directory and renamed onto the target only when complete.
// RunFileWriter streams: the datasets over time grow by each window of frames a run hands it
// (chunked by Trajectory::window_frames frames), so a run need not hold its whole trajectory;
// write_run writes a whole Trajectory through it, giving the same file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/network/network_record.hpp"
#include "engine/run/event_log.hpp"
#include "engine/run/recorded_run.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/scenario/spec.hpp"
#include "output/hdf5/output_error.hpp"

namespace interdep {

// The format tag stored in the root attribute `conventions`.
inline constexpr std::string_view kOutputConventions = "interdep-1";

// A run file being written frame window by frame window.
class RunFileWriter {
 public:
  // Creates the file under a temporary name next to `path` with everything known before the run
  // (attributes, coordinates, the datasets over time, none of their frames yet). `term_names`:
  // the model's decision terms. `network`: the /network group's corridor graph (a
  // NetworkAnalyzer's layout(), or any record of the run), or nullptr to write no /network.
  RunFileWriter(const std::filesystem::path& path, const ScenarioSpec& spec,
                std::span<const std::string> term_names, const RunMetadata& meta,
                const NetworkRecord* network);
  // The same file made in memory only (interdep's Python module): nothing touches the disk;
  // `name` stands for the file in errors; finish_image gives the finished file's bytes.
  struct InMemory {};
  RunFileWriter(InMemory, const std::string& name, const ScenarioSpec& spec,
                std::span<const std::string> term_names, const RunMetadata& meta,
                const NetworkRecord* network);
  // Without a finish(): closes and removes the temporary file; `path` is untouched.
  ~RunFileWriter();
  RunFileWriter(const RunFileWriter&) = delete;
  RunFileWriter& operator=(const RunFileWriter&) = delete;

  // Appends the window's frames, which must follow those appended before (window.first_frame()),
  // and their network measures (required with a /network group, window.frames() frames).
  void append(const Trajectory& window, const NetworkRecord* network);
  // Writes /events and /admissions from `log` and, when the scenario declares observations,
  // /observed from `observed` (observation_rows, engine/run/observation.hpp); closes the file
  // and renames it onto `path`.
  void finish(const EventLog& log, const std::vector<RunObservation>& observed = {});
  // For a file in memory, the same ending; returns the file's bytes (an HDF5 file image, byte
  // for byte a file finish would write but for the free space HDF5 leaves).
  std::vector<char> finish_image(const EventLog& log,
                                 const std::vector<RunObservation>& observed = {});

 private:
  RunFileWriter(const std::filesystem::path& path, const ScenarioSpec& spec,
                std::span<const std::string> term_names, const RunMetadata& meta,
                const NetworkRecord* network, bool in_memory);
  void write_ending(const EventLog& log, const std::vector<RunObservation>& observed);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Writes one run to `path` (docs/output-format.md). Only the first traj.frames() frames are
// written. `network` (analyze_network of the same run) becomes the /network group; nullptr
// writes none. Throws OutputError on any failure; then no temporary file is left behind and an
// existing file at `path` is untouched.
void write_run(const std::filesystem::path& path, const ScenarioSpec& spec, const Trajectory& traj,
               const EventLog& log, const RunMetadata& meta,
               const NetworkRecord* network = nullptr);

}  // namespace interdep
