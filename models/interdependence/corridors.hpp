// The corridor graph (actors plus transit nodes) and the shortest-path route costs between
// actors, with Boost.Graph's Dijkstra.
#pragma once

#include <cstddef>
#include <vector>

#include "engine/spec.hpp"

namespace interdep {

class CorridorGraph {
 public:
  explicit CorridorGraph(const ScenarioSpec& spec);

  void set_open(std::size_t edge, bool open) { open_[edge] = open; }

  // route[i*N + j]: cost of the cheapest open route from actor i to actor j (+inf if none,
  // 0 on the diagonal). Allocates: called at start and when a corridor event fires.
  void route_costs(std::vector<double>& route) const;

 private:
  const ScenarioSpec& spec_;
  std::vector<bool> open_;
};

}  // namespace interdep
