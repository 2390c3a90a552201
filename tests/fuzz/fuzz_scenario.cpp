// libFuzzer target: arbitrary bytes as a scenario file. The loader must return a scenario or
// throw InputError (a bad input, exit 2); any other outcome is a finding. Relative paths resolve
// where every seed's own do (scenario_input.hpp), so that the seeds' base chains are followed.
#include <cstddef>
#include <cstdint>

#include "engine/scenario/errors.hpp"
#include "tests/fuzz/scenario_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)interdep::fuzz::load_fuzz_scenario(data, size);
  } catch (const interdep::InputError&) {
    // bad input, refused with its place: the expected outcome for most inputs
  }
  return 0;
}
