#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/run/quantity.hpp"
#include "engine/scenario/file_kind.hpp"
#include "engine/scenario/plan_header.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/scenario/spec_builder.hpp"
#include "engine/scenario/toml_reader.hpp"
#include "engine/scenario/user_text.hpp"
#include "engine/score/dynamics_check_spec.hpp"
#include "engine/text/text_format.hpp"

namespace interdep::score {
namespace {

namespace fs = std::filesystem;
using namespace interdep::detail;

class CheckBuilder {
 public:
  CheckBuilder(const toml::table& root, const fs::path& path)
      : root_(root, "", path.string()), path_(path) {}

  CheckSpec build() {
    CheckSpec c;
    c.source_path = path_;
    const PlanHeader header = read_plan_header(root_, path_, "checks", "to check", c.seed);
    c.name = header.name;
    c.description = header.description;
    c.scenario = header.scenario;
    c.seed = header.seed;
    c.replicates = root_.integer("replicates", c.replicates, 1, 10'000);
    c.agreement = root_.number("agreement", c.agreement, Range{0.0, 1.0, false, true});
    LoadOptions plain;
    plain.resolved_text = false;
    scenario_ = load_scenario(c.scenario, plain);
    read_checks(c);
    root_.finish();
    return c;
  }

 private:
  double date(TableReader& r, std::string_view key) {
    const toml::node* n = r.get(key);
    if (!n)
      r.fail(nullptr, key, "is required: expected a date such as 2018-01-01 or a decimal year");
    double d = 0.0;
    if (n->is_date())
      d = decimal_year(n->value<toml::date>().value());
    else if (n->is_number())
      d = r.checked_number(*n, key, kAny);
    else
      r.fail(n, key,
             "expected a date such as 2018-01-01 or a decimal year, got " + type_name_for_date(*n));
    const TimeSpec& t = scenario_.time;
    const double end = t.end();
    if (d < t.start - 1e-9 || d > end + 1e-9)
      r.fail(n, key,
             "the date " + date_text(d) + " is outside the run period [" + date_text(t.start) +
                 ", " + date_text(end) + "] of " + c_scenario_name());
    return d;
  }

  std::string c_scenario_name() const { return "the scenario '" + scenario_.name + "'"; }

  void read_checks(CheckSpec& c) {
    const toml::node* node = root_.get("checks");
    if (!node || !node->is_array() || node->as_array()->empty())
      root_.fail(node, "checks",
                 "is required: expected one or more [[checks]] tables, each with label, "
                 "quantity, from, to and expect");
    std::vector<std::string> labels;
    for (const EventSpec& e : scenario_.events) labels.push_back(e.label);
    std::size_t index = 0;
    for (const auto& element : *node->as_array()) {
      const std::string path = "checks." + std::to_string(index++);
      if (!element.is_table())
        throw InputError(position_of(element), path,
                         "expected a table ([[checks]]), got " + type_name(element));
      TableReader r(*element.as_table(), path, path_.string());
      DynamicsCheck k;
      const toml::node* label = r.get("label");
      if (!label || !label->is_string() ||
          label->value<std::string_view>()->find_first_not_of(" \t") == std::string_view::npos)
        r.fail(label, "label", "is required: expected what the record says, in words");
      k.label = r.string("label", "");
      k.position = position_of(*label);
      // The label names the check's row in what `check` prints and writes: two checks of one
      // label could not be told apart there. Compared without the spaces around it, which do
      // not show.
      const auto bare = [](std::string_view text) {
        const std::size_t first = text.find_first_not_of(" \t");
        return text.substr(first, text.find_last_not_of(" \t") - first + 1);
      };
      for (const DynamicsCheck& earlier : c.checks)
        if (bare(earlier.label) == bare(k.label))
          r.fail(label, "label",
                 "'" + k.label + "' is the label of another check too (" +
                     place_of(earlier.position) +
                     "): expected a label of its own, which names the check's row in the "
                     "results");
      const toml::node* quantity = r.get("quantity");
      if (!quantity || !quantity->is_string())
        r.fail(quantity, "quantity",
               "is required: expected a recorded quantity such as \"relation_overall[PAK,RUS]\"");
      k.quantity = r.string("quantity", "");
      Quantity q;
      try {
        q = parse_quantity(k.quantity, scenario_);
      } catch (const QuantityError& e) {
        r.fail(quantity, "quantity", e.what());
      }
      k.aggregate = r.choice("aggregate", k.aggregate);
      if (k.aggregate == ObservationAggregate::pair_total && !q.dataset->is_pair())
        r.fail(r.get("aggregate"), "aggregate",
               "pair_total adds both directions of an actor x partner quantity; '" +
                   std::string(q.dataset->name) + "' is not one");
      k.from = date(r, "from");
      k.to = date(r, "to");
      if (!(k.from < k.to))
        r.fail(r.get("to"), "to", "expected a date after from (" + format_number(k.from) + ")");
      // Each date is read at the run's step nearest it (a point's state): two dates nearest one
      // step would measure no change at all.
      const TimeSpec& t = scenario_.time;
      if (t.nearest_step(k.from) == t.nearest_step(k.to))
        r.fail(r.get("to"), "to",
               "expected a date at least one step after from: " + date_text(k.from) + " and " +
                   date_text(k.to) + " are read at the same step of " + c_scenario_name() +
                   ", which steps " + std::to_string(t.steps_per_year) + " times a year");
      if (!r.get("expect"))
        r.fail(nullptr, "expect",
               "is required: expected one of " + quoted_list(name_list<Expectation>()));
      k.expect = r.choice("expect", k.expect);
      const bool level = k.expect == Expectation::above || k.expect == Expectation::below;
      if (level) {
        k.threshold = r.required_number("threshold");
      } else {
        k.threshold = r.number("threshold", 0.0, Range{0.0, HUGE_VAL});
      }
      if (const toml::node* without = r.get("without")) {
        const auto add = [&](const toml::node& n) {
          if (!n.is_string())
            throw InputError(position_of(n), r.key_path("without"),
                             "expected the label of an event of the scenario, got " + type_name(n));
          const std::string name(n.value<std::string_view>().value());
          if (std::find(labels.begin(), labels.end(), name) == labels.end())
            throw InputError(position_of(n), r.key_path("without"),
                             c_scenario_name() + " has no event labelled '" + name + "'" +
                                 did_you_mean(name, labels));
          if (std::find(k.without.begin(), k.without.end(), name) != k.without.end())
            throw InputError(position_of(n), r.key_path("without"),
                             "the event '" + name + "' is given twice: name each event once");
          k.without.push_back(name);
        };
        if (without->is_array()) {
          if (without->as_array()->empty())
            r.fail(without, "without", "expected at least one event label (or leave it out)");
          for (const auto& n : *without->as_array()) add(n);
        } else {
          add(*without);
        }
        std::sort(k.without.begin(), k.without.end());
        k.without.erase(std::unique(k.without.begin(), k.without.end()), k.without.end());
      }
      const toml::node* source = r.get("source");
      if (!source || !source->is_string())
        r.fail(source, "source", "is required: expected where the record says so");
      k.source = r.string("source", "");
      if (k.source.find_first_not_of(" \t") == std::string::npos)
        r.fail(source, "source", "expected where the record says so, got an empty string");
      r.finish();
      c.checks.push_back(std::move(k));
    }
  }

  TableReader root_;
  fs::path path_;
  ScenarioSpec scenario_;
};

}  // namespace

CheckSpec load_checks(const fs::path& path) {
  const std::string text = read_user_text(path, "the checks file");
  const toml::table root = parse_text(text, path.string());
  expect_toml_file_kind(root, TomlFileKind::checks, path.string());
  return CheckBuilder(root, path).build();
}

}  // namespace interdep::score
