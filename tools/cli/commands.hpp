// The commands of build/interdep, one file each (tools/cli/<name>_command.cpp), and the table
// that lists them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tools/cli/command.hpp"

namespace interdep::cli {

extern const Command kRunCommand;
extern const Command kValidateCommand;
extern const Command kInspectCommand;
extern const Command kSweepCommand;
extern const Command kAnalyzeCommand;
extern const Command kExportCommand;
extern const Command kDiscoverCommand;
extern const Command kCalibrateCommand;
extern const Command kScoreCommand;
extern const Command kCheckCommand;
extern const Command kExplainCommand;
extern const Command kCompareCommand;
extern const Command kReportCommand;
extern const Command kLabCommand;

// The command called `name`, or nullptr when there is none.
const Command* find_command(std::string_view name);
// The commands' names, in the table's order.
std::vector<std::string> command_names();

// `interdep --help`: what the program does, a line per command, the options and exit statuses.
std::string top_level_help();

}  // namespace interdep::cli
