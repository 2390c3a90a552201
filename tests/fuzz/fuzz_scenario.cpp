// libFuzzer target: arbitrary bytes as a scenario file. The loader must return a scenario or
// throw InputError (a bad input, exit 2); any other outcome is a finding. Relative `base` paths
// resolve against scenarios/teaching, so that the seeds' "../baseline.toml" chains are followed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/scenario/errors.hpp"
#include "engine/scenario/scenario_loader.hpp"

namespace {

// Worlds whose dense arrays would not fit in libFuzzer's memory limit are refused as a run would
// refuse them beyond --max-memory (the loader's world-size check), here at 1 GiB.
const bool world_size_checked = [] {
  interdep::set_world_size_check(
      {std::uint64_t{1} << 30, [](const interdep::ScenarioSpec& partial) {
         return interdep::dense_spec_bytes(partial.actor_count(), partial.domain_count());
       }});
  return true;
}();

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)world_size_checked;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  interdep::LoadOptions options;
  options.resolved_text = false;
  try {
    (void)interdep::load_scenario_text(text, "fuzz.toml", INTERDEP_SOURCE_DIR "/scenarios/teaching",
                                       options);
  } catch (const interdep::InputError&) {
    // bad input, refused with its place: the expected outcome for most inputs
  }
  return 0;
}
