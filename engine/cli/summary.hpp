// The human-readable account of a result file, shared by `run` and `inspect`.
#pragma once

#include <cstddef>
#include <ostream>

#include "output/hdf5_reader.hpp"

namespace interdep {

// Scenario, actors, period, seed, events applied, admissions, the final table of overall
// relations and the `top` largest changes with the decision terms that drove them.
void print_summary(std::ostream& out, const RunFile& run, std::size_t top);

}  // namespace interdep
