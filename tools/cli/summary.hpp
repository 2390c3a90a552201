// The human-readable account of a result file, shared by `run` and `inspect`.
#pragma once

#include <cstddef>
#include <ostream>

#include "output/run_file/run_reader.hpp"

namespace interdep {

// Scenario, actors, period, seed, events applied, admissions, the final table of overall
// relations, the `top` largest changes with the decision terms that drove them, and
// print_dependence.
void print_summary(std::ostream& out, const RunFile& run, std::size_t top);

// The /network group in a few lines (nothing when the file has none): camps, frustrated ties,
// balanced triads and the top broker at the first and last frame, corridor edges that opened or
// closed, and actor routes that changed.
void print_network(std::ostream& out, const RunFile& run);

// The /observed group (nothing when the file has none): each observed figure against the run's
// value, with z = (simulated - observed) / uncertainty (printed by print_summary).
void print_observations(std::ostream& out, const RunFile& run);

// The `top` largest leverages at the end by channel, and every gas shortfall (printed by
// print_summary).
void print_dependence(std::ostream& out, const RunFile& run, std::size_t top);

}  // namespace interdep
