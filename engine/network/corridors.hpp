// Routes on the corridor graph (actors plus transit nodes; docs/model.md, "Network analysis"):
// cheapest open route between every pair of actors with its node path (Dijkstra 1959), and the
// cost-weighted betweenness of every node (Brandes 2001), with Boost.Graph.
//
// One computation for both users: the model's trade costs follow `cost` (recomputed at the start
// and when a corridor event fires), and the after-the-run network analysis
// (engine/network/network_record.cpp) records paths and betweenness per frame.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/scenario/spec.hpp"

namespace interdep {

struct CorridorRoutes {
  std::size_t actors = 0;                      // the first `actors` nodes are the actors
  std::vector<double> cost;                    // [i*actors+j], +inf if no route, 0 if i == j
  std::vector<std::vector<std::size_t>> path;  // [i*actors+j] node indices i..j; empty if
                                               // no route or i == j
  std::vector<double> betweenness;             // [node], normalised to [0, 1]
};

// Shortest routes over the edges with open[k] != 0 (weights: edges[k].cost > 0, unit [1]).
// Edges are undirected. Requires actors <= nodes and every edge endpoint < nodes.
CorridorRoutes corridor_routes(std::size_t nodes, std::size_t actors,
                               std::span<const CorridorEdgeSpec> edges,
                               std::span<const std::uint8_t> open);

// The `cost` of corridor_routes alone (the same numbers), without the paths and betweenness:
// what the model's trade costs need at the start of every run and at each corridor event.
std::vector<double> corridor_route_costs(std::size_t nodes, std::size_t actors,
                                         std::span<const CorridorEdgeSpec> edges,
                                         std::span<const std::uint8_t> open);

// "PAK-IRN-AZE-RUS": the codes of a path joined by '-', "" for an empty path.
std::string route_text(std::span<const std::size_t> path, std::span<const std::string> codes);

}  // namespace interdep
