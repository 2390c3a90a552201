// explain and compare (output/insight/): the accounting of terms over a window, the ranking of
// terms and events, the refusal of impossible queries, and the comparison of two runs. Runs are
// compared with each other or with values set by hand, never with pinned simulation output.
// Scenario runs use the baseline's seed 20250101 for both sides (common random numbers).
#include <hdf5.h>
#include <unistd.h>
#include <cstdio>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "engine/network/network_record.hpp"
#include "engine/run/simulation.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/name_match.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/text/text_format.hpp"
#include "models/interdependence/terms.hpp"
#include "models/registry.hpp"
#include "output/insight/compare.hpp"
#include "output/insight/explain.hpp"
#include "output/insight/explain_measure.hpp"
#include "output/run_file/run_reader.hpp"
#include "output/run_file/run_writer.hpp"

using namespace interdep;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kSeed = 20250101;

// Runs scenarios/<name>.toml with `overrides`, writes it as <file>.h5 in the system temp
// directory, reads it back and removes the file: the RunFile is what a saved run gives. The
// datasets `dropped` (paths such as "/events/secondary") are removed before reading, as in a
// file written before they were recorded.
RunFile saved_run(const std::string& name, const std::string& file,
                  std::vector<std::string> overrides = {},
                  const std::vector<std::string>& dropped = {}, bool with_network = false) {
  LoadOptions options;
  options.overrides = std::move(overrides);
  // A shipped scenario's name, or a scenario file's path.
  const ScenarioSpec spec = load_scenario(
      name.ends_with(".toml") ? name
                              : std::string(INTERDEP_SOURCE_DIR) + "/scenarios/" + name + ".toml",
      options);
  const RunResult result = run_scenario(spec, kSeed);
  RunMetadata meta;
  meta.engine_version = "test";
  meta.model = spec.model;
  meta.seed = kSeed;
  meta.command_line = "test_insight";
  // The process id keeps concurrent test processes (ctest -j) apart; errors name `file`.h5.
  const fs::path directory =
      fs::temp_directory_path() / ("interdep-test-insight-" + std::to_string(::getpid()));
  fs::create_directories(directory);
  const fs::path path = directory / (file + ".h5");
  // With /network as `interdep run` writes it (explain reads the route costs there).
  const std::optional<NetworkRecord> network =
      with_network ? std::optional<NetworkRecord>(analyze_network(spec, result.trajectory))
                   : std::nullopt;
  write_run(path, spec, result.trajectory, result.log, meta, network ? &*network : nullptr);
  if (!dropped.empty()) {
    const hid_t h5 = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(h5 >= 0);
    for (const auto& dataset : dropped) CHECK(H5Ldelete(h5, dataset.c_str(), H5P_DEFAULT) >= 0);
    H5Fclose(h5);
  }
  RunFile run = read_run(path);
  fs::remove(path);
  std::error_code ignored;
  fs::remove(directory, ignored);  // fails harmlessly while another file is still there
  return run;
}

std::size_t code(const RunFile& run, const std::string& c) {
  return insight::actor_index(run, c, "test");
}

insight::ExplainQuery pair_query(const RunFile& run, const std::string& a, const std::string& b) {
  insight::ExplainQuery q;
  q.actor = code(run, a);
  q.partner = code(run, b);
  q.top = run.terms.size();  // every term, so that they can be summed
  return q;
}

double term_total(const insight::Explanation& e) {
  double sum = 0.0;
  for (const auto& t : e.terms) sum += t.value;
  return sum;
}

// The baseline with `events` (its [[events]] tables, TOML) added, run and saved as saved_run
// does, under `name`.
RunFile baseline_with_events(const std::string& name, const std::string& events) {
  const fs::path directory =
      fs::temp_directory_path() / ("interdep-test-" + name + "-" + std::to_string(::getpid()));
  fs::create_directories(directory);
  const fs::path scenario = directory / (name + ".toml");
  std::ofstream(scenario) << "base = \"" << INTERDEP_SOURCE_DIR << "/scenarios/baseline.toml\"\n"
                          << "name = \"" << name << "\"\n"
                          << events;
  RunFile run = saved_run(scenario.string(), name);
  fs::remove_all(directory);
  return run;
}

// Two actors, one domain, three frames, no institutions: a run small enough to know every answer.
RunFile hand_made_run() {
  RunFile run;
  run.path = "hand-made.h5";
  run.scenario_name = "hand";
  run.metadata.seed = 7;
  run.start = 2025.0;
  run.dt = 1.0 / 12.0;
  run.steps = 2;
  run.steps_per_year = 12;
  run.dims = Dims{2, 1, 0};
  run.frames = 3;
  run.actors = {"AAA", "BBB"};
  run.actor_names = {"Aland", "Bland"};
  run.domains = {"security"};
  run.domain_labels = {"Security"};
  for (std::size_t t = 0; t < kTermCount; ++t)
    run.terms.emplace_back(term_name(static_cast<Term>(t)));
  run.time = {2025.0, 2025.0 + 1.0 / 12.0, 2025.0 + 2.0 / 12.0};
  run.step = {0, 1, 2};
  run.interests = {1.0, 1.0};
  const std::size_t nt = kTermCount, per_frame = 4;
  run.contributions.assign(3 * per_frame * nt, 0.0);
  run.has_contributions = true;
  // Relation A→B (pair index 1): frame 1 benefit +0.1, reciprocity −0.02; frame 2 the two
  // impulses of step 1, event −0.3 in all, and anchor +0.05.
  auto c = [&](std::size_t f, Term t) -> double& {
    return run.contributions[(f * per_frame + 1) * nt + static_cast<std::size_t>(t)];
  };
  c(1, Term::benefit) = 0.1;
  c(1, Term::reciprocity) = -0.02;
  c(2, Term::event) = -0.3;
  c(2, Term::anchor) = 0.05;
  const double r0 = 0.2, r1 = r0 + 0.1 - 0.02, r2 = r1 - 0.3 + 0.05;
  run.relations = {0, r0, 0.1, 0, 0, r1, 0.1, 0, 0, r2, 0.1, 0};
  run.relation_overall = run.relations;
  for (auto* a : {&run.trade, &run.energy, &run.sensitivity, &run.vulnerability, &run.leverage,
                  &run.barbieri})
    a->assign(3 * per_frame, 0.0);
  run.trade[1] = 1.0;  // A exports 1 US$ bn/yr to B, throughout
  run.trade[5] = 1.0;
  run.trade[9] = 1.0;
  run.gdp.assign(6, 100.0);
  run.hirschman.assign(6, 0.0);
  run.events = {
      RunEvent{1, run.time[1], "impulse", "threat", "AAA", "BBB", -8.0, "138", 0, "", "", 0.0},
      RunEvent{1, run.time[1], "impulse", "protest", "BBB", "AAA", -4.0, "", 1, "", "", 0.0},
      RunEvent{1, run.time[1], "impulse", "elsewhere", "BBB", "BBB", -4.0, "", 2, "", "", 0.0}};
  return run;
}

}  // namespace

TEST_CASE("explain: the terms over a window add up to the change of the relation",
          "[insight][explain]") {
  const RunFile run = saved_run("sanctions", "sanctions");
  for (const auto& [a, b] :
       {std::pair{"RUS", "USA"}, std::pair{"PAK", "RUS"}, std::pair{"CHN", "IND"}}) {
    for (const bool whole : {true, false}) {
      for (const int domain : {-1, 0, 3}) {
        auto q = pair_query(run, a, b);
        if (!whole) q.from = 2026.0, q.to = 2030.5;
        if (domain >= 0) q.domain = static_cast<std::size_t>(domain);
        const auto e = insight::explain(run, q);
        INFO(a << " -> " << b << " domain " << domain << (whole ? " whole run" : " 2026-2030.5"));
        CHECK(std::abs(term_total(e) - (e.end_value - e.start_value)) < 1e-9);
        CHECK(e.gross_movement >= std::abs(e.end_value - e.start_value) - 1e-12);
        if (whole) {
          CHECK(e.from_time == run.time.front());
          CHECK(e.to_time == run.time.back());
        }
      }
    }
  }
}

TEST_CASE("explain ranks terms by size and events by weight and keeps at most top of each",
          "[insight][explain]") {
  const RunFile run = saved_run("sanctions", "sanctions");
  auto q = pair_query(run, "RUS", "USA");
  const auto all = insight::explain(run, q);
  REQUIRE(all.terms.size() >= 3);
  double shares = 0.0;
  for (std::size_t k = 0; k < all.terms.size(); ++k) {
    shares += all.terms[k].share;
    CHECK(!all.terms[k].meaning.empty());
    if (k > 0) CHECK(std::abs(all.terms[k - 1].value) >= std::abs(all.terms[k].value));
  }
  CHECK(shares == Approx(1.0).epsilon(1e-12));
  for (std::size_t k = 1; k < all.events.size(); ++k)
    CHECK(all.events[k - 1].weight >= all.events[k].weight);
  q.top = 2;
  const auto two = insight::explain(run, q);
  REQUIRE(two.terms.size() == 2);
  CHECK(two.terms[0].term == all.terms[0].term);
  CHECK(two.terms[1].term == all.terms[1].term);
  CHECK(two.events.size() <= 2);
  CHECK(two.text.find(two.terms[0].term) != std::string::npos);
}

TEST_CASE("explain names the sanctions event for the sanctioned pair and not for others",
          "[insight][explain]") {
  const RunFile run = saved_run("sanctions", "sanctions");
  // The sender's relation: the sanction's own impulse (0.03 × -8 in every domain) comes first.
  const auto sanctioned = insight::explain(run, pair_query(run, "USA", "RUS"));
  REQUIRE(!sanctioned.events.empty());
  CHECK(sanctioned.events.front().kind == "sanction");
  CHECK(sanctioned.events.front().actor == "USA");
  CHECK(sanctioned.events.front().goldstein == -8.0);
  CHECK(sanctioned.events.front().weight > 0.0);
  CHECK(sanctioned.text.find("Goldstein -8.0 (CAMEO 163)") != std::string::npos);
  CHECK(sanctioned.text.find("2025-03") != std::string::npos);
  // Pakistan and India are neither side of any sanctions event.
  const auto untouched = insight::explain(run, pair_query(run, "PAK", "IND"));
  CHECK(untouched.events.empty());
  // A window after the events holds none of them.
  auto later = pair_query(run, "RUS", "USA");
  later.from = 2027.0;
  CHECK(insight::explain(run, later).events.empty());
}

TEST_CASE("a run file says what each event acts on", "[insight][output]") {
  const RunFile sanctions = saved_run("sanctions", "sanctions-detail");
  REQUIRE(sanctions.events.size() == 3);
  CHECK(sanctions.events[0].detail == "trade, both directions, costs +60 %, secondary 0.05");
  CHECK(sanctions.events[1].detail == "trade, both directions, costs +60 %");
  CHECK(sanctions.events[2].detail.empty());  // an impulse: its Goldstein weight says it all
  const RunFile pipeline = saved_run("pipeline", "pipeline-detail");
  std::vector<std::string> details;
  for (const RunEvent& e : pipeline.events) details.push_back(e.kind + ": " + e.detail);
  CHECK(details == std::vector<std::string>{"impulse: ", "finance: investment 0.6 US$ bn/yr",
                                            "energy_link: capacity 3 bcm/yr, cost 0.9",
                                            "import_capacity: 22.8 bcm/yr",
                                            "finance: investment 0.2 US$ bn/yr"});
  const RunFile typed = saved_run("sanctions", "typed-detail",
                                  {"events.1.type=\"financial\"", "events.1.intensity=0.5"});
  CHECK(typed.events[1].detail == "financial, 50 % of the finance between them blocked");
  const RunFile one_way = saved_run(
      "sanctions", "one-way-detail",
      {"events.1.type=\"financial\"", "events.1.intensity=0.5", "events.1.direction=\"exports\""});
  CHECK(one_way.events[1].detail ==
        "financial, 50 % of the sender's finance to the target blocked");
  const RunFile corridors = saved_run("corridors", "corridors-detail");
  REQUIRE(!corridors.events.empty());
  CHECK(corridors.events[0].detail == "CAS-AFG closes");
}

TEST_CASE("a run file records a sanction's type and secondary part, old files read from words",
          "[insight][output]") {
  const RunFile sanctions = saved_run("sanctions", "sanctions-typed");
  REQUIRE(sanctions.events.size() == 3);
  CHECK(sanctions.events[0].sanction_type == "trade");
  CHECK(sanctions.events[0].secondary == 0.05);
  CHECK(sanctions.events[1].sanction_type == "trade");
  CHECK(sanctions.events[1].secondary == 0.0);       // the EU's has no secondary part
  CHECK(sanctions.events[2].sanction_type.empty());  // an impulse
  const RunFile financial = saved_run("sanctions", "financial-typed",
                                      {"events.1.type=\"financial\"", "events.1.intensity=0.5"});
  CHECK(financial.events[1].sanction_type == "financial");
  // A file from before the two were recorded: the same, from the detail's words.
  const RunFile old = saved_run("sanctions", "sanctions-untyped", {},
                                {"/events/sanction_type", "/events/secondary"});
  REQUIRE(old.events.size() == 3);
  CHECK(old.events[0].sanction_type == "trade");
  CHECK(old.events[0].secondary == 0.05);
  CHECK(old.events[1].sanction_type == "trade");
  CHECK(old.events[1].secondary == 0.0);
  CHECK(old.events[2].sanction_type.empty());
}

TEST_CASE(
    "explain says how a sanction reaches the pair: its own trade, a secondary part or "
    "diversion",
    "[insight][explain]") {
  // sanctions.toml: the United States sanctions Russia with a secondary part, the European Union
  // without one. Russia–United States trade is cut by the US sanction; the EU's reaches it only
  // by diversion, which raises it (without the EU's, it ends at 0.74 instead of 0.75 US$ bn/yr).
  for (const bool old_file : {false, true}) {
    const RunFile run = old_file ? saved_run("sanctions", "reach-untyped", {},
                                             {"/events/sanction_type", "/events/secondary"})
                                 : saved_run("sanctions", "reach");
    INFO((old_file ? "a file without sanction_type and secondary" : "a new file"));
    auto find = [](const insight::Explanation& e, const std::string& actor) {
      for (const auto& cause : e.events)
        if (cause.kind == "sanction" && cause.actor == actor) return std::optional(cause);
      return std::optional<insight::EventCause>();
    };
    const auto rus_usa = insight::explain(run, pair_query(run, "RUS", "USA"));
    const auto us = find(rus_usa, "USA"), eu = find(rus_usa, "EU");
    REQUIRE(us);
    REQUIRE(eu);
    INFO("US: " << us->channel << "\nEU: " << eu->channel);
    CHECK_THAT(us->channel, Contains("the pair's own trade"));
    CHECK(us->channel.find("secondary") == std::string::npos);
    CHECK(eu->channel.find("through its secondary part") == std::string::npos);
    CHECK(eu->channel.find("(secondary:") == std::string::npos);
    CHECK_THAT(eu->channel, Contains("trade diversion only"));
    CHECK_THAT(eu->channel, Contains("no secondary part"));
    // The pair's trade fell: diversion raises it, so the EU's sanction accounts for none of the
    // fall. The US sanction cut it, which lowers what benefit pulls toward; but benefit pulled
    // Russia's relation up after it (the relation had fallen below what the remaining trade is
    // worth), so the sanction is credited with none of that pull, and says why. Russia's own
    // retaliation, an impulse, comes first.
    CHECK(eu->weight == 0.0);
    CHECK(us->weight == 0.0);
    CHECK_THAT(us->channel, Contains("the ties fell, which moves what benefit pulls toward down; "
                                     "yet benefit pulled the relation up after it"));
    CHECK(rus_usa.events.front().actor == "RUS");
    // China–Russia: the US sanction reaches it through its secondary part (and diversion), the
    // EU's through diversion only.
    const auto chn_rus = insight::explain(run, pair_query(run, "CHN", "RUS"));
    const auto us_chn = find(chn_rus, "USA"), eu_chn = find(chn_rus, "EU");
    REQUIRE(us_chn);
    REQUIRE(eu_chn);
    INFO("US: " << us_chn->channel << "\nEU: " << eu_chn->channel);
    CHECK_THAT(us_chn->channel, Contains("secondary part"));
    CHECK(eu_chn->channel.find("through its secondary part") == std::string::npos);
    CHECK_THAT(eu_chn->channel, Contains("trade diversion only"));
    // Diversion is named, not weighted: its size is not in the file.
    CHECK(eu_chn->weight == 0.0);
  }
  // Under partial gravity nothing diverts: a third party's sanction without a secondary part does
  // not reach the pair's trade, and is listed only when it has an impulse on the pair.
  const RunFile partial =
      saved_run("sanctions", "reach-partial", {"model.flows.gravity=\"partial\""});
  for (const auto& e : insight::explain(partial, pair_query(partial, "RUS", "USA")).events) {
    INFO(e.actor << " -> " << e.target << ": " << e.channel);
    CHECK(e.actor != "EU");
  }
}

TEST_CASE("explain credits a flow event only with the flows it moves", "[insight][explain]") {
  // gas-cutoff: Russia finances Pakistan's pipeline and offers it gas. Neither moves the United
  // States' finance with Pakistan or their trade (a finance event moves its own flow; a gas link,
  // gas): Pakistan and the United States' relations had them credited with their flows' growth.
  const RunFile run = saved_run("teaching/gas-cutoff", "gas-cutoff");
  auto query = pair_query(run, "PAK", "USA");
  query.from = 2026.0;
  query.to = 2030.0;
  for (const std::string domain : {"economy", "energy", "diplomacy"}) {
    query.domain = insight::domain_index(run, domain, "--domain");
    for (const auto& e : insight::explain(run, query).events) {
      INFO(domain << ": " << e.kind << " " << e.actor << " -> " << e.target << ": " << e.channel);
      CHECK(e.channel.find("through benefit") == std::string::npos);
    }
  }
  // A sanction by its type: a financial one never through trade costs (an arms embargo, never
  // through any flow: its impulse only).
  // (An arms sanction cannot be made of a trade one by --set: its intensity would not apply.)
  for (const std::string type : {"financial"}) {
    const RunFile typed = saved_run("sanctions", "typed-" + type,
                                    {"events.1.type=\"" + type + "\"", "events.1.intensity=0.9"});
    for (const std::string pair : {"EU:RUS", "CHN:RUS", "IND:RUS", "PAK:RUS"}) {
      const auto causes = insight::explain(typed, pair_query(typed, pair.substr(0, pair.find(':')),
                                                             pair.substr(pair.find(':') + 1)));
      for (const auto& e : causes.events) {
        INFO(type << ", " << pair << ": " << e.actor << " -> " << e.target << ": " << e.channel);
        if (e.actor != "EU") continue;
        CHECK(e.channel.find("trade costs") == std::string::npos);
        if (type == "arms") CHECK(e.channel.find("through benefit") == std::string::npos);
      }
    }
  }
  // Between the pair, the same events are credited with the flows they move.
  auto pak_rus = pair_query(run, "PAK", "RUS");
  pak_rus.from = 2026.0;
  pak_rus.to = 2030.0;
  pak_rus.domain = insight::domain_index(run, "economy", "--domain");
  bool finance_credited = false;
  for (const auto& e : insight::explain(run, pak_rus).events)
    finance_credited =
        finance_credited ||
        (e.kind == "finance" &&
         e.channel.find("through benefit: finance from Russia to Pakistan") != std::string::npos);
  CHECK(finance_credited);
}

TEST_CASE(
    "explain credits a programme to a shareholder that can block it alone, and names a minor "
    "shareholder's leverage without weight",
    "[insight][explain]") {
  // The replay: the IMF's 2023 programme for Pakistan (the United States holds 16.75 % of the
  // votes, above the 15 % that blocks) and its 2019 programme (Russia holds 2.4 %).
  const RunFile run = saved_run("history/2014-2024-fitted", "replay");
  auto programme_of = [&](const std::string& a, const std::string& b, double from,
                          double to) -> std::optional<insight::EventCause> {
    auto q = pair_query(run, a, b);
    q.top = 100;
    q.from = from;
    q.to = to;
    for (const auto& e : insight::explain(run, q).events)
      if (e.kind == "programme") return e;
    return std::nullopt;
  };
  const auto usa = programme_of("PAK", "USA", 2023.5, 2024.25);
  REQUIRE(usa);
  INFO(usa->channel);
  CHECK_THAT(usa->channel, Contains("can block it alone") && Contains("through benefit"));
  CHECK(usa->weight > 0.0);
  const auto rus = programme_of("PAK", "RUS", 2019.4, 2021.5);
  REQUIRE(rus);
  INFO(rus->channel);
  CHECK_THAT(rus->channel, Contains("only with others") && Contains("leverage"));
  CHECK(rus->weight == 0.0);
  // The borrower's partner's own relation is not moved by the borrower's programme.
  CHECK_FALSE(programme_of("USA", "PAK", 2023.5, 2024.25));
}

TEST_CASE("explain names only the benefit channels the relation's domain uses",
          "[insight][explain]") {
  // The pipeline's gas link moves Pakistan and Russia's trade and gas. Their energy relation
  // follows gas (baseline [domains.energy] energy = 1); their security relation follows shared
  // threats only, so neither its benefit narrative nor its events may credit the flows.
  RunFile run = saved_run("pipeline", "pipeline");
  auto benefit_of = [](const insight::Explanation& e) {
    for (const auto& t : e.terms)
      if (t.term == "benefit") return t.meaning;
    return std::string();
  };
  auto query = pair_query(run, "PAK", "RUS");
  query.domain = insight::domain_index(run, "security", "--domain");
  const auto security = insight::explain(run, query);
  const std::string threat = benefit_of(security);
  REQUIRE(!threat.empty());
  CHECK_THAT(threat, Contains("(shared threats)"));
  // Told by the adversaries they share, or by their having none (depends on the seed's noise).
  CHECK_THAT(threat, Contains("Common adversaries") || Contains("share no adversary"));
  CHECK(threat.find("Gas from") == std::string::npos);
  CHECK(threat.find("Exports of") == std::string::npos);
  for (const auto& e : security.events)
    CHECK(e.channel.find("through benefit") == std::string::npos);

  query.domain = insight::domain_index(run, "energy", "--domain");
  const auto energy = insight::explain(run, query);
  const std::string gas = benefit_of(energy);
  CHECK_THAT(gas, Contains("(gas)"));
  CHECK_THAT(gas, Contains("Gas from Russia to Pakistan"));
  bool gas_link_credited = false;
  for (const auto& e : energy.events)
    gas_link_credited =
        gas_link_credited ||
        (e.kind == "energy_link" && e.channel.find("through benefit") != std::string::npos);
  CHECK(gas_link_credited);

  // Culture weighs no channel: benefit only pulls back toward the disposition, said so (no empty
  // list of channels).
  query.domain = insight::domain_index(run, "culture", "--domain");
  const std::string none = benefit_of(insight::explain(run, query));
  REQUIRE(!none.empty());
  CHECK_THAT(none, Contains("no domain of this relation weighs a material tie"));
  CHECK(none.find("()") == std::string::npos);

  // A scenario text that no longer loads leaves the channels unknown: all are named.
  run.scenario_text = "not toml [";
  query.domain = insight::domain_index(run, "security", "--domain");
  CHECK_THAT(benefit_of(insight::explain(run, query)),
             Contains("(trade, gas, finance, shared threats, shared institutions)"));
}

TEST_CASE("explain's event sentence names only events whose impulse reached the domain",
          "[insight][explain]") {
  // The 2014-2024 replay: Russia and Pakistan's security events of 2014-2017 (the arms embargo
  // lifted, ...) touch no other domain. The diplomacy relation's event sentence must start with
  // the first event that reached diplomacy (the army chief's visit, 2018), not credit them.
  const RunFile run = saved_run("history/2014-2024", "history");
  auto event_sentence = [&](const std::string& domain) {
    auto query = pair_query(run, "PAK", "RUS");
    query.domain = insight::domain_index(run, domain, "--domain");
    query.top = 20;
    for (const auto& t : insight::explain(run, query).terms)
      if (t.term == "event") return t.meaning;
    return std::string();
  };
  const std::string diplomacy = event_sentence("diplomacy");
  CHECK_THAT(diplomacy, Contains("Pakistan's army chief visits Moscow"));
  CHECK(diplomacy.find("arms embargo") == std::string::npos);
  CHECK_THAT(event_sentence("security"), Contains("arms embargo"));
}

TEST_CASE("explain splits a frame's impulse between the pair's events as the model applies them",
          "[insight][explain]") {
  const RunFile run = hand_made_run();
  insight::ExplainQuery q;
  q.actor = 0;
  q.partner = 1;
  const auto e = insight::explain(run, q);
  // Terms: event −0.3, benefit +0.1, anchor +0.05, reciprocity −0.02; gross 0.47.
  REQUIRE(e.terms.size() == 4);
  CHECK(e.terms[0].term == "event");
  CHECK(e.terms[0].value == Approx(-0.3));
  CHECK(e.terms[1].term == "benefit");
  CHECK(e.terms[2].term == "anchor");
  CHECK(e.terms[3].term == "reciprocity");
  CHECK(e.gross_movement == Approx(0.47));
  CHECK(e.terms[0].share == Approx(0.3 / 0.47));
  // The impulses of one frame: AAA's threat to BBB moves AAA → BBB by event_scale × G (0.03 ×
  // −8), BBB's protest to AAA by event_reciprocal (0.5) of its −4 × 0.03; together the frame's
  // −0.3. BBB → BBB is not on the pair.
  REQUIRE(e.events.size() == 2);
  CHECK(e.events[0].label == "threat");
  CHECK(e.events[0].weight == Approx(0.24));
  CHECK_THAT(e.events[0].channel, Contains("(-0.240)"));
  CHECK(e.events[1].label == "protest");
  CHECK(e.events[1].weight == Approx(0.06));
  // Window (frame 1, frame 2]: only the second frame's terms.
  q.from = run.time[1];
  const auto late = insight::explain(run, q);
  CHECK(late.start_value == Approx(run.relations[4 + 1]));
  CHECK(term_total(late) == Approx(-0.25));
  CHECK(late.terms.size() == 2);
}

TEST_CASE("explain snaps the window to recorded frames and refuses windows outside the run",
          "[insight][explain]") {
  const RunFile run = saved_run("baseline", "yearly", {"output.every=12"});
  REQUIRE(run.frames == 11);
  auto q = pair_query(run, "PAK", "RUS");
  q.from = 2026.3;
  q.to = 2030.7;
  const auto e = insight::explain(run, q);
  CHECK(e.from_time == Approx(2026.0));
  CHECK(e.to_time == Approx(2031.0));
  CHECK(e.text.find("nearest recorded frames") != std::string::npos);
  CHECK(std::abs(term_total(e) - (e.end_value - e.start_value)) < 1e-9);

  q.from = 2020.0;
  q.to.reset();
  CHECK_THROWS_AS(insight::explain(run, q), InputError);
  CHECK_THROWS_WITH(insight::explain(run, q),
                    Contains("yearly.h5") && Contains("--from") && Contains("outside the run"));
  q.from = 2027.1;
  q.to = 2027.2;  // both snap to 2027.0
  CHECK_THROWS_AS(insight::explain(run, q), InputError);
  CHECK_THROWS_WITH(insight::explain(run, q), Contains("holds no recorded step"));
  // ... and says where they snapped (the window "2027-02 to 2027-03" named no frame).
  CHECK_THROWS_WITH(insight::explain(run, q),
                    Contains("the nearest recorded frames: 2027-01 and 2027-01"));
  // In the run's own clock (hunt AO: a weekly run's frames were "recorded every 0 months").
  CHECK_THROWS_WITH(insight::explain(run, q),
                    Contains("frames are recorded every 12 steps (a year)"));
  const RunFile weekly =
      saved_run("baseline", "weekly", {"time.steps_per_year=52", "time.years=1"});
  auto w = pair_query(weekly, "PAK", "RUS");
  w.from = 2025.2;
  w.to = 2025.201;
  CHECK_THROWS_WITH(insight::explain(weekly, w),
                    Contains("frames are recorded every step (a week)"));
  // compare says what a frame is in that clock too (it said "the start of its month").
  CHECK_THAT(insight::render(insight::compare(weekly, weekly), 3),
             Contains("a frame is the state at the start of its week"));
  CHECK_THAT(insight::render(insight::compare(run, run), 3),
             Contains("a frame is the state at the start of its month"));
}

TEST_CASE("explain names an event of several targets once among those that may still act",
          "[insight][explain]") {
  // Hunt AO: the BRICS scenario's request to Russia and China (one event, a row a target) was
  // named twice, taking one of the three places.
  const RunFile run = saved_run("brics", "brics-targets", {"time.years=1"});
  auto q = pair_query(run, "PAK", "IND");
  q.from = 2025.17;
  q.to = 2025.42;
  const insight::Explanation e = insight::explain(run, q);
  REQUIRE(e.events.empty());
  // The text as one line (it is wrapped, a name across two lines).
  std::string text;
  for (const char ch : e.text)
    if (!(std::isspace(static_cast<unsigned char>(ch)) && !text.empty() && text.back() == ' '))
      text += std::isspace(static_cast<unsigned char>(ch)) ? ' ' : ch;
  const std::string label = "Pakistan asks Russia and China to back its BRICS bid (2025-01)";
  const std::size_t first = text.find(label);
  REQUIRE(first != std::string::npos);
  CHECK(text.find(label, first + 1) == std::string::npos);
}

TEST_CASE("explain names the pair's own events that acted elsewhere apart from third parties'",
          "[insight][explain]") {
  // Hunt AQ: Russia's and Pakistan's pipeline agreement (2026-01), an event between the two in
  // the energy and economy domains, was said to have "reached one side through a third party"
  // in an account of their security relation.
  const RunFile run = saved_run("pipeline", "pipeline-own-events", {"time.years=5"});
  auto q = pair_query(run, "PAK", "RUS");
  q.domain = insight::domain_index(run, "security", "--domain");
  q.from = 2025.92;
  q.to = 2026.17;
  const insight::Explanation e = insight::explain(run, q);
  REQUIRE(e.events.empty());
  std::string text;  // as one line
  for (const char ch : e.text)
    if (!(std::isspace(static_cast<unsigned char>(ch)) && !text.empty() && text.back() == ' '))
      text += std::isspace(static_cast<unsigned char>(ch)) ? ' ' : ch;
  const std::size_t agreement = text.find("Pakistan Stream construction agreement (2026-01)");
  REQUIRE(agreement != std::string::npos);
  const std::size_t between = text.find("events in the window between the two");
  REQUIRE(between != std::string::npos);
  CHECK(between < agreement);
  // No third party's part is said before it: the pair's own events are not a third party's.
  CHECK(text.substr(0, agreement).find("third party") == std::string::npos);
}

TEST_CASE("explain's term accounts read the relations as the terms do", "[insight][explain]") {
  const RunFile run = saved_run("sanctions", "terms");
  const auto term_text = [](const insight::Explanation& e, const std::string& name) {
    for (const auto& t : e.terms)
      if (t.term == name) return std::pair{t.value, t.meaning};
    return std::pair{0.0, std::string()};
  };
  SECTION("reciprocity: the partner's relations weighed by the actor's interests") {
    // China and Qatar start with the same relation toward each other in every domain; Qatar's
    // own overall relation, by its own interests, read as a gap of 0.028 the term does not see.
    const auto e = insight::explain(run, pair_query(run, "CHN", "QAT"));
    const auto [value, text] = term_text(e, "reciprocity");
    REQUIRE(!text.empty());
    INFO(text);
    const std::size_t n = run.actors.size(), nd = run.domains.size();
    const auto index = [&](const std::string& code) {
      return static_cast<std::size_t>(std::find(run.actors.begin(), run.actors.end(), code) -
                                      run.actors.begin());
    };
    const std::size_t i = index("CHN"), j = index("QAT");
    double weighed = 0.0;
    for (std::size_t d = 0; d < nd; ++d)
      weighed += run.interests[i * nd + d] * run.relations[(j * n + i) * nd + d];
    CHECK_THAT(text, Contains("weighed by China's interests) went " + signed_number(weighed, 3)));
  }
  SECTION("balance: the triads named pull the way the term went") {
    for (const auto& [a, b] : {std::pair{"PAK", "EU"}, std::pair{"PAK", "RUS"},
                               std::pair{"IND", "USA"}, std::pair{"CHN", "USA"}}) {
      const auto [value, text] = term_text(insight::explain(run, pair_query(run, a, b)), "balance");
      if (text.empty() || value == 0.0) continue;
      INFO(a << ":" << b << " " << value << ": " << text);
      const std::string way = value > 0.0 ? "up" : "down";
      const std::size_t named = text.find("The strongest pulling " + way);
      REQUIRE(named != std::string::npos);
      const std::size_t against = text.find("against them");
      const std::string before =
          text.substr(named, against == std::string::npos ? std::string::npos : against - named);
      CHECK(before.find(way == "up" ? "pulls down" : "pulls up") == std::string::npos);
    }
  }
  SECTION("a one-month window's terms are not printed as 0") {
    auto q = pair_query(run, "IND", "QAT");
    q.from = 2034.0 + 11.0 / 12.0;
    q.domain = static_cast<std::size_t>(
        std::find(run.domains.begin(), run.domains.end(), "energy") - run.domains.begin());
    REQUIRE(*q.domain < run.domains.size());
    const auto e = insight::explain(run, q);
    INFO(e.text);
    REQUIRE(!e.terms.empty());
    REQUIRE(std::abs(e.terms.front().value) < 0.0005);  // else the case tests nothing
    CHECK(e.text.find(" +0.000 ") == std::string::npos);
    CHECK(e.text.find(" -0.000 ") == std::string::npos);
  }
}

TEST_CASE("explain refuses impossible queries with messages naming the file",
          "[insight][explain]") {
  const RunFile run = saved_run("baseline", "base", {"time.years=1"});
  auto q = pair_query(run, "PAK", "PAK");
  CHECK_THROWS_AS(insight::explain(run, q), InputError);
  CHECK_THROWS_WITH(insight::explain(run, q),
                    Contains("base.h5") && Contains("two different actors"));

  CHECK_THROWS_AS(insight::actor_index(run, "PKA", "--pair"), InputError);
  CHECK_THROWS_WITH(insight::actor_index(run, "PKA", "--pair"),
                    Contains("unknown actor 'PKA'") && Contains("CHN EU IND PAK QAT RUS USA") &&
                        Contains("did you mean 'PAK'"));
  CHECK(insight::actor_index(run, "pak", "--pair") == code(run, "PAK"));
  // An actor's name as the file holds it is taken; a word close to a name is answered with
  // its code; "US" is one edit from RUS, USA and EU, and is meant as USA.
  CHECK(insight::actor_index(run, "Pakistan", "--pair") == code(run, "PAK"));
  CHECK(insight::actor_index(run, "united states", "--pair") == code(run, "USA"));
  CHECK_THROWS_WITH(insight::actor_index(run, "Pakistn", "--pair"), Contains("did you mean 'PAK'"));
  CHECK_THROWS_WITH(insight::actor_index(run, "US", "--pair"), Contains("did you mean 'USA'"));
  CHECK_THROWS_AS(insight::domain_index(run, "enrgy", "--domain"), InputError);
  CHECK_THROWS_WITH(insight::domain_index(run, "enrgy", "--domain"),
                    Contains("key '--domain'") && Contains("did you mean 'energy'"));

  const RunFile bare =
      saved_run("baseline", "bare", {"time.years=1", "output.contributions=false"});
  CHECK_THROWS_AS(insight::explain(bare, pair_query(bare, "PAK", "RUS")), InputError);
  CHECK_THROWS_WITH(insight::explain(bare, pair_query(bare, "PAK", "RUS")),
                    Contains("bare.h5") && Contains("contributions"));
}

TEST_CASE("explain_largest_moves explains the pairs that moved most, largest first",
          "[insight][explain]") {
  // "Moved most": how far the relation got from its start at any recorded frame, so that one
  // that rose and fell back is not passed over for one that drifted a little and stayed.
  for (const char* scenario : {"sanctions", "teaching/gas-cutoff"}) {
    INFO(scenario);
    const RunFile run = saved_run(scenario, "moves");
    const auto moves = insight::explain_largest_moves(run, 6);
    REQUIRE(moves.size() == 6);
    const std::size_t n = run.dims.actors;
    const auto farthest = [&](std::size_t i, std::size_t j) {
      double d = 0.0;
      for (std::size_t f = 0; f < run.frames; ++f)
        d = std::max(d, std::abs(run.relation_overall[(f * n + i) * n + j] -
                                 run.relation_overall[i * n + j]));
      return d;
    };
    const auto index = [&](const std::string& code) {
      return static_cast<std::size_t>(std::find(run.actors.begin(), run.actors.end(), code) -
                                      run.actors.begin());
    };
    double smallest_listed = 1e300;
    for (std::size_t k = 0; k < moves.size(); ++k) {
      const double size = farthest(index(moves[k].actor), index(moves[k].partner));
      if (k > 0) CHECK(farthest(index(moves[k - 1].actor), index(moves[k - 1].partner)) >= size);
      smallest_listed = std::min(smallest_listed, size);
      CHECK(moves[k].domain.empty());
    }
    bool pak_rus = false;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        if (i == j) continue;
        bool listed = false;
        for (const auto& m : moves)
          listed = listed || (m.actor == run.actors[i] && m.partner == run.actors[j]);
        if (!listed) CHECK(farthest(i, j) <= smallest_listed);
        if (listed && run.actors[i] == "PAK" && run.actors[j] == "RUS") pak_rus = true;
      }
    // The lesson's story: Pakistan → Russia rises with the gas, falls back after the cut (it
    // ends near its start, so a ranking by the net change left it out).
    if (std::string(scenario) == "teaching/gas-cutoff") CHECK(pak_rus);
  }
}

TEST_CASE("compare of a run with itself finds no difference", "[insight][compare]") {
  const RunFile a = saved_run("sanctions", "a", {"time.years=3"});
  const RunFile b = saved_run("sanctions", "b", {"time.years=3"});
  const auto c = insight::compare(a, b);
  CHECK(c.relations.empty());
  CHECK(c.flows.empty());
  CHECK(c.interdependence.empty());
  CHECK(c.memberships.empty());
  const std::string text = insight::render(c, 5);
  CHECK(text.find("(no differences)") != std::string::npos);
  CHECK(text.find("different seeds") == std::string::npos);
}

TEST_CASE("compare notes runs of different seeds, whose differences are partly chance",
          "[insight][compare]") {
  const RunFile a = saved_run("baseline", "a", {"time.years=3"});
  RunFile b = saved_run("baseline", "b", {"time.years=3"});
  b.metadata.seed = a.metadata.seed + 1;
  const std::string text = insight::render(insight::compare(a, b), 5);
  CHECK_THAT(text,
             Contains("Note: the runs have different seeds (" + std::to_string(a.metadata.seed) +
                      " and " + std::to_string(b.metadata.seed) + ")"));
  CHECK(insight::different_seeds_note(a, a).empty());
}

TEST_CASE("compare dates a gap by the first frame it reached its largest size, not by rounding",
          "[insight][compare]") {
  // A gap held for years: one frame where the arithmetic left it an ulp larger dated the row
  // (2030-02 where every frame from 2026-02 had it).
  RunFile baseline = saved_run("baseline", "baseline", {"time.years=2"});
  const std::size_t n = baseline.dims.actors, nd = baseline.dims.domains;
  const std::size_t at = ((0 * n + 0) * n + 1) * nd + 0;  // actor 0 toward 1, domain 0
  REQUIRE(baseline.frames > 12);
  for (std::size_t f = 0; f < baseline.frames; ++f) baseline.relations[f * n * n * nd + at] = 0.5;
  RunFile edited = baseline;
  for (std::size_t f = 3; f < baseline.frames; ++f)  // a gap of -0.25 from frame 3, exactly
    edited.relations[f * n * n * nd + at] = f == 10 ? 0.25 - 0x1p-54 : 0.25;  // -0.25 - 2^-54
  const auto c = insight::compare(edited, baseline);
  const auto row = std::find_if(c.relations.begin(), c.relations.end(), [](const auto& d) {
    return d.quantity == "relations" && d.actor == 0 && d.partner == 1 && d.domain == 0u;
  });
  REQUIRE(row != c.relations.end());
  CHECK(row->peak_time == baseline.time[3]);
  CHECK(row->peak_difference == -0.25);
}

TEST_CASE("compare ranks Russia's trade and relations first under sanctions",
          "[insight][compare]") {
  const RunFile sanctions = saved_run("sanctions", "sanctions");
  const RunFile baseline = saved_run("baseline", "baseline");
  const auto c = insight::compare(sanctions, baseline);
  REQUIRE(!c.relations.empty());
  REQUIRE(!c.flows.empty());
  REQUIRE(!c.interdependence.empty());
  CHECK(c.relations.front().label.find("Russia") != std::string::npos);
  // The sanctions' senders: the United States or the European Union.
  CHECK((c.relations.front().label.find("United States") != std::string::npos ||
         c.relations.front().label.find("European Union") != std::string::npos));
  CHECK(c.relations.front().peak_difference < 0.0);
  CHECK((c.flows.front().quantity == "trade" || c.flows.front().quantity == "energy"));
  CHECK(c.flows.front().label.find("Russia") != std::string::npos);
  CHECK(c.flows.front().scenario_end < c.flows.front().baseline_end);
  for (const auto* section : {&c.relations, &c.flows, &c.interdependence})
    for (const auto& d : *section) {
      CHECK(std::abs(d.peak_difference) >= std::abs(d.end_difference) - 1e-15);
      CHECK(d.end_difference == Approx(d.scenario_end - d.baseline_end));
      CHECK(d.peak_time >= sanctions.time.front());
      CHECK(d.peak_time <= sanctions.time.back());
      // The row's indices point at its values in the named dataset at the last frame.
      const std::size_t n = sanctions.dims.actors, nd = sanctions.dims.domains,
                        last = sanctions.frames - 1;
      const std::vector<double>& run_values =
          d.quantity == "relations"          ? sanctions.relations
          : d.quantity == "relation_overall" ? sanctions.relation_overall
          : d.quantity == "trade"            ? sanctions.trade
          : d.quantity == "energy"           ? sanctions.energy
          : d.quantity == "sensitivity"      ? sanctions.sensitivity
          : d.quantity == "vulnerability"    ? sanctions.vulnerability
                                             : sanctions.leverage;
      const std::size_t at = d.domain ? ((last * n + d.actor) * n + d.partner) * nd + *d.domain
                                      : (last * n + d.actor) * n + d.partner;
      CHECK(d.domain.has_value() == (d.quantity == "relations"));
      CHECK(run_values[at] == d.scenario_end);
    }
  for (std::size_t k = 1; k < c.relations.size(); ++k)
    CHECK(std::abs(c.relations[k - 1].peak_difference) >= std::abs(c.relations[k].peak_difference));
  CHECK(c.memberships.empty());
  // What a reader sees: no row whose gap prints as zero (relations 3 decimals, flows 2, indices
  // 4), and leverage from the stronger side, "B over A" with B's leverage positive at the end.
  std::size_t leverage_rows = 0;
  for (const auto& d : c.relations) CHECK(std::abs(d.peak_difference) >= 0.5e-3);
  for (const auto& d : c.flows) CHECK(std::abs(d.peak_difference) >= 0.5e-2);
  for (const auto& d : c.interdependence) {
    CHECK(std::abs(d.peak_difference) >= 0.5e-4);
    if (d.quantity != "leverage") continue;
    ++leverage_rows;
    CHECK((d.scenario_end > 0.0 || (d.scenario_end == 0.0 && d.baseline_end >= 0.0)));
  }
  CHECK(leverage_rows > 0);
  // Every printed row adds up: scenario − baseline, as printed, is the end diff printed (a row
  // read "-0.890 -0.545 -0.346" where the ends' difference is -0.345).
  std::istringstream rendered(insight::render(c, 1000));
  std::size_t rows = 0;
  for (std::string line; std::getline(rendered, line);) {
    std::vector<std::string> words;
    std::istringstream split(line);
    for (std::string w; split >> w;) words.push_back(w);
    if (words.size() < 6 || words.back().size() != 7 || words.back()[4] != '-') continue;
    const std::size_t n = words.size();  // ... scenario baseline end-diff largest when
    const std::string& diff = words[n - 3];
    if (diff.front() != '+' && diff.front() != '-') continue;
    ++rows;
    const std::size_t decimals = diff.size() - diff.find('.') - 1;
    INFO(line);
    CHECK(std::abs(std::stod(words[n - 5]) - std::stod(words[n - 4]) - std::stod(diff)) <
          0.1 * std::pow(10.0, -static_cast<double>(decimals)));
    // The largest gap never reads below the end's (each rounded alone, +0.017 below +0.018).
    CHECK(std::abs(std::stod(words[n - 2])) >= std::abs(std::stod(diff)));
  }
  CHECK(rows > 20);
}

TEST_CASE("compare detects a membership gained in one run and lost in the other",
          "[insight][compare]") {
  std::vector<std::string> friendly;
  for (const char* d : {"security", "economy", "energy", "diplomacy", "culture"})
    friendly.push_back(std::string("relations.IND.PAK.") + d + "=0.6");
  const RunFile admitted = saved_run("brics", "friendly", friendly);
  const RunFile vetoed = saved_run("brics", "vetoed");
  const auto gained = insight::compare(admitted, vetoed);
  REQUIRE(gained.memberships.size() == 1);
  CHECK(gained.memberships[0].actor == "PAK");
  CHECK(gained.memberships[0].institution.find("BRICS") != std::string::npos);
  CHECK(gained.memberships[0].gained);
  CHECK(gained.memberships[0].time < admitted.start + 1.0);
  const auto lost = insight::compare(vetoed, admitted);
  REQUIRE(lost.memberships.size() == 1);
  CHECK_FALSE(lost.memberships[0].gained);
  CHECK(lost.memberships[0].time == gained.memberships[0].time);
  CHECK(insight::render(gained, 3).find("PAK joins") != std::string::npos);
  CHECK(insight::render(lost, 3).find("PAK does not join") != std::string::npos);

  // A member that leaves (a `leave` event) in one run: told as leaving, at the event's date, not
  // as "does not join" at the first frame after it.
  const fs::path dir =
      fs::temp_directory_path() / ("interdep-test-insight-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  // The BRICS scenario with one membership event on 2026-02-15, run and saved.
  auto with_event = [&](const std::string& kind, const std::string& actor) {
    const fs::path file = dir / (kind + ".toml");
    std::ofstream(file) << "base = \"" INTERDEP_SOURCE_DIR "/scenarios/brics.toml\"\n"
                        << "[[events]]\ndate = 2026-02-15\nkind = \"" << kind << "\"\nactor = \""
                        << actor << "\"\ninstitution = \"BRICS\"\n";
    return saved_run(file.string(), kind);
  };
  const RunFile left = with_event("leave", "IND");
  // (India's veto gone, Pakistan is admitted later in that run: a second row.)
  const auto leaves = insight::compare(left, vetoed);
  REQUIRE(!leaves.memberships.empty());
  const insight::MembershipChange& m = leaves.memberships[0];
  CHECK(m.actor == "IND");
  CHECK(m.in_scenario);
  CHECK_FALSE(m.joined);
  CHECK_FALSE(m.gained);
  CHECK(m.time == Approx(2026.0 + 1.0 / 12.0));  // the event (at its step), not the next frame
  CHECK_THAT(insight::render(leaves, 3),
             Contains("IND leaves BRICS") && !Contains("does not join"));
  const auto stays = insight::compare(vetoed, left);
  REQUIRE(!stays.memberships.empty());
  CHECK(stays.memberships[0].actor == "IND");
  CHECK_FALSE(stays.memberships[0].in_scenario);
  CHECK_THAT(insight::render(stays, 3),
             Contains("IND stays in BRICS in the scenario; it leaves in the baseline"));

  // A `join` event is dated as a `leave` event is: at the event (its step), not the frame after
  // (it was dated a month after a leave on the same date).
  const RunFile joined = with_event("join", "PAK");
  const auto joins = insight::compare(joined, vetoed);
  REQUIRE(!joins.memberships.empty());
  CHECK(joins.memberships[0].actor == "PAK");
  CHECK(joins.memberships[0].joined);
  CHECK(joins.memberships[0].in_scenario);
  CHECK(joins.memberships[0].time == Approx(m.time));  // the leave's date and step above
  const auto no_join = insight::compare(vetoed, joined);
  REQUIRE(!no_join.memberships.empty());
  CHECK(no_join.memberships[0].time == Approx(m.time));
  CHECK_THAT(insight::render(no_join, 3), Contains("PAK does not join BRICS"));

  // explain counts the shared institutions among the ties: India's diplomacy toward Russia
  // follows them alone (baseline [domains.diplomacy] institutions = 1), and India left one.
  auto query = pair_query(left, "IND", "RUS");
  query.domain = insight::domain_index(left, "diplomacy", "--domain");
  const insight::Explanation diplomacy = insight::explain(left, query);
  std::string benefit;
  for (const auto& t : diplomacy.terms)
    if (t.term == "benefit") benefit = t.meaning;
  CHECK_THAT(benefit, Contains("(shared institutions)") && Contains("The ties shrank"));
  // ... and lists the leave among the events that acted on the pair, weighted through benefit
  // (the ties fell and benefit pulled the relation down after it).
  REQUIRE(!diplomacy.events.empty());
  CHECK(diplomacy.events.front().kind == "leave");
  CHECK_THAT(diplomacy.events.front().channel,
             Contains("shared membership ends: India leaves BRICS, which Russia belongs to"));
  CHECK(diplomacy.events.front().weight > 0.0);
}

TEST_CASE("compare refuses runs of different periods or actors and names both files",
          "[insight][compare]") {
  const RunFile ten = saved_run("baseline", "ten", {"time.years=2"});
  const RunFile five = saved_run("baseline", "one", {"time.years=1"});
  CHECK_THROWS_AS(insight::compare(ten, five), InputError);
  CHECK_THROWS_WITH(insight::compare(ten, five), Contains("ten.h5") && Contains("one.h5") &&
                                                     Contains("number of frames differs"));
  RunFile renamed = ten;
  renamed.actors[0] = "XXX";
  CHECK_THROWS_AS(insight::compare(renamed, ten), InputError);
  CHECK_THROWS_WITH(insight::compare(renamed, ten), Contains("actors differ") && Contains("XXX"));
}

TEST_CASE("compare renders at most top rows per section in aligned columns", "[insight][compare]") {
  const RunFile sanctions = saved_run("sanctions", "sanctions", {"time.years=3"});
  const RunFile baseline = saved_run("baseline", "baseline", {"time.years=3"});
  const std::string text = insight::render(insight::compare(sanctions, baseline), 4);
  std::istringstream lines(text);
  std::string line;
  // A table is a header line starting "  quantity" and the rows after it up to a blank line.
  std::vector<std::vector<std::string>> tables;
  bool in_table = false;
  while (std::getline(lines, line)) {
    if (line.rfind("  quantity", 0) == 0) {
      tables.emplace_back();
      in_table = true;
    }
    if (line.empty()) in_table = false;
    if (in_table && line.rfind("  ...", 0) != 0) tables.back().push_back(line);
  }
  REQUIRE(tables.size() == 3);  // relations, flows, interdependence
  for (const auto& table : tables) {
    CHECK(table.size() == 5);  // header + 4 rows: every section has more than 4 differences
    for (const auto& row : table) CHECK(display_width(row) == display_width(table[0]));
  }
  CHECK(text.find("US$ bn/yr") != std::string::npos);
}

TEST_CASE("dates people write: a year, a month, a day or a decimal year, one way round", "[text]") {
  using interdep::parse_year_text;
  CHECK(parse_year_text("2030") == 2030.0);
  CHECK(parse_year_text("2030.5") == 2030.5);
  CHECK(parse_year_text("2026-06") == 2026.0 + 5.0 / 12.0);
  CHECK(parse_year_text("2026-03-01") == 2026.0 + 2.0 / 12.0);
  // A day counts within its month, as the scenario files' dates do (2024 is a leap year).
  CHECK(parse_year_text("2024-02-15") == 2024.0 + (1.0 + 14.0 / 29.0) / 12.0);
  for (const char* bad : {"", "2026-13", "2026-00", "2026-06-31", "2026-02-30", "2026-6", "2026.5x",
                          ".5", "2026..5", "-2026", "2026-06-1", "20-06", "2026 "})
    CHECK_FALSE(parse_year_text(bad).has_value());
  // What year_month prints reads back as its month's start.
  for (double t : {2025.0, 2025.0 + 1.0 / 12.0, 2030.0 + 11.0 / 12.0}) {
    const std::optional<double> back = parse_year_text(interdep::year_month(t));
    REQUIRE(back.has_value());
    CHECK(*back == Approx(t).margin(1e-12));
  }
  // The day a time falls in (a weekly state's): each day's own start is that day, a time inside
  // a day is its day, and what it prints reads back to that day's start.
  using interdep::day_text;
  CHECK(day_text(2025.0) == "2025-01-01");
  CHECK(day_text(2024.0 + (1.0 + 28.0 / 29.0) / 12.0) == "2024-02-29");
  for (int step = 0; step < 52; ++step) {
    const double t = 2025.0 + step / 52.0;
    const std::optional<double> back = parse_year_text(day_text(t));
    REQUIRE(back.has_value());
    CHECK(*back <= t + 1e-12);
    CHECK(t - *back < 1.0 / 12.0 / 28.0);  // within a day
  }
}

TEST_CASE("a run file whose frames would not fit in memory is refused before they are read",
          "[insight][output]") {
  const ScenarioSpec spec = load_scenario(std::string(INTERDEP_SOURCE_DIR) +
                                          "/scenarios/baseline.toml");  // 121 frames, 7 actors
  const RunResult result = run_scenario(spec, kSeed);
  RunMetadata meta;
  meta.model = spec.model;
  const fs::path directory =
      fs::temp_directory_path() / ("interdep-test-limit-" + std::to_string(::getpid()));
  fs::create_directories(directory);
  const fs::path path = directory / "baseline.h5";
  write_run(path, spec, result.trajectory, result.log, meta);
  // Its contributions alone: 121 frames x 49 pairs x 5 domains x the terms x 8 bytes > 1 MiB.
  try {
    (void)read_run(path, 1 << 20);
    FAIL("read within 1 MiB");
  } catch (const interdep::OutputError& e) {
    CHECK_THAT(e.what(), Catch::Contains("reading it whole would take about"));
    CHECK_THAT(e.what(), Catch::Contains("(121 frames of 7 actors and 5 domains), more than the "
                                         "limit of 0.000977 GiB"));
  }
  CHECK(read_run(path, 1ull << 30).frames == 121);
  // Sizes read as numbers, not exponents, whatever their size.
  CHECK(interdep::gib_text(2950.0 * (1ull << 30)) == "2950");
  CHECK(interdep::gib_text(0.317 * (1ull << 30)) == "0.317");
  CHECK(read_run(path).frames == 121);  // three quarters of this machine's memory
  fs::remove_all(directory);
}

TEST_CASE("a list of names in a message is cut beyond 20, with a count", "[text]") {
  std::vector<std::string> words;
  for (int k = 0; k < 20; ++k) {
    std::string word = "A";  // built in steps: GCC 12 warns (-Wrestrict) at "A" + s
    words.push_back(word.append(std::to_string(k)));
  }
  const std::string twenty = interdep::word_list(words);
  CHECK(twenty.rfind("'A0', 'A1', ", 0) == 0);
  REQUIRE(twenty.size() > 10);
  CHECK(twenty.substr(twenty.size() - 5) == "'A19'");
  words.push_back("A20");
  CHECK(interdep::word_list(words, "", " ") == "A0 A1 A2 A3 A4 A5 A6 A7 A8 A9 A10 A11 and 9 more");
  CHECK(interdep::word_list({}).empty());
}

TEST_CASE("a date echoed in a message is the calendar day that was written", "[text]") {
  using interdep::date_text;
  // Every day of two years, a leap year among them, comes back as itself.
  for (int year : {2024, 2031})
    for (int month = 1; month <= 12; ++month)
      for (int day = 1; day <= interdep::days_in_month(year, month); ++day) {
        char written[32];
        std::snprintf(written, sizeof written, "%04d-%02d-%02d", year, month, day);
        CHECK(date_text(interdep::decimal_year(year, month, day)) == written);
      }
  CHECK(date_text(2030.5) == "2030-07-01");
  // No calendar day: the shortest decimal.
  CHECK(date_text(2030.37) == "2030.37");
  CHECK(date_text(2030.0 + 1e-9) == "2030.000000001");
}

TEST_CASE("explain credits an event with benefit's pull only when the pull went its flows' way",
          "[insight][explain]") {
  // The pipeline, Pakistan toward Russia: Russia's construction finance and its gas link raise
  // the pair's ties, and benefit pulls the relation up after them: each is credited a share of
  // that pull. The end of construction cuts the finance (0.66 -> 0.24 US$ bn/yr), yet benefit
  // still pulls up after it: the event held that pull back, by an amount the file does not hold,
  // so it is credited with none of it, and says so (before, it took a share of the upward pull).
  const RunFile run = saved_run("pipeline", "pipeline");
  const auto pak_rus = insight::explain(run, pair_query(run, "PAK", "RUS"));
  double benefit = 0.0;
  for (const auto& t : pak_rus.terms)
    if (t.term == "benefit") benefit = t.value;
  REQUIRE(benefit > 0.0);
  const insight::EventCause* finance = nullptr;
  const insight::EventCause* construction_ends = nullptr;
  const insight::EventCause* gas = nullptr;
  for (const auto& e : pak_rus.events) {
    if (e.kind == "finance" && e.label.find("during construction") != std::string::npos)
      finance = &e;
    if (e.kind == "finance" && e.label.find("Construction ends") != std::string::npos)
      construction_ends = &e;
    if (e.kind == "energy_link") gas = &e;
  }
  REQUIRE(finance != nullptr);
  REQUIRE(construction_ends != nullptr);
  REQUIRE(gas != nullptr);
  CHECK(finance->weight > 0.1);
  CHECK(gas->weight > 0.1);
  CHECK(finance->weight + gas->weight <= benefit + 1e-12);  // shares of the pull after them
  CHECK(construction_ends->weight == 0.0);
  CHECK_THAT(construction_ends->channel,
             Contains("the ties fell, which moves what benefit pulls toward down; yet benefit "
                      "pulled the relation up after it"));
}

TEST_CASE(
    "explain --measure: each listed event's effect is the run's change less the change "
    "of the run without it",
    "[insight][explain]") {
  // The sanctions scenario, Russia toward the United States: the events listed are Russia's
  // retaliation (events.2), the US sanction (events.0) and the EU's (events.1). Each measured
  // effect is checked against a run saved without that event, at the same seed.
  const RunFile run = saved_run("sanctions", "measure");
  const auto query = pair_query(run, "RUS", "USA");
  const insight::Explanation explanation = insight::explain(run, query);
  const insight::EventMeasurement m = insight::measure_events(run, query, explanation, 2);
  REQUIRE(m.reproduces);
  CHECK(m.change == Approx(explanation.end_value - explanation.start_value).margin(1e-12));
  REQUIRE(m.events.size() == explanation.events.size());
  for (const insight::MeasuredEvent& e : m.events) {
    const insight::EventCause& cause = explanation.events[e.cause];
    INFO(cause.label);
    REQUIRE(cause.event_index >= 0);
    const RunFile without =
        saved_run("sanctions", "measure-without",
                  {"events." + std::to_string(cause.event_index) + ".enabled=false"});
    const insight::Explanation other = insight::explain(without, query);
    CHECK(e.change_without == Approx(other.end_value - other.start_value).margin(1e-12));
    CHECK(e.effect == Approx(m.change - e.change_without).margin(1e-15));
    // The largest difference at any step (every step is a frame here), and when.
    REQUIRE(without.frames == run.frames);
    const std::size_t n = run.actors.size(), i = query.actor, j = query.partner;
    double largest = 0.0, at = 0.0;
    for (std::size_t f = 0; f < run.frames; ++f) {
      const double gap = run.relation_overall[f * n * n + i * n + j] -
                         without.relation_overall[f * n * n + i * n + j];
      if (std::abs(gap) > std::abs(largest)) largest = gap, at = run.time[f];
    }
    CHECK(e.largest_effect == Approx(largest).margin(1e-12));
    CHECK(e.largest_at == Approx(at).margin(1e-9));
  }
  // The US sanction takes 0.049 off Russia's relation (docs/explain-compare.md's example).
  for (const insight::MeasuredEvent& e : m.events)
    if (explanation.events[e.cause].actor == "USA") CHECK(e.effect == Approx(-0.049).margin(5e-4));
  CHECK_THAT(m.text, Contains("Measured (--measure): the relation moved " +
                              signed_number(m.change, 3) + ";"));
  // Each change with its sign, as the account prints them: "without it 0.107" read as a size.
  // Russia toward China warms: its changes are positive.
  const auto warming = pair_query(run, "RUS", "CHN");
  const insight::EventMeasurement up =
      insight::measure_events(run, warming, insight::explain(run, warming), 2);
  REQUIRE(up.change > 0.0);
  CHECK_THAT(up.text, Contains("the relation moved +"));
  for (const insight::EventMeasurement* measured : {&m, &up})
    for (const insight::MeasuredEvent& e : measured->events)
      CHECK_THAT(measured->text,
                 Contains("without it " + signed_number(e.change_without, 3) +
                          ", so it moved the relation " + signed_number(e.effect, 3)));

  // A file whose stored scenario is not the run it holds (another seed): nothing is measured,
  // and the text says why.
  RunFile other_seed = run;
  other_seed.metadata.seed += 1;
  const insight::EventMeasurement not_measured =
      insight::measure_events(other_seed, query, explanation, 1);
  CHECK_FALSE(not_measured.reproduces);
  CHECK(not_measured.events.empty());
  CHECK_THAT(not_measured.text, Contains("not measured"));
  // A stored scenario that no longer loads: bad input, at --measure.
  RunFile broken = run;
  broken.scenario_text = "[time\n";
  try {
    (void)insight::measure_events(broken, query, explanation, 1);
    FAIL("measured");
  } catch (const InputError& e) {
    CHECK(e.key() == "--measure");
    CHECK_THAT(e.message(), Contains("no longer loads"));
  }
}

TEST_CASE("explain's pressure names both parts of a near tie, each with its share",
          "[insight][explain]") {
  // The gas-cutoff lesson, Pakistan toward the United States over 2026-2030: China's and
  // Russia's leverage over Pakistan times their hostility to the US are nearly equal (0.648 and
  // 0.644 at the lesson's seed): "most of it came from China" alone hid Russia's rising part.
  const RunFile run = saved_run("teaching/gas-cutoff", "gas-cutoff");
  auto query = pair_query(run, "PAK", "USA");
  query.from = 2026.0;
  query.to = 2030.0;
  std::string pressure;
  for (const auto& t : insight::explain(run, query).terms)
    if (t.term == "pressure") pressure = t.meaning;
  REQUIRE(!pressure.empty());
  INFO(pressure);
  CHECK_THAT(pressure, Contains("Most of it came from"));
  CHECK_THAT(pressure, Contains("China (") && Contains("Russia (") && Contains(" %)"));
  std::size_t leverages = 0;
  for (std::size_t at = pressure.find("leverage over Pakistan went"); at != std::string::npos;
       at = pressure.find("leverage over Pakistan went", at + 1))
    ++leverages;
  CHECK(leverages == 2);
}

TEST_CASE("explain weighs a one-way trade sanction by the flow it sanctions",
          "[insight][explain]") {
  // The US sanction on Russia on US exports only: what it moves is the United States' exports
  // to Russia, not the pair's trade both ways (Russia's exports may hold up).
  const RunFile run = saved_run("sanctions", "one-way", {"events.0.direction=\"exports\""});
  const auto usa_rus = insight::explain(run, pair_query(run, "USA", "RUS"));
  const insight::EventCause* us = nullptr;
  for (const auto& e : usa_rus.events)
    if (e.kind == "sanction" && e.actor == "USA") us = &e;
  REQUIRE(us != nullptr);
  INFO(us->channel);
  CHECK_THAT(us->channel, Contains("trade costs of United States' exports to Russia, through "
                                   "benefit: that flow "));
  const std::size_t n = run.dims.actors;
  const std::size_t usa = insight::actor_index(run, "USA", "--pair"),
                    rus = insight::actor_index(run, "RUS", "--pair");
  CHECK_THAT(
      us->channel,
      Contains("→ " + number(run.trade[((run.frames - 1) * n + usa) * n + rus], 2) + " US$ bn/yr"));
}

TEST_CASE("explain prints a relation's change with its sign, however small", "[insight][explain]") {
  // Every directed pair over one-frame windows of the sanctions run: the change in "(±x, on the
  // scale" has the sign of end - start and is not printed as 0 unless it is 0 (a fall of 0.0004
  // was printed "+0.000").
  const RunFile run = saved_run("sanctions", "signs");
  std::size_t small = 0;
  for (std::size_t f = 1; f < run.frames; f += 7)
    for (std::size_t i = 0; i < run.dims.actors; ++i)
      for (std::size_t j = 0; j < run.dims.actors; ++j) {
        if (i == j) continue;
        insight::ExplainQuery q;
        q.actor = i;
        q.partner = j;
        q.from = run.time[f - 1];
        q.to = run.time[f];
        const insight::Explanation e = insight::explain(run, q);
        const double change = e.end_value - e.start_value;
        const std::size_t open = e.text.find(" (", e.text.find("It moved from"));
        REQUIRE(open != std::string::npos);
        const double printed = std::stod(e.text.substr(open + 2));
        INFO(e.text.substr(0, 200));
        if (change == 0.0) continue;
        small += std::abs(change) < 0.0005;
        CHECK(printed != 0.0);
        CHECK((printed > 0.0) == (change > 0.0));
        CHECK(std::abs(printed - change) <= 0.5 * std::abs(change) + 5e-4);
      }
  CHECK(small > 0);  // the case the rule is for occurs
}

TEST_CASE("explain: a corridor event that leaves the pair's route as it was gets no weight",
          "[insight][explain]") {
  // corridors.toml: the Afghan crossings close (no modelled pair routes through Afghanistan) and
  // the Rasht-Astara railway opens (Pakistan-Russia's route gets cheaper).
  const RunFile run = saved_run("corridors", "corridor-weights", {}, {}, true);
  const insight::Explanation e = insight::explain(run, pair_query(run, "PAK", "RUS"));
  std::size_t afghan = 0, railway = 0;
  for (const insight::EventCause& cause : e.events) {
    if (cause.kind != "corridor") continue;
    INFO(cause.label << ": " << cause.channel);
    if (cause.label.find("Afghanistan") != std::string::npos) {
      ++afghan;
      CHECK(cause.weight == 0.0);
      CHECK_THAT(cause.channel, Contains("this pair's route is unchanged"));
    } else {
      ++railway;
      CHECK(cause.weight > 0.0);
    }
  }
  CHECK(afghan == 2);
  CHECK(railway == 1);
}

TEST_CASE("explain credits a trade_cost event and reads a finance event by its own step",
          "[insight][explain]") {
  // A trade_cost event was not a flow kind ("no scheduled event acted on this pair"), and a
  // finance event that cut aid was read as a rise, its flow's change taken to the window's end
  // through the economies' growth.
  const RunFile run = baseline_with_events("trade-cost-and-aid-cut", R"([[events]]
date = 2026-07-01
label = "barter"
kind = "trade_cost"
actor = "PAK"
targets = ["RUS"]
intensity = -0.2
[[events]]
date = 2026-07-01
label = "tariff on China"
kind = "trade_cost"
actor = "PAK"
targets = ["CHN"]
intensity = 0.2
[[events]]
date = 2026-03-01
label = "aid cut"
kind = "finance"
actor = "USA"
targets = ["PAK"]
aid = 0.0
investment = 0.0
cameo = "162"
)");
  auto query = pair_query(run, "PAK", "RUS");
  query.domain = insight::domain_index(run, "economy", "--domain");
  query.from = 2026.0;
  query.to = 2030.0;
  bool barter = false, tariff = false;
  for (const auto& e : insight::explain(run, query).events) {
    INFO(e.label << ": " << e.channel);
    if (e.label == "barter") {
      barter = true;
      CHECK_THAT(e.channel, Contains("trade costs set between them"));
      CHECK(e.weight > 0.0);
    }
    if (e.label == "tariff on China") {  // a third party's trade: named, not weighted
      tariff = true;
      CHECK_THAT(e.channel, Contains("not this pair's"));
      CHECK(e.weight == 0.0);
    }
  }
  CHECK(barter);
  CHECK(tariff);

  auto us = pair_query(run, "PAK", "USA");
  us.domain = insight::domain_index(run, "economy", "--domain");
  us.from = 2026.0;
  us.to = 2035.0;
  bool cut = false;
  for (const auto& e : insight::explain(run, us).events) {
    if (e.label != "aid cut") continue;
    cut = true;
    INFO(e.channel);
    const std::string flow = "finance from United States to Pakistan ";
    const std::size_t at = e.channel.find(flow);
    REQUIRE(at != std::string::npos);
    CHECK_THAT(e.channel, Contains("over the event's step"));
    double before = 0.0, after = 0.0;
    REQUIRE(std::sscanf(e.channel.c_str() + at + flow.size(), "%lf → %lf", &before, &after) == 2);
    CHECK(after < before);
  }
  CHECK(cut);
  // A trade_cost is not set at once: trade follows it over years, to the window's end.
  for (const auto& e : insight::explain(run, query).events)
    if (e.label == "barter") CHECK_THAT(e.channel, !Contains("over the event's step"));
}

TEST_CASE(
    "explain weighs each impulse by the relation it reaches: sign, domains, sanctions' targets",
    "[insight][explain]") {
  // Two impulses on one pair in one month were split by |Goldstein|: a sanction (which moves only
  // its sender's relation) was credited on its target's, a diplomacy-only praise on security, and
  // a praise's +0.012 on the overall relation read as 0.076 of a threat's −0.24.
  const RunFile run = baseline_with_events("impulses", R"([[events]]
date = 2028-03-01
label = "USA sanctions CHN"
kind = "sanction"
actor = "USA"
targets = ["CHN"]
intensity = 0.6
[[events]]
date = 2028-03-10
label = "CHN retaliates"
kind = "impulse"
actor = "CHN"
targets = ["USA"]
goldstein = -4.0
[[events]]
date = 2028-03-01
label = "threat"
kind = "impulse"
actor = "PAK"
targets = ["IND"]
goldstein = -8.0
[[events]]
date = 2028-03-05
label = "praise"
kind = "impulse"
actor = "PAK"
targets = ["IND"]
goldstein = 4.0
domains = ["diplomacy"]
)");
  const auto weights = [&](const std::string& a, const std::string& b,
                           std::optional<std::string> domain) {
    auto q = pair_query(run, a, b);
    if (domain) q.domain = insight::domain_index(run, *domain, "--domain");
    q.from = 2028.0;
    q.to = 2029.0;
    q.top = 20;
    std::map<std::string, std::pair<double, std::string>> out;
    for (const auto& e : insight::explain(run, q).events)
      if (e.channel.find("immediate impulse") != std::string::npos)
        out[e.label] = {e.weight, e.channel};
    return out;
  };
  // China's relation toward the United States: the retaliation only (the sanction gives its
  // target nothing); the sender's: the sanction's −8 and half the retaliation's −4, 4 : 1.
  const auto china = weights("CHN", "USA", "security");
  CHECK(china.count("USA sanctions CHN") == 0);
  {  // nor does the event term's sentence name it
    auto q = pair_query(run, "CHN", "USA");
    q.domain = insight::domain_index(run, "security", "--domain");
    q.from = 2028.0;
    q.to = 2029.0;
    q.top = 20;
    for (const auto& t : insight::explain(run, q).terms)
      if (t.term == "event") {
        CHECK_THAT(t.meaning, Contains("CHN retaliates"));
        CHECK_THAT(t.meaning, !Contains("USA sanctions CHN"));
      }
  }
  REQUIRE(china.count("CHN retaliates") == 1);
  CHECK(china.at("CHN retaliates").first == Approx(0.12).epsilon(1e-6));
  const auto us = weights("USA", "CHN", "security");
  REQUIRE(us.count("USA sanctions CHN") == 1);
  REQUIRE(us.count("CHN retaliates") == 1);
  CHECK(us.at("USA sanctions CHN").first / us.at("CHN retaliates").first == Approx(4.0));
  // The praise is in diplomacy only: not on security, and on the overall relation with its sign.
  const auto security = weights("PAK", "IND", "security");
  CHECK(security.count("praise") == 0);
  CHECK(security.count("threat") == 1);
  const auto overall = weights("PAK", "IND", std::nullopt);
  REQUIRE(overall.count("praise") == 1);
  REQUIRE(overall.count("threat") == 1);
  CHECK_THAT(overall.at("praise").second, Contains("(+0."));
  CHECK_THAT(overall.at("threat").second, Contains("(-0."));
  const std::size_t pak = insight::actor_index(run, "PAK", "--pair");
  const std::size_t diplomacy = insight::domain_index(run, "diplomacy", "--domain");
  // −8 on every domain against +4 on diplomacy, weighed by Pakistan's interest in it.
  CHECK(overall.at("praise").first / overall.at("threat").first ==
        Approx(0.5 * run.interests[pak * run.dims.domains + diplomacy]));
}

TEST_CASE("explain credits a finance event to the relation of the actor that receives it",
          "[insight][explain]") {
  // Benefit counts the finance an actor receives: an investment of Russia in Pakistan moves
  // Pakistan's relation toward Russia, not Russia's toward Pakistan (whose weight was the whole
  // benefit term).
  const RunFile run = baseline_with_events("invest", R"([[events]]
date = 2028-03-01
label = "RUS invests PAK"
kind = "finance"
actor = "RUS"
targets = ["PAK"]
investment = 1.0
)");
  const auto invest = [&](const std::string& a, const std::string& b) {
    auto q = pair_query(run, a, b);
    q.from = 2028.0;
    q.to = 2031.0;
    for (const auto& e : insight::explain(run, q).events)
      if (e.label == "RUS invests PAK") return e;
    FAIL("the investment is not listed for " << a << ":" << b);
    return insight::EventCause{};
  };
  const auto giver = invest("RUS", "PAK");
  CHECK(giver.weight == 0.0);
  CHECK_THAT(giver.channel, Contains("finance from Russia to Pakistan 0.00 → 1.00") &&
                                Contains("explain --pair PAK:RUS"));
  const auto receiver = invest("PAK", "RUS");
  CHECK(receiver.weight > 0.0);
  CHECK_THAT(receiver.channel, Contains("finance from Russia to Pakistan 0.00 → 1.00"));
  // A window after it: no event dated in it, but the investment still flows, and is named (the
  // account said only "the movement comes from the model's own dynamics").
  auto later = pair_query(run, "PAK", "RUS");
  later.from = 2029.0;
  later.to = 2031.0;
  const insight::Explanation after = insight::explain(run, later);
  CHECK(after.events.empty());
  CHECK_THAT(after.text, Contains("earlier events set") && Contains("RUS invests PAK (2028-03)"));
  // A passive actor's relation, which no term moves: said, not "the largest:" and nothing.
  auto qatar = pair_query(run, "QAT", "PAK");
  qatar.from = 2029.0;
  qatar.to = 2031.0;
  const insight::Explanation passive = insight::explain(run, qatar);
  CHECK(passive.terms.empty());
  CHECK_THAT(passive.text, Contains("Qatar does not decide") && Contains("a passive actor"));
  CHECK_THAT(passive.text, !Contains("the largest:") && !Contains("the movement comes from"));
}

TEST_CASE("explain credits a lifting with what it lifted, and a lifted sanction up to its lifting",
          "[insight][explain]") {
  // Hunt AN: a lifting of a financial sanction was credited with "trade costs of the pair's own
  // trade" and not with the finance it restored; the sanction, measured to the window's end
  // after the lifting had undone it, read as finance that rose ("other forces such as growth
  // outweighed it").
  const RunFile run = baseline_with_events("finance-lifted", R"([[events]]
date = 2025-06-01
label = "US blocks half of its finance"
kind = "sanction"
type = "financial"
actor = "USA"
targets = "PAK"
intensity = 0.5
[[events]]
date = 2026-06-01
label = "US lifts it"
kind = "lift_sanction"
actor = "USA"
targets = "PAK"
[[events]]
date = 2027-03-01
label = "US bans arms sales"
kind = "sanction"
type = "arms"
actor = "USA"
targets = "PAK"
[[events]]
date = 2027-09-01
label = "US lifts the arms ban"
kind = "lift_sanction"
actor = "USA"
targets = "PAK"
)");
  auto q = pair_query(run, "PAK", "USA");
  q.from = 2025.0;
  q.to = 2028.5;
  q.top = 20;
  std::map<std::string, insight::EventCause> by_label;
  for (const auto& e : insight::explain(run, q).events) by_label[e.label] = e;
  REQUIRE(by_label.count("US lifts it"));
  const auto& lift = by_label["US lifts it"];
  INFO(lift.channel);
  CHECK_THAT(lift.channel, Contains("finance unblocked, through benefit: finance from United "
                                    "States to Pakistan"));
  CHECK_THAT(lift.channel, !Contains("trade costs"));
  CHECK(lift.weight > 0.0);
  REQUIRE(by_label.count("US blocks half of its finance"));
  const auto& block = by_label["US blocks half of its finance"];
  INFO(block.channel);
  CHECK_THAT(block.channel, Contains("blocked finance, through benefit") &&
                                Contains("until it was lifted in 2026-06"));
  CHECK_THAT(block.channel, !Contains("moved against the event's direction"));
  // What it blocked, up to the lifting: the flow fell (by about half).
  const RunView v(run);
  const auto step_of = [&](const std::string& label) {
    for (const auto& e : run.events)
      if (e.label == label) return e.step;
    FAIL("no event " << label);
    return std::int64_t{0};
  };
  const auto code = [&](const std::string& c) {
    return static_cast<std::size_t>(std::find(run.actors.begin(), run.actors.end(), c) -
                                    run.actors.begin());
  };
  const std::size_t before = v.frame_before_step(step_of("US blocks half of its finance")),
                    lifted = v.frame_before_step(step_of("US lifts it"));
  CHECK(v.pair(run.finance, lifted, code("USA"), code("PAK")) <
        0.6 * v.pair(run.finance, before, code("USA"), code("PAK")));
  // Lifting an arms ban moves no flow: its impulse only.
  if (by_label.count("US lifts the arms ban"))
    CHECK_THAT(by_label["US lifts the arms ban"].channel, !Contains("through benefit"));
}

TEST_CASE("explain credits an admission with its own institution's share of the damping",
          "[insight][explain]") {
  // India and Pakistan share the SCO (conflict_damping 0.06) from the start; BRICS admits
  // Pakistan. Its admission took the whole window's institutions term, the SCO's included. With
  // BRICS's damping 0 the admission damps nothing: its weight is its share of benefit's pull.
  const RunFile run = saved_run(
      "brics", "brics-admitted",
      {"institutions.BRICS.admission_threshold=-1", "institutions.BRICS.conflict_damping=0"});
  auto q = pair_query(run, "IND", "PAK");
  q.top = 20;
  const insight::Explanation e = insight::explain(run, q);
  double institutions = 0.0, benefit = 0.0;
  for (const auto& t : e.terms) {
    if (t.term == "institutions") institutions = t.value;
    if (t.term == "benefit") benefit = t.value;
  }
  REQUIRE(std::abs(institutions) > 0.0);  // the SCO damps the pair's hostility throughout
  bool admission = false;
  for (const auto& ev : e.events)
    if (ev.kind == "admission") {
      admission = true;
      CHECK(ev.weight <= std::abs(benefit) + 1e-12);
      CHECK(ev.weight < std::abs(institutions));
    }
  CHECK(admission);
}
