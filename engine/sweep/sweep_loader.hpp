// Sweep files -> SweepSpec, and the list of run plans a sweep expands into.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/errors.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/sweep/design.hpp"
#include "engine/sweep/sweep_spec.hpp"

namespace interdep::sweep {

// The most runs a sweep may make (design points × replicates × policies): 10^9. A sweep's
// memory does not grow with them: the design's points are made on demand and the runs stored
// are kept as a set of blocks (RunSet; docs/sweeps.md, "Limits").
inline constexpr std::uint64_t kMaxRuns = 1'000'000'000;
// The most policies a sweep may run its design under.
inline constexpr std::size_t kMaxPolicies = 1000;

// Reads and validates a sweep file, and the scenario it names (every varied key is tried at
// the ends of its range through the scenario loader). Throws InputError with positions.
SweepSpec load_sweep(const std::filesystem::path& path);

// One run of a sweep: a design point, a replicate and a seed, as scenario overrides.
struct RunPlan {
  std::size_t index = 0;   // run index: (policy * points + point) * replicates + replicate
  std::size_t policy = 0;  // 0 without policies
  std::size_t point = 0;
  std::size_t replicate = 0;
  std::uint64_t seed = 0;              // derived from (sweep seed, index) alone
  std::vector<double> unit;            // the point on the unit hypercube (csv: natural values)
  std::vector<double> values;          // parameter values in natural units (discrete: value index)
  std::vector<std::string> overrides;  // "key=value" for the scenario loader
};

// The number of points make_design gives, without making it: saturates at 2^64 - 1.
std::uint64_t design_points(const SweepSpec& sweep);
// The number of policies every point runs under: 1 without policies.
std::size_t policy_count(const SweepSpec& sweep);

// The design on the unit hypercube (for csv: the values themselves) for this sweep, its points
// made on demand (only a csv design's table is held).
DesignPoints make_design(const SweepSpec& sweep);

// Run k's seed: a splitmix64 hash of the sweep seed and k, independent of threads and ranks.
std::uint64_t run_seed(std::uint64_t sweep_seed, std::size_t run_index);
// Replicate r's seed under seeds = "common": the same at every design point; another hash
// stream than run_seed's.
std::uint64_t replicate_seed(std::uint64_t sweep_seed, std::size_t replicate);

// Scenario overrides for parameter values in natural units (discrete: value index); the
// interest weights of actors whose weights vary are renormalised to sum to 1, keeping the
// scenario's other weights. Throws std::invalid_argument for a discrete value index that is not
// one of 0, 1, ..., values - 1 (a fraction is rounded down).
std::vector<std::string> overrides_for(const std::vector<ParameterSpec>& parameters,
                                       const ScenarioSpec& scenario,
                                       const std::vector<double>& values);

// Whether the scenario key path `key` (as for --set) sets what every run of a sweep and every
// candidate of a calibration shares: the period (time), the recording (output), the seeding
// (seed), the scenario's name or its base. Judged by its first part as --set splits it, so that
// a quoted spelling ('"time".years') is refused as the plain one is.
bool is_shared_setting(const std::string& key);

// The scenario's refusal of a run's values, `overrides` (overrides_for's, made from a sweep's or
// a calibration's parameters), in the words of that file (`whose`: "sweep", "calibration"), not
// the command line's: an error at one of the overrides (its place "--set KEY=VALUE") loses the
// place and keeps its key, or only its message when the key is `named_key` (the caller names
// that parameter already); an error in a scenario file keeps its place; and every
// "--set KEY=VALUE" in the text (a value "was set by" one) reads "the sweep's KEY = VALUE".
std::string refusal_in_words_of(const InputError& error, const std::vector<std::string>& overrides,
                                std::string_view whose, const std::string& named_key = {});

// The parameter whose --set (overrides_for's) a scenario loader's error names, or `fallback`
// when it names none of them: the one to blame when all are set at once.
std::size_t parameter_named_by(const InputError& error,
                               const std::vector<ParameterSpec>& parameters, std::size_t fallback);

// Parameter `parameter`'s value (natural units; discrete: value index) at unit coordinate `unit`
// of the sweep's design: to_value of its distribution, except that a normal parameter on grid or
// Morris levels takes the quantiles of the levels' strata centres (its ends would be infinite),
// and a csv design's values are taken as they are.
double parameter_value(const SweepSpec& sweep, std::size_t parameter, double unit);

// The plan of run `index` (0 <= index < policies * design.points * sweep.replicates): its
// policy's overrides, then its parameters'. Its seed depends on the point and replicate, not on
// the policy. `scenario` supplies the interest weights that renormalisation keeps fixed.
RunPlan plan_run(const SweepSpec& sweep, const DesignPoints& design, const ScenarioSpec& scenario,
                 std::size_t index);

}  // namespace interdep::sweep
