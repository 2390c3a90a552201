#include "engine/network/network_record.hpp"

#include <algorithm>
#include <cassert>
#include <span>

#include "engine/network/balance_camps.hpp"
#include "engine/network/corridors.hpp"
#include "engine/network/signed_graph.hpp"

namespace interdep {
namespace {

template <class T>
std::span<const T> frame_of(const std::vector<T>& values, std::size_t frame,
                            std::size_t per_frame) {
  assert(values.size() >= (frame + 1) * per_frame);
  return std::span<const T>(values.data() + frame * per_frame, per_frame);
}

// Sizes every frame-major array for `frames` frames.
void allocate(NetworkRecord& rec, std::size_t frames) {
  const std::size_t n = rec.actors, pairs = n * n;
  rec.frames = frames;
  rec.sign.assign(frames * pairs, 0);
  rec.faction.assign(frames * n, 0);
  for (auto* v : {&rec.faction_count, &rec.frustration, &rec.triads_signed, &rec.triads_balanced})
    v->assign(frames, 0);
  rec.balanced_share.assign(frames, 0.0);
  rec.balanced_share_domain.assign(frames * rec.domains, 0.0);
  rec.betweenness.assign(frames * n, 0.0);
  rec.corridor_betweenness.assign(frames * rec.node_count(), 0.0);
  rec.route_cost.assign(frames * pairs, 0.0);
  rec.route.assign(frames * pairs, std::string());
  rec.corridor_open.assign(frames * rec.edge_count(), 0);
}

void describe_corridor_graph(NetworkRecord& rec, const ScenarioSpec& spec) {
  for (const auto& node : spec.corridor_nodes) {
    rec.nodes.push_back(node.code);
    rec.node_names.push_back(node.name);
  }
  for (const auto& e : spec.corridor_edges) {
    rec.corridor_edges.push_back(e.name);
    rec.edge_from.push_back(static_cast<std::int64_t>(e.from));
    rec.edge_to.push_back(static_cast<std::int64_t>(e.to));
    rec.edge_cost.push_back(e.cost);
  }
}

// The signed relation graph of frame f: signs, factions, triads, betweenness.
void analyze_relations(NetworkRecord& rec, const Trajectory& traj, std::size_t f) {
  const std::size_t n = rec.actors, pairs = n * n, d = rec.domains;
  const auto overall = frame_of(traj.relation_overall, f, pairs);
  const std::vector<std::int8_t> sign = tie_signs(overall, n, rec.tie_threshold);
  std::copy(sign.begin(), sign.end(), rec.sign.begin() + static_cast<std::ptrdiff_t>(f * pairs));

  const std::vector<double> rbar = symmetric_relation(overall, n);
  const Factions factions = find_factions(sign, rbar, n);
  std::copy(factions.faction.begin(), factions.faction.end(),
            rec.faction.begin() + static_cast<std::ptrdiff_t>(f * n));
  rec.faction_count[f] = factions.count;
  rec.frustration[f] = factions.frustration;

  const TriadCensus triads = count_triads(sign, n);
  rec.triads_signed[f] = triads.signed_triads;
  rec.triads_balanced[f] = triads.balanced;
  rec.balanced_share[f] = triads.balanced_share();
  const auto relations = frame_of(traj.relations, f, pairs * d);
  for (std::size_t k = 0; k < d; ++k) {
    rec.balanced_share_domain[f * d + k] =
        count_triads(tie_signs(relations, n, rec.tie_threshold, d, k), n).balanced_share();
  }

  const std::vector<double> betweenness = positive_tie_betweenness(sign, n);
  std::copy(betweenness.begin(), betweenness.end(),
            rec.betweenness.begin() + static_cast<std::ptrdiff_t>(f * n));
}

// Routes of frame f on the corridor graph with that frame's open edges (`texts`: each pair's
// route as route_text writes it).
void store_routes(NetworkRecord& rec, const CorridorRoutes& routes,
                  const std::vector<std::string>& texts, std::size_t f) {
  const std::size_t pairs = rec.actors * rec.actors, nodes = rec.node_count();
  std::copy(routes.cost.begin(), routes.cost.end(),
            rec.route_cost.begin() + static_cast<std::ptrdiff_t>(f * pairs));
  std::copy(texts.begin(), texts.end(), rec.route.begin() + static_cast<std::ptrdiff_t>(f * pairs));
  std::copy(routes.betweenness.begin(), routes.betweenness.end(),
            rec.corridor_betweenness.begin() + static_cast<std::ptrdiff_t>(f * nodes));
}

}  // namespace

NetworkAnalyzer::NetworkAnalyzer(const ScenarioSpec& spec) : spec_(spec) {
  layout_.tie_threshold = spec.network.tie_threshold;
  layout_.actors = spec.actor_count();
  layout_.domains = spec.domain_count();
  describe_corridor_graph(layout_, spec);
  assert(layout_.node_count() >= layout_.actors);
  record_ = layout_;
}

const NetworkRecord& NetworkAnalyzer::analyze(const Trajectory& window) {
  assert(window.dims().actors == record_.actors && window.dims().domains == record_.domains);
  const std::size_t frames = window.frames(), edges = record_.edge_count();
  allocate(record_, frames);
  for (std::size_t f = 0; f < frames; ++f) {
    analyze_relations(record_, window, f);
    const auto open = frame_of(window.corridor_open, f, edges);
    std::copy(open.begin(), open.end(),
              record_.corridor_open.begin() + static_cast<std::ptrdiff_t>(f * edges));
    // Corridors change only at events: recompute the routes only when the open set changed.
    if (!have_routes_ ||
        !std::equal(open.begin(), open.end(), last_open_.begin(), last_open_.end())) {
      routes_ = corridor_routes(record_.node_count(), record_.actors, spec_.corridor_edges, open);
      // The texts too are made once per change, not once per frame (N^2 strings a frame).
      route_texts_.resize(routes_.path.size());
      for (std::size_t p = 0; p < routes_.path.size(); ++p)
        route_texts_[p] = route_text(routes_.path[p], record_.nodes);
      last_open_.assign(open.begin(), open.end());
      have_routes_ = true;
    }
    store_routes(record_, routes_, route_texts_, f);
  }
  return record_;
}

NetworkRecord analyze_network(const ScenarioSpec& spec, const Trajectory& traj) {
  NetworkAnalyzer analyzer(spec);
  return analyzer.analyze(traj);
}

void append_frame(NetworkRecord& to, const NetworkRecord& from, std::size_t frame) {
  assert(frame < from.frames && to.actors == from.actors && to.domains == from.domains &&
         to.node_count() == from.node_count() && to.edge_count() == from.edge_count());
  const auto append = [frame](auto& dst, const auto& src, std::size_t per_frame) {
    const auto first = src.begin() + static_cast<std::ptrdiff_t>(frame * per_frame);
    dst.insert(dst.end(), first, first + static_cast<std::ptrdiff_t>(per_frame));
  };
  const std::size_t n = from.actors, pairs = n * n;
  append(to.sign, from.sign, pairs);
  append(to.faction, from.faction, n);
  append(to.faction_count, from.faction_count, 1);
  append(to.frustration, from.frustration, 1);
  append(to.triads_signed, from.triads_signed, 1);
  append(to.triads_balanced, from.triads_balanced, 1);
  append(to.balanced_share, from.balanced_share, 1);
  append(to.balanced_share_domain, from.balanced_share_domain, from.domains);
  append(to.betweenness, from.betweenness, n);
  append(to.corridor_betweenness, from.corridor_betweenness, from.node_count());
  append(to.route_cost, from.route_cost, pairs);
  append(to.route, from.route, pairs);
  append(to.corridor_open, from.corridor_open, from.edge_count());
  ++to.frames;
}

void clear_frames(NetworkRecord& rec) { allocate(rec, 0); }

}  // namespace interdep
