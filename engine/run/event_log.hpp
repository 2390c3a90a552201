// What happened during a run, as applied: scheduled events and institutional decisions.
// Storage is reserved before the step loop, so logging does not allocate while stepping.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/scenario/spec.hpp"

namespace interdep {

struct AppliedEvent {
  std::int64_t step = 0;
  double time = 0.0;
  std::size_t event_index = 0;  // index into ScenarioSpec::events
  std::size_t actor = 0;
  std::size_t target = 0;  // one row per target; == actor when the event has none
  double goldstein = 0.0;  // weight applied (0 for events without an impulse)
};

struct AdmissionDecision {
  std::int64_t step = 0;
  double time = 0.0;
  std::size_t institution = 0;
  std::size_t applicant = 0;
  int votes_for = 0;
  int votes_against = 0;
  double probability = 0.0;  // probability of admission under the rule (0 or 1 if deterministic)
  bool admitted = false;
};

struct EventLog {
  std::vector<AppliedEvent> events;
  std::vector<AdmissionDecision> admissions;

  void reserve(const ScenarioSpec& spec) {
    std::size_t rows = 0;
    for (const auto& e : spec.events) rows += e.targets.empty() ? 1 : e.targets.size();
    events.reserve(rows);
    // One decision per summit, institution and applicant at most.
    const auto summits = static_cast<std::size_t>(spec.time.years) + 2;
    admissions.reserve(summits * spec.institutions.size() * spec.actors.size());
  }
};

}  // namespace interdep
