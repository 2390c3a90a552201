// What a sweep produces, as plain data: one RunRecord per finished run, the layout of the
// recorded outputs, the design table and the sweep's metadata. The runner (runner.hpp) hands
// them to a RunStore; output/sweep_file writes them as shards and merges them into one file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace interdep::sweep {

// Values of a run's status (dataset /status).
inline constexpr std::uint8_t kRunPending = 0;
inline constexpr std::uint8_t kRunDone = 1;
inline constexpr std::uint8_t kRunFailed = 2;

struct RunRecord {
  std::size_t index = 0;        // run index
  std::uint8_t status = 0;      // 1 done, 2 failed
  std::string message;          // why it failed ("" when done)
  std::vector<double> summary;  // [output * statistics + statistic]; NaN for a failed run
  std::vector<double>
      series;  // [frame * outputs + output]; empty unless layout.times is non-empty; NaN for a failed run
};
// A failed run (status 2) may leave `summary` and `series` empty: they are written as NaN.

// The values a finished run can record of an output (docs/model.md): relations in [-1, 1]
// under `clamp = true`, flows and the other quantities the model keeps at 0 or above, flags 0 or
// 1; every value a number. The merge refuses a shard that holds another (damage from outside:
// shards carry no checksums).
struct OutputBounds {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
};

struct SweepLayout {
  std::size_t runs = 0;
  std::vector<std::string> parameters;  // key paths
  std::vector<std::string> outputs;     // names, e.g. "relation_overall[PAK,RUS]"
  std::vector<std::string> statistics;  // "final", "min", "max", "mean"
  std::vector<double> times;            // frame times (decimal years) of /series; empty: no series
  // Per output, the values its finished runs can record; empty: not checked (a layout read
  // back from a file). Not stored: the runner knows them from the scenario.
  std::vector<OutputBounds> bounds;
};

struct SweepMeta {  // root attributes
  std::string engine_version, created, command_line, sweep_name, sweep_description, sweep_file,
      sweep_text, scenario_file, scenario_text, design_kind, record_mode;
  std::string seeds = "per_run";  // SeedSharing's word; files before 0.3 have none: per_run
  std::uint64_t seed = 0;
  std::int64_t replicates = 1, base_samples = 0, levels = 0, every = 0;
  std::vector<std::string> renormalised;     // actors whose interest weights were renormalised
  std::vector<std::string> discrete_values;  // per parameter: "" or encode_discrete_values()
  // The sweep's policies (empty: none): names, and each one's overrides as
  // encode_discrete_values() of its "key=value" list.
  std::vector<std::string> policies, policy_overrides;
};
// discrete_values must be empty (no discrete parameter) or hold one entry per parameter;
// read_sweep always returns one entry per parameter.

struct DesignTable {  // one row per run
  std::vector<std::int64_t> point, replicate;
  std::vector<std::int64_t> policy;  // index into SweepMeta::policies; empty without policies
  std::vector<std::uint64_t> seed;
  std::vector<double>
      unit;  // [run * parameters + p], the design on the unit hypercube (csv: natural values)
  std::vector<double> value;  // [run * parameters + p], natural units (discrete: value index)
};

// The design table's rows, made on demand: a sweep writes its table a block at a time, so that
// its memory does not grow with its number of runs.
class DesignRows {
 public:
  virtual ~DesignRows() = default;
  virtual std::size_t runs() const = 0;
  virtual std::size_t parameters() const = 0;
  // Rows first .. first + count (within runs()) into `out`, replacing what it held.
  virtual void rows(std::size_t first, std::size_t count, DesignTable& out) const = 0;
};

// A design table held whole, as rows.
class DesignTableRows final : public DesignRows {
 public:
  DesignTableRows(const DesignTable& table, std::size_t parameters)
      : table_(table), parameters_(parameters) {}
  std::size_t runs() const override { return table_.point.size(); }
  std::size_t parameters() const override { return parameters_; }
  void rows(std::size_t first, std::size_t count, DesignTable& out) const override;

 private:
  const DesignTable& table_;
  std::size_t parameters_;
};

}  // namespace interdep::sweep
