#include "output/run_file/run_reader.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "engine/scenario/scenario_loader.hpp"
#include "engine/scenario/time_limits.hpp"
#include "engine/text/text_format.hpp"
#include "output/hdf5/attributes.hpp"
#include "output/hdf5/datasets.hpp"
#include "output/hdf5/hdf5_handle.hpp"

namespace interdep {

namespace fs = std::filesystem;

namespace {

using h5::Handle;

constexpr std::string_view kDamaged = "missing; not an interdep result file or a damaged one";

// Reads the datasets, groups and attributes of a run file with the toolkit. Its errors name them
// by their link name alone ("open time: missing; not an interdep result file or a damaged one",
// "open dataset time: has shape [3], expected [4]", "read attribute seed: ...").
class Reader {
 public:
  explicit Reader(fs::path path) : path_(std::move(path)) {}

  const fs::path& path() const { return path_; }

  Handle group(hid_t loc, const std::string& name) const {
    require(loc, name);
    return h5::open_group_as(loc, name, name, path_);
  }

  // A numeric dataset of the expected shape, converted to T.
  template <class T>
  std::vector<T> numbers(hid_t loc, const std::string& name,
                         const std::vector<hsize_t>& expected) const {
    return h5::read_all<T>(open(loc, name), expected, path_);
  }

  // A string dataset of the expected shape, row-major.
  std::vector<std::string> strings(hid_t loc, const std::string& name,
                                   const std::vector<hsize_t>& expected) const {
    return h5::read_all_strings(open(loc, name), expected, path_);
  }

  // Length of a 1-D dataset (a dimension).
  hsize_t length(hid_t loc, const std::string& name) const {
    return h5::length_of(open(loc, name), path_);
  }

  std::string string_attribute(hid_t obj, const std::string& name) const {
    return h5::read_strings(attribute(obj, name).get(), true, H5S_ALL, 1, path_,
                            "read attribute " + name)
        .front();
  }

  // A 1-D string attribute, any length.
  std::vector<std::string> strings_attribute(hid_t obj, const std::string& name) const {
    const std::string operation = "read attribute " + name;
    Handle attr = h5::open_attribute(obj, name, path_, operation, kDamaged);
    const std::size_t n = h5::attribute_size(attr.get(), path_, operation);
    if (n == 0) return {};
    return h5::read_strings(attr.get(), true, H5S_ALL, n, path_, operation);
  }

  template <class T>
  T number_attribute(hid_t obj, const std::string& name) const {
    T value{};
    h5::read_attribute(attribute(obj, name).get(), h5::Types<T>::memory(), &value, path_,
                       "read attribute " + name);
    return value;
  }

 private:
  void require(hid_t loc, const std::string& name) const {
    if (!h5::has_link(loc, name)) throw OutputError(path_, "open " + name, std::string(kDamaged));
  }

  h5::Dataset open(hid_t loc, const std::string& name) const {
    require(loc, name);
    return h5::open_dataset_as(loc, name, name, path_);
  }

  // An attribute holding a single value.
  Handle attribute(hid_t obj, const std::string& name) const {
    const std::string operation = "read attribute " + name;
    Handle attr = h5::open_attribute(obj, name, path_, operation, kDamaged);
    h5::require_single(attr.get(), path_, operation);
    return attr;
  }

  fs::path path_;
};

void read_root_attributes(const Reader& r, hid_t root, RunFile& run) {
  run.metadata.engine_version = r.string_attribute(root, "engine_version");
  run.metadata.model = r.string_attribute(root, "model");
  run.metadata.seed = r.number_attribute<std::uint64_t>(root, "seed");
  run.metadata.created = r.string_attribute(root, "created");
  run.metadata.command_line = r.string_attribute(root, "command_line");
  // Since 0.3; an older file has neither.
  if (h5::has_attribute(root, "label")) run.metadata.label = r.string_attribute(root, "label");
  if (h5::has_attribute(root, "overrides"))
    run.metadata.overrides = r.strings_attribute(root, "overrides");
  run.scenario_name = r.string_attribute(root, "scenario_name");
  run.scenario_description = r.string_attribute(root, "scenario_description");
  run.scenario_file = r.string_attribute(root, "scenario_file");
  run.scenario_text = r.string_attribute(root, "scenario_text");
  run.goldstein_table = r.string_attribute(root, "goldstein_table");
  run.start = r.number_attribute<double>(root, "start");
  run.dt = r.number_attribute<double>(root, "dt");
  run.steps = r.number_attribute<std::int64_t>(root, "steps");
  run.steps_per_year = r.number_attribute<std::int64_t>(root, "steps_per_year");
  if (h5::has_attribute(root, "record_every")) {
    run.record_every = r.number_attribute<std::int64_t>(root, "record_every");
  }
}

// The run's clock and its frames as a run writes them: a positive step length and a finite
// start, frames in the order of their steps (strictly increasing, from step 0 or later up to the
// run's last) at finite, increasing times. Readers look frames up by step and time (scores'
// observed dates, explanations' windows, charts' axes): a damaged file that breaks the order is
// refused here ("a damaged file", exit 2) rather than searched wrongly.
void require_clock(const Reader& r, const RunFile& run, bool every_recorded) {
  auto refuse = [&](const std::string& operation, const std::string& what) {
    throw OutputError(r.path(), operation, what + ": a damaged file");
  };
  if (!std::isfinite(run.start)) refuse("read attribute start", "is " + exact_number(run.start));
  if (!(std::isfinite(run.dt) && run.dt > 0.0))
    refuse("read attribute dt", "is " + exact_number(run.dt) + ", not a positive step in years");
  // Counts as a scenario gives them (engine/scenario/build_time.cpp): inspect printed a run of
  // 4611686018427387904 steps that held 13 frames.
  if (run.steps < 0 || run.steps > kMaxRunSteps)
    refuse("read attribute steps", "is " + std::to_string(run.steps) + ", not a run's steps [0, " +
                                       std::to_string(kMaxRunSteps) + "]");
  if (run.steps_per_year < 1 || run.steps_per_year > kMaxStepsPerYear)
    refuse("read attribute steps_per_year", "is " + std::to_string(run.steps_per_year) +
                                                ", not a scenario's steps a year [1, " +
                                                std::to_string(kMaxStepsPerYear) + "]");
  // A step is a year's share: dt is 1 / steps_per_year as the run computes it (TimeSpec::dt).
  if (!(std::abs(run.dt * static_cast<double>(run.steps_per_year) - 1.0) <= 1e-12))
    refuse("read attribute dt", "is " + exact_number(run.dt) + ", not the step of " +
                                    std::to_string(run.steps_per_year) + " steps a year");
  if (run.record_every < 1 || run.record_every > std::numeric_limits<std::int32_t>::max())
    refuse("read attribute record_every", "is " + std::to_string(run.record_every));
  // Frames are steps of the run, one at most per step.
  if (run.frames > static_cast<std::uint64_t>(run.steps) + 1)
    refuse("read attribute steps", "is " + std::to_string(run.steps) + ", and the file holds " +
                                       std::to_string(run.frames) + " frames");
  for (std::size_t k = 0; k < run.step.size(); ++k) {
    const std::int64_t step = run.step[k];
    if (step < 0 || step > run.steps)
      refuse("read dataset step", "element " + std::to_string(k) + " is " + std::to_string(step) +
                                      ", outside the run's steps [0, " + std::to_string(run.steps) +
                                      "]");
    if (k > 0 && step <= run.step[k - 1])
      refuse("read dataset step", "element " + std::to_string(k) + " is " + std::to_string(step) +
                                      ", not after element " + std::to_string(k - 1) + " (" +
                                      std::to_string(run.step[k - 1]) + ")");
  }
  // A run records its first step, every record_every-th and its last (Trajectory::record); a
  // trajectory written through the library may end early. A file whose frames say otherwise
  // would be searched and described as another run. Files without record_every (before 0.3)
  // are held to their first step only.
  if (!run.step.empty()) {
    if (run.step.front() != 0)
      refuse("read dataset step",
             "element 0 is " + std::to_string(run.step.front()) + ", not the run's first step 0");
    for (std::size_t k = 0; every_recorded && k < run.step.size(); ++k) {
      const auto every = static_cast<std::uint64_t>(run.record_every);
      const auto last = static_cast<std::uint64_t>(run.steps);
      const std::uint64_t due = k > last / every ? last : std::min<std::uint64_t>(k * every, last);
      if (static_cast<std::uint64_t>(run.step[k]) != due)
        refuse("read dataset step",
               "element " + std::to_string(k) + " is " + std::to_string(run.step[k]) +
                   ", where a run of " + std::to_string(run.steps) + " steps recording every " +
                   std::to_string(run.record_every) + " records step " + std::to_string(due));
    }
  }
  for (std::size_t k = 0; k < run.time.size(); ++k) {
    // Time is start + step × dt as the run computes it (Simulation); within 1e-9 of it, as a
    // file of an earlier build that summed the steps' dt holds it.
    const double expected =
        k < run.step.size() ? run.start + static_cast<double>(run.step[k]) * run.dt : run.time[k];
    if (!(std::abs(run.time[k] - expected) <= 1e-9 * std::max(1.0, std::abs(expected))))
      refuse("read dataset time",
             "element " + std::to_string(k) + " is " + exact_number(run.time[k]) +
                 ", not the time of step " + std::to_string(run.step[k]) + " (start " +
                 exact_number(run.start) + " + step × dt " + exact_number(run.dt) + ")");
    if (!std::isfinite(run.time[k]))
      refuse("read dataset time",
             "element " + std::to_string(k) + " is " + exact_number(run.time[k]));
    if (k > 0 && run.time[k] <= run.time[k - 1])
      refuse("read dataset time", "element " + std::to_string(k) + " is " +
                                      exact_number(run.time[k]) + ", not after element " +
                                      std::to_string(k - 1) + " (" + exact_number(run.time[k - 1]) +
                                      ")");
  }
}

// The steps and times of a run's logged events and admission decisions (group "events" or
// "admissions"): each made at a step of the run, [0, steps], at a finite time. Explanations and
// reports place them by step among the frames.
void require_log_clock(const Reader& r, const RunFile& run, const std::string& group,
                       const std::vector<std::int64_t>& step, const std::vector<double>& time) {
  for (std::size_t k = 0; k < step.size(); ++k) {
    if (step[k] < 0 || step[k] > run.steps)
      throw OutputError(r.path(), "read dataset /" + group + "/step",
                        "element " + std::to_string(k) + " is " + std::to_string(step[k]) +
                            ", outside the run's steps [0, " + std::to_string(run.steps) +
                            "]: a damaged file");
    if (!std::isfinite(time[k]))
      throw OutputError(
          r.path(), "read dataset /" + group + "/time",
          "element " + std::to_string(k) + " is " + exact_number(time[k]) + ": a damaged file");
  }
}

// What holding the file's frames takes, before any is read: the recorded datasets it has and its
// network's per-pair frames (a sign, a route's cost and its text, ~48 bytes as a std::string);
// refused beyond `limit` bytes, naming both, as a run too large for the machine is.
void check_frames_fit(const Reader& r, hid_t root, const RunFile& run, const AxisSizes& sizes,
                      std::uint64_t limit) {
  // In doubles: a damaged file's lengths may claim sizes whose product overflows 64 bits.
  const auto f = static_cast<double>(run.frames);
  double bytes = 0.0;
  for (const RecordedDataset& row : kRecordedDatasets) {
    if (row.stored != Stored::root || (row.optional && !h5::has_link(root, std::string(row.name))))
      continue;
    bytes += f * static_cast<double>(row.frame_size(sizes)) *
             static_cast<double>(row.f64 != nullptr ? sizeof(double) : 1);
  }
  const auto n = static_cast<double>(run.dims.actors);
  if (h5::has_link(root, "network")) bytes += f * n * n * (1 + sizeof(double) + 48);
  if (bytes <= static_cast<double>(limit)) return;
  throw OutputError(
      r.path(), "read",
      "reading it whole would take about " + gib_text(bytes) + " GiB of memory (" +
          std::to_string(run.frames) + " frames of " + std::to_string(run.dims.actors) +
          " actors and " + std::to_string(run.dims.domains) + " domains), more than the limit of " +
          gib_text(static_cast<double>(limit)) +
          " GiB (three quarters of this machine's memory); read parts of it with h5py or xarray "
          "(docs/output-format.md), or run the scenario again recording fewer frames "
          "(output.every) or without contributions (output.contributions = false)");
}

void read_trajectory(const Reader& r, hid_t root, RunFile& run, std::uint64_t memory_limit) {
  const hsize_t f = r.length(root, "time");
  // A run records at least its initial state: a file without frames was cut short or damaged,
  // and every reader of the frames (inspect, compare, report, explain) would index past its end.
  if (f == 0)
    throw OutputError(r.path(), "read dataset time",
                      "the file holds no frames (its time dimension has length 0); "
                      "not a complete run result");
  const hsize_t n = r.length(root, "actor");
  const hsize_t d = r.length(root, "domain");
  const hsize_t k = r.length(root, "institution");
  const hsize_t t = r.length(root, "term");
  if (r.length(root, "partner") != n) {
    throw OutputError(r.path(), "open dataset partner", "length differs from actor");
  }
  run.frames = static_cast<std::size_t>(f);
  run.dims =
      Dims{static_cast<std::size_t>(n), static_cast<std::size_t>(d), static_cast<std::size_t>(k)};

  run.time = r.numbers<double>(root, "time", {f});
  run.actors = r.strings(root, "actor", {n});
  const std::vector<std::string> partners = r.strings(root, "partner", {n});
  if (partners != run.actors) {
    throw OutputError(r.path(), "read dataset partner", "codes differ from actor");
  }
  run.domains = r.strings(root, "domain", {d});
  run.institutions = r.strings(root, "institution", {k});
  run.terms = r.strings(root, "term", {t});
  if (!h5::has_link(root, "channel"))
    throw OutputError(r.path(), "read dataset channel",
                      "the file has no channel dimension: it was written by interdep 0.1, "
                      "before finance, gas need and leverage by channel; rerun its scenario "
                      "with this version (its scenario_text attribute holds the scenario)");
  const std::vector<std::string> channels =
      r.strings(root, "channel", {static_cast<hsize_t>(kDependenceChannels.size())});
  if (!std::equal(channels.begin(), channels.end(), kDependenceChannels.begin()))
    throw OutputError(r.path(), "read dataset channel",
                      "expected the channels trade, energy, finance in this order");
  run.step = r.numbers<std::int64_t>(root, "step", {f});
  require_clock(r, run, h5::has_attribute(root, "record_every"));
  run.actor_names = r.strings(root, "actor_name", {n});
  // Labels and voting-only members are optional (files of older versions may lack them): a
  // file without them reads as labelled by its codes, with no voting-only members, so that
  // every reader can index them by domain and institution.
  run.domain_labels =
      h5::has_link(root, "domain_label") ? r.strings(root, "domain_label", {d}) : run.domains;
  run.institution_labels = h5::has_link(root, "institution_label")
                               ? r.strings(root, "institution_label", {k})
                               : run.institutions;
  run.institution_other_members = h5::has_link(root, "institution_other_members")
                                      ? r.strings(root, "institution_other_members", {k})
                                      : std::vector<std::string>(run.institutions.size());

  run.interests = r.numbers<double>(root, "interests", {n, d});
  // Every recorded dataset the root group keeps (the table of engine/run/recorded_datasets.hpp).
  const AxisSizes sizes{run.dims.actors, run.dims.domains, run.dims.institutions,
                        static_cast<std::size_t>(t), 0};
  check_frames_fit(r, root, run, sizes, memory_limit);
  for (const RecordedDataset& row : kRecordedDatasets) {
    if (row.stored != Stored::root) continue;
    const std::string name(row.name);
    if (row.optional && !h5::has_link(root, name)) continue;
    std::vector<hsize_t> shape{f};
    for (Axis axis : row.axis_list()) shape.push_back(static_cast<hsize_t>(sizes.of(axis)));
    if (row.f64 != nullptr) run.*row.f64 = r.numbers<double>(root, name, shape);
    if (row.u8 != nullptr) run.*row.u8 = r.numbers<std::uint8_t>(root, name, shape);
    if (row.f64 == &RecordedArrays::contributions) run.has_contributions = true;
  }
  // A run refuses to write a value that is not a number in a dataset marked `finite`
  // (refuse_non_finite, engine/run/simulation.cpp), and one in any other recorded dataset would
  // show in one of those (a relation's in the overall relation, a contribution's in the
  // relations): a file that holds one anywhere, or in the interest weights, was altered (explain
  // printed "went +nan → +nan" of damaged relations).
  const auto refuse_non_finite = [&](const std::vector<double>& values, std::string_view name) {
    const auto bad =
        std::find_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); });
    if (bad != values.end())
      throw OutputError(r.path(), "read dataset " + std::string(name),
                        "element " + std::to_string(bad - values.begin()) + " is " +
                            exact_number(*bad) +
                            ", which no run writes (it refuses values that are not numbers): a "
                            "damaged file");
  };
  refuse_non_finite(run.interests, "interests");
  for (const RecordedDataset& row : kRecordedDatasets)
    if (row.f64 != nullptr && row.stored == Stored::root) refuse_non_finite(run.*row.f64, row.name);
}

// The secondary-sanction scale a trade sanction's detail names (", secondary 0.05"), 0 without.
double secondary_in_detail(const std::string& detail) {
  const std::string key = ", secondary ";
  const auto at = detail.find(key);
  if (at == std::string::npos) return 0.0;
  double value = 0.0;
  const char* first = detail.data() + at + key.size();
  const auto [end, error] = std::from_chars(first, detail.data() + detail.size(), value);
  return error == std::errc() && end != first && std::isfinite(value) ? value : 0.0;
}

void read_events(const Reader& r, hid_t root, RunFile& run) {
  const Handle group = r.group(root, "events");
  const hid_t g = group.get();
  const hsize_t n = r.length(g, "event");
  const auto time = r.numbers<double>(g, "time", {n});
  const auto step = r.numbers<std::int64_t>(g, "step", {n});
  const auto kind = r.strings(g, "kind", {n});
  const auto label = r.strings(g, "label", {n});
  const auto actor = r.strings(g, "actor", {n});
  const auto target = r.strings(g, "target", {n});
  const auto goldstein = r.numbers<double>(g, "goldstein", {n});
  const auto cameo = r.strings(g, "cameo", {n});
  const auto event_index = r.numbers<std::int64_t>(g, "event_index", {n});
  // Files from before it was recorded have no detail.
  const auto detail =
      h5::has_link(g, "detail") ? r.strings(g, "detail", {n}) : std::vector<std::string>(n);
  // Files from before they were recorded: a sanction's type and secondary part from the
  // detail's words ("trade, both directions, costs +60 %, secondary 0.05").
  const bool typed = h5::has_link(g, "sanction_type") && h5::has_link(g, "secondary");
  const auto sanction_type = typed ? r.strings(g, "sanction_type", {n})
                                   : std::vector<std::string>(static_cast<std::size_t>(n));
  const auto secondary = typed ? r.numbers<double>(g, "secondary", {n})
                               : std::vector<double>(static_cast<std::size_t>(n), 0.0);
  require_log_clock(r, run, "events", step, time);
  run.events.resize(static_cast<std::size_t>(n));
  for (std::size_t k = 0; k < run.events.size(); ++k) {
    run.events[k] =
        RunEvent{step[k],      time[k],  kind[k],        label[k],  actor[k],         target[k],
                 goldstein[k], cameo[k], event_index[k], detail[k], sanction_type[k], secondary[k]};
    if (!typed && kind[k] == "sanction") {
      RunEvent& e = run.events[k];
      e.sanction_type = detail[k].empty() ? "trade" : detail[k].substr(0, detail[k].find(','));
      e.secondary = secondary_in_detail(detail[k]);
    }
  }
}

void read_admissions(const Reader& r, hid_t root, RunFile& run) {
  const Handle group = r.group(root, "admissions");
  const hid_t g = group.get();
  const hsize_t n = r.length(g, "decision");
  const auto time = r.numbers<double>(g, "time", {n});
  const auto step = r.numbers<std::int64_t>(g, "step", {n});
  const auto institution = r.strings(g, "institution", {n});
  const auto applicant = r.strings(g, "applicant", {n});
  const auto votes_for = r.numbers<std::int32_t>(g, "votes_for", {n});
  const auto votes_against = r.numbers<std::int32_t>(g, "votes_against", {n});
  const auto probability = r.numbers<double>(g, "probability", {n});
  const auto admitted = r.numbers<std::uint8_t>(g, "admitted", {n});
  require_log_clock(r, run, "admissions", step, time);
  // Counts of votes and a probability, as a run writes them (inspect printed "-1 for").
  for (std::size_t k = 0; k < static_cast<std::size_t>(n); ++k) {
    const auto refuse = [&](const char* dataset, const std::string& value, const char* expected) {
      throw OutputError(
          r.path(), std::string("read dataset admissions/") + dataset,
          "element " + std::to_string(k) + " is " + value + ", " + expected + ": a damaged file");
    };
    if (votes_for[k] < 0) refuse("votes_for", std::to_string(votes_for[k]), "a count below 0");
    if (votes_against[k] < 0)
      refuse("votes_against", std::to_string(votes_against[k]), "a count below 0");
    if (!(probability[k] >= 0.0 && probability[k] <= 1.0))
      refuse("probability", exact_number(probability[k]), "not a probability in [0, 1]");
  }
  run.admissions.resize(static_cast<std::size_t>(n));
  for (std::size_t k = 0; k < run.admissions.size(); ++k) {
    run.admissions[k] =
        RunAdmission{step[k],      time[k],          institution[k], applicant[k],
                     votes_for[k], votes_against[k], probability[k], admitted[k] != 0};
  }
}

// The /observed group, when present (runs of scenarios with [[observations]]).
void read_observed(const Reader& r, hid_t root, RunFile& run) {
  if (!h5::has_link(root, "observed")) return;
  const Handle group = r.group(root, "observed");
  const hid_t g = group.get();
  const hsize_t n = r.length(g, "observation");
  const auto series = r.numbers<std::int64_t>(g, "series", {n});
  const auto quantity = r.strings(g, "quantity", {n});
  const auto period = r.strings(g, "period", {n});
  const auto aggregate = r.strings(g, "aggregate", {n});
  const auto date = r.numbers<double>(g, "date", {n});
  const auto observed = r.numbers<double>(g, "observed", {n});
  const auto uncertainty = r.numbers<double>(g, "uncertainty", {n});
  const auto simulated = r.numbers<double>(g, "simulated", {n});
  const auto unit = r.strings(g, "unit", {n});
  const auto source = r.strings(g, "source", {n});
  const auto states = r.numbers<std::int64_t>(g, "states", {n});
  const auto from = r.numbers<double>(g, "from", {n});
  const auto to = r.numbers<double>(g, "to", {n});
  run.observations.resize(static_cast<std::size_t>(n));
  for (std::size_t k = 0; k < run.observations.size(); ++k)
    run.observations[k] = RunObservation{
        series[k],    quantity[k], period[k], aggregate[k], date[k], observed[k], uncertainty[k],
        simulated[k], unit[k],     source[k], states[k],    from[k], to[k]};
}

// A damaged file can hold well-formed numbers no run writes. Those that count or index (camps,
// ties, triads, corridor nodes) must be in [low, high] (`high` per element when given), or
// printing and reports would loop over, or index past, what the file claims.
template <class T>
void require_within(const Reader& r, const std::string& dataset, const std::vector<T>& values,
                    std::int64_t low, std::int64_t high,
                    const std::vector<std::int32_t>* high_of = nullptr) {
  for (std::size_t k = 0; k < values.size(); ++k) {
    const auto value = static_cast<std::int64_t>(values[k]);
    const std::int64_t top = high_of != nullptr ? (*high_of)[k] : high;
    if (value < low || value > top)
      throw OutputError(r.path(), "read dataset network/" + dataset,
                        "element " + std::to_string(k) + " is " + std::to_string(value) +
                            ", outside [" + std::to_string(low) + ", " + std::to_string(top) +
                            "]: a damaged file");
  }
}

// The /network group, when present (older files and runs with [output] network = false have
// none). Its frame, actor and domain axes are the root's.
void read_network(const Reader& r, hid_t root, RunFile& run) {
  RunNetwork& net = run.network;
  if (!h5::has_link(root, "network")) return;
  const Handle group = r.group(root, "network");
  const hid_t g = group.get();
  const auto f = static_cast<hsize_t>(run.frames);
  const auto n = static_cast<hsize_t>(run.dims.actors);
  const auto d = static_cast<hsize_t>(run.dims.domains);
  const hsize_t nodes = r.length(g, "node");
  const hsize_t edges = r.length(g, "corridor_edge");
  net.tie_threshold = r.number_attribute<double>(g, "tie_threshold");
  net.nodes = r.strings(g, "node", {nodes});
  net.node_names = r.strings(g, "node_name", {nodes});
  net.corridor_edges = r.strings(g, "corridor_edge", {edges});
  net.edge_from = r.numbers<std::int64_t>(g, "edge_from", {edges});
  net.edge_to = r.numbers<std::int64_t>(g, "edge_to", {edges});
  net.edge_cost = r.numbers<double>(g, "edge_cost", {edges});
  net.sign = r.numbers<std::int8_t>(g, "sign", {f, n, n});
  net.faction = r.numbers<std::int32_t>(g, "faction", {f, n});
  const std::pair<const char*, std::vector<std::int32_t>*> counts[] = {
      {"faction_count", &net.faction_count},
      {"frustration", &net.frustration},
      {"triads_signed", &net.triads_signed},
      {"triads_balanced", &net.triads_balanced},
  };
  for (const auto& [name, values] : counts) *values = r.numbers<std::int32_t>(g, name, {f});
  net.balanced_share = r.numbers<double>(g, "balanced_share", {f});
  net.balanced_share_domain = r.numbers<double>(g, "balanced_share_domain", {f, d});
  net.betweenness = r.numbers<double>(g, "betweenness", {f, n});
  net.corridor_betweenness = r.numbers<double>(g, "corridor_betweenness", {f, nodes});
  net.route_cost = r.numbers<double>(g, "route_cost", {f, n, n});
  net.route = r.strings(g, "route", {f, n, n});
  net.corridor_open = r.numbers<std::uint8_t>(g, "corridor_open", {f, edges});
  // The ranges docs/output-format.md gives: two camps at most, ties among n actors, triads
  // among them (balanced ones among the signed), edges between the nodes.
  const auto actors = static_cast<std::int64_t>(n);
  require_within(r, "sign", net.sign, -1, 1);
  require_within(r, "faction", net.faction, 0, 1);
  require_within(r, "faction_count", net.faction_count, 0, std::min<std::int64_t>(2, actors));
  require_within(r, "frustration", net.frustration, 0, actors * (actors - 1) / 2);
  require_within(r, "triads_signed", net.triads_signed, 0,
                 actors * (actors - 1) * (actors - 2) / 6);
  require_within(r, "triads_balanced", net.triads_balanced, 0, 0, &net.triads_signed);
  require_within(r, "edge_from", net.edge_from, 0, static_cast<std::int64_t>(nodes) - 1);
  require_within(r, "edge_to", net.edge_to, 0, static_cast<std::int64_t>(nodes) - 1);
  require_within(r, "corridor_open", net.corridor_open, 0, 1);
  net.present = true;
}

}  // namespace

namespace {

// Opens a run file and reads its root attributes, after checking it is one (conventions).
RunFile read_attributes(const fs::path& path, const Reader& r, hid_t root) {
  RunFile run;
  run.path = path;
  if (h5::has_attribute(root, "conventions")) {
    run.conventions = r.string_attribute(root, "conventions");
  }
  if (run.conventions.rfind("interdep-", 0) != 0) {
    throw OutputError(path, "open",
                      "not an interdep result file (no root attribute conventions = \"" +
                          std::string(kOutputConventions) + "\")");
  }
  // A sweep's shard or file (output/sweep_file, "interdep-sweep-1"): say what reads it.
  if (run.conventions.rfind("interdep-sweep-shard-", 0) == 0)
    throw OutputError(path, "open", unfinished_sweep_shard(path));
  if (run.conventions.rfind("interdep-sweep-", 0) == 0) {
    throw OutputError(
        path, "open",
        "this is a sweep file (conventions \"" + run.conventions +
            "\"), not the result of a single run: inspect, export, analyze, "
            "discover, score and tools/plot trajectories --sweep read it, and `interdep run "
            "--from-sweep " +
            path.string() + " --run K` runs one of its runs again into a run file");
  }
  if (run.conventions != kOutputConventions) {
    throw OutputError(path, "open",
                      "written with conventions \"" + run.conventions +
                          "\"; this program reads \"" + std::string(kOutputConventions) + "\"");
  }
  read_root_attributes(r, root, run);
  return run;
}

}  // namespace

RunFile read_run(const fs::path& path, std::uint64_t memory_limit) {
  const h5::ErrorSilencer silence;
  const Handle file = h5::open_file(path, H5F_ACC_RDONLY, path, "an interdep result file");
  const Handle root = h5::root_group(file.get(), path);
  const Reader r(path);
  RunFile run = read_attributes(path, r, root.get());
  read_trajectory(r, root.get(), run, memory_limit != 0 ? memory_limit : default_memory_limit());
  read_events(r, root.get(), run);
  read_admissions(r, root.get(), run);
  read_observed(r, root.get(), run);
  read_network(r, root.get(), run);
  return run;
}

RunFile read_run_attributes(const fs::path& path) {
  const h5::ErrorSilencer silence;
  const Handle file = h5::open_file(path, H5F_ACC_RDONLY, path, "an interdep result file");
  const Handle root = h5::root_group(file.get(), path);
  return read_attributes(path, Reader(path), root.get());
}

}  // namespace interdep
