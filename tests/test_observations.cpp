// Observations ([[observations]], engine/run/observation): what the loader and the resolver
// refuse (with the line), and the simulated counterpart of each figure, checked against the
// same run recorded at every step (simulate), computed here from the trajectory's arrays.

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "engine/run/observation.hpp"
#include "engine/run/simulation.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/observed_unit.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "models/registry.hpp"
#include "output/insight/compare.hpp"
#include "output/insight/observed_ensemble.hpp"
#include "output/run_file/run_reader.hpp"
#include "output/run_file/run_stream.hpp"
#include "tests/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using interdep::InputError;
using interdep::ScenarioSpec;

// The shipped baseline (2025-01 to 2035-01, monthly, seven actors) with observations appended:
// line 2 starts them.
std::string with_observations(const std::string& observations) {
  return "base = \"" INTERDEP_SOURCE_DIR "/scenarios/baseline.toml\"\n" + observations;
}

ScenarioSpec load(const std::string& observations) {
  return interdep::load_scenario_text(with_observations(observations), "obs.toml",
                                      fs::temp_directory_path());
}

// The InputError of loading and resolving, or nullopt when both accept.
std::optional<InputError> error_of(const std::string& observations) {
  try {
    const ScenarioSpec spec = load(observations);
    (void)interdep::resolve_observations(spec);
  } catch (const InputError& e) {
    UNSCOPED_INFO("error: " << e.what());
    return e;
  }
  return std::nullopt;
}

// The InputError of loading the scenario file `path`, or nullopt when it loads.
std::optional<InputError> file_error(const fs::path& path) {
  try {
    (void)interdep::load_scenario(path);
  } catch (const InputError& e) {
    UNSCOPED_INFO("error: " << e.what());
    return e;
  }
  return std::nullopt;
}

constexpr const char* kTradeSeries = R"([[observations]]
quantity = "trade[PAK,RUS]"
aggregate = "pair_total"
period = "year"
unit = "US$ million/yr"
source = "test"
dates = [2025, 2027]
values = [700, 800]
uncertainty = 70
)";

// Pakistan's fiscal year runs July to June and is named by the year it ends in.
constexpr const char* kFiscalSeries = R"([[observations]]
quantity = "gdp[PAK]"
period = "year"
year_start_month = 7
unit = "US$ bn"
source = "test"
dates = [2027]
values = [400]
uncertainty = 20
)";

constexpr const char* kRelationSeries = R"([[observations]]
quantity = "relations[PAK,USA,economy]"
unit = "1"
source = "test"
dates = [2026-06-01, 2030.5, 2035.0]
values = [0.2, 0.1, 0.0]
uncertainty = [0.1, 0.2, 0.3]
)";

// The figures of `spec`'s observations taken while it runs with `seed`, as `interdep run` takes
// them (the frames themselves discarded).
std::vector<interdep::ObservedFigure> observed_figures(const ScenarioSpec& spec,
                                                       std::uint64_t seed) {
  interdep::ObservationSampler sampler(spec);
  struct DiscardFrames final : interdep::FrameSink {
    void take(const interdep::Trajectory&) override {}
  } discard;
  (void)interdep::simulate_into(spec, interdep::make_model(spec), seed, discard, nullptr, &sampler);
  return sampler.figures();
}

std::size_t index_of(const std::vector<std::string>& names, const std::string& name) {
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k] == name) return k;
  FAIL("no " << name);
  return 0;
}

}  // namespace

TEST_CASE("observations: a bad series is refused with its line, key and what was expected",
          "[observations]") {
  struct Case {
    std::string text;
    int line;
    std::string key, says;
  };
  const std::vector<Case> cases = {
      {"[[observations]]\nquantity = \"trade[PAK,XXX]\"\nunit = \"US$ bn/yr\"\nsource = \"s\"\n"
       "dates = [2026]\nvalues = [1]\nuncertainty = 1\n",
       3, "observations.0.quantity", "unknown coordinate 'XXX'"},
      {"[[observations]]\nquantity = \"relations[RUS, RUS,economy]\"\nunit = \"1\"\n"
       "source = \"s\"\ndates = [2026]\nvalues = [0.1]\nuncertainty = 0.1\n",
       3, "observations.0.quantity", "pairs 'RUS' with itself"},
      {"[[observations]]\nquantity = \"trades[PAK,RUS]\"\nunit = \"US$ bn/yr\"\nsource = \"s\"\n"
       "dates = [2026]\nvalues = [1]\nuncertainty = 1\n",
       3, "observations.0.quantity", "did you mean 'trade'"},
      {"[[observations]]\nquantity = \"trade[PAK,RUS]\"\nunit = \"bcm/yr\"\nsource = \"s\"\n"
       "dates = [2026]\nvalues = [1]\nuncertainty = 1\n",
       4, "observations.0.unit", "'US$ million/yr'"},  // the line of unit, not of quantity
      {"[[observations]]\nquantity = \"gdp[PAK]\"\naggregate = \"pair_total\"\nunit = \"US$ bn\"\n"
       "source = \"s\"\ndates = [2026]\nvalues = [1]\nuncertainty = 1\n",
       4, "observations.0.aggregate", "not one"},
      {"[[observations]]\nquantity = \"gdp[PAK]\"\nunit = \"US$ bn\"\nsource = \"s\"\n"
       "dates = [2036]\nvalues = [1]\nuncertainty = 1\n",
       6, "observations.0.dates", "outside the run period"},
      {"[[observations]]\nquantity = \"gdp[PAK]\"\nperiod = \"year\"\nunit = \"US$ bn\"\n"
       "source = \"s\"\ndates = [2034.5]\nvalues = [1]\nuncertainty = 1\n",
       7, "observations.0.dates", "the year its 12 months end in"},
      {"[[observations]]\nquantity = \"gdp[PAK]\"\nperiod = \"year\"\nunit = \"US$ bn\"\n"
       "source = \"s\"\ndates = [2035]\nvalues = [1]\nuncertainty = 1\n",
       7, "observations.0.dates", "not wholly inside"},
      {"[[observations]]\nquantity = \"gdp[PAK]\"\nperiod = \"year\"\nyear_start_month = 7\n"
       "unit = \"US$ bn\"\nsource = \"s\"\ndates = [2025]\nvalues = [1]\nuncertainty = 1\n",
       8, "observations.0.dates",
       "the year 2025 (2024-07 to 2025-06) is not wholly inside the run period [2025-01-01, "},
      {"[[observations]]\nquantity = \"gdp[PAK]\"\nyear_start_month = 7\nunit = \"US$ bn\"\n"
       "source = \"s\"\ndates = [2026]\nvalues = [1]\nuncertainty = 1\n",
       4, "observations.0.year_start_month", "only to period"},
      {"[[observations]]\nquantity = \"gdp[PAK]\"\nunit = \"US$ bn\"\nsource = \"s\"\n"
       "dates = [2026, 2027]\nvalues = [1]\nuncertainty = 1\n",
       7, "observations.0.values", "one value per date"},
      {"[[observations]]\nquantity = \"gdp[PAK]\"\nunit = \"US$ bn\"\nsource = \"s\"\n"
       "dates = [2026]\nvalues = [1]\nuncertainty = 0\n",
       8, "observations.0.uncertainty", "> 0"},
      {"[[observations]]\nquantity = \"gdp[PAK]\"\nunit = \"US$ bn\"\nsource = \"s\"\n"
       "dates = [2026, 2027]\nvalues = [1, 2]\nuncertainty = [1]\n",
       8, "observations.0.uncertainty", "one uncertainty per date"},
      {"[[observations]]\nquantity = \"gdp[PAK]\"\nunit = \"US$ bn\"\nsource = \"  \"\n"
       "dates = [2026]\nvalues = [1]\nuncertainty = 1\n",
       5, "observations.0.source", "empty"},
      {"[[observations]]\nquantity = \"gdp[PAK]\"\nunit = \"US$ bn\"\nsource = \"s\"\n"
       "dates = [2026, 2026.0]\nvalues = [1, 2]\nuncertainty = 1\n",
       6, "observations.0.dates", "listed twice"},
      {"[[observations]]\nquantity = \"gdp[PAK]\"\nunit = \"US$ bn\"\nsource = \"s\"\n"
       "dates = []\nvalues = []\nuncertainty = 1\n",
       6, "observations.0.dates", "at least one"},
      {"[[observations]]\nquantity = \"gdp[PAK]\"\nunit = \"US$ bn\"\n"
       "dates = [2026]\nvalues = [1]\nuncertainty = 1\n",
       2, "observations.0.source", "is required"},
      {"[[observations]]\nquantity = \"gdp[PAK]\"\nunit = \"US$ bn\"\nsource = \"s\"\n"
       "dates = [2026]\nvalues = [1]\nuncertainty = 1\nweight = 2\n",
       9, "observations.0.weight", "unknown key"},
      // A figure below 0 of a quantity that never is: refused, naming its date (relations may).
      {"[[observations]]\nquantity = \"trade[PAK,RUS]\"\nunit = \"US$ bn/yr\"\nsource = \"s\"\n"
       "dates = [2026, 2027]\nvalues = [1, -0.5]\nuncertainty = 1\n",
       7, "observations.0.values.1",
       "trade[PAK,RUS]: the figure of 2027-01-01 is -0.5, and 'trade' is never negative"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const std::optional<InputError> e = error_of(c.text);
    REQUIRE(e);
    CHECK(e->where().file == "obs.toml");
    CHECK(e->where().line == c.line);
    CHECK(e->key() == c.key);
    CHECK_THAT(e->message(), Contains(c.says));
  }
  CHECK_FALSE(error_of(kTradeSeries));
  CHECK_FALSE(error_of(kRelationSeries));
  CHECK_FALSE(
      error_of("[[observations]]\nquantity = \"relation_overall[PAK,RUS]\"\nunit = \"1\"\n"
               "source = \"s\"\ndates = [2026]\nvalues = [-0.4]\nuncertainty = 0.1\n"));
}

TEST_CASE("observations: the simulated value is the nearest state's or the calendar year's mean",
          "[observations]") {
  const ScenarioSpec spec = load(std::string(kTradeSeries) + kRelationSeries + kFiscalSeries);
  // The reference: the whole run recorded at every step (the baseline records every step).
  REQUIRE(spec.record.every == 1);
  const interdep::RunResult whole = interdep::run_scenario(spec, 5);
  const interdep::Trajectory& t = whole.trajectory;

  const std::vector<interdep::ObservedFigure> figures = observed_figures(spec, 5);
  REQUIRE(figures.size() == 6);

  std::vector<std::string> codes;
  for (const auto& a : spec.actors) codes.push_back(a.code);
  const std::size_t n = codes.size(), d = spec.domain_count();
  const std::size_t pak = index_of(codes, "PAK"), rus = index_of(codes, "RUS"),
                    usa = index_of(codes, "USA");
  std::size_t economy = 0;
  while (spec.domains[economy].name != "economy") ++economy;
  const double spy = spec.time.steps_per_year;

  // trade, both directions, the mean over the 12 monthly states of each year, in US$ million.
  for (std::size_t k = 0; k < 2; ++k) {
    const double year = k == 0 ? 2025.0 : 2027.0;
    double sum = 0.0;
    int count = 0;
    for (std::size_t f = 0; f < t.frames(); ++f) {
      const double time = spec.time.start + static_cast<double>(f) / spy;
      if (time < year - 1e-9 || time >= year + 1.0 - 1e-9) continue;
      sum += t.trade[f * n * n + pak * n + rus] + t.trade[f * n * n + rus * n + pak];
      ++count;
    }
    CHECK(count == 12);
    CHECK(figures[k].states == 12);
    CHECK(figures[k].simulated == Approx(1e3 * sum / count).epsilon(1e-12));
  }
  // relations[PAK,USA,economy] at the state nearest each date: 2026-06 is frame 17, 2030.5
  // frame 66, the run's end (2035.0) its last frame, 120.
  const std::size_t frames[] = {17, 66, 120};
  for (std::size_t k = 0; k < 3; ++k) {
    const std::size_t f = frames[k];
    CHECK(figures[2 + k].states == 1);
    CHECK(figures[2 + k].from == figures[2 + k].to);
    CHECK(figures[2 + k].from == Approx(spec.time.start + static_cast<double>(f) / spy));
    CHECK(figures[2 + k].simulated == t.relations[((f * n + pak) * n + usa) * d + economy]);
  }
  // gdp[PAK] over fiscal 2027: the states of July 2026 (frame 18) to June 2027 (frame 29).
  double gdp = 0.0;
  for (std::size_t f = 18; f <= 29; ++f) gdp += t.gdp[f * n + pak];
  CHECK(figures[5].states == 12);
  CHECK(figures[5].from == Approx(2026.5));
  CHECK(figures[5].to == Approx(2027.0 + 5.0 / 12.0));
  CHECK(figures[5].simulated == Approx(gdp / 12.0).epsilon(1e-12));
}

TEST_CASE("observations: a quarter's or a month's figure is the mean of its states",
          "[observations][periods]") {
  // Dated as statistical offices write them (the IMF's 2027M06 and 2027Q2, Eurostat's 2027-06,
  // FRED's first day), in a TOML file and in the CSV it names.
  const interdep::test::TempDir dir;
  std::ofstream(dir.path() / "q.csv") << "date,value\n2026Q1,100\n2026-q3,110\n2027 Q4,120\n"
                                         "2028-04-01,130\n";
  std::ofstream(dir.path() / "obs.toml") << with_observations(R"([[observations]]
quantity = "trade[PAK,RUS]"
period = "month"
unit = "US$ million/month"
source = "test"
dates = ["2026-03", "2026M04", "2026-m5", 2026-06-01, "2034-12"]
values = [40, 41, 42, 43, 44]
uncertainty = 5
[[observations]]
quantity = "trade[PAK,RUS]"
period = "quarter"
aggregate = "pair_total"
unit = "US$ bn/quarter"
source = "test"
csv = "q.csv"
uncertainty = 5
)");
  const ScenarioSpec spec = interdep::load_scenario(dir.path() / "obs.toml");
  REQUIRE(spec.observations.size() == 2);
  // Each dated by the decimal year its period starts (a month is 1/12 yr, as decimal_year).
  CHECK(spec.observations[0].dates == std::vector<double>{2026.0 + 2.0 / 12.0, 2026.0 + 3.0 / 12.0,
                                                          2026.0 + 4.0 / 12.0, 2026.0 + 5.0 / 12.0,
                                                          2034.0 + 11.0 / 12.0});
  CHECK(spec.observations[1].dates == std::vector<double>{2026.0, 2026.5, 2027.75, 2028.25});
  // The merged scenario stores the CSV's quarters as a table writes them, and reruns alone.
  CHECK_THAT(spec.resolved_text, Contains(R"(dates = [ '2026Q1', '2026Q3', '2027Q4', '2028Q2' ])"));
  const ScenarioSpec again =
      interdep::load_scenario_text(spec.resolved_text, "stored.toml", fs::temp_directory_path());
  CHECK(again.observations[1].dates == spec.observations[1].dates);

  REQUIRE(spec.record.every == 1);
  const interdep::RunResult whole = interdep::run_scenario(spec, 5);
  const interdep::Trajectory& t = whole.trajectory;
  const std::vector<interdep::ObservedFigure> figures = observed_figures(spec, 5);
  REQUIRE(figures.size() == 9);
  std::vector<std::string> codes;
  for (const auto& a : spec.actors) codes.push_back(a.code);
  const std::size_t n = codes.size(), pak = index_of(codes, "PAK"), rus = index_of(codes, "RUS");
  // Months: the one monthly state of each (frames from 2025-01: 2026-03 is frame 14).
  const std::size_t month_frames[] = {14, 15, 16, 17, 119};
  for (std::size_t k = 0; k < 5; ++k) {
    const std::size_t f = month_frames[k];
    CHECK(figures[k].states == 1);
    CHECK(figures[k].from == Approx(2025.0 + static_cast<double>(f) / 12.0));
    // US$ bn/yr to US$ million a month: x 1000 / 12.
    CHECK(figures[k].simulated ==
          Approx(t.trade[f * n * n + pak * n + rus] * 1e3 / 12.0).epsilon(1e-12));
  }
  // Quarters: both directions, the mean of their three monthly states, a quarter's worth.
  const std::size_t quarter_first[] = {12, 18, 33, 39};
  for (std::size_t k = 0; k < 4; ++k) {
    double sum = 0.0;
    for (std::size_t f = quarter_first[k]; f < quarter_first[k] + 3; ++f)
      sum += t.trade[f * n * n + pak * n + rus] + t.trade[f * n * n + rus * n + pak];
    const interdep::ObservedFigure& g = figures[5 + k];
    CHECK(g.states == 3);
    CHECK(g.from == Approx(2025.0 + static_cast<double>(quarter_first[k]) / 12.0));
    CHECK(g.to == Approx(2025.0 + static_cast<double>(quarter_first[k] + 2) / 12.0));
    CHECK(g.simulated == Approx(sum / 3.0 / 4.0).epsilon(1e-12));
  }
}

TEST_CASE(
    "observations: a quarter's or a month's date written another way is refused, saying what "
    "it is",
    "[observations][periods]") {
  struct Case {
    std::string period, dates, says;
  };
  for (const Case& c : {
           Case{"month", R"(["2026-13"])",
                "expected a month such as 2027-06 (or 2027M06, "
                "2027-06-01) for period = \"month\", got '2026-13'"},
           Case{"month", R"(["2026Q2"])", "(2026Q2 is a quarter: period = \"quarter\" takes"},
           Case{"month", "[2026.25]", "got a float"},
           Case{"month", "[2026-05-15]", "got the day 2026-05-15"},
           Case{"month", R"(["2026-05", "2026M05"])", "the month 2026-05 is listed twice"},
           Case{"month", R"(["2024-12"])",
                "the month 2024-12 is not wholly inside the run period [2025-01-01, "
                "2035-01-01)"},
           Case{"quarter", R"(["2026Q5"])", "expected a quarter such as 2027Q2"},
           Case{"quarter", "[2026-05-01]", "got the day 2026-05-01"},
           Case{"quarter", R"(["2026-06"])", "(2026-06 is a month: period = \"month\" takes"},
           Case{"quarter", R"(["2034Q4", "2035Q1"])",
                "the quarter 2035Q1 (2035-01 to 2035-03) is not wholly inside"},
           Case{"year", R"(["2026M06"])",
                "expected a year such as 2018, got '2026M06' (2026M06 is "
                "a month"},
           Case{"point", R"(["2026Q2"])", "(2026Q2 is a quarter"},
           Case{"point", R"(["2026-06"])",
                "got '2026-06' (a point is dated by a day, written without quotes: 2026-06-01)"},
           Case{"year", R"(["2026"])", "got a string (\"2026\": without the quotes, a number)"},
       }) {
    CAPTURE(c.period, c.dates);
    const auto e = error_of("[[observations]]\nquantity = \"gdp[PAK]\"\nperiod = \"" + c.period +
                            "\"\nunit = \"US$ bn\"\nsource = \"s\"\ndates = " + c.dates +
                            "\nvalues = [1]\nuncertainty = 1\n");
    REQUIRE(e);
    CHECK(e->where().line == 7);
    CHECK(e->key() == "observations.0.dates");
    CHECK_THAT(e->message(), Contains(c.says));
  }
  // A period without a step of the run inside it: a month of a run stepped by quarters.
  const auto coarse = error_of(
      "[time]\nsteps_per_year = 4\n[[observations]]\nquantity = \"gdp[PAK]\"\nperiod = \"month\"\n"
      "unit = \"US$ bn\"\nsource = \"s\"\ndates = [\"2026-04\", \"2026-05\"]\nvalues = [1, 2]\n"
      "uncertainty = 1\n");
  REQUIRE(coarse);
  CHECK(coarse->where().line == 9);
  CHECK(coarse->where().column == 21);
  CHECK_THAT(
      coarse->message(),
      Contains("the month 2026-05 holds no state of the run, which steps 4 times a year (the "
               "next at 2026-07)"));
  // A month is a calendar month: no year_start_month.
  const auto e = error_of(
      "[[observations]]\nquantity = \"gdp[PAK]\"\nperiod = \"month\"\nyear_start_month = 7\n"
      "unit = \"US$ bn\"\nsource = \"s\"\ndates = [\"2026-06\"]\nvalues = [1]\nuncertainty = 1\n");
  REQUIRE(e);
  CHECK(e->key() == "observations.0.year_start_month");
}

namespace {

// Runs `spec` into `path` with its observations, as `interdep run` does.
void run_to_file(const ScenarioSpec& spec, const fs::path& path, std::uint64_t seed) {
  std::optional<interdep::ObservationSampler> sampler;
  if (!spec.observations.empty()) sampler.emplace(spec);
  interdep::RunFileSink sink(path, spec, interdep::make_model(spec)->term_names(),
                             interdep::RunMetadata{}, false);
  const interdep::EventLog log = interdep::simulate_into(
      spec, interdep::make_model(spec), seed, sink, nullptr, sampler ? &*sampler : nullptr);
  (void)sink.finish(log, sampler ? interdep::observation_rows(spec, sampler->figures())
                                 : std::vector<interdep::RunObservation>{});
}

}  // namespace

TEST_CASE("observations: compare shows each figure with both runs' values", "[observations]") {
  const interdep::test::TempDir dir;
  const ScenarioSpec baseline = load(kTradeSeries);
  ScenarioSpec sanctions = interdep::load_scenario_text(
      "base = \"" INTERDEP_SOURCE_DIR "/scenarios/sanctions.toml\"\n" + std::string(kTradeSeries),
      "sanctions-obs.toml", fs::temp_directory_path());
  run_to_file(baseline, dir.path() / "b.h5", 4);
  run_to_file(sanctions, dir.path() / "s.h5", 4);
  run_to_file(load(""), dir.path() / "plain.h5", 4);
  const interdep::RunFile b = interdep::read_run(dir.path() / "b.h5");
  const interdep::RunFile s = interdep::read_run(dir.path() / "s.h5");

  const interdep::insight::Comparison c = interdep::insight::compare(s, b);
  REQUIRE(c.observations.size() == 2);
  for (std::size_t k = 0; k < 2; ++k) {
    CHECK(c.observations[k].scenario.simulated == s.observations[k].simulated);
    REQUIRE(c.observations[k].baseline);
    CHECK(*c.observations[k].baseline == b.observations[k].simulated);
  }
  CHECK_THAT(interdep::insight::render(c, 5), Contains("trade[PAK,RUS] (both directions)  "
                                                       "2027-01..2027-12  observed 800 ± 70"));
  // A baseline without the figure: said, not invented.
  const interdep::insight::Comparison alone =
      interdep::insight::compare(s, interdep::read_run(dir.path() / "plain.h5"));
  REQUIRE(alone.observations.size() == 2);
  CHECK_FALSE(alone.observations[0].baseline);
  CHECK_THAT(interdep::insight::render(alone, 5), Contains("baseline: no such figure"));
}

TEST_CASE("observations: run writes /observed and read_run reads it back", "[observations]") {
  const interdep::test::TempDir dir;
  const ScenarioSpec spec = load(kTradeSeries);
  interdep::ObservationSampler sampler(spec);
  const fs::path out = dir.path() / "obs.h5";
  {
    interdep::RunFileSink sink(out, spec, interdep::make_model(spec)->term_names(),
                               interdep::RunMetadata{}, false);
    const interdep::EventLog log =
        interdep::simulate_into(spec, interdep::make_model(spec), 3, sink, nullptr, &sampler);
    (void)sink.finish(log, interdep::observation_rows(spec, sampler.figures()));
  }
  const interdep::RunFile run = interdep::read_run(out);
  REQUIRE(run.observations.size() == 2);
  const std::vector<interdep::ObservedFigure> figures = sampler.figures();
  for (std::size_t k = 0; k < 2; ++k) {
    const interdep::RunObservation& o = run.observations[k];
    CHECK(o.series == 0);
    CHECK(o.quantity == "trade[PAK,RUS]");
    CHECK(o.period == "year");
    CHECK(o.aggregate == "pair_total");
    CHECK(o.unit == "US$ million/yr");
    CHECK(o.source == "test");
    CHECK(o.date == figures[k].date);
    CHECK(o.observed == figures[k].observed);
    CHECK(o.uncertainty == 70.0);
    CHECK(o.simulated == figures[k].simulated);
    CHECK(o.states == 12);
    CHECK(o.from == figures[k].from);
    CHECK(o.to == figures[k].to);
  }
  // A scenario without observations has no /observed group.
  const ScenarioSpec plain = load("");
  const fs::path plain_out = dir.path() / "plain.h5";
  {
    interdep::RunFileSink sink(plain_out, plain, interdep::make_model(plain)->term_names(),
                               interdep::RunMetadata{}, false);
    (void)sink.finish(interdep::simulate_into(plain, interdep::make_model(plain), 3, sink));
  }
  CHECK(interdep::read_run(plain_out).observations.empty());
}

TEST_CASE(
    "observations: a CSV the scenario names gives the figures, and the result reruns without it",
    "[observations]") {
  const interdep::test::TempDir dir;
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir.path() / name) << text;
  };
  const std::string entry = "base = \"" INTERDEP_SOURCE_DIR
                            "/scenarios/baseline.toml\"\n"
                            "[[observations]]\n"
                            "quantity = \"gdp[PAK]\"\n"
                            "unit = \"US$ bn\"\n"
                            "source = \"a test\"\n"
                            "csv = \"gdp.csv\"\n";
  write("obs.toml", entry);
  write("gdp.csv",
        "# PAK GDP, made up\ndate,value,uncertainty\n2026.5, 400, 20\n2027-07-01,420,21\n");
  const ScenarioSpec spec = interdep::load_scenario(dir.path() / "obs.toml");
  REQUIRE(spec.observations.size() == 1);
  const interdep::ObservationSpec& o = spec.observations[0];
  CHECK(o.dates == std::vector<double>{2026.5, 2027.5});
  CHECK(o.values == std::vector<double>{400.0, 420.0});
  CHECK(o.uncertainty == std::vector<double>{20.0, 21.0});
  // The merged scenario holds the figures: it loads where the CSV is not.
  const ScenarioSpec again =
      interdep::load_scenario_text(spec.resolved_text, "stored.toml", fs::temp_directory_path());
  REQUIRE(again.observations.size() == 1);
  CHECK(again.observations[0].values == o.values);
  CHECK(again.observations[0].dates == o.dates);

  struct Case {
    std::string csv, file;  // file: where the error points
    int line;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"date,value,uncertainty\n2026.5,abc,1\n", "gdp.csv", 2,
       "expected a finite number, got 'abc'"},
      {"date,value,uncertainty\n2026.5,1,0\n", "gdp.csv", 2, "uncertainty > 0"},
      {"date,value\n2026.5,1\n", "gdp.csv", 1, "no uncertainty column"},
      {"date,value,uncertainty,weight\n", "gdp.csv", 1, "unknown column 'weight'"},
      {"2021,2022\n1,2\n", "gdp.csv", 1,
       "unknown column '2021'; expected a header of date, "
       "value and (unless the scenario gives it) uncertainty, or an SDMX-CSV export's "
       "TIME_PERIOD and OBS_VALUE (a column named by a date or a year: a wide table"},
      {"date,value,uncertainty\n2026.5,1\n", "gdp.csv", 2, "expected 3 cells"},
      {"date,value,uncertainty\n2026-13-01,1,1\n", "gdp.csv", 2, "expected a date"},
      {"date,value,uncertainty\n2026.5,1,1\n2026.5,2,1\n", "gdp.csv", 3, "listed twice"},
      {"date,value,uncertainty\n", "gdp.csv", 1, "at least one row"},
      // Found when the entry is read, after the file: at its cell too.
      {"date,value,uncertainty\n2040,1,1\n", "gdp.csv", 2, "outside the run period"},
  };
  for (const Case& c : cases) {
    INFO(c.csv);
    write("gdp.csv", c.csv);
    const std::optional<InputError> e = file_error(dir.path() / "obs.toml");
    REQUIRE(e);
    CHECK(fs::path(e->where().file).filename() == c.file);
    CHECK(e->where().line == c.line);
    CHECK_THAT(e->message(), Contains(c.says));
  }
  // The CSV missing, or given beside dates: refused at the entry.
  fs::remove(dir.path() / "gdp.csv");
  const std::optional<InputError> e = file_error(dir.path() / "obs.toml");
  REQUIRE(e);
  CHECK(e->where().line == 6);
  CHECK_THAT(e->message(), Contains("does not exist"));
  write("obs.toml", entry + "dates = [2026]\n");
  write("gdp.csv", "date,value,uncertainty\n2026.5,1,1\n");
  const std::optional<InputError> both = file_error(dir.path() / "obs.toml");
  REQUIRE(both);
  CHECK(both->where().line == 7);
  CHECK_THAT(both->message(), Contains("not both"));
}

TEST_CASE("observations: an error about a figure read from a CSV points at its cell",
          "[observations]") {
  const interdep::test::TempDir dir;
  const auto entry = [&](const std::string& csv_text) {
    std::ofstream(dir.path() / "d.csv") << csv_text;
    std::ofstream(dir.path() / "obs.toml")
        << "base = \"" INTERDEP_SOURCE_DIR
           "/scenarios/sanctions.toml\"\n"
           "[[observations]]\nquantity = \"trade[PAK,RUS]\"\nperiod = \"year\"\n"
           "aggregate = \"pair_total\"\nunit = \"US$ million/yr\"\nsource = \"a test\"\n"
           "uncertainty = 40\ncsv = \"d.csv\"\n";
    try {  // as run reads it: the entry, then its quantity resolved
      (void)interdep::resolve_observations(interdep::load_scenario(dir.path() / "obs.toml"));
    } catch (const InputError& e) {
      return std::optional<InputError>(e);
    }
    return std::optional<InputError>();
  };
  const std::string csv = (dir.path() / "d.csv").string();
  struct Case {
    std::string text;
    int line, column;
    std::string says;
  };
  const Case cases[] = {
      // Found when the quantity is resolved (a figure below 0), and when the entry is read (a
      // date outside the run, a comment and a blank line above it).
      {"date,value\n2026,500\n2027,-5\n", 3, 6, "the figure of 2027 is -5"},
      {"date,value\n2026,500\n\n# c\n2040,5\n", 5, 1, "the year 2040"},
      {"value,date\n500,2026\n7,2026.0\n", 3, 3, "listed twice"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const std::optional<InputError> e = entry(c.text);
    REQUIRE(e);
    CHECK(e->where().file == csv);
    CHECK(e->where().line == c.line);
    CHECK(e->where().column == c.column);
    CHECK(e->key() == "observations.0.csv");
    CHECK_THAT(e->message(), Contains(c.says));
  }
  // The cells are recorded beside the figures; given by hand without a CSV they are unknown,
  // and in a shape interdep does not write, refused.
  REQUIRE_FALSE(entry("date,value\n2026,500\n2027,505\n"));
  const ScenarioSpec spec = interdep::load_scenario(dir.path() / "obs.toml");
  CHECK_THAT(spec.resolved_text, Contains("csv_cells = [ [ 2, 1, 6 ], [ 3, 1, 6 ] ]"));
  std::string text = spec.resolved_text;
  text.replace(text.find("[ 3, 1, 6 ]"), 11, "[ 3, -1, 6 ]");
  CHECK_THROWS_WITH(interdep::load_scenario_text(text, "stored.toml", dir.path()),
                    Contains("csv_cells") && Contains("as interdep records them"));
  text.replace(text.find("csv_source"), 10, "csv_sourcX");
  CHECK_THROWS_WITH(interdep::load_scenario_text(text, "stored.toml", dir.path()),
                    Contains("unknown key"));
}

TEST_CASE(
    "observations: an SDMX-CSV export is read by TIME_PERIOD and OBS_VALUE, one series kept by "
    "select",
    "[observations][sdmx]") {
  const interdep::test::TempDir dir;
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir.path() / name) << text;
  };
  // As the IMF exports a quarterly series: dimensions, FREQ, TIME_PERIOD, OBS_VALUE and an
  // attribute; two series (Pakistan's and India's), a missing figure (blank) in the first.
  const std::string imf =
      "DATAFLOW,REF_AREA,INDICATOR,COUNTERPART_AREA,FREQ,TIME_PERIOD,OBS_VALUE,UNIT_MULT\n"
      "IMF:DOTS,PK,TXG_FOB_USD,RU,Q,2026-Q1,150.5,6\n"
      "IMF:DOTS,PK,TXG_FOB_USD,RU,Q,2026-Q2,160,6\n"
      "IMF:DOTS,PK,TXG_FOB_USD,RU,Q,2026-Q3,,6\n"
      "IMF:DOTS,IN,TXG_FOB_USD,RU,Q,2026-Q1,9000,6\n"
      "IMF:DOTS,IN,TXG_FOB_USD,RU,Q,2026-Q3,9100,6\n";
  const auto entry = [](const std::string& period, const std::string& csv,
                        const std::string& more) {
    return "base = \"" INTERDEP_SOURCE_DIR
           "/scenarios/baseline.toml\"\n"
           "[[observations]]\n"
           "quantity = \"trade[PAK,RUS]\"\n"
           "period = \"" +
           period +
           "\"\n"
           "unit = \"US$ million/quarter\"\n"
           "source = \"a test\"\n"
           "uncertainty = 20\n"
           "csv = \"" +
           csv + "\"\n" + more;
  };
  write("imf.csv", imf);
  write("obs.toml", entry("quarter", "imf.csv", "select = { REF_AREA = \"PK\" }\n"));
  const ScenarioSpec spec = interdep::load_scenario(dir.path() / "obs.toml");
  REQUIRE(spec.observations.size() == 1);
  const interdep::ObservationSpec& o = spec.observations[0];
  CHECK(o.dates == std::vector<double>{2026.0, 2026.25});  // 2026-Q3's figure is missing
  CHECK(o.values == std::vector<double>{150.5, 160.0});
  // The merged scenario keeps the figures and the selection: it loads where the CSV is not.
  CHECK_THAT(spec.resolved_text, Contains("csv_select"));
  const ScenarioSpec again =
      interdep::load_scenario_text(spec.resolved_text, "stored.toml", fs::temp_directory_path());
  REQUIRE(again.observations.size() == 1);
  CHECK(again.observations[0].values == o.values);
  CHECK(again.observations[0].dates == o.dates);
  // India's series by two columns; Eurostat's lower-case freq, monthly, with NaN for missing.
  write("obs.toml",
        entry("quarter", "imf.csv", "select = { REF_AREA = \"IN\", COUNTERPART_AREA = \"RU\" }\n"));
  CHECK(interdep::load_scenario(dir.path() / "obs.toml").observations[0].values ==
        std::vector<double>{9000.0, 9100.0});
  write("es.csv",
        "DATAFLOW,LAST UPDATE,freq,unit,partner,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
        "ESTAT:EXT,01/10/26,M,MIO_USD,RU,PK,2026-01,12.5,\n"
        "ESTAT:EXT,01/10/26,M,MIO_USD,RU,PK,2026-02,NaN,p\n"
        "ESTAT:EXT,01/10/26,M,MIO_USD,RU,PK,2026-03,13.5,\n");
  write("obs.toml", entry("month", "es.csv", ""));
  const ScenarioSpec monthly = interdep::load_scenario(dir.path() / "obs.toml");
  CHECK(monthly.observations[0].values == std::vector<double>{12.5, 13.5});
  CHECK(monthly.observations[0].dates.size() == 2);
  // select also keeps rows of a plain table, whose selected column is then allowed.
  write("plain.csv", "date,value,country\n2026Q1,1,PK\n2026Q1,2,IN\n");
  write("obs.toml", entry("quarter", "plain.csv", "select = { country = \"IN\" }\n"));
  CHECK(interdep::load_scenario(dir.path() / "obs.toml").observations[0].values ==
        std::vector<double>{2.0});
  // Written with labels (SDMX-CSV's labels=both, as the IMF's portal and .Stat Suite download
  // it): header cells "ID: Name" and coded cells "code: name", kept by the code or the whole.
  const std::string labelled =
      "STRUCTURE,STRUCTURE_ID,ACTION,FREQ: Frequency,REF_AREA: Reference area,"
      "TIME_PERIOD: Time period,OBS_VALUE: Observation value,UNIT_MULT: Unit multiplier\n"
      "dataflow,IMF.STA:DOT(1.0),I,Q: Quarterly,PK: Pakistan,2026-Q1,150.5,6: Millions\n"
      "dataflow,IMF.STA:DOT(1.0),I,Q: Quarterly,IN: India,2026-Q1,9000,6: Millions\n"
      "dataflow,IMF.STA:DOT(1.0),I,Q: Quarterly,PK: Pakistan,2026-Q2,160,6: Millions\n";
  write("labelled.csv", labelled);
  for (const char* kept : {"PK", "PK: Pakistan"}) {
    write("obs.toml", entry("quarter", "labelled.csv",
                            "select = { REF_AREA = \"" + std::string(kept) + "\" }\n"));
    CHECK(interdep::load_scenario(dir.path() / "obs.toml").observations[0].values ==
          std::vector<double>{150.5, 160.0});
  }
  // Some columns left without a label (the value's, here): read alike.
  std::string partly = labelled;
  partly.replace(partly.find("OBS_VALUE: Observation value"),
                 std::string("OBS_VALUE: Observation value").size(), "OBS_VALUE");
  write("partly.csv", partly);
  write("obs.toml", entry("quarter", "partly.csv", "select = { REF_AREA = \"PK\" }\n"));
  CHECK(interdep::load_scenario(dir.path() / "obs.toml").observations[0].values ==
        std::vector<double>{150.5, 160.0});
  // A day's figure (FREQ D) is a point's.
  write("daily.csv", "FREQ,TIME_PERIOD,OBS_VALUE\nD,2026-07-01,3\n");
  write("obs.toml", entry("point", "daily.csv", ""));
  CHECK(interdep::load_scenario(dir.path() / "obs.toml").observations[0].dates ==
        std::vector<double>{2026.5});

  struct Case {
    std::string period, csv_text, more, file;  // file: where the error points
    int line;
    std::string key, says;
  };
  const std::vector<Case> cases = {
      {"quarter", imf, "", "imf.csv", 5, "observations.0.csv",
       "the date '2026-Q1' is listed twice (lines 2 and 5 differ in REF_AREA: 'PK' and 'IN'; "
       "the file holds several series: keep one with select = { REF_AREA = \"PK\" } in the "
       "entry)"},
      {"year", imf, "select = { REF_AREA = \"PK\" }\n", "imf.csv", 2, "observations.0.csv",
       "FREQ 'Q' is a quarter's figure, and the entry's period is \"year\": set period = "
       "\"quarter\""},
      {"quarter", "FREQ,TIME_PERIOD,OBS_VALUE\nA,2026,1\nQ,2026-Q1,2\n", "", "imf.csv", 2,
       "observations.0.csv",
       "FREQ 'A' is a year's figure, and the entry's period is \"quarter\": set period = "
       "\"year\", or keep one frequency with select = { FREQ = \"Q\" }"},
      {"point", "FREQ,TIME_PERIOD,OBS_VALUE\nW,2026-01-05,1\n", "", "imf.csv", 2,
       "observations.0.csv",
       "FREQ 'W' is not a frequency interdep reads: A, Q and M (a year's, a quarter's and a "
       "month's figures) and D and B (a day's, a point's)"},
      {"quarter", "FREQ,TIME_PERIOD,OBS_VALUE\nD,2026-01-05,1\n", "", "imf.csv", 2,
       "observations.0.csv",
       "FREQ 'D' is a day's (a point's) figure, and the entry's period is \"quarter\": set "
       "period = \"point\""},
      {"quarter", imf, "select = { REF_ARE = \"PK\" }\n", "obs.toml", 9,
       "observations.0.select.REF_ARE",
       "the CSV 'imf.csv' has no column 'REF_ARE'; its columns: "
       "DATAFLOW, REF_AREA"},
      {"quarter", imf, "select = { REF_AREA = \"XX\" }\n", "obs.toml", 9, "observations.0.select",
       "no row of 'imf.csv' has REF_AREA = \"XX\" (REF_AREA holds 'PK', "
       "'IN')"},
      {"quarter", imf, "select = \"PK\"\n", "obs.toml", 9, "observations.0.select",
       "expected a table of the CSV's columns"},
      {"quarter", imf, "select = {}\n", "obs.toml", 9, "observations.0.select",
       "got an empty table"},
      {"quarter", imf, "select = { REF_AREA = 1 }\n", "obs.toml", 9,
       "observations.0.select.REF_AREA", "expected the text of the column's cells to keep"},
      {"quarter", "TIME_PERIOD,OBS_VALUE\n2026-Q1,\n2026-Q2,NaN\n", "", "imf.csv", 3,
       "observations.0.csv", "every row selected has a missing OBS_VALUE (blank or NaN)"},
      {"quarter", "TIME_PERIOD,OBS_VALUE\n2026-Q1,abc\n", "", "imf.csv", 2, "observations.0.csv",
       "expected a finite number, got 'abc'"},
      {"quarter", "date,value,country\n2026Q1,1,PK\n", "", "imf.csv", 1, "observations.0.csv",
       "unknown column 'country'"},
      // The export's own unit codes against the entry's unit (US$ million/quarter): a multiple
      // of another power of ten (a figure 1,000 times off), also in one row of several; a
      // multiple that is no power; another currency; a percentage; FREQUENCY as FREQ.
      {"quarter", "FREQ,TIME_PERIOD,OBS_VALUE,UNIT_MULT\nQ,2026-Q1,0.15,9\n", "", "imf.csv", 2,
       "observations.0.csv",
       "UNIT_MULT 9 says the figures are in billions, and the unit 'US$ million/quarter' says "
       "millions: set unit = 'US$ bn/quarter' in the entry"},
      {"quarter", "TIME_PERIOD,OBS_VALUE,UNIT_MULT\n2026-Q1,150,6\n2026-Q2,160000,3\n", "",
       "imf.csv", 3, "observations.0.csv",
       "UNIT_MULT 3 says the figures are in thousands, and the unit 'US$ million/quarter' says "
       "millions: set unit = 'US$ thousand/quarter' in the entry"},
      {"quarter", "TIME_PERIOD,OBS_VALUE,UNIT_MULT\n2026-Q1,150,5\n", "", "imf.csv", 2,
       "observations.0.csv",
       "UNIT_MULT 5 says the figures are in 10^5, and the unit 'US$ million/quarter' says "
       "millions: scale the figures"},
      {"quarter", "TIME_PERIOD,OBS_VALUE,UNIT_MULT\n2026-Q1,150,6.0\n2026-Q2,150,9.0\n", "",
       "imf.csv", 3, "observations.0.csv", "UNIT_MULT 9.0 says the figures are in billions"},
      {"quarter", "TIME_PERIOD,OBS_VALUE,UNIT_MULT\n2026-Q1,150,6.5\n", "", "imf.csv", 2,
       "observations.0.csv", "expected UNIT_MULT as SDMX writes it"},
      {"quarter", "TIME_PERIOD,OBS_VALUE,UNIT_MULT\n2026-Q1,150,M\n", "", "imf.csv", 2,
       "observations.0.csv", "expected UNIT_MULT as SDMX writes it, the power of ten"},
      {"quarter", "TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\n2026-Q1,150,XDC\n", "", "imf.csv", 2,
       "observations.0.csv",
       "UNIT_MEASURE 'XDC' says the figures are in XDC, not US dollars: interdep records money "
       "in US$; convert the figures to US$ first"},
      {"quarter", "TIME_PERIOD,OBS_VALUE,CURRENCY\n2026-Q1,150,EUR\n", "", "imf.csv", 2,
       "observations.0.csv", "CURRENCY 'EUR' says the figures are in EUR, not US dollars"},
      {"quarter", "TIME_PERIOD,OBS_VALUE,UNIT\n2026-Q1,1.5,PT\n", "", "imf.csv", 2,
       "observations.0.csv",
       "UNIT 'PT' says the figures are percentages, and the unit 'US$ million/quarter' is money"},
      // Labelled: the codes are read, and a selection is suggested by its code.
      {"year", labelled, "select = { REF_AREA = \"PK\" }\n", "imf.csv", 2, "observations.0.csv",
       "FREQ 'Q' is a quarter's figure, and the entry's period is \"year\""},
      {"quarter", labelled, "", "imf.csv", 3, "observations.0.csv",
       "keep one with select = { REF_AREA = \"PK\" } in the entry"},
      {"quarter",
       "TIME_PERIOD: Time,OBS_VALUE: Value,UNIT_MULT: Multiplier\n2026-Q1,0.15,9: Billions\n", "",
       "imf.csv", 2, "observations.0.csv", "UNIT_MULT 9 says the figures are in billions"},
      {"quarter", "FREQUENCY,TIME_PERIOD,OBS_VALUE\nA,2026,1\n", "", "imf.csv", 2,
       "observations.0.csv",
       "FREQUENCY 'A' is a year's figure, and the entry's period is \"quarter\""},
  };
  for (const Case& c : cases) {
    INFO(c.csv_text << c.more);
    write("imf.csv", c.csv_text);
    write("obs.toml", entry(c.period, "imf.csv", c.more));
    const std::optional<InputError> e = file_error(dir.path() / "obs.toml");
    REQUIRE(e);
    CHECK(fs::path(e->where().file).filename() == c.file);
    CHECK(e->where().line == c.line);
    CHECK(e->key() == c.key);
    CHECK_THAT(e->message(), Contains(c.says));
  }
  // select without a CSV: refused at the entry.
  write("obs.toml", "base = \"" INTERDEP_SOURCE_DIR
                    "/scenarios/baseline.toml\"\n"
                    "[[observations]]\n"
                    "quantity = \"gdp[PAK]\"\nunit = \"US$ bn\"\nsource = \"a test\"\n"
                    "dates = [2026.5]\nvalues = [400]\nuncertainty = [20]\n"
                    "select = { REF_AREA = \"PK\" }\n");
  const std::optional<InputError> e = file_error(dir.path() / "obs.toml");
  REQUIRE(e);
  CHECK(e->where().line == 9);
  CHECK_THAT(e->message(), Contains("select keeps rows of a CSV: give the file in csv too"));
}

TEST_CASE("observations: score reads each run's figures from its recorded frames",
          "[observations][score]") {
  const interdep::test::TempDir dir;
  const std::string series = std::string(kTradeSeries) + kRelationSeries + kFiscalSeries;
  const ScenarioSpec spec = load(series);
  run_to_file(spec, dir.path() / "a.h5", 4);
  run_to_file(spec, dir.path() / "b.h5", 5);
  const std::vector<fs::path> files{dir.path() / "a.h5", dir.path() / "b.h5"};
  // Without figures of its own, the scenario's [[observations]]: read from every step's frame,
  // they are the sampler's figures (written in /observed) bit for bit.
  const interdep::insight::ObservedEnsemble e =
      interdep::insight::observed_ensemble(files, interdep::ObservedTable{});
  REQUIRE(e.members.size() == 2);
  REQUIRE(e.simulated.size() == 6);
  for (std::size_t m = 0; m < 2; ++m) {
    const interdep::RunFile run = interdep::read_run(files[m]);
    for (std::size_t f = 0; f < 6; ++f) {
      CHECK(e.simulated[f][m] == run.observations[f].simulated);
      if (m == 0) CHECK(e.from[f] == Approx(run.observations[f].from));
    }
  }
  CHECK(e.simulated[0][0] != e.simulated[0][1]);  // two seeds, two members

  // Recorded once a year: a calendar year averages its one recorded state, and a point takes the
  // nearest recorded frame (2026-06, step 17: the frame of step 12, not 24).
  const ScenarioSpec yearly = load(series + "[output]\nevery = 12\n");
  run_to_file(yearly, dir.path() / "yearly.h5", 4);
  const interdep::RunFile y = interdep::read_run(dir.path() / "yearly.h5");
  const interdep::insight::ObservedEnsemble ey =
      interdep::insight::observed_ensemble({dir.path() / "yearly.h5"}, interdep::ObservedTable{});
  CHECK(ey.frames[0] == 1);
  CHECK(ey.from[2] == Approx(2026.0));
  std::vector<std::string> codes;
  for (const auto& a : yearly.actors) codes.push_back(a.code);
  const std::size_t n = codes.size(), d = yearly.domain_count();
  const std::size_t pak = index_of(codes, "PAK"), usa = index_of(codes, "USA");
  std::size_t economy = 0;
  while (yearly.domains[economy].name != "economy") ++economy;
  CHECK(ey.simulated[2][0] == y.relations[((1 * n + pak) * n + usa) * d + economy]);

  // Runs recorded at other intervals make one ensemble; runs of another period do not.
  CHECK(interdep::insight::observed_ensemble({files[0], dir.path() / "yearly.h5"},
                                             interdep::ObservedTable{})
            .members.size() == 2);
  run_to_file(load(std::string(kTradeSeries) + "[time]\nyears = 5\n"), dir.path() / "short.h5", 4);
  CHECK_THROWS_WITH(interdep::insight::observed_ensemble({files[0], dir.path() / "short.h5"},
                                                         interdep::ObservedTable{}),
                    Contains("short.h5: its length (60 steps against 120) differ from"));
  run_to_file(load(std::string(kTradeSeries) + "[time]\nsteps_per_year = 4\n"),
              dir.path() / "quarterly.h5", 4);
  CHECK_THROWS_WITH(interdep::insight::observed_ensemble({files[0], dir.path() / "quarterly.h5"},
                                                         interdep::ObservedTable{}),
                    Contains("quarterly.h5: its steps a year (4 against 12) differ from"));
  // One run given twice, or through another path to it, counts once: refused.
  CHECK_THROWS_WITH(interdep::insight::observed_ensemble(
                        {files[0], files[1], dir.path() / "." / "a.h5"}, interdep::ObservedTable{}),
                    Contains("a.h5: given twice (also as"));
}

TEST_CASE("an observed figure's unit is read as statistical tables write it, and converted",
          "[observations][units]") {
  using interdep::observed_unit_factor;
  using interdep::UnitFactor;
  using interdep::UnitRefused;
  // The factor from the dataset's unit to the written one, worked by hand: a bn is 1000
  // million; a year's flow is 12 months' or 4 quarters'; a share is 100 %.
  struct Spelled {
    std::string dataset, written;
    double factor;
  };
  for (const Spelled& c : {
           Spelled{"US$ bn/yr", "US$ bn/yr", 1.0},
           Spelled{"US$ bn/yr", "us$ BN / Yr", 1.0},
           Spelled{"US$ bn/yr", "USD billion per year", 1.0},
           Spelled{"US$ bn/yr", "US$bn/yr", 1.0},
           Spelled{"US$ bn/yr",
                   "US$\xC2\xA0"
                   "bn/yr",
                   1.0},  // a no-break space, as sheets write it
           Spelled{"US$ bn/yr", "USD\xE2\x80\xAFmillion\xE2\x80\x89/\xC2\xA0yr", 1e3},
           Spelled{"US$ bn/yr", "billion US dollars a year", 1.0},
           Spelled{"US$ bn/yr", "US$ million/yr", 1e3},
           Spelled{"US$ bn/yr", "USD mn p.a.", 1e3},
           Spelled{"US$ bn/yr", "US$ m/yr", 1e3},
           Spelled{"US$ bn/yr", "US$ thousand/yr", 1e6},
           Spelled{"US$ bn/yr", "US$/yr", 1e9},
           Spelled{"US$ bn/yr", "US$ trillion/yr", 1e-3},
           Spelled{"US$ bn/yr", "US$ bn/month", 1.0 / 12.0},
           Spelled{"US$ bn/yr", "US$ million per quarter", 1e3 / 4.0},
           Spelled{"US$ bn", "US$ million", 1e3},
           Spelled{"US$ bn", "current US$ bn", -1},  // "current": not a word it reads
           Spelled{"bcm/yr", "mcm/yr", 1e3},
           Spelled{"bcm/yr", "billion cubic metres per year", 1.0},
           Spelled{"bcm/yr", "bn m\xC2\xB3/yr", 1.0},
           Spelled{"bcm/yr", "bcm/month", 1.0 / 12.0},
           Spelled{"bcm/yr", "tcm/yr", 1e-3},
           Spelled{"1", "%", 100.0},
           Spelled{"1", "per cent", 100.0},
           Spelled{"1", "1", 1.0},
       }) {
    CAPTURE(c.dataset, c.written);
    const auto read = observed_unit_factor(c.dataset, c.written);
    if (c.factor < 0) {
      CHECK(std::holds_alternative<UnitRefused>(read));
      continue;
    }
    REQUIRE(std::holds_alternative<UnitFactor>(read));
    CHECK(std::get<UnitFactor>(read).factor == Approx(c.factor).epsilon(1e-15));
  }
  // Refused, saying why: another kind of amount, a flow without its period, a level with one,
  // another currency, a one-letter multiple that is not beside a currency, a scale twice.
  struct Refused {
    std::string dataset, written, says;
  };
  for (const Refused& c : {
           Refused{"US$ bn/yr", "bcm/yr", "gas (cubic metres), not money (US$)"},
           Refused{"US$ bn/yr", "%", "a share (a pure number), not money (US$)"},
           Refused{"US$ bn/yr", "US$ bn", "it is a flow, so its unit says over what period"},
           Refused{"US$ bn", "US$ bn/yr", "it is a level, not a flow"},
           Refused{"1", "%/yr", "it is a level, not a flow"},
           Refused{"US$ bn/yr", "EUR bn/yr", "records money in US$; convert"},
           Refused{"US$ bn/yr", "bn roubles/yr", "records money in US$; convert"},
           Refused{"bcm/yr", "b m3/yr", "(an amount, a multiple"},
           Refused{"US$ bn/yr", "US$ bn bn/yr", "(an amount, a multiple"},
           Refused{"US$ bn/yr", "US$ bn/yr/yr", "(an amount, a multiple"},
           Refused{"US$ bn/yr", "", "(an amount, a multiple"},
           Refused{"1", "1 %", "(an amount, a multiple"},
       }) {
    CAPTURE(c.dataset, c.written);
    const auto read = observed_unit_factor(c.dataset, c.written);
    REQUIRE(std::holds_alternative<UnitRefused>(read));
    CHECK_THAT(std::get<UnitRefused>(read).why, Contains(c.says));
    CHECK_THAT(std::get<UnitRefused>(read).why, Contains("expected '"));
  }
}
