#include "engine/text/control_chars.hpp"

#include <cstdio>

namespace interdep {
namespace {

// The control character at text[k], with the bytes it takes, or a code of 0 and length 0 when
// text[k] starts none. C1 characters are U+0080–U+009F: C2 80 to C2 9F in UTF-8.
struct Found {
  char32_t code = 0;
  std::size_t length = 0;
};
Found control_at(std::string_view text, std::size_t k) {
  const auto byte = static_cast<unsigned char>(text[k]);
  if (byte < 0x20 || byte == 0x7F) return {byte, 1};
  if (byte == 0xC2 && k + 1 < text.size()) {
    const auto next = static_cast<unsigned char>(text[k + 1]);
    if (next >= 0x80 && next <= 0x9F) return {next, 2};
  }
  return {};
}

}  // namespace

std::optional<ControlCharacter> first_control_character(std::string_view text, bool free_text) {
  for (std::size_t k = 0; k < text.size(); ++k) {
    const Found found = control_at(text, k);
    if (found.length == 0) continue;
    if (free_text && (found.code == '\n' || found.code == '\t')) continue;
    return ControlCharacter{k, found.code};
  }
  return std::nullopt;
}

std::string code_point_name(char32_t code) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(code));
  return code == 0 ? std::string(buffer) + " (NUL)" : std::string(buffer);
}

std::string printable(std::string_view text) {
  if (!first_control_character(text, true)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t k = 0; k < text.size(); ++k) {
    const Found found = control_at(text, k);
    if (found.length == 0 || found.code == '\n' || found.code == '\t') {
      out += text[k];
      continue;
    }
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "\\u%04X", static_cast<unsigned>(found.code));
    out += buffer;
    k += found.length - 1;
  }
  return out;
}

}  // namespace interdep
