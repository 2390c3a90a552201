// Observed figures a user brings to hold a finished run against (`interdep score RUN.h5
// --observed FILE.csv`, docs/validation.md): a CSV in long form, one figure a row, whose columns
// say what each figure measures. Rows that measure the same thing the same way form one
// ObservationSpec, as an [[observations]] entry of a scenario would (docs/scenario-format.md).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/scenario/errors.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep {

// Values for the columns a file leaves out (the command's --quantity, --unit, ... options); a
// column given in the file wins row by row.
struct ObservedTableDefaults {
  std::string quantity;             // e.g. "trade[PAK,RUS]"
  std::string period = "point";     // "point" or "year"
  std::string aggregate = "value";  // "value" or "pair_total"
  std::string unit;                 // required in the file or here
  int year_start_month = 1;         // 1..12, period year only
  std::string source;               // "" : the file's name
};

struct ObservedTable {
  std::vector<ObservationSpec> series;  // in order of first appearance
  // [series][figure]: the row each figure was read from (its date cell), for later errors.
  std::vector<std::vector<SourcePosition>> rows;
};

// The columns a file may have: quantity, date, value (required: date and value; an empty value
// asks for the prediction alone, kept as NaN), uncertainty (standard uncertainty > 0 in the
// unit; optional, NaN when empty), period, aggregate, unit, year_start_month, source. Throws InputError at the file's line and column for an unknown column, a bad cell, a
// date listed twice for the same series, a file without figures; at `named_at` for a file that
// cannot be read. Quantities are not resolved here (they need the run's actors): a series'
// `position` is the cell of its first row's quantity (or its date, when the quantity is a
// default).
ObservedTable read_observed_table(const std::filesystem::path& path,
                                  const ObservedTableDefaults& defaults,
                                  const SourcePosition& named_at);

// Why a figure of `o` dated `date` cannot be held against a run over `time`, or nothing: a year
// observation is dated by the whole year its 12 months end in, which must lie wholly inside the
// run; a point, inside [start, end].
std::optional<std::string> observation_date_problem(const ObservationSpec& o, double date,
                                                    const TimeSpec& time);

}  // namespace interdep
