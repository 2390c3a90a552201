// [institutions.NAME]: clubs of actors, their admission rules and what membership does.
#include <algorithm>

#include "engine/scenario/spec_builder.hpp"

namespace interdep::detail {

void SpecBuilder::read_institutions() {
  const toml::table* table = root_.subtable("institutions");
  if (!table) return;
  for_each_named_table(*table, "institutions", [&](const std::string& name, TableReader& r) {
    const std::string& path = r.path();
    InstitutionSpec inst;
    inst.name = name;
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
    if (const toml::array* domains = r.array("domains")) {
      for (const auto& d : *domains) {
        if (!d.is_string())
          throw InputError(position_of(d), path + ".domains",
                           "expected a domain name, got " + type_name(d));
        const std::size_t index =
            domain_index(d.value<std::string_view>().value(), d, path + ".domains");
        if (std::find(inst.domains.begin(), inst.domains.end(), index) != inst.domains.end())
          throw InputError(position_of(d), path + ".domains",
                           "'" + spec_.domains[index].name + "' is listed twice");
        inst.domains.push_back(index);
      }
    }
    spec_.institutions.push_back(std::move(inst));
  });
}

}  // namespace interdep::detail
