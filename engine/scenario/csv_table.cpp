#include "engine/scenario/csv_table.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "engine/scenario/spec_builder.hpp"
#include "engine/scenario/user_text.hpp"
#include "engine/text/text_format.hpp"

namespace interdep {
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

// Cells separated by commas. A cell may be quoted ("a, b", with "" for a quote), and a comma
// inside square brackets does not separate cells, so that trade[PAK,RUS] may be written bare.
// Returns the column of an unterminated quote or bracket as a negative number in `error_column`.
CsvRow split(const std::string& line, int line_number, int& error_column) {
  CsvRow row;
  row.line = line_number;
  error_column = 0;
  std::size_t k = 0;
  for (;;) {
    while (k < line.size() && (line[k] == ' ' || line[k] == '\t')) ++k;
    row.columns.push_back(static_cast<int>(k) + 1);
    std::string cell;
    if (k < line.size() && line[k] == '"') {
      const std::size_t open = k++;
      for (;; ++k) {
        if (k >= line.size()) {
          error_column = static_cast<int>(open) + 1;
          return row;
        }
        if (line[k] == '"') {
          if (k + 1 < line.size() && line[k + 1] == '"') {
            cell += '"';
            ++k;
            continue;
          }
          ++k;
          break;
        }
        cell += line[k];
      }
      while (k < line.size() && line[k] != ',') {
        if (line[k] != ' ' && line[k] != '\t' && line[k] != '\r') {
          error_column = static_cast<int>(k) + 1;
          return row;
        }
        ++k;
      }
      row.cells.push_back(cell);
    } else {
      const std::size_t start = k;
      int depth = 0;
      for (; k < line.size() && (line[k] != ',' || depth > 0); ++k) {
        if (line[k] == '[') ++depth;
        if (line[k] == ']' && depth > 0) --depth;
      }
      if (depth > 0) {
        error_column = static_cast<int>(line.find('[', start)) + 1;
        return row;
      }
      row.cells.push_back(trimmed(std::string_view(line).substr(start, k - start)));
    }
    if (k >= line.size()) break;
    ++k;  // the comma
  }
  return row;
}

}  // namespace

std::optional<std::size_t> CsvTable::column(const std::string& name) const {
  for (std::size_t c = 0; c < header.cells.size(); ++c)
    if (lower(header.cells[c]) == lower(name)) return c;
  return std::nullopt;
}

SourcePosition CsvTable::at(const CsvRow& row, std::size_t c) const {
  return SourcePosition{path.string(), row.line, c < row.columns.size() ? row.columns[c] : 1};
}

std::string csv_lines(std::string text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  if (text.find('\r') == std::string::npos) return text;
  std::string lines;
  lines.reserve(text.size());
  for (std::size_t k = 0; k < text.size(); ++k) {
    if (text[k] != '\r') {
      lines += text[k];
    } else if (k + 1 >= text.size() || text[k + 1] != '\n') {
      lines += '\n';  // a lone \r ends a line; \r\n's \n follows
    }
  }
  return lines;
}

CsvTable read_csv_table(const fs::path& path, const std::string& what,
                        const SourcePosition& named_at, const std::string& key) {
  std::istringstream in(csv_lines(read_user_text(path, what, named_at, key)));
  CsvTable table;
  table.path = path;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    const std::string text = trimmed(line);
    if (text.empty() || text.front() == '#') continue;
    int bad_column = 0;
    CsvRow row = split(line, line_number, bad_column);
    if (bad_column > 0)
      throw InputError(SourcePosition{path.string(), line_number, bad_column}, key,
                       line[static_cast<std::size_t>(bad_column - 1)] == '['
                           ? "a '[' that no ']' closes on its line"
                           : "a quoted cell must end with '\"' before the next comma or the end of "
                             "the line");
    if (table.header.cells.empty()) {
      for (std::size_t c = 0; c < row.cells.size(); ++c) {
        if (row.cells[c].empty())
          throw InputError(table.at(row, c), key, "a column of the header row has no name");
        for (std::size_t earlier = 0; earlier < c; ++earlier)
          if (lower(row.cells[earlier]) == lower(row.cells[c]))
            throw InputError(table.at(row, c), key,
                             "the column '" + row.cells[c] + "' is given twice");
      }
      table.header = std::move(row);
      continue;
    }
    if (row.cells.size() != table.header.cells.size())
      throw InputError(SourcePosition{path.string(), line_number, 1}, key,
                       "expected " + std::to_string(table.header.cells.size()) +
                           " cells as in the header, got " + std::to_string(row.cells.size()));
    table.rows.push_back(std::move(row));
  }
  table.last_line = line_number;
  if (table.header.cells.empty())
    throw InputError(SourcePosition{path.string(), line_number, 0}, key,
                     what + " is empty: expected a header row naming its columns");
  return table;
}

std::optional<double> csv_number(const std::string& text) {
  double v = 0.0;
#if defined(__cpp_lib_to_chars)
  const char* end = text.data() + text.size();
  const auto [ptr, error] = std::from_chars(text.data(), end, v);
  if (error != std::errc() || ptr != end || !std::isfinite(v)) return std::nullopt;
#else
  // A libc++ without floating-point from_chars (Emscripten's, for the browser lab): strtod, which
  // reads the same decimal numbers (the C locale) once what from_chars refuses is refused first:
  // leading space or '+', and hexadecimal.
  if (text.empty() || std::isspace(static_cast<unsigned char>(text.front())) ||
      text.front() == '+' || text.find_first_of("xX") != std::string::npos)
    return std::nullopt;
  char* ptr = nullptr;
  errno = 0;
  v = std::strtod(text.c_str(), &ptr);
  if (errno != 0 || ptr != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
#endif
  return v;
}

std::optional<double> csv_date(const std::string& text) {
  if (text.find('-', 1) == std::string::npos) return csv_number(text);
  int y = 0, m = 0, d = 0;
  char dash1 = 0, dash2 = 0;
  std::istringstream in(text);
  if (!(in >> y >> dash1 >> m >> dash2 >> d) || dash1 != '-' || dash2 != '-' || !in.eof() ||
      y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
    return std::nullopt;
  if (d > days_in_month(y, m)) return std::nullopt;
  return decimal_year(y, m, d);
}

}  // namespace interdep
