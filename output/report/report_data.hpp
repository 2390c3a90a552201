// The data block of the HTML report: everything the page's script draws, as one JSON object
// (its fields are listed in docs/report.md, "Data block"). Built from result files read by
// read_run (output/run_file/run_reader.hpp) and from interdep::insight (narratives, comparison).
#pragma once

#include <cstddef>
#include <string>

#include "output/run_file/run_reader.hpp"

namespace interdep::report {

// Directed pairs whose moves are explained in the narratives section.
inline constexpr std::size_t kNarrativeCount = 6;

// The JSON text for `run`, with `baseline` (may be null) as the comparison run. Arrays keep the
// frame-major layouts of RunFile, flattened. Throws interdep::InputError (engine/scenario/errors.hpp),
// naming both files, when `baseline` cannot be compared with `run` (insight::compare).
std::string report_data_json(const RunFile& run, const RunFile* baseline);

}  // namespace interdep::report
