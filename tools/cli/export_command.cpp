// `interdep export SWEEP.h5 --csv [-o OUT.csv] [--series SERIES.csv]` (docs/sweeps.md): a sweep
// file as tidy tables for pandas, R or a spreadsheet: one row per run with its design, status
// and every output's statistics; and, when the sweep recorded series, one row per run, frame
// and output.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/sweep/discrete_values.hpp"
#include "engine/text/control_chars.hpp"
#include "engine/text/text_format.hpp"
#include "output/hdf5/output_error.hpp"
#include "output/hdf5/read_fault.hpp"
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
    "run, time and output. Numbers are written exactly, in the fewest digits that read back as "
    "the\n"
    "same double.\n";

void declare_options(CommandOptions& options) {
  options.listed.add_options()("csv", "write CSV (the one format for now)")(
      "output,o", po::value<std::string>(),
      "the table (default: SWEEP's name with .csv, here; -: standard output)")(
      "series", po::value<std::string>(),
      "also the series, a row per run, time and output (-: standard output)");
  options.add_positional("file", po::value<std::string>(), 1);
}

std::string status_word(std::uint8_t status) {
  return status == 1 ? "done" : status == 2 ? "failed" : "not run";
}

// The runs table's header: run, policy (with policies), point, replicate, seed, status, message,
// each parameter, each output's statistics.
std::string runs_header(const sweep::SweepFile& head) {
  const sweep::SweepLayout& layout = head.layout;
  std::string text = head.meta.policies.empty() ? "run,point,replicate,seed,status,message"
                                                : "run,policy,point,replicate,seed,status,message";
  for (const std::string& key : layout.parameters) text += ',' + csv_cell(key);
  for (const std::string& output : layout.outputs)
    for (const std::string& statistic : layout.statistics)
      text += ',' + csv_cell(output + ':' + statistic);
  return text + '\n';
}

// The rows of a block's runs, appended to `text`. `discrete[p]`: parameter p's values, plain
// (empty for a continuous parameter).
void append_runs(const sweep::SweepFile& head,
                 const std::vector<std::vector<std::string>>& discrete,
                 const sweep::SweepRunBlock& block, std::string& text) {
  const std::size_t k = head.layout.parameters.size();
  const std::size_t width = head.layout.outputs.size() * head.layout.statistics.size();
  for (std::size_t b = 0; b < block.runs; ++b) {
    text += std::to_string(block.first + b) + ',';
    if (!block.policy.empty())
      text += csv_cell(head.meta.policies[static_cast<std::size_t>(block.policy[b])]) + ',';
    text += std::to_string(block.point[b]) + ',' + std::to_string(block.replicate[b]) + ',' +
            std::to_string(block.seed[b]) + ',' + status_word(block.status[b]) + ',' +
            csv_cell(block.message[b]);
    for (std::size_t p = 0; p < k; ++p) {
      const double v = block.value[b * k + p];
      // A discrete parameter's value is an index of its values (the reader refuses any other).
      text += ',' + (discrete[p].empty() ? shortest_number(v)
                                         : csv_cell(discrete[p][static_cast<std::size_t>(v)]));
    }
    for (std::size_t c = 0; c < width; ++c)
      text += ',' + shortest_number(block.summary[b * width + c]);
    text += '\n';
  }
}

// The cells of the series table's time and output columns, made once.
struct SeriesCells {
  std::vector<std::string> time, output;
  explicit SeriesCells(const sweep::SweepLayout& layout) {
    for (double t : layout.times) time.push_back(shortest_number(t));
    for (const std::string& name : layout.outputs) output.push_back(csv_cell(name));
  }
};

// The series rows of a block's finished runs (a failed or missing run has no series).
void append_series(const SeriesCells& cells, const sweep::SweepRunBlock& block, std::string& text) {
  const std::size_t outputs = cells.output.size(), frames = cells.time.size();
  for (std::size_t b = 0; b < block.runs; ++b) {
    if (block.status[b] != 1) continue;
    const std::string run = std::to_string(block.first + b) + ',';
    const double* const series = block.series.data() + b * frames * outputs;
    for (std::size_t f = 0; f < frames; ++f)
      for (std::size_t o = 0; o < outputs; ++o)
        text += run + cells.time[f] + ',' + cells.output[o] + ',' +
                shortest_number(series[f * outputs + o]) + '\n';
  }
}

// Both tables, a block of runs at a time, each under a temporary name until both are whole:
// memory does not grow with the number of runs, and a failure leaves no path changed.
void write_tables(const fs::path& path, const fs::path& out, const fs::path* series_out) {
  const sweep::SweepFile head = sweep::read_sweep_head(path);
  if (series_out && head.layout.times.empty())
    throw UsageError(path.string() + ": --series: the sweep recorded no series (record mode '" +
                     head.meta.record_mode + "'; \"every\" or \"full\" records them)");
  std::vector<std::vector<std::string>> discrete(head.layout.parameters.size());
  for (std::size_t p = 0; p < discrete.size() && p < head.meta.discrete_values.size(); ++p)
    for (const std::string& value : sweep::decode_discrete_values(head.meta.discrete_values[p]))
      discrete[p].push_back(sweep::plain_discrete_value(value));

  sweep::SweepRunReader reader(path, head, series_out != nullptr);
  StreamedTable runs(out);
  std::optional<StreamedTable> series;
  if (series_out) {
    series.emplace(*series_out);
    series->append("run,time,output,value\n");
  }
  runs.append(runs_header(head));
  const SeriesCells cells(head.layout);
  sweep::SweepRunBlock block;
  std::string text;
  for (std::size_t first = 0; first < head.layout.runs; first += reader.block_runs()) {
    reader.read(first, block);
    text.clear();
    append_runs(head, discrete, block, text);
    runs.append(text);
    if (series) {
      text.clear();
      append_series(cells, block, text);
      series->append(text);
    }
  }
  runs.close();
  if (series) series->close();
  // Renamed into place together: an interruption leaves both tables or neither.
  const h5::CommitSection together;
  runs.commit();
  if (series) series->commit();
}

int run(const Invocation& invocation) {
  const po::variables_map& vm = invocation.options;
  if (!vm.count("file")) invocation.refuse_incomplete("export needs a sweep file");
  if (!vm.count("csv")) throw UsageError("export needs a format: --csv");
  const fs::path path = vm["file"].as<std::string>();
  const fs::path out = output_or(vm, path.stem().string() + ".csv", true);  // "-": stdout
  const fs::path series =
      vm.count("series") ? fs::path(vm["series"].as<std::string>()) : fs::path();
  const bool to_stdout = out == kStandardOutput;
  if (to_stdout && series == kStandardOutput)
    throw UsageError("-o - and --series -: only one table can go to standard output");
  if (!to_stdout) check_output_path(out);
  if (vm.count("series") && series != kStandardOutput) check_output_path(series, "--series");
  try {
    write_tables(path, out, vm.count("series") ? &series : nullptr);
  } catch (const OutputError& e) {
    // Writing a table failed: not bad input. (No --series leaves `series` empty, which must not
    // match an error about an input named by an empty path.)
    if (e.path() == out || (!series.empty() && e.path() == series)) throw;
    throw UsageError(e.what());  // not a sweep file, or a damaged one: bad input
  }
  // With a table on standard output, what was written is said on standard error.
  std::FILE* const said = to_stdout || series == kStandardOutput ? stderr : stdout;
  std::fprintf(said, "Wrote %s",
               to_stdout ? "the table to standard output" : printable(out.string()).c_str());
  if (vm.count("series"))
    std::fprintf(
        said, " and %s",
        series == kStandardOutput ? "the series to standard output" : series.string().c_str());
  std::fprintf(said, "\n");
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
