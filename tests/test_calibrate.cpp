// interdep calibrate (engine/calibrate): what the loader refuses, parameter recovery from
// figures simulated at known values with the calibration's own replicate seeds, reproducibility,
// and resuming an interrupted calibration from its journal.

#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "engine/calibrate/calibrator.hpp"
#include "engine/run/observation.hpp"
#include "engine/run/simulation.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/sweep/sweep_loader.hpp"
#include "models/registry.hpp"
#include "tests/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using interdep::InputError;
using interdep::ObservedFigure;
using interdep::ScenarioSpec;
namespace calibrate = interdep::calibrate;

const interdep::calibrate::SimulateFigures simulate_figures = interdep::observe_scenario;

// A four-year baseline observing PAK's and RUS's GDP, with `values` the observed figures (two
// dates each: 2026.5 and 2028.5).
std::string scenario_text(const std::vector<double>& values) {
  std::ostringstream s;
  s.precision(17);
  s << "base = \"" INTERDEP_SOURCE_DIR "/scenarios/baseline.toml\"\n"
    << "[time]\nyears = 4\n"
    << "[[observations]]\nquantity = \"gdp[PAK]\"\nunit = \"US$ bn\"\nsource = \"synthetic\"\n"
    << "dates = [2026.5, 2028.5]\nvalues = [" << values[0] << ", " << values[1]
    << "]\nuncertainty = [" << 0.01 * values[0] << ", " << 0.01 * values[1] << "]\n"
    << "[[observations]]\nquantity = \"gdp[RUS]\"\nunit = \"US$ bn\"\nsource = \"synthetic\"\n"
    << "dates = [2026.5, 2028.5]\nvalues = [" << values[2] << ", " << values[3]
    << "]\nuncertainty = [" << 0.01 * values[2] << ", " << 0.01 * values[3] << "]\n";
  return s.str();
}

constexpr const char* kCalibration = R"(name = "growth"
scenario = "scenario.toml"
seed = 5
replicates = 2

[parameters."actors.PAK.gdp_growth"]
distribution = "uniform"
min = -0.02
max = 0.10

[parameters."actors.RUS.gdp_growth"]
distribution = "uniform"
min = -0.05
max = 0.08
start = 0.0

[fit]
loss = "squared_log_error"

[optimizer]
algorithm = "bobyqa"
max_evaluations = 120
tolerance = 1e-8
restarts = 2
)";

// Writes the scenario with figures simulated at the true growth rates (0.041, -0.012), as the
// calibration's replicates would see them, and the calibration file.
struct Setup {
  interdep::test::TempDir dir;
  fs::path calibration;
  Setup(const std::string& calibration_text = kCalibration) {
    std::ofstream(dir.path() / "scenario.toml") << scenario_text({300, 300, 2000, 2000});
    interdep::LoadOptions truth;
    truth.overrides = {"actors.PAK.gdp_growth=0.041", "actors.RUS.gdp_growth=-0.012"};
    const ScenarioSpec spec = interdep::load_scenario(dir.path() / "scenario.toml", truth);
    std::vector<double> mean(4, 0.0);
    for (std::size_t r = 0; r < 2; ++r) {
      const auto figures = simulate_figures(spec, interdep::sweep::run_seed(5, r));
      for (std::size_t f = 0; f < 4; ++f) mean[f] += figures[f].simulated / 2.0;
    }
    std::ofstream(dir.path() / "scenario.toml") << scenario_text(mean);
    calibration = dir.path() / "calibration.toml";
    std::ofstream(calibration) << calibration_text;
  }
};

std::optional<InputError> load_error(const std::string& text) {
  Setup setup(text);
  try {
    (void)calibrate::load_calibration(setup.calibration);
  } catch (const InputError& e) {
    UNSCOPED_INFO("error: " << e.what());
    return e;
  }
  return std::nullopt;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("calibrate: a pair_total series is named in either direction", "[calibrate]") {
  Setup setup(replaced(kCalibration, "[fit]", "[fit]\nquantities = [\"trade[RUS,PAK]\"]"));
  std::ofstream(setup.dir.path() / "scenario.toml", std::ios::app)
      << "[[observations]]\nquantity = \"trade[PAK,RUS]\"\naggregate = \"pair_total\"\n"
         "unit = \"US$ bn/yr\"\nsource = \"synthetic\"\ndates = [2027.5]\nvalues = [1.0]\n"
         "uncertainty = [0.1]\n";
  const calibrate::CalibrationSpec spec = calibrate::load_calibration(setup.calibration);
  CHECK(spec.quantities == std::vector<std::string>{"trade[PAK,RUS]"});
  // However it is spaced, in either direction: kept as the scenario spells it.
  for (const char* named : {"trade[PAK, RUS]", "trade[ RUS , PAK ]"}) {
    std::ofstream(setup.calibration)
        << replaced(kCalibration, "[fit]", std::string("[fit]\nquantities = [\"") + named + "\"]");
    CHECK(calibrate::load_calibration(setup.calibration).quantities ==
          std::vector<std::string>{"trade[PAK,RUS]"});
  }
  // Named twice, the second time reversed: the refusal quotes what was typed there.
  std::ofstream(setup.calibration) << replaced(
      kCalibration, "[fit]", "[fit]\nquantities = [\"trade[PAK,RUS]\", \"trade[RUS,PAK]\"]");
  CHECK_THROWS_WITH(calibrate::load_calibration(setup.calibration),
                    Contains("'trade[RUS,PAK]' (the series 'trade[PAK,RUS]') is given twice"));
  // One direction's exports (aggregate "value") are a quantity of their own: the other
  // direction is not it.
  std::ofstream(setup.dir.path() / "scenario.toml", std::ios::app)
      << "[[observations]]\nquantity = \"trade[RUS,CHN]\"\nunit = \"US$ bn/yr\"\n"
         "source = \"synthetic\"\ndates = [2027.5]\nvalues = [1.0]\nuncertainty = [0.1]\n";
  std::ofstream(setup.calibration)
      << replaced(kCalibration, "[fit]", "[fit]\nquantities = [\"trade[CHN,RUS]\"]");
  CHECK_THROWS_WITH(calibrate::load_calibration(setup.calibration),
                    Contains("the scenario observes no 'trade[CHN,RUS]'"));
}

TEST_CASE("calibrate: a bad calibration file is refused with its line and key", "[calibrate]") {
  struct Case {
    std::string text, key, says;
  };
  const std::string base = kCalibration;
  const std::vector<Case> cases = {
      {replaced(base, "scenario.toml", "missing.toml"), "scenario", "does not exist"},
      {replaced(base, "algorithm = \"bobyqa\"", "algorithm = \"newton\""), "optimizer.algorithm",
       "expected one of"},
      {replaced(base, "max = 0.10", "max = -0.03"), "parameters.\"actors.PAK.gdp_growth\".max",
       "max > min"},
      {replaced(base, "[fit]", "[fit]\nquantities = [\"gdp[CHN]\"]"), "fit.quantities",
       "observes no 'gdp[CHN]'"},
      {replaced(base, "[fit]", "[fit]\nuntil = 2026.0"), "fit.until", "no observed figure"},
      {replaced(base, "[fit]", "[fit]\nuntil = 2100-01-01"), "fit.until",
       "2100 is after the end of the scenario's run"},
      {replaced(base, "max = 0.10", "max = 0.9"), "parameters.\"actors.PAK.gdp_growth\"",
       "rejects this parameter at 0.9"},
      // A key path written unquoted is tables inside tables to TOML: said so, not "min is
      // required" of parameters."actors".
      {replaced(base, "[parameters.\"actors.PAK.gdp_growth\"]",
                "[parameters.actors.PAK.gdp_growth]"),
       "parameters.\"actors\"", "write [parameters.\"actors.PAK.gdp_growth\"] (unquoted"},
      {replaced(base, "[parameters.\"actors.PAK.gdp_growth\"]",
                "[parameters.\"observations.1.uncertainty\"]"),
       "parameters.\"observations.1.uncertainty\"", "not elements of an array"},
      // An element of an array named by a quoted part (a label) is one too.
      {replaced(base, "[parameters.\"actors.PAK.gdp_growth\"]",
                "[parameters.'observations.\"gdp[PAK]\".uncertainty']"),
       "parameters.\"observations.\\\"gdp[PAK]\\\".uncertainty\"", "not elements of an array"},
      // The scenario has no events: said so (the --set would make a table where [[events]] are).
      {replaced(base, "[parameters.\"actors.PAK.gdp_growth\"]",
                "[parameters.\"events.0.intensity\"]"),
       "parameters.\"events.0.intensity\"",
       "the scenario has no [[events]]: 'events.0' names none of them"},
      {replaced(base, "distribution = \"uniform\"\nmin = -0.05",
                "distribution = \"loguniform\"\nmin = -0.05"),
       "parameters.\"actors.RUS.gdp_growth\".min", "min > 0"},
      {base + "\n[extra]\n", "extra", "unknown key"},
      // What every candidate shares cannot be fitted, however the key is spelt.
      {replaced(base, "[parameters.\"actors.PAK.gdp_growth\"]", "[parameters.\"time.years\"]"),
       "parameters.\"time.years\"", "cannot be fitted"},
      {replaced(base, "[parameters.\"actors.PAK.gdp_growth\"]", "[parameters.'\"time\".years']"),
       "parameters.\"\\\"time\\\".years\"", "cannot be fitted"},
      {replaced(base, "[parameters.\"actors.PAK.gdp_growth\"]", "[parameters.\"seed\"]"),
       "parameters.\"seed\"", "cannot be fitted"},
      // The same key twice, spelt two ways.
      {replaced(base, "[parameters.\"actors.PAK.gdp_growth\"]",
                "[parameters.'actors.\"RUS\".gdp_growth']"),
       "parameters.\"actors.RUS.gdp_growth\"", "the same scenario key as"},
      // A table made by dotted keys has no position of its own: the error is at its key.
      {replaced(base,
                "[parameters.\"actors.PAK.gdp_growth\"]\ndistribution = \"uniform\"\n"
                "min = -0.02\nmax = 0.10\n",
                "[parameters]\n\"actors.PAK.gdp_growht\".min = -0.02\n"
                "\"actors.PAK.gdp_growht\".max = 0.10\n"),
       "parameters.\"actors.PAK.gdp_growht\"", "rejects this parameter"},
      {replaced(base, "[fit]", "[fit]\nuntil = \"2021\""), "fit.until",
       "expected a date such as 2021-01-01 or a decimal year"},
      // An empty list of quantities fits nothing (leaving the key out fits every series).
      {replaced(base, "[fit]", "[fit]\nquantities = []"), "fit.quantities", "omit the key"},
      {replaced(base, "[fit]", "[fit]\nquantities = [\"gdp[PAK]\", \"gdp[RUS]\", \"gdp[PAK]\"]"),
       "fit.quantities", "'gdp[PAK]' is given twice"},
      // DIRECT's search is a fixed rule from the box's centre: restarts would repeat the first's
      // evaluations (a spread of 0 no start tested), and a start would be ignored.
      {replaced(base, "algorithm = \"bobyqa\"", "algorithm = \"direct\""), "optimizer.restarts",
       "every restart would repeat the first's evaluations"},
      {replaced(replaced(base, "algorithm = \"bobyqa\"", "algorithm = \"direct\""), "restarts = 2",
                "restarts = 1"),
       "parameters.\"actors.RUS.gdp_growth\".start", "takes no start"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const std::optional<InputError> e = load_error(c.text);
    REQUIRE(e);
    CHECK(e->where().line > 0);
    CHECK(fs::path(e->where().file).filename() == "calibration.toml");
    CHECK(e->key() == c.key);
    CHECK_THAT(e->message(), Contains(c.says));
  }
  CHECK_FALSE(load_error(base));
}

TEST_CASE("calibrate: a value inside the range that the scenario refuses is refused when read",
          "[calibrate]") {
  // An integer key alone: 1 and 4 are taken, a value inside (1 + 0.382 x 3) is not, nor the
  // first candidate (the middle, 2.5). It was refused only when evaluated, without the
  // calibration file's name and line. A continuous optimiser's candidates have fractions: a
  // start at a whole number does not make the key one to fit.
  std::string text = replaced(kCalibration, "[parameters.\"actors.PAK.gdp_growth\"]",
                              "[parameters.\"institutions.SCO.summit_month\"]");
  text = replaced(text, "min = -0.02\nmax = 0.10", "min = 1\nmax = 4");
  text = replaced(text,
                  "[parameters.\"actors.RUS.gdp_growth\"]\ndistribution = \"uniform\"\n"
                  "min = -0.05\nmax = 0.08\nstart = 0.0\n",
                  "");
  const std::optional<InputError> e = load_error(text);
  REQUIRE(e);
  CHECK(fs::path(e->where().file).filename() == "calibration.toml");
  CHECK(e->where().line == 6);
  CHECK(e->key() == "parameters.\"institutions.SCO.summit_month\"");
  // In the calibration's words: the parameter is named once, no --set of a command line.
  CHECK_THAT(e->message(), StartsWith("the scenario rejects this parameter at 2.14589803375: "
                                      "expected an integer"));
  CHECK_THAT(e->message(), !Contains("--set"));
  const std::optional<InputError> started =
      load_error(replaced(text, "max = 4", "max = 4\nstart = 2"));
  REQUIRE(started);
  CHECK(started->where().line == 6);
}

TEST_CASE("calibrate: a key of a table made of digits, or quoted, is fitted and written back",
          "[calibrate]") {
  // A year of a growth path is a key of a table, not an index: it has a dotted TOML key of its
  // own (actors.PAK.gdp_growth_path.2027 = ...), quoted when it holds a dot.
  const std::string year = replaced(kCalibration, "[parameters.\"actors.PAK.gdp_growth\"]",
                                    "[parameters.\"actors.PAK.gdp_growth_path.2027\"]");
  CHECK_FALSE(load_error(year));
  CHECK_FALSE(load_error(replaced(kCalibration, "[parameters.\"actors.PAK.gdp_growth\"]",
                                  "[parameters.'actors.PAK.gdp_growth_path.\"2027.5\"']")));
  Setup setup(year);
  const calibrate::CalibrationSpec spec = calibrate::load_calibration(setup.calibration);
  calibrate::CalibrationResult result;
  result.best_overrides = {"actors.PAK.gdp_growth_path.2027=0.02",
                           "actors.PAK.gdp_growth_path.\"2028.5\"=-0.01",
                           "actors.RUS.gdp_growth=0.01"};
  std::ofstream(setup.dir.path() / "fit.toml")
      << calibrate::fitted_scenario(spec, result, setup.dir.path() / "fit.toml");
  const ScenarioSpec loaded = interdep::load_scenario(setup.dir.path() / "fit.toml");
  for (const auto& a : loaded.actors)
    if (a.code == "PAK") {
      CHECK(a.gdp_growth_at(2027.2) == 0.02);
      CHECK(a.gdp_growth_at(2029.0) == -0.01);
    }
}

TEST_CASE("calibrate: the first evaluation is at the start's own value, on a log scale too",
          "[calibrate]") {
  // 0.041 on a log scale over [0.001, 0.1] comes back from its unit coordinate as
  // 0.040999999999999995: the first loss would not be the start's.
  std::string text =
      replaced(kCalibration, "distribution = \"uniform\"\nmin = -0.02\nmax = 0.10\n",
               "distribution = \"loguniform\"\nmin = 0.001\nmax = 0.1\nstart = 0.041\n");
  text = replaced(text, "max_evaluations = 120", "max_evaluations = 6");
  text = replaced(text, "restarts = 2", "restarts = 1");
  Setup setup(text);
  const calibrate::CalibrationSpec spec = calibrate::load_calibration(setup.calibration);
  const calibrate::CalibrationResult result =
      calibrate::calibrate(spec, simulate_figures, calibrate::CalibrationOptions{});
  REQUIRE_FALSE(result.trace.empty());
  CHECK(result.trace.front().values[0] == 0.041);
  CHECK(result.trace.front().values[1] == 0.0);
}

TEST_CASE("calibrate: recovers the growth rates the figures were simulated at, and repeats itself",
          "[calibrate]") {
  Setup setup;
  const calibrate::CalibrationSpec spec = calibrate::load_calibration(setup.calibration);
  calibrate::CalibrationOptions options;
  options.threads = 4;  // 2 replicates on 2 threads each, the 2 restarts at once
  const calibrate::CalibrationResult result = calibrate::calibrate(spec, simulate_figures, options);
  REQUIRE(result.best.size() == 2);
  CHECK(result.best[0] == Approx(0.041).margin(2e-4));
  CHECK(result.best[1] == Approx(-0.012).margin(2e-4));
  CHECK(result.best_loss < 1e-3);
  for (const calibrate::ParameterFit& p : result.parameters) {
    CHECK(p.slice_low <= p.best);
    CHECK(p.slice_high >= p.best);
    CHECK_FALSE(p.low_at_bound);  // the figures pin the growth rates down
    CHECK_FALSE(p.high_at_bound);
  }
  CHECK(result.parameters[0].slice_low < 0.041);
  CHECK(result.parameters[0].slice_high > 0.041);
  REQUIRE(result.figures.size() == 4);
  for (const calibrate::FigureFit& f : result.figures) {
    CHECK(f.fitted);
    CHECK(std::abs(f.z) < 0.05);
  }
  // The fitted scenario sets both keys and loads.
  const std::string fitted =
      calibrate::fitted_scenario(spec, result, setup.dir.path() / "fit.toml");
  std::ofstream(setup.dir.path() / "fit.toml") << fitted;
  const ScenarioSpec loaded = interdep::load_scenario(setup.dir.path() / "fit.toml");
  for (const auto& a : loaded.actors)
    if (a.code == "PAK") CHECK(a.gdp_growth == Approx(result.best[0]));
  // Named as its file: two fits of one scenario (-o a, -o b) give runs of two names.
  CHECK(loaded.name == "fit");

  // The same file, seed and options: the same evaluations, bit for bit (threads do not matter).
  options.threads = 1;
  const calibrate::CalibrationResult again = calibrate::calibrate(spec, simulate_figures, options);
  REQUIRE(again.trace.size() == result.trace.size());
  for (std::size_t k = 0; k < again.trace.size(); ++k) {
    CHECK(again.trace[k].values == result.trace[k].values);
    CHECK(again.trace[k].loss == result.trace[k].loss);
    CHECK(again.trace[k].restart == result.trace[k].restart);
  }
  // The two restarts ran at once: the trace still lists them in order.
  for (std::size_t k = 1; k < result.trace.size(); ++k)
    CHECK(result.trace[k - 1].restart <= result.trace[k].restart);
  CHECK(result.trace.front().restart == 0);
  CHECK(result.restart_best.size() == 2);
}

// Runs the calibration with `options` and stops it once `evaluations` evaluations are journaled.
void interrupt_after(const calibrate::CalibrationSpec& spec, calibrate::CalibrationOptions options,
                     std::size_t evaluations) {
  std::atomic<bool> stop{false};
  options.cancel = &stop;
  options.progress = [&](const calibrate::Evaluation&, std::size_t index, double) {
    if (index == evaluations) stop = true;
  };
  CHECK_THROWS_AS(calibrate::calibrate(spec, simulate_figures, options),
                  calibrate::CalibrationCancelled);
}

TEST_CASE("calibrate: an interrupted calibration resumes from its journal to the same result",
          "[calibrate]") {
  Setup setup;
  const calibrate::CalibrationSpec spec = calibrate::load_calibration(setup.calibration);
  calibrate::CalibrationOptions whole;
  const calibrate::CalibrationResult reference =
      calibrate::calibrate(spec, simulate_figures, whole);

  calibrate::CalibrationOptions first;
  first.journal = setup.dir.path() / "fit.journal";
  interrupt_after(spec, first, 25);

  calibrate::CalibrationOptions second;
  second.journal = first.journal;
  second.resume = true;
  const calibrate::CalibrationResult resumed = calibrate::calibrate(spec, simulate_figures, second);
  REQUIRE(resumed.trace.size() == reference.trace.size());
  std::size_t from_journal = 0;
  for (std::size_t k = 0; k < resumed.trace.size(); ++k) {
    CHECK(resumed.trace[k].values == reference.trace[k].values);
    CHECK(resumed.trace[k].loss == reference.trace[k].loss);
    from_journal += resumed.trace[k].from_journal ? 1u : 0u;
  }
  CHECK(from_journal == 25);
  CHECK(resumed.best == reference.best);

  // A journal answers only the calibration that wrote it: another file's is refused.
  calibrate::CalibrationSpec other = spec;
  other.text += "\n# another file\n";
  CHECK_THROWS_WITH(calibrate::calibrate(other, simulate_figures, second),
                    Contains("written by another calibration"));
}

// The journal's text and its lines (the header first).
std::vector<std::string> journal_lines(const fs::path& journal) {
  std::ifstream in(journal);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_CASE("calibrate: a damaged journal answers only its whole lines and a cut one is repaired",
          "[calibrate]") {
  Setup setup;
  const calibrate::CalibrationSpec spec = calibrate::load_calibration(setup.calibration);
  // Every section's Setup writes the same files: the uninterrupted calibration is made once (a
  // minute of the sanitizer suite when it was made for each of the seven sections).
  static const calibrate::CalibrationResult reference =
      calibrate::calibrate(spec, simulate_figures, calibrate::CalibrationOptions{});

  calibrate::CalibrationOptions first;
  first.journal = setup.dir.path() / "fit.journal";
  interrupt_after(spec, first, 25);
  std::vector<std::string> lines = journal_lines(first.journal);
  REQUIRE(lines.size() == 26);  // the header and 25 evaluations

  calibrate::CalibrationOptions resume;
  resume.journal = first.journal;
  resume.resume = true;
  auto resumed_from_journal = [&](std::size_t expected) {
    const calibrate::CalibrationResult resumed =
        calibrate::calibrate(spec, simulate_figures, resume);
    REQUIRE(resumed.trace.size() == reference.trace.size());
    std::size_t from_journal = 0;
    for (std::size_t k = 0; k < resumed.trace.size(); ++k) {
      CHECK(resumed.trace[k].values == reference.trace[k].values);
      CHECK(resumed.trace[k].loss == reference.trace[k].loss);
      CHECK(resumed.trace[k].simulated == reference.trace[k].simulated);
      from_journal += resumed.trace[k].from_journal ? 1u : 0u;
    }
    CHECK(from_journal == expected);
    CHECK(resumed.best == reference.best);
  };
  auto write = [&](const std::string& text) { std::ofstream(first.journal) << text; };
  std::string whole;
  for (const std::string& line : lines) whole += line + '\n';

  SECTION("the last line cut inside its last number, as an interruption leaves it") {
    // Same number of fields, the last one shorter: it must not be taken for a figure.
    write(whole.substr(0, whole.size() - 4));
    resumed_from_journal(24);
    // The cut line was cut off before the resumed calibration appended: every line is whole,
    // and a second resume answers every evaluation from the journal.
    resumed_from_journal(reference.trace.size());
  }
  SECTION("a field that is not a number (damage) makes its line answer nothing") {
    std::string& line = lines[7];  // its loss: read as 0 it would be taken for a perfect fit
    REQUIRE(line.find("; 0x") != std::string::npos);
    line.replace(line.find("; 0x") + 2, 2, "zz");
    std::string text;
    for (const std::string& l : lines) text += l + '\n';
    write(text);
    resumed_from_journal(24);
  }
  SECTION("a loss or a parameter no calibrator writes (damage) makes its line answer nothing") {
    // A loss of -inf would be taken for the best fit, and end the fit at that candidate. Each
    // damage on a line of its own, in one journal: a line that answered would count.
    std::vector<std::string> edited = lines;
    std::size_t line_number = 2;
    for (const std::string damaged : {"-inf", "inf", "nan", "-1", "-0x1p+0"}) {
      std::string& line = edited[line_number++];
      const std::size_t loss = line.find("; ") + 2, end = line.find(" ;", loss);
      REQUIRE(end != std::string::npos);
      line.replace(loss, end - loss, damaged);
    }
    edited[line_number].replace(0, edited[line_number].find(' '), "inf");  // its first parameter
    std::string text;
    for (const std::string& l : edited) text += l + '\n';
    write(text);
    resumed_from_journal(25 - 6);
  }
  SECTION("a whole header without its line end: nothing answers, the header is kept") {
    write(lines[0]);
    resumed_from_journal(0);
    resumed_from_journal(reference.trace.size());  // every line the first resume wrote answers
    CHECK(journal_lines(first.journal).front() == lines[0]);
  }
  SECTION("an empty journal (left before its header): the calibration starts afresh") {
    write("");
    resumed_from_journal(0);
    CHECK(journal_lines(first.journal).front() == lines[0]);
  }
  SECTION("a copy with CRLF line ends answers every whole line") {
    std::string crlf;
    for (const std::string& line : lines) crlf += line + "\r\n";
    write(crlf);
    resumed_from_journal(25);
  }
  SECTION("a header cut short is called damage, not another calibration") {
    write(lines[0].substr(0, 15));
    CHECK_THROWS_WITH(calibrate::calibrate(spec, simulate_figures, resume),
                      Contains("not a calibration journal, or a damaged one"));
    write("x\n" + whole);
    CHECK_THROWS_WITH(calibrate::calibrate(spec, simulate_figures, resume),
                      Contains("not a calibration journal, or a damaged one"));
  }
}

TEST_CASE("calibrate: the figure losses", "[calibrate]") {
  using calibrate::Loss;
  CHECK(calibrate::figure_loss(Loss::squared_error, 12.0, 10.0, 2.0) == Approx(1.0));
  CHECK(calibrate::figure_loss(Loss::squared_log_error, 10.0 * std::exp(0.1), 10.0, 1.0) ==
        Approx(1.0));
  CHECK(std::isinf(calibrate::figure_loss(Loss::squared_log_error, 0.0, 10.0, 1.0)));
  CHECK(std::isinf(calibrate::figure_loss(Loss::squared_error, std::nan(""), 10.0, 1.0)));
}

TEST_CASE("calibrate: a recovery study fits back parameters drawn in the box", "[calibrate]") {
  Setup setup;
  const calibrate::CalibrationSpec spec = calibrate::load_calibration(setup.calibration);
  const std::vector<calibrate::RecoveryDraw> study =
      calibrate::recover(spec, simulate_figures, calibrate::CalibrationOptions{}, 2);
  REQUIRE(study.size() == 2);
  CHECK(study[0].truth != study[1].truth);
  for (const calibrate::RecoveryDraw& draw : study) {
    REQUIRE(draw.truth.size() == 2);
    for (std::size_t p = 0; p < 2; ++p) {
      const auto& d = spec.parameters[p].parameter.distribution;
      CHECK(draw.truth[p] >= d.min);
      CHECK(draw.truth[p] <= d.max);
      // GDP figures pin the growth rates: each comes back within 1 % of its range.
      CHECK(std::abs(draw.fit.best[p] - draw.truth[p]) < 0.01 * (d.max - d.min));
    }
    CHECK(draw.fit.best_loss < 1e-3);
    // The synthetic figures replaced the scenario's: the fit table shows them.
    CHECK(draw.fit.figures[0].figure.observed != Approx(300.0));
  }
}

namespace {

double pak_growth(const ScenarioSpec& spec) {
  for (const auto& a : spec.actors)
    if (a.code == "PAK") return a.gdp_growth;
  return 0.0;
}

// The model, except that a candidate with PAK's growth above 0.07 fails as a run whose state
// stops being a number does (InputError), and one below -0.01 has means that are not numbers.
std::vector<ObservedFigure> failing_at_the_ends(const ScenarioSpec& spec, std::uint64_t seed) {
  const double growth = pak_growth(spec);
  if (growth > 0.07)
    throw InputError(interdep::SourcePosition{spec.source_path, 0, 0}, "",
                     "the run's gdp[PAK] is inf at 2027.00 (step 12); no output was written");
  std::vector<ObservedFigure> figures = simulate_figures(spec, seed);
  if (growth < -0.01)
    for (ObservedFigure& f : figures) f.simulated = std::nan("");
  return figures;
}

}  // namespace

TEST_CASE(
    "calibrate: a candidate that cannot be scored counts as the worst, with its values and why",
    "[calibrate]") {
  Setup setup;
  const calibrate::CalibrationSpec spec = calibrate::load_calibration(setup.calibration);
  calibrate::CalibrationOptions options;
  options.journal = setup.dir.path() / "fit.journal";
  const calibrate::CalibrationResult result =
      calibrate::calibrate(spec, failing_at_the_ends, options);
  // The optimiser went on past the failures, to the growth rates the figures were made at.
  CHECK(result.best[0] == Approx(0.041).margin(2e-4));
  CHECK(result.best[1] == Approx(-0.012).margin(2e-4));
  std::size_t thrown = 0, not_numbers = 0;
  for (const calibrate::Evaluation& e : result.trace) {
    INFO(e.values[0] << ", " << e.values[1]);
    if (e.values[0] > 0.07) {
      ++thrown;
      CHECK(e.loss == calibrate::kUnscorableLoss);
      CHECK_THAT(e.failure, Contains("the run's gdp[PAK] is inf at 2027.00"));
      CHECK_THAT(e.failure, !Contains("no output was written"));
    } else if (e.values[0] < -0.01) {
      ++not_numbers;
      CHECK(e.loss == calibrate::kUnscorableLoss);
      CHECK_THAT(e.failure, Contains("the replicates' mean of gdp[PAK] at 2026.5 is nan"));
    } else {
      CHECK(e.failure.empty());
      CHECK(e.loss < calibrate::kUnscorableLoss);
    }
  }
  CHECK(thrown > 0);  // the slices reach both bounds
  CHECK(not_numbers > 0);
  std::vector<interdep::sweep::ParameterSpec> parameters;
  for (const auto& f : spec.parameters) parameters.push_back(f.parameter);
  CHECK(calibrate::candidate_text(parameters, {0.1, -0.0125}) ==
        "actors.PAK.gdp_growth = 0.1, actors.RUS.gdp_growth = -0.0125");

  // Resumed from the journal, a failed candidate is failed again, its cause what the journal
  // can tell: means that are not numbers, or none at all.
  options.resume = true;
  const calibrate::CalibrationResult resumed =
      calibrate::calibrate(spec, failing_at_the_ends, options);
  REQUIRE(resumed.trace.size() == result.trace.size());
  for (std::size_t k = 0; k < resumed.trace.size(); ++k) {
    const calibrate::Evaluation& e = resumed.trace[k];
    CHECK(e.from_journal);
    CHECK(e.loss == result.trace[k].loss);
    CHECK(e.failure.empty() == result.trace[k].failure.empty());
    if (e.values[0] > 0.07) CHECK_THAT(e.failure, Contains("the journal keeps no cause"));
  }
}

TEST_CASE("calibrate: when no candidate can be scored, the calibration stops, naming the first",
          "[calibrate]") {
  Setup setup;
  const calibrate::CalibrationSpec spec = calibrate::load_calibration(setup.calibration);
  const calibrate::SimulateFigures always_fails = [](const ScenarioSpec& s, std::uint64_t) {
    return s.actors.empty() ? std::vector<ObservedFigure>{}
                            : throw InputError(interdep::SourcePosition{s.source_path, 0, 0}, "",
                                               "the run's trade[PAK,RUS] is nan");
  };
  try {
    (void)calibrate::calibrate(spec, always_fails, calibrate::CalibrationOptions{});
    FAIL("a calibration without one scored candidate ended");
  } catch (const calibrate::NothingScored& e) {
    CHECK(fs::path(e.where().file).filename() == "calibration.toml");
    CHECK(e.where().line == 6);  // the first parameter's
    CHECK(e.key() == "parameters");
    CHECK_THAT(e.message(), Contains("no candidate could be scored"));
    // The first candidate: PAK's growth in the middle of its range (-0.02 + 0.5 × 0.12 rounds to
    // 0.04000000000000001), RUS's at its start.
    CHECK_THAT(e.message(), Contains("actors.PAK.gdp_growth = 0.04"));
    CHECK_THAT(e.message(), Contains("actors.RUS.gdp_growth = 0,"));
    CHECK_THAT(e.message(), Contains("the run's trade[PAK,RUS] is nan"));
  }

  // Means squared_log_error cannot score (a relation runs negative): the advice is the loss,
  // not narrower ranges.
  const calibrate::SimulateFigures negative = [](const ScenarioSpec& s, std::uint64_t seed) {
    std::vector<ObservedFigure> figures = simulate_figures(s, seed);
    for (ObservedFigure& f : figures) f.simulated = -0.4;
    return figures;
  };
  try {
    (void)calibrate::calibrate(spec, negative, calibrate::CalibrationOptions{});
    FAIL("a calibration without one scored candidate ended");
  } catch (const calibrate::NothingScored& e) {
    CHECK_THAT(e.message(), Contains("is -0.4, which squared_log_error cannot score"));
    CHECK_THAT(e.message(), Contains("with [fit] loss = \"squared_error\""));
    CHECK_THAT(e.message(), !Contains("Narrow the parameters' ranges"));
  }

  // A failure that is not the candidate's values (the machine's) stops at once, naming both.
  const calibrate::SimulateFigures no_memory = [](const ScenarioSpec& s, std::uint64_t) {
    return s.actors.empty() ? std::vector<ObservedFigure>{}
                            : throw std::runtime_error("out of memory");
  };
  CHECK_THROWS_MATCHES(
      calibrate::calibrate(spec, no_memory, calibrate::CalibrationOptions{}),
      calibrate::CandidateFailed,
      Catch::Matchers::Message(
          "calibrate: the evaluation of the candidate actors.PAK.gdp_growth = 0.04000000000000001, "
          "actors.RUS.gdp_growth = 0 failed: out of memory"));
}

TEST_CASE(
    "calibrate: the best reported is the best candidate evaluated, within the evaluation limit, "
    "whatever the algorithm",
    "[calibrate]") {
  // NLopt's own answer is not always the best point it evaluated (COBYLA returns its last one
  // when it stops at its tolerance): the fit, the restarts' best and the slices start from the
  // lowest loss of each restart's trace.
  Setup setup;
  calibrate::CalibrationSpec spec = calibrate::load_calibration(setup.calibration);
  spec.max_evaluations = 40;
  spec.tolerance = 1e-3;  // COBYLA stops at it on a point worse than its best (both restarts)
  for (const calibrate::Algorithm algorithm :
       {calibrate::Algorithm::bobyqa, calibrate::Algorithm::cobyla,
        calibrate::Algorithm::neldermead, calibrate::Algorithm::sbplx, calibrate::Algorithm::direct,
        calibrate::Algorithm::crs2, calibrate::Algorithm::isres}) {
    spec.algorithm = algorithm;
    const calibrate::CalibrationResult result =
        calibrate::calibrate(spec, simulate_figures, calibrate::CalibrationOptions{});
    for (std::size_t restart = 0; restart < spec.restarts; ++restart) {
      const calibrate::Evaluation* best = nullptr;
      std::size_t evaluated = 0;
      for (const calibrate::Evaluation& e : result.trace)
        if (e.restart == restart) {
          ++evaluated;
          if (best == nullptr || e.loss < best->loss) best = &e;
        }
      INFO("algorithm " << static_cast<int>(algorithm) << ", restart " << restart);
      // max_evaluations limits every algorithm's restarts (NLopt's CRS2 went a few past it).
      CHECK(evaluated <= spec.max_evaluations);
      REQUIRE(best != nullptr);
      CHECK(result.restart_loss[restart] == best->loss);
      CHECK(result.restart_best[restart] == best->values);
    }
  }
}

TEST_CASE(
    "calibrate: a figure squared_log_error cannot take is refused, naming where it is written",
    "[calibrate]") {
  Setup setup;
  // gdp[PAK] of 0 at 2028.5 (its uncertainty, 1 % of the value written, stays > 0).
  std::ofstream(setup.dir.path() / "scenario.toml") << replaced(
      scenario_text({300, 100, 2000, 2000}), "values = [300, 100]", "values = [300, 0]");
  try {
    (void)calibrate::load_calibration(setup.calibration);
    FAIL("loaded");
  } catch (const InputError& e) {
    CHECK(e.key() == "fit.loss");
    CHECK_THAT(e.message(), Contains("squared_log_error needs positive observations; "
                                     "gdp[PAK] is 0 at 2028-07-01 ("));
    CHECK_THAT(e.message(), Contains("scenario.toml, line 9, column "));
    CHECK_THAT(e.message(), Contains("use loss = \"squared_error\""));
  }
}
