// The hot state of a run: contiguous, row-major arrays sized once at start (Box2D style).
// Everything a recorder can write lives here; models keep their scratch to themselves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/run/recorded_datasets.hpp"

namespace interdep {

struct Dims {
  std::size_t actors = 0;        // N
  std::size_t domains = 0;       // D
  std::size_t institutions = 0;  // I

  std::size_t pairs() const { return actors * actors; }
  std::size_t pair(std::size_t i, std::size_t j) const { return i * actors + j; }
  std::size_t rel(std::size_t i, std::size_t j, std::size_t d) const {
    return (i * actors + j) * domains + d;
  }
  std::size_t member(std::size_t i, std::size_t k) const { return i * institutions + k; }
};

// The live state: one frame of every recorded dataset (RecordedArrays, engine/run/
// recorded_datasets.hpp) plus what the model keeps between steps that is not recorded.
struct WorldState : RecordedArrays {
  Dims dims;
  std::int64_t step = 0;  // steps taken so far
  double time = 0.0;      // decimal year of this state

  std::vector<std::uint8_t> applicant;  // a[i*I+k]: i has a pending application to k
  std::size_t terms = 0;                // T: decision terms of the model (Model::term_names);
                                        // contributions is empty when nobody records them

  // Sizes every array, zeroed. `term_count`: how many decision terms the model records (0
  // tracks no contributions); `corridor_edges`: edges of the corridor graph.
  void resize(const Dims& d, std::size_t term_count, std::size_t corridor_edges) {
    dims = d;
    terms = term_count;
    size_recorded_arrays(*this, sizes(corridor_edges), 1, term_count > 0);
    applicant.assign(d.actors * d.institutions, 0);
  }

  AxisSizes sizes(std::size_t corridor_edges) const {
    return AxisSizes{dims.actors, dims.domains, dims.institutions, terms, corridor_edges};
  }
};

}  // namespace interdep
