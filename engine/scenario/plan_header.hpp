// The keys every file that runs a scenario many times begins with: a sweep, a calibration, a
// checks file (docs/sweeps.md, docs/calibration.md, docs/validation.md). Read in one place so
// that the three say the same things about them. Internal to the loaders (it uses TOML++).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "engine/scenario/errors.hpp"
#include "engine/scenario/toml_reader.hpp"

namespace interdep::detail {

struct PlanHeader {
  std::string name;                  // required
  std::string description;           // default ""
  std::filesystem::path scenario;    // required, resolved against the file's folder
  SourcePosition scenario_position;  // where `scenario` was written
  std::uint64_t seed = 1;            // 0 .. 2^64 - 1
};

// Reads name, description, scenario and seed from `root`, the top table of `file`; `kind` names
// the file in messages ("sweep", "calibration", "checks") and `purpose` what its scenario is for
// ("to sweep", "to fit", "to check"). The scenario must be a regular file (read_user_text's
// rules), refused at its line otherwise. `seed` is the default seed. Throws InputError.
PlanHeader read_plan_header(TableReader& root, const std::filesystem::path& file,
                            std::string_view kind, std::string_view purpose, std::uint64_t seed);

}  // namespace interdep::detail
