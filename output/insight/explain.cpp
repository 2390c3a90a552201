#include "output/insight/explain.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "engine/scenario/name_match.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/text/nfc.hpp"
#include "engine/text/text_format.hpp"
#include "models/registry.hpp"
#include "output/insight/explain_context.hpp"

namespace interdep::insight {
namespace {

std::string span_text(const RunFile& run) {
  return number(run.time.front(), 2) + " to " + number(run.time.back(), 2) + " (" +
         year_month(run.time.front()) + " to " + year_month(run.time.back()) + ")";
}

// The frame nearest to `year`; an InputError under `key` when the year lies outside the run.
std::size_t nearest_frame(const RunFile& run, double year, const std::string& key) {
  // Half a step of slack: a year typed as the run's last month is inside it.
  const double slack = 0.5 * run.dt;
  if (!std::isfinite(year) || year < run.time.front() - slack || year > run.time.back() + slack)
    fail_on(run, key,
            number(year, 2) + " is outside the run, which covers " + span_text(run) +
                "; give a year inside that range");
  std::size_t best = 0;
  for (std::size_t f = 1; f < run.frames; ++f)
    if (std::abs(run.time[f] - year) < std::abs(run.time[best] - year)) best = f;
  return best;
}

std::string codes(const std::vector<std::string>& list) { return word_list(list, "", " "); }

// `names`, when given, are the list's entries' names (an actor's "Pakistan" for PAK): a word
// close to a name is answered with its entry.
std::size_t index_of(const RunFile& run, const std::vector<std::string>& list,
                     const std::string& code, const std::string& key, const std::string& what,
                     const std::vector<std::string>& names = {}) {
  for (std::size_t k = 0; k < list.size(); ++k)
    if (same_ignoring_case(list[k], code)) return k;
  std::string message =
      "unknown " + what + " '" + code + "'; this run's " + what + "s are " + codes(list);
  std::string suggestion = closest_match(code, list);
  if (suggestion.empty() && names.size() == list.size()) {
    const std::string name = closest_match(code, names);
    for (std::size_t k = 0; k < names.size() && !name.empty(); ++k)
      if (names[k] == name) {
        suggestion = list[k];
        break;
      }
  }
  if (!suggestion.empty()) message += " (did you mean '" + suggestion + "'?)";
  fail_on(run, key, message);
}

void check_query(const RunFile& run, const ExplainQuery& query) {
  const std::size_t n = run.dims.actors;
  if (!run.has_contributions || run.contributions.empty())
    fail_on(run, "contributions",
            "the file records no decision-term contributions (the run had [output] contributions = "
            "false), so it cannot say why relations moved; rerun with contributions = true");
  if (run.frames < 2) fail_on(run, "time", "the run recorded a single frame: nothing moved");
  if (query.actor >= n || query.partner >= n)
    fail_on(
        run, "--pair",
        "actor index out of range (" + std::to_string(n) + " actors: " + codes(run.actors) + ")");
  if (query.actor == query.partner)
    fail_on(run, "--pair",
            "a relation needs two different actors, got " + run.actors[query.actor] + ":" +
                run.actors[query.partner]);
  if (query.domain && *query.domain >= run.dims.domains)
    fail_on(run, "--domain", "domain index out of range (domains: " + codes(run.domains) + ")");
  if (query.top == 0) fail_on(run, "--top", "must be at least 1");
  assert(run.terms.size() * run.dims.pairs() * run.dims.domains * run.frames ==
         run.contributions.size());
}

std::string title(const ExplainContext& c, const Explanation& e) {
  std::string s = e.actor_name + " → " + e.partner_name + ", ";
  s += c.domain ? e.domain_label + " relation"
                : std::string("overall relation (interest-weighted over the domains)");
  return s + ", " + year_month(e.from_time) + " to " + year_month(e.to_time);
}

// Three decimals, or as many more (up to six) as a `value` that is not 0 needs to show: a
// one-month window's term of +0.00027 read "+0.000".
int decimals_to_show(double value) {
  int decimals = 3;
  while (decimals < 6 && value != 0.0 && std::abs(value) < 0.5 * std::pow(10.0, -decimals))
    ++decimals;
  return decimals;
}

std::string account(const ExplainContext& c, const Explanation& e, const ExplainQuery& q) {
  std::string text = title(c, e) + "\n";
  // The ends and the change to the decimals at which they add up (3, or more for a small change).
  const ShownChange change = shown_change(e.start_value, e.end_value);
  const int decimals = change.decimals;
  std::string moved = "It moved from " + signed_number(e.start_value, decimals) + " to " +
                      signed_number(e.end_value, decimals) + " (" + change.change +
                      ", on the scale −1 hostile … +1 close).";
  const bool snapped = (q.from && std::abs(*q.from - e.from_time) > 1e-9) ||
                       (q.to && std::abs(*q.to - e.to_time) > 1e-9);
  if (snapped) moved += " The window was moved to the nearest recorded frames.";
  if (e.terms.empty())
    moved += c.actor_passive
                 ? " " + c.name(c.actor) +
                       " does not decide (a passive actor): only the impulses of events "
                       "move its relations, and none reached this one in the window."
                 : " No decision term moved it in the window.";
  else
    moved += " Together the decision terms moved it " + number(e.gross_movement, 3) +
             " up and down; the largest:";
  text += wrap(moved, kTextWidth, "  ");
  // The terms' figures to the decimals the largest needs.
  const int term_decimals = decimals_to_show(e.terms.empty() ? 0.0 : e.terms.front().value);
  for (std::size_t k = 0; k < e.terms.size(); ++k) {
    const auto& t = e.terms[k];
    text += "  " + std::to_string(k + 1) + ". " + pad_right(t.term, 13) +
            pad_left(signed_number(t.value, term_decimals),
                     static_cast<std::size_t>(4 + term_decimals)) +
            pad_left(number(100.0 * t.share, 0), 5) + " % of the movement\n";
    text += wrap(t.meaning, kTextWidth, "     ");
  }
  if (e.events.empty() && e.terms.empty()) return text;  // nothing moved it: said above
  if (e.events.empty()) {
    // Events dated before the window that touched either side may still act through what they
    // set (a sanction in force, a flow, a membership, the anchor): named, latest first, so that
    // "the model's own dynamics" is not read as "no event".
    // Events of the window that touched one side only (an impulse from a third party) act
    // through that side's other relations: named too, first (they were left unsaid).
    // Events of the window between the two sides themselves acted on the pair's other relations
    // (another domain, the other direction), not through a third party: named apart.
    std::vector<std::string> earlier, within, between;
    std::size_t count = 0, count_within = 0, count_between = 0;
    const auto& events = c.view.run.events;
    // An event of several targets is a row a target: named once (its rows share their index,
    // label and date).
    std::set<std::tuple<std::int64_t, std::string, double>> named_once;
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      const auto a = c.view.actor_of(it->actor), t = c.view.actor_of(it->target);
      const bool touches = a == c.actor || a == c.partner || t == c.actor || t == c.partner;
      if (!touches || c.view.frame_after_step(it->step) > c.f1) continue;
      if (!named_once.emplace(it->event_index, it->label, it->time).second) continue;
      const std::string named = it->label + " (" + year_month(it->time) + ")";
      const bool pair_only = (a == c.actor || a == c.partner) && (t == c.actor || t == c.partner);
      if (c.view.frame_after_step(it->step) > c.f0) {
        if (pair_only) {
          if (++count_between <= 3) between.insert(between.begin(), named);
        } else if (++count_within <= 3) {
          within.insert(within.begin(), named);
        }
      } else if (++count <= 3) {
        earlier.push_back(named);
      }
    }
    const auto listed = [](const std::vector<std::string>& names, std::size_t all) {
      std::string joined;
      for (std::size_t k = 0; k < names.size(); ++k) joined += (k ? "; " : "") + names[k];
      if (all > names.size()) joined += "; and " + std::to_string(all - names.size()) + " more";
      return joined;
    };
    std::string said =
        "No scheduled event dated in the window acted on this pair: the movement comes from the "
        "model's own dynamics";
    if (!between.empty())
      said +=
          ", from events in the window between the two that acted on their other relations "
          "(another domain or the other direction) and through those on this one: " +
          listed(between, count_between);
    if (!within.empty())
      said += std::string(between.empty() ? "," : ";") +
              " from events in the window that reached one side through a third party and act "
              "through its other relations: " +
              listed(within, count_within);
    if (!earlier.empty())
      said += std::string(within.empty() && between.empty() ? "," : ";") +
              " and from what earlier events set, which may still act (a sanction in force, a "
              "flow, a membership, the anchor): " +
              listed(earlier, count);
    said += ".";
    if (!between.empty() || !within.empty() || !earlier.empty())
      said +=
          " Those that acted on the pair itself are listed, and measured with --measure, by "
          "an earlier --from; what one of the others did is measured by running the scenario "
          "without it (--set events.N.enabled=false) and comparing.";
    text += wrap(said, kTextWidth, "  ");
    return text;
  }
  // The weights share out what the terms pulled (gross, both ways), not the net movement: they
  // need not add up to it, and an event whose effect passed by the window's end may weigh most.
  text += wrap(
      "Events behind it, by weight (each one's share of what the terms pulled after it, "
      "attributed by timing: the weights need not add up to the movement; --measure measures "
      "what each event did):",
      kTextWidth, "  ");
  for (std::size_t k = 0; k < e.events.size(); ++k) {
    const auto& ev = e.events[k];
    std::string line =
        std::to_string(k + 1) + ". " + year_month(ev.time) + "  " + ev.kind + " " + ev.actor;
    if (ev.target != ev.actor) line += " → " + ev.target;
    if (!ev.label.empty()) line += "  \"" + ev.label + "\"";
    if (ev.goldstein != 0.0) {
      line += "  Goldstein " + signed_number(ev.goldstein, 1);
      if (!ev.cameo.empty()) line += " (CAMEO " + ev.cameo + ")";
    }
    text += wrap(line, kTextWidth, "  ", "     ");
    text += wrap("weight " + number(ev.weight, 3) + ": " + ev.channel, kTextWidth, "     ");
  }
  return text;
}

}  // namespace

std::size_t actor_index(const RunFile& run, const std::string& code, const std::string& key) {
  // An actor's name as the file holds it ("Pakistan", "united states") is as clear as its code.
  const std::string wanted = to_nfc(code);
  for (std::size_t k = 0; k < run.actor_names.size() && k < run.actors.size(); ++k)
    if (same_ignoring_case(run.actor_names[k], wanted)) return k;
  return index_of(run, run.actors, code, key, "actor", run.actor_names);
}

std::size_t domain_index(const RunFile& run, const std::string& code, const std::string& key) {
  return index_of(run, run.domains, to_nfc(code), key, "domain");  // the run's names are NFC
}

namespace {

// The run's domains with their benefit channels, its trade parameters, lenders and events, from
// the scenario text the file stores; none when that text no longer loads or no longer matches
// the file's actors and domains (the narratives then name every channel, the event ranking
// takes the default trade parameters and lists no programme).
struct StoredScenario {
  std::vector<DomainSpec> domains;
  FlowParams flows;
  DecideParams decide;
  std::vector<InstitutionSpec> institutions;
  std::vector<LenderSpec> lenders;
  std::vector<EventSpec> events;
  std::vector<bool> passive;  // by actor: one that does not decide
};

std::optional<StoredScenario> stored_scenario(const RunFile& run) {
  try {
    ScenarioSpec scenario = load_scenario_text(
        run.scenario_text, run.path.string() + " (stored scenario)", ".", LoadOptions{{}, false});
    std::vector<bool> passive;
    for (const ActorSpec& a : scenario.actors) passive.push_back(a.passive);
    if (scenario.domains.size() == run.dims.domains && scenario.actors.size() == run.dims.actors)
      return StoredScenario{std::move(scenario.domains), scenario.params.flows,
                            scenario.params.decide,      std::move(scenario.institutions),
                            std::move(scenario.lenders), std::move(scenario.events),
                            std::move(passive)};
  } catch (const std::exception&) {}
  return std::nullopt;
}

Explanation explain_with(const RunFile& run, const ExplainQuery& query,
                         const std::optional<StoredScenario>& stored) {
  check_query(run, query);
  ExplainContext c{{RunView(run), query.actor, query.partner, query.domain, 0, run.frames - 1}, {}};
  // Each recorded institution's conflict damping, by the file's institution order (empty when
  // the stored text does not name them all).
  std::vector<double> damping;
  if (stored)
    for (const std::string& code : run.institutions) {
      const auto it = std::find_if(stored->institutions.begin(), stored->institutions.end(),
                                   [&](const InstitutionSpec& s) { return s.name == code; });
      if (it == stored->institutions.end()) {
        damping.clear();
        break;
      }
      damping.push_back(it->conflict_damping);
    }
  if (damping.size() == run.institutions.size() && !damping.empty())
    c.institution_damping = &damping;
  if (stored) {
    c.domain_specs = &stored->domains;
    c.flows = &stored->flows;
    c.decide = &stored->decide;
    c.actor_passive = stored->passive[query.actor];
    c.lenders = &stored->lenders;
    c.events = &stored->events;
  }
  // "every step (a month)", "every 5 steps (5 weeks)": the run's own clock (it said "every 0
  // months" of a weekly run).
  const auto recording_interval = [](const RunFile& file) {
    const auto every = static_cast<double>(file.record_every);
    return std::string("every ") +
           (file.record_every == 1 ? "step" : std::to_string(file.record_every) + " steps") + " (" +
           duration_text(file.dt * every) + ")";
  };
  if (query.from) c.f0 = nearest_frame(run, *query.from, "--from");
  if (query.to) c.f1 = nearest_frame(run, *query.to, "--to");
  if (c.f1 <= c.f0)
    fail_on(run, query.from ? "--from" : "--to",
            "the window " + year_month(query.from ? *query.from : run.time.front()) + " to " +
                year_month(query.to ? *query.to : run.time.back()) + " (the nearest recorded " +
                "frames: " + year_month(run.time[c.f0]) + " and " + year_month(run.time[c.f1]) +
                ")" + " holds no recorded step (frames are recorded " + recording_interval(run) +
                "); give a later --to or an earlier --from");

  c.term_sums.assign(c.view.nt, 0.0);
  for (std::size_t f = c.f0 + 1; f <= c.f1; ++f)
    for (std::size_t t = 0; t < c.view.nt; ++t)
      c.term_sums[t] += c.view.term(f, c.actor, c.partner, c.domain, t);

  Explanation e;
  e.actor = run.actors[c.actor];
  e.partner = run.actors[c.partner];
  e.actor_name = run.actor_names[c.actor];
  e.partner_name = run.actor_names[c.partner];
  if (c.domain) {
    e.domain = run.domains[*c.domain];
    e.domain_label = run.domain_labels[*c.domain];
  }
  e.from_time = run.time[c.f0];
  e.to_time = run.time[c.f1];
  e.start_value = c.view.relation(c.f0, c.actor, c.partner, c.domain);
  e.end_value = c.view.relation(c.f1, c.actor, c.partner, c.domain);
  e.gross_movement = 0.0;
  for (const double v : c.term_sums) e.gross_movement += std::abs(v);

  std::vector<std::size_t> order(c.view.nt);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::abs(c.term_sums[a]) > std::abs(c.term_sums[b]);
  });
  // The model that made the run tells what its terms mean (models/registry.hpp).
  const TermNarrator narrate = term_narrator(run.metadata.model);
  for (const std::size_t t : order) {
    if (e.terms.size() == query.top || c.term_sums[t] == 0.0)
      break;  // a term that did nothing says nothing
    TermShare share;
    share.term = run.terms[t];
    share.value = c.term_sums[t];
    share.share = e.gross_movement > 0.0 ? std::abs(share.value) / e.gross_movement : 0.0;
    share.meaning = narrate(c, share.term, share.value);
    e.terms.push_back(std::move(share));
  }
  e.events = rank_events(c);
  if (e.events.size() > query.top) e.events.resize(query.top);
  e.text = account(c, e, query);
  return e;
}

}  // namespace

Explanation explain(const RunFile& run, const ExplainQuery& query) {
  return explain_with(run, query, stored_scenario(run));
}

std::vector<Explanation> explain_largest_moves(const RunFile& run, std::size_t count) {
  const std::size_t n = run.dims.actors, last = run.frames == 0 ? 0 : run.frames - 1;
  struct Move {
    std::size_t i, j;
    double size;
  };
  // How far each relation got from where it started, at any recorded frame: a relation that rose
  // and fell back moved, though it ends near its start (the gas-cutoff lesson's Pakistan →
  // Russia); ties: the larger change start to end, then actor order.
  std::vector<Move> moves;
  std::vector<double> net;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      const double start = run.relation_overall[i * n + j];
      double farthest = 0.0;
      for (std::size_t f = 1; f <= last; ++f)
        farthest = std::max(farthest, std::abs(run.relation_overall[(f * n + i) * n + j] - start));
      moves.push_back({i, j, farthest});
      net.push_back(std::abs(run.relation_overall[(last * n + i) * n + j] - start));
    }
  std::vector<std::size_t> order(moves.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return moves[a].size != moves[b].size ? moves[a].size > moves[b].size : net[a] > net[b];
  });
  std::vector<Move> ranked;
  for (const std::size_t k : order) ranked.push_back(moves[k]);
  moves = std::move(ranked);
  if (moves.size() > count) moves.resize(count);
  const std::optional<StoredScenario> stored = stored_scenario(run);  // parsed once
  std::vector<Explanation> explanations;
  for (const auto& m : moves) {
    ExplainQuery query;
    query.actor = m.i;
    query.partner = m.j;
    explanations.push_back(explain_with(run, query, stored));
  }
  return explanations;
}

}  // namespace interdep::insight
