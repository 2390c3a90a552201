// Indexed access to a recorded run's frame-major arrays (RunView), and one relation over a
// window of frames (RelationWindow): what explain (output/insight) and the models' term
// narratives read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/run/recorded_run.hpp"
#include "engine/scenario/spec.hpp"

namespace interdep {

class RunView {
 public:
  explicit RunView(const RecordedRun& file)
      : run(file),
        n(file.dims.actors),
        nd(file.dims.domains),
        ni(file.dims.institutions),
        nt(file.terms.size()) {}

  // r[i,j,d] at frame f, or the overall relation R[i,j] when `domain` is absent.
  double relation(std::size_t f, std::size_t i, std::size_t j,
                  std::optional<std::size_t> domain) const {
    return domain ? run.relations[(f * n * n + i * n + j) * nd + *domain]
                  : run.relation_overall[f * n * n + i * n + j];
  }
  // A [frame][i*N+j] array (trade, energy, sensitivity, vulnerability, leverage, ...).
  double pair(const std::vector<double>& array, std::size_t f, std::size_t i, std::size_t j) const {
    return array[f * n * n + i * n + j];
  }
  // Increment of term `t` recorded at frame f for relation i→j: the domain's, or for the overall
  // relation the interest-weighted sum Σ_d w[i,d] c[i,j,d,t] (so terms add up to ΔR).
  double term(std::size_t f, std::size_t i, std::size_t j, std::optional<std::size_t> domain,
              std::size_t t) const {
    const std::size_t base = f * n * n * nd * nt;
    if (domain) return run.contributions[base + ((i * n + j) * nd + *domain) * nt + t];
    double sum = 0.0;
    for (std::size_t d = 0; d < nd; ++d)
      sum += run.interests[i * nd + d] * run.contributions[base + ((i * n + j) * nd + d) * nt + t];
    return sum;
  }
  bool member(std::size_t f, std::size_t i, std::size_t k) const {
    return run.membership[(f * n + i) * ni + k] != 0;
  }
  std::optional<std::size_t> term_index(const std::string& name) const {
    for (std::size_t t = 0; t < nt; ++t)
      if (run.terms[t] == name) return t;
    return std::nullopt;
  }
  std::optional<std::size_t> actor_of(const std::string& code) const {
    for (std::size_t i = 0; i < n; ++i)
      if (run.actors[i] == code) return i;
    return std::nullopt;
  }
  // The first frame whose recorded contributions include step `step` (state after it).
  std::size_t frame_after_step(std::int64_t step) const {
    std::size_t f = 0;
    while (f + 1 < run.frames && run.step[f] <= step) ++f;
    return f;
  }
  // The last frame recorded at or before the start of step `step` (state before it).
  std::size_t frame_before_step(std::int64_t step) const {
    std::size_t f = 0;
    while (f + 1 < run.frames && run.step[f + 1] <= step) ++f;
    return f;
  }

  const RecordedRun& run;
  std::size_t n, nd, ni, nt;
};

// One relation i→j (of a domain, or overall) over the frames f0 .. f1 of a recorded run: the
// window explain accounts for.
struct RelationWindow {
  RunView view;
  std::size_t actor = 0, partner = 0;  // i, j
  std::optional<std::size_t> domain;   // absent: overall relation
  std::size_t f0 = 0, f1 = 0;          // window: terms of frames f0+1 .. f1, values at f0 and f1
  // The run's domains with their benefit channels (from the scenario text the file stores);
  // nullptr when unknown (a text that no longer loads), then every channel counts as used.
  const std::vector<DomainSpec>* domain_specs = nullptr;
  // Its lenders and events (the same text), to tell which shareholders a programme event
  // credits; nullptr when unknown.
  const std::vector<LenderSpec>* lenders = nullptr;
  const std::vector<EventSpec>* events = nullptr;
  // Its decision parameters (event_scale, event_reciprocal, influence); nullptr: the defaults.
  const DecideParams* decide = nullptr;
  // Each recorded institution's conflict_damping [1/yr], in the file's order; nullptr when the
  // stored text does not give them (each shared institution then counts alike).
  const std::vector<double>* institution_damping = nullptr;

  const std::string& name(std::size_t a) const { return view.run.actor_names[a]; }
  // Whether a benefit channel (&DomainSpec::trade, ::energy, ::threat, ::institutions) moves
  // this relation: the domain's weight is not 0, or, for the overall relation, that of a domain
  // the actor has an interest in. True when the domains are unknown.
  bool uses_channel(double DomainSpec::*weight) const {
    if (domain_specs == nullptr) return true;
    for (std::size_t d = 0; d < view.nd; ++d) {
      if (domain ? d != *domain : !(view.run.interests[actor * view.nd + d] > 0.0)) continue;
      if ((*domain_specs)[d].*weight != 0.0) return true;
    }
    return false;
  }
  // The impulse an event row gives this relation as the model applies it
  // (models/interdependence/events.cpp, docs/model.md §7.1). Signed [relation units]; 0 for a row
  // that does not reach it (recorded_run_view.cpp).
  double predicted_impulse(const RunEvent& e) const;
  // Whether the event row's time lies in the window: its step's increments are in (f0, f1].
  bool in_window(std::int64_t step) const {
    const std::size_t f = view.frame_after_step(step);
    return f > f0 && f <= f1 && view.run.step[f] > step;
  }
};

}  // namespace interdep
