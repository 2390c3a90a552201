#include "models/interdependence/term_narratives.hpp"

// The "why" of each decision term, told from the run's own data: flows for benefit, the third
// party for pressure and balance, the partner's stance for reciprocity, shared memberships for
// institutions, the impulses for events. The terms are those of docs/model.md §7.4.
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "engine/text/text_format.hpp"

namespace interdep {
namespace {

std::string from_to(double a, double b, int decimals) {
  return signed_number(a, decimals) + " → " + signed_number(b, decimals);
}

std::string flow_from_to(double a, double b) { return number(a, 2) + " → " + number(b, 2); }

std::string direction(double value) { return value >= 0.0 ? "up" : "down"; }

// Flow of pair (a,b) in `array` at the window's two ends, told as "X's exports to Y 1.20 → 0.40".
std::string flow_sentence(const RelationWindow& c, const std::vector<double>& array, std::size_t a,
                          std::size_t b, const std::string& what) {
  return what + " " + c.name(a) + " to " + c.name(b) + " " +
         flow_from_to(c.view.pair(array, c.f0, a, b), c.view.pair(array, c.f1, a, b));
}

bool any_flow(const RelationWindow& c, const std::vector<double>& array) {
  const std::size_t i = c.actor, j = c.partner;
  return c.view.pair(array, c.f0, i, j) + c.view.pair(array, c.f0, j, i) +
             c.view.pair(array, c.f1, i, j) + c.view.pair(array, c.f1, j, i) >
         0.0;
}

// Gas of supplier a to importer b at the window's ends, "" when there is none.
std::string gas_sentence(const RelationWindow& c, std::size_t a, std::size_t b) {
  const double before = c.view.pair(c.view.run.energy, c.f0, a, b),
               after = c.view.pair(c.view.run.energy, c.f1, a, b);
  if (before == 0.0 && after == 0.0) return "";
  return " Gas from " + c.name(a) + " to " + c.name(b) + " " + flow_from_to(before, after) +
         " bcm/yr.";
}

// The benefit channels (docs/model.md §7.4) that move relation i→j.
struct Channels {
  bool trade, energy, threat, institutions, finance;
};

Channels channels_of(const RelationWindow& c) {
  return {c.uses_channel(&DomainSpec::trade), c.uses_channel(&DomainSpec::energy),
          c.uses_channel(&DomainSpec::threat), c.uses_channel(&DomainSpec::institutions),
          c.uses_channel(&DomainSpec::finance)};
}

// The pair's material ties the relation's benefit channels count (each only if its channel is
// used: two-way trade, two-way gas, the partner's finance to the actor, the institutions both
// belong to), each's change over the window relative to the larger of its ends, summed: > 0 when
// the ties grew. The shared threat follows the relations themselves, not a tie: left out.
double ties_growth(const RelationWindow& c, const Channels& used) {
  const std::size_t i = c.actor, j = c.partner;
  const auto& run = c.view.run;
  double growth = 0.0;
  const auto add = [&](double a, double b) {
    if (std::max(a, b) > 0.0) growth += (b - a) / std::max(a, b);
  };
  const auto two_way = [&](const std::vector<double>& array, std::size_t f) {
    return c.view.pair(array, f, i, j) + c.view.pair(array, f, j, i);
  };
  if (used.trade) add(two_way(run.trade, c.f0), two_way(run.trade, c.f1));
  if (used.energy) add(two_way(run.energy, c.f0), two_way(run.energy, c.f1));
  if (used.finance) add(c.view.pair(run.finance, c.f0, j, i), c.view.pair(run.finance, c.f1, j, i));
  if (used.institutions) {
    const auto shared = [&](std::size_t f) {
      double count = 0.0;
      for (std::size_t k = 0; k < c.view.ni; ++k)
        count += c.view.member(f, i, k) && c.view.member(f, j, k) ? 1.0 : 0.0;
      return count;
    };
    add(shared(c.f0), shared(c.f1));
  }
  return growth;
}

// Third parties both actors are hostile to at the window's end (in the relation's domain, or
// overall): the common adversaries the shared-threat channel counts.
std::string common_adversaries(const RelationWindow& c) {
  std::string list;
  for (std::size_t k = 0; k < c.view.n; ++k) {
    if (k == c.actor || k == c.partner) continue;
    const double a = c.view.relation(c.f1, c.actor, k, c.domain);
    const double b = c.view.relation(c.f1, c.partner, k, c.domain);
    if (a < 0.0 && b < 0.0)
      list += (list.empty() ? "" : ", ") + c.name(k) + " (" + signed_number(a, 2) + ", " +
              signed_number(b, 2) + ")";
  }
  return list;
}

std::string benefit(const RelationWindow& c, double value) {
  const std::size_t i = c.actor, j = c.partner;
  const Channels used = channels_of(c);
  std::string channels;
  for (const auto& [on, name] :
       {std::pair{used.trade, "trade"}, std::pair{used.energy, "gas"},
        std::pair{used.finance, "finance"}, std::pair{used.threat, "shared threats"},
        std::pair{used.institutions, "shared institutions"}})
    if (on) channels += (channels.empty() ? "" : ", ") + std::string(name);
  std::string s =
      channels.empty()
          ? std::string(
                "Benefit: no domain of this relation weighs a material tie (the domains' trade, "
                "energy, threat, finance and institutions weights are all 0), so benefit only "
                "pulls the relation back toward the settled disposition")
          : "Benefit pulls the relation toward what the pair's material ties are worth "
            "compared with the start of the run (" +
                channels +
                "); where the ties have not changed it pulls back toward the settled "
                "disposition";
  const auto& run = c.view.run;
  if (used.trade && any_flow(c, run.trade))
    s += ". " + flow_sentence(c, run.trade, i, j, "Exports of") + " and " + c.name(j) + " to " +
         c.name(i) + " " +
         flow_from_to(c.view.pair(run.trade, c.f0, j, i), c.view.pair(run.trade, c.f1, j, i)) +
         " US$ bn/yr.";
  else if (used.trade)
    s += ". The two do not trade with each other in the model.";
  else
    s += ".";
  if (used.energy) s += gas_sentence(c, j, i) + gas_sentence(c, i, j);
  if (used.finance && any_flow(c, run.finance))
    s.append(" ").append(flow_sentence(c, run.finance, j, i, "Finance from")).append(" US$ bn/yr.");
  // Channels without flows of their own are told only for one domain's relation (the overall
  // relation's account stays about the flows, which carry most of it).
  if (c.domain && used.threat) {
    const std::string adversaries = common_adversaries(c);
    s += adversaries.empty()
             ? " The two share no adversary at the end of the window."
             : " Common adversaries at the end of the window (relations of " + c.name(i) + " and " +
                   c.name(j) + " toward them): " + adversaries + ".";
  }
  if (!used.trade && !used.energy && !used.finance && !used.institutions) {
    s += " It pulled " + direction(value) + ".";
    return s;
  }
  // 5 % of the ties: below that they count as unchanged (GDP growth alone gives ~20 % over ten
  // years, so this only separates "flat" from "moved").
  const double growth = ties_growth(c, used);
  if (std::abs(growth) < 0.05)
    s += " The ties barely changed, so it mostly pulled the relation back " + direction(value) +
         " toward the disposition after other terms had moved it.";
  else if ((growth > 0.0) == (value > 0.0))
    s += std::string(" The ties ") + (growth > 0.0 ? "grew" : "shrank") + " and it pulled " +
         direction(value) + ".";
  else
    // The sizes above are levels; benefit weighs the ties as shares (of the actor's trade, its
    // gas, its economy), which can move the other way when the rest of those moves more.
    s += std::string(" The ties ") + (growth > 0.0 ? "grew" : "shrank") +
         " in US$, yet it pulled " + direction(value) + ": benefit weighs them as shares of " +
         possessive(c.name(i)) +
         " trade, gas and economy, which move the other way when the rest of those moves more, "
         "and it pulls back where other terms had moved the relation " +
         (value < 0.0 ? "above" : "below") + " the level the ties justify.";
  return s;
}

// Pressure on i→j: Σ_k L+[i,k] H[k,j], H[k,j] = max(0, −R[k,j]), averaged over the window's
// start-of-step frames. Names the third party with the largest product.
std::string pressure(const RelationWindow& c) {
  const std::size_t i = c.actor, j = c.partner;
  const auto& run = c.view.run;
  std::string s = "Third-party pressure: an actor that has leverage over " + c.name(i) +
                  " and is hostile to " + c.name(j) + " makes courting " + c.name(j) + " costly.";
  // Each third party's part, Σ over the window's frames of L+[i,k] H[k,j]: pressure is linear in
  // them, so their shares are exact.
  struct Part {
    std::size_t k;
    double product;
  };
  std::vector<Part> parts;
  double total = 0.0;
  for (std::size_t k = 0; k < c.view.n; ++k) {
    if (k == i) continue;
    double product = 0.0;
    for (std::size_t f = c.f0; f < c.f1; ++f)
      product += std::max(0.0, c.view.pair(run.leverage, f, i, k)) *
                 std::max(0.0, -c.view.relation(f, k, j, std::nullopt));
    if (product > 0.0) parts.push_back({k, product});
    total += product;
  }
  if (parts.empty())
    return s + " No third party had leverage over " + c.name(i) + " while hostile to " + c.name(j) +
           ".";
  std::stable_sort(parts.begin(), parts.end(),
                   [](const Part& a, const Part& b) { return a.product > b.product; });
  // The largest part, and the next when it is nearly as large (within a fifth): a near tie is
  // told as one, not as "most of it" from one side of it.
  const std::size_t named = parts.size() > 1 && parts[1].product >= 0.8 * parts[0].product ? 2 : 1;
  double named_share = 0.0;
  std::string who, how;
  for (std::size_t p = 0; p < named; ++p) {
    const std::size_t k = parts[p].k;
    const double share = parts[p].product / total;
    named_share += share;
    who += (p == 0 ? "" : " and ") + c.name(k) + " (" + number(100.0 * share, 0) + " %)";
    how +=
        (p == 0 ? "" : "; ") + possessive(c.name(k)) + " leverage over " + c.name(i) + " went " +
        from_to(c.view.pair(run.leverage, c.f0, i, k), c.view.pair(run.leverage, c.f1, i, k), 4) +
        " and its overall relation toward " + c.name(j) + " " +
        from_to(c.view.relation(c.f0, k, j, std::nullopt),
                c.view.relation(c.f1, k, j, std::nullopt), 3);
  }
  return s + (named_share >= 0.5 ? " Most of it came from " : " The largest part came from ") +
         who + ": " + how + ".";
}

// Reciprocity on i→j pulls each domain's r[i,j,d] toward r[j,i,d]: for the overall relation the
// partner's relations are weighed by the actor's interests, as the term's sum is (the partner's
// own overall relation, by its own interests, showed a gap the term does not see).
std::string reciprocity(const RelationWindow& c, double value) {
  const std::size_t i = c.actor, j = c.partner;
  const RunView& v = c.view;
  const auto back = [&](std::size_t f) {
    if (c.domain) return v.relation(f, j, i, c.domain);
    double sum = 0.0;
    for (std::size_t d = 0; d < v.nd; ++d)
      sum += v.run.interests[i * v.nd + d] * v.relation(f, j, i, d);
    return sum;
  };
  return "Reciprocity: " + c.name(i) + " drifts toward how " + c.name(j) + " treats it. " +
         possessive(c.name(j)) + " relation toward " + c.name(i) +
         (c.domain ? "" : " (weighed by " + possessive(c.name(i)) + " interests)") + " went " +
         from_to(back(c.f0), back(c.f1), 3) + ", " + possessive(c.name(i)) + " toward " +
         c.name(j) + " " +
         from_to(v.relation(c.f0, i, j, c.domain), v.relation(c.f1, i, j, c.domain), 3) +
         ": the gap pulled it " + direction(value) + ".";
}

// Balance on i→j: Σ_k x[i,k] x[k,j] per domain (interest-weighted for the overall relation),
// averaged over the window; names the two third parties that pulled most the way the term went
// (their relations as the window's means, whose product gives the direction), then the largest
// that pulled against it.
std::string balance(const RelationWindow& c, double value) {
  const std::size_t i = c.actor, j = c.partner;
  const RunView& v = c.view;
  struct Triad {
    std::size_t k;
    double product;       // window mean of the (weighted) products
    double to_k, from_k;  // window means of x[i,k] and x[k,j]
  };
  std::vector<Triad> triads;
  const auto frames = static_cast<double>(c.f1 - c.f0);
  for (std::size_t k = 0; k < v.n; ++k) {
    if (k == i || k == j) continue;
    double product = 0.0, to_k = 0.0, from_k = 0.0;
    for (std::size_t f = c.f0; f < c.f1; ++f) {
      to_k += v.relation(f, i, k, c.domain);
      from_k += v.relation(f, k, j, c.domain);
      if (c.domain) {
        product += v.relation(f, i, k, c.domain) * v.relation(f, k, j, c.domain);
      } else {
        for (std::size_t d = 0; d < v.nd; ++d)
          product +=
              v.run.interests[i * v.nd + d] * v.relation(f, i, k, d) * v.relation(f, k, j, d);
      }
    }
    triads.push_back({k, product / frames, to_k / frames, from_k / frames});
  }
  const double sign = value < 0.0 ? -1.0 : 1.0;
  std::stable_sort(triads.begin(), triads.end(), [&](const Triad& a, const Triad& b) {
    return sign * a.product > sign * b.product;  // the way the term went first
  });
  const auto triad_text = [&](const Triad& t) {
    return c.name(t.k) + " (" + c.name(i) + " → " + c.name(t.k) + " " + signed_number(t.to_k, 2) +
           ", " + c.name(t.k) + " → " + c.name(j) + " " + signed_number(t.from_k, 2) + ", pulls " +
           direction(t.product) + ")";
  };
  std::string s =
      "Structural balance: a friend's friend or an enemy's enemy pulls the relation up, a "
      "friend's enemy pulls it down (relations as the window's means).";
  std::size_t named = 0;
  for (const Triad& t : triads) {
    if (named == 2 || !(sign * t.product > 0.0)) break;
    s += (named++ == 0 ? " The strongest pulling " + direction(value) + ": via " : "; via ") +
         triad_text(t);
  }
  // The largest pull the other way, when the term's total hides one.
  if (!triads.empty() && sign * triads.back().product < 0.0)
    s += std::string(named ? "; against them, " : " The strongest triad pulled against it: ") +
         "via " + triad_text(triads.back());
  return s + (triads.empty() ? "" : ".");
}

// Alignment on i→j: i moves toward others' views of j, weighted by W[i,k]: the scenario's
// influence row when it gives one, else i's sensitivity to k.
std::string alignment(const RelationWindow& c) {
  const std::size_t i = c.actor, j = c.partner, n = c.view.n;
  const auto& run = c.view.run;
  const bool given = c.decide != nullptr && c.decide->influence.size() == n * n;
  const auto weight = [&](std::size_t k) {
    return given ? c.decide->influence[i * n + k] : c.view.pair(run.sensitivity, c.f1, i, k);
  };
  std::size_t best = i;
  double best_weight = 0.0;
  for (std::size_t k = 0; k < n; ++k)
    if (k != i && k != j && weight(k) > best_weight) best_weight = weight(k), best = k;
  std::string s = "Alignment: " + c.name(i) + " moves toward the views of " + c.name(j) +
                  " held by the actors it listens to (" +
                  (given ? "the scenario's influence weights" : "those it is most sensitive to") +
                  ").";
  if (best != i)
    s += " The most listened-to is " + c.name(best) + " (" +
         (given ? "influence weight " : "sensitivity ") + number(best_weight, given ? 2 : 4) +
         "), whose relation toward " + c.name(j) + " is " +
         signed_number(c.view.relation(c.f1, best, j, c.domain), 3) + ".";
  return s;
}

std::string anchor(const RelationWindow& c, double value) {
  return "Anchor: the pull back toward " + possessive(c.name(c.actor)) +
         " settled disposition toward " + c.name(c.partner) +
         ", which starts at the initial value " +
         signed_number(c.view.relation(0, c.actor, c.partner, c.domain), 3) +
         " and moves by a share of every impulse; here it pulled " + direction(value) + ".";
}

std::string institutions(const RelationWindow& c) {
  const RunView& v = c.view;
  std::string shared, inert;
  for (std::size_t k = 0; k < v.ni; ++k) {
    std::size_t since = c.f1 + 1;
    for (std::size_t f = c.f0; f <= c.f1; ++f)
      if (v.member(f, c.actor, k) && v.member(f, c.partner, k)) {
        since = f;
        break;
      }
    if (since > c.f1) continue;
    // An institution without conflict_damping damps nothing: said apart.
    if (c.institution_damping != nullptr && !((*c.institution_damping)[k] > 0.0)) {
      inert += (inert.empty() ? "" : ", ") + v.run.institution_labels[k];
      continue;
    }
    shared += (shared.empty() ? "" : ", ") + v.run.institution_labels[k];
    if (since > c.f0) shared += " (from " + year_month(v.run.time[since]) + ")";
  }
  std::string s =
      "Institutions: membership of the same institutions damps a hostile relation toward 0.";
  s += shared.empty() ? " The two share no institution that damps conflict in the window."
                      : " Shared: " + shared + ".";
  if (!inert.empty()) s += " Also shared, without conflict damping: " + inert + ".";
  return s;
}

std::string events(const RelationWindow& c) {
  std::string s =
      "Events: the immediate impulses (Goldstein weight × event scale) of scheduled events "
      "between the two";
  std::string list;
  std::size_t count = 0;
  const auto event_term = c.view.term_index("event");
  for (const auto& e : c.view.run.events) {
    if (e.goldstein == 0.0 || !c.in_window(e.step)) continue;
    // Only an event whose impulse reached this relation: one between the two, in its domains
    // (a security-only pact does not move the culture relation), and not a sanction's on its
    // target's relation (RelationWindow::predicted_impulse); and only where the recorded event
    // term of its step is not 0 (a relation held at ±1 by the clamp).
    if (c.predicted_impulse(e) == 0.0) continue;
    if (event_term && c.view.term(c.view.frame_after_step(e.step), c.actor, c.partner, c.domain,
                                  *event_term) == 0.0)
      continue;
    if (++count > 3) continue;
    list += (list.empty() ? ": " : "; ") + e.label + " (" + year_month(e.time) + ", Goldstein " +
            signed_number(e.goldstein, 1) + (e.cameo.empty() ? "" : ", CAMEO " + e.cameo) + ")";
  }
  if (count > 3) list += "; and " + std::to_string(count - 3) + " more";
  return s + list + ".";
}

}  // namespace

std::string interdependence_term_narrative(const RelationWindow& c, std::string_view term_name,
                                           double value) {
  const std::string term(term_name);
  if (term == "benefit") return benefit(c, value);
  if (term == "reciprocity") return reciprocity(c, value);
  if (term == "pressure") return pressure(c);
  if (term == "balance") return balance(c, value);
  if (term == "alignment") return alignment(c);
  if (term == "anchor") return anchor(c, value);
  if (term == "institutions") return institutions(c);
  if (term == "event") return events(c);
  if (term == "noise")
    return "Noise: random variation drawn from the run's seed (" +
           std::to_string(c.view.run.metadata.seed) +
           "); another seed gives different noise, so this part is not a finding of the scenario.";
  if (term == "clamp")
    return "Clamp: what the bound on the rate of change and the limits of the −1 … +1 scale took "
           "away.";
  return "Term '" + term + "' of the model (see docs/model.md).";
}

}  // namespace interdep
