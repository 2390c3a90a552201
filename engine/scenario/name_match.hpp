// "Did you mean": the closest of the words a place accepts to a word it did not, for error
// messages about keys, actor codes, domains, CAMEO codes and enum words.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace interdep {

// Optimal string alignment distance, case-insensitive: insertions, deletions, substitutions
// and transpositions of neighbours ("UAS" -> "USA") each cost 1.
std::size_t edit_distance(std::string_view a, std::string_view b);

// Whether `a` and `b` are the same but for the case of ASCII letters ("pak" and "PAK").
bool same_ignoring_case(std::string_view a, std::string_view b);
// Whether `whole` begins with `start`, but for the case of ASCII letters.
bool starts_ignoring_case(std::string_view whole, std::string_view start);

// Closest candidate to `word` by edit distance, or "" when none is close enough: at most
// max(2, |word| / 3) edits, so that short words do not match everything. Of candidates equally
// close, the first that begins with the word (or with which the word begins) is taken, else the
// first in their order.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" for the closest candidate, or "" when none is close enough.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// The words a place accepts, for a message: each in `quote`, joined by `separator`; beyond
// kListedWords, the first kShownWords and "and N more" (a 200-actor world's codes are 1,000
// characters no one reads; "did you mean" names the close one).
inline constexpr std::size_t kListedWords = 20, kShownWords = 12;
std::string word_list(const std::vector<std::string>& words, std::string_view quote = "'",
                      std::string_view separator = ", ");

}  // namespace interdep
