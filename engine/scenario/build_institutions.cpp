// [institutions.NAME]: clubs of actors, their admission rules and what membership does.
#include <algorithm>
#include <cmath>

#include "engine/scenario/spec_builder.hpp"

namespace interdep::detail {
namespace {

// The first step whose start lies at or after `year` (0 before the run), as events are dated.
std::int64_t step_of(double year, const TimeSpec& t) {
  const double offset = step_offset(year, t);
  if (offset <= 0.0) return 0;
  if (offset >= static_cast<double>(t.steps)) return t.steps;
  return static_cast<std::int64_t>(offset);
}

}  // namespace

// [institutions.NAME.others.CODE]: a member that is not an actor, voting with a fixed stance.
OtherMemberSpec SpecBuilder::read_other_member(const std::string& code, TableReader& r) {
  OtherMemberSpec o;
  o.code = code;
  if (std::any_of(spec_.actors.begin(), spec_.actors.end(),
                  [&](const ActorSpec& a) { return a.code == code; })) {
    // Where the actor was made: often a derived file adding an actor that a base file lists
    // here, which then removes the entry (`remove`, scenario_file.cpp).
    std::string made;
    if (const toml::table* actors = root_.table().get_as<toml::table>("actors"))
      if (const toml::node* actor = actors->get(code)) {
        const SourcePosition at = position_of(*actor);
        if (!at.file.empty())
          made = " (made at " + at.file + (at.line > 0 ? ":" + std::to_string(at.line) : "") + ")";
      }
    throw InputError(position_of(r.table()), r.path(),
                     "'" + code + "' is an actor of the scenario" + made +
                         ": list it in members instead; a file that makes an actor of a member "
                         "its base lists here removes this entry: remove = [\"" +
                         r.path() + "\"]");
  }
  o.label = r.string("label", o.code);
  o.military = r.required_number("military", kNonNegative);
  o.salience = r.number("salience", o.salience, kUnit);
  o.stance.assign(N(), 0.0);
  if (const toml::table* stance = r.subtable("stance")) {
    const KeyPath member_path(r.path());
    const KeyPath stance_path(member_path, "stance");
    for (const auto& [to, value] : *stance) {
      const KeyPath key(stance_path, to.str());
      o.stance[actor_index(to.str(), value, key)] =
          pair_number(value, key, kSigned, "a relation toward the actor");
    }
  }
  if (const std::optional<double> joined = optional_date(r, "joined")) o.joined = *joined;
  if (const std::optional<double> left = optional_date(r, "left")) {
    o.left = *left;
    if (o.left <= o.joined)
      r.fail(r.get("left"), "left",
             "expected a date after joined (" + format_number(o.joined) + "), got " +
                 format_number(o.left) +
                 values_set_elsewhere(position_of(*r.get("left")),
                                      {{r.key_path("joined"), r.table().get("joined")}}));
  }
  o.joined_step = std::isfinite(o.joined) ? step_of(o.joined, spec_.time) : 0;
  o.left_step = std::isfinite(o.left) ? step_of(o.left, spec_.time) : o.left_step;
  return o;
}

void SpecBuilder::read_institutions() {
  const toml::table* table = root_.subtable("institutions");
  if (!table) return;
  for_each_named_table(*table, "institutions", [&](const std::string& name, TableReader& r) {
    const std::string& path = r.path();
    InstitutionSpec inst;
    inst.name = name;
    inst.label = r.string("label", inst.name);
    const KeyPath institution_path(path);
    if (const toml::array* members = r.array("members")) {
      const KeyPath members_path(institution_path, "members");
      for (const auto& m : *members) {
        const std::size_t i = actor_index_of_string(m, members_path);
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
    if (const toml::array* domains = r.array("domains")) {
      // Left out, domains means all of them; an empty list would silently mean the same.
      if (domains->empty())
        r.fail(domains, "domains",
               "expected at least one domain name; leave domains out for all domains");
      const KeyPath domains_path(institution_path, "domains");
      for (const auto& d : *domains) {
        if (!d.is_string())
          throw InputError(position_of(d), path + ".domains",
                           "expected a domain name, got " + type_name(d));
        const std::size_t index =
            domain_index(d.value<std::string_view>().value(), d, domains_path);
        if (std::find(inst.domains.begin(), inst.domains.end(), index) != inst.domains.end())
          throw InputError(position_of(d), path + ".domains",
                           "'" + spec_.domains[index].name + "' is listed twice");
        inst.domains.push_back(index);
      }
    }
    if (const toml::table* others = r.subtable("others"))
      for_each_named_table(*others, path + ".others", [&](const std::string& code, TableReader& o) {
        inst.others.push_back(read_other_member(code, o));
      });
    spec_.institutions.push_back(std::move(inst));
  });
}

}  // namespace interdep::detail
