#include "engine/sweep/sweep_loader.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "engine/run/rng.hpp"
#include "engine/scenario/csv_table.hpp"
#include "engine/scenario/file_kind.hpp"
#include "engine/scenario/plan_header.hpp"
#include "engine/scenario/scenario_file.hpp"
#include "engine/scenario/toml_reader.hpp"
#include "engine/scenario/user_text.hpp"
#include "engine/text/quoted_text.hpp"
#include "engine/text/text_format.hpp"

namespace interdep::sweep {
namespace {

namespace fs = std::filesystem;
using namespace interdep::detail;

// An integral value stays an integer ("3"): the scenario loader takes integers for real keys
// too, and integer keys need one.
std::string number_text(double v) { return shortest_number(v); }

// A parameter's value as its sweep file gives it: a discrete one's value (`v` its index).
std::string value_text(const ParameterSpec& parameter, double v) {
  return parameter.distribution.kind == Distribution::discrete
             ? parameter.values[static_cast<std::size_t>(v)]
             : number_text(v);
}

// An interest weight's actor and domain, read from its key path as --set splits it, so that
// every spelling of one weight ('actors."PAK".interests.security') is the same weight.
struct InterestKey {
  std::string actor, domain;
};
std::optional<InterestKey> interest_key(const std::string& key) {
  const std::vector<std::string> parts = detail::split_key_path(key).parts;
  if (parts.size() != 4 || parts[0] != "actors" || parts[2] != "interests") return std::nullopt;
  return InterestKey{parts[1], parts[3]};
}

// "actors.PAK.interests.security" -> "PAK"; "" for other keys.
std::string interest_actor(const std::string& key) {
  const auto k = interest_key(key);
  return k ? k->actor : std::string();
}

// A key path part as --set reads it: quoted when it holds a dot or an '=' (a domain may be
// named "a.b"; --set has no escape for a quote, and scenario names do not need one).
std::string key_part(const std::string& name) {
  return name.find_first_of(".=") == std::string::npos ? name : "\"" + name + "\"";
}

// A CSV design's cells: separated by commas, semicolons or tabs (the one its header uses, as
// spreadsheets of any locale write them; any of them when the header mixes them), trimmed of
// spaces, each may be quoted ("0.5"); no brackets (a key is a dotted path). Its header names are
// keys, compared as written.
constexpr CsvFormat kDesignFormat{",;\t", false, false};

// A design cell as a number: decimal only (strtod would also read hexadecimal, 0x1p-1), finite,
// written whole. strtod, not csv_number: a design has always taken "+0.5" and "1e-400" (0).
std::optional<double> design_number(const std::string& c) {
  char* end = nullptr;
  const double v = std::strtod(c.c_str(), &end);
  if (c.empty() || end != c.c_str() + c.size() || !std::isfinite(v) ||
      c.find_first_of("xX") != std::string::npos)
    return std::nullopt;
  return v;
}

constexpr std::uint64_t kTooMany = std::numeric_limits<std::uint64_t>::max();

// a × b, or kTooMany when it does not fit in 64 bits.
std::uint64_t saturating_product(std::uint64_t a, std::uint64_t b) {
  return a != 0 && b > kTooMany / a ? kTooMany : a * b;
}

class SweepBuilder {
 public:
  SweepBuilder(const toml::table& root, const fs::path& path)
      : root_(root, "", path.string()), path_(path) {}

  SweepSpec build(std::string text) {
    SweepSpec s;
    s.source_path = path_;
    s.text = std::move(text);
    const PlanHeader header = read_plan_header(root_, path_, "sweep", "to sweep", s.seed);
    s.name = header.name;
    s.description = header.description;
    s.scenario = header.scenario;
    scenario_position_ = header.scenario_position;
    s.seed = header.seed;
    s.replicates = root_.integer("replicates", s.replicates, 1, 1'000'000);
    if (const toml::node* replicates = root_.get("replicates"))
      replicates_position_ = position_of(*replicates);

    // The scenario, validated once with positions.
    template_ = std::make_unique<ScenarioTemplate>(s.scenario);
    LoadOptions plain;
    plain.resolved_text = false;
    scenario_spec_ = template_->instantiate(plain);

    read_design(s);
    s.seeds = root_.choice(
        "seeds", s.design.kind == DesignKind::saltelli || s.design.kind == DesignKind::morris
                     ? SeedSharing::common
                     : SeedSharing::per_run);
    read_parameters(s);
    read_policies(s);
    check_size(s);
    read_record(s);
    s.failure = root_.choice("on_failure", s.failure);
    root_.finish();
    validate_parameters(s);
    validate_policies(s);
    return s;
  }

 private:
  void read_design(SweepSpec& s) {
    const toml::table* table = root_.subtable("design");
    static const toml::table empty;
    TableReader r(table ? *table : empty, "design", path_.string());
    design_position_ = position_of(table ? *table : root_.table());
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
    for (const char* size_key : {"samples", "levels", "file"})
      if (const toml::node* n = r.get(size_key)) size_positions_[size_key] = position_of(*n);
    r.finish();
  }

  // The run count, refused before anything is run or allocated: at the
  // key that sets the design's size, or at replicates when they take the count over the limit.
  void check_size(const SweepSpec& s) const {
    const std::uint64_t points = design_points(s);
    const std::string key = s.design.kind == DesignKind::csv    ? "file"
                            : s.design.kind == DesignKind::grid ? "levels"
                                                                : "samples";
    const auto at = size_positions_.find(key);
    const SourcePosition where = at != size_positions_.end() ? at->second : design_position_;
    const std::string fewer = s.design.kind == DesignKind::grid  ? "levels, values or parameters"
                              : s.design.kind == DesignKind::csv ? "rows"
                                                                 : "samples or parameters";
    if (points > kMaxRuns)
      throw InputError(where, "design." + key,
                       "the " + std::string(name_of(s.design.kind)) + " design would have " +
                           count_text(points) + " points (" + describe_points(s) +
                           "), more than the " + std::to_string(kMaxRuns) +
                           " runs a sweep may make: use fewer " + fewer);
    const std::uint64_t runs = saturating_product(points, s.replicates);
    if (runs > kMaxRuns)
      throw InputError(replicates_position_.file.empty() ? where : replicates_position_,
                       "replicates",
                       std::to_string(points) + " design points × " + std::to_string(s.replicates) +
                           " replicates would be " + count_text(runs) + " runs, more than the " +
                           std::to_string(kMaxRuns) + " a sweep may make");
    const std::uint64_t all = saturating_product(runs, policy_count(s));
    if (all > kMaxRuns)
      throw InputError(policies_position_, "policies",
                       std::to_string(runs) + " runs a policy × " +
                           std::to_string(policy_count(s)) + " policies would be " +
                           count_text(all) + " runs, more than the " + std::to_string(kMaxRuns) +
                           " a sweep may make");
  }

  // [policies."NAME"]: each a table of scenario key paths and the values the policy sets
  // (docs/sweeps.md, "Policies"). A key may not also be a parameter: the design varies it.
  void read_policies(SweepSpec& s) {
    const toml::node* node = root_.get("policies");
    if (!node) return;
    policies_position_ = position_of(*node);
    const toml::table* table = node->as_table();
    if (!table)
      throw InputError(policies_position_, "policies",
                       "expected tables of overrides, e.g. [policies.\"no pipeline\"] "
                       "'events.\"Pakistan Stream\".intensity' = 0.0");
    if (table->size() > kMaxPolicies)
      throw InputError(policies_position_, "policies",
                       "at most " + std::to_string(kMaxPolicies) + " policies, got " +
                           std::to_string(table->size()));
    for (const auto& [name, settings] : *table) {
      const std::string path = "policies.\"" + std::string(name.str()) + "\"";
      const SourcePosition where = position_of(name.source());
      if (name.str().empty()) throw InputError(where, path, "a policy needs a name");
      if (name.str().find('/') != std::string_view::npos)
        throw InputError(where, path,
                         "a policy's name may not hold '/': it names the policy's analyses in "
                         "the result file (/analysis/<method>:<output>:<statistic>:<policy>)");
      if (!settings.is_table())
        throw InputError(
            position_of(settings), path,
            "expected a table of scenario keys and values, got " + type_name(settings));
      PolicySpec policy;
      policy.name = std::string(name.str());
      std::vector<std::pair<std::string, SourcePosition>> set;  // the keys set so far
      for (const auto& [key, value] : *settings.as_table()) {
        const std::string key_path = path + ".\"" + std::string(key.str()) + "\"";
        check_can_vary(std::string(key.str()), position_of(key.source()), key_path);
        for (const auto& [earlier, at] : set)
          if (template_->same_key(earlier, std::string(key.str()))) {
            const GivenTwice twice =
                given_twice(position_of(key.source()), std::string(key.str()), at, earlier);
            throw InputError(twice.later, path + ".\"" + twice.later_key + "\"",
                             "the same scenario key as '" + twice.earlier_key + "' (" +
                                 place_of(twice.earlier) + "): a policy sets each key once");
          }
        set.emplace_back(std::string(key.str()), position_of(key.source()));
        for (const ParameterSpec& p : s.parameters)
          if (template_->same_key(p.key, std::string(key.str())))
            throw InputError(position_of(key.source()), key_path,
                             "'" + p.key +
                                 "' is also a parameter: a policy sets levers the design does "
                                 "not vary");
        const std::string actor = interest_actor(std::string(key.str()));
        if (!actor.empty() &&
            std::find(s.renormalised.begin(), s.renormalised.end(), actor) != s.renormalised.end())
          throw InputError(position_of(key.source()), key_path,
                           "the interest weights of " + actor +
                               " vary in the design and are renormalised: a policy cannot set "
                               "one of them");
        if (value.is_table())
          throw InputError(position_of(value), key_path,
                           "expected a value (a number, string, boolean or array), got a table");
        // A float as its shortest exact text (0.2, not TOML++'s 0.20000000000000001), so
        // that the stored overrides read as written; anything else as TOML++ writes it.
        std::ostringstream literal;
        if (const auto* number = value.as_floating_point())
          literal << toml_float(number->get());
        else
          value.visit([&](auto&& x) { literal << x; });
        policy.overrides.push_back(std::string(key.str()) + "=" + literal.str());
      }
      policy_positions_.push_back(where);
      s.policies.push_back(std::move(policy));
    }
    if (s.policies.empty())
      throw InputError(policies_position_, "policies",
                       "an empty [policies] table: give at least one policy, or none at all");
  }

  static std::string count_text(std::uint64_t n) {
    return n == kTooMany ? "more than 2^64" : std::to_string(n);
  }

  // How the design's points are counted, for the message above.
  static std::string describe_points(const SweepSpec& s) {
    const std::size_t k = s.parameters.size();
    switch (s.design.kind) {
      case DesignKind::grid: {
        std::string product;
        for (const auto& p : s.parameters)
          product +=
              (product.empty() ? "" : " × ") +
              std::to_string(p.distribution.kind == Distribution::discrete ? p.distribution.count
                                                                           : s.design.levels);
        return product + " levels";
      }
      case DesignKind::lhs: return std::to_string(s.design.samples) + " samples";
      case DesignKind::saltelli:
        return std::to_string(s.design.samples) + " base samples × (" + std::to_string(k) + " + 2)";
      case DesignKind::morris:
        return std::to_string(s.design.samples) + " trajectories × (" + std::to_string(k) + " + 1)";
      case DesignKind::csv: return "the rows of " + s.design.csv.string();
    }
    return "";
  }

  void read_parameters(SweepSpec& s) {
    const toml::table* table = root_.subtable("parameters");
    if (s.design.kind == DesignKind::csv) {
      if (table && !table->empty())
        throw InputError(
            position_of(*table), "parameters",
            "a csv design takes its parameters from the CSV header; remove [parameters]");
      read_csv(s);
      return;
    }
    if (!table || table->empty())
      throw InputError(table ? position_of(*table) : position_of(root_.table()), "parameters",
                       "at least one parameter is required, e.g. [parameters.\"actors.PAK.risk\"] "
                       "distribution = \"uniform\", min = -1, max = 0");
    for (const auto& [key, node] : *table) {
      const std::string path = "parameters." + quoted_key_part(std::string(key.str()));
      if (!node.is_table())
        throw InputError(position_of(node), path,
                         "expected a table with the distribution, got " + type_name(node));
      if (const std::string advice = unquoted_key_advice("parameters", key.str(), node);
          !advice.empty())
        throw InputError(position_of(node), path, advice);
      TableReader r(*node.as_table(), path, path_.string());
      ParameterSpec p;
      p.key = std::string(key.str());
      check_can_vary(p.key, position_of(key.source()), path);
      for (std::size_t q = 0; q < s.parameters.size(); ++q)
        if (template_->same_key(s.parameters[q].key, p.key)) {
          const GivenTwice twice =
              given_twice(position_of(key.source()), p.key, positions_[q], s.parameters[q].key);
          throw InputError(twice.later, "parameters." + quoted_key_part(twice.later_key),
                           "the same scenario key as parameters.\"" + twice.earlier_key + "\" (" +
                               place_of(twice.earlier) + "): vary each key once");
        }
      positions_.push_back(position_of(key.source()));
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
          if (v.is_table() || v.is_array())
            throw InputError(position_of(v), r.key_path("values"),
                             "expected plain values, got " + type_name(v));
          // The value as a TOML literal (the override a run gets); a float in its shortest
          // form, 0.1 and not TOML++'s 0.10000000000000001 (the same double).
          std::string literal;
          if (const auto* f = v.as_floating_point()) {
            literal = toml_float(f->get());
          } else {
            std::ostringstream text;
            v.visit([&](auto&& x) { text << x; });
            literal = text.str();
          }
          if (std::find(p.values.begin(), p.values.end(), literal) != p.values.end())
            throw InputError(position_of(v), r.key_path("values"),
                             "the value " + literal + " is given twice: list each value once");
          p.values.push_back(std::move(literal));
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
    if (is_shared_setting(key))
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

  // A csv design: its header names the parameters, its rows are the design points (values in
  // natural units), read once here so that bad cells and the run count are refused up front.
  void read_csv(SweepSpec& s) {
    const std::string file = s.design.csv.string();
    const CsvTable table =
        read_csv_table(s.design.csv, "the CSV design", csv_position_, "design.file", kDesignFormat);
    const std::string quote_whole = "write numbers bare, or quoted whole (\"0.5\")";
    for (std::size_t c = 0; c < table.header.cells.size(); ++c) {
      const std::string& name = table.header.cells[c];
      // A key path as --set reads it: a quoted part names an event by its label or holds a
      // dot ("2030.5"); in the file the cell is quoted whole and its quotes doubled, as
      // CSV writes them: "events.""EU sanctions"".intensity".
      if (split_key_path(name).unclosed_quote)
        throw InputError(table.at(table.header, c), "design.file",
                         "the column name " + quoted_text(name) +
                             " has a quoted part that is not closed: a key path quotes a part "
                             "whole (events.\"EU sanctions\".intensity; in CSV, quoted whole "
                             "with its quotes doubled: \"events.\"\"EU sanctions\"\".intensity\")");
      for (const ParameterSpec& earlier : s.parameters)
        if (template_->same_key(earlier.key, name))
          throw InputError(table.at(table.header, c), "design.file",
                           earlier.key == name ? "the column '" + name + "' is given twice"
                                               : "the columns '" + earlier.key + "' and '" + name +
                                                     "' name the same scenario key");
      ParameterSpec p;
      p.key = name;
      check_can_vary(p.key, table.at(table.header, c), "design.file");
      positions_.push_back(csv_position_);
      note_renormalised(s, p.key);
      s.parameters.push_back(std::move(p));
    }
    fraction_at_.assign(table.header.cells.size(), std::nullopt);
    for (const CsvRow& row : table.rows) {
      if (first_row_line_ == 0) first_row_line_ = row.line;
      for (std::size_t c = 0; c < row.cells.size(); ++c) {
        const std::string& cell = row.cells[c];
        if (cell.find('"') != std::string::npos)
          throw InputError(table.at(row, c), "design.file",
                           "a cell has a quote that does not enclose it whole: " + quote_whole);
        // A file whose cells a ';' or a tab separates may write the decimal mark as ',' (0,5),
        // as a spreadsheet of a locale that does writes it.
        const std::optional<double> v =
            design_number(table.decimal_comma() ? with_decimal_point(cell) : cell);
        if (!v) {
          // A decimal comma, written in a quoted cell of a file separated by ',' (unquoted,
          // the comma separates cells), is read as such by no locale: named, not taken.
          const std::string point = with_decimal_point(cell);
          throw InputError(
              table.at(row, c), "design.file",
              "expected a finite decimal number, got " + quoted_text(cell) +
                  (point != cell && design_number(point)
                       ? " (write the decimal point as '.', not ',')"
                   : first_no_break_space(cell)
                       ? " (it holds a no-break space, " + *first_no_break_space(cell) +
                             ": write numbers without a thousands separator)"
                       : ""));
        }
        // What no key takes (a key's value beyond it is refused when read): here, at its
        // cell, not in every run that sets it.
        if (const auto refusal = detail::size_refusal(*v, "a number"))
          throw InputError(table.at(row, c), "design.file", *refusal);
        if (!fraction_at_[c] && *v != std::floor(*v))
          fraction_at_[c] =
              FractionCell{s.design.table.size() / table.header.cells.size(), *v, table.at(row, c)};
        s.design.table.push_back(*v);
      }
    }
    if (s.design.table.empty())
      throw InputError(SourcePosition{file, table.last_line, 0}, "design.file",
                       "the CSV design has a header and no rows: expected a row of values (one "
                       "for each column) for each point of the design");
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
        if (std::find(s.statistics.begin(), s.statistics.end(), *statistic) != s.statistics.end())
          throw InputError(position_of(st), "record.statistics",
                           "'" + name + "' is given twice: name each statistic once");
        s.statistics.push_back(*statistic);
      }
    }
    const toml::array* outputs = r.array("outputs");
    if (!outputs || outputs->empty())
      r.fail(outputs, "outputs",
             "name at least one output, e.g. outputs = [\"relation_overall[PAK,RUS]\"]");
    std::vector<SourcePosition> output_positions;
    std::vector<std::string> written;  // each output as the file spells it, for messages
    for (const auto& o : *outputs) {
      if (!o.is_string())
        throw InputError(position_of(o), "record.outputs",
                         "expected an output name such as \"trade[RUS,PAK]\"");
      const std::string text(o.value<std::string_view>().value());
      // Stored under quantity_spelling's name ("trade[RUS,PAK]" for "trade[ RUS , PAK]"),
      // the one analyze, discover, export and scripts look it up by.
      OutputSpec output = parse_output(text, o);
      // The same dataset at the same coordinates, however written: its statistics and series
      // would be stored twice under names that analyze could not tell apart.
      for (std::size_t k = 0; k < s.outputs.size(); ++k)
        if (s.outputs[k].dataset == output.dataset && s.outputs[k].indices == output.indices)
          throw InputError(
              position_of(o), "record.outputs",
              "'" + text + "' is " +
                  (written[k] == text ? "given twice" : "the same output as '" + written[k] + "'") +
                  " (first at " + place_of(output_positions[k]) + "): name each output once");
      output_positions.push_back(position_of(o));
      written.push_back(text);
      s.outputs.push_back(std::move(output));
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
  // key or an impossible value is reported now, against the sweep file, not in run 4711; a
  // continuous one also at a value inside, with a fraction, which a key that takes whole
  // numbers only (a summit's month) refuses, as it would refuse nearly every run.
  void validate_parameters(const SweepSpec& s) {
    if (s.design.kind == DesignKind::csv) {
      validate_first_row(s);
      return;
    }
    std::vector<double> values(s.parameters.size());
    for (std::size_t p = 0; p < s.parameters.size(); ++p) {
      const ParameterDistribution& d = s.parameters[p].distribution;
      const std::size_t tries = d.kind == Distribution::discrete ? d.count : 3;
      for (std::size_t e = 0; e < tries; ++e) {
        for (std::size_t q = 0; q < s.parameters.size(); ++q)
          values[q] = middle(s.parameters[q].distribution);
        if (d.kind == Distribution::discrete)
          values[p] = static_cast<double>(e);
        else if (e == 2)
          values[p] = to_value(d, kInsideQuantile);
        else if (d.kind == Distribution::normal)
          values[p] = d.mean + (e == 0 ? -3.0 : 3.0) * d.sd;
        else
          values[p] = e == 0 ? d.min : d.max;
        if (const auto e2 = refusal(s, values)) {
          // All are set at once: blame the one whose --set the error names.
          const std::size_t b = parameter_named_by(*e2, s.parameters, p);
          const ParameterSpec& blamed = s.parameters[b];
          throw InputError(
              positions_[b], "parameters." + quoted_key_part(blamed.key),
              "the scenario rejects this parameter at value " + value_text(blamed, values[b]) +
                  ": " +
                  refusal_in_words_of(*e2, overrides_for(s.parameters, scenario_spec_, values),
                                      "sweep", blamed.key) +
                  (e2->message().find("expected an integer") != std::string::npos
                       ? "; a key that takes whole numbers is swept as a list of "
                         "them: distribution = \"discrete\", values = [1, 2, 3]"
                       : ""));
        }
      }
    }
  }

  // Every policy is tried with the parameters in the middle of their ranges (a csv design: its
  // first row), so that a lever the scenario does not know is refused at its policy's line.
  void validate_policies(const SweepSpec& s) const {
    std::vector<double> values(s.parameters.size());
    for (std::size_t q = 0; q < s.parameters.size(); ++q)
      values[q] = s.design.kind == DesignKind::csv ? s.design.table[q]
                                                   : middle(s.parameters[q].distribution);
    for (std::size_t p = 0; p < s.policies.size(); ++p) {
      LoadOptions options;
      options.resolved_text = false;
      options.overrides = s.policies[p].overrides;
      const std::vector<std::string> varied = overrides_for(s.parameters, scenario_spec_, values);
      options.overrides.insert(options.overrides.end(), varied.begin(), varied.end());
      try {
        template_->instantiate(options);
      } catch (const InputError& e) {
        throw InputError(policy_positions_[p], "policies.\"" + s.policies[p].name + "\"",
                         "the scenario rejects this policy: " +
                             refusal_in_words_of(e, options.overrides, "sweep"));
      }
    }
  }

  // A csv design's first row, tried as its run would be: a key the scenario does not know or an
  // event index out of range fails every run, so it is refused now, at the design's file. The
  // other rows are checked when they are run (a value refused there is a failed run, as an LHS
  // point's combination out of range is, and interdep.Model's NaN).
  // A column's first value with a fraction is tried too, in its own row: a key that takes whole
  // numbers only (a summit's month) refuses it, at its cell. Any other refusal of that row is a
  // failed run, as above.
  void validate_first_row(const SweepSpec& s) const {
    const std::vector<double> first(
        s.design.table.begin(),
        s.design.table.begin() + static_cast<std::ptrdiff_t>(s.parameters.size()));
    if (const auto e = refusal(s, first)) {
      // The column whose value the error names, if any, as "'KEY' = VALUE" (interdep.Model
      // reads the key from it to name its parameter).
      const std::size_t none = s.parameters.size();
      const std::size_t c = parameter_named_by(*e, s.parameters, none);
      const std::string column = c == none ? std::string()
                                           : " at '" + s.parameters[c].key +
                                                 "' = " + value_text(s.parameters[c], first[c]);
      throw InputError(
          csv_position_, "design.file",
          "the scenario rejects the first row of " + s.design.csv.string() + " (line " +
              std::to_string(first_row_line_) + ")" + column + ": " +
              refusal_in_words_of(*e, overrides_for(s.parameters, scenario_spec_, first), "sweep",
                                  c == none ? "" : s.parameters[c].key));
    }
    const std::size_t width = s.parameters.size();
    for (std::size_t c = 0; c < fraction_at_.size(); ++c) {
      if (!fraction_at_[c] || fraction_at_[c]->row == 0) continue;
      const auto row =
          s.design.table.begin() + static_cast<std::ptrdiff_t>(fraction_at_[c]->row * width);
      const auto e = refusal(s, std::vector<double>(row, row + static_cast<std::ptrdiff_t>(width)));
      if (e && e->key() == s.parameters[c].key &&
          e->message().find("expected an integer") != std::string::npos)
        throw InputError(fraction_at_[c]->at, "design.file",
                         "the scenario rejects " + number_text(fraction_at_[c]->value) + " for '" +
                             s.parameters[c].key + "': " +
                             refusal_in_words_of(
                                 *e,
                                 overrides_for(s.parameters, scenario_spec_,
                                               std::vector<double>(
                                                   row, row + static_cast<std::ptrdiff_t>(width))),
                                 "sweep", s.parameters[c].key));
    }
  }

  // The scenario's refusal of a run with these parameter values, or nothing if it takes them.
  std::optional<InputError> refusal(const SweepSpec& s, const std::vector<double>& values) const {
    LoadOptions options;
    options.resolved_text = false;
    options.overrides = overrides_for(s.parameters, scenario_spec_, values);
    try {
      template_->instantiate(options);
    } catch (const InputError& e) {
      return e;
    }
    return std::nullopt;
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
  SourcePosition scenario_position_, csv_position_, design_position_, replicates_position_,
      policies_position_;
  std::vector<SourcePosition> policy_positions_;
  std::map<std::string, SourcePosition> size_positions_;  // design.samples, .levels, .file
  int first_row_line_ = 0;                                // csv: the line of the design's first row
  struct FractionCell {
    std::size_t row;  // of the design, from 0
    double value;
    SourcePosition at;
  };
  std::vector<std::optional<FractionCell>> fraction_at_;  // csv: each column's first fraction
  std::vector<SourcePosition> positions_;
  std::unique_ptr<ScenarioTemplate> template_;
  ScenarioSpec scenario_spec_;
};

}  // namespace

SweepSpec load_sweep(const fs::path& path) {
  std::string text = read_user_text(path, "the sweep file");
  const toml::table root = parse_text(text, path.string());
  expect_toml_file_kind(root, TomlFileKind::sweep, path.string());
  return SweepBuilder(root, path).build(text);
}

std::uint64_t design_points(const SweepSpec& sweep) {
  const std::uint64_t k = sweep.parameters.size();
  switch (sweep.design.kind) {
    case DesignKind::grid: {
      std::uint64_t points = 1;
      for (const auto& p : sweep.parameters)
        points = saturating_product(points, p.distribution.kind == Distribution::discrete
                                                ? p.distribution.count
                                                : sweep.design.levels);
      return points;
    }
    case DesignKind::lhs: return sweep.design.samples;
    case DesignKind::saltelli: return saturating_product(sweep.design.samples, k + 2);
    case DesignKind::morris: return saturating_product(sweep.design.samples, k + 1);
    case DesignKind::csv: return k == 0 ? 0 : sweep.design.table.size() / k;
  }
  return 0;
}

DesignPoints make_design(const SweepSpec& sweep) {
  const std::size_t k = sweep.parameters.size();
  const std::uint64_t seed =
      run_seed(sweep.seed, static_cast<std::size_t>(-1));  // design's own stream
  switch (sweep.design.kind) {
    case DesignKind::grid: {
      std::vector<std::size_t> levels;
      std::vector<bool> centred;  // discrete levels sit at the centres of their strata, so that
                                  // to_value picks each value
      for (const auto& p : sweep.parameters) {
        const bool discrete = p.distribution.kind == Distribution::discrete;
        levels.push_back(discrete ? p.distribution.count : sweep.design.levels);
        centred.push_back(discrete);
      }
      return DesignPoints::grid(std::move(levels), std::move(centred));
    }
    case DesignKind::lhs: return DesignPoints::latin_hypercube(sweep.design.samples, k, seed);
    case DesignKind::saltelli: return DesignPoints::saltelli(sweep.design.samples, k, seed);
    case DesignKind::morris:
      return DesignPoints::morris(sweep.design.samples, k, sweep.design.levels, seed);
    case DesignKind::csv: return DesignPoints::table(sweep.design.table, k);
  }
  throw std::logic_error("make_design: unknown design kind");
}

std::uint64_t run_seed(std::uint64_t sweep_seed, std::size_t run_index) {
  std::uint64_t x = sweep_seed ^ 0x6A09E667F3BCC909ull;
  x = splitmix64(x) ^ static_cast<std::uint64_t>(run_index);
  return splitmix64(x);
}

std::uint64_t replicate_seed(std::uint64_t sweep_seed, std::size_t replicate) {
  std::uint64_t x = sweep_seed ^ 0xBB67AE8584CAA73Bull;  // another stream than run_seed's
  x = splitmix64(x) ^ static_cast<std::uint64_t>(replicate);
  return splitmix64(x);
}

bool is_shared_setting(const std::string& key) {
  const std::string first = detail::split_key_path(key).parts.front();
  return first == "time" || first == "output" || first == "seed" || first == "name" ||
         first == "base";
}

std::string refusal_in_words_of(const InputError& error, const std::vector<std::string>& overrides,
                                std::string_view whose, const std::string& named_key) {
  std::string text;
  if (is_override(error.where())) {
    // The parameter's key however it is spelt ('actors."PAK".risk' is actors.PAK.risk).
    const bool named = !named_key.empty() &&
                       (error.key() == named_key ||
                        split_key_path(error.key()).parts == split_key_path(named_key).parts);
    if (!error.key().empty() && !named) text = "key '" + error.key() + "': ";
    text += error.message();
  } else {
    text = error.text();
  }
  // The longest first, so that "--set a.b=10" is not read as "--set a.b=1" and a tail.
  std::vector<const std::string*> longest_first;
  for (const std::string& o : overrides) longest_first.push_back(&o);
  std::stable_sort(
      longest_first.begin(), longest_first.end(),
      [](const std::string* a, const std::string* b) { return a->size() > b->size(); });
  const auto replace_all = [&text](const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  };
  for (const std::string* o : longest_first) {
    const std::string source = override_source(*o);
    // "(K = V was set by --set K=V)" says the value twice: "was set by the sweep".
    replace_all(" was set by " + source, " was set by the " + std::string(whose));
    const std::size_t eq = o->find('=');
    replace_all(source, "the " + std::string(whose) + "'s " + o->substr(0, eq) + " = " +
                            (eq == std::string::npos ? std::string() : o->substr(eq + 1)));
  }
  return text;
}

std::size_t parameter_named_by(const InputError& error,
                               const std::vector<ParameterSpec>& parameters, std::size_t fallback) {
  for (std::size_t q = 0; q < parameters.size(); ++q)
    if (error.where().file.rfind("--set " + parameters[q].key + "=", 0) == 0) return q;
  return fallback;
}

std::vector<std::string> overrides_for(const std::vector<ParameterSpec>& parameters,
                                       const ScenarioSpec& scenario,
                                       const std::vector<double>& values) {
  std::vector<std::string> overrides;
  // actor -> domain -> (weight, parameter): the parameter's key is kept to set the weight as
  // written when the scenario would refuse it.
  std::map<std::string, std::map<std::string, std::pair<double, std::size_t>>> interests;
  for (std::size_t p = 0; p < parameters.size(); ++p) {
    const ParameterSpec& par = parameters[p];
    const auto interest = interest_key(par.key);
    if (interest && par.distribution.kind != Distribution::discrete) {
      interests[interest->actor][interest->domain] = {values[p], p};
      continue;
    }
    if (par.distribution.kind == Distribution::discrete) {
      // An index from a file (run --from-sweep) may be anything: only 0, 1, ... are cast.
      const double index = values[p];
      if (!(index >= 0.0 && index < static_cast<double>(par.values.size())))
        throw std::invalid_argument("the discrete parameter " + par.key + " has " +
                                    std::to_string(par.values.size()) +
                                    " values, and no value number " + number_text(index));
      overrides.push_back(par.key + "=" + par.values[static_cast<std::size_t>(index)]);
    } else {
      overrides.push_back(par.key + "=" + number_text(values[p]));
    }
  }
  for (auto& [code, varied] : interests) {
    const auto a = std::find_if(scenario.actors.begin(), scenario.actors.end(),
                                [&code = code](const ActorSpec& s) { return s.code == code; });
    const auto is_domain = [&scenario](const std::string& name) {
      return std::any_of(scenario.domains.begin(), scenario.domains.end(),
                         [&name](const DomainSpec& d) { return d.name == name; });
    };
    // Weights the scenario would refuse go to its loader as the design gave them, each under its
    // parameter's own key, to be refused there as written: an actor or a domain the scenario does
    // not have (renormalising would drop the weight silently), or a weight outside [0, 1]
    // (renormalised, -0.5 for security became an economy weight of 2).
    if (a == scenario.actors.end() ||
        std::any_of(varied.begin(), varied.end(), [&](const auto& entry) {
          const double weight = entry.second.first;
          return !is_domain(entry.first) || !(weight >= 0.0 && weight <= 1.0);
        })) {
      for (const auto& [domain, given] : varied)
        overrides.push_back(parameters[given.second].key + "=" + number_text(given.first));
      continue;
    }
    std::vector<double> w(scenario.domain_count());
    double total = 0.0;
    for (std::size_t d = 0; d < w.size(); ++d) {
      const auto it = varied.find(scenario.domains[d].name);
      w[d] = it != varied.end() ? it->second.first : a->interests[d];
      total += w[d];
    }
    for (std::size_t d = 0; d < w.size(); ++d)
      overrides.push_back("actors." + code + ".interests." + key_part(scenario.domains[d].name) +
                          "=" + number_text(total > 0.0 ? w[d] / total : w[d]));
  }
  return overrides;
}

std::size_t policy_count(const SweepSpec& sweep) {
  return std::max<std::size_t>(1, sweep.policies.size());
}

double parameter_value(const SweepSpec& sweep, std::size_t parameter, double unit) {
  if (sweep.design.kind == DesignKind::csv) return unit;  // the table's values themselves
  const ParameterDistribution& dist = sweep.parameters[parameter].distribution;
  // Grid and Morris levels include 0 and 1; a normal parameter takes the quantiles of the
  // levels' strata centres instead of its (infinite) ends.
  if (dist.kind == Distribution::normal &&
      (sweep.design.kind == DesignKind::grid || sweep.design.kind == DesignKind::morris)) {
    const double levels = static_cast<double>(sweep.design.levels);
    unit = (unit * (levels - 1.0) + 0.5) / levels;
  }
  return to_value(dist, unit);
}

RunPlan plan_run(const SweepSpec& sweep, const DesignPoints& design, const ScenarioSpec& scenario,
                 std::size_t index) {
  RunPlan plan;
  plan.index = index;
  const std::size_t per_policy = design.points() * sweep.replicates;
  plan.policy = index / per_policy;
  const std::size_t within = index % per_policy;  // the run's index without policies
  plan.point = within / sweep.replicates;
  plan.replicate = within % sweep.replicates;
  // Every policy meets the same noise at a point and replicate.
  plan.seed = sweep.seeds == SeedSharing::common ? replicate_seed(sweep.seed, plan.replicate)
                                                 : run_seed(sweep.seed, within);
  const std::size_t k = sweep.parameters.size();
  assert(design.dims() == k);
  plan.unit.assign(k, 0.0);
  design.point(plan.point, plan.unit);
  plan.values.reserve(k);
  for (std::size_t p = 0; p < k; ++p)
    plan.values.push_back(parameter_value(sweep, p, plan.unit[p]));
  if (!sweep.policies.empty()) plan.overrides = sweep.policies[plan.policy].overrides;
  const std::vector<std::string> varied = overrides_for(sweep.parameters, scenario, plan.values);
  plan.overrides.insert(plan.overrides.end(), varied.begin(), varied.end());
  return plan;
}

}  // namespace interdep::sweep
