// Loads a scenario, runs it and says how many frames it recorded: interdep used as a library.
#include <iostream>

#include "engine/scenario/scenario_loader.hpp"
#include "models/registry.hpp"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const interdep::ScenarioSpec spec = interdep::load_scenario(argv[1]);
  const interdep::RunResult run = interdep::run_scenario(spec, spec.seed);
  std::cout << spec.name << ": " << run.trajectory.frames() << " frames\n";
  return 0;
}
