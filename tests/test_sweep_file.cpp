// Sweep files: shards written in batches, merged into one netCDF-4 style file, read back;
// analysis tables; atomicity and the errors of a merge with missing or duplicated runs.
#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "output/hdf5/attributes.hpp"
#include "output/hdf5/datasets.hpp"
#include "output/hdf5/hdf5_handle.hpp"
#include "output/run_file/run_writer.hpp"
#include "output/sweep_file/shard_store.hpp"
#include "output/sweep_file/sweep_file.hpp"
#include "tests/temp_dir.hpp"

namespace {

using namespace interdep;
using namespace interdep::sweep;
namespace fs = std::filesystem;
using interdep::test::TempDir;

std::vector<std::string> temporaries(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp-") != std::string::npos) names.push_back(name);
  }
  return names;
}

SweepLayout small_layout(std::size_t runs, bool series) {
  SweepLayout l;
  l.runs = runs;
  l.parameters = {"actors.PAK.risk", "model.alpha"};
  l.outputs = {"relation_overall[PAK,RUS]", "gdp[PAK]"};
  l.statistics = {"final", "min", "max", "mean"};
  if (series) l.times = {2025.0, 2025.25, 2025.5};
  return l;
}

bool failed_run(std::size_t run) { return run % 7 == 3; }

double summary_value(std::size_t run, std::size_t k) {
  return static_cast<double>(run) * 100.0 + static_cast<double>(k) + 0.25;
}
double series_value(std::size_t run, std::size_t k) {
  return -static_cast<double>(run) * 1000.0 - static_cast<double>(k) - 0.5;
}

RunRecord make_record(const SweepLayout& l, std::size_t run) {
  RunRecord r;
  r.index = run;
  const std::size_t width = l.outputs.size() * l.statistics.size();
  const std::size_t frames = l.times.size() * l.outputs.size();
  if (failed_run(run)) {
    r.status = kRunFailed;
    r.message = "run " + std::to_string(run) + " diverged: relation is NaN";
    if (run % 2 == 0) {  // both spellings of "no values": NaN-filled and empty
      r.summary.assign(width, std::nan(""));
      r.series.assign(frames, std::nan(""));
    }
    return r;
  }
  r.status = kRunDone;
  for (std::size_t k = 0; k < width; ++k) r.summary.push_back(summary_value(run, k));
  for (std::size_t k = 0; k < frames; ++k) r.series.push_back(series_value(run, k));
  return r;
}

SweepMeta make_meta(const SweepLayout& l) {
  SweepMeta m;
  m.engine_version = "0.1.0";
  m.created = "2025-06-01T12:00:00Z";
  m.command_line = "interdep sweep s.toml -o out.h5";
  m.sweep_name = "pak-rus";
  m.sweep_description = "risk x alpha — ünïcode";
  m.sweep_file = "sweeps/s.toml";
  m.sweep_text = "name = \"pak-rus\"\n[design]\nkind = \"lhs\"\n";
  m.scenario_file = "scenarios/base.toml";
  m.scenario_text = "name = \"base\"\n";
  m.design_kind = "lhs";
  m.record_mode = l.times.empty() ? "summary" : "every";
  m.seed = 18446744073709551557ULL;
  m.replicates = l.runs % 2 == 0 ? 2 : 1;  // as many runs a point as divide the runs
  m.base_samples = 0;
  m.levels = 4;
  m.every = 12;
  m.renormalised = {"PAK", "RUS"};
  m.discrete_values = {"", "0.5|1|2"};
  return m;
}

DesignTable make_design(const SweepLayout& l) {
  DesignTable d;
  const std::size_t p = l.parameters.size();
  for (std::size_t run = 0; run < l.runs; ++run) {
    const std::size_t replicates = l.runs % 2 == 0 ? 2 : 1;  // make_meta's
    d.point.push_back(static_cast<std::int64_t>(run / replicates));
    d.replicate.push_back(static_cast<std::int64_t>(run % replicates));
    d.seed.push_back(0x9E3779B97F4A7C15ULL ^ run);
    for (std::size_t k = 0; k < p; ++k) {
      d.unit.push_back(static_cast<double>(run * p + k) / static_cast<double>(l.runs * p));
      // model.alpha (k = 1) is discrete, of three values: its value is an index of them.
      d.value.push_back(k == 1 ? static_cast<double>(run % 3)
                               : static_cast<double>(run) + 0.5 * static_cast<double>(k));
    }
  }
  return d;
}

void check_same_design(const DesignTable& read, const DesignTable& written) {
  CHECK(read.point == written.point);
  CHECK(read.replicate == written.replicate);
  CHECK(read.seed == written.seed);
  CHECK(read.unit == written.unit);
  CHECK(read.value == written.value);
}

// Writes runs `runs` of the layout as a shard, records in the given order.
fs::path shard_of(const fs::path& dir, const SweepLayout& l, std::size_t sequence,
                  const std::vector<std::size_t>& runs) {
  std::vector<RunRecord> records;
  for (std::size_t run : runs) records.push_back(make_record(l, run));
  const fs::path p = dir / shard_file_name(0, sequence);
  write_shard(p, l, records);
  return p;
}

// Three shards, runs interleaved (run r in shard r % 3), each batch written in reverse order.
std::vector<fs::path> interleaved_shards(const fs::path& dir, const SweepLayout& l) {
  std::vector<std::vector<std::size_t>> runs(3);
  for (std::size_t r = 0; r < l.runs; ++r) runs[r % 3].push_back(r);
  std::vector<fs::path> shards;
  for (std::size_t s = 0; s < 3; ++s) {
    std::reverse(runs[s].begin(), runs[s].end());
    shards.push_back(shard_of(dir, l, s, runs[s]));
  }
  return {shards[2], shards[0], shards[1]};  // out of order
}

bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (std::isnan(a[k]) != std::isnan(b[k])) return false;
    if (!std::isnan(a[k]) && a[k] != b[k]) return false;
  }
  return true;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const OutputError& e) {
    return e.what();
  }
  return "(no OutputError)";
}

// Tiny direct reader: string attribute of an object.
std::string h5_string_attribute(hid_t obj, const char* name) {
  const hid_t attr = H5Aopen(obj, name, H5P_DEFAULT);
  REQUIRE(attr >= 0);
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  char* value = nullptr;
  REQUIRE(H5Aread(attr, type, &value) >= 0);
  std::string s = value != nullptr ? value : "";
  H5free_memory(value);
  H5Tclose(type);
  H5Aclose(attr);
  return s;
}

}  // namespace

TEST_CASE("sweep shards merged out of order read back exactly", "[sweep]") {
  TempDir dir;
  const fs::path parts = parts_directory(dir.path() / "out.h5");
  CHECK(parts.filename() == "out.h5.parts");
  const bool with_series = GENERATE(true, false);
  const SweepLayout l = small_layout(31, with_series);
  const std::vector<fs::path> shards = interleaved_shards(parts, l);

  CHECK(list_shards(parts).size() == 3);
  std::vector<std::size_t> expected_runs;
  for (std::size_t r = 1; r < l.runs; r += 3) expected_runs.push_back(r);
  CHECK(shard_runs(shards[1]) == std::vector<std::size_t>{0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30});
  CHECK(shard_runs(shards[2]) == expected_runs);
  const ShardIndex index = shard_index(shards[1]);
  REQUIRE(index.status.size() == index.runs.size());
  for (std::size_t k = 0; k < index.runs.size(); ++k) {
    CHECK(index.status[k] == (failed_run(index.runs[k]) ? kRunFailed : kRunDone));
  }
  CHECK_NOTHROW(check_shard(shards[0], l));

  const fs::path out = dir.path() / "out.h5";
  const SweepMeta meta = make_meta(l);
  const DesignTable design = make_design(l);
  merge_sweep(out, l, meta, design, shards);
  CHECK(temporaries(dir.path()).empty());

  const SweepFile f = read_sweep(out);
  CHECK(f.layout.runs == l.runs);
  CHECK(f.layout.parameters == l.parameters);
  CHECK(f.layout.outputs == l.outputs);
  CHECK(f.layout.statistics == l.statistics);
  CHECK(f.layout.times == l.times);
  CHECK(f.meta.engine_version == meta.engine_version);
  CHECK(f.meta.created == meta.created);
  CHECK(f.meta.command_line == meta.command_line);
  CHECK(f.meta.sweep_name == meta.sweep_name);
  CHECK(f.meta.sweep_description == meta.sweep_description);
  CHECK(f.meta.sweep_file == meta.sweep_file);
  CHECK(f.meta.sweep_text == meta.sweep_text);
  CHECK(f.meta.scenario_file == meta.scenario_file);
  CHECK(f.meta.scenario_text == meta.scenario_text);
  CHECK(f.meta.design_kind == meta.design_kind);
  CHECK(f.meta.record_mode == meta.record_mode);
  CHECK(f.meta.seed == meta.seed);
  CHECK(f.meta.replicates == meta.replicates);
  CHECK(f.meta.base_samples == meta.base_samples);
  CHECK(f.meta.levels == meta.levels);
  CHECK(f.meta.every == meta.every);
  CHECK(f.meta.renormalised == meta.renormalised);
  CHECK(f.meta.discrete_values == meta.discrete_values);
  check_same_design(f.design, design);

  REQUIRE(f.status.size() == l.runs);
  REQUIRE(f.message.size() == l.runs);
  for (std::size_t r = 0; r < l.runs; ++r) {
    const RunRecord expected = make_record(l, r);
    CHECK(f.status[r] == expected.status);
    CHECK(f.message[r] == expected.message);
  }
  const std::size_t stats = l.statistics.size();
  for (std::size_t o = 0; o < l.outputs.size(); ++o) {
    for (std::size_t s = 0; s < stats; ++s) {
      const std::vector<double> values = read_summary(out, o, s);
      REQUIRE(values.size() == l.runs);
      for (std::size_t r = 0; r < l.runs; ++r) {
        if (failed_run(r)) {
          CHECK(std::isnan(values[r]));
        } else {
          CHECK(values[r] == summary_value(r, o * stats + s));
        }
      }
    }
  }
  if (with_series) {
    for (std::size_t r = 0; r < l.runs; ++r) {
      RunRecord expected = make_record(l, r);
      if (expected.series.empty()) expected.series.assign(6, std::nan(""));
      CHECK(same_values(read_series(out, r), expected.series));
    }
    CHECK_THROWS_AS(read_series(out, l.runs), OutputError);
  } else {
    CHECK_THAT(error_of([&] { read_series(out, 0); }), Catch::Contains("no series"));
  }
  CHECK_THROWS_AS(read_summary(out, 2, 0), OutputError);

  // netCDF-4 structure: dimension scales attached, cross-group for /design.
  const hid_t file = H5Fopen(out.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  const hid_t run = H5Dopen2(file, "/run", H5P_DEFAULT);
  const hid_t summary = H5Dopen2(file, "/summary", H5P_DEFAULT);
  const hid_t unit = H5Dopen2(file, "/design/unit", H5P_DEFAULT);
  CHECK(H5DSis_scale(run) > 0);
  CHECK(H5DSis_attached(summary, run, 0) > 0);
  CHECK(H5DSis_attached(unit, run, 0) > 0);
  CHECK(h5_string_attribute(file, "conventions") == "interdep-sweep-1");
  CHECK(h5_string_attribute(summary, "long_name").find("statistic") != std::string::npos);
  CHECK(h5_string_attribute(unit, "units") == "1");
  H5Dclose(unit);
  H5Dclose(summary);
  H5Dclose(run);
  H5Fclose(file);
}

TEST_CASE("merge_sweep refuses missing or duplicated runs and writes nothing", "[sweep]") {
  TempDir dir;
  const SweepLayout l = small_layout(12, true);
  const fs::path parts = dir.path() / "out.h5.parts";
  const fs::path out = dir.path() / "out.h5";
  const SweepMeta meta = make_meta(l);
  const DesignTable design = make_design(l);
  const fs::path a = shard_of(parts, l, 0, {0, 1, 2, 3, 4, 6});
  const fs::path b = shard_of(parts, l, 1, {7, 8, 9, 10, 11});

  SECTION("one run missing") {
    const std::string what = error_of([&] { merge_sweep(out, l, meta, design, {b, a}); });
    CHECK_THAT(what, Catch::Contains("run 5 is missing"));
    CHECK_THAT(what, Catch::Contains(out.string()));
  }
  SECTION("several runs missing") {
    const std::string what = error_of([&] { merge_sweep(out, l, meta, design, {b}); });
    CHECK_THAT(what, Catch::Contains("7 runs are missing"));
    CHECK_THAT(what, Catch::Contains("runs 0, 1, 2, 3, 4, 5 and 6"));
  }
  SECTION("a run in two shards") {
    const fs::path c = shard_of(parts, l, 2, {5, 9});
    const std::string what = error_of([&] { merge_sweep(out, l, meta, design, {a, b, c}); });
    CHECK_THAT(what, Catch::Contains("run 9 is duplicated"));
    CHECK_THAT(what, Catch::Contains(b.filename().string()));
    CHECK_THAT(what, Catch::Contains(c.filename().string()));
  }
  SECTION("a shard given twice") {
    const fs::path c = shard_of(parts, l, 2, {5});
    CHECK_THAT(error_of([&] {
                 merge_sweep(out, l, meta, design, {a, b, c, c});
               }),
               Catch::Contains("run 5 is duplicated"));
  }
  SECTION("a shard of another sweep") {
    SweepLayout other = l;
    other.outputs = {"gdp[RUS]", "gdp[PAK]"};
    const fs::path c = shard_of(parts, other, 2, {5});
    const std::string what = error_of([&] { merge_sweep(out, l, meta, design, {a, b, c}); });
    CHECK_THAT(what, Catch::Contains(c.string()));
    CHECK_THAT(what, Catch::Contains("outputs"));
    CHECK_THROWS_AS(check_shard(c, l), OutputError);
  }
  SECTION("a shard whose status is neither done nor failed (damaged)") {
    const fs::path c = shard_of(parts, l, 2, {5});
    {
      const hid_t file = H5Fopen(c.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
      REQUIRE(file >= 0);
      const std::uint8_t seven = 7;
      REQUIRE(H5LTmake_dataset(file, "status_bad", 1, std::vector<hsize_t>{1}.data(),
                               H5T_NATIVE_UINT8, &seven) >= 0);
      REQUIRE(H5Ldelete(file, "status", H5P_DEFAULT) >= 0);
      REQUIRE(H5Lmove(file, "status_bad", file, "status", H5P_DEFAULT, H5P_DEFAULT) >= 0);
      H5Fclose(file);
    }
    const std::string what = error_of([&] { merge_sweep(out, l, meta, design, {a, b, c}); });
    CHECK_THAT(what, Catch::Contains(c.string()));
    CHECK_THAT(what, Catch::Contains("row 0 holds status 7, neither 1 (done) nor 2 (failed)"));
    CHECK_THAT(error_of([&] { shard_index(c); }), Catch::Contains("holds status 7"));
  }
  SECTION("an existing result is left as it was") {
    const fs::path c = shard_of(parts, l, 2, {5});
    merge_sweep(out, l, meta, design, {a, b, c});
    const auto size = fs::file_size(out);
    CHECK_THROWS_AS(merge_sweep(out, l, meta, design, {a, b}), OutputError);
    REQUIRE(fs::exists(out));
    CHECK(fs::file_size(out) == size);
    CHECK(read_sweep(out).layout.runs == l.runs);
    return;
  }
  CHECK_FALSE(fs::exists(out));
  CHECK(temporaries(dir.path()).empty());
}

TEST_CASE("merge_sweep refuses a shard whose finished run holds a value no run records",
          "[sweep]") {
  // Shards carry no checksums: a flipped byte merged as an overall relation of -12.9. The
  // layout's bounds (the runner's, from docs/model.md) and numbers everywhere are checked.
  TempDir dir;
  SweepLayout l;
  l.runs = 4;
  l.outputs = {"relation_overall[PAK,RUS]", "gdp[PAK]"};
  l.statistics = {"final", "onset"};
  l.times = {2025.0, 2025.5};
  l.bounds = {OutputBounds{-1.0, 1.0}, OutputBounds{0.0, HUGE_VAL}};
  const fs::path parts = dir.path() / "out.h5.parts", out = dir.path() / "out.h5";
  std::vector<RunRecord> records(4);
  for (std::size_t run = 0; run < 4; ++run) {
    records[run].index = run;
    records[run].status = kRunDone;
    // An onset of NaN (the output never left 0) is a value a run records.
    records[run].summary = {0.5, std::nan(""), 100.0, 2025.0};
    records[run].series = {0.25, 90.0, 0.5, 100.0};
  }
  records[3].status = kRunFailed;  // a failed run's values are not checked
  records[3].summary.assign(4, std::nan(""));
  records[3].series.assign(4, std::nan(""));
  SweepMeta meta;
  meta.discrete_values.clear();
  DesignTable design;
  for (std::int64_t run = 0; run < 4; ++run) {
    design.point.push_back(run);
    design.replicate.push_back(0);
    design.seed.push_back(static_cast<std::uint64_t>(run));
  }
  const auto damaged = [&](const char* dataset, std::size_t element, double value) {
    const fs::path shard = parts / shard_file_name(0, 0);
    write_shard(shard, l, records);
    const hid_t file = H5Fopen(shard.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(file >= 0);
    const hid_t ds = H5Dopen2(file, dataset, H5P_DEFAULT);
    REQUIRE(ds >= 0);
    std::vector<double> all(16);
    REQUIRE(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, all.data()) >= 0);
    all[element] = value;
    REQUIRE(H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, all.data()) >= 0);
    H5Dclose(ds);
    H5Fclose(file);
    return error_of([&] { merge_sweep(out, l, meta, design, {shard}); });
  };
  SECTION("undamaged, it merges") {
    CHECK(damaged("summary", 1, std::nan("")) == "(no OutputError)");
    CHECK(fs::exists(out));
    return;
  }
  SECTION("a failed run's values are not checked") {
    CHECK(damaged("summary", 12, -12.9) == "(no OutputError)");
    return;
  }
  SECTION("an overall relation outside [-1, 1]") {
    const std::string what = damaged("summary", 4, -12.9);
    CHECK_THAT(what, Catch::Contains(parts.string()));
    CHECK_THAT(what, Catch::Contains("read dataset /summary: run 1 finished, but its final of "
                                     "relation_overall[PAK,RUS] is -12.9, outside [-1, 1], which "
                                     "no run records (a damaged shard)"));
  }
  SECTION("a GDP below 0 in a series") {
    CHECK_THAT(damaged("series", 3, -44.6),
               Catch::Contains("read dataset /series: run 0 finished, but its gdp[PAK] at 2025.5 "
                               "is -44.6, below 0"));
  }
  SECTION("NaN where a finished run records a number") {
    CHECK_THAT(damaged("series", 8, std::nan("")),
               Catch::Contains("run 2 finished, but its relation_overall[PAK,RUS] at 2025 is nan"));
  }
  SECTION("an onset that is infinite") {
    CHECK_THAT(damaged("summary", 7, HUGE_VAL),
               Catch::Contains("run 1 finished, but its onset of gdp[PAK] is inf"));
  }
  CHECK_FALSE(fs::exists(out));
}

TEST_CASE("a stopped sweep names the failed runs every rank's shards hold, lowest first",
          "[sweep]") {
  // What rank 0 of a sweep stopped by on_failure = "stop" names: the failures of every rank's
  // shards (and of a process before a resume), not the ones it saw itself.
  TempDir dir;
  const fs::path output = dir.path() / "out.h5";
  const SweepLayout l = small_layout(31, false);  // runs 3, 10, 17 and 24 fail (failed_run)
  const std::vector<fs::path> shards = interleaved_shards(parts_directory(output), l);
  // Shard 0 of the three holds runs 0, 3, ... 30: 3 and 24 failed.
  const auto in_shard = shard_failures(shards[1]);
  REQUIRE(in_shard.size() == 2);
  CHECK(in_shard[0] == std::pair<std::size_t, std::string>{3, make_record(l, 3).message});
  CHECK(in_shard[1] == std::pair<std::size_t, std::string>{24, make_record(l, 24).message});
  ShardStore store(output, 0, true);
  const auto first_two = store.stored_failures(2);
  REQUIRE(first_two.size() == 2);
  CHECK(first_two[0] == std::pair<std::size_t, std::string>{3, make_record(l, 3).message});
  CHECK(first_two[1] == std::pair<std::size_t, std::string>{10, make_record(l, 10).message});
  const auto all = store.stored_failures(100);
  REQUIRE(all.size() == 4);
  CHECK(all[3].first == 24);
  CHECK(all[3].second == make_record(l, 24).message);
  // A shard whose runs all finished names none, and reads no message.
  CHECK(shard_failures(shard_of(dir.path(), l, 9, {0, 1, 2})).empty());
}

TEST_CASE("write_shard validates its batch and writes nothing on error", "[sweep]") {
  TempDir dir;
  const SweepLayout l = small_layout(10, true);
  const fs::path p = dir.path() / "parts" / "shard-r0000-000000.h5";
  std::vector<RunRecord> records = {make_record(l, 1), make_record(l, 2)};
  SECTION("out of range") { records[1].index = 10; }
  SECTION("repeated") { records[1].index = 1; }
  SECTION("pending status") { records[0].status = kRunPending; }
  SECTION("short summary") { records[0].summary.pop_back(); }
  SECTION("series without frames") {
    SweepLayout no_series = l;
    no_series.times.clear();
    CHECK_THROWS_AS(write_shard(p, no_series, records), OutputError);
    return;
  }
  CHECK_THROWS_AS(write_shard(p, l, records), OutputError);
  CHECK_FALSE(fs::exists(p));
  CHECK(temporaries(dir.path()).empty());
}

TEST_CASE("list_shards ignores temporary and foreign files", "[sweep]") {
  TempDir dir;
  const SweepLayout l = small_layout(6, false);
  const fs::path parts = dir.path() / "x.h5.parts";
  CHECK(list_shards(parts).empty());  // no directory yet: nothing done
  const fs::path second = shard_of(parts, l, 7, {3, 4, 5});
  const fs::path first = shard_of(parts, l, 2, {0, 1, 2});
  for (const char* name : {".shard-r0000-000009.h5.tmp-1234-0", "shard-r0000-000010.h5.tmp",
                           "notes.txt", "other.h5", "shard-.h5"}) {
    std::ofstream(parts / name) << "partial";
  }
  fs::create_directories(parts / "shard-r0000-000011.h5");
  CHECK(list_shards(parts) == std::vector<fs::path>{first, second});
  CHECK(shard_file_name(3, 17) == "shard-r0003-000017.h5");
  CHECK(shard_file_name(12345, 1234567) == "shard-r12345-1234567.h5");
  CHECK(next_shard_sequence(parts, 0) == 8);
  CHECK(next_shard_sequence(parts, 1) == 0);
  CHECK(next_shard_sequence(dir.path() / "absent", 0) == 0);
  std::ofstream(parts / shard_file_name(12345, 41)) << "any";
  CHECK(next_shard_sequence(parts, 12345) == 42);
  CHECK_THROWS_AS(shard_runs(parts / "notes.txt"), OutputError);
  CHECK_THROWS_AS(list_shards(parts / "notes.txt"), OutputError);
}

TEST_CASE("read_sweep refuses what is not a sweep file", "[sweep]") {
  TempDir dir;
  const fs::path text = dir.path() / "notes.h5";
  std::ofstream(text) << "not hdf5";
  const fs::path plain = dir.path() / "plain.h5";
  const hid_t f = H5Fcreate(plain.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  REQUIRE(f >= 0);
  H5Fclose(f);
  for (const fs::path& p : {text, plain, dir.path() / "missing.h5"}) {
    const std::string what = error_of([&] { read_sweep(p); });
    CHECK_THAT(what, Catch::Contains(p.string()));
    CHECK_THAT(what, !Catch::Contains("no OutputError"));
  }
  CHECK_THAT(error_of([&] { read_sweep(plain); }), Catch::Contains("not a sweep file"));
  // A shard is not a merged sweep file either.
  const SweepLayout l = small_layout(3, false);
  const fs::path shard = shard_of(dir.path(), l, 0, {0, 1, 2});
  CHECK_THAT(error_of([&] { read_sweep(shard); }), Catch::Contains("interdep-sweep-shard-1"));
}

TEST_CASE("write_analysis adds and replaces a table group", "[sweep]") {
  TempDir dir;
  const SweepLayout l = small_layout(4, false);
  const fs::path out = dir.path() / "s.h5";
  merge_sweep(out, l, make_meta(l), make_design(l),
              {shard_of(dir.path() / "p", l, 0, {2, 0, 1, 3})});

  write_analysis(
      out, "sobol", l.parameters, {{"first", {0.25, 0.5}}, {"total", {0.3, 0.75}}},
      {{"output", "gdp[PAK]"}, {"statistic", "final"}, {"first.long_name", "first-order index"}});
  AnalysisTable t = read_analysis(out, "sobol");
  CHECK(t.rows == l.parameters);
  REQUIRE(t.columns.size() == 2);
  CHECK(t.columns[0] == std::pair<std::string, std::vector<double>>{"first", {0.25, 0.5}});
  CHECK(t.columns[1] == std::pair<std::string, std::vector<double>>{"total", {0.3, 0.75}});
  CHECK(t.attributes == std::vector<std::pair<std::string, std::string>>{{"output", "gdp[PAK]"},
                                                                         {"statistic", "final"}});
  write_analysis(out, "morris", {"a"}, {{"mu_star", {1.5}}}, {});

  // Replace: the old columns go.
  write_analysis(out, "sobol", {"x", "y", "z"}, {{"total", {1, 2, 3}}}, {{"output", "trade"}});
  t = read_analysis(out, "sobol");
  CHECK(t.rows == std::vector<std::string>{"x", "y", "z"});
  REQUIRE(t.columns.size() == 1);
  CHECK(t.columns[0].second == std::vector<double>{1, 2, 3});
  CHECK(read_analysis(out, "morris").columns.at(0).first == "mu_star");
  CHECK(temporaries(dir.path()).empty());

  // With plain HDF5 calls: the dimension scale and the attributes.
  const hid_t file = H5Fopen(out.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  const hid_t group = H5Gopen2(file, "/analysis/sobol", H5P_DEFAULT);
  REQUIRE(group >= 0);
  CHECK(H5Lexists(group, "first", H5P_DEFAULT) == 0);
  const hid_t row = H5Dopen2(group, "row", H5P_DEFAULT);
  const hid_t total = H5Dopen2(group, "total", H5P_DEFAULT);
  CHECK(H5DSis_scale(row) > 0);
  CHECK(H5DSis_attached(total, row, 0) > 0);
  double values[3] = {0, 0, 0};
  CHECK(H5Dread(total, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values) >= 0);
  CHECK(values[2] == 3.0);
  CHECK(h5_string_attribute(group, "output") == "trade");
  CHECK(h5_string_attribute(total, "long_name") == "total");
  H5Dclose(total);
  H5Dclose(row);
  H5Gclose(group);
  H5Fclose(file);
  // The rest of the file is intact.
  CHECK(read_sweep(out).design.seed == make_design(l).seed);

  CHECK_THROWS_AS(write_analysis(out, "a/b", {"x"}, {{"c", {1}}}, {}), OutputError);
  CHECK_THROWS_AS(write_analysis(out, "bad", {"x"}, {{"c", {1, 2}}}, {}), OutputError);
  CHECK_THROWS_AS(read_analysis(out, "absent"), OutputError);

  // A file that holds other runs by the time it is locked (a sweep wrote it meanwhile) does not
  // take the table computed from the runs it held: it took a stale one without a word.
  bool asked = false;
  CHECK_THROWS_WITH(write_analysis(out, "stale", {"x"}, {{"c", {1}}}, {},
                                   [&] {
                                     asked = true;
                                     return false;
                                   }),
                    Catch::Contains("the file changed while the analysis ran"));
  CHECK(asked);
  CHECK_THROWS_AS(read_analysis(out, "stale"), OutputError);
  write_analysis(out, "kept", {"x"}, {{"c", {1}}}, {}, [] { return true; });
  CHECK(read_analysis(out, "kept").columns.at(0).second == std::vector<double>{1});
}

TEST_CASE("write_analysis writes a link's target and refuses a file it may not write",
          "[sweep][files]") {
  TempDir dir;
  const SweepLayout l = small_layout(4, false);
  const fs::path out = dir.path() / "s.h5";
  merge_sweep(out, l, make_meta(l), make_design(l),
              {shard_of(dir.path() / "p", l, 0, {2, 0, 1, 3})});
  // Through a symbolic link: the target gets the table, the link stays a link (it was replaced
  // by a regular file, and the target got nothing).
  const fs::path link = dir.path() / "link.h5";
  fs::create_symlink(out.filename(), link);
  write_analysis(link, "morris", {"a"}, {{"mu_star", {1.5}}}, {});
  CHECK(fs::is_symlink(link));
  CHECK(read_analysis(out, "morris").columns.at(0).first == "mu_star");
  CHECK(temporaries(dir.path()).empty());
  // A file that may not be written is refused before any copy (the folder would let its
  // replacement through, with another owner). Root writes every file: not provoked then.
  if (::geteuid() != 0) {
    fs::permissions(out, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    CHECK_THROWS_WITH(write_analysis(out, "sobol", {"a"}, {{"total", {1.0}}}, {}),
                      Catch::Matchers::Contains("cannot be written (permission denied)"));
  }
}

TEST_CASE("empty batches and a sweep without runs merge", "[sweep]") {
  TempDir dir;
  const SweepLayout l = small_layout(5, true);
  const fs::path empty = dir.path() / "p" / shard_file_name(1, 0);
  write_shard(empty, l, {});
  CHECK(shard_runs(empty).empty());
  const fs::path full = shard_of(dir.path() / "p", l, 1, {4, 3, 2, 1, 0});
  const fs::path out = dir.path() / "s.h5";
  merge_sweep(out, l, make_meta(l), make_design(l), {empty, full});
  CHECK(read_sweep(out).status.size() == 5);

  SweepLayout none = small_layout(0, false);
  none.parameters.clear();
  SweepMeta meta = make_meta(none);
  meta.discrete_values.clear();
  meta.renormalised.clear();
  const fs::path zero = dir.path() / "zero.h5";
  merge_sweep(zero, none, meta, DesignTable{}, {});
  const SweepFile f = read_sweep(zero);
  CHECK(f.layout.runs == 0);
  CHECK(f.layout.outputs == none.outputs);
  CHECK(f.layout.parameters.empty());
  CHECK(f.meta.renormalised.empty());
  CHECK(f.meta.discrete_values.empty());
  CHECK(read_summary(zero, 1, 3).empty());
  CHECK(read_failures(zero, 5).failed == 0);
}

TEST_CASE("a large sweep merges in bounded memory", "[sweep]") {
  TempDir dir;
  SweepLayout l;
  l.runs = 200000;
  l.parameters = {"p0", "p1", "p2"};
  l.outputs = {"gdp[PAK]", "gdp[RUS]", "trade[PAK,RUS]"};
  l.statistics = {"final", "min", "max", "mean"};
  constexpr std::size_t kShards = 20;
  const fs::path parts = dir.path() / "big.h5.parts";
  // One batch object reused for every shard (runs s, s + 20, s + 40, ...: interleaved), so the
  // test spends its time in the writer rather than in allocating records.
  std::vector<RunRecord> batch(l.runs / kShards);
  for (std::size_t s = 0; s < kShards; ++s) {
    for (std::size_t k = 0; k < batch.size(); ++k) {
      RunRecord& rec = batch[k];
      const std::size_t r = s + k * kShards;
      rec.index = r;
      rec.status = r % 1000 == 999 ? kRunFailed : kRunDone;
      rec.message = rec.status == kRunFailed ? "failed " + std::to_string(r) : "";
      rec.summary.resize(12);
      for (std::size_t j = 0; j < 12; ++j) {
        rec.summary[j] = rec.status == kRunFailed ? std::nan("") : static_cast<double>(r * 12 + j);
      }
    }
    write_shard(parts / shard_file_name(0, s), l, batch);
  }
  DesignTable d;
  d.point.resize(l.runs);
  d.replicate.resize(l.runs);
  d.seed.resize(l.runs);
  d.unit.resize(l.runs * 3, 0.5);
  d.value.resize(l.runs * 3, 1.5);
  const fs::path out = dir.path() / "big.h5";
  SweepMeta meta;
  merge_sweep(out, l, meta, d, list_shards(parts));

  const std::vector<double> mean_trade = read_summary(out, 2, 3);
  REQUIRE(mean_trade.size() == l.runs);
  for (std::size_t r : {std::size_t{0}, std::size_t{1}, std::size_t{4095}, std::size_t{4096},
                        std::size_t{123457}, std::size_t{199998}}) {
    CHECK(mean_trade[r] == static_cast<double>(r * 12 + 11));
  }
  CHECK(std::isnan(mean_trade[999]));
  const SweepFile f = read_sweep(out);
  CHECK(f.status[199999] == kRunFailed);
  CHECK(f.message[199999] == "failed 199999");
  CHECK(f.status[199998] == kRunDone);

  // What `interdep sweep` reports at its end, from the statuses a block of runs at a time (the
  // 200 failures span four blocks).
  const SweepFailures failures = read_failures(out, 3);
  CHECK(failures.failed == 200);
  CHECK(failures.runs == std::vector<std::size_t>{999, 1999, 2999});
  CHECK(failures.messages == std::vector<std::string>{"failed 999", "failed 1999", "failed 2999"});
  const SweepFailures counted = read_failures(out, 0);
  CHECK(counted.failed == 200);
  CHECK(counted.runs.empty());
  CHECK(counted.messages.empty());
  CHECK(f.meta.discrete_values == std::vector<std::string>{"", "", ""});
}

namespace {

// The design rows of make_design, made on demand, with the largest block asked for.
class CountingDesign final : public DesignRows {
 public:
  explicit CountingDesign(const SweepLayout& l) : layout_(l), table_(make_design(l)) {}
  std::size_t runs() const override { return layout_.runs; }
  std::size_t parameters() const override { return layout_.parameters.size(); }
  void rows(std::size_t first, std::size_t count, DesignTable& out) const override {
    largest_block = std::max(largest_block, count);
    DesignTableRows(table_, parameters()).rows(first, count, out);
  }
  mutable std::size_t largest_block = 0;

 private:
  const SweepLayout& layout_;
  DesignTable table_;
};

}  // namespace

TEST_CASE("the merge writes the design a block of rows at a time, never whole", "[sweep]") {
  TempDir dir;
  const SweepLayout l = small_layout(40000, false);
  std::vector<std::size_t> first, second;
  for (std::size_t r = 0; r < l.runs; ++r) (r < 25000 ? first : second).push_back(r);
  const fs::path out = dir.path() / "s.h5";
  const CountingDesign design(l);
  merge_sweep(out, l, make_meta(l), design,
              {shard_of(dir.path(), l, 0, first), shard_of(dir.path(), l, 1, second)});
  CHECK(design.largest_block > 0);
  CHECK(design.largest_block < l.runs / 2);
  const SweepFile f = read_sweep(out);
  const DesignTable whole = make_design(l);
  check_same_design(f.design, whole);

  // A design whose rows come short is refused, and nothing is written.
  DesignTable short_table = whole;
  short_table.value.resize(short_table.value.size() - 1);
  const fs::path bad = dir.path() / "bad.h5";
  CHECK_THAT(error_of([&] {
               merge_sweep(bad, l, make_meta(l), short_table,
                           {shard_of(dir.path() / "b", l, 0, first),
                            shard_of(dir.path() / "b", l, 1, second)});
             }),
             Catch::Contains("design.value"));
  CHECK_FALSE(fs::exists(bad));
}

TEST_CASE("a sweep file's table view: a variable per parameter and output, named by them",
          "[sweep]") {
  TempDir dir;
  SweepLayout l = small_layout(6, false);
  // A key with '/' (an event's label) cannot be one HDF5 link, and "status" is the root's own
  // variable: neither gets a variable of the view; the others do.
  l.parameters = {"actors.PAK.risk", "events.\"a/b\".intensity", "status",
                  "model.decide.integrator"};
  const std::vector<fs::path> shards = interleaved_shards(parts_directory(dir.path() / "o.h5"), l);
  SweepMeta meta = make_meta(l);
  meta.discrete_values = {"", "", "", "'euler'|'rk4'"};
  DesignTable design = make_design(l);
  for (std::size_t r = 0; r < l.runs; ++r) design.value[r * 4 + 3] = static_cast<double>(r % 2);
  const fs::path out = dir.path() / "o.h5";
  merge_sweep(out, l, meta, design, shards);

  const h5::ErrorSilencer silence;
  const h5::Handle file = h5::open_file(out, H5F_ACC_RDONLY, out, "a sweep file");
  const hid_t root = file.get();
  const std::vector<hsize_t> runs = {l.runs};
  const std::vector<double> risk = h5::read_all<double>(root, "actors.PAK.risk", runs, out);
  for (std::size_t r = 0; r < l.runs; ++r) CHECK(risk[r] == design.value[r * 4]);
  const std::vector<std::string> integrator =
      h5::read_all_strings(root, "model.decide.integrator", runs, out);
  for (std::size_t r = 0; r < l.runs; ++r) CHECK(integrator[r] == (r % 2 ? "rk4" : "euler"));
  CHECK(!h5::has_link(root, "events.\"a"));        // no group made of the label's first half
  CHECK(read_sweep(out).status.size() == l.runs);  // "status" is still the runs' status
  // Each output over (run, statistic), equal to the summary, its units and coordinates named.
  for (std::size_t o = 0; o < l.outputs.size(); ++o) {
    const std::vector<double> values =
        h5::read_all<double>(root, l.outputs[o], {l.runs, l.statistics.size()}, out);
    for (std::size_t s = 0; s < l.statistics.size(); ++s) {
      const std::vector<double> summary = read_summary(out, o, s);
      for (std::size_t r = 0; r < l.runs; ++r) {
        const double v = values[r * l.statistics.size() + s];
        CHECK((v == summary[r] || (std::isnan(v) && std::isnan(summary[r]))));
      }
    }
    const h5::Dataset ds = h5::open_dataset(root, l.outputs[o], out);
    CHECK(h5::read_string_attribute(ds.get(), "coordinates", out) ==
          "actors.PAK.risk model.decide.integrator");
  }
  CHECK(h5::read_string_attribute(h5::open_dataset(root, "gdp[PAK]", out).get(), "units", out) ==
        "US$ bn");
}

TEST_CASE("a sweep's runs read a block at a time are read_sweep's, summary and series included",
          "[sweep]") {
  TempDir dir;
  const bool policies = GENERATE(false, true);
  // 9,000 runs: blocks of at most 4,096 runs, so the last block is short.
  const SweepLayout l = small_layout(9000, true);
  SweepMeta meta = make_meta(l);
  DesignTable design = make_design(l);
  if (policies) {
    meta.policies = {"as planned", "line not built", "a, \"quoted\" policy"};
    meta.policy_overrides = {"", "events.0.capacity=10.5", "model.alpha=1"};
    for (std::size_t r = 0; r < l.runs; ++r)
      design.policy.push_back(static_cast<std::int64_t>(r % 3));
  }
  std::vector<std::size_t> all(l.runs);
  for (std::size_t r = 0; r < l.runs; ++r) all[r] = r;
  const fs::path out = dir.path() / "s.h5";
  merge_sweep(out, l, meta, design, {shard_of(dir.path() / "parts", l, 0, all)});

  const SweepFile whole = read_sweep(out);
  const SweepFile head = read_sweep_head(out);
  CHECK(head.layout.runs == l.runs);
  CHECK(head.layout.times == l.times);
  CHECK(head.meta.policies == meta.policies);
  CHECK(head.meta.discrete_values == meta.discrete_values);
  CHECK(head.status.empty());
  CHECK(head.design.value.empty());

  const std::size_t width = l.outputs.size() * l.statistics.size(), stats = l.statistics.size();
  const std::size_t frames = l.times.size() * l.outputs.size();
  std::vector<std::vector<double>> summary;
  for (std::size_t o = 0; o < l.outputs.size(); ++o)
    for (std::size_t s = 0; s < stats; ++s) summary.push_back(read_summary(out, o, s));

  SweepRunReader reader(out, head, true);
  CHECK(reader.block_runs() > 1);
  CHECK(reader.block_runs() < l.runs);
  SweepRunBlock block;
  std::size_t seen = 0, blocks = 0;
  for (std::size_t first = 0; first < l.runs; first += reader.block_runs(), ++blocks) {
    reader.read(first, block);
    REQUIRE(block.first == first);
    REQUIRE(block.runs == std::min(reader.block_runs(), l.runs - first));
    REQUIRE(block.value.size() == block.runs * l.parameters.size());
    REQUIRE(block.series.size() == block.runs * frames);
    for (std::size_t b = 0; b < block.runs; ++b, ++seen) {
      const std::size_t r = first + b;
      if (policies) CHECK(block.policy[b] == whole.design.policy[r]);
      CHECK(block.point[b] == whole.design.point[r]);
      CHECK(block.replicate[b] == whole.design.replicate[r]);
      CHECK(block.seed[b] == whole.design.seed[r]);
      for (std::size_t p = 0; p < l.parameters.size(); ++p)
        CHECK(block.value[b * l.parameters.size() + p] ==
              whole.design.value[r * l.parameters.size() + p]);
      CHECK(block.status[b] == whole.status[r]);
      CHECK(block.message[b] == whole.message[r]);
      for (std::size_t c = 0; c < width; ++c)
        CHECK(same_values({block.summary[b * width + c]}, {summary[c][r]}));
      if (r % 997 == 0 || b == 0 || b + 1 == block.runs) {  // read_series opens the file a run
        const std::vector<double> series(
            block.series.begin() + static_cast<long>(b * frames),
            block.series.begin() + static_cast<long>((b + 1) * frames));
        CHECK(same_values(series, read_series(out, r)));
      }
    }
  }
  CHECK(seen == l.runs);
  CHECK(blocks == (l.runs + reader.block_runs() - 1) / reader.block_runs());
  CHECK_THAT(error_of([&] { reader.read(l.runs, block); }), Catch::Contains("out of range"));

  // Without series the blocks carry none; a summary-only sweep has none to give.
  SweepRunReader summary_only(out, head, false);
  summary_only.read(0, block);
  CHECK(block.series.empty());
  const fs::path bare = dir.path() / "bare.h5";
  const SweepLayout no_series = small_layout(10, false);
  std::vector<std::size_t> ten(10);
  for (std::size_t r = 0; r < 10; ++r) ten[r] = r;
  merge_sweep(bare, no_series, make_meta(no_series), make_design(no_series),
              {shard_of(dir.path() / "bare", no_series, 0, ten)});
  CHECK_THAT(error_of([&] { SweepRunReader(bare, read_sweep_head(bare), true); }),
             Catch::Contains("recorded no series"));
  // A head that does not match the file (a damaged or another file) is refused at once.
  CHECK_THAT(error_of([&] { SweepRunReader(bare, head, false); }),
             Catch::Contains("bare.h5: open dataset /design/"));
}
