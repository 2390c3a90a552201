// Benchmark of the after-the-run network analysis (docs/performance.md):
//
//   BM_AnalyzeNetwork/N   analyze_network over a 10-year monthly run (121 frames) of N actors,
//                         five domains, N/10 transit hubs; the corridor graph changes once.
//                         N = 16 is the largest with exact balance camps (2^15 splits a frame),
//                         N = 50 and 200 take the spectral start and local search
//
//   BM_Betweenness/N/P    positive_tie_betweenness of one N-actor sign matrix whose ties are
//                         positive with probability P/100 and negative with 30 % of the rest
//                         (fixed seed): the measure of a frame that grows fastest with N
//   BM_BetweennessBoost/N/P  the same with Boost.Graph's Brandes betweenness (the reference)
//
// The trajectory is synthetic (relations drawn from a fixed seed, not simulated), so only the
// analysis is timed: signs, balance camps (factions), triads of the overall and of each domain's
// graph and betweenness every frame, routes when the open corridor edges change.
#include <benchmark/benchmark.h>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/betweenness_centrality.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/network/network_record.hpp"
#include "engine/network/signed_graph.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/state.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/scenario/spec.hpp"
#include "models/interdependence/terms.hpp"

namespace {

using interdep::Rng;

constexpr std::uint64_t kSeed = 20261122;  // fixed: every run of the benchmark sees the same data
constexpr std::size_t kDomains = 5;
constexpr std::int64_t kSteps = 120;  // 10 years monthly, every step recorded

// "A17": a one-letter prefix and a number (built with +=: GCC 12 warns falsely (-Wrestrict,
// GCC bug 105329) on "A" + std::to_string(i)).
std::string label(char prefix, std::size_t i) {
  std::string s(1, prefix);
  s += std::to_string(i);
  return s;
}

// n actors with n/10 (at least 2) transit hubs in a ring, every actor on one hub, n/2 direct
// actor-to-actor legs; the first direct leg starts closed and opens half-way.
interdep::ScenarioSpec network_spec(std::size_t n, Rng& rng) {
  interdep::ScenarioSpec spec;
  spec.time.steps = kSteps;
  for (std::size_t d = 0; d < kDomains; ++d)
    spec.domains.push_back({label('d', d), "", 0, 0, 0, 0});
  for (std::size_t i = 0; i < n; ++i) {
    interdep::ActorSpec a;
    a.code = label('A', i);
    a.interests.assign(kDomains, 1.0 / kDomains);
    spec.actors.push_back(a);
    spec.corridor_nodes.push_back({a.code, a.code});
  }
  const std::size_t hubs = std::max<std::size_t>(2, n / 10);
  for (std::size_t h = 0; h < hubs; ++h) spec.corridor_nodes.push_back({label('H', h), ""});
  auto add_edge = [&](std::size_t from, std::size_t to, bool open) {
    interdep::CorridorEdgeSpec e;
    e.name = label('E', spec.corridor_edges.size());
    e.from = from;
    e.to = to;
    e.cost = 0.5 + 2.5 * rng.uniform();
    e.open = open;
    spec.corridor_edges.push_back(e);
  };
  for (std::size_t h = 0; h < hubs; ++h) add_edge(n + h, n + (h + 1) % hubs, true);
  for (std::size_t i = 0; i < n; ++i) add_edge(i, n + i % hubs, true);
  for (std::size_t k = 0; k < n / 2; ++k) add_edge(k, (k * 7 + 3) % n, k != 0);
  return spec;
}

// A recorded trajectory whose relations wander from a seeded start by small monthly steps.
interdep::Trajectory network_trajectory(const interdep::ScenarioSpec& spec, Rng& rng) {
  const std::size_t n = spec.actor_count();
  interdep::Trajectory traj(spec, interdep::kTermNames);
  interdep::WorldState state;
  state.resize(interdep::Dims{n, kDomains, 0}, 0, spec.corridor_edges.size());
  state.corridor_open.assign(spec.corridor_edges.size(), 1);
  if (n / 2 > 0) state.corridor_open[spec.corridor_edges.size() - n / 2] = 0;  // the closed leg
  for (auto& r : state.relations) r = -0.8 + 1.6 * rng.uniform();
  for (std::int64_t s = 0; s <= kSteps; ++s) {
    state.step = s;
    if (s == kSteps / 2 && n / 2 > 0) state.corridor_open[spec.corridor_edges.size() - n / 2] = 1;
    for (auto& r : state.relations) r = std::clamp(r + 0.05 * (rng.uniform() - 0.5), -1.0, 1.0);
    for (std::size_t p = 0; p < n * n; ++p) {
      double sum = 0.0;
      for (std::size_t d = 0; d < kDomains; ++d) sum += state.relations[p * kDomains + d];
      state.relation_overall[p] = sum / kDomains;
    }
    traj.record(state);
  }
  return traj;
}

void BM_AnalyzeNetwork(benchmark::State& st) {
  const auto n = static_cast<std::size_t>(st.range(0));
  Rng rng(kSeed + n);
  const interdep::ScenarioSpec spec = network_spec(n, rng);
  const interdep::Trajectory traj = network_trajectory(spec, rng);
  for (auto _ : st) {
    interdep::NetworkRecord record = interdep::analyze_network(spec, traj);
    benchmark::DoNotOptimize(record.balanced_share.data());
  }
  st.counters["frames"] = static_cast<double>(traj.frames());
  st.counters["per_frame_us"] =
      benchmark::Counter(static_cast<double>(traj.frames()) * static_cast<double>(st.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_AnalyzeNetwork)->Arg(5)->Arg(16)->Arg(50)->Arg(200)->Unit(benchmark::kMillisecond);

// An n-actor sign matrix, ties positive with probability `positive`, negative with 30 % of the
// rest.
std::vector<std::int8_t> random_signs(std::size_t n, double positive) {
  Rng rng(kSeed + n);
  std::vector<std::int8_t> sign(n * n, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const double u = rng.uniform();
      const std::int8_t tie = u < positive ? 1 : u < positive + 0.3 * (1 - positive) ? -1 : 0;
      sign[i * n + j] = sign[j * n + i] = tie;
    }
  return sign;
}

void BM_Betweenness(benchmark::State& st) {
  const auto n = static_cast<std::size_t>(st.range(0));
  const std::vector<std::int8_t> sign = random_signs(n, static_cast<double>(st.range(1)) / 100.0);
  for (auto _ : st) {
    std::vector<double> b = interdep::positive_tie_betweenness(sign, n);
    benchmark::DoNotOptimize(b.data());
  }
}
BENCHMARK(BM_Betweenness)
    ->Args({50, 50})
    ->Args({200, 20})
    ->Args({200, 50})
    ->Unit(benchmark::kMillisecond);

// The same with Boost.Graph's brandes_betweenness_centrality, which positive_tie_betweenness
// replaced (same results to the bit), graph building included as it was.
void BM_BetweennessBoost(benchmark::State& st) {
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
  const auto n = static_cast<std::size_t>(st.range(0));
  const std::vector<std::int8_t> sign = random_signs(n, static_cast<double>(st.range(1)) / 100.0);
  for (auto _ : st) {
    Graph g(n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j)
        if (sign[i * n + j] > 0) boost::add_edge(i, j, g);
    std::vector<double> b(n, 0.0);
    const auto map =
        boost::make_iterator_property_map(b.begin(), boost::get(boost::vertex_index, g));
    boost::brandes_betweenness_centrality(g, boost::centrality_map(map));
    boost::relative_betweenness_centrality(g, map);
    benchmark::DoNotOptimize(b.data());
  }
}
BENCHMARK(BM_BetweennessBoost)
    ->Args({50, 50})
    ->Args({200, 20})
    ->Args({200, 50})
    ->Unit(benchmark::kMillisecond);

}  // namespace
