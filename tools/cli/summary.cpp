#include "tools/cli/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "engine/network/balance_camps.hpp"
#include "engine/scenario/enum_names.hpp"
#include "engine/scenario/name_match.hpp"
#include "engine/scenario/observed_table.hpp"
#include "engine/text/text_format.hpp"

namespace interdep {
namespace {

std::string fixed(double v, int decimals = 2) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  return buffer;
}

std::string signed_fixed(double v, int decimals = 2) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%+.*f", decimals, v);
  return buffer;
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.insert(0, width - s.size(), ' ');
  return s;
}

std::string members_at(const RunFile& run, std::size_t frame, std::size_t k) {
  const std::size_t n = run.dims.actors, inst = run.dims.institutions;
  std::string s;
  for (std::size_t i = 0; i < n; ++i)
    if (run.membership[frame * n * inst + i * inst + k])
      s += (s.empty() ? "" : " ") + run.actors[i];
  return s.empty() ? "(none)" : s;
}

// The frames the run recorded: its first step, every record_every-th, and its last (the digest
// `run` prints from holds only a few of them). Unsigned: a damaged file's steps of 2^63 - 1 made
// the signed count negative (readers refuse negative steps).
std::uint64_t frames_recorded(const RunFile& run) {
  const auto steps = static_cast<std::uint64_t>(std::max<std::int64_t>(0, run.steps));
  const auto every = static_cast<std::uint64_t>(std::max<std::int64_t>(1, run.record_every));
  return 1 + steps / every + (steps % every != 0 ? 1 : 0);
}

// Beyond this many actors a summary names actors and pairs by rank, not in full: a 200-actor
// matrix is 200 lines of 1,400 characters that no one reads in a terminal.
constexpr std::size_t kListedActors = 12;

}  // namespace

void print_summary(std::ostream& out, const RunFile& run, std::size_t top) {
  const std::size_t n = run.dims.actors, nd = run.dims.domains, ni = run.dims.institutions;
  const std::size_t last = run.frames - 1;
  const std::size_t pairs = n * n;

  out << "Scenario: " << run.scenario_name;
  if (!run.scenario_description.empty()) out << " - " << run.scenario_description;
  out << "\n";
  out << "From: " << run.scenario_file << "  (model " << run.metadata.model << ", engine "
      << run.metadata.engine_version << ", seed " << run.metadata.seed << ")\n";
  if (!run.metadata.label.empty() && run.metadata.label != run.scenario_name)
    out << "Run: " << run.metadata.label << "\n";
  if (!run.metadata.overrides.empty()) {
    out << "Overrides:";
    for (const std::string& o : run.metadata.overrides) out << " " << o;
    out << "\n";
  }
  out << "Period: " << year_month(run.time.front()) << " to " << year_month(run.time[last]) << ", "
      << counted(static_cast<std::size_t>(run.steps), "step") << " of " << fixed(12.0 * run.dt, 2)
      << " months, " << frames_recorded(run) << " frames recorded\n";
  out << "Actors" << (n > kListedActors ? " (" + std::to_string(n) + ")" : std::string()) << ":";
  for (std::size_t i = 0; i < std::min(n, kListedActors); ++i)
    out << " " << run.actors[i] << " (" << run.actor_names[i] << ")";
  if (n > kListedActors) out << " and " << n - kListedActors << " more";
  out << "\nDomains:";
  for (const auto& d : run.domains) out << " " << d;
  out << "\n";

  if (ni > 0) {
    out << "\nInstitutions, members at start -> end:\n";
    for (std::size_t k = 0; k < ni; ++k) {
      out << "  " << run.institutions[k] << ": " << members_at(run, 0, k) << " -> "
          << members_at(run, last, k);
      if (k < run.institution_other_members.size() && !run.institution_other_members[k].empty())
        out << "; voting members not modelled: " << run.institution_other_members[k];
      out << "\n";
    }
  }

  // A row per target: an event of two targets is two rows, and `validate` counts it once.
  std::set<std::int64_t> entries;
  for (const auto& e : run.events) entries.insert(e.event_index);
  out << "\nEvents applied (" << run.events.size();
  if (entries.size() != run.events.size())
    out << " rows of " << entries.size() << " event" << (entries.size() == 1 ? "" : "s")
        << ", one per target";
  out << "):\n";
  if (run.events.empty()) out << "  (none)\n";
  for (const auto& e : run.events) {
    out << "  " << year_month(e.time) << "  " << e.kind;
    if (!e.detail.empty()) out << " (" << e.detail << ")";
    out << " " << e.actor;
    if (e.target != e.actor) out << " -> " << e.target;
    if (e.goldstein != 0.0) {
      out << "  Goldstein " << signed_fixed(e.goldstein, 1);
      if (!e.cameo.empty()) out << " (CAMEO " << e.cameo << ")";
    }
    if (!e.label.empty()) out << "  \"" << e.label << "\"";
    out << "\n";
  }
  if (!run.admissions.empty()) {
    out << "\nAdmission decisions (" << run.admissions.size() << "):\n";
    for (const auto& a : run.admissions)
      out << "  " << year_month(a.time) << "  " << a.institution << " <- " << a.applicant << ": "
          << (a.admitted ? "admitted" : "not admitted") << " (" << a.votes_for << " for, "
          << a.votes_against << " against, P = " << fixed(a.probability) << ")\n";
  }

  if (n <= kListedActors) {
    out << "\nOverall relation of actor (row) toward partner (column) in "
        << year_month(run.time[last])
        << "\n(interest-weighted over domains; -1 hostile, 0 indifferent, +1 close partner):\n";
    out << "      ";
    for (std::size_t j = 0; j < n; ++j) out << pad(run.actors[j], 7);
    out << "\n";
    for (std::size_t i = 0; i < n; ++i) {
      out << pad(run.actors[i], 6);
      for (std::size_t j = 0; j < n; ++j)
        out << pad(i == j ? "-" : fixed(run.relation_overall[last * pairs + i * n + j]), 7);
      out << "\n";
    }
  } else {
    // The closest and the most hostile pairs instead of the n x n matrix (in the file as
    // /relation_overall; `interdep explain FILE --pair A:B` tells one pair's story).
    std::vector<std::pair<double, std::size_t>> ranked;  // (relation at the end, i * n + j)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        if (i != j) ranked.emplace_back(run.relation_overall[last * pairs + i * n + j], i * n + j);
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    const std::size_t shown = std::min(top, ranked.size() / 2);
    out << "\nOverall relation of actor toward partner in " << year_month(run.time[last])
        << " (interest-weighted over domains; -1 hostile, +1 close partner): " << n << " x " << n
        << " in /relation_overall; the " << shown << " closest and the " << shown
        << " most hostile pairs:\n";
    const auto pair_line = [&](const std::pair<double, std::size_t>& p) {
      out << "  " << run.actors[p.second / n] << " -> " << run.actors[p.second % n] << "  "
          << signed_fixed(p.first) << "\n";
    };
    for (std::size_t k = 0; k < shown; ++k) pair_line(ranked[k]);
    if (shown > 0) out << "  ...\n";
    for (std::size_t k = ranked.size() - shown; k < ranked.size(); ++k) pair_line(ranked[k]);
  }

  // Largest changes of overall relation, with the terms behind them: the change of R[i,j] is
  // sum_d w[i,d] * (sum of the increments of each term over all steps).
  struct Change {
    std::size_t i, j;
    double from, to;
  };
  std::vector<Change> changes;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j)
        changes.push_back({i, j, run.relation_overall[i * n + j],
                           run.relation_overall[last * pairs + i * n + j]});
  std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    return std::abs(a.to - a.from) > std::abs(b.to - b.from);
  });
  if (changes.size() > top) changes.resize(top);
  out << "\nLargest changes of overall relation, start -> end";
  if (run.has_contributions) out << ", and the terms that moved it most";
  out << ":\n";
  const std::size_t nt = run.terms.size();
  for (const auto& c : changes) {
    out << "  " << run.actors[c.i] << " -> " << run.actors[c.j] << "  " << signed_fixed(c.from)
        << " -> " << signed_fixed(c.to) << "  (" << signed_fixed(c.to - c.from) << ")";
    if (run.has_contributions) {
      // Each increment summed over the frames first, from 0 and in frame order, so that a
      // digest holding only that sum (RunDigest) prints the same.
      std::vector<std::pair<double, std::size_t>> by_term(nt, {0.0, 0});
      for (std::size_t t = 0; t < nt; ++t) by_term[t].second = t;
      for (std::size_t d = 0; d < nd; ++d)
        for (std::size_t t = 0; t < nt; ++t) {
          double sum = 0.0;
          for (std::size_t f = 0; f < run.frames; ++f)
            sum += run.contributions[f * pairs * nd * nt + ((c.i * n + c.j) * nd + d) * nt + t];
          by_term[t].first += run.interests[c.i * nd + d] * sum;
        }
      std::stable_sort(by_term.begin(), by_term.end(), [](const auto& a, const auto& b) {
        return std::abs(a.first) > std::abs(b.first);
      });
      std::string terms;  // the largest three that show at two decimals
      for (std::size_t k = 0; k < std::min<std::size_t>(3, nt); ++k)
        if (std::abs(by_term[k].first) >= 0.005)
          terms += " " + run.terms[by_term[k].second] + " " + signed_fixed(by_term[k].first);
      out << "  by" << (terms.empty() ? " terms each under 0.005" : terms);
    }
    out << "\n";
  }
  print_dependence(out, run, top);
  print_observations(out, run);
}

// Each series of /observed with its figures: observed ± uncertainty, simulated, and how many
// uncertainties apart they are.
void print_observations(std::ostream& out, const RunFile& run) {
  if (run.observations.empty()) return;
  const auto general = [](double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.4g", v);
    return std::string(buffer);
  };
  out << "\nObserved against simulated ([[observations]]; z = (simulated - observed) / "
         "uncertainty):\n";
  // A year is shown with the months of the states it averages and their number ("2019
  // (2018-07..2019-06, 12 states)"): fewer with fewer steps a year or a year the run only
  // began or ended in; a point as the day it was given (or its decimal year).
  std::vector<std::string> dates;
  std::size_t width = 0;
  for (const RunObservation& o : run.observations) {
    // A period the file names that this version does not know is shown as a point's date.
    const ObservationPeriod period =
        parse<ObservationPeriod>(o.period).value_or(ObservationPeriod::point);
    const std::string label = observation_date_text(period, o.date);
    if (period == ObservationPeriod::point || o.states == 0)  // not reached: no states to name
      dates.push_back(label);
    else  // the months averaged, unless the label names them already (a month's)
      dates.push_back(label + " (" +
                      (year_month(o.to) == year_month(o.from)
                           ? (label == year_month(o.from) ? "" : year_month(o.from) + ", ")
                           : year_month(o.from) + ".." + year_month(o.to) + ", ") +
                      counted(static_cast<std::size_t>(o.states), "state") + ")");
    width = std::max(width, dates.back().size());
  }
  std::int64_t series = -1;
  for (std::size_t k = 0; k < run.observations.size(); ++k) {
    const RunObservation& o = run.observations[k];
    if (o.series != series) {
      series = o.series;
      out << "  " << o.quantity << (o.aggregate == "pair_total" ? ", both directions" : "")
          << (parse<ObservationPeriod>(o.period).value_or(ObservationPeriod::point) ==
                      ObservationPeriod::point
                  ? ""
                  : ", mean of its states within each " + o.period)
          << ", " << o.unit << " (" << o.source << ")\n";
    }
    const std::string& date = dates[k];
    out << "    " << pad_right(date, width) << "  observed " << pad(general(o.observed), 9) << " ± "
        << pad_right(general(o.uncertainty), 7) << "  simulated " << pad(general(o.simulated), 9);
    if (o.states > 0 && o.uncertainty > 0.0)
      out << "  z " << signed_fixed((o.simulated - o.observed) / o.uncertainty);
    else if (o.states == 0)
      out << "  (not reached)";
    out << "\n";
  }
}

// The largest leverages at the end with their channels (trade, energy, finance), and every
// gas shortfall: who depends on whom, and for what.
void print_dependence(std::ostream& out, const RunFile& run, std::size_t top) {
  const std::size_t n = run.dims.actors, last = run.frames - 1, pairs = n * n;
  const std::size_t nc = kDependenceChannels.size();
  if (run.leverage.size() < run.frames * pairs) return;
  struct Lever {
    std::size_t i, j;  // j's leverage over i
    double from, to;
  };
  std::vector<Lever> levers;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j && run.leverage[last * pairs + i * n + j] > 0.0)
        levers.push_back({i, j, run.leverage[i * n + j], run.leverage[last * pairs + i * n + j]});
  std::stable_sort(levers.begin(), levers.end(),
                   [](const Lever& a, const Lever& b) { return a.to > b.to; });
  if (levers.size() > top) levers.resize(top);
  if (!levers.empty()) {
    out << "\nLargest leverage of a partner over an actor (L = V[actor,partner] - "
           "V[partner,actor]), start -> end, and its channels at the end:\n";
    for (const auto& l : levers) {
      out << "  " << run.actors[l.j] << " over " << run.actors[l.i] << "  " << fixed(l.from, 3)
          << " -> " << fixed(l.to, 3);
      if (run.leverage_channels.size() == run.frames * pairs * nc) {
        out << "  (";
        for (std::size_t c = 0; c < nc; ++c)
          out << (c ? ", " : "") << kDependenceChannels[c] << " "
              << fixed(run.leverage_channels[(last * pairs + l.i * n + l.j) * nc + c], 3);
        out << ")";
      }
      out << "\n";
    }
  }
  if (run.energy_shortfall.size() == run.frames * n) {
    constexpr double kShownShortfall = 0.05;  // bcm/yr: shows as 0.1 at one decimal
    std::vector<std::size_t> short_of_gas;
    for (std::size_t i = 0; i < n; ++i) {
      // Below half the last digit shown, a shortfall prints as 0.0: a remainder of rounding in
      // the flows (1e-14 bcm/yr), not gas missing, whose lines would only vary with the last bits.
      if (run.energy_shortfall[i] >= kShownShortfall ||
          run.energy_shortfall[last * n + i] >= kShownShortfall)
        short_of_gas.push_back(i);
    }
    const std::size_t listed = std::min(short_of_gas.size(), top);
    if (short_of_gas.size() > listed)  // many: the largest at the end, in order of size
      std::stable_sort(short_of_gas.begin(), short_of_gas.end(), [&](std::size_t a, std::size_t b) {
        return run.energy_shortfall[last * n + a] > run.energy_shortfall[last * n + b];
      });
    if (!short_of_gas.empty())
      out << "\nGas imports needed but not landed (bcm/yr), start -> end:\n";
    for (std::size_t k = 0; k < listed; ++k) {
      const std::size_t i = short_of_gas[k];
      out << "  " << run.actors[i] << "  " << fixed(run.energy_shortfall[i], 1) << " -> "
          << fixed(run.energy_shortfall[last * n + i], 1) << "  (need "
          << fixed(run.energy_demand[i], 1) << " -> " << fixed(run.energy_demand[last * n + i], 1)
          << ")\n";
    }
    if (short_of_gas.size() > listed)
      out << "  and " << short_of_gas.size() - listed << " more (/energy_shortfall)\n";
  }
}

// The /network group in a few lines: camps (factions), balance and brokers at the first and last
// frame, corridor edges that opened or closed, and actor routes that changed.
void print_network(std::ostream& out, const RunFile& run) {
  const RunNetwork& net = run.network;
  if (!net.present || run.frames == 0) return;
  const std::size_t n = run.dims.actors, edges = net.corridor_edges.size();
  out << "\nNetwork (/network; a tie is signed when |mean relation| > "
      << fixed(net.tie_threshold, 2) << "):\n";
  for (const std::size_t f : {std::size_t{0}, run.frames - 1}) {
    std::string camps;
    for (std::int32_t k = 0; k < net.faction_count[f]; ++k) {
      camps += k > 0 ? " {" : "{";
      std::vector<std::string> members;  // beyond 20, the first 12 and a count (word_list)
      for (std::size_t i = 0; i < n; ++i)
        if (net.faction[f * n + i] == k) members.push_back(run.actors[i]);
      camps += word_list(members, "", " ") + "}";
    }
    std::size_t broker = 0;
    for (std::size_t i = 1; i < n; ++i)
      if (net.betweenness[f * n + i] > net.betweenness[f * n + broker]) broker = i;
    // Above kExactCampActors the camps come from a heuristic: its count is an upper bound.
    out << "  " << year_month(run.time[f]) << ": camps " << camps << "; frustrated ties "
        << (n > kExactCampActors ? "at most " : "") << net.frustration[f] << "; balanced triads "
        << net.triads_balanced[f] << " of " << net.triads_signed[f];
    if (n > 0 && net.betweenness[f * n + broker] > 0.0) {
      out << "; top broker " << run.actors[broker] << " (betweenness "
          << fixed(net.betweenness[f * n + broker], 2) << ")";
    } else if (n > 0) {
      out << "; no broker (no actor lies on others' shortest paths)";
    }
    out << "\n";
  }
  for (std::size_t f = 1; f < run.frames; ++f)
    for (std::size_t k = 0; k < edges; ++k)
      if (net.corridor_open[f * edges + k] != net.corridor_open[(f - 1) * edges + k]) {
        // It changed in one of the steps since the frame recorded before f (a digest keeps few
        // frames, so not frame f - 1): the step's month, the event's date, when frames are one
        // step apart; else the months of the first and last of those steps.
        const std::int64_t every = std::max<std::int64_t>(1, run.record_every);
        const std::int64_t since = (run.step[f] - 1) / every * every;  // the recorded step before
        const auto month_of = [&](std::int64_t s) {
          return year_month(run.time[f] - static_cast<double>(run.step[f] - s) * run.dt);
        };
        const std::string when = since == run.step[f] - 1
                                     ? month_of(since)
                                     : month_of(since) + ".." + month_of(run.step[f] - 1);
        out << "  " << when << ": corridor " << net.corridor_edges[k]
            << (net.corridor_open[f * edges + k] ? " opened" : " closed") << "\n";
      }
  const std::size_t last = (run.frames - 1) * n * n;
  std::size_t routes_changed = 0;  // beyond kListedActors lines: counted, not printed
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) {
      const std::size_t p = i * n + j;
      if (net.route[p] == net.route[last + p]) continue;
      if (++routes_changed > kListedActors) continue;
      // Two costs that read the same at two decimals are shown to four, and two that are the
      // same say so: a route that changed for one as cheap (a tie) is not a puzzle.
      const double before = net.route_cost[p], after = net.route_cost[last + p];
      const int decimals = fixed(before, 2) == fixed(after, 2) && before != after ? 4 : 2;
      const auto route = [&](std::size_t at) {
        return net.route[at].empty()
                   ? std::string("no route")
                   : net.route[at] + " (cost " + fixed(net.route_cost[at], decimals) +
                         (at != p && before == after && !net.route[p].empty()
                              ? ", as cheap as the route before: a tie"
                              : "") +
                         ")";
      };
      out << "  route " << run.actors[i] << "-" << run.actors[j] << ": " << route(p) << " -> "
          << route(last + p) << "\n";
    }
  if (routes_changed > kListedActors)
    out << "  and " << routes_changed - kListedActors << " more routes changed (/network/route)\n";
}

}  // namespace interdep
