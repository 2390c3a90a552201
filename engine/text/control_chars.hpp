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
//   the tags U+E0001, U+E0020–U+E007F show nothing. An actor "PAK\u202E" or a label holding
//   U+200B looks like another and is a different key; an error message holding U+202E shows the
//   rest of its line reversed.
//
// Names, keys, labels, codes and every other string are `TextKind::name`: they hold none of them.
// Free text (`TextKind::free_text`: a description, a source) may run over lines and hold line
// feeds and tabs, and the zero-width non-joiner and joiner (U+200C, U+200D), which Persian, Urdu
// and Indic prose and emoji sequences need; nothing else, bidirectional controls included (they
// can hide text). The loaders refuse them where they are read (engine/scenario/toml_reader.hpp,
// `refuse_control_characters`; csv_table.cpp; --set, --label), and whatever reaches a terminal
// from elsewhere (a result file another program wrote, an argument echoed in an error) is
// printed through `printable`. docs/scenario-format.md, "Names and text".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace interdep {

// What a text is, for the characters it may hold.
enum class TextKind {
  name,       // keys, names, labels, codes, units, paths: one line, compared as names
  free_text,  // a description or a source: prose, which may also hold \n, \t, U+200C, U+200D
};

struct RefusedCharacter {
  enum class Class {
    control,   // C0, DEL, C1: a terminal acts on it
    format,    // an invisible or bidirectional format character: reorders or hides text
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
// character U+202E (RIGHT-TO-LEFT OVERRIDE)", "byte 0xFF that is not UTF-8".
std::string refused_character_name(const RefusedCharacter& found);

// Why `found` is refused, as a message says it after the colon: "printed, it would act on the
// terminal", "it reorders or hides text on screen", "expected UTF-8 text".
std::string_view refusal_reason(const RefusedCharacter& found);

// Whether free text (a description, a source) may hold `code` while a name may not: line feed,
// tab, U+200C and U+200D. Messages about a name say so.
bool only_free_text_may_hold(char32_t code);

// `text` with every character a text of `kind` may not hold written as the escape a TOML string
// gives it (\u001B, \u202E, \U000E0041), and every byte that is not UTF-8 as \xFF, so that
// printing it shows it instead of acting on the terminal or reordering the line. `free_text`
// (the default, for messages and for texts of any kind read from files) keeps line feeds, tabs
// and U+200C, U+200D; `name` escapes them too, so that a message refusing a name shows where
// they are.
std::string printable(std::string_view text, TextKind kind = TextKind::free_text);

}  // namespace interdep
