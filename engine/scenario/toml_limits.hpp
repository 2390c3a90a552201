// Limits checked on TOML text before TOML++ parses it. TOML++ descends recursively into nested
// arrays and inline tables (it stops at 256 levels) and into the parts of dotted keys and table
// headers (it does not stop): a key of 100,000 parts overflows the stack, in the parser or in
// the destructors of the tables it built. No scenario, sweep, calibration or checks file needs
// more than a handful of levels, so the limits are far above any real file and far below what
// the stack holds.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace interdep::detail {

inline constexpr std::size_t kMaxTomlNesting = 64;   // arrays and inline tables within each other
inline constexpr std::size_t kMaxTomlKeyParts = 64;  // parts of one dotted key or table header
// Files in one chain of `base =` (a scenario, its base, that one's base, ...): each level is a
// recursion of the loader and a merge of the whole table; no real what-if nests this deep.
inline constexpr std::size_t kMaxBaseChain = 64;

// Throws InputError at the line and column where `text` first nests arrays or inline tables
// deeper than kMaxTomlNesting, or writes a key of more than kMaxTomlKeyParts parts. Strings and
// comments are skipped; anything else TOML++ reports itself.
void check_toml_limits(std::string_view text, const std::string& source_name);

}  // namespace interdep::detail
