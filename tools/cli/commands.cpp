#include "tools/cli/commands.hpp"

#include <array>

namespace interdep::cli {
namespace {

// In the order `interdep --help` lists them.
constexpr std::array kCommands = {
    &kRunCommand,     &kValidateCommand, &kInspectCommand,   &kSweepCommand, &kAnalyzeCommand,
    &kExportCommand,  &kDiscoverCommand, &kCalibrateCommand, &kScoreCommand, &kCheckCommand,
    &kExplainCommand, &kCompareCommand,  &kReportCommand,    &kLabCommand};

// A line of a two-column list: `term` from column 3, `description` from column 27. A term that
// reaches column 27 keeps three spaces before its description.
std::string help_line(std::string_view term, std::string_view description) {
  constexpr std::size_t kDescriptionStart = 26;
  std::string line = "  " + std::string(term);
  line.append(line.size() < kDescriptionStart ? kDescriptionStart - line.size() : 3, ' ');
  return line.append(description).append("\n");
}

}  // namespace

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const Command* command : kCommands) names.emplace_back(command->name);
  return names;
}

const Command* find_command(std::string_view name) {
  for (const Command* command : kCommands)
    if (command->name == name) return command;
  return nullptr;
}

std::string top_level_help() {
  std::string help =
      "interdep: simulate relations between states under scenarios written in TOML.\n"
      "\n"
      "Usage: interdep <command> [options]\n"
      "\n"
      "Commands:\n";
  for (const Command* command : kCommands)
    help += help_line(std::string(command->name) + " " + std::string(command->synopsis),
                      command->summary);
  help +=
      "\n"
      "Options:\n" +
      help_line("-h, --help", "this text; 'interdep <command> --help' for a command's options") +
      help_line("--version", "print the version and the matrix products' kernel") +
      "\n"
      "Exit status: 0 success, 2 bad input, 1 other failure, 130 interrupted.\n";
  return help;
}

}  // namespace interdep::cli
