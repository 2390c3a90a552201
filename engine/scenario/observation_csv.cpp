#include "engine/scenario/observation_csv.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "engine/scenario/spec_builder.hpp"
#include "engine/scenario/toml_reader.hpp"
#include "engine/scenario/user_text.hpp"

namespace interdep::detail {
namespace {

namespace fs = std::filesystem;

std::string trimmed(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// A decimal number written whole in `text`, or nothing.
std::optional<double> number_of(const std::string& text) {
  double v = 0.0;
  const char* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, v);
  if (error != std::errc() || ptr != end || !std::isfinite(v)) return std::nullopt;
  return v;
}

// YYYY-MM-DD as a decimal year, or nothing.
std::optional<double> date_of(const std::string& text) {
  int y = 0, m = 0, d = 0;
  char dash1 = 0, dash2 = 0;
  std::istringstream in(text);
  if (!(in >> y >> dash1 >> m >> dash2 >> d) || dash1 != '-' || dash2 != '-' || !in.eof() ||
      m < 1 || m > 12 || d < 1 || d > 31)
    return std::nullopt;
  return decimal_year(toml::date{y, static_cast<unsigned>(m), static_cast<unsigned>(d)});
}

struct Series {
  std::vector<double> dates, values, uncertainty;
};

// The rows of `path`; InputError at "path:line:column" for a bad cell.
Series read_series(const fs::path& path, const std::string& key, const SourcePosition& named_at,
                   bool uncertainty_given) {
  std::istringstream in(read_user_text(path, "the observations file", named_at, key));
  Series s;
  std::vector<std::string> header;
  std::optional<std::size_t> date_column, value_column, uncertainty_column;
  std::string line;
  int line_number = 0;
  const auto fail = [&](int column, const std::string& message) {
    throw InputError(SourcePosition{path.string(), line_number, column}, key, message);
  };
  while (std::getline(in, line)) {
    ++line_number;
    const std::string text = trimmed(line);
    if (text.empty() || text.front() == '#') continue;
    std::vector<std::string> cells;
    std::vector<int> columns;  // 1-based column of each cell
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = line.find(',', start);
      cells.push_back(trimmed(line.substr(start, comma - start)));
      columns.push_back(static_cast<int>(start) + 1);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (header.empty()) {
      header = cells;
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const std::string name = lower(cells[c]);
        auto& slot = name == "date"          ? date_column
                     : name == "value"       ? value_column
                     : name == "uncertainty" ? uncertainty_column
                                             : date_column;
        if (name != "date" && name != "value" && name != "uncertainty")
          fail(columns[c], "unknown column '" + cells[c] +
                               "'; expected a header of date, value and (unless the scenario "
                               "gives it) uncertainty");
        if (slot) fail(columns[c], "the column '" + cells[c] + "' is given twice");
        slot = c;
      }
      if (!date_column || !value_column)
        fail(1,
             "expected a header row naming the columns date, value and (unless the scenario "
             "gives it) uncertainty");
      if (uncertainty_column && uncertainty_given)
        fail(static_cast<int>(*uncertainty_column) + 1,
             "the scenario gives uncertainty too: give it in one place");
      if (!uncertainty_column && !uncertainty_given)
        fail(1,
             "no uncertainty column, and the scenario gives none: add one or set uncertainty "
             "in the [[observations]] entry");
      continue;
    }
    if (cells.size() != header.size())
      fail(1, "expected " + std::to_string(header.size()) + " cells as in the header, got " +
                  std::to_string(cells.size()));
    const std::size_t dc = *date_column, vc = *value_column;
    const std::optional<double> date =
        cells[dc].find('-', 1) != std::string::npos ? date_of(cells[dc]) : number_of(cells[dc]);
    if (!date)
      fail(columns[dc],
           "expected a date such as 2018-07-01 or a decimal year, got '" + cells[dc] + "'");
    if (std::find(s.dates.begin(), s.dates.end(), *date) != s.dates.end())
      fail(columns[dc], "the date '" + cells[dc] + "' is listed twice");
    const std::optional<double> value = number_of(cells[vc]);
    if (!value) fail(columns[vc], "expected a finite number, got '" + cells[vc] + "'");
    s.dates.push_back(*date);
    s.values.push_back(*value);
    if (uncertainty_column) {
      const std::size_t uc = *uncertainty_column;
      const std::optional<double> u = number_of(cells[uc]);
      if (!u || !(*u > 0.0))
        fail(columns[uc], "expected an uncertainty > 0, got '" + cells[uc] + "'");
      s.uncertainty.push_back(*u);
    }
  }
  if (s.dates.empty())
    throw InputError(SourcePosition{path.string(), line_number, 0}, key,
                     "expected at least one row of figures after the header");
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
    if (csv == nullptr) continue;
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
    const Series s = read_series(path, key, position_of(*csv), t.contains("uncertainty"));
    t.insert_or_assign("dates", array_of(s.dates));
    t.insert_or_assign("values", array_of(s.values));
    if (!s.uncertainty.empty()) t.insert_or_assign("uncertainty", array_of(s.uncertainty));
    // Moved under its new key, the node keeps its position: errors found later point here.
    toml::value<std::string> source = std::move(*t.get("csv")->as_string());
    t.erase("csv");
    t.insert_or_assign("csv_source", std::move(source));
  }
}

}  // namespace interdep::detail
