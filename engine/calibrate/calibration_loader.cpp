#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>

#include "engine/calibrate/calibration_spec.hpp"
#include "engine/scenario/file_kind.hpp"
#include "engine/scenario/plan_header.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/scenario/spec_builder.hpp"
#include "engine/scenario/toml_reader.hpp"
#include "engine/scenario/user_text.hpp"
#include "engine/sweep/sweep_loader.hpp"

namespace interdep::calibrate {
namespace {

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
      const std::string path = "parameters.\"" + std::string(key.str()) + "\"";
      if (!node.is_table())
        throw InputError(position_of(node), path,
                         "expected a table with distribution, min and max, got " + type_name(node));
      // The fitted scenario sets each key as a dotted TOML key: array elements (events.0.date)
      // cannot be written that way.
      std::string_view rest = key.str();
      bool indexed = false;
      while (!rest.empty()) {
        const auto dot = rest.find('.');
        const std::string_view part = rest.substr(0, dot);
        indexed = indexed || (!part.empty() && std::all_of(part.begin(), part.end(), [](char ch) {
                    return ch >= '0' && ch <= '9';
                  }));
        rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
      }
      // An element named by its quoted label (events."EU sanctions".intensity) is one too.
      indexed = indexed || key.str().find('"') != std::string_view::npos;
      if (indexed)
        throw InputError(position_of(node), path,
                         "calibrate fits keys of tables (e.g. actors.PAK.risk, "
                         "model.flows.trade_cost_elasticity), not elements of an array such as "
                         "events.0.intensity or events.\"<label>\".intensity");
      TableReader r(*node.as_table(), path, path_.string());
      FittedParameter f;
      f.position = position_of(node);
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
      if (const auto start = r.optional_number("start", Range{d.min, d.max})) f.start = *start;
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
                 "' declares no [[observations]]: there is nothing to fit");
    if (const toml::array* quantities = r.array("quantities")) {
      for (const auto& q : *quantities) {
        if (!q.is_string())
          throw InputError(position_of(q), "fit.quantities",
                           "expected a quantity such as \"trade[PAK,RUS]\", got " + type_name(q));
        const std::string name(q.value<std::string_view>().value());
        std::vector<std::string> known;
        for (const auto& o : observations) known.push_back(o.quantity);
        if (std::find(known.begin(), known.end(), name) == known.end())
          throw InputError(position_of(q), "fit.quantities",
                           "the scenario observes no '" + name + "'" + did_you_mean(name, known) +
                               "; its observed quantities: " + quoted_list(known));
        c.quantities.push_back(name);
      }
    }
    if (const toml::node* until = r.get("until")) {
      if (until->is_date())
        c.until = decimal_year(until->value<toml::date>().value());
      else
        c.until = r.checked_number(*until, "until", kAny);
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
        if (c.loss == Loss::squared_log_error && !(o.values[k] > 0.0))
          r.fail(r.get("loss"), "loss",
                 "squared_log_error needs positive observations; " + o.quantity + " is " +
                     format_number(o.values[k]) + " at " + format_number(o.dates[k]) +
                     ": use squared_error");
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
    r.finish();
  }

  // Every key at both bounds through the scenario loader: a bad key or an impossible value is
  // reported now, against this file.
  void validate_parameters(const CalibrationSpec& c) {
    std::vector<sweep::ParameterSpec> parameters;
    for (const auto& f : c.parameters) parameters.push_back(f.parameter);
    for (std::size_t p = 0; p < parameters.size(); ++p)
      for (const bool upper : {false, true}) {
        std::vector<double> values;
        for (const auto& q : parameters)
          values.push_back(0.5 * (q.distribution.min + q.distribution.max));
        values[p] = upper ? parameters[p].distribution.max : parameters[p].distribution.min;
        LoadOptions options;
        options.resolved_text = false;
        options.overrides = sweep::overrides_for(parameters, scenario_spec_, values);
        try {
          (void)template_->instantiate(options);
        } catch (const InputError& e) {
          throw InputError(c.parameters[p].position, "parameters.\"" + parameters[p].key + "\"",
                           "the scenario rejects this parameter at " + format_number(values[p]) +
                               ": " + e.what());
        }
      }
  }

  TableReader root_;
  fs::path path_;
  std::unique_ptr<ScenarioTemplate> template_;
  ScenarioSpec scenario_spec_;
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
