// Why a relation moved: the decision terms that contributed most over a window of a saved run,
// with their numbers, the events behind them in order of weight, and a plain-language account.
// Reads a RunFile (output/run_file/run_reader.hpp); the terms are those of docs/model.md §7.4, recorded
// per frame as the increment summed over the steps since the previous frame (§4.10), so over a
// window they add up exactly to the relation's change. User guide: docs/explain-compare.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "output/run_file/run_reader.hpp"

namespace interdep::insight {

struct ExplainQuery {
  std::size_t actor = 0, partner = 0;  // indices into RunFile::actors
  std::optional<double> from, to;      // decimal years; absent: whole run
  std::optional<std::size_t> domain;   // absent: overall relation (interest-weighted)
  std::size_t top = 5;
};

// One decision term summed over the window. For the overall relation the per-domain increments
// are weighted like the relation itself, R_ij = Σ_d w[i,d] r[i,j,d], so the term values still
// add up to end_value - start_value.
struct TermShare {
  std::string term;
  double value = 0.0;   // summed increment over the window [relation units, on the -1..1 scale]
  std::string meaning;  // what the term is and, from the data, why it moved (one or two sentences)
  double share = 0.0;   // |value| / Σ_terms |value| (share of the gross movement), 0..1
};

// An event that acted on the pair inside the window (its step's increments fall in the window's
// frames). The ranking weight is the movement of the explained relation the event accounts for
// [relation units], the sum of up to three parts:
//  - impulse: for an event with a Goldstein weight between the two (either direction), the
//    recorded `event` increment of the explained relation in the frame that holds the event's
//    step, split between the pair's impulses of that frame in proportion to |Goldstein|;
//  - flows (sanction, lift_sanction, energy_link touching either side, corridor): the relative
//    change c of the pair's two-way trade and gas from the frame before the event to the window
//    end, c = |after − before| / max(after, before) summed over trade and gas and capped at 1,
//    counting only falls for a sanction and only rises for a lifted sanction; the event gets
//    |B| × c / max(1, Σ c over the window's events), B the benefit term summed from the event to
//    the window end, when B pulled the way the flows moved (else 0, said in the channel text: the
//    event held benefit's pull back by an amount the file does not hold). A trade sanction of S on T counts
//    through the channel that reaches the pair: its own trade (S and T are the pair); the
//    secondary part (T one side, S a third party with /events/secondary > 0), c at most
//    1 − (1 + φ TS Q)^−θ; diversion (structural gravity), which raises the pair's trade by an
//    amount the file does not hold: named, not weighted (docs/explain-compare.md);
//  - admission of one side to an institution the other belongs to (or its `join` event): counts
//    c = 1 in the benefit split above (a new shared membership), plus |institutions term| /
//    number of such admissions; a `leave` ending a shared membership counts c = 1 as ties that
//    fell.
// An `apply` by either side is listed with weight 0 (an application acts only once admitted) and
// says how its decisions went. Events that did not act on this relation (an impulse in other
// domains, a sanction on a pair with no flows) are left out. Ties keep the file's order (time).
// The flow part is an attribution by timing, not a counterfactual: measure_events
// (explain_measure.hpp, `explain --measure`) runs the stored scenario without each event.
struct EventCause {
  double time = 0.0;
  std::string kind, label, actor, target;
  double goldstein = 0.0;
  std::string channel;  // which term/channel it acted through, in words
  double weight = 0.0;  // ranking weight, as above [relation units]
  // kind: the event's kind, or "admission" for an admission decision (actor = target = applicant)
  std::string cameo;  // CAMEO code for impulses, "" otherwise
  // The scenario's event (ScenarioSpec::events, /events/event_index); -1 for an admission.
  std::int64_t event_index = -1;
};

struct Explanation {
  std::string actor, partner, actor_name, partner_name, domain,
      domain_label;  // domain "" = overall
  double from_time = 0.0, to_time = 0.0, start_value = 0.0, end_value = 0.0;
  std::vector<TermShare> terms;    // ranked by |value| (ties: model order), at most query.top;
                                   // terms that did not move the relation at all are left out
  std::vector<EventCause> events;  // ranked by weight, at most query.top
  std::string text;                // the plain-language account, several lines
  double gross_movement = 0.0;     // Σ over all terms of |value| [relation units]
};

// The window: `from`/`to` snap to the nearest recorded frame; the terms summed are those of the
// frames with time in (from_time, to_time]. Throws interdep::InputError (engine/scenario/errors.hpp) naming
// run.path when the query is impossible (file without contributions, window outside the run or
// empty, actor == partner, index out of range).
Explanation explain(const RunFile& run, const ExplainQuery& query);

// The `count` directed pairs whose overall relation moved most over the whole run, explained:
// ranked by how far it got from its start at any recorded frame, max_f |R(f) - R(0)| (a relation
// that rose and fell back moved), then by |end - start|, then actor order; each explained over
// the whole run with the default query (top 5). Throws InputError as explain() does (e.g. a file without contributions).
std::vector<Explanation> explain_largest_moves(const RunFile& run, std::size_t count);

// Actor and domain lookup for command lines: the index of `code` in run.actors / run.domains, or
// an InputError naming run.path and `key` that lists the valid codes and suggests the closest.
std::size_t actor_index(const RunFile& run, const std::string& code, const std::string& key);
std::size_t domain_index(const RunFile& run, const std::string& code, const std::string& key);

}  // namespace interdep::insight
