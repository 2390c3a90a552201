// A scenario file as one TOML table: the file read, its `base =` chain merged under it, the
// --set overrides applied on top, and the result written back as text (the resolved scenario a
// run file stores). Internal to the scenario loader (it includes TOML++).
#pragma once

#include <toml++/toml.h>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/errors.hpp"

namespace interdep::detail {

// `inherit_events` not written: a scenario's events come after those of its base.
inline constexpr bool kInheritEvents = true;

// Reads `path` and merges it over its base chain: tables merge key by key, [[events]] append
// (unless inherit_events = false), anything else replaces. Nodes keep their source positions.
toml::table read_scenario_file(const std::filesystem::path& path);

// The same for text: `source_name` names it in errors, `base` paths resolve against `base_dir`.
toml::table read_scenario_text(std::string_view text, const std::string& source_name,
                               const std::filesystem::path& base_dir);

// Applies "key.path=value" assignments in order; the value is TOML, or a string if it does not
// parse as TOML. Errors carry the file "--set key.path=value". Returns those that changed the
// document (not those that set a key to the value it held).
std::vector<std::string> apply_overrides(toml::table& root,
                                         const std::vector<std::string>& overrides);

// The merged table as TOML text, with a final newline.
std::string resolved_text(const toml::table& merged);

// An error whose value came from a --set (it has no position in a file) names that --set: the
// last one whose key path contains, or lies inside, the key in error.
InputError attribute_to_override(const InputError& e, const std::vector<std::string>& overrides);

}  // namespace interdep::detail
