#include "engine/scenario/scenario_loader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "engine/scenario/goldstein.hpp"
#include "engine/scenario/toml_reader.hpp"

namespace interdep {
namespace {

namespace fs = std::filesystem;
using namespace detail;

constexpr double kInterestTolerance = 1e-6;   // |sum_d w[i,d] - 1| allowed
constexpr double kInfluenceTolerance = 1e-6;  // |sum_k W[i,k] - 1| allowed
constexpr std::int64_t kMaxSteps = 100'000'000;
constexpr std::size_t kMaxActors = 5000;
constexpr std::size_t kMaxDomains = 64;
// The /network triad counts are int32: n(n-1)(n-2)/6 <= 2^31 - 1 holds up to 2345 actors.
constexpr std::size_t kMaxNetworkActors = 2345;
// `inherit_events` not written: a scenario's events come after those of its base.
constexpr bool kInheritEvents = true;

// Moves every key of `overlay` into `base`: tables merge, events append, the rest replaces.
// Moving (not copying) keeps each node's source position for error messages.
void merge_into(toml::table& base, toml::table&& overlay, bool top_level, bool append_events) {
  for (auto&& [key, node] : overlay) {
    toml::node* existing = base.get(key.str());
    if (existing && existing->is_table() && node.is_table()) {
      merge_into(*existing->as_table(), std::move(*node.as_table()), false, append_events);
      continue;
    }
    if (top_level && append_events && key.str() == "events" && existing &&
        existing->is_array() && node.is_array()) {
      auto& target = *existing->as_array();
      for (auto&& element : *node.as_array())
        element.visit([&](auto&& v) { target.push_back(std::move(v)); });
      continue;
    }
    node.visit([&](auto&& v) { base.insert_or_assign(key, std::move(v)); });
  }
}

toml::table resolve_chain(toml::table doc, const fs::path& file, std::vector<fs::path>& chain) {
  const toml::node* base_node = doc.get("base");
  if (!base_node) return doc;
  if (!base_node->is_string())
    throw InputError(position_of(*base_node), "base",
                     "expected a string (path of the base scenario), got " + type_name(*base_node));
  const SourcePosition where = position_of(*base_node);
  fs::path base_path = fs::path(std::string(base_node->value<std::string_view>().value()));
  if (base_path.is_relative()) base_path = file.parent_path() / base_path;
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(base_path, ec);
  if (ec) canonical = base_path;
  if (std::find(chain.begin(), chain.end(), canonical) != chain.end()) {
    std::string cycle;
    for (const auto& p : chain) cycle += p.filename().string() + " -> ";
    cycle += canonical.filename().string();
    throw InputError(where, "base", "cyclic base chain: " + cycle);
  }
  if (!fs::exists(base_path))
    throw InputError(where, "base", "base scenario '" + base_path.string() + "' does not exist");
  if (!fs::is_regular_file(base_path))
    throw InputError(where, "base", "base scenario '" + base_path.string() + "' is not a file");
  chain.push_back(canonical);
  toml::table base = resolve_chain(parse_file(base_path, where, "base"), base_path, chain);
  chain.pop_back();

  bool append_events = kInheritEvents;
  if (const toml::node* inherit = doc.get("inherit_events")) {
    if (!inherit->is_boolean())
      throw InputError(position_of(*inherit), "inherit_events",
                       "expected a boolean (true or false), got " + type_name(*inherit));
    append_events = inherit->value<bool>().value();
  }
  doc.erase("base");
  base.erase("inherit_events");
  merge_into(base, std::move(doc), true, append_events);
  return base;
}

bool is_index(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void apply_override(toml::table& root, const std::string& assignment) {
  const std::string source = "--set " + assignment;
  const SourcePosition where{source, 0, 0};
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw InputError(where, "", "expected --set key.path=value");
  const std::string path = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);

  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const auto dot = path.find('.', start);
    parts.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  for (const auto& p : parts)
    if (p.empty()) throw InputError(where, path, "empty part in key path");

  // The value is TOML; a bare word that does not parse as TOML is taken as a string.
  toml::table holder;
  try {
    holder = toml::parse("value = " + text, source);
  } catch (const toml::parse_error&) {
    holder = toml::table{{"value", text}};
  }
  toml::node& value = *holder.get("value");

  toml::node* cursor = &root;
  std::string walked;
  for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
    const std::string& part = parts[k];
    walked = join_path(walked, part);
    if (auto* t = cursor->as_table()) {
      toml::node* next = t->get(part);
      if (!next) next = &t->insert_or_assign(part, toml::table{}).first->second;
      cursor = next;
    } else if (auto* a = cursor->as_array(); a && is_index(part)) {
      const std::size_t idx = std::stoul(part);
      if (idx >= a->size())
        throw InputError(where, walked,
                         "index " + part + " is out of range (the array has " +
                             std::to_string(a->size()) + (a->size() == 1 ? " element)" : " elements)"));
      cursor = a->get(idx);
    } else {
      throw InputError(where, walked, "cannot descend into " + type_name(*cursor));
    }
    if (!cursor->is_table() && !cursor->is_array())
      throw InputError(where, walked,
                       "is " + type_name(*cursor) + ", so '" + path + "' cannot be set inside it");
  }
  const std::string& last = parts.back();
  if (auto* t = cursor->as_table()) {
    value.visit([&](auto&& v) { t->insert_or_assign(last, std::move(v)); });
  } else if (auto* a = cursor->as_array(); a && is_index(last)) {
    const std::size_t idx = std::stoul(last);
    if (idx >= a->size())
      throw InputError(where, path, "index " + last + " is out of range");
    value.visit([&](auto&& v) { a->replace(a->cbegin() + static_cast<std::ptrdiff_t>(idx), std::move(v)); });
  } else {
    throw InputError(where, path, "cannot set a key inside " + type_name(*cursor));
  }
}

// ---------------------------------------------------------------------------------------------
// Building the spec from the merged table.

std::string article(std::string_view word) {
  return !word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos ? "an" : "a";
}

bool valid_code(std::string_view code) {
  if (code.size() < 2 || code.size() > 8) return false;
  return std::all_of(code.begin(), code.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

int days_in_month(int year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

// Decimal year of a calendar date: year + (month - 1 + (day - 1) / days_in_month) / 12.
double decimal_year(const toml::date& d) {
  const int y = d.year, m = d.month, day = d.day;
  return y + (m - 1 + static_cast<double>(day - 1) / days_in_month(y, m)) / 12.0;
}

class SpecBuilder {
 public:
  SpecBuilder(const toml::table& root, const std::string& source_path)
      : root_(root, "", source_path) {
    spec_.source_path = source_path;
  }

  ScenarioSpec build() {
    read_header();
    read_time();
    read_domains();
    read_actors();
    read_relations();
    read_trade();
    read_energy();
    read_institutions();
    read_corridors();
    read_model();
    read_output();
    read_network();
    read_events();  // last: needs actors, domains, institutions, corridors and time
    root_.finish();
    check_consistency();
    return std::move(spec_);
  }

 private:
  // -- helpers -------------------------------------------------------------------------------
  std::vector<std::string> actor_codes() const {
    std::vector<std::string> v;
    for (const auto& a : spec_.actors) v.push_back(a.code);
    return v;
  }
  std::vector<std::string> domain_names() const {
    std::vector<std::string> v;
    for (const auto& d : spec_.domains) v.push_back(d.name);
    return v;
  }
  std::vector<std::string> institution_names() const {
    std::vector<std::string> v;
    for (const auto& i : spec_.institutions) v.push_back(i.name);
    return v;
  }

  std::size_t actor_index(std::string_view code, const toml::node& at, const std::string& key) const {
    for (std::size_t i = 0; i < spec_.actors.size(); ++i)
      if (spec_.actors[i].code == code) return i;
    const auto codes = actor_codes();
    throw InputError(position_of(at), key,
                     "unknown actor code '" + std::string(code) + "'" + did_you_mean(code, codes) +
                         "; the scenario's actors are " + quoted_list(codes));
  }
  std::size_t domain_index(std::string_view name, const toml::node& at, const std::string& key) const {
    for (std::size_t d = 0; d < spec_.domains.size(); ++d)
      if (spec_.domains[d].name == name) return d;
    const auto names = domain_names();
    throw InputError(position_of(at), key,
                     "unknown domain '" + std::string(name) + "'" + did_you_mean(name, names) +
                         "; the scenario's domains are " + quoted_list(names));
  }
  std::size_t actor_index_of_string(const toml::node& n, const std::string& key) const {
    if (!n.is_string())
      throw InputError(position_of(n), key, "expected an actor code (string), got " + type_name(n));
    return actor_index(n.value<std::string_view>().value(), n, key);
  }

  std::size_t N() const { return spec_.actors.size(); }

  SourcePosition root_position() const {
    SourcePosition p = position_of(root_.table());
    if (p.file.empty()) p.file = spec_.source_path;  // the root table carries no path
    return p;
  }
  std::size_t D() const { return spec_.domains.size(); }

  // -- sections ------------------------------------------------------------------------------
  void read_header() {
    if (!root_.get("name")) root_.fail(nullptr, "name", "is required: expected a string naming the scenario");
    spec_.name = root_.string("name", spec_.name);
    spec_.description = root_.string("description", spec_.description);
    spec_.seed = root_.integer("seed", spec_.seed, 0, std::numeric_limits<std::int64_t>::max());
    root_.boolean("inherit_events", kInheritEvents);  // acted on while resolving base chains
    root_.get("base");
  }

  void read_time() {
    TimeSpec& t = spec_.time;
    const toml::table* table = root_.subtable("time");
    static const toml::table empty;
    TableReader r(table ? *table : empty, "time");
    spec_.time_position = table ? position_of(*table) : root_position();
    if (const toml::node* start = r.get("start")) {
      if (!start->is_date())
        r.fail(start, "start", "expected a date such as 2025-01-01, got " + type_name(*start));
      const toml::date d = start->value<toml::date>().value();
      t.start_month = d.month;
      t.start = d.year + (d.month - 1) / 12.0;  // runs start at the beginning of a month
    }
    t.years = r.number("years", t.years, kPositive);
    t.steps_per_year = r.integer("steps_per_year", t.steps_per_year, 1, 1000000);
    const double steps_wanted = t.years * t.steps_per_year;
    t.steps = steps_wanted > static_cast<double>(kMaxSteps) ? kMaxSteps + 1 : std::llround(steps_wanted);
    if (const toml::node* steps = r.get("steps")) {
      spec_.time_position = position_of(*steps);
      if (!steps->is_integer()) r.fail(steps, "steps", "expected an integer, got " + type_name(*steps));
      t.steps = steps->value<std::int64_t>().value();
      if (t.steps < 1) r.fail(steps, "steps", "expected at least 1 step, got " + std::to_string(t.steps));
      t.years = static_cast<double>(t.steps) / t.steps_per_year;
    } else if (const toml::node* years = table ? table->get("years") : nullptr) {
      spec_.time_position = position_of(*years);
    }
    if (t.steps < 1) r.fail(r.table().get("years"), "years", "the run has no step: years * steps_per_year < 0.5");
    if (t.steps > kMaxSteps) {
      const double wanted = table && table->get("steps") ? static_cast<double>(t.steps) : steps_wanted;
      const double bytes_per_step = 8.0 * 1000;  // at least ~1 kB per recorded step, 5 actors
      std::ostringstream count;
      count.precision(15);
      count << wanted;
      throw InputError(spec_.time_position, "time",
                       "the run would take " + count.str() + " steps, more than the " +
                           std::to_string(kMaxSteps) + " allowed (recording it would need at least " +
                           format_number(bytes_per_step * wanted / 1e9) +
                           " GB); shorten time.years or lower time.steps_per_year");
    }
    r.finish();
  }

  void read_domains() {
    const toml::table* table = root_.subtable("domains");
    if (!table || table->empty())
      throw InputError(table ? position_of(*table) : root_position(), "domains",
                       "at least one domain is required, e.g. [domains.security]");
    if (table->size() > kMaxDomains)
      throw InputError(position_of(*table), "domains",
                       "at most " + std::to_string(kMaxDomains) + " domains are supported, got " +
                           std::to_string(table->size()));
    for (const auto& [key, node] : *table) {
      const std::string path = "domains." + std::string(key.str());
      if (!node.is_table())
        throw InputError(position_of(node), path, "expected a table, got " + type_name(node));
      TableReader r(*node.as_table(), path);
      DomainSpec d;
      d.name = std::string(key.str());
      d.label = r.string("label", d.name);
      d.trade = r.number("trade", d.trade, kNonNegative);
      d.energy = r.number("energy", d.energy, kNonNegative);
      d.threat = r.number("threat", d.threat, kNonNegative);
      d.institutions = r.number("institutions", d.institutions, kNonNegative);
      r.finish();
      spec_.domains.push_back(std::move(d));
    }
  }

  void read_actors() {
    const toml::table* table = root_.subtable("actors");
    if (!table || table->size() < 2)
      throw InputError(table ? position_of(*table) : root_position(), "actors",
                       "at least two actors are required, e.g. [actors.PAK] and [actors.RUS]");
    if (table->size() > kMaxActors)
      throw InputError(position_of(*table), "actors",
                       "at most " + std::to_string(kMaxActors) + " actors are supported, got " +
                           std::to_string(table->size()));
    for (const auto& [key, node] : *table) {
      const std::string code(key.str());
      const std::string path = "actors." + code;
      if (!valid_code(code))
        throw InputError(position_of(key.source()), path,
                         "actor codes are 2 to 8 upper-case letters or digits, e.g. PAK; got '" +
                             code + "'");
      if (!node.is_table())
        throw InputError(position_of(node), path, "expected a table, got " + type_name(node));
      TableReader r(*node.as_table(), path);
      ActorSpec a;
      a.code = code;
      a.name = r.string("name", code);
      a.gdp = r.number("gdp", a.gdp, kPositive);
      a.gdp_growth = r.number("gdp_growth", a.gdp_growth, Range{-0.5, 0.5, true, true});
      a.military = r.number("military", a.military, kNonNegative);
      a.total_trade = r.number("total_trade", a.total_trade, kNonNegative);
      a.energy_imports = r.number("energy_imports", a.energy_imports, kNonNegative);
      a.energy_import_dependence =
          r.number("energy_import_dependence", a.energy_import_dependence, kUnit);
      a.energy_export_capacity = r.number("energy_export_capacity", a.energy_export_capacity, kNonNegative);
      a.energy_substitution =
          r.number("energy_substitution", a.energy_substitution, Range{1.0, 1000.0, true, false});
      a.rest_of_world_energy_cost =
          r.number("rest_of_world_energy_cost", a.rest_of_world_energy_cost, kPositive);
      a.responsiveness = r.number("responsiveness", a.responsiveness, kNonNegative);
      a.inertia = r.number("inertia", a.inertia, kNonNegative);
      a.risk = r.number("risk", a.risk, kSigned);
      a.noise = r.number("noise", a.noise, kNonNegative);

      const toml::table* interests = r.subtable("interests");
      if (!interests)
        r.fail(nullptr, "interests",
               "is required: a table of interest weights over the domains " +
                   quoted_list(domain_names()) + " that sums to 1");
      a.interests.assign(D(), 0.0);  // a domain not written weighs nothing
      TableReader w(*interests, path + ".interests");
      double sum = 0.0;
      for (std::size_t d = 0; d < D(); ++d) {
        a.interests[d] = w.number(spec_.domains[d].name, a.interests[d], kUnit);
        sum += a.interests[d];
      }
      w.finish();
      if (std::abs(sum - 1.0) > kInterestTolerance)
        throw InputError(position_of(*interests), path + ".interests",
                         "interest weights must sum to 1 (tolerance " +
                             format_number(kInterestTolerance) + "), got " + format_number(sum));
      r.finish();
      spec_.actors.push_back(std::move(a));
    }
  }

  // Iterates a table keyed by actor codes: [section.FROM] TO = ...
  template <class Fn>
  void for_each_pair(const toml::table& section, const std::string& name, Fn&& fn) {
    for (const auto& [from_key, from_node] : section) {
      const std::string from_path = name + "." + std::string(from_key.str());
      const std::size_t i = actor_index(from_key.str(), from_node, from_path);
      if (!from_node.is_table())
        throw InputError(position_of(from_node), from_path,
                         "expected a table keyed by partner codes, got " + type_name(from_node));
      for (const auto& [to_key, to_node] : *from_node.as_table()) {
        const std::string path = from_path + "." + std::string(to_key.str());
        const std::size_t j = actor_index(to_key.str(), to_node, path);
        if (i == j)
          throw InputError(position_of(to_node), path, "an actor has no relation, flow or link with itself");
        fn(i, j, to_node, path);
      }
    }
  }

  double pair_number(const toml::node& n, const std::string& path, const Range& range,
                     const std::string& what) const {
    if (!n.is_number())
      throw InputError(position_of(n), path, "expected " + what + " (a number), got " + type_name(n));
    const double v = n.value<double>().value();
    if (!std::isfinite(v))
      throw InputError(position_of(n), path, "expected a finite number, got " + format_number(v));
    if (!range.contains(v))
      throw InputError(position_of(n), path,
                       "expected " + what + " " + range.describe() + ", got " + format_number(v));
    return v;
  }

  void read_relations() {
    spec_.relations.assign(N() * N() * D(), 0.0);
    const toml::table* table = root_.subtable("relations");
    if (!table) return;
    for_each_pair(*table, "relations", [&](std::size_t i, std::size_t j, const toml::node& n,
                                           const std::string& path) {
      if (!n.is_table())
        throw InputError(position_of(n), path,
                         "expected a table of domain = relation in [-1, 1], got " + type_name(n));
      for (const auto& [dk, dn] : *n.as_table()) {
        const std::string dpath = path + "." + std::string(dk.str());
        const std::size_t d = domain_index(dk.str(), dn, dpath);
        spec_.relations[(i * N() + j) * D() + d] = pair_number(dn, dpath, kSigned, "a relation");
      }
    });
  }

  void read_trade() {
    spec_.trade.assign(N() * N(), 0.0);
    const toml::table* table = root_.subtable("trade");
    if (!table) return;
    for_each_pair(*table, "trade", [&](std::size_t i, std::size_t j, const toml::node& n,
                                       const std::string& path) {
      spec_.trade[i * N() + j] = pair_number(n, path, kNonNegative, "exports in US$ bn/yr");
    });
  }

  void read_energy() {
    const EnergyLinkSpec none;
    spec_.energy.assign(N() * N(), none.flow);
    spec_.energy_capacity.assign(N() * N(), none.capacity);
    spec_.energy_cost.assign(N() * N(), none.cost);
    const toml::table* table = root_.subtable("energy");
    if (!table) return;
    for_each_pair(*table, "energy", [&](std::size_t i, std::size_t j, const toml::node& n,
                                        const std::string& path) {
      if (!n.is_table())
        throw InputError(position_of(n), path,
                         "expected a table with flow, capacity and cost, got " + type_name(n));
      TableReader r(*n.as_table(), path);
      EnergyLinkSpec link;
      link.flow = r.number("flow", link.flow, kNonNegative);
      link.capacity = r.number("capacity", link.capacity, kNonNegative);
      link.cost = r.number("cost", link.cost, kPositive);
      r.finish();
      if (link.flow > link.capacity) {
        const toml::node* flow = n.as_table()->get("flow");
        throw InputError(position_of(flow ? *flow : n), path + ".flow",
                         "flow " + format_number(link.flow) + " bcm/yr exceeds the link's capacity " +
                             format_number(link.capacity) + " bcm/yr");
      }
      spec_.energy[i * N() + j] = link.flow;
      spec_.energy_capacity[i * N() + j] = link.capacity;
      spec_.energy_cost[i * N() + j] = link.cost;
    });
  }

  void read_institutions() {
    const toml::table* table = root_.subtable("institutions");
    if (!table) return;
    for (const auto& [key, node] : *table) {
      const std::string path = "institutions." + std::string(key.str());
      if (!node.is_table())
        throw InputError(position_of(node), path, "expected a table, got " + type_name(node));
      TableReader r(*node.as_table(), path);
      InstitutionSpec inst;
      inst.name = std::string(key.str());
      inst.label = r.string("label", inst.name);
      if (const toml::array* members = r.array("members")) {
        for (const auto& m : *members) {
          const std::size_t i = actor_index_of_string(m, path + ".members");
          if (std::find(inst.members.begin(), inst.members.end(), i) != inst.members.end())
            throw InputError(position_of(m), path + ".members",
                             "actor '" + spec_.actors[i].code + "' is listed twice");
          inst.members.push_back(i);
        }
      }
      inst.rule = r.choice("rule", inst.rule);
      inst.summit_month = r.integer("summit_month", inst.summit_month, 0, 12);
      inst.admission_threshold = r.number("admission_threshold", inst.admission_threshold, kSigned);
      inst.pce_exponent = r.number("pce_exponent", inst.pce_exponent, kPositive);
      inst.trade_cost_discount =
          r.number("trade_cost_discount", inst.trade_cost_discount, Range{0.0, 1.0, false, true});
      inst.conflict_damping = r.number("conflict_damping", inst.conflict_damping, kNonNegative);
      r.finish();
      spec_.institutions.push_back(std::move(inst));
    }
  }

  void read_corridors() {
    for (const auto& a : spec_.actors) spec_.corridor_nodes.push_back({a.code, a.name});
    const toml::table* table = root_.subtable("corridors");
    if (!table) return;
    TableReader r(*table, "corridors");
    if (const toml::table* nodes = r.subtable("nodes")) {
      for (const auto& [key, node] : *nodes) {
        const std::string path = "corridors.nodes." + std::string(key.str());
        if (!valid_code(key.str()))
          throw InputError(position_of(key.source()), path,
                           "node codes are 2 to 8 upper-case letters or digits, e.g. IRN");
        if (!node.is_string())
          throw InputError(position_of(node), path, "expected the node's name (a string), got " + type_name(node));
        for (const auto& existing : spec_.corridor_nodes)
          if (existing.code == key.str())
            throw InputError(position_of(key.source()), path,
                             "'" + existing.code + "' is already an actor; actors are corridor nodes already");
        spec_.corridor_nodes.push_back({std::string(key.str()), std::string(node.value<std::string_view>().value())});
      }
    }
    std::vector<std::string> node_codes;
    for (const auto& n : spec_.corridor_nodes) node_codes.push_back(n.code);
    auto node_index = [&](TableReader& er, std::string_view key) {
      const toml::node* n = er.get(key);
      if (!n) er.fail(nullptr, key, "is required: expected a corridor node code");
      if (!n->is_string()) er.fail(n, key, "expected a node code (string), got " + type_name(*n));
      const std::string_view code = n->value<std::string_view>().value();
      for (std::size_t k = 0; k < node_codes.size(); ++k)
        if (node_codes[k] == code) return k;
      er.fail(n, key, "unknown corridor node '" + std::string(code) + "'" + did_you_mean(code, node_codes) +
                          "; nodes are the actors and [corridors.nodes]");
    };
    if (const toml::table* edges = r.subtable("edges")) {
      for (const auto& [key, node] : *edges) {
        const std::string path = "corridors.edges." + std::string(key.str());
        if (!node.is_table())
          throw InputError(position_of(node), path, "expected a table, got " + type_name(node));
        TableReader er(*node.as_table(), path);
        CorridorEdgeSpec e;
        e.name = std::string(key.str());
        e.from = node_index(er, "from");
        e.to = node_index(er, "to");
        if (e.from == e.to) er.fail(er.table().get("to"), "to", "an edge must join two different nodes");
        e.cost = er.number("cost", e.cost, kPositive);
        e.open = er.boolean("open", e.open);
        er.finish();
        spec_.corridor_edges.push_back(std::move(e));
      }
    }
    r.finish();
  }

  void read_model() {
    const toml::table* table = root_.subtable("model");
    if (!table) return;
    TableReader r(*table, "model");
    spec_.model = r.string("name", spec_.model);
    if (const toml::table* flows = r.subtable("flows")) {
      TableReader f(*flows, "model.flows");
      FlowParams& p = spec_.params.flows;
      p.gdp_elasticity_origin = f.number("gdp_elasticity_origin", p.gdp_elasticity_origin, Range{0.0, 5.0});
      p.gdp_elasticity_destination =
          f.number("gdp_elasticity_destination", p.gdp_elasticity_destination, Range{0.0, 5.0});
      p.trade_cost_elasticity = f.number("trade_cost_elasticity", p.trade_cost_elasticity, Range{0.0, 50.0, true, false});
      p.relation_cost = f.number("relation_cost", p.relation_cost, Range{0.0, 10.0});
      p.adjustment_years = f.number("adjustment_years", p.adjustment_years, kPositive);
      p.energy_choice = f.number("energy_choice", p.energy_choice, Range{0.0, 100.0});
      p.secondary_exposure = f.number("secondary_exposure", p.secondary_exposure, kNonNegative);
      f.finish();
    }
    if (const toml::table* decide = r.subtable("decide")) {
      TableReader d(*decide, "model.decide");
      DecideParams& p = spec_.params.decide;
      p.benefit = d.number("benefit", p.benefit, kNonNegative);
      p.reciprocity = d.number("reciprocity", p.reciprocity, kNonNegative);
      p.pressure = d.number("pressure", p.pressure, kNonNegative);
      p.balance = d.number("balance", p.balance, kNonNegative);
      p.alignment = d.number("alignment", p.alignment, kNonNegative);
      p.institutions = d.number("institutions", p.institutions, kNonNegative);
      p.anchor = d.number("anchor", p.anchor, kNonNegative);
      p.event_scale = d.number("event_scale", p.event_scale, Range{0.0, 1.0});
      p.event_reciprocal = d.number("event_reciprocal", p.event_reciprocal, kUnit);
      p.event_persistence = d.number("event_persistence", p.event_persistence, kUnit);
      p.benefit_gain = d.number("benefit_gain", p.benefit_gain, kNonNegative);
      p.max_change_per_year = d.number("max_change_per_year", p.max_change_per_year, kPositive);
      p.clamp = d.boolean("clamp", p.clamp);
      p.balance_normalize = d.boolean("balance_normalize", p.balance_normalize);
      p.integrator = d.choice("integrator", p.integrator);
      p.self_appraisal = d.choice("self_appraisal", p.self_appraisal);
      if (const toml::table* influence = d.subtable("influence")) read_influence(*influence);
      d.finish();
    }
    r.finish();
  }

  void read_influence(const toml::table& table) {
    auto& W = spec_.params.decide.influence;
    W.assign(N() * N(), 0.0);
    for (std::size_t i = 0; i < N(); ++i) W[i * N() + i] = 1.0;  // rows not given: self only
    for (const auto& [row_key, row_node] : table) {
      const std::string path = "model.decide.influence." + std::string(row_key.str());
      const std::size_t i = actor_index(row_key.str(), row_node, path);
      if (!row_node.is_table())
        throw InputError(position_of(row_node), path, "expected a table of actor = weight, got " + type_name(row_node));
      W[i * N() + i] = 0.0;
      double sum = 0.0;
      for (const auto& [col_key, col_node] : *row_node.as_table()) {
        const std::string cpath = path + "." + std::string(col_key.str());
        const std::size_t k = actor_index(col_key.str(), col_node, cpath);
        W[i * N() + k] = pair_number(col_node, cpath, kUnit, "an influence weight");
        sum += W[i * N() + k];
      }
      if (std::abs(sum - 1.0) > kInfluenceTolerance)
        throw InputError(position_of(row_node), path,
                         "influence weights of a row must sum to 1 (tolerance " +
                             format_number(kInfluenceTolerance) + "), got " + format_number(sum));
    }
  }

  void read_output() {
    const toml::table* table = root_.subtable("output");
    if (!table) return;
    TableReader r(*table, "output");
    RecordSpec& record = spec_.record;
    record.every = r.integer("every", record.every, 1, std::numeric_limits<std::int32_t>::max());
    record.contributions = r.boolean("contributions", record.contributions);
    record.network = r.boolean("network", record.network);
    r.finish();
  }

  // [network]: parameters of the after-the-run network analysis (docs/model.md).
  void read_network() {
    if (spec_.record.network && N() > kMaxNetworkActors) {
      const toml::table* actors = root_.table().get_as<toml::table>("actors");
      throw InputError(actors ? position_of(*actors) : root_position(), "output.network",
                       "the network analysis supports at most " +
                           std::to_string(kMaxNetworkActors) + " actors (its triad counts are "
                           "32-bit), got " + std::to_string(N()) + "; set [output] network = false");
    }
    const toml::table* table = root_.subtable("network");
    if (!table) return;
    TableReader r(*table, "network");
    // [0, 1): a threshold of 1 would leave every tie unsigned, as |Rbar| <= 1.
    spec_.network.tie_threshold =
        r.number("tie_threshold", spec_.network.tie_threshold, Range{0.0, 1.0, false, true});
    r.finish();
  }

  // -- events ----------------------------------------------------------------------------------
  void read_events() {
    const toml::node* node = root_.get("events");
    if (!node) return;
    if (!node->is_array())
      root_.fail(node, "events", "expected an array of tables ([[events]]), got " + type_name(*node));
    std::size_t index = 0;
    for (const auto& element : *node->as_array()) {
      const std::string path = "events." + std::to_string(index++);
      if (!element.is_table())
        throw InputError(position_of(element), path, "expected a table ([[events]]), got " + type_name(element));
      spec_.events.push_back(read_event(*element.as_table(), path));
    }
    std::stable_sort(spec_.events.begin(), spec_.events.end(),
                     [](const EventSpec& a, const EventSpec& b) { return a.step < b.step; });
  }

  std::vector<std::size_t> read_targets(TableReader& r) {
    std::vector<std::size_t> targets;
    const toml::node* n = r.get("targets");
    if (!n) r.fail(nullptr, "targets", "is required: expected an actor code or an array of codes");
    const std::string key = r.key_path("targets");
    if (n->is_string()) {
      targets.push_back(actor_index_of_string(*n, key));
    } else if (n->is_array()) {
      for (const auto& t : *n->as_array()) {
        const std::size_t index = actor_index_of_string(t, key);
        if (std::find(targets.begin(), targets.end(), index) != targets.end())
          throw InputError(position_of(t), key, "'" + spec_.actors[index].code + "' is listed twice");
        targets.push_back(index);
      }
      if (targets.empty()) r.fail(n, "targets", "expected at least one target");
    } else {
      r.fail(n, "targets", "expected an actor code or an array of codes, got " + type_name(*n));
    }
    return targets;
  }

  EventSpec read_event(const toml::table& table, const std::string& path) {
    TableReader r(table, path);
    EventSpec e;
    e.label = r.string("label", e.label);
    e.kind = r.choice("kind", e.kind);
    const std::string kind(name_of(e.kind));

    // When: a TOML date or a decimal year, inside the run.
    const toml::node* date = r.get("date");
    if (!date) r.fail(nullptr, "date", "is required: expected a date such as 2026-03-01 or a decimal year");
    if (date->is_date()) {
      e.date = decimal_year(date->value<toml::date>().value());
    } else if (date->is_number()) {
      e.date = r.checked_number(*date, "date", kAny);
    } else {
      r.fail(date, "date", "expected a date such as 2026-03-01 or a decimal year, got " + type_name(*date));
    }
    const TimeSpec& t = spec_.time;
    const double end = t.start + static_cast<double>(t.steps) / t.steps_per_year;
    const double offset = std::floor((e.date - t.start) * t.steps_per_year + 1e-9);
    e.step = offset < 0.0 || offset >= static_cast<double>(t.steps) ? -1 : static_cast<std::int64_t>(offset);
    if (e.step < 0)
      r.fail(date, "date",
             "event date " + format_number(e.date) + " is outside the run period [" +
                 format_number(t.start) + ", " + format_number(end) + ")");

    // Every event has an actor: sender, supplier, applicant, or the builder of a corridor.
    if (const toml::node* actor = r.get("actor")) {
      e.actor = actor_index_of_string(*actor, r.key_path("actor"));
    } else {
      r.fail(nullptr, "actor", "is required for " + article(kind) + " '" + kind + "' event: expected an actor code");
    }
    const bool needs_targets = e.kind == EventKind::impulse || e.kind == EventKind::sanction ||
                               e.kind == EventKind::lift_sanction || e.kind == EventKind::energy_link;
    if (needs_targets) {
      e.targets = read_targets(r);
    } else {
      reject_unless(r, "targets", kind);
    }

    for (std::size_t j : e.targets)
      if (j == e.actor)
        r.fail(r.table().get("targets"), "targets", "an event cannot target its own actor");

    const bool has_impulse = e.kind != EventKind::apply && e.kind != EventKind::corridor;
    if (!has_impulse) {
      for (const char* key : {"domains", "cameo", "goldstein", "mutual"}) reject_unless(r, key, kind);
    }
    if (const toml::array* domains = r.array("domains")) {
      for (const auto& d : *domains) {
        if (!d.is_string())
          throw InputError(position_of(d), r.key_path("domains"), "expected a domain name, got " + type_name(d));
        const std::size_t index = domain_index(d.value<std::string_view>().value(), d, r.key_path("domains"));
        if (std::find(e.domains.begin(), e.domains.end(), index) != e.domains.end())
          throw InputError(position_of(d), r.key_path("domains"),
                           "'" + spec_.domains[index].name + "' is listed twice");
        e.domains.push_back(index);
      }
    }

    // Impulse weight: a CAMEO code (looked up) or a Goldstein value, never both.
    const toml::node* cameo = r.get("cameo");
    const std::optional<double> goldstein = r.optional_number("goldstein", Range{-10.0, 10.0});
    if (cameo && goldstein)
      r.fail(cameo, "cameo", "give either cameo or goldstein, not both");
    if (cameo) {
      if (!cameo->is_string())
        r.fail(cameo, "cameo", "expected a CAMEO code as a string such as \"057\", got " + type_name(*cameo));
      e.cameo = std::string(cameo->value<std::string_view>().value());
      const auto w = goldstein_weight(e.cameo);
      if (!w)
        r.fail(cameo, "cameo",
               "unknown CAMEO code '" + e.cameo + "'" + did_you_mean(e.cameo, goldstein_codes()) +
                   " (table: " + std::string(kGoldsteinTableVersion) + ")");
      e.goldstein = *w;
    } else if (goldstein) {
      e.goldstein = *goldstein;
    } else if (e.kind == EventKind::impulse) {
      r.fail(nullptr, "goldstein", "an impulse needs a weight: give cameo (e.g. \"057\") or goldstein (-10..10)");
    } else if (e.kind == EventKind::sanction || e.kind == EventKind::lift_sanction) {
      e.cameo = e.kind == EventKind::sanction ? kSanctionCameo : kLiftSanctionCameo;
      e.goldstein = *goldstein_weight(e.cameo);
    }
    e.mutual = r.boolean("mutual", e.mutual);

    if (e.kind == EventKind::sanction) {
      e.intensity = r.required_number("intensity", Range{0.0, 100.0, true, false});
      e.secondary = r.number("secondary", e.secondary, Range{0.0, 100.0});
    } else {
      reject_unless(r, "intensity", kind);
      reject_unless(r, "secondary", kind);
    }
    if (e.kind == EventKind::energy_link) {
      e.capacity = r.required_number("capacity", kNonNegative);
      e.cost = r.number("cost", e.cost, kPositive);
    } else {
      reject_unless(r, "capacity", kind);
      reject_unless(r, "cost", kind);
    }
    if (e.kind == EventKind::apply) {
      const toml::node* inst = r.get("institution");
      if (!inst) r.fail(nullptr, "institution", "is required for an 'apply' event: expected an institution name");
      if (!inst->is_string()) r.fail(inst, "institution", "expected an institution name, got " + type_name(*inst));
      const std::string_view name = inst->value<std::string_view>().value();
      const auto names = institution_names();
      const auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end())
        r.fail(inst, "institution", "unknown institution '" + std::string(name) + "'" + did_you_mean(name, names));
      e.institution = static_cast<std::size_t>(it - names.begin());
      const auto& members = spec_.institutions[e.institution].members;
      if (std::find(members.begin(), members.end(), e.actor) != members.end())
        r.fail(inst, "institution",
               "'" + spec_.actors[e.actor].code + "' is already a member of " + std::string(name));
    } else {
      reject_unless(r, "institution", kind);
    }
    if (e.kind == EventKind::corridor) {
      const toml::node* edge = r.get("edge");
      if (!edge) r.fail(nullptr, "edge", "is required for a 'corridor' event: expected a corridor edge name");
      if (!edge->is_string()) r.fail(edge, "edge", "expected a corridor edge name, got " + type_name(*edge));
      const std::string_view name = edge->value<std::string_view>().value();
      std::vector<std::string> names;
      for (const auto& ce : spec_.corridor_edges) names.push_back(ce.name);
      const auto it = std::find(names.begin(), names.end(), name);
      if (it == names.end())
        r.fail(edge, "edge", "unknown corridor edge '" + std::string(name) + "'" + did_you_mean(name, names));
      e.corridor_edge = static_cast<std::size_t>(it - names.begin());
      e.open = r.boolean("open", e.open);
    } else {
      reject_unless(r, "edge", kind);
      reject_unless(r, "open", kind);
    }
    r.finish();
    return e;
  }

  // A key that belongs to another kind of event is an error, not silently ignored.
  void reject_unless(TableReader& r, std::string_view key, const std::string& kind) {
    if (const toml::node* n = r.get(key))
      r.fail(n, key, "does not apply to " + article(kind) + " '" + kind + "' event");
  }

  // -- whole-scenario checks -------------------------------------------------------------------
  // Position of an actor's key if written, else of the actor's table.
  SourcePosition actor_key_position(const std::string& code, std::string_view key) const {
    const toml::node* actor = root_.table().at_path("actors." + code).node();
    const toml::node* value = actor && actor->is_table() ? actor->as_table()->get(key) : nullptr;
    SourcePosition p = position_of(value ? *value : *actor);
    if (p.file.empty()) p.file = spec_.source_path;
    return p;
  }

  void check_consistency() {
    for (std::size_t i = 0; i < N(); ++i) {
      const ActorSpec& a = spec_.actors[i];
      double bilateral = 0.0, inflow = 0.0, outflow = 0.0;
      for (std::size_t j = 0; j < N(); ++j) {
        bilateral += spec_.trade[i * N() + j] + spec_.trade[j * N() + i];
        inflow += spec_.energy[j * N() + i];
        outflow += spec_.energy[i * N() + j];
      }
      const std::string path = "actors." + a.code;
      if (bilateral > a.total_trade * (1 + 1e-9))
        throw InputError(actor_key_position(a.code, "total_trade"), path + ".total_trade",
                         "total trade " + format_number(a.total_trade) +
                             " US$ bn/yr is less than the actor's trade with the other actors in [trade] (" +
                             format_number(bilateral) + " US$ bn/yr)");
      if (inflow > a.energy_imports * (1 + 1e-9))
        throw InputError(actor_key_position(a.code, "energy_imports"), path + ".energy_imports",
                         "gas imports " + format_number(a.energy_imports) +
                             " bcm/yr are less than the inflows from the other actors in [energy] (" +
                             format_number(inflow) + " bcm/yr)");
      if (outflow > a.energy_export_capacity * (1 + 1e-9))
        throw InputError(actor_key_position(a.code, "energy_export_capacity"),
                         path + ".energy_export_capacity",
                         "gas export capacity " + format_number(a.energy_export_capacity) +
                             " bcm/yr is less than the outflows to the other actors in [energy] (" +
                             format_number(outflow) + " bcm/yr)");
    }
  }

  ScenarioSpec spec_;
  TableReader root_;
};

// Values set with --set carry no position in a file: name the --set instead (the last one whose
// key path contains, or lies inside, the key in error).
InputError attribute_to_override(const InputError& e, const std::vector<std::string>& overrides) {
  const bool from_override = e.where().file.rfind("--set", 0) == 0;
  if (!e.where().file.empty() && !from_override) return e;
  for (auto o = overrides.rbegin(); o != overrides.rend(); ++o) {
    const std::string key = o->substr(0, o->find('='));
    const bool inside = e.key() == key || e.key().rfind(key + ".", 0) == 0;
    const bool contains = key.rfind(e.key() + ".", 0) == 0;
    if (inside || contains) return InputError(SourcePosition{"--set " + *o, 0, 0}, e.key(), e.message());
  }
  if (from_override) return InputError(SourcePosition{e.where().file, 0, 0}, e.key(), e.message());
  return e;
}

ScenarioSpec build_spec(toml::table merged, const std::string& source_path, const LoadOptions& options) {
  try {
    for (const auto& o : options.overrides) apply_override(merged, o);
    std::string text;
    if (options.resolved_text) {
      std::ostringstream out;
      out << merged << "\n";
      text = out.str();
    }
    ScenarioSpec spec = SpecBuilder(merged, source_path).build();
    spec.resolved_text = std::move(text);
    return spec;
  } catch (const InputError& e) {
    throw attribute_to_override(e, options.overrides);
  }
}

}  // namespace

ScenarioSpec load_scenario(const fs::path& path, const LoadOptions& options) {
  toml::table doc = parse_file(path, SourcePosition{path.string(), 0, 0}, "");
  std::vector<fs::path> chain;
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  chain.push_back(ec ? path : canonical);
  // Moved, never copied: a copied TOML node loses its source position.
  return build_spec(resolve_chain(std::move(doc), path, chain), path.string(), options);
}

ScenarioSpec load_scenario_text(std::string_view text, const std::string& source_name,
                                const fs::path& base_dir, const LoadOptions& options) {
  std::vector<fs::path> chain;
  const fs::path pseudo = base_dir / source_name;
  chain.push_back(pseudo);
  return build_spec(resolve_chain(parse_text(text, source_name), pseudo, chain), source_name, options);
}

struct ScenarioTemplate::Impl {
  fs::path path;
  toml::table merged;  // base chain resolved; copies of it lose positions, not values
};

ScenarioTemplate::ScenarioTemplate(const fs::path& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  toml::table doc = parse_file(path, SourcePosition{path.string(), 0, 0}, "");
  std::vector<fs::path> chain;
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(path, ec);
  chain.push_back(ec ? path : canonical);
  impl_->merged = resolve_chain(std::move(doc), path, chain);
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

void check_run_size(const ScenarioSpec& spec, std::uint64_t bytes_needed, std::uint64_t limit_bytes) {
  if (bytes_needed <= limit_bytes) return;
  const double gib = static_cast<double>(bytes_needed) / (1024.0 * 1024.0 * 1024.0);
  const double limit_gib = static_cast<double>(limit_bytes) / (1024.0 * 1024.0 * 1024.0);
  throw InputError(spec.time_position, "time",
                   "this run would need " + format_number(gib) + " GiB of memory (" +
                       std::to_string(spec.actor_count()) + " actors, " +
                       std::to_string(spec.time.steps) + " steps), more than the limit of " +
                       format_number(limit_gib) +
                       " GiB; record fewer steps ([output] every), switch off [output] "
                       "contributions, shorten the run, or raise --max-memory");
}

}  // namespace interdep
