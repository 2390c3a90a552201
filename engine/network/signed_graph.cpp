#include "engine/network/signed_graph.hpp"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <limits>

namespace interdep {

std::vector<double> symmetric_relation(std::span<const double> relation, std::size_t n,
                                       std::size_t stride, std::size_t offset) {
  assert(stride > 0 && offset < stride);
  assert(relation.size() == n * n * stride);
  std::vector<double> rbar(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const double mean =
          0.5 * (relation[(i * n + j) * stride + offset] + relation[(j * n + i) * stride + offset]);
      rbar[i * n + j] = mean;
      rbar[j * n + i] = mean;
    }
  return rbar;
}

std::vector<std::int8_t> tie_signs(std::span<const double> relation, std::size_t n,
                                   double threshold, std::size_t stride, std::size_t offset) {
  assert(threshold >= 0.0 && threshold < 1.0);
  const std::vector<double> rbar = symmetric_relation(relation, n, stride, offset);
  std::vector<std::int8_t> sign(n * n, 0);
  for (std::size_t p = 0; p < n * n; ++p)
    sign[p] = rbar[p] > threshold ? 1 : rbar[p] < -threshold ? -1 : 0;  // diagonal: rbar 0
  return sign;
}

double TriadCensus::balanced_share() const {
  if (signed_triads == 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(balanced) / static_cast<double>(signed_triads);
}

TriadCensus count_triads(std::span<const std::int8_t> sign, std::size_t n) {
  assert(sign.size() == n * n);
  // For a signed triad the sign product is +1 (balanced) or -1, so with S triads and product sum
  // P, balanced = (S + P) / 2. The inner loop is branch-free so that it vectorises: it is the
  // O(n^3) part of the analysis.
  std::int64_t signed_triads = 0, product_sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int8_t* row_i = sign.data() + i * n;
    for (std::size_t j = i + 1; j < n; ++j) {
      const int sij = row_i[j];
      if (sij == 0) continue;
      const std::int8_t* row_j = sign.data() + j * n;
      int nonzero = 0, sum = 0;
      for (std::size_t k = j + 1; k < n; ++k) {
        const int p = row_i[k] * row_j[k];
        nonzero += p != 0;
        sum += p;
      }
      signed_triads += nonzero;
      product_sum += sij * sum;
    }
  }
  assert((signed_triads + product_sum) % 2 == 0);
  TriadCensus c;
  c.signed_triads = static_cast<std::int32_t>(signed_triads);
  c.balanced = static_cast<std::int32_t>((signed_triads + product_sum) / 2);
  return c;
}

std::vector<double> positive_tie_betweenness(std::span<const std::int8_t> sign, std::size_t n) {
  assert(sign.size() == n * n);
  std::vector<double> centrality(n, 0.0);
  if (n < 3) return centrality;  // no pair of other actors to stand between
  // Brandes' algorithm on the undirected graph of positive ties, written out rather than taken
  // from Boost.Graph (brandes_betweenness_centrality, which it replaced): the graph is held as
  // bit sets, so that a breadth-first search finds a vertex's unreached neighbours and a vertex's
  // predecessors (its neighbours one level up) a 64-bit word at a time. Relation graphs are dense:
  // at 200 actors Boost's version, which walks every edge twice from every source, took half of
  // a frame's analysis. The arithmetic is Boost's, operation for operation, so the results are
  // the same to the bit (tests/test_network.cpp compares the two on random graphs):
  //  - breadth first from each source in ascending order, each vertex's unreached neighbours
  //    queued in ascending order (Boost's order on an adjacency list built in that order);
  //  - path counts sigma as integers, dependencies delta as doubles;
  //  - delta[v] += (sigma[v] / sigma[w]) * (1 + delta[w]) for each predecessor v of w, the w in
  //    the reverse of the queue's order (each v gets one term per w, so the order of a w's
  //    predecessors does not matter);
  //  - C[w] += delta[w] per source, then C / 2 (each unordered pair was counted from both ends),
  //    then times 2 / (n^2 - 3n + 2), the (n-1)(n-2)/2 pairs of other actors.
  const std::size_t words = (n + 63) / 64;
  std::vector<std::uint64_t> adjacency(n * words, 0);  // row v: bit u set for a tie v-u
  for (std::size_t v = 0; v < n; ++v)
    for (std::size_t u = 0; u < n; ++u)
      if (u != v && sign[std::min(u, v) * n + std::max(u, v)] > 0)
        adjacency[v * words + u / 64] |= std::uint64_t{1} << (u % 64);
  auto row = [&](std::size_t v) { return adjacency.data() + v * words; };
  // Calls visit(u) for every bit u set in the `words` words at `bits`, in ascending order.
  auto for_each_bit = [words](const std::uint64_t* bits, auto&& visit) {
    for (std::size_t k = 0; k < words; ++k)
      for (std::uint64_t b = bits[k]; b != 0; b &= b - 1)
        visit(k * 64 + static_cast<std::size_t>(std::countr_zero(b)));
  };
  std::vector<std::uint64_t> reached(words), level(n * words), common(words);
  std::vector<std::size_t> order(n), level_first(n + 1), distance(n);
  std::vector<std::uint64_t> sigma(n);
  std::vector<double> delta(n);
  for (std::size_t s = 0; s < n; ++s) {
    std::fill(reached.begin(), reached.end(), 0);
    reached[s / 64] |= std::uint64_t{1} << (s % 64);
    std::fill(level.begin(), level.begin() + static_cast<std::ptrdiff_t>(words), 0);
    level[s / 64] = reached[s / 64];
    std::size_t queued = 0, levels = 1;
    order[queued++] = s;
    level_first[0] = 0;
    level_first[1] = 1;
    distance[s] = 0;
    sigma[s] = 1;
    delta[s] = 0.0;
    // Level by level: the next level's vertices in queue order, then their path counts.
    while (level_first[levels] > level_first[levels - 1] && levels < n) {
      std::uint64_t* const next = level.data() + levels * words;
      std::fill(next, next + words, 0);
      for (std::size_t q = level_first[levels - 1]; q < level_first[levels]; ++q) {
        const std::uint64_t* const adj = row(order[q]);
        for (std::size_t k = 0; k < words; ++k) {
          const std::uint64_t fresh = adj[k] & ~reached[k];
          reached[k] |= fresh;
          next[k] |= fresh;
          for (std::uint64_t b = fresh; b != 0; b &= b - 1)
            order[queued++] = k * 64 + static_cast<std::size_t>(std::countr_zero(b));
        }
      }
      const std::uint64_t* const up = next - words;  // the level just expanded
      for (std::size_t q = level_first[levels]; q < queued; ++q) {
        const std::size_t w = order[q];
        distance[w] = levels;
        delta[w] = 0.0;
        std::uint64_t paths = 0;
        for (std::size_t k = 0; k < words; ++k) common[k] = row(w)[k] & up[k];
        for_each_bit(common.data(), [&](std::size_t v) { paths += sigma[v]; });
        sigma[w] = paths;
      }
      level_first[++levels] = queued;
    }
    for (std::size_t q = queued; q-- > 1;) {  // order[0] is the source: no predecessor
      const std::size_t w = order[q];
      const std::uint64_t* const up = level.data() + (distance[w] - 1) * words;
      for (std::size_t k = 0; k < words; ++k) common[k] = row(w)[k] & up[k];
      const double carried = 1.0 + delta[w];
      for_each_bit(common.data(), [&](std::size_t v) {
        double factor = static_cast<double>(sigma[v]) / static_cast<double>(sigma[w]);
        factor *= carried;
        delta[v] = delta[v] + factor;
      });
      centrality[w] = centrality[w] + delta[w];
    }
  }
  const double factor = 2.0 / static_cast<double>(n * n - 3 * n + 2);
  for (double& c : centrality) c = factor * (c / 2.0);
  return centrality;
}

}  // namespace interdep
