// TOML scenario -> ScenarioSpec: base chains, --set overrides, validation with positions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/errors.hpp"
#include "engine/scenario/name_match.hpp"  // closest_match, for callers naming things
#include "engine/scenario/spec.hpp"

namespace interdep {

struct LoadOptions {
  std::vector<std::string> overrides;  // "key.path=value", applied after the base chain
  // Overrides from this index on are the user's, each key given once (apply_overrides); the
  // default, none: a program's own list may set a key again.
  std::size_t given_once_from = static_cast<std::size_t>(-1);
  bool resolved_text = true;  // serialise the merged document into spec.resolved_text
};

// The override that sets a scenario's seed ("seed=N"), so that the resolved scenario a result
// file stores names the seed the run used: a seed beyond TOML's integers (2^63 and up) is
// written as a string of its digits, which the `seed` key also takes.
std::string seed_override(std::uint64_t seed);

// The [run] table `inspect --scenario` appends to a run's stored text: the run's label and the
// overrides that made it (its `label` and `overrides` attributes), so that `interdep run` of the
// text makes a file equal to the first, attributes included (ScenarioSpec::recorded_label).
// Empty when there is nothing to record. The stored text never holds a [run] of its own.
std::string run_record_toml(const std::string& label, const std::vector<std::string>& overrides);

// `text` as a TOML basic string, quoted and escaped as TOML++ writes it: for TOML this program
// writes by hand (a fitted scenario's `base`, `name` and `description`).
std::string toml_string(std::string_view text);

// Loads, merges, overrides and validates a scenario file. Throws InputError.
ScenarioSpec load_scenario(const std::filesystem::path& path, const LoadOptions& options = {});

// The same from text; `source_name` appears in errors, `base` paths resolve against `base_dir`.
ScenarioSpec load_scenario_text(std::string_view text, const std::string& source_name,
                                const std::filesystem::path& base_dir,
                                const LoadOptions& options = {});

// The one of `overrides` that an error of load_scenario names: at its place ("--set
// KEY=VALUE") or in its message (a value it "was set by", a refusal that follows from it), the
// longest that fits; empty when it names none. For a caller whose overrides are controls that
// it names otherwise (the lab's page).
std::string override_named_by(const InputError& e, const std::vector<std::string>& overrides);

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

  // One thread's working copy of the template's table, for many instantiations in a row (a
  // sweep's runs): each applies its overrides to the copy, builds the spec and puts back what
  // they replaced, instead of copying the whole table. Not shared between threads.
  class Workspace {
   public:
    Workspace();
    ~Workspace();
    Workspace(Workspace&&) noexcept;
    Workspace& operator=(Workspace&&) noexcept;

   private:
    friend class ScenarioTemplate;
    struct Table;
    std::unique_ptr<Table> table_;  // made by the first instantiate
  };
  // The same spec (and errors) as instantiate(options). Overrides that replace a whole table or
  // array are applied to a fresh copy instead, as instantiate(options) does.
  ScenarioSpec instantiate(const LoadOptions& options, Workspace& workspace) const;
  const std::filesystem::path& path() const;

  // Whether two key paths (as --set writes them) name the same key of this scenario: the same
  // parts, an array's element named by its index or by its label alike (resolved_key_parts).
  bool same_key(std::string_view a, std::string_view b) const;

  // Why `key` (a key path as --set writes it) names nothing this scenario has, whatever value it
  // were given: an actor, institution, event (by index or label) ... that the scenario lacks, a
  // key inside a number, or a key its table does not read ("unknown key"); nothing when it names
  // a key the scenario reads (whose values may still be refused). For a caller that checks keys
  // before it has values for them (interdep.Model's parameters without a range). A key that
  // names a table or array (actors.PAK, events), which no single value can be, is refused too.
  std::optional<InputError> key_path_refusal(std::string_view key) const;

  // The number the scenario as written holds at `key` (resolved as --set resolves it), or
  // nothing: a key left at its default, or holding anything but a number. A value the scenario
  // is known to take, for a check that needs one (interdep.Model's keys without a range).
  std::optional<double> written_number(std::string_view key) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Upper bound on the run's memory use, bytes (the recorded frames it holds and its state), and
// the refusal of runs that would need more than `limit_bytes`: an InputError naming the scenario
// and the size, and what to do (`remedy`, after "; ").
// Bytes as GiB for a message: three significant digits below 1,000 ("31.7", "3"), whole above
// ("2950", not "2.95e+03").
std::string gib_text(double bytes);

inline constexpr std::string_view kRunSizeRemedy =
    "switch off [output] contributions, model fewer actors, or raise --max-memory";
void check_run_size(const ScenarioSpec& spec, std::uint64_t bytes_needed, std::uint64_t limit_bytes,
                    std::string_view remedy = kRunSizeRemedy);

// The memory a world's run needs, checked while a scenario is loaded: once its time, domains and
// actors are read and before its dense actor x actor arrays are allocated, so that a world too
// large to run is refused, with what a run would need, in time proportional to its file (validate,
// sweep and calibrate included). The program sets the check once, before loading anything
// (tools/cli: the models' estimate, models/registry.hpp's world_run_bytes, against
// --max-memory); unset, nothing is checked.
struct WorldSizeCheck {
  std::uint64_t limit_bytes = 0;  // 0: no check
  // The least a run of the world needs, given a spec whose time, domains, actors and model name
  // are read (nothing else is).
  std::function<std::uint64_t(const ScenarioSpec& partial)> run_bytes;
};
void set_world_size_check(WorldSizeCheck check);
// The memory runs may use unless told otherwise: three quarters of this machine's physical
// memory (8 GiB when it cannot be read), bytes. The command line's --max-memory overrides it.
std::uint64_t default_memory_limit();
// Throws the InputError of a world the check refuses (`actors` names where the actors are).
void check_world_size(const ScenarioSpec& partial, const SourcePosition& actors);

// The bytes of a world's initial state between pairs as a run expands it to dense arrays (the
// ScenarioSpec holds only the pairs written): relations (N x N x D), trade, energy flows,
// capacities and costs, finance (four flows), influence weights (N x N).
std::uint64_t dense_spec_bytes(std::size_t actors, std::size_t domains);

}  // namespace interdep
