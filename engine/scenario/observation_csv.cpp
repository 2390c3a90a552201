#include "engine/scenario/observation_csv.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/scenario/csv_table.hpp"
#include "engine/scenario/enum_names.hpp"
#include "engine/scenario/observed_table.hpp"
#include "engine/scenario/spec_builder.hpp"
#include "engine/scenario/toml_reader.hpp"
#include "engine/text/quoted_text.hpp"
#include "engine/text/text_format.hpp"

namespace interdep::detail {
namespace {

namespace fs = std::filesystem;

struct Series {
  std::vector<double> dates, values, uncertainty;
};

// `select = { COLUMN = "code", ... }`: the rows whose cells hold these texts (a file of several
// series, as statistical offices export them), in the keys' order.
using RowSelection = std::vector<std::pair<std::string, std::string>>;

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

bool row_selected(const CsvRow& row,
                  const std::vector<std::pair<std::size_t, std::string>>& selected) {
  return std::all_of(selected.begin(), selected.end(),
                     [&](const auto& sel) { return row.cells[sel.first] == sel.second; });
}

// Whether the rows `selected` keeps hold more than one FREQ code in column `c`.
bool frequency_varies(const CsvTable& table, std::size_t c,
                      const std::vector<std::pair<std::size_t, std::string>>& selected) {
  const std::string* first = nullptr;
  for (const CsvRow& row : table.rows) {
    if (!row_selected(row, selected)) continue;
    if (first == nullptr)
      first = &row.cells[c];
    else if (row.cells[c] != *first)
      return true;
  }
  return false;
}

// Why a date comes twice, when the two rows differ in other columns than `own` (date, value,
// uncertainty): the file holds several series, and `select` keeps one.
std::string series_hint(const CsvTable& table, const CsvRow& first, const CsvRow& again,
                        const std::vector<std::size_t>& own) {
  for (std::size_t c = 0; c < table.header.cells.size(); ++c) {
    if (std::find(own.begin(), own.end(), c) != own.end() || first.cells[c] == again.cells[c])
      continue;
    const std::string& column = table.header.cells[c];
    return " (lines " + std::to_string(first.line) + " and " + std::to_string(again.line) +
           " differ in " + column + ": " + quoted_text(first.cells[c]) + " and " +
           quoted_text(again.cells[c]) + "; the file holds several series: keep one with " +
           "select = { " + column + " = \"" + first.cells[c] + "\" } in the entry)";
  }
  return "";
}

// An SDMX-CSV file's missing figure: a blank OBS_VALUE, or "NaN" (SDMX's missing value).
bool sdmx_missing(std::string_view cell) {
  const std::size_t first = cell.find_first_not_of(" \t");
  if (first == std::string_view::npos) return true;
  std::string lower(cell.substr(first, cell.find_last_not_of(" \t") - first + 1));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "nan";
}

// The rows of `path`, dated as `period`'s figures are; InputError at "path:line:column" for a
// bad cell.
Series read_series(const fs::path& path, const std::string& key, const SourcePosition& named_at,
                   bool uncertainty_given, ObservationPeriod period, const RowSelection& select,
                   const std::string& select_key, const SourcePosition& select_at) {
  const CsvTable table = read_csv_table(path, "the observations file", named_at, key);
  const CsvRow& header = table.header;
  const auto fail = [&](const CsvRow& row, std::size_t c, const std::string& message) {
    throw InputError(table.at(row, c), key, message);
  };
  // SDMX-CSV (the IMF's, the ECB's, Eurostat's and the OECD's exports): the figure's date in
  // TIME_PERIOD and its value in OBS_VALUE, beside columns of the series' dimensions and
  // attributes, which are read only by `select` and FREQ.
  const bool sdmx = table.column("TIME_PERIOD") && table.column("OBS_VALUE") &&
                    !table.column("date") && !table.column("value");
  // The columns `select` names, each where the file has it.
  std::vector<std::pair<std::size_t, std::string>> selected;
  for (const auto& [column, code] : select) {
    const std::optional<std::size_t> c = table.column(column);
    if (!c) {
      std::string columns;
      for (const std::string& name : header.cells) columns += (columns.empty() ? "" : ", ") + name;
      throw InputError(select_at, select_key + "." + column,
                       "the CSV " + quoted_text(path.filename().string()) + " has no column " +
                           quoted_text(column) + "; its columns: " + columns);
    }
    selected.emplace_back(*c, code);
  }
  const auto is_selected = [&](std::size_t c) {
    return std::any_of(selected.begin(), selected.end(),
                       [c](const auto& s) { return s.first == c; });
  };
  const std::string date_name = sdmx ? "TIME_PERIOD" : "date",
                    value_name = sdmx ? "OBS_VALUE" : "value";
  if (!sdmx)
    for (std::size_t c = 0; c < header.cells.size(); ++c)
      if (table.column("date") != c && table.column("value") != c &&
          table.column("uncertainty") != c && !is_selected(c))
        fail(header, c,
             "unknown column " + quoted_text(header.cells[c]) +
                 "; expected a header of date, value and (unless the scenario gives it) "
                 "uncertainty, or an SDMX-CSV export's TIME_PERIOD and OBS_VALUE" +
                 wide_table_hint(header.cells[c]));
  const std::optional<std::size_t> date_column = table.column(date_name),
                                   value_column = table.column(value_name),
                                   uncertainty_column = table.column("uncertainty");
  // FREQ, the SDMX column of each row's frequency (npos: none).
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  const std::size_t frequency_column = sdmx ? table.column("FREQ").value_or(kNone) : kNone;
  if (!date_column || !value_column)
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
  std::size_t kept = 0;  // rows `select` keeps
  for (const CsvRow& row : table.rows) {
    const std::size_t dc = *date_column, vc = *value_column;
    if (!row_selected(row, selected)) continue;
    ++kept;
    if (frequency_column != kNone) {
      const std::string& code = row.cells[frequency_column];
      const std::optional<ObservationPeriod> of = sdmx_period(code);
      if (!of)
        fail(row, frequency_column,
             "FREQ " + quoted_text(code) +
                 " is not a frequency interdep reads: A, Q and M (a year's, a quarter's and a "
                 "month's figures) and D and B (a day's, a point's)" +
                 (frequency_varies(table, frequency_column, selected)
                      ? "; keep the rows of one with select = { " + header.cells[frequency_column] +
                            " = \"...\" }"
                      : std::string()));
      if (*of != period) {
        const std::string of_name(name_of(*of));
        fail(
            row, frequency_column,
            "FREQ " + quoted_text(code) + " is a " +
                (*of == ObservationPeriod::point ? std::string("day's (a point's)")
                                                 : of_name + "'s") +
                " figure, and the entry's period is \"" + std::string(name_of(period)) +
                "\": set period = \"" + of_name + "\"" +
                (frequency_varies(table, frequency_column, selected)
                     ? ", or keep one frequency with select = { " + header.cells[frequency_column] +
                           " = \"" + std::string(code_of(period)) + "\" }"
                     : std::string()));
      }
    }
    if (sdmx && sdmx_missing(row.cells[vc])) continue;  // no figure for this date

    const std::optional<double> date =
        observation_date_of(row.cells[dc], period, table.decimal_comma());
    if (!date)
      fail(row, dc,
           "expected " + observation_date_form(period) + ", got " + quoted_text(row.cells[dc]) +
               date_form_hint(row.cells[dc], period));
    if (const auto [at, added] = seen.emplace(*date, &row); !added)
      fail(row, dc,
           "the date " + quoted_text(row.cells[dc]) + " is listed twice" +
               series_hint(table, *at->second, row, {dc, vc, uncertainty_column.value_or(dc)}));
    const std::optional<double> value = csv_number(row.cells[vc], table.decimal_comma());
    if (!value) fail(row, vc, "expected a finite number, got " + quoted_text(row.cells[vc]));
    s.dates.push_back(*date);
    s.values.push_back(*value);
    if (uncertainty_column) {
      const std::size_t uc = *uncertainty_column;
      const std::optional<double> u = csv_number(row.cells[uc], table.decimal_comma());
      if (!u || !(*u > 0.0))
        fail(row, uc, "expected an uncertainty > 0, got " + quoted_text(row.cells[uc]));
      s.uncertainty.push_back(*u);
    }
  }
  if (!select.empty() && kept == 0) {
    // What the file holds in the first column that no row matches alone.
    std::string holds;
    for (const auto& [c, code] : selected) {
      std::vector<std::string> texts;
      bool any = false;
      for (const CsvRow& row : table.rows) {
        any = any || row.cells[c] == code;
        if (texts.size() < 8 && std::find(texts.begin(), texts.end(), row.cells[c]) == texts.end())
          texts.push_back(row.cells[c]);
      }
      if (any) continue;
      for (const std::string& text : texts)
        holds += (holds.empty() ? "" : ", ") + quoted_text(text);
      holds = " (" + header.cells[c] + " holds " + holds + (texts.size() == 8 ? ", ..." : "") + ")";
      break;
    }
    std::string wanted;
    for (const auto& [column, code] : select)
      wanted += (wanted.empty() ? "" : " and ") + column + " = \"" + code + "\"";
    throw InputError(
        select_at, select_key,
        "no row of " + quoted_text(path.filename().string()) + " has " + wanted + holds);
  }
  if (s.dates.empty())
    throw InputError(SourcePosition{path.string(), table.last_line, 0}, key,
                     kept > 0 ? "expected at least one figure: every row selected has a missing "
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
    const std::string select_key = path_key + ".select";
    SourcePosition select_at = position_of(*csv);
    if (const toml::node* sel = t.get("select")) {
      select_at = position_of(*sel);
      if (!sel->is_table() || sel->as_table()->empty())
        throw InputError(select_at, select_key,
                         "expected a table of the CSV's columns and the text each row kept "
                         "holds, such as { REF_AREA = \"PK\" }, got " +
                             (sel->is_table() ? std::string("an empty table") : type_name(*sel)));
      for (const auto& [column, code] : *sel->as_table()) {
        if (!code.is_string())
          throw InputError(position_of(code), select_key + "." + std::string(column.str()),
                           "expected the text of the column's cells to keep, such as \"PK\", "
                           "got " +
                               type_name(code));
        select.emplace_back(std::string(column.str()),
                            std::string(*code.value<std::string_view>()));
      }
    }
    const Series s = read_series(path, key, position_of(*csv), t.contains("uncertainty"), period,
                                 select, select_key, select_at);
    if (period == ObservationPeriod::quarter || period == ObservationPeriod::month) {
      toml::array dates;  // as a table writes them: "2027Q2", "2027-06"
      for (const double d : s.dates) dates.push_back(observation_date_text(period, d));
      t.insert_or_assign("dates", std::move(dates));
    } else {
      t.insert_or_assign("dates", array_of(s.dates));
    }
    t.insert_or_assign("values", array_of(s.values));
    if (!s.uncertainty.empty()) t.insert_or_assign("uncertainty", array_of(s.uncertainty));
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
