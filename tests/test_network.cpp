// Network analysis (engine/network, docs/model.md "Network analysis"): graph measures on small
// hand-made graphs whose answers are known in closed form, the [network] scenario keys, and an
// end-to-end run of scenarios/corridors.toml whose /network group is read back and whose
// Pakistan-Russia route and trade follow the corridor event (compared with the baseline at the
// same seed, never with pinned numbers).
#include <unistd.h>

#include <bit>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/betweenness_centrality.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "engine/network/balance_camps.hpp"
#include "engine/network/corridors.hpp"
#include "engine/network/network_record.hpp"
#include "engine/network/signed_graph.hpp"
#include "engine/run/rng.hpp"
#include "engine/run/simulation.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "models/registry.hpp"
#include "output/run_file/run_reader.hpp"
#include "output/run_file/run_writer.hpp"

using namespace interdep;
namespace fs = std::filesystem;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A symmetric sign matrix from the upper-triangle ties {i, j, sign}.
struct Tie {
  std::size_t i, j;
  int sign;
};
std::vector<std::int8_t> signs(std::size_t n, std::initializer_list<Tie> ties) {
  std::vector<std::int8_t> s(n * n, 0);
  for (const Tie& t : ties) {
    s[t.i * n + t.j] = static_cast<std::int8_t>(t.sign);
    s[t.j * n + t.i] = static_cast<std::int8_t>(t.sign);
  }
  return s;
}

// A triangle of three actors with the given tie signs (01, 02, 12).
std::vector<std::int8_t> triangle(int s01, int s02, int s12) {
  return signs(3, {{0, 1, s01}, {0, 2, s02}, {1, 2, s12}});
}

// Rbar of magnitude 0.5 with the signs of `sign`: every tie weighs the same.
std::vector<double> unit_rbar(const std::vector<std::int8_t>& sign) {
  std::vector<double> rbar(sign.size());
  for (std::size_t p = 0; p < sign.size(); ++p) rbar[p] = 0.5 * sign[p];
  return rbar;
}

// The signs of a symmetric Rbar at threshold 0.
std::vector<std::int8_t> signs_of(const std::vector<double>& rbar, std::size_t n) {
  return tie_signs(rbar, n, 0.0);  // Rbar of a symmetric relation is the relation itself
}

// A corridor edge between nodes a and b.
CorridorEdgeSpec leg(std::size_t a, std::size_t b, double cost) {
  CorridorEdgeSpec e;
  e.name = std::to_string(a) + "-" + std::to_string(b);
  e.from = a;
  e.to = b;
  e.cost = cost;
  return e;
}

const fs::path kScenarios = fs::path(INTERDEP_SOURCE_DIR) / "scenarios";

// Index of the item called `name` (an actor code, an edge name) in `items`.
template <class Items, class NameOf>
std::size_t index_of(const Items& items, const std::string& name, NameOf name_of) {
  for (std::size_t k = 0; k < items.size(); ++k)
    if (name_of(items[k]) == name) return k;
  FAIL("no " << name);
  return 0;
}
std::size_t actor(const ScenarioSpec& s, const std::string& code) {
  return index_of(s.actors, code, [](const ActorSpec& a) { return a.code; });
}
std::size_t edge(const ScenarioSpec& s, const std::string& name) {
  return index_of(s.corridor_edges, name, [](const CorridorEdgeSpec& e) { return e.name; });
}

// Equal element by element, NaN equal to NaN (balanced shares are NaN without signed triads).
bool same_numbers(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    const bool both_nan = std::isnan(a[k]) && std::isnan(b[k]);
    if (!both_nan && a[k] != b[k]) return false;
  }
  return true;
}

// The error loading `text` (a scenario on top of the baseline) throws, if any.
std::optional<InputError> load_error(const std::string& text) {
  try {
    (void)load_scenario_text(text, "network-test.toml", kScenarios);
  } catch (const InputError& e) {
    return e;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("tie signs come from the mean of both directions and the threshold", "[network]") {
  // R[0,1] = 0.5, R[1,0] = -0.1: Rbar = 0.2 > 0.1. R[0,2] = R[2,0] = -0.1: exactly at
  // -threshold, so unsigned. R[1,2] = -0.3, R[2,1] = -0.1: Rbar = -0.2.
  const std::vector<double> r = {0.0, 0.5, -0.1, -0.1, 0.0, -0.3, -0.1, -0.1, 0.0};
  const auto s = tie_signs(r, 3, 0.1);
  CHECK(s == triangle(1, 0, -1));
  // With threshold 0 every nonzero mean is signed.
  CHECK(tie_signs(r, 3, 0.0) == triangle(1, -1, -1));
  // One domain of a packed [(i*n+j)*D + d] array: domain 1 holds the negated relations.
  std::vector<double> packed(r.size() * 2);
  for (std::size_t p = 0; p < r.size(); ++p) {
    packed[p * 2] = r[p];
    packed[p * 2 + 1] = -r[p];
  }
  CHECK(tie_signs(packed, 3, 0.1, 2, 0) == s);
  CHECK(tie_signs(packed, 3, 0.1, 2, 1) == triangle(-1, 0, 1));
}

TEST_CASE("balanced triangles have a positive sign product and unbalanced ones a negative",
          "[network]") {
  struct Case {
    int s01, s02, s12;
    bool balanced;
  };
  // Heider: "the friend of my friend" (+++) and "the enemy of my enemy" (+--) are balanced;
  // (++-) and (---) are not (Cartwright & Harary 1956).
  const Case cases[] = {{1, 1, 1, true},
                        {1, -1, -1, true},
                        {-1, 1, -1, true},
                        {1, 1, -1, false},
                        {-1, -1, -1, false}};
  for (const Case& c : cases) {
    const TriadCensus t = count_triads(triangle(c.s01, c.s02, c.s12), 3);
    INFO("signs " << c.s01 << " " << c.s02 << " " << c.s12);
    CHECK(t.signed_triads == 1);
    CHECK(t.balanced == (c.balanced ? 1 : 0));
    CHECK(t.balanced_share() == (c.balanced ? 1.0 : 0.0));
  }
  // A triangle with an unsigned tie is not counted, and no signed triad gives NaN.
  const TriadCensus open = count_triads(triangle(1, 1, 0), 3);
  CHECK(open.signed_triads == 0);
  CHECK(std::isnan(open.balanced_share()));
}

TEST_CASE("triangles split into balance camps with the frustration index as frustration",
          "[network]") {
  struct Case {
    int s01, s02, s12;
    std::vector<std::int32_t> camps;  // the expected split
    std::int32_t frustration;
    bool unique;  // no other split has the same frustration and weight
  };
  const Case cases[] = {
      // (+,+,+): balanced, one camp.
      {1, 1, 1, {0, 0, 0}, 0, true},
      // (+,-,-): balanced, the + pair against the third, whichever pair it is.
      {1, -1, -1, {0, 0, 1}, 0, true},
      {-1, 1, -1, {0, 1, 0}, 0, true},
      {-1, -1, 1, {0, 1, 1}, 0, true},
      // (+,+,-): no split satisfies all three ties; the three splits with one frustrated tie
      // have equal weights here, so the lexicographically smallest wins: one camp.
      {1, 1, -1, {0, 0, 0}, 1, false},
      // (-,-,-): at best one hostile pair shares a camp; again the smallest assignment.
      {-1, -1, -1, {0, 0, 1}, 1, false},
  };
  for (const Case& c : cases) {
    INFO("signs " << c.s01 << " " << c.s02 << " " << c.s12);
    const auto s = triangle(c.s01, c.s02, c.s12);
    for (const CampSearch search : {CampSearch::automatic, CampSearch::heuristic}) {
      const Factions f = find_factions(s, unit_rbar(s), 3, search);
      // The exact search breaks ties lexicographically; the heuristic only moves towards it.
      if (c.unique || search == CampSearch::automatic) {
        CHECK(f.faction == c.camps);
        CHECK(f.count == (c.camps == std::vector<std::int32_t>{0, 0, 0} ? 1 : 2));
      }
      CHECK(f.frustration == c.frustration);
      CHECK(f.exact == (search == CampSearch::automatic));
      CHECK(f.frustration == partition_frustration(s, 3, f.faction));
    }
  }
  // The frustration is 0 exactly when the triad is balanced.
  for (const int a : {-1, 1})
    for (const int b : {-1, 1})
      for (const int c : {-1, 1}) {
        const auto s = triangle(a, b, c);
        CHECK((find_factions(s, unit_rbar(s), 3).frustration == 0) ==
              (count_triads(s, 3).balanced == 1));
      }
}

TEST_CASE("equal counts of frustrated ties are decided by the weakest ties", "[network]") {
  // (+,+,-) with the 0-2 tie weakest: frustrating 0-2 (camps {0,1} vs {2}) is cheaper than
  // frustrating the strong negative 1-2 inside one camp.
  const auto s = triangle(1, 1, -1);
  std::vector<double> rbar = {0.0, 0.6, 0.2, 0.6, 0.0, -0.7, 0.2, -0.7, 0.0};
  Factions f = find_factions(s, rbar, 3);
  CHECK(f.faction == std::vector<std::int32_t>{0, 0, 1});
  CHECK(f.frustration == 1);
  CHECK(f.weighted_frustration == tie_weight_units(0.2));
  // Making 1-2 the weakest keeps everyone in one camp, frustrating only that tie.
  rbar = {0.0, 0.6, 0.5, 0.6, 0.0, -0.15, 0.5, -0.15, 0.0};
  f = find_factions(s, rbar, 3);
  CHECK(f.faction == std::vector<std::int32_t>{0, 0, 0});
  CHECK(f.count == 1);
  CHECK(f.weighted_frustration == tie_weight_units(0.15));
  // Unsigned pairs never count, however strong their Rbar: 0-2 unsigned leaves a path
  // 2 - 1 - 0 with one negative tie, balanced.
  const auto open = triangle(1, 0, -1);
  f = find_factions(open, rbar, 3);
  CHECK(f.frustration == 0);
  CHECK(f.weighted_frustration == 0);
  CHECK(f.faction == std::vector<std::int32_t>{0, 0, 1});
  // An actor without signed ties joins camp 0.
  const auto lone = signs(3, {{0, 1, -1}});
  CHECK(find_factions(lone, unit_rbar(lone), 3).faction == std::vector<std::int32_t>{0, 1, 0});
  CHECK(find_factions(lone, unit_rbar(lone), 3, CampSearch::heuristic).faction ==
        std::vector<std::int32_t>{0, 1, 0});
}

TEST_CASE("a two-faction graph splits into its two camps with no frustration", "[network]") {
  // Camps {0, 2, 4} and {1, 3}, interleaved so that numbering by lowest index is visible:
  // positive ties inside a camp, negative between camps.
  const std::size_t n = 5;
  std::vector<std::int8_t> s(n * n, 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j) s[i * n + j] = (i % 2 == j % 2) ? 1 : -1;
  const std::vector<std::int32_t> camps = {0, 1, 0, 1, 0};
  const Factions f = find_factions(s, unit_rbar(s), n);
  CHECK(f.faction == camps);
  CHECK(f.count == 2);
  CHECK(f.frustration == 0);
  const TriadCensus t = count_triads(s, n);
  CHECK(t.signed_triads == 10);  // C(5, 3)
  CHECK(t.balanced == 10);
  CHECK(t.balanced_share() == 1.0);

  // Turning one cross-camp tie (0-1) positive leaves the camps as they are, with that one tie
  // frustrated (any other split frustrates more of the 9 other ties), and the triads through
  // 0-1 with a third actor are unbalanced (3 of them: actors 2, 3, 4).
  s[0 * n + 1] = s[1 * n + 0] = 1;
  const Factions flipped = find_factions(s, unit_rbar(s), n);
  CHECK(flipped.faction == camps);
  CHECK(flipped.frustration == 1);
  CHECK(count_triads(s, n).balanced == 7);
  // One camp would frustrate the 5 negative ties left.
  CHECK(partition_frustration(s, n, std::vector<std::int32_t>(n, 0)) == 5);
}

TEST_CASE(
    "above 16 actors the heuristic finds planted camps with the flipped ties as "
    "frustration",
    "[network]") {
  // 20 actors in two planted camps (every third actor in camp 1, actor 0 in camp 0), all
  // pairs signed with weights 0.2..0.9 drawn from a fixed seed; a few ties flipped against
  // the camps, at most one per actor so no actor would rather change camp.
  const std::size_t n = 20;
  REQUIRE(n > kExactCampActors);
  Rng rng(20261122);
  std::vector<std::int32_t> planted(n);
  for (std::size_t i = 0; i < n; ++i) planted[i] = i % 3 == 1 ? 1 : 0;
  std::vector<double> rbar(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const double magnitude = 0.2 + 0.7 * rng.uniform();
      rbar[i * n + j] = rbar[j * n + i] = planted[i] == planted[j] ? magnitude : -magnitude;
    }
  const std::vector<std::pair<std::size_t, std::size_t>> flips = {{0, 1}, {2, 5}, {3, 9}, {6, 18}};
  for (const auto& [i, j] : flips) rbar[i * n + j] = rbar[j * n + i] = -rbar[i * n + j];
  const auto s = signs_of(rbar, n);
  const Factions f = find_factions(s, rbar, n);
  CHECK_FALSE(f.exact);
  CHECK(f.faction == planted);
  CHECK(f.count == 2);
  CHECK(f.frustration == static_cast<std::int32_t>(flips.size()));
  CHECK(f.frustration == partition_frustration(s, n, planted));
  // Without the flips the graph is balanced: frustration 0.
  for (const auto& [i, j] : flips) rbar[i * n + j] = rbar[j * n + i] = -rbar[i * n + j];
  const Factions balanced = find_factions(signs_of(rbar, n), rbar, n);
  CHECK(balanced.faction == planted);
  CHECK(balanced.frustration == 0);
}

TEST_CASE("the heuristic agrees with exact enumeration on random graphs up to 12 actors",
          "[network]") {
  // Graphs as a run gives them: two planted camps, pairs unsigned with probability 0.2, ties
  // flipped against the camps with probability 0.15, weights 0.1..1. Fixed seed: the graphs
  // are the same on every run. Exact is checked against brute force over every split. The
  // heuristic is not guaranteed to find the minimum: over 500 graphs per size (same recipe)
  // it missed it on 13 of 5500; with this seed's 40 per size it finds every one.
  Rng rng(7);
  for (std::size_t n = 2; n <= 12; ++n)
    for (int graph = 0; graph < 40; ++graph) {
      std::vector<std::int32_t> planted(n);
      for (auto& p : planted) p = rng.uniform() < 0.4 ? 1 : 0;
      std::vector<double> rbar(n * n, 0.0);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j) {
          if (rng.uniform() < 0.2) continue;
          double value = (0.1 + 0.9 * rng.uniform()) * (planted[i] == planted[j] ? 1.0 : -1.0);
          if (rng.uniform() < 0.15) value = -value;
          rbar[i * n + j] = rbar[j * n + i] = value;
        }
      const auto s = signs_of(rbar, n);
      INFO("n = " << n << ", graph " << graph);
      const Factions exact = find_factions(s, rbar, n, CampSearch::exact);
      const Factions heuristic = find_factions(s, rbar, n, CampSearch::heuristic);
      // Brute force: every assignment with actor 0 in camp 0, ordered by (frustrated ties,
      // their weight, the assignment itself).
      std::tuple<std::int32_t, std::int64_t, std::vector<std::int32_t>> brute{
          std::numeric_limits<std::int32_t>::max(), 0, {}};
      for (std::uint32_t split = 0; split < (1U << (n - 1)); ++split) {
        std::vector<std::int32_t> group(n, 0);
        for (std::size_t i = 1; i < n; ++i)
          group[i] = static_cast<std::int32_t>((split >> (i - 1)) & 1U);
        std::int64_t weight = 0;
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t j = i + 1; j < n; ++j) {
            const bool same = group[i] == group[j];
            const int sij = s[i * n + j];
            if ((same && sij < 0) || (!same && sij > 0))
              weight += tie_weight_units(rbar[i * n + j]);
          }
        brute = std::min(brute, std::tuple(partition_frustration(s, n, group), weight, group));
      }
      CHECK(exact.frustration == std::get<0>(brute));
      CHECK(exact.weighted_frustration == std::get<1>(brute));
      CHECK(exact.faction == std::get<2>(brute));
      CHECK(heuristic.frustration == exact.frustration);
      CHECK(heuristic.weighted_frustration == exact.weighted_frustration);
      CHECK(heuristic.faction == exact.faction);
    }
}

TEST_CASE("betweenness of a star is 1 at the centre and 0 at the leaves", "[network]") {
  for (std::size_t n : {3u, 4u, 7u}) {
    std::vector<std::int8_t> s(n * n, 0);
    for (std::size_t leaf = 1; leaf < n; ++leaf) s[leaf] = s[leaf * n] = 1;
    // Negative ties between leaves do not carry paths.
    if (n > 3) s[1 * n + 2] = s[2 * n + 1] = -1;
    const auto b = positive_tie_betweenness(s, n);
    INFO("n = " << n);
    CHECK(b[0] == Approx(1.0));
    for (std::size_t leaf = 1; leaf < n; ++leaf) CHECK(b[leaf] == 0.0);
  }
  // A path 0-1-2-3-4: node k lies on k(n-1-k) of the (n-1)(n-2)/2 pairs of other nodes.
  const std::size_t n = 5;
  const auto path = signs(n, {{0, 1, 1}, {1, 2, 1}, {2, 3, 1}, {3, 4, 1}});
  const auto b = positive_tie_betweenness(path, n);
  for (std::size_t k = 0; k < n; ++k) {
    const double expected = static_cast<double>(k * (n - 1 - k)) / ((n - 1) * (n - 2) / 2.0);
    CHECK(b[k] == Approx(expected));
  }
  // Fewer than three actors: nobody can stand between two others.
  CHECK(positive_tie_betweenness(signs(2, {{0, 1, 1}}), 2) == std::vector<double>{0.0, 0.0});
}

TEST_CASE("betweenness is Boost.Graph's Brandes betweenness to the bit on random graphs",
          "[network]") {
  // positive_tie_betweenness writes Brandes' algorithm out for speed; Boost's generic version,
  // which it replaced, is the reference. Graphs of 3 to 120 actors, from sparse (many actors
  // unreachable) to dense, with negative ties mixed in.
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
  Rng rng(20261201);
  std::size_t graphs = 0;
  for (const std::size_t n : {3u, 4u, 5u, 8u, 13u, 30u, 57u, 120u})
    for (const double density : {0.05, 0.2, 0.5, 0.9, 1.0}) {
      for (int repeat = 0; repeat < 6; ++repeat, ++graphs) {
        std::vector<std::int8_t> s(n * n, 0);
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t j = i + 1; j < n; ++j) {
            const double u = rng.uniform();
            const std::int8_t tie = u < density ? 1 : u < density + 0.3 * (1.0 - density) ? -1 : 0;
            s[i * n + j] = s[j * n + i] = tie;
          }
        Graph g(n);
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t j = i + 1; j < n; ++j)
            if (s[i * n + j] > 0) boost::add_edge(i, j, g);
        std::vector<double> expected(n, 0.0);
        const auto map =
            boost::make_iterator_property_map(expected.begin(), boost::get(boost::vertex_index, g));
        boost::brandes_betweenness_centrality(g, boost::centrality_map(map));
        boost::relative_betweenness_centrality(g, map);
        const std::vector<double> got = positive_tie_betweenness(s, n);
        INFO("n = " << n << ", density " << density << ", graph " << repeat);
        REQUIRE(got.size() == n);
        for (std::size_t v = 0; v < n; ++v) {
          INFO("actor " << v << ": " << got[v] << " against " << expected[v]);
          CHECK(std::bit_cast<std::uint64_t>(got[v]) == std::bit_cast<std::uint64_t>(expected[v]));
        }
      }
    }
  CHECK(graphs == 240);
}

TEST_CASE("shortest routes on a path graph sum the legs, and closing a leg cuts or reroutes",
          "[network]") {
  // Actors A(0), B(1); transit nodes X(2), Y(3): A -1- X -2- Y -3- B, plus a direct A-B leg of
  // cost 10 that starts closed.
  const std::vector<std::string> codes = {"A", "B", "X", "Y"};
  const std::vector<CorridorEdgeSpec> edges = {leg(0, 2, 1.0), leg(2, 3, 2.0), leg(3, 1, 3.0),
                                               leg(0, 1, 10.0)};
  std::vector<std::uint8_t> open = {1, 1, 1, 0};
  CorridorRoutes r = corridor_routes(4, 2, edges, open);
  CHECK(r.cost == std::vector<double>{0.0, 6.0, 6.0, 0.0});
  CHECK(route_text(r.path[0 * 2 + 1], codes) == "A-X-Y-B");
  CHECK(route_text(r.path[1 * 2 + 0], codes) == "B-Y-X-A");
  CHECK(r.path[0].empty());  // i == j
  // Betweenness on the path A-X-Y-B (node order A, B, X, Y): X and Y each lie on 2 of the 3
  // pairs of other nodes; the ends on none.
  CHECK(r.betweenness[0] == 0.0);
  CHECK(r.betweenness[1] == 0.0);
  CHECK(r.betweenness[2] == Approx(2.0 / 3.0));
  CHECK(r.betweenness[3] == Approx(2.0 / 3.0));

  // Closing X-Y: no route at all.
  open = {1, 0, 1, 0};
  r = corridor_routes(4, 2, edges, open);
  CHECK(r.cost[1] == kInf);
  CHECK(r.path[1].empty());
  CHECK(route_text(r.path[1], codes).empty());

  // Opening the direct leg: the route goes around, at its cost.
  open = {1, 0, 1, 1};
  r = corridor_routes(4, 2, edges, open);
  CHECK(r.cost[1] == 10.0);
  CHECK(route_text(r.path[1], codes) == "A-B");

  // With everything open the cheaper path (6 < 10) wins again; a parallel cheaper X-Y leg
  // (a railway next to a road) lowers the cost by the difference.
  std::vector<CorridorEdgeSpec> with_rail = edges;
  with_rail.push_back(leg(2, 3, 0.5));
  r = corridor_routes(4, 2, with_rail, std::vector<std::uint8_t>{1, 1, 1, 1, 1});
  CHECK(r.cost[1] == 1.0 + 0.5 + 3.0);
  CHECK(route_text(r.path[1], codes) == "A-X-Y-B");
}

TEST_CASE("route costs alone are corridor_routes' costs to the bit on random corridor graphs",
          "[network]") {
  // The model asks only for costs (corridor_route_costs); the network analysis for paths and
  // betweenness too. Both must give the same costs: actors and transit nodes, parallel legs,
  // loops and closed legs mixed in.
  Rng rng(20261203);
  std::size_t graphs = 0, finite = 0, unreachable = 0;
  for (const std::size_t actors : {2u, 3u, 5u, 9u})
    for (const std::size_t transit : {0u, 1u, 4u, 12u})
      for (int repeat = 0; repeat < 5; ++repeat, ++graphs) {
        const std::size_t nodes = actors + transit;
        std::vector<CorridorEdgeSpec> edges;
        std::vector<std::uint8_t> open;
        const std::size_t legs = nodes * (1 + static_cast<std::size_t>(repeat));
        for (std::size_t k = 0; k < legs; ++k) {
          const auto from = static_cast<std::size_t>(rng.uniform() * static_cast<double>(nodes));
          const auto to = static_cast<std::size_t>(rng.uniform() * static_cast<double>(nodes));
          edges.push_back(leg(from, to, 0.1 + 5.0 * rng.uniform()));
          open.push_back(rng.uniform() < 0.8 ? 1 : 0);
        }
        const CorridorRoutes all = corridor_routes(nodes, actors, edges, open);
        const std::vector<double> costs = corridor_route_costs(nodes, actors, edges, open);
        INFO(actors << " actors, " << transit << " transit nodes, graph " << repeat);
        REQUIRE(costs.size() == all.cost.size());
        for (std::size_t p = 0; p < costs.size(); ++p) {
          CHECK(std::bit_cast<std::uint64_t>(costs[p]) ==
                std::bit_cast<std::uint64_t>(all.cost[p]));
          if (p % (actors + 1) != 0) (std::isfinite(costs[p]) ? finite : unreachable) += 1;
        }
      }
  CHECK(graphs == 80);
  CHECK(finite > 100);  // the sample has reachable pairs and cut-off pairs both
  CHECK(unreachable > 10);
}

TEST_CASE("the [network] and [output] network keys are read and checked", "[network]") {
  const std::string base = "base = \"baseline.toml\"\n";
  const ScenarioSpec spec =
      load_scenario_text(base + "[network]\ntie_threshold = 0.25\n[output]\nnetwork = false\n",
                         "network-test.toml", kScenarios);
  CHECK(spec.network.tie_threshold == 0.25);
  CHECK_FALSE(spec.record.network);
  const ScenarioSpec defaults = load_scenario(kScenarios / "baseline.toml");
  CHECK(defaults.network.tie_threshold == 0.1);
  CHECK(defaults.record.network);

  struct Bad {
    std::string text;
    std::string key;
    int line;
    std::string expected;  // part of the message
  };
  const Bad cases[] = {
      {base + "[network]\ntie_threshold = 1.0\n", "network.tie_threshold", 3, "in [0, 1)"},
      {base + "[network]\ntie_threshold = -0.1\n", "network.tie_threshold", 3, "in [0, 1)"},
      {base + "[network]\ntie_threshold = \"high\"\n", "network.tie_threshold", 3, "number"},
      {base + "[network]\nthreshold = 0.2\n", "network.threshold", 3, "unknown"},
      {base + "[output]\nnetwork = \"yes\"\n", "output.network", 3, "bool"},
  };
  for (const Bad& c : cases) {
    INFO(c.text);
    const auto e = load_error(c.text);
    REQUIRE(e.has_value());
    CHECK(e->key() == c.key);
    CHECK(e->where().file == "network-test.toml");
    CHECK(e->where().line == c.line);
    CHECK_THAT(std::string(e->what()), Catch::Matchers::Contains(c.expected));
  }
}

TEST_CASE("the network analysis refuses more actors than its 32-bit triad counts hold",
          "[network]") {
  // 2346 actors: C(2346, 3) = 2 150 123 970 > 2^31 - 1 triads.
  std::string text =
      "name = \"many\"\n[time]\nstart = 2025-01-01\nyears = 1\n"
      "[domains.economy]\ntrade = 1.0\n";
  for (std::size_t i = 0; i < 2346; ++i) {
    text += "[actors.A";
    text += std::to_string(i);
    text += "]\ninterests = { economy = 1.0 }\n";
  }
  const auto e = load_error(text);
  REQUIRE(e.has_value());
  // At [actors]: the file does not write [output] network (on by default); tests/
  // test_bad_inputs.cpp has the world that writes it.
  CHECK(e->key() == "actors");
  CHECK_THAT(std::string(e->what()), Catch::Matchers::Contains("set [output] network = false"));
}

TEST_CASE(
    "a corridors run records /network, reads it back, and Pakistan-Russia trade follows "
    "the new route",
    "[network][scenario]") {
  // Same seed for both runs (common random numbers): differences are caused by the corridors.
  const std::uint64_t seed = 20250101;
  const ScenarioSpec base_spec = load_scenario(kScenarios / "baseline.toml");
  const ScenarioSpec spec = load_scenario(kScenarios / "corridors.toml");
  const RunResult base = run_scenario(base_spec, seed);
  const RunResult run = run_scenario(spec, seed);
  const NetworkRecord net = analyze_network(spec, run.trajectory);
  const std::size_t n = spec.actor_count(), pak = actor(spec, "PAK"), rus = actor(spec, "RUS");
  const std::size_t pr = pak * n + rus, frames = run.trajectory.frames();
  const std::size_t rail = edge(spec, "AZE-IRN-RAIL"), afghan = edge(spec, "AFG-PAK");
  const std::size_t edges = spec.corridor_edges.size();
  REQUIRE(net.frames == frames);

  // The rail event's step; frames are recorded after each step, so frame f shows the state
  // after f steps and the event (applied at the start of its step) shows from frame step+1.
  std::int64_t rail_step = -1;
  for (const EventSpec& e : spec.events)
    if (e.kind == EventKind::corridor && e.corridor_edge == rail) rail_step = e.step;
  REQUIRE(rail_step > 0);
  REQUIRE(spec.record.every == 1);
  const auto before = static_cast<std::size_t>(rail_step), after = before + 1;
  REQUIRE(after < frames);

  SECTION("corridor state, routes and trade follow the events") {
    CHECK(net.corridor_open[0 * edges + rail] == 0);
    CHECK(net.corridor_open[(frames - 1) * edges + rail] == 1);
    CHECK(net.corridor_open[0 * edges + afghan] == 1);
    CHECK(net.corridor_open[(frames - 1) * edges + afghan] == 0);

    const std::string route_before = net.route[before * n * n + pr];
    const std::string route_after = net.route[after * n * n + pr];
    CHECK(route_before != route_after);
    CHECK(route_after == "PAK-IRN-AZE-RUS");
    const double cost_before = net.route_cost[before * n * n + pr];
    const double cost_after = net.route_cost[after * n * n + pr];
    CHECK(cost_after < cost_before);
    // The route cost is the sum of the legs on the route.
    const double legs = spec.corridor_edges[edge(spec, "IRN-PAK")].cost +
                        spec.corridor_edges[rail].cost +
                        spec.corridor_edges[edge(spec, "RUS-AZE")].cost;
    CHECK(cost_after == Approx(legs));

    // Cheaper route, lower trade cost, more Pakistan-Russia trade than the baseline afterwards;
    // before the rail opens the runs agree (the Afghan closure moves no modelled route).
    const auto& trade = run.trajectory.trade;
    const auto& base_trade = base.trajectory.trade;
    CHECK(trade[before * n * n + pr] == base_trade[before * n * n + pr]);
    CHECK(trade[after * n * n + pr] > base_trade[after * n * n + pr]);
    CHECK(trade[(frames - 1) * n * n + pr] > base_trade[(frames - 1) * n * n + pr]);
  }

  SECTION("the file holds /network and the reader returns what analyze_network computed") {
    const fs::path dir =
        fs::temp_directory_path() / ("interdep-test-network-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path with = dir / "corridors.h5", without = dir / "corridors-no-network.h5";
    RunMetadata meta;
    meta.engine_version = "test";
    meta.model = spec.model;
    meta.seed = seed;
    meta.created = "2025-01-01T00:00:00Z";
    write_run(with, spec, run.trajectory, run.log, meta, &net);
    write_run(without, spec, run.trajectory, run.log, meta);
    const RunFile file = read_run(with);
    const RunFile plain = read_run(without);
    fs::remove_all(dir);

    CHECK_FALSE(plain.network.present);
    CHECK(plain.network.sign.empty());
    const RunNetwork& r = file.network;
    REQUIRE(r.present);
    CHECK(r.tie_threshold == net.tie_threshold);
    CHECK(std::tie(r.nodes, r.node_names, r.corridor_edges, r.route) ==
          std::tie(net.nodes, net.node_names, net.corridor_edges, net.route));
    CHECK(std::tie(r.edge_from, r.edge_to, r.edge_cost, r.sign, r.corridor_open) ==
          std::tie(net.edge_from, net.edge_to, net.edge_cost, net.sign, net.corridor_open));
    CHECK(std::tie(r.faction, r.faction_count, r.frustration, r.triads_signed, r.triads_balanced) ==
          std::tie(net.faction, net.faction_count, net.frustration, net.triads_signed,
                   net.triads_balanced));
    CHECK(std::tie(r.betweenness, r.corridor_betweenness, r.route_cost) ==
          std::tie(net.betweenness, net.corridor_betweenness, net.route_cost));
    CHECK(same_numbers(r.balanced_share, net.balanced_share));
    CHECK(same_numbers(r.balanced_share_domain, net.balanced_share_domain));
    CHECK(r.corridor_open == run.trajectory.corridor_open);
  }

  SECTION("every frame's measures are those of the frame's own graph") {
    // Spot-check the last frame against the measures applied directly.
    const std::size_t f = frames - 1, pairs = n * n;
    const std::vector<double> overall(
        run.trajectory.relation_overall.begin() + static_cast<std::ptrdiff_t>(f * pairs),
        run.trajectory.relation_overall.begin() + static_cast<std::ptrdiff_t>((f + 1) * pairs));
    const auto s = tie_signs(overall, n, spec.network.tie_threshold);
    CHECK(
        std::equal(s.begin(), s.end(), net.sign.begin() + static_cast<std::ptrdiff_t>(f * pairs)));
    const TriadCensus t = count_triads(s, n);
    CHECK(net.triads_signed[f] == t.signed_triads);
    CHECK(net.triads_balanced[f] == t.balanced);
    // Every frame: frustration is that of the frame's own camps, and no split of the actors
    // into two groups frustrates fewer ties (brute force over all 2^n of them).
    for (std::size_t g = 0; g < frames; ++g) {
      const std::span<const std::int8_t> sign(net.sign.data() + g * pairs, pairs);
      const std::span<const std::int32_t> faction(net.faction.data() + g * n, n);
      CHECK(partition_frustration(sign, n, faction) == net.frustration[g]);
      std::int32_t fewest = std::numeric_limits<std::int32_t>::max();
      for (std::uint32_t split = 0; split < (1U << n); ++split) {
        std::vector<std::int32_t> group(n);
        for (std::size_t i = 0; i < n; ++i) group[i] = static_cast<std::int32_t>((split >> i) & 1U);
        fewest = std::min(fewest, partition_frustration(sign, n, group));
      }
      CHECK(net.frustration[g] == fewest);
      CHECK(net.faction_count[g] == 1 + *std::max_element(faction.begin(), faction.end()));
    }
  }
}
