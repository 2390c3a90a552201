// Result files: write_run / read_run round trip, netCDF-4 dimension scales, atomic writes.
#include <hdf5.h>
#include <hdf5_hl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/network/network_record.hpp"
#include "engine/run/event_log.hpp"
#include "engine/run/simulation.hpp"
#include "engine/run/state.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/scenario/spec.hpp"
#include "models/interdependence/terms.hpp"
#include "models/registry.hpp"
#include "output/hdf5/attributes.hpp"
#include "output/hdf5/datasets.hpp"
#include "output/hdf5/hdf5_handle.hpp"
#include "output/run_file/run_content.hpp"
#include "output/run_file/run_reader.hpp"
#include "output/run_file/run_stream.hpp"
#include "output/run_file/run_writer.hpp"
#include "tests/temp_dir.hpp"

namespace {

using namespace interdep;
namespace fs = std::filesystem;

using interdep::test::TempDir;

// Names in `dir` that look like a writer's temporary file.
std::vector<std::string> leftovers(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp-") != std::string::npos) names.push_back(name);
  }
  return names;
}

std::string file_bytes(const fs::path& p) {
  std::string bytes(static_cast<std::size_t>(fs::file_size(p)), '\0');
  std::ifstream in(p, std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(in.gcount() == static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

ScenarioSpec make_spec(std::size_t institutions = 1, bool contributions = true) {
  ScenarioSpec spec;
  spec.name = "output-test";
  spec.description = "three actors, two domains";
  spec.source_path = "scenarios/output-test.toml";
  // Long enough that it could not live in an object header (attributes there hold <= 64 KiB).
  spec.resolved_text =
      "name = \"output-test\"\n[time]\nyears = 0.4166666\n" + std::string(100000, '#') + "\n";
  spec.seed = 7;
  spec.time.start = 2025.0;
  spec.time.steps_per_year = 12;
  spec.time.years = 5.0 / 12.0;
  spec.time.steps = 5;
  spec.record.every = 2;  // frames at steps 0, 2, 4 and the last step 5
  spec.record.contributions = contributions;

  spec.domains = {DomainSpec{"economy", "Economy", 1.0, 0.0, 0.0, 0.0},
                  DomainSpec{"security", "Security", 0.0, 0.0, 1.0, 0.0}};
  const char* codes[] = {"CHN", "PAK", "TUR"};
  const char* names[] = {"China", "Pakistan", "T\xc3\xbcrkiye"};  // UTF-8
  for (int k = 0; k < 3; ++k) {
    ActorSpec a;
    a.code = codes[k];
    a.name = names[k];
    a.interests = {0.5, 0.5};
    spec.actors.push_back(a);
  }
  for (std::size_t k = 0; k < institutions; ++k) {
    InstitutionSpec inst;
    inst.name = k == 0 ? "SCO" : "INST" + std::to_string(k);
    inst.label = "Shanghai Cooperation Organisation";
    inst.members = {0, 1};
    inst.summit_month = 7;
    spec.institutions.push_back(inst);
  }

  EventSpec visit;
  visit.label = "state visit";
  visit.kind = EventKind::impulse;
  visit.step = 1;
  visit.actor = 0;
  visit.targets = {1};
  visit.cameo = "057";
  visit.goldstein = 8.0;
  EventSpec sanction;
  sanction.label = "tariffs";
  sanction.kind = EventKind::sanction;
  sanction.step = 2;
  sanction.actor = 2;
  sanction.targets = {0, 1};
  sanction.goldstein = -4.0;
  sanction.intensity = 0.1;
  EventSpec apply;
  apply.label = "applies to join";
  apply.kind = EventKind::apply;
  apply.step = 3;
  apply.actor = 2;
  spec.events = {visit, sanction, apply};
  return spec;
}

// Records steps 0..last_step with a distinct value in every cell of every array.
Trajectory make_trajectory(const ScenarioSpec& spec, std::int64_t last_step) {
  Trajectory traj(spec, kTermNames);
  WorldState state;
  state.resize(Dims{spec.actor_count(), spec.domain_count(), spec.institution_count()}, kTermCount,
               spec.corridor_edges.size());
  auto fill = [](std::vector<double>& v, std::int64_t step, double array) {
    for (std::size_t k = 0; k < v.size(); ++k) {
      v[k] = static_cast<double>(step) * 1000.0 + array * 100.0 + static_cast<double>(k) * 0.125;
    }
  };
  for (std::int64_t s = 0; s <= last_step; ++s) {
    state.step = s;
    state.time = spec.time.start + static_cast<double>(s) * spec.time.dt();
    fill(state.relations, s, 1);
    fill(state.relation_overall, s, 2);
    fill(state.trade, s, 3);
    fill(state.energy, s, 4);
    fill(state.gdp, s, 5);
    fill(state.sensitivity, s, 6);
    fill(state.vulnerability, s, 7);
    fill(state.leverage, s, 8);
    fill(state.barbieri, s, 9);
    fill(state.hirschman, s, 10);
    fill(state.contributions, s, -1);
    for (std::size_t k = 0; k < state.membership.size(); ++k) {
      state.membership[k] = static_cast<std::uint8_t>((k + static_cast<std::size_t>(s)) % 2);
    }
    traj.accumulate(state);
    traj.record(state);
  }
  return traj;
}

EventLog make_log(const ScenarioSpec& spec) {
  EventLog log;
  const double dt = spec.time.dt();
  log.events = {AppliedEvent{1, 2025.0 + dt, 0, 0, 1, 8.0},
                AppliedEvent{2, 2025.0 + 2 * dt, 1, 2, 0, -4.0},
                AppliedEvent{2, 2025.0 + 2 * dt, 1, 2, 1, -4.0},
                AppliedEvent{3, 2025.0 + 3 * dt, 2, 2, 2, 0.0}};
  if (!spec.institutions.empty()) {
    log.admissions = {AdmissionDecision{4, 2025.0 + 4 * dt, 0, 2, 1, 1, 0.5, true}};
  }
  return log;
}

RunMetadata make_meta() {
  RunMetadata meta;
  meta.engine_version = "0.1.0";
  meta.model = "interdependence";
  meta.seed = 12345678901234567890ULL;  // above INT64_MAX: must survive as uint64
  meta.created = "2025-06-01T12:00:00Z";
  meta.command_line = "interdep run scenarios/output-test.toml --seed 12345678901234567890";
  return meta;
}

template <class T>
std::vector<T> first(const std::vector<T>& v, std::size_t n) {
  REQUIRE(v.size() >= n);
  return std::vector<T>(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
}

void check_round_trip(const RunFile& run, const ScenarioSpec& spec, const Trajectory& traj,
                      const EventLog& log, const RunMetadata& meta) {
  const Dims& d = traj.dims();
  const std::size_t f = traj.frames();
  const std::size_t p = d.pairs(), r = p * d.domains;

  CHECK(run.conventions == "interdep-1");
  CHECK(run.metadata.engine_version == meta.engine_version);
  CHECK(run.metadata.model == meta.model);
  CHECK(run.metadata.seed == meta.seed);
  CHECK(run.metadata.created == meta.created);
  CHECK(run.metadata.command_line == meta.command_line);
  CHECK(run.scenario_name == spec.name);
  CHECK(run.scenario_description == spec.description);
  CHECK(run.scenario_file == spec.source_path);
  CHECK(run.scenario_text == spec.resolved_text);
  CHECK(run.goldstein_table.find("Goldstein") != std::string::npos);
  CHECK(run.start == spec.time.start);
  CHECK(run.dt == spec.time.dt());
  CHECK(run.steps == spec.time.steps);
  CHECK(run.steps_per_year == spec.time.steps_per_year);
  CHECK(run.record_every == spec.record.every);

  CHECK(run.frames == f);
  CHECK(run.dims.actors == d.actors);
  CHECK(run.dims.domains == d.domains);
  CHECK(run.dims.institutions == d.institutions);
  std::vector<std::string> codes, names, domains, domain_labels, institutions, terms;
  std::vector<double> interests;
  for (const auto& a : spec.actors) {
    codes.push_back(a.code);
    names.push_back(a.name);
    interests.insert(interests.end(), a.interests.begin(), a.interests.end());
  }
  for (const auto& x : spec.domains) {
    domains.push_back(x.name);
    domain_labels.push_back(x.label);
  }
  for (const auto& x : spec.institutions) institutions.push_back(x.name);
  for (std::size_t t = 0; t < kTermCount; ++t) terms.emplace_back(term_name(static_cast<Term>(t)));
  CHECK(run.actors == codes);
  CHECK(run.actor_names == names);
  CHECK(run.interests == interests);
  CHECK(run.domains == domains);
  CHECK(run.domain_labels == domain_labels);
  CHECK(run.institutions == institutions);
  CHECK(run.terms == terms);

  CHECK(run.time == first(traj.time, f));
  CHECK(run.step == first(traj.step, f));
  CHECK(run.gdp == first(traj.gdp, f * d.actors));
  CHECK(run.relations == first(traj.relations, f * r));
  CHECK(run.relation_overall == first(traj.relation_overall, f * p));
  CHECK(run.trade == first(traj.trade, f * p));
  CHECK(run.energy == first(traj.energy, f * p));
  CHECK(run.sensitivity == first(traj.sensitivity, f * p));
  CHECK(run.vulnerability == first(traj.vulnerability, f * p));
  CHECK(run.leverage == first(traj.leverage, f * p));
  CHECK(run.barbieri == first(traj.barbieri, f * p));
  CHECK(run.hirschman == first(traj.hirschman, f * d.actors));
  CHECK(run.membership == first(traj.membership, f * d.actors * d.institutions));
  CHECK(run.has_contributions == traj.has_contributions());
  if (traj.has_contributions()) {
    CHECK(run.contributions == first(traj.contributions, f * r * kTermCount));
  } else {
    CHECK(run.contributions.empty());
  }

  REQUIRE(run.events.size() == log.events.size());
  const char* kinds[] = {"impulse",     "sanction", "lift_sanction",
                         "energy_link", "apply",    "corridor"};
  for (std::size_t k = 0; k < log.events.size(); ++k) {
    const AppliedEvent& e = log.events[k];
    const EventSpec& s = spec.events[e.event_index];
    const RunEvent& got = run.events[k];
    CHECK(got.step == e.step);
    CHECK(got.time == e.time);
    CHECK(got.kind == kinds[static_cast<int>(s.kind)]);
    CHECK(got.label == s.label);
    CHECK(got.actor == spec.actors[e.actor].code);
    CHECK(got.target == spec.actors[e.target].code);
    CHECK(got.goldstein == e.goldstein);
    CHECK(got.cameo == s.cameo);
    CHECK(got.event_index == static_cast<std::int64_t>(e.event_index));
  }
  REQUIRE(run.admissions.size() == log.admissions.size());
  for (std::size_t k = 0; k < log.admissions.size(); ++k) {
    const AdmissionDecision& a = log.admissions[k];
    const RunAdmission& got = run.admissions[k];
    CHECK(got.step == a.step);
    CHECK(got.time == a.time);
    CHECK(got.institution == spec.institutions[a.institution].name);
    CHECK(got.applicant == spec.actors[a.applicant].code);
    CHECK(got.votes_for == a.votes_for);
    CHECK(got.votes_against == a.votes_against);
    CHECK(got.probability == a.probability);
    CHECK(got.admitted == a.admitted);
  }
}

using h5::Handle;

Handle open_file(const fs::path& p) {
  return Handle(H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
}
Handle open_dataset(hid_t loc, const char* name) {
  return Handle(H5Dopen2(loc, name, H5P_DEFAULT), H5Dclose);
}
std::string scale_name(hid_t ds) {
  char buf[64] = {0};
  return H5DSget_scale_name(ds, buf, sizeof buf) > 0 ? std::string(buf) : std::string();
}

// `traj` of `spec` written as `name` in `dir`, with the test's event log and metadata.
fs::path write_whole_run(const TempDir& dir, const char* name, const ScenarioSpec& spec,
                         const Trajectory& traj) {
  const fs::path file = dir.path() / name;
  write_run(file, spec, traj, make_log(spec), make_meta());
  return file;
}

}  // namespace

TEST_CASE("write_run and read_run round-trip every array, row and attribute", "[output]") {
  const TempDir dir;
  const ScenarioSpec spec = make_spec();
  const Trajectory traj = make_trajectory(spec, spec.time.steps);
  REQUIRE(traj.frames() == 4);
  const EventLog log = make_log(spec);
  const RunMetadata meta = make_meta();
  const fs::path file = dir.path() / "run.h5";

  write_run(file, spec, traj, log, meta);
  REQUIRE(fs::exists(file));
  CHECK(leftovers(dir.path()).empty());
  const RunFile run = read_run(file);
  CHECK(run.path == file);
  check_round_trip(run, spec, traj, log, meta);
  CHECK(run.events[2].target == "PAK");
  CHECK(run.events[3].kind == "apply");
  CHECK(run.actor_names[2] == "T\xc3\xbcrkiye");
}

TEST_CASE("a rerun of the text inspect --scenario prints is named and listed as the run was",
          "[output][rerun]") {
  // `run s.toml --seed 7 --set ...`, then `inspect --scenario` ([run]: run_record_toml) and
  // `run` of that text: the same scenario text, seed, overrides and label.
  const TempDir dir;
  const fs::path sanctions = fs::path(INTERDEP_SOURCE_DIR) / "scenarios" / "sanctions.toml";
  interdep::LoadOptions options;
  options.overrides = {"actors.PAK.risk=-0.3", interdep::seed_override(7)};
  const ScenarioSpec first = interdep::load_scenario(sanctions, options);
  const interdep::RunMetadata meta = interdep::run_metadata(first, "interdep run", std::nullopt);
  REQUIRE(meta.label == "sanctions [actors.PAK.risk=-0.3, seed=7]");
  const std::string printed = first.resolved_text + interdep::run_record_toml("", meta.overrides);
  const fs::path rerun_path = dir.write("rerun.toml", printed);
  const ScenarioSpec rerun = interdep::load_scenario(rerun_path);
  CHECK(rerun.resolved_text == first.resolved_text);  // [run] is not part of the scenario
  CHECK(rerun.seed == 7);
  const interdep::RunMetadata again = interdep::run_metadata(rerun, "interdep run", std::nullopt);
  CHECK(again.label == meta.label);
  CHECK(again.overrides == meta.overrides);
  CHECK(again.seed == meta.seed);

  // A run named by --label keeps its name; one that changes more lists that too.
  const std::string named =
      first.resolved_text + interdep::run_record_toml("risk-averse Pakistan", meta.overrides);
  const ScenarioSpec named_rerun = interdep::load_scenario(dir.write("named.toml", named));
  CHECK(interdep::run_metadata(named_rerun, "", std::nullopt).label == "risk-averse Pakistan");
  interdep::LoadOptions more;
  more.overrides = {"time.years=2"};
  const interdep::RunMetadata changed =
      interdep::run_metadata(interdep::load_scenario(rerun_path, more), "", std::nullopt);
  CHECK(changed.overrides ==
        std::vector<std::string>{"actors.PAK.risk=-0.3", "seed=7", "time.years=2"});
  CHECK(changed.label == "sanctions [actors.PAK.risk=-0.3, seed=7, time.years=2]");

  // A what-if over the rerun's text is another run: the base's [run] is not inherited.
  const ScenarioSpec what_if = interdep::load_scenario(
      dir.write("what-if.toml", "base = \"rerun.toml\"\nname = \"what-if\"\n"));
  CHECK(what_if.recorded_overrides.empty());
  CHECK(!what_if.recorded_label);
  CHECK(what_if.resolved_text.find("[run]") == std::string::npos);
  CHECK(interdep::run_metadata(what_if, "", std::nullopt).label == "what-if");

  // Nothing to record: nothing printed.
  CHECK(interdep::run_record_toml("", {}).empty());
}

TEST_CASE("a run's label with a control character is refused", "[output][control]") {
  const ScenarioSpec spec =
      interdep::load_scenario(fs::path(INTERDEP_SOURCE_DIR) / "scenarios" / "sanctions.toml");
  CHECK_THROWS_WITH(interdep::run_metadata(spec, "", std::string("\x1b[31mred")),
                    Catch::Contains("control character U+001B not allowed in a run's label") &&
                        Catch::Contains("\\u001B[31mred"));
  CHECK(interdep::run_metadata(spec, "", std::string("risk-averse → Pakistan")).label ==
        "risk-averse → Pakistan");
  // Invisible format characters: "risk\u202E" looks like "risk", and reverses what follows it.
  CHECK_THROWS_WITH(interdep::run_metadata(spec, "", std::string("risk\xE2\x80\xAE-averse")),
                    Catch::Contains("invisible format character U+202E (RIGHT-TO-LEFT OVERRIDE) "
                                    "not allowed in a run's label") &&
                        Catch::Contains("'risk\\u202E-averse'"));
  CHECK_THROWS_WITH(interdep::run_metadata(spec, "",
                                           std::string("a\xE2\x80\x8D"
                                                       "b")),
                    Catch::Contains("U+200D (ZERO WIDTH JOINER) not allowed in a run's label"));
}

TEST_CASE("a run file without the optional labels reads as labelled by its codes", "[output]") {
  // Files of older versions lack domain_label, institution_label and institution_other_members;
  // readers index them by domain and institution (a report of such a file crashed).
  const TempDir dir;
  const ScenarioSpec spec = make_spec();
  const fs::path file = dir.path() / "old.h5";
  write_run(file, spec, make_trajectory(spec, spec.time.steps), make_log(spec), make_meta());
  {
    const Handle f(H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
    REQUIRE(f);
    for (const char* name : {"domain_label", "institution_label", "institution_other_members"})
      REQUIRE(H5Ldelete(f.get(), name, H5P_DEFAULT) >= 0);
  }
  const RunFile run = read_run(file);
  REQUIRE(!run.institutions.empty());
  CHECK(run.domain_labels == run.domains);
  CHECK(run.institution_labels == run.institutions);
  CHECK(run.institution_other_members == std::vector<std::string>(run.institutions.size()));
}

TEST_CASE("only the recorded frames are written, not the trajectory's capacity", "[output]") {
  const TempDir dir;
  const ScenarioSpec spec = make_spec();
  const Trajectory traj = make_trajectory(spec, 2);  // frames at steps 0 and 2 of 4
  REQUIRE(traj.frames() == 2);
  const fs::path file = dir.path() / "partial.h5";
  write_run(file, spec, traj, make_log(spec), make_meta());
  const RunFile run = read_run(file);
  CHECK(run.frames == 2);
  CHECK(run.step == std::vector<std::int64_t>{0, 2});
  check_round_trip(run, spec, traj, make_log(spec), make_meta());
}

TEST_CASE("zero institutions and no contributions", "[output]") {
  const TempDir dir;
  const ScenarioSpec spec = make_spec(0, false);
  const Trajectory traj = make_trajectory(spec, spec.time.steps);
  const EventLog log = make_log(spec);
  const fs::path file = dir.path() / "bare.h5";
  write_run(file, spec, traj, log, make_meta());
  const RunFile run = read_run(file);
  check_round_trip(run, spec, traj, log, make_meta());
  CHECK(run.institutions.empty());
  CHECK(run.membership.empty());
  CHECK_FALSE(run.has_contributions);
  CHECK(run.admissions.empty());
}

TEST_CASE("the root variables are the coordinates and exactly the table's recorded datasets",
          "[output]") {
  // One table (engine/run/recorded_datasets.hpp) decides what a run file records: every root
  // variable that is not a coordinate is a row of it, in its order, with its units and long name,
  // and every row the root keeps is there. A dataset written past the table fails here.
  const TempDir dir;
  const ScenarioSpec spec = make_spec();
  const Trajectory traj = make_trajectory(spec, spec.time.steps);
  const fs::path file = write_whole_run(dir, "table.h5", spec, traj);

  const Handle f = open_file(file);
  REQUIRE(f);
  const Handle root = h5::root_group(f.get(), file);
  const std::vector<std::string> coordinates = {
      "time",        "actor",        "partner",           "domain",
      "institution", "term",         "channel",           "step",
      "actor_name",  "domain_label", "institution_label", "institution_other_members",
      "interests"};
  const std::vector<std::string> groups = {"events", "admissions", "network"};
  std::vector<std::string> recorded;
  for (const std::string& name : h5::link_names(root.get(), file)) {
    const bool coordinate =
        std::find(coordinates.begin(), coordinates.end(), name) != coordinates.end();
    const bool group = std::find(groups.begin(), groups.end(), name) != groups.end();
    if (coordinate || group) continue;
    const RecordedDataset* row = find_recorded_dataset(name);
    INFO("root variable " << name);
    REQUIRE(row != nullptr);
    const Handle ds = open_dataset(root.get(), name.c_str());
    CHECK(h5::read_string_attribute(ds.get(), "units", file) == row->units);
    CHECK(h5::read_string_attribute(ds.get(), "long_name", file) == row->long_name);
    recorded.push_back(name);
  }
  std::vector<std::string> expected;
  for (const RecordedDataset& row : kRecordedDatasets)
    if (row.stored == Stored::root && traj.records(row)) expected.emplace_back(row.name);
  CHECK(recorded == expected);
}

TEST_CASE("result files carry netCDF-4 dimension scales", "[output]") {
  const TempDir dir;
  const ScenarioSpec spec = make_spec();
  const Trajectory traj = make_trajectory(spec, spec.time.steps);
  const fs::path file = write_whole_run(dir, "scales.h5", spec, traj);

  const Handle f = open_file(file);
  REQUIRE(f);
  const char* dims[] = {"time", "actor", "partner", "domain", "institution", "term"};
  for (const char* name : dims) {
    const Handle ds = open_dataset(f.get(), name);
    REQUIRE(ds);
    CHECK(H5DSis_scale(ds.get()) > 0);
    CHECK(scale_name(ds.get()) == name);
  }
  const Handle time = open_dataset(f.get(), "time");
  const Handle actor = open_dataset(f.get(), "actor");
  const Handle partner = open_dataset(f.get(), "partner");
  const Handle domain = open_dataset(f.get(), "domain");
  const Handle institution = open_dataset(f.get(), "institution");
  const Handle term = open_dataset(f.get(), "term");

  const Handle relations = open_dataset(f.get(), "relations");
  CHECK(H5DSis_attached(relations.get(), time.get(), 0) > 0);
  CHECK(H5DSis_attached(relations.get(), actor.get(), 1) > 0);
  CHECK(H5DSis_attached(relations.get(), partner.get(), 2) > 0);
  CHECK(H5DSis_attached(relations.get(), domain.get(), 3) > 0);
  CHECK(H5DSis_attached(relations.get(), actor.get(), 2) == 0);

  const Handle contributions = open_dataset(f.get(), "contributions");
  CHECK(H5DSis_attached(contributions.get(), term.get(), 4) > 0);
  const Handle membership = open_dataset(f.get(), "membership");
  CHECK(H5DSis_attached(membership.get(), institution.get(), 2) > 0);
  const Handle gdp = open_dataset(f.get(), "gdp");
  CHECK(H5DSis_attached(gdp.get(), actor.get(), 1) > 0);

  // Variables over time grow along time (a streamed run appends frames): chunked by the frames
  // of a stream window, not compressed by default; those known before the run are contiguous.
  {
    const hsize_t window = Trajectory::window_frames(spec, traj.term_names().size());
    CHECK(window > 1);  // small frames: several per chunk
    for (const Handle* growing : {&relations, &gdp, &time}) {
      const Handle dcpl(H5Dget_create_plist(growing->get()), H5Pclose);
      REQUIRE(H5Pget_layout(dcpl.get()) == H5D_CHUNKED);
      hsize_t chunk[4] = {0, 0, 0, 0};
      REQUIRE(H5Pget_chunk(dcpl.get(), 4, chunk) >= 1);
      CHECK(chunk[0] == window);
      CHECK(H5Pget_nfilters(dcpl.get()) == 0);
      const Handle space(H5Dget_space(growing->get()), H5Sclose);
      hsize_t extent[4] = {0, 0, 0, 0}, max_extent[4] = {0, 0, 0, 0};
      REQUIRE(H5Sget_simple_extent_dims(space.get(), extent, max_extent) >= 1);
      CHECK(extent[0] == traj.frames());
      CHECK(max_extent[0] == H5S_UNLIMITED);
    }
    const Handle dcpl(H5Dget_create_plist(relations.get()), H5Pclose);
    hsize_t chunk[4] = {0, 0, 0, 0};
    REQUIRE(H5Pget_chunk(dcpl.get(), 4, chunk) == 4);
    CHECK(chunk[1] == 3);
    const Handle interests = open_dataset(f.get(), "interests");
    const Handle interests_dcpl(H5Dget_create_plist(interests.get()), H5Pclose);
    CHECK(H5Pget_layout(interests_dcpl.get()) == H5D_CONTIGUOUS);
  }
  // [output] compression = 4: shuffle and deflate at level 4 on the chunked arrays, the same
  // values read back.
  {
    ScenarioSpec compressed_spec = spec;
    compressed_spec.record.compression = 4;
    const fs::path packed = write_whole_run(dir, "packed.h5", compressed_spec, traj);
    {
      const Handle g = open_file(packed);
      const Handle packed_relations = open_dataset(g.get(), "relations");
      const Handle dcpl(H5Dget_create_plist(packed_relations.get()), H5Pclose);
      REQUIRE(H5Pget_nfilters(dcpl.get()) == 2);
      unsigned flags = 0;
      unsigned values[4] = {0, 0, 0, 0};
      std::size_t count = 4;
      CHECK(H5Pget_filter2(dcpl.get(), 0, &flags, &count, values, 0, nullptr, nullptr) ==
            H5Z_FILTER_SHUFFLE);
      count = 4;
      CHECK(H5Pget_filter2(dcpl.get(), 1, &flags, &count, values, 0, nullptr, nullptr) ==
            H5Z_FILTER_DEFLATE);
      CHECK(count == 1u);
      CHECK(values[0] == 4u);  // the deflate level
    }                          // closes the file: the reader opens it with its own close degree
    const fs::path plain = write_whole_run(dir, "plain.h5", spec, traj);
    const interdep::RunFile plain_run = interdep::read_run(plain);
    const interdep::RunFile packed_run = interdep::read_run(packed);
    CHECK(packed_run.relations == plain_run.relations);
    CHECK(packed_run.contributions == plain_run.contributions);
    CHECK(packed_run.trade == plain_run.trade);
  }

  // Every variable has units and long_name.
  const char* variables[] = {"time",
                             "actor",
                             "partner",
                             "domain",
                             "institution",
                             "term",
                             "step",
                             "actor_name",
                             "gdp",
                             "relations",
                             "relation_overall",
                             "trade",
                             "energy",
                             "sensitivity",
                             "vulnerability",
                             "leverage",
                             "barbieri",
                             "hirschman",
                             "membership",
                             "contributions",
                             "events/time",
                             "events/kind",
                             "events/event",
                             "admissions/decision",
                             "admissions/admitted"};
  for (const char* name : variables) {
    INFO(name);
    const Handle ds = open_dataset(f.get(), name);
    REQUIRE(ds);
    CHECK(H5Aexists(ds.get(), "units") > 0);
    CHECK(H5Aexists(ds.get(), "long_name") > 0);
  }

  // The groups have their own dimensions.
  const Handle event = open_dataset(f.get(), "events/event");
  CHECK(scale_name(event.get()) == "event");
  const Handle event_time = open_dataset(f.get(), "events/time");
  CHECK(H5DSis_attached(event_time.get(), event.get(), 0) > 0);
  const Handle decision = open_dataset(f.get(), "admissions/decision");
  CHECK(scale_name(decision.get()) == "decision");
  const Handle admitted = open_dataset(f.get(), "admissions/admitted");
  CHECK(H5DSis_attached(admitted.get(), decision.get(), 0) > 0);

  // Root attributes.
  const Handle root(H5Gopen2(f.get(), "/", H5P_DEFAULT), H5Gclose);
  const char* attributes[] = {
      "conventions",   "engine_version", "model",          "seed",
      "created",       "command_line",   "scenario_name",  "scenario_description",
      "scenario_file", "scenario_text",  "start",          "dt",
      "steps",         "steps_per_year", "goldstein_table"};
  for (const char* name : attributes) {
    INFO(name);
    CHECK(H5Aexists(root.get(), name) > 0);
  }
}

TEST_CASE("a write into a missing directory throws and leaves nothing behind", "[output]") {
  const TempDir dir;
  const ScenarioSpec spec = make_spec();
  const Trajectory traj = make_trajectory(spec, spec.time.steps);
  const fs::path file = dir.path() / "no-such-dir" / "run.h5";
  try {
    write_run(file, spec, traj, make_log(spec), make_meta());
    FAIL("write_run did not throw");
  } catch (const OutputError& e) {
    CHECK(e.path() == file);
    CHECK(std::string(e.what()).find(file.string()) != std::string::npos);
    CHECK_FALSE(e.operation().empty());
  }
  CHECK_FALSE(fs::exists(dir.path() / "no-such-dir"));
  CHECK(leftovers(dir.path()).empty());
}

TEST_CASE("a write onto what is not a regular file is refused before any work", "[output]") {
  // rename(2) would replace a FIFO, a directory's entry or (run by root) a device such as
  // /dev/null with the result: every writer goes through ReplacingFile, which refuses them.
  const TempDir dir;
  const ScenarioSpec spec = make_spec();
  const Trajectory traj = make_trajectory(spec, spec.time.steps);
  const fs::path fifo = dir.path() / "fifo.h5", device = dir.path() / "null.h5";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  fs::create_symlink("/dev/null", device);
  fs::create_directory(dir.path() / "dir.h5");
  for (const fs::path& file : {fifo, device, dir.path() / "dir.h5"}) {
    INFO(file.string());
    bool wrote = false;
    try {
      h5::atomic_write(file, "write", [&](const fs::path&) { wrote = true; });
      FAIL("atomic_write did not throw");
    } catch (const OutputError& e) {
      CHECK(e.path() == file);
      const std::string why = e.what();
      CHECK((why.find("not a regular file: the result would replace it") != std::string::npos ||
             why.find("is a directory: name a file to write") != std::string::npos));
    }
    CHECK_FALSE(wrote);
    CHECK_THROWS_AS(write_run(file, spec, traj, make_log(spec), make_meta()), OutputError);
  }
  CHECK(fs::is_fifo(fifo));
  CHECK(fs::is_symlink(device));
  CHECK(fs::read_symlink(device) == "/dev/null");
  CHECK(fs::is_directory(dir.path() / "dir.h5"));
  CHECK(leftovers(dir.path()).empty());
}

TEST_CASE("an unfinished output that cannot be removed is named, not left in silence", "[output]") {
  // As when the output's folder is made read-only while the work runs: the error names the
  // output, so the note is all that tells of the file left beside it. A non-empty directory in
  // the temporary's place cannot be removed by anyone, root included.
  const TempDir dir;
  const fs::path file = dir.path() / "run.h5";
  std::ostringstream said;
  fs::path temp;
  {
    struct Capture {  // std::cerr into `said` for this block, whatever leaves it
      std::streambuf* before;
      ~Capture() { std::cerr.rdbuf(before); }
    } capture{std::cerr.rdbuf(said.rdbuf())};
    CHECK_THROWS_AS(h5::atomic_write(file, "write",
                                     [&](const fs::path& t) {
                                       temp = t;
                                       fs::create_directories(t / "inside");
                                       throw std::runtime_error("the work failed");
                                     }),
                    OutputError);
  }
  INFO(said.str());
  CHECK(said.str().find("interdep: note: the unfinished output " + temp.string() +
                        " could not be removed") != std::string::npos);
  CHECK(said.str().find("it is left") != std::string::npos);
  CHECK_FALSE(fs::exists(file));
  fs::remove_all(temp);
}

TEST_CASE("a failed write leaves an existing file untouched and no temporary file", "[output]") {
  const TempDir dir;
  const ScenarioSpec spec = make_spec();
  const Trajectory traj = make_trajectory(spec, spec.time.steps);
  const fs::path file = dir.path() / "run.h5";
  write_run(file, spec, traj, make_log(spec), make_meta());
  const std::string before = file_bytes(file);
  REQUIRE_FALSE(before.empty());

  SECTION("the scenario does not match the trajectory") {
    ScenarioSpec other = spec;
    ActorSpec extra;
    extra.code = "USA";
    other.actors.push_back(extra);
    CHECK_THROWS_AS(write_run(file, other, traj, make_log(spec), make_meta()), OutputError);
  }
  SECTION("the event log is bad: the write fails half-way through the file") {
    EventLog bad = make_log(spec);
    bad.events.push_back(AppliedEvent{4, 2025.3, 99, 0, 1, 1.0});
    try {
      write_run(file, spec, traj, bad, make_meta());
      FAIL("write_run did not throw");
    } catch (const OutputError& e) {
      CHECK(e.path() == file);
      CHECK(e.operation() == "write /events");
      CHECK(std::string(e.what()).find("event_index") != std::string::npos);
    }
  }
  SECTION("the admissions log names an unknown institution") {
    EventLog bad = make_log(spec);
    bad.admissions.push_back(AdmissionDecision{4, 2025.3, 5, 0, 0, 0, 0.0, false});
    CHECK_THROWS_AS(write_run(file, spec, traj, bad, make_meta()), OutputError);
  }
  CHECK(file_bytes(file) == before);
  CHECK(leftovers(dir.path()).empty());
  CHECK(read_run(file).frames == traj.frames());
}

TEST_CASE("a write whose final rename fails removes the finished temporary file", "[output]") {
  const TempDir dir;
  const ScenarioSpec spec = make_spec();
  const Trajectory traj = make_trajectory(spec, spec.time.steps);
  const fs::path target = dir.path() / "occupied";
  // A directory at the path is refused before the write; one that appears while the file is
  // written (another program) makes the rename fail: a non-empty directory cannot be replaced.
  try {
    h5::atomic_write(target, "write", [&](const fs::path& temp) {
      write_run(temp, spec, traj, make_log(spec), make_meta());
      fs::create_directories(target / "inside");
    });
    FAIL("atomic_write did not throw");
  } catch (const OutputError& e) {
    CHECK(e.path() == target);
    CHECK(e.operation().find("rename") != std::string::npos);
  }
  CHECK(fs::is_directory(target / "inside"));
  CHECK(leftovers(dir.path()).empty());
}

TEST_CASE("writing twice replaces the file", "[output]") {
  const TempDir dir;
  const ScenarioSpec spec = make_spec();
  const fs::path file = dir.path() / "run.h5";
  write_run(file, spec, make_trajectory(spec, 2), make_log(spec), make_meta());
  CHECK(read_run(file).frames == 2);
  write_run(file, spec, make_trajectory(spec, spec.time.steps), make_log(spec), make_meta());
  CHECK(read_run(file).frames == 4);
  CHECK(leftovers(dir.path()).empty());
}

TEST_CASE("read_run rejects what is not an interdep result, naming the path", "[output]") {
  const TempDir dir;
  auto message_of = [](const fs::path& p) {
    try {
      static_cast<void>(read_run(p));
    } catch (const OutputError& e) {
      CHECK(e.path() == p);
      return std::string(e.what());
    }
    FAIL("read_run did not throw");
    return std::string();
  };

  const fs::path missing = dir.path() / "missing.h5";
  CHECK(message_of(missing).find(missing.string()) != std::string::npos);

  const fs::path text = dir.path() / "notes.h5";
  std::ofstream(text) << "this is not HDF5\n";
  const std::string not_hdf5 = message_of(text);
  CHECK(not_hdf5.find(text.string()) != std::string::npos);
  CHECK(not_hdf5.find("not an HDF5 file") != std::string::npos);

  const fs::path other = dir.path() / "other.h5";
  {
    const Handle f(H5Fcreate(other.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose);
    REQUIRE(f);
  }
  const std::string not_ours = message_of(other);
  CHECK(not_ours.find(other.string()) != std::string::npos);
  CHECK(not_ours.find("not an interdep result") != std::string::npos);
}

namespace {

// Bitwise equality of two arrays (NaN equals NaN: the network's balanced shares may be NaN).
template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  if constexpr (std::is_arithmetic_v<T>) {
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
  } else {
    return a == b;
  }
}

void check_same_run(const RecordedRun& memory, const RecordedRun& file) {
  CHECK(memory.path == file.path);
  CHECK(memory.metadata.engine_version == file.metadata.engine_version);
  CHECK(memory.metadata.model == file.metadata.model);
  CHECK(memory.metadata.seed == file.metadata.seed);
  CHECK(memory.metadata.created == file.metadata.created);
  CHECK(memory.metadata.command_line == file.metadata.command_line);
  CHECK(memory.conventions == file.conventions);
  CHECK(memory.scenario_name == file.scenario_name);
  CHECK(memory.scenario_description == file.scenario_description);
  CHECK(memory.scenario_file == file.scenario_file);
  CHECK(memory.scenario_text == file.scenario_text);
  CHECK(memory.goldstein_table == file.goldstein_table);
  CHECK(memory.start == file.start);
  CHECK(memory.dt == file.dt);
  CHECK(memory.steps == file.steps);
  CHECK(memory.steps_per_year == file.steps_per_year);
  CHECK(memory.record_every == file.record_every);
  CHECK(memory.dims.actors == file.dims.actors);
  CHECK(memory.dims.domains == file.dims.domains);
  CHECK(memory.dims.institutions == file.dims.institutions);
  CHECK(memory.frames == file.frames);
  CHECK(memory.actors == file.actors);
  CHECK(memory.actor_names == file.actor_names);
  CHECK(memory.domains == file.domains);
  CHECK(memory.domain_labels == file.domain_labels);
  CHECK(memory.institutions == file.institutions);
  CHECK(memory.institution_labels == file.institution_labels);
  CHECK(memory.institution_other_members == file.institution_other_members);
  CHECK(memory.terms == file.terms);
  CHECK(same_bits(memory.time, file.time));
  CHECK(same_bits(memory.step, file.step));
  CHECK(same_bits(memory.interests, file.interests));
  CHECK(memory.has_contributions == file.has_contributions);
  for (const RecordedDataset& row : kRecordedDatasets) {
    INFO("dataset " << row.name);
    if (row.f64 != nullptr) CHECK(same_bits(memory.*row.f64, file.*row.f64));
    if (row.u8 != nullptr) CHECK(same_bits(memory.*row.u8, file.*row.u8));
  }
  REQUIRE(memory.events.size() == file.events.size());
  for (std::size_t k = 0; k < memory.events.size(); ++k) {
    const RunEvent &a = memory.events[k], &b = file.events[k];
    CHECK((a.step == b.step && a.time == b.time && a.kind == b.kind && a.label == b.label &&
           a.actor == b.actor && a.target == b.target && a.goldstein == b.goldstein &&
           a.cameo == b.cameo && a.event_index == b.event_index));
  }
  REQUIRE(memory.admissions.size() == file.admissions.size());
  for (std::size_t k = 0; k < memory.admissions.size(); ++k) {
    const RunAdmission &a = memory.admissions[k], &b = file.admissions[k];
    CHECK((a.step == b.step && a.time == b.time && a.institution == b.institution &&
           a.applicant == b.applicant && a.votes_for == b.votes_for &&
           a.votes_against == b.votes_against && a.probability == b.probability &&
           a.admitted == b.admitted));
  }
  const RunNetwork &m = memory.network, &f = file.network;
  CHECK(m.present == f.present);
  CHECK(m.tie_threshold == f.tie_threshold);
  CHECK(m.nodes == f.nodes);
  CHECK(m.node_names == f.node_names);
  CHECK(m.corridor_edges == f.corridor_edges);
  CHECK(same_bits(m.edge_from, f.edge_from));
  CHECK(same_bits(m.edge_to, f.edge_to));
  CHECK(same_bits(m.edge_cost, f.edge_cost));
  CHECK(same_bits(m.sign, f.sign));
  CHECK(same_bits(m.faction, f.faction));
  CHECK(same_bits(m.faction_count, f.faction_count));
  CHECK(same_bits(m.frustration, f.frustration));
  CHECK(same_bits(m.triads_signed, f.triads_signed));
  CHECK(same_bits(m.triads_balanced, f.triads_balanced));
  CHECK(same_bits(m.balanced_share, f.balanced_share));
  CHECK(same_bits(m.balanced_share_domain, f.balanced_share_domain));
  CHECK(same_bits(m.betweenness, f.betweenness));
  CHECK(same_bits(m.corridor_betweenness, f.corridor_betweenness));
  CHECK(same_bits(m.route_cost, f.route_cost));
  CHECK(m.route == f.route);
  CHECK(same_bits(m.corridor_open, f.corridor_open));
}

}  // namespace

namespace {

RunMetadata test_metadata(const ScenarioSpec& spec) {
  RunMetadata meta;
  meta.engine_version = "test";
  meta.model = spec.model;
  meta.seed = 20250101;
  meta.created = "2026-11-30T00:00:00Z";
  meta.command_line = "test";
  return meta;
}

// A shipped scenario (scenarios/NAME.toml) with overrides.
struct ShippedCase {
  const char* scenario;
  std::vector<std::string> overrides;
};
ScenarioSpec shipped_scenario(const std::string& name, const std::vector<std::string>& overrides) {
  LoadOptions options;
  options.overrides = overrides;
  return load_scenario(std::string(INTERDEP_SOURCE_DIR) + "/scenarios/" + name + ".toml", options);
}

}  // namespace

TEST_CASE("the run built in memory is the run read back from the file, field for field",
          "[output]") {
  // `interdep run` prints its summary from recorded_run instead of reading the file back.
  const TempDir dir;
  const ShippedCase cases[] = {
      {"baseline", {}},
      {"brics", {"output.every=7"}},  // admissions; frames that do not divide the steps
      {"corridors", {"output.contributions=false"}},  // routes, corridor edges, no contributions
      {"sanctions", {"output.network=false", "output.compression=1"}},
  };
  for (const ShippedCase& c : cases) {
    INFO("scenario " << c.scenario);
    const ScenarioSpec spec = shipped_scenario(c.scenario, c.overrides);
    const RunMetadata meta = test_metadata(spec);
    RunResult result = run_scenario(spec, meta.seed);
    const NetworkRecord network =
        spec.record.network ? analyze_network(spec, result.trajectory) : NetworkRecord{};
    const NetworkRecord* written = spec.record.network ? &network : nullptr;
    const fs::path file = dir.path() / (std::string(c.scenario) + ".h5");
    write_run(file, spec, result.trajectory, result.log, meta, written);
    const RecordedRun memory =
        recorded_run(file, spec, std::move(result.trajectory), result.log, meta, written);
    check_same_run(memory, read_run(file));
  }
}

namespace {

// The scenario's frames whose open corridors differ from the frame before, and the first and last.
std::vector<std::int64_t> digest_steps(const RecordedRun& run) {
  const std::size_t edges = run.network.present ? run.network.corridor_edges.size() : 0;
  std::vector<std::int64_t> steps;
  for (std::size_t f = 0; f < run.frames; ++f) {
    const bool changed =
        f > 0 && edges > 0 &&
        !std::equal(
            run.network.corridor_open.begin() + static_cast<std::ptrdiff_t>(f * edges),
            run.network.corridor_open.begin() + static_cast<std::ptrdiff_t>((f + 1) * edges),
            run.network.corridor_open.begin() + static_cast<std::ptrdiff_t>((f - 1) * edges));
    if (f == 0 || f + 1 == run.frames || changed) steps.push_back(run.step[f]);
  }
  return steps;
}

}  // namespace

TEST_CASE(
    "a streamed run writes the file of its whole trajectory, and its digest keeps the "
    "summary's frames and sums",
    "[output]") {
  const TempDir dir;
  // Long enough to span several stream windows; corridors open and close; frames that do not
  // divide the steps; no contributions; no network.
  const ShippedCase cases[] = {
      {"corridors", {"time.years=50"}},
      {"brics", {"output.every=7", "time.years=200"}},
      {"sanctions", {"output.contributions=false", "time.years=120", "output.compression=1"}},
      {"pipeline", {"output.network=false", "time.years=50"}},
  };
  for (const ShippedCase& c : cases) {
    INFO("scenario " << c.scenario);
    const ScenarioSpec spec = shipped_scenario(c.scenario, c.overrides);
    const std::size_t terms = make_model(spec)->term_names().size();
    const auto frames = static_cast<std::size_t>(Trajectory::frame_count(spec));
    REQUIRE(Trajectory::window_frames(spec, terms) * 2 < frames);  // several windows
    const RunMetadata meta = test_metadata(spec);

    const fs::path whole_file = dir.path() / (std::string(c.scenario) + "-whole.h5");
    RunResult result = run_scenario(spec, meta.seed);
    const NetworkRecord network =
        spec.record.network ? analyze_network(spec, result.trajectory) : NetworkRecord{};
    write_run(whole_file, spec, result.trajectory, result.log, meta,
              spec.record.network ? &network : nullptr);

    // Written where it is analysed, and (as `interdep run` does) on a thread of its own while the
    // next window is analysed: the same file either way.
    const RecordedRun whole = read_run(whole_file);
    RecordedRun digest;
    for (const bool alongside : {false, true}) {
      INFO("writing alongside the analysis: " << alongside);
      const fs::path streamed_file =
          dir.path() / (std::string(c.scenario) + (alongside ? "-alongside.h5" : "-streamed.h5"));
      std::unique_ptr<Model> model = make_model(spec);
      RunFileSink sink(streamed_file, spec, model->term_names(), meta, true, alongside);
      const EventLog log = simulate_into(spec, std::move(model), meta.seed, sink);
      digest = sink.finish(log);
      RecordedRun streamed = read_run(streamed_file);
      REQUIRE(streamed.frames == frames);
      streamed.path = whole.path;
      check_same_run(streamed, whole);
    }

    // The digest: the frames the summary reads, each the file's, and the increments summed over
    // every frame of the file from 0 in frame order.
    REQUIRE(digest.step == digest_steps(whole));
    CHECK(digest.has_contributions == whole.has_contributions);
    CHECK(digest.network.present == whole.network.present);
    const AxisSizes sizes{whole.dims.actors, whole.dims.domains, whole.dims.institutions,
                          whole.terms.size(), 0};
    for (std::size_t k = 0; k < digest.frames; ++k) {
      const std::size_t f = static_cast<std::size_t>(
          std::find(whole.step.begin(), whole.step.end(), digest.step[k]) - whole.step.begin());
      CHECK(digest.time[k] == whole.time[f]);
      for (const RecordedDataset& row : kRecordedDatasets) {
        if (row.stored != Stored::root || row.f64 != &RecordedArrays::relation_overall) continue;
        const std::size_t n = row.frame_size(sizes);
        CHECK(std::equal(digest.relation_overall.begin() + static_cast<std::ptrdiff_t>(k * n),
                         digest.relation_overall.begin() + static_cast<std::ptrdiff_t>((k + 1) * n),
                         whole.relation_overall.begin() + static_cast<std::ptrdiff_t>(f * n)));
      }
      const std::size_t n = whole.dims.actors;
      CHECK(std::equal(digest.leverage.begin() + static_cast<std::ptrdiff_t>(k * n * n),
                       digest.leverage.begin() + static_cast<std::ptrdiff_t>((k + 1) * n * n),
                       whole.leverage.begin() + static_cast<std::ptrdiff_t>(f * n * n)));
      if (whole.network.present) {
        CHECK(
            std::equal(digest.network.route.begin() + static_cast<std::ptrdiff_t>(k * n * n),
                       digest.network.route.begin() + static_cast<std::ptrdiff_t>((k + 1) * n * n),
                       whole.network.route.begin() + static_cast<std::ptrdiff_t>(f * n * n)));
        CHECK(digest.network.faction_count[k] == whole.network.faction_count[f]);
      }
    }
    if (whole.has_contributions) {
      const std::size_t per_frame = whole.contributions.size() / whole.frames;
      std::vector<double> sum(per_frame, 0.0);
      for (std::size_t f = 0; f < whole.frames; ++f)
        for (std::size_t i = 0; i < per_frame; ++i)
          sum[i] += whole.contributions[f * per_frame + i];
      const auto last = digest.contributions.begin() +
                        static_cast<std::ptrdiff_t>((digest.frames - 1) * per_frame);
      CHECK(
          same_bits(std::vector<double>(last, last + static_cast<std::ptrdiff_t>(per_frame)), sum));
      CHECK(std::all_of(digest.contributions.begin(), last, [](double x) { return x == 0.0; }));
    }
  }
}

TEST_CASE("a streamed run cancelled half way leaves no file and no temporary file", "[output]") {
  const TempDir dir;
  const ScenarioSpec spec = shipped_scenario("corridors", {"time.years=60"});
  const fs::path file = dir.path() / "cancelled.h5";
  std::atomic<bool> cancel{false};
  // Cancels once the first window is in the file.
  struct CancellingSink final : FrameSink {
    RunFileSink& sink;
    std::atomic<bool>& cancel;
    std::size_t windows = 0;
    CancellingSink(RunFileSink& s, std::atomic<bool>& c) : sink(s), cancel(c) {}
    void take(const Trajectory& window) override {
      sink.take(window);
      ++windows;
      cancel = true;
    }
  };
  const bool alongside = GENERATE(false, true);  // the window written on a thread of its own
  {
    std::unique_ptr<Model> model = make_model(spec);
    RunFileSink sink(file, spec, model->term_names(), test_metadata(spec), false, alongside);
    CancellingSink cancelling(sink, cancel);
    CHECK_THROWS_AS(simulate_into(spec, std::move(model), 1, cancelling, &cancel), RunCancelled);
    CHECK(cancelling.windows == 1);
    CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}) == 1);
  }  // the sink is destroyed: the temporary file goes with it
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator{}) == 0);
  CHECK_FALSE(fs::exists(file));
}
