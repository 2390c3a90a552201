// Reads a result file written by write_run (output/run_file/run_writer.hpp) back into plain data, for
// `interdep inspect` and for tests. docs/output-format.md describes the layout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/run/recorded_run.hpp"
#include "output/run_file/run_writer.hpp"

namespace interdep {

// A run's result file read back: the RecordedRun (engine/run/recorded_run.hpp) it holds.
using RunFile = RecordedRun;

// Throws OutputError naming `path` when the file is missing, is not HDF5, is not an interdep
// result (root attribute conventions = "interdep-1"), holds no frames, or a dataset is missing
// or misshapen; and, before reading its frames, when holding them would take more than
// `memory_limit` bytes (0: three quarters of this machine's memory, default_memory_limit).
RunFile read_run(const std::filesystem::path& path, std::uint64_t memory_limit = 0);

// Its root attributes alone (the scenario's text, name, seed, the command line), whatever the
// size of its frames; the same refusals of what is not a run file.
RunFile read_run_attributes(const std::filesystem::path& path);

}  // namespace interdep
