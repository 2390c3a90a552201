// placeholder: being written
#include "engine/cli/insight_commands.hpp"
#include <stdexcept>
namespace interdep::cli {
int compare_command(const CompareArguments&) { throw std::runtime_error("compare: not built yet"); }
}  // namespace interdep::cli
