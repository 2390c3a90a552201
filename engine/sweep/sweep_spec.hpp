// A parameter sweep as plain data (docs/sweeps.md): which scenario, which keys vary and how,
// which design, how many replicates, what to record. Parsed once from TOML and frozen; the
// runs are a list of run plans derived from it (FLAME GPU 2's ensembles).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/run/quantity.hpp"
#include "engine/run/recorded_datasets.hpp"
#include "engine/scenario/enum_names.hpp"
#include "engine/sweep/distribution.hpp"

namespace interdep::sweep {

struct ParameterSpec {
  std::string key;  // scenario key path, e.g. "actors.PAK.risk"
  ParameterDistribution distribution;
  std::vector<std::string> values;  // discrete: TOML literals, e.g. "0.5", "\"rk4\""
};

// A policy: a named setting of the scenario's levers (EMA Workbench's policies), as overrides
// applied before the design's parameters. A sweep with policies runs every design point and
// replicate under each policy, on the same seeds, so that policies meet the same uncertainties.
struct PolicySpec {
  std::string name;
  std::vector<std::string> overrides;  // "key=value", the value a TOML literal
};

enum class DesignKind { grid, lhs, saltelli, morris, csv };

struct DesignSpec {
  DesignKind kind = DesignKind::lhs;
  std::size_t samples = 100;  // lhs: points; saltelli: base samples N; morris: trajectories r
  std::size_t levels = 4;     // grid: points per continuous parameter; morris: grid levels p
  std::filesystem::path csv;  // csv: design matrix, one column per key path, natural units
  std::vector<double> table;  // csv: its rows as read by the loader, row-major, natural units
};

// How runs get their seeds: each its own (per_run), or replicate r's seed shared by every design
// point (common: common random numbers, so that points differ by their parameters, not by their
// noise; the default for Saltelli and Morris designs).
enum class SeedSharing { per_run, common };

enum class RecordMode { summary, every, full };
// Summary statistics of an output over a run's frames. onset: the first recorded time (decimal
// year) at which the output is not 0, NaN when it stays 0 throughout (e.g. the date an actor
// becomes a member, or never).
enum class Statistic { final, min, max, mean, onset };
enum class FailurePolicy { keep_going, stop };

// One recorded output: a dataset of the run and its coordinates, e.g.
// relation_overall[PAK,RUS] (engine/run/quantity.hpp).
using OutputSpec = Quantity;

struct SweepSpec {
  std::string name;
  std::string description;
  std::filesystem::path source_path;         // the sweep file
  std::string text;                          // the sweep file's text, stored in the result
  std::filesystem::path scenario;            // the base scenario, resolved against the sweep file
  std::uint64_t seed = 1;                    // run k's seed is derived from (seed, k), or (seed, r)
  std::size_t replicates = 1;                // runs per design point
  SeedSharing seeds = SeedSharing::per_run;  // the loader's default: common for saltelli, morris
  std::vector<ParameterSpec> parameters;
  std::vector<PolicySpec> policies;  // none: the scenario as it is (one policy, unnamed)
  DesignSpec design;
  RecordMode record = RecordMode::summary;
  std::int64_t every = 12;  // record every k-th step (mode "every")
  std::vector<OutputSpec> outputs;
  std::vector<Statistic> statistics = {Statistic::final, Statistic::min, Statistic::max,
                                       Statistic::mean};
  FailurePolicy failure = FailurePolicy::keep_going;
  std::vector<std::string> renormalised;  // actors whose varied interest weights are renormalised
};

// The words of the sweep file and the sweep result for each enum (engine/scenario/enum_names.hpp
// has name_of, parse and name_list); the order is the order error messages list them in.

constexpr EnumNames<Distribution, 4> enum_names(Distribution) {
  return {{{Distribution::uniform, "uniform"},
           {Distribution::normal, "normal"},
           {Distribution::loguniform, "loguniform"},
           {Distribution::discrete, "discrete"}}};
}

constexpr EnumNames<DesignKind, 5> enum_names(DesignKind) {
  return {{{DesignKind::grid, "grid"},
           {DesignKind::lhs, "lhs"},
           {DesignKind::saltelli, "saltelli"},
           {DesignKind::morris, "morris"},
           {DesignKind::csv, "csv"}}};
}

constexpr EnumNames<SeedSharing, 2> enum_names(SeedSharing) {
  return {{{SeedSharing::per_run, "per_run"}, {SeedSharing::common, "common"}}};
}

constexpr EnumNames<RecordMode, 3> enum_names(RecordMode) {
  return {
      {{RecordMode::summary, "summary"}, {RecordMode::every, "every"}, {RecordMode::full, "full"}}};
}

constexpr EnumNames<Statistic, 5> enum_names(Statistic) {
  return {{{Statistic::final, "final"},
           {Statistic::min, "min"},
           {Statistic::max, "max"},
           {Statistic::mean, "mean"},
           {Statistic::onset, "onset"}}};
}

// on_failure = "continue" keeps going past a failed run; "stop" ends the sweep after it.
constexpr EnumNames<FailurePolicy, 2> enum_names(FailurePolicy) {
  return {{{FailurePolicy::keep_going, "continue"}, {FailurePolicy::stop, "stop"}}};
}

}  // namespace interdep::sweep
