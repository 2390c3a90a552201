// What differs between two runs of the same world (a scenario against its baseline): end values
// and the largest deviations over time, with when they happened, for relations, flows and
// interdependence, and memberships gained or lost. Reads two RunFiles (output/run_file/run_reader.hpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "output/run_file/run_reader.hpp"

namespace interdep::insight {

// One quantity for one actor pair (and domain) in both runs.
struct Difference {
  std::string section;   // "relations" | "flows" | "interdependence"
  std::string quantity;  // dataset name, e.g. "relation_overall", "trade", "vulnerability"
  std::string label;     // e.g. "Pakistan → Russia, energy"
  std::string unit;
  double scenario_end = 0.0, baseline_end = 0.0, end_difference = 0.0;
  double peak_difference = 0.0,
         peak_time = 0.0;  // largest |scenario - baseline| over time, signed, and when
  // Where the row's values sit in the dataset `quantity`: [time, actor, partner] or, for
  // "relations", [time, actor, partner, domain]. For leverage the label names the partner first
  // ("j over i") while the indices stay those of leverage[t, i, j].
  std::size_t actor = 0, partner = 0;
  std::optional<std::size_t> domain;
};

// A row's numbers as `compare` prints them and the report shows them: the ends to the section's
// decimals (relations 3, flows 2, indices 4) or more, the end difference the difference of the
// printed ends (engine/text shown_change: a row adds up), and the largest gap, which is never
// printed below the end's (each rounded alone, +0.017 read below an end difference of +0.018).
struct DifferenceText {
  std::string scenario_end, baseline_end, end_difference, peak_difference;
};
DifferenceText difference_text(const Difference& d);

struct MembershipChange {
  std::string actor, institution;  // actor code; institution label
  bool gained = false;             // true: member in the scenario, not in the baseline
  // Which run's membership moved, and how: joined (false: left) in the scenario (false: in the
  // baseline); at_start: the runs differ from their first frame (their scenarios' members).
  bool in_scenario = true, joined = true, at_start = false;
  double time = 0.0;  // the admission decision or the `leave` event (decimal year); when the run
                      // logged neither, the first frame where membership differs
};

// Ranking. "relations": by |peak_difference|, every row being on the same −1..1 scale.
// "flows" (trade [US$ bn/yr], gas [bcm/yr]) and "interdependence" (sensitivity, vulnerability,
// leverage [1]) mix quantities and pairs of very different size, so their rows are ranked by
// |peak_difference| divided by the largest |value| the same series takes in either run, but at
// least 1 % of the largest value of the whole dataset (a relative gap, 0..2): a collapse of a small flow outranks a 2 % dip of a large one; the printed numbers keep
// their own units. Ties keep dataset, then actor, partner, domain order. Rows whose difference is
// exactly zero throughout are left out. Leverage is antisymmetric (L[i,j] = −L[j,i]), so only the
// direction whose leverage rose is listed, labelled "PARTNER over ACTOR".
// An observed figure of the scenario run (its /observed group) with both runs' values: the
// baseline's is its own figure of the same quantity, period, aggregate, months and unit, when it
// has one.
struct ObservedComparison {
  RunObservation scenario;         // the figure and the scenario run's value
  std::optional<double> baseline;  // the baseline run's value
};

struct Comparison {
  std::string scenario_name, baseline_name;
  std::string scenario_path, baseline_path;
  std::string seed_note;           // different_seeds_note of the two runs
  double step_years = 1.0 / 12.0;  // the runs' step length [yr]: what a frame's state begins
  std::vector<Difference> relations, flows, interdependence;  // each ranked as above
  std::vector<MembershipChange> memberships;                  // by time, then actor
  std::vector<ObservedComparison> observations;               // in the scenario file's order
};

// Throws interdep::InputError naming both files when they are not comparable (different actors,
// domains, institutions, start, step length, recording interval or number of frames), with what
// differs.
Comparison compare(const RunFile& scenario, const RunFile& baseline);

// "" when the two runs share their seed; otherwise why their differences mix the scenario's
// effect with noise drawn otherwise (one sentence, no newline).
std::string different_seeds_note(const RunFile& scenario, const RunFile& baseline);

// Plain text: a header naming both runs (and the seed note), then each section with its `top` largest rows in aligned
// columns with units, then the membership changes, then the observed figures (when the scenario
// run has any). Ends with a newline.
std::string render(const Comparison& comparison, std::size_t top);

}  // namespace interdep::insight
