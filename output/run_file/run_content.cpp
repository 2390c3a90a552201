#include "output/run_file/run_content.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>

#include "engine/run/recorded_datasets.hpp"
#include "engine/run/timestamp.hpp"
#include "engine/run/version.hpp"
#include "engine/scenario/enum_names.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/goldstein.hpp"
#include "engine/text/control_chars.hpp"
#include "engine/text/text_format.hpp"
#include "output/hdf5/output_error.hpp"
#include "output/run_file/run_writer.hpp"

namespace interdep {
namespace {

namespace fs = std::filesystem;

std::string index_error(const char* what, std::size_t row, std::size_t value, std::size_t size) {
  return "row " + std::to_string(row) + ": " + what + " " + std::to_string(value) +
         " is out of range (" + std::to_string(size) + ")";
}

RunNetwork network_of(const NetworkRecord& net) {
  RunNetwork out;
  out.present = true;
  out.tie_threshold = net.tie_threshold;
  out.nodes = net.nodes;
  out.node_names = net.node_names;
  out.corridor_edges = net.corridor_edges;
  out.edge_from = net.edge_from;
  out.edge_to = net.edge_to;
  out.edge_cost = net.edge_cost;
  // The frame-major arrays, trimmed to the frames written.
  const std::size_t f = net.frames, n = net.actors, d = net.domains;
  const std::size_t nodes = net.node_count(), edges = net.edge_count();
  auto first = [f](const auto& values, std::size_t per_frame) {
    using V = std::decay_t<decltype(values)>;
    return V(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(f * per_frame));
  };
  out.sign = first(net.sign, n * n);
  out.faction = first(net.faction, n);
  out.faction_count = first(net.faction_count, 1);
  out.frustration = first(net.frustration, 1);
  out.triads_signed = first(net.triads_signed, 1);
  out.triads_balanced = first(net.triads_balanced, 1);
  out.balanced_share = first(net.balanced_share, 1);
  out.balanced_share_domain = first(net.balanced_share_domain, d);
  out.betweenness = first(net.betweenness, n);
  out.corridor_betweenness = first(net.corridor_betweenness, nodes);
  out.route_cost = first(net.route_cost, n * n);
  out.route = first(net.route, n * n);
  out.corridor_open = first(net.corridor_open, edges);
  return out;
}

}  // namespace

namespace {

// What an event acts on, in words, for /events/detail (docs/output-format.md).
std::string event_detail(const ScenarioSpec& spec, const EventSpec& s) {
  auto amount = [](double v) { return shortest_number(v); };
  auto flows = [](FlowDirection d) {
    return d == FlowDirection::both ? std::string("both directions") : std::string(name_of(d));
  };
  switch (s.kind) {
    case EventKind::sanction: {
      std::string text(name_of(s.sanction_type));
      if (s.sanction_type == SanctionType::trade) {
        text += ", " + flows(s.direction) + ", costs +" + amount(100.0 * s.intensity) + " %";
        if (s.secondary > 0.0) text += ", secondary " + amount(s.secondary);
      } else if (s.sanction_type == SanctionType::financial) {
        text += ", " + amount(100.0 * s.intensity) + " % of " +
                (s.direction == FlowDirection::both ? std::string("the finance between them")
                 : s.direction == FlowDirection::exports
                     ? std::string("the sender's finance to the target")
                     : std::string("the target's finance to the sender")) +
                " blocked";
      }
      return text;
    }
    case EventKind::lift_sanction:
      return s.persistence > 0.0 ? "fading over " + amount(s.persistence) + " yr" : "";
    case EventKind::trade_cost:
      return flows(s.direction) + ", costs " + (s.intensity >= 0.0 ? "+" : "") +
             amount(100.0 * s.intensity) + " %";
    case EventKind::energy_link:
      return "capacity " + amount(s.capacity) + " bcm/yr" +
             (s.cost > 0.0 ? ", cost " + amount(s.cost) : std::string());
    case EventKind::import_capacity: return amount(s.capacity) + " bcm/yr";
    case EventKind::finance: {
      std::string text;
      const std::pair<const char*, const std::optional<double>*> parts[] = {
          {"aid", &s.finance.aid},
          {"lending", &s.finance.lending},
          {"investment", &s.finance.investment},
          {"remittances", &s.finance.remittances}};
      for (const auto& [name, value] : parts)
        if (value->has_value())
          text += (text.empty() ? "" : ", ") + std::string(name) + " " + amount(**value);
      return text + (text.empty() ? "" : " US$ bn/yr");
    }
    case EventKind::programme:
      return (s.lender < spec.lenders.size() ? spec.lenders[s.lender].name + " " : std::string()) +
             (s.amount > 0.0 ? amount(s.amount) + " US$ bn/yr" : std::string("ends"));
    case EventKind::corridor:
      return (s.corridor_edge < spec.corridor_edges.size()
                  ? spec.corridor_edges[s.corridor_edge].name + " "
                  : std::string()) +
             (s.open ? "opens" : "closes");
    case EventKind::apply:
    case EventKind::join:
    case EventKind::leave:
      return s.institution < spec.institutions.size() ? spec.institutions[s.institution].name : "";
    case EventKind::impulse: break;
  }
  return "";
}

}  // namespace

std::vector<RunEvent> event_rows(const fs::path& path, const ScenarioSpec& spec,
                                 const EventLog& log) {
  std::vector<RunEvent> rows(log.events.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const AppliedEvent& e = log.events[r];
    if (e.event_index >= spec.events.size())
      throw OutputError(path, "write /events",
                        index_error("event_index", r, e.event_index, spec.events.size()));
    if (e.actor >= spec.actors.size() || e.target >= spec.actors.size())
      throw OutputError(path, "write /events",
                        index_error("actor", r, std::max(e.actor, e.target), spec.actors.size()));
    const EventSpec& s = spec.events[e.event_index];
    RunEvent& row = rows[r];
    row.step = e.step;
    row.time = e.time;
    row.kind = name_of(s.kind);
    row.label = s.label;
    row.actor = spec.actors[e.actor].code;
    row.target = spec.actors[e.target].code;
    if (s.other_member)  // a join or leave of a member that is not an actor: its own code
      row.actor = row.target = spec.institutions[s.institution].others[*s.other_member].code;
    row.goldstein = e.goldstein;
    row.cameo = s.cameo;
    row.event_index = static_cast<std::int64_t>(e.event_index);
    row.detail = event_detail(spec, s);
    if (s.kind == EventKind::sanction) {
      row.sanction_type = name_of(s.sanction_type);
      if (s.sanction_type == SanctionType::trade) row.secondary = s.secondary;
    }
  }
  return rows;
}

std::vector<RunAdmission> admission_rows(const fs::path& path, const ScenarioSpec& spec,
                                         const EventLog& log) {
  std::vector<RunAdmission> rows(log.admissions.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const AdmissionDecision& a = log.admissions[r];
    if (a.institution >= spec.institutions.size())
      throw OutputError(path, "write /admissions",
                        index_error("institution", r, a.institution, spec.institutions.size()));
    if (a.applicant >= spec.actors.size())
      throw OutputError(path, "write /admissions",
                        index_error("applicant", r, a.applicant, spec.actors.size()));
    rows[r] = RunAdmission{a.step,
                           a.time,
                           spec.institutions[a.institution].name,
                           spec.actors[a.applicant].code,
                           a.votes_for,
                           a.votes_against,
                           a.probability,
                           a.admitted};
  }
  return rows;
}

std::vector<std::string> other_member_texts(const ScenarioSpec& spec) {
  std::vector<std::string> texts;
  for (const auto& k : spec.institutions) {
    std::string others;
    for (const auto& o : k.others) {
      others += (others.empty() ? "" : " ") + o.code;
      if (std::isfinite(o.joined) && o.joined > spec.time.start) {
        others += " (from " + year_month(o.joined);
        others += std::isfinite(o.left) ? " until " + year_month(o.left) + ")" : ")";
      } else if (std::isfinite(o.left)) {
        others += " (until " + year_month(o.left) + ")";
      }
    }
    texts.push_back(others);
  }
  return texts;
}

RecordedRun recorded_run(const fs::path& path, const ScenarioSpec& spec, Trajectory&& traj,
                         const EventLog& log, const RunMetadata& meta,
                         const NetworkRecord* network) {
  RecordedRun run;
  run.path = path;
  run.metadata = meta;
  run.conventions = std::string(kOutputConventions);
  run.scenario_name = spec.name;
  run.scenario_description = spec.description;
  run.scenario_file = spec.source_path;
  run.scenario_text = spec.resolved_text;
  run.goldstein_table = std::string(kGoldsteinTableVersion);
  run.start = spec.time.start;
  run.dt = spec.time.dt();
  run.steps = spec.time.steps;
  run.steps_per_year = spec.time.steps_per_year;
  run.record_every = std::max<std::int64_t>(1, spec.record.every);

  run.dims = traj.dims();
  run.frames = traj.frames();
  for (const auto& a : spec.actors) {
    run.actors.push_back(a.code);
    run.actor_names.push_back(a.name);
    run.interests.insert(run.interests.end(), a.interests.begin(), a.interests.end());
  }
  for (const auto& d : spec.domains) {
    run.domains.push_back(d.name);
    run.domain_labels.push_back(d.label);
  }
  for (const auto& k : spec.institutions) {
    run.institutions.push_back(k.name);
    run.institution_labels.push_back(k.label);
  }
  run.institution_other_members = other_member_texts(spec);
  run.terms = traj.term_names();
  run.time.assign(traj.time.begin(), traj.time.begin() + static_cast<std::ptrdiff_t>(run.frames));
  run.step.assign(traj.step.begin(), traj.step.begin() + static_cast<std::ptrdiff_t>(run.frames));

  // The recorded datasets the root group keeps, moved and trimmed to the frames recorded.
  const AxisSizes sizes = traj.sizes();
  for (const RecordedDataset& row : kRecordedDatasets) {
    if (row.stored != Stored::root || !traj.records(row)) continue;
    const std::size_t values = run.frames * row.frame_size(sizes);
    if (row.f64 != nullptr) {
      run.*row.f64 = std::move(traj.*row.f64);
      (run.*row.f64).resize(values);
    }
    if (row.u8 != nullptr) {
      run.*row.u8 = std::move(traj.*row.u8);
      (run.*row.u8).resize(values);
    }
  }
  run.has_contributions = traj.has_contributions();

  run.events = event_rows(path, spec, log);
  run.admissions = admission_rows(path, spec, log);
  if (network != nullptr) run.network = network_of(*network);
  return run;
}

RunDigest::RunDigest(const ScenarioSpec& spec, std::span<const std::string_view> term_names,
                     const NetworkRecord* network)
    : kept_(spec, term_names, 0),
      last_frame_(static_cast<std::size_t>(Trajectory::frame_count(spec) - 1)),
      network_(network != nullptr) {
  if (network_) {  // the corridor graph and sizes, without frames
    kept_network_ = *network;
    clear_frames(kept_network_);
  }
}

void RunDigest::add(const Trajectory& window, const NetworkRecord* network) {
  assert(network_ == (network != nullptr));
  const std::size_t edges = window.sizes().corridor_edges;
  const std::size_t per_frame =
      window.has_contributions() ? window.contributions.size() / window.capacity() : 0;
  contribution_sum_.resize(per_frame, 0.0);
  for (std::size_t f = 0; f < window.frames(); ++f) {
    const std::size_t frame = window.first_frame() + f;
    const double* increments = window.contributions.data() + f * per_frame;
    for (std::size_t k = 0; k < per_frame; ++k) contribution_sum_[k] += increments[k];

    // A frame whose open corridors differ from the frame before: the kept frame before it has
    // the earlier state (nothing changed in between), so the summary sees when it changed.
    const auto open = window.corridor_open.begin() + static_cast<std::ptrdiff_t>(f * edges);
    const bool changed = frame > 0 && !std::equal(open, open + static_cast<std::ptrdiff_t>(edges),
                                                  last_open_.begin(), last_open_.end());
    last_open_.assign(open, open + static_cast<std::ptrdiff_t>(edges));
    if (frame == 0 || frame == last_frame_ || changed) {
      kept_.copy_frame(window, f);
      if (network_) append_frame(kept_network_, *network, f);
    }
  }
}

RecordedRun RunDigest::finish(const fs::path& path, const ScenarioSpec& spec, const EventLog& log,
                              const RunMetadata& meta) && {
  if (kept_.has_contributions() && kept_.frames() > 0) {
    std::fill(kept_.contributions.begin(), kept_.contributions.end(), 0.0);
    const std::size_t last = kept_.frames() - 1;
    std::copy(
        contribution_sum_.begin(), contribution_sum_.end(),
        kept_.contributions.begin() + static_cast<std::ptrdiff_t>(last * contribution_sum_.size()));
  }
  return recorded_run(path, spec, std::move(kept_), log, meta, network_ ? &kept_network_ : nullptr);
}

std::string default_run_label(const std::string& scenario_name,
                              const std::vector<std::string>& overrides) {
  std::string label = scenario_name;
  for (std::size_t k = 0; k < overrides.size(); ++k)
    label += (k == 0 ? " [" : ", ") + overrides[k] + (k + 1 == overrides.size() ? "]" : "");
  return label;
}

RunMetadata run_metadata(const ScenarioSpec& spec, const std::string& command_line,
                         const std::optional<std::string>& label) {
  RunMetadata meta;
  meta.engine_version = kEngineVersion;
  meta.model = spec.model;
  meta.seed = spec.seed;
  meta.created = utc_timestamp();
  meta.command_line = command_line;
  // A rerun of a text `inspect --scenario` printed ([run]) is the run it records: the same
  // overrides first, and its label unless this run changes something more.
  meta.overrides = spec.recorded_overrides;
  meta.overrides.insert(meta.overrides.end(), spec.overrides.begin(), spec.overrides.end());
  // A label names the run wherever it is printed: no control or invisible format character, as
  // the scenario's name (engine/scenario/toml_reader.hpp, refuse_control_characters).
  if (label)
    if (const auto found = first_refused_character(*label, TextKind::name))
      throw InputError(SourcePosition{"--label", 0, 0}, "",
                       "'" + printable(*label, TextKind::name) +
                           "': " + refused_character_name(*found) +
                           " not allowed in a run's label: " + std::string(refusal_reason(*found)) +
                           "; remove it");
  meta.label = label ? *label
               : spec.recorded_label && spec.overrides.empty()
                   ? *spec.recorded_label
                   : default_run_label(spec.name, meta.overrides);
  return meta;
}

}  // namespace interdep
