// The browser lab (docs/lab.md): one self-contained HTML file with the engine compiled to
// WebAssembly and a set of scenarios, each held as its fully merged text, which the page edits
// with overrides and reruns as its sliders move.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace interdep::lab {

// Whether this program carries the lab's engine (it was built with Emscripten's em++).
bool has_engine();

struct LabScenario {
  std::string id;           // unique in the page: the file's stem, numbered if taken
  std::string file;         // as given on the command line
  std::string name;         // the scenario's name
  std::string description;  // and description
  std::string text;         // the fully merged scenario (base files and --set applied)
  std::size_t actors = 0;   // its number of actors
};

// The most memory a lab scenario's run may take in the browser's engine, its frames twice: a
// page's WebAssembly memory ends at 2 GiB, grows by doubling, and the page holds copies besides
// (a 150-actor, 5-year world of 0.92 GiB ran; one of 9.5 GiB ended in std::bad_alloc).
inline constexpr std::uint64_t kLabRunBytes = std::uint64_t{1} << 30;

// Reads and checks `file` as `run` would (InputError on bad input) and keeps its merged text,
// which must stand alone: a scenario whose observed figures come from other files, or a world
// whose run would take more than kLabRunBytes, is refused.
LabScenario read_lab_scenario(const std::filesystem::path& file);

// The page: `scenarios` (at least one), the first chosen, compared with `baseline` (an id of
// one of them, or "" for the chosen scenario as written).
std::string lab_page(const std::vector<LabScenario>& scenarios, const std::string& baseline);

}  // namespace interdep::lab
