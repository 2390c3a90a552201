// Text in an encoding other than UTF-8, known by its first bytes: what a spreadsheet's "Unicode
// text", Windows' Notepad or PowerShell's `>` write (UTF-16, UTF-32). Every text file interdep
// reads (scenarios, sweep, calibration and checks files, CSV) is UTF-8; these are named as what
// they are, with the command that converts them, rather than as NUL bytes or a syntax error.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace interdep {

struct OtherEncoding {
  std::string
      description;         // "UTF-16 text (little-endian: it begins with UTF-16's byte-order mark)"
  std::string iconv_name;  // the name iconv -f takes: "UTF-16", "UTF-16LE", "UTF-32"
};

// The encoding `text` is in, if its first bytes show one that is not UTF-8: UTF-32 or UTF-16 by
// their byte-order marks (UTF-32's first, which begin as UTF-16's do), or without one by the NUL
// bytes beside each of its first ASCII characters, always on the same side.
std::optional<OtherEncoding> other_encoding(std::string_view text);

// The length of the UTF-8 sequence at text[k], or 0 when it is not one: a continuation byte
// where a character starts, a lead byte that cannot start one (0xC0, 0xC1, above 0xF4), a
// sequence cut short, an overlong form, a surrogate, a code point above U+10FFFF.
std::size_t utf8_length(std::string_view text, std::size_t k);

// Appends code point `c` (at most U+10FFFF, not a surrogate) to `out` as UTF-8.
void append_utf8(std::string& out, char32_t c);

// "0xE9", as messages name a byte.
std::string hex_byte(unsigned char b);

// The bytes at text[k] that are not UTF-8, as messages name them: the byte and the continuation
// bytes after it (a sequence cut or malformed), up to four ("0xC3 0x28").
std::string bytes_not_utf8(std::string_view text, std::size_t k);

// Where `text` first holds bytes that are not UTF-8: line (1-based, lines end at a line feed)
// and column (1-based, in characters), and those bytes; nothing if it is all UTF-8.
struct NotUtf8 {
  int line = 0, column = 0;
  std::string bytes;
};
std::optional<NotUtf8> first_bytes_not_utf8(std::string_view text);

// What a message adds after bytes that are not UTF-8: the likely encoding and how to convert it.
inline constexpr std::string_view kLegacyEncodingAdvice =
    "expected UTF-8 text, and this file may be in Latin-1 or Windows-1252; save it as UTF-8";

}  // namespace interdep
