// interdep's TOML files told apart by the tables they have, so that a file given to the wrong
// command is refused with what it is and the command that takes it, not with the first key
// the wrong loader misses.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <toml++/toml.h>

namespace interdep {

enum class TomlFileKind { scenario, sweep, calibration, checks };

struct TomlFileKindFound {
  TomlFileKind kind = TomlFileKind::scenario;
  std::string_view table;              // the key that tells it: "design", "fit", "actors", ...
  const toml::node* marker = nullptr;  // its node (for the line); null when from the root
};

// What `root` is: a calibration ([fit] or [optimizer], or [parameters] without a sweep's
// [record] and [design]), dynamics checks ([[checks]]), a sweep ([design] or [parameters]) or a
// scenario (actors, domains, relations, events or a base);
// nothing when it has none of these (a loader then names the keys it misses).
std::optional<TomlFileKindFound> toml_file_kind(const toml::table& root);

// The article and name of a kind, "a sweep file", and the command that takes it,
// "interdep sweep FILE".
std::string file_kind_name(TomlFileKind kind);
std::string file_kind_command(TomlFileKind kind, const std::string& path);

// Throws the InputError of a file `path` of another kind than `expected`, at the table that
// tells what it is: "this is a sweep file ([design]), not a scenario: run it with `interdep
// sweep FILE`". Nothing when it is of that kind or of none.
void expect_toml_file_kind(const toml::table& root, TomlFileKind expected, const std::string& path);

}  // namespace interdep
