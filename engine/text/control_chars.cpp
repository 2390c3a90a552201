#include "engine/text/control_chars.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

#include "engine/text/text_encoding.hpp"

namespace interdep {
namespace {

// The invisible characters refused in names, by code point (ranges where the standard names a
// block of them alike), with the name the Unicode standard gives each and where a text may hold
// it. They are Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt: a
// renderer shows nothing for them, assigned or not), the line and paragraph separators, and the
// interlinear annotation characters. The one list of them: the loaders' checks, the messages and
// `printable` all read it (tools/plotlib/errors.py keeps the same set for Python;
// tests/python/test_module.py compares the two).
enum class MayHold {
  nothing,    // no text: bidirectional controls, zero-width spaces, fillers, reserved code points
  free_text,  // a description or a source, which some scripts' prose or notation needs
  // free text, and a name right after a character that is not ASCII: the selectors that choose
  // how the character before them is drawn (an emoji "❤\uFE0F", a CJK ideograph's variant).
  // After ASCII, a space or at a name's start they vary nothing and show nothing: "PAK\uFE0F"
  // would look like "PAK".
  after_non_ascii,
};
struct FormatCharacters {
  char32_t first, last;
  std::string_view name;
  MayHold may_hold;
  std::string_view what = "invisible format character";
};
constexpr std::string_view kReserved = "a reserved default-ignorable code point";
constexpr std::string_view kInvisible = "invisible character";
constexpr FormatCharacters kFormatCharacters[] = {
    {0x00AD, 0x00AD, "SOFT HYPHEN", MayHold::nothing},
    {0x034F, 0x034F, "COMBINING GRAPHEME JOINER", MayHold::after_non_ascii, kInvisible},
    {0x061C, 0x061C, "ARABIC LETTER MARK", MayHold::nothing},
    // Conjoining jamo fillers: old Hangul spells syllables with them; alone they show nothing.
    {0x115F, 0x115F, "HANGUL CHOSEONG FILLER", MayHold::free_text, kInvisible},
    {0x1160, 0x1160, "HANGUL JUNGSEONG FILLER", MayHold::free_text, kInvisible},
    // Deprecated Khmer vowels that draw nothing (the Unicode standard: "should not be used").
    {0x17B4, 0x17B4, "KHMER VOWEL INHERENT AQ", MayHold::nothing, kInvisible},
    {0x17B5, 0x17B5, "KHMER VOWEL INHERENT AA", MayHold::nothing, kInvisible},
    {0x180B, 0x180D, "a MONGOLIAN FREE VARIATION SELECTOR", MayHold::after_non_ascii},
    {0x180E, 0x180E, "MONGOLIAN VOWEL SEPARATOR", MayHold::nothing},
    {0x180F, 0x180F, "MONGOLIAN FREE VARIATION SELECTOR FOUR", MayHold::after_non_ascii},
    {0x200B, 0x200B, "ZERO WIDTH SPACE", MayHold::nothing},
    {0x200C, 0x200C, "ZERO WIDTH NON-JOINER", MayHold::free_text},  // Persian, Hindi prose
    {0x200D, 0x200D, "ZERO WIDTH JOINER", MayHold::free_text},      // the same, emoji sequences
    {0x200E, 0x200E, "LEFT-TO-RIGHT MARK", MayHold::nothing},
    {0x200F, 0x200F, "RIGHT-TO-LEFT MARK", MayHold::nothing},
    // A line break of its own that word processors paste: prose may break a line with it; a
    // name is one line.
    {0x2028, 0x2028, "LINE SEPARATOR", MayHold::free_text, "line break"},
    {0x2029, 0x2029, "PARAGRAPH SEPARATOR", MayHold::free_text, "line break"},
    {0x202A, 0x202A, "LEFT-TO-RIGHT EMBEDDING", MayHold::nothing},
    {0x202B, 0x202B, "RIGHT-TO-LEFT EMBEDDING", MayHold::nothing},
    {0x202C, 0x202C, "POP DIRECTIONAL FORMATTING", MayHold::nothing},
    {0x202D, 0x202D, "LEFT-TO-RIGHT OVERRIDE", MayHold::nothing},
    {0x202E, 0x202E, "RIGHT-TO-LEFT OVERRIDE", MayHold::nothing},
    {0x2060, 0x2060, "WORD JOINER", MayHold::nothing},
    {0x2061, 0x2061, "FUNCTION APPLICATION", MayHold::nothing},
    {0x2062, 0x2062, "INVISIBLE TIMES", MayHold::nothing},
    {0x2063, 0x2063, "INVISIBLE SEPARATOR", MayHold::nothing},
    {0x2064, 0x2064, "INVISIBLE PLUS", MayHold::nothing},
    {0x2065, 0x2065, kReserved, MayHold::nothing, kInvisible},
    {0x2066, 0x2066, "LEFT-TO-RIGHT ISOLATE", MayHold::nothing},
    {0x2067, 0x2067, "RIGHT-TO-LEFT ISOLATE", MayHold::nothing},
    {0x2068, 0x2068, "FIRST STRONG ISOLATE", MayHold::nothing},
    {0x2069, 0x2069, "POP DIRECTIONAL ISOLATE", MayHold::nothing},
    // Deprecated shaping controls: invisible, and no text today needs them.
    {0x206A, 0x206A, "INHIBIT SYMMETRIC SWAPPING", MayHold::nothing},
    {0x206B, 0x206B, "ACTIVATE SYMMETRIC SWAPPING", MayHold::nothing},
    {0x206C, 0x206C, "INHIBIT ARABIC FORM SHAPING", MayHold::nothing},
    {0x206D, 0x206D, "ACTIVATE ARABIC FORM SHAPING", MayHold::nothing},
    {0x206E, 0x206E, "NATIONAL DIGIT SHAPES", MayHold::nothing},
    {0x206F, 0x206F, "NOMINAL DIGIT SHAPES", MayHold::nothing},
    // A letter that draws nothing: the "invisible identifier" of the Hangul filler backdoors.
    {0x3164, 0x3164, "HANGUL FILLER", MayHold::nothing, kInvisible},
    {0xFE00, 0xFE0F, "a VARIATION SELECTOR", MayHold::after_non_ascii},
    {0xFEFF, 0xFEFF, "ZERO WIDTH NO-BREAK SPACE", MayHold::nothing},  // the byte-order mark
    {0xFFA0, 0xFFA0, "HALFWIDTH HANGUL FILLER", MayHold::nothing, kInvisible},
    {0xFFF0, 0xFFF8, kReserved, MayHold::nothing, kInvisible},
    {0xFFF9, 0xFFF9, "INTERLINEAR ANNOTATION ANCHOR", MayHold::nothing},
    {0xFFFA, 0xFFFA, "INTERLINEAR ANNOTATION SEPARATOR", MayHold::nothing},
    {0xFFFB, 0xFFFB, "INTERLINEAR ANNOTATION TERMINATOR", MayHold::nothing},
    // Notation of their own (Duployan shorthand, music's beams and slurs): prose may quote it.
    {0x1BCA0, 0x1BCA3, "a SHORTHAND FORMAT control", MayHold::free_text},
    {0x1D173, 0x1D17A, "a MUSICAL SYMBOL format control", MayHold::free_text},
    {0xE0000, 0xE0000, kReserved, MayHold::nothing, kInvisible},
    // Tags: an invisible copy of ASCII ("ASCII smuggling": text a reader does not see).
    {0xE0001, 0xE0001, "LANGUAGE TAG", MayHold::nothing},
    {0xE0002, 0xE001F, kReserved, MayHold::nothing, kInvisible},
    {0xE0020, 0xE007F, "a TAG character", MayHold::nothing},
    {0xE0080, 0xE00FF, kReserved, MayHold::nothing, kInvisible},
    {0xE0100, 0xE01EF, "a VARIATION SELECTOR (supplement)", MayHold::after_non_ascii},
    {0xE01F0, 0xE0FFF, kReserved, MayHold::nothing, kInvisible},
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

// What a message calls the refused character `code` of the table: "invisible format character".
std::string_view what_is(char32_t code) {
  const FormatCharacters* format = format_character(code);
  return format != nullptr ? format->what : "invisible format character";
}

constexpr bool is_control(char32_t code) { return code < 0x20 || (code >= 0x7F && code <= 0x9F); }

// Free text runs over lines and is indented.
constexpr bool free_text_control(char32_t code) { return code == '\n' || code == '\t'; }

// Unicode's space separators (general category Zs) beyond ASCII's space: a selector after one
// varies nothing.
constexpr bool is_space_separator(char32_t code) {
  return code == 0x00A0 || code == 0x1680 || (code >= 0x2000 && code <= 0x200A) || code == 0x202F ||
         code == 0x205F || code == 0x3000;
}

// Whether a selector (MayHold::after_non_ascii) after `before` (0: at the text's start) has a
// character to vary: one beyond ASCII that is neither a space nor itself invisible.
bool selects_a_variant(char32_t before) {
  return before >= 0x80 && !is_space_separator(before) && format_character(before) == nullptr;
}

// The character at text[k], after the character `before` (0 at the start): its code point and
// the bytes it takes, and whether a text of `kind` may hold it. A byte that is not UTF-8 takes
// one byte, its code the byte.
struct Scanned {
  char32_t code = 0;
  std::size_t length = 1;
  std::optional<RefusedCharacter::Class> refused;
};
Scanned scan(std::string_view text, std::size_t k, TextKind kind, char32_t before) {
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
  const bool held = format == nullptr ||
                    (kind == TextKind::free_text && format->may_hold != MayHold::nothing) ||
                    (format->may_hold == MayHold::after_non_ascii && selects_a_variant(before));
  return {code, length, held ? std::nullopt : std::optional(RefusedCharacter::Class::format)};
}

}  // namespace

std::optional<RefusedCharacter> first_refused_character(std::string_view text, TextKind kind) {
  char32_t before = 0;
  for (std::size_t k = 0; k < text.size();) {
    const auto byte = static_cast<unsigned char>(text[k]);
    if (byte >= 0x20 && byte < 0x7F) {  // printable ASCII, nearly every byte of a scenario
      before = byte;
      ++k;
      continue;
    }
    const Scanned scanned = scan(text, k, kind, before);
    if (scanned.refused) return RefusedCharacter{k, scanned.code, *scanned.refused};
    before = scanned.code;
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
      return std::string(what_is(found.code)) + " " + code_point_name(found.code);
    case RefusedCharacter::Class::not_utf8: break;
  }
  return "byte " + hex_byte(static_cast<unsigned char>(found.code)) + " that is not UTF-8";
}

std::string_view refusal_reason(const RefusedCharacter& found) {
  switch (found.kind) {
    case RefusedCharacter::Class::control: return "printed, it would act on the terminal";
    case RefusedCharacter::Class::format:
      return what_is(found.code) == "line break" ? "it breaks the line on screen"
                                                 : "it reorders or hides text on screen";
    case RefusedCharacter::Class::not_utf8: break;
  }
  return "expected UTF-8 text";
}

bool only_free_text_may_hold(char32_t code) {
  if (free_text_control(code)) return true;
  const FormatCharacters* format = format_character(code);
  return format != nullptr && format->may_hold != MayHold::nothing;
}

bool name_may_hold_after_a_character(char32_t code) {
  const FormatCharacters* format = format_character(code);
  return format != nullptr && format->may_hold == MayHold::after_non_ascii;
}

std::string printable(std::string_view text, TextKind kind) {
  if (!first_refused_character(text, kind)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 16);
  char32_t before = 0;
  for (std::size_t k = 0; k < text.size();) {
    const Scanned scanned = scan(text, k, kind, before);
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
    before = scanned.code;
    k += scanned.length;
  }
  return out;
}

}  // namespace interdep
