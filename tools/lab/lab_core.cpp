// The engine's side of the browser lab (interdep lab, docs/lab.md), compiled to WebAssembly with
// Emscripten: the page writes its scenarios into the module's in-memory file system, then calls
// these functions with "key=value" overrides (the command line's --set), one per line. Answers
// are JSON texts; a run's datasets stay in the module's memory, and the JSON gives where each
// is (a byte offset into the heap and a count of doubles), so the page reads them without a
// text round trip: bit for bit what the native engine computes.
#include <emscripten/emscripten.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/run/recorded_datasets.hpp"
#include "engine/scenario/enum_names.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/text/text_format.hpp"
#include "models/registry.hpp"
#include "output/insight/explain.hpp"
#include "output/report/json_writer.hpp"
#include "output/run_file/run_content.hpp"

namespace {

using interdep::report::JsonWriter;

// What the last call left for the page to read: its answer, the run's datasets (every dataset
// as doubles, memberships and corridor states converted), the edited scenario's text, and the
// run as a result file would hold it, for explain.
struct LabMemory {
  std::string answer;
  std::vector<std::vector<double>> datasets;
  std::string resolved_text;
  interdep::RecordedRun run;
  bool has_run = false;
};
LabMemory& memory() {
  static LabMemory m;
  return m;
}

// The run file's dimension names (docs/output-format.md).
std::string_view axis_name(interdep::Axis axis) {
  switch (axis) {
    case interdep::Axis::actor: return "actor";
    case interdep::Axis::partner: return "partner";
    case interdep::Axis::domain: return "domain";
    case interdep::Axis::institution: return "institution";
    case interdep::Axis::term: return "term";
    case interdep::Axis::corridor_edge: return "corridor_edge";
    case interdep::Axis::channel: return "channel";
  }
  return "";
}

interdep::LoadOptions options_of(const char* overrides) {
  interdep::LoadOptions options;
  std::istringstream lines(overrides ? overrides : "");
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) options.overrides.push_back(line);
  return options;
}

const char* answer(std::string text) {
  memory().answer = std::move(text);
  return memory().answer.c_str();
}

// An error as the page shows it: bad input (`input`) gives the engine's reason without its
// place (`message`: the page's scenarios are texts in the module's file system, whose lines no
// student sees), the key, and the override of `overrides` the error names (`override`: a
// control's key and value), from which the page names the control.
const char* error_answer(const std::exception& e, bool input,
                         const std::vector<std::string>& overrides) {
  JsonWriter json;
  json.begin_object().key("ok").value(false).key("input").value(input).key("error").value(e.what());
  if (const auto* bad = dynamic_cast<const interdep::InputError*>(&e)) {
    json.key("file").value(bad->where().file).key("line").value(bad->where().line);
    json.key("key").value(bad->key()).key("message").value(bad->message());
    json.key("override").value(interdep::override_named_by(*bad, overrides));
  }
  json.end_object();
  return answer(json.text());
}

// `make_answer()`'s text as the answer, or its error's: bad input (file, line, key, the override
// of `overrides` it names) or a failure.
template <class MakeAnswer>
const char* guarded(const std::vector<std::string>& overrides, MakeAnswer make_answer) {
  try {
    return answer(make_answer());
  } catch (const interdep::InputError& e) {
    return error_answer(e, true, overrides);
  } catch (const std::exception& e) {
    return error_answer(e, false, overrides);
  }
}

void describe(JsonWriter& json, const interdep::ScenarioSpec& spec) {
  json.key("name").value(spec.name).key("description").value(spec.description);
  json.key("seed").value(static_cast<double>(spec.seed));
  json.key("start").value(spec.time.start).key("years").value(spec.time.years);
  json.key("steps").value(spec.time.steps);
  json.key("tie_threshold").value(spec.network.tie_threshold);
  json.key("domains").begin_array();
  for (const auto& d : spec.domains)
    json.begin_object().key("name").value(d.name).key("label").value(d.label).end_object();
  json.end_array();
  json.key("actors").begin_array();
  for (const auto& a : spec.actors) {
    json.begin_object().key("code").value(a.code).key("name").value(a.name);
    json.key("interests").array(a.interests).key("risk").value(a.risk);
    json.key("passive").value(a.passive).end_object();
  }
  json.end_array();
  json.key("institutions").begin_array();
  for (const auto& k : spec.institutions) {
    json.begin_object().key("name").value(k.name).key("label").value(k.label);
    json.key("rule").value(interdep::name_of(k.rule)).key("members").begin_array();
    for (std::size_t m : k.members) json.value(m);
    json.end_array().end_object();
  }
  json.end_array();
  // Every event written, in the order they apply (a date's events in file order), with whether
  // it runs: one written `enabled = false` gets its switch too, off, for a class to switch on.
  std::vector<const interdep::EventSpec*> events;
  for (const auto& e : spec.events) events.push_back(&e);
  for (const auto& e : spec.disabled_events) events.push_back(&e);
  std::stable_sort(events.begin(), events.end(), [](const auto* a, const auto* b) {
    return a->step != b->step ? a->step < b->step : a->entry < b->entry;
  });
  json.key("events").begin_array();
  for (const interdep::EventSpec* event : events) {
    const interdep::EventSpec& e = *event;
    json.begin_object().key("entry").value(e.entry).key("label").value(e.label);
    json.key("enabled").value(e.enabled);
    json.key("kind").value(interdep::name_of(e.kind)).key("date").value(e.date);
    json.key("intensity").value(e.intensity).key("actor").value(e.actor);
    json.key("targets").begin_array();
    for (std::size_t t : e.targets) json.value(t);
    json.end_array().end_object();
  }
  json.end_array();
  const interdep::DecideParams& decide = spec.params.decide;
  json.key("decide").begin_object();
  json.key("benefit").value(decide.benefit).key("reciprocity").value(decide.reciprocity);
  json.key("pressure").value(decide.pressure).key("balance").value(decide.balance);
  json.key("alignment").value(decide.alignment).key("institutions").value(decide.institutions);
  json.end_object();
}

}  // namespace

extern "C" {

// The scenario at `path` with `overrides`: names, actors, domains, institutions, events (with
// their position in [[events]], the N of events.N keys) and decision rates.
EMSCRIPTEN_KEEPALIVE const char* lab_describe(const char* path, const char* overrides) {
  const interdep::LoadOptions options = options_of(overrides);
  return guarded(options.overrides, [&] {
    const interdep::ScenarioSpec spec = interdep::load_scenario(path, options);
    interdep::check_model(spec);
    JsonWriter json;
    json.begin_object().key("ok").value(true);
    describe(json, spec);
    json.end_object();
    return json.text();
  });
}

// Runs the scenario at `path` with `overrides` on its own seed (as `interdep run` without
// --seed). The answer describes the scenario and gives the time axis and every dataset: its
// name, units, axes, and where its doubles are (`offset`, bytes into the heap; `count`).
EMSCRIPTEN_KEEPALIVE const char* lab_run(const char* path, const char* overrides) {
  const interdep::LoadOptions options = options_of(overrides);
  return guarded(options.overrides, [&] {
    const interdep::ScenarioSpec spec = interdep::load_scenario(path, options);
    interdep::check_model(spec);
    interdep::RunResult result = interdep::run_scenario(spec, spec.seed);
    LabMemory& m = memory();
    m.has_run = false;
    m.resolved_text = spec.resolved_text;
    m.datasets.clear();
    const std::size_t frames = result.trajectory.frames();
    const interdep::AxisSizes sizes = result.trajectory.sizes();
    m.run =
        interdep::recorded_run(path, spec, std::move(result.trajectory), result.log,
                               interdep::run_metadata(spec, "interdep lab", std::nullopt), nullptr);
    m.has_run = true;
    const interdep::RecordedRun& t = m.run;
    JsonWriter json;
    json.begin_object().key("ok").value(true);
    describe(json, spec);
    json.key("frames").value(frames).key("time").array(t.time);
    json.key("datasets").begin_array();
    for (const interdep::RecordedDataset& row : interdep::kRecordedDatasets) {
      if (row.optional) continue;  // the contributions: explain reads them here
      std::vector<double> values;
      if (row.f64 != nullptr) values = t.*row.f64;
      if (row.u8 != nullptr) values.assign((t.*row.u8).begin(), (t.*row.u8).end());
      if (values.empty()) continue;  // not recorded (contributions)
      json.begin_object().key("name").value(row.name).key("units").value(row.units);
      json.key("long_name").value(row.long_name).key("axes").begin_array();
      for (interdep::Axis axis : row.axis_list()) json.value(axis_name(axis));
      json.end_array().key("frame_size").value(row.frame_size(sizes));
      m.datasets.push_back(std::move(values));
      json.key("offset").value(
          static_cast<double>(reinterpret_cast<std::uintptr_t>(m.datasets.back().data())));
      json.key("count").value(m.datasets.back().size()).end_object();
    }
    json.end_array().end_object();
    return json.text();
  });
}

// Why the last run's relation of actor `actor` toward `partner` moved (explain, docs/
// explain-compare.md): in `domain` (an index; negative: the overall relation), over the whole
// run. The answer holds the account, the terms and the events behind it.
EMSCRIPTEN_KEEPALIVE const char* lab_explain(int actor, int partner, int domain) {
  return guarded({}, [&] {
    const LabMemory& m = memory();
    if (!m.has_run) throw std::runtime_error("no run to explain yet");
    interdep::insight::ExplainQuery query;
    query.actor = static_cast<std::size_t>(actor);
    query.partner = static_cast<std::size_t>(partner);
    if (domain >= 0) query.domain = static_cast<std::size_t>(domain);
    const interdep::insight::Explanation e = interdep::insight::explain(m.run, query);
    JsonWriter json;
    json.begin_object().key("ok").value(true).key("text").value(e.text);
    json.key("start").value(e.start_value).key("end").value(e.end_value);
    json.key("terms").begin_array();
    for (const auto& term : e.terms)
      json.begin_object()
          .key("term")
          .value(term.term)
          .key("value")
          .value(term.value)
          .key("share")
          .value(term.share)
          .end_object();
    json.end_array().key("events").begin_array();
    for (const auto& cause : e.events)
      json.begin_object()
          .key("time")
          .value(cause.time)
          .key("label")
          .value(cause.label)
          .key("weight")
          .value(cause.weight)
          .end_object();
    json.end_array().end_object();
    return json.text();
  });
}

// The last run's scenario as one TOML text (base files merged, overrides applied): what the
// page offers for download, which `interdep run` reruns to the same numbers.
EMSCRIPTEN_KEEPALIVE const char* lab_resolved_text() { return memory().resolved_text.c_str(); }

// A change from `was` to `now` as `interdep explain` and `compare` print it (shown_change: the
// ends and their printed difference, to the decimals they need): {"was", "now", "change"}.
EMSCRIPTEN_KEEPALIVE const char* lab_shown_change(double was, double now) {
  const interdep::ShownChange shown = interdep::shown_change(was, now);
  JsonWriter json;
  json.begin_object();
  json.key("was").value(interdep::number(was, shown.decimals));
  json.key("now").value(interdep::number(now, shown.decimals));
  json.key("change").value(shown.change);
  json.end_object();
  return answer(json.text());
}

}  // extern "C"
