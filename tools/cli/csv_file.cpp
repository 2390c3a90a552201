#include "tools/cli/csv_file.hpp"

#include <cerrno>
#include <cstdio>
#include <memory>

#include "engine/files/user_file.hpp"
#include "engine/text/text_format.hpp"
#include "output/hdf5/hdf5_handle.hpp"
#include "output/hdf5/read_fault.hpp"
#include "tools/cli/command.hpp"

namespace interdep::cli {

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string csv_number(double v) { return shortest_number(v); }

std::string shown_number(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.10g", v);
  return buffer;
}

struct StreamedTable::Open {
  h5::ReplacingFile file;
  h5::TextFileWriter writer;
  explicit Open(const std::filesystem::path& path)
      : file(path, "write"), writer(file.temp(), path, "write") {}
};

StreamedTable::StreamedTable(const std::filesystem::path& path)
    : open_(path == kStandardOutput ? nullptr : std::make_unique<Open>(path)) {}
StreamedTable::~StreamedTable() = default;
void StreamedTable::append(std::string_view text) {
  if (open_) {
    open_->writer.append(text);
  } else if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
    throw OutputError(kStandardOutput, "write",
                      "standard output refused the table: " + files::write_failure(errno));
  }
}
void StreamedTable::close() {
  if (open_) {
    open_->writer.close();
  } else if (std::fflush(stdout) != 0) {
    throw OutputError(kStandardOutput, "write",
                      "standard output refused the table: " + files::write_failure(errno));
  }
}
void StreamedTable::commit() {
  if (open_) open_->file.commit();
}

void write_csv_files(const std::vector<TableFile>& files) {
  // Every file under its temporary name first: a failure (a full disk) then removes them all and
  // leaves every path as it was; only the renames remain, and they need no room.
  std::vector<std::unique_ptr<StreamedTable>> written;
  for (const TableFile& f : files) {
    written.push_back(std::make_unique<StreamedTable>(f.path));
    written.back()->append(f.text);
    written.back()->close();
  }
  // Renamed into place together: an interruption leaves every table or none.
  const h5::CommitSection together;
  for (auto& f : written) f->commit();
}

void write_csv_file(const std::filesystem::path& path, const std::string& text) {
  write_csv_files({TableFile{path, text}});
}

}  // namespace interdep::cli
