#include "engine/scenario/file_kind.hpp"

#include <array>
#include <utility>

#include "engine/scenario/errors.hpp"
#include "engine/scenario/toml_reader.hpp"

namespace interdep {

std::optional<TomlFileKindFound> toml_file_kind(const toml::table& root) {
  // In this order: a calibration has [parameters] too, and names its scenario as a sweep does.
  constexpr std::array<std::pair<std::string_view, TomlFileKind>, 10> kMarkers{{
      {"fit", TomlFileKind::calibration},
      {"optimizer", TomlFileKind::calibration},
      {"checks", TomlFileKind::checks},
      {"design", TomlFileKind::sweep},
      {"parameters", TomlFileKind::sweep},
      {"actors", TomlFileKind::scenario},
      {"domains", TomlFileKind::scenario},
      {"relations", TomlFileKind::scenario},
      {"events", TomlFileKind::scenario},
      {"base", TomlFileKind::scenario},
  }};
  for (const auto& [key, kind] : kMarkers) {
    const toml::node* node = root.get(key);
    if (node == nullptr) continue;
    // [parameters] alone, without a sweep's [record] (which a sweep requires) or [design]: the
    // parameters of a calibration whose [fit] and [optimizer] are all defaults.
    if (key == "parameters" && root.get("record") == nullptr)
      return TomlFileKindFound{TomlFileKind::calibration, key, node};
    return TomlFileKindFound{kind, key, node};
  }
  return std::nullopt;
}

std::string file_kind_name(TomlFileKind kind) {
  switch (kind) {
    case TomlFileKind::scenario: return "a scenario file";
    case TomlFileKind::sweep: return "a sweep file";
    case TomlFileKind::calibration: return "a calibration file";
    case TomlFileKind::checks: return "a file of dynamics checks";
  }
  return "";
}

std::string file_kind_command(TomlFileKind kind, const std::string& path) {
  switch (kind) {
    case TomlFileKind::scenario: return "interdep run " + path;
    case TomlFileKind::sweep: return "interdep sweep " + path;
    case TomlFileKind::calibration: return "interdep calibrate " + path;
    case TomlFileKind::checks: return "interdep check " + path;
  }
  return "";
}

void expect_toml_file_kind(const toml::table& root, TomlFileKind expected,
                           const std::string& path) {
  const std::optional<TomlFileKindFound> found = toml_file_kind(root);
  if (!found || found->kind == expected) return;
  // [parameters] without [record] is taken for a calibration, but may be a sweep missing its
  // [record]: the sweep's loader says so.
  if (found->table == "parameters" && expected == TomlFileKind::sweep) return;
  // How the file writes it: [[checks]], [design], base = ...
  std::string table(found->table);
  if (found->table == "base")
    table += " = ...";
  else if (found->marker && found->marker->is_array_of_tables())
    table = "[[" + table + "]]";
  else
    table = "[" + table + "]";
  std::string message = "this is " + file_kind_name(found->kind) + " (" + table + "), not " +
                        file_kind_name(expected) + ": run it with `" +
                        file_kind_command(found->kind, path) + "`";
  if (expected != TomlFileKind::scenario && found->kind == TomlFileKind::scenario)
    message += ", or name it in " + file_kind_name(expected) + " (scenario = \"" + path + "\")";
  SourcePosition where = found->marker ? detail::position_of(*found->marker) : SourcePosition{};
  if (where.file.empty()) where = SourcePosition{path, 0, 0};
  throw InputError(where, std::string(found->table), message);
}

}  // namespace interdep
