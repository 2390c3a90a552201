// placeholder: being written
#include "engine/cli/insight_commands.hpp"
#include <stdexcept>
namespace interdep::cli {
int report_command(const ReportArguments&) { throw std::runtime_error("report: not built yet"); }
}  // namespace interdep::cli
