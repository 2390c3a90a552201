#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>

#include "engine/calibrate/calibration_spec.hpp"
#include "engine/run/quantity.hpp"
#include "engine/scenario/file_kind.hpp"
#include "engine/scenario/observed_table.hpp"
#include "engine/scenario/plan_header.hpp"
#include "engine/scenario/scenario_file.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/scenario/spec_builder.hpp"
#include "engine/scenario/toml_reader.hpp"
#include "engine/scenario/user_text.hpp"
#include "engine/sweep/distribution.hpp"
#include "engine/sweep/sweep_loader.hpp"
#include "engine/text/text_format.hpp"

namespace interdep::calibrate {
namespace {

// "x[A,B]" as "x[B,A]"; "" when `quantity` does not name a pair.
std::string pair_reversed(std::string_view quantity) {
  const std::size_t open = quantity.find('[');
  const std::size_t comma = quantity.find(',', open);
  if (open == std::string_view::npos || comma == std::string_view::npos ||
      !quantity.ends_with(']') || quantity.find(',', comma + 1) != std::string_view::npos)
    return "";
  const std::string_view first = quantity.substr(open + 1, comma - open - 1);
  const std::string_view second = quantity.substr(comma + 1, quantity.size() - comma - 2);
  return std::string(quantity.substr(0, open + 1)) + std::string(second) + "," +
         std::string(first) + "]";
}

namespace fs = std::filesystem;
using namespace interdep::detail;

class CalibrationBuilder {
 public:
  CalibrationBuilder(const toml::table& root, const fs::path& path)
      : root_(root, "", path.string()), path_(path) {}

  CalibrationSpec build() {
    CalibrationSpec c;
    c.source_path = path_;
    const PlanHeader header = read_plan_header(root_, path_, "calibration", "to fit", c.seed);
    c.name = header.name;
    c.description = header.description;
    c.scenario = header.scenario;
    scenario_path_ = c.scenario;
    c.seed = header.seed;
    c.replicates = root_.integer("replicates", c.replicates, 1, 10'000);
    template_ = std::make_unique<ScenarioTemplate>(c.scenario);
    LoadOptions plain;
    plain.resolved_text = false;
    scenario_spec_ = template_->instantiate(plain);

    read_parameters(c);
    read_fit(c);
    read_optimizer(c);
    root_.finish();
    validate_parameters(c);
    return c;
  }

 private:
  void read_parameters(CalibrationSpec& c) {
    const toml::table* table = root_.subtable("parameters");
    if (!table || table->empty())
      throw InputError(table ? position_of(*table) : position_of(root_.table()), "parameters",
                       "at least one parameter to fit is required, e.g. "
                       "[parameters.\"model.flows.trade_cost_elasticity\"] with min and max");
    for (const auto& [key, node] : *table) {
      const std::string path = "parameters." + quoted_key_part(std::string(key.str()));
      // At the key: a table made by dotted keys (parameters."actors.PAK.risk".min = -1) has no
      // position of its own.
      const SourcePosition where = position_of(key.source());
      if (!node.is_table())
        throw InputError(where, path,
                         "expected a table with distribution, min and max, got " + type_name(node));
      if (const std::string advice = unquoted_key_advice("parameters", key.str(), node);
          !advice.empty())
        throw InputError(where, path, advice);
      if (sweep::is_shared_setting(std::string(key.str())))
        throw InputError(where, path,
                         "'" + std::string(key.str()) +
                             "' cannot be fitted: every candidate shares the scenario's period "
                             "(its observed figures lie in it), its recording and its seeding "
                             "(the replicates' seeds derive from the calibration's seed)");
      for (const FittedParameter& earlier : c.parameters)
        if (template_->same_key(earlier.parameter.key, std::string(key.str()))) {
          const GivenTwice twice =
              given_twice(where, std::string(key.str()), earlier.position, earlier.parameter.key);
          throw InputError(twice.later, "parameters." + quoted_key_part(twice.later_key),
                           "the same scenario key as parameters.\"" + twice.earlier_key + "\" (" +
                               place_of(twice.earlier) + "): fit each key once");
        }
      // The fitted scenario sets each key as a dotted TOML key: an element of an array
      // (events.0.date, events."<label>".intensity) cannot be written that way; a key of a table,
      // digits or quoted (actors.PAK.energy_demand.2030, gdp_growth_path."2030.5"), can.
      if (key_path_enters_array(scenario_table(), key.str()))
        throw InputError(where, path,
                         "calibrate fits keys of tables (e.g. actors.PAK.risk, "
                         "model.flows.trade_cost_elasticity), not elements of an array such as "
                         "events.0.intensity or events.\"<label>\".intensity");
      TableReader r(*node.as_table(), path, path_.string());
      FittedParameter f;
      f.position = where;
      f.parameter.key = std::string(key.str());
      sweep::ParameterDistribution& d = f.parameter.distribution;
      d.kind = r.choice("distribution", sweep::Distribution::uniform);
      if (d.kind != sweep::Distribution::uniform && d.kind != sweep::Distribution::loguniform)
        r.fail(r.get("distribution"), "distribution",
               "a fitted parameter is \"uniform\" (fitted on a linear scale) or \"loguniform\" (on "
               "a log scale)");
      d.min = r.required_number("min");
      d.max = r.required_number("max");
      if (!(d.min < d.max))
        r.fail(r.get("max"), "max", "expected max > min (" + format_number(d.min) + ")");
      if (d.kind == sweep::Distribution::loguniform && !(d.min > 0.0))
        r.fail(r.get("min"), "min", "a loguniform parameter needs min > 0");
      if (const auto start = r.optional_number("start", Range{d.min, d.max})) {
        f.start = *start;
        start_positions_.emplace_back(path + ".start", position_of(*r.get("start")));
      }
      r.finish();
      c.parameters.push_back(std::move(f));
    }
  }

  void read_fit(CalibrationSpec& c) {
    const toml::table* table = root_.subtable("fit");
    static const toml::table empty;
    TableReader r(table ? *table : empty, "fit", path_.string());
    const auto& observations = scenario_spec_.observations;
    if (observations.empty())
      r.fail(nullptr, "quantities",
             "the scenario '" + scenario_spec_.name +
                 "' declares no [[observations]]: there is nothing to fit" +
                 (table == nullptr && root_.table().get("optimizer") == nullptr
                      ? std::string(" (if this is a sweep file, it needs [record] with outputs)")
                      : std::string()));
    if (const toml::array* quantities = r.array("quantities")) {
      // An empty list would fit nothing; leaving the key out fits every observed series.
      if (quantities->empty())
        r.fail(quantities, "quantities",
               "an empty list fits nothing: name the observed series to fit, e.g. [\"" +
                   observations.front().quantity +
                   "\"], or omit the key to fit every series the scenario observes");
      std::vector<SourcePosition> positions;
      for (const auto& q : *quantities) {
        if (!q.is_string())
          throw InputError(position_of(q), "fit.quantities",
                           "expected a quantity such as \"trade[PAK,RUS]\", got " + type_name(q));
        const std::string typed(q.value<std::string_view>().value());
        std::string name = typed;
        std::vector<std::string> known;  // each once, as the scenario spells it
        for (const auto& o : observations)
          if (std::find(known.begin(), known.end(), o.quantity) == known.end())
            known.push_back(o.quantity);
        // A series is named however it is spaced (trade[PAK, CHN] is trade[PAK,CHN]), and a
        // pair_total, which adds both directions, in either direction: trade[RUS,PAK] names the
        // series observed as trade[PAK,RUS] (docs/scenario-format.md). It is kept as the
        // scenario spells it.
        const std::string spelt = quantity_spelling(name);
        for (const auto& o : observations) {
          const std::string observed = quantity_spelling(o.quantity);
          if (observed == spelt || (o.aggregate == ObservationAggregate::pair_total &&
                                    observed == pair_reversed(spelt))) {
            name = o.quantity;
            break;
          }
        }
        if (std::find(known.begin(), known.end(), name) == known.end())
          throw InputError(position_of(q), "fit.quantities",
                           "the scenario observes no '" + name + "'" + did_you_mean(name, known) +
                               "; its observed quantities: " + word_list(known));
        const auto earlier = std::find(c.quantities.begin(), c.quantities.end(), name);
        if (earlier != c.quantities.end())
          throw InputError(
              position_of(q), "fit.quantities",
              "'" + typed + "'" + (typed == name ? std::string() : " (the series '" + name + "')") +
                  " is given twice (first at " +
                  place_of(positions[static_cast<std::size_t>(earlier - c.quantities.begin())]) +
                  "): name each series once");
        positions.push_back(position_of(q));
        c.quantities.push_back(name);
      }
    }
    if (const toml::node* until = r.get("until")) {
      if (until->is_date())
        c.until = decimal_year(until->value<toml::date>().value());
      else if (until->is_number())
        c.until = r.checked_number(*until, "until", kAny);
      else
        r.fail(until, "until",
               "expected a date such as 2021-01-01 or a decimal year such as 2021.0, got " +
                   type_name_for_date(*until));
      // After the run's end it keeps every figure, as no `until` does: a slip (2030 for 2020).
      const TimeSpec& t = scenario_spec_.time;
      const double end = t.end();
      if (c.until > end + 1e-9)
        r.fail(until, "until",
               format_number(c.until) + " is after the end of the scenario's run (" +
                   date_text(end) +
                   "): it would leave every figure to fit, as no until does; "
                   "give a date inside the run, or leave until out");
    }
    c.loss = r.choice("loss", c.loss);
    std::size_t fitted = 0;
    for (const auto& o : observations) {
      if (!c.quantities.empty() &&
          std::find(c.quantities.begin(), c.quantities.end(), o.quantity) == c.quantities.end())
        continue;
      for (std::size_t k = 0; k < o.dates.size(); ++k) {
        if (o.window(o.dates[k]).second > c.until + 1e-9) continue;
        ++fitted;
        if (c.loss == Loss::squared_log_error && !(o.values[k] > 0.0)) {
          // Where the figure is written: the scenario's line, or its CSV's line and column (the
          // template's instances keep no positions: the file is read again with them).
          const std::size_t series = static_cast<std::size_t>(&o - observations.data());
          const ScenarioSpec placed = load_scenario(scenario_path_);
          const ObservationSpec& p = placed.observations.at(series);
          const SourcePosition at =
              k < p.value_positions.size() ? p.value_positions[k] : p.position;
          const std::string written =
              at.line > 0 ? " (" + at.file + ", line " + std::to_string(at.line) +
                                (at.column > 0 ? ", column " + std::to_string(at.column) : "") + ")"
                          : "";
          r.fail(r.get("loss"), "loss",
                 std::string(r.get("loss") ? "" : "the default, ") +
                     "squared_log_error needs positive observations; " + o.quantity + " is " +
                     format_number(o.values[k]) + " at " +
                     observation_date_text(o.period, o.dates[k]) + written +
                     ": use loss = \"squared_error\"");
        }
      }
    }
    if (fitted == 0)
      r.fail(r.get("until"), "until",
             "no observed figure is left to fit (every one is dated after " +
                 format_number(c.until) + " or not among the quantities)");
    r.finish();
  }

  void read_optimizer(CalibrationSpec& c) {
    const toml::table* table = root_.subtable("optimizer");
    static const toml::table empty;
    TableReader r(table ? *table : empty, "optimizer", path_.string());
    c.algorithm = r.choice("algorithm", c.algorithm);
    c.max_evaluations = r.integer("max_evaluations", c.max_evaluations, 1, 1'000'000);
    c.tolerance = r.number("tolerance", c.tolerance, Range{0.0, 1.0, true, false});
    c.restarts = r.integer("restarts", c.restarts, 1, 1000);
    if (c.algorithm == Algorithm::direct) {
      // DIRECT divides the bounds' box by a fixed rule from its centre: it takes no start, and
      // every restart would repeat the first's evaluations (a spread of 0 that no start tested).
      if (c.restarts > 1)
        r.fail(r.get("restarts"), "restarts",
               "\"direct\" searches the bounds' box by a fixed rule from its centre: every "
               "restart would repeat the first's evaluations; give restarts = 1, or choose an "
               "algorithm whose restarts start from seeded random points (bobyqa, crs2, ...)");
      if (!start_positions_.empty())
        throw InputError(start_positions_.front().second, start_positions_.front().first,
                         "\"direct\" (optimizer.algorithm) starts from the centre of the bounds' "
                         "box and takes no start: leave start out, or choose an algorithm that "
                         "starts there (bobyqa, neldermead, ...)");
    }
    r.finish();
  }

  // Every key at both bounds and inside through the scenario loader, and the first candidate
  // (every parameter at its start): a bad key or an impossible value is reported now, against this
  // file, not as a failed candidate.
  void validate_parameters(const CalibrationSpec& c) {
    std::vector<sweep::ParameterSpec> parameters;
    for (const auto& f : c.parameters) parameters.push_back(f.parameter);
    const auto check = [&](const std::vector<double>& values, std::size_t p) {
      LoadOptions options;
      options.resolved_text = false;
      options.overrides = sweep::overrides_for(parameters, scenario_spec_, values);
      try {
        (void)template_->instantiate(options);
      } catch (const InputError& e) {
        // The parameter whose --set the error names (they are all set at once), else the
        // one at its bound.
        const std::size_t blamed = sweep::parameter_named_by(e, parameters, p);
        throw InputError(
            c.parameters[blamed].position, "parameters." + quoted_key_part(parameters[blamed].key),
            "the scenario rejects this parameter at " + format_number(values[blamed]) + ": " +
                sweep::refusal_in_words_of(e, options.overrides, "calibration",
                                           parameters[blamed].key));
      }
    };
    // Each parameter at its bounds and at a point inside (an integer key refuses 2.5 where its
    // bounds are whole), the others in the middle of their ranges; then the first candidate.
    std::vector<double> middle;
    for (const auto& q : parameters)
      middle.push_back(0.5 * (q.distribution.min + q.distribution.max));
    for (std::size_t p = 0; p < parameters.size(); ++p) {
      const sweep::ParameterDistribution& d = parameters[p].distribution;
      for (const double value : {d.min, d.max, sweep::to_value(d, sweep::kInsideQuantile)}) {
        std::vector<double> values = middle;
        values[p] = value;
        check(values, p);
      }
    }
    std::vector<double> first;
    for (const auto& f : c.parameters)
      first.push_back(f.start ? *f.start : sweep::to_value(f.parameter.distribution, 0.5));
    check(first, 0);
  }

  // The scenario as one table (its base chain merged), read when a key is first checked.
  const toml::table& scenario_table() {
    if (!scenario_table_)
      scenario_table_ = std::make_unique<toml::table>(read_scenario_file(scenario_path_));
    return *scenario_table_;
  }

  TableReader root_;
  fs::path path_;
  fs::path scenario_path_;
  std::unique_ptr<toml::table> scenario_table_;
  std::unique_ptr<ScenarioTemplate> template_;
  ScenarioSpec scenario_spec_;
  std::vector<std::pair<std::string, SourcePosition>> start_positions_;  // key, where: each start
};

}  // namespace

CalibrationSpec load_calibration(const fs::path& path) {
  std::string text = read_user_text(path, "the calibration file");
  const toml::table root = parse_text(text, path.string());
  expect_toml_file_kind(root, TomlFileKind::calibration, path.string());
  CalibrationSpec spec = CalibrationBuilder(root, path).build();
  spec.text = std::move(text);
  return spec;
}

}  // namespace interdep::calibrate
