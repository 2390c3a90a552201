#include "engine/scenario/scenario_loader.hpp"

#include <algorithm>

#include <unistd.h>

#include <toml++/toml.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>
#include <string>

#include "engine/scenario/scenario_file.hpp"
#include "engine/scenario/spec_builder.hpp"
#include "engine/scenario/toml_reader.hpp"

namespace interdep {
namespace {

namespace fs = std::filesystem;
using namespace detail;

// Overrides on the merged table, then the spec; errors in overridden values name their --set.
// With `undo`, the overrides are recorded there (the caller puts the table back).
ScenarioSpec build_spec_in(toml::table& merged, const std::vector<Removal>& removals,
                           const std::string& source_path, const LoadOptions& options,
                           OverrideUndo* undo = nullptr) {
  try {
    std::vector<std::string> changed =
        apply_overrides(merged, options.overrides, undo, options.given_once_from);
    // The files' keys were checked as they were read; an override's, only when it may add one
    // (a walk of the whole table would cost each run of a sweep).
    if (std::any_of(options.overrides.begin(), options.overrides.end(),
                    [](const std::string& o) { return o.find('\'') != std::string::npos; }))
      refuse_unwritable_keys(merged);
    std::string text = options.resolved_text ? resolved_text(merged) : std::string();
    ScenarioSpec spec = SpecBuilder(merged, source_path).build();
    spec.resolved_text = std::move(text);
    spec.overrides = std::move(changed);
    return spec;
  } catch (const InputError& e) {
    throw attribute_to_removal(attribute_to_override(e, options.overrides, &merged), merged,
                               removals);
  }
}

// The error the scenario read by `read_written` gives with the first `count` overrides, if any.
std::optional<InputError> error_with(const std::function<toml::table()>& read_written,
                                     const std::string& source_path, const LoadOptions& options,
                                     std::size_t count) {
  try {
    toml::table table = read_written();
    const std::vector<std::string> first(
        options.overrides.begin(), options.overrides.begin() + static_cast<std::ptrdiff_t>(count));
    (void)apply_overrides(table, first, nullptr, options.given_once_from);
    (void)SpecBuilder(table, source_path).build();
    return std::nullopt;
  } catch (const InputError& e) {
    return e;
  }
}

bool same_error(const InputError& a, const InputError& b) {
  return a.where().file == b.where().file && a.where().line == b.where().line &&
         a.where().column == b.where().column && a.key() == b.key() && a.message() == b.message();
}

// An error at a key of the files, not at a --set and naming none, that the overrides caused
// through another key (`--set events.0.enabled=false` switched off the sanction a later
// lift_sanction lifts: refused at the lift's line): names the --set with which this very error
// first appears, the --set options applied in their order, when the scenario builds as written.
// A --set before it that breaks the scenario otherwise is not blamed for this error. Rebuilt once
// for each --set up to that one, on the way to an error only.
InputError attribute_to_consequence(const InputError& e,
                                    const std::function<toml::table()>& read_written,
                                    const std::string& source_path, const LoadOptions& options) {
  if (options.overrides.empty() || is_override(e.where()) ||
      !detail::override_named_by(e, options.overrides).empty())
    return e;
  try {
    if (error_with(read_written, source_path, options, 0)) return e;  // not the overrides' doing
    for (std::size_t count = 1; count < options.overrides.size(); ++count)
      if (const auto found = error_with(read_written, source_path, options, count);
          found && same_error(*found, e))
        return refused_since_override(e, options.overrides[count - 1], count == 1);
  } catch (const std::exception&) {
    return e;  // the file unreadable now, memory: the error as found
  }
  return refused_since_override(e, options.overrides.back(), options.overrides.size() == 1);
}

// The spec of `merged` with the overrides; on an error the overrides caused through another
// key, `read_written` reads the scenario again, as written, to find the --set to name.
ScenarioSpec build_spec(toml::table merged, const std::vector<Removal>& removals,
                        const std::string& source_path, const LoadOptions& options,
                        const std::function<toml::table()>& read_written) {
  try {
    return build_spec_in(merged, removals, source_path, options);
  } catch (const InputError& e) {
    throw attribute_to_consequence(e, read_written, source_path, options);
  }
}

}  // namespace

std::string override_named_by(const InputError& e, const std::vector<std::string>& overrides) {
  return detail::override_named_by(e, overrides);
}

std::string run_record_toml(const std::string& label, const std::vector<std::string>& overrides) {
  if (label.empty() && overrides.empty()) return {};
  toml::table run;
  if (!label.empty()) run.insert("label", label);
  toml::array list;
  for (const std::string& o : overrides) list.push_back(o);
  run.insert("overrides", std::move(list));
  std::ostringstream out;
  out << "\n# The run this text is the scenario of (interdep inspect --scenario): a run of the\n"
         "# text is named and lists its overrides as that run did. Not part of the scenario.\n"
      << toml::table{{"run", std::move(run)}} << "\n";
  return out.str();
}

std::string toml_string(std::string_view text) {
  std::ostringstream out;
  const toml::value<std::string> value(std::string{text});
  // Basic strings ("..."), as the files this program writes have them: not literal ('...').
  out << toml::toml_formatter(
      value, toml::toml_formatter::default_flags & ~toml::format_flags::allow_literal_strings);
  return out.str();
}

ScenarioSpec load_scenario(const fs::path& path, const LoadOptions& options) {
  std::vector<Removal> removals;
  toml::table merged = read_scenario_file(path, &removals);
  return build_spec(std::move(merged), removals, path.string(), options,
                    [&] { return read_scenario_file(path); });
}

ScenarioSpec load_scenario_text(std::string_view text, const std::string& source_name,
                                const fs::path& base_dir, const LoadOptions& options) {
  std::vector<Removal> removals;
  toml::table merged = read_scenario_text(text, source_name, base_dir, &removals);
  return build_spec(std::move(merged), removals, source_name, options,
                    [&] { return read_scenario_text(text, source_name, base_dir); });
}

struct ScenarioTemplate::Impl {
  fs::path path;
  toml::table merged;             // base chain resolved; copies of it lose positions, not values
  std::vector<Removal> removals;  // what `remove` entries of the chain took
};

ScenarioTemplate::ScenarioTemplate(const fs::path& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->merged = read_scenario_file(path, &impl_->removals);
  // Validate the template itself once, with positions, before any copy is made.
  try {
    SpecBuilder(impl_->merged, path.string()).build();
  } catch (const InputError& e) {
    throw attribute_to_removal(e, impl_->merged, impl_->removals);
  }
}

bool ScenarioTemplate::same_key(std::string_view a, std::string_view b) const {
  return resolved_key_parts(impl_->merged, a) == resolved_key_parts(impl_->merged, b);
}

std::optional<InputError> ScenarioTemplate::key_path_refusal(std::string_view key) const {
  // Set to a probe value: every refusal of the assignment itself is one of its path (the value
  // is valid TOML), and the builder's refusal of a key its table does not read holds for any
  // value. Any other refusal is of the probe value, at a key the scenario reads.
  const std::string probe = std::string(key) + "=0";
  toml::table copy(impl_->merged);
  try {
    (void)apply_overrides(copy, {probe});
  } catch (const InputError& e) {
    return e;
  }
  try {
    (void)SpecBuilder(copy, impl_->path.string()).build();
  } catch (const InputError& e) {
    // Unknown at the key or at a table of its path that the probe made (model.decidee.pressure):
    // not a key elsewhere, which a value at this one (a model's name) would make unknown.
    const std::vector<std::string> unknown = split_key_path(e.key()).parts;
    const std::vector<std::string> parts = resolved_key_parts(copy, key);
    if (e.message().rfind(kUnknownKey, 0) == 0 && unknown.size() <= parts.size() &&
        std::equal(unknown.begin(), unknown.end(), parts.begin()))
      return attribute_to_override(e, {probe});
    // A table or array the key itself names refuses the probe as it would any one value.
    if (unknown == parts) {
      const std::string_view message = e.message();
      const bool table = message.rfind("expected a table", 0) == 0;
      const bool tables = message.rfind("expected an array of tables", 0) == 0;
      if (table || tables || message.rfind("expected an array", 0) == 0)
        return InputError(
            e.where(), std::string(key),
            std::string(table ? "names a table of the scenario"
                              : "names an array of the scenario") +
                ", not one value: a parameter is the key of one value" +
                (table    ? " inside it, such as '" + std::string(key) + ".<key>'"
                 : tables ? " of one element, such as '" + std::string(key) + ".0.<key>'"
                          : ""));
    }
  }
  return std::nullopt;
}

std::optional<double> ScenarioTemplate::written_number(std::string_view key) const {
  const toml::node* node = &impl_->merged;
  for (const std::string& part : resolved_key_parts(impl_->merged, key)) {
    if (const toml::table* table = node->as_table())
      node = table->get(part);
    else if (const toml::array* array = node->as_array())
      // resolved_key_parts wrote an element it found by its index in digits; anything else
      // names no element.
      node = std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                     !part.empty() && part.size() < 10
                 ? array->get(std::stoul(part))
                 : nullptr;
    else
      node = nullptr;
    if (node == nullptr) return std::nullopt;
  }
  if (node->is_integer()) return static_cast<double>(node->as_integer()->get());
  if (node->is_floating_point()) return node->as_floating_point()->get();
  return std::nullopt;
}

ScenarioTemplate::~ScenarioTemplate() = default;
ScenarioTemplate::ScenarioTemplate(ScenarioTemplate&&) noexcept = default;
ScenarioTemplate& ScenarioTemplate::operator=(ScenarioTemplate&&) noexcept = default;

ScenarioSpec ScenarioTemplate::instantiate(const LoadOptions& options) const {
  try {
    toml::table copy(impl_->merged);
    return build_spec_in(copy, impl_->removals, impl_->path.string(), options);
  } catch (const InputError& e) {
    throw with_position_from(e, impl_->merged);
  }
}

struct ScenarioTemplate::Workspace::Table {
  toml::table table;  // equal to the template's merged table between instantiations
};

ScenarioTemplate::Workspace::Workspace() = default;
ScenarioTemplate::Workspace::~Workspace() = default;
ScenarioTemplate::Workspace::Workspace(Workspace&&) noexcept = default;
ScenarioTemplate::Workspace& ScenarioTemplate::Workspace::operator=(Workspace&&) noexcept = default;

ScenarioSpec ScenarioTemplate::instantiate(const LoadOptions& options, Workspace& workspace) const {
  if (!workspace.table_)
    workspace.table_ = std::make_unique<Workspace::Table>(Workspace::Table{impl_->merged});
  OverrideUndo undo;
  try {
    ScenarioSpec spec = build_spec_in(workspace.table_->table, impl_->removals,
                                      impl_->path.string(), options, &undo);
    undo.restore();
    return spec;
  } catch (const OverrideUndo::NotUndoable&) {
    undo.restore();
    return instantiate(options);
  } catch (const InputError& e) {
    undo.restore();
    throw with_position_from(e, impl_->merged);
  } catch (...) {
    undo.restore();
    throw;
  }
}

const fs::path& ScenarioTemplate::path() const { return impl_->path; }

std::string gib_text(double bytes) {
  constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;  // bytes
  const double gib = bytes / kGiB;
  char text[32];
  std::snprintf(text, sizeof text, gib < 1000.0 ? "%.3g" : "%.0f", gib);
  return text;
}

void check_run_size(const ScenarioSpec& spec, std::uint64_t bytes_needed, std::uint64_t limit_bytes,
                    std::string_view remedy) {
  if (bytes_needed <= limit_bytes) return;
  throw InputError(spec.time_position, "time",
                   "this run would need " + gib_text(static_cast<double>(bytes_needed)) +
                       " GiB of memory (" + std::to_string(spec.actor_count()) + " actors, " +
                       std::to_string(spec.domain_count()) + " domains), more than the limit of " +
                       gib_text(static_cast<double>(limit_bytes)) + " GiB; " + std::string(remedy));
}

namespace {
WorldSizeCheck& world_size_check() {
  static WorldSizeCheck check;
  return check;
}
}  // namespace

void set_world_size_check(WorldSizeCheck check) { world_size_check() = std::move(check); }

void check_world_size(const ScenarioSpec& partial, const SourcePosition& actors) {
  const WorldSizeCheck& check = world_size_check();
  if (check.limit_bytes == 0 || !check.run_bytes) return;
  const std::uint64_t needed = check.run_bytes(partial);
  if (needed <= check.limit_bytes) return;
  throw InputError(actors, "actors",
                   "a world of " + std::to_string(partial.actor_count()) + " actors and " +
                       std::to_string(partial.domain_count()) + " domains would need at least " +
                       gib_text(static_cast<double>(needed)) +
                       " GiB of memory to run (its actor x actor x domain arrays), more than "
                       "the limit of " +
                       gib_text(static_cast<double>(check.limit_bytes)) +
                       " GiB; model fewer actors or domains, or raise --max-memory");
}

std::uint64_t dense_spec_bytes(std::size_t actors, std::size_t domains) {
  const auto n = static_cast<std::uint64_t>(actors), d = static_cast<std::uint64_t>(domains);
  constexpr std::uint64_t kPairArrays = 4 + 4 + 1;  // trade and energy's three, finance, influence
  return n * n * (d + kPairArrays) * sizeof(double);
}

std::string seed_override(std::uint64_t seed) {
  const std::string digits = std::to_string(seed);
  return seed <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
             ? "seed=" + digits
             : "seed=\"" + digits + "\"";
}

std::uint64_t default_memory_limit() {
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return 8ull << 30;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size) / 4 * 3;
}

}  // namespace interdep
