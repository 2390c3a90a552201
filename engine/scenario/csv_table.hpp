// Small CSV files of figures that users write by hand or export from a spreadsheet: a header row
// naming the columns, then rows of cells separated by commas, semicolons or tabs (the one the
// header uses; CsvFormat); blank lines and lines starting with '#' are skipped; cells are
// trimmed of spaces (no-break spaces too, and tabs unless a tab separates cells). A cell may be
// quoted as RFC 4180 has it ("a, b"; "" for a quote; line breaks inside quotes), and a comma
// inside square brackets does not end a cell, so that a quantity such as trade[PAK,RUS] may be
// written bare or quoted, as a spreadsheet exports it. Read whole (through read_user_text: regular files up to 64 MiB) with
// every cell's line and column kept, so that the readers built on it (observation CSVs of a
// scenario, `interdep score --observed`, a sweep's CSV design) name the cell an error is in.
//
// The text must be UTF-8: a byte-order mark is dropped (spreadsheets write one), line ends of
// any system are read; a file in UTF-16 or UTF-32, an HDF5 file, a NUL or another control
// character (binary content) and bytes that are not UTF-8 are refused at their line and column,
// before any cell is read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/errors.hpp"

namespace interdep {

struct CsvRow {
  int line = 0;                    // 1-based line of the file where the row starts
  std::vector<std::string> cells;  // trimmed
  std::vector<int> lines;          // 1-based line where each cell starts (a quoted cell may
                                   // hold line breaks: the cells after it start on later lines)
  std::vector<int> columns;        // 1-based character column where each cell starts
};

// How a file separates its cells.
struct CsvFormat {
  // Each of these characters ends a cell. Of several, read_csv_table keeps (in CsvTable::format)
  // the one the header uses when it uses one only: ',' as most spreadsheets save, ';' as those
  // of locales whose decimal mark is a comma save, a tab as "text" exports save.
  std::string_view separators = ",;\t";
  bool brackets = true;           // a separator inside [...] does not end a cell
  bool names_ignore_case = true;  // header names compared (and looked up) ignoring case
};

struct CsvTable {
  std::filesystem::path path;
  CsvFormat format;
  CsvRow header;             // column names as written
  std::vector<CsvRow> rows;  // every data row has as many cells as the header
  int last_line = 0;         // lines read

  // The index of the column named `name` (ignoring case unless the format says not), or nothing.
  std::optional<std::size_t> column(const std::string& name) const;
  // Where cell `c` of `row` is, for an InputError.
  SourcePosition at(const CsvRow& row, std::size_t c) const;
  // Whether a number's decimal mark may be a comma (0,5): when no comma separates cells.
  bool decimal_comma() const { return format.separators.find(',') == std::string_view::npos; }
};

// The text of a CSV file as the readers split it: a UTF-8 byte-order mark dropped (spreadsheets
// write one; it would stick to the first column's name, unseen), and line ends of any system
// (\r\n, or \r alone from old spreadsheets) as \n.
std::string csv_lines(std::string text);

// Reads `path` as a CsvTable. `what` names the file in errors ("the observations file"); errors
// are InputError at `named_at` / `key` for a file read_user_text refuses (missing, not a regular
// file, larger than 64 MiB, unreadable), and at the CSV's own line (and column) for text that is
// not UTF-8 (check_csv_text), an unterminated quote or bracket, a header cell without a name or
// given twice, a row whose number of cells differs from the header's, and a file without a
// header. A file with a header and no rows is the caller's to refuse (it says what rows it
// wants); `last_line` is where to.
CsvTable read_csv_table(const std::filesystem::path& path, const std::string& what,
                        const SourcePosition& named_at, const std::string& key,
                        const CsvFormat& format = {});

// InputError at `file`'s line and column unless `text` (the file's bytes as read) is UTF-8
// text: UTF-16 or UTF-32 (by their byte-order marks, or without one by the NULs between ASCII
// characters), an HDF5 file, a NUL byte, a control character other than tab and line ends, and
// bytes that are not UTF-8 (Latin-1, a cut sequence, an overlong form, a surrogate) are named.
void check_csv_text(std::string_view text, const std::string& file, const std::string& key);

// The code point ("U+00A0") of the first no-break space in `text` (U+00A0, U+2007 or U+202F: the
// thousands separator some locales' spreadsheets write; a cell is trimmed of them), or nothing.
std::optional<std::string> first_no_break_space(std::string_view text);

// `text` with its decimal comma as a point when it has one comma and no point ("0,5" -> "0.5"),
// else as it is: a number of a file whose decimal mark may be a comma (CsvTable::decimal_comma).
std::string with_decimal_point(std::string text);

// A decimal number written whole in `text` and finite, or nothing. With `decimal_comma`
// (CsvTable::decimal_comma), one comma and no point is a decimal mark: "0,5" is 0.5.
std::optional<double> csv_number(const std::string& text, bool decimal_comma = false);
// A date written YYYY-MM-DD (as a decimal year) or a decimal year, or nothing.
std::optional<double> csv_date(const std::string& text, bool decimal_comma = false);

// For a header's unknown column: when it is a date or a year ("2021", "2021-06-01"), the table
// is wide (a column a year, as the World Bank's and the IMF's downloads are), and the hint says
// how to write it long; otherwise "".
std::string wide_table_hint(const std::string& column);

}  // namespace interdep
