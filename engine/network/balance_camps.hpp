// Factions of the signed relation graph as structural-balance camps (docs/model.md, "Network
// analysis"): the split of the actors into at most two camps with the fewest frustrated ties,
// a negative tie inside a camp or a positive tie between camps. That minimum is Harary's line
// index of balance, the frustration index (Harary 1959; Cartwright & Harary 1956; Aref & Wilson
// 2018): 0 iff the signed graph is balanced.
//
// Sign arrays are row-major n x n, symmetric, zero diagonal (tie_signs, signed_graph.hpp); rbar
// is the symmetric relation Rbar_ij = (R_ij + R_ji)/2 of the same pairs (symmetric_relation).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace interdep {

// Up to this many actors the camps are found by enumerating all 2^(n-1) splits (exact); above,
// by the spectral start and local search (an upper bound of the frustration index). 2^15 splits
// of O(1) each (bit masks) take ~0.15 ms a frame at 16 actors (bench/bench_network.cpp).
inline constexpr std::size_t kExactCampActors = 16;

// How find_factions searches: `automatic` is exact up to kExactCampActors, else heuristic;
// the other two force one path (exact asserts n <= kExactCampActors), so tests can compare them.
enum class CampSearch { automatic, exact, heuristic };

// |Rbar| of a tie in integer units of 2^-24 (rounded to nearest), so weighted frustrations are
// exact sums and their comparison does not depend on the order of summation.
inline constexpr double kTieWeightUnitsPerOne = 16777216.0;  // 2^24 units per 1
std::int64_t tie_weight_units(double rbar);

// The camps of a frame's signed graph. faction[i] in {0, 1}, 0 for the camp holding actor 0.
// Among splits with the fewest frustrated ties, the one with the smallest weighted frustration
// sum |Rbar_ij| over its frustrated ties; then the lexicographically smallest faction vector.
struct Factions {
  std::vector<std::int32_t> faction;      // [actor] 0 or 1
  std::int32_t count = 0;                 // non-empty camps: 1 or 2 (0 when n = 0)
  std::int32_t frustration = 0;           // frustrated ties (unordered pairs)
  std::int64_t weighted_frustration = 0;  // sum of |Rbar| over them, units of 2^-24
  bool exact = true;  // false: found by the heuristic, frustration is an upper bound
};
Factions find_factions(std::span<const std::int8_t> sign, std::span<const double> rbar,
                       std::size_t n, CampSearch search = CampSearch::automatic);

// Frustration of any partition into groups (any number of them): negative ties inside a group
// plus positive ties between groups.
std::int32_t partition_frustration(std::span<const std::int8_t> sign, std::size_t n,
                                   std::span<const std::int32_t> group);

}  // namespace interdep
