// The "interdependence" model (docs/model.md): gravity flows with sanction cost shocks, Keohane
// and Nye's sensitivity and vulnerability, actor decisions with interest-weighted benefits,
// reciprocity, third-party pressure, structural balance, alignment and seeded noise, and
// institutions with admission rules.
//
// One source file per phase of a step, in the engine's order (engine/run/simulation.cpp):
//   interdependence_model.cpp  construction, calibration from the initial state, shared helpers
//   events.cpp                 phase 1, apply_event
//   flows.cpp                  phase 2, update_flows
//   gravity.cpp                phase 2, structural gravity in changes (trade diversion)
//   interdependence.cpp        phase 3, update_interdependence
//   decide.cpp                 phase 4, decide
//   institutions.cpp           phase 5, run_institutions
//   finance.cpp                finance and lenders' programmes (events, shares, reviews)
#pragma once

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/run/model.hpp"
#include "models/interdependence/matrix_product.hpp"
#include "models/interdependence/terms.hpp"

namespace interdep {

// A sum of gas flows within this share of the figure it should add up to is that figure, up to
// the sum's rounding: a shortfall this small relative to the need is not gas missing (a bcm/yr
// in a need of 10^6 bcm/yr still is), and gas landed this far above the import capacity is not
// above it (docs/model.md §7.2.4).
inline constexpr double kGasSumRounding = 1e-12;

// Shareholders' votes that add up to a lender's blocking share within this share of it reach it:
// shares are written in decimals (0.0523 + 0.0754 + 0.0223 for 0.15) and their sum rounds
// (docs/model.md §7.3.2).
inline constexpr double kVoteSumRounding = 1e-12;

// f(std::integral_constant<std::size_t, n>{}) for a world of n = 2 .. 8 actors, else
// f(std::integral_constant<std::size_t, 0>{}) (any number): the step's loops over a handful of
// partners, compiled for their length, unroll; the arithmetic and its order are the same.
template <class F>
void with_actor_count(std::size_t n, F&& f) {
  switch (n) {
    case 2: return f(std::integral_constant<std::size_t, 2>{});
    case 3: return f(std::integral_constant<std::size_t, 3>{});
    case 4: return f(std::integral_constant<std::size_t, 4>{});
    case 5: return f(std::integral_constant<std::size_t, 5>{});
    case 6: return f(std::integral_constant<std::size_t, 6>{});
    case 7: return f(std::integral_constant<std::size_t, 7>{});
    case 8: return f(std::integral_constant<std::size_t, 8>{});
    default: return f(std::integral_constant<std::size_t, 0>{});
  }
}

class InterdependenceModel final : public Model {
 public:
  explicit InterdependenceModel(const ScenarioSpec& spec);

  std::string_view name() const override { return "interdependence"; }
  std::span<const std::string_view> term_names() const override { return kTermNames; }
  void initialize(WorldState& state) override;
  void apply_event(const EventSpec& event, std::size_t event_index, const StepClock& clock,
                   WorldState& state, EventLog& log) override;
  void update_flows(const StepClock& clock, WorldState& state) override;
  void update_interdependence(WorldState& state) override;
  void decide(const StepClock& clock, WorldState& state, Rng& rng) override;
  void run_institutions(const StepClock& clock, WorldState& state, Rng& rng,
                        EventLog& log) override;
  // Phase 4 shares its products (by domain) and its actors (in parts) with these threads.
  void share_work(StepWorkers& workers) override;

  // Terms integrated by decide(), in the order of Term (benefit .. institutions).
  static constexpr std::size_t kDriftTerms = 7;

  // The model's own copies of the relations (per domain) and of the overall relations hold
  // exactly those in `state`, as every phase must leave them (for assertions and tests).
  bool relations_in_sync(const WorldState& state) const;

 private:
  using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Drift = std::array<std::vector<Matrix>, kDriftTerms>;  // [term][domain] N x N

  // Benefit channels (docs/model.md §7.4.2): the order of channel_ and channel0_.
  enum Channel : std::size_t {
    kTradeChannel,
    kEnergyChannel,
    kThreatChannel,
    kInstitutionChannel,
    kFinanceChannel,
    kChannels
  };

  // c = a b, summed in the order of matrix_product.hpp (the same bits on every CPU).
  static void multiply_into(const Matrix& a, const Matrix& b, Matrix& c) {
    assert(a.cols() == b.rows() && c.rows() == a.rows() && c.cols() == b.cols());
    multiply(a.data(), b.data(), c.data(), static_cast<std::size_t>(a.rows()),
             static_cast<std::size_t>(a.cols()), static_cast<std::size_t>(b.cols()));
  }
  // Anchors and benefit targets stay in [-1, 1]; relations too when `clamp` is on.
  static double clamp_relation(double r) { return std::clamp(r, -1.0, 1.0); }

  // ---- Shared (interdependence_model.cpp) ----
  void unpack_relations(const std::vector<double>& packed, std::vector<Matrix>& per_domain) const;
  void overall_row(const std::vector<Matrix>& x, std::size_t i);
  void compute_relation_overall(const std::vector<Matrix>& x, Matrix& r) const;
  void sync_relations(WorldState& state);
  // ---- Phase 1, events (events.cpp) ----
  void apply_impulse(std::size_t from, std::size_t to, const std::vector<std::size_t>& domains,
                     double delta, WorldState& state);
  void update_routes(const WorldState& state);
  void update_route_factors();
  // The matrices that depend only on who belongs to which institution (institutions.cpp):
  // rebuilt when state.membership differs from the one they were last built from. Membership
  // changes only at events and summits; the phases read it every step.
  void refresh_membership(const WorldState& state);
  // ---- Phase 2, flows (flows.cpp) ----
  // Sets tau, wedge_, relation_factor_, mean_relation_ and cost_rest_ for this step's relations;
  // the gas costs read wedge_ and relation_factor_, so it runs first.
  void compute_trade_costs(const WorldState& state, Matrix& tau);
  // exp(-c rbar) of the pair (i != j), rbar its mean relation: the same both ways, stored once.
  double relation_factor(std::size_t i, std::size_t j) const {
    assert(i != j);
    const auto lo = static_cast<Eigen::Index>(std::min(i, j));
    const auto hi = static_cast<Eigen::Index>(std::max(i, j));
    return relation_factor_(lo, hi);
  }
  double effective_energy_cost(std::size_t supplier, std::size_t importer) const;
  void compute_energy_targets(const WorldState& state);
  void update_partial_gravity(WorldState& state, double relax);
  void calibrate_gravity(const WorldState& state);
  void solve_gravity(const WorldState& state);
  // The gas importer j can land this step: its need within its import capacity, bcm/yr.
  double landable(std::size_t j, const WorldState& state) const {
    return landed_gas(state.energy_demand[j], import_capacity_[j]);
  }
  // ---- Phase 4, decisions (decide.cpp) ----
  static double channel_weight(const DomainSpec& domain, std::size_t channel);
  void compute_channels(const WorldState& state, std::vector<Matrix>& channel,
                        bool threat_ready = false);
  void compute_threat(const double* overall, Matrix& hostility, Matrix& out);
  // The drift: prepare_drift computes what every row reads for relations x (their overall
  // relations, the pressure sum, and per domain the balance and alignment products); drift_row
  // then gives the drift of relations (i, 0..N-1) of domain d under each term, into
  // out[t][0..N), 1/yr; drift_sum_row their Euler increment over dt (yr), dt times each term
  // summed in the terms' order, into sum[0..N) (1); evaluate_drift gives every row (Runge-Kutta's
  // stages).
  void prepare_drift(const std::vector<Matrix>& x, Matrix* threat = nullptr);
  void drift_row(const Matrix& x, std::size_t d, Eigen::Index i,
                 const std::array<double*, kDriftTerms>& out) const;
  template <std::size_t kN>  // kN actors, or any number for 0
  void drift_sum_row(const Matrix& x, std::size_t d, Eigen::Index i, double dt, double* sum) const;
  template <std::size_t kN, class Sink>  // kN actors, or any number for 0; Sink: decide.cpp
  void drift_row_of(const Matrix& x, std::size_t d, Eigen::Index i, const Sink& sink) const;
  void evaluate_drift(const std::vector<Matrix>& x, Drift& out);
  void size_combine_scratch(std::size_t parts);
  // rows(first, last) over blocks of actors [first, last) that together cover 0..N-1: on the
  // step's threads when it has them, else once on this thread. For work whose every row is
  // its own (same results whatever the blocks).
  template <class Rows>
  void for_row_blocks(Rows&& rows) {
    if (workers_ == nullptr) {
      rows(std::size_t{0}, n_);
      return;
    }
    const std::size_t parts = combine_scratch_.size();
    auto part = [&](std::size_t k) { rows(n_ * k / parts, n_ * (k + 1) / parts); };
    workers_->run(parts, part);
  }
  // ---- Phase 5, institutions (institutions.cpp) ----
  // The months (0: the start month) that begin within the step, [first, last): none, one, or
  // several when a step is longer than a month.
  std::pair<std::int64_t, std::int64_t> months_of_step(const StepClock& clock) const;
  bool summit_in_step(const StepClock& clock, int summit_month) const;
  // Whether `applicant` applied to `institution` by an event of this step dated after the
  // summit's month (possible only in steps longer than a month): decided at the next summit.
  bool applied_after_summit(const StepClock& clock, std::size_t institution, std::size_t applicant,
                            int summit_month) const;
  // ---- Finance (finance.cpp): phase 1 events, phase 3 shares, phase 5 programme reviews ----
  void apply_finance_event(const EventSpec& event, WorldState& state);
  void compute_finance_shares(std::size_t i, const WorldState& state);
  bool review_in_step(const StepClock& clock, int review_months) const;
  void review_programmes(const StepClock& clock, WorldState& state);
  void record_programmes(WorldState& state) const;
  // Finance i -> j after financial sanctions, US$ bn/yr.
  double finance_flow(std::size_t i, std::size_t j) const;

  // Data members. Pairs are packed [i*N + j] in vectors and indexed (i, j) in N x N matrices,
  // "per domain" is one N x N matrix per domain. Scratch is sized at construction so that
  // stepping does not allocate (tests/test_allocations.cpp); its values last one call.

  // ---- Construction ----
  const ScenarioSpec& spec_;     // the frozen scenario; outlives the model
  const std::size_t n_, d_, i_;  // counts of actors, domains, institutions

  // Keys of the random draws (engine/run/rng.hpp): a stream per use, and the names' keys.
  static constexpr std::uint64_t kNoiseStream = 1;
  static constexpr std::uint64_t kAdmissionStream = 2;
  std::vector<std::uint64_t> actor_key_;        // name_key(actor code)
  std::vector<std::uint64_t> domain_key_;       // name_key(domain name)
  std::vector<std::uint64_t> institution_key_;  // name_key(institution name)

  // ---- Calibration from the initial state (initialize, docs/model.md §5), fixed after ----
  std::vector<double> trade0_;          // X0[i*N+j]: exports i -> j at t0, US$ bn/yr
  std::vector<double> gdp0_;            // Y0[i]: GDP at t0, US$ bn
  std::vector<double> tau0_;            // tau0[i*N+j]: trade-cost factor at t0, 1
  std::vector<double> cost_rest0_;      // cost_rest_ at t0, [i*N+j], 1
  std::vector<double> mean_relation0_;  // mean_relation_ at t0, [i*N+j] for i < j, 1
  std::vector<double> route0_;  // d0[i*N+j]: cheapest route at t0, relative leg cost (inf: none)
  // rho[i*N+j], the route's factor of tau (§7.2.1): (d/d0)^(delta/theta), kClosedRouteFactor
  // when no route is open any more, 1 without a route at t0; made when the routes change.
  std::vector<double> route_factor_;
  std::vector<double> row_trade0_;    // T_RoW[i]: trade with the rest of the world at t0, US$ bn/yr
  std::vector<double> row_finance0_;  // F_RoW[i]: finance from the rest of the world at t0,
                                      // US$ bn/yr
  Matrix threat_weight_;  // pi[i,k] = M_k / (M_i + M_k): threat k's capability relative to the
                          // perceiver i, 1 (0 when both are 0)
  Matrix energy_taste_;   // alpha[k,j]: logit constant of supplier k for importer j that
                          // reproduces the initial gas shares, utility (1)
  std::vector<double> channel0_;  // C0: benefit channels at t0, [(i*N+j)*kChannels + c], 1

  // ---- Phase 1, events: exogenous state that events change (§7.1) ----
  // Impulses of this step, in the order applied: decide adds them to the contributions when it
  // sets the row of `from` (a step's contributions are set by decide; see model.hpp).
  struct Impulse {
    std::size_t from;      // the actor whose relation moved
    std::size_t relation;  // index of the relation, Dims::rel
    double event;          // the impulse, 1
    double clamp;          // what clamping took off it, 1
  };
  std::vector<Impulse> impulses_;  // reserved for every impulse of the scenario's events
  std::vector<double> route_;      // d[i*N+j]: cheapest open route on the corridor graph, relative
                                   // leg cost (inf: no route); recomputed by corridor events
  Matrix sanction_;                // Z[s,t]: tariff-equivalent primary sanction of s on t, 1
  Matrix secondary_;               // Q[s,t]: secondary-sanction scale of s on t, 1
  Matrix export_sanction_;         // Zx[s,t]: s's sanction on its exports to t (flow s -> t), 1
  Matrix import_sanction_;         // Zm[s,t]: s's sanction on its imports from t (flow t -> s), 1
  Matrix tariff_;                  // tariff-equivalent of trade_cost shocks on flow i -> j, 1
  Matrix anticipated_;             // the ramp of trade sanctions not yet started, on flow i -> j, 1
  Matrix lingering_;               // lifted trade sanctions still fading, on flow i -> j, 1
  Matrix lingering_rate_;          // their fading rate, 1/persistence, 1/yr
  std::vector<std::size_t> anticipated_events_;  // trade sanctions with an anticipation
  Matrix finance_cut_out_;               // share of s's finance to t that s's sanctions block, 1
  Matrix finance_cut_in_;                // share of t's finance to s that s's sanctions block, 1
  bool any_secondary_ = false;           // a secondary sanction was ever imposed: TS*Q is needed
  Matrix energy_capacity_;               // cap[k,j]: gas link capacity k -> j, bcm/yr
  std::vector<double> import_capacity_;  // K[i]: gas i can land and move, bcm/yr (0: no limit)
  Matrix energy_cost_;                   // c[k,j]: relative delivered cost of gas k -> j, 1
  std::vector<Matrix> x0_;  // r0 per domain: the anchor relations return to, 1; starts at the
                            // initial relations, events move it (read by decide)
  std::vector<FinanceFlowSpec> finance_;           // finance i -> j by component [i*N+j], US$ bn/yr
  std::vector<double> programme_amount_;           // lender l's programme for i [l*N+i], US$ bn/yr
  std::vector<double> programme_catalysed_;        // finance depending on it [l*N+i], US$ bn/yr
  std::vector<std::uint8_t> programme_suspended_;  // blocked at the last review [l*N+i]
  std::vector<double> veto_;     // b[l*N+j] = min(1, votes_j / blocking share): the share of l's
                                 // programmes that j can block, 1
  std::vector<double> grantor_;  // g[l*N+j]: 1 when j's votes block l's programmes alone (the
                                 // benefit channel credits a programme to them), else 0

  // ---- Phase 2, flows (§7.2), scratch ----
  Matrix tau_;              // tau[i,j]: trade-cost factor this step, 1 (diagonal 1)
  Matrix relation_factor_;  // exp(-c rbar[i,j]) for i < j (the upper triangle), 1
  Matrix mean_relation_;    // rbar[i,j], the pair's mean overall relation, for i < j, 1
  Matrix cost_rest_;        // tau[i,j] / exp(-c rbar[i,j]): route, wedge and discounts, 1
  Matrix wedge_;            // w[i,j]: sanction wedge of the pair, both directions and secondary
                            // part, tariff equivalent (1); also read by the gas cost
  Matrix energy_target_;    // gas flow k -> j the logit aims at, bcm/yr (utilities while computed)
  std::vector<double> outside_target_;   // gas j lands from the rest of the world, target, bcm/yr
  std::vector<double> link_weight_;      // per supplier, while splitting one importer's gas: its
                                         // logit weight exp(u - top), 1
  std::vector<double> growth_exponent_;  // per actor, the last step's g dt (NaN before any), 1
  std::vector<double> growth_factor_;    // per actor, exp(growth_exponent_), 1
  std::vector<double> destination_growth_;  // partial gravity: (Y_j / Y0_j)^b per actor, 1
  std::vector<std::uint8_t> link_full_;     // per supplier, while splitting one importer's gas: its
                                            // link runs at capacity (1 found, 2 counted)
  std::vector<double> energy_outside_;      // gas j lands from the rest of the world, bcm/yr
  Matrix product_;  // N x N product: TS*Q in compute_trade_costs, the capability-weighted
                    // hostility in compute_channels; never carried between them

  // Structural gravity (§7.2.2): regions are the actors and the rest of the world (last).
  Matrix base_flow_;           // X0[r,s] with domestic sales and the rest of the world, US$ bn/yr
  Matrix shocked_flow_;        // X0 (tau/tau0)^-theta this step, US$ bn/yr
  Matrix gravity_flow_;        // the solved flows this step, US$ bn/yr
  Matrix shocked_transposed_;  // S^T, for the columns of S as rows, US$ bn/yr
  Eigen::VectorXd sales_sum_, spending_sum_;            // S B and S^T A during the solve, US$ bn/yr
  std::vector<double> sales0_, spending0_;              // row and column sums of X0, US$ bn/yr
  Eigen::VectorXd sales_target_, spending_target_;      // this step's, US$ bn/yr
  Eigen::VectorXd previous_sales_, previous_spending_;  // the last step's, US$ bn/yr
  Eigen::VectorXd scale_out_, scale_in_;                // A, B of the scaling (warm start), 1
  // Newton's method on the scaling (a world of at most kNewtonRegions regions): its scratch.
  struct NewtonScratch {
    std::vector<std::uint8_t> held;           // per region: its B is held (one per trading group)
    std::vector<std::size_t> held_regions;    // the regions whose B is held, in order
    std::vector<double> jacobian;             // for the changes of B, R x R row-major
    std::vector<double> weighted;             // diag(A / SB) S, held regions' columns 0, R x R
    std::vector<double> rhs;                  // its right-hand side, then the changes of B, R
    std::vector<double> sales, spending;      // S B and S^T A, US$ bn/yr
    std::vector<double> weight, scaled;       // A / (S B) and the sales residual / (S B)
    std::vector<double> start_out, start_in;  // A and B before the first step
  } newton_;
  bool solve_gravity_newton();
  template <std::size_t kR>  // kR regions, or any number for 0
  bool solve_gravity_newton_of();
  std::vector<double> row_trade_;  // i's trade with the rest of the world now, US$ bn/yr

  // ---- Phase 3, interdependence (§7.3); read by flows and decide ----
  Matrix trade_share_;                  // TS[i,j]: share of i's total trade that is with j, 1
  Matrix energy_share_;                 // ES[i,j]: share of i's landed gas imports supplied by j, 1
  std::vector<double> gas_dependence_;  // epsilon[i]: imported gas / primary energy use, 1
  Matrix export_share_;                 // XS[i,j]: share of i's gas exports sold to j, 1
  std::vector<double> openness_;        // O[i]: total trade (rest of the world included) / GDP, 1
  Matrix finance_share_;  // FS[i,j]: share of i's finance that j provides or can block, 1
  Matrix finance_given_;  // FG[i,j]: share of i's finance that j gives, programmes credited to
                          // the shareholders that can block them alone (the benefit channel), 1
  std::vector<double> finance_openness_;         // phi[i]: i's external finance / GDP, 1
  std::array<Matrix, 3> channel_vulnerability_;  // V^c[i,j] per channel of dependence, 1

  // ---- Phase 4, decisions (§7.4), scratch ----
  std::vector<Matrix> x_;     // r per domain: the relations in `state`, kept by sync_relations
  Matrix overall_;            // R[i,j]: overall relations of x_ (or of an RK stage), 1
  Matrix hostility_;          // max(0, -R[i,k]), 1
  Matrix leverage_plus_;      // max(0, L[i,k]): k's leverage over i, 1
  Matrix threat_hostility_;   // max(0, -R[i,k]) for the shared threat in prepare_drift, 1
  Matrix threat_transposed_;  // its transpose, max(0, -R[k,i]) at (i, k), 1
  Matrix pressure_sum_;       // sum_k L+[i,k] max(0, -R[k,j]): third-party pressure, 1
  // Built from membership_seen_ by refresh_membership (row i, column j; diagonals as noted):
  Matrix damping_;  // Gamma[i,j]: summed conflict damping of shared institutions (0 at i = j), 1/yr
  Matrix shared_institutions_;  // share of the institutions i and j both belong to, 1
  Matrix trade_discount_;       // prod over shared institutions of (1 - discount) (i != j), 1
  std::vector<std::uint8_t> membership_seen_;
  bool membership_built_ = false;   // not before the first refresh, even for an empty membership
  Matrix influence_;                // W[i,k]: weight of k's view in i's alignment, rows sum to 1
  std::vector<Matrix> channel_;     // C per channel (kChannels), then its log change since t0, 1
  std::vector<Matrix> target_;      // b per domain: the benefit target of each relation, 1
  std::vector<Matrix> transposed_;  // X^T per domain: r[j,i] at (i, j), 1
  std::vector<Matrix> balance_product_;     // X X per domain (sum_k r[i,k] r[k,j]), 1
  std::vector<Eigen::VectorXd> self_view_;  // r[j,j] per domain (alignment), 1
  std::vector<Matrix> alignment_product_;   // W X per domain (sum_k W[i,k] r[k,j]), 1
  // What one part of decide's actors needs for itself (one part without threads).
  struct CombineScratch {
    std::vector<double> drift_rows;         // Euler: actor i's [(d*T + t)*N + j], 1/yr
    std::vector<const double*> increment;   // [d*T + t]: row i of the increment of (d, t)
    std::vector<Rng::KeyMixer> pair_key_u;  // [j] first noise key of actor i's pairs
    std::vector<double*> relation_row;      // [d]: row i of x_[d]
    std::vector<double> impulse_event, impulse_clamp;  // [j*D + d] actor i's impulses, 1
  };
  std::vector<CombineScratch> combine_scratch_;
  StepWorkers* workers_ = nullptr;  // threads of the step (share_work), or none
  // Runge-Kutta only (empty with Euler):
  std::vector<Matrix> stage_;  // relations per domain at a stage, 1
  Drift k1_, k2_, k3_, k4_;    // drift per term and domain at each stage, 1/yr
  Drift increment_;            // increment of the step per term and domain, 1
};

}  // namespace interdep
