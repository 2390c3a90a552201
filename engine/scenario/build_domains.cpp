// [domains.NAME]: the domains of relations and their benefit channels.
#include "engine/scenario/spec_builder.hpp"

namespace interdep::detail {
namespace {

// Relations are N x N x D doubles: the cap keeps D a small factor of the state's size.
constexpr std::size_t kMaxDomains = 64;

}  // namespace

void SpecBuilder::read_domains() {
  const toml::table* table = root_.subtable("domains");
  if (!table || table->empty()) {
    refuse_misspelt_table("domains", "the domains");
    throw InputError(table ? position_of(*table) : root_position(), "domains",
                     "at least one domain is required, e.g. [domains.security]");
  }
  if (table->size() > kMaxDomains)
    throw InputError(position_of(*table), "domains",
                     "at most " + std::to_string(kMaxDomains) + " domains are supported, got " +
                         std::to_string(table->size()));
  for_each_named_table(*table, "domains", [&](const std::string& name, TableReader& r) {
    DomainSpec d;
    d.name = name;
    d.label = r.string("label", d.name);
    d.trade = r.number("trade", d.trade, kNonNegative);
    d.energy = r.number("energy", d.energy, kNonNegative);
    d.threat = r.number("threat", d.threat, kNonNegative);
    d.institutions = r.number("institutions", d.institutions, kNonNegative);
    d.finance = r.number("finance", d.finance, kNonNegative);
    spec_.domains.push_back(std::move(d));
  });
}

}  // namespace interdep::detail
