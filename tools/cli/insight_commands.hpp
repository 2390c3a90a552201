// The explain, compare and report subcommands, apart from option parsing (tools/cli/main.cpp).
// Bad input (an unknown actor, a year outside the run, two runs that cannot be compared) is
// thrown as interdep::InputError naming the file; the caller maps it to exit status 2.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace interdep::cli {

struct ExplainArguments {
  std::filesystem::path file;     // a run result file
  std::string actor, partner;     // actor codes from --pair ACTOR:PARTNER, as typed
  std::optional<double> from, to; // decimal years; absent: the whole run
  std::string domain;             // domain key; empty: the overall relation (interest-weighted)
  std::size_t top = 5;            // terms and events listed
};

struct CompareArguments {
  std::filesystem::path scenario, baseline;  // two run result files
  std::size_t top = 10;                      // rows per ranked section
};

struct ReportArguments {
  std::filesystem::path file;      // a run result file
  std::filesystem::path baseline;  // empty: no comparison section
  std::filesystem::path output;    // the .html file
  bool quiet = false;
};

// Each returns the exit status (0 on success).
int explain_command(const ExplainArguments& arguments);
int compare_command(const CompareArguments& arguments);
int report_command(const ReportArguments& arguments);

}  // namespace interdep::cli
