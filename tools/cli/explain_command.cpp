// `interdep explain OUT.h5 --pair A:B [--from Y] [--to Y] [--domain D] [--top N]`: prints the
// plain-language account of output/insight/explain.hpp for one directed relation.
#include <charconv>
#include <cmath>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "engine/text/text_format.hpp"
#include "output/hdf5/output_error.hpp"
#include "output/insight/explain.hpp"
#include "output/insight/explain_measure.hpp"
#include "output/run_file/run_reader.hpp"
#include "tools/cli/commands.hpp"

namespace interdep::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: interdep explain OUT.h5 --pair PAK:RUS [--from DATE] [--to DATE] [--domain D]\n"
    "                        [--top N] [--measure]\n"
    "Tells in plain words how and why a relation moved in a run: the decision terms that\n"
    "contributed most, with their numbers, and the events behind them, in order of weight.\n";

// A date given on the command line (--from, --to): a year, a month, a day or a decimal year.
double parse_year(const std::string& option, const std::string& text) {
  const std::optional<double> year = parse_year_text(text);
  if (!year)
    throw UsageError(option + " takes a date such as 2030, 2030-06, 2030-06-15 or 2030.5, got '" +
                     text + "'");
  return *year;
}

void declare_options(CommandOptions& options) {
  options.listed.add_options()("pair", po::value<std::string>(),
                               "the directed relation ACTOR:PARTNER, e.g. PAK:RUS")(
      "from", po::value<std::string>(),
      "start of the window: 2030, 2030-06, 2030-06-15 or 2030.5 (default: start of the run)")(
      "to", po::value<std::string>(),
      "end of the window, written as --from (default: end of the run)")(
      "domain", po::value<std::string>(),
      "one issue domain, e.g. energy (default: the overall relation)")(
      "top", po::value<Whole<std::size_t, 1>>()->default_value({5}, "5"),
      "number of terms and events listed")(
      "measure",
      "also measure what each listed event did: the scenario the file stores, run again at its "
      "seed without the event (one run per event)");
  options.add_positional("file", po::value<std::string>(), 1);
}

int run(const Invocation& invocation) {
  const po::variables_map& vm = invocation.options;
  if (!vm.count("file") || !vm.count("pair"))
    invocation.refuse_incomplete("explain needs a result file and --pair");
  const std::string file = vm["file"].as<std::string>();
  const std::string pair = vm["pair"].as<std::string>();
  const auto colon = pair.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == pair.size() ||
      pair.find(':', colon + 1) != std::string::npos)
    throw UsageError("--pair takes ACTOR:PARTNER, e.g. PAK:RUS, got '" + pair + "'");
  insight::ExplainQuery query;
  if (vm.count("from")) query.from = parse_year("--from", vm["from"].as<std::string>());
  if (vm.count("to")) query.to = parse_year("--to", vm["to"].as<std::string>());
  if (query.from && query.to && !(*query.from < *query.to))
    throw UsageError(file + ": --from " + vm["from"].as<std::string>() + " must come before --to " +
                     vm["to"].as<std::string>());
  query.top = whole<std::size_t, 1>(vm, "top");
  RunFile result;
  try {
    result = read_run(file);
  } catch (const OutputError& e) {
    throw UsageError(e.what());  // not a run result file: bad input
  }
  // Unknown codes are InputErrors naming the option they came from.
  query.actor = insight::actor_index(result, pair.substr(0, colon), "--pair");
  query.partner = insight::actor_index(result, pair.substr(colon + 1), "--pair");
  if (vm.count("domain"))
    query.domain = insight::domain_index(result, vm["domain"].as<std::string>(), "--domain");
  const insight::Explanation explanation = insight::explain(result, query);
  // Measured before anything is printed: a stored scenario that no longer loads is bad input.
  std::string measured;
  if (vm.count("measure")) measured = insight::measure_events(result, query, explanation, 0).text;
  std::cout << "Run '" << run_label(result.metadata, result.scenario_name) << "' (" << file
            << ", seed " << result.metadata.seed << ")\n"
            << explanation.text << measured;
  return kExitOk;
}

}  // namespace

const Command kExplainCommand{.name = "explain",
                              .synopsis = "OUT.h5 --pair A:B",
                              .summary = "how and why a relation moved, in plain words",
                              .usage = kUsage,
                              .declare_options = declare_options,
                              .run = run};

}  // namespace interdep::cli
