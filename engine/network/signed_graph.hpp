// The signed relation graph of a recorded frame and its structural measures (docs/model.md,
// "Network analysis"): tie signs from the symmetric relation, the triad census of structural
// balance (Heider 1946; Cartwright & Harary 1956) and the betweenness of actors on the
// positive-tie graph (Freeman 1977; Brandes 2001).
//
// Pure functions on plain arrays so that they can be checked on hand-made graphs. Sign arrays
// are row-major n x n, symmetric, with a zero diagonal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace interdep {

// Rbar_ij = (R_ij + R_ji)/2 of an n x n relation matrix (row-major), unit [1], zero diagonal.
// `stride` and `offset` pick one domain out of a packed [(i*n+j)*stride + offset] array
// (stride 1, offset 0 for relation_overall).
std::vector<double> symmetric_relation(std::span<const double> relation, std::size_t n,
                                       std::size_t stride = 1, std::size_t offset = 0);

// sign[i*n+j] of the tie Rbar_ij (symmetric_relation, same stride and offset): +1 if
// Rbar > threshold, -1 if Rbar < -threshold, else 0; the diagonal is 0. threshold in [0, 1),
// unit [1].
std::vector<std::int8_t> tie_signs(std::span<const double> relation, std::size_t n,
                                   double threshold, std::size_t stride = 1,
                                   std::size_t offset = 0);

// The factions (structural-balance camps) and frustration are in balance_camps.hpp.

// Triads whose three ties are all signed, and those among them whose sign product is positive
// (balanced: +++ and +--).
struct TriadCensus {
  std::int32_t signed_triads = 0;
  std::int32_t balanced = 0;
  // balanced / signed_triads; NaN when no triad is signed.
  double balanced_share() const;
};
TriadCensus count_triads(std::span<const std::int8_t> sign, std::size_t n);

// Betweenness centrality of each actor on the unweighted graph of positive ties (Brandes
// algorithm), normalised to [0, 1] by the (n-1)(n-2)/2 pairs of other actors; all 0 when n < 3.
std::vector<double> positive_tie_betweenness(std::span<const std::int8_t> sign, std::size_t n);

}  // namespace interdep
