// What explain.cpp has settled about one query (the relation, the window, the term sums), handed
// to the model's term narratives (models/registry.hpp, term_narrator) and the event ranking
// (explain_events.cpp). Internal to output/insight/.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/run/recorded_run_view.hpp"
#include "engine/scenario/errors.hpp"
#include "output/insight/explain.hpp"

namespace interdep::insight {

// Text width of explain's account; terminals are at least 80 columns, 100 keeps numbers on one
// line.
constexpr std::size_t kTextWidth = 100;

[[noreturn]] inline void fail_on(const RunFile& run, const std::string& key,
                                 const std::string& message) {
  throw InputError(SourcePosition{run.path.string(), 0, 0}, key, message);
}

struct ExplainContext : RelationWindow {
  std::vector<double> term_sums;  // [term], summed over the window [relation units]
  // The run's trade parameters (elasticity, secondary exposure, gravity) from the scenario text
  // the file stores; nullptr when that text no longer loads (the defaults are taken).
  const FlowParams* flows = nullptr;
  bool actor_passive = false;  // the actor does not decide (the same text's `passive`)

  double term_sum(const std::string& term) const {
    const auto t = view.term_index(term);
    return t ? term_sums[*t] : 0.0;
  }
};

// The events (and admissions) that acted on the pair in the window, ranked as documented in
// explain.hpp, all of them (the caller keeps the top ones).
std::vector<EventCause> rank_events(const ExplainContext& context);

}  // namespace interdep::insight
