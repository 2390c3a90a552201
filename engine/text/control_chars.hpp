// Control characters in text users write (scenario names, labels, descriptions, command-line
// arguments) and in text read from files: C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F).
// A terminal acts on them instead of showing them: ESC (U+001B) starts sequences that recolour
// the terminal, move the cursor, retitle the window or write to the clipboard, BEL rings, CR
// overwrites the line, U+009B is an ESC [ of its own. The loaders refuse them where they are read
// (engine/scenario/toml_reader.hpp, `refuse_control_characters`), and whatever reaches a
// terminal from elsewhere (a result file another program wrote, an argument echoed in an error)
// is printed through `printable`. docs/scenario-format.md, "Names and text".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace interdep {

struct ControlCharacter {
  std::size_t offset = 0;  // byte offset in the text
  char32_t code = 0;       // the code point, e.g. 0x1B
};

// The first control character of `text`. Free text (`free_text`: a description) may hold line
// feeds and tabs, which are then not counted; nothing else may.
std::optional<ControlCharacter> first_control_character(std::string_view text, bool free_text);

// "U+001B", "U+0000 (NUL)" for a NUL, as messages name a control character.
std::string code_point_name(char32_t code);

// `text` with every control character but line feed and tab written as the escape a TOML or JSON
// string gives it (\u001B), so that printing it shows it instead of acting on the terminal.
std::string printable(std::string_view text);

}  // namespace interdep
