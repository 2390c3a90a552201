// Benchmarks of sweeps (docs/performance.md, "Sweeps").
//
//   BM_SweepThreads/T            run_sweep of a 400-run LHS sweep of scenarios/baseline.toml on
//                                T = 1, 2 worker threads, summary recording only
//   BM_SweepRecording/summary    the same sweep on 2 threads, summary only
//   BM_SweepRecording/every      ... also recording series every 12 steps (record.mode = "every")
//   BM_SweepRecording/full       ... also recording series at every step (record.mode = "full")
//
// Each iteration is a whole sweep as `interdep sweep` runs it: the runs spread over the worker
// threads, the records streamed into shards under OUT.h5.parts/ and merged into OUT.h5. The
// sweep files are written into a temporary directory and loaded with load_sweep (the real loader
// and its validation); the output and its parts directory are removed after every iteration,
// with the timer paused. Times are wall-clock (UseRealTime); the CPU column is the CPU time of
// the whole process (MeasureProcessCPUTime), so CPU / real is the number of cores kept busy.
// items_per_second counts runs. Two more counters split each sweep in two, from the progress
// callback (which run_sweep calls from its writing thread whenever finished runs arrive):
//   running  seconds from the call of run_sweep until the writer has received the last run
//   tail     seconds from then until run_sweep returns (last shard, merge, and the writer's
//            wait for the workers to end)
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <system_error>

#include "engine/sweep/runner.hpp"
#include "engine/sweep/sweep_loader.hpp"
#include "engine/sweep/sweep_spec.hpp"
#include "models/registry.hpp"
#include "output/sweep_file/shard_store.hpp"
#include "output/sweep_file/sweep_file.hpp"

namespace {

namespace fs = std::filesystem;
using interdep::sweep::RecordMode;
using interdep::sweep::SweepSpec;

constexpr std::size_t kSamples = 400;  // LHS points, one replicate each: 400 runs per sweep

std::string_view mode_name(RecordMode mode) { return interdep::name_of(mode); }

// A per-process scratch directory, removed at exit.
class ScratchDir {
 public:
  ScratchDir()
      : path_(fs::temp_directory_path() / ("interdep-bench-sweep-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

const fs::path& scratch() {
  static const ScratchDir dir;
  return dir.path();
}

// The sweep file for a recording mode: LHS over Pakistan's risk attitude and the pressure rate
// (the ranges of scenarios/sweeps/pipeline-sobol.toml) on the baseline scenario.
std::string sweep_text(RecordMode mode) {
  std::string t;
  t += "name = \"bench-sweep-" + std::string(mode_name(mode)) + "\"\n";
  t += "description = \"Benchmark sweep (bench/bench_sweep.cpp)\"\n";
  t += "scenario = \"" INTERDEP_SOURCE_DIR "/scenarios/baseline.toml\"\n";
  t += "seed = 20261122\nreplicates = 1\n";
  t += "[design]\nkind = \"lhs\"\nsamples = " + std::to_string(kSamples) + "\n";
  t += "[parameters.\"actors.PAK.risk\"]\ndistribution = \"uniform\"\nmin = -1.0\nmax = 0.5\n";
  t += "[parameters.\"model.decide.pressure\"]\ndistribution = \"loguniform\"\nmin = 0.5\nmax = "
       "8.0\n";
  t += "[record]\nmode = \"" + std::string(mode_name(mode)) + "\"\nevery = 12\n";
  t += "outputs = [\"relation_overall[PAK,RUS]\", \"trade[RUS,PAK]\"]\n";
  t += "statistics = [\"final\", \"min\", \"max\", \"mean\"]\n";
  return t;
}

// Written and loaded once per process and mode.
const SweepSpec& sweep_spec(RecordMode mode) {
  static std::map<RecordMode, SweepSpec> cache;
  auto it = cache.find(mode);
  if (it == cache.end()) {
    const fs::path file = scratch() / ("sweep-" + std::string(mode_name(mode)) + ".toml");
    {
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out << sweep_text(mode);
      if (!out.flush()) throw std::runtime_error("cannot write " + file.string());
    }
    it = cache.emplace(mode, interdep::sweep::load_sweep(file)).first;
  }
  return it->second;
}

void remove_output(const fs::path& out) {
  fs::remove(out);
  fs::remove_all(interdep::sweep::parts_directory(out));
}

void sweep_benchmark(benchmark::State& state, RecordMode mode, unsigned threads) {
  const SweepSpec& spec = sweep_spec(mode);
  const std::size_t runs = kSamples * spec.replicates;
  const fs::path output = scratch() / ("out-" + std::string(mode_name(mode)) + ".h5");
  interdep::sweep::SweepOptions options;
  options.threads = threads;
  options.command_line = "bench_sweep";
  using Clock = std::chrono::steady_clock;
  Clock::time_point last_run{};
  options.progress = [&](const interdep::sweep::Progress& p) {
    if (p.done == p.total) last_run = Clock::now();
  };
  double running = 0.0, tail = 0.0;
  remove_output(output);
  for (auto _ : state) {
    const Clock::time_point start = Clock::now();
    interdep::sweep::ShardStore store(output, 0, false);
    const interdep::sweep::SweepOutcome outcome = interdep::sweep::run_sweep(
        spec, options,
        [](const interdep::ScenarioSpec& s, std::uint64_t seed, interdep::FrameSink& sink,
           std::uint64_t window_bytes) { interdep::stream_scenario(s, seed, sink, window_bytes); },
        store);
    const Clock::time_point end = Clock::now();
    state.PauseTiming();
    running += std::chrono::duration<double>(last_run - start).count();
    tail += std::chrono::duration<double>(end - last_run).count();
    const bool ok =
        outcome.complete && outcome.progress.failed == 0 && outcome.progress.done == runs;
    remove_output(output);
    state.ResumeTiming();
    if (!ok) {
      state.SkipWithError("the sweep did not complete every run");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<benchmark::IterationCount>(runs));  // items = runs
  state.counters["runs"] = static_cast<double>(runs);
  state.counters["threads"] = static_cast<double>(threads);
  // Wall-clock time per run (seconds in the JSON output, with an SI prefix on the console).
  state.counters["per_run"] =
      benchmark::Counter(static_cast<double>(runs), benchmark::Counter::kIsIterationInvariantRate |
                                                        benchmark::Counter::kInvert);
  state.counters["running"] = benchmark::Counter(running, benchmark::Counter::kAvgIterations);
  state.counters["tail"] = benchmark::Counter(tail, benchmark::Counter::kAvgIterations);
}

void BM_SweepThreads(benchmark::State& state) {
  sweep_benchmark(state, RecordMode::summary, static_cast<unsigned>(state.range(0)));
}

void BM_SweepRecording(benchmark::State& state, RecordMode mode) {
  sweep_benchmark(state, mode, 2);
}

}  // namespace

BENCHMARK(BM_SweepThreads)
    ->Arg(1)
    ->Arg(2)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SweepRecording, summary, RecordMode::summary)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SweepRecording, every, RecordMode::every)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SweepRecording, full, RecordMode::full)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
