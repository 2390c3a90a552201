#include "engine/run/recorded_datasets.hpp"

#include <cassert>

namespace interdep {

std::size_t AxisSizes::of(Axis axis) const {
  switch (axis) {
    case Axis::actor:
    case Axis::partner: return actors;
    case Axis::domain: return domains;
    case Axis::institution: return institutions;
    case Axis::term: return terms;
    case Axis::corridor_edge: return corridor_edges;
    case Axis::channel: return kDependenceChannels.size();
  }
  assert(false && "unknown axis");
  return 0;
}

std::size_t RecordedDataset::frame_size(const AxisSizes& sizes) const {
  std::size_t size = 1;
  for (Axis axis : axis_list()) size *= sizes.of(axis);
  return size;
}

const RecordedDataset* find_recorded_dataset(std::string_view name) {
  for (const RecordedDataset& row : kRecordedDatasets)
    if (row.name == name) return &row;
  return nullptr;
}

void size_recorded_arrays(RecordedArrays& arrays, const AxisSizes& sizes, std::size_t frames,
                          bool with_optional) {
  for (const RecordedDataset& row : kRecordedDatasets) {
    const std::size_t size = row.optional && !with_optional ? 0 : frames * row.frame_size(sizes);
    if (row.f64 != nullptr) (arrays.*row.f64).assign(size, 0.0);
    if (row.u8 != nullptr) (arrays.*row.u8).assign(size, 0);
  }
}

}  // namespace interdep
