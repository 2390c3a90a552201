// Keys of one kind of scenario table that give one thing in different ways: a GDP growth rate
// or a yearly path of rates, a run's length in years or in steps, ... One file may give one way
// only (the loader refuses both, at their lines, where both would be ambiguous); a file that
// gives one way over its base, or a --set, replaces what was given the other ways
// (docs/scenario-format.md, "Inheritance"). This table is the one list of them.
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
  std::array<std::array<std::string_view, 2>, 2> ways;  // each way's keys; "" for none
};

inline constexpr KeyAlternatives kKeyAlternatives[] = {
    // `steps` replaces `years`; in one file both may stand (steps wins), a base's steps must not
    // outlive a derived file's years.
    {.table = "time", .ways = {{{"years", ""}, {"steps", ""}}}},
    {.table = "actors.*", .ways = {{{"gdp_growth", ""}, {"gdp_growth_path", ""}}}},
    {.table = "actors.*",
     .ways = {{{"energy_imports", "energy_demand_growth"}, {"energy_demand", ""}}}},
    {.table = "events.*", .ways = {{{"cameo", ""}, {"goldstein", ""}}}},
    {.table = "events.*", .ways = {{{"actor", ""}, {"member", ""}}}},
};

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
// each alternative `key` is a way of, except those that `also_set` says are set with it.
template <class AlsoSet>
std::vector<std::string_view> replaced_alternatives(std::span<const std::string> table_path,
                                                    std::string_view key, AlsoSet also_set) {
  std::vector<std::string_view> replaced;
  for (const KeyAlternatives& alternatives : kKeyAlternatives) {
    if (!table_path_matches(alternatives.table, table_path)) continue;
    for (std::size_t way = 0; way < alternatives.ways.size(); ++way) {
      const auto& keys = alternatives.ways[way];
      if (keys[0] != key && keys[1] != key) continue;
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
