// The scenario file of fuzz_scenario and fuzz_run: arbitrary bytes loaded as a scenario, relative
// paths (`base`, `csv`) resolving in a folder where every seed's own resolve: the shipped
// scenarios' "baseline.toml", the teaching and history files' "../baseline.toml" and
// "2014-2024.toml" alike (before, against scenarios/teaching, the top-level seeds' base was not
// found and they were refused at once). Worlds beyond 1 GiB are refused by the loader's
// world-size check.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "engine/scenario/scenario_loader.hpp"
#include "engine/scenario/spec.hpp"
#include "tests/fuzz/process_temporary.hpp"

namespace interdep::fuzz {

// <tmp>/interdep-fuzz-scenario-<pid>/inner, the folder a fuzzed scenario's relative paths resolve
// in. Its parent holds a link to every entry of scenarios/ (so "../baseline.toml" and
// "../history/2014-2024.toml" resolve); it holds a link to every file of scenarios/ and of its
// subfolders, the first of a name kept (so "baseline.toml", "gas-cutoff.toml" and
// "trade-2021-2024.csv" do). Removed when the fuzzer exits.
inline const std::filesystem::path& seed_layout() {
  namespace fs = std::filesystem;
  struct Layout {
    ProcessTemporary temporary{"interdep-fuzz-scenario"};
    fs::path root = temporary.path(), inner = root / "inner";
    Layout() {
      fs::create_directories(inner);
      const fs::path scenarios = INTERDEP_SOURCE_DIR "/scenarios";
      auto link = [](const fs::path& target, const fs::path& at) {
        if (!fs::exists(fs::symlink_status(at))) fs::create_symlink(target, at);
      };
      for (const auto& entry : fs::directory_iterator(scenarios)) {
        link(entry.path(), root / entry.path().filename());
        if (entry.is_regular_file()) link(entry.path(), inner / entry.path().filename());
      }
      for (const auto& entry : fs::directory_iterator(scenarios)) {
        if (!entry.is_directory()) continue;
        for (const auto& file : fs::directory_iterator(entry.path()))
          if (file.is_regular_file()) link(file.path(), inner / file.path().filename());
      }
    }
  };
  static const Layout layout;
  return layout.inner;
}

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
  return load_scenario_text(text, "fuzz.toml", seed_layout().string(), options);
}

}  // namespace interdep::fuzz
