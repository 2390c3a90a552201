#include "output/report/report_data.hpp"

#include <algorithm>
#include <optional>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "output/insight/compare.hpp"
#include "output/insight/explain.hpp"
#include "output/report/json_writer.hpp"

namespace interdep::report {

namespace {

using Frames = std::vector<std::size_t>;  // recorded frames, ascending

// A recorded array the page draws, with its units and meaning, keyed by its dataset name: the
// rows of the recorded-dataset table (engine/run/recorded_datasets.hpp) with a report label.
struct Series {
  std::string_view name, unit, long_name;
  const std::vector<double>& values;
};

std::vector<Series> run_series(const RunFile& run) {
  std::vector<Series> series;
  for (const RecordedDataset& row : kRecordedDatasets)
    if (!row.report_label.empty() && row.f64 != nullptr)
      series.push_back({row.name, row.units, row.report_label, run.*row.f64});
  return series;
}

// The frame-major array `values` of `frames` frames (each values.size() / frames long) at the
// frames `shown` only; all of it when `shown` is every frame.
template <typename T>
std::vector<T> at_frames(const std::vector<T>& values, std::size_t frames, const Frames& shown) {
  if (shown.size() == frames || frames == 0) return values;
  const std::size_t per_frame = values.size() / frames;
  std::vector<T> out;
  out.reserve(per_frame * shown.size());
  for (const std::size_t f : shown)
    out.insert(out.end(), values.begin() + static_cast<std::ptrdiff_t>(f * per_frame),
               values.begin() + static_cast<std::ptrdiff_t>((f + 1) * per_frame));
  return out;
}

// Values a frame of `run` puts in the data block: its drawn series, memberships and network.
std::size_t values_per_frame(const RunFile& run) {
  if (run.frames == 0) return 0;
  std::size_t values = 1 + run.membership.size();  // its time
  for (const Series& s : run_series(run)) values += s.values.size();
  const RunNetwork& n = run.network;
  values += n.sign.size() + n.faction.size() + n.faction_count.size() + n.frustration.size() +
            n.triads_signed.size() + n.triads_balanced.size() + n.balanced_share.size() +
            n.balanced_share_domain.size() + n.betweenness.size();
  return values / run.frames;
}

void write_coded_list(JsonWriter& json, const std::vector<std::string>& codes,
                      const std::vector<std::string>& names) {
  json.begin_array();
  for (std::size_t k = 0; k < codes.size(); ++k) {
    json.begin_object().key("code").value(codes[k]).key("name").value(k < names.size() ? names[k]
                                                                                       : codes[k]);
    json.end_object();
  }
  json.end_array();
}

void write_run_metadata(JsonWriter& json, const RunFile& run) {
  json.begin_object();
  json.key("name").value(run_label(run.metadata, run.scenario_name));
  json.key("description").value(run.scenario_description);
  json.key("file").value(run.path.filename().string());
  json.key("scenario_file").value(run.scenario_file);
  // A string: seeds go up to 2^64 - 1, beyond the integers a JavaScript number holds exactly.
  json.key("seed").value(std::to_string(run.metadata.seed));
  json.key("engine_version").value(run.metadata.engine_version);
  json.key("model").value(run.metadata.model);
  json.key("created").value(run.metadata.created);
  json.key("command_line").value(run.metadata.command_line);
  json.key("start").value(run.start);
  json.key("dt").value(run.dt);
  json.key("steps").value(run.steps);
  json.key("record_every").value(run.record_every);
  json.end_object();
}

void write_events(JsonWriter& json, const RunFile& run) {
  json.begin_array();
  for (std::size_t row = 0; row < run.events.size(); ++row) {
    const RunEvent& e = run.events[row];
    json.begin_object();
    json.key("row").value(row).key("time").value(e.time).key("step").value(e.step);
    json.key("kind").value(e.kind).key("label").value(e.label);
    json.key("actor").value(e.actor).key("target").value(e.target);
    json.key("goldstein").value(e.goldstein).key("cameo").value(e.cameo);
    json.key("detail").value(e.detail);
    json.end_object();
  }
  json.end_array();
}

void write_admissions(JsonWriter& json, const RunFile& run) {
  json.begin_array();
  for (std::size_t row = 0; row < run.admissions.size(); ++row) {
    const RunAdmission& a = run.admissions[row];
    json.begin_object();
    json.key("row").value(row).key("time").value(a.time).key("step").value(a.step);
    json.key("institution").value(a.institution).key("applicant").value(a.applicant);
    json.key("votes_for").value(a.votes_for).key("votes_against").value(a.votes_against);
    json.key("probability").value(a.probability).key("admitted").value(a.admitted);
    json.end_object();
  }
  json.end_array();
}

// The /observed group's rows (empty without [[observations]]).
void write_observations(JsonWriter& json, const RunFile& run) {
  json.begin_array();
  for (std::size_t row = 0; row < run.observations.size(); ++row) {
    const RunObservation& o = run.observations[row];
    json.begin_object();
    json.key("row").value(row).key("series").value(o.series).key("quantity").value(o.quantity);
    json.key("period").value(o.period).key("aggregate").value(o.aggregate);
    json.key("date").value(o.date).key("from").value(o.from).key("to").value(o.to);
    json.key("observed").value(o.observed).key("uncertainty").value(o.uncertainty);
    json.key("simulated").value(o.simulated).key("states").value(o.states);
    json.key("unit").value(o.unit).key("source").value(o.source);
    json.end_object();
  }
  json.end_array();
}

// The signed relation graph of the /network group; the corridor graph (routes, open legs) is
// not drawn by the page and stays out.
void write_network(JsonWriter& json, const RunNetwork& network, std::size_t frames,
                   const Frames& shown) {
  const auto integers = [&](const auto& values) {
    using T = typename std::decay_t<decltype(values)>::value_type;
    const std::vector<T> kept = at_frames(values, frames, shown);
    json.integer_array(std::span<const T>(kept));
  };
  json.begin_object();
  json.key("tie_threshold").value(network.tie_threshold);
  json.key("sign");
  integers(network.sign);
  json.key("faction");
  integers(network.faction);
  json.key("faction_count");
  integers(network.faction_count);
  json.key("frustration");
  integers(network.frustration);
  json.key("triads_signed");
  integers(network.triads_signed);
  json.key("triads_balanced");
  integers(network.triads_balanced);
  json.key("balanced_share").array(at_frames(network.balanced_share, frames, shown));
  json.key("balanced_share_domain").array(at_frames(network.balanced_share_domain, frames, shown));
  json.key("betweenness").array(at_frames(network.betweenness, frames, shown));
  json.end_object();
}

void write_narratives(JsonWriter& json, const std::vector<insight::Explanation>& explanations) {
  json.begin_array();
  for (const insight::Explanation& x : explanations) {
    json.begin_object();
    json.key("actor").value(x.actor).key("partner").value(x.partner);
    json.key("actor_name").value(x.actor_name).key("partner_name").value(x.partner_name);
    json.key("domain").value(x.domain).key("domain_label").value(x.domain_label);
    json.key("from_time").value(x.from_time).key("to_time").value(x.to_time);
    json.key("start_value").value(x.start_value).key("end_value").value(x.end_value);
    json.key("terms").begin_array();
    for (const insight::TermShare& t : x.terms) {
      json.begin_object().key("term").value(t.term).key("value").value(t.value);
      json.key("share").value(t.share).key("meaning").value(t.meaning).end_object();
    }
    json.end_array();
    json.key("events").begin_array();
    for (const insight::EventCause& e : x.events) {
      json.begin_object().key("time").value(e.time).key("kind").value(e.kind).key("label").value(
          e.label);
      json.key("actor")
          .value(e.actor)
          .key("target")
          .value(e.target)
          .key("goldstein")
          .value(e.goldstein);
      json.key("channel").value(e.channel).key("weight").value(e.weight).end_object();
    }
    json.end_array();
    json.key("text").value(x.text);
    json.end_object();
  }
  json.end_array();
}

void write_differences(JsonWriter& json, const std::vector<insight::Difference>& rows) {
  json.begin_array();
  for (const insight::Difference& d : rows) {
    json.begin_object();
    json.key("section").value(d.section).key("quantity").value(d.quantity);
    json.key("label").value(d.label).key("unit").value(d.unit);
    json.key("scenario_end").value(d.scenario_end).key("baseline_end").value(d.baseline_end);
    json.key("end_difference").value(d.end_difference);
    json.key("peak_difference").value(d.peak_difference).key("peak_time").value(d.peak_time);
    // As `compare` prints them: the row adds up (insight::difference_text).
    const insight::DifferenceText text = insight::difference_text(d);
    json.key("text").begin_object();
    json.key("scenario_end").value(text.scenario_end).key("baseline_end").value(text.baseline_end);
    json.key("end_difference").value(text.end_difference);
    json.key("peak_difference").value(text.peak_difference);
    json.end_object();
    json.key("actor")
        .value(static_cast<double>(d.actor))
        .key("partner")
        .value(static_cast<double>(d.partner));
    json.key("domain");
    if (d.domain) {
      json.value(static_cast<double>(*d.domain));
    } else {
      json.null();
    }
    json.end_object();
  }
  json.end_array();
}

void write_comparison(JsonWriter& json, const insight::Comparison& comparison) {
  json.begin_object();
  json.key("relations");
  write_differences(json, comparison.relations);
  json.key("flows");
  write_differences(json, comparison.flows);
  json.key("interdependence");
  write_differences(json, comparison.interdependence);
  json.key("memberships").begin_array();
  for (const insight::MembershipChange& m : comparison.memberships) {
    json.begin_object().key("actor").value(m.actor).key("institution").value(m.institution);
    json.key("gained").value(m.gained).key("time").value(m.time).end_object();
  }
  json.end_array();
  // The runs' seeds differ: their differences mix the scenario's effect with chance ("" when not).
  json.key("seed_note").value(comparison.seed_note);
  json.end_object();
}

// The baseline's series drawn dashed beside the scenario's. compare() has checked that both runs
// have the same actors, domains and frames, so the arrays line up index for index.
void write_baseline(JsonWriter& json, const RunFile& baseline, const Frames& shown) {
  json.begin_object();
  json.key("run");
  write_run_metadata(json, baseline);
  json.key("series").begin_object();
  for (const Series& s : run_series(baseline))
    json.key(s.name).array(at_frames(s.values, baseline.frames, shown));
  json.end_object();
  json.key("balanced_share");
  if (baseline.network.present) {
    json.array(at_frames(baseline.network.balanced_share, baseline.frames, shown));
  } else {
    json.null();
  }
  // Ties are counted at it: a baseline analysed at another threshold is told apart on the page.
  json.key("tie_threshold");
  if (baseline.network.present)
    json.value(baseline.network.tie_threshold);
  else
    json.null();
  json.key("observations");
  write_observations(json, baseline);
  json.end_object();
}

}  // namespace

std::vector<std::size_t> report_frames(const RunFile& run, const RunFile* baseline,
                                       std::size_t budget_bytes) {
  const std::size_t frames = run.frames;
  std::vector<std::size_t> shown(frames);
  for (std::size_t f = 0; f < frames; ++f) shown[f] = f;
  std::size_t per_frame = values_per_frame(run) + (baseline ? values_per_frame(*baseline) : 0);
  per_frame *= kBytesPerValue;
  if (frames <= 2 || per_frame * frames <= budget_bytes) return shown;
  // Every k-th frame from the first, and the last: at most budget / per_frame frames, at least 2.
  const std::size_t fit =
      std::max<std::size_t>(2, budget_bytes / std::max<std::size_t>(per_frame, 1));
  const std::size_t stride = (frames - 2) / (fit - 1) + 1;
  shown.clear();
  for (std::size_t f = 0; f < frames - 1; f += stride) shown.push_back(f);
  shown.push_back(frames - 1);
  return shown;
}

std::string report_data_json(const RunFile& run, const RunFile* baseline,
                             const std::vector<std::size_t>& shown) {
  // First, so that runs that cannot be compared fail before any work.
  std::optional<insight::Comparison> comparison;
  if (baseline != nullptr) comparison = insight::compare(run, *baseline);

  JsonWriter json;
  json.begin_object();
  json.key("format").value("interdep-report-1");
  json.key("run");
  write_run_metadata(json, run);
  json.key("actors");
  write_coded_list(json, run.actors, run.actor_names);
  json.key("domains");
  write_coded_list(json, run.domains, run.domain_labels);
  json.key("institutions");
  write_coded_list(json, run.institutions, run.institution_labels);
  // The frames shown, and where each is in the file (null: every one, in order).
  json.key("frames").value(shown.size());
  json.key("file_frames");
  if (shown.size() == run.frames) {
    json.null();
  } else {
    json.integer_array(std::span<const std::size_t>(shown));
  }
  json.key("recorded_frames").value(run.frames);
  json.key("time").array(at_frames(run.time, run.frames, shown));

  json.key("series").begin_object();
  for (const Series& s : run_series(run))
    json.key(s.name).array(at_frames(s.values, run.frames, shown));
  json.end_object();
  json.key("units").begin_object();
  for (const Series& s : run_series(run)) json.key(s.name).value(s.unit);
  json.end_object();
  json.key("long_names").begin_object();
  for (const Series& s : run_series(run)) json.key(s.name).value(s.long_name);
  json.end_object();
  const std::vector<std::uint8_t> membership = at_frames(run.membership, run.frames, shown);
  json.key("membership").integer_array(std::span<const std::uint8_t>(membership));

  json.key("events");
  write_events(json, run);
  json.key("admissions");
  write_admissions(json, run);
  json.key("observations");
  write_observations(json, run);

  json.key("network");
  if (run.network.present) {
    write_network(json, run.network, run.frames, shown);
  } else {
    json.null();
  }

  // Narratives need the per-term contributions; a file recorded without them has none.
  json.key("narratives");
  if (run.has_contributions) {
    write_narratives(json, insight::explain_largest_moves(run, kNarrativeCount));
  } else {
    json.null();
  }

  json.key("baseline");
  if (baseline != nullptr) {
    write_baseline(json, *baseline, shown);
  } else {
    json.null();
  }
  json.key("comparison");
  if (comparison) {
    write_comparison(json, *comparison);
  } else {
    json.null();
  }
  json.end_object();
  return json.text();
}

}  // namespace interdep::report
