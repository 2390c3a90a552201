// The data block of the HTML report: everything the page's script draws, as one JSON object
// (its fields are listed in docs/report.md, "Data block"). Built from result files read by
// read_run (output/run_file/run_reader.hpp) and from interdep::insight (narratives, comparison).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "output/run_file/run_reader.hpp"

namespace interdep::report {

// Directed pairs whose moves are explained in the narratives section.
inline constexpr std::size_t kNarrativeCount = 6;

// The most the data block may hold: browsers read it as one string (Chromium's strings end at
// 512 MiB), and a page of a few hundred MB takes tens of seconds to open. Bytes.
inline constexpr std::size_t kReportDataBudget = std::size_t{128} << 20;
// What a number takes in the data block, at most ("-1.2345678901234567e-100,"). Bytes.
inline constexpr std::size_t kBytesPerValue = 25;

// The recorded frames the page shows: every one, or, when their data (and the baseline's) would
// pass `budget_bytes`, every k-th from the first and the last, as many as fit (at least two).
std::vector<std::size_t> report_frames(const RunFile& run, const RunFile* baseline,
                                       std::size_t budget_bytes = kReportDataBudget);

// The JSON text for `run` at the frames `shown` (report_frames), with `baseline` (may be null) as
// the comparison run at the same frames. Arrays keep the frame-major layouts of RunFile,
// flattened; the comparison and the narratives use every frame. Throws interdep::InputError
// (engine/scenario/errors.hpp), naming both files, when `baseline` cannot be compared with `run`
// (insight::compare).
std::string report_data_json(const RunFile& run, const RunFile* baseline,
                             const std::vector<std::size_t>& shown);

}  // namespace interdep::report
