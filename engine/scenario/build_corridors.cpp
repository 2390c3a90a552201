// [corridors]: the transport network; its nodes are the actors and [corridors.nodes], its
// edges [corridors.edges.NAME] join two nodes.
#include "engine/scenario/spec_builder.hpp"

namespace interdep::detail {

void SpecBuilder::read_corridors() {
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
        throw InputError(position_of(node), path,
                         "expected the node's name (a string), got " + type_name(node));
      for (const auto& existing : spec_.corridor_nodes)
        if (existing.code == key.str())
          throw InputError(
              position_of(key.source()), path,
              "'" + existing.code +
                  "' is already an actor; actors are corridor nodes already (a file that makes "
                  "an actor of a node its base declares removes it: remove = [\"" +
                  path + "\"])");
      spec_.corridor_nodes.push_back(
          {std::string(key.str()), std::string(node.value<std::string_view>().value())});
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
    er.fail(n, key,
            "unknown corridor node '" + std::string(code) + "'" + did_you_mean(code, node_codes) +
                "; nodes are the actors and [corridors.nodes]");
  };
  if (const toml::table* edges = r.subtable("edges")) {
    for_each_named_table(*edges, "corridors.edges", [&](const std::string& name, TableReader& er) {
      CorridorEdgeSpec e;
      e.name = name;
      e.from = node_index(er, "from");
      e.to = node_index(er, "to");
      if (e.from == e.to)
        er.fail(er.table().get("to"), "to", "an edge must join two different nodes");
      e.cost = er.number("cost", e.cost, kPositive);
      e.open = er.boolean("open", e.open);
      spec_.corridor_edges.push_back(std::move(e));
    });
  }
  r.finish();
}

}  // namespace interdep::detail
