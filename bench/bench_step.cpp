// Benchmarks of the step loop (docs/performance.md).
//
//   BM_Step/N          one Simulation::step() of a synthetic N-actor scenario (Euler)
//   BM_StepRK4/N       the same with model.decide.integrator = "rk4"
//   BM_StepThreads2/N  BM_Step with two threads sharing each step (wall-clock time)
//   BM_EigenProduct/N  one N x N row-major double product C = A * B, the yardstick
//   BM_StepProduct/N/k the same product as the step computes it (matrix_product.hpp), on kernel
//                      k (0 SSE2, 1 AVX2, 2 AVX-512; skipped where the CPU lacks it)
//   BM_BaselineRun     scenarios/baseline.toml, 10 years monthly, recorded in memory
//   BM_BaselineRunRK4  the same with the RK4 integrator
//
// The synthetic scenarios are TOML text fed to load_scenario_text, so they pass through the
// real loader and its validation. They are drawn from a fixed seed: every run of the benchmark
// steps the same scenarios.
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bench/synthetic_scenario.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/simulation.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/scenario/spec.hpp"
#include "models/interdependence/matrix_product.hpp"
#include "models/registry.hpp"
#include "output/run_file/run_stream.hpp"
#include "output/run_file/run_writer.hpp"

namespace {

using interdep::LoadOptions;
using interdep::Rng;
using interdep::ScenarioSpec;
using interdep::bench::synthetic_scenario;

constexpr std::uint64_t kGeneratorSeed = 20261122;  // fixed: the synthetic scenarios never change
constexpr std::uint64_t kRunSeed = 1;               // seed of the simulations themselves
// Variants of the synthetic runs, as one --set override each ("" = defaults).
constexpr const char* kEuler = "";
constexpr const char* kRk4 = "model.decide.integrator=\"rk4\"";
constexpr const char* kUntracked = "output.contributions=false";

// The synthetic spec of n actors, generated and loaded once per process and variant.
const ScenarioSpec& synthetic_spec(std::size_t n, const std::string& variant) {
  static std::map<std::pair<std::size_t, std::string>, ScenarioSpec> cache;
  auto it = cache.find({n, variant});
  if (it == cache.end()) {
    LoadOptions options;
    if (!variant.empty()) options.overrides = {variant};
    it = cache
             .emplace(std::pair{n, variant},
                      interdep::load_scenario_text(synthetic_scenario(n), "synthetic.toml", ".",
                                                   options))
             .first;
  }
  return it->second;
}

const ScenarioSpec& baseline_spec(bool rk4) {
  static std::map<bool, ScenarioSpec> cache;
  auto it = cache.find(rk4);
  if (it == cache.end()) {
    LoadOptions options;
    if (rk4) options.overrides = {"model.decide.integrator=\"rk4\""};
    it = cache
             .emplace(rk4, interdep::load_scenario(INTERDEP_SOURCE_DIR "/scenarios/baseline.toml",
                                                   options))
             .first;
  }
  return it->second;
}

// ---------------------------------------------------------------------------------------------
// Benchmarks

void step_benchmark(benchmark::State& state, const char* variant, std::size_t threads = 1) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const ScenarioSpec& spec = synthetic_spec(n, variant);
  std::optional<interdep::Simulation> sim;
  auto rebuild = [&] {
    sim.emplace(spec, interdep::make_model(spec), kRunSeed, threads);
    sim->step();  // warm-up: the first step touches every scratch matrix
  };
  rebuild();
  for (auto _ : state) {
    if (sim->done()) {
      state.PauseTiming();
      rebuild();
      state.ResumeTiming();
    }
    sim->step();
    benchmark::DoNotOptimize(sim->state().relations.data());
    benchmark::ClobberMemory();
  }
  const double pairs = static_cast<double>(n * n);
  state.SetItemsProcessed(state.iterations());  // items = steps
  state.counters["N"] = static_cast<double>(n);
  // Inverted rate of N^2 pairs per iteration: seconds per actor pair per step (the console shows
  // it with an SI prefix, e.g. "per_pair=250ns"; the JSON output in seconds).
  state.counters["per_pair"] = benchmark::Counter(
      pairs, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_Step(benchmark::State& state) { step_benchmark(state, kEuler); }
void BM_StepRK4(benchmark::State& state) { step_benchmark(state, kRk4); }
// Euler with two threads sharing each step (interdep run -j 2; the same results bit for bit).
// Its time is wall-clock time: the CPU time Google Benchmark counts is the calling thread's.
void BM_StepThreads2(benchmark::State& state) { step_benchmark(state, kEuler, 2); }
// Euler without tracking the decision terms' increments ([output] contributions = false).
void BM_StepUntracked(benchmark::State& state) { step_benchmark(state, kUntracked); }

// Two N x N operands of uniform draws in [-1, 1), the same for every product benchmark.
void fill_operands(double* a, double* b, std::size_t size) {
  Rng rng(kGeneratorSeed);
  for (std::size_t i = 0; i < size; ++i) {
    a[i] = 2.0 * rng.uniform() - 1.0;
    b[i] = 2.0 * rng.uniform() - 1.0;
  }
}

void count_products(benchmark::State& state) {
  const auto nd = static_cast<double>(state.range(0));
  state.counters["N"] = nd;
  state.counters["flops"] =
      benchmark::Counter(2.0 * nd * nd * nd, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_EigenProduct(benchmark::State& state) {
  using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const auto n = static_cast<Eigen::Index>(state.range(0));
  Matrix a(n, n), b(n, n), c = Matrix::Zero(n, n);
  fill_operands(a.data(), b.data(), static_cast<std::size_t>(a.size()));
  for (auto _ : state) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  count_products(state);
}

void BM_StepProduct(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto kernel = static_cast<interdep::ProductKernel>(state.range(1));
  if (kernel > interdep::kernels_here().back()) {
    state.SkipWithError("this CPU does not run the kernel");
    return;
  }
  state.SetLabel(std::string(interdep::kernel_name(kernel)));
  std::vector<double> a(n * n), b(n * n), c(n * n, 0.0);
  fill_operands(a.data(), b.data(), a.size());
  for (auto _ : state) {
    interdep::multiply_on(kernel, a.data(), b.data(), c.data(), n, n, n);
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  count_products(state);
}

void run_benchmark(benchmark::State& state, bool rk4) {
  const ScenarioSpec& spec = baseline_spec(rk4);
  for (auto _ : state) {
    interdep::RunResult result = interdep::run_scenario(spec, spec.seed);
    benchmark::DoNotOptimize(result.trajectory.frames());
  }
  const auto steps = static_cast<double>(spec.time.steps);
  state.counters["steps"] = steps;
  state.counters["per_step"] = benchmark::Counter(  // seconds per step, as per_pair above
      steps, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_BaselineRun(benchmark::State& state) { run_benchmark(state, false); }
void BM_BaselineRunRK4(benchmark::State& state) { run_benchmark(state, true); }

// A sink that takes each window and keeps nothing: recording without a destination.
struct DiscardingSink final : interdep::FrameSink {
  std::size_t frames = 0;
  void take(const interdep::Trajectory& window) override { frames += window.frames(); }
};

// A whole synthetic N-actor run (10 years monthly, every decision term's contributions), streamed
// as `interdep run` streams it, recording every step (range(1) = 1) or only the first and last
// frames (range(1) = 0: [output] every = the run's steps): the cost of recording (issue 10,
// item 6). The windows go to a sink that discards them: the file's cost is BM_StreamedRunFile's.
void BM_RunRecording(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  ScenarioSpec spec = synthetic_spec(n, kEuler);
  if (state.range(1) == 0) spec.record.every = spec.time.steps;
  for (auto _ : state) {
    DiscardingSink sink;
    const interdep::EventLog log =
        interdep::simulate_into(spec, interdep::make_model(spec), kRunSeed, sink);
    benchmark::DoNotOptimize(sink.frames);
  }
  state.counters["N"] = static_cast<double>(n);
  state.counters["every_step"] = static_cast<double>(state.range(1));
}

// The same run streamed into a run file in the temporary directory (network analysis off, no
// compression), every step (range(1) = 1) or the first and last frames: `interdep run -q`.
void BM_StreamedRunFile(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  ScenarioSpec spec = synthetic_spec(n, kEuler);
  spec.record.network = false;
  if (state.range(1) == 0) spec.record.every = spec.time.steps;
  const std::filesystem::path out = std::filesystem::temp_directory_path() /
                                    ("interdep-bench-stream-" + std::to_string(::getpid()) + ".h5");
  interdep::RunMetadata meta;
  meta.engine_version = "bench";
  meta.model = spec.model;
  for (auto _ : state) {
    std::unique_ptr<interdep::Model> model = interdep::make_model(spec);
    interdep::RunFileSink sink(out, spec, model->term_names(), meta, false);
    sink.finish(interdep::simulate_into(spec, std::move(model), kRunSeed, sink));
  }
  state.counters["N"] = static_cast<double>(n);
  state.counters["every_step"] = static_cast<double>(state.range(1));
  state.counters["MiB"] = static_cast<double>(std::filesystem::file_size(out)) / (1 << 20);
  std::filesystem::remove(out);
}

// Writing a run file: a synthetic N-actor run (simulated once per process and variant, network
// analysis off) written to a temporary file at the deflate level range(1) ([output] compression).
// Counter MiB: the file's size.
void write_benchmark(benchmark::State& state, const char* variant) {
  const auto n = static_cast<std::size_t>(state.range(0));
  static std::map<std::pair<std::size_t, std::string>, interdep::RunResult> runs;
  ScenarioSpec spec = synthetic_spec(n, variant);
  spec.record.network = false;
  auto it = runs.find({n, variant});
  if (it == runs.end())
    it = runs.emplace(std::pair{n, std::string(variant)}, interdep::run_scenario(spec, kRunSeed))
             .first;
  spec.record.compression = static_cast<int>(state.range(1));
  const std::filesystem::path out = std::filesystem::temp_directory_path() /
                                    ("interdep-bench-write-" + std::to_string(::getpid()) + ".h5");
  interdep::RunMetadata meta;
  meta.engine_version = "bench";
  meta.model = spec.model;
  for (auto _ : state)
    interdep::write_run(out, spec, it->second.trajectory, it->second.log, meta, nullptr);
  state.counters["N"] = static_cast<double>(n);
  state.counters["level"] = static_cast<double>(state.range(1));
  state.counters["MiB"] = static_cast<double>(std::filesystem::file_size(out)) / (1 << 20);
  std::filesystem::remove(out);
}

// Defaults (every decision term's contributions recorded).
void BM_WriteRun(benchmark::State& state) { write_benchmark(state, kEuler); }
// Without the contributions ([output] contributions = false).
void BM_WriteRunUntracked(benchmark::State& state) { write_benchmark(state, kUntracked); }

}  // namespace

BENCHMARK(BM_RunRecording)->ArgsProduct({{5, 50}, {0, 1}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RunRecording)
    ->ArgsProduct({{200}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);
BENCHMARK(BM_StreamedRunFile)->ArgsProduct({{5, 50}, {0, 1}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StreamedRunFile)
    ->ArgsProduct({{200}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);
BENCHMARK(BM_WriteRun)
    ->ArgsProduct({{5, 50}, {0, 1, 4}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK(BM_WriteRunUntracked)
    ->ArgsProduct({{200}, {0, 1, 4}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);
BENCHMARK(BM_Step)->Arg(5)->Arg(20)->Arg(50)->Arg(200)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_StepRK4)->Arg(5)->Arg(20)->Arg(50)->Arg(200)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_StepThreads2)->Arg(50)->Arg(200)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_StepUntracked)->Arg(5)->Arg(20)->Arg(50)->Arg(200)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_EigenProduct)
    ->Arg(5)
    ->Arg(7)
    ->Arg(8)
    ->Arg(12)
    ->Arg(16)
    ->Arg(20)
    ->Arg(50)
    ->Arg(200)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_StepProduct)->ArgsProduct({{5, 50, 200}, {0, 1, 2}})->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BaselineRun)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BaselineRunRK4)->Unit(benchmark::kMillisecond);
