// A recorded quantity as people write it: DATASET[COORDINATES], e.g. "trade[PAK,RUS]",
// "relations[PAK,RUS,economy]", "membership[PAK,BRICS]". Sweep outputs and observations name
// what they read this way; the dataset is a row of the recorded-dataset table and the
// coordinates the scenario's actor codes, domain and institution names, or channels.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/run/recorded_datasets.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep {

struct Quantity {
  std::string name;                          // as quantity_spelling writes it
  const RecordedDataset* dataset = nullptr;  // its row of kRecordedDatasets (sweepable)
  std::vector<std::size_t> indices;          // one per axis of the dataset
};

// What is wrong with a quantity's text; the caller adds where it was written.
struct QuantityError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// A quantity's text in one spelling: no spaces around its dataset and coordinates, which a comma
// separates ("trade[ RUS , PAK]" -> "trade[RUS,PAK]"), so that a sweep stores an output under
// the name every command and script looks it up by. Text without brackets is returned as it is.
std::string quantity_spelling(std::string_view text);

// The datasets a quantity may name: the sweepable rows of the table.
std::vector<std::string> quantity_datasets();

// Whether a pair dataset's actor may be its own partner ("trade[PAK,PAK]"): the diagonal holds
// no relation between states, so what a user writes refuses it; a stored sweep's outputs, written
// before the refusal, are read as they are.
enum class SelfPairs { refuse, accept };

// Throws QuantityError naming the unknown dataset or coordinate (with "did you mean"), the
// wrong number of coordinates or (unless accepted) an actor paired with itself.
Quantity parse_quantity(std::string_view written, const ScenarioSpec& spec,
                        SelfPairs self_pairs = SelfPairs::refuse);

// The value of `q` in frame `frame` of `arrays`, whose axes have `sizes`.
double quantity_value(const RecordedArrays& arrays, const AxisSizes& sizes, std::size_t frame,
                      const Quantity& q);

}  // namespace interdep
