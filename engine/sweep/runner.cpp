#include "engine/sweep/runner.hpp"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <limits>
#include <mutex>
#include <new>
#include <set>
#include <string_view>
#include <thread>

#include "engine/run/timestamp.hpp"
#include "engine/run/version.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/sweep/discrete_values.hpp"
#include "engine/sweep/run_set.hpp"
#include "engine/sweep/sweep_loader.hpp"

namespace interdep::sweep {
namespace {

// Records waiting for the thread that hands them to the store; bounded, so fast workers wait
// for a slow store (disk). The writer is woken when a batch (at most half the queue) is there,
// not for every record: a run takes about a millisecond, and waking a thread for each cost a
// system call and a context switch a run (a few per cent of a sweep).
class RecordQueue {
 public:
  // `batch`: the store takes a batch of this many records (SweepOptions::shard_runs) as soon as
  // they are there.
  RecordQueue(std::size_t capacity, std::size_t batch)
      : capacity_(capacity), wake_at_(std::clamp<std::size_t>(batch, 1, capacity / 2)) {}

  void push(RunRecord record) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return queue_.size() < capacity_; });
    queue_.push_back(std::move(record));
    if (queue_.size() == wake_at_) not_empty_.notify_one();
  }
  // Waits up to `timeout` for a batch of records (or a wake()); returns whatever is there.
  std::vector<RunRecord> pop_all(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    not_empty_.wait_for(lock, timeout, [&] { return queue_.size() >= wake_at_ || woken_; });
    woken_ = false;
    std::vector<RunRecord> out(std::make_move_iterator(queue_.begin()),
                               std::make_move_iterator(queue_.end()));
    queue_.clear();
    not_full_.notify_all();
    return out;
  }
  // Drops what is there, allocating nothing: the writer's way out after an error (out of
  // memory), so that a worker waiting to push goes on to see the stop.
  void discard() {
    std::lock_guard lock(mutex_);
    queue_.clear();
    not_full_.notify_all();
  }
  // Wakes the writer without a record: a worker has finished, so it need not wait out its timeout.
  void wake() {
    std::lock_guard lock(mutex_);
    woken_ = true;
    not_empty_.notify_one();
  }

 private:
  std::size_t capacity_;
  std::size_t wake_at_;  // records that wake the writer
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::deque<RunRecord> queue_;
  bool woken_ = false;
};

struct Context {
  const SweepSpec& sweep;
  const RunScenario& run_scenario;
  ScenarioTemplate scenario;
  ScenarioSpec base;    // the scenario without overrides: coordinates, interest weights, times
  DesignPoints design;  // made a point at a time, as the runs need them
  std::size_t runs = 0;
  std::int64_t every = 1;
  SweepLayout layout;
};

// The sweep's outputs of one run, reduced frame by frame as the run's windows arrive: each
// output's running minimum, maximum, sum, last value and onset, and (record = "every"/"full")
// its value at every recorded frame.
class OutputReducer final : public FrameSink {
 public:
  OutputReducer(const Context& c, RunRecord& record)
      : c_(c), record_(record), stats_(c.sweep.outputs.size()) {}

  void take(const Trajectory& window) override {
    const std::size_t outputs = c_.sweep.outputs.size();
    for (std::size_t f = 0; f < window.frames(); ++f) {
      const std::size_t frame = window.first_frame() + f;
      for (std::size_t o = 0; o < outputs; ++o) {
        const double v = output_value(window, f, c_.sweep.outputs[o]);
        if (!std::isfinite(v)) {
          throw std::runtime_error("non-finite value of " + c_.sweep.outputs[o].name +
                                   " at t = " + std::to_string(window.time[f]));
        }
        Stats& s = stats_[o];
        s.low = std::min(s.low, v);
        s.high = std::max(s.high, v);
        s.sum += v;
        s.last = v;
        if (v != 0.0 && std::isnan(s.onset)) s.onset = window.time[f];
        if (!record_.series.empty()) {
          assert(frame < c_.layout.times.size());
          record_.series[frame * outputs + o] = v;
        }
      }
    }
    frames_ += window.frames();
  }

  // The summary statistics, once every frame was taken.
  void finish() const {
    const std::size_t stats = c_.sweep.statistics.size();
    for (std::size_t o = 0; o < stats_.size(); ++o) {
      const Stats& s = stats_[o];
      for (std::size_t k = 0; k < stats; ++k) {
        double& out = record_.summary[o * stats + k];
        switch (c_.sweep.statistics[k]) {
          case Statistic::final: out = s.last; break;
          case Statistic::min: out = s.low; break;
          case Statistic::max: out = s.high; break;
          case Statistic::mean: out = s.sum / static_cast<double>(frames_); break;
          case Statistic::onset: out = s.onset; break;
        }
      }
    }
  }

 private:
  struct Stats {
    double low = HUGE_VAL, high = -HUGE_VAL, sum = 0.0, last = 0.0;
    double onset = std::numeric_limits<double>::quiet_NaN();  // first time the output is not 0
  };
  const Context& c_;
  RunRecord& record_;
  std::vector<Stats> stats_;
  std::size_t frames_ = 0;
};

// One run, start to finish: plan, instantiate (on the worker's copy of the scenario's table),
// simulate, reduce to the recorded outputs.
RunRecord execute(const Context& c, std::size_t index, ScenarioTemplate::Workspace& workspace) {
  RunRecord record;
  record.index = index;
  const std::size_t outputs = c.sweep.outputs.size(), stats = c.sweep.statistics.size();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  record.summary.assign(outputs * stats, nan);
  if (!c.layout.times.empty()) record.series.assign(c.layout.times.size() * outputs, nan);
  LoadOptions options;  // out of the try: a refusal is said with its overrides
  try {
    const RunPlan plan = plan_run(c.sweep, c.design, c.base, index);
    options.resolved_text = false;
    options.overrides = plan.overrides;
    options.overrides.push_back("output.contributions=false");
    options.overrides.push_back("output.every=" + std::to_string(c.every));
    const ScenarioSpec spec = c.scenario.instantiate(options, workspace);
    OutputReducer reducer(c, record);
    c.run_scenario(spec, plan.seed, reducer, kRunWindowBytes);
    reducer.finish();
    record.status = 1;
  } catch (const std::bad_alloc&) {
    // The machine's failure, not the run's: recorded as failed, the run was never retried (a
    // resume skips failed runs), and the sweep differed from one on a machine with the memory.
    // The sweep stops, its finished runs kept, for a resume (exit 1, "out of memory").
    throw;
  } catch (const std::exception& e) {
    record.status = 2;
    // The scenario's refusal of this point's values is said in the sweep's words.
    const auto* refused = dynamic_cast<const InputError*>(&e);
    record.message =
        refused != nullptr ? refusal_in_words_of(*refused, options.overrides, "sweep") : e.what();
    std::fill(record.summary.begin(), record.summary.end(), nan);
    std::fill(record.series.begin(), record.series.end(), nan);
  }
  return record;
}

SweepMeta make_meta(const Context& c, const SweepOptions& options) {
  SweepMeta m;
  m.engine_version = kEngineVersion;
  m.created = utc_timestamp();
  m.command_line = options.command_line;
  m.sweep_name = c.sweep.name;
  m.sweep_description = c.sweep.description;
  m.sweep_file = c.sweep.source_path.string();
  m.sweep_text = c.sweep.text;
  m.scenario_file = c.sweep.scenario.string();
  m.scenario_text = c.base.resolved_text;
  m.design_kind = name_of(c.sweep.design.kind);
  m.record_mode = name_of(c.sweep.record);
  m.seeds = name_of(c.sweep.seeds);
  m.seed = c.sweep.seed;
  m.replicates = static_cast<std::int64_t>(c.sweep.replicates);
  m.base_samples = static_cast<std::int64_t>(c.design.base_samples());
  m.levels = static_cast<std::int64_t>(c.sweep.design.levels);
  m.every = c.every;
  m.renormalised = c.sweep.renormalised;
  for (const auto& p : c.sweep.parameters)
    m.discrete_values.push_back(encode_discrete_values(p.values));
  for (const auto& policy : c.sweep.policies) {
    m.policies.push_back(policy.name);
    m.policy_overrides.push_back(encode_discrete_values(policy.overrides));
  }
  return m;
}

// The design table, a block of rows at a time from the run plans (plan_run).
class PlannedDesign final : public DesignRows {
 public:
  explicit PlannedDesign(const Context& c) : c_(c) {}
  std::size_t runs() const override { return c_.runs; }
  std::size_t parameters() const override { return c_.sweep.parameters.size(); }
  void rows(std::size_t first, std::size_t count, DesignTable& d) const override {
    const std::size_t k = parameters();
    d = DesignTable{};
    for (std::size_t r = first; r < first + count; ++r) {
      const RunPlan plan = plan_run(c_.sweep, c_.design, c_.base, r);
      if (!c_.sweep.policies.empty()) d.policy.push_back(static_cast<std::int64_t>(plan.policy));
      d.point.push_back(static_cast<std::int64_t>(plan.point));
      d.replicate.push_back(static_cast<std::int64_t>(plan.replicate));
      d.seed.push_back(plan.seed);
      for (std::size_t p = 0; p < k; ++p) {
        d.unit.push_back(plan.unit[p]);
        d.value.push_back(plan.values[p]);
      }
    }
  }

 private:
  const Context& c_;
};

}  // namespace

std::vector<OutputBounds> output_bounds(const SweepSpec& sweep, const ScenarioSpec& base) {
  // Relations are kept in [-1, 1] unless a run may set clamp = false: the scenario, a parameter
  // or a policy ("model.decide.clamp", or a table above it).
  const auto sets_clamp = [](std::string_view key) {
    constexpr std::string_view clamp = "model.decide.clamp";
    return clamp.starts_with(key) && (key.size() == clamp.size() || clamp[key.size()] == '.');
  };
  bool clamped = base.params.decide.clamp;
  for (const ParameterSpec& p : sweep.parameters)
    if (sets_clamp(p.key)) clamped = false;
  for (const PolicySpec& policy : sweep.policies)
    for (const std::string& o : policy.overrides) {
      std::string key = o.substr(0, o.find('='));
      while (!key.empty() && key.back() == ' ') key.pop_back();
      if (sets_clamp(key)) clamped = false;
    }
  std::vector<OutputBounds> bounds(sweep.outputs.size());
  for (std::size_t o = 0; o < sweep.outputs.size(); ++o) {
    const RecordedDataset* d = sweep.outputs[o].dataset;
    if (d == nullptr) continue;
    // Interest weights sum to 1 within 1e-6 (docs/model.md §9): an overall relation may pass 1
    // by as much; values are refused beyond a margin of 1e-5 (damage is far beyond).
    constexpr double kMargin = 1e-5;
    if (d->u8 != nullptr)
      bounds[o] = {-kMargin, 1.0 + kMargin};
    else if (d->non_negative)
      bounds[o].low = -kMargin;
    if (clamped &&
        (d->f64 == &RecordedArrays::relations || d->f64 == &RecordedArrays::relation_overall))
      bounds[o] = {-1.0 - kMargin, 1.0 + kMargin};
  }
  return bounds;
}

double output_value(const Trajectory& t, std::size_t f, const OutputSpec& o) {
  return quantity_value(t, t.sizes(), f, o);
}

SweepOutcome run_sweep(const SweepSpec& sweep, const SweepOptions& options,
                       const RunScenario& run_scenario, RunStore& store) {
  const auto started = std::chrono::steady_clock::now();
  Context c{sweep, run_scenario, ScenarioTemplate(sweep.scenario), {}, make_design(sweep), 0, 1,
            {}};
  c.base = c.scenario.instantiate(LoadOptions{});
  c.runs = policy_count(sweep) * c.design.points() * sweep.replicates;
  c.every = sweep.record == RecordMode::every ? sweep.every : 1;
  c.layout.runs = c.runs;
  for (const auto& p : sweep.parameters) c.layout.parameters.push_back(p.key);
  for (const auto& o : sweep.outputs) c.layout.outputs.push_back(o.name);
  c.layout.bounds = output_bounds(sweep, c.base);
  for (Statistic s : sweep.statistics) c.layout.statistics.emplace_back(name_of(s));
  if (sweep.record != RecordMode::summary) {
    const std::int64_t steps = c.base.time.steps;
    for (std::int64_t s = 0; s <= steps; ++s)
      if (s % c.every == 0 || s == steps)
        c.layout.times.push_back(c.base.time.start + static_cast<double>(s) * c.base.time.dt());
  }

  // Rank 0 alone prepares the store (or, resuming, checks that it belongs to this sweep); the
  // other ranks learn the verdict from it (from_rank0).
  const auto agree = [&](bool ok) { return options.all_agree ? options.all_agree(ok) : ok; };
  // Rank 0's verdict on what it alone did (0: done, 1: bad input, 2: another failure), so that
  // every rank ends as it did and rank 0 alone says why.
  const auto verdict_of_rank0 = [&](const std::exception_ptr& error) {
    int verdict = 0;
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const InputError&) {
        verdict = 1;
      } catch (...) {
        verdict = 2;
      }
    }
    if (options.from_rank0) verdict = options.from_rank0(verdict);
    if (verdict == 0) return;
    if (error) std::rethrow_exception(error);
    throw OtherRankFailed(verdict == 1);
  };
  std::exception_ptr refusal;
  if (options.rank == 0) {
    try {
      store.prepare(sweep, c.base.resolved_text, c.layout);
    } catch (...) {
      refusal = std::current_exception();
    }
  }
  verdict_of_rank0(refusal);

  // From here to the ranks' agreement below, an error of this rank alone (the store unreadable,
  // a thread the system refuses, memory) stops this rank's runs and is let through after the
  // agreement: a rank that left before it held the others in it for ever.
  std::mutex error_mutex;
  std::exception_ptr machine_error;
  std::atomic<bool> stop{false};
  const auto keep_error = [&] {
    {
      const std::lock_guard lock(error_mutex);
      if (!machine_error) machine_error = std::current_exception();
    }
    stop.store(true);
  };
  RunSet finished(c.runs);         // the runs a resume found stored
  std::size_t resumed_failed = 0;  // of them, the failed runs (the progress counts them)
  try {
    store.visit_stored_runs([&](std::size_t r, bool failed) {
      if (r < c.runs && finished.insert(r) && failed) ++resumed_failed;
    });
  } catch (...) {
    keep_error();
  }
  const std::size_t resumed = finished.size();
  // This rank's runs are rank, rank + ranks, ...: the m-th is rank + m * ranks. Workers take m in
  // order from a shared counter and skip the runs a resume found finished (no list of the runs
  // to do: the set of finished runs is all the bookkeeping); this thread batches the finished
  // records and hands them to the store.
  const auto rank = static_cast<std::size_t>(options.rank);
  const auto ranks = static_cast<std::size_t>(options.ranks);
  const std::size_t my_runs = rank < c.runs ? (c.runs - rank + ranks - 1) / ranks : 0;
  assert(options.threads <= kMaxThreads);  // the command line refuses more
  const unsigned threads = std::clamp(
      options.threads ? options.threads : std::thread::hardware_concurrency(), 1u, kMaxThreads);
  std::atomic<std::size_t> next{0};
  RecordQueue queue(std::max<std::size_t>(64, 4 * threads), options.shard_runs);
  std::vector<std::thread> workers;
  std::atomic<unsigned> running{0};
  // A thread the system refuses (std::system_error) stops the sweep like any error of this
  // rank (keep_error): the workers already started end, and the error is let through after the
  // ranks agree, instead of destroying joinable threads (std::terminate) or leaving the other
  // ranks waiting. What stopped the sweep other than its runs is the first error a worker or
  // this thread met (out of memory); an exception that left a worker ended the process
  // (std::terminate), one that left this thread destroyed the joinable workers (the same).
  const auto start_worker = [&](auto&& work) {
    running.fetch_add(1);
    try {
      workers.emplace_back(work);
    } catch (...) {
      running.fetch_sub(1);
      keep_error();
    }
  };
  for (unsigned w = 0; w < threads && !stop.load(); ++w)
    start_worker([&] {
      try {
        ScenarioTemplate::Workspace workspace;
        for (;;) {
          if (stop.load() || (options.cancel && options.cancel->load())) break;
          const std::size_t m = next.fetch_add(1);
          if (m >= my_runs) break;
          const std::size_t run = rank + m * ranks;
          if (finished.contains(run)) continue;
          RunRecord record = execute(c, run, workspace);
          if (record.status != 1 && sweep.failure == FailurePolicy::stop) stop.store(true);
          queue.push(std::move(record));
        }
      } catch (...) {
        keep_error();
      }
      running.fetch_sub(1);
      queue.wake();
    });

  SweepOutcome outcome;
  Progress progress;
  progress.total = c.runs;
  progress.resumed = resumed;
  progress.done = resumed;
  progress.failed = resumed_failed;
  std::vector<RunRecord> batch;
  auto last_shard = std::chrono::steady_clock::now();
  // A batch the store cannot take (a full disk) stops the workers; the error is let through once
  // they are joined and the ranks agree that the sweep stopped, so that every rank ends.
  std::exception_ptr store_error;
  auto flush = [&] {
    if (batch.empty() || store_error) return;
    try {
      store.store(c.layout, batch);
    } catch (...) {
      store_error = std::current_exception();
      stop.store(true);
    }
    batch.clear();
    last_shard = std::chrono::steady_clock::now();
  };
  // Counts the records and queues them for the store; also for the records taken after a stop,
  // so that "stopped after N runs" names every run kept.
  auto take = [&](std::vector<RunRecord>& records) {
    for (RunRecord& r : records) {
      ++progress.done;
      if (r.status != 1) {
        ++progress.failed;
        if (outcome.failures.size() < SweepOutcome::kFailuresKept)
          outcome.failures.emplace_back(r.index, r.message);
      }
      batch.push_back(std::move(r));
    }
  };
  try {
    for (;;) {
      // Once every worker has ended, all their records are in the queue: take them without
      // waiting (a wait here held every sweep 200 ms past its last run: the last worker's wake()
      // may have been consumed by the pop that took its last records).
      const bool workers_done = running.load() == 0;
      std::vector<RunRecord> records =
          queue.pop_all(std::chrono::milliseconds(workers_done ? 0 : 200));
      take(records);
      progress.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      if (options.progress && !records.empty()) options.progress(progress);
      const double since =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - last_shard).count();
      if (batch.size() >= options.shard_runs || (since >= options.shard_seconds && !batch.empty()))
        flush();
      if (workers_done && records.empty()) break;
    }
  } catch (...) {
    keep_error();
    while (running.load() > 0) {
      queue.discard();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  for (auto& w : workers) w.join();
  try {
    std::vector<RunRecord> records = queue.pop_all(std::chrono::milliseconds(0));
    take(records);
  } catch (...) {
    keep_error();
  }
  flush();  // the runs that finished are kept, also after an error: a resume does the rest

  // Finish only when every rank ran all of its share; a stop (cancel, a failure under
  // on_failure = "stop", an error) before that leaves the store as it is, for a resume.
  outcome.progress = progress;
  // Every run of this rank was taken (and so run: a worker takes none once cancelled) when the
  // counter passed them: a signal after that, in the last shard's write, lets the merge go on
  // and is answered after it, as during the merge (it stopped the sweep with every run done).
  const bool all_mine = next.load() >= my_runs && !store_error && !machine_error;
  outcome.stopped = !agree(all_mine);  // also: every rank's batches are stored
  if (store_error) std::rethrow_exception(store_error);
  if (machine_error) std::rethrow_exception(machine_error);
  if (outcome.stopped && options.rank == 0) {
    // This rank counted its own share; every rank's runs are stored now (the agreement above):
    // "stopped after N runs (F failed)" counts them all, as --resume will find them, and the
    // failures it names are the first of every rank's, and of a process before a resume (it
    // named this rank's and this process's alone).
    try {
      if (options.ranks > 1) {
        RunSet kept(c.runs);
        std::size_t kept_failed = 0;
        store.visit_stored_runs([&](std::size_t r, bool failed) {
          if (r < c.runs && kept.insert(r) && failed) ++kept_failed;
        });
        outcome.progress.done = kept.size();
        outcome.progress.failed = kept_failed;
      }
      if (outcome.progress.failed > 0)
        outcome.failures = store.stored_failures(SweepOutcome::kFailuresKept);
    } catch (...) {
      // A shard that cannot be read now is set aside by the resume, which says so: the count
      // and the failures named stay this rank's.
    }
  }
  if (outcome.stopped) return outcome;

  std::exception_ptr finish_error;
  if (options.rank == 0) {
    try {
      store.finish(c.layout, make_meta(c, options), PlannedDesign(c));
    } catch (...) {
      finish_error = std::current_exception();
    }
  }
  verdict_of_rank0(finish_error);
  outcome.complete = true;
  // The whole sweep's time, the merge included (the "Wrote" line gave the runs' alone: 7 s of
  // a sweep of 13).
  outcome.progress.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return outcome;
}

}  // namespace interdep::sweep
