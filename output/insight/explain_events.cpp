// Which events acted on a pair in a window, through which channel, and how much of the
// relation's movement each accounts for (the ranking documented in explain.hpp).
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "engine/text/text_format.hpp"
#include "output/insight/explain_context.hpp"

namespace interdep::insight {
namespace {

bool is_flow_kind(const std::string& kind) {
  return kind == "sanction" || kind == "lift_sanction" || kind == "energy_link" ||
         kind == "corridor" || kind == "finance" || kind == "trade_cost";
}

// Kinds that set a flow's level at once, either way (a finance event's amounts): their
// direction and size are what the flow did over the event's own step, since the flow's path to
// the window's end carries growth too (a cut of aid read as a rise of finance from 4.05 to 4.82
// US$ bn/yr by 2035). A trade_cost's tariff is not one: trade follows it over years (a 50 %
// tariff moved US–China trade 598 → 579 in its step, → 238 three years on).
bool sets_flow_at_once(const std::string& kind) { return kind == "finance"; }

// A sanction's type, recorded in /events/sanction_type (the reader takes it from the detail's
// words in older files, "trade" when there are none).
std::string sanction_type(const RunEvent& e) {
  if (e.kind != "sanction") return "";
  return e.sanction_type.empty() ? "trade" : e.sanction_type;
}

// The types of the sanctions a `lift_sanction` clears: its sender's on its target since the last
// lifting before it (docs/model.md §7.2: a lifting clears all of them). The events are in the
// order they were applied.
std::set<std::string> lifted_types(const std::vector<RunEvent>& events, const RunEvent& lift) {
  std::set<std::string> types;
  for (const RunEvent& s : events) {
    if (&s == &lift) break;
    if (s.actor != lift.actor || s.target != lift.target) continue;
    if (s.kind == "lift_sanction") types.clear();
    if (s.kind == "sanction") types.insert(sanction_type(s));
  }
  return types;
}

// The lifting that cleared sanction `e` (its sender's next `lift_sanction` on its target), if any.
const RunEvent* lifting_of(const std::vector<RunEvent>& events, const RunEvent& e) {
  bool after = false;
  for (const RunEvent& l : events) {
    if (after && l.kind == "lift_sanction" && l.actor == e.actor && l.target == e.target) return &l;
    after = after || &l == &e;
  }
  return nullptr;
}

// Relative change of the pair's two-way flow in `array` from frame `before` to the window end:
// (after − before) / max(after, before), −1..1 (0 when the pair has no such flow).
// (after − before) / max(after, before), −1..1 (0 when both are 0).
double change_of_larger(double before, double after) {
  const double scale = std::max(before, after);
  return scale > 0.0 ? (after - before) / scale : 0.0;
}

// From frame `before` to frame `end` (the window's end, or the frame after an event's step).
double relative_change(const ExplainContext& c, const std::vector<double>& array,
                       std::size_t before, std::size_t end) {
  const std::size_t i = c.actor, j = c.partner;
  return change_of_larger(c.view.pair(array, before, i, j) + c.view.pair(array, before, j, i),
                          c.view.pair(array, end, i, j) + c.view.pair(array, end, j, i));
}

// The direction of the pair's trade a one-way trade sanction of `sender` on `target` moves
// (/events/detail "trade, exports, …": the sender's exports to the target; "trade, imports, …":
// its imports from it), as (from, to); nothing for one on both directions or of another type.
std::optional<std::pair<std::size_t, std::size_t>> one_way_trade(const RunEvent& e,
                                                                 std::size_t sender,
                                                                 std::size_t target) {
  if (sanction_type(e) != "trade") return std::nullopt;
  if (e.detail.rfind("trade, exports,", 0) == 0) return std::pair{sender, target};
  if (e.detail.rfind("trade, imports,", 0) == 0) return std::pair{target, sender};
  return std::nullopt;
}

// The part of a relative flow change an event of `kind` can have caused: a sanction only cuts
// flows, a lifted sanction only restores them; links and routes can do either.
double attributable(const std::string& kind, double change) {
  if (kind == "sanction") return std::max(0.0, -change);
  if (kind == "lift_sanction") return std::max(0.0, change);
  return std::abs(change);
}

// How a flow's change is dated: to the window's end ("by 2027-01"), over the event's own step
// ("over the event's step, to 2026-03"), or up to the lifting of a sanction ("until it was
// lifted, 2026-05"); `lifted` says the last.
std::string until_text(const ExplainContext& c, std::size_t end, bool lifted) {
  return std::string(lifted        ? " until it was lifted in "
                     : end == c.f1 ? " by "
                                   : " over the event's step, to ") +
         year_month(c.view.run.time[end]);
}

std::string flow_change_text(const ExplainContext& c, const std::vector<double>& array,
                             std::size_t before, std::size_t end, const std::string& what,
                             const std::string& unit, bool lifted = false) {
  const std::size_t i = c.actor, j = c.partner;
  const double a = c.view.pair(array, before, i, j) + c.view.pair(array, before, j, i);
  const double b = c.view.pair(array, end, i, j) + c.view.pair(array, end, j, i);
  return what + " " + number(a, 2) + " → " + number(b, 2) + " " + unit + until_text(c, end, lifted);
}

// The same for the one flow from actor `from` to actor `to` ("finance from Russia to Pakistan").
std::string directed_change_text(const ExplainContext& c, const std::vector<double>& array,
                                 std::size_t before, std::size_t end, std::size_t from,
                                 std::size_t to, const std::string& what, const std::string& unit,
                                 bool lifted = false) {
  return what + " from " + c.name(from) + " to " + c.name(to) + " " +
         number(c.view.pair(array, before, from, to), 2) + " → " +
         number(c.view.pair(array, end, from, to), 2) + " " + unit + until_text(c, end, lifted);
}

// Two-way trade of actors a and b at frame f [US$ bn/yr].
double pair_trade(const RunView& v, std::size_t f, std::size_t a, std::size_t b) {
  return v.pair(v.run.trade, f, a, b) + v.pair(v.run.trade, f, b, a);
}

// Actor a's trade with the other actors at frame f, leaving out b [US$ bn/yr].
double trade_without(const RunView& v, std::size_t f, std::size_t a, std::size_t b) {
  double total = 0.0;
  for (std::size_t k = 0; k < v.n; ++k)
    if (k != a && k != b) total += pair_trade(v, f, a, k);
  return total;
}

// How a trade sanction of s on t, or its lifting, reaches the trade of the pair {i, j}
// (docs/model.md §7.2.1 and §7.2.2); one side at least is s or t:
//  - direct: s and t are the pair; the wedge is on the pair's own trade;
//  - secondary: t is one side and s a third party whose sanction has a secondary part: the other
//    side pays φ · TS[side, s] · Q[s, t] on its trade with t; that wedge cuts the pair's trade by
//    at most 1 − (1 + φ TS Q)^−θ (TS from the side's trade with the actors, an upper bound, as
//    the rest of the world is left out);
//  - diversion (structural gravity only): the s–t trade the sanction cuts goes partly to the
//    side's other partners, the pair included: it raises the pair's trade (a lifting lowers it).
//    How much is not in the file: the share of the s–t trade lost in the side's trade with its
//    other partners says how large the diverted trade can be.
struct TradeReach {
  bool direct = false;
  bool secondary = false;
  double secondary_cap = 0.0;  // 0..1
  bool diversion = false;
  double diversion_share = 0.0;  // the s–t trade lost over the side's other trade, 0..1
};

TradeReach trade_reach(const ExplainContext& c, const RunEvent& e, std::size_t s, std::size_t t,
                       double secondary, std::size_t before) {
  const RunView& v = c.view;
  const std::size_t i = c.actor, j = c.partner;
  const FlowParams defaults;
  const FlowParams& fp = c.flows != nullptr ? *c.flows : defaults;
  TradeReach r;
  if ((s == i && t == j) || (s == j && t == i)) {
    r.direct = true;
    return r;
  }
  const bool lift = e.kind == "lift_sanction";
  if (secondary > 0.0 && (t == i || t == j) && s != i && s != j) {
    const std::size_t side = t == i ? j : i;  // the third country that pays
    const double own = pair_trade(v, before, side, s),
                 total = own + trade_without(v, before, side, s);
    const double wedge = fp.secondary_exposure * (total > 0.0 ? own / total : 0.0) * secondary;
    r.secondary = wedge > 0.0;
    r.secondary_cap = 1.0 - std::pow(1.0 + wedge, -fp.trade_cost_elasticity);
  }
  if (fp.gravity == Gravity::structural) {
    const std::size_t side = s == i || s == j ? s : t;  // the pair's side in {s, t}
    const std::size_t other = side == s ? t : s;
    const double moved = pair_trade(v, before, s, t) - pair_trade(v, c.f1, s, t);
    const double lost = lift ? -moved : moved;  // a lifting diverts back what it restores
    const double rest = trade_without(v, before, side, other);
    r.diversion = true;
    r.diversion_share = rest > 0.0 ? std::clamp(lost / rest, 0.0, 1.0) : 0.0;
  }
  return r;
}

// The secondary-sanction scale of a trade sanction; for a lifting, that of the sender's latest
// sanction on the same target before it (a lifting clears the secondary part too).
double secondary_of(const std::vector<RunEvent>& events, const RunEvent& e) {
  if (e.kind == "sanction") return sanction_type(e) == "trade" ? e.secondary : 0.0;
  double secondary = 0.0;
  for (const auto& s : events)
    if (s.kind == "sanction" && s.step <= e.step && s.actor == e.actor && s.target == e.target &&
        sanction_type(s) == "trade")
      secondary = s.secondary;
  return secondary;
}

struct Candidate {
  EventCause cause;
  std::optional<std::size_t> institution_index;  // the institution an admission or join shares
  double impulse = 0.0;      // |relation change| of the impulse itself [relation units]
  double flow_change = 0.0;  // 0..1, relative change of the pair's flows that followed
  double direction = 0.0;    // +1: those flows (the ties) rose, -1: they fell
  std::size_t before = 0;    // the frame before the event: its benefit share is of the pull after
  bool institution = false;  // an admission that made the pair co-members
  double benefit = 0.0;      // |benefit term| summed after the event, when it pulled its way
};

}  // namespace

std::vector<EventCause> rank_events(const ExplainContext& c) {
  const RunView& v = c.view;
  const auto& run = v.run;
  const std::size_t i = c.actor, j = c.partner;
  const auto event_term = v.term_index("event");
  auto in_pair = [&](const std::optional<std::size_t>& a) { return a == i || a == j; };

  // The impulses on the relation by the frame whose increments hold them: their predicted sum,
  // against which the frame's recorded `event` increment scales each (below 1 where the clamp
  // at ±1 took part of it).
  std::map<std::size_t, double> predicted_per_frame;
  for (const auto& e : run.events)
    if (c.in_window(e.step))
      predicted_per_frame[v.frame_after_step(e.step)] += c.predicted_impulse(e);

  std::vector<Candidate> candidates;
  for (const auto& e : run.events) {
    if (!c.in_window(e.step)) continue;
    const auto a = v.actor_of(e.actor), t = v.actor_of(e.target);
    Candidate k;
    k.cause = EventCause{e.time,      e.kind, e.label, e.actor, e.target,
                         e.goldstein, "",     0.0,     e.cameo, e.event_index};
    std::string channel;
    const double predicted = c.predicted_impulse(e);
    if (predicted != 0.0 && event_term) {
      const std::size_t f = v.frame_after_step(e.step);
      const double all = predicted_per_frame[f];
      const double scale =
          all != 0.0 ? std::clamp(v.term(f, i, j, c.domain, *event_term) / all, 0.0, 1.0) : 1.0;
      const double impulse = predicted * scale;
      k.impulse = std::abs(impulse);
      if (k.impulse > 0.0)
        channel = "immediate impulse on this relation (" + signed_number(impulse, 3) + ")";
    }
    // A finance event moves one flow, its sender's to its target (docs/model.md §7.2.1): it
    // acts on this pair's flows only when it is between the two. The others reach third
    // parties' flows too: through trade costs (sanctions, routes) and gas competition.
    // A financial sanction blocks finance between the two only (no secondary reach: model.md);
    // an arms, travel or other sanction carries its impulse only.
    // A lifting moves what the sanctions it clears had moved: trade, finance, both or neither.
    const std::set<std::string> types = e.kind == "lift_sanction" ? lifted_types(run.events, e)
                                        : e.kind == "sanction"    ? std::set{sanction_type(e)}
                                                                  : std::set<std::string>{};
    const bool sanction_kind = e.kind == "sanction" || e.kind == "lift_sanction";
    const bool moves_finance = e.kind == "finance" || types.count("financial") > 0;
    const bool moves_trade =
        sanction_kind ? types.count("trade") > 0 : e.kind != "finance" && e.kind != "energy_link";
    const bool finance_event = moves_finance && !moves_trade;  // finance alone
    const bool impulse_only = sanction_kind && !moves_trade && !moves_finance;
    const bool between = in_pair(a) && in_pair(t);
    if (is_flow_kind(e.kind) && !impulse_only &&
        (finance_event ? between : in_pair(a) || in_pair(t) || e.kind == "corridor")) {
      const std::size_t before = v.frame_before_step(e.step);
      // A sanction lifted inside the window is measured up to its lifting: what the flows did
      // after is the lifting's (a financial block undone read as finance that grew).
      const RunEvent* lifting = e.kind == "sanction" ? lifting_of(run.events, e) : nullptr;
      const bool lifted = lifting != nullptr && c.in_window(lifting->step);
      const std::size_t end = sets_flow_at_once(e.kind) ? std::min(c.f1, v.frame_after_step(e.step))
                              : lifted
                                  ? std::min(c.f1, std::max(v.frame_after_step(e.step),
                                                            v.frame_before_step(lifting->step)))
                                  : c.f1;
      // Flows count only through the benefit channels this relation uses (a security relation
      // that follows shared threats is not moved by the pair's gas).
      // Each kind through the flows it moves: sanctions and routes through trade costs, a gas
      // link through gas (docs/model.md §7.2).
      const bool gas_event = e.kind == "energy_link";
      double trade = moves_trade && c.uses_channel(&DomainSpec::trade)
                         ? relative_change(c, run.trade, before, end)
                         : 0.0;
      const double gas = gas_event && c.uses_channel(&DomainSpec::energy)
                             ? relative_change(c, run.energy, before, end)
                             : 0.0;
      // Benefit counts the finance i receives from j (docs/model.md §7.3): the flow j → i. One
      // from i to j moves j's relation toward i instead (said, with weight 0).
      double finance = 0.0;
      bool finance_other_way = false;
      if (moves_finance && between && c.uses_channel(&DomainSpec::finance)) {
        finance =
            change_of_larger(v.pair(run.finance, before, j, i), v.pair(run.finance, end, j, i));
        finance_other_way =
            finance == 0.0 && v.pair(run.finance, before, i, j) != v.pair(run.finance, end, i, j);
      }
      // A trade sanction or its lifting reaches the pair's trade directly, through its
      // secondary part or by diversion, each with its own direction and reach (trade_reach).
      std::string why = e.kind == "energy_link" ? "gas link"
                        : e.kind == "corridor"  ? "transport routes"
                        : e.kind == "finance"   ? "finance"
                        : finance_event
                            ? (e.kind == "lift_sanction" ? "finance unblocked" : "blocked finance")
                        : e.kind == "trade_cost" ? "trade costs set between them"
                                                 : "trade costs";
      std::string against;  // why the event accounts for none of the flows' change, if so
      std::optional<std::pair<std::size_t, std::size_t>> directed;  // a one-way sanction's flow
      double trade_credit = attributable(e.kind, trade);
      bool trade_reached = trade != 0.0;
      if (sanction_kind && moves_trade && trade != 0.0 && a && t) {
        const TradeReach r = trade_reach(c, e, *a, *t, secondary_of(run.events, e), before);
        const bool lift = e.kind == "lift_sanction";
        const std::string sender = c.name(*a), target = c.name(*t);
        if (r.direct) {
          why = "trade costs of the pair's own trade";
          // One direction sanctioned: that flow is what it moves (the other may grow).
          directed = one_way_trade(e, *a, *t);
          if (directed) {
            trade = change_of_larger(v.pair(run.trade, before, directed->first, directed->second),
                                     v.pair(run.trade, end, directed->first, directed->second));
            trade_credit = attributable(e.kind, trade);
            why = "trade costs of " + possessive(c.name(directed->first)) + " exports to " +
                  c.name(directed->second);
          }
        } else {
          // Only the secondary part's cut is credited, up to its reach; diversion is named but
          // not weighted: its size is not in the file (a run without the event measures it).
          trade_credit = r.secondary ? std::min(attributable(e.kind, trade), r.secondary_cap) : 0.0;
          trade_reached = r.secondary || r.diversion;
          const std::size_t side = *t == i || *t == j ? *t : *a;  // the pair's side in {a, t}
          const std::string third = c.name(side == i ? j : i);
          const std::string diverted = "the " + sender + "–" + target + " trade it " +
                                       (lift ? "restores" : "cuts") + " (" +
                                       number(100.0 * r.diversion_share, 0) + " % of " +
                                       c.name(side) + "'s trade with its other partners) " +
                                       (lift ? "comes partly from them, which lowers"
                                             : "goes partly to them, which raises") +
                                       " the pair's trade";
          if (r.secondary) {
            why = "trade costs through its secondary part (" + third + " pays on its trade with " +
                  target + " in proportion to its trade with " + sender + ": at most " +
                  number(100.0 * r.secondary_cap, 1) + " % " + (lift ? "restored" : "cut") + ")";
            if (r.diversion) why += "; and trade diversion, not weighted: " + diverted;
          } else if (r.diversion) {
            why =
                "trade diversion only (no sanction on the pair's own trade, no secondary part): " +
                diverted;
            const bool moved_with = lift ? trade < 0.0 : trade > 0.0;
            against = moved_with ? " (how much of this change is diversion is not measured here, "
                                   "so it is given no weight; compare with a run without the "
                                   "event to measure it)"
                                 : std::string(" (the pair's trade ") + (lift ? "rose" : "fell") +
                                       ", which diversion does not explain: weight 0)";
          }
        }
      }
      // A corridor event that leaves this pair's cheapest route as it was reaches its trade only
      // through the other pairs' (structural gravity): named, not weighted, as diversion is.
      if (e.kind == "corridor" && trade != 0.0 && run.network.present &&
          run.network.route_cost.size() >= (c.f1 + 1) * v.n * v.n) {
        const std::size_t after = v.frame_after_step(e.step);
        if (v.pair(run.network.route_cost, before, i, j) ==
            v.pair(run.network.route_cost, after, i, j)) {
          why = "transport routes of other pairs (this pair's route is unchanged)";
          trade_credit = 0.0;
          against =
              " (what reaches the pair's trade through the other pairs' routes is not measured "
              "here, so it is given no weight; --measure measures it)";
        }
      }
      // A trade_cost event on one side of the pair and a third party reaches the pair's trade
      // only through the other pairs' (structural gravity): named, not weighted.
      if (e.kind == "trade_cost" && trade != 0.0 && a && t && !(in_pair(a) && in_pair(t))) {
        why = "trade costs of " + c.name(in_pair(a) ? *t : *a) + "'s trade with " +
              c.name(in_pair(a) ? *a : *t) + " (not this pair's)";
        trade_credit = 0.0;
        against =
            " (what reaches the pair's trade through the other pairs' is not measured here, so "
            "it is given no weight; --measure measures it)";
      }
      if (!trade_reached) trade_credit = 0.0;
      const double reached_trade = trade_reached ? trade : 0.0;
      k.flow_change =
          std::min(1.0, trade_credit + attributable(e.kind, gas) + attributable(e.kind, finance));
      k.direction = reached_trade + gas + finance < 0.0 ? -1.0 : 1.0;  // one kind of flow each
      k.before = before;
      if (reached_trade != 0.0 || gas != 0.0 || finance != 0.0) {
        std::string flows;
        if (reached_trade != 0.0 && directed)
          flows = "that flow " +
                  number(v.pair(run.trade, before, directed->first, directed->second), 2) + " → " +
                  number(v.pair(run.trade, end, directed->first, directed->second), 2) +
                  " US$ bn/yr" + until_text(c, end, lifted);
        else if (reached_trade != 0.0)
          flows =
              flow_change_text(c, run.trade, before, end, "the pair's trade", "US$ bn/yr", lifted);
        if (gas != 0.0)
          flows += (flows.empty() ? "" : ", ") +
                   flow_change_text(c, run.energy, before, end, "the pair's gas", "bcm/yr");
        if (finance != 0.0)
          flows +=
              (flows.empty() ? "" : ", ") + directed_change_text(c, run.finance, before, end, j, i,
                                                                 "finance", "US$ bn/yr", lifted);
        // A lifting of trade and financial sanctions at once moves both.
        if (moves_trade && finance != 0.0)
          why += e.kind == "lift_sanction" ? " and finance unblocked" : " and blocked finance";
        channel += (channel.empty() ? "" : "; and ") + why + ", through benefit: " + flows;
        if (k.flow_change == 0.0)
          channel += !against.empty()
                         ? against
                         : " (the flows moved against the event's direction: other forces such as "
                           "growth outweighed it here; compare with a baseline run to see its "
                           "effect)";
      }
      if (finance_other_way)
        channel += (channel.empty() ? "" : "; and ") + why + ": " +
                   directed_change_text(c, run.finance, before, end, i, j, "finance", "US$ bn/yr",
                                        lifted) +
                   ", which benefit counts in " + possessive(c.name(j)) + " relation toward " +
                   c.name(i) + " (explain --pair " + run.actors[j] + ":" + run.actors[i] +
                   "), not in this one: weight 0";
    }
    // A lender's programme for i is credited to the shareholders whose votes block it alone
    // (docs/model.md §7.3.2): it moves i's benefit toward such a partner through the finance
    // channel; a partner whose votes block only with others gains leverage over i, not warmth.
    if (e.kind == "programme" && a == i && c.lenders != nullptr && c.events != nullptr &&
        e.event_index >= 0 && static_cast<std::size_t>(e.event_index) < c.events->size() &&
        c.uses_channel(&DomainSpec::finance)) {
      const EventSpec& spec = (*c.events)[static_cast<std::size_t>(e.event_index)];
      // (A stored text that no longer matches the file's actors is not used: explain.cpp.)
      if (spec.kind == EventKind::programme && spec.lender < c.lenders->size() &&
          j < (*c.lenders)[spec.lender].votes.size()) {
        const LenderSpec& lender = (*c.lenders)[spec.lender];
        const double votes = lender.votes[j];
        const std::size_t before = v.frame_before_step(e.step);
        const double programmes_before = run.programme_finance[before * v.n + i],
                     programmes_after = run.programme_finance[c.f1 * v.n + i];
        const std::string share = number(100.0 * votes, 1) + " % of " + lender.name + "'s votes";
        if (lender.blocks_alone(j)) {
          // What j gives i, bilateral finance and i's programmes, before and at the window's end
          // (the finance the programme keeps flowing is not recorded: left out).
          const double change =
              change_of_larger(v.pair(run.finance, before, j, i) + programmes_before,
                               v.pair(run.finance, c.f1, j, i) + programmes_after);
          k.flow_change = std::abs(change);
          k.direction = change < 0.0 ? -1.0 : 1.0;
          k.before = before;
          channel = "programme credited to " + c.name(j) + ", which can block it alone (" + share +
                    "), through benefit: " + c.name(i) + "'s programmes " +
                    number(programmes_before, 2) + " → " + number(programmes_after, 2) +
                    " US$ bn/yr by " + year_month(run.time[c.f1]);
        } else if (votes > 0.0) {
          channel = c.name(j) + " can block the programme only with others (" + share +
                    "): it adds to " + c.name(j) + "'s leverage over " + c.name(i) +
                    ", not to the benefit";
        }
      }
    }
    // A `join` or `leave` by one side of an institution the other belongs to makes the pair
    // co-members or ends it. A join counts as an admission does (a full change of the shared
    // institutions benefit counts, and a share of the damping, institutions); a leave as ties
    // that fell (its detail names the institution by its code).
    if ((e.kind == "join" || e.kind == "leave") && in_pair(a) &&
        c.uses_channel(&DomainSpec::institutions)) {
      std::size_t institution = 0;
      while (institution < v.ni && run.institutions[institution] != e.detail) ++institution;
      const std::size_t other = *a == i ? j : i;
      const std::size_t before = v.frame_before_step(e.step), after = v.frame_after_step(e.step);
      const auto shared = [&](std::size_t f) {
        return v.member(f, *a, institution) && v.member(f, other, institution);
      };
      if (institution < v.ni && shared(before) != shared(after)) {
        const bool joined = shared(after);
        channel = std::string(joined ? "shared membership begins" : "shared membership ends") +
                  ": " + c.name(*a) + (joined ? " joins " : " leaves ") +
                  run.institution_labels[institution] + ", which " + c.name(other) + " belongs to" +
                  (joined ? " (it damps hostility, institutions, and adds to the ties benefit "
                            "counts)"
                          : " (the ties benefit counts fall)");
        k.institution = joined;
        k.institution_index = institution;
        k.flow_change = joined ? 0.0 : 1.0;
        k.direction = joined ? 1.0 : -1.0;
        k.before = before;
      }
    }
    if (e.kind == "apply" && in_pair(a)) {
      std::size_t decided = 0;
      std::string admitted;
      for (const auto& d : run.admissions)
        if (d.applicant == e.actor &&
            c.in_window(d.step)) {  // the event row does not name the institution
          if (d.admitted)
            admitted = d.institution + " admitted " + d.applicant + " " + year_month(d.time);
          ++decided;
        }
      channel = "application (no impulse; it acts only once admitted): " +
                (admitted.empty() ? "decided at " + std::to_string(decided) +
                                        " summits in the window, not admitted"
                                  : admitted);
    }
    if (channel.empty()) continue;  // did not act on this relation
    k.cause.channel = channel;
    candidates.push_back(std::move(k));
  }

  // Admissions that made the pair co-members.
  for (const auto& d : run.admissions) {
    if (!d.admitted || !c.in_window(d.step)) continue;
    const auto applicant = v.actor_of(d.applicant);
    if (!in_pair(applicant)) continue;
    const std::size_t other = applicant == i ? j : i;
    std::size_t institution = 0;
    while (institution < v.ni && run.institutions[institution] != d.institution) ++institution;
    if (institution == v.ni || !v.member(c.f1, other, institution)) continue;
    Candidate k;
    k.cause =
        EventCause{d.time,
                   "admission",
                   run.institution_labels[institution] + " admits " + v.run.actor_names[*applicant],
                   d.applicant,
                   d.applicant,
                   0.0,
                   "",
                   0.0,
                   ""};
    k.cause.channel =
        "shared membership: damps hostility (institutions) and adds an institution channel to "
        "benefit";
    k.institution = true;
    k.institution_index = institution;
    k.direction = 1.0;  // a shared institution adds to the ties
    k.before = v.frame_before_step(d.step);
    candidates.push_back(std::move(k));
  }

  // Benefit pulls toward what the ties are worth: ties that fell pull the relation down, ties
  // that rose pull it up. An event is credited with a share of benefit's pull after it only when
  // that pull went the way its flows did: else other terms (an impulse, pressure) had moved the
  // relation past what the ties justify, benefit pulled it back, and the event accounts for
  // none of that pull (a run without it measures what it did).
  const auto benefit_term = v.term_index("benefit");
  const auto benefit_after = [&](std::size_t before) {
    double sum = 0.0;
    if (benefit_term)
      for (std::size_t f = std::max(before, c.f0) + 1; f <= c.f1; ++f)
        sum += v.term(f, c.actor, c.partner, c.domain, *benefit_term);
    return sum;
  };
  for (Candidate& k : candidates) {
    if (k.flow_change == 0.0 && !k.institution) continue;
    const double pull = benefit_after(k.before);
    k.benefit = std::abs(pull);
    if (k.direction * pull >= 0.0) continue;
    if (k.institution) {
      k.benefit = 0.0;  // its damping share (institutions) stays
      continue;
    }
    k.flow_change = 0.0;
    const bool fell = k.direction < 0.0;
    k.cause.channel += std::string(" (the ties ") + (fell ? "fell" : "rose") +
                       ", which moves what benefit pulls toward " + (fell ? "down" : "up") +
                       "; yet benefit pulled the relation " + (pull > 0.0 ? "up" : "down") +
                       " after it, as other terms had moved the relation " +
                       (pull > 0.0 ? "below" : "above") +
                       " what its ties are worth: how much the event held that pull back is not "
                       "in the file, so its flows get weight 0; a run without it measures it)";
  }

  // A new shared membership is credited with the damping (institutions) after it that is its
  // own: at each frame, its conflict_damping's share of the pair's shared institutions' (Γ_ij,
  // docs/model.md §7.4.1), so that an institution the pair shared before keeps its part (each
  // counts alike when the stored text does not give them).
  const auto institutions_term = v.term_index("institutions");
  const auto damping_after = [&](const Candidate& k) {
    if (!institutions_term || !k.institution_index) return 0.0;
    double sum = 0.0;
    for (std::size_t f = std::max(k.before, c.f0) + 1; f <= c.f1; ++f) {
      double all = 0.0, own = 0.0;
      for (std::size_t l = 0; l < v.ni; ++l) {
        if (!v.member(f, i, l) || !v.member(f, j, l)) continue;
        const double gamma = c.institution_damping != nullptr ? (*c.institution_damping)[l] : 1.0;
        all += gamma;
        if (l == *k.institution_index) own = gamma;
      }
      if (all > 0.0) sum += v.term(f, i, j, c.domain, *institutions_term) * own / all;
    }
    return std::abs(sum);
  };
  // Benefit's pull after each event is split between the flow changes and new shared memberships
  // that went its way (a new membership counts as a full change of its channel, 1).
  double channel_total = 0.0;
  for (const auto& k : candidates)
    channel_total += k.flow_change + (k.institution && k.benefit > 0.0 ? 1.0 : 0.0);
  std::vector<EventCause> causes;
  for (auto& k : candidates) {
    const double channel_share = (k.flow_change + (k.institution && k.benefit > 0.0 ? 1.0 : 0.0)) /
                                 std::max(1.0, channel_total);
    k.cause.weight =
        k.impulse + k.benefit * channel_share + (k.institution ? damping_after(k) : 0.0);
    causes.push_back(std::move(k.cause));
  }
  std::stable_sort(causes.begin(), causes.end(),
                   [](const EventCause& a, const EventCause& b) { return a.weight > b.weight; });
  return causes;
}

}  // namespace interdep::insight
