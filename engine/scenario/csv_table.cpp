#include "engine/scenario/csv_table.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "engine/scenario/spec_builder.hpp"
#include "engine/scenario/user_text.hpp"
#include "engine/text/control_chars.hpp"
#include "engine/text/nfc.hpp"
#include "engine/text/quoted_text.hpp"
#include "engine/text/text_encoding.hpp"
#include "engine/text/text_format.hpp"

namespace interdep {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The 1-based character column of byte `k` of a row's `text` (UTF-8: continuation bytes do not
// start a character), counted on from `counted` bytes already at column `column`, and the lines
// passed before it (`lines`: the line breaks of quoted cells that span lines).
struct Columns {
  const std::string& text;
  std::size_t counted = 0;
  int lines = 0;
  int column = 1;
  int at(std::size_t k) {
    for (; counted < k && counted < text.size(); ++counted) {
      if (text[counted] == '\n') {
        ++lines;
        column = 1;
      } else if ((static_cast<unsigned char>(text[counted]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    return column;
  }
};

// The length of the no-break space that begins at s[k] (U+00A0; U+2007, the figure space;
// U+202F, the narrow no-break space), or 0: spreadsheets of some locales write them around and
// inside numbers, and on screen they are spaces.
std::size_t no_break_space_at(std::string_view s, std::size_t k) {
  if (s.substr(k, 2) == "\xC2\xA0") return 2;
  if (s.substr(k, 3) == "\xE2\x80\x87" || s.substr(k, 3) == "\xE2\x80\xAF") return 3;
  return 0;
}

// The length of the no-break space that ends just before s[k], or 0.
std::size_t no_break_space_before(std::string_view s, std::size_t k) {
  if (k >= 2 && no_break_space_at(s, k - 2) == 2) return 2;
  if (k >= 3 && no_break_space_at(s, k - 3) == 3) return 3;
  return 0;
}

// `s` without the spaces, tabs, carriage returns and no-break spaces around it: a line of them
// only is blank, as it shows.
std::string trimmed(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  for (;;) {
    if (!s.empty() && space(s.front())) {
      s.remove_prefix(1);
    } else if (const std::size_t n = no_break_space_at(s, 0); n > 0) {
      s.remove_prefix(n);
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && space(s.back())) {
      s.remove_suffix(1);
    } else if (const std::size_t n = no_break_space_before(s, s.size()); n > 0) {
      s.remove_suffix(n);
    } else {
      break;
    }
  }
  return std::string(s);
}

// The separator a file with several allowed (a design: ',', ';' or a tab) separates its cells
// with: the one its header line uses, outside quotes and brackets, when it uses one only, so that
// a spreadsheet of a locale whose decimal mark is ',' (cells 0,5;2) is read as it was written.
// All of them when the header uses none (one column) or several (a file written by hand).
std::string_view header_separator(const std::string& line, const CsvFormat& format) {
  bool quoted = false;
  std::size_t depth = 0;
  std::optional<std::size_t> used;  // its index in format.separators
  for (const char c : line) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (format.brackets && c == '[') ++depth;
    if (format.brackets && c == ']' && depth > 0) --depth;
    const std::size_t at = format.separators.find(c);
    if (depth > 0 || at == std::string_view::npos) continue;
    if (used && *used != at) return format.separators;
    used = at;
  }
  return used ? format.separators.substr(*used, 1) : format.separators;
}

std::string separator_names(std::string_view separators) {
  std::string names;
  for (std::size_t k = 0; k < separators.size(); ++k) {
    names += k == 0 ? "" : k + 1 == separators.size() ? " or " : ", ";
    if (separators[k] == '\t')
      names += "a tab";
    else
      names.append(1, '\'').append(1, separators[k]).append(1, '\'');
  }
  return names;
}

// Adds to `row` the cells of `line` (a row's text: its lines joined by '\n' while a quoted cell
// spans them) from byte `k`, where a cell starts (`columns` counted up to it), separated by any
// of the format's separators. A cell may be quoted ("a, b", with "" for a quote, and line breaks
// as RFC 4180 has them), and with brackets on a separator inside square brackets does not end a
// cell, so that trade[PAK,RUS] may be written bare. Spaces (and tabs, unless a tab separates
// cells) around a cell are dropped. On an unterminated quote or bracket, or text after a closing
// quote, sets the byte index + 1 of where it is in `error_at`, and what is wrong in `error`;
// `open_quote` says that the last cell is a quoted one still open at the end (the row may go on
// on the next line; `error_at` - 1 is its quote, where to go on from).
void split_cells(const std::string& line, std::size_t k, Columns& columns, const CsvFormat& format,
                 CsvRow& row, std::size_t& error_at, std::string& error, bool& open_quote) {
  const auto quote_error = [&] {
    error = "a quoted cell must end with '\"' before the next " +
            (format.separators == "," ? std::string("comma")
                                      : "separator (" + separator_names(format.separators) + ")") +
            " or the end of the line";
  };
  const auto separator = [&](char c) {
    return format.separators.find(c) != std::string_view::npos;
  };
  const auto space = [&](char c) { return (c == ' ' || c == '\t') && !separator(c); };
  // The length of the space (an ASCII one, or a no-break space) at line[at], or 0.
  const auto space_at = [&](std::size_t at) {
    return space(line[at]) ? std::size_t{1} : no_break_space_at(line, at);
  };
  const auto space_before = [&](std::size_t at) {
    return space(line[at - 1]) ? std::size_t{1} : no_break_space_before(line, at);
  };
  error_at = 0;
  open_quote = false;
  for (;;) {
    while (k < line.size() && space_at(k) > 0) k += space_at(k);
    row.columns.push_back(columns.at(k));
    row.lines.push_back(row.line + columns.lines);
    std::string cell;
    if (k < line.size() && line[k] == '"') {
      const std::size_t open = k++;
      for (;; ++k) {
        if (k >= line.size()) {
          error_at = open + 1;
          error = "a quoted cell that no '\"' closes before the end of the file";
          open_quote = true;
          return;
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
      while (k < line.size() && !separator(line[k])) {
        if (space_at(k) == 0) {
          error_at = k + 1;
          quote_error();
          return;
        }
        k += space_at(k);
      }
      row.cells.push_back(std::move(cell));
    } else {
      const std::size_t start = k;
      std::size_t depth = 0, opened = 0;
      for (; k < line.size() && (!separator(line[k]) || depth > 0); ++k) {
        if (!format.brackets) continue;
        if (line[k] == '[' && depth++ == 0) opened = k;
        if (line[k] == ']' && depth > 0) --depth;
      }
      if (depth > 0) {
        error_at = opened + 1;
        error = "a '[' that no ']' closes on its line";
        return;
      }
      std::size_t stop = k;
      while (stop > start && space_before(stop) > 0) stop -= space_before(stop);
      row.cells.push_back(line.substr(start, stop - start));
    }
    if (k >= line.size()) break;
    ++k;  // the separator
  }
}

// Whether `line`, read while a quoted cell is open, closes it: a '"' that is not one of a pair
// ("" is a quote inside the cell).
bool closes_quoted_cell(std::string_view line) {
  for (std::size_t k = 0; k < line.size(); ++k) {
    if (line[k] != '"') continue;
    if (k + 1 < line.size() && line[k + 1] == '"') {
      ++k;
      continue;
    }
    return true;
  }
  return false;
}

}  // namespace

std::optional<std::size_t> CsvTable::column(const std::string& name) const {
  const std::string wanted = format.names_ignore_case ? lower(name) : name;
  for (std::size_t c = 0; c < header.cells.size(); ++c)
    if ((format.names_ignore_case ? lower(header.cells[c]) : header.cells[c]) == wanted) return c;
  return std::nullopt;
}

SourcePosition CsvTable::at(const CsvRow& row, std::size_t c) const {
  return SourcePosition{path.string(), c < row.lines.size() ? row.lines[c] : row.line,
                        c < row.columns.size() ? row.columns[c] : 1};
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

void check_csv_text(std::string_view text, const std::string& file, const std::string& key) {
  const auto refuse = [&](int line, int column, const std::string& message) {
    throw InputError(SourcePosition{file, line, column}, key, message);
  };
  const auto save_as = [](const std::string& encoding) {
    return ": expected UTF-8 text; save it as UTF-8 (a spreadsheet's \"CSV UTF-8\", or iconv -f " +
           encoding + " -t UTF-8)";
  };
  const std::string may_be = ": " + std::string(kLegacyEncodingAdvice) +
                             " (a spreadsheet's \"CSV UTF-8\", or iconv -f LATIN1 -t UTF-8)";
  if (const auto encoding = other_encoding(text))
    refuse(1, 1, "this file is " + encoding->description + save_as(encoding->iconv_name));
  if (text.starts_with("\x89HDF\r\n\x1a\n"))
    refuse(0, 0,
           "this is an HDF5 file (a result of interdep run or sweep), not CSV text: expected "
           "UTF-8 text");
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8's mark: dropped
  int line = 1;
  std::size_t line_start = 0;
  const auto column = [&](std::size_t k) {
    int c = 1;
    for (std::size_t i = line_start; i < k; ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++c;
    return c;
  };
  for (std::size_t k = 0; k < text.size();) {
    const auto b = static_cast<unsigned char>(text[k]);
    if (b == '\n' || b == '\r') {
      k +=
          b == '\r' && k + 1 < text.size() && text[k + 1] == '\n' ? std::size_t{2} : std::size_t{1};
      ++line;
      line_start = k;
      continue;
    }
    if (b == '\0')
      refuse(line, column(k),
             "a NUL byte (\\0) in the file: expected UTF-8 text (a NUL is binary content)");
    if ((b < 0x20 && b != '\t') || b == 0x7F)
      refuse(line, column(k),
             "control character " + code_point_name(b) + " (byte " + hex_byte(b) +
                 ") not allowed in the file: printed, it would act on the terminal; expected "
                 "UTF-8 text (is this a binary file?)");
    const std::size_t n = utf8_length(text, k);
    if (n == 0) {
      const std::string bytes = bytes_not_utf8(text, k);
      refuse(line, column(k), std::string("bytes that are not UTF-8 (") + bytes + ")" + may_be);
    }
    k += n;
  }
}

CsvTable read_csv_table(const fs::path& path, const std::string& what,
                        const SourcePosition& named_at, const std::string& key,
                        const CsvFormat& format) {
  std::string raw = read_user_text(path, what, named_at, key);
  check_csv_text(raw, path.string(), key);
  std::istringstream in(csv_lines(std::move(raw)));
  CsvTable table;
  table.path = path;
  table.format = format;
  std::string line;
  int line_number = 0;
  std::unordered_map<std::string, std::size_t> names;  // the header's, as compared
  while (std::getline(in, line)) {
    ++line_number;
    const std::string text = trimmed(line);
    if (text.empty() || text.front() == '#') continue;
    std::size_t error_at = 0;
    std::string error;
    bool open_quote = false;
    if (table.header.cells.empty() && format.separators.size() > 1)
      table.format.separators = header_separator(line, format);
    const int first_line = line_number;
    CsvRow row;
    row.line = first_line;
    Columns columns{line};
    split_cells(line, 0, columns, table.format, row, error_at, error, open_quote);
    // A quoted cell open at the end of the line goes on on the next (a line break in a cell, as
    // spreadsheets write one): once a line closes it, the row is split on from that cell (each
    // cell split once: linear in the row, however many lines it spans).
    std::string more;
    while (open_quote && std::getline(in, more)) {
      ++line_number;
      line.append("\n").append(more);
      if (!closes_quoted_cell(more)) continue;
      row.columns.pop_back();  // the open cell's start, found again
      row.lines.pop_back();
      split_cells(line, error_at - 1, columns, table.format, row, error_at, error, open_quote);
    }
    if (error_at > 0) {
      Columns at{line};
      const int column = at.at(error_at - 1);
      throw InputError(SourcePosition{path.string(), first_line + at.lines, column}, key, error);
    }
    // Characters a name may not hold (engine/text/control_chars.hpp) left by check_csv_text (a
    // tab, C1, invisible format characters; a quoted cell's line break): as in TOML strings, a
    // source's cell is free text (a line break, a tab, U+200C and U+200D allowed); every other
    // cell, the header's included, is a name.
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
      const bool free_text = !table.header.cells.empty() && c < table.header.cells.size() &&
                             lower(table.header.cells[c]) == "source";
      if (const auto found = first_refused_character(
              row.cells[c], free_text ? TextKind::free_text : TextKind::name))
        throw InputError(table.at(row, c), key,
                         quoted_text(printable(row.cells[c], TextKind::name)) + ": " +
                             refused_character_name(*found) + " not allowed in a cell: " +
                             std::string(refusal_reason(*found)) + "; remove it");
    }
    // In NFC, as TOML's keys and strings are (engine/text/nfc.hpp): a code or a column typed
    // with a combining accent is the one typed with a precomposed accent.
    for (std::string& cell : row.cells)
      if (needs_nfc(cell)) cell = to_nfc(cell);
    if (table.header.cells.empty()) {
      for (std::size_t c = 0; c < row.cells.size(); ++c) {
        if (row.cells[c].empty())
          throw InputError(
              table.at(row, c), key,
              "a column of the header row has no name" +
                  std::string(c == 0 ? " (pandas writes its index so, as a first column without "
                                       "a name: save with to_csv(..., index=False))"
                                     : ""));
        const auto [earlier, first] =
            names.emplace(format.names_ignore_case ? lower(row.cells[c]) : row.cells[c], c);
        if (!first)
          throw InputError(table.at(row, c), key,
                           "the column " + quoted_text(row.cells[c]) +
                               " is given twice (also as column " +
                               std::to_string(earlier->second + 1) + ")");
      }
      table.header = std::move(row);
      continue;
    }
    if (row.cells.size() != table.header.cells.size())
      throw InputError(SourcePosition{path.string(), line_number, 1}, key,
                       "expected " + std::to_string(table.header.cells.size()) +
                           " cells as in the header (line " + std::to_string(table.header.line) +
                           "), got " + std::to_string(row.cells.size()) +
                           (table.format.separators != format.separators
                                ? " separated by " + separator_names(table.format.separators) +
                                      ", the header's separator"
                                : ""));
    table.rows.push_back(std::move(row));
  }
  table.last_line = line_number;
  if (table.header.cells.empty())
    throw InputError(SourcePosition{path.string(), line_number, 0}, key,
                     what + " is empty" +
                         (line_number > 0 ? " (blank lines and comments only)" : "") +
                         ": expected a header row naming its columns");
  return table;
}

std::optional<std::string> first_no_break_space(std::string_view text) {
  for (std::size_t k = 0; k < text.size(); ++k)
    if (const std::size_t n = no_break_space_at(text, k); n > 0)
      return n == 2 ? "U+00A0" : text[k + 2] == '\x87' ? "U+2007" : "U+202F";
  return std::nullopt;
}

namespace {

std::optional<double> decimal_number(const std::string& text) {
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

}  // namespace

std::string with_decimal_point(std::string text) {
  if (std::count(text.begin(), text.end(), ',') == 1 && text.find('.') == std::string::npos)
    std::replace(text.begin(), text.end(), ',', '.');
  return text;
}

std::optional<double> csv_number(const std::string& text, bool decimal_comma) {
  return decimal_number(decimal_comma ? with_decimal_point(text) : text);
}

std::string wide_table_hint(const std::string& column) {
  // "2021", "2021-06-01", or a year and a code, as World Bank downloads head theirs
  // ("2021 [YR2021]").
  const bool year_and_code = column.size() > 5 &&
                             std::all_of(column.begin(), column.begin() + 4,
                                         [](char c) { return c >= '0' && c <= '9'; }) &&
                             (column[4] == ' ' || column[4] == '[');
  if (!year_and_code && !csv_date(column)) return "";
  return " (a column named by a date or a year: a wide table, a column a year, as the World "
         "Bank's and the IMF's downloads are; write one figure a row, its date in a 'date' "
         "column and the figure in 'value')";
}

std::optional<double> csv_date(const std::string& text, bool decimal_comma) {
  if (text.find('-', 1) == std::string::npos) return csv_number(text, decimal_comma);
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
