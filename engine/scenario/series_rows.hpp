// One series of figures out of a CSV table: a plain table's `date` and `value` columns, or an
// SDMX-CSV export's TIME_PERIOD and OBS_VALUE (the IMF's, the ECB's, Eurostat's and the OECD's
// downloads) beside the columns of its dimensions and attributes; the rows a selection keeps
// (COLUMN = "code": one series of a file of several); each row's SDMX frequency (FREQ) held
// against the period its figures are read as, and its unit's codes (UNIT_MULT, UNIT_MEASURE) held
// against the unit the figures are said to be in. Used by the CSV of an [[observations]] entry
// (observation_csv.cpp) and by `score --observed` (observed_table.cpp).
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/scenario/csv_table.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep {

// The rows to keep: those whose cell of each column holds its text (as written, after trimming).
struct RowSelection {
  std::vector<std::pair<std::string, std::string>> wanted;  // (column, text), in order
  std::string key;            // the key errors name: "observations.0.select", "--select"
  SourcePosition at;          // where it was written
  bool command_line = false;  // given as --select COLUMN=text, not in a scenario's entry
  // How a selection of `column` = `text` is written, for hints.
  std::string written(const std::string& column, const std::string& text) const;
};

class SeriesRows {
 public:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);

  // The columns of `table`; InputError at the selection for a column the table does not have.
  // An SDMX-CSV export with labels (a header of "ID: Name" cells, "TIME_PERIOD: Time period",
  // and cells of "code: name", "Q: Quarterly", as SDMX-CSV writes them with labels=both) has its
  // header cells read as their IDs here, in `table`, so that every later lookup sees them.
  SeriesRows(CsvTable& table, RowSelection selection);

  // Whether the table is an SDMX-CSV export: TIME_PERIOD and OBS_VALUE, no date or value.
  bool sdmx() const { return sdmx_; }
  // Whether it is an SDMX-CSV export with labels, whose coded cells read "code: name".
  bool labelled() const { return labelled_; }
  // The columns of the figure's date and value (kNone: the table has none).
  std::size_t date_column() const { return date_; }
  std::size_t value_column() const { return value_; }
  // Whether `c` is a column the selection reads (allowed in a plain table beside its own).
  bool selects(std::size_t c) const;
  // Whether the selection keeps `row`; counts the rows kept.
  bool keeps(const CsvRow& row);
  // InputError at the row's FREQ cell (an SDMX table with one) unless its code is `period`'s:
  // `key` is the errors' (the CSV's key). The hint says how to choose the period: `period =` in
  // the entry, or --period on the command line (as the selection is given).
  void check_frequency(const CsvRow& row, ObservationPeriod period, const std::string& key) const;
  // InputError at the row's cell of an SDMX table's UNIT_MULT (the power of ten of the figures'
  // multiple) or of its UNIT_MEASURE, UNIT or CURRENCY (codes such as USD, EUR, PT, MIO_EUR) when
  // it contradicts `unit`, the unit the figures are said to be in: another multiple (a figure
  // 1,000 times too large or too small), another currency than the US dollar, a percentage
  // against a fraction or another kind of amount. A unit that does not read as one is left to
  // the check that names it (observed_unit.hpp); a blank cell says nothing.
  void check_unit(const CsvRow& row, std::string_view unit, const std::string& key) const;
  // An SDMX table's missing figure: an OBS_VALUE blank or "NaN".
  bool missing(const CsvRow& row) const;
  // Why rows `first` and `again` give the same series a date twice, when they differ in a column
  // other than `own` (date, value, uncertainty): the table holds several series, and a selection
  // keeps one; "" otherwise.
  std::string several_series(const CsvRow& first, const CsvRow& again,
                             const std::vector<std::size_t>& own) const;
  // InputError at the selection when it kept no row, naming what the column holds.
  void refuse_if_none_kept() const;
  std::size_t kept() const { return kept_; }

 private:
  bool selected(const CsvRow& row) const;  // whether every selected cell holds its text
  bool frequency_varies() const;
  // A coded cell's code: "Q" of a labelled export's "Q: Quarterly", else the cell as it is.
  std::string_view code(const std::string& cell) const;

  const CsvTable& table_;
  RowSelection selection_;
  std::vector<std::pair<std::size_t, std::string>> selected_;  // (column index, text)
  bool sdmx_ = false, labelled_ = false;
  std::size_t date_ = kNone, value_ = kNone, frequency_ = kNone, multiple_ = kNone;
  std::vector<std::size_t> measures_;  // UNIT_MEASURE, UNIT, CURRENCY: the columns present
  std::size_t kept_ = 0;
};

}  // namespace interdep
