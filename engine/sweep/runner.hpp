// Running a sweep: the run plans spread over threads (and MPI ranks), each finished run handed
// to a RunStore in batches, runs the store already holds skipped (resume), and the store asked
// to finish when every rank is done. The runner is handed what runs a scenario (RunScenario) and
// what receives finished runs (RunStore): it includes neither a model nor a file writer; the
// command line hands it models/registry.hpp's run_scenario and output/sweep_file's ShardStore.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/run/frame_sink.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/scenario/spec.hpp"
#include "engine/sweep/run_record.hpp"
#include "engine/sweep/sweep_spec.hpp"

namespace interdep::sweep {

struct Progress {
  std::size_t total = 0;    // runs of the whole sweep
  std::size_t done = 0;     // finished (done or failed), including those found on resume
  std::size_t failed = 0;   // of those, failed (including those found on resume)
  std::size_t resumed = 0;  // found complete in existing shards
  double seconds = 0.0;     // since this process started running
};

// What runs one scenario: the whole run of `spec` with `seed`, its recorded frames handed to
// `sink` in windows of at most `window_bytes` (models/registry.hpp's stream_scenario). The runner
// reduces each window to the sweep's outputs as it comes, so a run's frames are never held whole.
using RunScenario = std::function<void(const ScenarioSpec& spec, std::uint64_t seed,
                                       FrameSink& sink, std::uint64_t window_bytes)>;

// The window a sweep's run streams its frames through: small enough to stay in the core's cache
// and below malloc's mmap threshold, so that a worker's runs reuse memory instead of faulting
// fresh pages in for every run (a whole ten-year trajectory of the baseline is about 1 MB).
inline constexpr std::uint64_t kRunWindowBytes = std::uint64_t{64} << 10;

// What receives finished runs. Each call may throw (InputError, OutputError, ...); the runner
// lets it through, after the ranks agree where they must.
class RunStore {
 public:
  virtual ~RunStore() = default;
  // Rank 0 only, before any run: make the store ready for this sweep, or (resuming) check that
  // what it holds belongs to this very sweep and scenario, laid out as `layout`.
  virtual void prepare(const SweepSpec& sweep, const std::string& scenario_text,
                       const SweepLayout& layout) = 0;
  // Every rank, after prepare: calls `run` with the index of every run the store already holds
  // and whether that run failed (in any order; a run may come more than once), so that the
  // caller keeps only a bit a run.
  virtual void visit_stored_runs(const std::function<void(std::size_t, bool)>& run) = 0;
  // Rank 0, after the ranks agreed that the sweep stopped (every rank's runs stored): the `most`
  // failed runs of lowest index the store holds, whichever rank or earlier process ran them,
  // with why each failed.
  virtual std::vector<std::pair<std::size_t, std::string>> stored_failures(std::size_t most) = 0;
  // Stores a batch of finished runs of this rank, in any order (called from one thread).
  virtual void store(const SweepLayout& layout, const std::vector<RunRecord>& batch) = 0;
  // Rank 0 only, once every rank stored all of its runs: the sweep's one result.
  virtual void finish(const SweepLayout& layout, const SweepMeta& meta,
                      const DesignRows& design) = 0;
};

// The most worker threads a process may start (-j): 1024, beyond any machine's cores but far
// below the thousands that make thread creation fail.
inline constexpr unsigned kMaxThreads = 1024;

struct SweepOptions {
  unsigned threads = 0;  // 0: all cores; at most kMaxThreads
  int rank = 0;          // MPI rank and size (1 without MPI)
  int ranks = 1;
  double shard_seconds = 2.0;     // hand the store a batch at least this often while runs finish
  std::size_t shard_runs = 4096;  // and whenever this many records are waiting
  std::string command_line;
  const std::atomic<bool>* cancel = nullptr;      // polled: stop taking new runs
  std::function<void(const Progress&)> progress;  // called from the writing thread
  // Collective AND over the ranks (MPI_Allreduce); also a barrier. Unset: one process.
  std::function<bool(bool)> all_agree;
  // Rank 0's value, handed to every rank (MPI_Bcast); collective. Unset: one process.
  std::function<int(int)> from_rank0;
};

// What a rank other than 0 throws when rank 0 could not prepare or finish the sweep's output:
// rank 0 says why (one message, not one a rank); `bad_input` as rank 0's error was.
struct OtherRankFailed : std::runtime_error {
  explicit OtherRankFailed(bool input_refused)
      : std::runtime_error("rank 0 could not prepare or finish the sweep (see its message)"),
        bad_input(input_refused) {}
  bool bad_input;
};

struct SweepOutcome {
  Progress progress;
  bool complete = false;  // every run has a record and (rank 0) the output was merged
  bool stopped = false;   // stopped early: cancelled, or a failure under on_failure = "stop"
  // Failed runs (at most kFailuresKept), with why: what a sweep stopped by on_failure = "stop"
  // says it stopped for. On rank 0 of a stopped sweep, the lowest-numbered the store holds (every
  // rank's, and those of a process before a resume); otherwise the first this rank saw fail.
  static constexpr std::size_t kFailuresKept = 5;
  std::vector<std::pair<std::size_t, std::string>> failures;
};

// Throws InputError for bad input and whatever `store` throws (e.g. OutputError for files that
// cannot be written, InputError for a store that belongs to another sweep).
SweepOutcome run_sweep(const SweepSpec& sweep, const SweepOptions& options,
                       const RunScenario& run_scenario, RunStore& store);

// What a finished run of `sweep` can record of each output (SweepLayout::bounds), from the
// model's guarantees (docs/model.md) and the base scenario.
std::vector<OutputBounds> output_bounds(const SweepSpec& sweep, const ScenarioSpec& base);

// The value of `output` at frame f of a run's trajectory.
double output_value(const Trajectory& trajectory, std::size_t frame, const OutputSpec& output);

}  // namespace interdep::sweep
