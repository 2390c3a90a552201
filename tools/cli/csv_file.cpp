#include "tools/cli/csv_file.hpp"

#include <cstdio>
#include <fstream>
#include <stdexcept>

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

void write_csv_file(const std::filesystem::path& path, const std::string& text) {
  h5::atomic_write(path, "write", [&](const std::filesystem::path& temp) {
    std::ofstream out(temp, std::ios::binary);
    out << text;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + temp.string() + " (disk full?)");
  });
}

}  // namespace interdep::cli
