// Characters refused in text users write (scenario names, labels, keys, descriptions, command-line
// arguments, CSV cells) and escaped in text printed from elsewhere, defined once here
// (control_chars.cpp, kFormatCharacters and is_control):
//
// - Control characters: C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F). A terminal acts
//   on them instead of showing them: ESC (U+001B) starts sequences that recolour the terminal,
//   move the cursor, retitle the window or write to the clipboard, BEL rings, CR overwrites the
//   line, U+009B is an ESC [ of its own.
// - Invisible format characters, the "Trojan Source" class (CVE-2021-42574): bidirectional
//   embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and marks (U+200E, U+200F,
//   U+061C) reorder the text around them on screen; zero-width characters (U+200B–U+200D,
//   U+2060–U+2064, U+FEFF), the soft hyphen U+00AD, U+180E, U+206A–U+206F, U+FFF9–U+FFFB and
//   the tags U+E0001, U+E0020–U+E007F show nothing. So does the rest of Unicode's
//   Default_Ignorable_Code_Point property: the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0;
//   U+3164 is the "invisible identifier" of JavaScript backdoors), the combining grapheme joiner
//   U+034F, variation selectors (U+180B–U+180D, U+180F, U+FE00–U+FE0F, U+E0100–U+E01EF), Khmer's
//   U+17B4 and U+17B5, and the reserved code points U+2065, U+FFF0–U+FFF8, U+E0000–U+E0FFF. An
//   actor "PAK\u202E" or a label holding U+200B or U+3164 looks like another and is a different
//   key; an error message holding U+202E shows the rest of its line reversed.
// - The line and paragraph separators U+2028 and U+2029 break a line of their own.
//
// Names, keys, labels, codes and every other string are `TextKind::name`: they hold none of them,
// but for a variation selector or the grapheme joiner right after a character beyond ASCII that
// it varies (an emoji's "❤\uFE0F"; after ASCII, a space or at the start it varies nothing).
// Free text (`TextKind::free_text`: a description, a source) may run over lines and hold line
// feeds, tabs, U+2028 and U+2029, the zero-width non-joiner and joiner (U+200C, U+200D), which
// Persian, Urdu and Indic prose and emoji sequences need, the selectors and the grapheme joiner
// anywhere, the conjoining Hangul fillers U+115F and U+1160 of old Hangul, and the notation
// controls of Duployan shorthand and music (U+1BCA0–U+1BCA3, U+1D173–U+1D17A); nothing else,
// bidirectional controls included (they can hide text). The loaders refuse them where they are
// read (engine/scenario/toml_reader.hpp, `refuse_control_characters`; csv_table.cpp; --set,
// --label), and whatever reaches a terminal from elsewhere (a result file another program wrote,
// an argument echoed in an error) is printed through `printable`. docs/scenario-format.md, "Names
// and text".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace interdep {

// What a text is, for the characters it may hold.
enum class TextKind {
  name,       // keys, names, labels, codes, units, paths: one line, compared as names
  free_text,  // a description or a source: prose, which may also hold \n, \t, U+200C, U+200D...
};

struct RefusedCharacter {
  enum class Class {
    control,   // C0, DEL, C1: a terminal acts on it
    format,    // an invisible, bidirectional or line-breaking character: reorders or hides text
    not_utf8,  // a byte that does not start a UTF-8 sequence, or a sequence cut or malformed
  };
  std::size_t offset = 0;  // byte offset in the text
  char32_t code = 0;       // the code point, e.g. 0x1B, 0x202E; for not_utf8, the byte
  Class kind = Class::control;
};

// The first character of `text` that a text of `kind` may not hold (see above).
std::optional<RefusedCharacter> first_refused_character(std::string_view text, TextKind kind);

// "U+001B", "U+0000 (NUL)" for a NUL, "U+202E (RIGHT-TO-LEFT OVERRIDE)" for a format
// character, as messages name a code point.
std::string code_point_name(char32_t code);

// What `found` is, as a message names it: "control character U+001B", "invisible format
// character U+202E (RIGHT-TO-LEFT OVERRIDE)", "invisible character U+3164 (HANGUL FILLER)",
// "line break U+2028 (LINE SEPARATOR)", "byte 0xFF that is not UTF-8".
std::string refused_character_name(const RefusedCharacter& found);

// Why `found` is refused, as a message says it after the colon: "printed, it would act on the
// terminal", "it reorders or hides text on screen", "it breaks the line on screen", "expected
// UTF-8 text".
std::string_view refusal_reason(const RefusedCharacter& found);

// Whether free text (a description, a source) may hold `code` where a name may not: line feed,
// tab, U+200C, U+200D, U+2028, the selectors... Messages about a name say so.
bool only_free_text_may_hold(char32_t code);

// Whether a name may hold `code` right after a character beyond ASCII that it varies (the
// variation selectors, the combining grapheme joiner), though nowhere else. Messages say so.
bool name_may_hold_after_a_character(char32_t code);

// `text` with every character a text of `kind` may not hold written as the escape a TOML string
// gives it (\u001B, \u202E, \U000E0041), and every byte that is not UTF-8 as \xFF, so that
// printing it shows it instead of acting on the terminal or reordering the line. `free_text`
// (the default, for messages and for texts of any kind read from files) keeps line feeds, tabs,
// U+200C, U+200D and the rest free text may hold; `name` escapes them too, so that a message refusing a name shows where
// they are.
std::string printable(std::string_view text, TextKind kind = TextKind::free_text);

}  // namespace interdep
