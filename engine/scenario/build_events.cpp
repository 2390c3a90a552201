// [[events]]: what happens during the run, each at the start of a step. The keys an event takes
// depend on its kind; a key of another kind is an error, not silently ignored.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "engine/scenario/goldstein.hpp"
#include "engine/scenario/key_alternatives.hpp"
#include "engine/scenario/spec_builder.hpp"
#include "engine/text/text_format.hpp"

namespace interdep::detail {
namespace {

std::string article(std::string_view word) {
  return !word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos
             ? "an"
             : "a";
}

void reject_unless(TableReader& r, std::string_view key, const std::string& kind) {
  if (const toml::node* n = r.get(key))
    r.fail(n, key,
           "does not apply to " + article(kind) + " '" + kind + "' event" +
               // The kind a --set gave (the file's key is right for the file's kind).
               values_set_elsewhere(position_of(*n), {{r.key_path("kind"), r.get("kind")}}));
}

// When: a TOML date or a decimal year, inside the run; sets e.date and e.step.
// `period_set_at`: where the run's length was set (a file's line, or a --set), by `length_key`
// ("" when by default), for the refusal; `start`: time.start's node, named for a date before it
// when a --set or another file gave it.
void read_date(TableReader& r, EventSpec& e, const TimeSpec& t, const SourcePosition& period_set_at,
               const std::string& length_key, const toml::node* start) {
  const std::optional<double> date = optional_date(r, "date");
  if (!date)
    r.fail(nullptr, "date", "is required: expected a date such as 2026-03-01 or a decimal year");
  e.date = *date;
  const double end = t.end();
  const double offset = step_offset(e.date, t);
  if (offset < 0.0 || offset >= static_cast<double>(t.steps))
    r.fail(
        r.get("date"), "date",
        "event date " + (r.get("date")->is_number() ? shortest_number(e.date) : date_text(e.date)) +
            " is outside the run period [" + date_text(t.start) + ", " + date_text(end) + ")" +
            // Just below the end: a date a billionth of a step or less before a step's start
            // counts in that step (step_offset), here the step after the last.
            (offset >= 0.0 && e.date < end
                 ? std::string(" (a date within a billionth of a step before a step's start "
                               "counts as that start: this one as the run's end)")
                 : std::string()) +
            // Before the start: where a --set or another file set it; after the end: where the
            // length was set.
            (offset < 0.0
                 ? values_set_elsewhere(position_of(*r.get("date")), {{"time.start", start}})
             : !place_of(period_set_at).empty()
                 ? " (its length is set at " + place_of(period_set_at) + ")"
             : !length_key.empty()
                 ? " (its length is set by " + length_key + " = " +
                       (length_key == "time.steps" ? std::to_string(t.steps)
                                                   : format_number(t.years)) +
                       ")"
                 : std::string(" (the default length of ") + format_number(t.years) + " years)"));
  e.step = static_cast<std::int64_t>(offset);
}

// The impulse weight: a CAMEO code (looked up) or a Goldstein value, never both. Sanctions and
// their lifting have a default code; an impulse must say.
void read_weight(TableReader& r, EventSpec& e) {
  const toml::node* cameo = r.get("cameo");
  const std::optional<double> goldstein = r.optional_number("goldstein", Range{-10.0, 10.0});
  if (cameo && goldstein) r.fail(cameo, "cameo", std::string(both_message("cameo")));
  if (cameo) {
    if (!cameo->is_string())
      r.fail(cameo, "cameo",
             "expected a CAMEO code as a string such as \"057\", got " + type_name(*cameo));
    e.cameo = std::string(cameo->value<std::string_view>().value());
    const auto w = goldstein_weight(e.cameo);
    if (!w)
      r.fail(cameo, "cameo",
             "unknown CAMEO code '" + e.cameo + "'" + did_you_mean(e.cameo, goldstein_codes()) +
                 " (table: " + std::string(kGoldsteinTableVersion) + ")");
    e.goldstein = *w;
  } else if (goldstein) {
    e.goldstein = *goldstein;
  } else if (e.kind == EventKind::impulse) {
    r.fail(nullptr, "goldstein",
           "an impulse needs a weight: give cameo (e.g. \"057\") or goldstein (-10..10)");
  } else if (e.kind == EventKind::sanction || e.kind == EventKind::lift_sanction) {
    e.cameo = e.kind == EventKind::sanction ? kSanctionCameo : kLiftSanctionCameo;
    e.goldstein = *goldstein_weight(e.cameo);
  }
}

// The index in `names` of the name written at `key`, which a `kind` event requires: `what` is
// the expected value in words ("an institution name"), `noun` what the names name.
std::size_t name_index(TableReader& r, std::string_view key, const std::vector<std::string>& names,
                       const std::string& kind, const std::string& what, const std::string& noun) {
  const toml::node* n = r.get(key);
  if (!n)
    r.fail(nullptr, key,
           "is required for " + article(kind) + " '" + kind + "' event: expected " + what);
  if (!n->is_string()) r.fail(n, key, "expected " + what + ", got " + type_name(*n));
  const std::string_view name = n->value<std::string_view>().value();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    std::string hint = did_you_mean(name, names);
    // An edge written the other way round ("PAK-IRN" for the declared "IRN-PAK"): its name is
    // the table's, whatever the direction (edges are undirected).
    if (const std::size_t dash = name.find('-'); dash != std::string_view::npos) {
      const std::string reversed =
          std::string(name.substr(dash + 1)) + "-" + std::string(name.substr(0, dash));
      if (std::find(names.begin(), names.end(), reversed) != names.end())
        hint = " (did you mean '" + reversed + "'? a " + noun + " is named as its table is)";
    }
    r.fail(n, key,
           "unknown " + noun + " '" + std::string(name) + "'" + hint +
               (names.empty() ? "; the scenario has none"
                              : "; the scenario's " + noun + "s are " + word_list(names)));
  }
  return static_cast<std::size_t>(it - names.begin());
}

// A join or leave of a member that is not an actor: it dates the member's entry or exit, as the
// `joined` or `left` of its table would (one of the two, not both).
void read_member_event(TableReader& r, const toml::node& member, InstitutionSpec& inst,
                       EventSpec& e) {
  const std::string where = "[institutions." + inst.name + ".others]";
  if (!member.is_string())
    r.fail(&member, "member",
           "expected the code of a member of " + inst.name + " in " + where + ", got " +
               type_name(member));
  const std::string_view code = member.value<std::string_view>().value();
  std::vector<std::string> codes;
  for (const auto& o : inst.others) codes.push_back(o.code);
  const auto it = std::find(codes.begin(), codes.end(), code);
  if (it == codes.end())
    r.fail(&member, "member",
           "unknown member '" + std::string(code) + "' of " + inst.name +
               did_you_mean(code, codes) + ": a member that is not an actor is declared in " +
               where);
  const auto index = static_cast<std::size_t>(it - codes.begin());
  OtherMemberSpec& o = inst.others[index];
  e.other_member = index;
  const bool join = e.kind == EventKind::join;
  double& date = join ? o.joined : o.left;
  if (std::isfinite(date))
    r.fail(&member, "member",
           "'" + o.code + "' already " + (join ? "joins " : "leaves ") + inst.name + " at " +
               date_text(date) + " (its " + (join ? "joined" : "left") +
               " date or another event): give the date once");
  date = e.date;
  (join ? o.joined_step : o.left_step) = e.step;
  if (std::isfinite(o.joined) && std::isfinite(o.left) && o.left <= o.joined)
    r.fail(&member, "member",
           "'" + o.code + "' would leave " + inst.name + " (" + date_text(o.left) +
               ") before it joins (" + date_text(o.joined) + ")");
}

}  // namespace

void SpecBuilder::read_events() {
  const toml::node* node = root_.get("events");
  if (!node) return;
  if (!node->is_array()) root_.fail(node, "events", array_expected(*node, "events"));
  std::size_t index = 0;
  for (const auto& element : *node->as_array()) {
    const std::string path = "events." + std::to_string(index++);
    if (!element.is_table())
      throw InputError(position_of(element), path,
                       "expected a table ([[events]]), got " + type_name(element));
    EventSpec event = read_event(*element.as_table(), path);
    event.entry = index - 1;
    if (event.enabled)
      spec_.events.push_back(std::move(event));
    else
      spec_.disabled_events.push_back(std::move(event));
  }
  std::stable_sort(spec_.events.begin(), spec_.events.end(),
                   [](const EventSpec& a, const EventSpec& b) { return a.step < b.step; });
  check_memberships(*node->as_array());
  check_lifts(*node->as_array());
  check_corridor_events(*node->as_array());
  check_finance_events(*node->as_array());
}

// Finance followed through the events in the order they apply: after a `finance` or `programme`
// event, what its recipient receives from the actors and its lenders' programmes may not exceed
// its external finance, all it receives, grown with its GDP's trend to the event's date (at the
// start it may not exceed external_finance itself: check_consistency). An amount in US$ millions
// where billions go (7000 for seven) passed, and made the recipient's finance 19 times its GDP.
void SpecBuilder::check_finance_events(const toml::array& entries) const {
  const std::size_t n = spec_.actors.size();
  std::vector<FinanceFlowSpec> flows = spec_.finance.dense();
  // (lender, borrower) -> amount + catalysed of the programme going on.
  std::map<std::pair<std::size_t, std::size_t>, std::pair<double, double>> programmes;
  for (std::size_t l = 0; l < spec_.lenders.size(); ++l)
    for (const ProgrammeSpec& p : spec_.lenders[l].programmes)
      programmes[{l, p.borrower}] = {p.amount, p.catalysed};
  const auto received = [&](std::size_t i) {
    double total = 0.0;
    for (std::size_t j = 0; j < n; ++j)
      if (j != i) total += flows[j * n + i].total();
    // A programme's catalysed finance flows while the programme does (an amount of 0 ends it).
    for (const auto& [key, programme] : programmes)
      if (key.second == i && programme.first > 0.0) total += programme.first + programme.second;
    return total;
  };
  // Y(t)/Y(t0) along the actor's growth (gdp_growth or its path), a month at a time.
  const auto gdp_trend = [&](const ActorSpec& a, double date) {
    double log_factor = 0.0;
    for (double t = spec_.time.start; t < date; t += 1.0 / 12.0)
      log_factor += std::log1p(a.gdp_growth_at(t)) * std::min(1.0 / 12.0, date - t);
    return std::exp(log_factor);
  };
  for (const EventSpec& e : spec_.events) {
    std::vector<std::size_t> recipients;
    if (e.kind == EventKind::finance) {
      for (std::size_t t : e.targets) {
        e.finance.apply_to(flows[e.actor * n + t]);
        recipients.push_back(t);
      }
    } else if (e.kind == EventKind::programme) {
      auto& programme = programmes[{e.lender, e.actor}];
      // An amount of 0 ends the programme going on: with none going on it ends nothing, and
      // would still be listed as "(IMF ends)" (a lift_sanction that lifts nothing is refused).
      if (e.amount == 0.0 && programme.first == 0.0) {
        const toml::node* entry = entries.get(e.entry);
        const toml::table* fields = entry != nullptr ? entry->as_table() : nullptr;
        const toml::node* at = fields != nullptr ? fields->get("amount") : nullptr;
        const std::string& lender = spec_.lenders[e.lender].name;
        throw InputError(position_of(at != nullptr      ? *at
                                     : entry != nullptr ? *entry
                                                        : root_.table()),
                         "events." + std::to_string(e.entry) + ".amount",
                         "a programme event with amount 0 ends " + spec_.actors[e.actor].code +
                             "'s " + lender + " programme, but it has none in " +
                             year_month(e.date) + " (none in [lenders." + lender +
                             "] programmes, or an earlier event ended it; events apply by date, "
                             "then in the list's order): give the amount a programme disburses, "
                             "US$ bn/yr, or leave the event out");
      }
      programme.first = e.amount;
      if (e.catalysed) programme.second = *e.catalysed;
      recipients.push_back(e.actor);
    }
    for (std::size_t t : recipients) {
      const ActorSpec& a = spec_.actors[t];
      const double trend = gdp_trend(a, e.date), bound = a.external_finance * trend;
      const double total = received(t);
      if (total <= bound * (1.0 + 1e-9)) continue;
      // Said at the event's largest amount.
      const toml::node* entry = entries.get(e.entry);
      const toml::table* fields = entry != nullptr ? entry->as_table() : nullptr;
      std::string key = e.kind == EventKind::programme ? "amount" : "";
      double largest = -1.0;
      if (e.kind == EventKind::finance)
        for (const auto& [name, value] : {std::pair{"aid", e.finance.aid},
                                          {"lending", e.finance.lending},
                                          {"investment", e.finance.investment},
                                          {"remittances", e.finance.remittances}})
          if (value && *value > largest) {
            largest = *value;
            key = name;
          }
      const toml::node* at = fields != nullptr ? fields->get(key) : nullptr;
      throw InputError(position_of(at != nullptr      ? *at
                                   : entry != nullptr ? *entry
                                                      : root_.table()),
                       "events." + std::to_string(e.entry) + "." + key,
                       "after this event " + a.code + " would receive " + format_number(total) +
                           " US$ bn/yr from the actors and its lenders' programmes, more than "
                           "its external finance, all the finance it receives (actors." +
                           a.code + ".external_finance = " + format_number(a.external_finance) +
                           " US$ bn/yr at the start, " + format_number(bound) +
                           " grown with its GDP to " + year_month(e.date) +
                           "): amounts are US$ bn a year (7 for seven billion); if the finance "
                           "is real, raise " +
                           a.code + "'s external_finance");
    }
  }
}

// An earlier event named for a message, by its label where it has one and where it is written:
// `the event "PAK joins the SCO" (what-if.toml:12)`, `the event at what-if.toml:12`; by its
// index where no file holds it.
std::string event_named(const toml::array& entries, const EventSpec& e) {
  const toml::node* entry = entries.get(e.entry);
  const SourcePosition at = entry != nullptr ? position_of(*entry) : SourcePosition{};
  const std::string where = !at.file.empty() && at.line > 0
                                ? at.file + ":" + std::to_string(at.line)
                                : "events." + std::to_string(e.entry);
  return e.label.empty() ? "the event at " + where
                         : "the event \"" + e.label + "\" (" + where + ")";
}

// Sanctions followed through the events in the order they apply: a `lift_sanction` of a sender
// on a target with none of its sanctions in force (none applied before it, or an earlier lift
// ended them) would lift nothing and still carry its impulse (+7.0, CAMEO 085), a thaw that
// no sanction preceded; it is refused, as a `leave` of a non-member is. A sanction of any type
// counts (an arms embargo lifted moves no cost, but is lifted).
void SpecBuilder::check_lifts(const toml::array& entries) const {
  std::map<std::pair<std::size_t, std::size_t>, const EventSpec*> lifted;  // by the last lift
  std::set<std::pair<std::size_t, std::size_t>> in_force;                  // (sender, target)
  for (const EventSpec& e : spec_.events) {
    if (e.kind == EventKind::sanction)
      for (std::size_t t : e.targets) in_force.insert({e.actor, t});
    if (e.kind != EventKind::lift_sanction) continue;
    for (std::size_t t : e.targets) {
      if (in_force.erase({e.actor, t}) > 0) {
        lifted[{e.actor, t}] = &e;
        continue;
      }
      const auto before = lifted.find({e.actor, t});
      const std::string pair =
          "'" + spec_.actors[e.actor].code + "' on '" + spec_.actors[t].code + "'";
      const std::string since =
          before == lifted.end() ? "no sanction of " + pair + " applies before it"
                                 : event_named(entries, *before->second) + " lifted them in " +
                                       year_month(before->second->date) + " and none applies since";
      const toml::node* entry = entries.get(e.entry);
      const toml::table* fields = entry != nullptr ? entry->as_table() : nullptr;
      const toml::node* targets = fields != nullptr ? fields->get("targets") : nullptr;
      // A date a --set (or the lab's slider) gave is what made it lift nothing: said at it.
      const toml::node* date = fields != nullptr ? fields->get("date") : nullptr;
      const bool date_set = date != nullptr && is_override(position_of(*date));
      throw InputError(position_of(date_set             ? *date
                                   : targets != nullptr ? *targets
                                                        : *entry),
                       "events." + std::to_string(e.entry) + (date_set ? ".date" : ".targets"),
                       "a lift_sanction of " + pair + " in " + year_month(e.date) +
                           " lifts nothing: " + since +
                           " (events apply by date, then in the list's order); date it after the "
                           "sanction, or give the thaw as an impulse (cameo = \"085\")");
    }
  }
}

// Corridor edges followed through the events in the order they apply: an event that opens an
// edge open then, or closes one closed, would change nothing and still be listed as opening or
// closing it ("AZE-IRN-RAIL opens"); it is refused, as a `leave` of a non-member is.
void SpecBuilder::check_corridor_events(const toml::array& entries) const {
  std::vector<const EventSpec*> set_by(spec_.corridor_edges.size(), nullptr);
  std::vector<bool> open(spec_.corridor_edges.size());
  for (std::size_t k = 0; k < open.size(); ++k) open[k] = spec_.corridor_edges[k].open;
  for (const EventSpec& e : spec_.events) {
    if (e.kind != EventKind::corridor) continue;
    const std::size_t k = e.corridor_edge;
    if (open[k] != e.open) {
      open[k] = e.open;
      set_by[k] = &e;
      continue;
    }
    const std::string& name = spec_.corridor_edges[k].name;
    const std::string state = e.open ? "open" : "closed";
    std::string since;
    if (set_by[k] == nullptr) {
      // Where the start's state is written: a what-if may have opened the edge its base closes.
      const toml::node* given = root_.table().at_path("corridors.edges")[name]["open"].node();
      const SourcePosition written = given != nullptr ? position_of(*given) : SourcePosition{};
      since = state + " from the start ([corridors.edges." + name +
              "] open = " + (e.open ? "true" : "false") +
              (written.line > 0 ? ", " + written.file + ":" + std::to_string(written.line)
                                : std::string(given != nullptr ? "" : ", the default")) +
              ")";
    } else {
      since = std::string(e.open ? "opened" : "closed") + " in " + year_month(set_by[k]->date) +
              " by " + event_named(entries, *set_by[k]);
    }
    const toml::node* entry = entries.get(e.entry);
    const toml::table* fields = entry != nullptr ? entry->as_table() : nullptr;
    const toml::node* at = fields != nullptr ? fields->get("open") : nullptr;
    if (at == nullptr && fields != nullptr) at = fields->get("edge");
    throw InputError(position_of(at != nullptr      ? *at
                                 : entry != nullptr ? *entry
                                                    : root_.table()),
                     "events." + std::to_string(e.entry) +
                         (at != nullptr && fields->get("open") ? ".open" : ".edge"),
                     "a corridor event " + std::string(e.open ? "opening" : "closing") + " edge '" +
                         name + "' in " + year_month(e.date) + " changes nothing: the edge is " +
                         state + " then, " + since +
                         " (events apply by date, then in the list's order)");
  }
}

// An actor's membership followed through the events in the order they apply (by step, then in the
// list's order): an `apply` or `join` of an actor that is a member then, or a `leave` of one that
// is not, would do nothing, and is refused. After an `apply`, membership depends on a summit's
// vote, so neither is refused until a `join` or `leave` settles it.
void SpecBuilder::check_memberships(const toml::array& entries) const {
  enum class Standing { member, outsider, undecided };
  struct Known {
    Standing standing = Standing::outsider;
    const EventSpec* by = nullptr;  // the event that set it; none: the scenario's members
  };
  std::map<std::pair<std::size_t, std::size_t>, Known> known;  // (institution, actor)
  auto standing = [&](std::size_t institution, std::size_t actor) -> Known& {
    const auto [it, added] = known.try_emplace({institution, actor});
    if (added) {
      const auto& members = spec_.institutions[institution].members;
      if (std::find(members.begin(), members.end(), actor) != members.end())
        it->second.standing = Standing::member;
    }
    return it->second;
  };
  for (const EventSpec& e : spec_.events) {
    const bool membership =
        e.kind == EventKind::apply || e.kind == EventKind::join || e.kind == EventKind::leave;
    if (!membership || e.other_member) continue;
    Known& now = standing(e.institution, e.actor);
    const bool refused = e.kind == EventKind::leave ? now.standing == Standing::outsider
                                                    : now.standing == Standing::member;
    if (refused) {
      const std::string& name = spec_.institutions[e.institution].name;
      const std::string actor = "'" + spec_.actors[e.actor].code + "'";
      std::string since;
      if (now.by == nullptr)
        since = e.kind == EventKind::leave ? "it is not among the scenario's members"
                                           : "a member from the start";
      else
        since = std::string(e.kind == EventKind::leave ? "it left" : "it joined") + " in " +
                year_month(now.by->date) + " by " + event_named(entries, *now.by);
      const std::string what = e.kind == EventKind::leave
                                   ? actor + " is not a member of " + name + " in " +
                                         year_month(e.date) + " (" + since +
                                         "): there is nothing to leave"
                                   : actor + " is already a member of " + name + " in " +
                                         year_month(e.date) + " (" + since + ")";
      const std::string path = "events." + std::to_string(e.entry);
      const toml::node* entry = entries.get(e.entry);
      const toml::node* institution =
          entry != nullptr && entry->is_table() ? entry->as_table()->get("institution") : nullptr;
      throw InputError(position_of(institution != nullptr ? *institution : *entry),
                       path + ".institution", what);
    }
    now.standing = e.kind == EventKind::join    ? Standing::member
                   : e.kind == EventKind::leave ? Standing::outsider
                                                : Standing::undecided;
    now.by = &e;
  }
}

std::vector<std::size_t> SpecBuilder::read_targets(TableReader& r) {
  std::vector<std::size_t> targets;
  const toml::node* n = r.get("targets");
  if (!n) r.fail(nullptr, "targets", "is required: expected an actor code or an array of codes");
  const std::string key = r.key_path("targets");
  if (n->is_string()) {
    targets.push_back(actor_index_of_string(*n, key));
  } else if (n->is_array()) {
    for (const auto& t : *n->as_array()) {
      const std::size_t index = actor_index_of_string(t, key);
      if (std::find(targets.begin(), targets.end(), index) != targets.end())
        throw InputError(position_of(t), key, "'" + spec_.actors[index].code + "' is listed twice");
      targets.push_back(index);
    }
    if (targets.empty()) r.fail(n, "targets", "expected at least one target");
  } else {
    r.fail(n, "targets", "expected an actor code or an array of codes, got " + type_name(*n));
  }
  return targets;
}

EventSpec SpecBuilder::read_event(const toml::table& table, const std::string& path) {
  TableReader r(table, path);
  EventSpec e;
  e.label = r.string("label", e.label);
  e.enabled = r.boolean("enabled", e.enabled);
  e.kind = r.choice("kind", e.kind);
  const std::string kind(name_of(e.kind));
  read_date(r, e, spec_.time, spec_.length_position, spec_.length_key,
            root_.table().at_path("time.start").node());

  // Every event has an actor: sender, supplier, applicant, or the builder of a corridor. A join
  // or leave may name instead a member of the institution that is not an actor (`member`).
  const bool membership_kind = e.kind == EventKind::join || e.kind == EventKind::leave;
  const toml::node* other_member = membership_kind ? r.get("member") : nullptr;
  if (const toml::node* actor = r.get("actor")) {
    if (other_member)
      r.fail(other_member, "member",
             "give either actor (an actor code) or member (a member that is not an actor), not "
             "both");
    const std::string actor_path = r.key_path("actor");
    e.actor = actor_index_of_string(*actor, actor_path);
  } else if (!other_member) {
    r.fail(nullptr, "actor",
           "is required for " + article(kind) + " '" + kind + "' event: expected an actor code" +
               (membership_kind ? " (or member = the code of a member that is not an actor)" : ""));
  }
  const bool needs_targets = e.kind == EventKind::impulse || e.kind == EventKind::sanction ||
                             e.kind == EventKind::lift_sanction ||
                             e.kind == EventKind::energy_link || e.kind == EventKind::finance ||
                             e.kind == EventKind::trade_cost;
  if (needs_targets) {
    e.targets = read_targets(r);
  } else {
    reject_unless(r, "targets", kind);
  }
  for (std::size_t j : e.targets)
    if (j == e.actor)
      r.fail(r.table().get("targets"), "targets", "an event cannot target its own actor");

  // The impulse: which domains it hits, how hard, in one direction or both.
  const bool has_impulse = e.kind != EventKind::apply && e.kind != EventKind::corridor &&
                           e.kind != EventKind::programme && e.kind != EventKind::import_capacity &&
                           e.kind != EventKind::join && e.kind != EventKind::leave;
  if (!has_impulse) {
    for (const char* key : {"domains", "cameo", "goldstein", "mutual"}) reject_unless(r, key, kind);
  }
  if (const toml::array* domains = r.array("domains")) {
    // Left out, domains means all of them; an empty list would silently mean the same.
    if (domains->empty())
      r.fail(domains, "domains",
             "expected at least one domain name; leave domains out for all domains");
    const std::string domains_path = r.key_path("domains");
    for (const auto& d : *domains) {
      if (!d.is_string())
        throw InputError(position_of(d), domains_path,
                         "expected a domain name, got " + type_name(d));
      const std::size_t index = domain_index(d.value<std::string_view>().value(), d, domains_path);
      if (std::find(e.domains.begin(), e.domains.end(), index) != e.domains.end())
        throw InputError(position_of(d), domains_path,
                         "'" + spec_.domains[index].name + "' is listed twice");
      e.domains.push_back(index);
    }
  }
  read_weight(r, e);
  e.mutual = r.boolean("mutual", e.mutual);

  if (e.kind == EventKind::sanction) {
    e.sanction_type = r.choice("type", e.sanction_type);
    const std::string type(name_of(e.sanction_type));
    auto not_for_type = [&](std::string_view key) {
      if (const toml::node* n = r.get(key))
        r.fail(n, key, "does not apply to a sanction of type '" + type + "'");
    };
    if (e.sanction_type == SanctionType::financial)
      e.intensity = r.required_number("intensity", Range{0.0, 1.0, true, false});
    else if (e.sanction_type == SanctionType::trade)
      e.intensity = r.required_number("intensity", Range{0.0, 100.0, true, false});
    else
      not_for_type("intensity");
    if (e.sanction_type == SanctionType::trade) {
      e.secondary = r.number("secondary", e.secondary, Range{0.0, 100.0});
      e.anticipation = r.number("anticipation", e.anticipation, Range{0.0, 50.0});
      if (e.date - e.anticipation < spec_.time.start - 1e-9)
        r.fail(r.get("anticipation"), "anticipation",
               "reaches before the run's start: the sanction is anticipated from " +
                   date_text(e.date - e.anticipation) + ", the run starts at " +
                   date_text(spec_.time.start));
    } else {
      not_for_type("secondary");
      not_for_type("anticipation");
    }
    if (e.sanction_type == SanctionType::trade || e.sanction_type == SanctionType::financial)
      e.direction = r.choice("direction", e.direction);
    else
      not_for_type("direction");
  } else if (e.kind == EventKind::trade_cost) {
    e.intensity = r.required_number("intensity", Range{-1.0, 100.0, true, false});
    e.direction = r.choice("direction", e.direction);
    for (const char* key : {"secondary", "type", "anticipation"}) reject_unless(r, key, kind);
  } else {
    for (const char* key : {"intensity", "secondary", "type", "direction", "anticipation"})
      reject_unless(r, key, kind);
  }
  if (e.kind == EventKind::lift_sanction)
    e.persistence = r.number("persistence", e.persistence, Range{0.0, 50.0});
  else
    reject_unless(r, "persistence", kind);
  if (e.kind == EventKind::energy_link) {
    e.capacity = r.required_number("capacity", kNonNegative);
    e.cost = r.number("cost", e.cost, kPositive);
    // A supplier without gas to export: the link's share of the buyer's need would be cut to
    // nothing by its export capacity and, not reallocated, become a shortfall (docs/model.md).
    const ActorSpec& supplier = spec_.actors[e.actor];
    if (e.capacity > 0.0 && !(supplier.energy_export_capacity > 0.0))
      r.fail(r.get("actor"), "actor",
             "'" + supplier.code +
                 "' has no gas to export (its energy_export_capacity is 0): a link from it would "
                 "carry nothing and leave its share of the buyer's need unmet; give [actors." +
                 supplier.code + "] an energy_export_capacity (bcm/yr)");
  } else if (e.kind == EventKind::import_capacity) {
    e.capacity = r.required_number("capacity", kNonNegative);
    reject_unless(r, "cost", kind);
  } else {
    reject_unless(r, "capacity", kind);
    reject_unless(r, "cost", kind);
  }
  if (e.kind == EventKind::apply || e.kind == EventKind::join || e.kind == EventKind::leave) {
    std::vector<std::string> names;
    for (const auto& i : spec_.institutions) names.push_back(i.name);
    e.institution = name_index(r, "institution", names, kind, "an institution name", "institution");
    InstitutionSpec& inst = spec_.institutions[e.institution];
    if (other_member) {
      read_member_event(r, *other_member, inst, e);
    }
    if (e.kind == EventKind::apply && inst.summit_month == 0)
      r.fail(
          r.get("institution"), "institution",
          inst.name +
              " holds no summit (its summit_month is 0), so an application to it is "
              "never decided: give [institutions." +
              inst.name +
              "] a summit_month (1..12), or date the entry with a 'join' event");  // an actor's membership at the event's date: check_memberships, once all are read
  } else {
    reject_unless(r, "institution", kind);
  }
  if (e.kind == EventKind::corridor) {
    std::vector<std::string> names;
    for (const auto& ce : spec_.corridor_edges) names.push_back(ce.name);
    e.corridor_edge = name_index(r, "edge", names, kind, "a corridor edge name", "corridor edge");
    e.open = r.boolean("open", e.open);
  } else {
    reject_unless(r, "edge", kind);
    reject_unless(r, "open", kind);
  }
  static constexpr std::array<std::pair<const char*, std::optional<double> FinanceChangeSpec::*>, 4>
      kFinanceKeys{{{"aid", &FinanceChangeSpec::aid},
                    {"lending", &FinanceChangeSpec::lending},
                    {"investment", &FinanceChangeSpec::investment},
                    {"remittances", &FinanceChangeSpec::remittances}}};
  if (e.kind == EventKind::finance) {
    bool any = false;
    for (const auto& [key, member] : kFinanceKeys) {
      e.finance.*member = r.optional_number(key, kNonNegative);
      any = any || (e.finance.*member).has_value();
    }
    if (!any)
      r.fail(nullptr, "aid",
             "a 'finance' event sets at least one of aid, lending, investment, remittances "
             "(the new level, US$ bn/yr)");
  } else {
    for (const auto& [key, member] : kFinanceKeys) reject_unless(r, key, kind);
  }
  if (e.kind == EventKind::programme) {
    std::vector<std::string> names;
    for (const auto& l : spec_.lenders) names.push_back(l.name);
    e.lender = name_index(r, "lender", names, kind, "a lender name", "lender");
    e.amount = r.required_number("amount", kNonNegative);
    e.catalysed = r.optional_number("catalysed", kNonNegative);
  } else {
    for (const char* key : {"lender", "amount", "catalysed"}) reject_unless(r, key, kind);
  }
  r.finish();
  return e;
}

}  // namespace interdep::detail
