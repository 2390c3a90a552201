// The teaching scenarios (scenarios/teaching/) and their lessons (docs/teaching/): every file
// loads and runs, every file is used by a lesson note, and each lesson's point holds in the
// model. Each direction test compares runs with each other at the same seed (common random
// numbers, docs/model.md 4.8), so the differences are caused by the scenario, not the noise; the
// results depend on the seed, so each test runs at two seeds. No simulation result is pinned.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/run/simulation.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "models/interdependence/terms.hpp"
#include "models/registry.hpp"

using namespace interdep;

namespace {

const std::filesystem::path kTeachingScenarios =
    std::filesystem::path(INTERDEP_SOURCE_DIR) / "scenarios" / "teaching";
const std::filesystem::path kTeachingNotes =
    std::filesystem::path(INTERDEP_SOURCE_DIR) / "docs" / "teaching";

std::vector<std::filesystem::path> files_with_extension(const std::filesystem::path& dir,
                                                        const std::string& extension) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == extension)
      files.push_back(entry.path());
  return files;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::size_t actor(const ScenarioSpec& s, const std::string& code) {
  for (std::size_t i = 0; i < s.actors.size(); ++i)
    if (s.actors[i].code == code) return i;
  FAIL("no actor " << code);
  return 0;
}

constexpr std::size_t term(Term t) { return static_cast<std::size_t>(t); }

// One run of a scenario (a teaching file, or the baseline) at a given seed, with --set overrides.
struct Run {
  ScenarioSpec spec;
  RunResult result;
  Run(const std::filesystem::path& path, std::uint64_t seed,
      std::vector<std::string> overrides = {})
      : spec(load_scenario(path, LoadOptions{std::move(overrides), false})),
        result(run_scenario(spec, seed)) {
    // Every step is a frame, so frame s is the state at the start of step s and the
    // contributions of frame s + 1 are those of step s alone.
    REQUIRE(result.trajectory.frames() == static_cast<std::size_t>(spec.time.steps) + 1);
  }
  const Trajectory& t() const { return result.trajectory; }
  std::size_t n() const { return spec.actor_count(); }
  std::size_t d() const { return spec.domain_count(); }
  // A pair array's value [frame][i][j].
  double pair(const std::vector<double>& a, std::size_t frame, std::size_t i, std::size_t j) const {
    return a[(frame * n() + i) * n() + j];
  }
  double overall(std::size_t frame, std::size_t i, std::size_t j) const {
    return pair(t().relation_overall, frame, i, j);
  }
  double relation(std::size_t frame, std::size_t i, std::size_t j, std::size_t domain) const {
    return t().relations[((frame * n() + i) * n() + j) * d() + domain];
  }
  double contribution(std::size_t frame, std::size_t i, std::size_t j, std::size_t domain,
                      Term which) const {
    return t()
        .contributions[(((frame * n() + i) * n() + j) * d() + domain) * kTermCount + term(which)];
  }
  // Term `which` of i -> j summed over frames [from, to), weighted by i's interests: its part of
  // the change of the overall relation.
  double overall_contribution(std::size_t from, std::size_t to, std::size_t i, std::size_t j,
                              Term which) const {
    double sum = 0.0;
    for (std::size_t f = from; f < to; ++f)
      for (std::size_t dd = 0; dd < d(); ++dd)
        sum += spec.actors[i].interests[dd] * contribution(f, i, j, dd, which);
    return sum;
  }
  // Mean of the overall relation i -> j over frames [from, to).
  double mean_overall(std::size_t from, std::size_t to, std::size_t i, std::size_t j) const {
    double sum = 0.0;
    for (std::size_t f = from; f < to; ++f) sum += overall(f, i, j);
    return sum / static_cast<double>(to - from);
  }
  std::size_t last_frame() const { return t().frames() - 1; }
  // The frame of the state just before the scenario's last event (applied at the start of its step).
  std::size_t frame_before_last_event() const {
    REQUIRE(!spec.events.empty());
    return static_cast<std::size_t>(spec.events.back().step);
  }
};

std::filesystem::path teaching(const std::string& name) {
  return kTeachingScenarios / (name + ".toml");
}
std::filesystem::path baseline() {
  return std::filesystem::path(INTERDEP_SOURCE_DIR) / "scenarios" / "baseline.toml";
}

}  // namespace

TEST_CASE("teaching: every scenario loads and runs with relations in range", "[teaching]") {
  const auto files = files_with_extension(kTeachingScenarios, ".toml");
  REQUIRE(!files.empty());
  for (const auto& file : files) {
    INFO(file.string());
    const Run run(file, 20250101);
    for (double r : run.t().relations) {
      REQUIRE(std::isfinite(r));
      REQUIRE(std::abs(r) <= 1.0);
    }
  }
}

TEST_CASE("teaching: every scenario is used by a lesson note and every note names its commands",
          "[teaching]") {
  std::string notes;
  for (const auto& note : files_with_extension(kTeachingNotes, ".md")) notes += read_text(note);
  for (const auto& file : files_with_extension(kTeachingScenarios, ".toml")) {
    INFO(file.filename().string() << " is not mentioned in docs/teaching/*.md");
    CHECK(notes.find("scenarios/teaching/" + file.filename().string()) != std::string::npos);
  }
  for (const auto& note : files_with_extension(kTeachingNotes, ".md")) {
    if (note.filename() == "README.md") continue;
    INFO(note.string());
    const std::string text = read_text(note);
    CHECK(text.find("build/interdep run scenarios/teaching/") != std::string::npos);
    CHECK(text.find("## Where the model simplifies") != std::string::npos);
  }
}

TEST_CASE(
    "teaching: sensitivity versus vulnerability - an alternative supplier lowers Pakistan's "
    "vulnerability to a Russian gas cut-off but not its sensitivity",
    "[teaching][gas-cutoff]") {
  const std::uint64_t seed = GENERATE(20250101u, 7u);
  INFO("seed " << seed);
  const Run alone(teaching("gas-cutoff"), seed),
      alternative(teaching("gas-cutoff-alternative"), seed);
  const auto& s = alone.spec;
  const std::size_t pak = actor(s, "PAK"), rus = actor(s, "RUS"), usa = actor(s, "USA");
  // The cut-off: Russia's link to Pakistan set to capacity 0 (the same event in both files).
  std::size_t cut = 0;
  for (const auto& e : s.events)
    if (e.kind == EventKind::energy_link && e.actor == rus && e.capacity == 0.0)
      cut = static_cast<std::size_t>(e.step);
  REQUIRE(cut > 0);
  const auto S = [&](const Run& r, std::size_t f) {
    return r.pair(r.t().sensitivity, f, pak, rus);
  };
  const auto V = [&](const Run& r, std::size_t f) {
    return r.pair(r.t().vulnerability, f, pak, rus);
  };

  // Just before the cut: Russian gas is a large share of Pakistan's gas, the same in both runs
  // (only feedback through relations and trade costs can separate them), while vulnerability,
  // the cost after switching suppliers, is clearly lower with the alternative.
  CHECK(S(alone, cut) > 10.0 * S(alone, 0));  // the pipeline made Pakistan sensitive at all
  CHECK(std::abs(S(alternative, cut) - S(alone, cut)) < 0.02 * S(alone, cut));
  CHECK(V(alternative, cut) < 0.5 * V(alone, cut));
  // From the contract to the cut, vulnerability is lower with the alternative, frame by frame.
  std::size_t contract = 0;
  for (const auto& e : s.events)
    if (e.kind == EventKind::energy_link && e.actor == rus && e.capacity > 0.0)
      contract = static_cast<std::size_t>(e.step);
  REQUIRE(contract > 0);
  for (std::size_t f = contract + 1; f <= cut; ++f) CHECK(V(alternative, f) < V(alone, f));
  // The cut is a stop: the link's capacity binds in the step of the event, so no Russian gas
  // lands from the next frame on, the gas part of sensitivity goes at once, and the gas Russia
  // sent is missing before the other suppliers can move (the shortfall jumps by most of it).
  const auto gas = [&](const Run& r, std::size_t f) { return r.pair(r.t().energy, f, rus, pak); };
  const auto shortfall = [&](const Run& r, std::size_t f) {
    return r.t().energy_shortfall[f * r.n() + pak];
  };
  for (const Run* r : {&alone, &alternative}) {
    for (std::size_t f = cut + 1; f <= r->last_frame(); ++f) CHECK(gas(*r, f) == 0.0);
    CHECK(S(*r, cut + 1) < 0.2 * S(*r, cut));
    CHECK(shortfall(*r, cut + 1) - shortfall(*r, cut) > 0.8 * gas(*r, cut));
  }
  // Vulnerability, not sensitivity, is what gives Russia power: its leverage over Pakistan is
  // lower with the alternative, and so is the third-party pressure that Russia's hostility to
  // the United States puts on Pakistan's relation to the United States before the cut.
  CHECK(alternative.pair(alternative.t().leverage, cut, pak, rus) <
        alone.pair(alone.t().leverage, cut, pak, rus));
  CHECK(alternative.overall_contribution(1, cut + 1, pak, usa, Term::pressure) >
        alone.overall_contribution(1, cut + 1, pak, usa, Term::pressure));
}

TEST_CASE(
    "teaching: asymmetry as power - the same sanction on Pakistan moves it more when the United "
    "States takes it than when Russia does",
    "[teaching][leverage]") {
  const std::uint64_t seed = GENERATE(20250101u, 7u);
  INFO("seed " << seed);
  const Run base(baseline(), seed), by_usa(teaching("leverage-usa"), seed),
      by_russia(teaching("leverage-russia"), seed);
  const auto& s = base.spec;
  const std::size_t pak = actor(s, "PAK"), rus = actor(s, "RUS"), usa = actor(s, "USA");
  const std::size_t end = base.last_frame();

  // Without the step, the United States has more leverage over Pakistan than Russia has, at
  // the start and all along.
  for (std::size_t f = 0; f <= end; ++f)
    CHECK(base.pair(base.t().leverage, f, pak, usa) > base.pair(base.t().leverage, f, pak, rus));

  const std::size_t step = by_usa.frame_before_last_event();
  REQUIRE(step == by_russia.frame_before_last_event());
  // Fall of Pakistan's overall relation toward the sender, and of the sensitivity (bilateral
  // trade / GDP) of each side to the other, after the step, compared with the baseline.
  const auto relation_fall = [&](const Run& r, std::size_t sender) {
    return base.mean_overall(step + 1, end + 1, pak, sender) -
           r.mean_overall(step + 1, end + 1, pak, sender);
  };
  const auto exposure_lost = [&](const Run& r, std::size_t i, std::size_t j) {
    return base.pair(base.t().sensitivity, end, i, j) - r.pair(r.t().sensitivity, end, i, j);
  };
  CHECK(relation_fall(by_russia, rus) > 0.0);
  CHECK(relation_fall(by_usa, usa) > relation_fall(by_russia, rus));
  // The US step takes more of Pakistan's economy than Russia's, and costs the United States a
  // much smaller part of its own economy than it costs Pakistan.
  CHECK(exposure_lost(by_usa, pak, usa) > exposure_lost(by_russia, pak, rus));
  CHECK(exposure_lost(by_usa, usa, pak) < 0.1 * exposure_lost(by_usa, pak, usa));
  // Both steps carry the same Goldstein impulse, so the difference comes from the material
  // channel: the benefit term pulls Pakistan's relation down further after the US step.
  CHECK(by_usa.overall_contribution(step + 1, end + 1, pak, usa, Term::benefit) -
            base.overall_contribution(step + 1, end + 1, pak, usa, Term::benefit) <
        by_russia.overall_contribution(step + 1, end + 1, pak, rus, Term::benefit) -
            base.overall_contribution(step + 1, end + 1, pak, rus, Term::benefit));
}

TEST_CASE("teaching: multiple channels - SCO membership damps an India-Pakistan crisis",
          "[teaching][sco-crisis]") {
  const std::uint64_t seed = GENERATE(20250101u, 7u);
  INFO("seed " << seed);
  const Run with(teaching("sco-crisis"), seed),
      without(teaching("sco-crisis"), seed, {"institutions.SCO.conflict_damping=0"});
  const auto& s = with.spec;
  const std::size_t ind = actor(s, "IND"), pak = actor(s, "PAK");
  const std::size_t crisis = with.frame_before_last_event(), end = with.last_frame();
  const std::size_t year_after = crisis + 1 + static_cast<std::size_t>(s.time.steps_per_year);
  REQUIRE(year_after <= end);
  for (auto [i, j] : {std::pair{ind, pak}, std::pair{pak, ind}}) {
    INFO(s.actors[i].code << " -> " << s.actors[j].code);
    CHECK(with.overall(crisis + 1, i, j) < with.overall(crisis, i, j));  // the crisis hits
    // The relation recovers more in the year after the crisis, and stays higher, with the SCO
    // channel than without it.
    CHECK(with.overall(year_after, i, j) - with.overall(crisis + 1, i, j) >
          without.overall(year_after, i, j) - without.overall(crisis + 1, i, j));
    CHECK(with.mean_overall(crisis + 1, end + 1, i, j) >
          without.mean_overall(crisis + 1, end + 1, i, j));
    // What did it is the institutions term: it pulls up with damping and is absent without.
    CHECK(with.overall_contribution(crisis + 1, end + 1, i, j, Term::institutions) > 0.0);
    CHECK(without.overall_contribution(crisis + 1, end + 1, i, j, Term::institutions) == 0.0);
  }
}

TEST_CASE(
    "teaching: structural balance - the balance term pushes Russia's ties with India and Pakistan "
    "toward the sign of their triads",
    "[teaching][russia-between]") {
  const std::uint64_t seed = GENERATE(20250101u, 7u);
  INFO("seed " << seed);
  const Run run(teaching("russia-between"), seed), base(baseline(), seed),
      no_balance(teaching("russia-between"), seed, {"model.decide.balance=0"});
  const auto& s = run.spec;
  REQUIRE(s.params.decide.integrator == Integrator::euler);  // the balance increment of a step
      // is then rate x the start-of-step triad sum
  const std::size_t n = run.n(), ind = actor(s, "IND"), pak = actor(s, "PAK"),
                    rus = actor(s, "RUS");
  const std::size_t agreement = run.frame_before_last_event(), end = run.last_frame();

  // Heider: the balance increment of i -> j has the sign of sum_k r_ik r_kj, the triads' verdict
  // on the tie, in every step and domain (skipping sums too close to 0 to have a sign).
  for (auto [i, j] :
       {std::pair{rus, ind}, std::pair{rus, pak}, std::pair{ind, rus}, std::pair{pak, rus}}) {
    for (std::size_t f = 0; f < end; ++f)
      for (std::size_t dd = 0; dd < run.d(); ++dd) {
        double triads = 0.0;
        for (std::size_t k = 0; k < n; ++k)
          triads += run.relation(f, i, k, dd) * run.relation(f, k, j, dd);
        if (std::abs(triads) < 1e-6) continue;
        const double increment = run.contribution(f + 1, i, j, dd, Term::balance);
        INFO(s.actors[i].code << " -> " << s.actors[j].code << ", domain " << s.domains[dd].name
                              << ", frame " << f);
        CHECK((increment > 0.0) == (triads > 0.0));
      }
  }
  // Russia's warmer tie with Pakistan sharpens the unbalanced triad Russia-India-Pakistan (two
  // friends, one rivalry): after the agreement the balance term pulls Russia's relation to India,
  // and India's to Russia, down further than in the baseline, and without the balance term both
  // relations stay higher.
  for (auto [i, j] : {std::pair{rus, ind}, std::pair{ind, rus}}) {
    INFO(s.actors[i].code << " -> " << s.actors[j].code);
    CHECK(run.overall_contribution(agreement + 1, end + 1, i, j, Term::balance) <
          base.overall_contribution(agreement + 1, end + 1, i, j, Term::balance));
    CHECK(run.overall_contribution(agreement + 1, end + 1, i, j, Term::balance) < 0.0);
    CHECK(run.mean_overall(agreement + 1, end + 1, i, j) <
          no_balance.mean_overall(agreement + 1, end + 1, i, j));
  }
}
