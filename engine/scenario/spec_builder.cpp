#include "engine/scenario/spec_builder.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "engine/scenario/scenario_file.hpp"
#include "engine/scenario/scenario_loader.hpp"

namespace interdep::detail {

bool valid_code(std::string_view code) {
  if (code.size() < 2 || code.size() > 8) return false;
  return std::all_of(code.begin(), code.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

SpecBuilder::SpecBuilder(const toml::table& root, const std::string& source_path)
    : root_(root, "", source_path) {
  spec_.source_path = source_path;
}

ScenarioSpec SpecBuilder::build() {
  read_header();
  read_time();
  read_domains();
  read_actors();
  check_world();  // before the dense actor x actor arrays are allocated
  read_relations();
  read_trade();
  read_energy();
  read_institutions();
  read_finance();
  read_lenders();
  read_corridors();
  read_model();
  read_output();
  read_network();
  read_events();  // needs actors, domains, institutions, corridors and time
  read_observations();
  root_.finish();
  check_consistency();
  return std::move(spec_);
}

void SpecBuilder::refuse_misspelt_table(std::string_view name, std::string_view what) const {
  // Too few of a thing because some were written under a misspelt table ([actor.BBB]): that key
  // is the error (the unknown keys are otherwise found only once everything is read).
  for (const auto& [key, node] : root_.table())
    if (key.str() != name && node.is_table() &&
        !closest_match(key.str(), {std::string(name)}).empty())
      throw InputError(position_of(key.source()), std::string(key.str()),
                       "unknown key (did you mean '" + std::string(name) +
                           "'?): " + std::string(what) + " written under it are not read");
}

void SpecBuilder::read_header() {
  if (!root_.get("name"))
    root_.fail(nullptr, "name", "is required: expected a string naming the scenario");
  spec_.name = root_.string("name", spec_.name);
  if (spec_.name.find_first_not_of(" \t") == std::string::npos)  // it names runs and files
    root_.fail(root_.get("name"), "name",
               "expected a string naming the scenario, got an empty one");
  spec_.description = root_.string("description", spec_.description);
  spec_.seed = root_.seed("seed", spec_.seed);
  root_.boolean("inherit_events", kInheritEvents);  // acted on while the base chain was merged
  read_run_record();
  root_.get("base");  // likewise
}

// [run]: what `inspect --scenario` wrote of the run whose text this is (run_record_toml,
// scenario_loader.hpp). Honoured in the file named only: a what-if over a rerun's text is
// another run.
void SpecBuilder::read_run_record() {
  const toml::table* run = root_.subtable("run");
  if (run == nullptr) return;
  TableReader r(*run, "run");
  const toml::node* label = r.get("label");
  if (label != nullptr && !label->is_string())
    r.fail(label, "label", "expected the run's label (a string), got " + type_name(*label));
  std::vector<std::string> overrides;
  if (const toml::array* list = r.array("overrides"))
    for (std::size_t k = 0; k < list->size(); ++k) {
      const toml::node& o = *list->get(k);
      const std::optional<std::string_view> text = o.value<std::string_view>();
      if (!text || text->find('=') == std::string_view::npos)
        throw InputError(position_of(o), "run.overrides." + std::to_string(k),
                         "expected an override as key=value (a string), got " +
                             (text ? "'" + std::string(*text) + "'" : type_name(o)));
      overrides.emplace_back(*text);
    }
  r.finish();
  if (position_of(*run).file != spec_.source_path) return;
  if (label != nullptr) spec_.recorded_label = std::string(*label->value<std::string_view>());
  spec_.recorded_overrides = std::move(overrides);
}

// The model's name (read and checked later, by read_model) is all the check needs besides the
// time, domains and actors.
void SpecBuilder::check_world() {
  const toml::table* model = root_.subtable("model");
  const toml::node* name = model ? model->get("name") : nullptr;
  if (name && name->is_string()) spec_.model = name->as_string()->get();
  const toml::table* actors = root_.subtable("actors");
  check_world_size(spec_, actors ? position_of(*actors) : root_position());
}

std::vector<std::string> SpecBuilder::actor_codes() const {
  std::vector<std::string> v;
  for (const auto& a : spec_.actors) v.push_back(a.code);
  return v;
}

std::vector<std::string> SpecBuilder::domain_names() const {
  std::vector<std::string> v;
  for (const auto& d : spec_.domains) v.push_back(d.name);
  return v;
}

std::size_t SpecBuilder::actor_index(std::string_view code, const toml::node& at,
                                     const KeyPath& key) const {
  for (std::size_t i = 0; i < spec_.actors.size(); ++i)
    if (spec_.actors[i].code == code) return i;
  const auto codes = actor_codes();
  throw InputError(position_of(at), key,
                   "unknown actor code '" + std::string(code) + "'" + did_you_mean(code, codes) +
                       "; the scenario's actors are " + word_list(codes));
}

std::size_t SpecBuilder::domain_index(std::string_view name, const toml::node& at,
                                      const KeyPath& key) const {
  for (std::size_t d = 0; d < spec_.domains.size(); ++d)
    if (spec_.domains[d].name == name) return d;
  const auto names = domain_names();
  throw InputError(position_of(at), key,
                   "unknown domain '" + std::string(name) + "'" + did_you_mean(name, names) +
                       "; the scenario's domains are " + word_list(names));
}

std::size_t SpecBuilder::actor_index_of_string(const toml::node& n, const KeyPath& key) const {
  if (!n.is_string())
    throw InputError(position_of(n), key, "expected an actor code (string), got " + type_name(n));
  return actor_index(n.value<std::string_view>().value(), n, key);
}

SourcePosition SpecBuilder::root_position() const {
  SourcePosition p = position_of(root_.table());
  if (p.file.empty()) p.file = spec_.source_path;  // the root table carries no path
  return p;
}

double SpecBuilder::pair_number(const toml::node& n, const KeyPath& path, const Range& range,
                                std::string_view what) const {
  return read_real(n, path, range, what);
}

}  // namespace interdep::detail
