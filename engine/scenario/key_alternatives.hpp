// Keys of one kind of scenario table that give one thing in different ways: a GDP growth rate
// or a yearly path of rates, a run's length in years or in steps, ... One file may give one way
// only (refused at its line, a base file's too); a file that gives one way over its base, or a
// --set, replaces what was given the other ways; two --set of one run (a sweep's parameters and
// policy among them) that give it two ways are refused (docs/scenario-format.md, "Inheritance").
// This table is the one list of them.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace interdep::detail {

struct KeyAlternatives {
  // The key path of the tables it applies to, a '*' for any one part: "actors.*" is every
  // actor's table, "events.*" every event's (an array's element by index or label).
  std::string_view table;
  // Each way's keys, "" for none. A way is given by its first key; the others go with it
  // (energy_demand_growth alone replaces no path: it would leave the need at 0 bcm/yr).
  std::array<std::array<std::string_view, 2>, 2> ways;
  bool one_file_may_give_both = false;  // [time]: in one file, steps replaces years
  std::string_view both_message{};      // a file that gives both: the loader's words
};

inline constexpr KeyAlternatives kKeyAlternatives[] = {
    // `steps` replaces `years`; in one file both may stand (steps wins), a base's steps must not
    // outlive a derived file's years.
    {.table = "time", .ways = {{{"years", ""}, {"steps", ""}}}, .one_file_may_give_both = true},
    {.table = "actors.*",
     .ways = {{{"gdp_growth", ""}, {"gdp_growth_path", ""}}},
     .both_message = "give either gdp_growth or gdp_growth_path, not both"},
    {.table = "actors.*",
     .ways = {{{"energy_imports", "energy_demand_growth"}, {"energy_demand", ""}}},
     .both_message = "give either energy_demand (a yearly path) or energy_imports and "
                     "energy_demand_growth, not both"},
    {.table = "events.*",
     .ways = {{{"cameo", ""}, {"goldstein", ""}}},
     .both_message = "give either cameo or goldstein, not both"},
};

// The words for a table that gives both ways of the alternative whose first way begins with
// `first_key` (the loader's checks of the merged document say them too).
constexpr std::string_view both_message(std::string_view first_key) {
  for (const KeyAlternatives& alternatives : kKeyAlternatives)
    if (alternatives.ways[0][0] == first_key) return alternatives.both_message;
  return {};
}
static_assert(!both_message("gdp_growth").empty() && !both_message("energy_imports").empty() &&
              !both_message("cameo").empty());  // the loader's checks name these

// True when the parts of `table_path` match the pattern ("actors.*").
inline bool table_path_matches(std::string_view pattern, std::span<const std::string> table_path) {
  std::size_t part = 0;
  while (true) {
    const std::size_t dot = pattern.find('.');
    const std::string_view head = pattern.substr(0, dot);
    if (part == table_path.size() || (head != "*" && head != table_path[part])) return false;
    ++part;
    if (dot == std::string_view::npos) return part == table_path.size();
    pattern.remove_prefix(dot + 1);
  }
}

// The keys that setting `key` in the table at `table_path` replaces: those of the other ways of
// each alternative `key` gives a way of, except those that `also_set` says are set with it.
template <class AlsoSet>
std::vector<std::string_view> replaced_alternatives(std::span<const std::string> table_path,
                                                    std::string_view key, AlsoSet also_set) {
  std::vector<std::string_view> replaced;
  for (const KeyAlternatives& alternatives : kKeyAlternatives) {
    if (!table_path_matches(alternatives.table, table_path)) continue;
    for (std::size_t way = 0; way < alternatives.ways.size(); ++way) {
      if (alternatives.ways[way][0] != key) continue;
      for (std::size_t other = 0; other < alternatives.ways.size(); ++other) {
        if (other == way) continue;
        for (std::string_view k : alternatives.ways[other])
          if (!k.empty() && !also_set(k)) replaced.push_back(k);
      }
    }
  }
  return replaced;
}

}  // namespace interdep::detail
