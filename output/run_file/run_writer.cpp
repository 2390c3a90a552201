#include "output/run_file/run_writer.hpp"

#include "output/hdf5/hdf5_handle.hpp"

#include <fcntl.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <initializer_list>
#include <span>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/scenario/enum_names.hpp"
#include "engine/scenario/goldstein.hpp"
#include "engine/run/state.hpp"

namespace interdep {

namespace fs = std::filesystem;

// ------------------------------------------------------------------------------------------
// The writer.

namespace {

using h5::Handle;

constexpr unsigned kDeflateLevel = 4;
// Chunks hold one time frame; a frame larger than this is halved along its largest axes.
constexpr std::size_t kMaxChunkBytes = std::size_t{16} << 20;

// Data to write, typed for HDF5. Numbers point into the caller's vectors; strings are held as
// a table of C pointers in a variable-length UTF-8 type.
struct Buffer {
  hid_t memory_type = -1;
  hid_t file_type = -1;
  const void* data = nullptr;
  std::size_t count = 0;
};

template <class T>
Buffer numbers(std::span<const T> values) {
  return Buffer{h5::Types<T>::memory(), h5::Types<T>::file(), values.data(), values.size()};
}

class Strings {
 public:
  Strings(std::vector<std::string> values, const fs::path& path)
      : type_(h5::string_type(path)), values_(std::move(values)) {
    pointers_.reserve(values_.size());
    for (const auto& s : values_) pointers_.push_back(s.c_str());
  }
  Strings(const Strings&) = delete;
  Strings& operator=(const Strings&) = delete;
  Buffer buffer() const {
    return Buffer{type_.get(), type_.get(), pointers_.data(), pointers_.size()};
  }

 private:
  Handle type_;
  std::vector<std::string> values_;  // owned, so the pointers cannot dangle
  std::vector<const char*> pointers_;
};

// A netCDF dimension: a 1-D coordinate dataset marked as an HDF5 dimension scale.
struct Dimension {
  Handle scale;
  hsize_t size = 0;
};

struct Describe {
  const char* units;
  const char* long_name;
};

class Writer {
 public:
  explicit Writer(fs::path path) : path_(std::move(path)) {}

  const fs::path& path() const { return path_; }

  // A coordinate variable that is also the dimension of the same name.
  Dimension dimension(hid_t loc, const char* name, const Buffer& data, Describe what) {
    const std::string operation = op("make dimension scale", loc, name);
    Dimension dim;
    dim.size = data.count;
    dim.scale = dataset(loc, name, data, {data.count}, what);
    h5::check_status(H5DSset_scale(dim.scale.get(), name), path_, operation);
    return dim;
  }

  // A dimension already written under `loc` (e.g. the root's time, from a subgroup).
  Dimension existing_dimension(hid_t loc, const char* name) {
    const std::string operation = op("open dimension scale", loc, name);
    Dimension dim;
    dim.scale = h5::make(H5Dopen2(loc, name, H5P_DEFAULT), H5Dclose, path_, operation);
    const Handle space = h5::make(H5Dget_space(dim.scale.get()), H5Sclose, path_, operation);
    const hssize_t points = H5Sget_simple_extent_npoints(space.get());
    if (points < 0) throw OutputError(path_, operation, h5::error_message());
    dim.size = static_cast<hsize_t>(points);
    return dim;
  }

  // A variable over the given dimensions, in that order; `data` is row-major.
  void variable(hid_t loc, const char* name, const Buffer& data,
                std::initializer_list<const Dimension*> dims, Describe what) {
    const std::string operation = op("attach dimension scales to", loc, name);
    std::vector<hsize_t> shape;
    for (const Dimension* d : dims) shape.push_back(d->size);
    const Handle ds = dataset(loc, name, data, shape, what);
    unsigned axis = 0;
    for (const Dimension* d : dims) {
      h5::check_status(H5DSattach_scale(ds.get(), d->scale.get(), axis++), path_, operation);
    }
  }

  void attribute(hid_t obj, const char* name, std::string_view value) {
    const Strings s({std::string(value)}, path_);
    scalar_attribute(obj, name, s.buffer());
  }
  template <class T>
    requires std::is_arithmetic_v<T>
  void attribute(hid_t obj, const char* name, T value) {
    scalar_attribute(obj, name, numbers(std::span<const T>(&value, 1)));
  }

  // The first `frames` frames of a frame-major trajectory array of `per_frame` values each.
  template <class T>
  std::span<const T> frames(const std::vector<T>& values, std::size_t frames,
                            std::size_t per_frame, const char* name) const {
    const std::size_t needed = frames * per_frame;
    if (values.size() < needed) {
      throw OutputError(path_, std::string("write /") + name,
                        "the trajectory holds " + std::to_string(values.size()) +
                            " values, expected at least " + std::to_string(needed));
    }
    return std::span<const T>(values.data(), needed);
  }

 private:
  static std::string op(const char* what, hid_t loc, const char* name) {
    std::string where;
    char group[256] = {0};
    if (H5Iget_name(loc, group, sizeof group) > 0 && std::strcmp(group, "/") != 0) where = group;
    return std::string(what) + " " + where + "/" + name;
  }

  Handle dataset(hid_t loc, const char* name, const Buffer& data, const std::vector<hsize_t>& shape,
                 Describe what) {
    const std::string create = op("create dataset", loc, name);
    const std::string write = op("write dataset", loc, name);
    hsize_t count = 1;
    for (hsize_t n : shape) count *= n;
    if (count != data.count) {
      throw OutputError(path_, create,
                        "data has " + std::to_string(data.count) + " values, the shape needs " +
                            std::to_string(count));
    }
    const Handle space = h5::make(
        H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr), H5Sclose, path_,
        create);
    const Handle dcpl = creation_properties(shape, data.file_type, create);
    Handle ds = h5::make(H5Dcreate2(loc, name, data.file_type, space.get(), H5P_DEFAULT,
                                    dcpl.get(), H5P_DEFAULT),
                         H5Dclose, path_, create);
    if (count > 0) {
      h5::check_status(
          H5Dwrite(ds.get(), data.memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data), path_,
          write);
    }
    attribute(ds.get(), "units", what.units);
    attribute(ds.get(), "long_name", what.long_name);
    return ds;
  }

  // Arrays of rank >= 3 are chunked by time frame and compressed (shuffle + deflate); the
  // small ones, and any with a zero-length axis, are contiguous.
  Handle creation_properties(const std::vector<hsize_t>& shape, hid_t file_type,
                             const std::string& operation) {
    Handle dcpl = h5::make(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, path_, operation);
    const bool empty = std::find(shape.begin(), shape.end(), hsize_t{0}) != shape.end();
    if (shape.size() < 3 || empty) return dcpl;
    std::vector<hsize_t> chunk = shape;
    chunk[0] = 1;
    const std::size_t element = H5Tget_size(file_type);
    auto bytes = [&] {
      std::size_t b = element;
      for (hsize_t n : chunk) b *= n;
      return b;
    };
    while (bytes() > kMaxChunkBytes) {
      const auto largest = std::max_element(chunk.begin() + 1, chunk.end());
      if (*largest <= 1) break;
      *largest = (*largest + 1) / 2;
    }
    h5::check_status(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()),
                     path_, operation);
    h5::check_status(H5Pset_shuffle(dcpl.get()), path_, operation);
    if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) {
      h5::check_status(H5Pset_deflate(dcpl.get(), kDeflateLevel), path_, operation);
    }
    return dcpl;
  }

  void scalar_attribute(hid_t obj, const char* name, const Buffer& value) {
    const std::string operation = op("write attribute", obj, name);
    const Handle space = h5::make(H5Screate(H5S_SCALAR), H5Sclose, path_, operation);
    const Handle attr = h5::make(
        H5Acreate2(obj, name, value.file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
        path_, operation);
    h5::check_status(H5Awrite(attr.get(), value.memory_type, value.data), path_, operation);
  }

  fs::path path_;
};

// Groups keep their links in creation order, as netCDF-4 files do.
Handle create_group(hid_t loc, const char* name, const fs::path& path) {
  const std::string operation = std::string("create group /") + name;
  const Handle gcpl = h5::make(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, path, operation);
  h5::check_status(
      H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
      path, operation);
  return h5::make(H5Gcreate2(loc, name, H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), H5Gclose, path,
                  operation);
}

std::vector<std::int64_t> row_index(std::size_t rows) {
  std::vector<std::int64_t> index(rows);
  for (std::size_t k = 0; k < rows; ++k) index[k] = static_cast<std::int64_t>(k);
  return index;
}

std::string index_error(const char* what, std::size_t row, std::size_t value, std::size_t size) {
  return "row " + std::to_string(row) + ": " + what + " " + std::to_string(value) +
         " is out of range (" + std::to_string(size) + ")";
}

void write_root_attributes(Writer& w, hid_t root, const ScenarioSpec& spec,
                           const RunMetadata& meta) {
  w.attribute(root, "conventions", kOutputConventions);
  w.attribute(root, "engine_version", meta.engine_version);
  w.attribute(root, "model", meta.model);
  w.attribute(root, "seed", meta.seed);
  w.attribute(root, "created", meta.created);
  w.attribute(root, "command_line", meta.command_line);
  w.attribute(root, "scenario_name", spec.name);
  w.attribute(root, "scenario_description", spec.description);
  w.attribute(root, "scenario_file", spec.source_path);
  w.attribute(root, "scenario_text", spec.resolved_text);
  w.attribute(root, "start", spec.time.start);
  w.attribute(root, "dt", spec.time.dt());
  w.attribute(root, "steps", spec.time.steps);
  w.attribute(root, "steps_per_year", static_cast<std::int64_t>(spec.time.steps_per_year));
  w.attribute(root, "record_every", std::max<std::int64_t>(1, spec.record.every));
  w.attribute(root, "goldstein_table", kGoldsteinTableVersion);
}

void write_trajectory(Writer& w, hid_t root, const ScenarioSpec& spec, const Trajectory& traj) {
  const Dims& dims = traj.dims();
  const std::size_t frames = traj.frames();
  const std::size_t n = dims.actors, pairs = dims.pairs(), rel = pairs * dims.domains;
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
  terms = traj.term_names();

  const auto time = w.dimension(root, "time", numbers(w.frames(traj.time, frames, 1, "time")),
                                {"year", "time of the recorded state, decimal year"});
  const auto actor = w.dimension(root, "actor", Strings(codes, path).buffer(),
                                 {"", "actor code (first index of pair variables)"});
  const auto partner = w.dimension(root, "partner", Strings(codes, path).buffer(),
                                   {"", "partner actor code (second index of pair variables)"});
  const auto domain =
      w.dimension(root, "domain", Strings(domains, path).buffer(), {"", "issue domain"});
  const auto institution = w.dimension(root, "institution", Strings(institutions, path).buffer(),
                                       {"", "institution name"});
  const auto term =
      w.dimension(root, "term", Strings(terms, path).buffer(), {"", "decision term"});

  w.variable(root, "step", numbers(w.frames(traj.step, frames, 1, "step")), {&time},
             {"1", "steps taken since the start"});
  w.variable(root, "actor_name", Strings(names, path).buffer(), {&actor},
             {"", "actor full name"});
  w.variable(root, "domain_label", Strings(domain_labels, path).buffer(), {&domain},
             {"", "issue domain display name"});
  w.variable(root, "institution_label", Strings(institution_labels, path).buffer(),
             {&institution}, {"", "institution display name"});
  std::vector<double> interests;  // [actor][domain]
  for (const auto& a : spec.actors) interests.insert(interests.end(), a.interests.begin(), a.interests.end());
  w.variable(root, "interests", numbers(std::span<const double>(interests)), {&actor, &domain},
             {"1", "interest weight of actor in domain (rows sum to 1)"});
  w.variable(root, "gdp", numbers(w.frames(traj.gdp, frames, n, "gdp")), {&time, &actor},
             {"US$ bn", "gross domestic product"});
  w.variable(root, "relations", numbers(w.frames(traj.relations, frames, rel, "relations")),
             {&time, &actor, &partner, &domain},
             {"1", "relation of actor toward partner in domain, -1 hostile .. +1 close"});

  struct PairVariable {
    const char* name;
    const std::vector<double>* values;
    Describe what;
  };
  const PairVariable pair_variables[] = {
      {"relation_overall", &traj.relation_overall,
       {"1", "overall relation of actor toward partner, interest-weighted over domains"}},
      {"trade", &traj.trade, {"US$ bn/yr", "goods exports from actor to partner"}},
      {"energy", &traj.energy, {"bcm/yr", "gas supplied by actor (supplier) to partner"}},
      {"sensitivity", &traj.sensitivity,
       {"1", "share of actor's economy exposed to partner"}},
      {"vulnerability", &traj.vulnerability,
       {"1", "loss to actor, after adjusting, if partner is lost"}},
      {"leverage", &traj.leverage,
       {"1", "partner's leverage over actor: vulnerability[actor,partner] - "
             "vulnerability[partner,actor]"}},
      {"barbieri", &traj.barbieri,
       {"1", "Barbieri (1996) interdependence of the pair: salience x symmetry of trade shares"}},
  };
  for (const auto& v : pair_variables) {
    w.variable(root, v.name, numbers(w.frames(*v.values, frames, pairs, v.name)),
               {&time, &actor, &partner}, v.what);
  }

  w.variable(root, "hirschman", numbers(w.frames(traj.hirschman, frames, n, "hirschman")),
             {&time, &actor},
             {"1", "Hirschman concentration of actor's trade on the modelled partners"});
  w.variable(root, "membership",
             numbers(w.frames(traj.membership, frames, n * dims.institutions, "membership")),
             {&time, &actor, &institution}, {"1", "actor is a member of institution (1) or not (0)"});
  if (traj.has_contributions()) {
    w.variable(root, "contributions",
               numbers(w.frames(traj.contributions, frames, rel * terms.size(), "contributions")),
               {&time, &actor, &partner, &domain, &term},
               {"1", "change of relations by decision term, summed over the steps since the "
                     "previous frame"});
  }
}

void write_events(Writer& w, hid_t root, const ScenarioSpec& spec, const EventLog& log) {
  const fs::path& path = w.path();
  const std::size_t rows = log.events.size();
  std::vector<double> time(rows), goldstein(rows);
  std::vector<std::int64_t> step(rows), event_index(rows);
  std::vector<std::string> kind(rows), label(rows), actor(rows), target(rows), cameo(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const AppliedEvent& e = log.events[r];
    if (e.event_index >= spec.events.size()) {
      throw OutputError(path, "write /events",
                        index_error("event_index", r, e.event_index, spec.events.size()));
    }
    if (e.actor >= spec.actors.size() || e.target >= spec.actors.size()) {
      throw OutputError(path, "write /events",
                        index_error("actor", r, std::max(e.actor, e.target), spec.actors.size()));
    }
    const EventSpec& s = spec.events[e.event_index];
    time[r] = e.time;
    step[r] = e.step;
    event_index[r] = static_cast<std::int64_t>(e.event_index);
    goldstein[r] = e.goldstein;
    kind[r] = name_of(s.kind);
    label[r] = s.label;
    cameo[r] = s.cameo;
    actor[r] = spec.actors[e.actor].code;
    target[r] = spec.actors[e.target].code;
  }
  const std::vector<std::int64_t> index = row_index(rows);

  const Handle group = create_group(root, "events", path);
  const hid_t g = group.get();
  const auto event = w.dimension(g, "event", numbers(std::span<const std::int64_t>(index)),
                                 {"1", "row number of the applied event"});
  w.variable(g, "time", numbers(std::span<const double>(time)), {&event},
             {"year", "time of the step the event was applied at, decimal year"});
  w.variable(g, "step", numbers(std::span<const std::int64_t>(step)), {&event},
             {"1", "step at whose start the event was applied"});
  w.variable(g, "kind", Strings(kind, path).buffer(), {&event},
             {"", "event kind: impulse|sanction|lift_sanction|energy_link|apply|corridor"});
  w.variable(g, "label", Strings(label, path).buffer(), {&event}, {"", "what happened"});
  w.variable(g, "actor", Strings(actor, path).buffer(), {&event},
             {"", "source, sender, supplier or applicant (actor code)"});
  w.variable(g, "target", Strings(target, path).buffer(), {&event},
             {"", "target actor code (the actor itself when the event has no target)"});
  w.variable(g, "goldstein", numbers(std::span<const double>(goldstein)), {&event},
             {"1", "Goldstein weight applied, -10..10 (0 without an impulse)"});
  w.variable(g, "cameo", Strings(cameo, path).buffer(), {&event},
             {"", "CAMEO event code (empty when the weight was given directly)"});
  w.variable(g, "event_index", numbers(std::span<const std::int64_t>(event_index)), {&event},
             {"1", "index of the event in the scenario's [[events]] list"});
}

void write_admissions(Writer& w, hid_t root, const ScenarioSpec& spec, const EventLog& log) {
  const fs::path& path = w.path();
  const std::size_t rows = log.admissions.size();
  std::vector<double> time(rows), probability(rows);
  std::vector<std::int64_t> step(rows);
  std::vector<std::int32_t> votes_for(rows), votes_against(rows);
  std::vector<std::uint8_t> admitted(rows);
  std::vector<std::string> institution(rows), applicant(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const AdmissionDecision& a = log.admissions[r];
    if (a.institution >= spec.institutions.size()) {
      throw OutputError(path, "write /admissions",
                        index_error("institution", r, a.institution, spec.institutions.size()));
    }
    if (a.applicant >= spec.actors.size()) {
      throw OutputError(path, "write /admissions",
                        index_error("applicant", r, a.applicant, spec.actors.size()));
    }
    time[r] = a.time;
    step[r] = a.step;
    institution[r] = spec.institutions[a.institution].name;
    applicant[r] = spec.actors[a.applicant].code;
    votes_for[r] = a.votes_for;
    votes_against[r] = a.votes_against;
    probability[r] = a.probability;
    admitted[r] = a.admitted ? 1 : 0;
  }
  const std::vector<std::int64_t> index = row_index(rows);

  const Handle group = create_group(root, "admissions", path);
  const hid_t g = group.get();
  const auto decision = w.dimension(g, "decision", numbers(std::span<const std::int64_t>(index)),
                                    {"1", "row number of the admission decision"});
  w.variable(g, "time", numbers(std::span<const double>(time)), {&decision},
             {"year", "time of the decision, decimal year"});
  w.variable(g, "step", numbers(std::span<const std::int64_t>(step)), {&decision},
             {"1", "step at which the decision was taken"});
  w.variable(g, "institution", Strings(institution, path).buffer(), {&decision},
             {"", "institution name"});
  w.variable(g, "applicant", Strings(applicant, path).buffer(), {&decision},
             {"", "applicant actor code"});
  w.variable(g, "votes_for", numbers(std::span<const std::int32_t>(votes_for)), {&decision},
             {"1", "members voting yes"});
  w.variable(g, "votes_against", numbers(std::span<const std::int32_t>(votes_against)),
             {&decision}, {"1", "members voting no"});
  w.variable(g, "probability", numbers(std::span<const double>(probability)), {&decision},
             {"1", "probability of admission under the rule (0 or 1 if deterministic)"});
  w.variable(g, "admitted", numbers(std::span<const std::uint8_t>(admitted)), {&decision},
             {"1", "applicant admitted (1) or not (0)"});
}

// The /network group (docs/output-format.md, "/network"): graph measures per recorded frame,
// over the root dimensions time, actor, partner and domain plus its own node and corridor_edge.
void write_network(Writer& w, hid_t root, const Trajectory& traj, const NetworkRecord& net) {
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
  const auto time = w.existing_dimension(root, "time");
  const auto actor = w.existing_dimension(root, "actor");
  const auto partner = w.existing_dimension(root, "partner");
  const auto domain = w.existing_dimension(root, "domain");

  const Handle group = create_group(root, "network", path);
  const hid_t g = group.get();
  w.attribute(g, "tie_threshold", net.tie_threshold);
  w.attribute(g, "faction_definition", kFactionDefinition);
  w.attribute(g, "betweenness_definition", kBetweennessDefinition);

  const auto node = w.dimension(g, "node", Strings(net.nodes, path).buffer(),
                                {"", "corridor node code: the actors first, in actor order, then "
                                     "transit nodes"});
  const auto edge = w.dimension(g, "corridor_edge", Strings(net.corridor_edges, path).buffer(),
                                {"", "corridor edge name"});
  w.variable(g, "node_name", Strings(net.node_names, path).buffer(), {&node},
             {"", "corridor node full name"});
  w.variable(g, "edge_from", numbers(std::span<const std::int64_t>(net.edge_from)), {&edge},
             {"1", "index along node of one end of the edge (edges are undirected)"});
  w.variable(g, "edge_to", numbers(std::span<const std::int64_t>(net.edge_to)), {&edge},
             {"1", "index along node of the other end of the edge"});
  w.variable(g, "edge_cost", numbers(std::span<const double>(net.edge_cost)), {&edge},
             {"1", "relative transport cost of the leg"});

  const std::size_t pairs = n * n;
  w.variable(g, "sign", numbers(w.frames(net.sign, frames, pairs, "network/sign")),
             {&time, &actor, &partner},
             {"1", "sign of the tie (relation_overall[a,p] + relation_overall[p,a])/2: +1 above "
                   "tie_threshold, -1 below -tie_threshold, else 0"});
  w.variable(g, "faction", numbers(w.frames(net.faction, frames, n, "network/faction")),
             {&time, &actor}, {"1", "camp of the actor, 0 or 1 (see attribute faction_definition)"});
  struct FrameCount {
    const char* name;
    const std::vector<std::int32_t>* values;
    Describe what;
  };
  const FrameCount counts[] = {
      {"faction_count", &net.faction_count, {"1", "number of non-empty camps (1 or 2)"}},
      {"frustration", &net.frustration,
       {"1", "frustration index: negative ties inside camps plus positive ties between camps, "
             "minimised over splits into two camps"}},
      {"triads_signed", &net.triads_signed, {"1", "triads whose three ties are all signed"}},
      {"triads_balanced", &net.triads_balanced,
       {"1", "signed triads whose sign product is positive (structurally balanced)"}},
  };
  for (const auto& c : counts) {
    w.variable(g, c.name, numbers(w.frames(*c.values, frames, 1, c.name)), {&time}, c.what);
  }
  w.variable(g, "balanced_share",
             numbers(w.frames(net.balanced_share, frames, 1, "network/balanced_share")), {&time},
             {"1", "triads_balanced / triads_signed (NaN when no triad is signed)"});
  w.variable(g, "balanced_share_domain",
             numbers(w.frames(net.balanced_share_domain, frames, d,
                              "network/balanced_share_domain")),
             {&time, &domain},
             {"1", "share of balanced triads of the signed graph of one domain's relations "
                   "(NaN when no triad is signed)"});
  w.variable(g, "betweenness", numbers(w.frames(net.betweenness, frames, n, "network/betweenness")),
             {&time, &actor},
             {"1", "normalised betweenness of the actor on the positive-tie graph (see attribute "
                   "betweenness_definition)"});
  w.variable(g, "corridor_betweenness",
             numbers(w.frames(net.corridor_betweenness, frames, nodes,
                              "network/corridor_betweenness")),
             {&time, &node},
             {"1", "normalised cost-weighted betweenness of the node on the open corridor graph"});
  w.variable(g, "route_cost",
             numbers(w.frames(net.route_cost, frames, pairs, "network/route_cost")),
             {&time, &actor, &partner},
             {"1", "relative cost of the cheapest open corridor route (inf: no route)"});
  const std::span<const std::string> routes = w.frames(net.route, frames, pairs, "network/route");
  w.variable(g, "route", Strings(std::vector<std::string>(routes.begin(), routes.end()), path).buffer(),
             {&time, &actor, &partner},
             {"", "node codes of the cheapest open route joined by '-' (empty: none, or "
                  "actor = partner)"});
  w.variable(g, "corridor_open",
             numbers(w.frames(net.corridor_open, frames, edges, "network/corridor_open")),
             {&time, &edge}, {"1", "corridor edge open (1) or closed (0)"});
}

void check_consistent(const fs::path& path, const ScenarioSpec& spec, const Trajectory& traj) {
  const Dims& d = traj.dims();
  if (d.actors != spec.actor_count() || d.domains != spec.domain_count() ||
      d.institutions != spec.institution_count()) {
    throw OutputError(
        path, "check trajectory",
        "the trajectory has " + std::to_string(d.actors) + " actors, " +
            std::to_string(d.domains) + " domains and " + std::to_string(d.institutions) +
            " institutions but the scenario has " + std::to_string(spec.actor_count()) + ", " +
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
  const std::string create = "create temporary file " + temp.filename().string();
  const Handle fcpl = h5::make(H5Pcreate(H5P_FILE_CREATE), H5Pclose, path, create);
  h5::check_status(
      H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), path,
      create);
  const Handle fapl = h5::make(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, path, create);
  h5::check_status(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), path, create);
  Handle file = h5::make(H5Fcreate(temp.c_str(), H5F_ACC_EXCL, fcpl.get(), fapl.get()), H5Fclose,
                         path, create);
  {
    const Handle root = h5::make(H5Gopen2(file.get(), "/", H5P_DEFAULT), H5Gclose, path,
                                 "open root group");
    Writer w(path);
    write_root_attributes(w, root.get(), spec, meta);
    write_trajectory(w, root.get(), spec, traj);
    write_events(w, root.get(), spec, log);
    write_admissions(w, root.get(), spec, log);
    if (network != nullptr) write_network(w, root.get(), traj, *network);
  }
  h5::check_status(file.close(), path, "close temporary file " + temp.filename().string());
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
