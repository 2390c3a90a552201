// Reading a merged sweep file back: its layout, metadata, design, statuses and messages
// (read_sweep), one summary column (read_summary), one run's series (read_series), and every
// run's rows a block at a time (SweepRunReader).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/sweep/discrete_values.hpp"
#include "engine/sweep/sweep_spec.hpp"
#include "engine/text/text_format.hpp"
#include "output/hdf5/attributes.hpp"
#include "output/hdf5/datasets.hpp"
#include "output/hdf5/hdf5_handle.hpp"
#include "output/sweep_file/sweep_file.hpp"
#include "output/sweep_file/sweep_internal.hpp"

namespace interdep::sweep {

namespace fs = std::filesystem;
using h5::Handle;
using namespace detail;

namespace detail {

// The file's conventions attribute must be `expected`.
void check_conventions(hid_t root, const fs::path& path, std::string_view expected,
                       const char* kind) {
  std::string found;
  if (h5::has_attribute(root, "conventions"))
    found = h5::read_string_attribute(root, "conventions", path, kDamaged);
  if (found == expected) return;
  std::string reason = std::string("not ") + kind + " (root attribute conventions is ";
  reason += found.empty() ? std::string("missing") : "\"" + found + "\"";
  reason += ", expected \"" + std::string(expected) + "\")";
  if (found == "interdep-1")
    reason +=
        "; it is the result of a single run: inspect, explain, compare, report, score and "
        "tools/plot read it";
  if (found.rfind("interdep-sweep-shard-", 0) == 0 && expected != found)
    reason += "; " + unfinished_sweep_shard(path);
  throw OutputError(path, "open", reason);
}

OpenSweep open_sweep(const fs::path& path) {
  OpenSweep s;
  s.file = h5::open_file(path, H5F_ACC_RDONLY, path, "a sweep file");
  s.root = h5::root_group(s.file.get(), path);
  check_conventions(s.root.get(), path, kSweepConventions, "a sweep file");
  return s;
}

std::size_t dimension_length(hid_t loc, const char* name, const fs::path& path) {
  return h5::length_of(h5::open_dataset(loc, name, path, kDamaged), path);
}

}  // namespace detail

namespace {

// The layout and metadata of the open sweep `root` (read_sweep_head).
void read_head(hid_t root, const fs::path& path, SweepFile& f) {
  SweepLayout& l = f.layout;
  l.runs = dimension_length(root, "run", path);
  l.parameters = h5::read_all_strings(root, "parameter",
                                      {dimension_length(root, "parameter", path)}, path, kDamaged);
  l.outputs = h5::read_all_strings(root, "output", {dimension_length(root, "output", path)}, path,
                                   kDamaged);
  l.statistics = h5::read_all_strings(root, "statistic",
                                      {dimension_length(root, "statistic", path)}, path, kDamaged);
  if (h5::has_link(root, "time")) {
    l.times =
        h5::read_all<double>(root, "time", {dimension_length(root, "time", path)}, path, kDamaged);
    // The series' frames, as a run records them: finite times in increasing order (readers find
    // a frame by its time).
    for (std::size_t k = 0; k < l.times.size(); ++k)
      if (!std::isfinite(l.times[k]) || (k > 0 && l.times[k] <= l.times[k - 1]))
        throw OutputError(path, "read dataset /time",
                          "element " + num(k) + " is " + exact_number(l.times[k]) +
                              (std::isfinite(l.times[k]) ? ", not after the one before" : "") +
                              " (a damaged file)");
  }
  const std::size_t parameters = l.parameters.size();

  SweepMeta& m = f.meta;
  const std::pair<const char*, std::string*> strings[] = {
      {"engine_version", &m.engine_version},
      {"created", &m.created},
      {"command_line", &m.command_line},
      {"sweep_name", &m.sweep_name},
      {"sweep_description", &m.sweep_description},
      {"sweep_file", &m.sweep_file},
      {"sweep_text", &m.sweep_text},
      {"scenario_file", &m.scenario_file},
      {"scenario_text", &m.scenario_text},
      {"design_kind", &m.design_kind},
      {"record_mode", &m.record_mode},
  };
  for (const auto& [name, value] : strings)
    *value = h5::read_string_attribute(root, name, path, kDamaged);
  // Since 0.3; a sweep written before shared no seeds.
  m.seeds = h5::has_attribute(root, "seeds")
                ? h5::read_string_attribute(root, "seeds", path, kDamaged)
                : std::string("per_run");
  m.seed = h5::read_number_attribute<std::uint64_t>(root, "seed", path, kDamaged);
  m.replicates = h5::read_number_attribute<std::int64_t>(root, "replicates", path, kDamaged);
  m.base_samples = h5::read_number_attribute<std::int64_t>(root, "base_samples", path, kDamaged);
  m.levels = h5::read_number_attribute<std::int64_t>(root, "levels", path, kDamaged);
  m.every = h5::read_number_attribute<std::int64_t>(root, "every", path, kDamaged);
  m.renormalised = h5::read_strings_attribute(root, "renormalised", path, kDamaged);
  m.discrete_values = h5::read_strings_attribute(root, "discrete_values", path, kDamaged);
  if (m.discrete_values.size() != parameters) {
    throw OutputError(path, "read attribute discrete_values",
                      "has " + num(m.discrete_values.size()) +
                          " values, expected one per parameter (" + num(parameters) + ")");
  }

  // Words and counts a sweep writes from its spec's name tables (sweep_spec.hpp): another is
  // damage, refused here by every reader, not by the analyses alone.
  const auto refuse = [&](const char* name, const std::string& what) {
    throw OutputError(path, std::string("read attribute ") + name, what + " (a damaged file)");
  };
  // ("" is a file the library wrote without saying: the analyses refuse what they need.)
  if (!m.design_kind.empty() && !parse<DesignKind>(m.design_kind))
    refuse("design_kind", "is '" + m.design_kind + "', not a design interdep makes");
  if (!m.seeds.empty() && !parse<SeedSharing>(m.seeds))
    refuse("seeds", "is '" + m.seeds + "', not a way of seeding");
  if (!m.record_mode.empty() && !parse<RecordMode>(m.record_mode))
    refuse("record_mode", "is '" + m.record_mode + "', not a record mode");
  if (m.replicates < 1)
    refuse("replicates", "is " + std::to_string(m.replicates) + ", not a count of runs a point");
  // (0: a file the library wrote from a SweepMeta that did not say, as base_samples and levels.)
  if (m.every < 0) refuse("every", "is " + std::to_string(m.every) + ", not a count of steps");
  if (m.base_samples < 0)
    refuse("base_samples", "is " + std::to_string(m.base_samples) + ", not a count of samples");
  if (m.levels < 0) refuse("levels", "is " + std::to_string(m.levels) + ", not a count of levels");

  // Since 0.3, and only in sweeps with policies.
  if (h5::has_attribute(root, "policies")) {
    m.policies = h5::read_strings_attribute(root, "policies", path, kDamaged);
    m.policy_overrides = h5::read_strings_attribute(root, "policy_overrides", path, kDamaged);
    if (m.policy_overrides.size() != m.policies.size() || m.policies.empty())
      throw OutputError(path, "read attribute policy_overrides",
                        "has " + num(m.policy_overrides.size()) + " values for " +
                            num(m.policies.size()) + " policies");
  }

  // Names a sweep writes once each (its loader refuses a name given twice): a reader looks a
  // name up and takes the first (analyze --output), an export writes a column per name.
  const auto unique = [&](const std::string& operation, const std::vector<std::string>& names) {
    std::vector<std::size_t> order(names.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return names[a] < names[b]; });
    for (std::size_t k = 1; k < order.size(); ++k)
      if (names[order[k]] == names[order[k - 1]])
        throw OutputError(path, operation,
                          "elements " + num(order[k - 1]) + " and " + num(order[k]) +
                              " are both '" + names[order[k]] +
                              "': a sweep names each once (a damaged file)");
  };
  unique("read dataset /parameter", l.parameters);
  unique("read dataset /output", l.outputs);
  unique("read dataset /statistic", l.statistics);
  unique("read attribute policies", m.policies);
  for (std::size_t k = 0; k < l.statistics.size(); ++k)
    if (!parse<Statistic>(l.statistics[k]))
      throw OutputError(path, "read dataset /statistic",
                        "element " + num(k) + " is '" + l.statistics[k] +
                            "', not a statistic interdep computes (a damaged file)");

  // Counts checked against what they count: the runs are policies x points x replicates.
  // (inspect printed "4611686018427387904 per point".)
  const std::size_t runs = l.runs, groups = std::max<std::size_t>(1, m.policies.size());
  constexpr std::int64_t kMostReplicates = 1'000'000;  // the sweep loader's bound
  if (runs > 0 ? static_cast<std::uint64_t>(m.replicates) > runs ||
                     runs % (static_cast<std::size_t>(m.replicates) * groups) != 0
               : m.replicates > kMostReplicates)
    refuse("replicates", "is " + std::to_string(m.replicates) + ", which does not divide the " +
                             num(runs) + " runs" +
                             (groups > 1 ? " of " + num(groups) + " policies" : std::string()) +
                             " into design points");
  const std::size_t points =
      runs > 0 ? runs / (static_cast<std::size_t>(m.replicates) * groups) : 0;
  const std::optional<DesignKind> kind = parse<DesignKind>(m.design_kind);
  const bool sampled = kind == DesignKind::saltelli || kind == DesignKind::morris;
  // A Saltelli design's base sample is k + 2 points, a Morris trajectory k + 1 (0: a file the
  // library wrote without saying).
  if (m.base_samples > 0) {
    const std::size_t each = kind == DesignKind::saltelli ? parameters + 2 : parameters + 1;
    const bool fits =
        static_cast<std::uint64_t>(m.base_samples) <= std::max<std::size_t>(points, 1) &&
        (!sampled || runs == 0 || static_cast<std::size_t>(m.base_samples) * each == points);
    if (!fits)
      refuse("base_samples",
             "is " + std::to_string(m.base_samples) + ", and the sweep has " + num(points) +
                 " design points" +
                 (sampled ? " of " + num(parameters) + " parameters (" + num(each) + " a sample)"
                          : std::string()));
  }
  // A grid's points: every level of each continuous parameter, every value of each discrete
  // one. Other designs: the loader's bounds (a Morris grid's levels).
  constexpr std::int64_t kMostLevels = 1000;
  if (m.levels > kMostLevels)
    refuse("levels", "is " + std::to_string(m.levels) + ", more than a sweep's " +
                         std::to_string(kMostLevels));
  if (kind == DesignKind::grid && m.levels > 0 && runs > 0) {
    std::size_t grid = 1;
    for (std::size_t p = 0; p < parameters && grid <= points; ++p) {
      const std::size_t values = decode_discrete_values(m.discrete_values[p]).size();
      grid *= values > 0 ? values : static_cast<std::size_t>(m.levels);
    }
    if (grid != points)
      refuse("levels", "is " + std::to_string(m.levels) + ", and the grid of " + num(parameters) +
                           " parameters has " + num(points) + " points");
  }
  // Steps between recorded frames (the scenario's bound is a 32-bit count).
  if (m.every > std::numeric_limits<std::int32_t>::max())
    refuse("every", "is " + std::to_string(m.every) + ", not a count of steps between frames");
}

// A run's design point and replicate as a sweep numbers them: a point among the runs, a
// replicate below the sweep's replicates (an export or a rerun would otherwise name point -1).
void check_points(const std::int64_t* point, const std::int64_t* replicate, std::size_t n,
                  std::size_t first, std::size_t runs, std::int64_t replicates,
                  const fs::path& path) {
  for (std::size_t r = 0; r < n; ++r) {
    if (point[r] < 0 || static_cast<std::size_t>(point[r]) >= runs)
      throw OutputError(path, "read dataset /design/point",
                        "run " + num(first + r) + " has point " + std::to_string(point[r]) +
                            ", outside [0, " + num(runs) + ") (a damaged file)");
    if (replicate[r] < 0 || replicate[r] >= replicates)
      throw OutputError(path, "read dataset /design/replicate",
                        "run " + num(first + r) + " has replicate " + std::to_string(replicate[r]) +
                            " of " + std::to_string(replicates) + " (a damaged file)");
  }
}

// A policy index read from /design/policy must name one of the sweep's policies.
void check_policies(const std::int64_t* policy, std::size_t n, std::size_t policies,
                    const fs::path& path) {
  for (std::size_t r = 0; r < n; ++r)
    if (policy[r] < 0 || static_cast<std::size_t>(policy[r]) >= policies)
      throw OutputError(path, "read dataset /design/policy",
                        "holds " + std::to_string(policy[r]) + " of " + num(policies) +
                            " policies (a damaged file)");
}

// The design as a sweep writes it: every unit coordinate and value a finite number (designs
// and CSV tables hold nothing else), a discrete parameter's value an index of its values. A
// damaged file is refused as it is read, before scenario discovery, the analyses, an export or
// a rerun take its numbers for parameter values.
class DesignCheck {
 public:
  DesignCheck(const SweepFile& head, fs::path path)
      : path_(std::move(path)),
        parameters_(head.layout.parameters),
        discrete_(parameters_.size(), 0) {
    for (std::size_t p = 0; p < parameters_.size() && p < head.meta.discrete_values.size(); ++p)
      discrete_[p] = decode_discrete_values(head.meta.discrete_values[p]).size();
  }
  // `values`: runs first, first + 1, ... of /design/`dataset` ([run][parameter]); the discrete
  // parameters' indices are checked in "value".
  void check(const char* dataset, const std::vector<double>& values, std::size_t first) const {
    const std::size_t k = parameters_.size();
    const bool indices = std::string_view(dataset) == "value";
    for (std::size_t e = 0; e < values.size(); ++e) {
      const double v = values[e];
      const std::size_t count = indices ? discrete_[e % k] : 0;
      if (!std::isfinite(v))
        refuse(dataset, first + e / k, e % k, exact_number(v) + " is not a finite number");
      if (count > 0 && (v < 0.0 || v >= static_cast<double>(count) || v != std::floor(v)))
        refuse(dataset, first + e / k, e % k,
               shortest_number(v) + " is not the index of one of its " + num(count) + " values");
    }
  }

 private:
  [[noreturn]] void refuse(const char* dataset, std::size_t run, std::size_t parameter,
                           const std::string& what) const {
    throw OutputError(path_, std::string("read dataset /design/") + dataset,
                      "run " + num(run) + ", parameter " + parameters_[parameter] + ": " + what +
                          " (a damaged file)");
  }
  fs::path path_;
  std::vector<std::string> parameters_;
  std::vector<std::size_t> discrete_;  // each parameter's number of values; 0: continuous
};

// Statuses of runs first, first + 1, ...: a merged sweep holds every run, done or failed.
void check_statuses(const std::uint8_t* status, std::size_t count, std::size_t first,
                    const fs::path& path) {
  for (std::size_t k = 0; k < count; ++k)
    if (status[k] != kRunDone && status[k] != kRunFailed)
      throw OutputError(path, "read dataset /status",
                        "run " + num(first + k) + " holds status " + std::to_string(status[k]) +
                            ", neither 1 (done) nor 2 (failed) (a damaged file)");
}

// A finished run's summary as the runner computes it: every statistic a number, but an onset,
// which is NaN when the output never left 0 (a failed run's are NaN). A file whose finished runs
// hold another was damaged: inspect printed empty lines for a summary of NaN.
void check_done_summary(const fs::path& path, std::size_t run, double value,
                        const std::string& output, const std::string& statistic) {
  if (statistic == "onset" ? !std::isinf(value) : std::isfinite(value)) return;
  throw OutputError(path, "read dataset /summary",
                    "run " + num(run) + " finished, but its " + statistic + " of " + output +
                        " is " + exact_number(value) +
                        ", which no finished run records (a damaged file)");
}

// Every finished run's summary (check_done_summary), a block of rows at a time, as the file is
// read: inspect printed its head before the first summary it could not describe.
void check_summaries(hid_t root, const SweepFile& f, const fs::path& path) {
  const SweepLayout& l = f.layout;
  const std::size_t statistics = l.statistics.size(), width = l.outputs.size() * statistics;
  if (width == 0 || l.runs == 0) return;
  const h5::Dataset ds = h5::open_dataset(root, "summary", path, kDamaged);
  h5::require_shape(ds, std::vector<hsize_t>{l.runs, l.outputs.size(), statistics}, path);
  const std::size_t block =
      std::max<std::size_t>(1, std::min(l.runs, kBlockBytes / (width * sizeof(double))));
  std::vector<double> rows(block * width);
  for (std::size_t a = 0; a < l.runs; a += block) {
    const std::size_t n = std::min(block, l.runs - a);
    h5::read_rows(ds, a, n, rows.data(), path);
    for (std::size_t r = 0; r < n; ++r)
      if (f.status[a + r] == kRunDone)
        for (std::size_t k = 0; k < width; ++k)
          check_done_summary(path, a + r, rows[r * width + k], l.outputs[k / statistics],
                             l.statistics[k % statistics]);
  }
}

}  // namespace

SweepFile read_sweep_head(const fs::path& path) {
  const h5::ErrorSilencer silence;
  const OpenSweep s = open_sweep(path);
  SweepFile f;
  read_head(s.root.get(), path, f);
  return f;
}

SweepFile read_sweep(const fs::path& path) {
  const h5::ErrorSilencer silence;
  const OpenSweep s = open_sweep(path);
  const hid_t root = s.root.get();
  SweepFile f;
  read_head(root, path, f);
  const SweepMeta& m = f.meta;
  const std::size_t runs = f.layout.runs, parameters = f.layout.parameters.size();
  const Handle group = h5::open_group(root, "design", path, kDamaged);
  const hid_t g = group.get();
  if (!m.policies.empty()) {
    f.design.policy = h5::read_all<std::int64_t>(g, "policy", {runs}, path, kDamaged);
    check_policies(f.design.policy.data(), runs, m.policies.size(), path);
  }
  f.design.point = h5::read_all<std::int64_t>(g, "point", {runs}, path, kDamaged);
  f.design.replicate = h5::read_all<std::int64_t>(g, "replicate", {runs}, path, kDamaged);
  check_points(f.design.point.data(), f.design.replicate.data(), runs, 0, runs, m.replicates, path);
  f.design.seed = h5::read_all<std::uint64_t>(g, "seed", {runs}, path, kDamaged);
  f.design.unit = h5::read_all<double>(g, "unit", {runs, parameters}, path, kDamaged);
  f.design.value = h5::read_all<double>(g, "value", {runs, parameters}, path, kDamaged);
  const DesignCheck design(f, path);
  design.check("unit", f.design.unit, 0);
  design.check("value", f.design.value, 0);

  f.status = h5::read_all<std::uint8_t>(root, "status", {runs}, path, kDamaged);
  check_statuses(f.status.data(), f.status.size(), 0, path);
  f.message = h5::read_all_strings(root, "message", {runs}, path, kDamaged);
  check_summaries(root, f, path);
  return f;
}

SweepFailures read_failures(const fs::path& path, std::size_t messages) {
  constexpr std::size_t kStatusBlock = 64 * 1024;  // runs read at once: 64 KiB of statuses
  const h5::ErrorSilencer silence;
  const OpenSweep s = open_sweep(path);
  const hid_t root = s.root.get();
  const std::size_t runs = dimension_length(root, "run", path);
  const h5::Dataset status = h5::open_dataset(root, "status", path, kDamaged);
  h5::require_shape(status, {runs}, path);
  SweepFailures out;
  std::vector<std::uint8_t> block(std::min(runs, kStatusBlock));
  for (std::size_t first = 0; first < runs; first += kStatusBlock) {
    const std::size_t rows = std::min(kStatusBlock, runs - first);
    h5::read_rows(status, first, rows, block.data(), path);
    check_statuses(block.data(), rows, first, path);
    for (std::size_t k = 0; k < rows; ++k) {
      if (block[k] != kRunFailed) continue;
      if (out.runs.size() < messages) out.runs.push_back(first + k);
      ++out.failed;
    }
  }
  if (!out.runs.empty()) {
    const h5::Dataset message = h5::open_dataset(root, "message", path, kDamaged);
    h5::require_shape(message, {runs}, path);
    out.messages = h5::read_string_points(
        message, std::vector<hsize_t>(out.runs.begin(), out.runs.end()), path);
  }
  return out;
}

std::vector<double> read_summary(const fs::path& path, std::size_t output, std::size_t statistic) {
  const h5::ErrorSilencer silence;
  const OpenSweep s = open_sweep(path);
  const h5::Dataset ds = h5::open_dataset(s.root.get(), "summary", path, kDamaged);
  const std::vector<hsize_t> shape = h5::shape_of(ds, path);
  const std::string operation = "read dataset /summary";
  if (shape.size() != 3) throw OutputError(path, operation, "expected 3 dimensions");
  // One row a run: the callers pair the values with the design's runs by index.
  const std::size_t file_runs = dimension_length(s.root.get(), "run", path);
  if (shape[0] != file_runs)
    throw OutputError(path, operation,
                      "holds " + std::to_string(shape[0]) + " rows for the file's " +
                          std::to_string(file_runs) + " runs (a damaged file)");
  if (output >= shape[1] || statistic >= shape[2]) {
    throw OutputError(path, operation,
                      "output " + num(output) + ", statistic " + num(statistic) +
                          " is out of range (" + std::to_string(shape[1]) + " outputs, " +
                          std::to_string(shape[2]) + " statistics)");
  }
  // Whole rows a block at a time (a strided selection is slow), about kBlockBytes each.
  const std::size_t runs = static_cast<std::size_t>(shape[0]);
  const std::size_t width = static_cast<std::size_t>(shape[1] * shape[2]);
  const std::size_t column = output * static_cast<std::size_t>(shape[2]) + statistic;
  const std::size_t block =
      std::max<std::size_t>(1, std::min(runs, kBlockBytes / (width * sizeof(double))));
  std::vector<double> values(runs), rows(std::min(runs, block) * width);
  for (std::size_t a = 0; a < runs; a += block) {
    const std::size_t n = std::min(block, runs - a);
    h5::read_rows(ds, a, n, rows.data(), path);
    for (std::size_t k = 0; k < n; ++k) values[a + k] = rows[k * width + column];
  }
  // The finished runs' values (status: 1 byte a run).
  const hid_t root = s.root.get();
  const std::vector<std::uint8_t> status =
      h5::read_all<std::uint8_t>(root, "status", {runs}, path, kDamaged);
  const std::vector<std::string> outputs = h5::read_all_strings(
      root, "output", {dimension_length(root, "output", path)}, path, kDamaged);
  const std::vector<std::string> statistics = h5::read_all_strings(
      root, "statistic", {dimension_length(root, "statistic", path)}, path, kDamaged);
  if (output >= outputs.size() || statistic >= statistics.size())
    throw OutputError(path, operation, "its outputs or statistics do not match /summary's shape");
  for (std::size_t r = 0; r < runs; ++r)
    if (status[r] == kRunDone)
      check_done_summary(path, r, values[r], outputs[output], statistics[statistic]);
  return values;
}

std::vector<double> read_series(const fs::path& path, std::size_t run) {
  const h5::ErrorSilencer silence;
  const OpenSweep s = open_sweep(path);
  const std::string operation = "read dataset /series";
  if (!h5::has_link(s.root.get(), "series")) {
    throw OutputError(path, operation, "the sweep recorded no series (record mode \"summary\")");
  }
  const hid_t root = s.root.get();
  const h5::Dataset ds = h5::open_dataset(root, "series", path, kDamaged);
  // (run, time, output): callers index a run's values by the file's times and outputs.
  const std::vector<hsize_t> shape{dimension_length(root, "run", path),
                                   dimension_length(root, "time", path),
                                   dimension_length(root, "output", path)};
  h5::require_shape(ds, shape, path);
  if (run >= shape[0]) {
    throw OutputError(
        path, operation,
        "run " + num(run) + " is out of range (" + std::to_string(shape[0]) + " runs)");
  }
  std::vector<double> values(static_cast<std::size_t>(shape[1] * shape[2]));
  h5::read_rows(ds, run, 1, values.data(), path);
  // A finished run recorded only numbers (a value that was not one fails the run): NaN or
  // infinity in one is damage, not a figure to score (a failed run's series are NaN).
  const h5::Dataset status = h5::open_dataset(root, "status", path, kDamaged);
  h5::require_shape(status, {shape[0]}, path);
  std::uint8_t run_status = 0;
  h5::read_rows(status, run, 1, &run_status, path);
  if (run_status == kRunDone)
    for (std::size_t k = 0; k < values.size(); ++k)
      if (!std::isfinite(values[k]))
        throw OutputError(path, operation,
                          "run " + num(run) + " finished, but its value " + num(k) + " is " +
                              exact_number(values[k]) +
                              ", which no finished run records (a damaged file)");
  return values;
}

struct SweepRunReader::Open {
  Open(const SweepFile& head, const fs::path& path)
      : check(head, path), outputs(head.layout.outputs), statistics(head.layout.statistics) {}
  DesignCheck check;
  std::vector<std::string> outputs, statistics;
  OpenSweep sweep;
  h5::Handle design;
  h5::Dataset policy, point, replicate, seed, value, status, message, summary, series;
};

SweepRunReader::SweepRunReader(fs::path path, const SweepFile& head, bool series)
    : path_(std::move(path)),
      runs_(head.layout.runs),
      parameters_(head.layout.parameters.size()),
      policies_(head.meta.policies.size()),
      summary_width_(summary_width(head.layout)),
      series_width_(series ? series_width(head.layout) : 0),
      replicates_(head.meta.replicates) {
  const h5::ErrorSilencer silence;
  open_ = std::make_unique<Open>(head, path_);
  Open& o = *open_;
  o.sweep = open_sweep(path_);
  const hid_t root = o.sweep.root.get();
  const fs::path& p = path_;
  const auto runs = static_cast<hsize_t>(runs_);
  auto open = [&](hid_t loc, const char* name, std::vector<hsize_t> shape) {
    h5::Dataset ds = h5::open_dataset(loc, name, p, kDamaged);
    h5::require_shape(ds, shape, p);
    return ds;
  };
  o.design = h5::open_group(root, "design", p, kDamaged);
  const hid_t g = o.design.get();
  if (policies_ > 0) o.policy = open(g, "policy", {runs});
  o.point = open(g, "point", {runs});
  o.replicate = open(g, "replicate", {runs});
  o.seed = open(g, "seed", {runs});
  o.value = open(g, "value", {runs, parameters_});
  o.status = open(root, "status", {runs});
  o.message = open(root, "message", {runs});
  if (summary_width_ > 0)
    o.summary =
        open(root, "summary", {runs, head.layout.outputs.size(), head.layout.statistics.size()});
  if (series) {
    if (!h5::has_link(root, "series"))
      throw OutputError(
          path_, "read dataset /series",
          "the sweep recorded no series (record mode \"" + head.meta.record_mode + "\")");
    o.series = open(root, "series", {runs, head.layout.times.size(), head.layout.outputs.size()});
  }
  // Whole chunks of the series (kRunsPerChunk runs at most, a power of two: chunks hold a power
  // of two of runs), about kBlockBytes of the widest table.
  const std::size_t width =
      std::max({parameters_, summary_width_, series_width_, std::size_t{1}}) * sizeof(double);
  block_runs_ = std::clamp<std::size_t>(floor_power_of_two(kBlockBytes / width), 1, kRunsPerChunk);
}

SweepRunReader::~SweepRunReader() = default;

void SweepRunReader::read(std::size_t first, SweepRunBlock& block) {
  if (first >= runs_)
    throw OutputError(path_, "read",
                      "run " + num(first) + " is out of range (" + num(runs_) + " runs)");
  const h5::ErrorSilencer silence;
  Open& o = *open_;
  const fs::path& p = path_;
  const std::size_t n = std::min(block_runs_, runs_ - first);
  block.first = first;
  block.runs = n;
  if (policies_ > 0) {
    block.policy.resize(n);
    h5::read_rows(o.policy, first, n, block.policy.data(), p);
    check_policies(block.policy.data(), n, policies_, p);
  } else {
    block.policy.clear();
  }
  block.point.resize(n);
  h5::read_rows(o.point, first, n, block.point.data(), p);
  block.replicate.resize(n);
  h5::read_rows(o.replicate, first, n, block.replicate.data(), p);
  check_points(block.point.data(), block.replicate.data(), n, first, runs_, replicates_, p);
  block.seed.resize(n);
  h5::read_rows(o.seed, first, n, block.seed.data(), p);
  block.value.resize(n * parameters_);
  h5::read_rows(o.value, first, n, block.value.data(), p);
  o.check.check("value", block.value, first);
  block.status.resize(n);
  h5::read_rows(o.status, first, n, block.status.data(), p);
  check_statuses(block.status.data(), n, first, p);
  block.message = h5::read_string_rows(o.message, first, n, p);
  block.summary.resize(n * summary_width_);
  if (summary_width_ > 0) {
    h5::read_rows(o.summary, first, n, block.summary.data(), p);
    const std::size_t stats = o.statistics.size();
    for (std::size_t r = 0; r < n; ++r)
      if (block.status[r] == kRunDone)
        for (std::size_t k = 0; k < summary_width_ && stats > 0; ++k)
          check_done_summary(p, first + r, block.summary[r * summary_width_ + k],
                             o.outputs[k / stats], o.statistics[k % stats]);
  }
  block.series.resize(n * series_width_);
  if (series_width_ > 0) h5::read_rows(o.series, first, n, block.series.data(), p);
}

}  // namespace interdep::sweep
