// A recorded run as plain data: what a result file holds (docs/output-format.md) once read
// back (output/run_file/run_reader.hpp, read_run). The insight code and the models' term
// narratives read it; nothing here touches a file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/run/recorded_datasets.hpp"
#include "engine/run/state.hpp"

namespace interdep {

// Who made the run and how; stored as root attributes next to the scenario.
struct RunMetadata {
  std::string engine_version;
  std::string model;
  std::uint64_t seed = 0;
  std::string created;  // ISO-8601 UTC, e.g. "2025-06-01T12:00:00Z"
  std::string command_line;
  // The run's name (`run --label`; by default the scenario's name, followed by the overrides
  // when there are any), and every override applied after the scenario's base chain, as
  // "key=value" (--set, and --seed, --steps and --compression as the keys they set; a sweep's
  // run also its parameters). Both empty in files written before 0.3.
  std::string label;
  std::vector<std::string> overrides;
};

// What to call a run: its label, or (a file from before labels) its scenario's name.
inline const std::string& run_label(const RunMetadata& meta, const std::string& scenario_name) {
  return meta.label.empty() ? scenario_name : meta.label;
}

// One row of the /events group.
struct RunEvent {
  std::int64_t step = 0;
  double time = 0.0;
  std::string kind;  // an EventKind name (engine/scenario/enum_names.hpp)
  std::string label;
  std::string actor;   // actor code (a join or leave of a member that is not an actor: its code)
  std::string target;  // actor code
  double goldstein = 0.0;
  std::string cameo;
  std::int64_t event_index = 0;
  // What the event acts on, in words: "financial, 50 % of the finance between them", "capacity
  // 3 bcm/yr, cost 0.9", "investment 0.6 US$ bn/yr", "BRICS" ("" in files from before it was
  // recorded, and for a plain impulse).
  std::string detail;
  // A sanction's type ("trade", "financial", "arms", "travel", "other"; "" for other kinds) and,
  // for a trade sanction, the secondary-sanction scale it adds (0: no secondary part). Files
  // from before these were recorded: read from `detail`'s words ("trade" and 0 without them).
  std::string sanction_type;
  double secondary = 0.0;
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

// One row of the /observed group: an observed figure of the scenario's [[observations]] and its
// simulated counterpart, in the observation's unit.
struct RunObservation {
  std::int64_t series = 0;  // index in the scenario's [[observations]]
  std::string quantity;     // e.g. "trade[PAK,RUS]"
  std::string period;       // an ObservationPeriod name
  std::string aggregate;    // an ObservationAggregate name
  double date = 0.0;        // decimal year (period year: the calendar year)
  double observed = 0.0;
  double uncertainty = 0.0;
  double simulated = 0.0;
  std::string unit;
  std::string source;
  std::int64_t states = 0;      // states the simulated value averages
  double from = 0.0, to = 0.0;  // times of the first and last of them, decimal years
};

// The /network group (docs/output-format.md, "/network"): graph measures of every recorded
// frame, computed after the run by analyze_network (engine/network/network_record.hpp).
// Arrays are frame-major like the rest of RecordedRun: [frame][i*N+j], [frame][i], [frame][d],
// [frame][node], [frame][edge]. present = false when the file has no /network group (files
// written before it existed, or runs with [output] network = false); then everything is empty.
struct RunNetwork {
  bool present = false;
  double tie_threshold = 0.0;  // |Rbar| above which a tie is signed [1]
  std::vector<std::string> nodes, node_names, corridor_edges;  // corridor nodes: actors first
  std::vector<std::int64_t> edge_from, edge_to;                // [edge] node indices
  std::vector<double> edge_cost;  // [edge] relative cost of the leg [1]
  std::vector<std::int8_t> sign;  // [frame][i*N+j] in {-1, 0, +1}
  std::vector<std::int32_t> faction, faction_count, frustration, triads_signed, triads_balanced;
  std::vector<double> balanced_share, balanced_share_domain, betweenness, corridor_betweenness,
      route_cost;                           // route_cost: +inf where no route
  std::vector<std::string> route;           // [frame][i*N+j] "PAK-IRN-AZE-RUS", "" if none
  std::vector<std::uint8_t> corridor_open;  // [frame][edge]
};

// Everything a run recorded, as read back from its result file. The recorded datasets (RecordedArrays, one per row of the table
// in engine/run/recorded_datasets.hpp that the root group keeps) are frame-major with the
// per-frame layout of WorldState, exactly as in Trajectory, but hold only the `frames` recorded
// frames; an optional dataset absent from the file is empty.
struct RecordedRun : RecordedArrays {
  std::filesystem::path path;  // the file it was read from

  // Root attributes.
  RunMetadata metadata;     // engine_version, model, seed, created, command_line
  std::string conventions;  // "interdep-1"
  std::string scenario_name;
  std::string scenario_description;
  std::string scenario_file;
  std::string scenario_text;
  std::string goldstein_table;
  double start = 0.0;  // decimal year
  double dt = 0.0;     // yr
  std::int64_t steps = 0;
  std::int64_t steps_per_year = 0;
  std::int64_t record_every = 1;

  // Dimensions and coordinates.
  Dims dims;
  std::size_t frames = 0;
  std::vector<std::string> actors;  // codes
  std::vector<std::string> actor_names;
  std::vector<std::string> domains;
  std::vector<std::string> domain_labels;
  std::vector<std::string> institutions;
  std::vector<std::string> institution_labels;
  std::vector<std::string> institution_other_members;  // codes of members that only vote; may
                                                       // be empty (files before 0.3)
  std::vector<std::string> terms;  // the model's decision terms (Model::term_names)
  std::vector<double> time;        // [frame]
  std::vector<std::int64_t> step;  // [frame]

  std::vector<double> interests;  // [i*D+d], interest weights w[i,d]

  bool has_contributions = false;  // the optional /contributions is in the file

  std::vector<RunEvent> events;
  std::vector<RunAdmission> admissions;
  std::vector<RunObservation> observations;  // /observed; empty without [[observations]]
  RunNetwork network;
};

}  // namespace interdep
