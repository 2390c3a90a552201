#include "engine/text/control_chars.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

#include "engine/text/text_encoding.hpp"

namespace interdep {
namespace {

// The invisible format characters refused in names, by code point (ranges where the standard
// names a block of them alike), with the name the Unicode standard gives each and whether free
// text may hold it. The one list of them: the loaders' checks, the messages and `printable` all
// read it (tools/plotlib/errors.py keeps the same set for Python; tests/python/test_module.py
// compares the two).
struct FormatCharacters {
  char32_t first, last;
  std::string_view name;
  bool free_text_may_hold;
};
constexpr FormatCharacters kFormatCharacters[] = {
    {0x00AD, 0x00AD, "SOFT HYPHEN", false},
    {0x061C, 0x061C, "ARABIC LETTER MARK", false},
    {0x180E, 0x180E, "MONGOLIAN VOWEL SEPARATOR", false},
    {0x200B, 0x200B, "ZERO WIDTH SPACE", false},
    {0x200C, 0x200C, "ZERO WIDTH NON-JOINER", true},  // joins or parts letters in Persian, Hindi
    {0x200D, 0x200D, "ZERO WIDTH JOINER", true},      // the same, and emoji sequences
    {0x200E, 0x200E, "LEFT-TO-RIGHT MARK", false},
    {0x200F, 0x200F, "RIGHT-TO-LEFT MARK", false},
    {0x202A, 0x202A, "LEFT-TO-RIGHT EMBEDDING", false},
    {0x202B, 0x202B, "RIGHT-TO-LEFT EMBEDDING", false},
    {0x202C, 0x202C, "POP DIRECTIONAL FORMATTING", false},
    {0x202D, 0x202D, "LEFT-TO-RIGHT OVERRIDE", false},
    {0x202E, 0x202E, "RIGHT-TO-LEFT OVERRIDE", false},
    {0x2060, 0x2060, "WORD JOINER", false},
    {0x2061, 0x2061, "FUNCTION APPLICATION", false},
    {0x2062, 0x2062, "INVISIBLE TIMES", false},
    {0x2063, 0x2063, "INVISIBLE SEPARATOR", false},
    {0x2064, 0x2064, "INVISIBLE PLUS", false},
    {0x2066, 0x2066, "LEFT-TO-RIGHT ISOLATE", false},
    {0x2067, 0x2067, "RIGHT-TO-LEFT ISOLATE", false},
    {0x2068, 0x2068, "FIRST STRONG ISOLATE", false},
    {0x2069, 0x2069, "POP DIRECTIONAL ISOLATE", false},
    // Deprecated shaping controls: invisible, and no text today needs them.
    {0x206A, 0x206A, "INHIBIT SYMMETRIC SWAPPING", false},
    {0x206B, 0x206B, "ACTIVATE SYMMETRIC SWAPPING", false},
    {0x206C, 0x206C, "INHIBIT ARABIC FORM SHAPING", false},
    {0x206D, 0x206D, "ACTIVATE ARABIC FORM SHAPING", false},
    {0x206E, 0x206E, "NATIONAL DIGIT SHAPES", false},
    {0x206F, 0x206F, "NOMINAL DIGIT SHAPES", false},
    {0xFEFF, 0xFEFF, "ZERO WIDTH NO-BREAK SPACE", false},  // the byte-order mark, but at a start
    {0xFFF9, 0xFFF9, "INTERLINEAR ANNOTATION ANCHOR", false},
    {0xFFFA, 0xFFFA, "INTERLINEAR ANNOTATION SEPARATOR", false},
    {0xFFFB, 0xFFFB, "INTERLINEAR ANNOTATION TERMINATOR", false},
    // Tags: an invisible copy of ASCII ("ASCII smuggling": text a reader does not see).
    {0xE0001, 0xE0001, "LANGUAGE TAG", false},
    {0xE0020, 0xE007F, "a TAG character", false},
};
// Sorted and apart, for the binary search below. (No std::ranges: the lab's WebAssembly build,
// tools/lab, has a C++ library without its algorithms.)
constexpr bool sorted_apart() {
  for (std::size_t k = 0; k < std::size(kFormatCharacters); ++k)
    if (kFormatCharacters[k].first > kFormatCharacters[k].last ||
        (k > 0 && kFormatCharacters[k - 1].last >= kFormatCharacters[k].first))
      return false;
  return true;
}
static_assert(sorted_apart());

const FormatCharacters* format_character(char32_t code) {
  const auto* found =
      std::lower_bound(std::begin(kFormatCharacters), std::end(kFormatCharacters), code,
                       [](const FormatCharacters& entry, char32_t c) { return entry.last < c; });
  return found != std::end(kFormatCharacters) && found->first <= code ? found : nullptr;
}

constexpr bool is_control(char32_t code) { return code < 0x20 || (code >= 0x7F && code <= 0x9F); }

// Free text runs over lines and is indented.
constexpr bool free_text_control(char32_t code) { return code == '\n' || code == '\t'; }

// The character at text[k]: its code point and the bytes it takes, and whether a text of `kind`
// may hold it. A byte that is not UTF-8 takes one byte, its code the byte.
struct Scanned {
  char32_t code = 0;
  std::size_t length = 1;
  std::optional<RefusedCharacter::Class> refused;
};
Scanned scan(std::string_view text, std::size_t k, TextKind kind) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[k + i]); };
  const char32_t lead = byte(0);
  if (lead < 0x80) {  // ASCII: no table look-up
    if (lead >= 0x20 && lead != 0x7F) return {lead, 1, std::nullopt};
    if (kind == TextKind::free_text && free_text_control(lead)) return {lead, 1, std::nullopt};
    return {lead, 1, RefusedCharacter::Class::control};
  }
  const std::size_t length = utf8_length(text, k);
  if (length == 0) return {lead, 1, RefusedCharacter::Class::not_utf8};
  char32_t code = lead & (0x7F >> length);  // the lead byte's payload
  for (std::size_t i = 1; i < length; ++i) code = (code << 6) | (byte(i) & 0x3F);
  if (is_control(code)) return {code, length, RefusedCharacter::Class::control};  // C1
  const FormatCharacters* format = format_character(code);
  if (format == nullptr || (kind == TextKind::free_text && format->free_text_may_hold))
    return {code, length, std::nullopt};
  return {code, length, RefusedCharacter::Class::format};
}

}  // namespace

std::optional<RefusedCharacter> first_refused_character(std::string_view text, TextKind kind) {
  for (std::size_t k = 0; k < text.size();) {
    const auto byte = static_cast<unsigned char>(text[k]);
    if (byte >= 0x20 && byte < 0x7F) {  // printable ASCII, nearly every byte of a scenario
      ++k;
      continue;
    }
    const Scanned scanned = scan(text, k, kind);
    if (scanned.refused) return RefusedCharacter{k, scanned.code, *scanned.refused};
    k += scanned.length;
  }
  return std::nullopt;
}

std::string code_point_name(char32_t code) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(code));
  if (code == 0) return std::string(buffer) + " (NUL)";
  if (const FormatCharacters* format = format_character(code))
    return std::string(buffer) + " (" + std::string(format->name) + ")";
  return buffer;
}

std::string refused_character_name(const RefusedCharacter& found) {
  switch (found.kind) {
    case RefusedCharacter::Class::control:
      return "control character " + code_point_name(found.code);
    case RefusedCharacter::Class::format:
      return "invisible format character " + code_point_name(found.code);
    case RefusedCharacter::Class::not_utf8: break;
  }
  return "byte " + hex_byte(static_cast<unsigned char>(found.code)) + " that is not UTF-8";
}

std::string_view refusal_reason(const RefusedCharacter& found) {
  switch (found.kind) {
    case RefusedCharacter::Class::control: return "printed, it would act on the terminal";
    case RefusedCharacter::Class::format: return "it reorders or hides text on screen";
    case RefusedCharacter::Class::not_utf8: break;
  }
  return "expected UTF-8 text";
}

bool only_free_text_may_hold(char32_t code) {
  if (free_text_control(code)) return true;
  const FormatCharacters* format = format_character(code);
  return format != nullptr && format->free_text_may_hold;
}

std::string printable(std::string_view text, TextKind kind) {
  const auto first = first_refused_character(text, kind);
  if (!first) return std::string(text);
  std::string out(text.substr(0, first->offset));
  out.reserve(text.size() + 16);
  for (std::size_t k = first->offset; k < text.size();) {
    const Scanned scanned = scan(text, k, kind);
    if (!scanned.refused) {
      out.append(text.substr(k, scanned.length));
    } else {
      char buffer[12];
      // \U and eight digits above U+FFFF, as TOML and Python write them (\u takes four).
      const auto code = static_cast<unsigned>(scanned.code);
      if (*scanned.refused == RefusedCharacter::Class::not_utf8)
        std::snprintf(buffer, sizeof buffer, "\\x%02X", code);
      else if (code > 0xFFFF)
        std::snprintf(buffer, sizeof buffer, "\\U%08X", code);
      else
        std::snprintf(buffer, sizeof buffer, "\\u%04X", code);
      out += buffer;
    }
    k += scanned.length;
  }
  return out;
}

}  // namespace interdep
