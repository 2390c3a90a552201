// What a run file holds, built from memory: the rows and texts the writer stores, and the whole
// RecordedRun that read_run of the written file returns. `interdep run` prints its summary from
// this instead of reading the file back (docs/performance.md, "The summary from memory").
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/network/network_record.hpp"
#include "engine/run/event_log.hpp"
#include "engine/run/recorded_run.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep {

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

}  // namespace interdep
