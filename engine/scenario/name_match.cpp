#include "engine/scenario/name_match.hpp"

#include <algorithm>
#include <cctype>

namespace interdep {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  const auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  // Three rows of the dynamic programme: two back (for transpositions), one back, current.
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const char ca = lower(a[i - 1]), cb = lower(b[j - 1]);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca == cb ? 0u : 1u)});
      if (i > 1 && j > 1 && ca == lower(b[j - 2]) && lower(a[i - 2]) == cb)
        cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    before.swap(prev);
    prev.swap(cur);
  }
  return prev[b.size()];
}

namespace {
bool same_letter(char x, char y) {
  return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
}
}  // namespace

bool same_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), same_letter);
}

bool starts_ignoring_case(std::string_view whole, std::string_view start) {
  return start.size() <= whole.size() && same_ignoring_case(whole.substr(0, start.size()), start);
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // Among the candidates at the least distance, one that begins with the word, or with which
  // the word begins, first: "US" is one edit from RUS, USA and EU alike, and is meant as USA.
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  bool best_extends = false;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    const bool extends = starts_ignoring_case(c, word) || starts_ignoring_case(word, c);
    if (d < best_distance || (d == best_distance && extends && !best_extends)) {
      best_distance = d;
      best = c;
      best_extends = extends;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string best = closest_match(word, candidates);
  return best.empty() ? std::string() : " (did you mean '" + best + "'?)";
}

std::string word_list(const std::vector<std::string>& words, std::string_view quote,
                      std::string_view separator) {
  const std::size_t shown = words.size() > kListedWords ? kShownWords : words.size();
  std::string s;
  for (std::size_t k = 0; k < shown; ++k)
    s.append(k ? separator : "").append(quote).append(words[k]).append(quote);
  if (shown < words.size()) s += " and " + std::to_string(words.size() - shown) + " more";
  return s;
}

}  // namespace interdep
