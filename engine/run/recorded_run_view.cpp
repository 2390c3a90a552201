#include "engine/run/recorded_run_view.hpp"

#include <algorithm>

#include "engine/scenario/enum_names.hpp"

namespace interdep {

// event_scale · G on the sender's relation toward the target, in the event's domains; the
// target's relation back gets the model's share of it (reverse_impulse_share). The overall relation
// gets the actor's interest weights of the domains hit. Without the stored text (or where it no
// longer matches the row) the event counts as hitting every domain and not mutual.
double RelationWindow::predicted_impulse(const RunEvent& e) const {
  const auto a = view.actor_of(e.actor), t = view.actor_of(e.target);
  if (e.goldstein == 0.0 || !a || !t) return 0.0;
  const EventSpec* spec = events != nullptr && e.event_index >= 0 &&
                                  static_cast<std::size_t>(e.event_index) < events->size()
                              ? &(*events)[static_cast<std::size_t>(e.event_index)]
                              : nullptr;
  if (spec != nullptr && spec->goldstein != e.goldstein) spec = nullptr;
  const DecideParams defaults;
  const DecideParams& p = decide != nullptr ? *decide : defaults;
  // The kind as stored (a file of an older build may name one this build does not know: then
  // as an impulse), the model's rule for the share felt back (reverse_impulse_share).
  const EventKind kind =
      spec != nullptr ? spec->kind : parse<EventKind>(e.kind).value_or(EventKind::impulse);
  const bool mutual = spec != nullptr && spec->mutual;
  double share = 0.0;
  if (*a == actor && *t == partner)
    share = 1.0;
  else if (*a == partner && *t == actor)
    share = reverse_impulse_share(kind, mutual, p);
  if (share == 0.0) return 0.0;
  const auto hits = [&](std::size_t d) {
    return spec == nullptr || spec->domains.empty() ||
           std::find(spec->domains.begin(), spec->domains.end(), d) != spec->domains.end();
  };
  double reach = 0.0;
  if (domain)
    reach = hits(*domain) ? 1.0 : 0.0;
  else
    for (std::size_t d = 0; d < view.nd; ++d)
      if (hits(d)) reach += view.run.interests[actor * view.nd + d];
  return p.event_scale * e.goldstein * share * reach;
}

}  // namespace interdep
