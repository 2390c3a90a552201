#include "engine/scenario/toml_limits.hpp"

#include "engine/scenario/errors.hpp"

namespace interdep::detail {

void check_toml_limits(std::string_view text, const std::string& source_name) {
  std::size_t depth = 0;     // open [ and { outside strings and comments
  std::size_t dots = 0;      // dots in the current key or value, outside strings
  int line = 1, column = 1;  // of text[k]
  const auto fail = [&](const std::string& message) {
    throw InputError(SourcePosition{source_name, line, column}, "", message);
  };
  std::size_t k = 0;
  const auto starts = [&](std::string_view s) { return text.substr(k, s.size()) == s; };
  const auto advance = [&] {
    if (text[k] == '\n') {
      ++line;
      column = 0;
    }
    ++column;
    ++k;
  };
  while (k < text.size()) {
    const char c = text[k];
    if (c == '#') {  // a comment, to the end of the line
      while (k < text.size() && text[k] != '\n') advance();
      continue;
    }
    if (c == '"' || c == '\'') {  // a string: basic or literal, one line or several
      const std::string_view quote = starts(c == '"' ? "\"\"\"" : "'''")
                                         ? std::string_view(c == '"' ? "\"\"\"" : "'''")
                                         : std::string_view(c == '"' ? "\"" : "'");
      for (std::size_t q = 0; q < quote.size(); ++q) advance();
      while (k < text.size() && !starts(quote)) {
        if (c == '"' && text[k] == '\\' && k + 1 < text.size()) advance();  // an escape
        if (quote.size() == 1 && text[k] == '\n') break;  // unterminated: TOML++ reports it
        advance();
      }
      for (std::size_t q = 0; q < quote.size() && k < text.size(); ++q) advance();
      continue;
    }
    switch (c) {
      case '[':
      case '{':
        if (++depth > kMaxTomlNesting)
          fail("arrays, inline tables or table headers nested more than " +
               std::to_string(kMaxTomlNesting) + " deep");
        dots = 0;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        dots = 0;
        break;
      case '=':
      case ',':
      case '\n': dots = 0; break;
      case '.':
        if (++dots >= kMaxTomlKeyParts)
          fail("a key of more than " + std::to_string(kMaxTomlKeyParts) +
               " dotted parts; no file interdep reads needs more than a few");
        break;
      default: break;
    }
    advance();
  }
}

}  // namespace interdep::detail
