// Merging a sweep's shards into one sweep file: the run index, the design and the metadata
// written whole, then summary, status and message and afterwards the series streamed a block of
// runs at a time from the shards that hold them.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <list>
#include <numeric>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/run/recorded_datasets.hpp"
#include "engine/sweep/discrete_values.hpp"
#include "engine/sweep/run_set.hpp"
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

namespace {

constexpr unsigned kDeflateLevel = 4;  // merged file
// Shard files open at once in a merge pass. A block of runs spans few shards (a shard holds the
// runs finished in a few seconds, in about their order) unless MPI ranks interleave them (rank r
// holds runs r, r + ranks, ...: each block spans a shard of every rank); beyond this many, the
// least recently used is closed and opened again when needed (then each shard of a block is
// opened once per block and pass). Each open file costs about 0.5 MiB, mostly its metadata
// cache's hash table, which HDF5 zeroes when it opens the file: at 16 open, the shards a large
// sweep's blocks span made the merge's peak grow with the number of runs.
constexpr std::size_t kOpenShards = 4;
constexpr std::size_t kListedRuns = 10;  // runs named in an error message

// "5", "5 and 9", "5, 9 and 12 (and 4 more)".
std::string run_list(const std::vector<std::size_t>& runs, std::size_t total) {
  std::string s;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    if (k > 0) s += k + 1 == runs.size() && total == runs.size() ? " and " : ", ";
    s += num(runs[k]);
  }
  if (total > runs.size()) s += " (and " + num(total - runs.size()) + " more)";
  return s;
}

// A shard as the merge's index knows it: its first and last run. Its run indices (8 B a run)
// are read when a pass opens it, so that the merge holds those of the open shards only.
struct ShardRuns {
  fs::path path;
  std::uint64_t first = 0, last = 0;
  bool empty = true;
};

// Shard files open during a merge pass, at most kOpenShards at once (least recently used is
// closed first), each with its run indices and the datasets the pass reads. Opened without a
// chunk cache: a pass reads each chunk once, in order.
class ShardPool {
 public:
  struct Entry {
    std::size_t shard = 0;
    OpenShard file;
    std::vector<std::uint64_t> runs;  // ascending
    std::vector<h5::Dataset> datasets;
  };

  ShardPool(const std::vector<ShardRuns>& shards, std::vector<std::string> names)
      : shards_(shards), names_(std::move(names)) {}

  Entry& get(std::size_t shard) {
    for (auto it = open_.begin(); it != open_.end(); ++it) {
      if (it->shard == shard) {
        open_.splice(open_.begin(), open_, it);
        return open_.front();
      }
    }
    if (open_.size() >= kOpenShards) open_.pop_back();
    const fs::path& path = shards_[shard].path;
    Entry e;
    e.shard = shard;
    e.file = open_shard(path, nullptr, h5::ChunkCache::none);
    e.runs = read_shard_runs(e.file, path);  // strictly ascending, or OutputError
    // As the index read them (a block's rows are found by binary search in them).
    const ShardRuns& indexed = shards_[shard];
    if (e.runs.empty() || e.runs.front() != indexed.first || e.runs.back() != indexed.last)
      throw OutputError(path, "read dataset /run", "the run indices changed during the merge");
    for (const auto& name : names_)
      e.datasets.push_back(h5::open_dataset(e.file.root.get(), name, path, kDamaged));
    open_.push_front(std::move(e));
    return open_.front();
  }

  void release(std::size_t shard) {
    open_.remove_if([&](const Entry& e) { return e.shard == shard; });
  }

 private:
  const std::vector<ShardRuns>& shards_;
  std::vector<std::string> names_;
  std::list<Entry> open_;
};

// Walks the runs in blocks [a, b) of `block` runs. For each block, calls
// fill(entry, runs of the shard, first row, end row, a) for every shard holding runs of the
// block (rows first .. end of the shard hold them, ascending), then flush(a, b).
template <class Fill, class Flush>
void for_each_block(const std::vector<ShardRuns>& shards, std::size_t runs, std::size_t block,
                    ShardPool& pool, Fill&& fill, Flush&& flush) {
  std::vector<std::size_t> order;  // shards with runs, by their first run
  for (std::size_t k = 0; k < shards.size(); ++k) {
    if (!shards[k].empty) order.push_back(k);
  }
  std::sort(order.begin(), order.end(),
            [&](std::size_t x, std::size_t y) { return shards[x].first < shards[y].first; });
  std::size_t next = 0;
  std::vector<std::size_t> active;
  for (std::size_t a = 0; a < runs; a += block) {
    const std::size_t b = std::min(runs, a + block);
    while (next < order.size() && shards[order[next]].first < b) {
      active.push_back(order[next++]);
    }
    for (std::size_t k : active) {
      ShardPool::Entry& entry = pool.get(k);
      const auto& r = entry.runs;
      const auto lo = std::lower_bound(r.begin(), r.end(), std::uint64_t{a});
      const auto hi = std::lower_bound(lo, r.end(), std::uint64_t{b});
      if (lo == hi) continue;
      fill(entry, r, static_cast<std::size_t>(lo - r.begin()),
           static_cast<std::size_t>(hi - r.begin()), a);
    }
    flush(a, b);
    std::erase_if(active, [&](std::size_t k) {
      if (shards[k].last >= b) return false;
      pool.release(k);
      return true;
    });
  }
}

// Runs per merge block: a power of two of whole chunks, at most about kBlockBytes of buffer
// (more only when one chunk is larger). Chunks of a power of two of runs then never straddle two
// blocks, unless the blocks are smaller than the chunks (kBlockBytes / row_bytes < 4096 runs).
std::size_t block_runs(const std::vector<hsize_t>& chunk, std::size_t row_bytes, std::size_t runs) {
  const std::size_t chunk_rows = chunk.empty() ? kRunsPerChunk : static_cast<std::size_t>(chunk[0]);
  const std::size_t chunk_bytes = std::max<std::size_t>(1, chunk_rows * row_bytes);
  const std::size_t chunks = floor_power_of_two(kBlockBytes / chunk_bytes);
  return std::max<std::size_t>(1, std::min(runs, chunk_rows * chunks));
}

// What a finished run can record (SweepLayout::bounds: docs/model.md), checked once per value
// as the merge reads a shard's rows: a shard that holds another value was damaged from outside
// (shards carry no checksums: a flipped byte merged as an overall relation of -12.9), and is
// refused as one the merge cannot read is (the store sets it aside, and --resume runs its runs
// again).
class ValueCheck {
 public:
  explicit ValueCheck(const SweepLayout& layout) : layout_(layout) {
    for (const std::string& s : layout.statistics) onset_.push_back(s == "onset");
  }

  // A done run's summary row (outputs x statistics).
  void summary(const fs::path& shard, std::uint64_t run, const double* row) const {
    const std::size_t statistics = layout_.statistics.size();
    for (std::size_t o = 0; o < layout_.outputs.size(); ++o)
      for (std::size_t k = 0; k < statistics; ++k) {
        const double v = row[o * statistics + k];
        // The first time the output is not 0: a time, or NaN when it never is.
        if (onset_[k] ? !std::isinf(v) : within(o, v)) continue;
        refuse(shard, "/summary", run, "its " + layout_.statistics[k] + " of " + layout_.outputs[o],
               o, v, !onset_[k]);
      }
  }

  // A done run's series row (frames x outputs).
  void series(const fs::path& shard, std::uint64_t run, const double* row) const {
    const std::size_t outputs = layout_.outputs.size();
    for (std::size_t f = 0; f < layout_.times.size(); ++f)
      for (std::size_t o = 0; o < outputs; ++o) {
        const double v = row[f * outputs + o];
        if (within(o, v)) continue;
        refuse(shard, "/series", run,
               "its " + layout_.outputs[o] + " at " + shortest_number(layout_.times[f]), o, v,
               true);
      }
  }

 private:
  OutputBounds bounds(std::size_t output) const {
    return output < layout_.bounds.size() ? layout_.bounds[output] : OutputBounds{};
  }
  bool within(std::size_t output, double v) const {
    const OutputBounds b = bounds(output);
    return std::isfinite(v) && v >= b.low && v <= b.high;
  }
  [[noreturn]] void refuse(const fs::path& shard, const char* dataset, std::uint64_t run,
                           const std::string& what, std::size_t output, double v,
                           bool bounded) const {
    // The bounds as the model states them (the layout's have a margin of rounding).
    const auto stated = [](double x) { return shortest_number(std::round(x * 1e3) / 1e3 + 0.0); };
    const OutputBounds b = bounds(output);
    std::string range;
    if (bounded && std::isfinite(v) && std::isfinite(b.low) && std::isfinite(b.high))
      range = ", outside [" + stated(b.low) + ", " + stated(b.high) + "]";
    else if (bounded && std::isfinite(v) && std::isfinite(b.low))
      range = ", below " + stated(b.low);
    throw OutputError(shard, std::string("read dataset ") + dataset,
                      "run " + std::to_string(run) + " finished, but " + what + " is " +
                          shortest_number(v) + range + ", which no run records (a damaged shard)");
  }

  const SweepLayout& layout_;
  std::vector<bool> onset_;  // per statistic
};

// Units of an output from its dataset name (the part before "["): the recorded-dataset table's,
// as in a run's result file; "" for a name the table does not know.
std::string output_units(const std::string& output) {
  const RecordedDataset* row = find_recorded_dataset(output.substr(0, output.find('[')));
  return row != nullptr ? std::string(row->units) : std::string();
}

// OutputError unless `what` has `expected` values.
void expect_values(const fs::path& out, const std::string& what, std::size_t size,
                   std::size_t expected) {
  if (size != expected) {
    throw OutputError(out, "merge sweep",
                      what + " has " + num(size) + " values, expected " + num(expected));
  }
}

void check_merge_inputs(const fs::path& out, const SweepLayout& layout, const SweepMeta& meta,
                        const DesignRows& design) {
  expect_values(out, "the design's runs", design.runs(), layout.runs);
  expect_values(out, "the design's parameters", design.parameters(), layout.parameters.size());
  if (!meta.discrete_values.empty()) {
    expect_values(out, "meta.discrete_values", meta.discrete_values.size(),
                  layout.parameters.size());
  }
  expect_values(out, "meta.policy_overrides", meta.policy_overrides.size(), meta.policies.size());
}

// Checks a block of the design's rows (rows of `count` runs, `parameters` values each).
void check_design_block(const fs::path& out, const DesignTable& block, std::size_t count,
                        std::size_t parameters, std::size_t policies) {
  expect_values(out, "design.policy", block.policy.size(), policies > 0 ? count : 0);
  for (std::int64_t p : block.policy)
    if (p < 0 || static_cast<std::size_t>(p) >= policies)
      throw OutputError(
          out, "merge sweep",
          "design.policy holds " + std::to_string(p) + " of " + num(policies) + " policies");
  expect_values(out, "design.point", block.point.size(), count);
  expect_values(out, "design.replicate", block.replicate.size(), count);
  expect_values(out, "design.seed", block.seed.size(), count);
  expect_values(out, "design.unit", block.unit.size(), count * parameters);
  expect_values(out, "design.value", block.value.size(), count * parameters);
}

// The shard (of the first `count`) that holds `run`: the other holder of a duplicated run, read
// again only to name it in the error.
std::size_t holder_of(std::uint64_t run, const std::vector<fs::path>& shards, std::size_t count) {
  for (std::size_t k = 0; k < count; ++k) {
    const std::vector<std::uint64_t> runs =
        read_shard_runs(open_shard(shards[k], nullptr), shards[k]);
    if (std::binary_search(runs.begin(), runs.end(), run)) return k;
  }
  return count;  // not reached: the run was seen in one of them
}

// Reads every shard's run indices and checks that each run appears exactly once. Keeps the set
// of runs seen (RunSet) and each shard's first and last run, not the runs themselves.
std::vector<ShardRuns> index_shards(const fs::path& out, const SweepLayout& layout,
                                    const std::vector<fs::path>& shards) {
  RunSet seen(layout.runs);
  std::vector<ShardRuns> index;
  index.reserve(shards.size());
  for (std::size_t k = 0; k < shards.size(); ++k) {
    const OpenShard s = open_shard(shards[k], &layout);
    const std::vector<std::uint64_t> runs = read_shard_runs(s, shards[k]);
    for (std::uint64_t run : runs) {
      if (run >= layout.runs) {
        throw OutputError(shards[k], "check shard",
                          "holds run " + std::to_string(run) + ", out of range (the sweep has " +
                              num(layout.runs) + " runs)");
      }
      if (!seen.insert(static_cast<std::size_t>(run))) {
        throw OutputError(out, "merge sweep",
                          "run " + std::to_string(run) + " is duplicated: it is in " +
                              shards[holder_of(run, shards, k)].string() + " and in " +
                              shards[k].string());
      }
    }
    ShardRuns entry{shards[k]};
    if (!runs.empty()) entry = ShardRuns{shards[k], runs.front(), runs.back(), false};
    index.push_back(std::move(entry));
  }
  std::vector<std::size_t> missing;
  const std::size_t total = layout.runs - seen.size();
  seen.for_each_missing([&](std::size_t run) {
    missing.push_back(run);
    return missing.size() < kListedRuns;
  });
  if (total == 1) {
    throw OutputError(out, "merge sweep",
                      "run " + num(missing[0]) + " is missing: no shard holds it");
  }
  if (total > 1) {
    throw OutputError(
        out, "merge sweep",
        num(total) + " runs are missing (no shard holds them): runs " + run_list(missing, total));
  }
  return index;
}

void write_meta(hid_t root, const SweepLayout& layout, const SweepMeta& meta,
                const fs::path& path) {
  h5::write_string_attribute(root, "conventions", kSweepConventions, path);
  const std::pair<const char*, const std::string*> strings[] = {
      {"engine_version", &meta.engine_version},
      {"created", &meta.created},
      {"command_line", &meta.command_line},
      {"sweep_name", &meta.sweep_name},
      {"sweep_description", &meta.sweep_description},
      {"sweep_file", &meta.sweep_file},
      {"sweep_text", &meta.sweep_text},
      {"scenario_file", &meta.scenario_file},
      {"scenario_text", &meta.scenario_text},
      {"design_kind", &meta.design_kind},
      {"record_mode", &meta.record_mode},
      {"seeds", &meta.seeds},
  };
  for (const auto& [name, value] : strings) h5::write_string_attribute(root, name, *value, path);
  h5::write_number_attribute<std::uint64_t>(root, "seed", meta.seed, path);
  h5::write_number_attribute<std::int64_t>(root, "replicates", meta.replicates, path);
  h5::write_number_attribute<std::int64_t>(root, "base_samples", meta.base_samples, path);
  h5::write_number_attribute<std::int64_t>(root, "levels", meta.levels, path);
  h5::write_number_attribute<std::int64_t>(root, "every", meta.every, path);
  h5::write_strings_attribute(root, "renormalised", meta.renormalised, path);
  std::vector<std::string> discrete = meta.discrete_values;
  discrete.resize(layout.parameters.size());
  h5::write_strings_attribute(root, "discrete_values", discrete, path);
  if (!meta.policies.empty()) {  // a sweep without policies has neither (as before them)
    h5::write_strings_attribute(root, "policies", meta.policies, path);
    h5::write_strings_attribute(root, "policy_overrides", meta.policy_overrides, path);
  }
}

// A 1-D numeric dataset along the run axis of `runs` values, chunked and compressed; written
// later, a block at a time.
template <class T>
h5::Dataset run_dataset(hid_t loc, const std::string& name, std::size_t runs, h5::Describe what,
                        const fs::path& path) {
  const std::vector<hsize_t> shape = {runs};
  return h5::create_dataset(loc, name, h5::Types<T>::file(), shape, run_chunk(shape, sizeof(T)),
                            kDeflateLevel, what, path);
}

// The table view of a sweep file (docs/output-format.md, "The table view"): each parameter's
// values and each output's statistics also as a root variable of its own, named by its key path
// or output, so that xarray opens the file as a table. A name that HDF5 cannot hold as one
// link ('/'), or that another variable of the root has, gets no variable (the design and the
// summary still hold it).
struct TableView {
  std::vector<std::string> parameter_names, output_names;  // "" where none is written
  std::vector<std::vector<std::string>> discrete;          // plain values; empty: continuous

  TableView(const SweepLayout& layout, const SweepMeta& meta) {
    std::set<std::string> taken = {"run",          "parameter", "output", "statistic", "time",
                                   "output_units", "summary",   "series", "status",    "message",
                                   "design",       "analysis",  "policy"};
    const auto claim = [&](const std::string& name) {
      const bool ok = !name.empty() && name != "." && name.find('/') == std::string::npos &&
                      taken.insert(name).second;
      return ok ? name : std::string();
    };
    for (std::size_t p = 0; p < layout.parameters.size(); ++p) {
      parameter_names.push_back(claim(layout.parameters[p]));
      std::vector<std::string> values;
      if (p < meta.discrete_values.size())
        for (const std::string& v : decode_discrete_values(meta.discrete_values[p]))
          values.push_back(plain_discrete_value(v));
      discrete.push_back(std::move(values));
    }
    for (const std::string& o : layout.outputs) output_names.push_back(claim(o));
  }

  // The CF `coordinates` attribute of the outputs' variables: the parameters' variables (those
  // whose names hold no space, which the attribute separates names by) and the policy.
  std::string coordinates(bool policies) const {
    std::string list = policies ? "policy" : "";
    for (const std::string& name : parameter_names)
      if (!name.empty() && name.find_first_of(" \t") == std::string::npos)
        list += (list.empty() ? "" : " ") + name;
    return list;
  }
};

void write_merged(const fs::path& temp, const fs::path& path, const SweepLayout& layout,
                  const SweepMeta& meta, const DesignRows& design,
                  const std::vector<ShardRuns>& shards) {
  const std::size_t runs = layout.runs, outputs = layout.outputs.size(),
                    statistics = layout.statistics.size(), frames = layout.times.size(),
                    parameters = layout.parameters.size();
  const std::size_t width = outputs * statistics, frames_width = frames * outputs;
  // A small chunk cache: the blocks of runs are whole chunks of the summary and series (which
  // bypass it), and may end inside a chunk of a 1-D variable (which it keeps until filled).
  Handle file = h5::create_file(temp, path, h5::ChunkCache::small);
  {
    const Handle root_handle = h5::root_group(file.get(), path);
    const hid_t root = root_handle.get();
    write_meta(root, layout, meta, path);

    // Dimensions.
    const h5::Dataset run = h5::create_dataset(root, "run", h5::Types<std::int64_t>::file(), {runs},
                                               run_chunk({runs}, sizeof(std::int64_t)),
                                               kDeflateLevel, {"1", "run index"}, path);
    {
      std::vector<std::int64_t> run_index(std::min(runs, kRunsPerChunk * 64));
      for (std::size_t a = 0; a < runs; a += run_index.size()) {
        const std::size_t n = std::min(run_index.size(), runs - a);
        std::iota(run_index.begin(), run_index.begin() + static_cast<std::ptrdiff_t>(n),
                  static_cast<std::int64_t>(a));
        h5::write_rows(run, a, n, run_index.data(), path);
      }
    }
    h5::make_scale(run, "run", path);
    const h5::Dataset parameter = h5::string_dataset(
        root, "parameter", layout.parameters, {"", "scenario key path varied by the sweep"}, path);
    h5::make_scale(parameter, "parameter", path);
    const h5::Dataset output = h5::string_dataset(
        root, "output", layout.outputs, {"", "recorded output: dataset[coordinates]"}, path);
    h5::make_scale(output, "output", path);
    const h5::Dataset statistic = h5::string_dataset(
        root, "statistic", layout.statistics,
        {"", "summary statistic of an output over the recorded frames of a run"}, path);
    h5::make_scale(statistic, "statistic", path);
    h5::Dataset time;
    if (frames > 0) {
      time = h5::number_dataset(root, "time", layout.times,
                                {"year", "time of the recorded frames of /series, decimal year"},
                                path);
      h5::make_scale(time, "time", path);
    }

    // Variables.
    std::vector<std::string> units;
    for (const auto& o : layout.outputs) units.push_back(output_units(o));
    const h5::Dataset output_unit =
        h5::string_dataset(root, "output_units", units, {"", "units of the output"}, path);
    h5::attach_scales(output_unit, {&output}, path);

    const std::vector<hsize_t> summary_shape = {runs, outputs, statistics};
    const std::vector<hsize_t> summary_chunk = run_chunk(summary_shape, sizeof(double));
    const h5::Dataset summary = h5::create_dataset(
        root, "summary", h5::Types<double>::file(), summary_shape, summary_chunk, kDeflateLevel,
        {"",
         "statistic of an output over the run (in the output's units, see output_units); "
         "NaN for a failed run"},
        path);
    h5::attach_scales(summary, {&run, &output, &statistic}, path);

    h5::Dataset series;
    std::vector<hsize_t> series_chunk;
    if (frames > 0) {
      const std::vector<hsize_t> series_shape = {runs, frames, outputs};
      series_chunk = run_chunk(series_shape, sizeof(double));
      series = h5::create_dataset(root, "series", h5::Types<double>::file(), series_shape,
                                  series_chunk, kDeflateLevel,
                                  {"",
                                   "output at each recorded frame (in the output's units, see "
                                   "output_units); NaN for a failed run"},
                                  path);
      h5::attach_scales(series, {&run, &time, &output}, path);
    }

    const h5::Dataset status =
        h5::create_dataset(root, "status", h5::Types<std::uint8_t>::file(), {runs},
                           run_chunk({runs}, 1), kDeflateLevel, {"1", "run status"}, path);
    h5::write_numbers_attribute<std::uint8_t>(status.get(), "flag_values",
                                              {kRunPending, kRunDone, kRunFailed}, path);
    h5::write_string_attribute(status.get(), "flag_meanings", "pending done failed", path);
    h5::attach_scales(status, {&run}, path);
    const Handle text = h5::string_type(path);
    const h5::Dataset message =
        h5::create_dataset(root, "message", text.get(), {runs}, run_chunk({runs}, 16),
                           kDeflateLevel, {"", "why the run failed (empty when it is done)"}, path);
    h5::attach_scales(message, {&run}, path);

    // The table view: a variable per parameter (the policy's name too) along `run`, and per
    // output over (run, statistic), filled with the design and in pass 1.
    const TableView view(layout, meta);
    const std::string coordinates = view.coordinates(!meta.policies.empty());
    std::vector<h5::Dataset> parameter_vars(parameters), output_vars(outputs);
    for (std::size_t p = 0; p < parameters; ++p) {
      if (view.parameter_names[p].empty()) continue;
      const std::string long_name = "value of the swept parameter " + layout.parameters[p];
      parameter_vars[p] =
          view.discrete[p].empty()
              ? run_dataset<double>(root, view.parameter_names[p], runs, {"", long_name}, path)
              : h5::create_dataset(root, view.parameter_names[p], text.get(), {runs},
                                   run_chunk({runs}, 16), kDeflateLevel, {"", long_name}, path);
      h5::attach_scales(parameter_vars[p], {&run}, path);
    }
    h5::Dataset policy_names;
    if (!meta.policies.empty()) {
      policy_names = h5::create_dataset(root, "policy", text.get(), {runs}, run_chunk({runs}, 16),
                                        kDeflateLevel, {"", "the run's policy"}, path);
      h5::attach_scales(policy_names, {&run}, path);
    }
    const std::vector<hsize_t> output_shape = {runs, statistics};
    for (std::size_t o = 0; o < outputs; ++o) {
      if (view.output_names[o].empty()) continue;
      const std::string long_name = "statistic of " + layout.outputs[o] + " over the run";
      output_vars[o] = h5::create_dataset(root, view.output_names[o], h5::Types<double>::file(),
                                          output_shape, run_chunk(output_shape, sizeof(double)),
                                          kDeflateLevel, {"", long_name}, path);
      h5::write_string_attribute(output_vars[o].get(), "units", units[o], path);
      if (!coordinates.empty())
        h5::write_string_attribute(output_vars[o].get(), "coordinates", coordinates, path);
      h5::attach_scales(output_vars[o], {&run, &statistic}, path);
    }

    // The design: its own group, on the root's dimensions.
    {
      const Handle group =
          h5::create_group(root, "design", h5::GroupOrder::links_and_attributes, path);
      const hid_t g = group.get();
      const h5::Dataset point = run_dataset<std::int64_t>(
          g, "point", runs, {"1", "design point (row of the design) of the run"}, path);
      h5::attach_scales(point, {&run}, path);
      const h5::Dataset replicate = run_dataset<std::int64_t>(
          g, "replicate", runs,
          {"1", "replicate of the run at its design point, 0 .. replicates-1"}, path);
      h5::attach_scales(replicate, {&run}, path);
      const h5::Dataset seed =
          run_dataset<std::uint64_t>(g, "seed", runs, {"1", "random seed of the run"}, path);
      h5::attach_scales(seed, {&run}, path);
      const std::size_t policies = meta.policies.size();
      h5::Dataset policy;
      if (policies > 0) {
        policy = run_dataset<std::int64_t>(
            g, "policy", runs, {"1", "policy of the run: index into the attribute policies"}, path);
        h5::attach_scales(policy, {&run}, path);
      }
      // The (run, parameter) tables.
      const std::vector<hsize_t> table_shape = {runs, parameters};
      const std::vector<hsize_t> table_chunk = run_chunk(table_shape, sizeof(double));
      auto table = [&](const char* name, h5::Describe what) {
        h5::Dataset ds = h5::create_dataset(g, name, h5::Types<double>::file(), table_shape,
                                            table_chunk, kDeflateLevel, what, path);
        h5::attach_scales(ds, {&run, &parameter}, path);
        return ds;
      };
      const h5::Dataset unit =
          table("unit", {"1",
                         "design coordinate of the parameter on the unit hypercube [0, 1] (csv "
                         "designs: the natural value)"});
      const h5::Dataset value =
          table("value", {"",
                          "value of the parameter in its natural units (discrete parameters: "
                          "index into discrete_values)"});
      // The rows, a block of whole chunks at a time.
      DesignTable rows;
      const std::size_t block = kRunsPerChunk * 4;
      for (std::size_t a = 0; a < runs; a += block) {
        const std::size_t n = std::min(block, runs - a);
        design.rows(a, n, rows);
        check_design_block(path, rows, n, parameters, policies);
        if (policies > 0) {
          h5::write_rows(policy, a, n, rows.policy.data(), path);
          std::vector<std::string> names(n);
          for (std::size_t r = 0; r < n; ++r)
            names[r] = meta.policies.at(static_cast<std::size_t>(rows.policy[r]));
          h5::write_string_rows(policy_names, a, names, n, path);
        }
        // The table view's parameter variables: natural values, a discrete value's text.
        std::vector<double> column(n);
        std::vector<std::string> texts(n);
        for (std::size_t p = 0; p < parameters; ++p) {
          if (!parameter_vars[p]) continue;
          for (std::size_t r = 0; r < n; ++r) column[r] = rows.value[r * parameters + p];
          if (view.discrete[p].empty()) {
            h5::write_rows(parameter_vars[p], a, n, column.data(), path);
            continue;
          }
          for (std::size_t r = 0; r < n; ++r) {
            const double v = column[r];
            const bool indexed =
                v >= 0.0 && v < static_cast<double>(view.discrete[p].size()) && v == std::floor(v);
            texts[r] = indexed ? view.discrete[p][static_cast<std::size_t>(v)] : std::string();
          }
          h5::write_string_rows(parameter_vars[p], a, texts, n, path);
        }
        h5::write_rows(point, a, n, rows.point.data(), path);
        h5::write_rows(replicate, a, n, rows.replicate.data(), path);
        h5::write_rows(seed, a, n, rows.seed.data(), path);
        h5::write_rows(unit, a, n, rows.unit.data(), path);
        h5::write_rows(value, a, n, rows.value.data(), path);
      }
    }

    // Pass 1: summary, status and message, a block of whole chunks at a time.
    const ValueCheck check_values(layout);
    if (runs > 0) {
      ShardPool pool(shards, {"summary", "status", "message"});
      const std::size_t block = block_runs(summary_chunk, width * sizeof(double) + 17, runs);
      std::vector<double> block_summary(block * width), rows_summary;
      std::vector<double> block_output(block * statistics);  // one output's rows of the block
      std::vector<std::uint8_t> block_status(block), rows_status;
      std::vector<std::string> block_message(block);
      std::vector<hsize_t> failed_rows;
      for_each_block(
          shards, runs, block, pool,
          [&](ShardPool::Entry& e, const std::vector<std::uint64_t>& shard_runs, std::size_t lo,
              std::size_t hi, std::size_t a) {
            const fs::path& shard = shards[e.shard].path;
            const std::size_t n = hi - lo;
            rows_summary.resize(n * width);
            rows_status.resize(n);
            h5::read_rows(e.datasets[0], lo, n, rows_summary.data(), shard);
            h5::read_rows(e.datasets[1], lo, n, rows_status.data(), shard);
            failed_rows.clear();
            for (std::size_t k = 0; k < n; ++k) {
              const std::size_t at = static_cast<std::size_t>(shard_runs[lo + k]) - a;
              std::copy_n(rows_summary.begin() + static_cast<std::ptrdiff_t>(k * width), width,
                          block_summary.begin() + static_cast<std::ptrdiff_t>(at * width));
              if (rows_status[k] != kRunDone && rows_status[k] != kRunFailed)
                throw OutputError(shard, "read dataset /status",
                                  bad_status(lo + k, rows_status[k]));
              block_status[at] = rows_status[k];
              block_message[at].clear();
              if (rows_status[k] != kRunDone)
                failed_rows.push_back(lo + k);
              else
                check_values.summary(shard, shard_runs[lo + k],
                                     rows_summary.data() + static_cast<std::ptrdiff_t>(k * width));
            }
            // Only failed runs have a message: read just those.
            std::vector<std::string> messages =
                h5::read_string_points(e.datasets[2], failed_rows, shard);
            for (std::size_t k = 0; k < messages.size(); ++k) {
              const std::size_t row = static_cast<std::size_t>(failed_rows[k]);
              block_message[static_cast<std::size_t>(shard_runs[row]) - a] = std::move(messages[k]);
            }
          },
          [&](std::size_t a, std::size_t b) {
            h5::write_rows(summary, a, b - a, block_summary.data(), path);
            for (std::size_t o = 0; o < outputs; ++o) {
              if (!output_vars[o]) continue;
              for (std::size_t r = 0; r < b - a; ++r)
                std::copy_n(
                    block_summary.begin() + static_cast<std::ptrdiff_t>(r * width + o * statistics),
                    statistics, block_output.begin() + static_cast<std::ptrdiff_t>(r * statistics));
              h5::write_rows(output_vars[o], a, b - a, block_output.data(), path);
            }
            h5::write_rows(status, a, b - a, block_status.data(), path);
            h5::write_string_rows(message, a, block_message, b - a, path, h5::EmptyString::null);
          });
    }

    // Pass 2: series.
    if (runs > 0 && frames > 0) {
      ShardPool pool(shards, {"series", "status"});
      const std::size_t block = block_runs(series_chunk, frames_width * sizeof(double), runs);
      std::vector<double> block_series(block * frames_width), rows_series;
      std::vector<std::uint8_t> rows_status;
      for_each_block(
          shards, runs, block, pool,
          [&](ShardPool::Entry& e, const std::vector<std::uint64_t>& shard_runs, std::size_t lo,
              std::size_t hi, std::size_t a) {
            const std::size_t n = hi - lo;
            rows_series.resize(n * frames_width);
            rows_status.resize(n);
            h5::read_rows(e.datasets[0], lo, n, rows_series.data(), shards[e.shard].path);
            h5::read_rows(e.datasets[1], lo, n, rows_status.data(), shards[e.shard].path);
            for (std::size_t k = 0; k < n; ++k) {
              const std::size_t at = static_cast<std::size_t>(shard_runs[lo + k]) - a;
              if (rows_status[k] == kRunDone)
                check_values.series(
                    shards[e.shard].path, shard_runs[lo + k],
                    rows_series.data() + static_cast<std::ptrdiff_t>(k * frames_width));
              std::copy_n(rows_series.begin() + static_cast<std::ptrdiff_t>(k * frames_width),
                          frames_width,
                          block_series.begin() + static_cast<std::ptrdiff_t>(at * frames_width));
            }
          },
          [&](std::size_t a, std::size_t b) {
            h5::write_rows(series, a, b - a, block_series.data(), path);
          });
    }
  }
  h5::close_file(file, path, "the temporary file");
}

}  // namespace

void merge_sweep(const fs::path& out, const SweepLayout& layout, const SweepMeta& meta,
                 const DesignRows& design, const std::vector<fs::path>& shards) {
  const h5::ErrorSilencer silence;
  check_merge_inputs(out, layout, meta, design);
  const std::vector<ShardRuns> index = index_shards(out, layout, shards);
  h5::atomic_write(out, "merge sweep", [&](const fs::path& temp) {
    write_merged(temp, out, layout, meta, design, index);
  });
}

void merge_sweep(const fs::path& out, const SweepLayout& layout, const SweepMeta& meta,
                 const DesignTable& design, const std::vector<fs::path>& shards) {
  merge_sweep(out, layout, meta, DesignTableRows(design, layout.parameters.size()), shards);
}

}  // namespace interdep::sweep
