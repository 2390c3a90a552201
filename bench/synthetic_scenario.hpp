// Synthetic scenarios of any size in the shape of scenarios/baseline.toml, for benchmarks and
// scale tests (bench/bench_step.cpp; `interdep_synthetic N > synthetic.toml` writes one).
#pragma once

#include <cstddef>
#include <string>

namespace interdep::bench {

// A scenario of n actors (TOML text), drawn from a fixed seed: the same n gives the same text.
std::string synthetic_scenario(std::size_t n);

}  // namespace interdep::bench
