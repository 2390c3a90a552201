#include "engine/network/signed_graph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/betweenness_centrality.hpp>
#include <cassert>
#include <cmath>
#include <limits>

namespace interdep {
namespace {

using UndirectedGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

// The graph of the positive ties of a sign matrix.
UndirectedGraph positive_tie_graph(std::span<const std::int8_t> sign, std::size_t n) {
  assert(sign.size() == n * n);
  UndirectedGraph g(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j)
      if (sign[i * n + j] > 0) boost::add_edge(i, j, g);
  return g;
}

}  // namespace

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
  std::vector<double> centrality(n, 0.0);
  if (n < 3) return centrality;  // no pair of other actors to stand between
  const UndirectedGraph g = positive_tie_graph(sign, n);
  const auto index = boost::get(boost::vertex_index, g);
  const auto map = boost::make_iterator_property_map(centrality.begin(), index);
  // Brandes' algorithm; on an undirected graph Boost counts each unordered pair once, and
  // relative_betweenness_centrality divides by (n-1)(n-2)/2.
  boost::brandes_betweenness_centrality(g, boost::centrality_map(map));
  boost::relative_betweenness_centrality(g, map);
  return centrality;
}

}  // namespace interdep
