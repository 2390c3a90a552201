#include "engine/network/corridors.hpp"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <cassert>
#include <limits>
#include <map>
#include <utility>

namespace interdep {
namespace {

using WeightedGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                          boost::property<boost::edge_weight_t, double>>;

// The open legs, one per pair of nodes: of parallel open edges (a road and a railway between the
// same two nodes) the cheapest, so that betweenness counts routes between places, not legs.
WeightedGraph open_graph(std::size_t nodes, std::span<const CorridorEdgeSpec> edges,
                         std::span<const std::uint8_t> open) {
  assert(edges.size() == open.size());
  std::map<std::pair<std::size_t, std::size_t>, double> cheapest;
  for (std::size_t k = 0; k < edges.size(); ++k) {
    if (open[k] == 0) continue;
    const CorridorEdgeSpec& e = edges[k];
    assert(e.from < nodes && e.to < nodes && e.cost > 0.0);
    if (e.from == e.to) continue;  // a loop is never on a shortest path
    const auto key = std::minmax(e.from, e.to);
    const auto [it, inserted] = cheapest.emplace(key, e.cost);
    if (!inserted) it->second = std::min(it->second, e.cost);
  }
  WeightedGraph g(nodes);
  for (const auto& [ends, cost] : cheapest) boost::add_edge(ends.first, ends.second, cost, g);
  return g;
}

// Cheapest routes from every actor (Dijkstra): their costs, and with `paths` their node paths.
void shortest_routes(const WeightedGraph& g, std::size_t actors, std::vector<double>& cost,
                     std::vector<std::vector<std::size_t>>* paths) {
  const auto index = boost::get(boost::vertex_index, g);
  constexpr double kInf = std::numeric_limits<double>::infinity();
  cost.assign(actors * actors, kInf);
  if (paths != nullptr) paths->assign(actors * actors, {});
  std::vector<double> distance(boost::num_vertices(g));
  std::vector<std::size_t> predecessor(boost::num_vertices(g));
  for (std::size_t i = 0; i < actors; ++i) {  // actors are the first `actors` nodes
    boost::dijkstra_shortest_paths(
        g, boost::vertex(i, g),
        boost::distance_map(boost::make_iterator_property_map(distance.begin(), index))
            .predecessor_map(boost::make_iterator_property_map(predecessor.begin(), index)));
    cost[i * actors + i] = 0.0;
    for (std::size_t j = 0; j < actors; ++j) {
      // Boost marks unreachable nodes with the largest finite double and as their own predecessor.
      if (j == i || predecessor[j] == j) continue;
      cost[i * actors + j] = distance[j];
      if (paths == nullptr) continue;
      std::vector<std::size_t>& path = (*paths)[i * actors + j];
      for (std::size_t v = j; v != i; v = predecessor[v]) path.push_back(v);
      path.push_back(i);
      std::reverse(path.begin(), path.end());
    }
  }
}

}  // namespace

CorridorRoutes corridor_routes(std::size_t nodes, std::size_t actors,
                               std::span<const CorridorEdgeSpec> edges,
                               std::span<const std::uint8_t> open) {
  assert(actors <= nodes);
  const WeightedGraph g = open_graph(nodes, edges, open);
  CorridorRoutes r;
  r.actors = actors;
  shortest_routes(g, actors, r.cost, &r.path);

  r.betweenness.assign(nodes, 0.0);
  if (nodes >= 3) {  // fewer nodes: no pair of other nodes to stand between
    const auto map = boost::make_iterator_property_map(r.betweenness.begin(),
                                                       boost::get(boost::vertex_index, g));
    boost::brandes_betweenness_centrality(
        g, boost::centrality_map(map).weight_map(boost::get(boost::edge_weight, g)));
    boost::relative_betweenness_centrality(g, map);
  }
  return r;
}

std::vector<double> corridor_route_costs(std::size_t nodes, std::size_t actors,
                                         std::span<const CorridorEdgeSpec> edges,
                                         std::span<const std::uint8_t> open) {
  assert(actors <= nodes);
  std::vector<double> cost;
  shortest_routes(open_graph(nodes, edges, open), actors, cost, nullptr);
  return cost;
}

std::string route_text(std::span<const std::size_t> path, std::span<const std::string> codes) {
  std::string text;
  for (std::size_t k = 0; k < path.size(); ++k) {
    assert(path[k] < codes.size());
    if (k > 0) text += '-';
    text += codes[path[k]];
  }
  return text;
}

}  // namespace interdep
