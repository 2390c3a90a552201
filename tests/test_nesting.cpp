// Class 2 of the hardening issue: text that nests deeper than any file needs is refused with its
// line and column before TOML++ recurses into it (engine/scenario/toml_limits.hpp); brackets and
// dots inside strings and comments do not count.

#include <catch2/catch.hpp>

#include <string>

#include "engine/scenario/errors.hpp"
#include "engine/scenario/scenario_loader.hpp"

namespace {

using Catch::Matchers::Contains;

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t k = 0; k < n; ++k) out += s;
  return out;
}

std::string base() { return "base = \"" INTERDEP_SOURCE_DIR "/scenarios/baseline.toml\"\n"; }

// The InputError of loading `text`, with its line and column checked.
void refused(const std::string& text, int line, int column, const std::string& words) {
  try {
    (void)interdep::load_scenario_text(text, "deep.toml", ".");
    FAIL("loaded");
  } catch (const interdep::InputError& e) {
    INFO(e.what());
    CHECK(e.where().file == "deep.toml");
    CHECK(e.where().line == line);
    CHECK(e.where().column == column);
    CHECK_THAT(e.message(), Contains(words));
  }
}

}  // namespace

TEST_CASE("nesting: deep arrays, inline tables, dotted keys and headers are refused at their place",
          "[bad_input][nesting]") {
  // 100,000 levels crashed the parser or the tables' destructors (stack overflow).
  const std::size_t deep = 100'000;
  refused(base() + "x = " + repeat("[", deep) + repeat("]", deep) + "\n", 2, 5 + 64,
          "nested more than 64 deep");
  refused(base() + "x = " + repeat("{a = ", deep) + "1" + repeat("}", deep) + "\n", 2, 5 + 5 * 64,
          "nested more than 64 deep");
  refused(base() + "a" + repeat(".b", deep) + " = 1\n", 2, 2 + 2 * 63, "more than 64 dotted parts");
  refused(base() + "[a" + repeat(".b", deep) + "]\n", 2, 3 + 2 * 63, "more than 64 dotted parts");
  refused(base() + "# a comment\n\"q\"" + repeat(" . \"b\"", 70) + " = 1\n", 3, 6 * 64 - 1,
          "more than 64 dotted parts");
  // Within the limits TOML++ and the loader answer as usual (an unknown key here).
  refused(base() + "a" + repeat(".b", 10) + " = 1\n", 2, 1, "unknown key");
}

TEST_CASE("nesting: brackets and dots inside strings and comments do not count",
          "[bad_input][nesting]") {
  const std::string text = base() + "description = \"" + repeat("[{.", 500) + "\"\n" + "# " +
                           repeat("[[..", 500) + "\n" + "name = '''" + repeat("{.[", 500) + "'''\n";
  const interdep::ScenarioSpec spec = interdep::load_scenario_text(text, "strings.toml", ".");
  CHECK(spec.description.size() == 1500);
}

TEST_CASE("nesting: a --set key or value deeper than the limits is refused",
          "[bad_input][nesting]") {
  interdep::LoadOptions options;
  std::string key = "a";  // built in steps: GCC 12 warns (-Wrestrict) at "a" + std::string
  key += repeat(".b", 100);
  options.overrides = {key + "=1"};
  CHECK_THROWS_WITH(interdep::load_scenario_text(base(), "s.toml", ".", options),
                    Contains("more than 64 parts"));
  options.overrides = {"time.years=" + repeat("[", 1000) + repeat("]", 1000)};
  CHECK_THROWS_WITH(interdep::load_scenario_text(base(), "s.toml", ".", options),
                    Contains("nested more than 64 deep"));
}
