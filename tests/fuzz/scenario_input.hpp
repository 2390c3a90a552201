// The scenario file of fuzz_scenario and fuzz_run: arbitrary bytes loaded as a scenario, relative
// `base` paths resolving against scenarios/teaching (so that the seeds' "../baseline.toml" chains
// are followed), worlds beyond 1 GiB refused by the loader's world-size check.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/scenario/scenario_loader.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep::fuzz {

// Throws InputError for a bad input, as `interdep validate` refuses it.
inline ScenarioSpec load_fuzz_scenario(const std::uint8_t* data, std::size_t size) {
  // Worlds whose dense arrays would not fit in libFuzzer's memory limit are refused as a run
  // would refuse them beyond --max-memory (the loader's world-size check), here at 1 GiB.
  static const bool world_size_checked = [] {
    set_world_size_check({std::uint64_t{1} << 30, [](const ScenarioSpec& partial) {
                            return dense_spec_bytes(partial.actor_count(), partial.domain_count());
                          }});
    return true;
  }();
  (void)world_size_checked;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  LoadOptions options;
  options.resolved_text = false;
  return load_scenario_text(text, "fuzz.toml", INTERDEP_SOURCE_DIR "/scenarios/teaching", options);
}

}  // namespace interdep::fuzz
