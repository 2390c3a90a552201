#include "engine/text/nfc.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <vector>

#include "engine/text/text_encoding.hpp"

namespace interdep {
namespace {

struct Decomposition {
  char32_t code, first, second;  // second 0: a singleton
};
struct CombiningRange {
  char32_t first, last;
  std::uint8_t combining_class;
};
struct Composition {
  char32_t first, second, composite;
};

#include "engine/text/nfc_data.inc"

// Hangul syllables, by arithmetic (Unicode 14.0, §3.12).
constexpr char32_t kSBase = 0xAC00, kLBase = 0x1100, kVBase = 0x1161, kTBase = 0x11A7;
constexpr char32_t kLCount = 19, kVCount = 21, kTCount = 28, kNCount = kVCount * kTCount,
                   kSCount = kLCount * kNCount;

// A byte that is not part of a UTF-8 character, kept as it is: above every code point.
constexpr char32_t kRawByte = 0x110000;

int combining_class(char32_t c) {
  const auto it =
      std::upper_bound(std::begin(kCombiningClasses), std::end(kCombiningClasses), c,
                       [](char32_t value, const CombiningRange& r) { return value < r.first; });
  if (it == std::begin(kCombiningClasses)) return 0;
  const CombiningRange& r = *std::prev(it);
  return c <= r.last ? r.combining_class : 0;
}

const Decomposition* decomposition_of(char32_t c) {
  const auto it =
      std::lower_bound(std::begin(kDecompositions), std::end(kDecompositions), c,
                       [](const Decomposition& d, char32_t value) { return d.code < value; });
  return it != std::end(kDecompositions) && it->code == c ? it : nullptr;
}

// The primary composite of `first` and `second`, or 0.
char32_t composite_of(char32_t first, char32_t second) {
  if (first >= kLBase && first < kLBase + kLCount && second >= kVBase && second < kVBase + kVCount)
    return kSBase + ((first - kLBase) * kVCount + (second - kVBase)) * kTCount;
  if (first >= kSBase && first < kSBase + kSCount && (first - kSBase) % kTCount == 0 &&
      second > kTBase && second < kTBase + kTCount)
    return first + (second - kTBase);
  const auto it =
      std::lower_bound(std::begin(kCompositions), std::end(kCompositions), std::pair{first, second},
                       [](const Composition& c, const std::pair<char32_t, char32_t>& v) {
                         return std::pair{c.first, c.second} < v;
                       });
  return it != std::end(kCompositions) && it->first == first && it->second == second ? it->composite
                                                                                     : 0;
}

void decompose(char32_t c, std::vector<char32_t>& out) {
  if (c >= kSBase && c < kSBase + kSCount) {
    const char32_t s = c - kSBase;
    out.push_back(kLBase + s / kNCount);
    out.push_back(kVBase + (s % kNCount) / kTCount);
    if (s % kTCount != 0) out.push_back(kTBase + s % kTCount);
    return;
  }
  if (const Decomposition* d = decomposition_of(c)) {
    decompose(d->first, out);
    if (d->second != 0) decompose(d->second, out);
    return;
  }
  out.push_back(c);
}

// The code point of the UTF-8 character at text[k] and its length, or kRawByte and 1.
std::pair<char32_t, std::size_t> decode(std::string_view text, std::size_t k) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char b = byte(k);
  std::size_t length = b < 0x80                 ? 1
                       : b >= 0xC2 && b <= 0xDF ? 2
                       : b >= 0xE0 && b <= 0xEF ? 3
                       : b >= 0xF0 && b <= 0xF4 ? 4
                                                : 0;
  if (length == 0 || k + length > text.size()) return {kRawByte, 1};
  char32_t c = length == 1 ? b : length == 2 ? (b & 0x1F) : length == 3 ? (b & 0x0F) : (b & 0x07);
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(k + i) & 0xC0) != 0x80) return {kRawByte, 1};
    c = (c << 6) | (byte(k + i) & 0x3F);
  }
  const char32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < least[length] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return {kRawByte, 1};
  return {c, length};
}

// Whether a character may change under NFC, or change the one before it: it decomposes, has a
// combining class, is the second of a composition (some vowel signs of class 0 are: U+0B3E
// joins U+0B47), or is a Hangul jamo or syllable (which compose by arithmetic).
bool may_change(char32_t c) {
  static const std::vector<char32_t> seconds = [] {
    std::vector<char32_t> v;
    for (const Composition& pair : kCompositions) v.push_back(pair.second);
    std::sort(v.begin(), v.end());
    return v;
  }();
  return (c >= kLBase && c < 0x1200) || (c >= kSBase && c < kSBase + kSCount) ||
         combining_class(c) != 0 || decomposition_of(c) != nullptr ||
         std::binary_search(seconds.begin(), seconds.end(), c);
}

}  // namespace

bool needs_nfc(std::string_view text) {
  for (std::size_t k = 0; k < text.size();) {
    if (static_cast<unsigned char>(text[k]) < 0x80) {
      ++k;
      continue;
    }
    const auto [c, length] = decode(text, k);
    if (c != kRawByte && may_change(c)) return true;
    k += length;
  }
  return false;
}

std::string to_nfc(std::string_view text) {
  if (!needs_nfc(text)) return std::string(text);
  // Canonical decomposition, character by character (raw bytes kept as kRawByte + byte).
  std::vector<char32_t> points;
  points.reserve(text.size());
  for (std::size_t k = 0; k < text.size();) {
    const auto [c, length] = decode(text, k);
    if (c == kRawByte)
      points.push_back(kRawByte + static_cast<unsigned char>(text[k]));
    else
      decompose(c, points);
    k += length;
  }
  // Canonical order: each run of characters of a class other than 0 sorted by class, stably.
  const auto ccc = [](char32_t c) { return c >= kRawByte ? 0 : combining_class(c); };
  for (std::size_t k = 0; k < points.size();) {
    if (ccc(points[k]) == 0) {
      ++k;
      continue;
    }
    std::size_t end = k;
    while (end < points.size() && ccc(points[end]) != 0) ++end;
    std::stable_sort(points.begin() + static_cast<std::ptrdiff_t>(k),
                     points.begin() + static_cast<std::ptrdiff_t>(end),
                     [&](char32_t a, char32_t b) { return ccc(a) < ccc(b); });
    k = end;
  }
  // Canonical composition: each character joins the last starter unless a character between
  // them has a class 0 or one at least its own (it is blocked).
  std::vector<char32_t> composed;
  composed.reserve(points.size());
  std::size_t starter = static_cast<std::size_t>(-1);
  int last_class = -1;  // of the last character kept after the starter (-1: none)
  for (const char32_t c : points) {
    const int cc = ccc(c);
    if (starter != static_cast<std::size_t>(-1) && c < kRawByte && composed[starter] < kRawByte &&
        (last_class == -1 || last_class < cc)) {
      if (const char32_t joined = composite_of(composed[starter], c)) {
        composed[starter] = joined;
        continue;
      }
    }
    if (cc == 0) {
      starter = composed.size();
      last_class = -1;
    } else {
      last_class = cc;
    }
    composed.push_back(c);
  }
  std::string out;
  out.reserve(text.size());
  for (const char32_t c : composed) {
    if (c >= kRawByte)
      out += static_cast<char>(c - kRawByte);
    else
      append_utf8(out, c);
  }
  return out;
}

}  // namespace interdep
