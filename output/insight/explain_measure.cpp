#include "output/insight/explain_measure.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <map>
#include <string>
#include <thread>
#include <utility>

#include "engine/run/quantity.hpp"
#include "engine/run/step_workers.hpp"
#include "engine/scenario/enum_names.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/text/text_format.hpp"
#include "models/registry.hpp"
#include "output/insight/explain_context.hpp"

namespace interdep::insight {
namespace {

constexpr double kReproduced = 1e-9;  // relation units: the re-run is the file's run

// The stored scenario with one observed point figure, the explained relation, at each window end
// (the frames' own times: the states themselves).
ScenarioSpec observing_relation(const RunFile& run, const ExplainQuery& query,
                                const Explanation& explanation) {
  const std::string source = run.path.string() + " (stored scenario)";
  ScenarioSpec spec;
  try {
    spec = load_scenario_text(run.scenario_text, source, ".", LoadOptions{{}, false});
  } catch (const InputError& e) {
    throw InputError(SourcePosition{run.path.string(), 0, 0}, "--measure",
                     "the scenario this file stores no longer loads, so the events cannot be "
                     "measured by running it again: " +
                         e.message());
  }
  if (spec.actors.size() != run.actors.size() || spec.domains.size() != run.domains.size())
    throw InputError(SourcePosition{run.path.string(), 0, 0}, "--measure",
                     "the scenario this file stores has other actors or domains than the file, so "
                     "the events cannot be measured by running it again");
  // Each logged event names the stored scenario's event it applied (its index, label and kind
  // as the run wrote them): one that does not would measure another event, or none.
  for (std::size_t k = 0; k < run.events.size(); ++k) {
    const RunEvent& e = run.events[k];
    const auto index = static_cast<std::size_t>(e.event_index);  // -1 wraps past the end
    if (index >= spec.events.size() || spec.events[index].label != e.label ||
        name_of(spec.events[index].kind) != e.kind)
      throw InputError(SourcePosition{run.path.string(), 0, 0}, "--measure",
                       "row " + std::to_string(k) + " of /events (\"" + e.label +
                           "\", event_index " + std::to_string(e.event_index) +
                           ") is not the stored scenario's event of that index (it has " +
                           std::to_string(spec.events.size()) +
                           "), so the events cannot be measured by running it again: a damaged "
                           "file");
  }
  const std::string pair = run.actors[query.actor] + "," + run.actors[query.partner];
  const std::string quantity = query.domain
                                   ? "relations[" + pair + "," + run.domains[*query.domain] + "]"
                                   : "relation_overall[" + pair + "]";
  ObservationSpec o;
  o.quantity = quantity;
  o.unit = std::string(parse_quantity(quantity, spec).dataset->units);
  o.source = "explain --measure";
  o.period = ObservationPeriod::point;
  // Every step's state in the window, so that an effect that passed by its end is seen too.
  const std::int64_t first =
      static_cast<std::int64_t>(spec.time.nearest_step(explanation.from_time));
  const std::int64_t last = static_cast<std::int64_t>(spec.time.nearest_step(explanation.to_time));
  o.dates = {explanation.from_time};
  for (std::int64_t k = first + 1; k < last; ++k) o.dates.push_back(spec.time.date_of_step(k));
  if (last > first) o.dates.push_back(explanation.to_time);
  o.values.assign(o.dates.size(), 0.0);
  o.uncertainty.assign(o.dates.size(), 1.0);
  spec.observations = {std::move(o)};
  return spec;
}

// The relation's change over the window in a run of `spec` at `seed`, its value at the start,
// and its value at each of the window's steps (the dates of observing_relation).
struct Change {
  double start = 0.0, change = 0.0;
  std::vector<double> path;
};
Change change_in(const ScenarioSpec& spec, std::uint64_t seed) {
  const std::vector<ObservedFigure> figures = observe_scenario(spec, seed);
  Change c;
  for (const ObservedFigure& f : figures) c.path.push_back(f.simulated);
  c.start = figures.at(0).simulated;
  c.change = figures.at(figures.size() - 1).simulated - c.start;
  return c;
}

}  // namespace

EventMeasurement measure_events(const RunFile& run, const ExplainQuery& query,
                                const Explanation& explanation, unsigned threads) {
  const ScenarioSpec whole = observing_relation(run, query, explanation);
  // Run 0: every event; then one run without each distinct scenario event listed (two rows of
  // one event, a sanction of two targets, share it). Leaving it out is what `enabled = false`
  // does: the loader keeps no disabled event.
  std::vector<std::pair<std::size_t, std::size_t>> causes;  // (index in events, its run)
  std::map<std::int64_t, std::size_t> run_of;               // scenario event -> its run
  std::vector<ScenarioSpec> specs{whole};
  for (std::size_t c = 0; c < explanation.events.size(); ++c) {
    const std::int64_t index = explanation.events[c].event_index;
    if (index < 0 || static_cast<std::size_t>(index) >= whole.events.size()) continue;
    const auto [at, added] = run_of.emplace(index, specs.size());
    if (added) {
      ScenarioSpec without = whole;
      without.events.erase(without.events.begin() + index);
      specs.push_back(std::move(without));
    }
    causes.emplace_back(c, at->second);
  }
  const std::uint64_t seed = run.metadata.seed;
  if (causes.empty()) {
    // No event is listed for this window: nothing to leave out, and no run is spent on it.
    EventMeasurement none;
    none.reproduces = true;
    none.text = wrap(
        "Measured (--measure): no event is listed for this window, so there is none "
        "to leave out and nothing was run. Events in the window or before it are "
        "measured when they are listed (an earlier --from lists those before it).",
        kTextWidth, "  ");
    return none;
  }
  std::vector<Change> changes(specs.size());
  auto measure = [&](std::size_t k) { changes[k] = change_in(specs[k], seed); };
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  StepWorkers workers(std::max<std::size_t>(
      1, std::min<std::size_t>(specs.size(), threads == 0 ? cores : threads)));
  workers.run(specs.size(), measure);  // the first error is rethrown once all have returned

  EventMeasurement m;
  m.change = changes[0].change;
  const double file_change = explanation.end_value - explanation.start_value;
  m.reproduces = std::abs(changes[0].start - explanation.start_value) <= kReproduced &&
                 std::abs(m.change - file_change) <= kReproduced;
  std::string& t = m.text;
  if (!m.reproduces) {
    t = wrap(
        "Measured (--measure): not measured. The scenario this file stores, run again at "
        "seed " +
            std::to_string(seed) + ", moves the relation by " + number(m.change, 3) +
            " over the window, not by " + number(file_change, 3) +
            " as in the file: the file was written by another version of interdep, or "
            "changed since, so a run without an event would not say what it did here.",
        kTextWidth, "  ");
    return m;
  }
  // Every change with its sign, as the account above prints them ("+0.107", not "0.107").
  t = wrap("Measured (--measure): the relation moved " + signed_number(m.change, 3) +
               "; without each event (the stored scenario run again at seed " +
               std::to_string(seed) +
               ", the event left out) it would have moved as below. The difference is what the "
               "event did, with all it set off, through every term:",
           kTextWidth, "  ");
  for (const auto& [c, k] : causes) {
    MeasuredEvent e{c, changes[k].change, m.change - changes[k].change};
    // The step where the relation with the event was farthest from the relation without it.
    for (std::size_t s = 0; s < changes[0].path.size(); ++s) {
      const double gap = changes[0].path[s] - changes[k].path[s];
      if (std::abs(gap) > std::abs(e.largest_effect)) {
        e.largest_effect = gap;
        e.largest_at = whole.observations[0].dates[s];
      }
    }
    const EventCause& cause = explanation.events[c];
    // Said where it differs from the effect at the end as printed (3 decimals).
    const std::string largest = std::abs(e.largest_effect - e.effect) >= 0.0005
                                    ? "; it did most in " + year_month(e.largest_at) + ": " +
                                          signed_number(e.largest_effect, 3)
                                    : std::string();
    t += wrap(std::to_string(c + 1) + ". " + year_month(cause.time) + " " + cause.kind + " " +
                  cause.actor +
                  (cause.target.empty() || cause.target == cause.actor ? std::string()
                                                                       : " → " + cause.target) +
                  ": without it " + signed_number(e.change_without, 3) +
                  ", so it moved the relation " + signed_number(e.effect, 3) + " by the end" +
                  largest,
              kTextWidth, "  ", "     ");
    m.events.push_back(e);
  }
  for (std::size_t c = 0; c < explanation.events.size(); ++c)
    if (explanation.events[c].event_index < 0)
      t += wrap(std::to_string(c + 1) + ". " + explanation.events[c].label +
                    ": an admission, decided by the members' votes, not an event of the scenario; "
                    "its application is measured by leaving that out (`run --set "
                    "events.K.enabled=false`)",
                kTextWidth, "  ", "     ");
  return m;
}

}  // namespace interdep::insight
