// The kernels a step could be built from, measured against each other so that a choice between
// them rests on a figure (docs/performance.md, "What a portable build gains from vectorised
// kernels"):
//
//   BM_Libm<fn>/N        glibc's scalar exp, log, pow and tanh over N values
//   BM_EigenArray<fn>/N  the same through Eigen's array functions (pow as exp(y log x), tanh
//                        as (1 - e)/(1 + e) with e = exp(-2|x|): Eigen has no vectorised double
//                        pow or tanh for SSE2)
//   BM_EigenLazyProduct/N  an N x N coefficient-based product (no packing into blocks), against
//                          BM_EigenProduct/N (bench_step.cpp)
//
// N = 25 is a step's pairs at 5 actors, 40 000 at 200 actors.
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <cmath>
#include <cstdint>

#include "engine/run/rng.hpp"

namespace {

enum class Fn { exp, log, pow, tanh };
constexpr double kPowExponent = 0.7;  // a partner loss's 1/theta (docs/model.md §7.3)

// Values in the range the model feeds each function: relations' scale for exp and tanh, shares
// in (0, 1] for log and pow. Fixed seed: every run measures the same values.
Eigen::ArrayXd inputs(Fn fn, Eigen::Index n) {
  interdep::Rng rng(20261130);
  Eigen::ArrayXd a(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double u = rng.uniform();
    a[i] = (fn == Fn::log || fn == Fn::pow) ? 0.01 + 0.99 * u : 3.0 * u - 1.5;
  }
  return a;
}

template <Fn F>
void BM_Libm(benchmark::State& state) {
  const Eigen::ArrayXd a = inputs(F, state.range(0));
  Eigen::ArrayXd b(a.size());
  for (auto _ : state) {
    for (Eigen::Index i = 0; i < a.size(); ++i) {
      if constexpr (F == Fn::exp) b[i] = std::exp(a[i]);
      if constexpr (F == Fn::log) b[i] = std::log(a[i]);
      if constexpr (F == Fn::pow) b[i] = std::pow(a[i], kPowExponent);
      if constexpr (F == Fn::tanh) b[i] = std::tanh(a[i]);
    }
    benchmark::DoNotOptimize(b.data());
    benchmark::ClobberMemory();
  }
  state.counters["N"] = static_cast<double>(a.size());
}

template <Fn F>
void BM_EigenArray(benchmark::State& state) {
  const Eigen::ArrayXd a = inputs(F, state.range(0));
  Eigen::ArrayXd b(a.size()), e(a.size());
  for (auto _ : state) {
    if constexpr (F == Fn::exp) b = a.exp();
    if constexpr (F == Fn::log) b = a.log();
    if constexpr (F == Fn::pow) b = (kPowExponent * a.log()).exp();
    if constexpr (F == Fn::tanh) {
      e = (-2.0 * a.abs()).exp();
      b = ((1.0 - e) / (1.0 + e)) * a.sign();
    }
    benchmark::DoNotOptimize(b.data());
    benchmark::ClobberMemory();
  }
  state.counters["N"] = static_cast<double>(a.size());
}

void BM_EigenLazyProduct(benchmark::State& state) {
  using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const auto n = static_cast<Eigen::Index>(state.range(0));
  interdep::Rng rng(20261122);
  Matrix a(n, n), b(n, n), c = Matrix::Zero(n, n);
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    a.data()[i] = 2.0 * rng.uniform() - 1.0;
    b.data()[i] = 2.0 * rng.uniform() - 1.0;
  }
  for (auto _ : state) {
    c.noalias() = a.lazyProduct(b);
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  state.counters["N"] = static_cast<double>(n);
}

}  // namespace

BENCHMARK_TEMPLATE(BM_Libm, Fn::exp)->Arg(25)->Arg(40000);
BENCHMARK_TEMPLATE(BM_EigenArray, Fn::exp)->Arg(25)->Arg(40000);
BENCHMARK_TEMPLATE(BM_Libm, Fn::log)->Arg(25)->Arg(40000);
BENCHMARK_TEMPLATE(BM_EigenArray, Fn::log)->Arg(25)->Arg(40000);
BENCHMARK_TEMPLATE(BM_Libm, Fn::pow)->Arg(25)->Arg(40000);
BENCHMARK_TEMPLATE(BM_EigenArray, Fn::pow)->Arg(25)->Arg(40000);
BENCHMARK_TEMPLATE(BM_Libm, Fn::tanh)->Arg(25)->Arg(40000);
BENCHMARK_TEMPLATE(BM_EigenArray, Fn::tanh)->Arg(25)->Arg(40000);
BENCHMARK(BM_EigenLazyProduct)->Arg(5)->Arg(7)->Arg(8)->Arg(12)->Arg(16);
