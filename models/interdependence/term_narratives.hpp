// The term narratives of the "interdependence" model: one or two sentences on what a decision
// term (terms.hpp) is and, from a recorded run's own data, why it moved relation i→j by `value`
// over a window of frames. `interdep explain` (output/insight) tells them through
// models/registry.hpp's term_narrator.
#pragma once

#include <string>
#include <string_view>

#include "engine/run/recorded_run_view.hpp"

namespace interdep {

std::string interdependence_term_narrative(const RelationWindow& window, std::string_view term,
                                           double value);

}  // namespace interdep
