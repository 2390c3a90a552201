#include "engine/scenario/scenario_file.hpp"
#include "engine/scenario/file_kind.hpp"
#include "engine/scenario/key_alternatives.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <limits>
#include <span>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/scenario/name_match.hpp"
#include "engine/scenario/observation_csv.hpp"
#include "engine/scenario/toml_reader.hpp"
#include "engine/scenario/user_text.hpp"
#include "engine/text/control_chars.hpp"
#include "engine/text/nfc.hpp"
#include "engine/text/text_format.hpp"

namespace interdep::detail {
namespace {

namespace fs = std::filesystem;

// The file `path`, read safely (read_user_text) and parsed; refused at the place that named it.
toml::table parse_file(const fs::path& path, std::string_view what,
                       const SourcePosition& referenced_from, const std::string& referencing_key) {
  const std::string text = read_user_text(path, what, referenced_from, referencing_key);
  try {
    return parse_text(text, path.string());
  } catch (const InputError& e) {
    // A file refused whole (an HDF5 result, a binary file: no line of it is at fault) is said
    // where it was named (`base = "r.h5"`), as a base that is a sweep file is.
    if (referenced_from.file.empty() || referenced_from.line == 0 ||
        e.where().file != path.string() || e.where().line != 0)
      throw;
    throw InputError(referenced_from, referencing_key,
                     "names " + path.string() + ", which is not a scenario: " + e.message());
  }
}

// Moves every key of `overlay` into `base`, the table at `path`: tables merge, events append,
// the rest replaces; a key given one way replaces the base's other ways (key_alternatives.hpp).
// Moving (not copying) keeps each node's source position for error messages.
void merge_into(toml::table& base, toml::table&& overlay, std::vector<std::string>& path,
                bool append_events) {
  const bool top_level = path.empty();
  for (auto&& [key, node] : overlay)
    for (std::string_view replaced : replaced_alternatives(
             path, key.str(), [&](std::string_view k) { return overlay.contains(k); }))
      base.erase(replaced);
  for (auto&& [key, node] : overlay) {
    toml::node* existing = base.get(key.str());
    if (existing && existing->is_table() && node.is_table()) {
      path.emplace_back(key.str());
      merge_into(*existing->as_table(), std::move(*node.as_table()), path, append_events);
      path.pop_back();
      continue;
    }
    if (top_level && append_events && key.str() == "events" && existing && existing->is_array() &&
        node.is_array()) {
      auto& target = *existing->as_array();
      for (auto&& element : *node.as_array())
        element.visit([&](auto&& v) { target.push_back(std::move(v)); });
      continue;
    }
    const toml::key& name = key;  // a structured binding cannot be captured by clang 14
    node.visit([&](auto&& v) { base.insert_or_assign(name, std::move(v)); });
  }
}

// Calls f(table, its key path) for every table of `node` at `pattern` ("actors.*": each actor's
// table; '*' also runs over an array's elements, numbered from `first_index`).
template <class F>
void for_each_table_at(const toml::node& node, std::string_view pattern, const std::string& path,
                       std::size_t first_index, F&& f) {
  if (pattern.empty()) {
    if (const toml::table* t = node.as_table()) f(*t, path);
    return;
  }
  const std::size_t dot = pattern.find('.');
  const std::string_view head = pattern.substr(0, dot);
  const std::string_view rest = dot == std::string_view::npos ? "" : pattern.substr(dot + 1);
  if (const toml::table* t = node.as_table()) {
    for (const auto& [key, child] : *t)
      if (head == "*" || head == key.str())
        for_each_table_at(child, rest, join_path(path, key.str()), first_index, f);
  } else if (const toml::array* a = node.as_array(); a && head == "*") {
    for (std::size_t i = 0; i < a->size(); ++i)
      for_each_table_at(*a->get(i), rest, join_path(path, std::to_string(first_index + i)), 0, f);
  }
}

// A file that gives a thing two ways is refused at its line (at the first way's key, as the
// loader would), before a file that uses it as its base or a --set could replace one of them.
// Its events are numbered after `base_events` of its base, as in the merged document.
void refuse_two_ways(const toml::table& doc, std::size_t base_events) {
  for (const KeyAlternatives& alternatives : kKeyAlternatives) {
    if (alternatives.one_file_may_give_both) continue;
    const std::size_t first = alternatives.table.starts_with("events.") ? base_events : 0;
    for_each_table_at(doc, alternatives.table, "", first,
                      [&](const toml::table& t, const std::string& path) {
                        std::string_view given[2] = {};  // each way's first key the table holds
                        for (std::size_t way = 0; way < 2; ++way)
                          for (std::string_view key : alternatives.ways[way])
                            if (!key.empty() && given[way].empty() && t.contains(key))
                              given[way] = key;
                        if (given[0].empty() || given[1].empty()) return;
                        throw InputError(position_of(*t.get(given[0])), join_path(path, given[0]),
                                         std::string(alternatives.both_message));
                      });
  }
}

void remove_from_base(toml::table& base, const toml::node& remove, const fs::path& base_path,
                      const toml::table& own, std::vector<Removal>* removals);

toml::table resolve_chain(toml::table doc, const fs::path& file, std::vector<fs::path>& chain,
                          std::vector<Removal>* removals) {
  inline_observation_csvs(doc, file);  // CSV paths are relative to the file that names them
  const toml::node* base_node = doc.get("base");
  if (!base_node) {
    if (const toml::node* remove = doc.get("remove"))
      throw InputError(position_of(*remove), "remove",
                       "removes keys of a base scenario, and this file has no base = \"...\"");
    refuse_two_ways(doc, 0);
    return doc;
  }
  if (!base_node->is_string())
    throw InputError(position_of(*base_node), "base",
                     "expected a string (path of the base scenario), got " + type_name(*base_node));
  const SourcePosition where = position_of(*base_node);
  fs::path base_path = fs::path(std::string(base_node->value<std::string_view>().value()));
  if (base_path.is_relative()) base_path = file.parent_path() / base_path;
  // First what the path is: a NUL or a path too long would mislead the cycle check.
  check_user_file(base_path, "the base scenario", where, "base");
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(base_path, ec);
  if (ec) canonical = base_path;
  if (std::find(chain.begin(), chain.end(), canonical) != chain.end()) {
    std::string cycle;
    for (const auto& p : chain) cycle += p.filename().string() + " -> ";
    cycle += canonical.filename().string();
    throw InputError(where, "base", "cyclic base chain: " + cycle);
  }
  if (chain.size() >= kMaxBaseChain)
    throw InputError(where, "base",
                     "the chain of base files from " + chain.front().filename().string() +
                         " is longer than " + std::to_string(kMaxBaseChain) +
                         " files: derive from fewer files, or copy the tables you need");
  chain.push_back(canonical);
  toml::table base_doc = parse_file(base_path, "the base scenario", where, "base");
  // A base that is a sweep, calibration or checks file (they name a scenario; they are not one):
  // said at `base`, not as the first scenario key the base misses ("at least one domain").
  if (const auto found = toml_file_kind(base_doc); found && found->kind != TomlFileKind::scenario)
    throw InputError(where, "base",
                     "names " + base_path.string() + ", which is " + file_kind_name(found->kind) +
                         " (" +
                         (found->marker && found->marker->is_array_of_tables()
                              ? "[[" + std::string(found->table) + "]]"
                              : "[" + std::string(found->table) + "]") +
                         "), not a scenario: a base is the scenario file this one changes");
  toml::table base = resolve_chain(std::move(base_doc), base_path, chain, removals);
  chain.pop_back();

  bool append_events = kInheritEvents;
  if (const toml::node* inherit = doc.get("inherit_events")) {
    if (!inherit->is_boolean())
      throw InputError(position_of(*inherit), "inherit_events",
                       "expected a boolean (true or false), got " + type_name(*inherit));
    append_events = inherit->value<bool>().value();
  }
  // Keys of the base this file takes away before its own are merged (an `others` entry of a
  // country this file makes an actor, an event): what a merge cannot do.
  if (const toml::node* remove = doc.get("remove"))
    remove_from_base(base, *remove, base_path, doc, removals);
  doc.erase("remove");
  const toml::array* base_events = base.get_as<toml::array>("events");
  refuse_two_ways(doc, append_events && base_events ? base_events->size() : 0);
  doc.erase("base");
  base.erase("inherit_events");
  // Not inherited, the base's events are gone whether or not this file writes its own: a merge
  // replaces the base's array only with one the file has.
  if (!append_events) base.erase("events");
  std::vector<std::string> path;
  merge_into(base, std::move(doc), path, append_events);
  return base;
}

bool is_index(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The array index written as `digits` (is_index holds). Too many digits for a size_t give the
// largest size_t: out of any array's range, reported as such, not an exception from std::stoul.
std::size_t index_value(std::string_view digits) {
  std::size_t index = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  return error == std::errc() ? index : std::numeric_limits<std::size_t>::max();
}

// Whether two TOML nodes hold the same value (tables and arrays element by element).
bool same_value(const toml::node& a, const toml::node& b) {
  return a.visit([&](const auto& x) {
    return b.visit([&](const auto& y) {
      if constexpr (std::is_same_v<std::remove_cvref_t<decltype(x)>,
                                   std::remove_cvref_t<decltype(y)>>)
        return x == y;
      else
        return false;
    });
  });
}

// `parent.part` as a key path is written: a part that is not a bare TOML key (a label with
// spaces, a key holding a dot) in double quotes, as --set takes it, so that a message shows the
// key as the user typed it (it showed events.Pakistan applies to join BRICS).
std::string join_written(const std::string& parent, const std::string& part) {
  const bool bare = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  if (bare) return join_path(parent, part);
  std::string quoted = "\"";
  for (const char c : part) quoted += c == '"' || c == '\\' ? std::string{'\\', c} : std::string{c};
  return (parent.empty() ? "" : parent + ".") + quoted + "\"";
}

// The element of an array of tables (such as [[events]]) whose `label` is `label`: so that a key
// path names an event by what it is (events."EU sanctions".intensity), not by its position,
// which changes when events are added or reordered.
toml::node* element_by_label(toml::array& array, const std::string& label,
                             const SourcePosition& where, const std::string& walked) {
  toml::node* found = nullptr;
  std::size_t matches = 0;
  std::vector<std::string> labels;
  for (toml::node& element : array) {
    const toml::table* t = element.as_table();
    const toml::node* l = t ? t->get("label") : nullptr;
    if (!l || !l->is_string()) continue;
    const std::string text(l->value<std::string_view>().value());
    labels.push_back(text);
    if (text == label) {
      found = &element;
      ++matches;
    }
  }
  if (matches == 1) return found;
  if (matches > 1)
    throw InputError(where, walked,
                     std::to_string(matches) + " elements have the label \"" + label +
                         "\": name the one to set by its index");
  std::string known;
  for (const std::string& l : labels) known += (known.empty() ? "\"" : ", \"") + l + "\"";
  throw InputError(where, walked,
                   "expected an index or the label of an element; no element is labelled \"" +
                       label + "\"" +
                       (known.empty() ? " (none has a label)" : "; the labels: " + known));
}

// Whether `text` is the actor `code` or a quantity naming it ("trade[PAK,QAT]").
bool names_actor(std::string_view text, std::string_view code) {
  if (text == code) return true;
  const auto open = text.find('['), close = text.rfind(']');
  if (open == std::string_view::npos || close != text.size() - 1 || close < open) return false;
  for (std::size_t start = open + 1; start <= close;) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos || end > close) end = close;
    std::string_view cell = text.substr(start, end - start);
    while (!cell.empty() && cell.front() == ' ') cell.remove_prefix(1);
    while (!cell.empty() && cell.back() == ' ') cell.remove_suffix(1);
    if (cell == code) return true;
    start = end + 1;
  }
  return false;
}

// What refers to the actor `code` under `node` (key path `path`), outside the nodes of `skip`,
// as what removing it takes: a key that is the code (relations.CHN.QAT); an array element that
// is it (institutions.SCO.members.2); a table with a field that names it (a corridor edge's
// `to`, an observation's quantity), whole; an event that names it anywhere, whole (events.N).
void find_actor_references(const toml::node& node, std::string_view code, const std::string& path,
                           const std::vector<const toml::node*>& skip,
                           std::vector<std::pair<std::string, const toml::node*>>& found) {
  if (const toml::table* t = node.as_table()) {
    for (const auto& [key, child] : *t) {
      if (std::find(skip.begin(), skip.end(), &child) != skip.end()) continue;
      const std::string child_path = join_path(path, key.str());
      const auto text = child.value<std::string_view>();
      if (key.str() == code) {
        found.emplace_back(child_path, &child);
      } else if (text && names_actor(*text, code)) {
        found.emplace_back(path, &node);  // the table whole, once
        return;
      } else {
        find_actor_references(child, code, child_path, skip, found);
      }
    }
  } else if (const toml::array* a = node.as_array()) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      const toml::node& element = *a->get(i);
      if (std::find(skip.begin(), skip.end(), &element) != skip.end()) continue;
      const std::string element_path = join_path(path, std::to_string(i));
      const auto text = element.value<std::string_view>();
      if (text && names_actor(*text, code)) {
        found.emplace_back(element_path, &element);
      } else if (path == "events") {
        std::vector<std::pair<std::string, const toml::node*>> inside;
        find_actor_references(element, code, element_path, skip, inside);
        if (!inside.empty()) found.emplace_back(element_path, &element);
      } else {
        find_actor_references(element, code, element_path, skip, found);
      }
    }
  }
}

// Removes from `base` (the merged chain of `base_path`) each key path of the array `remove`
// (as --set writes them, without "=value": tables by key, array elements by index or label).
// Every path names the base as written: all are found first, then removed (events.0 and
// events.1 are the base's first two events, not the first and the third). A path given twice,
// or inside another of the list, is refused. An actor removed ("actors.QAT") whom the base still
// refers to, and whom `own` (this file) does not declare again, is refused at its entry with
// every place that refers to it, at once, and the `remove` that would take them all.
void remove_from_base(toml::table& base, const toml::node& remove, const fs::path& base_path,
                      const toml::table& own, std::vector<Removal>* removals) {
  const toml::array* paths = remove.as_array();
  if (paths == nullptr)
    throw InputError(position_of(remove), "remove",
                     "expected an array of key paths of the base, e.g. remove = "
                     "[\"institutions.BRICS.others.IRN\"], got " +
                         type_name(remove));
  struct Target {
    toml::node* parent = nullptr;         // a table or an array of the base
    toml::node* node = nullptr;           // the value it holds, to remove
    std::string key;                      // in a table: its key
    std::vector<const toml::node*> path;  // the nodes walked through, base first
    std::vector<std::string> parts;       // the key path, an array's element by its index
    std::string text;
  };
  std::vector<Target> targets;
  for (const toml::node& entry : *paths) {
    const SourcePosition where = position_of(entry);
    if (!entry.is_string())
      throw InputError(where, "remove",
                       "expected a key path (a string) such as \"institutions.BRICS.others.IRN\", "
                       "got " +
                           type_name(entry));
    const std::string text(entry.value<std::string_view>().value());
    const SetKeyPath key_path = split_key_path(text);
    if (key_path.unclosed_quote)
      throw InputError(where, "remove", "'" + text + "': a quoted part is not closed");
    if (key_path.end != std::string::npos)
      throw InputError(where, "remove", "'" + text + "': a key path to remove takes no '=value'");
    const std::vector<std::string>& parts = key_path.parts;
    if (std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); }))
      throw InputError(where, "remove", "'" + text + "': empty part in key path");
    auto absent = [&](const std::string& walked) {
      return InputError(
          where, "remove",
          "'" + text + "': the base (" + base_path.filename().string() +
              " and its own bases) has no '" + walked + "': nothing to remove" +
              (is_index(parts.back()) && parts.size() > 1 && !is_index(parts[parts.size() - 2])
                   ? std::string(" (a key holding a dot, such as a year 2030.5, is written in "
                                 "quotes: 'a.\"2030.5\"')")
                   : std::string()));
    };
    Target target;
    target.text = text;
    toml::node* cursor = &base;
    std::string walked;  // the parts so far, as written
    for (std::size_t k = 0; k < parts.size(); ++k) {
      const std::string& part = parts[k];
      const std::string before = walked;
      walked = join_written(walked, part);
      target.path.push_back(cursor);
      toml::node* next = nullptr;
      if (toml::table* t = cursor->as_table()) {
        next = t->get(part);
        if (next == nullptr) throw absent(walked);
        target.key = part;
        target.parts.push_back(part);
      } else if (toml::array* a = cursor->as_array()) {
        if (is_index(part)) {
          const std::size_t idx = index_value(part);
          if (idx >= a->size()) throw absent(walked);
          next = a->get(idx);
          target.parts.push_back(std::to_string(idx));
        } else {
          try {
            next = element_by_label(*a, part, where, walked);
          } catch (const InputError& e) {  // named by the entry, as the other refusals
            std::string message = e.message();
            if (const auto at = message.find("the one to set"); at != std::string::npos)
              message.replace(at, 14, "the one to remove");
            throw InputError(where, "remove", "'" + text + "': " + message);
          }
          std::size_t idx = 0;
          while (a->get(idx) != next) ++idx;
          target.parts.push_back(std::to_string(idx));
        }
      } else {
        throw InputError(
            where, "remove",
            "'" + text + "': '" + before + "' is " + type_name(*cursor) + ", which holds no keys");
      }
      target.parent = cursor;
      cursor = next;
    }
    target.node = cursor;
    // Given twice, or inside another entry's value (or holding it): refused, as it is unclear.
    for (const Target& other : targets) {
      const bool same = other.node == target.node;
      const bool inside =
          std::find(target.path.begin(), target.path.end(), other.node) != target.path.end() ||
          std::find(other.path.begin(), other.path.end(), target.node) != other.path.end();
      if (same || inside)
        throw InputError(where, "remove",
                         "'" + text + "' " + (same ? "names what '" : "overlaps '") + other.text +
                             "' removes already: give each part of the base once");
    }
    targets.push_back(std::move(target));
  }
  std::vector<const toml::node*> removed;
  for (const Target& target : targets) removed.push_back(target.node);
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const SetKeyPath key_path = split_key_path(targets[k].text);
    if (key_path.parts.size() != 2 || key_path.parts[0] != "actors" || !targets[k].node->is_table())
      continue;
    const std::string& code = key_path.parts[1];
    if (const toml::table* actors = own.get_as<toml::table>("actors"); actors && actors->get(code))
      continue;  // declared again in this file: the references stand
    std::vector<std::pair<std::string, const toml::node*>> found;
    find_actor_references(base, code, "", removed, found);
    // A corridor edge removed with the actor takes the events that open or close it.
    if (const toml::array* events = base.get_as<toml::array>("events")) {
      const std::size_t edges_found = found.size();
      for (std::size_t f = 0; f < edges_found; ++f) {
        const std::vector<std::string> parts = split_key_path(found[f].first).parts;
        if (parts.size() != 3 || parts[0] != "corridors" || parts[1] != "edges") continue;
        for (std::size_t i = 0; i < events->size(); ++i) {
          const toml::table* event = events->get(i)->as_table();
          const std::string event_path = "events." + std::to_string(i);
          if (event && event->get("edge") &&
              std::find(removed.begin(), removed.end(), event) == removed.end() &&
              event->get("edge")->value<std::string_view>() == parts[2] &&
              std::none_of(found.begin(), found.end(),
                           [&](const auto& place) { return place.second == event; }))
            found.emplace_back(event_path, event);
        }
      }
    }
    if (found.empty()) continue;
    // The entries offered: this file's own, then what else removing the actor takes.
    std::string places, entries;
    const auto offer = [&](const std::string& path) {
      std::string quoted;  // a TOML basic string: quotes and backslashes escaped
      for (char c : path)
        quoted += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
      entries += (entries.empty() ? "\"" : ", \"") + quoted + "\"";
    };
    for (const Target& target : targets) offer(target.text);
    for (const auto& [path, node] : found) {
      const SourcePosition at = position_of(*node);
      places += (places.empty() ? "" : ", ") + path;
      if (at.line > 0)
        places +=
            " (" + fs::path(at.file).filename().string() + ":" + std::to_string(at.line) + ")";
      offer(path);
    }
    throw InputError(position_of(*paths->get(k)), "remove",
                     "'" + targets[k].text + "' removes the actor '" + code +
                         "', and the base still refers to it in " + counted(found.size(), "place") +
                         ": " + places + ". Remove those too (remove = [" + entries +
                         "]), or declare [actors." + code + "] again in this file");
  }
  if (removals)
    for (std::size_t k = 0; k < targets.size(); ++k)
      removals->push_back(Removal{targets[k].parts, targets[k].text, position_of(*paths->get(k))});
  // Nodes of a TOML table or array do not move when others are erased: each is found again by
  // its address.
  for (const Target& target : targets) {
    if (toml::table* t = target.parent->as_table()) {
      t->erase(target.key);
    } else if (toml::array* a = target.parent->as_array()) {
      std::size_t idx = 0;
      while (a->get(idx) != target.node) ++idx;
      a->erase(a->cbegin() + static_cast<std::ptrdiff_t>(idx));
    }
  }
}

}  // namespace

SetKeyPath split_key_path(std::string_view text) {
  SetKeyPath path;
  path.parts.emplace_back();
  bool quoted = false;
  for (std::size_t i = 0; i < text.size() && path.end == std::string::npos; ++i) {
    const char c = text[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (c == '.' && !quoted) {
      path.parts.emplace_back();
    } else if (c == '=' && !quoted) {
      path.end = i;
    } else {
      path.parts.back() += c;
    }
  }
  path.unclosed_quote = quoted;
  // In NFC, as the files' keys are (normalise_to_nfc): a name typed with a combining accent
  // finds the key typed with a precomposed one.
  for (std::string& part : path.parts)
    if (needs_nfc(part)) part = to_nfc(part);
  return path;
}

bool key_path_enters_array(const toml::table& root, std::string_view key) {
  const toml::node* node = &root;
  for (const std::string& part : split_key_path(key).parts) {
    if (node->is_array()) return true;
    const toml::table* table = node->as_table();
    node = table != nullptr ? table->get(part) : nullptr;
    if (node == nullptr) return false;  // a key --set would make, in tables it would make
  }
  return false;
}

std::vector<std::string> resolved_key_parts(const toml::table& root, std::string_view key) {
  std::vector<std::string> parts = split_key_path(key).parts;
  const toml::node* node = &root;
  for (std::string& part : parts) {
    if (const toml::table* table = node->as_table()) {
      node = table->get(part);
    } else if (const toml::array* array = node->as_array()) {
      std::optional<std::size_t> index;
      if (is_index(part)) {
        index = index_value(part);
      } else {  // a label names the element only if one element has it
        for (std::size_t k = 0; k < array->size(); ++k) {
          const toml::table* element = array->get(k)->as_table();
          const toml::node* label = element ? element->get("label") : nullptr;
          if (label && label->value<std::string_view>() == std::string_view(part)) {
            if (index) {
              index.reset();
              break;
            }
            index = k;
          }
        }
      }
      if (!index || *index >= array->size()) return parts;
      part = std::to_string(*index);
      node = array->get(*index);
    } else {
      node = nullptr;
    }
    if (node == nullptr) return parts;  // a key --set would make, or refuse: kept as written
  }
  return parts;
}

namespace {

// The tables whose keys name things of the scenario ('*': any key), and what each thing is.
struct NamedCollection {
  std::array<std::string_view, 3> path;  // unused parts empty
  std::string_view thing;
};
constexpr NamedCollection kNamedCollections[] = {
    {{"actors"}, "actor"},
    {{"domains"}, "domain"},
    {{"institutions"}, "institution"},
    {{"institutions", "*", "others"}, "other member of that institution"},
    {{"lenders"}, "lender"},
    {{"corridors", "edges"}, "corridor edge"},
};

// A --set that goes through a key that `table` (at `table_path`) lacks would make a new thing of
// the scenario when `table` holds the scenario's actors, domains, institutions, ...: almost
// always a misspelt name (institutions.BRIC.rule), which would otherwise run as a new, empty
// thing and change nothing the user meant. Refused, naming the closest existing one.
void refuse_new_entity(const toml::table& table, std::span<const std::string> table_path,
                       const std::string& name, const SourcePosition& where) {
  for (const NamedCollection& collection : kNamedCollections) {
    std::size_t length = 0;
    while (length < collection.path.size() && !collection.path[length].empty()) ++length;
    if (length != table_path.size()) continue;
    bool matches = true;
    for (std::size_t k = 0; k < length && matches; ++k)
      matches = collection.path[k] == "*" || collection.path[k] == table_path[k];
    if (!matches) continue;
    std::vector<std::string> names;
    for (const auto& [key, node] : table) names.emplace_back(key.str());
    std::string at;  // as it is typed: a name with a space quoted
    for (const std::string& part : table_path) at = join_path(at, written_key_part(part));
    std::string known;
    for (const std::string& n : names) known += (known.empty() ? "" : ", ") + n;
    throw InputError(where, join_path(at, written_key_part(name)),
                     "the scenario has no " + std::string(collection.thing) + " '" + name + "'" +
                         did_you_mean(name, names) +
                         (names.empty() ? std::string() : " (it has " + known + ")") +
                         ": --set and sweep, calibration or Model parameters change what the "
                         "scenario has; a new " +
                         std::string(collection.thing) + " is written in a scenario file");
  }
}

// Applies one "key.path=value"; true when it changed the document (false: the key held that
// value already). With `undo`, what it replaces or creates is recorded there first (see
// OverrideUndo); an assignment that would replace a table or an array throws
// OverrideUndo::NotUndoable before changing anything.
// An assignment of a run, by the key path it set with every array element as its index (an
// element named by its label or by its index is the same element).
struct GivenKey {
  std::string path;  // parts joined by '\x1f', which no key holds
  const std::string* assignment;
  bool once;  // the user's: another of the user's may not set it, inside it or around it
};

// The user's assignment that already set `path`, a key inside it or a table around it, or null.
const GivenKey* given_before(const std::vector<GivenKey>& given, const std::string& path) {
  auto within = [](const std::string& inner, const std::string& outer) {
    return inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 &&
           inner[outer.size()] == '\x1f';
  };
  for (const GivenKey& earlier : given)
    if (earlier.once &&
        (earlier.path == path || within(earlier.path, path) || within(path, earlier.path)))
      return &earlier;
  return nullptr;
}

bool apply_override(toml::table& root, const std::string& assignment, OverrideUndo* undo,
                    std::vector<GivenKey>& given, bool once) {
  const std::string source = override_source(assignment);
  const SourcePosition where{source, 0, 0};
  const SetKeyPath key_path = split_key_path(assignment);
  const std::vector<std::string>& parts = key_path.parts;
  const std::size_t eq = key_path.end;
  const bool quoted = key_path.unclosed_quote;
  if (eq == std::string::npos || eq == 0)
    throw InputError(
        where, "",
        quoted ? "a quoted part of the key path is not closed" : "expected --set key.path=value");
  const std::string path = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  for (const auto& p : parts) {
    if (p.empty()) throw InputError(where, path, "empty part in key path");
    if (const auto found = first_refused_character(p, TextKind::name))
      throw InputError(where, printable(path, TextKind::name),
                       refused_character_name(*found) +
                           " not allowed in a key: no key of a scenario holds one (" +
                           std::string(refusal_reason(*found)) + ")");
  }
  if (parts.size() > kMaxTomlKeyParts)
    throw InputError(where, path,
                     "a key path of more than " + std::to_string(kMaxTomlKeyParts) + " parts");
  // The base chain is merged before any --set: setting it now would change nothing but the
  // stored text (which a rerun would then read differently).
  if (parts.size() == 1 &&
      (parts[0] == "base" || parts[0] == "inherit_events" || parts[0] == "remove"))
    throw InputError(where, path,
                     "'" + parts[0] +
                         "' is read with the files, before any --set: write it in a scenario "
                         "file (a what-if with base = \"...\")");

  // The value is TOML; a bare word that does not parse as TOML is taken as a string.
  toml::table holder;
  check_toml_limits(text, source);
  const std::string document = "value = " + text;
  try {
    holder = toml::parse(document, source);
  } catch (const toml::parse_error& e) {
    // A number too large for TOML's integers or for a double, not a word to take as a string:
    // the whole value, or the one inside an array or table that TOML++ stopped after.
    const auto number = text.find_first_not_of(" \t");
    const std::string written =
        number == std::string::npos
            ? text
            : text.substr(number, text.find_last_not_of(" \t") - number + 1);
    const std::string_view inner = value_ending_at(document, position_of(e.source())).first;
    if (!inner.empty() && inner != written) {
      if (auto message = number_beyond_range(inner, e.description()))
        throw InputError(where, path, "in " + written + ": " + *message);
    } else if (auto message = number_beyond_range(written, e.description())) {
      throw InputError(where, path, *message);
    }
    // A value that opens as TOML's tables, arrays and strings do was meant as TOML: its error is
    // the answer ("time={years=1,years=2}" was read as a string, and refused as not a table).
    const auto first = text.find_first_not_of(" \t");
    if (first != std::string::npos &&
        std::string_view("{[\"'").find(text[first]) != std::string_view::npos)
      throw InputError(where, path,
                       "the value " + text + " is not valid TOML: " + std::string(e.description()) +
                           " (a value that starts with {, [, \" or ' is read as an inline table, "
                           "an array or a string)");
    holder = toml::table{{"value", text}};
  }
  // "0.5\nactors.IND.risk=0.9" parses as two keys, the second silently dropped (and still
  // in the run's record of its --set): one value per --set.
  if (holder.size() != 1)
    throw InputError(where, path,
                     "the value " + printable(text, TextKind::name) +
                         " holds more than one TOML key (a line break starts another): give "
                         "each key its own --set");
  toml::node& value = *holder.get("value");
  refuse_control_characters(value, path, parts.back());
  normalise_to_nfc(value, path);

  // Setting parts[k] in the table at parts[0, k) replaces what that table gave other ways
  // (key_alternatives.hpp): a growth path set over a base's growth rate. What an earlier
  // assignment of the same run gave is not replaced: the two are refused.
  std::string canonical;  // parts[0, k) with elements as their indices, joined by '\x1f'
  auto extended = [](const std::string& prefix, std::string_view part) {
    return prefix.empty() ? std::string(part) : prefix + '\x1f' + std::string(part);
  };
  bool dropped = false;
  auto drop_replaced = [&](toml::table& t, std::size_t k) {
    const std::span<const std::string> table_path(parts.data(), k);
    for (std::string_view replaced :
         replaced_alternatives(table_path, parts[k], [](std::string_view) { return false; })) {
      toml::node* old = t.get(replaced);
      if (old == nullptr) continue;
      const std::string dropped_path = extended(canonical, replaced);
      for (const GivenKey& earlier : given)
        if (earlier.path == dropped_path || earlier.path.rfind(dropped_path + '\x1f', 0) == 0) {
          std::string table_text;
          for (std::size_t p = 0; p < k; ++p) table_text = join_path(table_text, parts[p]);
          throw InputError(where, join_path(table_text, parts[k]),
                           "gives what --set " + *earlier.assignment + " gave as '" +
                               std::string(replaced) + "' another way: give one of them");
        }
      if (undo) undo->record_replaced(t, std::string(replaced), *old);
      t.erase(replaced);
      dropped = true;
    }
  };

  toml::node* cursor = &root;
  std::string walked;
  for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
    const std::string& part = parts[k];
    walked = join_written(walked, part);
    if (auto* t = cursor->as_table()) {
      drop_replaced(*t, k);
      canonical = extended(canonical, part);
      toml::node* next = t->get(part);
      if (!next) {
        refuse_new_entity(*t, std::span<const std::string>(parts.data(), k), part, where);
        if (undo) undo->record_absent(*t, part);
        next = &t->insert_or_assign(part, toml::table{}).first->second;
      }
      cursor = next;
    } else if (auto* a = cursor->as_array(); a && is_index(part)) {
      const std::size_t idx = index_value(part);
      if (idx >= a->size())
        throw InputError(where, walked,
                         "index " + part + " is out of range (the array has " +
                             std::to_string(a->size()) +
                             (a->size() == 1 ? " element)" : " elements)"));
      cursor = a->get(idx);
      canonical = extended(canonical, std::to_string(idx));
    } else if (auto* array = cursor->as_array()) {
      cursor = element_by_label(*array, part, where, walked);
      std::size_t idx = 0;
      while (array->get(idx) != cursor) ++idx;
      canonical = extended(canonical, std::to_string(idx));
    } else {
      throw InputError(where, walked, "cannot descend into " + type_name(*cursor));
    }
    if (!cursor->is_table() && !cursor->is_array())
      throw InputError(where, walked,
                       "is " + type_name(*cursor) + ", so '" + path + "' cannot be set inside it");
  }
  const std::string& last = parts.back();
  // One value a key from the user: the second of two is refused, naming the first.
  auto refuse_given_twice = [&](const std::string& set_path) {
    if (!once) return;
    if (const GivenKey* earlier = given_before(given, set_path))
      throw InputError(
          where, path,
          "sets what --set " + *earlier->assignment + " set already: give each key once");
  };
  if (auto* t = cursor->as_table()) {
    refuse_given_twice(extended(canonical, last));
    drop_replaced(*t, parts.size() - 1);
    toml::node* old = t->get(last);
    // A whole new thing given at once (institutions.BRIC={rule="majority"}): refused as above.
    if (old == nullptr)
      refuse_new_entity(*t, std::span<const std::string>(parts.data(), parts.size() - 1), last,
                        where);
    const bool changed = dropped || old == nullptr || !same_value(*old, value);
    if (undo) {
      if (old == nullptr)
        undo->record_absent(*t, last);
      else
        undo->record_replaced(*t, last, *old);
    }
    value.visit([&](auto&& v) { t->insert_or_assign(last, std::move(v)); });
    given.push_back(GivenKey{extended(canonical, last), &assignment, once});
    return changed;
  }
  if (auto* a = cursor->as_array(); a && is_index(last)) {
    const std::size_t idx = index_value(last);
    if (idx >= a->size()) throw InputError(where, path, "index " + last + " is out of range");
    refuse_given_twice(extended(canonical, std::to_string(idx)));
    const bool changed = !same_value(*a->get(idx), value);
    if (undo) undo->record_replaced(*a, idx, *a->get(idx));
    value.visit([&](auto&& v) {
      a->replace(a->cbegin() + static_cast<std::ptrdiff_t>(idx), std::move(v));
    });
    given.push_back(GivenKey{extended(canonical, std::to_string(idx)), &assignment, once});
    return changed;
  }
  throw InputError(where, path, "cannot set a key inside " + type_name(*cursor));
}

}  // namespace

toml::table read_scenario_file(const fs::path& path, std::vector<Removal>* removals) {
  toml::table doc = parse_file(path, "the scenario file", SourcePosition{path.string(), 0, 0}, "");
  expect_toml_file_kind(doc, TomlFileKind::scenario, path.string());
  // The chain holds canonical paths, so that a cycle is found however the files name each other.
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(path, ec);
  std::vector<fs::path> chain{ec ? path : canonical};
  // Moved, never copied: a copied TOML node loses its source position.
  toml::table merged = resolve_chain(std::move(doc), path, chain, removals);
  refuse_unwritable_keys(merged);
  return merged;
}

toml::table read_scenario_text(std::string_view text, const std::string& source_name,
                               const fs::path& base_dir, std::vector<Removal>* removals) {
  const fs::path pseudo = base_dir / source_name;
  std::vector<fs::path> chain{pseudo};
  toml::table doc = parse_text(text, source_name);
  expect_toml_file_kind(doc, TomlFileKind::scenario, source_name);
  toml::table merged = resolve_chain(std::move(doc), pseudo, chain, removals);
  refuse_unwritable_keys(merged);
  return merged;
}

std::vector<std::string> apply_overrides(toml::table& root,
                                         const std::vector<std::string>& overrides,
                                         OverrideUndo* undo, std::size_t given_once_from) {
  std::vector<std::string> changed;
  std::vector<GivenKey> given;
  for (std::size_t k = 0; k < overrides.size(); ++k)
    if (apply_override(root, overrides[k], undo, given, k >= given_once_from))
      changed.push_back(overrides[k]);
  return changed;
}

// ---------------------------------------------------------------------------------------------
// OverrideUndo

namespace {
// The node moved into a one-key table (its content moved, not copied: a table's or array's
// elements stay where they are in memory).
std::unique_ptr<toml::table> hold(toml::node& node) {
  auto holder = std::make_unique<toml::table>();
  node.visit([&](auto&& v) { holder->insert_or_assign("v", std::move(v)); });
  return holder;
}
}  // namespace

OverrideUndo::~OverrideUndo() = default;

void OverrideUndo::record_absent(toml::table& table, const std::string& key) {
  entries_.push_back(Entry{&table, nullptr, key, 0, nullptr});
}

void OverrideUndo::record_replaced(toml::table& table, const std::string& key, toml::node& old) {
  if (old.is_table() || old.is_array()) throw NotUndoable{};
  entries_.push_back(Entry{&table, nullptr, key, 0, hold(old)});
}

void OverrideUndo::record_replaced(toml::array& array, std::size_t index, toml::node& old) {
  if (old.is_table() || old.is_array()) throw NotUndoable{};
  entries_.push_back(Entry{nullptr, &array, std::string(), index, hold(old)});
}

void OverrideUndo::restore() {
  // Newest first: a table an earlier assignment created is still there when a later one's
  // change inside it is put back.
  for (auto e = entries_.rbegin(); e != entries_.rend(); ++e) {
    if (e->table != nullptr && e->old == nullptr) {
      e->table->erase(e->key);
      continue;
    }
    e->old->get("v")->visit([&](auto&& v) {
      if (e->table != nullptr)
        e->table->insert_or_assign(e->key, std::move(v));
      else
        e->array->replace(e->array->cbegin() + static_cast<std::ptrdiff_t>(e->index), std::move(v));
    });
  }
  entries_.clear();
}

namespace {

// Where each float of `node` sits in the text it was parsed from, and its value.
struct FloatToken {
  std::size_t line = 0;          // 1-based
  std::size_t begin_column = 0;  // 1-based, in code points (TOML++'s source positions)
  std::size_t end_column = 0;    // one past the token
  double value = 0.0;
};

void collect_floats(const toml::node& node, std::vector<FloatToken>& found) {
  if (const auto* table = node.as_table()) {
    for (auto&& [key, child] : *table) collect_floats(child, found);
  } else if (const auto* array = node.as_array()) {
    for (const toml::node& child : *array) collect_floats(child, found);
  } else if (const auto* value = node.as_floating_point()) {
    const toml::source_region& at = value->source();
    assert(at.begin.line == at.end.line);
    found.push_back({at.begin.line, at.begin.column, at.end.column, value->get()});
  }
}

// Byte offset of 1-based code-point `column` in the UTF-8 `line` (its size when past the end).
std::size_t byte_of_column(std::string_view line, std::size_t column) {
  std::size_t points = 1;
  for (std::size_t byte = 0; byte < line.size(); ++byte) {
    if ((static_cast<unsigned char>(line[byte]) & 0xC0) == 0x80) continue;  // continuation
    if (points == column) return byte;
    ++points;
  }
  return line.size();
}

// `printed` (TOML++'s text of a table) with each float in its shortest text that reads back as
// the same double ("0.045", not "0.044999999999999998"): the TOML++ library Debian ships prints
// floats with 17 significant digits (it is built without floating-point <charconv>), and this text
// is what users read of a run's scenario (inspect --scenario, the report, the lab). The floats are
// found by parsing the text again, so that a string holding digits is never touched.
std::string with_shortest_floats(const std::string& printed) {
  std::vector<FloatToken> floats;
  // TOML++ reads back what it wrote (an exception here is a fault of the library, not the user's).
  collect_floats(toml::parse(printed), floats);
  std::sort(floats.begin(), floats.end(), [](const FloatToken& a, const FloatToken& b) {
    return a.line != b.line ? a.line < b.line : a.begin_column < b.begin_column;
  });
  std::string out;
  out.reserve(printed.size());
  std::size_t line_start = 0;
  std::size_t line_number = 1;
  auto next = floats.cbegin();
  while (line_start < printed.size()) {
    const std::size_t newline = printed.find('\n', line_start);
    const std::size_t line_end = newline == std::string::npos ? printed.size() : newline + 1;
    const std::string_view line(printed.data() + line_start, line_end - line_start);
    std::size_t copied = 0;  // bytes of `line` already in `out`
    for (; next != floats.cend() && next->line == line_number; ++next) {
      const std::size_t begin = byte_of_column(line, next->begin_column);
      const std::size_t end = byte_of_column(line, next->end_column);
      out.append(line.substr(copied, begin - copied));
      out += toml_float(next->value);
      copied = end;
    }
    out.append(line.substr(copied));
    line_start = line_end;
    ++line_number;
  }
  assert(next == floats.cend());
  return out;
}

// A key path's segment as a file writes it: bare, or quoted when it holds more than letters,
// digits, '_' and '-'.
std::string key_segment(std::string_view key) {
  const bool bare = !key.empty() && key.find_first_not_of(
                                        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
                                        "opqrstuvwxyz0123456789_-") == std::string_view::npos;
  return bare ? std::string(key) : "\"" + std::string(key) + "\"";
}

void refuse_unwritable_keys(const toml::node& node, const std::string& path) {
  if (const auto* table = node.as_table()) {
    for (auto&& [key, child] : *table) {
      const std::string here = (path.empty() ? "" : path + ".") + key_segment(key.str());
      // (A tab is refused before, with every control character.)
      if (key.str().find('\'') != std::string_view::npos)
        throw InputError(position_of(key.source()), here,
                         "a key may not hold an apostrophe ('): the scenario's text that a run "
                         "records would not read back (TOML++ writes such a key unquoted); got '" +
                             std::string(key.str()) + "'");
      refuse_unwritable_keys(child, here);
    }
  } else if (const auto* array = node.as_array()) {
    for (std::size_t k = 0; k < array->size(); ++k)
      refuse_unwritable_keys(*array->get(k), path + "." + std::to_string(k));
  }
}

}  // namespace

void refuse_unwritable_keys(const toml::table& merged) { refuse_unwritable_keys(merged, ""); }

std::string resolved_text(const toml::table& merged) {
  std::ostringstream out;
  if (merged.contains("run")) {
    // The record of an earlier run (a rerun's text) is not part of the scenario it ran.
    toml::table scenario = merged;
    scenario.erase("run");
    out << scenario << "\n";
  } else {
    out << merged << "\n";
  }
  return with_shortest_floats(out.str());
}

namespace {

// A hint for a --set whose key has two bare runs of digits in a row (`gdp_growth_path.2030.5`):
// the dot splits what was probably one key, a year; TOML wants it quoted. Empty otherwise.
std::string quoting_hint(const std::string& assignment) {
  const SetKeyPath key = split_key_path(assignment);
  const std::vector<std::string>& parts = key.parts;
  auto digits = [](const std::string& t) {
    return !t.empty() &&
           std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  auto bare = [](const std::string& t) {
    return std::all_of(t.begin(), t.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
             c == '_' || c == '-';
    });
  };
  for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
    if (!digits(parts[k]) || !digits(parts[k + 1])) continue;
    const std::string one_key = parts[k] + '.' + parts[k + 1];
    std::string quoted;
    for (std::size_t m = 0; m < parts.size(); ++m) {
      if (m == k + 1) continue;
      const std::string& part = m == k ? one_key : parts[m];
      if (!quoted.empty()) quoted += '.';
      quoted += m != k && bare(part) ? part : '"' + part + '"';
    }
    if (key.end != std::string::npos) quoted += assignment.substr(key.end);
    return " (if " + one_key + " is one key, such as a year, quote it: " + quoted + ")";
  }
  return {};
}

InputError named_by_override(const InputError& e, const std::string& assignment) {
  return InputError(SourcePosition{override_source(assignment), 0, 0}, e.key(),
                    e.message() + quoting_hint(assignment));
}

}  // namespace

namespace {

bool all_digits(const std::string& part) {
  return !part.empty() &&
         std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The key of an error at a node a --set made, as that --set wrote it where it named an element
// by its label (events."EU sanctions".date) and the error names the element by its index
// (events.1.date); the error's key otherwise.
std::string key_as_typed(const InputError& e, const std::vector<std::string>& overrides) {
  for (const std::string& o : overrides) {
    if (override_source(o) != e.where().file) continue;
    const SetKeyPath typed = split_key_path(o);
    const std::vector<std::string> at = split_key_path(e.key()).parts;
    if (typed.end == std::string::npos || typed.parts.size() != at.size()) break;
    bool labelled = false;
    for (std::size_t k = 0; k < at.size(); ++k) {
      if (typed.parts[k] == at[k]) continue;
      if (!all_digits(at[k]) || all_digits(typed.parts[k])) return e.key();
      labelled = true;
    }
    if (!labelled) break;
    std::string key = o.substr(0, typed.end);
    while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.pop_back();
    return key;
  }
  return e.key();
}

}  // namespace

InputError attribute_to_override(const InputError& e, const std::vector<std::string>& overrides,
                                 const toml::table* root) {
  const bool from_override = is_override(e.where());
  // A file position without a line is of a node no file wrote: a table a --set made on its
  // way to its key (`--set actors.IND.energy_demand.2030=10` makes `energy_demand`).
  if (!e.where().file.empty() && !from_override && e.where().line != 0) return e;
  // Key paths compared part by part, an element named by its label as by its index where
  // `root` is given (the error names events.1.intensty; the --set wrote
  // events."EU sanctions".intensty).
  const std::vector<std::string> error_parts = split_key_path(e.key()).parts;
  auto starts_with = [](const std::vector<std::string>& whole,
                        const std::vector<std::string>& head) {
    return head.size() <= whole.size() && std::equal(head.begin(), head.end(), whole.begin());
  };
  // An error without a key (the whole file's) is no assignment's.
  for (auto o = overrides.rbegin(); !error_parts.empty() && o != overrides.rend(); ++o) {
    const SetKeyPath typed = split_key_path(*o);
    if (typed.end == std::string::npos) continue;
    const std::string key = o->substr(0, typed.end);
    const std::vector<std::string> parts =
        root != nullptr ? resolved_key_parts(*root, key) : typed.parts;
    if (!starts_with(error_parts, parts) && !starts_with(parts, error_parts)) continue;
    if (parts == typed.parts || parts.size() > error_parts.size()) return named_by_override(e, *o);
    // The error's key as the user wrote its start: the --set's key, then the error's own parts.
    std::string written = key;
    while (!written.empty() && (written.back() == ' ' || written.back() == '\t'))
      written.pop_back();
    for (std::size_t k = parts.size(); k < error_parts.size(); ++k)
      written = join_written(written, error_parts[k]);
    return named_by_override(InputError(e.where(), written, e.message()), *o);
  }
  // A key missing from a table a --set made (`--set actors.XYZ.gdp=1` makes an actor without
  // interests): the last --set into that table.
  if (const std::size_t dot = e.key().rfind('.'); dot != std::string::npos && !from_override)
    for (auto o = overrides.rbegin(); o != overrides.rend(); ++o)
      if (o->rfind(e.key().substr(0, dot + 1), 0) == 0) return named_by_override(e, *o);
  if (from_override)
    return InputError(
        SourcePosition{e.where().file, 0, 0}, key_as_typed(e, overrides),
        e.message() + quoting_hint(e.where().file.substr(std::string("--set ").size())));
  return e;
}

std::string override_source(const std::string& assignment) {
  return "--set " + printable(assignment, TextKind::name);
}

InputError refused_since_override(const InputError& e, const std::string& assignment, bool first) {
  return InputError(e.where(), e.key(),
                    e.message() + " (refused once " + override_source(assignment) +
                        (first ? " applies: the scenario as written passes)"
                               : " applies: the --set options before it do not cause this)"));
}

std::string override_named_by(const InputError& e, const std::vector<std::string>& overrides) {
  const std::string* named = nullptr;
  for (const std::string& o : overrides) {
    const std::string source = override_source(o);
    const bool at = e.where().file == source;
    if ((at || e.message().find(source) != std::string::npos) &&
        (named == nullptr || o.size() > named->size()))
      named = &o;
  }
  return named != nullptr ? *named : std::string();
}

namespace {

// The node at a key path of `root` (tables by key, arrays by index), or null.
const toml::node* node_at(const toml::table& root, const std::vector<std::string>& parts) {
  const toml::node* cursor = &root;
  for (const std::string& part : parts) {
    if (const toml::table* t = cursor->as_table())
      cursor = t->get(part);
    else if (const toml::array* a = cursor->as_array(); a && is_index(part))
      cursor = a->get(index_value(part));
    else
      return nullptr;
    if (cursor == nullptr) return nullptr;
  }
  return cursor;
}

std::size_t shared_head(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return static_cast<std::size_t>(std::mismatch(a.begin(), a.end(), b.begin(), b.end()).first -
                                  a.begin());
}

bool begins_with(const std::vector<std::string>& path, const std::vector<std::string>& head) {
  return head.size() <= path.size() && std::equal(head.begin(), head.end(), path.begin());
}

}  // namespace

InputError with_position_from(const InputError& e, const toml::table& original) {
  if (e.where().line != 0 || is_override(e.where()) || e.key().empty()) return e;
  const toml::node* node = node_at(original, split_key_path(e.key()).parts);
  if (node == nullptr) return e;
  const SourcePosition at = position_of(*node);
  return at.line > 0 ? InputError(at, e.key(), e.message()) : e;
}

InputError attribute_to_removal(const InputError& e, const toml::table& merged,
                                const std::vector<Removal>& removals) {
  if (removals.empty() || e.key().empty() || e.key() == "remove" || is_override(e.where()))
    return e;
  const std::vector<std::string> key = split_key_path(e.key()).parts;
  const bool key_held = node_at(merged, key) != nullptr;
  const Removal* took_key = nullptr;     // took the key, or a table holding it
  const Removal* took_inside = nullptr;  // took a part of the key's value
  const Removal* took_named = nullptr;   // took what the key or the message names
  for (const Removal& r : removals) {
    // Declared again after its removal (by the file that removed it, or a later one): what is
    // wrong is in the new declaration.
    if (node_at(merged, r.parts) != nullptr) continue;
    if (begins_with(key, r.parts)) {
      if (!key_held && took_key == nullptr) took_key = &r;
    } else if (begins_with(r.parts, key)) {
      if (took_inside == nullptr) took_inside = &r;
    } else if (r.parts.size() >= 2 && !is_index(r.parts.back()) &&
               (key.back() == r.parts.back() ||
                e.message().find("'" + r.parts.back() + "'") != std::string::npos)) {
      // Of several that took the name, the one nearest the key (corridors.nodes.IRN, not
      // institutions.SCO.others.IRN, for an edge's node).
      if (took_named == nullptr || shared_head(r.parts, key) > shared_head(took_named->parts, key))
        took_named = &r;
    }
  }
  if (took_key != nullptr)
    return InputError(took_key->where, "remove",
                      "'" + took_key->text + "' takes away what the scenario needs: key '" +
                          e.key() + "': " + e.message());
  const Removal* cause = took_inside != nullptr ? took_inside : took_named;
  if (cause == nullptr) return e;
  const SourcePosition& at = cause->where;
  return InputError(e.where(), e.key(),
                    e.message() + " ('" + cause->text +
                        "' was removed from the base by the entry at " + at.file + ":" +
                        std::to_string(at.line) + ":" + std::to_string(at.column) + ")");
}

}  // namespace interdep::detail
