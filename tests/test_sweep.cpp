// Sweeps: sweep files, run plans and seeds, threads, interruption and resume (docs/sweeps.md).
#include <sys/stat.h>
#include <unistd.h>
#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <limits>
#include <new>
#include <numeric>
#include <set>
#include <sstream>
#include <string>

#include "engine/run/recorded_datasets.hpp"
#include "engine/sweep/discrete_values.hpp"
#include "engine/sweep/run_set.hpp"
#include "engine/sweep/runner.hpp"
#include "engine/sweep/sweep_loader.hpp"
#include "models/registry.hpp"
#include "output/sweep_file/analysis.hpp"
#include "output/sweep_file/shard_store.hpp"
#include "output/sweep_file/sweep_file.hpp"
#include "tests/temp_dir.hpp"

using namespace interdep;
using namespace interdep::sweep;
namespace fs = std::filesystem;

namespace {

using interdep::test::TempDir;

fs::path data(const std::string& name) { return fs::path(INTERDEP_TEST_DATA) / "sweeps" / name; }

// A sweep into a file, as `interdep sweep` runs it: the registered models, shards on disk.
struct FileSweepOptions : SweepOptions {
  fs::path output;
  bool resume = false;
};
SweepOutcome run_sweep(const SweepSpec& s, const FileSweepOptions& o) {
  ShardStore store(o.output, static_cast<std::size_t>(o.rank), o.resume);
  return interdep::sweep::run_sweep(
      s, o,
      [](const ScenarioSpec& spec, std::uint64_t seed, FrameSink& sink,
         std::uint64_t window_bytes) { stream_scenario(spec, seed, sink, window_bytes); },
      store);
}

// A sweep into `output` on two threads, the rest as the defaults have it.
FileSweepOptions on_two_threads(const fs::path& output) {
  FileSweepOptions o;
  o.output = output;
  o.threads = 2;
  return o;
}

std::vector<double> all_summaries(const fs::path& file, const SweepLayout& layout) {
  std::vector<double> out;
  for (std::size_t o = 0; o < layout.outputs.size(); ++o)
    for (std::size_t s = 0; s < layout.statistics.size(); ++s) {
      const auto v = read_summary(file, o, s);
      out.insert(out.end(), v.begin(), v.end());
    }
  return out;
}

// Writes `text` as a sweep file next to the test data, so relative scenario paths resolve.
fs::path write_sweep(const TempDir& dir, const std::string& text) {
  const fs::path p = dir.path() / "sweep.toml";
  std::ofstream(p) << text;
  return p;
}

std::string scenario_path() {
  return (fs::path(INTERDEP_SOURCE_DIR) / "scenarios" / "sanctions.toml").string();
}

InputError load_error(const TempDir& dir, const std::string& text) {
  try {
    load_sweep(write_sweep(dir, text));
  } catch (const InputError& e) {
    return e;
  }
  FAIL("the sweep file was accepted");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("the shipped example sweeps and the test sweeps load", "[sweep]") {
  for (const auto& entry :
       fs::directory_iterator(fs::path(INTERDEP_SOURCE_DIR) / "scenarios" / "sweeps")) {
    INFO(entry.path());
    const SweepSpec s = load_sweep(entry.path());
    CHECK(!s.parameters.empty());
    CHECK(!s.outputs.empty());
    CHECK(make_design(s).points() > 0);
  }
  const SweepSpec lhs = load_sweep(data("small-lhs.toml"));
  CHECK(lhs.replicates == 2);
  CHECK(lhs.renormalised == std::vector<std::string>{"PAK"});
  CHECK(lhs.outputs[2].dataset->name == "relations");
}

// The pages users read to name a sweep's outputs and to read a run file list every dataset the
// one table declares: a dataset added to the table without its line in the docs fails here.
TEST_CASE("docs: every recorded dataset is in output-format.md, every sweepable one in sweeps.md",
          "[sweep][docs]") {
  auto text_of = [](const char* page) {
    std::ifstream in(std::string(INTERDEP_SOURCE_DIR) + "/docs/" + page);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  };
  const std::string output_format = text_of("output-format.md");
  const std::string sweeps = text_of("sweeps.md");
  // sweeps.md's table of output names: the rows from its header to the first line after it
  // that is not a table row.
  const std::size_t header = sweeps.find("| dataset | coordinates | units | example |");
  REQUIRE(header != std::string::npos);
  std::size_t end = header;
  while (end < sweeps.size() && sweeps[end] == '|') {
    const std::size_t line_end = sweeps.find('\n', end);
    end = line_end == std::string::npos ? sweeps.size() : line_end + 1;
  }
  const std::string output_names = sweeps.substr(header, end - header);
  for (const RecordedDataset& dataset : kRecordedDatasets) {
    std::string quoted(1, '`');  // built in place: GCC 12 warns falsely of "`" + name (-Wrestrict)
    quoted.append(dataset.name).push_back('`');
    INFO(dataset.name);
    CHECK(output_format.find(quoted) != std::string::npos);
    if (dataset.sweepable) CHECK(output_names.find(quoted) != std::string::npos);
  }
}

TEST_CASE("run seeds depend on the sweep seed and the run index only", "[sweep]") {
  CHECK(run_seed(1, 0) == run_seed(1, 0));
  CHECK(run_seed(1, 0) != run_seed(1, 1));
  CHECK(run_seed(1, 0) != run_seed(2, 0));
  std::set<std::uint64_t> seeds;
  for (std::size_t k = 0; k < 10000; ++k) seeds.insert(run_seed(7, k));
  CHECK(seeds.size() == 10000u);
}

TEST_CASE("run plans renormalise varied interest weights and map discrete values", "[sweep]") {
  const SweepSpec s = load_sweep(data("small-lhs.toml"));
  const DesignPoints d = make_design(s);
  const ScenarioSpec base = load_scenario(s.scenario);
  for (std::size_t k = 0; k < d.points() * s.replicates; ++k) {
    const RunPlan plan = plan_run(s, d, base, k);
    CHECK(plan.point == k / 2);
    CHECK(plan.replicate == k % 2);
    double total = 0.0;
    bool integrator = false;
    for (const auto& o : plan.overrides) {
      if (o.rfind("actors.PAK.interests.", 0) == 0) total += std::stod(o.substr(o.find('=') + 1));
      // A TOML string literal, in either quoting.
      if (o.rfind("model.decide.integrator=", 0) == 0 &&
          (o.find("euler") != std::string::npos || o.find("rk4") != std::string::npos))
        integrator = true;
    }
    CHECK(total == Approx(1.0).epsilon(1e-12));
    CHECK(integrator);
  }
  // A weight the design draws outside [0, 1] is refused as drawn, not as the weight of another
  // domain its renormalisation made (security -0.5 was refused as economy = 2).
  const ScenarioSpec scenario = load_scenario(s.scenario);
  ParameterSpec security;
  security.key = "actors.PAK.interests.security";
  const std::vector<std::string> overrides = overrides_for({security}, scenario, {-0.5});
  CHECK(overrides == std::vector<std::string>{"actors.PAK.interests.security=-0.5"});
  CHECK(overrides_for({security}, scenario, {0.5}).size() == scenario.domain_count());
  // A weight is the same weight however its key is spelt: renormalised alike (a quoted actor
  // code was dropped silently, as if the design did not vary it).
  for (const std::string spelling :
       {"actors.\"PAK\".interests.security", "actors.PAK.interests.\"security\"",
        "\"actors\".\"PAK\".\"interests\".\"security\""}) {
    INFO(spelling);
    ParameterSpec same;
    same.key = spelling;
    CHECK(overrides_for({same}, scenario, {0.5}) == overrides_for({security}, scenario, {0.5}));
  }
  // An actor or a domain the scenario does not have goes to its loader as written, to be
  // refused there (renormalising over the scenario's domains dropped it silently).
  for (const std::string unknown :
       {"actors.XYZ.interests.security", "actors.PAK.interests.securty"}) {
    INFO(unknown);
    ParameterSpec p;
    p.key = unknown;
    CHECK(overrides_for({p}, scenario, {0.25}) == std::vector<std::string>{unknown + "=0.25"});
  }
  // With a known domain of the same actor: both as written, none renormalised against a weight
  // the scenario will refuse.
  ParameterSpec misspelt;
  misspelt.key = "actors.PAK.interests.securty";
  CHECK(overrides_for({misspelt, security}, scenario, {0.25, 0.5}) ==
        std::vector<std::string>{"actors.PAK.interests.security=0.5",
                                 "actors.PAK.interests.securty=0.25"});
}

TEST_CASE("bad sweep files are refused with the file, the line and the key", "[sweep][bad-input]") {
  TempDir dir;
  const std::string head = "name = \"t\"\nscenario = \"" + scenario_path() + "\"\n";
  const std::string record = "[record]\noutputs = [\"trade[RUS,USA]\"]\n";
  SECTION("a key the scenario does not know") {
    const InputError e =
        load_error(dir, head + "[parameters.\"actors.PAK.riks\"]\nmin = 0\nmax = 1\n" + record);
    CHECK(e.where().line == 3);
    CHECK(e.key() == "parameters.\"actors.PAK.riks\"");
    CHECK_THAT(e.message(), Catch::Contains("did you mean 'risk'"));
  }
  SECTION("a key path written unquoted (tables inside tables to TOML)") {
    const InputError e =
        load_error(dir, head + "[parameters.actors.PAK.risk]\nmin = 0\nmax = 1\n" + record);
    CHECK(e.where().line == 3);
    CHECK(e.key() == "parameters.\"actors\"");
    CHECK_THAT(e.message(), Catch::Contains("a key path is quoted whole: write "
                                            "[parameters.\"actors.PAK.risk\"]"));
  }
  SECTION("a range the scenario rejects at one end") {
    const InputError e =
        load_error(dir, head + "[parameters.\"actors.PAK.risk\"]\nmin = -1\nmax = 2\n" + record);
    CHECK_THAT(e.message(), Catch::Contains("value 2"));
    CHECK_THAT(e.message(), Catch::Contains("expected a number in [-1, 1]"));
  }
  SECTION("the run period cannot vary") {
    const InputError e =
        load_error(dir, head + "[parameters.\"time.years\"]\nmin = 1\nmax = 2\n" + record);
    CHECK_THAT(e.message(), Catch::Contains("cannot vary within a sweep"));
  }
  SECTION("an unknown output coordinate") {
    const InputError e = load_error(dir, head +
                                             "[parameters.\"actors.PAK.risk\"]\nmin = -1\nmax = 0\n"
                                             "[record]\noutputs = [\"trade[RUS,UAS]\"]\n");
    CHECK(e.where().line == 7);
    CHECK_THAT(e.message(), Catch::Contains("did you mean 'USA'"));
  }
  SECTION("an actor paired with itself") {
    const InputError e = load_error(dir, head +
                                             "[parameters.\"actors.PAK.risk\"]\nmin = -1\nmax = 0\n"
                                             "[record]\noutputs = [\"leverage[USA,USA]\"]\n");
    CHECK(e.where().line == 7);
    CHECK_THAT(e.message(), Catch::Contains("pairs 'USA' with itself"));
  }
  SECTION("an unknown dataset") {
    const InputError e = load_error(dir, head +
                                             "[parameters.\"actors.PAK.risk\"]\nmin = -1\nmax = 0\n"
                                             "[record]\noutputs = [\"trades[RUS,USA]\"]\n");
    CHECK_THAT(e.message(), Catch::Contains("did you mean 'trade'"));
  }
  SECTION("Morris needs an even number of levels") {
    const InputError e =
        load_error(dir, head +
                            "[design]\nkind = \"morris\"\nlevels = 5\n"
                            "[parameters.\"actors.PAK.risk\"]\nmin = -1\nmax = 0\n" +
                            record);
    CHECK(e.key() == "design.levels");
  }
  SECTION("max below min") {
    const InputError e =
        load_error(dir, head + "[parameters.\"actors.PAK.risk\"]\nmin = 0\nmax = -1\n" + record);
    CHECK(e.key() == "parameters.\"actors.PAK.risk\".max");
  }
  SECTION("a bound no real number holds exactly") {
    // 2^53 + 1: TOML++'s value<double>() gives nothing for it (it was "bad optional access").
    const InputError e = load_error(
        dir,
        head + "[parameters.\"actors.PAK.risk\"]\nmin = -1\nmax = 9007199254740993\n" + record);
    CHECK(e.where().line == 5);
    CHECK(e.where().column == 7);
    CHECK(e.key() == "parameters.\"actors.PAK.risk\".max");
    CHECK_THAT(e.message(), Catch::Contains("got the integer 9007199254740993"));
    CHECK_THAT(e.message(), Catch::Contains("cannot hold exactly"));
  }
  SECTION("a missing scenario") {
    const InputError e = load_error(dir, "name = \"t\"\nscenario = \"nowhere.toml\"\n");
    CHECK(e.where().line == 2);
    CHECK_THAT(e.message(), Catch::Contains("does not exist"));
  }
  SECTION("the run period cannot vary, however its key is spelt") {
    const InputError e =
        load_error(dir, head + "[parameters.'\"time\".years']\nmin = 1\nmax = 2\n" + record);
    CHECK(e.where().line == 3);
    CHECK_THAT(e.message(), Catch::Contains("cannot vary within a sweep"));
  }
}

TEST_CASE("a sweep file that names a thing twice in a list is refused at the second",
          "[sweep][bad-input]") {
  TempDir dir;
  const std::string head = "name = \"t\"\nscenario = \"" + scenario_path() + "\"\n";
  const std::string risk = "[parameters.\"actors.PAK.risk\"]\nmin = -1\nmax = 0\n";
  const std::string record = "[record]\noutputs = [\"trade[RUS,USA]\"]\n";
  SECTION("an output") {
    const InputError e = load_error(dir, head + risk +
                                             "[record]\noutputs = [\n  \"trade[RUS,USA]\",\n  "
                                             "\"gdp[PAK]\",\n  \"trade[RUS,USA]\",\n]\n");
    CHECK(e.where().line == 10);
    CHECK(e.key() == "record.outputs");
    CHECK_THAT(e.message(), Catch::Contains("'trade[RUS,USA]' is given twice (first at "));
    CHECK_THAT(e.message(), Catch::Contains(".toml:8): name each output once"));
  }
  SECTION("an output spelt another way") {
    const InputError e = load_error(
        dir, head + risk + "[record]\noutputs = [\"trade[RUS,USA]\", \"trade[ RUS , USA ]\"]\n");
    CHECK(e.where().line == 7);
    CHECK_THAT(e.message(), Catch::Contains("is the same output as 'trade[RUS,USA]'"));
  }
  SECTION("an output is stored in one spelling, however it is spaced") {
    const SweepSpec s = load_sweep(write_sweep(
        dir, head + risk +
                 "[record]\noutputs = [\"trade[ RUS , USA ]\", \"relations[PAK;RUS; energy]\"]\n"));
    REQUIRE(s.outputs.size() == 2);
    CHECK(s.outputs[0].name == "trade[RUS,USA]");
    CHECK(s.outputs[1].name == "relations[PAK,RUS,energy]");
    CHECK(quantity_spelling("no brackets ") == "no brackets ");
  }
  SECTION("a statistic") {
    const InputError e =
        load_error(dir, head + risk + record + "statistics = [\"final\", \"mean\", \"final\"]\n");
    CHECK(e.where().line == 8);
    CHECK(e.key() == "record.statistics");
    CHECK_THAT(e.message(), Catch::Contains("'final' is given twice"));
  }
  SECTION("a parameter's key, spelt another way") {
    const InputError e = load_error(
        dir, head + risk + "[parameters.'actors.\"PAK\".risk']\nmin = -1\nmax = 0\n" + record);
    CHECK(e.where().line == 6);  // at the later of the two, whatever the order of the keys
    CHECK(e.key() == "parameters.\"actors.\\\"PAK\\\".risk\"");  // as typed in TOML
    CHECK_THAT(e.message(), Catch::Contains("the same scenario key as"));
  }
  SECTION("an event's key, by its index and by its label") {
    // sanctions.toml's first event; varied twice, one draw overwrote the other in every run.
    const std::string us =
        "events.\"United States widens sanctions on Russia, with secondary sanctions on "
        "third-country trade\".intensity";
    const InputError e = load_error(
        dir, head + "[parameters.'" + us + "']\nmin = 0.1\nmax = 0.4\n" +
                 "[parameters.\"events.00.intensity\"]\nmin = 0.5\nmax = 0.9\n" + record);
    CHECK(e.where().line == 6);
    CHECK(e.key() == "parameters.\"events.00.intensity\"");
    CHECK_THAT(e.message(), Catch::Contains("the same scenario key as parameters.\"" + us));
    // Another event's key is another key.
    CHECK_NOTHROW(load_sweep(write_sweep(
        dir, head + "[parameters.'" + us + "']\nmin = 0.1\nmax = 0.4\n" +
                 "[parameters.\"events.1.intensity\"]\nmin = 0.5\nmax = 0.9\n" + record)));
  }
  SECTION("a policy's key, and a parameter's, by an event's label and index") {
    const InputError e = load_error(dir, head + risk + record +
                                             "[policies.hard]\n'events.\"European Union widens "
                                             "sanctions on Russia\".intensity' = 0.9\n"
                                             "\"events.1.intensity\" = 0.8\n");
    CHECK(e.where().line == 10);
    CHECK(e.key() == "policies.\"hard\".\"events.1.intensity\"");
    CHECK_THAT(e.message(), Catch::Contains("a policy sets each key once"));
  }
  SECTION("a discrete parameter's value") {
    const InputError e = load_error(
        dir, head +
                 "[parameters.\"model.decide.integrator\"]\ndistribution = \"discrete\"\n"
                 "values = [\"euler\", \"rk4\", \"euler\"]\n" +
                 record);
    CHECK(e.where().line == 5);
    CHECK(e.key() == "parameters.\"model.decide.integrator\".values");
    CHECK_THAT(e.message(), Catch::Contains("the value 'euler' is given twice"));
  }
  SECTION("a policy's key, spelt another way") {
    const InputError e = load_error(
        dir, head + risk + record +
                 "[policies.calm]\n\"actors.RUS.risk\" = -0.5\n'actors.\"RUS\".risk' = -0.2\n");
    CHECK(e.key() == "policies.\"calm\".\"actors.\"RUS\".risk\"");  // the later line's
    CHECK_THAT(e.message(), Catch::Contains("a policy sets each key once"));
  }
}

TEST_CASE("sweeps too large to run or to hold are refused up front at their line",
          "[sweep][bad-input][sizes]") {
  TempDir dir;
  const std::string head = "name = \"t\"\nscenario = \"" + scenario_path() + "\"\n";
  const std::string record = "[record]\noutputs = [\"trade[RUS,USA]\"]\n";
  std::string four;  // four continuous parameters
  for (const char* actor : {"PAK", "RUS", "USA", "CHN"})
    four += "[parameters.\"actors." + std::string(actor) + ".risk\"]\nmin = -1\nmax = 0\n";
  SECTION("a grid of 1000 levels in four parameters: 10^12 points") {
    const InputError e =
        load_error(dir, head + "[design]\nkind = \"grid\"\nlevels = 1000\n" + four + record);
    CHECK(e.where().line == 5);
    CHECK(e.key() == "design.levels");
    CHECK_THAT(e.message(), Catch::Contains("1000000000000 points (1000 × 1000 × 1000 × 1000 "
                                            "levels), more than the 1000000000 runs"));
  }
  SECTION("a grid whose point count overflows 64 bits") {
    std::string many;
    for (int p = 0; p < 8; ++p)
      many += "[parameters.\"model.decide.p" + std::to_string(p) + "\"]\nmin = 0\nmax = 1\n";
    const InputError e =
        load_error(dir, head + "[design]\nkind = \"grid\"\nlevels = 1000\n" + many + record);
    CHECK(e.key() == "design.levels");
    CHECK_THAT(e.message(), Catch::Contains("more than 2^64 points"));
  }
  SECTION("samples × replicates: 10^14 runs, at the line of replicates") {
    const InputError e = load_error(dir, head +
                                             "replicates = 1000000\n[design]\nsamples = "
                                             "100000000\n[parameters.\"actors.PAK.risk\"]\n"
                                             "min = -1\nmax = 0\n" +
                                             record);
    CHECK(e.where().line == 3);
    CHECK(e.key() == "replicates");
    CHECK_THAT(e.message(), Catch::Contains("100000000000000 runs, more than the 1000000000"));
  }
  SECTION("a Saltelli design of 6 × 10^8 points is read without holding its points") {
    // 2.4 × 10^9 values, 19 GB as a table: made on demand instead (DesignPoints).
    const SweepSpec s = load_sweep(write_sweep(
        dir, head + "[design]\nkind = \"saltelli\"\nsamples = 100000000\n" + four + record));
    const DesignPoints d = make_design(s);
    CHECK(d.points() == 600000000u);
    std::vector<double> last(4);
    d.point(d.points() - 1, last);  // B of the last base sample
    std::vector<double> b(4);
    d.point(d.points() - 6, b);  // A of the last base sample
    CHECK(last != b);
  }
  SECTION("a csv design naming a parameter twice") {
    std::ofstream(dir.path() / "design.csv") << "actors.PAK.risk,actors.PAK.risk\n0.1,0.9\n";
    const InputError e =
        load_error(dir, head + "[design]\nkind = \"csv\"\nfile = \"design.csv\"\n" + record);
    CHECK(e.where().line == 1);
    CHECK(e.key() == "design.file");
    CHECK_THAT(e.message(), Catch::Contains("the column 'actors.PAK.risk' is given twice"));
  }
  SECTION("a csv design as spreadsheets write it: a byte-order mark, \\r\\n or \\r line ends") {
    const std::string sweep = head + "[design]\nkind = \"csv\"\nfile = \"design.csv\"\n" + record;
    std::ofstream(dir.path() / "design.csv") << "actors.PAK.risk\n0.1\n0.2\n";
    const SweepSpec plain = load_sweep(write_sweep(dir, sweep));
    for (const std::string text : {"\xEF\xBB\xBF"
                                   "actors.PAK.risk\r\n0.1\r\n0.2\r\n",
                                   "actors.PAK.risk\r0.1\r0.2\r"}) {
      std::ofstream(dir.path() / "design.csv", std::ios::binary) << text;
      const SweepSpec read = load_sweep(write_sweep(dir, sweep));
      REQUIRE(read.parameters.size() == 1);
      CHECK(read.parameters[0].key == "actors.PAK.risk");
      CHECK(read.design.table == plain.design.table);
    }
  }
  SECTION("a csv design whose first row names an event that is not there") {
    std::ofstream(dir.path() / "design.csv") << "events.99.intensity\n0.5\n0.6\n";
    const InputError e =
        load_error(dir, head + "[design]\nkind = \"csv\"\nfile = \"design.csv\"\n" + record);
    CHECK(e.where().line == 5);
    CHECK(e.key() == "design.file");
    CHECK_THAT(e.message(), Catch::Contains("first row of"));
    CHECK_THAT(e.message(), Catch::Contains("(line 2)"));
    CHECK_THAT(e.message(), Catch::Contains("index 99 is out of range"));
  }
  SECTION("a csv design cell with a stray quote, or in hexadecimal") {
    for (const char* row : {"\"0.5,0.1", "0.5\",0.1", "0.5,0x1p-1", "0.5,\"0.\"1"}) {
      CAPTURE(row);
      std::ofstream(dir.path() / "design.csv") << "events.0.intensity,actors.PAK.risk\n0.5,0.1\n"
                                               << row << "\n";
      const InputError e =
          load_error(dir, head + "[design]\nkind = \"csv\"\nfile = \"design.csv\"\n" + record);
      CHECK(e.where().line == 3);
      CHECK_THAT(e.message(), Catch::Contains("quote") || Catch::Contains("decimal number"));
    }
    // Quoted whole, as a spreadsheet writes it: read.
    std::ofstream(dir.path() / "design.csv")
        << "\"events.0.intensity\",actors.PAK.risk\n\"0.5\", \"0.1\" \n";
    CHECK(load_sweep(
              write_sweep(dir, head + "[design]\nkind = \"csv\"\nfile = \"design.csv\"\n" + record))
              .design.table == std::vector<double>{0.5, 0.1});
  }
  SECTION("an event index out of range in a parameter's key") {
    const InputError e =
        load_error(dir, head + "[parameters.\"events.99.intensity\"]\nmin = 0\nmax = 1\n" + record);
    CHECK(e.where().line == 3);
    CHECK(e.key() == "parameters.\"events.99.intensity\"");
    CHECK_THAT(e.message(), Catch::Contains("index 99 is out of range"));
  }
  SECTION("a discrete value no scenario takes") {
    const InputError e = load_error(dir, head +
                                             "[parameters.\"model.decide.integrator\"]\n"
                                             "distribution = \"discrete\"\n"
                                             "values = [\"euler\", nan]\n" +
                                             record);
    CHECK(e.where().line == 3);
    CHECK_THAT(e.message(), Catch::Contains("rejects this parameter at value nan"));
  }
  SECTION("the parameter the scenario refuses is named, not the one at its bound") {
    // Every parameter is set while each in turn is at its bounds: the error names the one whose
    // --set it is about (the keys sort before the bad one here, and are tried first).
    const InputError e = load_error(dir, head +
                                             "[parameters.\"actors.PAK.risk\"]\nmin = -1\nmax = 0\n"
                                             "[parameters.\"events.99.intensity\"]\nmin = 0\n"
                                             "max = 1\n" +
                                             record);
    CHECK(e.where().line == 6);
    CHECK(e.key() == "parameters.\"events.99.intensity\"");
    CHECK_THAT(e.message(), Catch::Contains("rejects this parameter at value 0.5"));
  }
  SECTION("the scenario's refusal is said in the sweep's words, not the command line's") {
    // The parameter's own key is not named again; another key it made (an actor the scenario
    // lacks) is; no "--set KEY=VALUE: error" of a command line the user did not type.
    const InputError own = load_error(
        dir, head + "[parameters.\"actors.PAK.inertia\"]\nmin = -0.5\nmax = 0.1\n" + record);
    CHECK(own.message() ==
          "the scenario rejects this parameter at value -0.5: expected a number "
          ">= 0, got -0.5");
    const InputError other =
        load_error(dir, head + "[parameters.\"actors.PAKK.noise\"]\nmin = 0\nmax = 0.1\n" + record);
    CHECK_THAT(other.message(),
               Catch::StartsWith("the scenario rejects this parameter at value 0: key "
                                 "'actors.PAKK': the scenario has no actor 'PAKK'") &&
                   !Catch::Contains("--set actors"));
    // The parameter's own key spelt another way is still its own: not named again.
    const InputError quoted =
        load_error(dir, head + "[parameters.'actors.\"PAK\".risk']\nmin = 0\nmax = 3\n" + record);
    CHECK(quoted.message() ==
          "the scenario rejects this parameter at value 3: expected a number in [-1, 1], got 3");
  }
}

TEST_CASE("a key that takes whole numbers only is refused a range that gives fractions",
          "[sweep][bad-input]") {
  // Both ends of 1 .. 12 are whole: only a value inside shows that nearly every run would fail.
  TempDir dir;
  const std::string head = "name = \"t\"\nscenario = \"" + scenario_path() + "\"\n";
  const std::string record = "[record]\noutputs = [\"trade[RUS,USA]\"]\n";
  for (const std::string design :
       {"[design]\nkind = \"lhs\"\nsamples = 4\n", "[design]\nkind = \"grid\"\nlevels = 4\n"}) {
    for (const std::string range :
         {"min = 1\nmax = 12\n", "distribution = \"loguniform\"\nmin = 1\nmax = 12\n",
          "distribution = \"normal\"\nmean = 6\nsd = 2\n"}) {
      CAPTURE(design, range);
      const InputError e =
          load_error(dir, head + design + "[parameters.\"institutions.BRICS.summit_month\"]\n" +
                              range + record);
      CHECK(e.key() == "parameters.\"institutions.BRICS.summit_month\"");
      CHECK(e.where().line == static_cast<int>(std::count(design.begin(), design.end(), '\n')) + 3);
      CHECK_THAT(e.message(), Catch::Contains("expected an integer, got a float; a key that "
                                              "takes whole numbers is swept as a list of them"));
    }
  }
  // As a list of whole numbers: taken.
  CHECK(load_sweep(write_sweep(dir, head +
                                        "[design]\nkind = \"grid\"\n[parameters.\"institutions."
                                        "BRICS.summit_month\"]\ndistribution = \"discrete\"\n"
                                        "values = [1, 6, 12]\n" +
                                        record))
            .parameters.size() == 1);
  SECTION("in a csv design: the column's first fraction, at its cell") {
    const std::string sweep = head + "[design]\nkind = \"csv\"\nfile = \"design.csv\"\n" + record;
    std::ofstream(dir.path() / "design.csv")
        << "actors.PAK.risk,institutions.BRICS.summit_month\n0.5,5\n0.25,6\n# note\n0.1,6.5\n";
    const InputError e = load_error(dir, sweep);
    CHECK_THAT(e.where().file, Catch::EndsWith("design.csv"));
    CHECK(e.where().line == 5);
    CHECK(e.where().column == 5);
    CHECK_THAT(e.message(), Catch::Contains("the scenario rejects 6.5 for "
                                            "'institutions.BRICS.summit_month'"));
    // Whole numbers are integers; fractions of a key that takes them are values.
    std::ofstream(dir.path() / "design.csv")
        << "actors.PAK.risk,institutions.BRICS.summit_month\n0.5,5\n0.25,6\n0.1,7\n";
    CHECK(load_sweep(write_sweep(dir, sweep)).design.table.size() == 6);
    // A fraction is tried in its own row: with the first row's total trade (52), Pakistan's
    // trade with the EU of 20.5 would be refused, with its own (100) it is not.
    std::ofstream(dir.path() / "design.csv")
        << "actors.PAK.total_trade,trade.PAK.EU\n52,7\n100,20.5\n";
    CHECK(load_sweep(write_sweep(dir, sweep)).design.table.size() == 4);
  }
}

TEST_CASE("a parameter the scenario refuses elsewhere names the scenario's own line",
          "[sweep][bad-input]") {
  // The sweep's working copy of the scenario keeps no positions (TOML++ copies none): the error
  // at a key the parameter made wrong is placed where the scenario writes that key.
  TempDir dir;
  const std::string brics = std::string(INTERDEP_SOURCE_DIR) + "/scenarios/brics.toml";
  const InputError e = load_error(
      dir, "name = \"t\"\nscenario = \"" + brics +
               "\"\n[parameters.\"institutions.BRICS.summit_month\"]\ndistribution = "
               "\"discrete\"\nvalues = [5, 0]\n[record]\noutputs = [\"trade[RUS,USA]\"]\n");
  CHECK(e.where().line == 3);
  CHECK_THAT(e.message(), Catch::Contains("at value 0: " + brics + ":"));
  CHECK_THAT(e.message(), Catch::Contains(": error: key 'events.0.institution': BRICS holds no "
                                          "summit"));
  CHECK_THAT(e.message(), !Catch::Contains("<input>"));
  // A date past the end: the length is said as the scenario sets it, not as a default.
  const InputError late = load_error(dir, "name = \"t\"\nscenario = \"" + scenario_path() +
                                              "\"\n[parameters.\"events.0.date\"]\nmin = 2026\n"
                                              "max = 2040\n[record]\noutputs = [\"trade[RUS,"
                                              "USA]\"]\n");
  CHECK_THAT(late.message(), Catch::Contains("(its length is set by time.years = 10)"));
}

TEST_CASE("a csv design's column names an event by its label, quoted as CSV quotes",
          "[sweep][csv]") {
  TempDir dir;
  const std::string sweep = "name = \"t\"\nscenario = \"" + scenario_path() +
                            "\"\n[design]\nkind = \"csv\"\nfile = \"design.csv\"\n"
                            "[record]\noutputs = [\"trade[RUS,USA]\"]\n";
  std::ofstream(dir.path() / "design.csv")
      << "\"events.\"\"European Union widens sanctions on Russia\"\".intensity\","
         "model.decide.\"reciprocity\"\n0.5,0.2\n0.7,0.4\n";
  const SweepSpec s = load_sweep(write_sweep(dir, sweep));
  REQUIRE(s.parameters.size() == 2);
  CHECK(s.parameters[0].key == "events.\"European Union widens sanctions on Russia\".intensity");
  CHECK(s.parameters[1].key == "model.decide.\"reciprocity\"");
  // The label names the same key as the event's index: given twice.
  std::ofstream(dir.path() / "design.csv")
      << "\"events.\"\"European Union widens sanctions on Russia\"\".intensity\","
         "events.1.intensity\n0.5,0.2\n";
  CHECK_THAT(load_error(dir, sweep).message(), Catch::Contains("name the same scenario key"));
  // A quoted part left open, at its cell.
  std::ofstream(dir.path() / "design.csv")
      << "model.decide.pressure,\"events.\"\"European Union.intensity\"\n0.5,0.2\n";
  const InputError e = load_error(dir, sweep);
  CHECK_THAT(e.where().file, Catch::EndsWith("design.csv"));
  CHECK(e.where().line == 1);
  CHECK(e.where().column == 23);
  CHECK_THAT(e.message(), Catch::Contains("has a quoted part that is not closed"));
}

TEST_CASE("a csv design is refused at its own file, line and column", "[sweep][bad-input][csv]") {
  TempDir dir;
  const std::string sweep = "name = \"t\"\nscenario = \"" + scenario_path() +
                            "\"\n[design]\nkind = \"csv\"\nfile = \"design.csv\"\n"
                            "[record]\noutputs = [\"trade[RUS,USA]\"]\n";
  const std::string csv = (dir.path() / "design.csv").string();
  struct Case {
    std::string text;
    int line, column;
    std::string says;
  };
  const std::vector<Case> cases = {
      // Empty, or a header alone: the CSV file named, not the sweep file.
      {"", 0, 0, "the CSV design is empty: expected a header row naming its columns"},
      {"\n\n", 2, 0, "the CSV design is empty (blank lines and comments only)"},
      {"actors.PAK.risk;actors.RUS.risk\n", 1, 0,
       "the CSV design has a header and no rows: expected a row of values"},
      {"actors.PAK.risk\n\n# none yet\n", 3, 0, "has a header and no rows"},
      // A header cell without a name, or naming a key no sweep varies: at the cell.
      {"actors.PAK.risk,,actors.RUS.risk\n0,0,0\n", 1, 17,
       "a column of the header row has no name"},
      // The first: as pandas writes its index, which the message says how to leave out.
      {",actors.PAK.risk\n0,0.1\n", 1, 1,
       "a column of the header row has no name (pandas writes its index so, as a first column "
       "without a name: save with to_csv(..., index=False))"},
      {"actors.PAK.risk;time.years\n0;5\n", 1, 17, "'time.years' cannot vary within a sweep"},
      {"actors.PAK.risk,actors.PAK.risk\n0,0\n", 1, 17, "is given twice (also as column 1)"},
      {"\"act\"ors.PAK.risk\n0\n", 1, 6,
       "a quoted cell must end with '\"' before the next "
       "separator (',', ';' or a tab)"},
      // Bad cells: at their column.
      {"actors.PAK.risk\tactors.RUS.risk\n0.5\tabc\n", 2, 5,
       "expected a finite decimal number, got 'abc'"},
      // A file whose header ',' separates: ',' is no decimal mark (a ';' or tab file's is).
      {"actors.PAK.risk,actors.RUS.risk\n\"0,5\",0.25\n", 2, 1,
       "got '0,5' (write the decimal point as '.', not ',')"},
      {"actors.PAK.risk,actors.RUS.risk\n0,5,0,25\n", 2, 1,
       "expected 2 cells as in the header (line 1), got 4"},
      {"actors.PAK.risk,actors.RUS.risk\n0.5, 0.25\"\n", 2, 6,
       "a cell has a quote that does not enclose it whole"},
      {"actors.PAK.risk\n" + std::string(200, '9') + "x\n", 2, 1,
       "got '" + std::string(60, '9') + "...' (201 characters)"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    std::ofstream(dir.path() / "design.csv", std::ios::binary) << c.text;
    const InputError e = load_error(dir, sweep);
    INFO(e.what());
    CHECK(e.where().file == csv);
    CHECK(e.where().line == c.line);
    CHECK(e.where().column == c.column);
    CHECK(e.key() == "design.file");
    CHECK_THAT(e.message(), Catch::Contains(c.says));
  }
  // Commas, semicolons and tabs separate cells, mixed as they come; a quoted cell may hold a
  // separator; comments and blank lines are skipped.
  std::ofstream(dir.path() / "design.csv", std::ios::binary)
      << "# a design\n\nactors.PAK.risk;\"actors.RUS.risk\"\tactors.USA.risk\n"
         "-0.5,0.25;+0.5\n\n\"-0.25\" ; \"0.5\"\t0\n";
  const SweepSpec s = load_sweep(write_sweep(dir, sweep));
  REQUIRE(s.parameters.size() == 3);
  CHECK(s.parameters[1].key == "actors.RUS.risk");
  CHECK(s.design.table == std::vector<double>{-0.5, 0.25, 0.5, -0.25, 0.5, 0.0});
}

TEST_CASE("a CSV design as a spreadsheet of any locale writes it", "[sweep][csv]") {
  TempDir dir;
  const std::string sweep = "name = \"t\"\nscenario = \"" + scenario_path() +
                            "\"\n[design]\nkind = \"csv\"\nfile = \"design.csv\"\n"
                            "[record]\noutputs = [\"trade[RUS,USA]\"]\n";
  const auto design = [&](const std::string& text) {
    std::ofstream(dir.path() / "design.csv", std::ios::binary) << text;
    return load_sweep(write_sweep(dir, sweep)).design.table;
  };
  // A header separated by ';' or tabs only: the file's separator, and ',' its decimal mark.
  CHECK(design("actors.PAK.risk;actors.RUS.risk\n0,5;-0,25\n1e-1;-1,5E-1\n") ==
        std::vector<double>{0.5, -0.25, 0.1, -0.15});
  CHECK(design("actors.PAK.risk\tactors.RUS.risk\n0,5\t0.25\n") == std::vector<double>{0.5, 0.25});
  // No-break spaces (U+00A0, U+2007, U+202F) around a cell are spaces.
  CHECK(design("actors.PAK.risk,actors.RUS.risk\n\xC2\xA0"
               "0.5\xE2\x80\xAF, 0.25\xE2\x80\x87\n") == std::vector<double>{0.5, 0.25});
  // A line of them only is blank, as it shows (it was a row of one empty cell), and a comment
  // after them a comment.
  CHECK(design("actors.PAK.risk,actors.RUS.risk\n0.5,0.25\n\xC2\xA0 \xE2\x80\xAF\t\r\n"
               "\xE2\x80\x87\n\xC2\xA0# a note, 1\n") == std::vector<double>{0.5, 0.25});
  const auto refused = [&](const std::string& text) {
    std::ofstream(dir.path() / "design.csv", std::ios::binary) << text;
    return load_error(dir, sweep);
  };
  // A header separated by ',': ';' does not separate its rows' cells, and ',' is no decimal mark.
  InputError e = refused("actors.PAK.risk,actors.RUS.risk\n0.5;0.25\n");
  CHECK(e.where().line == 2);
  CHECK_THAT(e.message(), Catch::Contains("got 1 separated by ',', the header's separator"));
  e = refused("actors.PAK.risk;actors.RUS.risk\n0,5;0,25,1\n");
  CHECK(e.where().line == 2);
  CHECK(e.where().column == 5);
  CHECK_THAT(e.message(), Catch::Contains("got '0,25,1'"));
  // A no-break space inside a number: a thousands separator, named.
  e = refused(
      "actors.PAK.risk;actors.RUS.risk\n0,5;1\xC2\xA0"
      "234\n");
  CHECK_THAT(e.message(), Catch::Contains("a no-break space, U+00A0"));
}

TEST_CASE("a sweep's files that are not regular files are named, never read",
          "[sweep][bad-input][files]") {
  TempDir dir;
  const std::string record = "[record]\noutputs = [\"trade[RUS,USA]\"]\n";
  SECTION("the sweep file is a directory") {
    fs::create_directory(dir.path() / "sweep.d");
    try {
      load_sweep(dir.path() / "sweep.d");
      FAIL("a directory was read as a sweep file");
    } catch (const InputError& e) {
      CHECK(e.where().file == (dir.path() / "sweep.d").string());
      CHECK_THAT(e.message(), Catch::EndsWith("is a directory, not a regular file"));
    }
  }
  SECTION("the design's CSV is a directory, at the line of file") {
    fs::create_directory(dir.path() / "design.csv");
    const InputError e = load_error(dir, "name = \"t\"\nscenario = \"" + scenario_path() +
                                             "\"\n[design]\nkind = \"csv\"\n"
                                             "file = \"design.csv\"\n" +
                                             record);
    CHECK(e.where().line == 5);
    CHECK(e.key() == "design.file");
    CHECK_THAT(e.message(),
               Catch::Contains("the CSV design '" + (dir.path() / "design.csv").string() +
                               "' is a directory, not a regular file"));
  }
  SECTION("the scenario is a FIFO, at the line of scenario") {
    REQUIRE(::mkfifo((dir.path() / "fifo.toml").c_str(), 0600) == 0);
    const InputError e = load_error(dir, "name = \"t\"\nscenario = \"fifo.toml\"\n");
    CHECK(e.where().line == 2);
    CHECK(e.key() == "scenario");
    CHECK_THAT(e.message(), Catch::EndsWith("is a FIFO (named pipe), not a regular file"));
  }
}

TEST_CASE("a discrete value's index that is no value is refused, never cast", "[sweep]") {
  ParameterSpec p;
  p.key = "model.decide.integrator";
  p.distribution.kind = Distribution::discrete;
  p.values = {"\"euler\"", "\"rk4\""};
  p.distribution.count = 2;
  const ScenarioSpec base = load_scenario(scenario_path());
  CHECK(overrides_for({p}, base, {1.0}) ==
        std::vector<std::string>{"model.decide.integrator=\"rk4\""});
  for (const double bad : {std::numeric_limits<double>::quiet_NaN(), -1.0, -0.5, 2.0, 1e300})
    CHECK_THROWS_WITH(overrides_for({p}, base, {bad}),
                      Catch::Contains("has 2 values, and no value number"));
}

TEST_CASE("a sweep gives bit-identical results whatever the thread count", "[sweep]") {
  TempDir dir;
  const SweepSpec s = load_sweep(data("small-lhs.toml"));
  FileSweepOptions one, two;
  one.output = dir.path() / "one.h5";
  one.threads = 1;
  two.output = dir.path() / "two.h5";
  two.threads = 2;
  two.shard_runs = 5;  // several shards, merged out of order
  REQUIRE(run_sweep(s, one).complete);
  REQUIRE(run_sweep(s, two).complete);
  CHECK(!fs::exists(parts_directory(one.output)));
  const SweepFile a = read_sweep(one.output), b = read_sweep(two.output);
  CHECK(a.layout.runs == 24u);
  CHECK(a.design.seed == b.design.seed);
  CHECK(a.design.value == b.design.value);
  CHECK(a.status == b.status);
  CHECK(std::all_of(a.status.begin(), a.status.end(), [](std::uint8_t st) { return st == 1; }));
  CHECK(all_summaries(one.output, a.layout) == all_summaries(two.output, b.layout));
  for (std::size_t r = 0; r < a.layout.runs; ++r)
    CHECK(read_series(one.output, r) == read_series(two.output, r));
}

TEST_CASE("a scenario's workspace gives each run what a fresh copy gives, and is put back",
          "[sweep][scenario]") {
  // A sweep's worker applies each run's overrides to its own copy of the scenario's table and
  // puts back what they replaced. Whatever the runs before, a run must get the spec (or the
  // error) a fresh copy gives, and the copy must end as the template.
  const ScenarioTemplate scenario(fs::path(INTERDEP_SOURCE_DIR) / "scenarios" / "sanctions.toml");
  ScenarioTemplate::Workspace workspace;
  auto outcome = [&](const std::vector<std::string>& overrides, bool reuse) {
    LoadOptions options;
    options.resolved_text = true;
    options.overrides = overrides;
    try {
      const ScenarioSpec spec =
          reuse ? scenario.instantiate(options, workspace) : scenario.instantiate(options);
      std::string changed;
      for (const std::string& o : spec.overrides) changed += o + "; ";
      return spec.resolved_text + changed + std::to_string(spec.actors[0].risk) + " " +
             std::to_string(spec.events.size()) + " " + std::to_string(spec.events[1].intensity);
    } catch (const InputError& e) {
      return std::string("error: ") + e.what();
    }
  };
  const std::vector<std::vector<std::string>> runs = {
      {"actors.PAK.risk=0.25", "model.decide.pressure=3.5"},  // a value; tables created
      {"actors.PAK.risk=0.5", "output.every=3", "output.contributions=false"},
      {"events.1.intensity=0.5"},  // an array's element by index
      {"events.\"European Union widens sanctions on Russia\".intensity=0.7"},  // by label
      {"actors.PAK.risk=0.1", "actors.PAK.risk=\"high\""},    // an error after a change
      {"model.decide.pressure=2", "events.9.intensity=0.5"},  // an error in the walk
      {"actors.PAK.risk=0.3", "actors.PAK.inertia=0.5"},
      {"time={years=2}"},                 // replaces a table: done on a fresh copy
      {"actors.PAK.risk=0.3", "time=3"},  // replaces a table after a change
      {"model.decide={pressure=2.0}", "model.decide.benefit=1.5"},  // a table it set, then inside
      // One way of giving a thing replaces the others (engine/scenario/key_alternatives.hpp):
      {"actors.PAK.gdp_growth_path={2025=0.05}"},  // the base's rate dropped, put back
      {"actors.PAK.gdp_growth_path.2026=0.01", "actors.PAK.risk=0.2"},  // a table made inside
      {"time.steps=24"},                                                // the years dropped
      {"actors.PAK.gdp_growth_path={2025=0.05}", "actors.PAK.gdp_growth=0.01"},  // and back
      {"actors.IND.energy_demand={2025=30.0}"},                                  // two keys dropped
      {"events.\"European Union widens sanctions on Russia\".goldstein=-6"},  // its cameo dropped
      {},
  };
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& run : runs) {
      std::string text;
      for (const std::string& o : run) text += o + " ";
      INFO("pass " << pass << ": " << text);
      CHECK(outcome(run, true) == outcome(run, false));
      CHECK(outcome({}, true) == outcome({}, false));  // put back: the template again
    }
}

TEST_CASE("each run's summary and series are its own run's frames, reduced window by window",
          "[sweep]") {
  // The runner reduces a run's frames to its outputs as the run streams them, in windows of
  // kRunWindowBytes (never the whole trajectory). Every statistic and every recorded value must
  // be what the whole run, simulated alone, gives at its frames.
  TempDir dir;
  const SweepSpec s = load_sweep(data("small-lhs.toml"));
  FileSweepOptions o;
  o.output = dir.path() / "reduced.h5";
  o.threads = 2;
  REQUIRE(run_sweep(s, o).complete);
  const SweepFile f = read_sweep(o.output);
  const ScenarioTemplate scenario(s.scenario);
  const ScenarioSpec base = scenario.instantiate(LoadOptions{});
  const DesignPoints design = make_design(s);
  const std::size_t outputs = s.outputs.size(), stats = s.statistics.size();
  REQUIRE(outputs > 1);
  REQUIRE(stats >= 4);
  for (std::size_t r = 0; r < f.layout.runs; r += 5) {
    INFO("run " << r);
    const RunPlan plan = plan_run(s, design, base, r);
    LoadOptions options;
    options.overrides = plan.overrides;
    options.overrides.push_back("output.contributions=false");
    options.overrides.push_back("output.every=" + std::to_string(s.every));
    const ScenarioSpec spec = scenario.instantiate(options);
    // The run spans several windows, so the reduction crosses them.
    REQUIRE(Trajectory::window_frames(spec, 0, kRunWindowBytes) <
            static_cast<std::size_t>(Trajectory::frame_count(spec)));
    const Trajectory t = run_scenario(spec, plan.seed).trajectory;
    const std::vector<double> series = read_series(o.output, r);
    REQUIRE(series.size() == t.frames() * outputs);
    for (std::size_t out = 0; out < outputs; ++out) {
      double low = HUGE_VAL, high = -HUGE_VAL, sum = 0.0;
      for (std::size_t k = 0; k < t.frames(); ++k) {
        const double v = output_value(t, k, s.outputs[out]);
        CHECK(series[k * outputs + out] == v);
        low = std::min(low, v);
        high = std::max(high, v);
        sum += v;
      }
      const double last = output_value(t, t.frames() - 1, s.outputs[out]);
      for (std::size_t k = 0; k < stats; ++k) {
        const double got = read_summary(o.output, out, k)[r];
        switch (s.statistics[k]) {
          case Statistic::final: CHECK(got == last); break;
          case Statistic::min: CHECK(got == low); break;
          case Statistic::max: CHECK(got == high); break;
          case Statistic::mean: CHECK(got == sum / static_cast<double>(t.frames())); break;
          case Statistic::onset: break;  // its own test below
        }
      }
    }
  }
}

TEST_CASE("an interrupted sweep resumes without losing or repeating a run", "[sweep]") {
  TempDir dir;
  const SweepSpec s = load_sweep(data("small-lhs.toml"));
  FileSweepOptions whole;
  whole.output = dir.path() / "whole.h5";
  whole.threads = 2;
  REQUIRE(run_sweep(s, whole).complete);

  std::atomic<bool> cancel{false};
  FileSweepOptions part;
  part.output = dir.path() / "part.h5";
  part.threads = 2;
  part.shard_runs = 3;
  part.cancel = &cancel;
  part.progress = [&](const Progress& p) {
    if (p.done >= 9) cancel = true;
  };
  // The cancel is seen by the workers only once the writing thread has counted 9 records: on a
  // loaded machine the workers may finish all 24 runs first (the sweep then completes: a stop
  // asked for once every run is done lets the merge go on). Such an attempt is made again, so
  // that the resume below has runs to do.
  SweepOutcome first;
  for (int attempt = 0; attempt < 20; ++attempt) {
    cancel = false;
    fs::remove_all(parts_directory(part.output));
    fs::remove(part.output);
    first = run_sweep(s, part);
    if (first.progress.done < 24) break;
  }
  REQUIRE(first.stopped);
  REQUIRE(first.progress.done >= 9u);
  REQUIRE(first.progress.done < 24u);
  CHECK(!fs::exists(part.output));
  CHECK(fs::exists(parts_directory(part.output)));

  // The interrupted sweep's options, run again with --resume.
  const auto resumed = [&part] {
    FileSweepOptions resume = part;
    resume.cancel = nullptr;
    resume.progress = nullptr;
    resume.resume = true;
    return resume;
  };
  SECTION("starting again without --resume is refused") {
    FileSweepOptions again = part;
    again.cancel = nullptr;
    again.progress = nullptr;
    CHECK_THROWS_AS(run_sweep(s, again), InputError);
  }
  SECTION("--resume finishes it and the result equals the uninterrupted sweep") {
    const SweepOutcome second = run_sweep(s, resumed());
    REQUIRE(second.complete);
    // Every run the stop counted was kept, and only those: the resume runs the rest.
    CHECK(second.progress.resumed == first.progress.done);
    CHECK(second.progress.done == 24u);
    const SweepFile a = read_sweep(whole.output), b = read_sweep(part.output);
    CHECK(all_summaries(whole.output, a.layout) == all_summaries(part.output, b.layout));
    CHECK(!fs::exists(parts_directory(part.output)));
  }
  SECTION(
      "a folder or a FIFO where a shard was is set aside as a damaged shard, and its runs run") {
    // The last shard's name is the one the resume would write next: a folder there made every
    // resume run every run again and fail to store the first of them ("is a directory").
    const std::vector<fs::path> shards = list_shards(parts_directory(part.output));
    REQUIRE(!shards.empty());
    const bool folder = GENERATE(true, false);
    const fs::path last = shards.back();
    const std::size_t lost = shard_runs(last).size();
    fs::remove(last);
    if (folder) {
      fs::create_directory(last);
    } else {
      REQUIRE(::mkfifo(last.c_str(), 0600) == 0);
    }
    const SweepOutcome second = run_sweep(s, resumed());
    REQUIRE(second.complete);
    CHECK(second.progress.resumed == first.progress.done - lost);
    const SweepFile a = read_sweep(whole.output), b = read_sweep(part.output);
    CHECK(all_summaries(whole.output, a.layout) == all_summaries(part.output, b.layout));
    CHECK(!fs::exists(parts_directory(part.output)));
  }
  // The refusal of --resume on what the parts directory holds now ("(resumed)" if it resumed).
  auto resume_refusal = [&]() -> std::string {
    FileSweepOptions resume = part;
    resume.cancel = nullptr;
    resume.progress = nullptr;
    resume.resume = true;
    try {
      run_sweep(s, resume);
    } catch (const InputError& e) {
      return e.message();
    }
    return "(resumed)";
  };
  SECTION("records this build did not write are called unknown, not another build's") {
    const std::string file = GENERATE("design", "seeds");
    std::ofstream(parts_directory(part.output) / file) << "zz\x01top\n";
    CHECK_THAT(resume_refusal(),
               Catch::Contains("has a " + file + " record 'zz?top' that this build does not know"));
    CHECK(!fs::exists(part.output));
  }
  SECTION("parts whose LHS points were drawn in sequence (no design record) are refused") {
    fs::remove(parts_directory(part.output) / "design");
    CHECK_THAT(resume_refusal(), Catch::Contains("before random designs were keyed"));
    CHECK(!fs::exists(part.output));
  }
}

namespace {

// A store as rank 1 of 2 sees it: reading what is stored fails on this rank alone.
struct UnreadableStore : interdep::sweep::RunStore {
  void prepare(const SweepSpec&, const std::string&, const SweepLayout&) override {}
  void visit_stored_runs(const std::function<void(std::size_t, bool)>&) override {
    throw std::runtime_error("the parts directory cannot be read on this node");
  }
  std::vector<std::pair<std::size_t, std::string>> stored_failures(std::size_t) override {
    throw std::runtime_error("the parts directory cannot be read on this node");
  }
  void store(const SweepLayout&, const std::vector<RunRecord>&) override {}
  void finish(const SweepLayout&, const interdep::sweep::SweepMeta&,
              const interdep::sweep::DesignRows&) override {}
};

}  // namespace

TEST_CASE("an error of one MPI rank is agreed on with the other ranks before it is let through",
          "[sweep]") {
  // Rank 1 left with an error (a thread its system refused) while rank 0 waited for it in the
  // ranks' agreement: the sweep hung until killed. Rank 1 of 2 here, the collectives stubbed.
  const SweepSpec s = load_sweep(data("small-lhs.toml"));
  SweepOptions rank1;
  rank1.rank = 1;
  rank1.ranks = 2;
  rank1.threads = 1;
  std::vector<std::string> collectives;
  int rank0_verdict = 0;
  rank1.all_agree = [&](bool ok) {
    collectives.push_back(ok ? "agree ok" : "agree stop");
    return false;  // rank 0 agrees to stop with it
  };
  rank1.from_rank0 = [&](int) {
    collectives.push_back("from rank 0");
    return rank0_verdict;
  };
  const auto run = [](const ScenarioSpec& spec, std::uint64_t seed, FrameSink& sink,
                      std::uint64_t window_bytes) {
    stream_scenario(spec, seed, sink, window_bytes);
  };
  SECTION("its own error: it agrees to stop, then says why") {
    UnreadableStore store;
    CHECK_THROWS_WITH(interdep::sweep::run_sweep(s, rank1, run, store),
                      Catch::Contains("cannot be read on this node"));
    CHECK(collectives == std::vector<std::string>{"from rank 0", "agree stop"});
  }
  SECTION("rank 0 refused the sweep: it ends as rank 0 does, and rank 0 alone says why") {
    rank0_verdict = 1;  // bad input on rank 0
    UnreadableStore store;
    try {
      interdep::sweep::run_sweep(s, rank1, run, store);
      FAIL("run_sweep did not throw");
    } catch (const interdep::sweep::OtherRankFailed& e) {
      CHECK(e.bad_input);
    }
    CHECK(collectives == std::vector<std::string>{"from rank 0"});
  }
}

TEST_CASE("a sweep out of memory stops, keeps its finished runs and resumes to the same file",
          "[sweep]") {
  // A run that ran out of memory was recorded as failed ("out of memory"): a resume never ran
  // it again, and the file differed from one made where the memory was. And an exception that
  // left a worker thread ended the process (std::terminate).
  TempDir dir;
  const SweepSpec s = load_sweep(data("small-lhs.toml"));
  const FileSweepOptions whole = on_two_threads(dir.path() / "whole.h5");
  REQUIRE(run_sweep(s, whole).complete);
  FileSweepOptions part = on_two_threads(dir.path() / "part.h5");
  part.shard_runs = 2;
  std::atomic<int> calls{0};
  const auto short_of_memory = [&](const ScenarioSpec& spec, std::uint64_t seed, FrameSink& sink,
                                   std::uint64_t window_bytes) {
    if (calls.fetch_add(1) >= 7) throw std::bad_alloc();
    stream_scenario(spec, seed, sink, window_bytes);
  };
  {
    ShardStore store(part.output, 0, false);  // its lock is let go at the end of the block
    CHECK_THROWS_AS(interdep::sweep::run_sweep(s, part, short_of_memory, store), std::bad_alloc);
  }
  CHECK(!fs::exists(part.output));
  REQUIRE(fs::exists(parts_directory(part.output)));

  FileSweepOptions resume = part;
  resume.resume = true;
  const SweepOutcome second = run_sweep(s, resume);
  REQUIRE(second.complete);
  CHECK(second.progress.resumed >= 1u);
  CHECK(second.progress.failed == 0u);
  const SweepFile a = read_sweep(whole.output), b = read_sweep(part.output);
  CHECK(b.status == a.status);
  CHECK(all_summaries(whole.output, a.layout) == all_summaries(part.output, b.layout));
}

TEST_CASE("a parts directory removed while the sweep runs stops it, and is not made again",
          "[sweep]") {
  // write_shard made the directory again (and its folder): without the lock, so that a second
  // sweep could start beside this one, and the merge found runs missing.
  TempDir dir;
  const SweepSpec s = load_sweep(data("small-lhs.toml"));
  FileSweepOptions o;
  o.output = dir.path() / "sub" / "out.h5";
  fs::create_directory(dir.path() / "sub");
  o.threads = 1;
  o.shard_runs = 2;
  o.progress = [&](const Progress& p) {
    if (p.done >= 4) fs::remove_all(dir.path() / "sub");
  };
  CHECK_THROWS_WITH(run_sweep(s, o), Catch::Contains("the parts directory was removed while the "
                                                     "sweep ran"));
  CHECK(!fs::exists(dir.path() / "sub"));
}

TEST_CASE("failed runs are recorded with their message and the sweep goes on", "[sweep]") {
  TempDir dir;
  // A CSV design whose second row asks for more trade with the EU than Pakistan's total trade
  // holds (its bilateral trade is 50.1 US$ bn/yr in the baseline, 7.8 of it with the EU): each
  // value is in its key's range, and the rows of each column's ends are possible, so the loader
  // takes the design and the run fails (a value out of range is refused before any run).
  std::ofstream(dir.path() / "design.csv")
      << "actors.PAK.total_trade,trade.PAK.EU\n52,7.8\n55,15\n100,20\n";
  const fs::path file = write_sweep(dir, "name = \"t\"\nscenario = \"" + scenario_path() +
                                             "\"\n[design]\nkind = \"csv\"\nfile = \"design.csv\"\n"
                                             "[record]\noutputs = [\"trade[RUS,USA]\"]\n");
  const SweepSpec s = load_sweep(file);
  FileSweepOptions o;
  o.output = dir.path() / "out.h5";
  o.threads = 2;
  const SweepOutcome outcome = run_sweep(s, o);
  CHECK(outcome.complete);
  CHECK(outcome.progress.failed == 1u);
  const SweepFile f = read_sweep(o.output);
  CHECK(f.status == std::vector<std::uint8_t>{1, 2, 1});
  CHECK_THAT(f.message[1], Catch::Contains("actors.PAK.total_trade"));
  const auto final_trade = read_summary(o.output, 0, 0);
  CHECK(std::isnan(final_trade[1]));
  CHECK(std::isfinite(final_trade[0]));
}

TEST_CASE("a resumed sweep counts the failed runs it found stored", "[sweep]") {
  TempDir dir;
  // Rows 1 and 3 ask for more trade than Pakistan's total (as in the test above): 2 of 64 fail.
  // (Enough rows that the stop at 2 done comes before the last run: once every run is done, a
  // stop no longer holds back the merge.)
  std::string rows = "actors.PAK.total_trade,trade.PAK.EU\n52,7.8\n55,15\n100,20\n60,18\n";
  for (int k = 4; k < 64; ++k) rows += "52,7.8\n";
  std::ofstream(dir.path() / "design.csv") << rows;
  const fs::path file = write_sweep(dir, "name = \"t\"\nscenario = \"" + scenario_path() +
                                             "\"\n[design]\nkind = \"csv\"\nfile = \"design.csv\"\n"
                                             "[record]\noutputs = [\"trade[RUS,USA]\"]\n");
  const SweepSpec s = load_sweep(file);
  std::atomic<bool> cancel{false};
  FileSweepOptions o;
  o.output = dir.path() / "out.h5";
  o.threads = 1;
  o.shard_runs = 1;
  o.cancel = &cancel;
  o.progress = [&](const Progress& p) {
    if (p.done >= 2) cancel = true;
  };
  const SweepOutcome first = run_sweep(s, o);
  REQUIRE(first.stopped);
  const std::size_t stored_failed = first.progress.failed;
  REQUIRE(stored_failed >= 1u);  // run 1, stored before the stop
  o.cancel = nullptr;
  o.resume = true;
  o.progress = nullptr;
  const SweepOutcome second = run_sweep(s, o);
  REQUIRE(second.complete);
  CHECK(second.progress.resumed == first.progress.done);
  CHECK(second.progress.failed == 2u);  // the stored ones and those of this attempt
}

TEST_CASE("a stop asked for once every run is done lets the merge go on", "[sweep]") {
  // A signal in the last shard's write (every run done, the merge not begun) stopped the sweep:
  // "stopped after 1500 of 1500 runs", no file. As during the merge, it is answered after it.
  TempDir dir;
  std::ofstream(dir.path() / "design.csv") << "actors.PAK.risk\n0.1\n0.2\n0.3\n";
  const fs::path file = write_sweep(dir, "name = \"t\"\nscenario = \"" + scenario_path() +
                                             "\"\n[design]\nkind = \"csv\"\nfile = \"design.csv\"\n"
                                             "[record]\noutputs = [\"trade[RUS,USA]\"]\n");
  std::atomic<bool> cancel{false};
  FileSweepOptions o;
  o.output = dir.path() / "out.h5";
  o.threads = 2;
  o.cancel = &cancel;
  o.progress = [&](const Progress& p) {
    if (p.done == p.total) cancel = true;
  };
  const SweepOutcome outcome = run_sweep(load_sweep(file), o);
  CHECK(cancel.load());
  CHECK_FALSE(outcome.stopped);
  CHECK(outcome.complete);
  CHECK(read_sweep(o.output).status == std::vector<std::uint8_t>{1, 1, 1});
}

TEST_CASE("a csv design whose values changed since the sweep started is not resumed", "[sweep]") {
  TempDir dir;
  // 64 rows, so that the stop after the first comes before the last run (once every run is
  // done, a stop no longer holds back the merge): the rows after the fourth are the same.
  std::string tail;
  for (int k = 4; k < 64; ++k) tail += "0.3,2\n";
  const std::string design =
      "actors.PAK.risk,model.decide.pressure\n-0.5,1\n0.1,1\n0.2,2\n0.3,2\n" + tail;
  std::ofstream(dir.path() / "design.csv") << design;
  const fs::path file = write_sweep(dir, "name = \"t\"\nscenario = \"" + scenario_path() +
                                             "\"\n[design]\nkind = \"csv\"\nfile = \"design.csv\"\n"
                                             "[record]\noutputs = [\"trade[RUS,USA]\"]\n");
  std::atomic<bool> cancel{false};
  FileSweepOptions o;
  o.output = dir.path() / "out.h5";
  o.threads = 1;
  o.shard_runs = 1;
  o.cancel = &cancel;
  o.progress = [&](const Progress& p) {
    if (p.done >= 1) cancel = true;
  };
  REQUIRE(run_sweep(load_sweep(file), o).stopped);
  o.cancel = nullptr;
  o.progress = nullptr;
  o.resume = true;
  // Another value in a row: the finished runs were run with the earlier one.
  std::ofstream(dir.path() / "design.csv")
      << "actors.PAK.risk,model.decide.pressure\n-0.4,1\n0.1,1\n0.2,2\n0.3,2\n" + tail;
  try {
    run_sweep(load_sweep(file), o);
    FAIL("a sweep resumed after its design table changed");
  } catch (const InputError& e) {
    CHECK(e.key() == "design.file");
    CHECK_THAT(e.message(), Catch::Contains("the design table") && Catch::Contains("changed"));
  }
  CHECK(!fs::exists(o.output));
  // The same values written otherwise (quoted, spaced, 1.0 for 1): resumed.
  std::ofstream(dir.path() / "design.csv")
      << "actors.PAK.risk,model.decide.pressure\n\"-0.5\", 1.0\n0.1,1\n0.20,2\n0.3,2\n" + tail;
  const SweepOutcome resumed = run_sweep(load_sweep(file), o);
  CHECK(resumed.complete);
  CHECK(resumed.progress.resumed >= 1u);
}

TEST_CASE("analyze recovers the Ishigami function's Sobol indices through a sweep file",
          "[sweep][oracle]") {
  // The same path as `interdep analyze`: shards -> merged file -> analyze_sweep -> /analysis.
  // Ishigami (1990), a = 7, b = 0.1, x_i uniform on [-pi, pi]; analytic indices from the
  // variance decomposition, not hard-coded.
  TempDir dir;
  const double pi = std::acos(-1.0), a = 7.0, b = 0.1;
  const std::size_t n = 20000, k = 3;
  const Design d = saltelli(n, k, 2024);
  ParameterDistribution x;
  x.kind = Distribution::uniform;
  x.min = -pi;
  x.max = pi;
  SweepLayout layout;
  layout.runs = d.points;
  layout.parameters = {"x1", "x2", "x3"};
  layout.outputs = {"ishigami"};
  layout.statistics = {"final"};
  DesignTable design;
  std::vector<RunRecord> half[2];
  for (std::size_t r = 0; r < d.points; ++r) {
    double v[3];
    for (std::size_t i = 0; i < k; ++i) v[i] = to_value(x, d.at(r, i));
    const double f =
        std::sin(v[0]) + a * std::pow(std::sin(v[1]), 2) + b * std::pow(v[2], 4) * std::sin(v[0]);
    half[r % 2].push_back(RunRecord{r, 1, "", {f}, {}});
    design.point.push_back(static_cast<std::int64_t>(r));
    design.replicate.push_back(0);
    design.seed.push_back(0);
    for (std::size_t i = 0; i < k; ++i) {
      design.unit.push_back(d.at(r, i));
      design.value.push_back(v[i]);
    }
  }
  fs::create_directories(dir.path() / "parts");
  write_shard(dir.path() / "parts" / "shard-a.h5", layout, half[0]);
  write_shard(dir.path() / "parts" / "shard-b.h5", layout, half[1]);
  SweepMeta meta;
  meta.design_kind = "saltelli";
  meta.base_samples = static_cast<std::int64_t>(n);
  meta.replicates = 1;
  meta.discrete_values = {"", "", ""};
  const fs::path out = dir.path() / "ishigami.h5";
  merge_sweep(out, layout, meta, design, list_shards(dir.path() / "parts"));

  AnalysisRequest request;
  request.output = "ishigami";
  request.resamples = 200;
  const SensitivityTable t = analyze_sweep(out, request);
  REQUIRE(t.method == "sobol");
  const double pi4 = std::pow(pi, 4), pi8 = std::pow(pi, 8);
  const double var = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
  const double v1 = 0.5 * std::pow(1 + b * pi4 / 5, 2), v2 = a * a / 8,
               v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
  const double s1[] = {v1 / var, v2 / var, 0.0};
  const double st[] = {(v1 + v13) / var, v2 / var, v13 / var};
  CHECK(s1[0] == Approx(0.314).margin(0.001));  // the issue's reference values
  CHECK(st[2] == Approx(0.244).margin(0.001));
  for (std::size_t i = 0; i < k; ++i) {
    INFO("x" << i + 1);
    CHECK(t.columns[0].second[i] == Approx(s1[i]).margin(0.03));  // S1
    CHECK(t.columns[3].second[i] == Approx(st[i]).margin(0.03));  // ST
  }
  CHECK(t.ranking.front() == 0);  // x1 has the largest total effect
  const auto stored = read_analysis(out, t.group);
  CHECK(stored.rows == layout.parameters);
  CHECK(stored.columns[3].second == t.columns[3].second);
}

TEST_CASE("on_failure = stop ends the sweep at the first failed run and keeps what finished",
          "[sweep]") {
  TempDir dir;
  std::ofstream(dir.path() / "design.csv")  // the second row fails (see the tests above)
      << "actors.PAK.total_trade,trade.PAK.EU\n52,7.8\n55,15\n100,20\n90,8\n80,8\n70,8\n";
  const fs::path file = write_sweep(
      dir, "name = \"t\"\nscenario = \"" + scenario_path() +
               "\"\non_failure = \"stop\"\n[design]\nkind = \"csv\"\nfile = \"design.csv\"\n"
               "[record]\noutputs = [\"trade[RUS,USA]\"]\n");
  const SweepSpec s = load_sweep(file);
  FileSweepOptions o;
  o.output = dir.path() / "out.h5";
  o.threads = 1;
  o.shard_runs = 1;
  const SweepOutcome outcome = run_sweep(s, o);
  CHECK(outcome.stopped);
  CHECK(!outcome.complete);
  CHECK(outcome.progress.failed == 1u);
  CHECK(outcome.progress.done < 6u);
  CHECK(!fs::exists(o.output));
  CHECK(!list_shards(parts_directory(o.output)).empty());
  // What it stopped for: the failed run and why (the command line prints it).
  REQUIRE(outcome.failures.size() == 1u);
  CHECK(outcome.failures[0].first == 1u);
  // In the sweep's words, not the command line's (--set).
  CHECK_THAT(
      outcome.failures[0].second,
      Catch::Contains("(trade.PAK.EU = 15 was set by the sweep)") && !Catch::Contains("--set"));
}

TEST_CASE("discrete values are encoded so that any list of values reads back", "[sweep]") {
  // Every list of one or two values over the alphabet {a, |, \} up to length 3, the one-empty-
  // value list aside (it is the entry of a continuous parameter).
  std::vector<std::string> words = {""};
  for (std::size_t w = 0; w < words.size(); ++w) {
    if (words[w].size() < 3)
      for (const char c : {'a', '|', '\\'}) words.push_back(words[w] + c);
  }
  for (const auto& x : words) {
    if (!x.empty())
      CHECK(decode_discrete_values(encode_discrete_values({x})) == std::vector<std::string>{x});
    for (const auto& y : words) {
      const std::vector<std::string> values = {x, y};
      INFO(x << " , " << y << " -> " << encode_discrete_values(values));
      CHECK(decode_discrete_values(encode_discrete_values(values)) == values);
    }
  }
  // Values without "|" or "\" are joined as they always were; a "|" in a value is escaped.
  CHECK(encode_discrete_values({"'euler'", "'rk4'"}) == "'euler'|'rk4'");
  CHECK(encode_discrete_values({"'a|b'", "'c\\|'"}) == "'a\\|b'|'c\\\\\\|'");
  // Files written before the escape (values without "|") read the same, TOML escapes included.
  CHECK(decode_discrete_values("\"a\\\"b\"|'C:\\dir'|0.5") ==
        std::vector<std::string>{"\"a\\\"b\"", "'C:\\dir'", "0.5"});
  CHECK(decode_discrete_values("").empty());
}

TEST_CASE("a discrete value reads as a person writes it", "[sweep]") {
  // Strings lose their quotes and TOML's escapes; floats show the shortest digits that read back
  // as the same double; integers, booleans and other words stay as written.
  CHECK(plain_discrete_value("\"rk4\"") == "rk4");
  CHECK(plain_discrete_value("'C:\\dir'") == "C:\\dir");
  CHECK(plain_discrete_value("\"a\\\"b\"") == "a\"b");
  CHECK(plain_discrete_value("0.80000000000000004") == "0.8");
  CHECK(plain_discrete_value("-0.59999999999999998") == "-0.6");
  CHECK(plain_discrete_value("0.30000000000000004") == "0.30000000000000004");  // not 0.3
  CHECK(plain_discrete_value("1.0000000000000001e-05") == "1e-05");
  CHECK(plain_discrete_value("2.5") == "2.5");
  CHECK(plain_discrete_value("12") == "12");
  CHECK(plain_discrete_value("true") == "true");
  CHECK(plain_discrete_value("1.5.2") == "1.5.2");  // not a number: as written
  for (const double x : {0.1, 1.0 / 3.0, -2.5e-300, 6.02214076e23})
    for (const std::string& literal : {[&] {
           std::ostringstream text;
           text << std::setprecision(17) << x;
           return text.str();
         }()})
      if (literal.find_first_of(".e") != std::string::npos)
        CHECK(std::stod(plain_discrete_value(literal)) == x);
}

TEST_CASE("discrete values holding \"|\" or backslashes survive a sweep and run --from-sweep",
          "[sweep]") {
  TempDir dir;
  // Actor names vary: each value a TOML string with "|", backslashes or both.
  const fs::path file =
      write_sweep(dir, "name = \"bars\"\nscenario = \"" + scenario_path() + "\"\n" + R"(
[design]
kind = "grid"
[parameters."actors.PAK.name"]
distribution = "discrete"
values = ["Pak|istan", 'C:\dir|x\', "plain", "a\\|b\\", '\\|']
[record]
mode = "every"
every = 12
outputs = ["relation_overall[PAK,RUS]"]
)");
  const std::vector<std::string> names = {"Pak|istan", "C:\\dir|x\\", "plain", "a\\|b\\", "\\\\|"};
  const SweepSpec s = load_sweep(file);
  FileSweepOptions o;
  o.output = dir.path() / "bars.h5";
  o.threads = 2;
  REQUIRE(run_sweep(s, o).complete);

  const SweepFile f = read_sweep(o.output);
  REQUIRE(f.layout.runs == names.size());
  CHECK(std::all_of(f.status.begin(), f.status.end(), [](std::uint8_t st) { return st == 1; }));
  REQUIRE(f.meta.discrete_values.size() == 1u);
  CHECK(decode_discrete_values(f.meta.discrete_values[0]) == s.parameters[0].values);

  // What `interdep run --from-sweep FILE --run K` does: the stored scenario, the parameters
  // rebuilt from the file, run K's values; the same overrides as the sweep's plan of run K.
  const std::vector<ParameterSpec> parameters =
      stored_parameters(f.layout.parameters, f.meta.discrete_values);
  const ScenarioSpec stored = load_scenario_text(f.meta.scenario_text, "stored scenario", ".");
  const ScenarioSpec base = load_scenario(s.scenario);
  const DesignPoints d = make_design(s);
  for (std::size_t k = 0; k < f.layout.runs; ++k) {
    INFO("run " << k);
    const std::vector<double> values = {f.design.value[k]};
    LoadOptions options;
    options.overrides = overrides_for(parameters, stored, values);
    CHECK(options.overrides == plan_run(s, d, base, k).overrides);
    const ScenarioSpec spec =
        load_scenario_text(f.meta.scenario_text, "stored scenario", ".", options);
    const auto pak = std::find_if(spec.actors.begin(), spec.actors.end(),
                                  [](const ActorSpec& a) { return a.code == "PAK"; });
    REQUIRE(pak != spec.actors.end());
    CHECK(pak->name == names[k]);
  }
}

TEST_CASE("the onset statistic is the first recorded time an output is not 0 and NaN if never",
          "[sweep]") {
  // Pakistan's BRICS application under consensus and majority with India's diplomatic relation
  // toward Pakistan varied: some runs admit it (at a summit), some never do. The onset of each
  // run must be the time of the first frame of its own series where membership is 1.
  TempDir dir;
  const std::string brics = (fs::path(INTERDEP_SOURCE_DIR) / "scenarios" / "brics.toml").string();
  const fs::path file =
      write_sweep(dir, "name = \"t\"\nscenario = \"" + brics +
                           "\"\nseed = 5\n[design]\nkind = \"grid\"\nlevels = 3\n"
                           "[parameters.\"relations.IND.PAK.diplomacy\"]\nmin = -0.9\nmax = 0.9\n"
                           "[parameters.\"institutions.BRICS.rule\"]\ndistribution = \"discrete\"\n"
                           "values = [\"consensus\", \"majority\"]\n"
                           "[record]\nmode = \"full\"\noutputs = [\"membership[PAK,BRICS]\"]\n"
                           "statistics = [\"final\", \"onset\"]\n");
  FileSweepOptions o;
  o.output = dir.path() / "onset.h5";
  o.threads = 2;
  REQUIRE(run_sweep(load_sweep(file), o).complete);
  const SweepFile f = read_sweep(o.output);
  REQUIRE(f.layout.statistics == std::vector<std::string>{"final", "onset"});
  const std::vector<double> final = read_summary(o.output, 0, 0),
                            onset = read_summary(o.output, 0, 1);
  std::size_t admitted = 0, never = 0;
  for (std::size_t r = 0; r < f.layout.runs; ++r) {
    const std::vector<double> series = read_series(o.output, r);
    double first = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t k = 0; k < series.size(); ++k)
      if (series[k] != 0.0) {
        first = f.layout.times[k];
        break;
      }
    INFO("run " << r);
    if (std::isnan(first)) {
      CHECK(std::isnan(onset[r]));
      CHECK(final[r] == 0.0);
      ++never;
    } else {
      CHECK(onset[r] == first);
      CHECK(onset[r] > f.layout.times.front());  // Pakistan is not a member at the start
      ++admitted;
    }
  }
  // The design spans both outcomes (seed 5; the rule and India's stance decide).
  CHECK(admitted > 0);
  CHECK(never > 0);
}

TEST_CASE("a sweep with policies runs the whole design under each, on the same seeds", "[sweep]") {
  TempDir dir;
  // The sanctions scenario under three policies; "no change" sets nothing, so its runs are the
  // runs of the same sweep without policies, bit for bit.
  const std::string design = "name = \"p\"\nscenario = \"" + scenario_path() +
                             "\"\nseed = 4\nreplicates = 2\n[design]\nkind = \"lhs\"\n"
                             "samples = 5\n[parameters.\"actors.PAK.risk\"]\nmin = -1\nmax = 0.5\n"
                             "[record]\noutputs = [\"relation_overall[PAK,RUS]\", "
                             "\"trade[RUS,USA]\"]\n";
  const std::string policies =
      "[policies.\"no change\"]\n"
      "[policies.\"mild sanctions\"]\n\"events.0.intensity\" = 0.2\n"
      "[policies.\"risk-averse Russia\"]\n\"actors.RUS.risk\" = -0.8\n"
      "\"model.decide.integrator\" = \"rk4\"\n";
  const fs::path with_file = dir.path() / "with.toml", without_file = dir.path() / "without.toml";
  std::ofstream(with_file) << design + policies;
  std::ofstream(without_file) << design;
  const SweepSpec with = load_sweep(with_file), without = load_sweep(without_file);
  // Policies keep the order of their names, as parameters do.
  REQUIRE(with.policies.size() == 3);
  CHECK(with.policies[0].name == "mild sanctions");
  CHECK(with.policies[0].overrides == std::vector<std::string>{"events.0.intensity=0.2"});
  CHECK(with.policies[2].overrides ==
        std::vector<std::string>{"actors.RUS.risk=-0.8", "model.decide.integrator='rk4'"});
  FileSweepOptions a, b;
  a.output = dir.path() / "with.h5";
  b.output = dir.path() / "without.h5";
  a.threads = b.threads = 2;
  REQUIRE(run_sweep(with, a).complete);
  REQUIRE(run_sweep(without, b).complete);
  const SweepFile w = read_sweep(a.output), wo = read_sweep(b.output);
  REQUIRE(w.layout.runs == 30u);
  REQUIRE(wo.layout.runs == 10u);
  CHECK(w.meta.policies ==
        std::vector<std::string>{"mild sanctions", "no change", "risk-averse Russia"});
  CHECK(decode_discrete_values(w.meta.policy_overrides[1]).empty());
  CHECK(wo.meta.policies.empty());
  CHECK(wo.design.policy.empty());
  const std::vector<double> all = all_summaries(a.output, w.layout);
  const std::vector<double> plain = all_summaries(b.output, wo.layout);
  const std::size_t cells = w.layout.outputs.size() * w.layout.statistics.size();
  for (std::size_t r = 0; r < w.layout.runs; ++r) {
    const std::size_t policy = r / 10, within = r % 10;
    CHECK(w.design.policy[r] == static_cast<std::int64_t>(policy));
    // Every policy meets the same points, replicates and seeds.
    CHECK(w.design.point[r] == wo.design.point[within]);
    CHECK(w.design.replicate[r] == wo.design.replicate[within]);
    CHECK(w.design.seed[r] == wo.design.seed[within]);
    CHECK(w.design.value[r] == wo.design.value[within]);
    for (std::size_t c = 0; c < cells; ++c) {
      const double value = all[c * 30 + r], base = plain[c * 10 + within];
      if (policy == 1)
        CHECK(value == base);  // "no change": the plain sweep's runs
      else if (c == 0)
        CHECK(value != base);  // a lever that matters moves Pakistan's relation to Russia
    }
  }
  // Analysis is a policy at a time; each policy's indices are those of its own runs.
  AnalysisRequest request;
  request.output = "relation_overall[PAK,RUS]";
  request.resamples = 20;
  CHECK_THROWS_WITH(analyze_sweep(a.output, request), Catch::Contains("name one"));
  request.policy = "no change";
  const SensitivityTable one = analyze_sweep(a.output, request);
  request.policy = "";
  const SensitivityTable same = analyze_sweep(b.output, request);
  CHECK(one.runs == 10u);
  CHECK(one.columns == same.columns);
  request.policy = "no such policy";
  CHECK_THROWS_WITH(analyze_sweep(a.output, request), Catch::Contains("mild sanctions"));
}

TEST_CASE("bad policies are refused at their line with the key", "[sweep][bad-input]") {
  TempDir dir;
  const std::string head = "name = \"t\"\nscenario = \"" + scenario_path() +
                           "\"\n[parameters.\"actors.PAK.risk\"]\nmin = -1\nmax = 0\n"
                           "[record]\noutputs = [\"trade[RUS,USA]\"]\n";
  SECTION("a lever the scenario does not know") {
    const InputError e = load_error(dir, head + "[policies.a]\n\"actors.RUS.riks\" = 0.1\n");
    CHECK(e.where().line == 8);
    CHECK(e.key() == "policies.\"a\"");
    CHECK_THAT(e.message(), Catch::Contains("did you mean 'risk'"));
  }
  SECTION("a value the scenario rejects") {
    const InputError e = load_error(dir, head + "[policies.a]\n\"actors.RUS.risk\" = 3\n");
    CHECK_THAT(e.message(), Catch::Contains("the scenario rejects this policy"));
  }
  SECTION("a lever that the design also varies") {
    const InputError e = load_error(dir, head + "[policies.a]\n\"actors.PAK.risk\" = 0.1\n");
    CHECK(e.where().line == 9);
    CHECK_THAT(e.message(), Catch::Contains("also a parameter"));
  }
  SECTION("a lever that cannot vary") {
    const InputError e = load_error(dir, head + "[policies.a]\n\"time.years\" = 3\n");
    CHECK_THAT(e.message(), Catch::Contains("cannot vary within a sweep"));
  }
  SECTION("policies that are not tables") {
    const InputError e = load_error(dir, "policies = 3\n" + head);
    CHECK(e.where().line == 1);
    CHECK(e.key() == "policies");
    const InputError f = load_error(dir, head + "[policies]\na = 1\n");
    CHECK(f.key() == "policies.\"a\"");
  }
  SECTION("a name with '/'") {
    const InputError e = load_error(dir, head + "[policies.\"a/b\"]\n\"actors.RUS.risk\" = 0.1\n");
    CHECK(e.where().line == 8);
    CHECK_THAT(e.message(), Catch::Contains("may not hold '/'"));
  }
  SECTION("an empty table of policies") {
    const InputError e = load_error(dir, head + "[policies]\n");
    CHECK_THAT(e.message(), Catch::Contains("at least one policy"));
  }
}

TEST_CASE("a run set holds runs as ranges of full blocks, bits only where they are partial",
          "[sweep]") {
  const std::size_t block = RunSet::kBlockRuns;
  const std::size_t runs = 3 * block + 17;  // a short last block
  RunSet set(runs);
  CHECK(set.size() == 0u);
  CHECK_FALSE(set.contains(0));
  CHECK_FALSE(set.contains(runs - 1));
  // In order, as one process stores them: bits only for the block being filled and the one
  // with a gap.
  std::size_t most_bytes = 0;
  for (std::size_t r = 0; r < runs; ++r) {
    if (r == block + 5) continue;  // one run left out
    REQUIRE(set.insert(r));
    most_bytes = std::max(most_bytes, set.bit_bytes());
  }
  CHECK(most_bytes == 2 * (block / 8));
  CHECK(set.bit_bytes() == block / 8);  // the block with the gap
  CHECK(set.size() == runs - 1);
  CHECK_FALSE(set.insert(7));  // already there
  CHECK(set.contains(block + 4));
  CHECK_FALSE(set.contains(block + 5));
  CHECK(set.contains(runs - 1));
  std::vector<std::size_t> missing;
  set.for_each_missing([&](std::size_t r) {
    missing.push_back(r);
    return true;
  });
  CHECK(missing == std::vector<std::size_t>{block + 5});
  CHECK(set.insert(block + 5));
  CHECK(set.bit_bytes() == 0u);  // every block full
  CHECK(set.size() == runs);

  // Scattered (every 8th run, as one of 8 ranks stores them): bits in every block touched, and
  // the missing runs listed in order, stopping when asked.
  RunSet strided(runs);
  for (std::size_t r = 3; r < runs; r += 8) CHECK(strided.insert(r));
  CHECK(strided.bit_bytes() == 4 * (block / 8));
  std::vector<std::size_t> first;
  strided.for_each_missing([&](std::size_t r) {
    first.push_back(r);
    return first.size() < 4;
  });
  CHECK(first == std::vector<std::size_t>{0, 1, 2, 4});
  CHECK(RunSet(0).size() == 0u);
}
