// The scenario as plain data: parsed once from TOML (engine/scenario/scenario_loader.hpp),
// validated, then frozen and handed to a Simulation. Every default lives here, in one place, and docs/model.md
// lists the same values with units and sources.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/scenario/errors.hpp"
#include "engine/scenario/pair_values.hpp"

namespace interdep {

// Benefit channels of a domain: how strongly each observable sets the relation an actor would
// like to have with a partner in this domain (docs/model.md, "benefit"). All zero: the domain
// has no material benefit and its relations move only by the other terms.
struct DomainSpec {
  std::string name;           // key, e.g. "energy"
  std::string label;          // human-readable name
  double trade = 0.0;         // weight of the trade-share channel [1]
  double energy = 0.0;        // weight of the energy-share channel [1]
  double threat = 0.0;        // weight of the shared-threat channel [1]
  double institutions = 0.0;  // weight of the shared-institution channel [1]
  double finance = 0.0;       // weight of the finance-share channel [1]
};

// Energy content of natural gas: 1 bcm ~ 0.036 EJ (Energy Institute, Statistical Review of World
// Energy 2024, approximate conversion factors), to put gas imports (bcm/yr) over primary energy
// use (EJ/yr).
inline constexpr double kExajoulesPerBcm = 0.036;

// The gas an importer can land: its need within its import capacity (0: no limit), bcm/yr.
inline double landed_gas(double need, double import_capacity) {
  return import_capacity > 0.0 ? std::min(need, import_capacity) : need;
}

struct ActorSpec {
  std::string code;               // e.g. "PAK"
  std::string name;               // e.g. "Pakistan"
  std::vector<double> interests;  // w[i,d], one per domain, sums to 1 (not written: 0)
  double gdp = 100.0;             // Y_i, US$ bn (current prices)
  double gdp_growth = 0.02;       // g_i, 1/yr
  // (decimal year, 1/yr): the growth rate from each year on (the first one's before it);
  // empty: gdp_growth throughout.
  std::vector<std::pair<double, double>> gdp_growth_path;
  double military = 1.0;        // military expenditure, US$ bn/yr (capability)
  double total_trade = 50.0;    // goods trade with all partners incl. rest of world, US$ bn/yr
  double energy_imports = 0.0;  // D_i(t0): gas imports needed at the start, bcm/yr (all
                                // suppliers incl. rest of world), landed or not
  double energy_demand_growth = 0.0;  // g_D: growth rate of the gas import need, 1/yr
  // (decimal year, bcm/yr) points of the gas import need, ascending, interpolated linearly and
  // flat outside; empty: energy_imports * exp(g_D (t - t0)). Given, it sets energy_imports.
  std::vector<std::pair<double, double>> energy_demand_path;
  double energy_import_capacity = 0.0;  // K_i: most gas the actor can land and move (LNG
                                        // terminals, domestic transmission), bcm/yr (0: no limit)
  double primary_energy = 0.0;          // total primary energy use, EJ/yr (0: not given, so the gas
                                        // terms of sensitivity and vulnerability are off)
  double energy_export_capacity = 0.0;  // gas the actor can export to other actors, bcm/yr
  double energy_substitution =
      3.0;  // sigma_E, elasticity of substitution between gas suppliers (>1)
  double rest_of_world_energy_cost =
      1.0;                        // relative cost of the best outside supplier (e.g. LNG) [1]
  double responsiveness = 1.0;    // mu_i, multiplies every drift term of the actor [1]
  double inertia = 0.2;           // h_i, pull back toward the initial relation, 1/yr
  double risk = 0.0;              // rho_i in [-1,1]: <0 risk-averse (heeds pressure more)
  double noise = 0.02;            // sigma_i, relation noise, 1/sqrt(yr)
  double external_finance = 0.0;  // F_i: finance received from all sources incl. the rest of the
                                  // world (aid, loans, investment, remittances, programmes),
                                  // US$ bn/yr (0: the finance terms are off)
  double finance_substitution = 2.0;  // eta_F: how replaceable a source of finance is, as a trade
                                      // elasticity in the vulnerability loss (> 0) [1]
  bool passive = false;  // an actor that does not decide (the EU, the Gulf, the rest of the
                         // world): its relations move only by events; its flows, GDP and
                         // finance are modelled as everyone's

  // g_i(t): the GDP growth rate at decimal year t, 1/yr.
  double gdp_growth_at(double t) const {
    if (gdp_growth_path.empty()) return gdp_growth;
    double rate = gdp_growth_path.front().second;
    for (const auto& [year, value] : gdp_growth_path)
      if (year <= t + 1e-9) rate = value;
    return rate;
  }
  // D_i(t): the gas import need at decimal year t, bcm/yr, for a run starting at t0.
  double energy_demand_at(double t, double t0) const {
    const auto& p = energy_demand_path;
    if (p.empty()) return energy_imports * std::exp(energy_demand_growth * (t - t0));
    if (t <= p.front().first) return p.front().second;
    if (t >= p.back().first) return p.back().second;
    std::size_t k = 1;
    while (p[k].first < t) ++k;
    const double w = (t - p[k - 1].first) / (p[k].first - p[k - 1].first);
    return p[k - 1].second + w * (p[k].second - p[k - 1].second);
  }
  // The gas the actor can land at the start, bcm/yr: the need, within the import capacity.
  double energy_landed0() const { return landed_gas(energy_imports, energy_import_capacity); }
};

// Finance from one actor to another, [finance.FROM] TO = { aid, lending, investment,
// remittances }, each US$ bn/yr. A pair not written has none.
struct FinanceFlowSpec {
  double aid = 0.0;          // official development and security assistance
  double lending = 0.0;      // new official and commercial loans, rollovers included
  double investment = 0.0;   // foreign direct investment
  double remittances = 0.0;  // workers' remittances
  double total() const { return aid + lending + investment + remittances; }
  bool operator==(const FinanceFlowSpec&) const = default;
};

// A lender's programme for a borrower ([lenders.NAME.programmes] CODE = { amount, catalysed }).
struct ProgrammeSpec {
  std::size_t borrower = 0;
  double amount = 0.0;     // disbursement, US$ bn/yr
  double catalysed = 0.0;  // the borrower's other finance that depends on the programme going
                           // on (bilateral rollovers, bond access), US$ bn/yr
};

// A lender of last resort owned by shareholders (the IMF): its programmes are finance that its
// large shareholders can block, so they count toward those shareholders' leverage (§7.3).
struct LenderSpec {
  std::string name;  // key, e.g. "IMF"
  std::string label;
  std::vector<double> votes;        // vote share of each actor [0,1] (the rest: other members)
  double blocking_share = 0.15;     // votes that can block a programme [0,1] (IMF: 85 % majority)
  double support_threshold = -0.2;  // a shareholder opposes a borrower whose relation R is below
  int review_months = 6;            // months between reviews (0: programmes are never reviewed)
  std::vector<ProgrammeSpec> programmes;  // at the start

  // Whether actor j's votes block a programme alone: the benefit channel credits its programmes
  // to such shareholders (docs/model.md §7.3.2).
  bool blocks_alone(std::size_t j) const { return votes[j] >= blocking_share; }
};

enum class AdmissionRule { consensus, majority, pce };

// A member that is not modelled as an actor (Brazil in BRICS, Japan in the Quad): it trades and
// decides nothing here, but it votes on applications with a fixed stance toward each actor, so an
// institution can list all its members without every one becoming an actor (§7.5).
struct OtherMemberSpec {
  std::string code;  // key, e.g. "EGY"
  std::string label;
  double military = 0.0;       // capability in a PCE vote, US$ bn/yr (as ActorSpec::military)
  double salience = 1.0;       // its interest in the domains the institution serves [0,1] (an
                               // actor's salience is the sum of its interests over them)
  std::vector<double> stance;  // its fixed relation toward each actor [-1,1]; not written: 0
  double joined = -std::numeric_limits<double>::infinity();  // member from this decimal year
  double left = std::numeric_limits<double>::infinity();     // ... until this one
  std::int64_t joined_step = 0;  // derived: member in steps [joined_step, left_step)
  std::int64_t left_step = std::numeric_limits<std::int64_t>::max();
};

struct InstitutionSpec {
  std::string name;  // key, e.g. "BRICS"
  std::string label;
  std::vector<std::size_t> members;  // initial members, actor indices
  AdmissionRule rule = AdmissionRule::consensus;
  int summit_month = 0;                 // 1..12; 0: no summits, hence no admissions
  double admission_threshold = 0.0;     // a member says yes when R[member,applicant] >= this
  double pce_exponent = 1.0;            // m in P = c^m / (c^m + c'^m) (pce rule)
  double trade_cost_discount = 0.0;     // fractional cut of tau_ij for co-members [0,1)
  double conflict_damping = 0.0;        // pull of co-members' negative relations to 0, 1/yr
  std::vector<std::size_t> domains;     // the domains the institution serves: a PCE vote weighs
                                        // the voter's interest in them (salience); empty: all
  std::vector<OtherMemberSpec> others;  // members that are not actors: they only vote
};

struct CorridorNodeSpec {
  std::string code;  // an actor code or a transit node, e.g. "IRN"
  std::string name;
};

struct CorridorEdgeSpec {
  std::string name;      // key, e.g. "PAK-IRN"
  std::size_t from = 0;  // index into the corridor node list
  std::size_t to = 0;
  double cost = 1.0;  // relative transport cost of the leg [1], > 0
  bool open = true;
};

// A gas link i -> j as written in [energy.I] J = { flow, capacity, cost }. A pair not written
// has these values too: no flow, no link, the reference cost.
struct EnergyLinkSpec {
  double flow = 0.0;      // initial flow E0[i,j], bcm/yr, <= capacity
  double capacity = 0.0;  // cap[i,j], bcm/yr (0: no link)
  double cost = 1.0;      // c[i,j], supply cost relative to the reference supplier [1], > 0
  bool operator==(const EnergyLinkSpec&) const = default;
};

enum class EventKind {
  impulse,          // Goldstein-weighted jump in relations
  sanction,         // sender imposes trade-cost sanctions on target (and an impulse)
  lift_sanction,    // sender removes its sanctions on target
  energy_link,      // gas link capacity/cost between supplier and importer changes (pipeline)
  apply,            // actor applies to join an institution
  corridor,         // a corridor edge opens or closes
  finance,          // a provider changes its aid, lending, investment or remittances to targets
  programme,        // a lender approves, changes or ends a programme for a borrower (the actor)
  import_capacity,  // the gas the actor can land and move changes (terminals, a domestic line)
  join,             // the actor becomes a member of an institution at once (accession, founding)
  leave,            // the actor leaves an institution
  trade_cost        // a trade-cost shock that is not a sanction: a tariff, a suspension of trade
};

// What a sanction acts on, after the Global Sanctions Database's categories (Felbermayr et al.
// 2020): trade costs, finance, or (arms, travel, other) only its impulse.
enum class SanctionType { trade, financial, arms, travel, other };

// Which flows of the pair a sanction or a trade-cost shock hits: the actor's exports to the
// target, its imports from it, or both.
enum class FlowDirection { both, exports, imports };

// The finance levels a `finance` event sets, US$ bn/yr; a component not given keeps its level.
struct FinanceChangeSpec {
  std::optional<double> aid, lending, investment, remittances;
  // `flow` with the components given set (what the event does; the loader's check follows it).
  void apply_to(FinanceFlowSpec& flow) const {
    if (aid) flow.aid = *aid;
    if (lending) flow.lending = *lending;
    if (investment) flow.investment = *investment;
    if (remittances) flow.remittances = *remittances;
  }
};

struct EventSpec {
  std::string label;      // what happened, in words
  bool enabled = true;    // false: read and checked, then left out of the run (a what-if switch)
  std::size_t entry = 0;  // its position in the merged [[events]] array: the N of events.N keys
  EventKind kind = EventKind::impulse;
  double date = 0.0;                 // decimal year
  std::int64_t step = 0;             // the step at whose start it is applied
  std::size_t actor = 0;             // source / sender / supplier / applicant
  std::vector<std::size_t> targets;  // target actors (impulse, sanction, energy_link)
  std::vector<std::size_t> domains;  // domains hit by the impulse; empty: all
  std::string cameo;                 // CAMEO code, "" if goldstein given directly
  double goldstein = 0.0;            // Goldstein weight, -10..10
  bool mutual = false;               // the impulse also moves target -> actor
  double intensity = 0.0;            // sanction, trade_cost: tariff-equivalent cost increase [1]; a
                                     // financial sanction: the share of the finance blocked [0, 1]
  SanctionType sanction_type = SanctionType::trade;  // sanction: what it acts on
  FlowDirection direction = FlowDirection::both;     // sanction, trade_cost: which flows
  double secondary = 0.0;                            // sanction: secondary-sanction scale [1]
  double anticipation = 0.0;    // trade sanction: years before its date over which trade costs
                                // already rise linearly to it (traders anticipate), yr
  double persistence = 0.0;     // lift_sanction: time constant over which the lifted trade costs
                                // fade, yr (0: at once)
  double capacity = 0.0;        // energy_link, import_capacity: capacity, bcm/yr
  double cost = 0.0;            // energy_link: relative supply cost [1]; 0: keep the link's
  std::size_t institution = 0;  // apply, join, leave: institution index
  std::optional<std::size_t> other_member;  // join, leave: the member that is not an actor
                                            // (index into the institution's others), if any
  std::size_t corridor_edge = 0;            // corridor: edge index
  bool open = true;                         // corridor: open (true) or close
  FinanceChangeSpec finance;                // finance: the new levels
  std::size_t lender = 0;                   // programme: lender index
  double amount = 0.0;                      // programme: disbursement, US$ bn/yr (0 ends it)
  std::optional<double> catalysed;          // programme: finance that depends on it; none: keep
};

// The CAMEO codes whose Goldstein weight a sanction or lift_sanction event takes when it names
// neither cameo nor goldstein (engine/scenario/goldstein.hpp).
inline constexpr std::string_view kSanctionCameo = "163";  // impose embargo, boycott or sanctions
inline constexpr std::string_view kLiftSanctionCameo =
    "085";  // ease economic sanctions, boycott, embargo

struct TimeSpec {
  int start_month = 1;       // 1..12, the month of `start` (summits fall in a calendar month)
  double start = 2025.0;     // decimal year of the first recorded state
  double years = 10.0;       // length of the run, yr
  int steps_per_year = 12;   // one month by default
  std::int64_t steps = 120;  // derived: round(years * steps_per_year)
  double dt() const { return 1.0 / steps_per_year; }  // yr
  // The step nearest `date` (a decimal year; the later of two as near), not clamped to the run:
  // the state a point observation or a check's date reads.
  double nearest_step(double date) const {
    return std::floor((date - start) * static_cast<double>(steps_per_year) + 0.5);
  }
  // The date (decimal year) of the state after `step` steps; end() is the run's last state.
  double date_of_step(std::int64_t step) const {
    return start + static_cast<double>(step) / steps_per_year;
  }
  double end() const { return date_of_step(steps); }
};

enum class Integrator { euler, rk4 };
// How trade responds to costs: partial gravity, pair by pair against fixed multilateral
// resistance (0.1), or structural gravity solved in changes each step (trade diverts).
enum class Gravity { partial, structural };
enum class SelfAppraisal { fixed, evolve };

// Parameters of the "interdependence" model (docs/model.md, Details).
struct FlowParams {
  double gdp_elasticity_origin = 1.0;       // a in X* ~ Y_i^a Y_j^b tau^-theta [1]
  double gdp_elasticity_destination = 1.0;  // b [1]
  double trade_cost_elasticity = 4.0;       // theta [1]
  double relation_cost = 0.5;               // kappa: tau *= exp(-kappa * Rbar_ij) [1]
  double route_elasticity = 1.0;  // delta: trade ~ (d/d0)^-delta when a corridor route changes [1]
  double adjustment_years = 2.0;  // T_X, flows close 1-1/e of the gap in this time, yr
  double energy_choice = 3.0;     // beta_E, logit sensitivity to supply cost [1]
  double secondary_exposure = 1.0;        // how secondary sanctions scale with dependence [1]
  Gravity gravity = Gravity::structural;  // trade response: structural diverts, partial not
  double world_gdp = 110000.0;  // world GDP at t0, US$ bn: the rest of the world is what the
                                // actors leave of it (structural gravity)
  bool finance = true;  // finance counts as a channel of dependence (sensitivity, vulnerability,
                        // leverage); false: only trade and gas do
};

struct DecideParams {
  double benefit = 1.0;       // lambda_B, 1/yr
  double reciprocity = 0.3;   // lambda_R, 1/yr
  double pressure = 2.0;      // lambda_P, 1/yr per unit leverage x hostility
  double balance = 0.2;       // lambda_S, 1/yr
  double alignment = 0.0;     // lambda_A, 1/yr
  double institutions = 1.0;  // multiplies each institution's conflict_damping [1]
  double anchor = 1.0;        // multiplies each actor's inertia [1]
  double event_scale = 0.03;  // relation change per Goldstein point [1/point]
  double event_reciprocal =
      0.5;  // share of an impulse felt in the reverse direction when mutual=false
  double event_persistence = 0.5;    // share of an impulse that shifts the anchor r0 for good [1]
  double benefit_gain = 0.5;         // g: target shift = tanh(g * log change of the channels) [1]
  double max_change_per_year = 2.0;  // bound on |dr/dt| from the drift, 1/yr
  bool clamp = true;                 // keep relations in [-1, 1]
  bool balance_normalize = true;     // divide the triad sum by max(1, N-2)
  Integrator integrator = Integrator::euler;
  SelfAppraisal self_appraisal = SelfAppraisal::fixed;
  // Alignment weights W[i,k] (row-stochastic). Empty: W[i,k] proportional to the sensitivity
  // S[i,k] of i to k (an actor listens to those it depends on).
  std::vector<double> influence;
};

// The share of an event's impulse (event_scale · G on the sender's relation toward the target)
// that the target's relation back gets (docs/model.md §7.1): all of it when the event is mutual,
// none for a sanction or its lifting (the target answers with events of its own), else
// event_reciprocal. The model applies it; explain restates no copy of it.
inline double reverse_impulse_share(EventKind kind, bool mutual, const DecideParams& p) {
  if (mutual) return 1.0;
  if (kind == EventKind::sanction || kind == EventKind::lift_sanction) return 0.0;
  return p.event_reciprocal;
}

struct ModelParams {
  FlowParams flows;
  DecideParams decide;
};

// Observations: recorded figures a run is held against (docs/scenario-format.md, [[observations]]).
// The simulated counterpart of each is taken from the run's states (engine/run/observation.hpp).
enum class ObservationPeriod {
  point,    // the state at the step nearest the date
  year,     // the mean over the states of the 12 months that end in the year the date names,
            // starting in year_start_month (1: the calendar year; 7: a July-June fiscal year)
  quarter,  // the mean over the states of the calendar quarter the date starts (2027Q2)
  month,    // the mean over the states of the month the date starts (2027-06)
};
enum class ObservationAggregate {
  value,       // the quantity as named
  pair_total,  // x[i,j] + x[j,i]: both directions of an actor x partner quantity
};

struct ObservationSpec {
  // The states a figure dated `date` averages lie in [first, last) (decimal years; a point's
  // are its date): period year, the 12 months ending in the year `date`; quarter and month, the
  // 3 months or the month starting at `date`.
  std::pair<double, double> window(double date) const {
    switch (period) {
      case ObservationPeriod::point: return {date, date};
      case ObservationPeriod::quarter: return {date, date + 0.25};
      case ObservationPeriod::month: return {date, date + 1.0 / 12.0};
      case ObservationPeriod::year: break;
    }
    const double start = date - (year_start_month == 1 ? 0.0 : 1.0) + (year_start_month - 1) / 12.0;
    return {start, start + 1.0};
  }
  // The steps k of a run whose states (at time.start + k / steps_per_year) lie in window(date):
  // [first, end), not clamped to the run (first >= end: none). 1e-9 yr: a month's start is not
  // an exact decimal year. The loader checks that a period holds a step, the run averages these.
  std::pair<double, double> window_steps(double date, const TimeSpec& time) const {
    const auto [first, last] = window(date);
    const double per_year = static_cast<double>(time.steps_per_year);
    return {std::ceil((first - time.start) * per_year - 1e-9),
            std::ceil((last - time.start) * per_year - 1e-9)};
  }

  std::string quantity;     // a recorded dataset and its coordinates, e.g. "trade[PAK,RUS]"
  SourcePosition position;  // where `quantity` was written (errors found when it is resolved)
  // Where `aggregate` and `unit` were written (none: `position`), for errors about them.
  SourcePosition aggregate_position, unit_position;
  ObservationPeriod period = ObservationPeriod::point;
  int year_start_month = 1;  // period year: the month its 12 months start in, 1..12
  ObservationAggregate aggregate = ObservationAggregate::value;
  std::string unit;                 // the values' unit: the dataset's, or one converted to it
  std::string source;               // where the figures come from
  std::vector<double> dates;        // decimal years (period year: the years the periods end in;
                                    // quarter and month: the decimal years they start)
  std::vector<double> values;       // observed, in `unit`, one per date
  std::vector<double> uncertainty;  // standard uncertainty, in `unit`, one per date (> 0)
  // Where each value was written, for errors about it: its element of `values`, or its cell of
  // the CSV it was read from (`values_from_csv`); empty when not known (then `position`).
  std::vector<SourcePosition> value_positions;
  bool values_from_csv = false;
};

// What to record: declared apart from the model (FLAME GPU 2 style logging config).
struct RecordSpec {
  std::int64_t every = 1;     // record every k-th step (the initial state is always recorded)
  bool contributions = true;  // record each decision term's increment
  bool network = true;        // compute and write the /network group after the run
  int compression = 0;  // deflate level (with shuffle) of a run file's large datasets, 0 (none)
                        // .. 9; none by default: level 1 wrote 11x slower for a 30 % smaller
                        // file at 200 actors (docs/performance.md, "Writing a run file")
};

// Network analysis after the run (docs/model.md, "Network analysis").
struct NetworkSpec {
  double tie_threshold = 0.1;  // |Rbar_ij| above which a tie counts as signed [1], in [0, 1)
};

struct ScenarioSpec {
  std::string name;
  std::string description;
  std::string model = "interdependence";
  std::string source_path;             // the file it was loaded from
  std::string resolved_text;           // the fully merged scenario as TOML (after base and --set)
  std::vector<std::string> overrides;  // the overrides that changed it, in order ("key=value")
  // The run a text printed by `inspect --scenario` records ([run]: its label and the overrides
  // that made it), so that a rerun of the text is named and listed as that run was; read from
  // the file named (a base's [run] is not inherited), and not part of resolved_text.
  std::optional<std::string> recorded_label;
  std::vector<std::string> recorded_overrides;
  SourcePosition time_position;  // where the run length was set (for size errors)
  // Where `years` or `steps` was written (a file's line, or a --set; none in a copy of the
  // document, which keeps no positions), and which of them ("" when neither: the default).
  SourcePosition length_position;
  std::string length_key;
  SourcePosition model_position;  // where the model was named (for an unknown model)
  std::uint64_t seed = 1;         // default seed; the CLI's --seed overrides
  TimeSpec time;

  std::vector<DomainSpec> domains;
  std::vector<ActorSpec> actors;
  std::vector<InstitutionSpec> institutions;
  std::vector<LenderSpec> lenders;
  std::vector<CorridorNodeSpec> corridor_nodes;
  std::vector<CorridorEdgeSpec> corridor_edges;
  std::vector<EventSpec> events;              // sorted by step, stable in file order
  std::vector<ObservationSpec> observations;  // in file order
  // The events written `enabled = false`, read and checked, in file order: not run; the lab
  // lists them (docs/lab.md) so that a class can switch one on.
  std::vector<EventSpec> disabled_events;

  // The initial state between pairs, as written (PairValues: the pairs the file gives, the rest
  // a default), indexed as the dense row-major arrays the models expand them to.
  PairValues<double> relations;         // r0 at (i*N + j)*D + d, [-1,1]; not written: 0
  PairValues<double> trade;             // X0 at i*N + j, exports i -> j, US$ bn/yr; 0
  PairValues<EnergyLinkSpec> energy;    // gas link i -> j at i*N + j; EnergyLinkSpec{}
  PairValues<FinanceFlowSpec> finance;  // finance i -> j at i*N + j; FinanceFlowSpec{}

  ModelParams params;
  RecordSpec record;
  NetworkSpec network;

  std::size_t actor_count() const { return actors.size(); }
  std::size_t domain_count() const { return domains.size(); }
  std::size_t institution_count() const { return institutions.size(); }
};

}  // namespace interdep
