// The browser lab (docs/lab.md): one self-contained HTML file with the engine compiled to
// WebAssembly and a set of scenarios, each held as its fully merged text, which the page edits
// with overrides and reruns as its sliders move.
#pragma once

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
};

// Reads and checks `file` as `run` would (InputError on bad input) and keeps its merged text,
// which must stand alone: a scenario whose observed figures come from other files is refused.
LabScenario read_lab_scenario(const std::filesystem::path& file);

// The page: `scenarios` (at least one), the first chosen, compared with `baseline` (an id of
// one of them, or "" for the chosen scenario as written).
std::string lab_page(const std::vector<LabScenario>& scenarios, const std::string& baseline);

}  // namespace interdep::lab
