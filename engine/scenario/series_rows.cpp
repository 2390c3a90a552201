#include "engine/scenario/series_rows.hpp"

#include <algorithm>
#include <cctype>

#include "engine/scenario/enum_names.hpp"
#include "engine/text/quoted_text.hpp"

namespace interdep {
namespace {

// The frequency codes of SDMX (the FREQ column): the period a row's figure is of (a day's, D or
// B for business days, is a point's), or nothing for a code interdep does not read (S half-years,
// W weeks, H hours, N minutes and any other).
std::optional<ObservationPeriod> sdmx_period(std::string_view code) {
  if (code == "A") return ObservationPeriod::year;
  if (code == "Q") return ObservationPeriod::quarter;
  if (code == "M") return ObservationPeriod::month;
  if (code == "D" || code == "B") return ObservationPeriod::point;
  return std::nullopt;
}

// The FREQ code of a period's figures (a point's: a day's, D).
std::string_view code_of(ObservationPeriod period) {
  switch (period) {
    case ObservationPeriod::year: return "A";
    case ObservationPeriod::quarter: return "Q";
    case ObservationPeriod::month: return "M";
    case ObservationPeriod::point: break;
  }
  return "D";
}

}  // namespace

std::string RowSelection::written(const std::string& column, const std::string& text) const {
  return command_line ? "--select " + column + "=" + text
                      : "select = { " + column + " = \"" + text + "\" } in the entry";
}

SeriesRows::SeriesRows(const CsvTable& table, RowSelection selection)
    : table_(table), selection_(std::move(selection)) {
  // SDMX-CSV: the figure's date in TIME_PERIOD and its value in OBS_VALUE, beside columns of the
  // series' dimensions and attributes, which are read only by the selection and FREQ.
  sdmx_ = table.column("TIME_PERIOD") && table.column("OBS_VALUE") && !table.column("date") &&
          !table.column("value");
  date_ = table.column(sdmx_ ? "TIME_PERIOD" : "date").value_or(kNone);
  value_ = table.column(sdmx_ ? "OBS_VALUE" : "value").value_or(kNone);
  if (sdmx_) frequency_ = table.column("FREQ").value_or(kNone);
  for (const auto& [column, text] : selection_.wanted) {
    const std::optional<std::size_t> c = table.column(column);
    if (!c) {
      std::string columns;
      for (const std::string& name : table.header.cells)
        columns += (columns.empty() ? "" : ", ") + name;
      throw InputError(selection_.at,
                       selection_.command_line ? selection_.key : selection_.key + "." + column,
                       "the CSV " + quoted_text(table.path.filename().string()) +
                           " has no column " + quoted_text(column) + "; its columns: " + columns);
    }
    selected_.emplace_back(*c, text);
  }
}

bool SeriesRows::selects(std::size_t c) const {
  return std::any_of(selected_.begin(), selected_.end(),
                     [c](const auto& s) { return s.first == c; });
}

bool SeriesRows::selected(const CsvRow& row) const {
  return std::all_of(selected_.begin(), selected_.end(),
                     [&](const auto& s) { return row.cells[s.first] == s.second; });
}

bool SeriesRows::keeps(const CsvRow& row) {
  const bool kept = selected(row);
  if (kept) ++kept_;
  return kept;
}

bool SeriesRows::frequency_varies() const {
  const std::string* first = nullptr;
  for (const CsvRow& row : table_.rows) {
    if (!selected(row)) continue;
    if (first == nullptr)
      first = &row.cells[frequency_];
    else if (row.cells[frequency_] != *first)
      return true;
  }
  return false;
}

void SeriesRows::check_frequency(const CsvRow& row, ObservationPeriod period,
                                 const std::string& key) const {
  if (frequency_ == kNone) return;
  const std::string& code = row.cells[frequency_];
  const std::string& column = table_.header.cells[frequency_];
  const std::optional<ObservationPeriod> of = sdmx_period(code);
  if (of == period) return;
  std::string message;
  if (!of) {
    message = "FREQ " + quoted_text(code) +
              " is not a frequency interdep reads: A, Q and M (a year's, a quarter's and a "
              "month's figures) and D and B (a day's, a point's)";
    if (frequency_varies())
      message += "; keep the rows of one with " + selection_.written(column, "...");
  } else {
    const std::string of_name(name_of(*of));
    message =
        "FREQ " + quoted_text(code) + " is a " +
        (*of == ObservationPeriod::point ? std::string("day's (a point's)") : of_name + "'s") +
        " figure, and the " + (selection_.command_line ? "figures' " : "entry's ") +
        "period is \"" + std::string(name_of(period)) + "\": " +
        (selection_.command_line ? "give --period " + of_name : "set period = \"" + of_name + "\"");
    if (frequency_varies())
      message += ", or keep one frequency with " +
                 selection_.written(column, std::string(code_of(period)));
  }
  throw InputError(table_.at(row, frequency_), key, message);
}

bool SeriesRows::missing(const CsvRow& row) const {
  if (!sdmx_) return false;
  std::string lower = row.cells[value_];
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.empty() || lower == "nan";
}

std::string SeriesRows::several_series(const CsvRow& first, const CsvRow& again,
                                       const std::vector<std::size_t>& own) const {
  for (std::size_t c = 0; c < table_.header.cells.size(); ++c) {
    if (std::find(own.begin(), own.end(), c) != own.end() || first.cells[c] == again.cells[c])
      continue;
    const std::string& column = table_.header.cells[c];
    return " (lines " + std::to_string(first.line) + " and " + std::to_string(again.line) +
           " differ in " + column + ": " + quoted_text(first.cells[c]) + " and " +
           quoted_text(again.cells[c]) + "; the file holds several series: keep one with " +
           selection_.written(column, first.cells[c]) + ")";
  }
  return "";
}

void SeriesRows::refuse_if_none_kept() const {
  if (selected_.empty() || kept_ > 0) return;
  // What the file holds in the first column that no row matches alone.
  std::string holds;
  for (const auto& [c, text] : selected_) {
    std::vector<std::string> texts;
    bool any = false;
    for (const CsvRow& row : table_.rows) {
      any = any || row.cells[c] == text;
      if (texts.size() < 8 && std::find(texts.begin(), texts.end(), row.cells[c]) == texts.end())
        texts.push_back(row.cells[c]);
    }
    if (any) continue;
    for (const std::string& t : texts) holds += (holds.empty() ? "" : ", ") + quoted_text(t);
    holds = " (" + table_.header.cells[c] + " holds " + holds + (texts.size() == 8 ? ", ..." : "") +
            ")";
    break;
  }
  std::string wanted;
  for (const auto& [column, text] : selection_.wanted)
    wanted += (wanted.empty() ? "" : " and ") + column + " = \"" + text + "\"";
  throw InputError(
      selection_.at, selection_.key,
      "no row of " + quoted_text(table_.path.filename().string()) + " has " + wanted + holds);
}

}  // namespace interdep
