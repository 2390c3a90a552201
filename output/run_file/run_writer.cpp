#include "output/run_file/run_writer.hpp"

#include <algorithm>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/run/recorded_datasets.hpp"
#include "engine/run/state.hpp"
#include "engine/scenario/enum_names.hpp"
#include "engine/scenario/goldstein.hpp"
#include "output/hdf5/attributes.hpp"
#include "output/hdf5/datasets.hpp"
#include "output/hdf5/hdf5_handle.hpp"
#include "output/run_file/run_content.hpp"

namespace interdep {

namespace fs = std::filesystem;

// ------------------------------------------------------------------------------------------
// The writer.

namespace {

using h5::Handle;

std::string join_names(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& n : names) joined += (joined.empty() ? "" : "|") + n;
  return joined;
}

// Chunks hold one time frame; a frame larger than this is halved along its largest axes.
constexpr std::size_t kMaxChunkBytes = std::size_t{16} << 20;

// The dimensions (dimension scales) of a variable, one per axis, in order.
using Scales = std::vector<const h5::Dataset*>;

// Writes the datasets of a run file. Values are a std::vector or std::span of numbers
// (h5::Types) or strings, row-major. Each dataset is created, written, given its units and
// long_name, then made a dimension scale or attached to its dimensions, in that order (which
// fixes where everything lies in the file). Arrays of rank >= 3 are chunked by time frame and,
// at a deflate level above 0, compressed (shuffle + deflate); the small ones, and any with a
// zero-length axis, are contiguous.
class Writer {
 public:
  // `deflate`: the deflate level of the chunked datasets, 0 (none) .. 9 ([output] compression).
  Writer(fs::path path, unsigned deflate) : path_(std::move(path)), deflate_(deflate) {}

  const fs::path& path() const { return path_; }

  // A coordinate variable that is also the dimension of the same name.
  template <class Values>
  h5::Dataset dimension(hid_t loc, const std::string& name, const Values& values,
                        h5::Describe what) const {
    h5::Dataset ds = dataset(loc, name, values, {values.size()}, what);
    h5::make_scale(ds, name, path_);
    return ds;
  }

  // A variable over the given dimensions, in that order.
  template <class Values>
  void variable(hid_t loc, const std::string& name, const Values& values, const Scales& dims,
                h5::Describe what) const {
    const h5::Dataset ds = dataset(loc, name, values, h5::scale_lengths(dims, path_), what);
    h5::attach_scales(ds, dims, path_);
  }

  // The first `frames` frames of a frame-major trajectory array of `per_frame` values each.
  template <class T>
  std::span<const T> frames(const std::vector<T>& values, std::size_t frames, std::size_t per_frame,
                            const std::string& name) const {
    const std::size_t needed = frames * per_frame;
    if (values.size() < needed) {
      throw OutputError(path_, "write /" + name,
                        "the trajectory holds " + std::to_string(values.size()) +
                            " values, expected at least " + std::to_string(needed));
    }
    return std::span<const T>(values.data(), needed);
  }

 private:
  template <class Values>
  h5::Dataset dataset(hid_t loc, const std::string& name, const Values& values,
                      const std::vector<hsize_t>& shape, h5::Describe what) const {
    using T = typename Values::value_type;
    constexpr bool strings = std::is_same_v<T, std::string>;
    const std::span<const T> all(values);
    Handle string_type;
    hid_t file_type = -1;
    if constexpr (strings) {
      string_type = h5::string_type(path_);
      file_type = string_type.get();
    } else {
      file_type = h5::Types<T>::file();
    }
    const std::vector<hsize_t> chunk = shape.size() >= 3
                                           ? h5::frame_chunk(shape, file_type, kMaxChunkBytes)
                                           : std::vector<hsize_t>{};
    h5::Dataset ds = h5::create_dataset(loc, name, file_type, shape, chunk, deflate_, path_);
    if constexpr (strings) {
      h5::write_all_strings(ds, all, path_);
    } else {
      h5::write_all(ds, all, path_);
    }
    h5::describe(ds, what, path_);
    return ds;
  }

  fs::path path_;
  unsigned deflate_ = 0;
};

std::vector<std::int64_t> row_index(std::size_t rows) {
  std::vector<std::int64_t> index(rows);
  for (std::size_t k = 0; k < rows; ++k) index[k] = static_cast<std::int64_t>(k);
  return index;
}

void write_root_attributes(hid_t root, const fs::path& path, const ScenarioSpec& spec,
                           const RunMetadata& meta) {
  h5::write_string_attribute(root, "conventions", kOutputConventions, path);
  h5::write_string_attribute(root, "engine_version", meta.engine_version, path);
  h5::write_string_attribute(root, "model", meta.model, path);
  h5::write_number_attribute(root, "seed", meta.seed, path);
  h5::write_string_attribute(root, "created", meta.created, path);
  h5::write_string_attribute(root, "command_line", meta.command_line, path);
  h5::write_string_attribute(root, "scenario_name", spec.name, path);
  h5::write_string_attribute(root, "scenario_description", spec.description, path);
  h5::write_string_attribute(root, "scenario_file", spec.source_path, path);
  h5::write_string_attribute(root, "scenario_text", spec.resolved_text, path);
  h5::write_number_attribute(root, "start", spec.time.start, path);
  h5::write_number_attribute(root, "dt", spec.time.dt(), path);
  h5::write_number_attribute(root, "steps", spec.time.steps, path);
  h5::write_number_attribute(root, "steps_per_year",
                             static_cast<std::int64_t>(spec.time.steps_per_year), path);
  h5::write_number_attribute(root, "record_every", std::max<std::int64_t>(1, spec.record.every),
                             path);
  h5::write_string_attribute(root, "goldstein_table", kGoldsteinTableVersion, path);
}

void write_trajectory(const Writer& w, hid_t root, const ScenarioSpec& spec,
                      const Trajectory& traj) {
  const std::size_t frames = traj.frames();
  const fs::path& path = w.path();

  std::vector<std::string> codes, names, domains, domain_labels, institutions, institution_labels,
      terms;
  for (const auto& a : spec.actors) {
    codes.push_back(a.code);
    names.push_back(a.name);
  }
  for (const auto& d : spec.domains) {
    domains.push_back(d.name);
    domain_labels.push_back(d.label);
  }
  for (const auto& k : spec.institutions) {
    institutions.push_back(k.name);
    institution_labels.push_back(k.label);
  }
  const std::vector<std::string> other_members = other_member_texts(spec);
  terms = traj.term_names();

  const h5::Dataset time = w.dimension(root, "time", w.frames(traj.time, frames, 1, "time"),
                                       {"year", "time of the recorded state, decimal year"});
  const h5::Dataset actor =
      w.dimension(root, "actor", codes, {"", "actor code (first index of pair variables)"});
  const h5::Dataset partner = w.dimension(
      root, "partner", codes, {"", "partner actor code (second index of pair variables)"});
  const h5::Dataset domain = w.dimension(root, "domain", domains, {"", "issue domain"});
  const h5::Dataset institution =
      w.dimension(root, "institution", institutions, {"", "institution name"});
  const h5::Dataset term = w.dimension(root, "term", terms, {"", "decision term"});
  const h5::Dataset channel =
      w.dimension(root, "channel",
                  std::vector<std::string>(kDependenceChannels.begin(), kDependenceChannels.end()),
                  {"", "channel of dependence"});

  w.variable(root, "step", w.frames(traj.step, frames, 1, "step"), {&time},
             {"1", "steps taken since the start"});
  w.variable(root, "actor_name", names, {&actor}, {"", "actor full name"});
  w.variable(root, "domain_label", domain_labels, {&domain}, {"", "issue domain display name"});
  w.variable(root, "institution_label", institution_labels, {&institution},
             {"", "institution display name"});
  w.variable(root, "institution_other_members", other_members, {&institution},
             {"", "members that are not actors and only vote (codes; join dates inside the run)"});
  std::vector<double> interests;  // [actor][domain]
  for (const auto& a : spec.actors) {
    interests.insert(interests.end(), a.interests.begin(), a.interests.end());
  }
  w.variable(root, "interests", interests, {&actor, &domain},
             {"1", "interest weight of actor in domain (rows sum to 1)"});

  // Every recorded dataset the root group keeps, in the table's order, over time and its axes.
  auto dimension_of = [&](Axis axis) -> const h5::Dataset* {
    switch (axis) {
      case Axis::actor: return &actor;
      case Axis::partner: return &partner;
      case Axis::domain: return &domain;
      case Axis::institution: return &institution;
      case Axis::term: return &term;
      case Axis::channel: return &channel;
      case Axis::corridor_edge: break;  // only under /network
    }
    throw OutputError(path, "write trajectory", "no root dimension for a recorded dataset's axis");
  };
  for (const RecordedDataset& row : kRecordedDatasets) {
    if (row.stored != Stored::root || !traj.records(row)) continue;
    Scales dims{&time};
    for (Axis axis : row.axis_list()) dims.push_back(dimension_of(axis));
    const std::size_t per_frame = row.frame_size(traj.sizes());
    const std::string name(row.name);
    const h5::Describe what{row.units, row.long_name};
    if (row.f64 != nullptr) {
      w.variable(root, name, w.frames(traj.*row.f64, frames, per_frame, name), dims, what);
    } else {
      w.variable(root, name, w.frames(traj.*row.u8, frames, per_frame, name), dims, what);
    }
  }
}

void write_events(const Writer& w, hid_t root, const ScenarioSpec& spec, const EventLog& log) {
  const fs::path& path = w.path();
  const std::vector<RunEvent> row_list = event_rows(path, spec, log);
  const std::size_t rows = row_list.size();
  std::vector<double> time(rows), goldstein(rows);
  std::vector<std::int64_t> step(rows), event_index(rows);
  std::vector<std::string> kind(rows), label(rows), actor(rows), target(rows), cameo(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const RunEvent& e = row_list[r];
    time[r] = e.time;
    step[r] = e.step;
    event_index[r] = e.event_index;
    goldstein[r] = e.goldstein;
    kind[r] = e.kind;
    label[r] = e.label;
    cameo[r] = e.cameo;
    actor[r] = e.actor;
    target[r] = e.target;
  }
  const std::vector<std::int64_t> index = row_index(rows);

  const std::string kinds = "event kind (" + join_names(name_list<EventKind>()) + ")";
  const Handle group = h5::create_group(root, "events", h5::GroupOrder::links, path);
  const hid_t g = group.get();
  const h5::Dataset event =
      w.dimension(g, "event", index, {"1", "row number of the applied event"});
  w.variable(g, "time", time, {&event},
             {"year", "time of the step the event was applied at, decimal year"});
  w.variable(g, "step", step, {&event}, {"1", "step at whose start the event was applied"});
  w.variable(g, "kind", kind, {&event}, {"", kinds});
  w.variable(g, "label", label, {&event}, {"", "what happened"});
  w.variable(g, "actor", actor, {&event},
             {"",
              "source, sender, supplier or applicant (actor code; for a join or leave of a "
              "member that is not an actor, its code)"});
  w.variable(g, "target", target, {&event},
             {"", "target actor code (the actor itself when the event has no target)"});
  w.variable(g, "goldstein", goldstein, {&event},
             {"1", "Goldstein weight applied, -10..10 (0 without an impulse)"});
  w.variable(g, "cameo", cameo, {&event},
             {"", "CAMEO event code (empty when the weight was given directly)"});
  w.variable(g, "event_index", event_index, {&event},
             {"1", "index of the event in the scenario's [[events]] list"});
}

void write_admissions(const Writer& w, hid_t root, const ScenarioSpec& spec, const EventLog& log) {
  const fs::path& path = w.path();
  const std::vector<RunAdmission> row_list = admission_rows(path, spec, log);
  const std::size_t rows = row_list.size();
  std::vector<double> time(rows), probability(rows);
  std::vector<std::int64_t> step(rows);
  std::vector<std::int32_t> votes_for(rows), votes_against(rows);
  std::vector<std::uint8_t> admitted(rows);
  std::vector<std::string> institution(rows), applicant(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const RunAdmission& a = row_list[r];
    time[r] = a.time;
    step[r] = a.step;
    institution[r] = a.institution;
    applicant[r] = a.applicant;
    votes_for[r] = a.votes_for;
    votes_against[r] = a.votes_against;
    probability[r] = a.probability;
    admitted[r] = a.admitted ? 1 : 0;
  }
  const std::vector<std::int64_t> index = row_index(rows);

  const Handle group = h5::create_group(root, "admissions", h5::GroupOrder::links, path);
  const hid_t g = group.get();
  const h5::Dataset decision =
      w.dimension(g, "decision", index, {"1", "row number of the admission decision"});
  w.variable(g, "time", time, {&decision}, {"year", "time of the decision, decimal year"});
  w.variable(g, "step", step, {&decision}, {"1", "step at which the decision was taken"});
  w.variable(g, "institution", institution, {&decision}, {"", "institution name"});
  w.variable(g, "applicant", applicant, {&decision}, {"", "applicant actor code"});
  w.variable(g, "votes_for", votes_for, {&decision}, {"1", "members voting yes"});
  w.variable(g, "votes_against", votes_against, {&decision}, {"1", "members voting no"});
  w.variable(g, "probability", probability, {&decision},
             {"1", "probability of admission under the rule (0 or 1 if deterministic)"});
  w.variable(g, "admitted", admitted, {&decision}, {"1", "applicant admitted (1) or not (0)"});
}

// The /network group (docs/output-format.md, "/network"): graph measures per recorded frame,
// over the root dimensions time, actor, partner and domain plus its own node and corridor_edge.
void write_network(const Writer& w, hid_t root, const Trajectory& traj, const NetworkRecord& net) {
  const fs::path& path = w.path();
  const std::size_t frames = traj.frames(), n = traj.dims().actors, d = traj.dims().domains;
  const std::size_t nodes = net.node_count(), edges = net.edge_count();
  if (net.frames != frames || net.actors != n || net.domains != d || nodes < n) {
    throw OutputError(path, "write /network",
                      "the network record has " + std::to_string(net.frames) + " frames, " +
                          std::to_string(net.actors) + " actors, " + std::to_string(net.domains) +
                          " domains and " + std::to_string(nodes) +
                          " nodes but the trajectory has " + std::to_string(frames) + " frames, " +
                          std::to_string(n) + " actors and " + std::to_string(d) +
                          " domains (and needs at least as many nodes as actors)");
  }
  const h5::Dataset time = h5::open_dataset(root, "time", path);
  const h5::Dataset actor = h5::open_dataset(root, "actor", path);
  const h5::Dataset partner = h5::open_dataset(root, "partner", path);
  const h5::Dataset domain = h5::open_dataset(root, "domain", path);

  const Handle group = h5::create_group(root, "network", h5::GroupOrder::links, path);
  const hid_t g = group.get();
  h5::write_number_attribute(g, "tie_threshold", net.tie_threshold, path);
  h5::write_string_attribute(g, "faction_definition", kFactionDefinition, path);
  h5::write_string_attribute(g, "betweenness_definition", kBetweennessDefinition, path);

  const h5::Dataset node =
      w.dimension(g, "node", net.nodes,
                  {"", "corridor node code: the actors first, in actor order, then transit nodes"});
  const h5::Dataset edge =
      w.dimension(g, "corridor_edge", net.corridor_edges, {"", "corridor edge name"});
  w.variable(g, "node_name", net.node_names, {&node}, {"", "corridor node full name"});
  w.variable(g, "edge_from", net.edge_from, {&edge},
             {"1", "index along node of one end of the edge (edges are undirected)"});
  w.variable(g, "edge_to", net.edge_to, {&edge},
             {"1", "index along node of the other end of the edge"});
  w.variable(g, "edge_cost", net.edge_cost, {&edge}, {"1", "relative transport cost of the leg"});

  const std::size_t pairs = n * n;
  w.variable(g, "sign", w.frames(net.sign, frames, pairs, "network/sign"),
             {&time, &actor, &partner},
             {"1",
              "sign of the tie (relation_overall[a,p] + relation_overall[p,a])/2: +1 above "
              "tie_threshold, -1 below -tie_threshold, else 0"});
  w.variable(g, "faction", w.frames(net.faction, frames, n, "network/faction"), {&time, &actor},
             {"1", "camp of the actor, 0 or 1 (see attribute faction_definition)"});
  struct FrameCount {
    const char* name;
    const std::vector<std::int32_t>* values;
    h5::Describe what;
  };
  const FrameCount counts[] = {
      {"faction_count", &net.faction_count, {"1", "number of non-empty camps (1 or 2)"}},
      {"frustration",
       &net.frustration,
       {"1",
        "frustration index: negative ties inside camps plus positive ties between camps, "
        "minimised over splits into two camps"}},
      {"triads_signed", &net.triads_signed, {"1", "triads whose three ties are all signed"}},
      {"triads_balanced",
       &net.triads_balanced,
       {"1", "signed triads whose sign product is positive (structurally balanced)"}},
  };
  for (const auto& c : counts) {
    w.variable(g, c.name, w.frames(*c.values, frames, 1, c.name), {&time}, c.what);
  }
  w.variable(g, "balanced_share", w.frames(net.balanced_share, frames, 1, "network/balanced_share"),
             {&time}, {"1", "triads_balanced / triads_signed (NaN when no triad is signed)"});
  w.variable(g, "balanced_share_domain",
             w.frames(net.balanced_share_domain, frames, d, "network/balanced_share_domain"),
             {&time, &domain},
             {"1",
              "share of balanced triads of the signed graph of one domain's relations "
              "(NaN when no triad is signed)"});
  w.variable(g, "betweenness", w.frames(net.betweenness, frames, n, "network/betweenness"),
             {&time, &actor},
             {"1",
              "normalised betweenness of the actor on the positive-tie graph (see attribute "
              "betweenness_definition)"});
  w.variable(g, "corridor_betweenness",
             w.frames(net.corridor_betweenness, frames, nodes, "network/corridor_betweenness"),
             {&time, &node},
             {"1", "normalised cost-weighted betweenness of the node on the open corridor graph"});
  w.variable(g, "route_cost", w.frames(net.route_cost, frames, pairs, "network/route_cost"),
             {&time, &actor, &partner},
             {"1", "relative cost of the cheapest open corridor route (inf: no route)"});
  w.variable(g, "route", w.frames(net.route, frames, pairs, "network/route"),
             {&time, &actor, &partner},
             {"",
              "node codes of the cheapest open route joined by '-' (empty: none, or "
              "actor = partner)"});
  w.variable(g, "corridor_open",
             w.frames(net.corridor_open, frames, edges, "network/corridor_open"), {&time, &edge},
             {"1", "corridor edge open (1) or closed (0)"});
}

void check_consistent(const fs::path& path, const ScenarioSpec& spec, const Trajectory& traj) {
  const Dims& d = traj.dims();
  if (d.actors != spec.actor_count() || d.domains != spec.domain_count() ||
      d.institutions != spec.institution_count()) {
    throw OutputError(path, "check trajectory",
                      "the trajectory has " + std::to_string(d.actors) + " actors, " +
                          std::to_string(d.domains) + " domains and " +
                          std::to_string(d.institutions) + " institutions but the scenario has " +
                          std::to_string(spec.actor_count()) + ", " +
                          std::to_string(spec.domain_count()) + " and " +
                          std::to_string(spec.institution_count()));
  }
  if (path.filename().empty()) {
    throw OutputError(path, "check path", "the path does not name a file");
  }
}

void write_file(const fs::path& temp, const fs::path& path, const ScenarioSpec& spec,
                const Trajectory& traj, const EventLog& log, const RunMetadata& meta,
                const NetworkRecord* network) {
  Handle file = h5::create_file(temp, path);
  {
    const Handle root = h5::root_group(file.get(), path);
    const Writer w(path, static_cast<unsigned>(spec.record.compression));
    write_root_attributes(root.get(), path, spec, meta);
    write_trajectory(w, root.get(), spec, traj);
    write_events(w, root.get(), spec, log);
    write_admissions(w, root.get(), spec, log);
    if (network != nullptr) write_network(w, root.get(), traj, *network);
  }
  h5::close_file(file, path, "temporary file " + temp.filename().string());
}

}  // namespace

void write_run(const fs::path& path, const ScenarioSpec& spec, const Trajectory& traj,
               const EventLog& log, const RunMetadata& meta, const NetworkRecord* network) {
  check_consistent(path, spec, traj);
  const h5::ErrorSilencer silence;
  h5::atomic_write(path, "write", [&](const fs::path& temp) {
    write_file(temp, path, spec, traj, log, meta, network);
  });
}

}  // namespace interdep
