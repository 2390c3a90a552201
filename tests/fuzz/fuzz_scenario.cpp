// libFuzzer target: arbitrary bytes as a scenario file. The loader must return a scenario or
// throw InputError (a bad input, exit 2); any other outcome is a finding. Relative `base` paths
// resolve against scenarios/teaching, so that the seeds' "../baseline.toml" chains are followed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "engine/scenario/errors.hpp"
#include "engine/scenario/scenario_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
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
