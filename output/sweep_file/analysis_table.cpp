// Analysis tables in a sweep file: /analysis/<name>, a `row` dimension with string
// coordinates and one float64 column per statistic (written by `interdep analyze`).
#include <functional>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "engine/files/process_lock.hpp"
#include "engine/files/user_file.hpp"
#include "output/hdf5/attributes.hpp"
#include "output/hdf5/datasets.hpp"
#include "output/hdf5/hdf5_handle.hpp"
#include "output/hdf5/read_fault.hpp"
#include "output/sweep_file/sweep_file.hpp"
#include "output/sweep_file/sweep_internal.hpp"

namespace interdep::sweep {

namespace fs = std::filesystem;
using h5::Handle;
using namespace detail;

namespace {

bool valid_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\0') == std::string::npos;
}

void write_analysis_group(hid_t root, const fs::path& path, const std::string& name,
                          const std::vector<std::string>& rows,
                          const std::vector<std::pair<std::string, std::vector<double>>>& columns,
                          const std::vector<std::pair<std::string, std::string>>& attributes) {
  Handle analysis =
      h5::has_link(root, "analysis")
          ? h5::open_group(root, "analysis", path, kDamaged)
          : h5::create_group(root, "analysis", h5::GroupOrder::links_and_attributes, path);
  if (h5::has_link(analysis.get(), name)) h5::delete_group(analysis.get(), name, path);
  const Handle group =
      h5::create_group(analysis.get(), name, h5::GroupOrder::links_and_attributes, path);
  const hid_t g = group.get();
  const h5::Dataset row = h5::string_dataset(g, "row", rows, {"", "row of the table"}, path);
  h5::make_scale(row, "row", path);

  auto column_attribute = [&](const std::string& column, const char* which) -> const std::string* {
    const std::string key = column + "." + which;
    for (const auto& [k, v] : attributes) {
      if (k == key) return &v;
    }
    return nullptr;
  };
  for (const auto& [column, values] : columns) {
    const std::string* units = column_attribute(column, "units");
    const std::string* long_name = column_attribute(column, "long_name");
    const h5::Dataset ds =
        h5::create_dataset(g, column, h5::Types<double>::file(), {rows.size()}, {}, 0,
                           {units != nullptr ? units->c_str() : "1",
                            long_name != nullptr ? long_name->c_str() : column.c_str()},
                           path);
    h5::write_all(ds, values, path);
    h5::attach_scales(ds, {&row}, path);
  }
  for (const auto& [key, value] : attributes) {
    bool for_column = false;
    for (const auto& c : columns) {
      if (key == c.first + ".units" || key == c.first + ".long_name") for_column = true;
    }
    if (!for_column) h5::write_string_attribute(g, key, value, path);
  }
}

}  // namespace

void write_analysis(const fs::path& path, const std::string& name,
                    const std::vector<std::string>& rows,
                    const std::vector<std::pair<std::string, std::vector<double>>>& columns,
                    const std::vector<std::pair<std::string, std::string>>& attributes,
                    const std::function<bool()>& unchanged) {
  const h5::ErrorSilencer silence;
  const std::string operation = "write analysis " + name;
  if (!valid_name(name)) {
    throw OutputError(path, operation, "\"" + name + "\" is not a valid group name");
  }
  for (std::size_t k = 0; k < columns.size(); ++k) {
    const auto& [column, values] = columns[k];
    if (!valid_name(column) || column == "row") {
      throw OutputError(path, operation, "\"" + column + "\" is not a valid column name");
    }
    for (std::size_t j = 0; j < k; ++j) {
      if (columns[j].first == column) {
        throw OutputError(path, operation, "column \"" + column + "\" appears twice");
      }
    }
    if (values.size() != rows.size()) {
      throw OutputError(path, operation,
                        "column \"" + column + "\" has " + num(values.size()) +
                            " values, expected one per row (" + num(rows.size()) + ")");
    }
  }
  {
    const OpenSweep s = open_sweep(path);  // must be a sweep file
  }
  // The file is replaced by a copy with the group: one the user may not write is refused, not
  // replaced (the folder's permission would allow it); a symbolic link's target is replaced.
  if (const std::string why = files::cannot_open(path, true); !why.empty())
    throw OutputError(path, "open for writing", why);
  std::error_code link_error;
  const fs::path target = fs::is_symlink(path, link_error) ? fs::canonical(path) : path;
  // One analysis writes a file at a time: each copies the file and renames its copy back, so
  // two at once kept only the last one's table. The second waits, then copies the first's.
  std::optional<files::ProcessLock> writing = [&] {
    try {
      return files::ProcessLock::wait_for(target.parent_path() /
                                          ("." + target.filename().string() + ".analysis-lock"));
    } catch (const std::system_error& e) {
      throw OutputError(path, "lock the file for the analysis", e.what());
    }
  }();
  if (unchanged && !unchanged())
    throw OutputError(path, operation,
                      "the file changed while the analysis ran (a sweep wrote other runs to it): "
                      "its table was not written; analyze the file again");
  // A signal while the table is added is acted on after the file is in place, and says so (it
  // said "no output was written", the table being in the file). The copy of a large sweep file
  // holds a Ctrl-C back for as long as it takes.
  const h5::CommitSection put_in_place;
  // The lock is released (its file removed) before the section ends, whether the write succeeds
  // or throws: a signal that came meanwhile ends the process there, past the destructors of what
  // was made before the section (the lock's file was left beside the sweep file).
  struct ReleaseFirst {
    std::optional<files::ProcessLock>& lock;
    ~ReleaseFirst() { lock.reset(); }
  } release_first{writing};
  h5::atomic_write(target, operation, [&](const fs::path& temp) {
    if (const int failure = files::copy_file_contents(target, temp); failure != 0)
      throw OutputError(path, "copy to a temporary file", files::write_failure(failure));
    Handle file = h5::open_file(temp, H5F_ACC_RDWR, path, "a sweep file");
    {
      const Handle root = h5::root_group(file.get(), path);
      write_analysis_group(root.get(), path, name, rows, columns, attributes);
    }
    h5::close_file(file, path, "the temporary file");
  });
}

AnalysisTable read_analysis(const fs::path& path, const std::string& name) {
  const h5::ErrorSilencer silence;
  const OpenSweep s = open_sweep(path);
  if (!valid_name(name)) {
    throw OutputError(path, "read analysis " + name, "\"" + name + "\" is not a valid group name");
  }
  const Handle analysis = h5::open_group(s.root.get(), "analysis", path, kDamaged);
  const Handle group = h5::open_group(analysis.get(), name, path, kDamaged);
  const hid_t g = group.get();
  AnalysisTable table;
  const std::size_t n = dimension_length(g, "row", path);
  table.rows = h5::read_all_strings(g, "row", {n}, path, kDamaged);

  for (const auto& link : h5::link_names(g, path)) {
    if (link == "row") continue;
    table.columns.emplace_back(link, h5::read_all<double>(g, link, {n}, path, kDamaged));
  }
  for (const auto& attribute : h5::attribute_names(g, path)) {
    table.attributes.emplace_back(attribute,
                                  h5::read_string_attribute(g, attribute, path, kDamaged));
  }
  return table;
}

}  // namespace interdep::sweep
