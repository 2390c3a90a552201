// What each event `explain` lists did to the explained relation, measured rather than attributed:
// the scenario the result file stores is run again at the file's seed, whole and once without
// each listed event, and the relation is read at the window's ends. The difference is the
// event's effect with everything it set off, through every term (a counterfactual; the noise of
// a step does not depend on the events: docs/model.md §4.8). `interdep explain --measure`;
// user guide: docs/explain-compare.md.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "output/insight/explain.hpp"

namespace interdep::insight {

struct MeasuredEvent {
  std::size_t cause = 0;        // index in Explanation::events
  double change_without = 0.0;  // the relation's change over the window without the event
  double effect = 0.0;          // change with every event − change_without [relation units]
  // The largest difference between the relation with every event and without this one at any
  // step of the window (signed, relation units), and the decimal year of that step.
  double largest_effect = 0.0;
  double largest_at = 0.0;
};

struct EventMeasurement {
  double change = 0.0;      // the relation's change over the window, run again with every event
  bool reproduces = false;  // that run gave the file's values (within 1e-9): the file is the
                            // stored scenario's at its seed (else nothing below is measured)
  std::vector<MeasuredEvent> events;  // the listed scenario events, in the listing's order
  std::string text;                   // the account, several lines
};

// Runs `threads` runs at once (0: one per core). Throws InputError naming run.path and --measure
// when the stored scenario no longer loads or does not match the file's actors and domains.
EventMeasurement measure_events(const RunFile& run, const ExplainQuery& query,
                                const Explanation& explanation, unsigned threads);

}  // namespace interdep::insight
