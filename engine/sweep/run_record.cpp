#include "engine/sweep/run_record.hpp"

#include <algorithm>
#include <cassert>

namespace interdep::sweep {

void DesignTableRows::rows(std::size_t first, std::size_t count, DesignTable& out) const {
  assert(first + count <= runs());
  const auto slice = [&](const auto& values, std::size_t width, auto& into) {
    const std::size_t end = std::min(values.size(), (first + count) * width);
    const std::size_t begin = std::min(end, first * width);
    into.assign(values.begin() + static_cast<std::ptrdiff_t>(begin),
                values.begin() + static_cast<std::ptrdiff_t>(end));
  };
  slice(table_.point, 1, out.point);
  slice(table_.replicate, 1, out.replicate);
  slice(table_.seed, 1, out.seed);
  slice(table_.policy, 1, out.policy);  // empty without policies
  slice(table_.unit, parameters_, out.unit);
  slice(table_.value, parameters_, out.value);
}

}  // namespace interdep::sweep
