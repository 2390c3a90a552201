// Observed series written in a CSV file that an [[observations]] entry names (`csv = "FILE"`):
// the file's rows become the entry's dates, values and uncertainties when the scenario file is
// read, so the merged scenario a result file stores holds the figures themselves and reruns
// without the CSV. Internal to the scenario loader (it includes TOML++).
#pragma once

#include <toml++/toml.h>
#include <filesystem>

namespace interdep::detail {

// For every table of doc's `observations` array with a `csv` key: reads the CSV (a path
// relative to `file`'s directory; columns date, value and optionally uncertainty, with a header
// row), sets `dates`, `values` (and `uncertainty`) from it and replaces `csv` by `csv_source`
// (the path as written, kept for the reader). Throws InputError at the CSV's line and column for
// a bad row, at the `csv` key for a file that cannot be read or keys given twice.
void inline_observation_csvs(toml::table& doc, const std::filesystem::path& file);

}  // namespace interdep::detail
