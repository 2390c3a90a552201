// Holding runs against the record (engine/score). `interdep score`: the quantile, the CRPS
// against its closed form for a normal ensemble and against the pairwise definition, the
// table's coverage and predictions; the observed-figures CSV (engine/scenario/observed_table):
// its columns, quoting, defaults and refusals with the cell. `interdep check`: a dynamics check's
// measure against the two runs made by hand, on one thread and three; a bad checks file.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "engine/run/observation.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/observed_table.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/score/dynamics_checks.hpp"
#include "engine/score/forecast_score.hpp"
#include "engine/sweep/sweep_loader.hpp"
#include "models/registry.hpp"
#include "tests/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using interdep::InputError;
using interdep::ObservationSpec;

// CRPS by its definition over pairs: E|X - y| - E|X - X'| / 2.
double crps_pairs(const std::vector<double>& x, double y) {
  const auto m = static_cast<double>(x.size());
  double a = 0.0, b = 0.0;
  for (double xi : x) {
    a += std::abs(xi - y);
    for (double xj : x) b += std::abs(xi - xj);
  }
  return a / m - b / (2.0 * m * m);
}

ObservationSpec series(std::vector<double> dates, std::vector<double> values,
                       std::vector<double> uncertainty) {
  ObservationSpec o;
  o.quantity = "trade[PAK,RUS]";
  o.unit = "US$ bn/yr";
  o.dates = std::move(dates);
  o.values = std::move(values);
  o.uncertainty = std::move(uncertainty);
  return o;
}

}  // namespace

TEST_CASE("score: quantiles interpolate between order statistics as numpy does", "[score]") {
  const std::vector<double> x{1.0, 2.0, 3.0, 4.0};
  CHECK(interdep::score::quantile(x, 0.0) == 1.0);
  CHECK(interdep::score::quantile(x, 1.0) == 4.0);
  CHECK(interdep::score::quantile(x, 0.5) == 2.5);
  CHECK(interdep::score::quantile(x, 0.25) == Approx(1.75));  // numpy.quantile([1,2,3,4], .25)
  CHECK(interdep::score::quantile(x, 0.9) == Approx(3.7));
  CHECK(interdep::score::quantile({7.0}, 0.05) == 7.0);
}

TEST_CASE("score: the CRPS is the pairwise definition and the normal's closed form", "[score]") {
  // One member: the absolute error.
  CHECK(interdep::score::crps_ensemble({3.0}, 5.5) == Approx(2.5));
  // Any ensemble: the sorted O(m log m) sum equals the O(m^2) definition (seeded draws).
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> draw(0.0, 0.7);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<double> x(1 + static_cast<std::size_t>(trial) * 7);
    for (double& v : x) v = draw(rng);
    const double y = draw(rng);
    CHECK(interdep::score::crps_ensemble(x, y) == Approx(crps_pairs(x, y)).epsilon(1e-12));
  }
  // An ensemble that is the N(mu, sigma) distribution's quantiles at (i - 1/2) / m: its CRPS
  // tends to sigma [z (2 Phi(z) - 1) + 2 phi(z) - 1 / sqrt(pi)] (Gneiting & Raftery 2007).
  const double mu = 2.0, sigma = 0.5, pi = std::acos(-1.0);
  const std::size_t m = 20000;
  std::vector<double> x(m);
  for (std::size_t i = 0; i < m; ++i) {
    const double p = (static_cast<double>(i) + 0.5) / static_cast<double>(m);
    // Inverse of the normal CDF by bisection on erfc: plenty for a test.
    double lo = -10.0, hi = 10.0;
    for (int k = 0; k < 100; ++k) {
      const double mid = 0.5 * (lo + hi);
      (0.5 * std::erfc(-mid / std::sqrt(2.0)) < p ? lo : hi) = mid;
    }
    x[i] = mu + sigma * 0.5 * (lo + hi);
  }
  for (double y : {2.0, 2.3, 1.1, 3.9}) {
    const double z = (y - mu) / sigma;
    const double closed =
        sigma * (z * std::erf(z / std::sqrt(2.0)) +
                 2.0 * std::exp(-z * z / 2.0) / std::sqrt(2.0 * pi) - 1.0 / std::sqrt(pi));
    CHECK(interdep::score::crps_ensemble(x, y) == Approx(closed).epsilon(1e-3));
  }
}

TEST_CASE("score: the table counts coverage, leaves predictions out and signs the errors",
          "[score]") {
  const double nan = std::nan("");
  const std::vector<ObservationSpec> observations{
      series({2021, 2022, 2023}, {1.0, 5.0, nan}, {0.1, nan, 0.1}), series({2021}, {-5.0}, {0.5})};
  // Members 1..9 for each figure (the negative figure: -9..-1).
  std::vector<double> members;
  for (int k = 1; k <= 9; ++k) members.push_back(k);
  std::vector<double> negative;
  for (double v : members) negative.push_back(-v);
  const interdep::score::ScoreTable t =
      interdep::score::score_ensemble(observations, {members, members, members, negative}, 0.8);
  REQUIRE(t.figures.size() == 4);
  const auto& low = t.figures[0];  // observed 1 below the 80 % interval [1.8, 8.2]
  CHECK(low.median == 5.0);
  CHECK(low.lower == Approx(1.8));
  CHECK(low.upper == Approx(8.2));
  CHECK_FALSE(low.covered);
  CHECK(low.log_error == Approx(std::log(5.0)));
  CHECK(low.z == Approx((5.0 - 1.0) / std::sqrt(0.01 + 7.5)));  // sample variance of 1..9: 7.5
  const auto& inside = t.figures[1];
  CHECK(inside.covered);
  CHECK(inside.log_error == 0.0);
  CHECK(inside.z == Approx(0.0));  // no uncertainty: the members' spread alone
  const auto& prediction = t.figures[2];
  CHECK(prediction.median == 5.0);
  CHECK(std::isnan(prediction.crps));
  CHECK(std::isnan(prediction.log_error));
  CHECK_FALSE(prediction.covered);
  const auto& negative_figure = t.figures[3];  // no log error for figures <= 0
  CHECK(negative_figure.covered);
  CHECK(std::isnan(negative_figure.log_error));
  CHECK(t.series[0].figures == 2);
  CHECK(t.series[0].covered == 1);
  CHECK(t.series[0].predictions == 1);
  CHECK(t.series[0].mean_abs_log_error == Approx(std::log(5.0) / 2.0));
  CHECK(t.series[0].mean_crps == Approx((crps_pairs(members, 1.0) + crps_pairs(members, 5.0)) / 2));
  CHECK(t.overall.figures == 3);
  CHECK(t.overall.covered == 2);
  CHECK(t.overall.log_errors == 2);

  // One member: the interval is its value. A figure written from the run itself, summed in
  // another order (one ulp off), is inside; one 1e-9 off is not.
  const double value = 241.12988493453904;
  const std::vector<ObservationSpec> own{
      series({2021, 2022}, {std::nextafter(value, 300.0), value * (1.0 + 1e-9)}, {1.0, 1.0})};
  const interdep::score::ScoreTable one =
      interdep::score::score_ensemble(own, {{value}, {value}}, 0.9);
  CHECK(one.figures[0].covered);
  CHECK_FALSE(one.figures[1].covered);
}

namespace {

struct TableFile {
  interdep::test::TempDir dir;
  fs::path path = dir.path() / "observed.csv";
  explicit TableFile(const std::string& text) { std::ofstream(path) << text; }
};

std::optional<InputError> table_error(const std::string& text,
                                      const interdep::ObservedTableDefaults& defaults = {}) {
  const TableFile file(text);
  try {
    (void)interdep::read_observed_table(file.path, defaults, {"--observed", 0, 0});
  } catch (const InputError& e) {
    UNSCOPED_INFO("error: " << e.what());
    return e;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("score: an observed-figures CSV as a spreadsheet of a decimal-comma locale saves it",
          "[score][csv]") {
  // ';' separates, ',' is the decimal mark (and stays a character in a quantity or a source).
  const TableFile semicolons(
      "quantity;period;aggregate;unit;date;value;uncertainty;source\n"
      "trade[PAK,RUS];year;pair_total;US$ million/yr;2021;900,5;90;customs, annual\n"
      "trade[PAK,RUS];year;pair_total;US$ million/yr;2022;1\xC2\xA0;0,25;customs, annual\n");
  const interdep::ObservedTable t =
      interdep::read_observed_table(semicolons.path, {}, {"--observed", 0, 0});
  REQUIRE(t.series.size() == 1);
  CHECK(t.series[0].quantity == "trade[PAK,RUS]");
  CHECK(t.series[0].values == std::vector<double>{900.5, 1.0});
  CHECK(t.series[0].uncertainty == std::vector<double>{90.0, 0.25});
  CHECK(t.series[0].source == "customs, annual");
  // A source with a line break (a spreadsheet's cell of two lines, quoted): one row; a bad cell
  // after it is named at its own line and column.
  const auto refusal = [](const std::string& text) {
    const TableFile file(text);
    try {
      (void)interdep::read_observed_table(file.path, {}, {"--observed", 0, 0});
    } catch (const interdep::InputError& e) {
      return e;
    }
    FAIL("the file was read: " << text);
    throw std::logic_error("unreachable");
  };
  const std::string header = "quantity,period,aggregate,unit,date,value,uncertainty,source\n";
  const std::string first_row =
      "trade[PAK,RUS],year,pair_total,US$ million/yr,2021,900,90,\"customs,\nannual\"\n";
  interdep::InputError e = refusal(
      header + first_row + "trade[PAK,RUS],year,pair_total,US$ million/yr,2022,1,\"1\n\",\"x\"\n");
  CHECK(e.where().line == 4);  // the first row spans lines 2 and 3
  CHECK(e.where().column == 54);
  CHECK_THAT(e.message(), Catch::Contains("U+000A"));
  const TableFile after(header + first_row +
                        "trade[PAK,RUS],year,pair_total,US$ million/yr,2022,1,\"1\",\"x\n\ny\"\n");
  const interdep::ObservedTable v =
      interdep::read_observed_table(after.path, {}, {"--observed", 0, 0});
  REQUIRE(v.series.size() == 2);  // two sources: two series
  CHECK(v.series[0].source == "customs,\nannual");
  CHECK(v.series[1].source == "x\n\ny");
  CHECK(v.rows[1][0].line == 4);
  // A cell after a source of two lines starts on the second: named there.
  e = refusal("quantity,unit,source,date,value\ngdp[PAK],US$ bn,\"IMF,\nWEO\",2022,abc\n");
  CHECK(e.where().line == 3);
  CHECK(e.where().column == 11);
  // Tabs, as a spreadsheet's text export saves.
  const TableFile tabs("date\tvalue\n2021,5\t3,25\n");
  interdep::ObservedTableDefaults defaults;
  defaults.quantity = "trade[PAK,RUS]";
  defaults.unit = "US$ million/yr";
  const interdep::ObservedTable u =
      interdep::read_observed_table(tabs.path, defaults, {"--observed", 0, 0});
  REQUIRE(u.series.size() == 1);
  CHECK(u.series[0].dates == std::vector<double>{2021.5});
  CHECK(u.series[0].values == std::vector<double>{3.25});
  // A file that ',' separates has no decimal comma: "0,5" quoted is refused, not read as 0.5.
  const TableFile commas("date,value\n2021,\"0,5\"\n");
  CHECK_THROWS_AS(interdep::read_observed_table(commas.path, defaults, {"--observed", 0, 0}),
                  interdep::InputError);
}

TEST_CASE("score: an observed-figures CSV groups its rows into series", "[score]") {
  const TableFile file(
      "# figures brought later\n"
      "quantity,period,aggregate,unit,date,value,uncertainty,source\n"
      "trade[PAK,RUS],year,pair_total,US$ million/yr,2021,900,90,customs\n"
      "\"trade[PAK,RUS]\",year,pair_total,US$ million/yr,2022,,,customs\n"
      "\n"
      "relations[PAK,USA,economy],point,value,1,2022-07-01,0.25,0.1,\"survey, coded\"\n"
      "trade[PAK,RUS],year,pair_total,US$ million/yr,2023,1000,,customs\n");
  const interdep::ObservedTable t =
      interdep::read_observed_table(file.path, {}, {"--observed", 0, 0});
  REQUIRE(t.series.size() == 2);
  const ObservationSpec& trade = t.series[0];
  CHECK(trade.quantity == "trade[PAK,RUS]");
  CHECK(trade.period == interdep::ObservationPeriod::year);
  CHECK(trade.aggregate == interdep::ObservationAggregate::pair_total);
  CHECK(trade.unit == "US$ million/yr");
  CHECK(trade.source == "customs");
  CHECK(trade.dates == std::vector<double>{2021, 2022, 2023});
  REQUIRE(trade.values.size() == 3);
  CHECK(trade.values[0] == 900);
  CHECK(std::isnan(trade.values[1]));  // a prediction to be scored later
  CHECK(trade.uncertainty[0] == 90);
  CHECK(std::isnan(trade.uncertainty[2]));
  CHECK(trade.position.line == 3);
  // The unit's and the aggregate's own cells, for errors about them found later.
  CHECK(trade.unit_position.line == 3);
  CHECK(trade.unit_position.column == 32);
  CHECK(trade.aggregate_position.column == 21);
  CHECK(t.rows[0][2].line == 7);
  // Each figure's value cell: an error about the figure (a negative flow) names it.
  REQUIRE(trade.value_positions.size() == 3);
  CHECK(trade.value_positions[2].line == 7);
  CHECK(trade.value_positions[2].column == 52);
  const ObservationSpec& relation = t.series[1];
  CHECK(relation.source == "survey, coded");
  CHECK(relation.dates[0] == Approx(2022.5));
  CHECK(relation.period == interdep::ObservationPeriod::point);

  // The options fill the columns a file leaves out; the source defaults to the file's name.
  interdep::ObservedTableDefaults defaults;
  defaults.quantity = "gdp[PAK]";
  defaults.unit = "US$ bn";
  defaults.period = "year";
  defaults.year_start_month = 7;
  const TableFile bare("date,value\n2022,375\n2023,340\n");
  const interdep::ObservedTable b = interdep::read_observed_table(bare.path, defaults, {});
  REQUIRE(b.series.size() == 1);
  CHECK(b.series[0].year_start_month == 7);
  CHECK(b.series[0].source == "observed.csv");
  CHECK(b.series[0].dates.size() == 2);
}

TEST_CASE("score: an SDMX-CSV export is read by TIME_PERIOD and OBS_VALUE, one series by --select",
          "[score][sdmx]") {
  // As Eurostat exports it: its own lower-case `unit` and `freq` columns (codes, not interdep's:
  // MIO_USD, a million US dollars, coded as Eurostat codes MIO_EUR), two partners, a missing
  // figure (NaN) kept as a prediction to score later.
  const std::string eurostat =
      "DATAFLOW,LAST UPDATE,freq,unit,partner,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
      "ESTAT:EXT,01/10/26,Q,MIO_USD,RU,PK,2026-Q1,12.5,\n"
      "ESTAT:EXT,01/10/26,Q,MIO_USD,RU,PK,2026-Q2,NaN,p\n"
      "ESTAT:EXT,01/10/26,Q,MIO_USD,CN,PK,2026-Q1,40,\n";
  interdep::ObservedTableDefaults defaults;
  defaults.quantity = "trade[PAK,RUS]";
  defaults.unit = "US$ million/quarter";
  defaults.period = "quarter";
  defaults.select = {{"partner", "RU"}};
  const TableFile file(eurostat);
  const interdep::ObservedTable t =
      interdep::read_observed_table(file.path, defaults, {"--observed", 0, 0});
  REQUIRE(t.series.size() == 1);
  const ObservationSpec& o = t.series[0];
  CHECK(o.unit == "US$ million/quarter");  // the option's, not the export's MIO_USD
  CHECK(o.period == interdep::ObservationPeriod::quarter);
  CHECK(o.dates == std::vector<double>{2026.0, 2026.25});
  REQUIRE(o.values.size() == 2);
  CHECK(o.values[0] == 12.5);
  CHECK(std::isnan(o.values[1]));
  CHECK(t.rows[0][1].line == 3);

  // Refused: the two series without --select (the column they differ in named), another
  // period than FREQ's, a column or a text no row has, and the options the export cannot give.
  interdep::ObservedTableDefaults all = defaults;
  all.select.clear();
  auto e = table_error(eurostat, all);
  REQUIRE(e);
  CHECK(e->where().line == 4);
  CHECK_THAT(e->message(), Contains("listed twice for trade[PAK,RUS] (lines 2 and 4 differ in "
                                    "partner: 'RU' and 'CN'; the file holds several series: "
                                    "keep one with --select partner=RU)"));
  interdep::ObservedTableDefaults yearly = defaults;
  yearly.period = "year";
  e = table_error(eurostat, yearly);
  REQUIRE(e);
  CHECK(e->where().line == 2);
  CHECK(e->where().column == 20);
  CHECK_THAT(e->message(), Contains("freq 'Q' is a quarter's figure, and the figures' period is "
                                    "\"year\": give --period quarter"));
  interdep::ObservedTableDefaults missing_column = defaults;
  missing_column.select = {{"REF_AREA", "PK"}};
  e = table_error(eurostat, missing_column);
  REQUIRE(e);
  CHECK(e->key() == "--select");
  CHECK_THAT(e->message(), Contains("has no column 'REF_AREA'; its columns: DATAFLOW, LAST "
                                    "UPDATE, freq"));
  // The export's own unit codes against --unit: another multiple (the option to give named),
  // another currency, a percentage; each at its cell.
  interdep::ObservedTableDefaults billions = defaults;
  billions.unit = "US$ bn/quarter";
  e = table_error(eurostat, billions);
  REQUIRE(e);
  CHECK(e->where().line == 2);
  CHECK(e->where().column == 22);
  CHECK_THAT(e->message(), Contains("unit 'MIO_USD' says the figures are in millions, and the "
                                    "unit 'US$ bn/quarter' says billions: give --unit "
                                    "'US$ million/quarter'"));
  for (const auto& [code, says] : std::vector<std::pair<std::string, std::string>>{
           {"MIO_EUR", "unit 'MIO_EUR' says the figures are in EUR, not US dollars"},
           {"PC_GDP",
            "unit 'PC_GDP' says the figures are percentages, and the unit 'US$ "
            "million/quarter' is money"}}) {
    std::string coded = eurostat;
    for (std::size_t at = coded.find("MIO_USD"); at != std::string::npos;
         at = coded.find("MIO_USD", at))
      coded.replace(at, 7, code);
    e = table_error(coded, defaults);
    REQUIRE(e);
    CHECK(e->where().line == 2);
    CHECK_THAT(e->message(), Contains(says));
  }
  // Options left out or a selection no row has: refused, saying what to give.
  const std::vector<std::pair<void (*)(interdep::ObservedTableDefaults&), std::string>> lacking = {
      {[](interdep::ObservedTableDefaults& d) {
         d.select = {{"partner", "US"}};
       },
       "no row of 'observed.csv' has partner = \"US\" (partner holds 'RU', 'CN')"},
      {[](interdep::ObservedTableDefaults& d) { d.quantity.clear(); },
       "an SDMX-CSV export gives no quantity interdep reads: give --quantity"},
      {[](interdep::ObservedTableDefaults& d) { d.unit.clear(); },
       "gives no unit interdep reads: give --unit"}};
  for (const auto& [change, says] : lacking) {
    interdep::ObservedTableDefaults changed = defaults;
    change(changed);
    e = table_error(eurostat, changed);
    REQUIRE(e);
    CHECK_THAT(e->message(), Contains(says));
  }
  // --select also keeps rows of a plain table, whose selected column is then allowed.
  interdep::ObservedTableDefaults plain = defaults;
  plain.select = {{"country", "IN"}};
  const TableFile countries("date,value,country\n2026Q1,1,PK\n2026Q1,2,IN\n");
  const interdep::ObservedTable p =
      interdep::read_observed_table(countries.path, plain, {"--observed", 0, 0});
  REQUIRE(p.series.size() == 1);
  CHECK(p.series[0].values == std::vector<double>{2.0});
}

TEST_CASE("score: a bad observed-figures CSV is refused at its cell", "[score]") {
  const std::string header = "quantity,unit,date,value\n";
  const auto at = [](const std::optional<InputError>& e, int line, int column) {
    REQUIRE(e);
    CHECK(e->where().line == line);
    CHECK(e->where().column == column);
  };
  auto e = table_error("quantity,unit,date,value,colour\n");
  at(e, 1, 26);
  CHECK_THAT(e->message(), Contains("unknown column 'colour'"));
  CHECK_THAT(e->message(), !Contains("wide table"));
  // A table with a column a year, as the World Bank's downloads are: named as a wide table.
  for (const std::string year : {"2021", "2021-06-01", "2021 [YR2021]"}) {
    e = table_error("quantity,unit," + year + ",2022\n");
    at(e, 1, 15);
    CHECK_THAT(e->message(), Contains("unknown column '" + year + "'"));
    CHECK_THAT(e->message(), Contains("a wide table, a column a year"));
  }
  e = table_error("quantity,unit,value\n");
  CHECK_THAT(e->message(), Contains("no 'date' column"));
  e = table_error("date,value\n2022,1\n");
  CHECK_THAT(e->message(), Contains("--quantity"));
  interdep::ObservedTableDefaults quantity_only;
  quantity_only.quantity = "gdp[PAK]";
  e = table_error("quantity,date,value\n", quantity_only);
  CHECK_THAT(e->message(), Contains("--unit"));
  e = table_error(header + "gdp[PAK],US$ bn,2022,abc\n");
  at(e, 2, 22);
  CHECK_THAT(e->message(), Contains("expected a finite number"));
  e = table_error(header + "gdp[PAK],US$ bn,2022-02-30,1\n");
  at(e, 2, 17);
  CHECK_THAT(e->message(), Contains("expected a date"));
  e = table_error(header + "gdp[PAK],US$ bn,2022,1\ngdp[PAK],US$ bn,2022,2\n");
  at(e, 3, 17);
  CHECK_THAT(e->message(), Contains("listed twice"));
  e = table_error(header + "trade[PAK,RUS,US$ bn,2022,1\n");
  at(e, 2, 6);
  CHECK_THAT(e->message(), Contains("no ']' closes"));
  e = table_error(header + "\"gdp[PAK],US$ bn,2022,1\n");
  at(e, 2, 1);
  e = table_error(header + "gdp[PAK],US$ bn,2022\n");
  at(e, 2, 1);
  CHECK_THAT(e->message(), Contains("expected 4 cells"));
  e = table_error("quantity,unit,date,value,uncertainty\ngdp[PAK],US$ bn,2022,1,0\n");
  CHECK_THAT(e->message(), Contains("uncertainty > 0"));
  // Beyond what any key takes (kLargestInput), at its cell.
  e = table_error(header + "gdp[PAK],US$ bn,2022,1e300\n");
  at(e, 2, 22);
  CHECK_THAT(e->message(), Contains("expected a number at most 1e15 in size, got 1e+300"));
  e = table_error("quantity,unit,date,value,uncertainty\ngdp[PAK],US$ bn,2022,1,2e15\n");
  at(e, 2, 24);
  CHECK_THAT(e->message(), Contains("expected an uncertainty at most 1e15 in size, got 2e+15"));
  e = table_error("quantity,unit,date,value,uncertainty\ngdp[PAK],US$ bn,2022,1,1e-320\n");
  at(e, 2, 24);
  CHECK_THAT(e->message(), Contains("expected an uncertainty, got 1e-320, closer to 0"));
  e = table_error("quantity,unit,date,value,period\ngdp[PAK],US$ bn,2022,1,monthly\n");
  CHECK_THAT(e->message(), Contains("'point', 'year'"));
  e = table_error(header);
  CHECK_THAT(e->message(), Contains("at least one row"));
  const interdep::test::TempDir dir;
  try {
    (void)interdep::read_observed_table(dir.path(), {}, {"--observed", 0, 0});
    FAIL("a directory was read");
  } catch (const InputError& error) {
    CHECK_THAT(error.what(), Contains("is a directory"));
  }
}

// -- dynamics checks (engine/score/dynamics_checks) ----------------------------------------------

namespace {

const char* const kSanctionLabel = "European Union widens sanctions on Russia";

// A checks file over the shipped sanctions scenario (2025-2035, monthly).
std::string checks_file(const std::string& checks) {
  return "name = \"test-checks\"\n"
         "scenario = \"" INTERDEP_SOURCE_DIR
         "/scenarios/sanctions.toml\"\n"
         "seed = 5\n"
         "replicates = 3\n" +
         checks;
}

std::optional<InputError> checks_error(const std::string& checks) {
  const TableFile file(checks_file(checks));
  try {
    (void)interdep::score::load_checks(file.path);
  } catch (const InputError& e) {
    UNSCOPED_INFO("error: " << e.what());
    return e;
  }
  return std::nullopt;
}

// relation_overall[i,j] of `t` at the state nearest `date` (every step recorded).
double relation_at(const interdep::ScenarioSpec& spec, const interdep::Trajectory& t, std::size_t i,
                   std::size_t j, double date) {
  const auto frame = static_cast<std::size_t>(
      std::floor((date - spec.time.start) * spec.time.steps_per_year + 0.5));
  const std::size_t n = spec.actor_count();
  return t.relation_overall[frame * n * n + i * n + j];
}

}  // namespace

TEST_CASE("score: a dynamics check measures the run against the run without its events",
          "[score][checks]") {
  const TableFile file(checks_file(std::string(R"(
[[checks]]
label = "the EU's sanctions push Russia away from the EU"
quantity = "relation_overall[RUS,EU]"
from = 2025-01-01
to = 2027-01-01
expect = "fall"
without = ")") + kSanctionLabel + R"("
source = "test"

[[checks]]
label = "Russia and China stay close"
quantity = "relation_overall[RUS,CHN]"
from = 2025-01-01
to = 2030-01-01
expect = "below"
threshold = -0.5
source = "test: a check that must miss"
)"));
  const interdep::score::CheckSpec spec = interdep::score::load_checks(file.path);
  REQUIRE(spec.checks.size() == 2);
  CHECK(spec.checks[0].without == std::vector<std::string>{kSanctionLabel});
  CHECK(interdep::score::comparison_runs(spec) == 2);
  const interdep::ScenarioSpec scenario = interdep::load_scenario(spec.scenario);
  interdep::score::CheckRunOptions one;
  const auto outcomes =
      interdep::score::run_checks(spec, scenario, interdep::observe_scenario, one);
  REQUIRE(outcomes.size() == 2);

  // The reference: both scenarios run whole at each replicate's seed, read at the nearest states.
  interdep::ScenarioSpec without = scenario;
  std::erase_if(without.events,
                [](const interdep::EventSpec& e) { return e.label == kSanctionLabel; });
  REQUIRE(without.events.size() + 1 == scenario.events.size());
  std::size_t rus = 0, eu = 0, chn = 0;
  for (std::size_t k = 0; k < scenario.actor_count(); ++k) {
    if (scenario.actors[k].code == "RUS") rus = k;
    if (scenario.actors[k].code == "EU") eu = k;
    if (scenario.actors[k].code == "CHN") chn = k;
  }
  for (std::size_t r = 0; r < 3; ++r) {
    const std::uint64_t seed = interdep::sweep::run_seed(5, r);
    const auto with_run = interdep::run_scenario(scenario, seed);
    const auto without_run = interdep::run_scenario(without, seed);
    const double change_with = relation_at(scenario, with_run.trajectory, rus, eu, 2027.0) -
                               relation_at(scenario, with_run.trajectory, rus, eu, 2025.0);
    const double change_without = relation_at(without, without_run.trajectory, rus, eu, 2027.0) -
                                  relation_at(without, without_run.trajectory, rus, eu, 2025.0);
    CHECK(outcomes[0].measured[r] == Approx(change_with - change_without).margin(1e-15));
    CHECK(outcomes[1].measured[r] == relation_at(scenario, with_run.trajectory, rus, chn, 2030.0));
  }
  CHECK(outcomes[0].measured[0] < 0.0);
  CHECK(outcomes[0].agree == 3);
  CHECK(outcomes[0].holds);
  CHECK(outcomes[1].agree == 0);
  CHECK_FALSE(outcomes[1].holds);
  CHECK(outcomes[0].low <= outcomes[0].median);
  CHECK(outcomes[0].median <= outcomes[0].high);

  // The same outcomes on several threads.
  interdep::score::CheckRunOptions three;
  three.threads = 3;
  const auto threaded =
      interdep::score::run_checks(spec, scenario, interdep::observe_scenario, three);
  for (std::size_t k = 0; k < 2; ++k) CHECK(threaded[k].measured == outcomes[k].measured);
}

TEST_CASE("score: a bad checks file is refused at its line", "[score][checks]") {
  const std::string head = R"(
[[checks]]
label = "a check"
quantity = "relation_overall[RUS,EU]"
source = "test"
)";
  auto e = checks_error(
      head +
      "from = 2025-01-01\nto = 2027-01-01\nexpect = \"fall\"\nwithout = \"EU widens sanctions\"\n");
  REQUIRE(e);
  CHECK(e->where().line == 13);
  CHECK(e->key() == "checks.0.without");
  CHECK_THAT(e->message(), Contains("no event labelled 'EU widens sanctions'"));
  // An event named twice is refused at the second (it was dropped without a word).
  e = checks_error(head + "from = 2025-01-01\nto = 2027-01-01\nexpect = \"fall\"\nwithout = [\n\"" +
                   kSanctionLabel + "\",\n\"" + kSanctionLabel + "\"]\n");
  REQUIRE(e);
  CHECK(e->where().line == 15);
  CHECK(e->key() == "checks.0.without");
  CHECK_THAT(e->message(), Contains("is given twice: name each event once"));
  e = checks_error(head + "from = 2027-01-01\nto = 2025-01-01\nexpect = \"fall\"\n");
  CHECK_THAT(e->message(), Contains("expected a date after from"));
  // Two dates read at the same (monthly) step measure no change: refused, not MISSED.
  e = checks_error(head + "from = 2026.1\nto = 2026.1001\nexpect = \"fall\"\n");
  REQUIRE(e);
  CHECK(e->key() == "checks.0.to");
  CHECK_THAT(e->message(), Contains("are read at the same step"));
  CHECK_FALSE(checks_error(head + "from = 2026.1\nto = 2026.2\nexpect = \"fall\"\n"));
  e = checks_error(head + "from = 2020-01-01\nto = 2027-01-01\nexpect = \"fall\"\n");
  CHECK(e->key() == "checks.0.from");
  CHECK_THAT(e->message(), Contains("outside the run period"));
  e = checks_error(head + "from = 2025-01-01\nto = 2027-01-01\nexpect = \"above\"\n");
  CHECK(e->key() == "checks.0.threshold");
  e = checks_error(head + "from = 2025-01-01\nto = 2027-01-01\nexpect = \"up\"\n");
  CHECK_THAT(e->message(), Contains("'rise', 'fall', 'above', 'below'"));
  e = checks_error(head + "from = 2025-01-01\nto = 2027-01-01\n");
  CHECK(e->key() == "checks.0.expect");
  e = checks_error(head +
                   "from = 2025-01-01\nto = 2027-01-01\nexpect = \"rise\"\nthreshold = -1\n");
  CHECK(e->key() == "checks.0.threshold");
  e = checks_error(head + "from = 2025-01-01\nto = 2027-01-01\nexpect = \"rise\"\ncolour = 1\n");
  CHECK_THAT(e->message(), Contains("unknown key"));
  e = checks_error(R"(
[[checks]]
label = "a check"
quantity = "relation_overall[RUS,EUR]"
source = "test"
from = 2025-01-01
to = 2027-01-01
expect = "rise"
)");
  CHECK(e->where().line == 8);
  CHECK_THAT(e->message(), Contains("did you mean 'EU'"));
  e = checks_error("");
  CHECK(e->key() == "checks");
  // Two checks of one label (spaces around it do not show) could not be told apart in the
  // results: the second is refused at its label, naming the first's line.
  const std::string one = "from = 2025-01-01\nto = 2027-01-01\nexpect = \"fall\"\n";
  std::string second = head + one;
  second.replace(second.find("\"a check\""), 9, "\" a check \"");
  e = checks_error(head + one + second);
  REQUIRE(e);
  CHECK(e->key() == "checks.1.label");
  CHECK(e->where().line == 15);
  CHECK_THAT(e->message(), Contains("' a check ' is the label of another check too"));
  CHECK_THAT(e->message(), Contains(".csv:7)"));
}

TEST_CASE("score: one figure given twice under two spellings is refused, from two sources kept",
          "[score]") {
  // It would count twice in the coverage and the summaries (and in a calibration's loss).
  const interdep::ScenarioSpec spec =
      interdep::load_scenario(INTERDEP_SOURCE_DIR "/scenarios/sanctions.toml");
  const std::string header = "quantity,period,aggregate,unit,date,value,source\n";
  const auto error_of = [&](const std::string& rows) -> std::optional<InputError> {
    const TableFile file(header + rows);
    const interdep::ObservedTable t =
        interdep::read_observed_table(file.path, {}, {"--observed", 0, 0});
    try {
      (void)interdep::resolve_observations(t.series, spec, "");
    } catch (const InputError& e) {
      return e;
    }
    return std::nullopt;
  };
  const std::string first = "trade[RUS,USA],year,pair_total,US$ bn/yr,2026,4.6,customs\n";
  auto e = error_of(first + "trade[USA,RUS],year,pair_total,US$ bn/yr,2026,4.6,customs\n");
  REQUIRE(e);
  CHECK(e->where().line == 3);
  CHECK(e->where().column == 47);  // its value
  CHECK_THAT(e->message(), Contains("already given as trade[RUS,USA]") && Contains("(line 2)") &&
                               Contains("[A,B] and [B,A] are one figure"));
  e = error_of(first + "trade[RUS,USA],year,pair_total,USD million/yr,2026,4600,customs\n");
  REQUIRE(e);
  CHECK_THAT(e->message(), Contains("'US$ bn/yr' and 'USD million/yr' are one quantity"));
  // Each direction on its own (value), another year, another source: different figures.
  CHECK_FALSE(error_of(first + "trade[USA,RUS],year,value,US$ bn/yr,2026,0.6,customs\n"));
  CHECK_FALSE(error_of(first + "trade[USA,RUS],year,pair_total,US$ bn/yr,2027,4.6,customs\n"));
  CHECK_FALSE(error_of(first + "trade[USA,RUS],year,pair_total,US$ bn/yr,2026,4.9,IMF DOTS\n"));
}
