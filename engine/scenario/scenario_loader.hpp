// TOML scenario -> ScenarioSpec: base chains, --set overrides, validation with positions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/errors.hpp"
#include "engine/scenario/name_match.hpp"  // closest_match, for callers naming things
#include "engine/scenario/spec.hpp"

namespace interdep {

struct LoadOptions {
  std::vector<std::string> overrides;  // "key.path=value", applied after the base chain
  bool resolved_text = true;           // serialise the merged document into spec.resolved_text
};

// Loads, merges, overrides and validates a scenario file. Throws InputError.
ScenarioSpec load_scenario(const std::filesystem::path& path, const LoadOptions& options = {});

// The same from text; `source_name` appears in errors, `base` paths resolve against `base_dir`.
ScenarioSpec load_scenario_text(std::string_view text, const std::string& source_name,
                                const std::filesystem::path& base_dir,
                                const LoadOptions& options = {});

// A scenario read once (base chain merged) and instantiated many times with different
// overrides: what a sweep does for each run. instantiate() only reads the template, so several
// threads may call it at once.
class ScenarioTemplate {
 public:
  explicit ScenarioTemplate(const std::filesystem::path& path);
  ~ScenarioTemplate();
  ScenarioTemplate(ScenarioTemplate&&) noexcept;
  ScenarioTemplate& operator=(ScenarioTemplate&&) noexcept;

  // Throws InputError; errors in overridden values name the override (their file is "--set ...").
  ScenarioSpec instantiate(const LoadOptions& options) const;
  const std::filesystem::path& path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Upper bound on the run's memory use, bytes (the recorded frames it holds and its state), and
// the refusal of runs that would need more than `limit_bytes`: an InputError naming the scenario
// and the size.
void check_run_size(const ScenarioSpec& spec, std::uint64_t bytes_needed,
                    std::uint64_t limit_bytes);

}  // namespace interdep
