// Running a sweep: the run plans spread over threads (and MPI ranks), each finished run
// streamed into shard files, interrupted sweeps resumed, the shards merged into one file.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "engine/sweep/sweep_spec.hpp"
#include "engine/trajectory.hpp"
#include "output/sweep_file.hpp"  // RunRecord, parts_directory

namespace interdep::sweep {

struct Progress {
  std::size_t total = 0;      // runs of the whole sweep
  std::size_t done = 0;       // finished (done or failed), including those found on resume
  std::size_t failed = 0;
  std::size_t resumed = 0;    // found complete in existing shards
  double seconds = 0.0;       // since this process started running
};

struct SweepOptions {
  std::filesystem::path output;
  unsigned threads = 0;         // 0: all cores
  bool resume = false;
  int rank = 0;                 // MPI rank and size (1 without MPI)
  int ranks = 1;
  double shard_seconds = 2.0;   // write a shard at least this often while runs finish
  std::size_t shard_runs = 4096;  // and whenever this many records are waiting
  std::string command_line;
  const std::atomic<bool>* cancel = nullptr;  // polled: stop taking new runs
  std::function<void(const Progress&)> progress;  // called from the writing thread
  // Collective AND over the ranks (MPI_Allreduce); also a barrier. Unset: one process.
  std::function<bool(bool)> all_agree;
};

struct SweepOutcome {
  Progress progress;
  bool complete = false;   // every run has a record and (rank 0) the output was merged
  bool stopped = false;    // stopped early: cancelled, or a failure under on_failure = "stop"
};

// Throws InputError for bad input (including a parts directory that does not belong to this
// sweep) and OutputError for files that cannot be written.
SweepOutcome run_sweep(const SweepSpec& sweep, const SweepOptions& options);

// The value of `output` at frame f of a run's trajectory.
double output_value(const Trajectory& trajectory, std::size_t frame, const OutputSpec& output);

}  // namespace interdep::sweep
