#include "engine/scenario/observed_table.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <unordered_map>

#include "engine/scenario/csv_table.hpp"
#include "engine/scenario/enum_names.hpp"
#include "engine/scenario/series_rows.hpp"
#include "engine/scenario/toml_reader.hpp"
#include "engine/text/quoted_text.hpp"
#include "engine/text/text_format.hpp"

namespace interdep {
namespace {

using detail::format_number;
using detail::quoted_list;

constexpr const char* kColumns[] = {"quantity",  "date", "value",  "uncertainty",     "period",
                                    "aggregate", "unit", "source", "year_start_month"};

std::string column_list() {
  std::string list;
  for (const char* c : kColumns) list += (list.empty() ? "" : ", ") + std::string(c);
  return list;
}

}  // namespace

std::optional<double> observation_date_of(std::string_view text, ObservationPeriod period,
                                          bool decimal_comma) {
  switch (period) {
    case ObservationPeriod::quarter: return parse_quarter_text(text);
    case ObservationPeriod::month: return parse_month_text(text);
    case ObservationPeriod::point:
    case ObservationPeriod::year: break;
  }
  return csv_date(std::string(text), decimal_comma);
}

std::string observation_date_form(ObservationPeriod period) {
  switch (period) {
    case ObservationPeriod::quarter: return "a quarter such as 2027Q2 (or 2027-Q2, 2027-04-01)";
    case ObservationPeriod::month: return "a month such as 2027-06 (or 2027M06, 2027-06-01)";
    case ObservationPeriod::year: return "a year such as 2018";
    case ObservationPeriod::point: break;
  }
  return "a date such as 2018-07-01 or a decimal year";
}

std::string date_form_hint(std::string_view text, ObservationPeriod period, bool in_table) {
  // A first day ("2027-04-01") names a day as much as a period: no hint. "2027-06" is a point's
  // day too (its first), so it is named a month only where a point is not read.
  const bool day = text.size() == 10 && parse_year_text(text);
  const bool quarter = !day && parse_quarter_text(text);
  const bool month = !day && parse_month_text(text) &&
                     (period != ObservationPeriod::point || !parse_year_text(text));
  const auto hint = [&](const char* kind, const char* name) {
    return " (" + std::string(text) + " is a " + kind + ": " +
           (in_table
                ? "the period " + std::string(name) + " (a period column, or --period " + name + ")"
                : "period = \"" + std::string(name) + "\"") +
           " takes the mean over it)";
  };
  if (quarter && period != ObservationPeriod::quarter) return hint("quarter", "quarter");
  if (month && period != ObservationPeriod::month) return hint("month", "month");
  return "";
}

std::string observation_date_text(ObservationPeriod period, double date) {
  switch (period) {
    case ObservationPeriod::year: return format_number(date);
    case ObservationPeriod::quarter: return quarter_text(date);
    case ObservationPeriod::month: return year_month(date);
    case ObservationPeriod::point: break;
  }
  return date_text(date);
}

std::optional<std::string> observation_date_problem(const ObservationSpec& o, double date,
                                                    const TimeSpec& t) {
  const double end = t.end();
  if (o.period == ObservationPeriod::year && date != std::floor(date))
    return "a period = \"year\" observation is dated by the year its 12 months end in, such "
           "as 2018, got " +
           format_number(date);
  if (o.period != ObservationPeriod::point) {
    const auto [first, last] = o.window(date);
    if (first < t.start - 1e-9 || last > end + 1e-9)
      // The months it spans (a month's are its name); 1e-3 yr: the last month, not the next.
      return "the " + std::string(name_of(o.period)) + " " + observation_date_text(o.period, date) +
             (o.period == ObservationPeriod::month
                  ? std::string()
                  : " (" + year_month(first) + " to " + year_month(last - 1e-3) + ")") +
             " is not wholly inside the run period [" + date_text(t.start) + ", " + date_text(end) +
             ")";
    // Its mean needs a state of the run inside it (window_steps, the steps the run averages): a
    // month of a run stepped by quarters holds none in two months of three.
    const double per_year = static_cast<double>(t.steps_per_year);
    const auto [first_step, end_step] = o.window_steps(date, t);
    if (end_step <= first_step)
      return "the " + std::string(name_of(o.period)) + " " + observation_date_text(o.period, date) +
             " holds no state of the run, which steps " + std::to_string(t.steps_per_year) +
             " times a year (the next at " + year_month(t.start + first_step / per_year) +
             "): take the mean over a longer period, or give the run more steps a year";
  } else if (date < t.start - 1e-9 || date > end + 1e-9) {
    return "the date " + date_text(date) + " is outside the run period [" + date_text(t.start) +
           ", " + date_text(end) + "]";
  }
  return std::nullopt;
}

ObservedTable read_observed_table(const std::filesystem::path& path,
                                  const ObservedTableDefaults& defaults,
                                  const SourcePosition& named_at) {
  const std::string key = "--observed";
  CsvTable table = read_csv_table(path, "the observed figures file", named_at, key);
  const auto fail = [&](const CsvRow& row, std::size_t c, const std::string& message) {
    throw InputError(table.at(row, c), "", message);
  };
  SeriesRows rows(table, RowSelection{defaults.select, "--select", {"--select", 0, 0}, true});
  // Our column `name`: an SDMX-CSV export's own columns are its dimensions and attributes (its
  // figures' description comes from the options), all but an uncertainty.
  const auto column = [&](const char* name) -> std::optional<std::size_t> {
    if (rows.sdmx() && std::string_view(name) != "uncertainty") return std::nullopt;
    return table.column(name);
  };
  if (!rows.sdmx())
    for (std::size_t c = 0; c < table.header.cells.size(); ++c)
      if (!rows.selects(c) && std::none_of(std::begin(kColumns), std::end(kColumns),
                                           [&](const char* name) { return column(name) == c; }))
        fail(table.header, c,
             "unknown column " + quoted_text(table.header.cells[c]) + "; expected columns among " +
                 column_list() + " (or an SDMX-CSV export's TIME_PERIOD and OBS_VALUE)" +
                 wide_table_hint(table.header.cells[c]));
  for (const auto& [name, option] : defaults.given)
    if (const auto c = column(name.c_str()))
      fail(table.header, *c,
           "the file has a " + quoted_text(name) + " column and " + option +
               " gives one too: give one of them (the option describes the figures of a file "
               "without that column)");
  if (rows.date_column() == SeriesRows::kNone || rows.value_column() == SeriesRows::kNone)
    fail(table.header, 0,
         std::string("the header names no '") +
             (rows.date_column() == SeriesRows::kNone ? "date" : "value") +
             "' column (columns: " + column_list() + ")");
  // What the header lacks, and how to give it (an SDMX-CSV export describes its figures in its
  // own codes: the options say what they are in interdep's terms).
  const auto lacks = [&](const std::string& name, const std::string& option) {
    return rows.sdmx() ? "an SDMX-CSV export gives no " + name + " interdep reads: give " + option
                       : "the header names no '" + name + "' column: add one, or give " + option;
  };
  if (!column("quantity") && defaults.quantity.empty())
    fail(table.header, 0, lacks("quantity", "--quantity (e.g. trade[PAK,RUS])"));
  if (!column("unit") && defaults.unit.empty())
    fail(table.header, 0,
         lacks("unit", rows.sdmx() ? "--unit (e.g. \"US$ million/quarter\", as the export's unit "
                                     "and UNIT_MULT say)"
                                   : "--unit (e.g. \"US$ million/yr\")"));

  ObservedTable out;
  using Identity = std::tuple<std::string, ObservationPeriod, ObservationAggregate, std::string,
                              int, std::string>;
  std::map<Identity, std::size_t> series_of;  // each series' index, found in log time
  // Each series' dates so far: a file of 10^5 rows is checked in linear time (std::find over
  // the dates took 20 s for 100,000 rows of one series).
  std::vector<std::unordered_map<double, const CsvRow*>> dates_seen;
  const std::size_t dc = rows.date_column(), vc = rows.value_column();
  for (const CsvRow& row : table.rows) {
    if (!rows.keeps(row)) continue;
    // The cell of `name` in this row, or the default.
    const auto text = [&](const char* name, const std::string& fallback) {
      const auto c = column(name);
      return c ? row.cells[*c] : fallback;
    };
    const auto cell = [&](const char* name) {
      const auto c = column(name);
      return c ? *c : dc;
    };
    const std::string quantity = text("quantity", defaults.quantity);
    if (quantity.empty()) fail(row, cell("quantity"), "expected a quantity such as trade[PAK,RUS]");
    const std::string period_text = text("period", defaults.period);
    const auto period = parse<ObservationPeriod>(period_text);
    if (!period)
      fail(row, cell("period"),
           "expected a period among " + quoted_list(name_list<ObservationPeriod>()) + ", got " +
               quoted_text(period_text));
    const std::string aggregate_text = text("aggregate", defaults.aggregate);
    const auto aggregate = parse<ObservationAggregate>(aggregate_text);
    if (!aggregate)
      fail(row, cell("aggregate"),
           "expected an aggregate among " + quoted_list(name_list<ObservationAggregate>()) +
               ", got " + quoted_text(aggregate_text));
    const std::string unit = text("unit", defaults.unit);
    if (unit.empty()) fail(row, cell("unit"), "expected the value's unit, such as US$ million/yr");
    int month = defaults.year_start_month;
    if (column("year_start_month")) {
      const auto m = csv_number(row.cells[cell("year_start_month")], table.decimal_comma());
      if (!m || *m != std::floor(*m) || *m < 1 || *m > 12)
        fail(row, cell("year_start_month"),
             "expected a month 1..12, got " + quoted_text(row.cells[cell("year_start_month")]));
      month = static_cast<int>(*m);
    }
    if (*period != ObservationPeriod::year && month != 1)
      fail(row, cell("year_start_month"),
           "year_start_month applies only to period year (a point has no months; a quarter or a "
           "month is the calendar's)");
    std::string source = text("source", defaults.source);
    if (source.empty()) source = path.filename().string();

    rows.check_frequency(row, *period, "");
    rows.check_unit(row, unit, "");
    const auto date = observation_date_of(row.cells[dc], *period, table.decimal_comma());
    if (!date)
      fail(row, dc,
           "expected " + observation_date_form(*period) + ", got " + quoted_text(row.cells[dc]) +
               date_form_hint(row.cells[dc], *period, true));
    // A blank value asks for the prediction alone: the figure is scored once it is known.
    const auto value = row.cells[vc].empty() || rows.missing(row)
                           ? std::optional<double>(std::nan(""))
                           : csv_number(row.cells[vc], table.decimal_comma());
    if (!value)
      fail(row, vc,
           "expected a finite number (or an empty cell), got " + quoted_text(row.cells[vc]));
    if (const auto refusal = detail::size_refusal(*value, "a number");
        refusal && !std::isnan(*value))
      fail(row, vc, *refusal);
    double uncertainty = std::nan("");
    if (const auto uc = column("uncertainty"); uc && !row.cells[*uc].empty()) {
      const auto u = csv_number(row.cells[*uc], table.decimal_comma());
      if (!u || !(*u > 0.0))
        fail(row, *uc,
             "expected an uncertainty > 0 (or an empty cell), got " + quoted_text(row.cells[*uc]));
      if (const auto refusal = detail::size_refusal(*u, "an uncertainty")) fail(row, *uc, *refusal);
      uncertainty = *u;
    }

    const Identity identity{quantity, *period, *aggregate, unit, month, source};
    const auto [it, added] = series_of.emplace(identity, out.series.size());
    if (added) {
      ObservationSpec o;
      o.quantity = quantity;
      o.position = table.at(row, cell("quantity"));
      // Where the unit and the aggregate were written, for errors found when the quantity is
      // resolved (a unit that does not fit it): their cells, when the table has them.
      if (column("unit")) o.unit_position = table.at(row, cell("unit"));
      if (column("aggregate")) o.aggregate_position = table.at(row, cell("aggregate"));
      o.period = *period;
      o.year_start_month = month;
      o.aggregate = *aggregate;
      o.unit = unit;
      o.source = source;
      out.series.push_back(std::move(o));
      out.rows.emplace_back();
      dates_seen.emplace_back();
    }
    const std::size_t s = it->second;
    ObservationSpec& o = out.series[s];
    if (const auto [first, new_date] = dates_seen[s].emplace(*date, &row); !new_date)
      fail(row, dc,
           "the date " + quoted_text(row.cells[dc]) + " is listed twice for " + quantity +
               rows.several_series(*first->second, row,
                                   {dc, vc, column("uncertainty").value_or(dc)}));
    o.dates.push_back(*date);
    o.values.push_back(*value);
    o.value_positions.push_back(table.at(row, vc));  // an error about the figure names its cell
    o.uncertainty.push_back(uncertainty);
    out.rows[s].push_back(table.at(row, dc));
  }
  rows.refuse_if_none_kept();
  if (out.series.empty())
    throw InputError(SourcePosition{path.string(), table.last_line, 0}, "",
                     "expected at least one row of figures after the header");
  return out;
}

}  // namespace interdep
