// `interdep check CHECKS.toml` (docs/validation.md, "Events as tests of the dynamics"): measures
// what the record says a scenario's dynamics should do — third parties' responses to events
// (against the same run without them), trade paths, decisions — on several seeds, and prints
// each check with its verdict, flagging the misses.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/scenario/scenario_loader.hpp"
#include "engine/score/dynamics_checks.hpp"
#include "engine/text/control_chars.hpp"
#include "engine/text/text_format.hpp"
#include "models/registry.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/csv_file.hpp"

namespace interdep::cli {
namespace {

using score::CheckOutcome;
using score::CheckSpec;
using score::DynamicsCheck;
using score::Expectation;

constexpr std::string_view kUsage =
    "Usage: interdep check CHECKS.toml [-j THREADS] [-o TABLE.csv] [-q]\n"
    "Measures each [[checks]] entry of CHECKS.toml on its scenario, over its replicate seeds: a\n"
    "change (rise, fall) or a level (above, below) of a recorded quantity between two dates,\n"
    "against the same run without the events it names in `without` when it names some. Prints\n"
    "every check with the share of seeds that agree and whether it holds; misses are flagged.\n";

void declare_options(CommandOptions& options) {
  options.listed.add_options()("threads,j", po::value<ThreadsOption>()->default_value({0}, "0"),
                               "runs at once (0: one per core)")(
      "output,o", po::value<std::string>(), "also write the table of checks to this CSV file")(
      "quiet,q", "no progress lines");
  options.add_positional("checks", po::value<std::string>(), 1);
}

std::string signed_general(double v) {
  std::ostringstream out;
  out.precision(3);
  out << std::showpos << v;
  return out.str();
}

// The state a check's date reads (the run's step nearest it): its month on a monthly clock, else
// the day it starts; and the date as written when that state is another day ("2026-01 (the state
// nearest 2025-12-31)"), so that the window printed is the one measured.
std::string state_text(const TimeSpec& time, double date) {
  const double read = time.date_of_step(static_cast<std::int64_t>(time.nearest_step(date)));
  const bool monthly = time.steps_per_year == 12;
  std::string text = monthly ? year_month(read) : day_text(read);
  // A finer clock's states start within a day, not on one: another day is another state.
  if (monthly ? std::abs(read - date) * time.steps_per_year > 1e-9 : text != day_text(date))
    text += " (the state nearest " + date_text(date) + ")";
  return text;
}

// "relation_overall[PAK,RUS] from 2018-01 to 2019-01" with what is measured.
std::string measure_text(const DynamicsCheck& c, const TimeSpec& time) {
  const bool level = c.expect == Expectation::above || c.expect == Expectation::below;
  std::string text = c.quantity;
  if (c.aggregate == ObservationAggregate::pair_total) text += " (both directions)";
  text += level ? " at " + state_text(time, c.to)
                : " from " + state_text(time, c.from) + " to " + state_text(time, c.to);
  if (!c.without.empty()) {
    text += ", this run minus the run without ";
    for (std::size_t k = 0; k < c.without.size(); ++k)
      text +=
          (k ? (k + 1 == c.without.size() ? " and " : ", ") : "") + ("\"" + c.without[k] + "\"");
  }
  return text;
}

std::string expected_text(const DynamicsCheck& c) {
  const std::string t = signed_general(c.threshold);
  switch (c.expect) {
    case Expectation::rise: return c.threshold > 0 ? "a rise above " + t : "a rise";
    case Expectation::fall:
      return c.threshold > 0 ? "a fall below " + signed_general(-c.threshold) : "a fall";
    case Expectation::above: return "above " + t;
    case Expectation::below: return "below " + t;
  }
  return "";
}

std::string checks_csv(const CheckSpec& spec, const std::vector<CheckOutcome>& outcomes) {
  std::ostringstream out;
  out << "check,label,quantity,aggregate,from,to,expect,threshold,without,replicates,agree,holds,"
         "median,low,high,source\n";
  for (std::size_t k = 0; k < spec.checks.size(); ++k) {
    const DynamicsCheck& c = spec.checks[k];
    const CheckOutcome& o = outcomes[k];
    std::string without;
    for (const std::string& w : c.without) without += (without.empty() ? "" : "; ") + w;
    out << k + 1 << ',' << csv_cell(c.label) << ',' << csv_cell(c.quantity) << ','
        << name_of(c.aggregate) << ',' << csv_number(c.from) << ',' << csv_number(c.to) << ','
        << name_of(c.expect) << ',' << csv_number(c.threshold) << ',' << csv_cell(without) << ','
        << spec.replicates << ',' << o.agree << ',' << (o.holds ? 1 : 0) << ','
        << csv_number(o.median) << ',' << csv_number(o.low) << ',' << csv_number(o.high) << ','
        << csv_cell(c.source) << '\n';
  }
  return out.str();
}

int run(const Invocation& invocation) {
  const po::variables_map& vm = invocation.options;
  if (!vm.count("checks")) invocation.refuse_incomplete("check needs a checks file");
  const CheckSpec spec = score::load_checks(vm["checks"].as<std::string>());
  if (vm.count("output")) check_output_path(vm["output"].as<std::string>());
  LoadOptions plain;
  plain.resolved_text = false;
  const ScenarioSpec scenario = load_scenario(spec.scenario, plain);
  check_model(scenario);
  // Again, now that the scenario and its base chain are read: the output must not be one.
  if (vm.count("output")) check_output_path(vm["output"].as<std::string>());

  score::CheckRunOptions options;
  options.threads = threads_option(vm, "threads");
  options.cancel = &stop_on_interrupt(OnInterrupt::discard_output);
  if (!vm.count("quiet"))
    options.progress = [](std::size_t done, std::size_t total) {
      if (done == total || done % 10 == 0)
        std::cerr << "check: " << done << " of " << total << " runs\n";
    };
  std::vector<CheckOutcome> outcomes;
  try {
    outcomes = score::run_checks(spec, scenario, observe_scenario, options);
  } catch (const score::ChecksCancelled&) {
    std::cerr << "check: interrupted\n";
    return kExitInterrupted;
  }
  if (vm.count("output"))
    write_csv_file(vm["output"].as<std::string>(), checks_csv(spec, outcomes));

  const std::size_t runs = score::comparison_runs(spec);
  std::cout << "Checks " << spec.name << " on " << spec.scenario.string() << ": "
            << spec.checks.size() << " checks, " << spec.replicates << " seeds (seed " << spec.seed
            << "), " << runs << (runs == 1 ? " scenario" : " scenarios")
            << " run; a check holds when more than " << number(100.0 * spec.agreement, 0)
            << " % of the seeds agree.\n";
  std::vector<std::size_t> misses;
  for (std::size_t k = 0; k < spec.checks.size(); ++k) {
    const DynamicsCheck& c = spec.checks[k];
    const CheckOutcome& o = outcomes[k];
    if (!o.holds) misses.push_back(k + 1);
    std::cout << "\n"
              << pad_left(std::to_string(k + 1), 3) << ". " << (o.holds ? "holds  " : "MISSED ")
              << c.label << "\n"
              << wrap(measure_text(c, scenario.time) + ": median " + signed_general(o.median) +
                          " (" + signed_general(o.low) + " .. " + signed_general(o.high) +
                          "); expected " + expected_text(c) + " in " + std::to_string(o.agree) +
                          " of " + std::to_string(spec.replicates) + " seeds",
                      96, "       ")
              << wrap("source: " + c.source, 96, "       ");
  }
  std::cout << "\n"
            << spec.checks.size() - misses.size() << " of " << spec.checks.size() << " checks hold";
  if (!misses.empty()) {
    std::cout << "; missed:";
    for (std::size_t k : misses) std::cout << " " << k;
  }
  std::cout << ".\n";
  if (vm.count("output"))
    std::cout << "Wrote " << printable(vm["output"].as<std::string>()) << "\n";
  return kExitOk;
}

}  // namespace

const Command kCheckCommand{.name = "check",
                            .synopsis = "CHECKS.toml",
                            .summary = "test a scenario's dynamics against what the record says",
                            .usage = kUsage,
                            .declare_options = declare_options,
                            .run = run};

}  // namespace interdep::cli
