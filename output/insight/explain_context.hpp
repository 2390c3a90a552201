// What explain.cpp has settled about one query (the relation, the window, the term sums), handed
// to the per-term reasons (explain_reasons.cpp) and the event ranking (explain_events.cpp).
// Internal to engine/insight/.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "output/insight/explain.hpp"
#include "output/insight/run_view.hpp"

namespace interdep::insight {

struct ExplainContext {
  RunView view;
  std::size_t actor = 0, partner = 0;  // i, j
  std::optional<std::size_t> domain;   // absent: overall relation
  std::size_t f0 = 0, f1 = 0;          // window: terms of frames f0+1 .. f1, values at f0 and f1
  std::vector<double> term_sums;       // [term], summed over the window [relation units]

  const std::string& name(std::size_t a) const { return view.run.actor_names[a]; }
  double term_sum(const std::string& term) const {
    const auto t = view.term_index(term);
    return t ? term_sums[*t] : 0.0;
  }
  // Whether the event row's time lies in the window: its step's increments are in (f0, f1].
  bool in_window(std::int64_t step) const {
    const std::size_t f = view.frame_after_step(step);
    return f > f0 && f <= f1 && view.run.step[f] > step;
  }
};

// One or two sentences: what `term` is and, from the run's data, why it moved this relation by
// `value` over the window.
std::string term_reason(const ExplainContext& context, const std::string& term, double value);

// The events (and admissions) that acted on the pair in the window, ranked as documented in
// explain.hpp, all of them (the caller keeps the top ones).
std::vector<EventCause> rank_events(const ExplainContext& context);

}  // namespace interdep::insight
