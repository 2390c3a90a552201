#include "engine/cli/summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

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
    if (run.membership[frame * n * inst + i * inst + k]) s += (s.empty() ? "" : " ") + run.actors[i];
  return s.empty() ? "(none)" : s;
}

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
  out << "Period: " << fixed(run.time.front()) << " to " << fixed(run.time[last]) << ", "
      << run.steps << " steps of " << fixed(12.0 * run.dt, 2) << " months, " << run.frames
      << " frames recorded\n";
  out << "Actors:";
  for (std::size_t i = 0; i < n; ++i) out << " " << run.actors[i] << " (" << run.actor_names[i] << ")";
  out << "\nDomains:";
  for (const auto& d : run.domains) out << " " << d;
  out << "\n";

  if (ni > 0) {
    out << "\nInstitutions, members at start -> end:\n";
    for (std::size_t k = 0; k < ni; ++k)
      out << "  " << run.institutions[k] << ": " << members_at(run, 0, k) << " -> "
          << members_at(run, last, k) << "\n";
  }

  out << "\nEvents applied (" << run.events.size() << "):\n";
  if (run.events.empty()) out << "  (none)\n";
  for (const auto& e : run.events) {
    out << "  " << fixed(e.time) << "  " << e.kind << " " << e.actor;
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
      out << "  " << fixed(a.time) << "  " << a.institution << " <- " << a.applicant << ": "
          << (a.admitted ? "admitted" : "not admitted") << " (" << a.votes_for << " for, "
          << a.votes_against << " against, P = " << fixed(a.probability) << ")\n";
  }

  out << "\nOverall relation of actor (row) toward partner (column) at " << fixed(run.time[last])
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
      std::vector<std::pair<double, std::size_t>> by_term(nt, {0.0, 0});
      for (std::size_t t = 0; t < nt; ++t) by_term[t].second = t;
      for (std::size_t f = 0; f < run.frames; ++f)
        for (std::size_t d = 0; d < nd; ++d)
          for (std::size_t t = 0; t < nt; ++t)
            by_term[t].first += run.interests[c.i * nd + d] *
                                run.contributions[f * pairs * nd * nt + ((c.i * n + c.j) * nd + d) * nt + t];
      std::stable_sort(by_term.begin(), by_term.end(), [](const auto& a, const auto& b) {
        return std::abs(a.first) > std::abs(b.first);
      });
      out << "  by";
      for (std::size_t k = 0; k < std::min<std::size_t>(3, nt); ++k)
        if (std::abs(by_term[k].first) >= 0.005)
          out << " " << run.terms[by_term[k].second] << " " << signed_fixed(by_term[k].first);
    }
    out << "\n";
  }
}

}  // namespace interdep
