#include "tools/cli/csv_file.hpp"

#include <cstdio>
#include <memory>

#include "output/hdf5/hdf5_handle.hpp"
#include "tools/cli/command.hpp"

namespace interdep::cli {

std::string csv_cell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string csv_number(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.10g", v);
  return buffer;
}

void check_table_path(const std::filesystem::path& path) {
  if (std::filesystem::is_directory(path))
    throw UsageError("-o " + path.string() + " is a directory");
  const std::filesystem::path folder = path.parent_path();
  if (!folder.empty() && !std::filesystem::is_directory(folder))
    throw UsageError("-o " + path.string() + ": the folder " + folder.string() + " does not exist");
}

void write_csv_files(const std::vector<TableFile>& files) {
  // Every file under its temporary name first: a failure (a full disk) then removes them all and
  // leaves every path as it was; only the renames remain, and they need no room.
  std::vector<std::unique_ptr<h5::ReplacingFile>> written;
  for (const TableFile& f : files) {
    written.push_back(std::make_unique<h5::ReplacingFile>(f.path, "write"));
    h5::write_text_file(written.back()->temp(), f.text, f.path, "write");
  }
  for (auto& f : written) f->commit();
}

void write_csv_file(const std::filesystem::path& path, const std::string& text) {
  write_csv_files({TableFile{path, text}});
}

}  // namespace interdep::cli
