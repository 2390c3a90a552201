// The decision terms of the "interdependence" model (docs/model.md §7.4), whose increments are
// recorded separately so that a run can say why a relation moved. The order is the order of the
// `term` dimension in result files; the engine knows only the names (Model::term_names).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace interdep {

enum class Term : std::size_t {
  benefit,
  reciprocity,
  pressure,
  balance,
  alignment,
  anchor,
  institutions,
  event,
  noise,
  clamp,  // what clamping to [-1,1] (and the rate bound) took away
  count
};
inline constexpr std::size_t kTermCount = static_cast<std::size_t>(Term::count);
inline constexpr std::array<std::string_view, kTermCount> kTermNames = {
    "benefit", "reciprocity",  "pressure", "balance", "alignment",
    "anchor",  "institutions", "event",    "noise",   "clamp"};

constexpr std::size_t term_index(Term t) { return static_cast<std::size_t>(t); }
constexpr std::string_view term_name(Term t) { return kTermNames[term_index(t)]; }

}  // namespace interdep
