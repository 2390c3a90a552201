// Reading TOML input with positions: the shared machinery of the scenario and sweep loaders.
// Every key read through a TableReader is remembered; finish() rejects the others with a
// "did you mean". Internal to the loaders (it includes TOML++).
#pragma once

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/scenario/enum_names.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/name_match.hpp"
#include "engine/scenario/toml_limits.hpp"
#include "engine/text/control_chars.hpp"
#include "engine/text/nfc.hpp"
#include "engine/text/text_encoding.hpp"
#include "engine/text/text_format.hpp"

namespace interdep::detail {

// ---------------------------------------------------------------------------------------------
// Positions and messages

inline SourcePosition position_of(const toml::source_region& region) {
  SourcePosition p;
  if (region.path) p.file = *region.path;
  p.line = static_cast<int>(region.begin.line);
  p.column = static_cast<int>(region.begin.column);
  return p;
}

inline SourcePosition position_of(const toml::node& node) { return position_of(node.source()); }

// What a string would be without its quotes, when it is a number, a boolean or a date written
// in quotes ("0.3", "true", "2026-06-01"): "a number", or "" when it is text.
inline std::string_view unquoted_kind(std::string_view text) {
  // Short texts of a value's characters only: nothing else can be one, and the parse stays cheap.
  if (text.empty() || text.size() > 40 ||
      text.find_first_not_of("0123456789+-._:eEinfatrueTZ") != std::string_view::npos)
    return "";
  try {
    const toml::table holder = toml::parse("v = " + std::string(text));
    const toml::node* v = holder.get("v");
    if (v == nullptr) return "";
    if (v->is_number()) return "a number";
    if (v->is_boolean()) return "a boolean";
    if (v->is_date()) return "a date";
    if (v->is_date_time()) return "a date-time";
  } catch (const toml::parse_error&) {}
  return "";
}

// What TOML would need of a text that is a number written another way (".5", "5.", "1,5", "1e"):
// the reason it is not one, or "" when it is no such attempt. `--set x=1e` reads the bare word as
// a string, and "got a string" alone left the reader wondering why.
inline std::string number_written_otherwise(std::string_view text) {
  // [+-] digits [. or , digits] [e [+-] digits], each digits part possibly empty, with a digit.
  std::size_t k = 0;
  const auto digits = [&] {
    const std::size_t from = k;
    while (k < text.size() && (std::isdigit(static_cast<unsigned char>(text[k])) || text[k] == '_'))
      ++k;
    return k - from;
  };
  if (text.size() > 40) return "";
  if (k < text.size() && (text[k] == '+' || text[k] == '-')) ++k;
  const std::size_t whole = digits();
  char mark = 0;
  std::size_t fraction = 0;
  if (k < text.size() && (text[k] == '.' || text[k] == ',')) {
    mark = text[k++];
    fraction = digits();
  }
  bool exponent = false;
  std::size_t exponent_digits = 0;
  if (k < text.size() && (text[k] == 'e' || text[k] == 'E')) {
    exponent = true;
    ++k;
    if (k < text.size() && (text[k] == '+' || text[k] == '-')) ++k;
    exponent_digits = digits();
  }
  if (k != text.size() || whole + fraction == 0) return "";
  if (mark == ',')
    return "a comma is neither TOML's decimal mark (1.5) nor its digit separator (1_000)";
  if (mark == '.' && whole == 0) return "TOML needs a digit before the decimal point (0.5)";
  if (mark == '.' && fraction == 0) return "TOML needs a digit after the decimal point (5.0)";
  if (exponent && exponent_digits == 0) return "TOML needs the exponent's digits (1e3)";
  return "";  // a number TOML reads (or one with underscores misplaced: TOML's own message)
}

// What TOML would need of a text shaped like a date that is not one ("2025-13-01", "2025-2-30",
// "2025-02-30"): the reason, or "" when it is no such attempt. `--set time.start=2025-13-01`
// reads the bare word as a string, and "got a string" alone hid the month.
inline std::string date_written_otherwise(std::string_view text) {
  // digits '-' digits '-' digits, then at most a time (T or a space, then anything).
  const std::size_t end_of_date = text.find_first_of("T ");
  const std::string_view date = text.substr(0, end_of_date);
  int parts[3] = {0, 0, 0};
  std::size_t widths[3] = {0, 0, 0};
  std::size_t k = 0;
  for (int p = 0; p < 3; ++p) {
    if (p > 0) {
      if (k >= date.size() || date[k] != '-') return "";
      ++k;
    }
    while (k < date.size() && std::isdigit(static_cast<unsigned char>(date[k])) && widths[p] < 6) {
      parts[p] = parts[p] * 10 + (date[k] - '0');
      ++k;
      ++widths[p];
    }
    if (widths[p] == 0) return "";
  }
  if (k != date.size()) return "";
  if (widths[0] != 4 || widths[1] != 2 || widths[2] != 2)
    return "year-month-day with 4, 2 and 2 digits (2025-03-01)";
  const int year = parts[0], month = parts[1], day = parts[2];
  if (month < 1 || month > 12) return "month " + std::to_string(month) + " is not from 1 to 12";
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int days = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  if (day < 1 || day > days)
    return "day " + std::to_string(day) + " is not from 1 to " + std::to_string(days) +
           " in that month";
  return "";  // a date TOML reads (or a time TOML refuses: its own message)
}

inline std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: {
      // "got a string" for risk = "0.3" leaves the reader looking for the string.
      const std::string_view text = *n.value<std::string_view>();
      const std::string_view kind = unquoted_kind(text);
      if (kind.empty()) {
        const std::string otherwise = number_written_otherwise(text);
        if (otherwise.empty()) return "a string";
        return "a string (\"" + std::string(text) + "\": not a number as TOML writes one; " +
               otherwise + ")";
      }
      return "a string (\"" + std::string(text) + "\": without the quotes, " + std::string(kind) +
             ")";
    }
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

// For an entry of a table keyed by scenario key paths ([parameters."model.flows.relation_cost"]
// of a sweep or calibration) that holds only tables: its key was written unquoted, and TOML read
// [parameters.model.flows.relation_cost] as tables inside tables. Returns what to write instead,
// or "" when `entry` is not such a table (it holds a value of its own, or nothing).
inline std::string unquoted_key_advice(std::string_view table, std::string_view key,
                                       const toml::node& entry) {
  std::string meant(key);
  const toml::node* node = &entry;
  for (;;) {
    const toml::table* t = node->as_table();
    if (t == nullptr || t->empty()) return "";
    for (auto&& [k, child] : *t)
      if (!child.is_table())
        return node == &entry ? ""
                              : "a key path is quoted whole: write [" + std::string(table) + ".\"" +
                                    meant + "\"] (unquoted, TOML reads [" + std::string(table) +
                                    "." + meant + "] as tables inside tables)";
    const auto first = t->cbegin();
    meant += "." + std::string(first->first.str());
    node = &first->second;
  }
}

// A part of a key path quoted as TOML's basic strings are: "actors.\"PAK\".risk" for a
// sweep's parameter key written with quotes, so that a message's key can be typed back.
inline std::string quoted_key_part(std::string_view part) {
  std::string quoted = "\"";
  for (const char c : part) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

// A part of a key path as a dotted key writes it: bare when TOML takes it bare (letters, digits,
// '_' and '-'), else quoted ("PA K").
inline std::string written_key_part(std::string_view part) {
  const bool bare = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
  return bare ? std::string(part) : quoted_key_part(part);
}

// Why `node` at `name` is not the array of tables ([[name]]) it must be. A table whose keys are
// all indices, or that a --set made (`--set 'events."a label".date=...'`), is what a --set into
// [[name]] makes where the scenario has none: said so.
inline std::string array_expected(const toml::node& node, const std::string& name) {
  if (const auto* table = node.as_table(); table && !table->empty()) {
    const bool indices = std::all_of(table->begin(), table->end(), [](const auto& entry) {
      const std::string_view key = entry.first.str();
      return key.find_first_not_of("0123456789") == std::string_view::npos;
    });
    // A node no file wrote (no line) is one a --set made on its way to its key.
    const SourcePosition at = position_of(node);
    if (indices || is_override(at) || at.line == 0)
      return "the scenario has no [[" + name + "]]: '" + name + "." +
             written_key_part(table->begin()->first.str()) +
             "' names none of them (--set and sweep, calibration or Model parameters change what "
             "the files give; write new " +
             name + " in a scenario file)";
  }
  return "expected an array of tables ([[" + name + "]]), got " + type_name(node);
}

// type_name for a key that takes a date: a string shaped like a date that is none says why
// ("2025-13-01": month 13 is not from 1 to 12); TOML reads it as text when it is written bare.
// `year_ok`: whether the key also takes a decimal year (an event's date does, time.start does
// not: there "2025" in quotes was told "without the quotes, a number", which it then refused).
inline std::string type_name_for_date(const toml::node& n, bool year_ok = true) {
  if (n.is_string()) {
    const std::string_view text = *n.value<std::string_view>();
    if (const std::string why = date_written_otherwise(text); !why.empty())
      return "a string (\"" + std::string(text) + "\": not a date as TOML writes one; " + why + ")";
    if (!year_ok && unquoted_kind(text) == "a number")
      return "a string (\"" + std::string(text) +
             "\": a date is written without quotes as year-month-day, e.g. 2025-01-01)";
  }
  return type_name(n);
}

// Every word, quoted: for fixed vocabularies (keys, enum words), which a message lists whole;
// a scenario's own names (actors, domains) go through word_list, which cuts a long list.
inline std::string quoted_list(const std::vector<std::string>& words) {
  std::string s;
  for (std::size_t k = 0; k < words.size(); ++k) {
    if (k) s += ", ";
    s += "'" + words[k] + "'";
  }
  return s;
}

inline std::string format_number(double v) {
  if (v == 0.0) v = 0.0;  // no "-0"
  std::ostringstream os;
  os.precision(12);
  os << v;
  return os.str();
}

// For an error about several values that names one place (`at`): those of `values` written
// elsewhere, by a --set or in another file of the base chain, as the end of the message:
// " (capacity = 1 was set by --set energy.QAT.PAK.capacity=1)", " (USA = 0.99 was set at
// derived.toml:3)"; "" when every value is in at's file. Each value: its name in the message and
// its node (null: not written, a default).
using NamedNode = std::pair<std::string, const toml::node*>;
inline std::string values_set_elsewhere(const SourcePosition& at,
                                        const std::vector<NamedNode>& values) {
  std::string parts;
  for (const auto& [name, node] : values) {
    if (node == nullptr) continue;
    const SourcePosition where = position_of(*node);
    if (where.file.empty() || where.file == at.file) continue;
    const std::string place = place_of(where);
    if (place.empty()) continue;
    if (!parts.empty()) parts += "; ";
    parts += name;
    if (const std::optional<double> v = node->value<double>()) parts += " = " + format_number(*v);
    parts += " was set " + std::string(place.rfind("--set", 0) == 0 ? "by " : "at ") + place;
  }
  return parts.empty() ? "" : " (" + parts + ")";
}

// A dotted key path ("relations.PAK.RUS.security") held as its parts and joined only when a
// message needs it: every value read names its path in case it is wrong, and joining each one
// eagerly was 30 % of building a sweep run's scenario (docs/performance.md). A KeyPath refers
// to its parts: it is a parameter or a named local, never kept beyond the parts it was made
// from; a temporary string or parent is refused when compiled, since it would be gone first.
class KeyPath {
 public:
  KeyPath(const std::string& whole) : whole_(whole) {}  // NOLINT(google-explicit-constructor)
  KeyPath(const char* whole) : whole_(whole) {}         // NOLINT(google-explicit-constructor)
  KeyPath(std::string&& whole) = delete;                // name the string first
  KeyPath(const KeyPath& parent, std::string_view key) : parent_(&parent), whole_(key) {}
  // A parent that is a temporary would be gone before its child: name it first.
  KeyPath(const KeyPath&& parent, std::string_view key) = delete;

  std::string str() const {
    if (parent_ == nullptr) return std::string(whole_);
    std::string s = parent_->str();
    if (!s.empty()) s += '.';
    s += whole_;
    return s;
  }
  operator std::string() const { return str(); }  // NOLINT(google-explicit-constructor)

 private:
  const KeyPath* parent_ = nullptr;
  std::string_view whole_;  // the whole path, or with a parent the last key
};

// How a table's refusal of a key it does not read begins (TableReader::finish): a key path that
// names nothing of the scenario, whatever its value (ScenarioTemplate::key_path_refusal).
inline constexpr std::string_view kUnknownKey = "unknown key";

// "parent.key", or "key" under the root (an empty parent): KeyPath's joining, at once.
inline std::string join_path(const std::string& parent, std::string_view key) {
  const KeyPath parent_path(parent);
  return KeyPath(parent_path, key).str();
}

// ---------------------------------------------------------------------------------------------
// Numeric ranges with a description for messages.

struct Range {
  double lo = -HUGE_VAL;
  double hi = HUGE_VAL;
  bool lo_open = false;
  bool hi_open = false;

  bool contains(double v) const {
    return (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
  }
  std::string describe() const {
    const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
    if (has_lo && has_hi)
      return std::string(lo_open ? "in (" : "in [") + format_number(lo) + ", " + format_number(hi) +
             (hi_open ? ")" : "]");
    if (has_lo) return std::string(lo_open ? "> " : ">= ") + format_number(lo);
    if (has_hi) return std::string(hi_open ? "< " : "<= ") + format_number(hi);
    return "finite";
  }
};
inline const Range kAny{};
inline const Range kNonNegative{0.0, HUGE_VAL, false, false};
inline const Range kPositive{0.0, HUGE_VAL, true, false};
inline const Range kUnit{0.0, 1.0, false, false};
inline const Range kSigned{-1.0, 1.0, false, false};

// ---------------------------------------------------------------------------------------------
// Numbers read as reals: every real-valued key goes through read_real.

// The largest size of a real accepted in any key. A GDP of 5e306 US$ bn, a responsiveness of
// 6e307 or a gas cost of 8e307 passed every range and made the run's first step NaN, refused
// then without the input's line; the largest of the model's quantities (world GDP, about 1e5
// US$ bn, approx. World Bank 2023) is ten orders of magnitude below this, and the products of a
// few quantities of this size (gravity's GDP x GDP x cost) stay far from overflow.
inline constexpr double kLargestInput = 1e15;

// What a number beyond kLargestInput in size is told, after "expected ... ": the same wherever it
// was written (a key, a CSV's cell).
inline std::string beyond_largest_input(double v) {
  return "at most 1e15 in size, got " + format_number(v) +
         ": no quantity of the model comes near it (a GDP in US$ bn, a date in years, a rate), "
         "and beyond it the model's arithmetic overflows";
}

// What a subnormal (below 2.2e-308 in size, not 0) is told, after "got X": it keeps fewer digits
// than a double does, and no quantity of the model is one (a GDP of 1e-320 made the run's
// leverage infinite).
inline constexpr std::string_view kSubnormalWords =
    ", closer to 0 than a double holds with all its digits (2.2e-308): write 0 where 0 is meant, "
    "or a value of the quantity's own size";

inline bool is_subnormal(double v) {
  return v != 0.0 && std::fabs(v) < std::numeric_limits<double>::min();
}

// Why a number read from a file's text (a CSV's cell) is refused whatever it stands for, as
// read_real refuses it in a scenario: beyond kLargestInput in size, or a subnormal. The message
// begins "expected `what`"; nothing when the number is taken.
inline std::optional<std::string> size_refusal(double v, std::string_view what) {
  if (std::fabs(v) > kLargestInput)
    return "expected " + std::string(what) + " " + beyond_largest_input(v);
  if (is_subnormal(v))
    return "expected " + std::string(what) + ", got " + shortest_number(v) +
           std::string(kSubnormalWords);
  return std::nullopt;
}

// The real number a number node holds, when the conversion is exact. TOML++'s value<double>()
// gives nothing for an integer beyond +-2^53 (where a double no longer holds every integer),
// which callers then dereferenced ("bad optional access"). Here an integer a double holds
// exactly (2^60) is taken and one it would round (2^53 + 1) is not.
inline std::optional<double> exact_real(const toml::node& n) {
  if (const auto* f = n.as_floating_point()) return f->get();
  if (const auto* i = n.as_integer()) {
    const std::int64_t v = i->get();
    const double d = static_cast<double>(v);
    // INT64_MAX rounds up to 2^63, which converting back to int64 could not represent.
    if (d >= 0x1p63 || static_cast<std::int64_t>(d) != v) return std::nullopt;
    return d;
  }
  return std::nullopt;
}

// The number at `n` as a real in `range`, or an InputError at `n` for the key `key` saying what
// was expected: `what` names the value ("a number", "a relation").
inline double read_real(const toml::node& n, const KeyPath& key, const Range& range,
                        std::string_view what = "a number") {
  if (!n.is_number())
    throw InputError(position_of(n), key,
                     "expected " + std::string(what) + (what == "a number" ? "" : " (a number)") +
                         ", got " + type_name(n));
  const std::optional<double> v = exact_real(n);
  const bool bounded = std::isfinite(range.lo) || std::isfinite(range.hi);
  if (!v)
    throw InputError(position_of(n), key,
                     "expected " + std::string(what) + (bounded ? " " + range.describe() : "") +
                         ", got the integer " + std::to_string(*n.value_exact<std::int64_t>()) +
                         ", which a real number (a double) cannot hold exactly (integers beyond "
                         "2^53 = 9007199254740992 lose digits); write it as a float, e.g. 1.5e16");
  if (!std::isfinite(*v))
    throw InputError(position_of(n), key, "expected a finite number, got " + format_number(*v));
  if (is_subnormal(*v))
    throw InputError(position_of(n), key,
                     "expected " + std::string(what) + (bounded ? " " + range.describe() : "") +
                         ", got " + shortest_number(*v) + std::string(kSubnormalWords));
  if (!range.contains(*v))
    throw InputError(
        position_of(n), key,
        "expected " + std::string(what) + " " + range.describe() + ", got " + format_number(*v));
  if (std::fabs(*v) > kLargestInput)
    throw InputError(position_of(n), key,
                     "expected " + std::string(what) + (bounded ? " " + range.describe() : "") +
                         " and " + beyond_largest_input(*v));
  return *v == 0.0 ? 0.0 : *v;  // -0 as 0: a message prints no "-0", a product no -0
}

// ---------------------------------------------------------------------------------------------
// A table whose keys are checked: every key read is remembered, finish() rejects the rest.

class TableReader {
 public:
  TableReader(const toml::table& table, std::string path, std::string file = "")
      : table_(table), path_(std::move(path)), file_(std::move(file)) {
    known_.reserve(kKeysReserved);
  }

  const std::string& path() const { return path_; }
  const toml::table& table() const { return table_; }
  std::string key_path(std::string_view key) const { return join_path(path_, key); }

  // Without `at`, `key` is missing: when the table holds a key not asked for that is close to it
  // (a misspelling: `actr` for `actor`), the error is placed there and names it, since the
  // missing key is usually that one.
  [[noreturn]] void fail(const toml::node* at, std::string_view key, const std::string& msg) const {
    SourcePosition where = at ? position_of(*at) : position_of(table_);
    std::string message = msg;
    if (!at)
      if (const auto near = misspelling_of(key)) {
        where = position_of(near->second);
        message += " (the table has '" + std::string(near->first) + "': a misspelling of '" +
                   std::string(key) + "'?)";
      }
    if (where.file.empty()) where.file = file_;  // the root table carries no path
    throw InputError(where, key_path(key), message);
  }

  const toml::node* get(std::string_view key) {
    // Remembered as asked; the few keys asked twice are folded only when a message lists them
    // (finish): a search per key made reading a table quadratic in its keys.
    known_.emplace_back(key);
    return table_.get(key);
  }

  double number(std::string_view key, double fallback, const Range& range = kAny) {
    const toml::node* n = get(key);
    return n ? checked_number(*n, key, range) : fallback;
  }
  std::optional<double> optional_number(std::string_view key, const Range& range = kAny) {
    const toml::node* n = get(key);
    if (!n) return std::nullopt;
    return checked_number(*n, key, range);
  }
  double required_number(std::string_view key, const Range& range = kAny) {
    const toml::node* n = get(key);
    if (!n) {
      const bool bounded = std::isfinite(range.lo) || std::isfinite(range.hi);
      fail(nullptr, key,
           "is required: expected " +
               (bounded ? "a number " + range.describe() : std::string("a finite number")));
    }
    return checked_number(*n, key, range);
  }
  double checked_number(const toml::node& n, std::string_view key, const Range& range) const {
    const KeyPath table_path(path_);
    return read_real(n, KeyPath(table_path, key), range);
  }

  // An integer in [lo, hi], returned as the type of the member it goes into; [lo, hi] is
  // narrowed to what that type holds, so a value never wraps on the way in.
  template <class Int>
  Int integer(std::string_view key, Int fallback, std::int64_t lo, std::int64_t hi) {
    const toml::node* n = get(key);
    if (!n) return fallback;
    if (!n->is_integer()) fail(n, key, "expected an integer, got " + type_name(*n));
    if (std::cmp_less(lo, std::numeric_limits<Int>::min())) lo = std::numeric_limits<Int>::min();
    if (std::cmp_greater(hi, std::numeric_limits<Int>::max()))
      hi = static_cast<std::int64_t>(std::numeric_limits<Int>::max());
    const std::int64_t v = *n->value_exact<std::int64_t>();
    if (v < lo || v > hi)
      fail(n, key,
           "expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
               std::to_string(v));
    return static_cast<Int>(v);
  }

  // A seed, 0 .. 2^64 - 1: an integer up to 2^63 - 1 (TOML's largest), or the decimal digits
  // of any seed as a string ("18446744073709551615"), as run files record a seed beyond TOML's.
  std::uint64_t seed(std::string_view key, std::uint64_t fallback) {
    const toml::node* n = get(key);
    if (!n) return fallback;
    constexpr const char* kExpected =
        "expected a seed: an integer in [0, 9223372036854775807] or a string of decimal digits "
        "up to \"18446744073709551615\"";
    if (n->is_integer()) {
      const std::int64_t v = *n->value_exact<std::int64_t>();
      if (v < 0) fail(n, key, std::string(kExpected) + ", got " + std::to_string(v));
      return static_cast<std::uint64_t>(v);
    }
    if (!n->is_string()) fail(n, key, std::string(kExpected) + ", got " + type_name(*n));
    const std::string_view text = n->value<std::string_view>().value();
    std::uint64_t v = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
      fail(n, key, std::string(kExpected) + ", got \"" + std::string(text) + "\"");
    return v;
  }

  std::string string(std::string_view key, std::string fallback) {
    const toml::node* n = get(key);
    if (!n) return fallback;
    if (!n->is_string()) fail(n, key, "expected a string, got " + type_name(*n));
    return std::string(n->value<std::string_view>().value());
  }
  // An enum written as one of the words of its table (engine/scenario/enum_names.hpp).
  template <class E>
  E choice(std::string_view key, E fallback) {
    const toml::node* n = get(key);
    if (!n) return fallback;
    const std::vector<std::string> choices = name_list<E>();
    if (!n->is_string())
      fail(n, key, "expected one of " + quoted_list(choices) + ", got " + type_name(*n));
    const std::string_view word = n->value<std::string_view>().value();
    if (const std::optional<E> value = parse<E>(word)) return *value;
    fail(n, key,
         "expected one of " + quoted_list(choices) + ", got '" + std::string(word) + "'" +
             did_you_mean(word, choices));
  }

  bool boolean(std::string_view key, bool fallback) {
    const toml::node* n = get(key);
    if (!n) return fallback;
    if (!n->is_boolean()) fail(n, key, "expected a boolean (true or false), got " + type_name(*n));
    return n->value<bool>().value();
  }

  // A key an earlier version read: its presence is an error that says what replaced it.
  // A key that was read once: refused with what replaced it. Not a key the table accepts, so it
  // is not among those an unknown key's error lists.
  void retired(std::string_view key, const std::string& what_changed) {
    if (const toml::node* n = table_.get(key)) fail(n, key, "is no longer read: " + what_changed);
  }

  const toml::table* subtable(std::string_view key) {
    const toml::node* n = get(key);
    if (!n) return nullptr;
    if (!n->is_table()) fail(n, key, "expected a table, got " + type_name(*n));
    return n->as_table();
  }

  const toml::array* array(std::string_view key) {
    const toml::node* n = get(key);
    if (!n) return nullptr;
    if (!n->is_array()) fail(n, key, "expected an array, got " + type_name(*n));
    return n->as_array();
  }

  // Rejects keys nobody asked for, naming the closest known key.
  void finish() const {
    for (const auto& [k, v] : table_) {
      const std::string_view key = k.str();
      if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
      std::vector<std::string> known;  // each once, in the order first asked
      for (const std::string& asked : known_)
        if (std::find(known.begin(), known.end(), asked) == known.end()) known.push_back(asked);
      throw InputError(
          position_of(k.source()), key_path(key),
          std::string(kUnknownKey) + did_you_mean(key, known) +
              (known.empty() ? std::string() : "; expected one of " + quoted_list(known)));
    }
  }

 private:
  // A key of the table, not asked for so far, one edit from `key` (a letter missing, extra,
  // wrong or swapped, or another case): a misspelling of it. One edit, not did_you_mean's
  // allowance: keys not asked for yet may be valid ones, and the schema's keys two edits apart
  // share tables (min, max).
  std::optional<std::pair<std::string_view, toml::source_region>> misspelling_of(
      std::string_view key) const {
    if (key.size() < 3) return std::nullopt;
    for (const auto& [k, v] : table_) {
      const std::string_view found = k.str();
      if (found == key || std::find(known_.begin(), known_.end(), found) != known_.end()) continue;
      if (edit_distance(found, key) <= 1) return std::pair{found, k.source()};
    }
    return std::nullopt;
  }

  static constexpr std::size_t kKeysReserved = 16;  // most tables ask fewer: one allocation
  const toml::table& table_;
  std::string path_;
  std::string file_;
  std::vector<std::string> known_;
};

// ---------------------------------------------------------------------------------------------
// Parsing, with TOML syntax errors as InputErrors at their place.

// Keys whose strings are free text: prose that may run over lines (a scenario's description,
// an observation's or a check's source). Every other string is a name, a label, a code, a unit
// or a path, shown on one line of a table or used as a name in a result file.
inline bool is_free_text_key(std::string_view key) {
  return key == "description" || key == "source";
}

// Text shown in a message: at most 80 characters (cut where a character starts), every character
// a name may not hold as an escape, so that the message shows where it is.
inline std::string shown_text(std::string_view text) {
  std::size_t cut = std::min<std::size_t>(text.size(), 80);
  while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  return "'" + printable(text.substr(0, cut), TextKind::name) + (cut < text.size() ? "...'" : "'");
}

// Characters a name or free text may not hold (engine/text/control_chars.hpp), written as
// escapes ("\u001b[31m", "\u0007", "a\u0000b", "PAK\u202e") or as themselves in a string or a
// quoted key, refused at their place: printed, control characters would act on the terminal
// (recolour it, move the cursor, ring); a NUL would end names, labels and paths unseen;
// invisible format characters reorder the line on screen or make a name look like another.
// Keys (names of actors, domains, institutions, parameters...) and every string but free text
// hold none (but a variation selector after the character it varies); free text
// (is_free_text_key) may hold line feeds, tabs, the zero-width joiners U+200C and U+200D and the
// others engine/text/control_chars.hpp lists. `last_key` is the last key above an array's elements, so that an array of
// free text reads as free text. Of several, the one written first is refused (a table's keys
// are visited in sorted order, not as written: a domain "X\u202e" is refused at its
// [domains] entry, not at the first actor's interest in it).
inline void find_refused_characters(const toml::node& node, const std::string& path,
                                    std::string_view last_key, std::optional<InputError>& first) {
  const auto keep = [&first](InputError e) {
    const auto later = [](const SourcePosition& a, const SourcePosition& b) {
      if (a.line <= 0) return b.line > 0;  // no position: after any
      return b.line > 0 && (a.line != b.line ? a.line > b.line : a.column > b.column);
    };
    if (!first || later(first->where(), e.where())) first = std::move(e);
  };
  if (const toml::table* table = node.as_table()) {
    for (const auto& [key, value] : *table) {
      const std::string key_path = join_path(path, printable(key.str(), TextKind::name));
      if (const auto found = first_refused_character(key.str(), TextKind::name))
        keep(InputError(position_of(key.source()), key_path,
                        refused_character_name(*found) +
                            " not allowed in a key (keys are names, printed in tables and "
                            "stored in result files): " +
                            std::string(refusal_reason(*found)) + "; remove it"));
      find_refused_characters(value, key_path, key.str(), first);
    }
  } else if (const toml::array* array = node.as_array()) {
    for (std::size_t k = 0; k < array->size(); ++k)
      find_refused_characters(*array->get(k), path + "." + std::to_string(k), last_key, first);
  } else if (node.is_string()) {
    const std::string_view text = *node.value<std::string_view>();
    const bool free_text = is_free_text_key(last_key);
    const auto found =
        first_refused_character(text, free_text ? TextKind::free_text : TextKind::name);
    if (!found) return;
    std::string where;
    if (free_text)
      where = found->kind == RefusedCharacter::Class::control
                  ? " (free text such as a description may hold line feeds and tabs, nothing "
                    "else)"
                  : " even in free text such as a description";
    else
      where = " in a name or label" +
              std::string(found->kind == RefusedCharacter::Class::control
                              ? " (only a description or a source may hold line feeds and tabs)"
                          : name_may_hold_after_a_character(found->code)
                              ? " but right after the character it varies, such as an emoji"
                          : only_free_text_may_hold(found->code)
                              ? " (only a description or a source may hold it)"
                              : "");
    keep(InputError(position_of(node), path,
                    shown_text(text) + ": " + refused_character_name(*found) + " not allowed" +
                        where + ": " + std::string(refusal_reason(*found)) + "; remove it"));
  }
}

inline void refuse_control_characters(const toml::node& node, const std::string& path,
                                      std::string_view last_key = "") {
  std::optional<InputError> first;
  find_refused_characters(node, path, last_key, first);
  if (first) throw *first;
}

// Every key and string of `node` in Unicode's NFC (engine/text/nfc.hpp), so that a name typed
// with a precomposed accent and the same name typed with a combining one (pasted from a PDF,
// or written as "e\u0301") are one name. Two keys of a table that are the same text in two
// forms are one key given twice: InputError at the second.
inline void normalise_to_nfc(toml::node& node, const std::string& path) {
  if (toml::table* table = node.as_table()) {
    std::vector<std::pair<std::string, std::string>> renamed;  // (as written, in NFC)
    for (const auto& [key, value] : *table)
      if (needs_nfc(key.str()))
        if (std::string nfc = to_nfc(key.str()); nfc != key.str())
          renamed.emplace_back(key.str(), std::move(nfc));
    for (const auto& names : renamed) {
      // Named, not a structured binding: the lambda below captures it (clang before 16 cannot).
      const std::string &old_key = names.first, &new_key = names.second;
      const auto found = table->find(old_key);
      const toml::source_region where = found->first.source();
      if (const auto other = table->find(new_key); other != table->end())
        throw InputError(position_of(where), join_path(path, printable(new_key, TextKind::name)),
                         "this key is given twice: here and at line " +
                             std::to_string(other->first.source().begin.line) +
                             ", the same text in two Unicode forms (an accent typed as a letter "
                             "and a combining mark in one, as one character in the other); keep "
                             "one");
      toml::node& moved = found->second;
      moved.visit(
          [&](auto&& v) { table->insert_or_assign(toml::key(new_key, where), std::move(v)); });
      table->erase(old_key);
    }
    for (auto&& [key, value] : *table)
      normalise_to_nfc(value, join_path(path, printable(key.str(), TextKind::name)));
  } else if (toml::array* array = node.as_array()) {
    for (std::size_t k = 0; k < array->size(); ++k)
      normalise_to_nfc(*array->get(k), path + "." + std::to_string(k));
  } else if (toml::value<std::string>* text = node.as_string()) {
    if (needs_nfc(text->get())) text->get() = to_nfc(text->get());
  }
}

// A number TOML++ refused for its size, in words, or nothing: `written` is the value as written
// ("99999999999999999999", "-1e999"), `description` TOML++'s error ("... is not representable in
// 64 bits", "Error while parsing floating-point: '1e999' could not be interpreted as a value").
inline std::optional<std::string> number_beyond_range(std::string_view written,
                                                      std::string_view description) {
  constexpr auto npos = std::string_view::npos;
  if (description.find("integer") != npos &&
      description.find("not representable in 64 bits") != npos)
    return "the integer " + std::string(written) +
           " is outside TOML's 64-bit integers [-9223372036854775808, 9223372036854775807]; "
           "write a real number as a float, e.g. 1e20";
  if (description.find("floating-point") == npos) return std::nullopt;
  std::string digits;  // without TOML's underscores, as strtod reads it
  for (const char c : written)
    if (c != '_') digits += c;
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(digits.c_str(), &end);
  if (digits.empty() || end != digits.c_str() + digits.size() || errno != ERANGE ||
      !std::isinf(value))
    return std::nullopt;
  return "the number " + std::string(written) +
         " is beyond the range of a double (magnitudes up to about 1.8e308): expected a finite "
         "number";
}

// The value that ends just before `end` (1-based line and column in characters, as TOML++
// places an error in a number: one past it) in `text`, and the column it starts at.
inline std::pair<std::string_view, int> value_ending_at(std::string_view text, SourcePosition end) {
  std::size_t line_start = 0;
  for (int line = 1; line < end.line && line_start != std::string_view::npos; ++line) {
    line_start = text.find('\n', line_start);
    if (line_start != std::string_view::npos) ++line_start;
  }
  if (line_start == std::string_view::npos || end.column < 2) return {{}, end.column};
  // The column counts characters: a quoted key "résumé" before the value takes more bytes.
  const auto continuation = [&](std::size_t k) {
    return (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80;
  };
  std::size_t stop = line_start;
  for (int column = 1; column < end.column && stop < text.size() && text[stop] != '\n'; ++column)
    for (++stop; stop < text.size() && continuation(stop);) ++stop;
  std::size_t first = stop;
  const auto in_number = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+' || c == '-' ||
           c == '.';
  };
  while (first > line_start && in_number(text[first - 1])) --first;
  int column = 1;  // of `first`, in characters
  for (std::size_t k = line_start; k < first; ++k) column += continuation(k) ? 0 : 1;
  return {text.substr(first, stop - first), column};
}

// TOML++ 3.3 repeats part of a key that holds characters beyond ASCII when its messages quote
// it ("cannot redefine existing table 'domains."Å"Å"'"). Such a key is quoted as the file writes
// it, without the blanks between its parts (as TOML++ quotes the others): the header of the
// line `at` (`[domains."Å"]`), or the key before the value at `at` (its line and column, in
// characters, as TOML++ places these errors: `"Å" = 2`, also inside an inline table).
inline std::string with_key_as_written(std::string description, std::string_view text,
                                       SourcePosition at) {
  const std::size_t cannot = description.find("cannot ");
  if (cannot == std::string::npos) return description;
  const std::size_t open = description.find('\'', cannot);
  std::size_t close = description.ends_with('\'') ? description.size() - 1 : std::string::npos;
  for (std::string_view after : {"' as ", "' into "})
    if (close == std::string::npos) close = description.rfind(after);
  if (open == std::string::npos || close == std::string::npos || close <= open) return description;
  const std::string_view quoted = std::string_view(description).substr(open + 1, close - open - 1);
  if (std::none_of(quoted.begin(), quoted.end(),
                   [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
    return description;
  std::size_t line_start = 0;
  for (int line = 1; line < at.line && line_start != std::string_view::npos; ++line) {
    line_start = text.find('\n', line_start);
    if (line_start != std::string_view::npos) ++line_start;
  }
  if (line_start == std::string_view::npos || at.line < 1) return description;
  const std::string_view line = text.substr(line_start, text.find('\n', line_start) - line_start);
  std::size_t stop = 0;  // the byte of column `at.column`
  for (int column = 1; column < at.column && stop < line.size(); ++column)
    for (++stop; stop < line.size() && (static_cast<unsigned char>(line[stop]) & 0xC0) == 0x80;)
      ++stop;
  const std::size_t first = line.find_first_not_of(" \t");
  if (first == std::string_view::npos) return description;
  const bool header = line[first] == '[';
  // The key: in a header, from after `[` or `[[` to the first `]` outside quotes; before a
  // value, from after the last `{` or `,` outside quotes to the last `=` before the value.
  std::size_t from = header ? first + (line.substr(first, 2) == "[[" ? 2 : 1) : 0, to = 0;
  char quote = 0;
  for (std::size_t k = from; k < (header ? line.size() : stop); ++k) {
    const char c = line[k];
    if (quote != 0) {
      if (c == '\\' && quote == '"')
        ++k;
      else if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (header && c == ']') {
      to = k;
      break;
    } else if (!header && (c == '{' || c == ',')) {
      from = k + 1;
    } else if (!header && c == '=') {
      to = k;
    }
  }
  if (to <= from) return description;
  std::string key;
  quote = 0;
  for (std::size_t k = from; k < to; ++k) {
    const char c = line[k];
    if (quote != 0) {
      if (c == '\\' && quote == '"' && k + 1 < to)
        key += line[k++];
      else if (c == quote)
        quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == ' ' || c == '\t') {
      continue;
    }
    key += line[k];
  }
  if (key.empty()) return description;
  return description.replace(open + 1, close - open - 1, key);
}

// A string whose closing quote is missing: TOML++ reads on to the line's end and names the line
// feed ("unescaped control characters ... are explicitly prohibited") or the file's end; said as
// what it is. nullopt for any other error.
inline std::optional<std::string> unclosed_string(std::string_view text, const SourcePosition& at,
                                                  std::string_view description) {
  if (description.find("parsing") == std::string_view::npos ||
      description.find("string") == std::string_view::npos)
    return std::nullopt;
  const bool at_end = description.find("end-of-file") != std::string_view::npos;
  if (!at_end && description.find("control characters") == std::string_view::npos)
    return std::nullopt;
  // The character at the error's place: a line feed (or CR) or nothing, for a string cut short.
  std::size_t offset = 0;
  for (int line = 1; line < at.line && offset < text.size(); ++line) {
    const std::size_t nl = text.find('\n', offset);
    if (nl == std::string_view::npos) return std::nullopt;
    offset = nl + 1;
  }
  // Columns count characters, not bytes.
  for (int column = 1; column < at.column && offset < text.size(); ++column) {
    ++offset;
    while (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80)
      ++offset;
  }
  if (offset < text.size() && text[offset] != '\n' && text[offset] != '\r') return std::nullopt;
  // At the file's end the string may be a multi-line one ("""...): its quote is not guessed.
  if (offset >= text.size())
    return std::string(
        "a string not closed before the end of the file: expected its closing "
        "quote");
  const char quote = description.find("literal") != std::string_view::npos ? '\'' : '"';
  return std::string("a string not closed before the end of the line: expected its closing ") +
         quote + " on the same line (\"\"\"...\"\"\" holds text over several lines)";
}

// TOML++'s description of a syntax error in the words of someone who writes a scenario, not
// of its parser ("Error while parsing key-value pair: cannot redefine existing floating-point
// 'secondary'" is "'secondary' is given twice in its table (first as a number)"): the cases
// bad files meet most; any other description is kept, less its "Error while parsing" prefix.
inline std::string syntax_in_words(std::string description) {
  while (!description.empty() && (description.back() == '\n' || description.back() == ' '))
    description.pop_back();
  static constexpr std::pair<std::string_view, std::string_view> kWhere[] = {
      {"Error while parsing key-value pair: ", "in a key = value line: "},
      {"Error while parsing table header: ", "in a [table] header: "},
      {"Error while parsing array-of-tables header: ", "in an [[array of tables]] header: "},
      {"Error while parsing inline table: ", "in an inline table { ... }: "},
      {"Error while parsing array: ", "in an array [ ... ]: "},
      {"Error while parsing date-time: ", "in a date: "},
      {"Error while parsing date: ", "in a date: "},
      {"Error while parsing time: ", "in a time of day: "},
      {"Error while parsing comment: ", "in a comment: "},
      {"Error while parsing value: ", "in a value: "},
      {"Error while parsing root table: ", ""},
      {"Error while parsing floating-point: ", "in a number: "},
      {"Error while parsing integer: ", "in a whole number: "},
      {"Error while parsing decimal integer: ", "in a whole number: "},
      {"Error while parsing hexadecimal integer: ", "in a whole number: "},
      {"Error while parsing boolean: ", "in true or false: "},
      {"Error while parsing string: ", "in a string: "},
      {"Error while parsing ", "in a "},
  };
  // A bare word (no quotes) that starts as nan, inf, true or false does: TOML++ read on for the
  // rest of that literal ("expected 'nan', saw 'no'").
  const bool word = (description.starts_with("Error while parsing floating-point: ") ||
                     description.starts_with("Error while parsing boolean: ")) &&
                    (description.find("expected 'nan'") != std::string::npos ||
                     description.find("expected 'inf'") != std::string::npos ||
                     description.find("expected 'true'") != std::string::npos ||
                     description.find("expected 'false'") != std::string::npos);
  if (word)
    return "this is not a TOML value: text needs quotes (\"text\"); numbers, true, false, dates "
           "and arrays [ ... ] do not";
  std::string where;
  for (const auto& [prefix, words] : kWhere)
    if (description.starts_with(prefix)) {
      where = words;
      description.erase(0, prefix.size());
      break;
    }
  // "cannot redefine existing TYPE 'KEY'": a key (or table) given twice.
  if (const std::size_t at = description.find("cannot redefine existing "); at == 0) {
    std::string rest = description.substr(std::string_view("cannot redefine existing ").size());
    const std::size_t quote = rest.find(" '");
    if (quote != std::string::npos) {
      const std::string type = rest.substr(0, quote), key = rest.substr(quote + 1);
      static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
          {"floating-point", "a number"},
          {"integer", "a whole number"},
          {"string", "a string"},
          {"boolean", "true or false"},
          {"date", "a date"},
          {"date-time", "a date"},
          {"time", "a time"},
          {"array", "an array"},
          {"table", "a table"}};
      std::string first = type;
      for (const auto& [name, words] : kTypes)
        if (type == name) first = words;
      if (type == "table" && where.starts_with("in a ["))
        return "the table " + key + " is given twice: give a table's keys under one header";
      return key + " is given twice in its table (first as " + first + "): give each key once";
    }
  }
  // A carriage return alone ends no line in TOML: a file saved with old Mac line ends (CR).
  if (description.find("expected '\\n' after '\\r'") != std::string::npos ||
      description.find("expected '\n' after '\r'") != std::string::npos)
    return "a carriage return (CR) without a line feed after it: lines end with LF or CR LF in "
           "TOML; save the file with LF line ends (this one may have old Mac line ends)";
  // "expected day between 1 and 28 (inclusive), saw 30": a date that is not in the calendar.
  for (const std::string_view part : {"day", "month", "hour", "minute", "second"}) {
    const std::string head = "expected " + std::string(part) + " between ";
    if (!description.starts_with(head)) continue;
    const std::size_t saw = description.find(", saw ");
    const std::size_t inclusive = description.find(" (inclusive)");
    if (saw == std::string::npos || inclusive == std::string::npos || inclusive > saw) break;
    const std::string range = description.substr(head.size(), inclusive - head.size());
    return where + "the " + std::string(part) + " " + description.substr(saw + 6) +
           " is not in the calendar (it is between " + range +
           (part == "day" ? " in that month" : "") + ")";
  }
  if (description == "encountered end-of-file")
    return where + "the file ends before it is complete (is the file cut short?)";
  if (description == "could not determine value type")
    return where +
           "this is not a TOML value: text needs quotes (\"text\"); numbers, true, false, "
           "dates and arrays [ ... ] do not";
  // TOML++'s grammar words inside what is left.
  for (const auto& [grammar, words] :
       {std::pair<std::string_view, std::string_view>{
            "value-terminator", "the value's end (a space, ',', ']', '}' or the line's end)"},
        {"bare key starting character or string delimiter",
         "a key (letters, digits, _ or -, or "
         "a quoted key)"}})
    if (const std::size_t at = description.find(grammar); at != std::string::npos)
      description.replace(at, grammar.size(), words);
  return where + description;
}

inline toml::table parse_text(std::string_view text, const std::string& source_name) {
  // A result file (HDF5's signature; a user block may put it at 512, 1024, ...) or any other
  // binary file is named as such, not as a TOML syntax error at 1:1.
  if (text.starts_with("\x89HDF\r\n\x1a\n") ||
      (text.size() > 520 && text.substr(512, 8) == "\x89HDF\r\n\x1a\n"))
    throw InputError(SourcePosition{source_name, 0, 0}, "",
                     "this is an HDF5 file (a result of interdep run or sweep), not a TOML text: "
                     "inspect, explain, compare, report and score read run files; inspect, "
                     "export, analyze, discover and score read sweep files");
  if (const auto encoding = other_encoding(text))
    throw InputError(SourcePosition{source_name, 1, 1}, "",
                     "this file is " + encoding->description +
                         ": expected UTF-8 text; save it as UTF-8 (iconv -f " +
                         encoding->iconv_name + " -t UTF-8 FILE > NEW_FILE)");
  if (text.substr(0, 4096).find('\0') != std::string_view::npos)
    throw InputError(SourcePosition{source_name, 0, 0}, "",
                     "this is a binary file (it holds NUL bytes), not a TOML text");
  // Before TOML++, which names such bytes at the character before them.
  if (const auto bad = first_bytes_not_utf8(text))
    throw InputError(SourcePosition{source_name, bad->line, bad->column}, "",
                     "bytes that are not UTF-8 (" + bad->bytes +
                         "): " + std::string(kLegacyEncodingAdvice) +
                         " (iconv -f LATIN1 -t UTF-8 FILE > NEW_FILE)");
  check_toml_limits(text, source_name);  // before TOML++ recurses into it
  toml::table doc;
  try {
    doc = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    SourcePosition where = position_of(e.source());
    const auto [written, column] = value_ending_at(text, where);
    if (auto message = number_beyond_range(written, e.description())) {
      where.column = column;
      throw InputError(where, "", *message);
    }
    if (auto message = unclosed_string(text, where, e.description()))
      throw InputError(where, "", *message);
    throw InputError(where, "",
                     "TOML syntax error: " + syntax_in_words(with_key_as_written(
                                                 std::string(e.description()), text, where)));
  }
  // Nesting is bounded (check_toml_limits): so is the recursion.
  refuse_control_characters(doc, "");
  normalise_to_nfc(doc, "");
  return doc;
}

}  // namespace interdep::detail
