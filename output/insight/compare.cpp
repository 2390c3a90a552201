#include "output/insight/compare.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string_view>

#include "engine/scenario/errors.hpp"
#include "engine/text/text_format.hpp"

namespace interdep::insight {
namespace {

std::string joined(const std::vector<std::string>& list) {
  std::string s;
  for (const auto& c : list) s += (s.empty() ? "" : " ") + c;
  return s;
}

// What makes two runs incomparable, in words ("" when they are comparable).
std::string incompatibilities(const RunFile& s, const RunFile& b) {
  std::vector<std::string> reasons;
  auto list_differs = [&](const char* what, const std::vector<std::string>& x,
                          const std::vector<std::string>& y) {
    if (x != y)
      reasons.push_back(std::string(what) + " differ (" + (x.empty() ? "none" : joined(x)) +
                        " vs " + (y.empty() ? "none" : joined(y)) + ")");
  };
  list_differs("actors", s.actors, b.actors);
  list_differs("domains", s.domains, b.domains);
  list_differs("institutions", s.institutions, b.institutions);
  // 1e-9 yr: both files store start and dt computed from the same kind of input.
  if (std::abs(s.start - b.start) > 1e-9)
    reasons.push_back("start differs (" + date_text(s.start) + " vs " + date_text(b.start) + ")");
  if (std::abs(s.dt - b.dt) > 1e-12)
    reasons.push_back("step length differs (" + number(12.0 * s.dt, 3) + " vs " +
                      number(12.0 * b.dt, 3) + " months)");
  if (s.record_every != b.record_every)
    reasons.push_back("recording interval differs (every " + std::to_string(s.record_every) +
                      " vs " + std::to_string(b.record_every) + " steps)");
  if (s.frames != b.frames)
    reasons.push_back("number of frames differs (" + std::to_string(s.frames) + " vs " +
                      std::to_string(b.frames) + ", periods " + year_month(s.time.back()) + " vs " +
                      year_month(b.time.back()) + " at the end)");
  else if (s.step != b.step)
    reasons.push_back("the frames are recorded at different steps");
  std::string text;
  for (const auto& r : reasons) text += (text.empty() ? "" : "; ") + r;
  return text;
}

struct Quantity {
  std::string_view section;
  std::string_view name;
  std::string_view unit;
  const std::vector<double> RecordedArrays::*array;
};

std::string_view section_name(CompareSection section) {
  switch (section) {
    case CompareSection::relations: return "relations";
    case CompareSection::flows: return "flows";
    case CompareSection::interdependence: return "interdependence";
    case CompareSection::none: break;
  }
  return "";
}

// The actor x partner datasets of the recorded-dataset table that `section` compares.
std::vector<Quantity> pair_datasets(CompareSection section) {
  std::vector<Quantity> quantities;
  for (const RecordedDataset& row : kRecordedDatasets)
    if (row.compare == section && row.is_pair() && row.f64 != nullptr)
      quantities.push_back({section_name(section), row.name, row.units, row.f64});
  return quantities;
}

// Decimals a section's values are shown with.
int decimals_for(std::string_view section) {
  if (section == "relations") return 3;  // relations to 3 decimals
  if (section == "flows") return 2;      // US$ bn/yr and bcm/yr to 10 million
  return 4;                              // interdependence indices are of order 0.001..0.1
}

// A gap that its table would print as 0 ("+0.0000"): not a difference a reader can see, so
// not a row (it ranked on top of the interdependence table through its relative size).
bool shows_as_zero(double gap, std::string_view section) {
  return std::abs(gap) < 0.5 * std::pow(10.0, -decimals_for(section));
}

// Gaps within this relative distance of the largest are the largest (a few ulps of rounding).
constexpr double kSameGap = 1e-9;

// Peak and end differences of one series (`count` values per frame, value at `index`).
Difference difference_at(const RunFile& s, const std::vector<double>& sa,
                         const std::vector<double>& ba, std::size_t per_frame, std::size_t index) {
  Difference d;
  const std::size_t last = s.frames - 1;
  d.scenario_end = sa[last * per_frame + index];
  d.baseline_end = ba[last * per_frame + index];
  d.end_difference = d.scenario_end - d.baseline_end;
  double largest = 0.0;
  for (std::size_t f = 0; f < s.frames; ++f)
    largest = std::max(largest, std::abs(sa[f * per_frame + index] - ba[f * per_frame + index]));
  // The first time the gap reached its largest size, within rounding: a gap held at -0.24 for
  // years was dated by the one frame where the arithmetic left -0.24000000000000002.
  for (std::size_t f = 0; f < s.frames && largest > 0.0; ++f) {
    const double diff = sa[f * per_frame + index] - ba[f * per_frame + index];
    if (std::abs(diff) >= largest * (1.0 - kSameGap)) {
      d.peak_difference = diff, d.peak_time = s.time[f];
      break;
    }
  }
  return d;
}

// Largest |value| of series `index` over all frames of both runs: the scale a row's gap is
// measured against when a section mixes quantities and pairs of very different size.
double largest_magnitude(const std::vector<double>& x, const std::vector<double>& y,
                         std::size_t per_frame, std::size_t index) {
  double m = 0.0;
  for (std::size_t at = index; at < x.size(); at += per_frame)
    m = std::max({m, std::abs(x[at]), std::abs(y[at])});
  return m;
}

// Ranks `rows` by |peak_difference| / scale of the row's quantity (stable: ties keep order).
void rank(std::vector<Difference>& rows, const std::vector<double>& scales) {
  std::vector<std::pair<double, std::size_t>> keyed;
  for (std::size_t r = 0; r < rows.size(); ++r)
    keyed.push_back({scales[r] > 0.0 ? std::abs(rows[r].peak_difference) / scales[r] : 0.0, r});
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<Difference> sorted;
  for (const auto& k : keyed) sorted.push_back(std::move(rows[k.second]));
  rows = std::move(sorted);
}

Difference named(Difference d, std::string section, std::string quantity, std::string unit,
                 std::string label) {
  d.section = std::move(section);
  d.quantity = std::move(quantity);
  d.unit = std::move(unit);
  d.label = std::move(label);
  return d;
}

std::string pair_label(const RunFile& run, std::size_t i, std::size_t j) {
  return run.actor_names[i] + " → " + run.actor_names[j];
}

void pair_quantities(const RunFile& s, const RunFile& b, const std::vector<Quantity>& quantities,
                     std::vector<Difference>& rows, bool relative) {
  const std::size_t n = s.dims.actors;
  std::vector<double> scales;
  for (const auto& q : quantities) {
    const auto& sa = s.*q.array;
    const auto& ba = b.*q.array;
    // Floor of the relative scale: 1 % of the dataset's largest value, so that series too small
    // to matter (a 1e-6 vulnerability) cannot rank on top through a large relative gap.
    double floor = 0.0;
    for (std::size_t k = 0; k < n * n; ++k)
      floor = std::max(floor, 0.01 * largest_magnitude(sa, ba, n * n, k));
    const bool leverage = q.name == "leverage";
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        if (i == j) continue;
        Difference d = difference_at(s, sa, ba, n * n, i * n + j);
        if (shows_as_zero(d.peak_difference, q.section)) continue;
        // Leverage is antisymmetric (L[i,j] = −L[j,i], j's over i): keep the direction of the
        // stronger side, whose leverage is positive at the scenario's end (else the baseline's;
        // with neither, the direction whose leverage rose).
        if (leverage) {
          const double held = d.scenario_end != 0.0   ? d.scenario_end
                              : d.baseline_end != 0.0 ? d.baseline_end
                                                      : d.peak_difference;
          if (held < 0.0) continue;
        }
        d.actor = i;
        d.partner = j;
        rows.push_back(
            named(std::move(d), std::string(q.section), std::string(q.name), std::string(q.unit),
                  leverage ? s.actor_names[j] + " over " + s.actor_names[i] : pair_label(s, i, j)));
        scales.push_back(relative ? std::max(floor, largest_magnitude(sa, ba, n * n, i * n + j))
                                  : 1.0);
      }
  }
  rank(rows, scales);
}

}  // namespace

Comparison compare(const RunFile& scenario, const RunFile& baseline) {
  const std::string problem = incompatibilities(scenario, baseline);
  if (!problem.empty())
    throw InputError(SourcePosition{scenario.path.string(), 0, 0}, "",
                     "cannot be compared with the baseline '" + baseline.path.string() +
                         "': " + problem +
                         "; compare two runs of the same actors, domains, institutions and period");
  assert(scenario.frames > 0);
  Comparison c;
  c.seed_note = different_seeds_note(scenario, baseline);
  c.step_years = scenario.dt;
  c.scenario_name = run_label(scenario.metadata, scenario.scenario_name);
  c.baseline_name = run_label(baseline.metadata, baseline.scenario_name);
  c.scenario_path = scenario.path.string();
  c.baseline_path = baseline.path.string();
  const std::size_t n = scenario.dims.actors, nd = scenario.dims.domains,
                    ni = scenario.dims.institutions;

  // Relations: all on the −1..1 scale, so ranked by |peak| directly; overall first, then domains.
  pair_quantities(scenario, baseline, pair_datasets(CompareSection::relations), c.relations, false);
  std::vector<double> scales(c.relations.size(), 1.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      for (std::size_t d = 0; d < nd; ++d) {
        if (i == j) continue;
        Difference row = difference_at(scenario, scenario.relations, baseline.relations, n * n * nd,
                                       (i * n + j) * nd + d);
        if (shows_as_zero(row.peak_difference, "relations")) continue;
        row.actor = i;
        row.partner = j;
        row.domain = d;
        c.relations.push_back(
            named(std::move(row), "relations", "relations", "1",
                  pair_label(scenario, i, j).append(", ").append(scenario.domain_labels[d])));
        scales.push_back(1.0);
      }
  rank(c.relations, scales);

  pair_quantities(scenario, baseline, pair_datasets(CompareSection::flows), c.flows, true);
  pair_quantities(scenario, baseline, pair_datasets(CompareSection::interdependence),
                  c.interdependence, true);

  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < ni; ++k)
      for (std::size_t f = 0; f < scenario.frames; ++f) {
        const std::size_t at = (f * n + i) * ni + k;
        if (scenario.membership[at] == baseline.membership[at]) continue;
        MembershipChange m;
        m.actor = scenario.actors[i];
        m.institution = scenario.institution_labels[k];
        m.gained = scenario.membership[at] != 0;
        m.time = scenario.time[f];
        // The run whose membership moved since the frame before (the other kept it), and how.
        m.at_start = f == 0;
        const std::size_t before = (((f == 0 ? 0 : f - 1) * n) + i) * ni + k;
        m.in_scenario = m.at_start || scenario.membership[before] != scenario.membership[at];
        const RunFile& moved = m.in_scenario ? scenario : baseline;
        m.joined = moved.membership[at] != 0;
        // The decision's own time when the run logged it (the frame is the month after): an
        // admission or a `join` event, or a `leave` event (an event's detail is the
        // institution's code), the latest up to this frame. A join and a leave on one date
        // are dated alike.
        const std::string& code = scenario.institutions[k];
        double decided = -std::numeric_limits<double>::infinity();
        if (m.joined)
          for (const auto& d : moved.admissions)
            if (d.admitted && d.applicant == m.actor && d.institution == code &&
                d.step <= moved.step[f])
              decided = std::max(decided, d.time);
        const char* const kind = m.joined ? "join" : "leave";
        for (const auto& e : moved.events)
          if (e.kind == kind && e.actor == m.actor && e.detail == code && e.step <= moved.step[f])
            decided = std::max(decided, e.time);
        if (std::isfinite(decided)) m.time = decided;
        c.memberships.push_back(std::move(m));
        break;
      }
  std::stable_sort(
      c.memberships.begin(), c.memberships.end(),
      [](const MembershipChange& a, const MembershipChange& b) { return a.time < b.time; });

  for (const RunObservation& o : scenario.observations) {
    ObservedComparison row{o, std::nullopt};
    for (const RunObservation& b : baseline.observations)
      if (b.quantity == o.quantity && b.period == o.period && b.aggregate == o.aggregate &&
          b.from == o.from && b.to == o.to && b.unit == o.unit && b.states > 0)
        row.baseline = b.simulated;
    c.observations.push_back(std::move(row));
  }
  return c;
}

DifferenceText difference_text(const Difference& d) {
  // The ends and their difference to the decimals at which they add up (the section's, or a
  // few more where rounding each alone would not).
  const ShownChange end = shown_change(d.baseline_end, d.scenario_end, decimals_for(d.section));
  const int dp = end.decimals;
  DifferenceText text{number(d.scenario_end, dp), number(d.baseline_end, dp), end.change,
                      signed_number(d.peak_difference, dp)};
  // The largest gap is at least the end's: printed so, with its own sign (at the end, the end's).
  if (d.peak_difference == d.end_difference ||
      std::abs(std::stod(text.peak_difference)) < std::abs(std::stod(end.change)))
    text.peak_difference = (d.peak_difference < 0.0 ? "-" : "+") + end.change.substr(1);
  return text;
}

namespace {

std::string quantity_title(const std::string& q) {
  if (q == "relation_overall") return "overall";
  return q;
}

std::string table(const std::vector<Difference>& rows, std::size_t top,
                  const std::string& heading) {
  std::string out = heading + "\n";
  if (rows.empty()) return out + "  (no differences)\n";
  const std::size_t shown = std::min(top, rows.size());
  const std::vector<std::string> header = {"quantity", "pair",     "unit",         "scenario",
                                           "baseline", "end diff", "largest diff", "when"};
  std::vector<std::vector<std::string>> cells;
  for (std::size_t r = 0; r < shown; ++r) {
    const auto& d = rows[r];
    const DifferenceText text = difference_text(d);
    cells.push_back({quantity_title(d.quantity), d.label, d.unit == "1" ? "-" : d.unit,
                     text.scenario_end, text.baseline_end, text.end_difference,
                     text.peak_difference, year_month(d.peak_time)});
  }
  std::vector<std::size_t> width(header.size());
  for (std::size_t col = 0; col < header.size(); ++col) {
    width[col] = display_width(header[col]);
    for (const auto& row : cells) width[col] = std::max(width[col], display_width(row[col]));
  }
  auto line = [&](const std::vector<std::string>& row) {
    std::string s = " ";
    for (std::size_t col = 0; col < row.size(); ++col)
      s.append(" ").append(col < 3 ? pad_right(row[col], width[col])
                                   : pad_left(row[col], width[col]));
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s + "\n";
  };
  out += line(header);
  for (const auto& row : cells) out += line(row);
  if (rows.size() > shown)
    out += "  ... and " + std::to_string(rows.size() - shown) + " more rows that differ\n";
  return out;
}

}  // namespace

std::string different_seeds_note(const RunFile& scenario, const RunFile& baseline) {
  if (scenario.metadata.seed == baseline.metadata.seed) return "";
  return "the runs have different seeds (" + std::to_string(scenario.metadata.seed) + " and " +
         std::to_string(baseline.metadata.seed) +
         "): their actors' noise differs, so the differences mix the scenario's effect with "
         "chance; run both with the same --seed to see the effect alone.";
}

namespace {

// A step of `years` as what a frame is the start of: "month", "week", "step of 0.0137 yr" (a
// weekly run's frames are not the states at the start of months).
std::string step_words(double years) {
  const std::string length = duration_text(years);
  return length.rfind("a ", 0) == 0 ? length.substr(2) : "step of " + length;
}

}  // namespace

std::string render(const Comparison& c, std::size_t top) {
  std::string out = "Scenario '" + c.scenario_name + "' (" + c.scenario_path +
                    ") against baseline '" + c.baseline_name + "' (" + c.baseline_path + ").\n";
  if (!c.seed_note.empty()) out += "Note: " + c.seed_note + "\n";
  out +=
      "Differences are scenario − baseline; \"largest diff\" is the largest gap at any recorded "
      "time, "
      "and \"when\" the recorded time it was first reached (a frame is the state at the start of "
      "its " +
      step_words(c.step_years) + ").\n\n";
  out += table(c.relations, top, "Relations (−1 hostile … +1 close), ranked by the largest gap:");
  out +=
      "\n" +
      table(
          c.flows, top,
          "Flows (trade: exports actor → partner; energy: gas supplier → importer), ranked by the "
          "largest gap relative to the pair's own largest flow:");
  out +=
      "\n" +
      table(c.interdependence, top,
            "Interdependence (sensitivity and vulnerability of actor to partner; leverage of one "
            "over the other), ranked by the largest gap relative to the pair's own largest value:");
  out += "\nMemberships:\n";
  if (c.memberships.empty()) out += "  (no differences)\n";
  for (const auto& m : c.memberships) {
    std::string what;
    if (m.at_start)
      what = m.gained ? " is a member of " + m.institution +
                            " from the start in the scenario, not "
                            "in the baseline"
                      : " is a member of " + m.institution +
                            " from the start in the baseline, "
                            "not in the scenario";
    else if (m.in_scenario)
      what = (m.joined ? " joins " : " leaves ") + m.institution +
             " in the scenario, not in the baseline";
    else
      what = m.joined ? " does not join " + m.institution +
                            " in the scenario; it does in the "
                            "baseline"
                      : " stays in " + m.institution +
                            " in the scenario; it leaves in the "
                            "baseline";
    out += "  " + year_month(m.time) + "  " + m.actor + what + "\n";
  }
  if (!c.observations.empty()) {
    out +=
        "\nObserved figures (the scenario's [[observations]]): observed ± uncertainty, each "
        "run's value and its z = (run − observed) / uncertainty:\n";
    const auto general = [](double v) {
      char buffer[64];
      std::snprintf(buffer, sizeof buffer, "%.4g", v);
      return std::string(buffer);
    };
    const auto z = [](double run, const RunObservation& o) {
      return std::isnan(run) ? std::string("(not reached)")
                             : signed_number((run - o.observed) / o.uncertainty, 2);
    };
    for (const ObservedComparison& row : c.observations) {
      const RunObservation& o = row.scenario;
      const std::string when = o.period == "point" ? year_month(o.date)
                               : year_month(o.from) == year_month(o.to)
                                   ? year_month(o.from)
                                   : year_month(o.from) + ".." + year_month(o.to);
      out += "  " + o.quantity + (o.aggregate == "pair_total" ? " (both directions)" : "") + "  " +
             when + "  observed " + general(o.observed) + " ± " + general(o.uncertainty) +
             (o.unit == "1" ? "" : " " + o.unit) + "  scenario " + general(o.simulated) + " (z " +
             z(o.simulated, o) + ")";
      out += row.baseline
                 ? "  baseline " + general(*row.baseline) + " (z " + z(*row.baseline, o) + ")\n"
                 : "  baseline: no such figure\n";
    }
  }
  return out;
}

}  // namespace interdep::insight
