// User-input errors: exceptions that carry where (file, line, column), which key and what was
// expected. Internal invariants use assert() instead.
#pragma once

#include <stdexcept>
#include <string>

namespace interdep {

struct SourcePosition {
  std::string file;  // path, or "--set" for command-line overrides
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
};

// Whether `where` is a command-line override's ("--set KEY=VALUE"; the lab's controls are ones).
inline bool is_override(const SourcePosition& where) { return where.file.rfind("--set", 0) == 0; }

// Where something was set, for a message about another key: "FILE:LINE", "--set KEY=VALUE" (a
// command-line override has no line of its own), or "" when nowhere (a default).
inline std::string place_of(const SourcePosition& where) {
  if (is_override(where)) return where.file;
  if (where.line <= 0) return "";
  return where.file + ":" + std::to_string(where.line);
}

// A thing given twice, at two keys of one file: the error goes to the one later in the file and
// names the other (TOML++ gives a table's keys in sorted order, not in the order written).
struct GivenTwice {
  SourcePosition later, earlier;
  std::string later_key, earlier_key;
};
inline GivenTwice given_twice(SourcePosition a, std::string key_a, SourcePosition b,
                              std::string key_b) {
  if (a.line < b.line) return {std::move(b), std::move(a), std::move(key_b), std::move(key_a)};
  return {std::move(a), std::move(b), std::move(key_a), std::move(key_b)};
}

class InputError : public std::runtime_error {
 public:
  InputError(SourcePosition where, std::string key, std::string message)
      : std::runtime_error(format(where, key, message)),
        where_(std::move(where)),
        key_(std::move(key)),
        message_(std::move(message)) {}

  const SourcePosition& where() const { return where_; }
  const std::string& key() const { return key_; }
  const std::string& message() const { return message_; }
  // what() whole: a file name or a value holding a NUL ends what() there.
  std::string text() const { return format(where_, key_, message_); }

 private:
  static std::string format(const SourcePosition& w, const std::string& key,
                            const std::string& message) {
    std::string s = w.file.empty() ? std::string("<input>") : w.file;
    if (w.line > 0) {
      s.append(":").append(std::to_string(w.line));
      if (w.column > 0) s.append(":").append(std::to_string(w.column));
    }
    s.append(": error");
    if (!key.empty()) s.append(": key '").append(key).append("'");
    s.append(": ").append(message);
    return s;
  }
  SourcePosition where_;
  std::string key_;
  std::string message_;
};

}  // namespace interdep
