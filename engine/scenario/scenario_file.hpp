// A scenario file as one TOML table: the file read, its `base =` chain merged under it, the
// --set overrides applied on top, and the result written back as text (the resolved scenario a
// run file stores). Internal to the scenario loader (it includes TOML++).
#pragma once

#include <toml++/toml.h>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/errors.hpp"

namespace interdep::detail {

// `inherit_events` not written: a scenario's events come after those of its base.
inline constexpr bool kInheritEvents = true;

// A key path a `remove = [...]` entry took from the merged chain of its file's base.
struct Removal {
  std::vector<std::string> parts;  // the key path, an array's element by its index in that chain
  std::string text;                // the entry as written
  SourcePosition where;            // the entry's position
};

// Reads `path` and merges it over its base chain: tables merge key by key, [[events]] append
// (unless inherit_events = false), anything else replaces. Nodes keep their source positions.
// With `removals`, the `remove` entries of every file of the chain are appended to it.
toml::table read_scenario_file(const std::filesystem::path& path,
                               std::vector<Removal>* removals = nullptr);

// The same for text: `source_name` names it in errors, `base` paths resolve against `base_dir`.
toml::table read_scenario_text(std::string_view text, const std::string& source_name,
                               const std::filesystem::path& base_dir,
                               std::vector<Removal>* removals = nullptr);

// What a series of assignments replaced or created in a table, so that restore() puts the
// table back as it was (a thread's working copy of a sweep's scenario, reused run after run
// instead of copied). Only values are put back: an assignment that would replace a table or an
// array throws NotUndoable before it changes anything (restore() still undoes the earlier ones;
// the caller then works on a copy). Tables and arrays the assignments walk through must not be
// moved or replaced while entries point into them, which that rule ensures.
class OverrideUndo {
 public:
  struct NotUndoable {};
  OverrideUndo() = default;
  ~OverrideUndo();
  OverrideUndo(const OverrideUndo&) = delete;
  OverrideUndo& operator=(const OverrideUndo&) = delete;

  void record_absent(toml::table& table, const std::string& key);  // restore erases it
  void record_replaced(toml::table& table, const std::string& key, toml::node& old);
  void record_replaced(toml::array& array, std::size_t index, toml::node& old);
  void restore();  // newest first; then empty

 private:
  struct Entry {
    toml::table* table;  // the key's table, or
    toml::array* array;  // the index's array
    std::string key;
    std::size_t index;
    std::unique_ptr<toml::table> old;  // {"v": the value it held}; null: the key was absent
  };
  std::vector<Entry> entries_;
};

// Applies "key.path=value" assignments in order; the value is TOML, or a string if it does not
// parse as TOML. Errors carry the file "--set key.path=value". Returns those that changed the
// document (not those that set a key to the value it held). With `undo`, records what they
// replace (see OverrideUndo). Overrides from index `given_once_from` on are the user's (what a
// command line typed): one of them that sets a key another of them set, or a key inside it or
// around it, is refused naming both (a later --set hid an earlier one's bad value, and which
// one wins was nowhere said). Those before it (a sweep run's parameters) may be set again.
std::vector<std::string> apply_overrides(
    toml::table& root, const std::vector<std::string>& overrides, OverrideUndo* undo = nullptr,
    std::size_t given_once_from = static_cast<std::size_t>(-1));

// A key path as --set reads it: parts split at dots outside double quotes, a quoted part (a
// label or a key holding dots) one part without its quotes, up to the first '=' outside quotes
// (`end`, npos without one).
struct SetKeyPath {
  std::vector<std::string> parts;
  std::size_t end = std::string::npos;
  bool unclosed_quote = false;
};
SetKeyPath split_key_path(std::string_view text);

// Whether the key path (split_key_path) goes through an array of `root` (events.0.date,
// events."EU sanctions".intensity): such a key has no dotted TOML key of its own.
bool key_path_enters_array(const toml::table& root, std::string_view key);

// The parts of a key path (split_key_path) with each array element named by its index, as
// `root` holds them: events."EU sanctions".intensity and events.1.intensity give the same parts
// when the EU's is the second event (and events.01 those of events.1). A label that no element
// or several have, and the parts after a key `root` does not hold, are kept as written.
std::vector<std::string> resolved_key_parts(const toml::table& root, std::string_view key);

// The merged table as TOML text, with a final newline.
std::string resolved_text(const toml::table& merged);
// Refuses a key that resolved_text would write so that it does not read back: one holding an
// apostrophe (TOML++ prints it bare), named with its position and key path.
void refuse_unwritable_keys(const toml::table& merged);

// An error whose value came from a --set (it has no position in a file, or no line: a table the
// --set made on its way) names that --set: the last one whose key path contains, or lies inside,
// the key in error, else the last one into the key's table (a key missing from a table a --set
// made). With `root` (the scenario after the overrides), an array element a --set named by its
// label is the element the error names by its index, and the error's key is said as typed.
InputError attribute_to_override(const InputError& e, const std::vector<std::string>& overrides,
                                 const toml::table* root = nullptr);

// "--set KEY=VALUE", the place errors of an assignment name, as messages show it: a character
// a name may not hold (ESC, U+202E) as its escape.
std::string override_source(const std::string& assignment);

// An error at a key of the scenario's files that an override caused without being its key (an
// event switched off that a later lift_sanction needed, a sanction dated past its lift): kept at
// its place, which the user can open, and naming the override, which the place alone does not.
// `first`: the assignment is the first --set (the scenario as written passes); otherwise the
// --set options before it, applied alone, do not give this error (they may give another).
InputError refused_since_override(const InputError& e, const std::string& assignment, bool first);

// The one of `overrides` that an error names: at its place ("--set KEY=VALUE") or in its message
// ("was set by --set KEY=VALUE", "refused once --set KEY=VALUE applies"), the longest that fits
// (a.b=1 is in "--set a.b=10"); empty when it names none.
std::string override_named_by(const InputError& e, const std::vector<std::string>& overrides);

// An error without a place, found in a copy of `original` (TOML++ copies no positions: a
// sweep's or a calibration's working copy of its scenario), at the place `original` holds its
// key: the base file's line of an event that a parameter's value made wrong.
InputError with_position_from(const InputError& e, const toml::table& original);

// An error that a `remove` entry caused names that entry. A key the scenario needs, which the
// entry took away (a required table, a key inside it), is refused at the entry; an error at a
// key of the base that holds what the entry took (interest weights that no longer sum to 1), or
// that refers to its name (a domain's weight, a corridor's node), keeps its place and says which
// entry took it. `merged` is the document the error was found in.
InputError attribute_to_removal(const InputError& e, const toml::table& merged,
                                const std::vector<Removal>& removals);

}  // namespace interdep::detail
