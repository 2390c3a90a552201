#include "engine/scenario/observation_csv.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/scenario/csv_table.hpp"
#include "engine/scenario/enum_names.hpp"
#include "engine/scenario/observed_table.hpp"
#include "engine/scenario/series_rows.hpp"
#include "engine/scenario/spec_builder.hpp"
#include "engine/scenario/toml_reader.hpp"
#include "engine/text/quoted_text.hpp"
#include "engine/text/text_format.hpp"

namespace interdep::detail {
namespace {

namespace fs = std::filesystem;

struct Series {
  std::vector<double> dates, values, uncertainty;
  std::vector<std::int64_t> cells;  // line, date's column, value's column of each figure
};

// The rows of `path`, dated as `period`'s figures are, in `unit` (the entry's, "" when it gives
// none); InputError at "path:line:column" for a bad cell.
Series read_series(const fs::path& path, const std::string& key, const SourcePosition& named_at,
                   bool uncertainty_given, ObservationPeriod period, std::string_view unit,
                   const RowSelection& select) {
  CsvTable table = read_csv_table(path, "the observations file", named_at, key);
  const CsvRow& header = table.header;
  const auto fail = [&](const CsvRow& row, std::size_t c, const std::string& message) {
    throw InputError(table.at(row, c), key, message);
  };
  SeriesRows rows(table, select);
  if (!rows.sdmx())
    for (std::size_t c = 0; c < header.cells.size(); ++c)
      if (table.column("date") != c && table.column("value") != c &&
          table.column("uncertainty") != c && !rows.selects(c))
        fail(header, c,
             "unknown column " + quoted_text(header.cells[c]) +
                 "; expected a header of date, value and (unless the scenario gives it) "
                 "uncertainty, or an SDMX-CSV export's TIME_PERIOD and OBS_VALUE" +
                 wide_table_hint(header.cells[c]));
  const std::optional<std::size_t> uncertainty_column = table.column("uncertainty");
  if (rows.date_column() == SeriesRows::kNone || rows.value_column() == SeriesRows::kNone)
    fail(header, 0,
         "expected a header row naming the columns date, value and (unless the scenario gives "
         "it) uncertainty");
  if (uncertainty_column && uncertainty_given)
    fail(header, *uncertainty_column, "the scenario gives uncertainty too: give it in one place");
  if (!uncertainty_column && !uncertainty_given)
    fail(header, 0,
         "no uncertainty column, and the scenario gives none: add one or set uncertainty in the "
         "[[observations]] entry");
  Series s;
  // The dates so far and their rows: a file of 10^5 rows is checked in linear time.
  std::unordered_map<double, const CsvRow*> seen;
  const std::size_t dc = rows.date_column(), vc = rows.value_column();
  for (const CsvRow& row : table.rows) {
    if (!rows.keeps(row)) continue;
    rows.check_frequency(row, period, key);
    if (rows.missing(row)) continue;  // no figure for this date
    rows.check_unit(row, unit, key);
    const std::optional<double> date =
        observation_date_of(row.cells[dc], period, table.decimal_comma());
    if (!date)
      fail(row, dc,
           "expected " + observation_date_form(period) + ", got " + quoted_text(row.cells[dc]) +
               date_form_hint(row.cells[dc], period));
    // As the value and uncertainty are (a date of 1e16 was refused later, at "<input>").
    if (const auto refusal = size_refusal(*date, "a date")) fail(row, dc, *refusal);
    if (const auto [at, added] = seen.emplace(*date, &row); !added)
      fail(row, dc,
           "the date " + quoted_text(row.cells[dc]) + " is listed twice" +
               rows.several_series(*at->second, row, {dc, vc, uncertainty_column.value_or(dc)}));
    const std::optional<double> value = csv_number(row.cells[vc], table.decimal_comma());
    if (!value) fail(row, vc, "expected a finite number, got " + quoted_text(row.cells[vc]));
    if (const auto refusal = size_refusal(*value, "a number")) fail(row, vc, *refusal);
    s.dates.push_back(*date);
    s.values.push_back(*value);
    s.cells.insert(s.cells.end(),
                   {table.at(row, dc).line, table.at(row, dc).column, table.at(row, vc).column});
    if (uncertainty_column) {
      const std::size_t uc = *uncertainty_column;
      const std::optional<double> u = csv_number(row.cells[uc], table.decimal_comma());
      if (!u || !(*u > 0.0))
        fail(row, uc, "expected an uncertainty > 0, got " + quoted_text(row.cells[uc]));
      if (const auto refusal = size_refusal(*u, "an uncertainty")) fail(row, uc, *refusal);
      s.uncertainty.push_back(*u);
    }
  }
  rows.refuse_if_none_kept();
  if (s.dates.empty())
    throw InputError(SourcePosition{path.string(), table.last_line, 0}, key,
                     rows.kept() > 0
                         ? "expected at least one figure: every row selected has a missing "
                           "OBS_VALUE (blank or NaN)"
                         : "expected at least one row of figures after the header");
  return s;
}

toml::array array_of(const std::vector<double>& values) {
  toml::array a;
  for (double v : values) a.push_back(v);
  return a;
}

}  // namespace

void inline_observation_csvs(toml::table& doc, const fs::path& file) {
  toml::node* node = doc.get("observations");
  if (node == nullptr || !node->is_array()) return;  // the spec builder reports a wrong type
  std::size_t index = 0;
  for (toml::node& element : *node->as_array()) {
    const std::string path_key = "observations." + std::to_string(index++);
    if (!element.is_table()) continue;
    toml::table& t = *element.as_table();
    const toml::node* csv = t.get("csv");
    if (csv == nullptr) {
      if (const toml::node* sel = t.get("select"))
        throw InputError(position_of(*sel), path_key + ".select",
                         "select keeps rows of a CSV: give the file in csv too");
      continue;
    }
    const std::string key = path_key + ".csv";
    if (!csv->is_string())
      throw InputError(position_of(*csv), key,
                       "expected the path of a CSV file of observations, got " + type_name(*csv));
    for (const char* given : {"dates", "values"})
      if (const toml::node* n = t.get(given))
        throw InputError(position_of(*n), path_key + "." + given,
                         "give the figures either in csv or in dates and values, not both");
    const std::string written(csv->value<std::string_view>().value());
    fs::path path(written);
    if (path.is_relative()) path = file.parent_path() / path;
    // The dates are read as the entry's period dates them (the spec builder refuses a period
    // that is no period's name: the CSV is then read as a point's).
    ObservationPeriod period = ObservationPeriod::point;
    if (const toml::node* p = t.get("period"); p != nullptr && p->is_string())
      period = parse<ObservationPeriod>(*p->value<std::string_view>()).value_or(period);
    // select = { COLUMN = "code", ... }: the rows of one series in a file of several.
    RowSelection select;
    select.key = path_key + ".select";
    select.at = position_of(*csv);
    if (const toml::node* sel = t.get("select")) {
      select.at = position_of(*sel);
      if (!sel->is_table() || sel->as_table()->empty())
        throw InputError(select.at, select.key,
                         "expected a table of the CSV's columns and the text each row kept "
                         "holds, such as { REF_AREA = \"PK\" }, got " +
                             (sel->is_table() ? std::string("an empty table") : type_name(*sel)));
      for (const auto& [column, code] : *sel->as_table()) {
        if (!code.is_string())
          throw InputError(position_of(code), select.key + "." + std::string(column.str()),
                           "expected the text of the column's cells to keep, such as \"PK\", "
                           "got " +
                               type_name(code));
        select.wanted.emplace_back(std::string(column.str()),
                                   std::string(*code.value<std::string_view>()));
      }
    }
    // The unit the figures are said to be in, held against an SDMX export's own codes (a unit
    // that is missing or no text is the spec builder's to refuse).
    std::string_view unit;
    if (const toml::node* u = t.get("unit"); u != nullptr && u->is_string())
      unit = *u->value<std::string_view>();
    const Series s =
        read_series(path, key, position_of(*csv), t.contains("uncertainty"), period, unit, select);
    if (period == ObservationPeriod::quarter || period == ObservationPeriod::month) {
      toml::array dates;  // as a table writes them: "2027Q2", "2027-06"
      for (const double d : s.dates) dates.push_back(observation_date_text(period, d));
      t.insert_or_assign("dates", std::move(dates));
    } else {
      t.insert_or_assign("dates", array_of(s.dates));
    }
    t.insert_or_assign("values", array_of(s.values));
    if (!s.uncertainty.empty()) t.insert_or_assign("uncertainty", array_of(s.uncertainty));
    // Where each figure was in the file, for errors found when the entry is read: [line, the
    // date's column, the value's column] (the nodes above have no position of their own).
    toml::array cells;
    for (std::size_t k = 0; k + 2 < s.cells.size(); k += 3)
      cells.push_back(toml::array{s.cells[k], s.cells[k + 1], s.cells[k + 2]});
    t.insert_or_assign("csv_cells", std::move(cells));
    // Moved under its new key, the node keeps its position: errors found later point here.
    toml::value<std::string> source = std::move(*t.get("csv")->as_string());
    t.erase("csv");
    t.insert_or_assign("csv_source", std::move(source));
    if (toml::node* sel = t.get("select")) {  // kept beside the file it chose rows of
      toml::table chosen = std::move(*sel->as_table());
      t.erase("select");
      t.insert_or_assign("csv_select", std::move(chosen));
    }
  }
}

}  // namespace interdep::detail
