// Graph measures of every recorded frame of a run (the /network group of a result file,
// docs/output-format.md): computed from the recorded frames (a whole Trajectory after the run,
// or each window of a streamed run), never inside the step loop (which must not allocate).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/network/corridors.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep {

// The definitions in words, stored as attributes of /network so a file explains itself.
inline constexpr std::string_view kFactionDefinition =
    "actors i and j have a positive tie when Rbar_ij = (relation_overall[i,j] + "
    "relation_overall[j,i])/2 > tie_threshold and a negative tie when Rbar_ij < -tie_threshold; "
    "factions are the structural-balance camps: the split of the actors into at most two camps "
    "with the fewest frustrated ties (a negative tie inside a camp or a positive tie between "
    "camps), ties broken by the smallest sum of |Rbar| over the frustrated ties, then camp 0 "
    "holds the first actor and the lexicographically smallest assignment wins; frustration is "
    "that fewest number, the frustration index (line index of balance, Harary 1959), 0 iff the "
    "signed graph is balanced; exact (all splits enumerated) up to 16 actors, above that a "
    "spectral start and local search whose frustration is an upper bound of the index";
inline constexpr std::string_view kBetweennessDefinition =
    "betweenness: share of shortest paths between pairs of other actors that pass through the "
    "actor, on the unweighted positive-tie graph (Brandes 2001), divided by (n-1)(n-2)/2; "
    "corridor_betweenness: the same over all corridor nodes with edge costs as weights, over "
    "open edges";

// Frame-major arrays, with the layouts of RunNetwork (output/run_file/run_reader.hpp).
struct NetworkRecord {
  double tie_threshold = 0.0;  // [1]
  std::size_t frames = 0, actors = 0, domains = 0;
  std::vector<std::string> nodes, node_names, corridor_edges;  // actors first, in actor order
  std::vector<std::int64_t> edge_from, edge_to;                // [edge] node indices
  std::vector<double> edge_cost;                               // [edge] [1]
  std::vector<std::int8_t> sign;                               // [frame][i*N+j]
  std::vector<std::int32_t> faction;                           // [frame][i]
  std::vector<std::int32_t> faction_count, frustration, triads_signed, triads_balanced;  // [frame]
  std::vector<double> balanced_share;         // [frame], NaN when no triad is signed
  std::vector<double> balanced_share_domain;  // [frame][d]
  std::vector<double> betweenness;            // [frame][i]
  std::vector<double> corridor_betweenness;   // [frame][node]
  std::vector<double> route_cost;             // [frame][i*N+j], +inf where no route
  std::vector<std::string> route;             // [frame][i*N+j], "" if none or i == j
  std::vector<std::uint8_t> corridor_open;    // [frame][edge]

  std::size_t node_count() const { return nodes.size(); }
  std::size_t edge_count() const { return corridor_edges.size(); }
};

// Measures of the frames of a run of `spec` in the order they are recorded, window after window.
class NetworkAnalyzer {
 public:
  explicit NetworkAnalyzer(const ScenarioSpec& spec);
  // The corridor graph and sizes, with no frame: what a writer needs before the first window.
  const NetworkRecord& layout() const { return layout_; }
  // Measures of the window's frames (window.frames() of them), which follow those analyzed
  // before. The record is overwritten by the next call.
  const NetworkRecord& analyze(const Trajectory& window);

 private:
  const ScenarioSpec& spec_;
  NetworkRecord layout_, record_;
  std::vector<std::uint8_t> last_open_;  // open edges of the last frame's routes
  CorridorRoutes routes_;
  std::vector<std::string> route_texts_;  // routes_' paths as route_text writes them
  bool have_routes_ = false;
};

// Measures of the first traj.frames() frames of a run of `spec`.
NetworkRecord analyze_network(const ScenarioSpec& spec, const Trajectory& traj);

// Appends frame `frame` of `from` to `to` (records of the same run): what a digest keeps.
void append_frame(NetworkRecord& to, const NetworkRecord& from, std::size_t frame);
// Drops every frame, keeping the corridor graph and sizes.
void clear_frames(NetworkRecord& rec);

}  // namespace interdep
