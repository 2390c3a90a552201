#include "engine/run/quantity.hpp"

#include <algorithm>
#include <cassert>

#include "engine/scenario/name_match.hpp"
#include "engine/text/nfc.hpp"
#include "engine/text/quoted_text.hpp"

namespace interdep {
namespace {

std::string quoted_list(const std::vector<std::string>& words) {
  std::string s;
  for (std::size_t k = 0; k < words.size(); ++k) s += (k ? ", '" : "'") + words[k] + "'";
  return s;
}

// "PAK, RUS" -> {"PAK", "RUS"}, each trimmed; tabs and semicolons separate too, quotes are
// dropped.
std::vector<std::string> split_coordinates(std::string_view text) {
  std::vector<std::string> cells(1);
  for (char c : text) {
    if (c == ',' || c == '\t' || c == ';')
      cells.emplace_back();
    else if (c != '\r' && c != '"')
      cells.back() += c;
  }
  for (auto& s : cells) {
    const auto b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
    s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  }
  return cells;
}

}  // namespace

std::string quantity_spelling(std::string_view text) {
  const auto open = text.find('['), close = text.rfind(']');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return std::string(text);
  std::string_view dataset = text.substr(0, open);
  while (!dataset.empty() && (dataset.front() == ' ' || dataset.front() == '\t'))
    dataset.remove_prefix(1);
  while (!dataset.empty() && (dataset.back() == ' ' || dataset.back() == '\t'))
    dataset.remove_suffix(1);
  std::string out(dataset);
  out += '[';
  const std::vector<std::string> coords =
      split_coordinates(text.substr(open + 1, close - open - 1));
  for (std::size_t k = 0; k < coords.size(); ++k) out += (k ? "," : "") + coords[k];
  out += ']';
  return out;
}

std::vector<std::string> quantity_datasets() {
  std::vector<std::string> names;
  for (const RecordedDataset& row : kRecordedDatasets)
    if (row.sweepable) names.emplace_back(row.name);
  return names;
}

Quantity parse_quantity(std::string_view written, const ScenarioSpec& spec, SelfPairs self_pairs) {
  // In NFC, as the scenario's names are (engine/text/nfc.hpp): a domain typed with a combining
  // accent on the command line is the one the file names precomposed.
  const std::string normalised = to_nfc(written);
  const std::string_view text = normalised;
  Quantity q;
  q.name = normalised;
  const auto open = text.find('['), close = text.rfind(']');
  if (open == std::string_view::npos || close != text.size() - 1 || close < open)
    throw QuantityError("expected DATASET[COORDINATES], e.g. \"relation_overall[PAK,RUS]\", got " +
                        quoted_text(q.name));
  const std::string dataset(text.substr(0, open));
  const std::vector<std::string> known = quantity_datasets();
  if (std::find(known.begin(), known.end(), dataset) == known.end())
    throw QuantityError("unknown dataset " + quoted_text(dataset) + did_you_mean(dataset, known) +
                        "; known: " + quoted_list(known));
  q.dataset = find_recorded_dataset(dataset);
  assert(q.dataset != nullptr && q.dataset->sweepable);

  std::vector<std::string> actors, domains, institutions,
      channels(kDependenceChannels.begin(), kDependenceChannels.end());
  for (const auto& a : spec.actors) actors.push_back(a.code);
  for (const auto& d : spec.domains) domains.push_back(d.name);
  for (const auto& i : spec.institutions) institutions.push_back(i.name);
  std::vector<const std::vector<std::string>*> axes;
  for (Axis axis : q.dataset->axis_list()) {
    assert(axis == Axis::actor || axis == Axis::partner || axis == Axis::domain ||
           axis == Axis::institution || axis == Axis::channel);
    axes.push_back(axis == Axis::domain        ? &domains
                   : axis == Axis::institution ? &institutions
                   : axis == Axis::channel     ? &channels
                                               : &actors);
  }
  const std::vector<std::string> coords =
      split_coordinates(text.substr(open + 1, close - open - 1));
  if (coords.size() != axes.size())
    throw QuantityError("'" + dataset + "' takes " + std::to_string(axes.size()) +
                        " coordinates, got " + std::to_string(coords.size()) + " in " +
                        quoted_text(q.name));
  for (std::size_t k = 0; k < axes.size(); ++k) {
    const auto it = std::find(axes[k]->begin(), axes[k]->end(), coords[k]);
    if (it == axes[k]->end())
      throw QuantityError("unknown coordinate " + quoted_text(coords[k]) + " in " +
                          quoted_text(q.name) + did_you_mean(coords[k], *axes[k]) +
                          "; expected one of " + word_list(*axes[k]));
    q.indices.push_back(static_cast<std::size_t>(it - axes[k]->begin()));
  }
  const std::span<const Axis> dataset_axes = q.dataset->axis_list();
  if (self_pairs == SelfPairs::refuse && dataset_axes.size() >= 2 &&
      dataset_axes[0] == Axis::actor && dataset_axes[1] == Axis::partner &&
      q.indices[0] == q.indices[1])
    throw QuantityError(quoted_text(q.name) + " pairs '" + coords[0] + "' with itself: '" +
                        dataset +
                        "' is recorded for pairs of two different actors (its diagonal is not "
                        "modelled); expected two different actor codes");
  q.name = quantity_spelling(text);
  return q;
}

double quantity_value(const RecordedArrays& arrays, const AxisSizes& sizes, std::size_t frame,
                      const Quantity& q) {
  const RecordedDataset& row = *q.dataset;
  std::size_t offset = 0;  // of the coordinates within one frame, row-major
  for (std::size_t k = 0; k < row.rank; ++k) offset = offset * sizes.of(row.axes[k]) + q.indices[k];
  const std::size_t at = frame * row.frame_size(sizes) + offset;
  return row.f64 != nullptr ? (arrays.*row.f64)[at] : static_cast<double>((arrays.*row.u8)[at]);
}

}  // namespace interdep
