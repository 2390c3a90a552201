// libFuzzer target: arbitrary bytes as a sweep file. load_sweep reads a path, so each input is
// written to a file in a temporary folder inside a copy of the scenarios' layout (sweeps/ next to
// the scenarios, as in scenarios/), so that the seeds' "../brics.toml" resolve. The loader must
// return a sweep or throw InputError; any other outcome is a finding.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/scenario/errors.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/sweep/sweep_loader.hpp"
#include "tests/fuzz/process_temporary.hpp"

namespace {

namespace fs = std::filesystem;

// Worlds whose dense arrays would not fit in libFuzzer's memory limit are refused as a run would
// refuse them beyond --max-memory (the loader's world-size check), here at 1 GiB.
const bool world_size_checked = [] {
  interdep::set_world_size_check(
      {std::uint64_t{1} << 30, [](const interdep::ScenarioSpec& partial) {
         return interdep::dense_spec_bytes(partial.actor_count(), partial.domain_count());
       }});
  return true;
}();

// <tmp>/interdep-fuzz-sweep-<pid>/sweeps/fuzz.toml, with the shipped scenarios linked beside
// sweeps/; removed when the fuzzer exits.
fs::path sweep_file() {
  static const fs::path file = [] {
    static const interdep::fuzz::ProcessTemporary temporary("interdep-fuzz-sweep");
    const fs::path& root = temporary.path();
    fs::create_directories(root / "sweeps");
    for (const auto& entry : fs::directory_iterator(INTERDEP_SOURCE_DIR "/scenarios")) {
      const fs::path link = root / entry.path().filename();
      if (entry.path().filename() != "sweeps" && !fs::exists(fs::symlink_status(link)))
        fs::create_symlink(entry.path(), link);
    }
    return root / "sweeps" / "fuzz.toml";
  }();
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)world_size_checked;
  const fs::path file = sweep_file();
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    (void)interdep::sweep::load_sweep(file);
  } catch (const interdep::InputError&) {
    // bad input, refused with its place
  }
  return 0;
}
