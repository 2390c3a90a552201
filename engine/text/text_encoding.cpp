#include "engine/text/text_encoding.hpp"

#include <algorithm>
#include <cstddef>

namespace interdep {
namespace {

// "little-endian", "big-endian" or "": whether each of the first pairs of bytes has one NUL,
// always on the same side (ASCII characters in UTF-16).
std::string utf16_without_mark(std::string_view text) {
  const std::size_t pairs = std::min<std::size_t>(text.size() / 2, 64);
  if (pairs < 2) return "";
  std::size_t little = 0, big = 0;
  for (std::size_t p = 0; p < pairs; ++p) {
    const char a = text[2 * p], b = text[2 * p + 1];
    little += a != '\0' && b == '\0';
    big += a == '\0' && b != '\0';
  }
  return little == pairs ? "little-endian" : big == pairs ? "big-endian" : "";
}

// "little-endian", "big-endian" or "": whether each of the first groups of four bytes is one
// ASCII character and three NULs, always at the same place (UTF-32 without a byte-order mark).
std::string utf32_without_mark(std::string_view text) {
  const std::size_t groups = std::min<std::size_t>(text.size() / 4, 32);
  if (groups < 2) return "";
  std::size_t little = 0, big = 0;
  for (std::size_t g = 0; g < groups; ++g) {
    const std::string_view q = text.substr(4 * g, 4);
    little += q[0] != '\0' && q.substr(1) == std::string_view("\0\0\0", 3);
    big += q[3] != '\0' && q.substr(0, 3) == std::string_view("\0\0\0", 3);
  }
  return little == groups ? "little-endian" : big == groups ? "big-endian" : "";
}

}  // namespace

std::optional<OtherEncoding> other_encoding(std::string_view text) {
  if (text.starts_with(std::string_view("\xFF\xFE\0\0", 4)) ||
      text.starts_with(std::string_view("\0\0\xFE\xFF", 4)))
    return OtherEncoding{"UTF-32 text (it begins with UTF-32's byte-order mark)", "UTF-32"};
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF"))
    return OtherEncoding{std::string("UTF-16 text (") + (text[0] == '\xFF' ? "little" : "big") +
                             "-endian: it begins with UTF-16's byte-order mark)",
                         "UTF-16"};
  if (const std::string order = utf32_without_mark(text); !order.empty())
    return OtherEncoding{"UTF-32 text (" + order +
                             ", without a byte-order mark: three NUL bytes beside each of its "
                             "first characters)",
                         order == "little-endian" ? "UTF-32LE" : "UTF-32BE"};
  if (const std::string order = utf16_without_mark(text); !order.empty())
    return OtherEncoding{"UTF-16 text (" + order +
                             ", without a byte-order mark: a NUL byte beside each of its first "
                             "characters)",
                         order == "little-endian" ? "UTF-16LE" : "UTF-16BE"};
  return std::nullopt;
}

std::string hex_byte(unsigned char b) {
  static const char digits[] = "0123456789ABCDEF";
  return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::size_t utf8_length(std::string_view text, std::size_t k) {
  const auto byte = [&](std::size_t i) {
    return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u;
  };
  const unsigned lead = byte(k);
  if (lead < 0x80) return 1;
  std::size_t n = 0;
  unsigned low = 0x80, high = 0xBF;  // the second byte's range
  if (lead >= 0xC2 && lead <= 0xDF) {
    n = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (byte(k + 1) < low || byte(k + 1) > high) return 0;
  for (std::size_t i = 2; i < n; ++i)
    if (byte(k + i) < 0x80 || byte(k + i) > 0xBF) return 0;
  return n;
}

std::string bytes_not_utf8(std::string_view text, std::size_t k) {
  std::string bytes = hex_byte(static_cast<unsigned char>(text[k]));
  for (std::size_t i = k + 1;
       i < text.size() && i < k + 4 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; ++i)
    bytes.append(" ").append(hex_byte(static_cast<unsigned char>(text[i])));
  return bytes;
}

std::optional<NotUtf8> first_bytes_not_utf8(std::string_view text) {
  NotUtf8 at{1, 1, ""};
  for (std::size_t k = 0; k < text.size();) {
    const std::size_t n = utf8_length(text, k);
    if (n == 0) {
      at.bytes = bytes_not_utf8(text, k);
      return at;
    }
    if (text[k] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
    k += n;
  }
  return std::nullopt;
}

}  // namespace interdep
