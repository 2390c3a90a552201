// `interdep explain OUT.h5 --pair A:B [--from Y] [--to Y] [--domain D] [--top N]`: prints the
// plain-language account of output/insight/explain.hpp for one directed relation.
#include <iostream>

#include "tools/cli/insight_commands.hpp"
#include "output/insight/explain.hpp"

namespace interdep::cli {

int explain_command(const ExplainArguments& arguments) {
  const RunFile run = read_run(arguments.file);
  insight::ExplainQuery query;
  query.actor = insight::actor_index(run, arguments.actor, "--pair");
  query.partner = insight::actor_index(run, arguments.partner, "--pair");
  query.from = arguments.from;
  query.to = arguments.to;
  if (!arguments.domain.empty()) query.domain = insight::domain_index(run, arguments.domain, "--domain");
  query.top = arguments.top;
  const insight::Explanation explanation = insight::explain(run, query);
  std::cout << "Run '" << run.scenario_name << "' (" << arguments.file.string() << ", seed "
            << run.metadata.seed << ")\n"
            << explanation.text;
  return 0;
}

}  // namespace interdep::cli
