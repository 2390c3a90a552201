// placeholder: being written
#include "engine/cli/insight_commands.hpp"
#include <stdexcept>
namespace interdep::cli {
int explain_command(const ExplainArguments&) { throw std::runtime_error("explain: not built yet"); }
}  // namespace interdep::cli
