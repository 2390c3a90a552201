// `interdep report OUT.h5 [--baseline BASE.h5] -o report.html` (docs/report.md): reads the run
// (and its baseline), renders the self-contained HTML page and writes it atomically.
#include <iostream>
#include <string>

#include "tools/cli/insight_commands.hpp"
#include "engine/scenario/errors.hpp"
#include "output/run_file/run_reader.hpp"
#include "output/report/report_writer.hpp"

namespace interdep::cli {

namespace {

// A file that cannot be read as a run result is bad input (exit status 2): the message names
// the file, the option it came from and what is wrong with it.
RunFile read_input(const std::filesystem::path& path, const std::string& option) {
  try {
    return read_run(path);
  } catch (const OutputError& e) {
    throw InputError({path.string()}, option,
                     "expected an interdep run result file (.h5): " + e.operation() + ": " + e.detail());
  }
}

}  // namespace

int report_command(const ReportArguments& arguments) {
  const RunFile run = read_input(arguments.file, "");
  RunFile baseline;
  if (!arguments.baseline.empty()) baseline = read_input(arguments.baseline, "--baseline");
  const std::string html =
      report::render_report(run, arguments.baseline.empty() ? nullptr : &baseline);
  report::write_report(arguments.output, html);
  if (!arguments.quiet) {
    std::cout << "wrote " << arguments.output.string() << " (" << (html.size() + 1023) / 1024
              << " KiB): open it in any browser, no network needed\n";
  }
  return 0;
}

}  // namespace interdep::cli
