// libFuzzer target: arbitrary bytes as the observed-figures CSV of `interdep score --observed`
// (engine/scenario/observed_table, on the CSV reader every CSV of figures goes through). The
// reader must return a table or throw InputError; any other outcome is a finding.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/scenario/errors.hpp"
#include "engine/scenario/observed_table.hpp"
#include "tests/fuzz/process_temporary.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const interdep::fuzz::ProcessTemporary temporary("interdep-fuzz-observed", ".csv");
  const std::filesystem::path& file = temporary.path();
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  interdep::ObservedTableDefaults defaults;
  defaults.quantity = "trade[PAK,RUS]";  // so that files without the column get further
  defaults.unit = "US$ bn/yr";
  try {
    (void)interdep::read_observed_table(file, defaults, {"--observed", 0, 0});
  } catch (const interdep::InputError&) {
    // bad input, refused with its place
  }
  return 0;
}
