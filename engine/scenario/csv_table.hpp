// Small CSV files of figures that users write by hand or export from a spreadsheet: a header row
// naming the columns, then rows of cells separated by commas; blank lines and lines starting with
// '#' are skipped; cells are trimmed. A cell may be quoted as RFC 4180 has it ("a, b"; "" for a
// quote), and a comma inside square brackets does not end a cell, so that a quantity such as
// trade[PAK,RUS] may be written bare or quoted, as a spreadsheet exports it. Read whole
// (through read_user_text: regular files up to 64 MiB) with every cell's line and column kept, so that the
// readers built on it (observation CSVs of a scenario, `interdep score --observed`) name the
// cell an error is in.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/scenario/errors.hpp"

namespace interdep {

struct CsvRow {
  int line = 0;                    // 1-based line of the file
  std::vector<std::string> cells;  // trimmed
  std::vector<int> columns;        // 1-based character column where each cell starts
};

struct CsvTable {
  std::filesystem::path path;
  CsvRow header;             // column names as written
  std::vector<CsvRow> rows;  // every data row has as many cells as the header
  int last_line = 0;         // lines read

  // The index of the column named `name` (case-insensitive), or nothing.
  std::optional<std::size_t> column(const std::string& name) const;
  // Where cell `c` of `row` is, for an InputError.
  SourcePosition at(const CsvRow& row, std::size_t c) const;
};

// Reads `path` as a CsvTable. `what` names the file in errors ("the observations file"); errors
// are InputError at `named_at` / `key` for a file read_user_text refuses (missing, not a regular
// file, larger than 64 MiB, unreadable), and at the CSV's own line for a row whose number of
// cells differs from the header's or a file without a header.
// The text of a CSV file as the readers split it: a UTF-8 byte-order mark dropped (spreadsheets
// write one; it would stick to the first column's name, unseen), and line ends of any system
// (\r\n, or \r alone from old spreadsheets) as \n.
std::string csv_lines(std::string text);

CsvTable read_csv_table(const std::filesystem::path& path, const std::string& what,
                        const SourcePosition& named_at, const std::string& key);

// A decimal number written whole in `text` and finite, or nothing.
std::optional<double> csv_number(const std::string& text);
// A date written YYYY-MM-DD (as a decimal year) or a decimal year, or nothing.
std::optional<double> csv_date(const std::string& text);

}  // namespace interdep
