// Reads a result file written by write_run (output/run_file/run_writer.hpp) back into plain data, for
// `interdep inspect` and for tests. docs/output-format.md describes the layout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/run/recorded_datasets.hpp"
#include "engine/run/state.hpp"
#include "output/run_file/run_writer.hpp"

namespace interdep {

// One row of the /events group.
struct RunEvent {
  std::int64_t step = 0;
  double time = 0.0;
  std::string kind;   // impulse|sanction|lift_sanction|energy_link|apply|corridor
  std::string label;
  std::string actor;  // actor code
  std::string target; // actor code
  double goldstein = 0.0;
  std::string cameo;
  std::int64_t event_index = 0;
};

// One row of the /admissions group.
struct RunAdmission {
  std::int64_t step = 0;
  double time = 0.0;
  std::string institution;  // institution name
  std::string applicant;    // actor code
  int votes_for = 0;
  int votes_against = 0;
  double probability = 0.0;
  bool admitted = false;
};

// The /network group (docs/output-format.md, "/network"): graph measures of every recorded
// frame, computed after the run by analyze_network (engine/network/network_record.hpp).
// Arrays are frame-major like the rest of RunFile: [frame][i*N+j], [frame][i], [frame][d],
// [frame][node], [frame][edge]. present = false when the file has no /network group (files
// written before it existed, or runs with [output] network = false); then everything is empty.
struct RunNetwork {
  bool present = false;
  double tie_threshold = 0.0;  // |Rbar| above which a tie is signed [1]
  std::vector<std::string> nodes, node_names, corridor_edges;  // corridor nodes: actors first
  std::vector<std::int64_t> edge_from, edge_to;  // [edge] node indices
  std::vector<double> edge_cost;                 // [edge] relative cost of the leg [1]
  std::vector<std::int8_t> sign;                 // [frame][i*N+j] in {-1, 0, +1}
  std::vector<std::int32_t> faction, faction_count, frustration, triads_signed, triads_balanced;
  std::vector<double> balanced_share, balanced_share_domain, betweenness, corridor_betweenness,
      route_cost;                                // route_cost: +inf where no route
  std::vector<std::string> route;                // [frame][i*N+j] "PAK-IRN-AZE-RUS", "" if none
  std::vector<std::uint8_t> corridor_open;       // [frame][edge]
};

// Everything in a result file. The recorded datasets (RecordedArrays, one per row of the table
// in engine/run/recorded_datasets.hpp that the root group keeps) are frame-major with the
// per-frame layout of WorldState, exactly as in Trajectory, but hold only the `frames` recorded
// frames; an optional dataset absent from the file is empty.
struct RunFile : RecordedArrays {
  std::filesystem::path path;

  // Root attributes.
  RunMetadata metadata;  // engine_version, model, seed, created, command_line
  std::string conventions;  // "interdep-1"
  std::string scenario_name;
  std::string scenario_description;
  std::string scenario_file;
  std::string scenario_text;
  std::string goldstein_table;
  double start = 0.0;             // decimal year
  double dt = 0.0;                // yr
  std::int64_t steps = 0;
  std::int64_t steps_per_year = 0;
  std::int64_t record_every = 1;

  // Dimensions and coordinates.
  Dims dims;
  std::size_t frames = 0;
  std::vector<std::string> actors;        // codes
  std::vector<std::string> actor_names;
  std::vector<std::string> domains;
  std::vector<std::string> domain_labels;
  std::vector<std::string> institutions;
  std::vector<std::string> institution_labels;
  std::vector<std::string> terms;         // the model's decision terms (Model::term_names)
  std::vector<double> time;               // [frame]
  std::vector<std::int64_t> step;         // [frame]

  std::vector<double> interests;          // [i*D+d], interest weights w[i,d]

  bool has_contributions = false;         // the optional /contributions is in the file

  std::vector<RunEvent> events;
  std::vector<RunAdmission> admissions;
  RunNetwork network;
};

// Throws OutputError naming `path` when the file is missing, is not HDF5, is not an interdep
// result (root attribute conventions = "interdep-1"), or a dataset is missing or misshapen.
RunFile read_run(const std::filesystem::path& path);

}  // namespace interdep
