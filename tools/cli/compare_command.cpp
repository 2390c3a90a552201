// `interdep compare SCENARIO.h5 BASELINE.h5 [--top N]`: prints the ranked differences of
// engine/insight/compare.hpp.
#include <iostream>

#include "tools/cli/insight_commands.hpp"
#include "output/insight/compare.hpp"

namespace interdep::cli {

int compare_command(const CompareArguments& arguments) {
  const RunFile scenario = read_run(arguments.scenario);
  const RunFile baseline = read_run(arguments.baseline);
  std::cout << insight::render(insight::compare(scenario, baseline), arguments.top);
  return 0;
}

}  // namespace interdep::cli
