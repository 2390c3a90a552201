// interdep_synthetic N: prints the synthetic N-actor scenario of the benchmarks
// (bench/synthetic_scenario.hpp) as TOML, e.g. to time `interdep run` at 200 actors:
//   build/bench/interdep_synthetic 200 > synthetic-200.toml
#include <cstdlib>
#include <iostream>
#include <string>

#include "bench/synthetic_scenario.hpp"

int main(int argc, char** argv) {
  char* end = nullptr;
  const long n = argc == 2 ? std::strtol(argv[1], &end, 10) : 0;
  if (argc != 2 || end == argv[1] || *end != '\0' || n < 3 || n > 100000) {
    std::cerr << "usage: interdep_synthetic N   (N actors, 3 .. 100000)\n";
    return 2;
  }
  std::cout << interdep::bench::synthetic_scenario(static_cast<std::size_t>(n));
  return 0;
}
