// The CSV tables the commands write (calibrate's trace, fit and parameter tables, score's
// table, export's tables): cells quoted as RFC 4180 wants, numbers at full precision, the file
// written whole or not at all.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace interdep::cli {

// `s` as a CSV cell: quoted (with quotes doubled) when it holds a comma, a quote or a newline.
std::string csv_cell(const std::string& s);

// `v` in the fewest digits that read back as the same double (a file keeps every bit): nan,
// inf and -inf as C prints them.
std::string csv_number(double v);

// `v` for a line a reader reads: 10 significant digits ("%.10g"), nan, inf and -inf as C prints
// them.
std::string shown_number(double v);

// Writes `text` to `path` atomically (temporary file, fsync, rename); OutputError on failure,
// and then `path` is untouched.
void write_csv_file(const std::filesystem::path& path, const std::string& text);

// Several files written together: each is written under a temporary name, and only when all are
// are they renamed into place. OutputError on failure, and then no path has changed.
struct TableFile {
  std::filesystem::path path;
  std::string text;
};
void write_csv_files(const std::vector<TableFile>& files);

// The path that names standard output where a command offers it (`export -o -`).
inline constexpr const char* kStandardOutput = "-";

// A table written a piece at a time (bounded memory, whatever its size) under a temporary name
// next to `path` (kStandardOutput: straight to standard output, nothing to rename): append()
// its text, close(), then commit() renames it into place. Tables of one output: close every
// one before committing any, so that a failure leaves no path changed.
// OutputError on failure; destroyed uncommitted, the temporary file is removed.
class StreamedTable {
 public:
  explicit StreamedTable(const std::filesystem::path& path);
  ~StreamedTable();
  StreamedTable(const StreamedTable&) = delete;
  StreamedTable& operator=(const StreamedTable&) = delete;

  void append(std::string_view text);
  void close();
  void commit();

 private:
  struct Open;
  std::unique_ptr<Open> open_;
};

}  // namespace interdep::cli
