// The longest run a scenario may ask for and the most steps a year: the loader refuses more
// (build_time.cpp), and a run file that states more was damaged (output/run_file).
#pragma once

#include <cstdint>

namespace interdep {

// Steps: beyond it even the smallest recording needs ~1 TB.
inline constexpr std::int64_t kMaxRunSteps = 100'000'000;
inline constexpr std::int64_t kMaxStepsPerYear = 1'000'000;

}  // namespace interdep
