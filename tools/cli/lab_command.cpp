// `interdep lab -o lab.html [SCENARIO.toml ...]` (docs/lab.md): one self-contained HTML file in
// which the engine, compiled to WebAssembly, reruns the scenarios as their sliders move.
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/errors.hpp"
#include "output/hdf5/hdf5_handle.hpp"
#include "output/hdf5/read_fault.hpp"
#include "tools/cli/commands.hpp"
#include "tools/lab/lab_page.hpp"

namespace fs = std::filesystem;

namespace interdep::cli {
namespace {

constexpr std::string_view kUsage =
    "Usage: interdep lab [-o lab.html] [--baseline ID] [SCENARIO.toml ...]\n"
    "Writes one self-contained HTML file (no network, no server) in which the engine, compiled\n"
    "to WebAssembly, reruns a scenario at once as its sliders move: event dates, intensities and\n"
    "switches, interests, decision rates, risk attitudes, admission rules. Default scenarios:\n"
    "the mission scenarios and the teaching scenarios shipped in scenarios/.\n";

// The mission and teaching scenarios, relative to scenarios/ (baseline first: the default
// baseline to compare with).
constexpr std::string_view kDefaultScenarios[] = {"baseline.toml",
                                                  "sanctions.toml",
                                                  "pipeline.toml",
                                                  "brics.toml",
                                                  "corridors.toml",
                                                  "teaching/leverage-russia.toml",
                                                  "teaching/leverage-usa.toml",
                                                  "teaching/gas-cutoff.toml",
                                                  "teaching/gas-cutoff-alternative.toml",
                                                  "teaching/russia-between.toml",
                                                  "teaching/sco-crisis.toml"};

void declare_options(CommandOptions& options) {
  options.listed.add_options()("output,o", po::value<std::string>(),
                               "the HTML file (default: lab.html here)")(
      "baseline", po::value<std::string>(),
      "the scenario to compare with, by file stem (default: baseline when listed, else the "
      "chosen scenario as written)")("quiet,q", "print only errors");
  options.add_positional("scenarios", po::value<std::vector<std::string>>(), -1);
}

// Above this many actors a lab page's rerun at each slider move takes seconds (docs/lab.md).
constexpr std::size_t kLabSlowActors = 60;

int run(const Invocation& invocation) {
  const po::variables_map& vm = invocation.options;
  if (!lab::has_engine())
    throw UsageError(
        "this interdep was built without the lab's engine: install Emscripten (tools/install-deps "
        "installs Debian's emscripten package) and build again");
  std::vector<fs::path> files;
  if (vm.count("scenarios")) {
    for (const auto& f : vm["scenarios"].as<std::vector<std::string>>()) files.emplace_back(f);
  } else {
    for (std::string_view f : kDefaultScenarios) files.push_back(shipped_scenario(fs::path(f)));
  }
  const fs::path output = output_or(vm, "lab.html");
  check_output_path(output);

  std::vector<lab::LabScenario> scenarios;
  std::set<std::string> ids;
  for (const fs::path& file : files) {
    lab::LabScenario s = lab::read_lab_scenario(file);
    // Two files with one stem (a/x.toml, b/x.toml): the second is x-2, and so on.
    const std::string stem = s.id;
    for (int k = 2; ids.count(s.id); ++k) s.id = stem + "-" + std::to_string(k);
    ids.insert(s.id);
    scenarios.push_back(std::move(s));
  }
  check_output_path(output);  // again, now that the scenarios' base chains are read
  std::string baseline = ids.count("baseline") ? "baseline" : "";
  if (vm.count("baseline")) {
    baseline = vm["baseline"].as<std::string>();
    if (!baseline.empty() && !ids.count(baseline)) {
      std::string known;
      for (const auto& id : ids) known += (known.empty() ? "" : ", ") + id;
      throw UsageError("--baseline " + baseline + ": not one of the lab's scenarios (" + known +
                       ")");
    }
  }
  const std::string html = lab::lab_page(scenarios, baseline);
  {
    const h5::CommitSection put_in_place;  // a signal meanwhile: acted on, and said, after it
    h5::atomic_write_text(output, "write the lab", html);
  }
  if (!vm.count("quiet")) {
    std::cout << "wrote " << output.string() << " (" << (html.size() + 1023) / 1024 << " KiB, "
              << scenarios.size() << " scenario" << (scenarios.size() == 1 ? "" : "s")
              << "): open it in any browser, no network needed\n";
    // Each move of a slider reruns the whole world in the browser, on one thread: seconds for
    // a large world (docs/lab.md).
    for (const lab::LabScenario& s : scenarios)
      if (s.actors > kLabSlowActors)
        std::cout << "note: " << s.file << " has " << s.actors
                  << " actors: the page reruns it at every move of a slider, which takes seconds "
                     "at this size (a 150-actor, 5-year world: 4 s a move, 25 s to open)\n";
  }
  return kExitOk;
}

}  // namespace

const Command kLabCommand{.name = "lab",
                          .synopsis = "[-o lab.html] [SCENARIO.toml ...]",
                          .summary = "a what-if lab in one HTML file: sliders rerun the engine",
                          .usage = kUsage,
                          .declare_options = declare_options,
                          .run = run};

}  // namespace interdep::cli
