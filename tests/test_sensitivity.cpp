// Experimental designs, parameter distributions and the Sobol / Morris estimators of
// engine/sweep/ (parameter sweeps and sensitivity analysis), against closed forms.
#include <Eigen/Dense>
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <set>
#include <vector>

#include "engine/sweep/design.hpp"
#include "engine/sweep/discovery.hpp"
#include "engine/sweep/distribution.hpp"
#include "engine/sweep/sensitivity.hpp"

using namespace interdep::sweep;
using Catch::Matchers::Contains;

namespace {

double phi(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }

bool all_in_unit_interval(const Design& d) {
  if (d.unit.size() != d.points * d.dims) return false;
  for (double v : d.unit) {
    if (!(v >= 0.0 && v <= 1.0)) return false;
  }
  return true;
}

// Number of coordinates in which rows p and q differ; `moved` is the last of them.
std::size_t differing(const Design& d, std::size_t p, std::size_t q, std::size_t& moved) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < d.dims; ++i) {
    if (d.at(p, i) != d.at(q, i)) {
      ++n;
      moved = i;
    }
  }
  return n;
}

}  // namespace

TEST_CASE("full_factorial enumerates every level combination, last dimension fastest", "[sweep]") {
  const Design d = full_factorial({2, 3});
  REQUIRE(d.points == 6);
  REQUIRE(d.dims == 2);
  CHECK(d.base_samples == 0);
  const std::vector<double> expected = {0, 0, 0, 0.5, 0, 1, 1, 0, 1, 0.5, 1, 1};
  CHECK(d.unit == expected);

  const Design single = full_factorial({1, 2});
  REQUIRE(single.points == 2);
  CHECK(single.unit == std::vector<double>{0.5, 0.0, 0.5, 1.0});

  CHECK(full_factorial({3, 4, 5}).points == 60);
  CHECK_THROWS_AS(full_factorial({}), std::invalid_argument);
  CHECK_THROWS_WITH(full_factorial({2, 0}), Contains("dimension 1"));
}

TEST_CASE("latin_hypercube puts one point in every stratum of every dimension", "[sweep]") {
  const std::size_t n = 97, k = 4;
  const Design d = latin_hypercube(n, k, 12345);
  REQUIRE(d.points == n);
  REQUIRE(d.dims == k);
  CHECK(d.base_samples == 0);
  CHECK(all_in_unit_interval(d));
  for (std::size_t i = 0; i < k; ++i) {
    std::set<std::size_t> strata;
    for (std::size_t p = 0; p < n; ++p) {
      const double v = d.at(p, i);
      CHECK(v < 1.0);
      strata.insert(static_cast<std::size_t>(std::floor(v * static_cast<double>(n))));
    }
    CHECK(strata.size() == n);
    CHECK(*strata.rbegin() == n - 1);
  }
  // The permutations differ between dimensions (not the same stratum order in each column).
  std::size_t same = 0;
  for (std::size_t p = 0; p < n; ++p) {
    same += std::floor(d.at(p, 0) * 97.0) == std::floor(d.at(p, 1) * 97.0) ? 1u : 0u;
  }
  CHECK(same < n / 2);

  CHECK(latin_hypercube(n, k, 12345).unit == d.unit);
  CHECK(latin_hypercube(n, k, 12346).unit != d.unit);
  CHECK(latin_hypercube(1, 1, 3).unit.size() == 1);
  CHECK_THROWS_AS(latin_hypercube(0, 2, 1), std::invalid_argument);
  CHECK_THROWS_AS(latin_hypercube(5, 0, 1), std::invalid_argument);
}

TEST_CASE("keyed_permutation is a bijection of 0 .. n-1 for every n and key", "[sweep]") {
  // Every n up to 300 (odd and even bit widths, powers of two and their neighbours), two keys.
  for (std::uint64_t n = 1; n <= 300; ++n)
    for (std::uint64_t key : {std::uint64_t{1}, std::uint64_t{0xDEADBEEF}}) {
      std::vector<bool> hit(n, false);
      for (std::uint64_t i = 0; i < n; ++i) {
        const std::uint64_t image = keyed_permutation(i, n, key);
        REQUIRE(image < n);
        REQUIRE_FALSE(hit[image]);
        hit[image] = true;
      }
    }
  // Large n: images stay in range and distinct over a sample; the top of a 64-bit range too.
  const std::uint64_t big = (std::uint64_t{1} << 40) + 12345;
  std::set<std::uint64_t> images;
  for (std::uint64_t i = 0; i < 2000; ++i) {
    const std::uint64_t image = keyed_permutation(big - 1 - i, big, 7);
    CHECK(image < big);
    images.insert(image);
  }
  CHECK(images.size() == 2000u);
  const std::uint64_t top = std::numeric_limits<std::uint64_t>::max();
  CHECK(keyed_permutation(top - 1, top, 3) < top);
  // It shuffles: another key gives another order, and few points stay in place.
  std::size_t same = 0, fixed = 0;
  for (std::uint64_t i = 0; i < 1000; ++i) {
    same += keyed_permutation(i, 1000, 1) == keyed_permutation(i, 1000, 2) ? 1u : 0u;
    fixed += keyed_permutation(i, 1000, 1) == i ? 1u : 0u;
  }
  CHECK(same < 20);  // about 1 expected
  CHECK(fixed < 20);
}

TEST_CASE("a design's points are made on demand: any point alone, in any order, as the whole",
          "[sweep]") {
  const std::vector<DesignPoints> designs = {
      DesignPoints::grid({3, 4, 2}, {false, true, false}),
      DesignPoints::latin_hypercube(1000, 3, 11),
      DesignPoints::saltelli(50, 4, 5),
      DesignPoints::morris(20, 5, 6, 9),
      DesignPoints::table({0.1, 2.0, 0.3, 4.0}, 2),
  };
  for (const DesignPoints& d : designs) {
    const Design whole = d.whole();
    REQUIRE(whole.points == d.points());
    REQUIRE(whole.unit.size() == d.points() * d.dims());
    CHECK(whole.base_samples == d.base_samples());
    std::vector<double> point(d.dims());
    for (std::size_t p = d.points(); p-- > 0;) {  // backwards: no point depends on the one before
      d.point(p, point);
      for (std::size_t k = 0; k < d.dims(); ++k) REQUIRE(point[k] == whole.at(p, k));
    }
  }
  // A discrete (centred) grid dimension sits at its strata's centres; the others at l / (L - 1).
  const Design grid = designs[0].whole();
  CHECK(grid.at(0, 0) == 0.0);
  CHECK(grid.at(23, 0) == 1.0);
  CHECK(grid.at(0, 1) == 0.125);
  CHECK(grid.at(2, 1) == 0.375);  // level 1 of 4: (1 + 0.5) / 4
  CHECK(grid.at(1, 2) == 1.0);
  CHECK(DesignPoints::grid({1}).whole().at(0, 0) == 0.5);
  // The Latin hypercube's strata do not follow one another between dimensions: the rank
  // correlation of two columns is near 0 (sd about 1 / sqrt(1000) = 0.03).
  const Design lhs = designs[1].whole();
  double sxy = 0.0;
  for (std::size_t p = 0; p < 1000; ++p) sxy += (lhs.at(p, 0) - 0.5) * (lhs.at(p, 1) - 0.5);
  CHECK(std::abs(sxy / 1000.0 * 12.0) < 0.15);
  CHECK_THROWS_AS(DesignPoints::table({1.0, 2.0, 3.0}, 2), std::invalid_argument);
}

TEST_CASE("saltelli rows are A, AB^(1..k), B per base sample", "[sweep]") {
  const std::size_t n = 16, k = 3;
  const Design d = saltelli(n, k, 99);
  REQUIRE(d.points == n * (k + 2));
  REQUIRE(d.dims == k);
  CHECK(d.base_samples == n);
  CHECK(all_in_unit_interval(d));
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t a = j * (k + 2), b = a + k + 1;
    for (std::size_t c = 0; c < k; ++c) CHECK(d.at(a, c) != d.at(b, c));  // independent
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t ab = a + 1 + i;
      for (std::size_t c = 0; c < k; ++c) {
        CHECK(d.at(ab, c) == (c == i ? d.at(b, c) : d.at(a, c)));
      }
    }
  }
  CHECK(saltelli(n, k, 99).unit == d.unit);
  CHECK(saltelli(n, k, 100).unit != d.unit);
  CHECK_THROWS_AS(saltelli(0, 3, 1), std::invalid_argument);
  CHECK_THROWS_AS(saltelli(4, 0, 1), std::invalid_argument);
}

TEST_CASE("morris trajectories move one coordinate at a time by +-Delta on the grid", "[sweep]") {
  for (std::size_t levels : {std::size_t{2}, std::size_t{4}, std::size_t{6}}) {
    const std::size_t r = 25, k = 5;
    const Design d = morris(r, k, levels, 7);
    const double delta = morris_delta(levels);
    CHECK(delta == Approx(static_cast<double>(levels) / (2.0 * static_cast<double>(levels - 1))));
    REQUIRE(d.points == r * (k + 1));
    REQUIRE(d.dims == k);
    CHECK(d.base_samples == r);
    CHECK(all_in_unit_interval(d));
    for (double v : d.unit) {  // on the grid {0, 1/(p-1), ..., 1}
      const double level = v * static_cast<double>(levels - 1);
      CHECK(level == Approx(std::round(level)).margin(1e-12));
    }
    std::set<double> starts;
    for (std::size_t t = 0; t < r; ++t) {
      std::vector<std::size_t> moves(k, 0);
      starts.insert(d.at(t * (k + 1), 0));
      for (std::size_t m = 0; m < k; ++m) {
        const std::size_t p = t * (k + 1) + m;
        std::size_t moved = k;
        REQUIRE(differing(d, p, p + 1, moved) == 1);
        CHECK(std::abs(d.at(p + 1, moved) - d.at(p, moved)) == Approx(delta).margin(1e-12));
        ++moves[moved];
      }
      CHECK(moves == std::vector<std::size_t>(k, 1));  // every parameter moves exactly once
    }
    CHECK(starts.size() > 1);  // random base points
  }
  CHECK(morris(3, 2, 4, 5).unit == morris(3, 2, 4, 5).unit);
  CHECK(morris(3, 2, 4, 5).unit != morris(3, 2, 4, 6).unit);
  CHECK_THROWS_WITH(morris(4, 3, 5, 1), Contains("even"));
  CHECK_THROWS_AS(morris(4, 3, 1, 1), std::invalid_argument);
  CHECK_THROWS_AS(morris(4, 3, 0, 1), std::invalid_argument);
  CHECK_THROWS_AS(morris(0, 3, 4, 1), std::invalid_argument);
  CHECK_THROWS_AS(morris(4, 0, 4, 1), std::invalid_argument);
}

TEST_CASE("normal_quantile matches known quantiles and inverts the normal CDF", "[sweep]") {
  CHECK(normal_quantile(0.975) == Approx(1.959963984540054).margin(1e-9));
  CHECK(normal_quantile(0.5) == Approx(0.0).margin(1e-15));
  CHECK(normal_quantile(0.001) == Approx(-3.090232306167813).margin(1e-9));
  CHECK(normal_quantile(0.025) == Approx(-1.959963984540054).margin(1e-9));
  CHECK(normal_quantile(0.8413447460685429) == Approx(1.0).margin(1e-9));
  for (double p : {1e-300, 1e-100, 1e-20, 1e-8, 0.01, 0.02425, 0.1, 0.3, 0.49, 0.51, 0.7, 0.9,
                   0.97575, 0.99, 0.999999}) {
    const double x = normal_quantile(p);
    const double back = p < 0.5 ? phi(x) : 1.0 - phi(-x);
    CHECK(back == Approx(p).epsilon(1e-12));
    if (p > 1e-15) CHECK(normal_quantile(1.0 - p) == Approx(-x).margin(1e-7));  // 1 - p rounds
  }
  CHECK(std::isfinite(normal_quantile(std::numeric_limits<double>::denorm_min())));
  CHECK(normal_quantile(0.0) == -std::numeric_limits<double>::infinity());
  CHECK(normal_quantile(1.0) == std::numeric_limits<double>::infinity());
  CHECK_THROWS_AS(normal_quantile(1.5), std::invalid_argument);
  CHECK_THROWS_AS(normal_quantile(-0.1), std::invalid_argument);
  CHECK_THROWS_AS(normal_quantile(std::nan("")), std::invalid_argument);
}

TEST_CASE("to_value maps unit coordinates through each distribution", "[sweep]") {
  ParameterDistribution uniform;
  uniform.min = 2.0;
  uniform.max = 6.0;
  CHECK(to_value(uniform, 0.0) == 2.0);
  CHECK(to_value(uniform, 0.25) == Approx(3.0));
  CHECK(to_value(uniform, 1.0) == 6.0);

  ParameterDistribution loguniform{Distribution::loguniform, 1.0, 100.0, 0, 1, 0};
  CHECK(to_value(loguniform, 0.0) == Approx(1.0));
  CHECK(to_value(loguniform, 0.5) == Approx(10.0));
  CHECK(to_value(loguniform, 1.0) == Approx(100.0));
  CHECK(to_value(loguniform, 1.0) <= 100.0);

  ParameterDistribution normal{Distribution::normal, 0, 0, 10.0, 2.0, 0};
  CHECK(to_value(normal, 0.5) == Approx(10.0));
  CHECK(to_value(normal, 0.975) == Approx(10.0 + 2.0 * 1.959963984540054).epsilon(1e-12));
  const double edge = -normal_quantile(1e-12);  // u = 0 and 1 are clamped to 1e-12, 1 - 1e-12
  CHECK(to_value(normal, 0.0) == Approx(10.0 - 2.0 * edge));
  CHECK(to_value(normal, 1.0) == Approx(10.0 + 2.0 * edge).epsilon(1e-6));
  CHECK(edge == Approx(7.034484).margin(1e-5));

  ParameterDistribution discrete{Distribution::discrete, 0, 1, 0, 1, 4};
  CHECK(to_value(discrete, 0.0) == 0.0);
  CHECK(to_value(discrete, 0.24) == 0.0);
  CHECK(to_value(discrete, 0.25) == 1.0);
  CHECK(to_value(discrete, 0.74) == 2.0);
  CHECK(to_value(discrete, 0.999) == 3.0);
  CHECK(to_value(discrete, 1.0) == 3.0);

  CHECK_THROWS_AS(to_value(uniform, -0.1), std::invalid_argument);
  CHECK_THROWS_AS(to_value(uniform, 1.1), std::invalid_argument);
  CHECK_THROWS_AS(to_value(uniform, std::nan("")), std::invalid_argument);
  CHECK_THROWS_AS(to_value({Distribution::uniform, 3.0, 1.0, 0, 1, 0}, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(to_value({Distribution::loguniform, 0.0, 1.0, 0, 1, 0}, 0.5),
                  std::invalid_argument);
  CHECK_THROWS_AS(to_value({Distribution::normal, 0, 1, 0.0, -1.0, 0}, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(validate({Distribution::discrete, 0, 1, 0, 1, 0}), std::invalid_argument);
  CHECK_NOTHROW(validate(discrete));
}

TEST_CASE("a discrete value is the one whose share of [0, 1] holds u, at its bounds too",
          "[sweep]") {
  // A Morris level l/(p-1), a grid's stratum centre and a bound i/count as this build divides
  // them: u * count rounds 13/23 * 23 to 12.999..., which gave levels 12 and 13 of a 24-level
  // design the same one of 23 values.
  for (std::size_t count = 1; count <= 60; ++count) {
    const ParameterDistribution d{Distribution::discrete, 0, 1, 0, 1, count};
    for (std::size_t levels = 2; levels <= 60; ++levels)
      for (std::size_t l = 0; l < levels; ++l) {
        const double u = static_cast<double>(l) / static_cast<double>(levels - 1);
        INFO(count << " values, level " << l << " of " << levels);
        CHECK(to_value(d, u) == static_cast<double>(std::min(l * count / (levels - 1), count - 1)));
      }
    for (std::size_t i = 1; i < count; ++i) {
      const double bound = static_cast<double>(i) / static_cast<double>(count);
      CHECK(to_value(d, bound) == static_cast<double>(i));
      CHECK(to_value(d, std::nextafter(bound, 0.0)) == static_cast<double>(i - 1));
    }
  }
}

TEST_CASE("sobol_indices recovers the Ishigami function's analytic indices", "[sweep]") {
  constexpr double pi = std::numbers::pi;
  constexpr double a = 7.0, b = 0.1;
  const double pi4 = std::pow(pi, 4), pi8 = std::pow(pi, 8);
  const double v = a * a / 8.0 + b * pi4 / 5.0 + b * b * pi8 / 18.0 + 0.5;
  const double v1 = (1.0 + b * pi4 / 5.0) * (1.0 + b * pi4 / 5.0) / 2.0;
  const double v2 = a * a / 8.0;
  const double v13 = b * b * pi8 * (1.0 / 18.0 - 1.0 / 50.0);
  REQUIRE(v1 + v2 + v13 == Approx(v));
  const double s1[] = {v1 / v, v2 / v, 0.0};
  const double st[] = {(v1 + v13) / v, v2 / v, v13 / v};
  CHECK(s1[0] == Approx(0.314).margin(5e-4));
  CHECK(st[2] == Approx(0.244).margin(5e-4));

  const std::size_t n = 20000, k = 3;
  const Design d = saltelli(n, k, 2024);
  const ParameterDistribution x{Distribution::uniform, -pi, pi, 0, 1, 0};
  std::vector<double> y(d.points);
  for (std::size_t p = 0; p < d.points; ++p) {
    const double x1 = to_value(x, d.at(p, 0));
    const double x2 = to_value(x, d.at(p, 1));
    const double x3 = to_value(x, d.at(p, 2));
    const double s2 = std::sin(x2);
    y[p] = std::sin(x1) + a * s2 * s2 + b * std::pow(x3, 4) * std::sin(x1);
  }
  const std::vector<SobolIndex> s = sobol_indices(y, n, k, 100, 0.95, 11);
  REQUIRE(s.size() == k);
  for (std::size_t i = 0; i < k; ++i) {
    INFO("parameter " << i << ": S1 " << s[i].first << " [" << s[i].first_low << ", "
                      << s[i].first_high << "], ST " << s[i].total << " [" << s[i].total_low << ", "
                      << s[i].total_high << "]");
    CHECK(s[i].first == Approx(s1[i]).margin(0.03));
    CHECK(s[i].total == Approx(st[i]).margin(0.03));
    CHECK(s[i].first_low <= s[i].first_high);
    CHECK(s[i].total_low <= s[i].total_high);
    CHECK(s1[i] >= s[i].first_low - 0.01);
    CHECK(s1[i] <= s[i].first_high + 0.01);
    CHECK(st[i] >= s[i].total_low - 0.01);
    CHECK(st[i] <= s[i].total_high + 0.01);
  }
  // Same seed, same intervals.
  const std::vector<SobolIndex> again = sobol_indices(y, n, k, 100, 0.95, 11);
  CHECK(again[2].first_low == s[2].first_low);
  CHECK(again[0].total_high == s[0].total_high);
}

TEST_CASE("sobol_indices on a shifted additive function and degenerate outputs", "[sweep]") {
  // y = 1e6 + x1 + 2 x2 (+ 0 x3): S1 = ST = (1/5, 4/5, 0); the offset must not matter.
  // n = 16000: the estimators' sd is then about 0.0075 (0.017 at n = 4000, measured over 40
  // seeds), so the margin of 0.03 is 4 sd whatever the seed.
  const std::size_t n = 16000, k = 3;
  const Design d = saltelli(n, k, 5);
  std::vector<double> y(d.points);
  for (std::size_t p = 0; p < d.points; ++p) y[p] = 1e6 + d.at(p, 0) + 2.0 * d.at(p, 1);
  const std::vector<SobolIndex> s = sobol_indices(y, n, k, 50, 0.9, 3);
  CHECK(s[0].first == Approx(0.2).margin(0.03));
  CHECK(s[1].first == Approx(0.8).margin(0.03));
  CHECK(s[2].first == Approx(0.0).margin(0.03));
  CHECK(s[0].total == Approx(0.2).margin(0.03));
  CHECK(s[1].total == Approx(0.8).margin(0.03));
  CHECK(s[2].total == 0.0);  // AB^(3) gives exactly the outputs of A

  const std::vector<SobolIndex> no_ci = sobol_indices(y, n, k, 0, 0.95, 3);
  CHECK(no_ci[1].first_low == no_ci[1].first);
  CHECK(no_ci[1].total_high == no_ci[1].total);

  const std::vector<SobolIndex> constant =
      sobol_indices(std::vector<double>(d.points, 4.0), n, k, 10, 0.95, 3);
  CHECK(std::isnan(constant[0].first));
  CHECK(std::isnan(constant[2].total_high));
}

TEST_CASE("sobol_indices rejects non-finite outputs and wrong sizes", "[sweep]") {
  const std::size_t n = 10, k = 2;
  std::vector<double> y(n * (k + 2), 1.0);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<double>(i % 7);
  CHECK_NOTHROW(sobol_indices(y, n, k, 10, 0.95, 1));

  std::vector<double> bad = y;
  bad[6] = std::nan("");  // base sample 1, AB for parameter 1
  CHECK_THROWS_WITH(sobol_indices(bad, n, k, 10, 0.95, 1), Contains("row 6"));
  CHECK_THROWS_WITH(sobol_indices(bad, n, k, 10, 0.95, 1), Contains("NaN"));
  bad[6] = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(sobol_indices(bad, n, k, 10, 0.95, 1), std::invalid_argument);

  std::vector<double> short_y(y.begin(), y.end() - 1);
  CHECK_THROWS_WITH(sobol_indices(short_y, n, k, 10, 0.95, 1), Contains("got 39"));
  CHECK_THROWS_AS(sobol_indices(y, n + 1, k, 10, 0.95, 1), std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices(y, n, k + 1, 10, 0.95, 1), std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices(y, 0, k, 10, 0.95, 1), std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices(y, n, 0, 10, 0.95, 1), std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices({}, n, k, 10, 0.95, 1), std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices(y, n, k, 10, 1.0, 1), std::invalid_argument);
  CHECK_THROWS_AS(sobol_indices(y, n, k, 10, 0.0, 1), std::invalid_argument);
}

TEST_CASE("morris_indices: exact effects of a linear function, sigma > 0 with interactions",
          "[sweep]") {
  const std::size_t r = 20, k = 3;
  const Design d = morris(r, k, 4, 42);
  std::vector<double> y(d.points);
  for (std::size_t p = 0; p < d.points; ++p) {
    y[p] = 2.0 * d.at(p, 0) + 0.0 * d.at(p, 1) - 5.0 * d.at(p, 2);
  }
  const std::vector<MorrisIndex> m = morris_indices(d, y, 100, 0.95, 1);
  REQUIRE(m.size() == k);
  const double mu[] = {2.0, 0.0, -5.0};
  for (std::size_t i = 0; i < k; ++i) {
    CHECK(m[i].effects == r);
    CHECK(m[i].mu == Approx(mu[i]).margin(1e-12));
    CHECK(m[i].mu_star == Approx(std::abs(mu[i])).margin(1e-12));
    CHECK(m[i].sigma == Approx(0.0).margin(1e-12));
    CHECK(m[i].mu_star_low == Approx(m[i].mu_star).margin(1e-12));
    CHECK(m[i].mu_star_high == Approx(m[i].mu_star).margin(1e-12));
  }

  // y = x1 + 4 x2 x3: the effect of x2 is 4 x3 (and of x3 is 4 x2), which varies.
  for (std::size_t p = 0; p < d.points; ++p) {
    y[p] = d.at(p, 0) + 4.0 * d.at(p, 1) * d.at(p, 2);
  }
  const std::vector<MorrisIndex> mi = morris_indices(d, y, 200, 0.95, 1);
  CHECK(mi[0].mu_star == Approx(1.0).margin(1e-12));
  CHECK(mi[0].sigma == Approx(0.0).margin(1e-12));
  for (std::size_t i : {std::size_t{1}, std::size_t{2}}) {
    CHECK(mi[i].sigma > 0.5);
    CHECK(mi[i].mu_star > 0.0);
    CHECK(mi[i].mu_star_low < mi[i].mu_star);
    CHECK(mi[i].mu_star_high > mi[i].mu_star);
    CHECK(mi[i].mu_star_low >= 0.0);
    CHECK(mi[i].mu_star_high <= 4.0);
  }
  // E|EE_2| = 4 E[x3] = 2 for x3 uniform on the grid {0, 1/3, 2/3, 1}.
  CHECK(mi[1].mu_star == Approx(2.0).margin(0.6));

  const std::vector<MorrisIndex> again = morris_indices(d, y, 200, 0.95, 1);
  CHECK(again[1].mu_star_low == mi[1].mu_star_low);
}

TEST_CASE("one base sample or one trajectory has no bootstrap interval", "[sweep]") {
  // Every resample of one sample repeats it: an interval of width 0 would claim a precision
  // the single estimate does not have (docs/sweeps.md). Two samples give intervals again.
  const std::size_t k = 2;
  for (const std::size_t n : {std::size_t{1}, std::size_t{2}}) {
    const Design d = saltelli(n, k, 11);
    std::vector<double> y(d.points);
    for (std::size_t p = 0; p < d.points; ++p) y[p] = d.at(p, 0) + 3.0 * d.at(p, 1) * d.at(p, 0);
    const std::vector<SobolIndex> s = sobol_indices(y, n, k, 100, 0.95, 1);
    INFO(n << " base samples");
    CHECK(std::isfinite(s[1].first));
    CHECK(std::isnan(s[1].first_low) == (n == 1));
    CHECK(std::isnan(s[1].total_high) == (n == 1));
    const Design m = morris(n, k, 4, 11);
    std::vector<double> ym(m.points);
    for (std::size_t p = 0; p < m.points; ++p) ym[p] = m.at(p, 0) * m.at(p, 1);
    const std::vector<MorrisIndex> e = morris_indices(m, ym, 100, 0.95, 1);
    CHECK(std::isfinite(e[0].mu_star));
    CHECK(std::isnan(e[0].mu_star_low) == (n == 1));
    CHECK(std::isnan(e[0].mu_star_high) == (n == 1));
  }
}

TEST_CASE("morris_indices rejects inconsistent designs and outputs", "[sweep]") {
  const Design d = morris(4, 3, 4, 9);
  std::vector<double> y(d.points, 1.0);
  CHECK_NOTHROW(morris_indices(d, y, 10, 0.95, 1));

  std::vector<double> bad = y;
  bad[5] = std::nan("");
  CHECK_THROWS_WITH(morris_indices(d, bad, 10, 0.95, 1), Contains("row 5"));
  CHECK_THROWS_AS(morris_indices(d, std::vector<double>(d.points - 1, 1.0), 10, 0.95, 1),
                  std::invalid_argument);
  CHECK_THROWS_AS(morris_indices(d, y, 10, 1.5, 1), std::invalid_argument);

  Design two_moves = d;  // row 1 now differs from row 0 in a second coordinate too
  std::size_t moved = 0;
  REQUIRE(differing(d, 0, 1, moved) == 1);
  const std::size_t other = (moved + 1) % 3;
  two_moves.unit[1 * 3 + other] = 1.0 - two_moves.unit[1 * 3 + other];
  CHECK_THROWS_WITH(morris_indices(two_moves, y, 10, 0.95, 1), Contains("differ in 2"));

  Design wrong_size = d;
  wrong_size.base_samples = 5;
  CHECK_THROWS_AS(morris_indices(wrong_size, y, 10, 0.95, 1), std::invalid_argument);
  CHECK_THROWS_AS(morris_indices(saltelli(4, 3, 1), std::vector<double>(20, 1.0), 10, 0.95, 1),
                  std::invalid_argument);
}

TEST_CASE("regression_indices: exact SRC of a linear function, PRCC of a monotone one, refusals",
          "[sweep]") {
  // y = 3 x0 - x1 + 0 x2 on 200 LHS points: standardised, y is exactly sum a_p sd_p / sd_y x_p,
  // so least squares returns those coefficients and R^2 = 1 whatever the sample.
  const Design d = latin_hypercube(200, 3, 11);
  std::vector<double> y(d.points);
  for (std::size_t i = 0; i < d.points; ++i) y[i] = 3.0 * d.at(i, 0) - d.at(i, 1);
  auto sd = [](const std::vector<double>& v) {
    double mean = 0.0, ss = 0.0;
    for (double x : v) mean += x / static_cast<double>(v.size());
    for (double x : v) ss += (x - mean) * (x - mean);
    return std::sqrt(ss / static_cast<double>(v.size() - 1));
  };
  std::vector<std::vector<double>> column(3);
  for (std::size_t i = 0; i < d.points; ++i)
    for (std::size_t p = 0; p < 3; ++p) column[p].push_back(d.at(i, p));
  const RegressionIndices linear = regression_indices(d.unit, y, 3, 200, 0.95, 5);
  REQUIRE(linear.parameters.size() == 3u);
  CHECK(linear.parameters[0].src == Approx(3.0 * sd(column[0]) / sd(y)).epsilon(1e-10));
  CHECK(linear.parameters[1].src == Approx(-sd(column[1]) / sd(y)).epsilon(1e-10));
  CHECK(std::abs(linear.parameters[2].src) < 1e-10);
  CHECK(linear.r2 == Approx(1.0).epsilon(1e-12));
  CHECK(linear.parameters[0].prcc > 0.95);
  CHECK(linear.parameters[1].prcc < -0.8);
  CHECK(std::abs(linear.parameters[2].prcc) < 0.2);
  // A percentile interval need not hold its estimate near the statistic's bound: resampled
  // correlations of x0 (0.995) fall below it more often than above. Within 0.01, then.
  for (const RegressionIndex& r : linear.parameters) {
    CHECK(r.prcc_low <= r.prcc + 0.01);
    CHECK(r.prcc <= r.prcc_high + 0.01);
    CHECK(r.prcc_low < r.prcc_high);
  }
  CHECK(linear.parameters[2].prcc_low < 0.0);  // x2 does nothing: its interval holds 0
  CHECK(linear.parameters[2].prcc_high > 0.0);

  // A steep monotone effect: the ranks follow x0 almost exactly, the values do not.
  std::vector<double> steep(d.points);
  for (std::size_t i = 0; i < d.points; ++i)
    steep[i] = std::exp(10.0 * d.at(i, 0)) + 0.1 * d.at(i, 1);
  const RegressionIndices monotone = regression_indices(d.unit, steep, 3, 0, 0.95, 5);
  CHECK(monotone.parameters[0].prcc > 0.99);
  CHECK(monotone.parameters[0].prcc > monotone.parameters[0].src);
  CHECK(monotone.r2_rank > monotone.r2);
  CHECK(monotone.parameters[0].prcc_low == monotone.parameters[0].prcc);  // no resamples

  // An output whose ranks follow one parameter's exactly (a monotone function of x0 alone): the
  // rank correlation matrix is singular, and the PRCC are still +1 for x0 and about 0 for the
  // others, not NaN (the partial correlation's limit).
  std::vector<double> only_x0(d.points);
  for (std::size_t i = 0; i < d.points; ++i) only_x0[i] = std::exp(3.0 * d.at(i, 0));
  const RegressionIndices exact = regression_indices(d.unit, only_x0, 3, 50, 0.95, 5);
  CHECK(exact.parameters[0].prcc == Approx(1.0).epsilon(1e-12));
  CHECK(exact.parameters[0].prcc_low == Approx(1.0).epsilon(1e-12));
  CHECK(std::abs(exact.parameters[1].prcc) < 1e-3);
  CHECK(std::abs(exact.parameters[2].prcc) < 1e-3);
  CHECK(exact.r2_rank == Approx(1.0).epsilon(1e-12));

  // A grid: tied values share their mean rank, and the coefficients stay exact.
  const Design grid = full_factorial({5, 5});
  std::vector<double> g(grid.points);
  for (std::size_t i = 0; i < grid.points; ++i) g[i] = grid.at(i, 0) + 2.0 * grid.at(i, 1);
  const RegressionIndices on_grid = regression_indices(grid.unit, g, 2, 50, 0.9, 3);
  CHECK(on_grid.r2 == Approx(1.0).epsilon(1e-12));
  CHECK(std::isfinite(on_grid.parameters[0].prcc));
  CHECK(on_grid.parameters[1].prcc > on_grid.parameters[0].prcc);

  // Nothing varies, or a parameter does not: NaN, not a number made up.
  const RegressionIndices flat =
      regression_indices(d.unit, std::vector<double>(200, 1.0), 3, 10, 0.95, 1);
  for (const RegressionIndex& r : flat.parameters) CHECK((std::isnan(r.src) && std::isnan(r.prcc)));
  // A parameter that does not vary (0.1 less the mean of its copies is not exactly 0; 0.5 is):
  // NaN for it alone, and the others exactly as if it were not there, intervals too.
  std::vector<double> two;
  for (std::size_t i = 0; i < d.points; ++i) two.insert(two.end(), {d.at(i, 0), d.at(i, 1)});
  const RegressionIndices without = regression_indices(two, y, 2, 50, 0.95, 1);
  for (double value : {0.1, 0.5, 0.0, 1e6}) {
    CAPTURE(value);
    std::vector<double> fixed = d.unit;
    for (std::size_t i = 0; i < d.points; ++i) fixed[i * 3 + 2] = value;
    const RegressionIndices r = regression_indices(fixed, y, 3, 50, 0.95, 1);
    CHECK(r.constant == std::vector<std::size_t>{2});
    const RegressionIndex& c = r.parameters[2];
    CHECK((std::isnan(c.src) && std::isnan(c.src_low) && std::isnan(c.prcc) &&
           std::isnan(c.prcc_high)));
    for (std::size_t p = 0; p < 2; ++p) {
      CHECK(r.parameters[p].src == without.parameters[p].src);
      CHECK(r.parameters[p].src_low == without.parameters[p].src_low);
      CHECK(r.parameters[p].prcc == without.parameters[p].prcc);
      CHECK(r.parameters[p].prcc_high == without.parameters[p].prcc_high);
    }
    CHECK(r.r2 == without.r2);
    CHECK(r.r2_rank == without.r2_rank);
  }
  // An output that is 0.1 everywhere is as flat as one that is 1.
  const RegressionIndices flat_tenth =
      regression_indices(d.unit, std::vector<double>(200, 0.1), 3, 10, 0.95, 1);
  for (const RegressionIndex& r : flat_tenth.parameters)
    CHECK((std::isnan(r.src) && std::isnan(r.prcc)));
  CHECK(flat_tenth.constant.empty());

  CHECK_THROWS_AS(regression_indices(d.unit, std::vector<double>(199, 1.0), 3, 0, 0.95, 1),
                  std::invalid_argument);
  CHECK_THROWS_AS(regression_indices({0.1, 0.2, 0.3, 0.4}, {1.0, 2.0}, 2, 0, 0.95, 1),
                  std::invalid_argument);  // 2 points for 2 parameters
  std::vector<double> broken = y;
  broken[17] = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(regression_indices(d.unit, broken, 3, 0, 0.95, 1), Contains("point 17"));
  CHECK_THROWS_AS(regression_indices(d.unit, y, 3, 0, 1.5, 1), std::invalid_argument);
}

TEST_CASE("regression_indices: PRCC is the correlation of the ranks' residuals", "[sweep]") {
  // The definition, computed apart: regress the ranks of x_j and of y on the other parameters'
  // ranks (least squares with an intercept), correlate the two residuals.
  const std::size_t k = 4;
  const Design d = latin_hypercube(120, k, 3);
  std::vector<double> y(d.points);
  for (std::size_t i = 0; i < d.points; ++i)  // monotone, interacting, with a sine's noise
    y[i] = std::exp(2.0 * d.at(i, 0)) - d.at(i, 1) * d.at(i, 2) +
           0.3 * std::sin(40.0 * d.at(i, 3) + static_cast<double>(i));
  const auto ranks = [](const std::vector<double>& v) {  // no ties in an LHS
    std::vector<std::size_t> order(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
    Eigen::VectorXd r(static_cast<Eigen::Index>(v.size()));
    for (std::size_t i = 0; i < order.size(); ++i)
      r[static_cast<Eigen::Index>(order[i])] = static_cast<double>(i + 1);
    return r;
  };
  const auto n = static_cast<Eigen::Index>(d.points);
  std::vector<Eigen::VectorXd> rank_x;
  for (std::size_t p = 0; p < k; ++p) {
    std::vector<double> column;
    for (std::size_t i = 0; i < d.points; ++i) column.push_back(d.at(i, p));
    rank_x.push_back(ranks(column));
  }
  const Eigen::VectorXd rank_y = ranks(y);
  const RegressionIndices indices = regression_indices(d.unit, y, k, 0, 0.95, 1);
  for (std::size_t j = 0; j < k; ++j) {
    Eigen::MatrixXd others(n, static_cast<Eigen::Index>(k));
    others.col(0).setOnes();
    Eigen::Index c = 1;
    for (std::size_t p = 0; p < k; ++p)
      if (p != j) others.col(c++) = rank_x[p];
    const auto qr = others.colPivHouseholderQr();
    const Eigen::VectorXd ex = rank_x[j] - others * qr.solve(rank_x[j]);
    const Eigen::VectorXd ey = rank_y - others * qr.solve(rank_y);
    const double expected = ex.dot(ey) / std::sqrt(ex.squaredNorm() * ey.squaredNorm());
    CAPTURE(j);
    CHECK(indices.parameters[j].prcc == Approx(expected).epsilon(1e-10));
  }
}
TEST_CASE("prim_peel finds a known box: the cases' ranges, every case in it, the rest free",
          "[sweep]") {
  // Cases where x0 > 0.6 and x1 < 0.3, on 1000 LHS points of three parameters; x2 does nothing.
  const Design d = latin_hypercube(1000, 3, 7);
  std::vector<bool> is_case(d.points);
  std::size_t cases = 0;
  for (std::size_t i = 0; i < d.points; ++i) {
    is_case[i] = d.at(i, 0) > 0.6 && d.at(i, 1) < 0.3;
    if (is_case[i]) ++cases;
  }
  const std::vector<PrimBox> boxes = prim_peel(d.unit, is_case, 3);
  REQUIRE(boxes.size() > 2);
  CHECK(boxes.front().mass == 1.0);
  CHECK(boxes.front().coverage == 1.0);
  CHECK(boxes.front().density == Approx(static_cast<double>(cases) / 1000.0));
  for (std::size_t b = 1; b < boxes.size(); ++b) {
    CHECK(boxes[b].runs < boxes[b - 1].runs);  // every peel removes runs
    CHECK(boxes[b].mass >= 0.05);
  }
  const PrimBox& box = boxes[choose_box(boxes, 0.95)];
  CHECK(box.density >= 0.95);
  CHECK(box.coverage >= 0.9);
  CHECK(box.low[0] == Approx(0.6).margin(0.05));
  CHECK(box.high[1] == Approx(0.3).margin(0.05));
  CHECK(box.high[0] > 0.99);  // not restricted where the cases reach the edge
  CHECK(box.low[1] < 0.01);
  CHECK(box.low[2] < 0.01);  // x2 does nothing: left free
  CHECK(box.high[2] > 0.99);

  // Of boxes with the same coverage over the threshold, the densest (hunt AN: the first, least
  // dense, was chosen); of equally dense ones under it, the most coverage.
  {
    std::vector<PrimBox> tied(4);
    const double coverage[] = {1.0, 1.0, 1.0, 0.5}, density[] = {0.5, 0.82, 0.97, 1.0};
    for (std::size_t k = 0; k < tied.size(); ++k) {
      tied[k].coverage = coverage[k];
      tied[k].density = density[k];
    }
    CHECK(choose_box(tied, 0.8) == 2u);
    tied[1].density = tied[2].density = 0.6;
    tied[1].coverage = tied[3].coverage = 0.5;
    tied[3].density = 0.6;
    CHECK(choose_box(tied, 0.9) == 2u);
  }
  // No box reaches the threshold: the densest is chosen.
  CHECK(boxes[choose_box(boxes, 1.1)].density ==
        Approx(std::max_element(boxes.begin(), boxes.end(), [](const PrimBox& a, const PrimBox& b) {
                 return a.density < b.density;
               })->density));
  // Without cases, coverage is 0 of 0: no share (NaN, as `interdep discover -o` writes it),
  // not 0; density is 0, and pasting keeps it so.
  for (const PrimBox& b : prim_peel(d.unit, std::vector<bool>(d.points), 3)) {
    CHECK(std::isnan(b.coverage));
    CHECK(b.density == 0.0);
    CHECK(std::isnan(prim_paste(d.unit, std::vector<bool>(d.points), 3, b).coverage));
  }
  CHECK_THROWS_AS(prim_peel(d.unit, std::vector<bool>(999), 3), std::invalid_argument);
  CHECK_THROWS_AS(prim_peel(d.unit, is_case, 3, PrimOptions{1.5, 0.05}), std::invalid_argument);
  std::vector<double> broken = d.unit;
  broken[5] = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(prim_peel(broken, is_case, 3), Contains("run 1"));
}

TEST_CASE("prim_paste widens a box that peeling cut too deep back to the cases' edge", "[sweep]") {
  // Runs at x0 = 0, 0.01, ..., 0.99 (x1 a shuffled copy that does nothing); cases where
  // 0.2 <= x0 <= 0.79. Peels of 30 % overshoot the lower edge (to 0.3); pasting takes back the
  // cases.
  std::vector<double> x;
  std::vector<bool> is_case;
  for (int i = 0; i < 100; ++i) {
    x.push_back(i / 100.0);
    x.push_back(((i * 37) % 100) / 100.0);
    is_case.push_back(i >= 20 && i <= 79);
  }
  const PrimOptions options{0.3, 0.2};
  const std::vector<PrimBox> boxes = prim_peel(x, is_case, 2, options);
  const PrimBox& peeled = boxes[choose_box(boxes, 0.99)];
  REQUIRE(peeled.density == 1.0);
  REQUIRE(peeled.coverage < 1.0);  // peeled past the cases' edge
  const PrimBox pasted = prim_paste(x, is_case, 2, peeled, options);
  // Widened by 5 % of the box's runs at a time (2 runs): down to the cases' lower edge, every
  // case below taken back, no other run; at the upper edge the next 2 runs are half cases.
  CHECK(pasted.density == 1.0);
  CHECK(pasted.coverage == Approx(59.0 / 60.0));
  CHECK(pasted.low[0] == Approx(0.2));
  CHECK(pasted.high[0] == Approx(0.78));
  CHECK(pasted.low[1] <= peeled.low[1]);
  CHECK(pasted.high[1] >= peeled.high[1]);
  // A box that no side improves stays as it is, and pasting never lowers the density.
  const PrimBox again = prim_paste(x, is_case, 2, pasted, options);
  CHECK(again.low == pasted.low);
  CHECK(again.high == pasted.high);
  const Design d = latin_hypercube(1000, 3, 7);
  std::vector<bool> known(d.points);
  for (std::size_t i = 0; i < d.points; ++i) known[i] = d.at(i, 0) > 0.6 && d.at(i, 1) < 0.3;
  for (const PrimBox& b : prim_peel(d.unit, known, 3)) {
    const PrimBox p = prim_paste(d.unit, known, 3, b);
    CHECK(p.density >= b.density);
    CHECK(p.runs >= b.runs);
    for (std::size_t k = 0; k < 3; ++k) CHECK((p.low[k] <= b.low[k] && p.high[k] >= b.high[k]));
  }
  CHECK_THROWS_AS(prim_paste(x, is_case, 3, peeled), std::invalid_argument);
}

TEST_CASE("cart_tree splits where the known box's edges are and leaves a pure leaf", "[sweep]") {
  const Design d = latin_hypercube(1000, 3, 7);
  std::vector<bool> is_case(d.points);
  for (std::size_t i = 0; i < d.points; ++i) is_case[i] = d.at(i, 0) > 0.6 && d.at(i, 1) < 0.3;
  const std::vector<CartNode> tree = cart_tree(d.unit, is_case, 3, 2, 50);
  // The root splits at one edge of the box; the side without cases is pure and stays a leaf,
  // the other splits at the second edge: five nodes.
  REQUIRE(tree.size() == 5u);
  // The path to the leaf of the cases: x0 > about 0.6, then x1 <= about 0.3 (or the other order).
  const CartNode& root = tree[0];
  REQUIRE(root.parameter != CartNode::npos);
  CHECK(root.runs == 1000u);
  bool found = false;
  for (const CartNode& n : tree) {
    if (n.parameter != CartNode::npos || n.depth != 2 || n.runs == 0) continue;
    if (static_cast<double>(n.cases) / static_cast<double>(n.runs) > 0.95) found = true;
  }
  CHECK(found);
  CHECK((root.parameter == 0 || root.parameter == 1));
  CHECK(root.threshold == Approx(root.parameter == 0 ? 0.6 : 0.3).margin(0.03));
  for (const CartNode& n : tree)
    if (n.parameter != CartNode::npos) {
      CHECK(n.parameter != 2);  // x2 does nothing: never split on
      CHECK(tree[n.left].runs + tree[n.right].runs == n.runs);
      CHECK(tree[n.left].runs >= 50u);
      CHECK(tree[n.right].runs >= 50u);
    }
  // Pure or too small: no split.
  CHECK(cart_tree(d.unit, std::vector<bool>(1000, true), 3, 3, 10).size() == 1u);
  CHECK(cart_tree(d.unit, is_case, 3, 3, 600).size() == 1u);
  CHECK_THROWS_AS(cart_tree(d.unit, is_case, 3, 0, 10), std::invalid_argument);
}

TEST_CASE("cart_rules narrow a parameter split twice on a path", "[sweep]") {
  // A discrete parameter with four values (indices 0..3), the cases at index 1 only, and a
  // second parameter that does nothing: the tree must split x0 twice on the path to the cases,
  // and the rules must leave index 1 alone there, not every index below the last threshold.
  std::vector<double> x;
  std::vector<bool> is_case;
  for (int repeat = 0; repeat < 20; ++repeat)
    for (int k = 0; k < 4; ++k) {
      x.push_back(static_cast<double>(k));
      x.push_back(0.05 * repeat);
      is_case.push_back(k == 1);
    }
  const std::vector<CartNode> tree = cart_tree(x, is_case, 2, 3, 5);
  const std::vector<CartRule> rules = cart_rules(tree, 2);
  REQUIRE(rules.size() == tree.size() - 1);  // every node but the root, once
  const double inf = std::numeric_limits<double>::infinity();
  bool pure_leaf = false;
  for (const CartRule& rule : rules) {
    const CartNode& node = tree[rule.node];
    CHECK(rule.parameter == 0u);
    CHECK(rule.low[1] == -inf);  // x1 is never split on
    CHECK(rule.high[1] == inf);
    // The limits hold exactly the runs the node holds.
    std::size_t inside = 0, cases = 0;
    for (std::size_t r = 0; r < is_case.size(); ++r)
      if (x[2 * r] > rule.low[0] && x[2 * r] <= rule.high[0]) {
        ++inside;
        cases += is_case[r] ? 1u : 0u;
      }
    CHECK(inside == node.runs);
    CHECK(cases == node.cases);
    if (node.parameter == CartNode::npos && node.cases == node.runs) {
      pure_leaf = true;
      CHECK(rule.depth == 2u);
      CHECK(rule.low[0] == Approx(0.5));
      CHECK(rule.high[0] == Approx(1.5));
    }
  }
  CHECK(pure_leaf);
  // Depth first, the `<=` side first: the root's children are rules[0] (below) and, after the
  // first child's subtree, the `>` side.
  REQUIRE(!rules.empty());
  CHECK(rules[0].depth == 1u);
  CHECK(rules[0].below);
  CHECK(rules[0].node == tree[0].left);
  CHECK(cart_rules(cart_tree(x, std::vector<bool>(x.size() / 2, true), 2, 3, 5), 2).empty());
}
