#include "output/run_file/run_writer.hpp"

#include <algorithm>
#include <optional>
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
// (h5::Types) or strings, row-major. A dataset known before the run is created, written, given
// its units and long_name, then made a dimension scale or attached to its dimensions, in that
// order (which fixes where everything lies in the file). Arrays of rank >= 3 are chunked and, at
// a deflate level above 0, compressed (shuffle + deflate); the small ones, and any with a
// zero-length axis, are contiguous. Variables over time grow by frames instead (growing).
class Writer {
 public:
  // `deflate`: the deflate level of the chunked datasets, 0 (none) .. 9 ([output] compression);
  // `frames_per_chunk`: the frames of a growing variable's chunks.
  Writer(fs::path path, unsigned deflate, std::size_t frames_per_chunk)
      : path_(std::move(path)), deflate_(deflate), frames_per_chunk_(frames_per_chunk) {}

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

  // A variable over time (first) and the given dimensions that grows by frames (append): chunks
  // of up to `frames_per_chunk` frames within kMaxChunkBytes, compressed at the deflate level.
  h5::Dataset growing(hid_t loc, const std::string& name, hid_t file_type, const Scales& dims,
                      h5::Describe what) const {
    // dims[0] is time, which grows; a dimension that grows itself (time) has no dims.
    const std::vector<hsize_t> shape = h5::scale_lengths(dims, path_);
    const std::vector<hsize_t> row_shape(shape.begin() + (shape.empty() ? 0 : 1), shape.end());
    h5::Dataset ds = h5::create_growing_dataset(loc, name, file_type, row_shape, frames_per_chunk_,
                                                kMaxChunkBytes, deflate_, path_);
    h5::describe(ds, what, path_);
    if (!dims.empty()) h5::attach_scales(ds, dims, path_);
    return ds;
  }
  // A growing variable of numbers of type T.
  template <class T>
  h5::Dataset growing(hid_t loc, const std::string& name, const Scales& dims,
                      h5::Describe what) const {
    return growing(loc, name, h5::Types<T>::file(), dims, what);
  }
  // A growing variable of strings.
  h5::Dataset growing_strings(hid_t loc, const std::string& name, const Scales& dims,
                              h5::Describe what) const {
    const Handle type = h5::string_type(path_);
    return growing(loc, name, type.get(), dims, what);
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
  std::size_t frames_per_chunk_ = 1;
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
  h5::write_string_attribute(root, "label", meta.label, path);
  h5::write_strings_attribute(root, "overrides", meta.overrides, path);
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

// The root group's datasets over time, which grow by frames (append_trajectory).
struct TrajectoryDatasets {
  h5::Dataset time, step;
  std::vector<std::pair<const RecordedDataset*, h5::Dataset>> recorded;  // in the table's order
  AxisSizes sizes;
  bool with_optional = false;
};

// The root group: coordinates, what is known before the run, and the empty datasets over time.
TrajectoryDatasets create_trajectory(const Writer& w, hid_t root, const ScenarioSpec& spec,
                                     std::span<const std::string> term_names) {
  const fs::path& path = w.path();
  TrajectoryDatasets out;
  out.sizes = AxisSizes{spec.actor_count(), spec.domain_count(), spec.institution_count(),
                        term_names.size(), spec.corridor_edges.size()};
  out.with_optional = spec.record.contributions;

  std::vector<std::string> codes, names, domains, domain_labels, institutions, institution_labels;
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
  const std::vector<std::string> terms(term_names.begin(), term_names.end());

  out.time =
      w.growing<double>(root, "time", {}, {"year", "time of the recorded state, decimal year"});
  h5::make_scale(out.time, "time", path);
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

  out.step =
      w.growing<std::int64_t>(root, "step", {&out.time}, {"1", "steps taken since the start"});
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
    if (row.stored != Stored::root || (row.optional && !out.with_optional)) continue;
    Scales dims{&out.time};
    for (Axis axis : row.axis_list()) dims.push_back(dimension_of(axis));
    const std::string name(row.name);
    const h5::Describe what{row.units, row.long_name};
    out.recorded.emplace_back(&row, row.f64 != nullptr
                                        ? w.growing<double>(root, name, dims, what)
                                        : w.growing<std::uint8_t>(root, name, dims, what));
  }
  return out;
}

// Appends the window's frames to the root group's datasets over time.
void append_trajectory(const TrajectoryDatasets& out, const Trajectory& window,
                       const fs::path& path) {
  const std::size_t frames = window.frames();
  h5::append_rows(out.time, frames, window.time.data(), path);
  h5::append_rows(out.step, frames, window.step.data(), path);
  for (const auto& [row, ds] : out.recorded) {
    if (row->f64 != nullptr) {
      h5::append_rows(ds, frames, (window.*row->f64).data(), path);
    } else {
      h5::append_rows(ds, frames, (window.*row->u8).data(), path);
    }
  }
}

// The /events group's datasets, into the (empty) group.
void write_events(const Writer& w, hid_t g, const ScenarioSpec& spec, const EventLog& log) {
  const fs::path& path = w.path();
  const std::vector<RunEvent> row_list = event_rows(path, spec, log);
  const std::size_t rows = row_list.size();
  std::vector<double> time(rows), goldstein(rows), secondary(rows);
  std::vector<std::int64_t> step(rows), event_index(rows);
  std::vector<std::string> kind(rows), label(rows), actor(rows), target(rows), cameo(rows),
      detail(rows), sanction_type(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const RunEvent& e = row_list[r];
    time[r] = e.time;
    step[r] = e.step;
    event_index[r] = e.event_index;
    goldstein[r] = e.goldstein;
    kind[r] = e.kind;
    label[r] = e.label;
    cameo[r] = e.cameo;
    detail[r] = e.detail;
    sanction_type[r] = e.sanction_type;
    secondary[r] = e.secondary;
    actor[r] = e.actor;
    target[r] = e.target;
  }
  const std::vector<std::int64_t> index = row_index(rows);

  const std::string kinds = "event kind (" + join_names(name_list<EventKind>()) + ")";
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
             {"1",
              "index of the event among the scenario's enabled events in the order they apply "
              "(by step, then in the [[events]] list's order); not its position in the list "
              "(events.N of --set) when events are out of date order or disabled"});
  w.variable(g, "detail", detail, {&event},
             {"", "what the event acts on: a sanction's type and size, a link's capacity, ..."});
  w.variable(g, "sanction_type", sanction_type, {&event},
             {"",
              "a sanction's type (trade, financial, arms, travel, other); empty for other "
              "kinds"});
  w.variable(g, "secondary", secondary, {&event},
             {"1", "secondary-sanction scale a trade sanction adds on its target (0: none)"});
}

// The /observed group's datasets, into the (empty) group: one row per observed figure.
void write_observed(const Writer& w, hid_t g, const std::vector<RunObservation>& rows) {
  const std::size_t n = rows.size();
  std::vector<double> date(n), observed(n), uncertainty(n), simulated(n), from(n), to(n);
  std::vector<std::int64_t> series(n), states(n);
  std::vector<std::string> quantity(n), period(n), aggregate(n), unit(n), source(n);
  for (std::size_t r = 0; r < n; ++r) {
    const RunObservation& o = rows[r];
    series[r] = o.series;
    quantity[r] = o.quantity;
    period[r] = o.period;
    aggregate[r] = o.aggregate;
    date[r] = o.date;
    observed[r] = o.observed;
    uncertainty[r] = o.uncertainty;
    simulated[r] = o.simulated;
    unit[r] = o.unit;
    source[r] = o.source;
    states[r] = o.states;
    from[r] = o.from;
    to[r] = o.to;
  }
  const h5::Dataset row =
      w.dimension(g, "observation", row_index(n), {"1", "row number of the observed figure"});
  w.variable(g, "series", series, {&row},
             {"1", "index of the series in the scenario's [[observations]] list"});
  w.variable(g, "quantity", quantity, {&row},
             {"", "the recorded quantity observed, DATASET[COORDINATES]"});
  w.variable(g, "period", period, {&row},
             {"",
              "point: the state nearest the date; year: the mean over the 12 months ending "
              "in the year dated (from .. to)"});
  w.variable(g, "aggregate", aggregate, {&row},
             {"", "value: the quantity; pair_total: both directions of the pair added"});
  w.variable(g, "date", date, {&row},
             {"year", "date of the figure, decimal year (period year: the year it ends in)"});
  w.variable(g, "observed", observed, {&row}, {"", "the observed value, in the row's unit"});
  w.variable(g, "uncertainty", uncertainty, {&row},
             {"", "standard uncertainty of the observed value, in the row's unit"});
  w.variable(g, "simulated", simulated, {&row},
             {"",
              "the run's value for the same quantity, period and aggregate, in the row's unit "
              "(NaN: not reached)"});
  w.variable(g, "unit", unit, {&row}, {"", "unit of observed, uncertainty and simulated"});
  w.variable(g, "source", source, {&row}, {"", "where the observed value comes from"});
  w.variable(g, "states", states, {&row},
             {"1", "states of the run the simulated value averages (0: not reached)"});
  w.variable(g, "from", from, {&row},
             {"year", "time of the first state the simulated value averages, decimal year"});
  w.variable(g, "to", to, {&row},
             {"year", "time of the last state the simulated value averages, decimal year"});
}

// The /admissions group's datasets, into the (empty) group.
void write_admissions(const Writer& w, hid_t g, const ScenarioSpec& spec, const EventLog& log) {
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

// The /network group's datasets over time (docs/output-format.md, "/network").
struct NetworkDatasets {
  h5::Dataset sign, faction, faction_count, frustration, triads_signed, triads_balanced,
      balanced_share, balanced_share_domain, betweenness, corridor_betweenness, route_cost, route,
      corridor_open;
  std::size_t actors = 0, domains = 0, nodes = 0, edges = 0;
};

// The /network group (docs/output-format.md, "/network"): graph measures per recorded frame,
// over the root dimensions time, actor, partner and domain plus its own node and corridor_edge;
// `layout` gives the corridor graph.
NetworkDatasets create_network(const Writer& w, hid_t root, hid_t group,
                               const NetworkRecord& layout) {
  const fs::path& path = w.path();
  NetworkDatasets out;
  out.actors = layout.actors;
  out.domains = layout.domains;
  out.nodes = layout.node_count();
  out.edges = layout.edge_count();
  const h5::Dataset time = h5::open_dataset(root, "time", path);
  const h5::Dataset actor = h5::open_dataset(root, "actor", path);
  const h5::Dataset partner = h5::open_dataset(root, "partner", path);
  const h5::Dataset domain = h5::open_dataset(root, "domain", path);

  const hid_t g = group;
  h5::write_number_attribute(g, "tie_threshold", layout.tie_threshold, path);
  h5::write_string_attribute(g, "faction_definition", kFactionDefinition, path);
  h5::write_string_attribute(g, "betweenness_definition", kBetweennessDefinition, path);

  const h5::Dataset node =
      w.dimension(g, "node", layout.nodes,
                  {"", "corridor node code: the actors first, in actor order, then transit nodes"});
  const h5::Dataset edge =
      w.dimension(g, "corridor_edge", layout.corridor_edges, {"", "corridor edge name"});
  w.variable(g, "node_name", layout.node_names, {&node}, {"", "corridor node full name"});
  w.variable(g, "edge_from", layout.edge_from, {&edge},
             {"1", "index along node of one end of the edge (edges are undirected)"});
  w.variable(g, "edge_to", layout.edge_to, {&edge},
             {"1", "index along node of the other end of the edge"});
  w.variable(g, "edge_cost", layout.edge_cost, {&edge},
             {"1", "relative transport cost of the leg"});

  out.sign = w.growing<std::int8_t>(
      g, "sign", {&time, &actor, &partner},
      {"1",
       "sign of the tie (relation_overall[a,p] + relation_overall[p,a])/2: +1 above "
       "tie_threshold, -1 below -tie_threshold, else 0"});
  out.faction = w.growing<std::int32_t>(
      g, "faction", {&time, &actor},
      {"1", "camp of the actor, 0 or 1 (see attribute faction_definition)"});
  out.faction_count = w.growing<std::int32_t>(g, "faction_count", {&time},
                                              {"1", "number of non-empty camps (1 or 2)"});
  out.frustration = w.growing<std::int32_t>(
      g, "frustration", {&time},
      {"1",
       "frustration index: negative ties inside camps plus positive ties between camps, "
       "minimised over splits into two camps"});
  out.triads_signed = w.growing<std::int32_t>(g, "triads_signed", {&time},
                                              {"1", "triads whose three ties are all signed"});
  out.triads_balanced = w.growing<std::int32_t>(
      g, "triads_balanced", {&time},
      {"1", "signed triads whose sign product is positive (structurally balanced)"});
  out.balanced_share =
      w.growing<double>(g, "balanced_share", {&time},
                        {"1", "triads_balanced / triads_signed (NaN when no triad is signed)"});
  out.balanced_share_domain =
      w.growing<double>(g, "balanced_share_domain", {&time, &domain},
                        {"1",
                         "share of balanced triads of the signed graph of one domain's relations "
                         "(NaN when no triad is signed)"});
  out.betweenness = w.growing<double>(
      g, "betweenness", {&time, &actor},
      {"1",
       "normalised betweenness of the actor on the positive-tie graph (see attribute "
       "betweenness_definition)"});
  out.corridor_betweenness = w.growing<double>(
      g, "corridor_betweenness", {&time, &node},
      {"1", "normalised cost-weighted betweenness of the node on the open corridor graph"});
  out.route_cost =
      w.growing<double>(g, "route_cost", {&time, &actor, &partner},
                        {"1", "relative cost of the cheapest open corridor route (inf: no route)"});
  out.route = w.growing_strings(g, "route", {&time, &actor, &partner},
                                {"",
                                 "node codes of the cheapest open route joined by '-' (empty: "
                                 "none, or actor = partner)"});
  out.corridor_open = w.growing<std::uint8_t>(g, "corridor_open", {&time, &edge},
                                              {"1", "corridor edge open (1) or closed (0)"});
  return out;
}

void append_network(const NetworkDatasets& out, const NetworkRecord& net, std::size_t frames,
                    const fs::path& path) {
  if (net.frames != frames || net.actors != out.actors || net.domains != out.domains ||
      net.node_count() != out.nodes || net.edge_count() != out.edges) {
    throw OutputError(
        path, "write /network",
        "the network record has " + std::to_string(net.frames) + " frames, " +
            std::to_string(net.actors) + " actors, " + std::to_string(net.domains) + " domains, " +
            std::to_string(net.node_count()) + " nodes and " + std::to_string(net.edge_count()) +
            " edges but the run has " + std::to_string(frames) + " frames, " +
            std::to_string(out.actors) + " actors, " + std::to_string(out.domains) + " domains, " +
            std::to_string(out.nodes) + " nodes and " + std::to_string(out.edges) + " edges");
  }
  h5::append_rows(out.sign, frames, net.sign.data(), path);
  h5::append_rows(out.faction, frames, net.faction.data(), path);
  h5::append_rows(out.faction_count, frames, net.faction_count.data(), path);
  h5::append_rows(out.frustration, frames, net.frustration.data(), path);
  h5::append_rows(out.triads_signed, frames, net.triads_signed.data(), path);
  h5::append_rows(out.triads_balanced, frames, net.triads_balanced.data(), path);
  h5::append_rows(out.balanced_share, frames, net.balanced_share.data(), path);
  h5::append_rows(out.balanced_share_domain, frames, net.balanced_share_domain.data(), path);
  h5::append_rows(out.betweenness, frames, net.betweenness.data(), path);
  h5::append_rows(out.corridor_betweenness, frames, net.corridor_betweenness.data(), path);
  h5::append_rows(out.route_cost, frames, net.route_cost.data(), path);
  h5::append_string_rows(out.route, frames, net.route, path);
  h5::append_rows(out.corridor_open, frames, net.corridor_open.data(), path);
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
}

}  // namespace

// Members in the order they are made and, reversed, closed: the HDF5 objects before the file,
// the file before the temporary name is removed (or committed). A file in memory has no
// temporary name (`replacing` empty).
struct RunFileWriter::Impl {
  Impl(const fs::path& target, const ScenarioSpec& scenario, std::size_t term_count, bool in_memory)
      : spec(scenario),
        target_path(target),
        replacing(in_memory ? std::nullopt
                            : std::make_optional<h5::ReplacingFile>(target, "write")),
        file(in_memory ? h5::create_memory_file(h5::temporary_path(target).string(), target)
                       : h5::create_file(replacing->temp(), target)),
        root(h5::root_group(file.get(), target)),
        writer(target, static_cast<unsigned>(scenario.record.compression),
               Trajectory::window_frames(scenario, term_count)),
        terms(term_count) {}

  const fs::path& path() const { return target_path; }

  const ScenarioSpec& spec;
  fs::path target_path;
  h5::ErrorSilencer silence;
  std::optional<h5::ReplacingFile> replacing;
  Handle file, root;
  Writer writer;
  TrajectoryDatasets trajectory;
  Handle events, admissions, observed, network_group;
  std::optional<NetworkDatasets> network;
  std::size_t frames = 0;  // appended so far
  std::size_t terms = 0;
  bool finished = false;
};

RunFileWriter::RunFileWriter(const fs::path& path, const ScenarioSpec& spec,
                             std::span<const std::string> term_names, const RunMetadata& meta,
                             const NetworkRecord* network)
    : RunFileWriter(path, spec, term_names, meta, network, false) {}

RunFileWriter::RunFileWriter(InMemory, const std::string& name, const ScenarioSpec& spec,
                             std::span<const std::string> term_names, const RunMetadata& meta,
                             const NetworkRecord* network)
    : RunFileWriter(fs::path(name), spec, term_names, meta, network, true) {}

RunFileWriter::RunFileWriter(const fs::path& path, const ScenarioSpec& spec,
                             std::span<const std::string> term_names, const RunMetadata& meta,
                             const NetworkRecord* network, bool in_memory) {
  // HDF5 stays silent from here to the writer's end through Impl's own ErrorSilencer (one that
  // ended here would switch HDF5's printing back on under it).
  try {
    impl_ = std::make_unique<Impl>(path, spec, term_names.size(), in_memory);
    Impl& m = *impl_;
    const hid_t root = m.root.get();
    write_root_attributes(root, path, spec, meta);
    m.trajectory = create_trajectory(m.writer, root, spec, term_names);
    // The groups in the order readers list them; /events and /admissions are filled at finish.
    m.events = h5::create_group(root, "events", h5::GroupOrder::links, path);
    m.admissions = h5::create_group(root, "admissions", h5::GroupOrder::links, path);
    if (!spec.observations.empty())  // filled at finish
      m.observed = h5::create_group(root, "observed", h5::GroupOrder::links, path);
    if (network != nullptr) {
      m.network_group = h5::create_group(root, "network", h5::GroupOrder::links, path);
      m.network = create_network(m.writer, root, m.network_group.get(), *network);
    }
  } catch (const OutputError&) {
    impl_.reset();
    throw;
  } catch (const std::bad_alloc&) {
    impl_.reset();
    throw;  // the machine's, not the file's: "out of memory"
  } catch (const std::exception& e) {
    impl_.reset();
    throw OutputError(path, "write", e.what());
  }
}

RunFileWriter::~RunFileWriter() = default;

void RunFileWriter::append(const Trajectory& window, const NetworkRecord* network) {
  Impl& m = *impl_;
  const fs::path& path = m.path();
  if (m.finished) throw OutputError(path, "write", "the file is already finished");
  check_consistent(path, m.spec, window);
  if (window.first_frame() != m.frames || window.term_names().size() != m.terms ||
      window.has_contributions() != m.trajectory.with_optional) {
    throw OutputError(path, "write trajectory",
                      "the window starts at frame " + std::to_string(window.first_frame()) +
                          " with " + std::to_string(window.term_names().size()) +
                          " terms but the file holds " + std::to_string(m.frames) + " frames of " +
                          std::to_string(m.terms) + " terms");
  }
  if (m.network.has_value() != (network != nullptr)) {
    throw OutputError(path, "write /network",
                      m.network ? "the network measures of the frames are missing"
                                : "the file was made without a /network group");
  }
  const h5::ErrorSilencer silence;
  append_trajectory(m.trajectory, window, path);
  if (network != nullptr) append_network(*m.network, *network, window.frames(), path);
  m.frames += window.frames();
}

// Writes the groups known only at the end and closes every object but the file.
void RunFileWriter::write_ending(const EventLog& log, const std::vector<RunObservation>& observed) {
  Impl& m = *impl_;
  if (m.finished) throw OutputError(m.path(), "write", "the file is already finished");
  write_events(m.writer, m.events.get(), m.spec, log);
  write_admissions(m.writer, m.admissions.get(), m.spec, log);
  if (m.observed) write_observed(m.writer, m.observed.get(), observed);
  m.network.reset();
  m.trajectory = TrajectoryDatasets{};
  m.events.reset();
  m.admissions.reset();
  m.observed.reset();
  m.network_group.reset();
  m.root.reset();
}

void RunFileWriter::finish(const EventLog& log, const std::vector<RunObservation>& observed) {
  Impl& m = *impl_;
  const fs::path& path = m.path();
  if (!m.replacing)
    throw OutputError(path, "write", "the file is in memory: finish_image gives its bytes");
  const h5::ErrorSilencer silence;
  write_ending(log, observed);
  h5::close_file(m.file, path, "the temporary file");
  m.replacing->commit();
  m.finished = true;
}

std::vector<char> RunFileWriter::finish_image(const EventLog& log,
                                              const std::vector<RunObservation>& observed) {
  Impl& m = *impl_;
  const fs::path& path = m.path();
  if (m.replacing) throw OutputError(path, "write", "the file is on disk: finish writes it");
  const h5::ErrorSilencer silence;
  write_ending(log, observed);
  std::vector<char> image = h5::file_image(m.file.get(), path);
  h5::close_file(m.file, path, "file in memory");
  m.finished = true;
  return image;
}

void write_run(const fs::path& path, const ScenarioSpec& spec, const Trajectory& traj,
               const EventLog& log, const RunMetadata& meta, const NetworkRecord* network) {
  RunFileWriter writer(path, spec, traj.term_names(), meta, network);
  writer.append(traj, network);
  writer.finish(log);
}

}  // namespace interdep
