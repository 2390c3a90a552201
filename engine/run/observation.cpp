#include "engine/run/observation.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <string_view>

#include "engine/scenario/enum_names.hpp"
#include "engine/scenario/observed_table.hpp"
#include "engine/scenario/observed_unit.hpp"
#include "engine/text/text_format.hpp"

namespace interdep {
namespace {

// The states a figure averages, as steps from the start: the one nearest its date (point), or
// those dated within its year's 12 months (year); validated to lie inside the run.
std::pair<std::int64_t, std::int64_t> steps_of(const ObservationSpec& o, double date,
                                               const TimeSpec& time) {
  const auto clamp = [&](double step) {
    return std::clamp<std::int64_t>(static_cast<std::int64_t>(step), 0, time.steps);
  };
  if (o.period == ObservationPeriod::point) {
    const std::int64_t k = clamp(time.nearest_step(date));
    return {k, k};
  }
  // The states in the period's window (the loader checked that it holds one).
  const auto [first_step, end_step] = o.window_steps(date, time);
  const std::int64_t first = clamp(first_step);
  const std::int64_t end = clamp(end_step);
  return {first, std::max(first, end - 1)};
}

// One figure written twice under two spellings would count twice in a loss or a coverage: a
// pair_total of trade[A,B] and of trade[B,A], or one unit written two ways ("US$ bn/yr" and
// "USD million/yr"). Refused at the second's value, naming the first. The same figure from two
// sources is two observations, and kept.
void refuse_figures_given_twice(const std::vector<ObservationSpec>& observations,
                                const std::vector<ObservedSeries>& resolved,
                                std::string_view key_prefix) {
  struct Seen {
    std::size_t series, k;
  };
  std::map<std::string, Seen> seen;
  for (std::size_t s = 0; s < observations.size(); ++s) {
    const ObservationSpec& o = observations[s];
    const Quantity& q = resolved[s].quantity;
    std::vector<std::size_t> indices = q.indices;
    if (o.aggregate == ObservationAggregate::pair_total && indices.size() >= 2 &&
        indices[1] < indices[0])
      std::swap(indices[0], indices[1]);  // both directions: one figure whichever comes first
    std::string identity = std::string(q.dataset->name) + '|' + std::string(name_of(o.period)) +
                           '|' + std::string(name_of(o.aggregate)) + '|' +
                           std::to_string(o.year_start_month) + '|' + o.source;
    for (const std::size_t index : indices) identity += '|' + std::to_string(index);
    for (std::size_t k = 0; k < o.dates.size(); ++k) {
      const auto [first, added] =
          seen.emplace(identity + '|' + shortest_number(o.dates[k]), Seen{s, k});
      if (added) continue;
      const ObservationSpec& other = observations[first->second.series];
      const auto position_of_value = [](const ObservationSpec& x, std::size_t at) {
        return at < x.value_positions.size() ? x.value_positions[at] : x.position;
      };
      const SourcePosition was = position_of_value(other, first->second.k);
      const std::string where_first =
          was.line > 0
              ? " (" +
                    (was.file == position_of_value(o, k).file ? std::string() : was.file + ", ") +
                    "line " + std::to_string(was.line) + ")"
              : "";
      throw InputError(
          position_of_value(o, k),
          key_prefix.empty() ? std::string()
                             : std::string(key_prefix) + "." + std::to_string(s) + ".dates",
          o.quantity + " at " + observation_date_text(o.period, o.dates[k]) +
              " is the figure already given as " + other.quantity + " in '" + other.unit + "'" +
              where_first + " from the same source: " +
              (resolved[first->second.series].quantity.indices != q.indices
                   ? "a pair_total adds both directions, so [A,B] and [B,A] are one figure"
               : other.unit != o.unit
                   ? "'" + other.unit + "' and '" + o.unit + "' are one quantity in two units"
                   : "'" + other.quantity + "' and '" + o.quantity +
                         "' are one quantity written two ways") +
              "; give it once (or each from its own source)");
    }
  }
}

}  // namespace

std::vector<ObservedSeries> resolve_observations(const ScenarioSpec& spec) {
  return resolve_observations(spec.observations, spec, "observations");
}

std::vector<ObservedSeries> resolve_observations(const std::vector<ObservationSpec>& observations,
                                                 const ScenarioSpec& spec,
                                                 std::string_view key_prefix) {
  std::vector<ObservedSeries> resolved;
  for (std::size_t s = 0; s < observations.size(); ++s) {
    const ObservationSpec& o = observations[s];
    const std::string key =
        key_prefix.empty() ? std::string() : std::string(key_prefix) + "." + std::to_string(s);
    const auto field = [&](const char* name) { return key.empty() ? name : key + "." + name; };
    // Where a field was written: its own place when known, else the quantity's.
    const auto at = [&](const SourcePosition& p) {
      return p.file.empty() && p.line == 0 ? o.position : p;
    };
    ObservedSeries series;
    try {
      series.quantity = parse_quantity(o.quantity, spec);
    } catch (const QuantityError& e) {
      throw InputError(o.position, field("quantity"), e.what());
    }
    const RecordedDataset& dataset = *series.quantity.dataset;
    if (o.aggregate == ObservationAggregate::pair_total) {
      if (!dataset.is_pair())
        throw InputError(at(o.aggregate_position), field("aggregate"),
                         "pair_total adds both directions of an actor x partner quantity; '" +
                             std::string(dataset.name) + "' is not one");
      series.reverse = series.quantity;
      std::swap(series.reverse.indices[0], series.reverse.indices[1]);
    }
    // A figure below 0 of a quantity that never is (a flow, an amount, a share) is a mistake of
    // the source or of its sign, not a figure to score (its log error would be undefined).
    if (dataset.non_negative)
      for (std::size_t k = 0; k < o.values.size(); ++k)
        if (o.values[k] < 0.0)
          throw InputError(
              k < o.value_positions.size() ? o.value_positions[k] : o.position,
              key.empty()         ? std::string()
              : o.values_from_csv ? field("csv")
                                  : field("values") + "." + std::to_string(k),
              o.quantity + ": the figure of " +
                  observation_date_text(o.period, k < o.dates.size() ? o.dates[k] : 0.0) + " is " +
                  shortest_number(o.values[k]) + ", and '" + std::string(dataset.name) +
                  "' is never negative");
    if (o.unit != dataset.units) {
      const auto read = observed_unit_factor(dataset.units, o.unit);
      if (const auto* refused = std::get_if<UnitRefused>(&read))
        throw InputError(at(o.unit_position), field("unit"),
                         "'" + std::string(dataset.name) + "' is recorded in '" +
                             std::string(dataset.units) + "'; " + refused->why);
      series.unit_factor = std::get<UnitFactor>(read).factor;
    }
    resolved.push_back(std::move(series));
  }
  refuse_figures_given_twice(observations, resolved, key_prefix);
  return resolved;
}

std::vector<RunObservation> observation_rows(const ScenarioSpec& spec,
                                             const std::vector<ObservedFigure>& figures) {
  std::vector<RunObservation> rows;
  rows.reserve(figures.size());
  for (const ObservedFigure& f : figures) {
    const ObservationSpec& o = spec.observations[f.series];
    rows.push_back(RunObservation{static_cast<std::int64_t>(f.series), o.quantity,
                                  std::string(name_of(o.period)), std::string(name_of(o.aggregate)),
                                  f.date, f.observed, f.uncertainty, f.simulated, o.unit, o.source,
                                  static_cast<std::int64_t>(f.states), f.from, f.to});
  }
  return rows;
}

std::vector<ObservedFigure> observe_frames(const std::vector<ObservationSpec>& observations,
                                           const std::vector<ObservedSeries>& series,
                                           const TimeSpec& time,
                                           const std::vector<std::int64_t>& frame_steps,
                                           const FrameValue& value) {
  assert(series.size() == observations.size());
  assert(std::is_sorted(frame_steps.begin(), frame_steps.end()));
  std::vector<ObservedFigure> figures;
  const auto series_value = [&](const ObservedSeries& s, std::size_t frame) {
    double v = value(frame, s.quantity);
    if (s.reverse.dataset != nullptr) v += value(frame, s.reverse);
    return v;
  };
  for (std::size_t s = 0; s < observations.size(); ++s) {
    const ObservationSpec& o = observations[s];
    for (std::size_t k = 0; k < o.dates.size(); ++k) {
      const auto [first, last] = steps_of(o, o.dates[k], time);
      ObservedFigure f{
          s, o.dates[k], o.values[k], o.uncertainty[k], std::numeric_limits<double>::quiet_NaN(),
          0, 0.0,        0.0};
      if (o.period == ObservationPeriod::point && !frame_steps.empty()) {
        // The recorded frame nearest the date's step (the earlier of two as near).
        const auto after = std::lower_bound(frame_steps.begin(), frame_steps.end(), first);
        auto nearest = after == frame_steps.end() ? after - 1 : after;
        if (after != frame_steps.begin() && after != frame_steps.end() &&
            first - *(after - 1) <= *after - first)
          nearest = after - 1;
        const auto frame = static_cast<std::size_t>(nearest - frame_steps.begin());
        f.simulated = series[s].unit_factor * series_value(series[s], frame);
        f.states = 1;
        f.from = f.to = time.date_of_step(*nearest);
      } else {
        double sum = 0.0;
        for (std::size_t frame = 0; frame < frame_steps.size(); ++frame) {
          if (frame_steps[frame] < first || frame_steps[frame] > last) continue;
          sum += series_value(series[s], frame);
          if (f.states++ == 0) f.from = time.date_of_step(frame_steps[frame]);
          f.to = time.date_of_step(frame_steps[frame]);
        }
        if (f.states > 0)
          f.simulated = series[s].unit_factor * (sum / static_cast<double>(f.states));
      }
      figures.push_back(f);
    }
  }
  return figures;
}

ObservationSampler::ObservationSampler(const ScenarioSpec& spec)
    : series_(resolve_observations(spec)) {
  for (std::size_t s = 0; s < spec.observations.size(); ++s) {
    const ObservationSpec& o = spec.observations[s];
    for (std::size_t k = 0; k < o.dates.size(); ++k) {
      const auto [first, last] = steps_of(o, o.dates[k], spec.time);
      figures_.push_back(ObservedFigure{s, o.dates[k], o.values[k], o.uncertainty[k], 0.0, 0,
                                        spec.time.date_of_step(first),
                                        spec.time.date_of_step(last)});
      windows_.push_back(Window{first, last, 0.0, 0});
    }
  }
}

void ObservationSampler::observe(const WorldState& state) {
  const AxisSizes sizes = state.sizes(state.corridor_open.size());
  for (std::size_t f = 0; f < figures_.size(); ++f) {
    Window& w = windows_[f];
    if (state.step < w.first_step || state.step > w.last_step) continue;
    const ObservedSeries& s = series_[figures_[f].series];
    double value = quantity_value(state, sizes, 0, s.quantity);
    if (s.reverse.dataset != nullptr) value += quantity_value(state, sizes, 0, s.reverse);
    w.sum += value;
    ++w.count;
  }
}

std::vector<ObservedFigure> ObservationSampler::figures() const {
  std::vector<ObservedFigure> out = figures_;
  for (std::size_t f = 0; f < out.size(); ++f) {
    const Window& w = windows_[f];
    out[f].states = w.count;
    out[f].simulated =
        w.count > 0 ? series_[out[f].series].unit_factor * (w.sum / static_cast<double>(w.count))
                    : std::numeric_limits<double>::quiet_NaN();
  }
  return out;
}

}  // namespace interdep
