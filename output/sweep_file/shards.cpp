// Shard files: a batch of finished runs written atomically while a sweep runs, their index
// (which runs they hold, with which status), the check that a shard belongs to a sweep, and the
// names of the parts directory and of its shards.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

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

constexpr unsigned kShardDeflateLevel = 1;  // shards are temporary: favour speed
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Validates a batch and returns the order of its records by run index.
std::vector<std::size_t> check_records(const fs::path& path, const SweepLayout& layout,
                                       const std::vector<RunRecord>& records) {
  const std::string operation = "write shard";
  std::vector<std::size_t> order(records.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return records[a].index < records[b].index; });
  const std::size_t width = summary_width(layout), frames_width = series_width(layout);
  for (std::size_t k = 0; k < order.size(); ++k) {
    const RunRecord& r = records[order[k]];
    auto which = [&] { return "record " + num(order[k]) + " (run " + num(r.index) + "): "; };
    if (r.index >= layout.runs) {
      throw OutputError(
          path, operation,
          which() + "run index out of range (the sweep has " + num(layout.runs) + " runs)");
    }
    if (k > 0 && records[order[k - 1]].index == r.index) {
      throw OutputError(path, operation,
                        which() + "run " + num(r.index) + " appears twice in the batch");
    }
    if (r.status != kRunDone && r.status != kRunFailed) {
      throw OutputError(
          path, operation,
          which() + "status " + std::to_string(r.status) + " is neither 1 (done) nor 2 (failed)");
    }
    const bool failed = r.status == kRunFailed;
    if (r.summary.size() != width && !(failed && r.summary.empty())) {
      throw OutputError(path, operation,
                        which() + "summary has " + num(r.summary.size()) + " values, expected " +
                            num(width) + " (outputs x statistics)");
    }
    if (r.series.size() != frames_width && !(failed && r.series.empty())) {
      throw OutputError(path, operation,
                        which() + "series has " + num(r.series.size()) + " values, expected " +
                            num(frames_width) + " (frames x outputs)");
    }
  }
  return order;
}

void write_shard_file(const fs::path& temp, const fs::path& path, const SweepLayout& layout,
                      const std::vector<RunRecord>& records,
                      const std::vector<std::size_t>& order) {
  const std::size_t n = records.size();
  const std::size_t width = summary_width(layout), frames_width = series_width(layout);
  std::vector<std::uint64_t> runs(n);
  std::vector<std::uint8_t> status(n);
  std::vector<std::string> message(n);
  std::vector<double> summary(n * width, kNaN);
  for (std::size_t k = 0; k < n; ++k) {
    const RunRecord& r = records[order[k]];
    runs[k] = r.index;
    status[k] = r.status;
    message[k] = r.message;
    std::copy(r.summary.begin(), r.summary.end(),
              summary.begin() + static_cast<std::ptrdiff_t>(k * width));
  }

  Handle file = h5::create_file(temp, path);
  {
    const Handle root = h5::root_group(file.get(), path);
    const hid_t g = root.get();
    h5::write_string_attribute(g, "conventions", kShardConventions, path);
    h5::write_number_attribute<std::uint64_t>(g, "runs", layout.runs, path);
    h5::string_dataset(g, "output", layout.outputs, {"", "recorded output"}, path);
    h5::string_dataset(g, "statistic", layout.statistics, {"", "summary statistic"}, path);
    if (!layout.times.empty()) {
      h5::number_dataset(g, "time", layout.times, {"year", "frame time of series"}, path);
    }
    h5::number_dataset(g, "run", runs, {"1", "run index (ascending)"}, path);
    h5::number_dataset(g, "status", status, {"1", "run status: 1 done, 2 failed"}, path);
    const Handle text = h5::string_type(path);
    const h5::Dataset m =
        h5::create_dataset(g, "message", text.get(), {n}, {}, 0, {"", "why the run failed"}, path);
    h5::write_string_rows(m, 0, message, n, path, h5::EmptyString::null);
    const std::vector<hsize_t> summary_shape = {n, width};
    const h5::Dataset s =
        h5::create_dataset(g, "summary", h5::Types<double>::file(), summary_shape, {}, 0,
                           {"", "summary[row, output * statistics + statistic]"}, path);
    h5::write_all(s, summary, path);
    summary = {};
    if (!layout.times.empty()) {
      const std::vector<hsize_t> series_shape = {n, frames_width};
      const h5::Dataset d =
          h5::create_dataset(g, "series", h5::Types<double>::file(), series_shape,
                             run_chunk(series_shape, sizeof(double)), kShardDeflateLevel,
                             {"", "series[row, frame * outputs + output]"}, path);
      // One record at a time: the batch is not copied again.
      const std::vector<double> nan_row(frames_width, kNaN);
      for (std::size_t k = 0; k < n; ++k) {
        const RunRecord& r = records[order[k]];
        h5::write_rows(d, k, 1, r.series.empty() ? nan_row.data() : r.series.data(), path);
      }
    }
  }
  h5::close_file(file, path, "the temporary file");
}

}  // namespace

namespace detail {

OpenShard open_shard(const fs::path& shard, const SweepLayout* layout, h5::ChunkCache cache) {
  OpenShard s;
  s.file = h5::open_file(shard, H5F_ACC_RDONLY, shard, "a sweep shard", cache);
  s.root = h5::root_group(s.file.get(), shard);
  const hid_t g = s.root.get();
  check_conventions(g, shard, kShardConventions, "a sweep shard");
  s.rows = h5::length_of(h5::open_dataset(g, "run", shard, kDamaged), shard);
  if (layout == nullptr) return s;

  const std::string operation = "check shard";
  const auto runs = h5::read_number_attribute<std::uint64_t>(g, "runs", shard, kDamaged);
  if (runs != layout->runs) {
    throw OutputError(shard, operation,
                      "written for a sweep of " + std::to_string(runs) + " runs, this one has " +
                          num(layout->runs));
  }
  const h5::Dataset output = h5::open_dataset(g, "output", shard, kDamaged);
  const h5::Dataset statistic = h5::open_dataset(g, "statistic", shard, kDamaged);
  if (h5::read_string_rows(output, 0, h5::length_of(output, shard), shard) != layout->outputs) {
    throw OutputError(shard, operation, "written for other outputs than this sweep's");
  }
  if (h5::read_string_rows(statistic, 0, h5::length_of(statistic, shard), shard) !=
      layout->statistics) {
    throw OutputError(shard, operation, "written for other statistics than this sweep's");
  }
  const bool has_time = h5::has_link(g, "time");
  std::vector<double> times;
  if (has_time) {
    const h5::Dataset time = h5::open_dataset(g, "time", shard, kDamaged);
    times = h5::read_all<double>(g, "time", {h5::length_of(time, shard)}, shard, kDamaged);
  }
  if (has_time == layout->times.empty() || times != layout->times) {
    throw OutputError(shard, operation, "written for other frame times than this sweep's");
  }
  h5::require_shape(h5::open_dataset(g, "status", shard, kDamaged), {s.rows}, shard);
  h5::require_shape(h5::open_dataset(g, "message", shard, kDamaged), {s.rows}, shard);
  h5::require_shape(h5::open_dataset(g, "summary", shard, kDamaged),
                    {s.rows, summary_width(*layout)}, shard);
  if (!layout->times.empty()) {
    h5::require_shape(h5::open_dataset(g, "series", shard, kDamaged),
                      {s.rows, series_width(*layout)}, shard);
  }
  return s;
}

std::string bad_status(std::size_t row, std::uint8_t status) {
  return "row " + num(row) + " holds status " + std::to_string(status) +
         ", neither 1 (done) nor 2 (failed)";
}

std::vector<std::uint64_t> read_shard_runs(const OpenShard& s, const fs::path& shard) {
  std::vector<std::uint64_t> runs =
      h5::read_all<std::uint64_t>(s.root.get(), "run", {s.rows}, shard, kDamaged);
  for (std::size_t k = 1; k < runs.size(); ++k) {
    if (runs[k] <= runs[k - 1]) {
      throw OutputError(shard, "read dataset /run",
                        "run indices are not strictly ascending at row " + num(k));
    }
  }
  return runs;
}

}  // namespace detail

void write_shard(const fs::path& path, const SweepLayout& layout,
                 const std::vector<RunRecord>& records) {
  const h5::ErrorSilencer silence;
  const std::vector<std::size_t> order = check_records(path, layout, records);
  const fs::path dir = path.parent_path();
  if (!dir.empty()) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw OutputError(path, "create directory " + dir.string(), ec.message());
  }
  h5::atomic_write(path, "write shard", [&](const fs::path& temp) {
    write_shard_file(temp, path, layout, records, order);
  });
}

ShardIndex shard_index(const fs::path& shard) {
  const h5::ErrorSilencer silence;
  const OpenShard s = open_shard(shard, nullptr);
  ShardIndex index;
  const std::vector<std::uint64_t> runs = read_shard_runs(s, shard);
  index.runs.assign(runs.begin(), runs.end());
  index.status = h5::read_all<std::uint8_t>(s.root.get(), "status", {s.rows}, shard, kDamaged);
  for (std::size_t k = 0; k < index.status.size(); ++k)
    if (index.status[k] != kRunDone && index.status[k] != kRunFailed)
      throw OutputError(shard, "read dataset /status", bad_status(k, index.status[k]));
  return index;
}

std::vector<std::pair<std::size_t, std::string>> shard_failures(const fs::path& shard) {
  const ShardIndex index = shard_index(shard);
  std::vector<hsize_t> rows;
  for (std::size_t k = 0; k < index.status.size(); ++k)
    if (index.status[k] == kRunFailed) rows.push_back(k);
  std::vector<std::pair<std::size_t, std::string>> failures;
  if (rows.empty()) return failures;
  const h5::ErrorSilencer silence;
  const OpenShard s = open_shard(shard, nullptr);
  const h5::Dataset message = h5::open_dataset(s.root.get(), "message", shard, kDamaged);
  h5::require_shape(message, {s.rows}, shard);
  std::vector<std::string> why = h5::read_string_points(message, rows, shard);
  for (std::size_t k = 0; k < rows.size(); ++k)
    failures.emplace_back(index.runs[rows[k]], std::move(why[k]));
  return failures;
}

std::vector<std::size_t> shard_runs(const fs::path& shard) { return shard_index(shard).runs; }

void check_shard(const fs::path& shard, const SweepLayout& layout) {
  const h5::ErrorSilencer silence;
  const OpenShard s = open_shard(shard, &layout);
  const std::vector<std::uint64_t> runs = read_shard_runs(s, shard);
  if (!runs.empty() && runs.back() >= layout.runs) {
    throw OutputError(shard, "check shard",
                      "holds run " + std::to_string(runs.back()) +
                          ", out of range (the sweep has " + num(layout.runs) + " runs)");
  }
}

namespace {

// The entries of `parts_dir` named as shards (shard-*.h5) that are regular files (`files`) or
// that are not.
std::vector<fs::path> shard_entries(const fs::path& parts_dir, bool files) {
  std::error_code ec;
  if (!fs::exists(parts_dir, ec)) return {};
  if (!fs::is_directory(parts_dir, ec)) {
    throw OutputError(parts_dir, "list shards", "not a directory");
  }
  std::vector<fs::path> shards;
  fs::directory_iterator it(parts_dir, ec);
  if (ec) throw OutputError(parts_dir, "list shards", ec.message());
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool named = name.size() > 9 && name.starts_with("shard-") && name.ends_with(".h5");
    std::error_code type_ec;
    if (named && it->is_regular_file(type_ec) == files) shards.push_back(it->path());
  }
  if (ec) throw OutputError(parts_dir, "list shards", ec.message());
  std::sort(shards.begin(), shards.end(),
            [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
  return shards;
}

}  // namespace

std::vector<fs::path> list_shards(const fs::path& parts_dir) {
  return shard_entries(parts_dir, true);
}

std::vector<fs::path> list_shards_not_files(const fs::path& parts_dir) {
  return shard_entries(parts_dir, false);
}

fs::path parts_directory(const fs::path& out) { return fs::path(out.string() + ".parts"); }

std::string shard_file_name(std::size_t rank, std::size_t sequence) {
  std::string r = num(rank), s = num(sequence);
  if (r.size() < 4) r.insert(0, 4 - r.size(), '0');
  if (s.size() < 6) s.insert(0, 6 - s.size(), '0');
  return "shard-r" + r + "-" + s + ".h5";
}

std::size_t next_shard_sequence(const fs::path& parts_dir, std::size_t rank) {
  const std::string first = shard_file_name(rank, 0);
  const std::string prefix = first.substr(0, first.rfind('-') + 1);  // "shard-r0003-"
  std::size_t next = 0;
  for (const fs::path& shard : list_shards(parts_dir)) {
    const std::string name = shard.filename().string();
    if (!name.starts_with(prefix)) continue;
    const std::string digits = name.substr(prefix.size(), name.size() - prefix.size() - 3);
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    if (digits.size() > 18) continue;  // not one of ours
    next = std::max<std::size_t>(next, std::stoull(digits) + 1);
  }
  return next;
}

}  // namespace interdep::sweep
