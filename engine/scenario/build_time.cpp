// [time]: when the run starts, how long it lasts and how many steps a year has.
#include <cmath>
#include <cstdint>
#include <sstream>

#include "engine/scenario/spec_builder.hpp"
#include "engine/scenario/time_limits.hpp"
#include "engine/text/text_format.hpp"

namespace interdep::detail {
namespace {

constexpr std::int64_t kMaxSteps = kMaxRunSteps;

}  // namespace

double decimal_year(const toml::date& d) {
  return interdep::decimal_year(d.year, d.month, d.day);  // engine/text: one formula for dates
}

std::optional<double> optional_date(TableReader& r, std::string_view key) {
  const toml::node* n = r.get(key);
  if (!n) return std::nullopt;
  if (n->is_date()) return decimal_year(n->value<toml::date>().value());
  if (n->is_number()) return r.checked_number(*n, key, kAny);
  r.fail(n, key,
         "expected a date such as 2026-03-01 or a decimal year, got " + type_name_for_date(*n));
}

double step_offset(double date, const TimeSpec& time) {
  return std::floor((date - time.start) * time.steps_per_year + 1e-9);
}

void SpecBuilder::read_time() {
  TimeSpec& t = spec_.time;
  const toml::table* table = root_.subtable("time");
  static const toml::table empty;
  TableReader r(table ? *table : empty, "time");
  spec_.time_position = table ? position_of(*table) : root_position();
  if (const toml::node* start = r.get("start")) {
    if (!start->is_date())
      r.fail(start, "start",
             "expected a date such as 2025-01-01, got " + type_name_for_date(*start, false));
    const toml::date d = start->value<toml::date>().value();
    t.start_month = d.month;
    t.start = d.year + (d.month - 1) / 12.0;  // runs start at the beginning of a month
  }
  t.years = r.number("years", t.years, kPositive);
  t.steps_per_year = r.integer("steps_per_year", t.steps_per_year, 1, kMaxStepsPerYear);
  const double steps_wanted = t.years * t.steps_per_year;
  t.steps =
      steps_wanted > static_cast<double>(kMaxSteps) ? kMaxSteps + 1 : std::llround(steps_wanted);
  // `steps`, when written, wins over years * steps_per_year.
  if (const toml::node* steps = r.get("steps")) {
    spec_.time_position = spec_.length_position = position_of(*steps);
    spec_.length_key = "time.steps";
    if (!steps->is_integer())
      r.fail(steps, "steps", "expected an integer, got " + type_name(*steps));
    t.steps = steps->value<std::int64_t>().value();
    if (t.steps < 1)
      r.fail(steps, "steps", "expected at least 1 step, got " + std::to_string(t.steps));
    t.years = static_cast<double>(t.steps) / t.steps_per_year;
  } else if (const toml::node* years = table ? table->get("years") : nullptr) {
    spec_.time_position = spec_.length_position = position_of(*years);
    spec_.length_key = "time.years";
  }
  if (t.steps < 1)
    r.fail(r.table().get("years"), "years", "the run has no step: years * steps_per_year < 0.5");
  if (t.steps > kMaxSteps) {
    const double wanted =
        table && table->get("steps") ? static_cast<double>(t.steps) : steps_wanted;
    const double bytes_per_step = 8.0 * 1000;  // >= ~1000 doubles a recorded step (5 actors), bytes
    std::ostringstream count;
    count.precision(15);
    count << wanted;
    const bool by_steps = spec_.length_key == "time.steps";
    throw InputError(
        spec_.time_position, spec_.length_key.empty() ? "time" : spec_.length_key,
        "the run would take " + count.str() + " steps, more than the " + std::to_string(kMaxSteps) +
            " allowed (recording it would need at least " +
            format_number(bytes_per_step * wanted / 1e9) + " GB); " +
            (by_steps ? "lower time.steps" : "shorten time.years or lower time.steps_per_year"));
  }
  r.finish();
}

}  // namespace interdep::detail
