#include "models/interdependence/corridors.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <limits>

namespace interdep {

CorridorGraph::CorridorGraph(const ScenarioSpec& spec) : spec_(spec) {
  open_.reserve(spec.corridor_edges.size());
  for (const auto& e : spec.corridor_edges) open_.push_back(e.open);
}

void CorridorGraph::route_costs(std::vector<double>& route) const {
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS,
                                      boost::no_property, boost::property<boost::edge_weight_t, double>>;
  const std::size_t nodes = spec_.corridor_nodes.size();
  const std::size_t n = spec_.actor_count();
  Graph g(nodes);
  for (std::size_t k = 0; k < spec_.corridor_edges.size(); ++k) {
    if (!open_[k]) continue;
    const auto& e = spec_.corridor_edges[k];
    boost::add_edge(e.from, e.to, e.cost, g);
  }
  route.assign(n * n, std::numeric_limits<double>::infinity());
  std::vector<double> distance(nodes);
  for (std::size_t i = 0; i < n; ++i) {  // actors are the first n corridor nodes
    boost::dijkstra_shortest_paths(
        g, boost::vertex(i, g),
        boost::distance_map(boost::make_iterator_property_map(distance.begin(),
                                                              boost::get(boost::vertex_index, g))));
    for (std::size_t j = 0; j < n; ++j) route[i * n + j] = i == j ? 0.0
                        : distance[j] >= std::numeric_limits<double>::max()
                            ? std::numeric_limits<double>::infinity()
                            : distance[j];
  }
}

}  // namespace interdep
