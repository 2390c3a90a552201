// What a run file holds, built from memory: the rows and texts the writer stores, and the whole
// RecordedRun that read_run of the written file returns. `interdep run` prints its summary from
// this instead of reading the file back (docs/performance.md, "The summary from memory").
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/network/network_record.hpp"
#include "engine/run/event_log.hpp"
#include "engine/run/recorded_run.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep {

// A run's name when it is not labelled: the scenario's name, followed by the overrides applied
// to it, "baseline [seed=7, time.years=5]" (none: the name alone).
std::string default_run_label(const std::string& scenario_name,
                              const std::vector<std::string>& overrides);

// The metadata of a run of `spec` made now by `command_line` (`interdep run ...`, or the Python
// call): engine version, model, seed, time, the overrides, and `label` or the default label.
RunMetadata run_metadata(const ScenarioSpec& spec, const std::string& command_line,
                         const std::optional<std::string>& label);

// The /events rows of `log`: kinds, labels and codes as stored. `path` names the file in errors
// (an OutputError for an index out of range: an internal fault, not bad input).
std::vector<RunEvent> event_rows(const std::filesystem::path& path, const ScenarioSpec& spec,
                                 const EventLog& log);
// The /admissions rows of `log`.
std::vector<RunAdmission> admission_rows(const std::filesystem::path& path,
                                         const ScenarioSpec& spec, const EventLog& log);
// Per institution, the members that are not actors as stored in institution_other_members:
// codes, with "(from YYYY-MM)" / "(until YYYY-MM)" for dates inside the run.
std::vector<std::string> other_member_texts(const ScenarioSpec& spec);

// The run as read_run would return it from the file write_run(path, spec, traj, log, meta,
// network) writes, field for field; the trajectory's arrays are moved into it (trimmed to the
// frames recorded).
RecordedRun recorded_run(const std::filesystem::path& path, const ScenarioSpec& spec,
                         Trajectory&& traj, const EventLog& log, const RunMetadata& meta,
                         const NetworkRecord* network);

// What `interdep run` keeps of a streamed run to print its summary (tools/cli/summary.hpp) from
// memory: the first and the last frame, every frame whose open corridors differ from the frame
// before, and the decision-term increments summed over the whole run. A few frames, whatever
// the run's length.
class RunDigest {
 public:
  // `network`: the corridor graph of the network measures the windows come with (a
  // NetworkAnalyzer's layout()), or nullptr when they come without.
  RunDigest(const ScenarioSpec& spec, std::span<const std::string_view> term_names,
            const NetworkRecord* network);
  // The window's frames (and their measures, when `network` was set), in the run's order.
  void add(const Trajectory& window, const NetworkRecord* network);
  // The run as recorded_run builds it from the kept frames only (`frames` counts those). Their
  // contributions are 0 except at the last kept frame, which holds each increment's sum over
  // every frame of the run, added frame by frame from 0 as print_summary adds a file's: sums
  // over the digest's frames equal sums over the file's, bit for bit.
  RecordedRun finish(const std::filesystem::path& path, const ScenarioSpec& spec,
                     const EventLog& log, const RunMetadata& meta) &&;

 private:
  Trajectory kept_;
  NetworkRecord kept_network_;
  std::vector<double> contribution_sum_;
  std::vector<std::uint8_t> last_open_;  // corridor_open of the last frame added
  std::size_t last_frame_ = 0;           // index of the run's last frame
  bool network_ = false;
};

}  // namespace interdep
