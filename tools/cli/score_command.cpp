// `interdep score RUN.h5 [RUN.h5 ...] [--observed FILE.csv]` (docs/validation.md, "Scoring a
// run"): holds an ensemble of finished runs — run files and sweep files recorded with series —
// against observed figures, and prints each figure's predictive interval, whether the figure lies
// in it, the log error and the CRPS, with the coverage per series and overall.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/enum_names.hpp"
#include "engine/scenario/observed_table.hpp"
#include "engine/score/forecast_score.hpp"
#include "engine/text/control_chars.hpp"
#include "engine/text/text_format.hpp"
#include "output/hdf5/output_error.hpp"
#include "output/insight/observed_ensemble.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/csv_file.hpp"

namespace interdep::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kUsage =
    "Usage: interdep score RUN.h5 [RUN.h5 ...] [--observed FILE.csv] [--level P] [-o TABLE.csv]\n"
    "Holds an ensemble of runs against observed figures. The runs are the run files given and\n"
    "every finished run of the sweep files given (recorded with series: record mode \"every\" or\n"
    "\"full\"). The figures are the rows of FILE.csv (columns quantity, date, value and "
    "optionally\n"
    "uncertainty, period, aggregate, unit, year_start_month, source; options give the columns a\n"
    "file leaves out; an SDMX-CSV export is read by TIME_PERIOD and OBS_VALUE, its figures\n"
    "described by the options; --select keeps one series of several), or without --observed\n"
    "the [[observations]] of the runs' scenario. For each figure: the members' median and\n"
    "central interval at level P (default 0.9), whether the figure lies inside it, the log\n"
    "error ln(median / observed), the CRPS over the members and z = (mean - observed) /\n"
    "sqrt(u^2 + s^2), u the figure's uncertainty and s the members' standard deviation (a\n"
    "single run's z, as inspect prints it, is (simulated - observed) / u); per series and\n"
    "overall, the coverage, the mean |log error| and the mean CRPS.\n";

void declare_options(CommandOptions& options) {
  options.listed.add_options()("observed", po::value<std::string>(),
                               "CSV of observed figures, one a row (default: the scenario's own "
                               "[[observations]])")(
      "level", po::value<Real>()->default_value({0.9}, "0.9"),
      "probability of the central predictive interval, in (0, 1)")(
      "output,o", po::value<std::string>(), "also write the table of scores to this CSV file")(
      "quantity", po::value<std::string>(),
      "for a file without a quantity column, e.g. trade[PAK,RUS]")(
      "unit", po::value<std::string>(),
      "for a file without a unit column, e.g. \"US$ million/yr\"")(
      "period", po::value<std::string>(),
      "for a file without a period column: point, year, quarter or month")(
      "aggregate", po::value<std::string>(),
      "for a file without an aggregate column: value or pair_total")(
      "year-start-month", po::value<Whole<unsigned, 1, 12>>(),
      "for a file without a year_start_month column: 1..12 (period year)")(
      "source", po::value<std::string>(), "for a file without a source column")(
      "select", po::value<std::vector<std::string>>()->composing(),
      "COLUMN=text: keep the rows whose COLUMN holds text (one series of a file of several, "
      "e.g. REF_AREA=PK of an SDMX-CSV export); repeatable");
  options.add_positional("files", po::value<std::vector<std::string>>(), -1);
}

// "point, year, quarter or month"
std::string joined_names(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t k = 0; k < names.size(); ++k)
    out += (k == 0 ? "" : k + 1 == names.size() ? " or " : ", ") + names[k];
  return out;
}

std::string general(double v) {
  if (std::isnan(v)) return "-";
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.4g", v);
  return buffer;
}

std::string percent(std::size_t part, std::size_t whole) {
  return std::to_string(part) + " of " + std::to_string(whole) + " (" +
         number(100.0 * static_cast<double>(part) / static_cast<double>(whole), 0) + " %)";
}

// A year as its number, a quarter or a month as tables name it ("2027Q2", "2027-06"), a point as
// the day it was given ("2025-06-15"), or its decimal.
std::string figure_date(const ObservationSpec& o, double date) {
  return observation_date_text(o.period, date);
}

void print_table(std::ostream& out, const insight::ObservedEnsemble& e,
                 const score::ScoreTable& t) {
  const std::string level = number(100.0 * t.level, 0) + " %";
  std::size_t f = 0;
  for (std::size_t s = 0; s < e.observations.size(); ++s) {
    const ObservationSpec& o = e.observations[s];
    // A year, a quarter or a month averages the recorded states within it: as many as the run
    // recorded there (fewer with [output] every or fewer steps a year), said with the heading.
    std::string mean;
    if (o.period != ObservationPeriod::point) {
      std::size_t fewest = 0, most = 0;
      bool any = false;
      for (std::size_t g = f; g < t.figures.size() && t.figures[g].series == s; ++g) {
        const std::size_t states = e.frames[g];
        fewest = any ? std::min(fewest, states) : states;
        most = any ? std::max(most, states) : states;
        any = true;
      }
      const std::string period(name_of(o.period));
      mean = ", mean of the recorded states within each " + period + " (" +
             (fewest == most ? counted(most, "state")
                             : std::to_string(fewest) + " to " + counted(most, "state")) +
             " a " + period + ")";
    }
    out << "\n"
        << o.quantity
        << (o.aggregate == ObservationAggregate::pair_total ? ", both directions" : "") << mean
        << ", " << o.unit << " (" << o.source << ")\n";
    std::size_t date_width = 8;  // "2025-06-15" and decimals widen the column
    for (std::size_t k = f; k < t.figures.size() && t.figures[k].series == s; ++k)
      date_width = std::max(date_width, figure_date(o, t.figures[k].date).size() + 2);
    out << "  " << pad_right("date", date_width) << pad_left("observed", 10) << pad_left("± u", 9)
        << pad_left("median", 10) << pad_left(level + " interval", 24) << "  inside"
        << pad_left("log error", 11) << pad_left("CRPS", 11) << pad_left("z", 9) << "\n";
    // A cell right-aligned in `width`, and at least one space before it: a figure wider than
    // its column (1.314e+04) pushes the row on rather than running into its neighbour.
    const auto cell = [](const std::string& text, std::size_t width) {
      return " " + pad_left(text, width - 1);
    };
    for (; f < t.figures.size() && t.figures[f].series == s; ++f) {
      const score::FigureScore& g = t.figures[f];
      std::string interval = "[";  // built in steps: GCC 12 warns (-Wrestrict) at "[" + s
      interval.append(general(g.lower)).append(", ").append(general(g.upper)).append("]");
      out << "  " << pad_right(figure_date(o, g.date), date_width) << cell(general(g.observed), 10)
          << cell(general(g.uncertainty), 9) << cell(general(g.median), 10) << cell(interval, 24)
          << (std::isnan(g.observed) ? "  -     "
              : g.covered            ? "  yes   "
                                     : "  no    ")
          << cell(general(g.log_error), 11) << cell(general(g.crps), 11) << cell(general(g.z), 9)
          << "\n";
    }
    const score::SeriesScore& ss = t.series[s];
    if (ss.figures > 0)
      out << "  inside the interval: " << percent(ss.covered, ss.figures) << "; mean |log error| "
          << general(ss.mean_abs_log_error) << "; mean CRPS " << general(ss.mean_crps)
          << (o.unit == "1" ? std::string() : " " + o.unit) << "\n";  // "1": no unit
    if (ss.predictions > 0)
      out << "  " << ss.predictions << " without an observed value: predictions only\n";
  }
  if (t.overall.figures > 0)
    out << "\nOverall: " << percent(t.overall.covered, t.overall.figures)
        << " figures inside their " << level << " intervals; mean |log error| "
        << general(t.overall.mean_abs_log_error) << " over " << t.overall.log_errors
        << " figures.\n";
  else
    out << "\nNo figure has an observed value yet: the table holds predictions only.\n";
  if (e.members.size() == 1)
    out << "One run: each interval is a single value and CRPS is the absolute error; give "
           "several runs (other seeds, a sweep) for an ensemble.\n";
}

std::string score_csv(const insight::ObservedEnsemble& e, const score::ScoreTable& t) {
  std::ostringstream out;
  out << "quantity,period,aggregate,unit,source,date,observed,uncertainty,members,median,mean,"
         "lower,upper,level,inside,log_error,crps,z,first_state,last_state\n";
  for (std::size_t f = 0; f < t.figures.size(); ++f) {
    const score::FigureScore& g = t.figures[f];
    const ObservationSpec& o = e.observations[g.series];
    out << csv_cell(o.quantity) << ',' << name_of(o.period) << ',' << name_of(o.aggregate) << ','
        << csv_cell(o.unit) << ',' << csv_cell(o.source) << ',' << csv_number(g.date) << ','
        << csv_number(g.observed) << ',' << csv_number(g.uncertainty) << ',' << g.members << ','
        << csv_number(g.median) << ',' << csv_number(g.mean) << ',' << csv_number(g.lower) << ','
        << csv_number(g.upper) << ',' << csv_number(t.level) << ','
        << (std::isnan(g.observed) ? ""
            : g.covered            ? "1"
                                   : "0")
        << ',' << csv_number(g.log_error) << ',' << csv_number(g.crps) << ',' << csv_number(g.z)
        << ',' << csv_number(e.from[f]) << ',' << csv_number(e.to[f]) << '\n';
  }
  return out.str();
}

int run(const Invocation& invocation) {
  const po::variables_map& vm = invocation.options;
  if (!vm.count("files")) invocation.refuse_incomplete("score needs at least one result file");
  const double level = real(vm, "level");
  if (!(level > 0.0 && level < 1.0))
    throw UsageError("--level must lie strictly between 0 and 1, got " +
                     (std::isnan(level) ? std::string("nan") : general(level)));
  std::vector<fs::path> files;
  for (const std::string& f : vm["files"].as<std::vector<std::string>>()) files.emplace_back(f);
  if (vm.count("output")) check_output_path(vm["output"].as<std::string>());

  ObservedTable observed;
  if (vm.count("observed")) {
    ObservedTableDefaults defaults;
    // An option's value is checked here, naming the option: a bad one was blamed on the file's
    // first row, and an empty one was taken for no option.
    const auto text = [&](const char* option, const char* column, std::string& slot) {
      if (!vm.count(option)) return;
      slot = vm[option].as<std::string>();
      if (slot.find_first_not_of(" \t") == std::string::npos)
        throw UsageError(std::string("--") + option + " \"" + slot + "\" is empty: give the " +
                         column + " of the figures, or leave the option out");
      defaults.given.emplace_back(column, std::string("--") + option);
    };
    text("quantity", "quantity", defaults.quantity);
    text("unit", "unit", defaults.unit);
    text("period", "period", defaults.period);
    text("aggregate", "aggregate", defaults.aggregate);
    text("source", "source", defaults.source);
    if (!parse<ObservationPeriod>(defaults.period))
      throw UsageError("--period " + printable(defaults.period) + ": expected one of " +
                       joined_names(name_list<ObservationPeriod>()));
    if (!parse<ObservationAggregate>(defaults.aggregate))
      throw UsageError("--aggregate " + printable(defaults.aggregate) + ": expected one of " +
                       joined_names(name_list<ObservationAggregate>()));
    if (vm.count("year-start-month")) {
      defaults.year_start_month = static_cast<int>(whole<unsigned, 1, 12>(vm, "year-start-month"));
      defaults.given.emplace_back("year_start_month", "--year-start-month");
    }
    if (vm.count("select"))
      for (const std::string& pair : vm["select"].as<std::vector<std::string>>()) {
        const std::size_t eq = pair.find('=');
        if (eq == 0 || eq == std::string::npos)
          throw UsageError("--select expects COLUMN=text (e.g. REF_AREA=PK), got '" + pair + "'");
        defaults.select.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
      }
    observed = read_observed_table(vm["observed"].as<std::string>(), defaults,
                                   SourcePosition{"--observed", 0, 0});
    if (vm.count("output")) check_output_path(vm["output"].as<std::string>());  // not over it
  } else {
    for (const char* option :
         {"quantity", "unit", "period", "aggregate", "year-start-month", "source", "select"})
      if (vm.count(option))
        throw UsageError(std::string("--") + option + " describes the figures of --observed FILE");
  }

  insight::ObservedEnsemble ensemble;
  try {
    ensemble = insight::observed_ensemble(files, observed);
  } catch (const OutputError& e) {
    throw UsageError(e.what());  // not a result file: bad input
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());  // runs that cannot be scored together, or as asked
  }
  const score::ScoreTable table =
      score::score_ensemble(ensemble.observations, ensemble.simulated, level);
  if (vm.count("output"))
    write_csv_file(vm["output"].as<std::string>(), score_csv(ensemble, table));

  const std::size_t figures = table.figures.size();
  std::cout << "Scored " << ensemble.members.size()
            << (ensemble.members.size() == 1 ? " run" : " runs") << " against " << figures
            << (figures == 1 ? " figure" : " figures") << " of "
            << (vm.count("observed") ? vm["observed"].as<std::string>()
                                     : "the scenario's [[observations]]");
  if (ensemble.failed_runs > 0)
    std::cout << " (" << ensemble.failed_runs << " failed sweep runs left out)";
  std::cout << ".\n";
  print_table(std::cout, ensemble, table);
  if (vm.count("output"))
    std::cout << "Wrote " << printable(vm["output"].as<std::string>()) << "\n";
  return kExitOk;
}

}  // namespace

const Command kScoreCommand{
    .name = "score",
    .synopsis = "RUN.h5...",
    .summary = "hold runs (an ensemble) against observed figures: coverage, log error, CRPS",
    .usage = kUsage,
    .declare_options = declare_options,
    .run = run};

}  // namespace interdep::cli
