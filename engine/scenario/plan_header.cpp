#include "engine/scenario/plan_header.hpp"

#include <limits>

#include "engine/scenario/user_text.hpp"

namespace interdep::detail {

PlanHeader read_plan_header(TableReader& root, const std::filesystem::path& file,
                            std::string_view kind, std::string_view purpose, std::uint64_t seed) {
  PlanHeader h;
  if (!root.get("name"))
    root.fail(nullptr, "name", "is required: expected a string naming the " + std::string(kind));
  h.name = root.string("name", h.name);
  if (h.name.find_first_not_of(" \t") == std::string::npos)
    root.fail(root.get("name"), "name",
              "expected a string naming the " + std::string(kind) + ", got an empty one");
  h.description = root.string("description", h.description);
  const toml::node* scenario = root.get("scenario");
  if (!scenario || !scenario->is_string())
    root.fail(scenario, "scenario",
              "is required: expected the path of the scenario " + std::string(purpose) +
                  ", relative to this file");
  h.scenario = std::filesystem::path(std::string(scenario->value<std::string_view>().value()));
  if (h.scenario.is_relative()) h.scenario = file.parent_path() / h.scenario;
  h.scenario_position = position_of(*scenario);
  h.seed = root.seed("seed", seed);
  check_user_file(h.scenario, "the scenario file", h.scenario_position, "scenario");
  return h;
}

}  // namespace interdep::detail
