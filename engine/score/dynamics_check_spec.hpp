// Dynamics checks as plain data (docs/validation.md, "Events as tests of the dynamics"): what
// the record says a scenario's dynamics should do that no event tells the model directly. A
// third party's response to an event (after the 2018 US aid cut, does Pakistan's relation with
// Russia rise, compared with the same run without the cut?), a trade path (does Russia-China
// trade rise after 2014?), a decision (is Pakistan still outside BRICS after the 2024 summit?).
// Each check is measured on `replicates` seeds (common random numbers: the run without the
// events uses the same seed) and holds when more than `agreement` of them agree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/scenario/enum_names.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep::score {

// What a check expects of its measure: rise and fall of the change from `from` to `to` beyond
// the threshold; above and below the threshold of the level at `to`.
enum class Expectation { rise, fall, above, below };

struct DynamicsCheck {
  std::string label;        // what the record says, in words
  SourcePosition position;  // of its label
  std::string quantity;     // a recorded quantity, e.g. "relation_overall[PAK,RUS]"
  ObservationAggregate aggregate = ObservationAggregate::value;  // pair_total: both directions
  double from = 0.0, to = 0.0;  // decimal years, from < to, inside the run (the states nearest)
  Expectation expect = Expectation::rise;
  double threshold = 0.0;  // rise/fall: the least change that counts (>= 0, in the dataset's
                           // unit); above/below: the level compared with
  // Labels of the scenario's events left out of the comparison run: the measure is then the
  // difference this run minus that one (the change from `from` to `to` for rise and fall, the
  // level at `to` for above and below), so that only the events' effect is judged.
  std::vector<std::string> without;
  std::string source;  // where the record says so
};

struct CheckSpec {
  std::string name;
  std::string description;
  std::filesystem::path source_path;  // the checks file
  std::filesystem::path scenario;     // resolved against the checks file
  std::uint64_t seed = 1;             // replicate r's seed derives from it (sweep::run_seed)
  std::size_t replicates = 8;         // seeds each check is measured on
  double agreement = 0.5;             // a check holds when more than this share of seeds agree
  std::vector<DynamicsCheck> checks;  // in file order
};

constexpr EnumNames<Expectation, 4> enum_names(Expectation) {
  return {{{Expectation::rise, "rise"},
           {Expectation::fall, "fall"},
           {Expectation::above, "above"},
           {Expectation::below, "below"}}};
}

// Reads and validates a checks file against its scenario: quantities resolve, dates lie inside
// the run in order, the events named in `without` exist. Throws InputError with positions.
CheckSpec load_checks(const std::filesystem::path& path);

}  // namespace interdep::score
