#include "engine/sweep/sweep_loader.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "engine/run/rng.hpp"
#include "engine/scenario/toml_reader.hpp"

namespace interdep::sweep {
namespace {

namespace fs = std::filesystem;
using namespace interdep::detail;

std::string number_text(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  // An integral value stays an integer ("3"): the scenario loader takes integers for real
  // keys too, and integer keys need one.
  return buffer;
}

// "actors.PAK.interests.security" -> "PAK"; "" for other keys.
std::string interest_actor(const std::string& key) {
  const std::string prefix = "actors.";
  const std::string middle = ".interests.";
  if (key.rfind(prefix, 0) != 0) return "";
  const auto m = key.find(middle, prefix.size());
  if (m == std::string::npos || key.find('.', m + middle.size()) != std::string::npos) return "";
  return key.substr(prefix.size(), m - prefix.size());
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  for (char c : line) {
    if (c == ',' || c == '\t' || c == ';') {
      cells.push_back(cell);
      cell.clear();
    } else if (c != '\r' && c != '"') {
      cell += c;
    }
  }
  cells.push_back(cell);
  for (auto& s : cells) {
    const auto b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
    s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  }
  return cells;
}

class SweepBuilder {
 public:
  SweepBuilder(const toml::table& root, const fs::path& path)
      : root_(root, "", path.string()), path_(path) {}

  SweepSpec build(std::string text) {
    SweepSpec s;
    s.source_path = path_;
    s.text = std::move(text);
    if (!root_.get("name"))
      root_.fail(nullptr, "name", "is required: expected a string naming the sweep");
    s.name = root_.string("name", s.name);
    s.description = root_.string("description", s.description);
    const toml::node* scenario = root_.get("scenario");
    if (!scenario || !scenario->is_string())
      root_.fail(scenario, "scenario",
                 "is required: expected the path of the scenario to sweep, "
                 "relative to this file");
    s.scenario = fs::path(std::string(scenario->value<std::string_view>().value()));
    if (s.scenario.is_relative()) s.scenario = path_.parent_path() / s.scenario;
    scenario_position_ = position_of(*scenario);
    s.seed = root_.integer("seed", s.seed, 0, std::numeric_limits<std::int64_t>::max());
    s.replicates = root_.integer("replicates", s.replicates, 1, 1'000'000);

    // The scenario, validated once with positions.
    try {
      template_ = std::make_unique<ScenarioTemplate>(s.scenario);
    } catch (const InputError& e) {
      if (!fs::exists(s.scenario))
        throw InputError(scenario_position_, "scenario",
                         "scenario file '" + s.scenario.string() + "' does not exist");
      throw;
    }
    LoadOptions plain;
    plain.resolved_text = false;
    scenario_spec_ = template_->instantiate(plain);

    read_design(s);
    read_parameters(s);
    read_record(s);
    s.failure = root_.choice("on_failure", s.failure);
    root_.finish();
    validate_parameters(s);
    return s;
  }

 private:
  void read_design(SweepSpec& s) {
    const toml::table* table = root_.subtable("design");
    static const toml::table empty;
    TableReader r(table ? *table : empty, "design", path_.string());
    s.design.kind = r.choice("kind", s.design.kind);
    s.design.samples = r.integer("samples", s.design.samples, 1, 100'000'000);
    s.design.levels = r.integer("levels", s.design.levels, 2, 1000);
    if (s.design.kind == DesignKind::morris && s.design.levels % 2 != 0)
      r.fail(
          r.table().get("levels"), "levels",
          "Morris designs need an even number of levels, got " + std::to_string(s.design.levels));
    if (const toml::node* file = r.get("file")) {
      if (!file->is_string()) r.fail(file, "file", "expected the path of a CSV design matrix");
      s.design.csv = fs::path(std::string(file->value<std::string_view>().value()));
      if (s.design.csv.is_relative()) s.design.csv = path_.parent_path() / s.design.csv;
      csv_position_ = position_of(*file);
    } else if (s.design.kind == DesignKind::csv) {
      r.fail(nullptr, "file", "is required for a csv design: the path of the design matrix");
    }
    r.finish();
  }

  void read_parameters(SweepSpec& s) {
    const toml::table* table = root_.subtable("parameters");
    if (s.design.kind == DesignKind::csv) {
      if (table && !table->empty())
        throw InputError(
            position_of(*table), "parameters",
            "a csv design takes its parameters from the CSV header; remove [parameters]");
      read_csv_header(s);
      return;
    }
    if (!table || table->empty())
      throw InputError(table ? position_of(*table) : position_of(root_.table()), "parameters",
                       "at least one parameter is required, e.g. [parameters.\"actors.PAK.risk\"] "
                       "distribution = \"uniform\", min = -1, max = 0");
    for (const auto& [key, node] : *table) {
      const std::string path = "parameters.\"" + std::string(key.str()) + "\"";
      if (!node.is_table())
        throw InputError(position_of(node), path,
                         "expected a table with the distribution, got " + type_name(node));
      TableReader r(*node.as_table(), path, path_.string());
      ParameterSpec p;
      p.key = std::string(key.str());
      positions_.push_back(position_of(key.source()));
      check_can_vary(p.key, position_of(key.source()), path);
      ParameterDistribution& d = p.distribution;
      d.kind = r.choice("distribution", d.kind);
      if (d.kind == Distribution::uniform || d.kind == Distribution::loguniform) {
        d.min = r.required_number("min");
        d.max = r.required_number("max");
        if (!(d.max > d.min)) r.fail(r.table().get("max"), "max", "expected max > min");
        if (d.kind == Distribution::loguniform && d.min <= 0.0)
          r.fail(r.table().get("min"), "min", "a log-uniform distribution needs min > 0");
      } else if (d.kind == Distribution::normal) {
        d.mean = r.required_number("mean");
        d.sd = r.required_number("sd", kPositive);
      } else {
        const toml::array* values = r.array("values");
        if (!values || values->empty())
          r.fail(values, "values", "a discrete parameter needs a non-empty array of values");
        for (const auto& v : *values) {
          std::ostringstream literal;
          v.visit([&](auto&& x) { literal << x; });
          if (v.is_table() || v.is_array())
            throw InputError(position_of(v), r.key_path("values"),
                             "expected plain values, got " + type_name(v));
          p.values.push_back(literal.str());
        }
        d.count = p.values.size();
      }
      r.finish();
      note_renormalised(s, p.key);
      s.parameters.push_back(std::move(p));
    }
  }

  static void check_can_vary(const std::string& key, const SourcePosition& where,
                             const std::string& path) {
    for (const char* fixed : {"time.", "output.", "seed", "name", "base"})
      if (key.rfind(fixed, 0) == 0)
        throw InputError(
            where, path,
            "'" + key +
                "' cannot vary within a sweep: every run shares the period, "
                "the recording and the seeding (run seeds derive from the sweep's seed)");
  }

  static void note_renormalised(SweepSpec& s, const std::string& key) {
    const std::string actor = interest_actor(key);
    if (!actor.empty() &&
        std::find(s.renormalised.begin(), s.renormalised.end(), actor) == s.renormalised.end())
      s.renormalised.push_back(actor);
  }

  void read_csv_header(SweepSpec& s) {
    std::ifstream in(s.design.csv);
    if (!in)
      throw InputError(csv_position_, "design.file",
                       "cannot open CSV design '" + s.design.csv.string() + "'");
    std::string header;
    std::getline(in, header);
    for (const auto& name : split_csv_line(header)) {
      if (name.empty())
        throw InputError(csv_position_, "design.file", "the CSV header has an empty column name");
      ParameterSpec p;
      p.key = name;
      check_can_vary(p.key, csv_position_, "design.file");
      positions_.push_back(csv_position_);
      note_renormalised(s, p.key);
      s.parameters.push_back(std::move(p));
    }
  }

  void read_record(SweepSpec& s) {
    const toml::table* table = root_.subtable("record");
    static const toml::table empty;
    TableReader r(table ? *table : empty, "record", path_.string());
    s.record = r.choice("mode", s.record);
    s.every = r.integer("every", s.every, 1, std::numeric_limits<std::int32_t>::max());
    if (const toml::array* stats = r.array("statistics")) {
      if (stats->empty())
        r.fail(stats, "statistics", "name at least one of " + quoted_list(name_list<Statistic>()));
      s.statistics.clear();
      for (const auto& st : *stats) {
        const std::string name(st.value<std::string_view>().value_or(""));
        const std::optional<Statistic> statistic = parse<Statistic>(name);
        if (!statistic) {
          const std::vector<std::string> known = name_list<Statistic>();
          throw InputError(position_of(st), "record.statistics",
                           "expected one of " + quoted_list(known) + ", got " +
                               (name.empty() ? type_name(st) : "'" + name + "'") +
                               did_you_mean(name, known));
        }
        s.statistics.push_back(*statistic);
      }
    }
    const toml::array* outputs = r.array("outputs");
    if (!outputs || outputs->empty())
      r.fail(outputs, "outputs",
             "name at least one output, e.g. outputs = [\"relation_overall[PAK,RUS]\"]");
    for (const auto& o : *outputs) {
      if (!o.is_string())
        throw InputError(position_of(o), "record.outputs",
                         "expected an output name such as \"trade[RUS,PAK]\"");
      s.outputs.push_back(parse_output(std::string(o.value<std::string_view>().value()), o));
    }
    r.finish();
  }

  OutputSpec parse_output(const std::string& text, const toml::node& at) const {
    try {
      return parse_quantity(text, scenario_spec_);
    } catch (const QuantityError& e) {
      throw InputError(position_of(at), "record.outputs", e.what());
    }
  }

  // Every varied key is tried at the ends of its range through the scenario loader, so a bad
  // key or an impossible value is reported now, against the sweep file, not in run 4711.
  void validate_parameters(const SweepSpec& s) {
    if (s.design.kind == DesignKind::csv) return;  // values are checked row by row when planned
    std::vector<double> values(s.parameters.size());
    for (std::size_t p = 0; p < s.parameters.size(); ++p) {
      const ParameterDistribution& d = s.parameters[p].distribution;
      const std::size_t ends = d.kind == Distribution::discrete ? d.count : 2;
      for (std::size_t e = 0; e < ends; ++e) {
        for (std::size_t q = 0; q < s.parameters.size(); ++q)
          values[q] = middle(s.parameters[q].distribution);
        values[p] = d.kind == Distribution::discrete ? static_cast<double>(e)
                    : d.kind == Distribution::normal ? d.mean + (e == 0 ? -3.0 : 3.0) * d.sd
                    : e == 0                         ? d.min
                                                     : d.max;
        LoadOptions options;
        options.resolved_text = false;
        options.overrides = overrides_for(s.parameters, scenario_spec_, values);
        try {
          template_->instantiate(options);
        } catch (const InputError& e2) {
          throw InputError(
              positions_[p], "parameters.\"" + s.parameters[p].key + "\"",
              "the scenario rejects this parameter at " +
                  (d.kind == Distribution::discrete ? "value " + s.parameters[p].values[e]
                                                    : "value " + number_text(values[p])) +
                  ": " + e2.what());
        }
      }
    }
  }

  static double middle(const ParameterDistribution& d) {
    switch (d.kind) {
      case Distribution::normal: return d.mean;
      case Distribution::discrete: return 0.0;
      case Distribution::loguniform: return std::sqrt(d.min * d.max);
      default: return 0.5 * (d.min + d.max);
    }
  }

  TableReader root_;
  fs::path path_;
  SourcePosition scenario_position_, csv_position_;
  std::vector<SourcePosition> positions_;
  std::unique_ptr<ScenarioTemplate> template_;
  ScenarioSpec scenario_spec_;
};

}  // namespace

SweepSpec load_sweep(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError(SourcePosition{path.string(), 0, 0}, "",
                     "cannot open sweep file '" + path.string() + "'");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  const toml::table root = parse_text(text, path.string());
  return SweepBuilder(root, path).build(text);
}

Design make_design(const SweepSpec& sweep) {
  const std::size_t k = sweep.parameters.size();
  const std::uint64_t seed =
      run_seed(sweep.seed, static_cast<std::size_t>(-1));  // design's own stream
  switch (sweep.design.kind) {
    case DesignKind::grid: {
      std::vector<std::size_t> levels;
      for (const auto& p : sweep.parameters)
        levels.push_back(p.distribution.kind == Distribution::discrete ? p.distribution.count
                                                                       : sweep.design.levels);
      Design d = full_factorial(levels);
      // Discrete levels sit at the centres of their strata so that to_value picks each value.
      for (std::size_t row = 0; row < d.points; ++row)
        for (std::size_t c = 0; c < k; ++c)
          if (sweep.parameters[c].distribution.kind == Distribution::discrete) {
            const double n = static_cast<double>(sweep.parameters[c].distribution.count);
            d.unit[row * k + c] = (std::round(d.unit[row * k + c] * (n - 1)) + 0.5) / n;
          }
      return d;
    }
    case DesignKind::lhs: return latin_hypercube(sweep.design.samples, k, seed);
    case DesignKind::saltelli: return saltelli(sweep.design.samples, k, seed);
    case DesignKind::morris: return morris(sweep.design.samples, k, sweep.design.levels, seed);
    case DesignKind::csv: {
      std::ifstream in(sweep.design.csv);
      std::string line;
      std::getline(in, line);  // header
      Design d;
      d.dims = k;
      std::size_t row = 1;
      while (std::getline(in, line)) {
        ++row;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        const auto cells = split_csv_line(line);
        if (cells.size() != k)
          throw InputError(
              SourcePosition{sweep.design.csv.string(), static_cast<int>(row), 0}, "design.file",
              "expected " + std::to_string(k) + " values, got " + std::to_string(cells.size()));
        for (const auto& c : cells) {
          char* end = nullptr;
          const double v = std::strtod(c.c_str(), &end);
          if (c.empty() || end != c.c_str() + c.size() || !std::isfinite(v))
            throw InputError(SourcePosition{sweep.design.csv.string(), static_cast<int>(row), 0},
                             "design.file", "expected a finite number, got '" + c + "'");
          d.unit.push_back(v);
        }
        ++d.points;
      }
      if (d.points == 0)
        throw InputError(SourcePosition{sweep.design.csv.string(), 0, 0}, "design.file",
                         "the CSV design has no rows");
      return d;
    }
  }
  return {};
}

std::uint64_t run_seed(std::uint64_t sweep_seed, std::size_t run_index) {
  std::uint64_t x = sweep_seed ^ 0x6A09E667F3BCC909ull;
  x = splitmix64(x) ^ static_cast<std::uint64_t>(run_index);
  return splitmix64(x);
}

std::vector<std::string> overrides_for(const std::vector<ParameterSpec>& parameters,
                                       const ScenarioSpec& scenario,
                                       const std::vector<double>& values) {
  std::vector<std::string> overrides;
  std::map<std::string, std::map<std::string, double>> interests;  // actor -> domain -> weight
  for (std::size_t p = 0; p < parameters.size(); ++p) {
    const ParameterSpec& par = parameters[p];
    const std::string actor = interest_actor(par.key);
    if (!actor.empty() && par.distribution.kind != Distribution::discrete) {
      interests[actor][par.key.substr(par.key.rfind('.') + 1)] = values[p];
      continue;
    }
    if (par.distribution.kind == Distribution::discrete) {
      const auto k = static_cast<std::size_t>(values[p]);
      overrides.push_back(par.key + "=" + par.values[std::min(k, par.values.size() - 1)]);
    } else {
      overrides.push_back(par.key + "=" + number_text(values[p]));
    }
  }
  for (auto& [code, varied] : interests) {
    const auto a = std::find_if(scenario.actors.begin(), scenario.actors.end(),
                                [&code = code](const ActorSpec& s) { return s.code == code; });
    if (a == scenario.actors.end()) continue;  // the scenario loader will name the bad code
    std::vector<double> w(scenario.domain_count());
    double total = 0.0;
    for (std::size_t d = 0; d < w.size(); ++d) {
      const auto it = varied.find(scenario.domains[d].name);
      w[d] = it != varied.end() ? it->second : a->interests[d];
      total += w[d];
    }
    for (std::size_t d = 0; d < w.size(); ++d)
      overrides.push_back("actors." + code + ".interests." + scenario.domains[d].name + "=" +
                          number_text(total > 0.0 ? w[d] / total : w[d]));
  }
  return overrides;
}

RunPlan plan_run(const SweepSpec& sweep, const Design& design, const ScenarioSpec& scenario,
                 std::size_t index) {
  RunPlan plan;
  plan.index = index;
  plan.point = index / sweep.replicates;
  plan.replicate = index % sweep.replicates;
  plan.seed = run_seed(sweep.seed, index);
  const std::size_t k = sweep.parameters.size();
  plan.values.reserve(k);
  for (std::size_t p = 0; p < k; ++p) {
    double u = design.unit[plan.point * design.dims + p];
    const ParameterDistribution& dist = sweep.parameters[p].distribution;
    // Grid and Morris levels include 0 and 1; a normal parameter takes the quantiles of the
    // levels' strata centres instead of its (infinite) ends.
    if (dist.kind == Distribution::normal &&
        (sweep.design.kind == DesignKind::grid || sweep.design.kind == DesignKind::morris)) {
      const double levels = static_cast<double>(sweep.design.levels);
      u = (u * (levels - 1.0) + 0.5) / levels;
    }
    plan.values.push_back(sweep.design.kind == DesignKind::csv ? u : to_value(dist, u));
  }
  plan.overrides = overrides_for(sweep.parameters, scenario, plan.values);
  return plan;
}

}  // namespace interdep::sweep
