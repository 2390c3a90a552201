#include "engine/scenario/scenario_loader.hpp"

#include <toml++/toml.h>

#include "engine/scenario/scenario_file.hpp"
#include "engine/scenario/spec_builder.hpp"
#include "engine/scenario/toml_reader.hpp"

namespace interdep {
namespace {

namespace fs = std::filesystem;
using namespace detail;

// Overrides on the merged table, then the spec; errors in overridden values name their --set.
ScenarioSpec build_spec(toml::table merged, const std::string& source_path,
                        const LoadOptions& options) {
  try {
    apply_overrides(merged, options.overrides);
    std::string text = options.resolved_text ? resolved_text(merged) : std::string();
    ScenarioSpec spec = SpecBuilder(merged, source_path).build();
    spec.resolved_text = std::move(text);
    return spec;
  } catch (const InputError& e) {
    throw attribute_to_override(e, options.overrides);
  }
}

}  // namespace

ScenarioSpec load_scenario(const fs::path& path, const LoadOptions& options) {
  return build_spec(read_scenario_file(path), path.string(), options);
}

ScenarioSpec load_scenario_text(std::string_view text, const std::string& source_name,
                                const fs::path& base_dir, const LoadOptions& options) {
  return build_spec(read_scenario_text(text, source_name, base_dir), source_name, options);
}

struct ScenarioTemplate::Impl {
  fs::path path;
  toml::table merged;  // base chain resolved; copies of it lose positions, not values
};

ScenarioTemplate::ScenarioTemplate(const fs::path& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->merged = read_scenario_file(path);
  // Validate the template itself once, with positions, before any copy is made.
  SpecBuilder(impl_->merged, path.string()).build();
}

ScenarioTemplate::~ScenarioTemplate() = default;
ScenarioTemplate::ScenarioTemplate(ScenarioTemplate&&) noexcept = default;
ScenarioTemplate& ScenarioTemplate::operator=(ScenarioTemplate&&) noexcept = default;

ScenarioSpec ScenarioTemplate::instantiate(const LoadOptions& options) const {
  return build_spec(toml::table(impl_->merged), impl_->path.string(), options);
}

const fs::path& ScenarioTemplate::path() const { return impl_->path; }

void check_run_size(const ScenarioSpec& spec, std::uint64_t bytes_needed,
                    std::uint64_t limit_bytes) {
  if (bytes_needed <= limit_bytes) return;
  constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;  // bytes
  const double gib = static_cast<double>(bytes_needed) / kGiB;
  const double limit_gib = static_cast<double>(limit_bytes) / kGiB;
  throw InputError(spec.time_position, "time",
                   "this run would need " + format_number(gib) + " GiB of memory (" +
                       std::to_string(spec.actor_count()) + " actors, " +
                       std::to_string(spec.domain_count()) + " domains), more than the limit of " +
                       format_number(limit_gib) +
                       " GiB; switch off [output] contributions, model fewer actors, or raise "
                       "--max-memory");
}

}  // namespace interdep
