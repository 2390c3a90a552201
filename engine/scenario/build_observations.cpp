// [[observations]]: recorded figures the run is held against. Each names a recorded quantity
// (checked against the recorded-dataset table when the run resolves it, engine/run/observation),
// its dates inside the run, the values with their unit, uncertainty and source.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <unordered_set>

#include "engine/scenario/observed_table.hpp"
#include "engine/scenario/spec_builder.hpp"
#include "engine/text/quoted_text.hpp"
#include "engine/text/text_format.hpp"

namespace interdep::detail {
namespace {

namespace fs = std::filesystem;

// A string that must be present and not blank.
std::string required_text(TableReader& r, std::string_view key, const std::string& what) {
  const toml::node* n = r.get(key);
  if (!n) r.fail(nullptr, key, "is required: expected " + what);
  if (!n->is_string()) r.fail(n, key, "expected " + what + ", got " + type_name(*n));
  std::string text(n->value<std::string_view>().value());
  if (text.find_first_not_of(" \t") == std::string::npos)
    r.fail(n, key, "expected " + what + ", got an empty string");
  return text;
}

// The array at `key`, required and not empty.
const toml::array& required_array(TableReader& r, std::string_view key, const std::string& what) {
  const toml::array* a = r.array(key);
  if (!a) r.fail(nullptr, key, "is required: expected an array of " + what);
  if (a->empty()) r.fail(r.get(key), key, "expected at least one of " + what);
  return *a;
}

// For a point's date written in quotes as a month ("2026-06"), how TOML writes one: a date has no
// quotes, and names a day. (A day in quotes is named by type_name: "without the quotes, a date".)
std::string point_written_as_text(const std::string& written, ObservationPeriod period) {
  if (period != ObservationPeriod::point || written.size() != 7 || !parse_year_text(written))
    return "";
  return " (a point is dated by a day, written without quotes: " + written + "-01)";
}

}  // namespace

void SpecBuilder::read_observations() {
  const toml::node* node = root_.get("observations");
  if (!node) return;
  if (!node->is_array()) root_.fail(node, "observations", array_expected(*node, "observations"));
  const TimeSpec& t = spec_.time;
  std::size_t index = 0;
  for (const auto& element : *node->as_array()) {
    const std::string path = "observations." + std::to_string(index++);
    if (!element.is_table())
      throw InputError(position_of(element), path,
                       "expected a table ([[observations]]), got " + type_name(element));
    TableReader r(*element.as_table(), path);
    ObservationSpec o;
    o.quantity = required_text(r, "quantity", "a recorded quantity such as \"trade[PAK,RUS]\"");
    o.position = position_of(*r.get("quantity"));
    o.period = r.choice("period", o.period);
    o.year_start_month = r.integer("year_start_month", o.year_start_month, 1, 12);
    if (o.period != ObservationPeriod::year && o.year_start_month != 1)
      r.fail(r.get("year_start_month"), "year_start_month",
             "applies only to period = \"year\" (a point has no months; a quarter or a month "
             "is the calendar's)");
    o.aggregate = r.choice("aggregate", o.aggregate);
    if (const toml::node* aggregate = r.get("aggregate"))
      o.aggregate_position = position_of(*aggregate);
    o.unit = required_text(r, "unit", "the values' unit, such as \"US$ bn/yr\"");
    o.unit_position = position_of(*r.get("unit"));
    o.source = required_text(r, "source", "where the figures come from");
    // The CSV the figures were read from (observation_csv.hpp): its rows carry no TOML position,
    // so errors about them point at the entry and name the file.
    const toml::node* csv = r.get("csv_source");
    if (csv != nullptr && !csv->is_string())
      r.fail(csv, "csv_source", "expected the path of the CSV the figures came from");
    // And the rows of it kept (select): a record of where the figures came from.
    if (const toml::node* chosen = r.get("csv_select"); chosen != nullptr && !chosen->is_table())
      r.fail(chosen, "csv_select", "expected the table of columns the CSV's rows were kept by");
    const std::string from_csv =
        csv ? " (in '" + std::string(csv->value<std::string_view>().value()) + "')" : "";
    // The CSV cells each figure came from ([line, date's column, value's column], as
    // inline_observation_csvs records them), so that an error about a figure points at its cell.
    std::vector<std::array<int, 3>> cells;
    std::string csv_file;
    if (csv != nullptr) {
      fs::path file(std::string(*csv->value<std::string_view>()));
      if (file.is_relative()) file = fs::path(position_of(*csv).file).parent_path() / file;
      csv_file = file.string();
      if (const toml::node* given = r.get("csv_cells")) {
        const toml::array* rows = given->as_array();
        bool whole = rows != nullptr;
        for (std::size_t k = 0; whole && k < rows->size(); ++k) {
          const toml::array* cell = rows->get(k)->as_array();
          whole = cell != nullptr && cell->size() == 3;
          std::array<int, 3> numbers{};
          for (std::size_t c = 0; whole && c < 3; ++c) {
            const std::optional<std::int64_t> n = cell->get(c)->value_exact<std::int64_t>();
            whole = n && *n >= 0 && *n <= std::numeric_limits<int>::max();
            if (whole) numbers[c] = static_cast<int>(*n);
          }
          if (whole) cells.push_back(numbers);
        }
        if (!whole)
          r.fail(given, "csv_cells",
                 "expected the [line, date's column, value's column] of each figure in its CSV, "
                 "as interdep records them");
      }
    }
    // Where the k-th figure's date (column 1) or value (2) was written.
    const auto where = [&](const toml::node& n, std::size_t k, std::size_t column) {
      const SourcePosition p = position_of(n);
      if (p.line > 0 || csv == nullptr) return p;
      if (k < cells.size()) return SourcePosition{csv_file, cells[k][0], cells[k][column]};
      return position_of(*csv);
    };

    const toml::array& dates = required_array(r, "dates", "dates");
    const std::string dates_key = r.key_path(csv != nullptr ? "csv" : "dates");
    std::unordered_set<double> seen_dates;  // linear time for a CSV of many rows
    // A quarter or a month is written as statistical tables write it ("2027Q2", "2027-06"),
    // or as its first day; a year or a point as a number or a date.
    const bool calendar_period =
        o.period == ObservationPeriod::quarter || o.period == ObservationPeriod::month;
    for (const auto& d : dates) {
      const std::size_t k = o.dates.size();  // the figure's index: each date read is kept
      double date = 0.0;
      std::optional<double> read;
      std::string written;
      if (d.is_string()) {
        written = std::string(*d.value<std::string_view>());
        if (calendar_period) read = observation_date_of(written, o.period);
      } else if (d.is_date()) {
        const toml::date day = *d.value<toml::date>();
        written = date_text(decimal_year(day));  // "2026-05-15"
        read = calendar_period ? observation_date_of(written, o.period)
                               : std::optional<double>(decimal_year(day));
      } else if (d.is_number() && !calendar_period) {
        read = r.checked_number(d, "dates", kAny);
      }
      if (!read)
        throw InputError(
            where(d, k, 1), dates_key,
            "expected " + observation_date_form(o.period) +
                (calendar_period ? " for period = \"" + std::string(name_of(o.period)) + "\""
                                 : "") +
                ", got " +
                (d.is_string() && (calendar_period || unquoted_kind(written).empty())
                     ? quoted_text(written)
                 : d.is_date() ? "the day " + written
                               : type_name(d)) +
                (d.is_string()
                     ? date_form_hint(written, o.period) + point_written_as_text(written, o.period)
                     : "") +
                from_csv);
      date = *read;
      // A year's mean needs its 12 months inside the run; a point, its date.
      if (o.period == ObservationPeriod::year && d.is_date())
        throw InputError(where(d, k, 1), dates_key,
                         "a period = \"year\" observation is dated by the year its 12 months "
                         "end in, such as 2018, not by a date" +
                             from_csv);
      if (const auto problem = observation_date_problem(o, date, t))
        throw InputError(where(d, k, 1), dates_key, *problem + from_csv);
      if (!seen_dates.insert(date).second)
        throw InputError(
            where(d, k, 1), dates_key,
            (o.period == ObservationPeriod::point ? "the date "
                                                  : "the " + std::string(name_of(o.period)) + " ") +
                observation_date_text(o.period, date) + " is listed twice" + from_csv);
      o.dates.push_back(date);
    }

    const toml::array& values = required_array(r, "values", "values");
    if (values.size() != o.dates.size())
      r.fail(r.get("values"), "values",
             "expected one value per date (" + std::to_string(o.dates.size()) + "), got " +
                 std::to_string(values.size()));
    for (const auto& v : values) {
      o.value_positions.push_back(where(v, o.values.size(), 2));
      o.values.push_back(r.checked_number(v, "values", kAny));
    }
    o.values_from_csv = csv != nullptr;

    // Uncertainty: one standard uncertainty for every date, or one per date.
    const toml::node* u = r.get("uncertainty");
    if (!u)
      r.fail(nullptr, "uncertainty",
             "is required: expected the values' standard uncertainty (> 0, in their unit), one "
             "number or one per date");
    if (u->is_array()) {
      if (u->as_array()->size() != o.dates.size())
        r.fail(u, "uncertainty",
               "expected one uncertainty per date (" + std::to_string(o.dates.size()) +
                   ") or a single number, got " + std::to_string(u->as_array()->size()));
      for (const auto& e : *u->as_array())
        o.uncertainty.push_back(r.checked_number(e, "uncertainty", kPositive));
    } else {
      o.uncertainty.assign(o.dates.size(), r.checked_number(*u, "uncertainty", kPositive));
    }
    r.finish();
    spec_.observations.push_back(std::move(o));
  }
}

}  // namespace interdep::detail
