// [finance.FROM] TO = { aid, lending, investment, remittances }: finance between actors, and
// [lenders.NAME]: lenders of last resort, their shareholders' votes and their programmes.
#include <algorithm>

#include "engine/scenario/spec_builder.hpp"

namespace interdep::detail {

void SpecBuilder::read_finance() {
  std::vector<PairValues<FinanceFlowSpec>::Entry> given;
  if (const toml::table* table = root_.subtable("finance"))
    for_each_pair(*table, "finance",
                  [&](std::size_t i, std::size_t j, const toml::node& n, const KeyPath& path) {
                    if (!n.is_table())
                      throw InputError(
                          position_of(n), path,
                          "expected a table with aid, lending, investment and remittances "
                          "(US$ bn/yr), got " +
                              type_name(n));
                    TableReader r(*n.as_table(), path);
                    FinanceFlowSpec f;
                    f.aid = r.number("aid", f.aid, kNonNegative);
                    f.lending = r.number("lending", f.lending, kNonNegative);
                    f.investment = r.number("investment", f.investment, kNonNegative);
                    f.remittances = r.number("remittances", f.remittances, kNonNegative);
                    r.finish();
                    given.emplace_back(i * N() + j, f);
                  });
  spec_.finance = PairValues<FinanceFlowSpec>(N() * N(), FinanceFlowSpec{}, std::move(given));
}

void SpecBuilder::read_lenders() {
  const toml::table* table = root_.subtable("lenders");
  if (!table) return;
  for_each_named_table(*table, "lenders", [&](const std::string& name, TableReader& r) {
    const std::string& path = r.path();
    LenderSpec lender;
    lender.name = name;
    lender.label = r.string("label", lender.name);
    lender.votes.assign(N(), 0.0);
    if (const toml::table* votes = r.subtable("votes")) {
      double total = 0.0;
      std::vector<NamedNode> shares;
      for (const auto& [code, share] : *votes) {
        const std::string key = path + ".votes." + std::string(code.str());
        const std::size_t i = actor_index(code.str(), share, key);
        lender.votes[i] = pair_number(share, key, kUnit, "a vote share");
        total += lender.votes[i];
        shares.emplace_back(std::string(code.str()), &share);
      }
      if (total > 1.0 + 1e-9)
        throw InputError(position_of(*votes), path + ".votes",
                         "vote shares sum to " + format_number(total) + ", expected at most 1" +
                             values_set_elsewhere(position_of(*votes), shares));
    }
    lender.blocking_share =
        r.number("blocking_share", lender.blocking_share, Range{0.0, 1.0, true, false});
    lender.support_threshold = r.number("support_threshold", lender.support_threshold, kSigned);
    lender.review_months = r.integer("review_months", lender.review_months, 0, 120);
    if (const toml::table* programmes = r.subtable("programmes")) {
      for (const auto& [code, node] : *programmes) {
        const std::string key = path + ".programmes." + std::string(code.str());
        ProgrammeSpec p;
        p.borrower = actor_index(code.str(), node, key);
        if (!node.is_table())
          throw InputError(
              position_of(node), key,
              "expected a table with amount and catalysed (US$ bn/yr), got " + type_name(node));
        TableReader pr(*node.as_table(), key);
        p.amount = pr.required_number("amount", kNonNegative);
        p.catalysed = pr.number("catalysed", p.catalysed, kNonNegative);
        pr.finish();
        lender.programmes.push_back(p);
      }
    }
    spec_.lenders.push_back(std::move(lender));
  });
}

}  // namespace interdep::detail
