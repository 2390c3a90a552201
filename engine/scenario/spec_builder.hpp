// The merged scenario table -> ScenarioSpec, one section at a time. Each section is read into
// the members of a default-constructed spec struct (spec.hpp), so a key not written keeps the
// struct's default; each TableReader rejects the keys its section does not know.
//
// Internal to the scenario loader. The sections live in build_<section>.cpp; what they share
// (name lookups with "did you mean", pairs of actors) is here and in spec_builder.cpp.
#pragma once

#include <toml++/toml.h>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/spec.hpp"
#include "engine/scenario/toml_reader.hpp"

namespace interdep::detail {

// Actor and corridor node codes: 2 to 8 upper-case letters or digits.
bool valid_code(std::string_view code);

// Decimal year of a calendar date: year + (month - 1 + (day - 1) / days_in_month) / 12.
double decimal_year(const toml::date& date);

// The date at `key`, written as a TOML date or a decimal year; nullopt when absent. Any other
// type is an InputError.
std::optional<double> optional_date(TableReader& r, std::string_view key);

// Steps from the run's start to the step that contains `date` (negative before the start): an
// event or a membership dated there acts from the start of that step. A date within 1e-9 of a
// step's start belongs to that step (decimal years of month starts are not exact in binary).
double step_offset(double date, const TimeSpec& time);

class SpecBuilder {
 public:
  SpecBuilder(const toml::table& root, const std::string& source_path);

  // Reads every section in dependency order, then the checks across sections. Throws InputError.
  ScenarioSpec build();

 private:
  // -- sections, in the order build() reads them ----------------------------------------------
  void read_header();  // spec_builder.cpp: name, description, seed, [run]
  void read_run_record();
  void read_time();       // build_time.cpp
  void read_domains();    // build_domains.cpp
  void read_actors();     // build_actors.cpp
  void read_relations();  // build_state.cpp: the initial state between pairs of actors
  void read_trade();
  void read_energy();
  void read_institutions();  // build_institutions.cpp
  void read_finance();       // build_finance.cpp: [finance] flows and [lenders]
  void read_lenders();
  void read_corridors();  // build_corridors.cpp
  void read_model();      // build_params.cpp: [model], [output], [network]
  void read_flows(const toml::table& table);
  void read_decide(const toml::table& table);
  void read_influence(const toml::table& table);
  void read_output();
  void read_network();
  void read_events();  // build_events.cpp: it names everything above
  void check_memberships(const toml::array& entries) const;      // build_events.cpp
  void check_lifts(const toml::array& entries) const;            // build_events.cpp
  void check_corridor_events(const toml::array& entries) const;  // build_events.cpp
  void check_finance_events(const toml::array& entries) const;   // build_events.cpp
  void check_step_stability(                                     // build_state.cpp
      std::size_t actor, const std::vector<double>& pair_damping,
      const std::vector<double>& influence_on_deciding,
      const std::function<SourcePosition(const std::string&, std::string_view)>& key_position)
      const;
  void read_observations();  // build_observations.cpp: after time
  EventSpec read_event(const toml::table& table, const std::string& path);
  std::vector<std::size_t> read_targets(TableReader& r);
  OtherMemberSpec read_other_member(const std::string& code, TableReader& r);
  void check_world();        // the memory a run would need, refused up front (scenario_loader.hpp)
  void check_consistency();  // build_state.cpp: actor totals against the pairs' flows

  // -- shared lookups (spec_builder.cpp) ------------------------------------------------------
  std::size_t N() const { return spec_.actors.size(); }
  std::size_t D() const { return spec_.domains.size(); }
  std::vector<std::string> actor_codes() const;
  std::vector<std::string> domain_names() const;
  // Index of a name, or an InputError at `at` naming the scenario's names and the closest one.
  std::size_t actor_index(std::string_view code, const toml::node& at, const KeyPath& key) const;
  std::size_t domain_index(std::string_view name, const toml::node& at, const KeyPath& key) const;
  std::size_t actor_index_of_string(const toml::node& n, const KeyPath& key) const;
  // Where the root table starts (the whole file): for errors about a missing section.
  SourcePosition root_position() const;
  // Refuses a top-level table whose key is a misspelling of `name` (`what` it holds), if any.
  void refuse_misspelt_table(std::string_view name, std::string_view what) const;
  // A number given as a bare value, e.g. a relation in [relations.PAK.RUS]; `what` says which.
  double pair_number(const toml::node& n, const KeyPath& path, const Range& range,
                     std::string_view what) const;

  // Calls fn(i, j, node, path) for every entry of a table keyed by actor codes (path: a KeyPath):
  // [section.FROM] TO = node. Unknown codes and an actor paired with itself are errors.
  template <class Fn>
  void for_each_pair(const toml::table& section, const std::string& name, Fn&& fn) const {
    const KeyPath section_path(name);
    for (const auto& [from_key, from_node] : section) {
      const KeyPath from_path(section_path, from_key.str());
      const std::size_t i = actor_index(from_key.str(), from_node, from_path);
      if (!from_node.is_table())
        throw InputError(position_of(from_node), from_path,
                         "expected a table keyed by partner codes, got " + type_name(from_node));
      for (const auto& [to_key, to_node] : *from_node.as_table()) {
        const KeyPath path(from_path, to_key.str());
        const std::size_t j = actor_index(to_key.str(), to_node, path);
        if (i == j)
          throw InputError(position_of(to_node), path,
                           "an actor has no relation, flow or link with itself");
        fn(i, j, to_node, path);
      }
    }
  }

  // Calls fn(name, reader) for every [prefix.NAME] of `section`, each a table, then rejects the
  // keys fn did not read. A blank NAME ([domains.""]) is refused: names are the labels of
  // coordinates in result files and of outputs in sweeps, where a blank one names nothing.
  template <class Fn>
  void for_each_named_table(const toml::table& section, const std::string& prefix, Fn&& fn) const {
    for (const auto& [key, node] : section) {
      const std::string path = prefix + "." + std::string(key.str());
      if (key.str().find_first_not_of(" \t") == std::string_view::npos)
        throw InputError(position_of(key.source()), prefix + ".\"" + std::string(key.str()) + "\"",
                         "expected a name with at least one visible character, e.g. [" + prefix +
                             ".security], got '" + std::string(key.str()) + "'");
      // The characters that separate the parts of a key path (--set domains.NAME.trade, a
      // sweep's parameters, the lab's sliders), of a quantity (relations[A,B,NAME], a sweep's
      // outputs, observations) or an override (KEY=VALUE): a name holding one was accepted,
      // then could not be named in them.
      if (const auto at = key.str().find_first_of(".,[]\"="); at != std::string_view::npos)
        throw InputError(position_of(key.source()), prefix + ".\"" + std::string(key.str()) + "\"",
                         "a name may not hold '" + std::string(1, key.str()[at]) +
                             "' (nor any of . , [ ] \" =, which separate the parts of key paths "
                             "such as " +
                             prefix +
                             ".NAME, of quantities such as relations[A,B,NAME] and of "
                             "overrides), got '" +
                             std::string(key.str()) + "'");
      if (!node.is_table())
        throw InputError(position_of(node), path, "expected a table, got " + type_name(node));
      TableReader r(*node.as_table(), path);
      fn(std::string(key.str()), r);
      r.finish();
    }
  }

  ScenarioSpec spec_;
  TableReader root_;
};

}  // namespace interdep::detail
