// Phase 4 of a step: every actor adjusts its relations (docs/model.md §7.4): benefit channels and
// targets, the drift terms, Euler or Runge-Kutta integration, rate bound, noise, clamping, and
// the contribution of every term.
#include "models/interdependence/interdependence_model.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <type_traits>

namespace interdep {
namespace {

constexpr double kChannelFloor = 0.01;  // epsilon of ln((C + eps) / (C0 + eps)), share

}  // namespace

double InterdependenceModel::channel_weight(const DomainSpec& domain, std::size_t channel) {
  switch (channel) {
    case kTradeChannel: return domain.trade;
    case kEnergyChannel: return domain.energy;
    case kThreatChannel: return domain.threat;
    case kFinanceChannel: return domain.finance;
    default: return domain.institutions;
  }
}

// Shared threat: sum_k pi[i,k] max(0,-R[i,k]) max(0,-R[j,k]), with pi[i,k] the threat k's
// capability relative to the perceiver i (threat_weight_), from the overall relations `overall`
// (N x N, row-major). Uses hostility, product_ and threat_transposed_ as scratch.
void InterdependenceModel::compute_threat(const double* overall, Matrix& hostility, Matrix& out) {
  const auto N = static_cast<Eigen::Index>(n_);
  for (Eigen::Index i = 0; i < N; ++i)
    for (Eigen::Index k = 0; k < N; ++k) {
      const double h = std::max(0.0, -overall[static_cast<std::size_t>(i * N + k)]);
      hostility(i, k) = h;
      threat_transposed_(k, i) = h;
    }
  product_ = hostility.cwiseProduct(threat_weight_);
  multiply_into(product_, threat_transposed_, out);
}

// The channels of benefit (§7.4.2) from the state. `threat_ready`: the shared threat is in the
// channel already (computed with the step's products, prepare_drift).
void InterdependenceModel::compute_channels(const WorldState& state, std::vector<Matrix>& channel,
                                            bool threat_ready) {
  channel[kTradeChannel] = trade_share_;
  channel[kEnergyChannel] = energy_share_ + export_share_;
  if (!threat_ready)
    compute_threat(state.relation_overall.data(), hostility_, channel[kThreatChannel]);
  // Shared institutions: the share of institutions both belong to.
  refresh_membership(state);
  channel[kInstitutionChannel] = shared_institutions_;
  channel[kFinanceChannel] = finance_given_;
  for (std::size_t c = 0; c < kChannels; ++c) channel[c].diagonal().setZero();
}

// What every row of the drift reads, for relations x (per domain), with flows, leverage, benefit
// targets and institutional damping held at their values for this step.
void InterdependenceModel::prepare_drift(const std::vector<Matrix>& x, Matrix* threat) {
  const DecideParams& p = spec_.params.decide;
  if (&x != &x_) compute_relation_overall(x, overall_);  // a stage's; x_'s are kept in sync
  hostility_ = (-overall_).cwiseMax(0.0);
  // Part d < D: domain d's matrices; part D: the pressure sum. Each part's products are whole,
  // whichever thread computes them.
  // With `threat`, part D + 1 computes the shared threat channel of x's overall relations into
  // it (its own hostility matrix: hostility_ is the pressure part's).
  auto part = [&](std::size_t d) {
    if (d == d_) {
      if (p.pressure > 0.0) multiply_into(leverage_plus_, hostility_, pressure_sum_);
      return;
    }
    if (d == d_ + 1) {
      compute_threat(overall_.data(), threat_hostility_, *threat);
      return;
    }
    transposed_[d] = x[d].transpose();  // reciprocity reads r[j,i] along i's row
    // sum_k r[i,k] r[k,j]: the O(N^3) heart of the step
    if (p.balance > 0.0) multiply_into(x[d], x[d], balance_product_[d]);
    if (p.alignment > 0.0) {
      multiply_into(influence_, x[d], alignment_product_[d]);  // sum_k W[i,k] r[k,j]
      self_view_[d] = x[d].diagonal();
    }
  };
  const std::size_t parts = d_ + (threat != nullptr ? 2 : 1);
  if (workers_ != nullptr) {
    workers_->run(parts, part);
  } else {
    for (std::size_t d = 0; d < parts; ++d) part(d);
  }
}

namespace {

// A row of kN actors (0: any number, `actors`): at a handful of actors the loops, compiled for
// their length, unroll.
template <std::size_t kN>
struct RowLength {
  std::size_t actors;
  std::size_t n() const {
    if constexpr (kN != 0) return kN;
    return actors;
  }
};

// The sinks of drift_row_of, where it puts row i's drift under each term (1/yr).
// TermRows: each term's row, out[t][0..N) (contributions, Runge-Kutta's stages).
template <std::size_t kN>
struct TermRows : RowLength<kN> {
  const std::array<double*, InterdependenceModel::kDriftTerms>& out;
  template <class Value>
  void term(Term t, Value value) const {
    double* __restrict const o = out[term_index(t)];
    for (std::size_t j = 0; j < this->n(); ++j) o[j] = value(j);
  }
  void zero(Term t) const { std::fill(out[term_index(t)], out[term_index(t)] + this->n(), 0.0); }
  // The relation to itself: balance alone (0 unless self-appraisal evolves).
  void self(std::size_t i, double balance) const {
    for (std::size_t t = 0; t < InterdependenceModel::kDriftTerms; ++t) out[t][i] = 0.0;
    out[term_index(Term::balance)][i] = balance;
  }
};

// TermSum: Euler's increment of the step, dt times each term summed from 0.0 in the terms' order,
// (1): the bits of summing TermRows' rows so, without the rows. A term that is zero is left out:
// adding dt * 0.0 = +0.0 changes no sum, which never is -0.0 (it starts at +0.0, and only
// -0.0 + -0.0 gives -0.0). For a handful of actors (kN > 0) the sum is held in the sink: inlined
// into the combine, it stays in registers (no stores and reloads between the terms, no checks
// that it overlaps the rows read); for any number, in the caller's row `sum`, zeroed first.
template <std::size_t kN>
struct TermSum : RowLength<kN> {
  // The sum and where it is kept: its own array (kN > 0), or the caller's row.
  struct Held {
    std::array<double, kN> values{};
    double& operator[](std::size_t j) { return values[j]; }
  };
  struct Row {
    double* __restrict values;
    double& operator[](std::size_t j) { return values[j]; }
  };
  mutable std::conditional_t<kN != 0, Held, Row> sum;
  double dt;  // yr
  template <class Value>
  void term(Term, Value value) const {
    for (std::size_t j = 0; j < this->n(); ++j) sum[j] += dt * value(j);
  }
  void zero(Term) const {}
  void self(std::size_t i, double balance) const {
    double total = 0.0;  // as the combine sums TermRows' self entries
    for (std::size_t t = 0; t < InterdependenceModel::kDriftTerms; ++t)
      total += dt * (t == term_index(Term::balance) ? balance : 0.0);
    sum[i] = total;
  }
};

}  // namespace

// Row i of domain d (docs/model.md §7.4.3), on the rows of the row-major matrices, into `sink`
// (TermRows or TermSum) term by term in the terms' order. Each term is its rate times the actor's
// responsiveness mu; an actor's relation to itself moves only by balance, and only when
// self-appraisal evolves. One plain loop per term: at a handful of actors each Eigen expression
// cost more to set up than its few operations, and GCC vectorises these loops as Eigen did (the
// same operations on every element, in the same order).
template <std::size_t kN, class Sink>
[[gnu::always_inline]] inline void InterdependenceModel::drift_row_of(const Matrix& X,
                                                                      std::size_t d, Eigen::Index i,
                                                                      const Sink& sink) const {
  const DecideParams& p = spec_.params.decide;
  const auto I = static_cast<std::size_t>(i);
  const ActorSpec& a = spec_.actors[I];
  const double mu = a.responsiveness;
  const double nu = p.balance_normalize ? std::max(1.0, static_cast<double>(n_) - 2.0) : 1.0;
  const double balance_scale = p.balance / nu;
  const double* __restrict const r = X.row(i).data();
  auto row_of = [&](const Matrix& m) { return m.row(i).data(); };

  // Each term's leading factor is multiplied first, in the order of its formula.
  {
    const double k = mu * (p.benefit * a.interests[d] * static_cast<double>(d_));
    const double* __restrict const target = row_of(target_[d]);
    sink.term(Term::benefit, [&](std::size_t j) { return k * (target[j] - r[j]); });
  }
  {
    const double k = mu * p.reciprocity;
    const double* __restrict const transposed = row_of(transposed_[d]);
    sink.term(Term::reciprocity, [&](std::size_t j) { return k * (transposed[j] - r[j]); });
  }
  if (p.pressure > 0.0) {
    const double k = -mu * (p.pressure * (1.0 - a.risk));
    const double* __restrict const pressure = row_of(pressure_sum_);
    sink.term(Term::pressure, [&](std::size_t j) { return k * pressure[j] * 0.5 * (1.0 + r[j]); });
  } else {
    sink.zero(Term::pressure);
  }
  if (p.balance > 0.0) {
    const double* __restrict const product = row_of(balance_product_[d]);
    sink.term(Term::balance, [&](std::size_t j) { return product[j] * balance_scale * mu; });
  } else {
    sink.zero(Term::balance);
  }
  // Alignment: j's view of itself is replaced by i's own view (no pull from it).
  if (p.alignment > 0.0) {
    const double k = mu * p.alignment;
    const double* __restrict const product = row_of(alignment_product_[d]);
    const double* __restrict const influence = row_of(influence_);
    const double* __restrict const self_view = self_view_[d].data();
    sink.term(Term::alignment, [&](std::size_t j) {
      return k * (product[j] - influence[j] * self_view[j] + influence[j] * r[j] - r[j]);
    });
  } else {
    sink.zero(Term::alignment);
  }
  {
    const double k = mu * (p.anchor * a.inertia);
    const double* __restrict const anchor = row_of(x0_[d]);
    sink.term(Term::anchor, [&](std::size_t j) { return k * (anchor[j] - r[j]); });
  }
  {
    const double k = mu * p.institutions;
    const double* __restrict const damping = row_of(damping_);
    sink.term(Term::institutions,
              [&](std::size_t j) { return k * damping[j] * std::max(0.0, -r[j]); });
  }
  sink.self(I, p.self_appraisal == SelfAppraisal::evolve
                   ? mu * (p.balance > 0.0 ? balance_product_[d](i, i) * balance_scale : 0.0)
                   : 0.0);
}

void InterdependenceModel::drift_row(const Matrix& X, std::size_t d, Eigen::Index i,
                                     const std::array<double*, kDriftTerms>& out) const {
  with_actor_count(n_, [&](auto actors) {
    constexpr std::size_t kN = decltype(actors)::value;
    drift_row_of<kN>(X, d, i, TermRows<kN>{{n_}, out});
  });
}

template <std::size_t kN>
void InterdependenceModel::drift_sum_row(const Matrix& X, std::size_t d, Eigen::Index i, double dt,
                                         double* sum) const {
  if constexpr (kN != 0) {  // a handful of actors: the sum in registers (5 % off their step)
    const TermSum<kN> sink{{n_}, {}, dt};
    drift_row_of<kN>(X, d, i, sink);
    std::copy(sink.sum.values.begin(), sink.sum.values.end(), sum);
  } else {
    const TermSum<kN> sink{{n_}, {sum}, dt};
    std::fill(sum, sum + sink.n(), 0.0);
    drift_row_of<kN>(X, d, i, sink);
  }
}

void InterdependenceModel::evaluate_drift(const std::vector<Matrix>& x, Drift& out) {
  prepare_drift(x);
  for (std::size_t d = 0; d < d_; ++d)
    for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(n_); ++i) {
      std::array<double*, kDriftTerms> rows{};
      for (std::size_t t = 0; t < kDriftTerms; ++t) rows[t] = out[t][d].row(i).data();
      // A passive actor does not decide: its relations stay where they are in every stage
      // (only events move them), so that they do not feed the others' stages either.
      if (spec_.actors[static_cast<std::size_t>(i)].passive) {
        for (double* row : rows) std::fill(row, row + n_, 0.0);
        continue;
      }
      drift_row(x[d], d, i, rows);
    }
}

void InterdependenceModel::decide(const StepClock& clock, WorldState& state, Rng& rng) {
  const DecideParams& p = spec_.params.decide;
  const auto N = static_cast<Eigen::Index>(n_);
  const double dt = clock.dt;

  // Inputs held fixed during the step. x_ and overall_ hold state.relations and their overall
  // relations: every phase that moves relations ends with sync_relations.
  assert(relations_in_sync(state));
  for (Eigen::Index i = 0; i < N; ++i)
    for (Eigen::Index k = 0; k < N; ++k)
      leverage_plus_(i, k) = std::max(0.0, state.leverage[static_cast<std::size_t>(i * N + k)]);
  refresh_membership(state);  // damping_
  if (p.alignment > 0.0 && p.influence.empty()) {
    // W[i,k] proportional to i's sensitivity to k: an actor listens to those it depends on.
    for (Eigen::Index i = 0; i < N; ++i) {
      double sum = 0.0;
      for (Eigen::Index k = 0; k < N; ++k)
        sum += k == i ? 0.0 : state.sensitivity[static_cast<std::size_t>(i * N + k)];
      for (Eigen::Index k = 0; k < N; ++k)
        influence_(i, k) =
            sum > 0.0
                ? (k == i ? 0.0 : state.sensitivity[static_cast<std::size_t>(i * N + k)] / sum)
                : (k == i ? 1.0 : 0.0);
    }
  }
  // Euler: the step's products at once, the shared threat's among them (x_ and overall_ are the
  // state's relations). Runge-Kutta evaluates them per stage below.
  const bool euler = p.integrator == Integrator::euler;
  std::array<bool, kChannels> used{};
  for (std::size_t c = 0; c < kChannels; ++c)
    for (const DomainSpec& dom : spec_.domains) used[c] = used[c] || channel_weight(dom, c) > 0.0;
  const bool threat_with_products = euler && p.benefit > 0.0 && used[kThreatChannel];
  if (euler) prepare_drift(x_, threat_with_products ? &channel_[kThreatChannel] : nullptr);
  if (p.benefit > 0.0) {
    compute_channels(state, channel_, threat_with_products);
    // Change of each channel since t0, once per pair; the domains only weigh them. Flows
    // (trade, gas) change relatively: the log ratio. The shared threat follows the relations
    // directly, so it changes absolutely: a log ratio with a floor would make the target leap
    // when a relation to a third party crosses 0 (docs/model.md §7.4.2).
    // Pair by pair, in blocks of actors' rows (each pair's arithmetic is its own).
    for_row_blocks([&](std::size_t first, std::size_t last) {
      const std::size_t from = first * n_, to = last * n_;
      for (std::size_t c = 0; c < kChannels; ++c) {
        if (!used[c]) continue;
        double* change = channel_[c].data();
        if (c == kThreatChannel)
          for (std::size_t pr = from; pr < to; ++pr) change[pr] -= channel0_[pr * kChannels + c];
        else
          for (std::size_t pr = from; pr < to; ++pr) {
            const double before = channel0_[pr * kChannels + c];
            // An unchanged channel (no link, no shared institution, none gained) is log(1) = 0.
            change[pr] = change[pr] == before
                             ? 0.0
                             : std::log((change[pr] + kChannelFloor) / (before + kChannelFloor));
          }
      }
      // b = clamp(r0 + tanh(g * sum_c w_dc change_c)), the channels summed in their order.
      for (std::size_t d = 0; d < d_; ++d) {
        double* const target = target_[d].data();
        std::fill(target + from, target + to, 0.0);
        for (std::size_t c = 0; c < kChannels; ++c) {
          const double weight = channel_weight(spec_.domains[d], c);
          if (weight <= 0.0) continue;
          const double* const change = channel_[c].data();
          for (std::size_t pr = from; pr < to; ++pr) target[pr] += weight * change[pr];
        }
        const double* const anchor = x0_[d].data();
        for (std::size_t pr = from; pr < to; ++pr)  // tanh(0) = 0: no call for a still pair
          target[pr] = clamp_relation(
              anchor[pr] + (target[pr] == 0.0 ? 0.0 : std::tanh(p.benefit_gain * target[pr])));
      }
    });
  }

  // Integrate the drift over the step: Euler or classical Runge-Kutta (docs/model.md §7.4.4).
  // Euler's increment is dt times the drift, taken row by row as it is combined below (no
  // matrix per term); Runge-Kutta's is computed here for every term, and taken times 1.
  if (!euler) {
    auto stage = [&](const Drift& k, double h) {
      for (std::size_t d = 0; d < d_; ++d) {
        stage_[d] = x_[d];
        for (std::size_t t = 0; t < kDriftTerms; ++t) stage_[d] += h * k[t][d];
      }
    };
    evaluate_drift(x_, k1_);
    stage(k1_, 0.5 * dt);
    evaluate_drift(stage_, k2_);
    stage(k2_, 0.5 * dt);
    evaluate_drift(stage_, k3_);
    stage(k3_, dt);
    evaluate_drift(stage_, k4_);
    for (std::size_t t = 0; t < kDriftTerms; ++t)
      for (std::size_t d = 0; d < d_; ++d)
        increment_[t][d] = (dt / 6.0) * (k1_[t][d] + 2.0 * k2_[t][d] + 2.0 * k3_[t][d] + k4_[t][d]);
  }

  // Combine: bound the drift's rate, add noise, clamp; record every part (§7.4.5).
  const double bound = p.max_change_per_year * dt;
  const double sqrt_dt = std::sqrt(dt);
  // Noise keys (stream, step, actor, partner, domain) of the normal's two uniforms (prefixed 1
  // and 2, as Rng::normal_at: the ziggurat), hashed a prefix at a time (docs/model.md §4.8). The
  // second is needed only when the ziggurat's first try fails.
  const auto step = static_cast<std::uint64_t>(clock.step);
  const std::uint64_t step_u = Rng::key_chain(rng.key_root(), 1, kNoiseStream, step);
  const std::uint64_t step_v = Rng::key_chain(rng.key_root(), 2, kNoiseStream, step);
  const double increment_scale = euler ? dt : 1.0;
  // Euler without contributions to record needs each relation's increment only, not its terms.
  const bool summed = euler && state.terms == 0;
  const bool fixed_self = p.self_appraisal == SelfAppraisal::fixed;
  const bool clamp = p.clamp;
  const std::size_t terms = state.terms;
  double* const step_contributions = terms > 0 ? state.contributions.data() : nullptr;
  assert(step_contributions == nullptr || terms == kTermCount);
  // Actor by actor, each actor's relations in memory order (partner, then domain): its drift
  // rows of every domain first, then one pass that writes every relation and every one of its
  // terms' contributions once, in order (no clearing pass, no read-modify-write; the values are
  // those of adding to zeros: 0.0 + x, the impulses summed from 0.0 in their order). Every
  // relation's arithmetic is the same in any order.
  // Actors in parts (a part: a block of actors, their relations and their contributions),
  // shared among the step's threads when it has them. Every relation's arithmetic is its own,
  // so the parts change no result.
  const std::size_t parts = combine_scratch_.size();
  // For kN actors (0: any number): at a handful of actors, loops of a known length unroll.
  // kSummed: `summed`, known when compiled (no contributions then: their branches go).
  auto combine_actors_of = [&]<std::size_t kN, bool kSummed>(
                               std::integral_constant<std::size_t, kN>, std::bool_constant<kSummed>,
                               Eigen::Index first, Eigen::Index last, CombineScratch& scratch) {
    assert(kSummed == summed);
    double* const contributions = kSummed ? nullptr : step_contributions;
    const std::size_t actors = kN != 0 ? kN : n_;
    const std::size_t n_d = actors * d_;  // an actor's relations, [j][d]
    Rng::KeyMixer* const pair_key_u = scratch.pair_key_u.data();
    // increment[d * kDriftTerms + t]: row i of term t's increment in domain d.
    std::vector<const double*>& increment = scratch.increment;
    // relation_row[d]: row i of x_[d] (the relations of domain d, read and written in place).
    double** const relation_row = scratch.relation_row.data();
    const std::uint64_t* const domain_key = domain_key_.data();
    const Ziggurat& tables = ziggurat();
    for (Eigen::Index i = first; i < last; ++i) {
      const auto I = static_cast<std::size_t>(i);
      // Phase 1's impulses on actor i's relations, summed from 0.0 in their order ([j][d]).
      bool impulses = false;
      if (contributions)
        for (const Impulse& impulse : impulses_) {
          if (impulse.from != I) continue;
          if (!impulses) {
            std::fill(scratch.impulse_event.begin(), scratch.impulse_event.end(), 0.0);
            std::fill(scratch.impulse_clamp.begin(), scratch.impulse_clamp.end(), 0.0);
            impulses = true;
          }
          scratch.impulse_event[impulse.relation - I * n_d] += impulse.event;
          scratch.impulse_clamp[impulse.relation - I * n_d] += impulse.clamp;
        }
      const double* const event_of = impulses ? scratch.impulse_event.data() : nullptr;
      const double* const clamp_of = impulses ? scratch.impulse_clamp.data() : nullptr;
      // A relation that does not move this step: its contributions are its impulses alone.
      auto still = [&](std::size_t jd) {
        double* const c = contributions + (I * n_d + jd) * kTermCount;  // terms == kTermCount
        std::fill(c, c + kTermCount, 0.0);  // a known count: stores, not a call to memset
        if (impulses) {
          c[term_index(Term::event)] = event_of[jd];
          c[term_index(Term::clamp)] = clamp_of[jd];
        }
      };
      // overall_ and state.relation_overall of row i from x_ (as sync_relations), once its
      // relations are final. Also for an actor whose relations did not move: the stages of
      // Runge-Kutta leave their own overall relations in overall_.
      auto publish = [&] {
        overall_row(x_, I);
        std::copy(overall_.row(i).data(), overall_.row(i).data() + n_,
                  state.relation_overall.begin() + static_cast<std::ptrdiff_t>(I * n_));
      };
      // A passive actor does not decide: its relations keep what events gave them.
      if (spec_.actors[I].passive) {
        if (contributions)
          for (std::size_t jd = 0; jd < n_d; ++jd) still(jd);
        publish();
        continue;
      }
      const double sigma = spec_.actors[I].noise * sqrt_dt;
      const bool noisy = sigma > 0.0;
      const std::uint64_t actor_u = Rng::key_mix(step_u, actor_key_[I]);
      const std::uint64_t actor_v = Rng::key_mix(step_v, actor_key_[I]);
      for (std::size_t j = 0; j < actors; ++j)
        pair_key_u[j] = Rng::key_mixer(Rng::key_mix(actor_u, actor_key_[j]));
      // Untracked Euler: each relation's increment summed as the rows are made (TermSum), in
      // drift_rows[d * N + j]; otherwise each term's row of the increment.
      double* const increments = scratch.drift_rows.data();
      for (std::size_t d = 0; d < d_; ++d) {
        relation_row[d] = x_[d].row(i).data();
        if constexpr (kSummed) {
          drift_sum_row<kN>(x_[d], d, i, dt, increments + d * n_);
        } else if (euler) {
          std::array<double*, kDriftTerms> rows{};
          for (std::size_t t = 0; t < kDriftTerms; ++t)
            rows[t] = scratch.drift_rows.data() + (d * kDriftTerms + t) * n_;
          drift_row(x_[d], d, i, rows);
          for (std::size_t t = 0; t < kDriftTerms; ++t) increment[d * kDriftTerms + t] = rows[t];
        } else {
          for (std::size_t t = 0; t < kDriftTerms; ++t)
            increment[d * kDriftTerms + t] = increment_[t][d].row(i).data();
        }
      }
      double* const relations_out = state.relations.data() + I * n_d;
      for (std::size_t j = 0; j < actors; ++j) {
        if (j == I && fixed_self) {  // the relation to itself is held
          if (contributions)
            for (std::size_t d = 0; d < d_; ++d) still(j * d_ + d);
          continue;
        }
        const bool draws = j != I && noisy;
        for (std::size_t d = 0; d < d_; ++d) {
          const std::size_t jd = j * d_ + d;
          double* const c = contributions ? contributions + (I * n_d + jd) * terms : nullptr;
          double drift = 0.0;
          if constexpr (kSummed) {
            drift = increments[d * n_ + j];
          } else {
            for (std::size_t t = 0; t < kDriftTerms; ++t) {
              const double inc = increment_scale * increment[d * kDriftTerms + t][j];
              drift += inc;
              if (c) c[t] = 0.0 + inc;
            }
          }
          const double bounded = std::abs(drift) > bound ? std::copysign(bound, drift) : drift;
          // Keyed by (step, actor, partner, domain) and their names: the draw does not depend on
          // the other draws, the noise levels or the actors' order (docs/model.md §7.4.5).
          const double noise =
              draws ? sigma * Rng::normal_of_lazy(
                                  tables, Rng::key_mix(pair_key_u[j], domain_key[d]),
                                  [&] {
                                    return Rng::key_mix(Rng::key_mix(actor_v, actor_key_[j]),
                                                        domain_key[d]);
                                  })
                    : 0.0;
          const double relation = relation_row[d][j];
          const double moved = relation + bounded + noise;
          const double kept = clamp ? clamp_relation(moved) : moved;
          if (c) {
            c[term_index(Term::event)] = impulses ? event_of[jd] : 0.0;
            c[term_index(Term::noise)] = 0.0 + noise;
            c[term_index(Term::clamp)] =
                (impulses ? clamp_of[jd] : 0.0) + ((bounded - drift) + (kept - moved));
          }
          relations_out[jd] = kept;
          relation_row[d][j] = kept;  // x_: read only for row i in this phase
        }
      }
      publish();
    }
  };
  auto combine_actors = [&](Eigen::Index first, Eigen::Index last, CombineScratch& scratch) {
    with_actor_count(n_, [&](auto actors) {
      if (summed)
        combine_actors_of(actors, std::true_type{}, first, last, scratch);
      else
        combine_actors_of(actors, std::false_type{}, first, last, scratch);
    });
  };

  auto combine_part = [&](std::size_t part) {
    CombineScratch& scratch = combine_scratch_[part];
    const auto first = static_cast<Eigen::Index>(n_ * part / parts);
    const auto last = static_cast<Eigen::Index>(n_ * (part + 1) / parts);
    combine_actors(first, last, scratch);
  };
  if (workers_ != nullptr)
    workers_->run(parts, combine_part);
  else
    combine_actors(0, N, combine_scratch_[0]);
  impulses_.clear();
  // No sync_relations: each actor's part put its relations into x_ as it wrote them (a passive
  // actor's and held self-relations did not move, and were in sync already) and made its row
  // of overall_ from them.
  assert(relations_in_sync(state));
}

}  // namespace interdep
