// Observed figures a user brings to hold a finished run against (`interdep score RUN.h5
// --observed FILE.csv`, docs/validation.md): a CSV in long form, one figure a row, whose columns
// say what each figure measures. Rows that measure the same thing the same way form one
// ObservationSpec, as an [[observations]] entry of a scenario would (docs/scenario-format.md).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/errors.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep {

// Values for the columns a file leaves out (the command's --quantity, --unit, ... options); a
// column given in the file wins row by row.
struct ObservedTableDefaults {
  std::string quantity;             // e.g. "trade[PAK,RUS]"
  std::string period = "point";     // "point", "year", "quarter" or "month"
  std::string aggregate = "value";  // "value" or "pair_total"
  std::string unit;                 // required in the file or here
  int year_start_month = 1;         // 1..12, period year only
  std::string source;               // "" : the file's name
  // --select COLUMN=text: the rows kept (one series of a file of several), in order.
  std::vector<std::pair<std::string, std::string>> select;
  // The columns above an option gave ({"quantity", "--quantity"}, ...): a file that has such a
  // column is refused at it, naming the option (the column won row by row, and the option was
  // ignored without a word).
  std::vector<std::pair<std::string, std::string>> given;
};

struct ObservedTable {
  std::vector<ObservationSpec> series;  // in order of first appearance
  // [series][figure]: the row each figure was read from (its date cell), for later errors.
  std::vector<std::vector<SourcePosition>> rows;
};

// The columns a file may have: quantity, date, value (required: date and value; an empty value
// asks for the prediction alone, kept as NaN), uncertainty (standard uncertainty > 0 in the
// unit; optional, NaN when empty), period, aggregate, unit, year_start_month, source, and any
// column `defaults.select` reads. An SDMX-CSV export (series_rows.hpp) is read by TIME_PERIOD and
// OBS_VALUE (blank or NaN: the prediction alone), its FREQ held against the period; its other
// columns are its own (Eurostat's `unit` holds codes), so quantity, unit, period, aggregate,
// year_start_month and source come from `defaults`. Throws InputError at the file's line and column for an unknown column, a bad cell, a
// date listed twice for the same series, a file without figures; at `named_at` for a file that
// cannot be read. Quantities are not resolved here (they need the run's actors): a series'
// `position` is the cell of its first row's quantity (or its date, when the quantity is a
// default).
ObservedTable read_observed_table(const std::filesystem::path& path,
                                  const ObservedTableDefaults& defaults,
                                  const SourcePosition& named_at);

// A figure's date written as text (a CSV cell, a TOML string) for `period`: a quarter as
// parse_quarter_text reads it ("2027Q2"), a month as parse_month_text ("2027-06", "2027M06"),
// a year or a point as a decimal year or YYYY-MM-DD (csv_date; `decimal_comma` as there).
// Nothing when it is none; `date_form_hint` then says what the text is when it is a quarter or a
// month written for another period.
std::optional<double> observation_date_of(std::string_view text, ObservationPeriod period,
                                          bool decimal_comma = false);
// What `period`'s dates look like, for messages: "a date such as 2018-07-01 or a decimal year".
std::string observation_date_form(ObservationPeriod period);
// " (2027Q2 is a quarter: period = \"quarter\" takes the mean over it)" when `text` is a quarter
// or a month (in a form no other period reads) and `period` is another; else "". `in_table`: the
// period is a column of the table read (or --period), not a key of [[observations]].
std::string date_form_hint(std::string_view text, ObservationPeriod period, bool in_table = false);
// A figure's date as its period names it: "2018" (a year, the one its months end in), "2027Q2",
// "2027-06", or the day or decimal year of a point.
std::string observation_date_text(ObservationPeriod period, double date);

// Why a figure of `o` dated `date` cannot be held against a run over `time`, or nothing: a year
// observation is dated by the whole year its 12 months end in, a quarter or a month by its start,
// and the whole period must lie inside the run; a point, inside [start, end].
std::optional<std::string> observation_date_problem(const ObservationSpec& o, double date,
                                                    const TimeSpec& time);

}  // namespace interdep
