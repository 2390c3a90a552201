#include "engine/run/observation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>

#include "engine/scenario/enum_names.hpp"

namespace interdep {
namespace {

// Units an observation may be written in for a dataset's unit, and the factor from the
// dataset's unit to it (docs/scenario-format.md, [[observations]]).
struct UnitConversion {
  std::string_view dataset_unit, unit;
  double factor;
};
constexpr UnitConversion kUnitConversions[] = {
    {"US$ bn/yr", "US$ million/yr", 1e3},
    {"US$ bn", "US$ million", 1e3},
    {"bcm/yr", "mcm/yr", 1e3},
    {"1", "%", 1e2},
};

std::string units_accepted(std::string_view dataset_unit) {
  std::string list = "'" + std::string(dataset_unit) + "'";
  for (const UnitConversion& c : kUnitConversions)
    if (c.dataset_unit == dataset_unit) list += " or '" + std::string(c.unit) + "'";
  return list;
}

// The states a figure averages, as steps from the start: the one nearest its date (point), or
// those dated within its year's 12 months (year); validated to lie inside the run.
std::pair<std::int64_t, std::int64_t> steps_of(const ObservationSpec& o, double date,
                                               const TimeSpec& time) {
  const double per_year = time.steps_per_year;
  const auto clamp = [&](double step) {
    return std::clamp<std::int64_t>(static_cast<std::int64_t>(step), 0, time.steps);
  };
  if (o.period == ObservationPeriod::point) {
    const std::int64_t k = clamp(std::floor((date - time.start) * per_year + 0.5));
    return {k, k};
  }
  // States at t_k = start + k / per_year with first <= t_k < last (1e-9: month starts are not
  // exact decimal years).
  const auto [first_time, last_time] = o.window(date);
  const std::int64_t first = clamp(std::ceil((first_time - time.start) * per_year - 1e-9));
  const std::int64_t end = clamp(std::ceil((last_time - time.start) * per_year - 1e-9));
  return {first, std::max(first, end - 1)};
}

}  // namespace

std::vector<ObservedSeries> resolve_observations(const ScenarioSpec& spec) {
  std::vector<ObservedSeries> resolved;
  for (std::size_t s = 0; s < spec.observations.size(); ++s) {
    const ObservationSpec& o = spec.observations[s];
    const std::string key = "observations." + std::to_string(s);
    ObservedSeries series;
    try {
      series.quantity = parse_quantity(o.quantity, spec);
    } catch (const QuantityError& e) {
      throw InputError(o.position, key + ".quantity", e.what());
    }
    const RecordedDataset& dataset = *series.quantity.dataset;
    if (o.aggregate == ObservationAggregate::pair_total) {
      if (!dataset.is_pair())
        throw InputError(o.position, key + ".aggregate",
                         "pair_total adds both directions of an actor x partner quantity; '" +
                             std::string(dataset.name) + "' is not one");
      series.reverse = series.quantity;
      std::swap(series.reverse.indices[0], series.reverse.indices[1]);
    }
    if (o.unit != dataset.units) {
      const auto it = std::find_if(std::begin(kUnitConversions), std::end(kUnitConversions),
                                   [&](const UnitConversion& c) {
                                     return c.dataset_unit == dataset.units && c.unit == o.unit;
                                   });
      if (it == std::end(kUnitConversions))
        throw InputError(o.position, key + ".unit",
                         "'" + std::string(dataset.name) + "' is recorded in '" +
                             std::string(dataset.units) + "'; expected the unit " +
                             units_accepted(dataset.units) + ", got '" + o.unit + "'");
      series.unit_factor = it->factor;
    }
    resolved.push_back(std::move(series));
  }
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

ObservationSampler::ObservationSampler(const ScenarioSpec& spec)
    : series_(resolve_observations(spec)) {
  for (std::size_t s = 0; s < spec.observations.size(); ++s) {
    const ObservationSpec& o = spec.observations[s];
    for (std::size_t k = 0; k < o.dates.size(); ++k) {
      const auto [first, last] = steps_of(o, o.dates[k], spec.time);
      const auto time_of = [&](std::int64_t step) {
        return spec.time.start + static_cast<double>(step) / spec.time.steps_per_year;
      };
      figures_.push_back(ObservedFigure{s, o.dates[k], o.values[k], o.uncertainty[k], 0.0, 0,
                                        time_of(first), time_of(last)});
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
