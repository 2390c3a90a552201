// `interdep export SWEEP.h5 --csv [-o OUT.csv] [--series SERIES.csv]` (docs/sweeps.md): a sweep
// file as tidy tables for pandas, R or a spreadsheet: one row per run with its design, status
// and every output's statistics; and, when the sweep recorded series, one row per run, frame
// and output.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sweep/discrete_values.hpp"
#include "engine/text/text_format.hpp"
#include "output/hdf5/output_error.hpp"
#include "output/sweep_file/sweep_file.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/csv_file.hpp"

namespace interdep::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kUsage =
    "Usage: interdep export SWEEP.h5 --csv [-o OUT.csv] [--series SERIES.csv]\n"
    "Writes a sweep as one tidy CSV table: a row per run with run, policy (a sweep with\n"
    "policies), point, replicate, seed,\n"
    "status (done, failed or not run) and message, each parameter's value (a discrete\n"
    "parameter's value, a string without its quotes), and a column per output and statistic\n"
    "(\"relation_overall[PAK,RUS]:final\"). --series also writes the recorded series, a row per\n"
    "run, time and output. Numbers are written exactly (17 significant digits).\n";

void declare_options(CommandOptions& options) {
  options.listed.add_options()("csv", "write CSV (the one format for now)")(
      "output,o", po::value<std::string>(), "the table (default: SWEEP's name with .csv, here)")(
      "series", po::value<std::string>(), "also the series, a row per run, time and output");
  options.add_positional("file", po::value<std::string>(), 1);
}

std::string status_word(std::uint8_t status) {
  return status == 1 ? "done" : status == 2 ? "failed" : "not run";
}

std::string runs_table(const fs::path& path, const sweep::SweepFile& file) {
  const sweep::SweepLayout& layout = file.layout;
  const std::size_t k = layout.parameters.size();
  std::vector<std::vector<std::string>> discrete(k);
  for (std::size_t p = 0; p < k && p < file.meta.discrete_values.size(); ++p)
    discrete[p] = sweep::decode_discrete_values(file.meta.discrete_values[p]);
  // Every output's statistics, a column each, read one at a time.
  std::vector<std::vector<double>> columns;
  const bool policies = !file.meta.policies.empty();
  std::string text = policies ? "run,policy,point,replicate,seed,status,message"
                              : "run,point,replicate,seed,status,message";
  for (const std::string& key : layout.parameters) text += ',' + csv_cell(key);
  for (std::size_t o = 0; o < layout.outputs.size(); ++o)
    for (std::size_t s = 0; s < layout.statistics.size(); ++s) {
      text += ',' + csv_cell(layout.outputs[o] + ':' + layout.statistics[s]);
      columns.push_back(sweep::read_summary(path, o, s));
    }
  text += '\n';
  for (std::size_t r = 0; r < layout.runs; ++r) {
    text += std::to_string(r) + ',';
    if (policies)
      text +=
          csv_cell(file.meta.policies.at(static_cast<std::size_t>(file.design.policy.at(r)))) + ',';
    text += std::to_string(file.design.point.at(r)) + ',' +
            std::to_string(file.design.replicate.at(r)) + ',' +
            std::to_string(file.design.seed.at(r)) + ',' + status_word(file.status.at(r)) + ',' +
            csv_cell(file.message.at(r));
    for (std::size_t p = 0; p < k; ++p) {
      const double v = file.design.value.at(r * k + p);
      // A discrete value's index, when it is one (a damaged file's number is written as is).
      const bool indexed = !discrete[p].empty() && v >= 0.0 &&
                           v < static_cast<double>(discrete[p].size()) && v == std::floor(v);
      text +=
          ',' +
          (indexed ? csv_cell(sweep::plain_discrete_value(discrete[p][static_cast<std::size_t>(v)]))
                   : exact_number(v));
    }
    for (const std::vector<double>& c : columns) text += ',' + exact_number(c.at(r));
    text += '\n';
  }
  return text;
}

std::string series_table(const fs::path& path, const sweep::SweepFile& file) {
  const sweep::SweepLayout& layout = file.layout;
  if (layout.times.empty())
    throw UsageError(path.string() + ": --series: the sweep recorded no series (record mode '" +
                     file.meta.record_mode + "'; \"every\" or \"full\" records them)");
  std::string text = "run,time,output,value\n";
  for (std::size_t r = 0; r < layout.runs; ++r) {
    if (file.status.at(r) != 1) continue;  // a failed or missing run has no series
    const std::vector<double> series = sweep::read_series(path, r);
    for (std::size_t f = 0; f < layout.times.size(); ++f)
      for (std::size_t o = 0; o < layout.outputs.size(); ++o)
        text += std::to_string(r) + ',' + exact_number(layout.times[f]) + ',' +
                csv_cell(layout.outputs[o]) + ',' +
                exact_number(series.at(f * layout.outputs.size() + o)) + '\n';
  }
  return text;
}

int run(const Invocation& invocation) {
  const po::variables_map& vm = invocation.options;
  if (!vm.count("file")) invocation.refuse_incomplete("export needs a sweep file");
  if (!vm.count("csv")) throw UsageError("export needs a format: --csv");
  const fs::path path = vm["file"].as<std::string>();
  const fs::path out = vm.count("output") ? fs::path(vm["output"].as<std::string>())
                                          : fs::path(path.stem().string() + ".csv");
  check_table_path(out);
  if (vm.count("series")) check_table_path(vm["series"].as<std::string>());
  std::vector<TableFile> tables;
  try {
    const sweep::SweepFile file = sweep::read_sweep(path);
    tables.push_back({out, runs_table(path, file)});
    if (vm.count("series"))
      tables.push_back({fs::path(vm["series"].as<std::string>()), series_table(path, file)});
  } catch (const OutputError& e) {
    throw UsageError(e.what());  // not a sweep file, or a damaged one: bad input
  } catch (const std::out_of_range&) {
    throw UsageError(path.string() + ": its tables do not match its runs (a damaged file)");
  }
  write_csv_files(tables);
  std::printf("Wrote %s", out.string().c_str());
  if (tables.size() > 1) std::printf(" and %s", tables[1].path.string().c_str());
  std::printf("\n");
  return kExitOk;
}

}  // namespace

const Command kExportCommand{.name = "export",
                             .synopsis = "SWEEP.h5 --csv",
                             .summary = "write a sweep as a tidy CSV table (and its series)",
                             .usage = kUsage,
                             .declare_options = declare_options,
                             .run = run};

}  // namespace interdep::cli
