// After the first step, stepping makes no heap allocation (docs/performance.md). This program
// interposes malloc (glibc) to count every allocation — operator new and Eigen's aligned
// buffers alike — so it is a test executable of its own.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>

#include "engine/run/simulation.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "models/interdependence/terms.hpp"
#include "models/registry.hpp"
#include "tests/synthetic_world.hpp"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
}  // namespace

extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* p, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);

void* malloc(std::size_t size) {
  if (g_counting.load(std::memory_order_relaxed))
    g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}
void* calloc(std::size_t count, std::size_t size) {
  if (g_counting.load(std::memory_order_relaxed))
    g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(count, size);
}
void* realloc(void* p, std::size_t size) {
  if (g_counting.load(std::memory_order_relaxed))
    g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(p, size);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
  if (g_counting.load(std::memory_order_relaxed))
    g_allocations.fetch_add(1, std::memory_order_relaxed);
  *out = __libc_memalign(alignment, size);
  return *out ? 0 : 12;  // ENOMEM
}
void* aligned_alloc(std::size_t alignment, std::size_t size) {
  if (g_counting.load(std::memory_order_relaxed))
    g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_memalign(alignment, size);
}
}

// Runs `spec` with recording, counting the allocations of steps 2..end; prints and returns
// whether there were none.
bool allocation_free(const interdep::ScenarioSpec& spec, const std::string& what,
                     std::size_t threads = 1) {
  interdep::Trajectory trajectory(spec, interdep::kTermNames);
  interdep::Simulation sim(spec, interdep::make_model(spec), 1, threads);
  auto step = [&] {
    sim.step();
    trajectory.accumulate(sim.state());
    trajectory.record(sim.state());
  };
  trajectory.record(sim.state());
  step();
  g_allocations = 0;
  g_counting = true;
  while (!sim.done()) step();
  g_counting = false;
  const long count = g_allocations.load();
  std::printf("%s: %ld heap allocations in steps 2..%lld\n", what.c_str(), count,
              static_cast<long long>(spec.time.steps));
  return count == 0;
}

int main() {
  int passed = 0, failed = 0;
  auto tally = [&](bool ok) { (ok ? passed : failed) += 1; };
  for (int n : {30, 200})
    tally(allocation_free(
        interdep::load_scenario_text(interdep::test::synthetic_world(n), "synthetic.toml", "."),
        "synthetic N = " + std::to_string(n)));
  // Two threads sharing each step (engine/run/step_workers.hpp).
  tally(allocation_free(
      interdep::load_scenario_text(interdep::test::synthetic_world(200), "synthetic.toml", "."),
      "synthetic N = 200, 2 threads", 2));
  for (const char* name : {"baseline", "sanctions", "pipeline", "brics"}) {
    const std::string path = std::string(INTERDEP_SOURCE_DIR) + "/scenarios/" + name + ".toml";
    for (const char* integrator : {"euler", "rk4"}) {
      interdep::LoadOptions options;
      options.overrides = {std::string("model.decide.integrator=\"") + integrator + "\""};
      tally(allocation_free(interdep::load_scenario(path, options),
                            std::string(name) + " (" + integrator + ")"));
    }
  }
  // The plain closing line ctest output is read for.
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
