// Sweep files -> SweepSpec, and the list of run plans a sweep expands into.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/scenario/scenario_loader.hpp"
#include "engine/sweep/design.hpp"
#include "engine/sweep/sweep_spec.hpp"

namespace interdep::sweep {

// Reads and validates a sweep file, and the scenario it names (every varied key is tried at
// the ends of its range through the scenario loader). Throws InputError with positions.
SweepSpec load_sweep(const std::filesystem::path& path);

// One run of a sweep: a design point, a replicate and a seed, as scenario overrides.
struct RunPlan {
  std::size_t index = 0;  // run index: point * replicates + replicate
  std::size_t point = 0;
  std::size_t replicate = 0;
  std::uint64_t seed = 0;              // derived from (sweep seed, index) alone
  std::vector<double> values;          // parameter values in natural units (discrete: value index)
  std::vector<std::string> overrides;  // "key=value" for the scenario loader
};

// The design on the unit hypercube (for csv: the values themselves) for this sweep.
Design make_design(const SweepSpec& sweep);

// Run k's seed: a splitmix64 hash of the sweep seed and k, independent of threads and ranks.
std::uint64_t run_seed(std::uint64_t sweep_seed, std::size_t run_index);

// Scenario overrides for parameter values in natural units (discrete: value index); the
// interest weights of actors whose weights vary are renormalised to sum to 1, keeping the
// scenario's other weights.
std::vector<std::string> overrides_for(const std::vector<ParameterSpec>& parameters,
                                       const ScenarioSpec& scenario,
                                       const std::vector<double>& values);

// The plan of run `index` (0 <= index < design.points * sweep.replicates). `scenario` supplies
// the interest weights that renormalisation keeps fixed.
RunPlan plan_run(const SweepSpec& sweep, const Design& design, const ScenarioSpec& scenario,
                 std::size_t index);

}  // namespace interdep::sweep
