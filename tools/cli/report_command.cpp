// `interdep report OUT.h5 [--baseline BASE.h5] -o report.html` (docs/report.md): reads the run
// (and its baseline), renders the self-contained HTML page and writes it atomically.
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>

#include "output/hdf5/output_error.hpp"
#include "output/insight/compare.hpp"
#include "output/report/report_data.hpp"
#include "output/report/report_writer.hpp"
#include "output/run_file/run_reader.hpp"
#include "tools/cli/commands.hpp"

namespace fs = std::filesystem;

namespace interdep::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: interdep report OUT.h5 [--baseline BASE.h5] [-o report.html]\n"
    "Writes one self-contained HTML file (opens with no network access): interactive charts, the\n"
    "scenario text, the event timeline, the network at a chosen time and the explain narratives.\n";

// The most --max-data-mib allows: below the 512 MiB at which Chromium's strings end, with room
// for the rest of the page.
constexpr std::size_t kMaxDataMib = 450;

// A file that cannot be read as a run result is bad input (exit status 2), said in the words
// every reader uses (missing, not HDF5, not interdep's, damaged: the reader's message says
// which), with the option that named it as typed ("--baseline FILE: ...").
RunFile read_input(const fs::path& path, const std::string& option) {
  try {
    return read_run(path);
  } catch (const OutputError& e) {
    throw UsageError(option.empty() ? std::string(e.what()) : option + " " + e.what());
  }
}

void declare_options(CommandOptions& options) {
  options.listed.add_options()("baseline", po::value<std::string>(),
                               "a baseline run to compare with")(
      "max-data-mib", po::value<Whole<std::size_t, 1, kMaxDataMib>>()->default_value({128}, "128"),
      "the most data the page holds, MiB (1..450); a world whose every frame passes it shows "
      "every k-th (browsers read the data as one string: Chromium's end at 512 MiB)")(
      "output,o", po::value<std::string>(), "the HTML file (default: <result stem>.html here)")(
      "quiet,q", "print only errors");
  options.add_positional("file", po::value<std::string>(), 1);
}

int run(const Invocation& invocation) {
  const po::variables_map& vm = invocation.options;
  if (!vm.count("file")) invocation.refuse_incomplete("report needs a result file");
  const fs::path file = vm["file"].as<std::string>();
  // An empty --baseline "" names no file: refused as any empty input path (a script's empty
  // variable must not make a report without the comparison it asked for).
  const bool has_baseline = vm.count("baseline") > 0;
  const fs::path baseline_file =
      has_baseline ? fs::path(vm["baseline"].as<std::string>()) : fs::path();
  const fs::path output = output_or(vm, file.stem().string() + ".html");
  check_output_path(output);
  const std::size_t budget_mib = whole<std::size_t, 1, kMaxDataMib>(vm, "max-data-mib");
  try {
    const RunFile result = read_input(file, "");
    RunFile baseline;
    if (has_baseline) baseline = read_input(baseline_file, "--baseline");
    const RunFile* compared = has_baseline ? &baseline : nullptr;
    // A world whose every frame would make a page browsers cannot read shows every k-th.
    const std::vector<std::size_t> shown =
        report::report_frames(result, compared, budget_mib << 20);
    const std::string html = report::render_report(result, compared, shown);
    // Said once the baseline is taken (it was printed before a baseline of other actors was
    // refused).
    if (const std::string note =
            has_baseline ? insight::different_seeds_note(result, baseline) : "";
        !note.empty() && !vm.count("quiet"))
      std::cerr << ("report: note: " + note + "\n");
    report::write_report(output, html);
    if (!vm.count("quiet")) {
      std::cout << "wrote " << output.string() << " (" << (html.size() + 1023) / 1024
                << " KiB): open it in any browser, no network needed\n";
      if (shown.size() < result.frames)
        std::cout << "  it shows " << shown.size() << " of the " << result.frames
                  << " recorded frames (one in every " << shown[1] - shown[0]
                  << ", and the last): all of them would pass the " << budget_mib
                  << " MiB a page's data may hold (--max-data-mib); record fewer frames ([output] "
                     "every) for a report of each\n";
    }
  } catch (const OutputError& e) {
    if (e.operation().rfind("read", 0) == 0) throw UsageError(e.what());  // an unreadable input
    throw;  // the report could not be written: a failure, exit status 1
  }
  return kExitOk;
}

}  // namespace

const Command kReportCommand{.name = "report",
                             .synopsis = "OUT.h5 -o F.html",
                             .summary = "one self-contained HTML report with interactive charts",
                             .usage = kUsage,
                             .declare_options = declare_options,
                             .run = run};

}  // namespace interdep::cli
