// The human-readable account of a sweep file, for `interdep inspect SWEEP.h5`.
#pragma once

#include <filesystem>
#include <ostream>

namespace interdep {

// The sweep's name, design, runs and failures, then each recorded output's statistics over the
// finished runs as median [5th .. 95th percentile]. An `onset` statistic (the first time the
// output is not 0, e.g. an admission) is told as dates, with how many runs never reached it.
// Throws OutputError when `path` is not a readable sweep file.
void print_sweep_summary(std::ostream& out, const std::filesystem::path& path);

}  // namespace interdep
