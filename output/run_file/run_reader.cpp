#include "output/run_file/run_reader.hpp"

#include "output/hdf5/hdf5_handle.hpp"

#include <cstring>
#include <initializer_list>
#include <system_error>
#include <utility>

namespace interdep {

namespace fs = std::filesystem;

namespace {

using h5::Handle;

std::string shape_text(const std::vector<hsize_t>& shape) {
  std::string s = "[";
  for (std::size_t k = 0; k < shape.size(); ++k) {
    if (k > 0) s += ", ";
    s += std::to_string(shape[k]);
  }
  return s + "]";
}

class Reader {
 public:
  explicit Reader(fs::path path) : path_(std::move(path)) {}

  const fs::path& path() const { return path_; }

  bool exists(hid_t loc, const char* name) const {
    return H5Lexists(loc, name, H5P_DEFAULT) > 0;
  }

  Handle group(hid_t loc, const char* name) const {
    require(loc, name);
    return h5::make(H5Gopen2(loc, name, H5P_DEFAULT), H5Gclose, path_,
                    std::string("open group ") + name);
  }

  // A numeric dataset of the expected shape, converted to T.
  template <class T>
  std::vector<T> numbers(hid_t loc, const char* name, const std::vector<hsize_t>& expected) const {
    const Handle ds = open(loc, name, expected);
    const std::string operation = std::string("read dataset ") + name;
    const Handle type = h5::make(H5Dget_type(ds.get()), H5Tclose, path_, operation);
    const H5T_class_t cls = H5Tget_class(type.get());
    if (cls != H5T_INTEGER && cls != H5T_FLOAT) {
      throw OutputError(path_, operation, "not a numeric dataset");
    }
    std::vector<T> values(count(expected));
    if (!values.empty()) {
      h5::check_status(H5Dread(ds.get(), h5::Types<T>::memory(), H5S_ALL, H5S_ALL, H5P_DEFAULT,
                               values.data()),
                       path_, operation);
    }
    return values;
  }

  // A 1-D string dataset of the expected length.
  std::vector<std::string> strings(hid_t loc, const char* name, hsize_t expected) const {
    return string_array(loc, name, {expected});
  }

  // A string dataset of the expected shape, row-major.
  std::vector<std::string> string_array(hid_t loc, const char* name,
                                        const std::vector<hsize_t>& expected) const {
    const Handle ds = open(loc, name, expected);
    const std::string operation = std::string("read dataset ") + name;
    return h5::read_strings(ds.get(), false, H5S_ALL, count(expected), path_, operation);
  }

  // Length of a 1-D dataset (a dimension).
  hsize_t length(hid_t loc, const char* name) const {
    require(loc, name);
    const std::string operation = std::string("open dataset ") + name;
    const Handle ds = h5::make(H5Dopen2(loc, name, H5P_DEFAULT), H5Dclose, path_, operation);
    const std::vector<hsize_t> shape = shape_of(ds.get(), operation);
    if (shape.size() != 1) {
      throw OutputError(path_, operation, "expected a 1-D dataset, found shape " + shape_text(shape));
    }
    return shape[0];
  }

  bool has_attribute(hid_t obj, const char* name) const {
    return H5Aexists(obj, name) > 0;
  }

  std::string string_attribute(hid_t obj, const char* name) const {
    const std::string operation = std::string("read attribute ") + name;
    const Handle attr = open_attribute(obj, name);
    const Handle space = h5::make(H5Aget_space(attr.get()), H5Sclose, path_, operation);
    const hssize_t n = H5Sget_simple_extent_npoints(space.get());
    if (n != 1) throw OutputError(path_, operation, "expected a single value");
    return h5::read_strings(attr.get(), true, H5S_ALL, 1, path_, operation).front();
  }

  template <class T>
  T number_attribute(hid_t obj, const char* name) const {
    const std::string operation = std::string("read attribute ") + name;
    const Handle attr = open_attribute(obj, name);
    const Handle space = h5::make(H5Aget_space(attr.get()), H5Sclose, path_, operation);
    if (H5Sget_simple_extent_npoints(space.get()) != 1) {
      throw OutputError(path_, operation, "expected a single value");
    }
    T value{};
    h5::check_status(H5Aread(attr.get(), h5::Types<T>::memory(), &value), path_, operation);
    return value;
  }

 private:
  static std::size_t count(const std::vector<hsize_t>& shape) {
    std::size_t n = 1;
    for (hsize_t s : shape) n *= static_cast<std::size_t>(s);
    return n;
  }

  void require(hid_t loc, const char* name) const {
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0) {
      throw OutputError(path_, std::string("open ") + name,
                        "missing; not an interdep result file or a damaged one");
    }
  }

  std::vector<hsize_t> shape_of(hid_t ds, const std::string& operation) const {
    const Handle space = h5::make(H5Dget_space(ds), H5Sclose, path_, operation);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    h5::check_status(rank, path_, operation);
    std::vector<hsize_t> shape(static_cast<std::size_t>(rank));
    h5::check_status(H5Sget_simple_extent_dims(space.get(), shape.data(), nullptr), path_,
                     operation);
    return shape;
  }

  Handle open(hid_t loc, const char* name, const std::vector<hsize_t>& expected) const {
    require(loc, name);
    const std::string operation = std::string("open dataset ") + name;
    Handle ds = h5::make(H5Dopen2(loc, name, H5P_DEFAULT), H5Dclose, path_, operation);
    const std::vector<hsize_t> shape = shape_of(ds.get(), operation);
    if (shape != expected) {
      throw OutputError(path_, operation,
                        "has shape " + shape_text(shape) + ", expected " + shape_text(expected));
    }
    return ds;
  }

  Handle open_attribute(hid_t obj, const char* name) const {
    const std::string operation = std::string("read attribute ") + name;
    if (H5Aexists(obj, name) <= 0) {
      throw OutputError(path_, operation, "missing; not an interdep result file or a damaged one");
    }
    return h5::make(H5Aopen(obj, name, H5P_DEFAULT), H5Aclose, path_, operation);
  }

  fs::path path_;
};

void read_root_attributes(const Reader& r, hid_t root, RunFile& run) {
  run.metadata.engine_version = r.string_attribute(root, "engine_version");
  run.metadata.model = r.string_attribute(root, "model");
  run.metadata.seed = r.number_attribute<std::uint64_t>(root, "seed");
  run.metadata.created = r.string_attribute(root, "created");
  run.metadata.command_line = r.string_attribute(root, "command_line");
  run.scenario_name = r.string_attribute(root, "scenario_name");
  run.scenario_description = r.string_attribute(root, "scenario_description");
  run.scenario_file = r.string_attribute(root, "scenario_file");
  run.scenario_text = r.string_attribute(root, "scenario_text");
  run.goldstein_table = r.string_attribute(root, "goldstein_table");
  run.start = r.number_attribute<double>(root, "start");
  run.dt = r.number_attribute<double>(root, "dt");
  run.steps = r.number_attribute<std::int64_t>(root, "steps");
  run.steps_per_year = r.number_attribute<std::int64_t>(root, "steps_per_year");
  if (r.has_attribute(root, "record_every")) {
    run.record_every = r.number_attribute<std::int64_t>(root, "record_every");
  }
}

void read_trajectory(const Reader& r, hid_t root, RunFile& run) {
  const hsize_t f = r.length(root, "time");
  const hsize_t n = r.length(root, "actor");
  const hsize_t d = r.length(root, "domain");
  const hsize_t k = r.length(root, "institution");
  const hsize_t t = r.length(root, "term");
  if (r.length(root, "partner") != n) {
    throw OutputError(r.path(), "open dataset partner", "length differs from actor");
  }
  run.frames = static_cast<std::size_t>(f);
  run.dims = Dims{static_cast<std::size_t>(n), static_cast<std::size_t>(d),
                  static_cast<std::size_t>(k)};

  run.time = r.numbers<double>(root, "time", {f});
  run.actors = r.strings(root, "actor", n);
  const std::vector<std::string> partners = r.strings(root, "partner", n);
  if (partners != run.actors) {
    throw OutputError(r.path(), "read dataset partner", "codes differ from actor");
  }
  run.domains = r.strings(root, "domain", d);
  run.institutions = r.strings(root, "institution", k);
  run.terms = r.strings(root, "term", t);
  run.step = r.numbers<std::int64_t>(root, "step", {f});
  run.actor_names = r.strings(root, "actor_name", n);
  if (r.exists(root, "domain_label")) run.domain_labels = r.strings(root, "domain_label", d);
  if (r.exists(root, "institution_label")) {
    run.institution_labels = r.strings(root, "institution_label", k);
  }

  run.interests = r.numbers<double>(root, "interests", {n, d});
  // Every recorded dataset the root group keeps (the table of engine/run/recorded_datasets.hpp).
  const AxisSizes sizes{run.dims.actors, run.dims.domains, run.dims.institutions,
                        static_cast<std::size_t>(t), 0};
  for (const RecordedDataset& row : kRecordedDatasets) {
    if (row.stored != Stored::root) continue;
    const std::string name(row.name);
    if (row.optional && !r.exists(root, name.c_str())) continue;
    std::vector<hsize_t> shape{f};
    for (Axis axis : row.axis_list()) shape.push_back(static_cast<hsize_t>(sizes.of(axis)));
    if (row.f64 != nullptr) run.*row.f64 = r.numbers<double>(root, name.c_str(), shape);
    if (row.u8 != nullptr) run.*row.u8 = r.numbers<std::uint8_t>(root, name.c_str(), shape);
    if (row.f64 == &RecordedArrays::contributions) run.has_contributions = true;
  }
}

void read_events(const Reader& r, hid_t root, RunFile& run) {
  const Handle group = r.group(root, "events");
  const hid_t g = group.get();
  const hsize_t n = r.length(g, "event");
  const auto time = r.numbers<double>(g, "time", {n});
  const auto step = r.numbers<std::int64_t>(g, "step", {n});
  const auto kind = r.strings(g, "kind", n);
  const auto label = r.strings(g, "label", n);
  const auto actor = r.strings(g, "actor", n);
  const auto target = r.strings(g, "target", n);
  const auto goldstein = r.numbers<double>(g, "goldstein", {n});
  const auto cameo = r.strings(g, "cameo", n);
  const auto event_index = r.numbers<std::int64_t>(g, "event_index", {n});
  run.events.resize(static_cast<std::size_t>(n));
  for (std::size_t k = 0; k < run.events.size(); ++k) {
    run.events[k] = RunEvent{step[k],  time[k],      kind[k],  label[k],      actor[k],
                             target[k], goldstein[k], cameo[k], event_index[k]};
  }
}

void read_admissions(const Reader& r, hid_t root, RunFile& run) {
  const Handle group = r.group(root, "admissions");
  const hid_t g = group.get();
  const hsize_t n = r.length(g, "decision");
  const auto time = r.numbers<double>(g, "time", {n});
  const auto step = r.numbers<std::int64_t>(g, "step", {n});
  const auto institution = r.strings(g, "institution", n);
  const auto applicant = r.strings(g, "applicant", n);
  const auto votes_for = r.numbers<std::int32_t>(g, "votes_for", {n});
  const auto votes_against = r.numbers<std::int32_t>(g, "votes_against", {n});
  const auto probability = r.numbers<double>(g, "probability", {n});
  const auto admitted = r.numbers<std::uint8_t>(g, "admitted", {n});
  run.admissions.resize(static_cast<std::size_t>(n));
  for (std::size_t k = 0; k < run.admissions.size(); ++k) {
    run.admissions[k] = RunAdmission{step[k],         time[k],           institution[k],
                                     applicant[k],    votes_for[k],      votes_against[k],
                                     probability[k],  admitted[k] != 0};
  }
}

// The /network group, when present (older files and runs with [output] network = false have
// none). Its frame, actor and domain axes are the root's.
void read_network(const Reader& r, hid_t root, RunFile& run) {
  RunNetwork& net = run.network;
  if (!r.exists(root, "network")) return;
  const Handle group = r.group(root, "network");
  const hid_t g = group.get();
  const auto f = static_cast<hsize_t>(run.frames);
  const auto n = static_cast<hsize_t>(run.dims.actors);
  const auto d = static_cast<hsize_t>(run.dims.domains);
  const hsize_t nodes = r.length(g, "node");
  const hsize_t edges = r.length(g, "corridor_edge");
  net.tie_threshold = r.number_attribute<double>(g, "tie_threshold");
  net.nodes = r.strings(g, "node", nodes);
  net.node_names = r.strings(g, "node_name", nodes);
  net.corridor_edges = r.strings(g, "corridor_edge", edges);
  net.edge_from = r.numbers<std::int64_t>(g, "edge_from", {edges});
  net.edge_to = r.numbers<std::int64_t>(g, "edge_to", {edges});
  net.edge_cost = r.numbers<double>(g, "edge_cost", {edges});
  net.sign = r.numbers<std::int8_t>(g, "sign", {f, n, n});
  net.faction = r.numbers<std::int32_t>(g, "faction", {f, n});
  const std::pair<const char*, std::vector<std::int32_t>*> counts[] = {
      {"faction_count", &net.faction_count},
      {"frustration", &net.frustration},
      {"triads_signed", &net.triads_signed},
      {"triads_balanced", &net.triads_balanced},
  };
  for (const auto& [name, values] : counts) *values = r.numbers<std::int32_t>(g, name, {f});
  net.balanced_share = r.numbers<double>(g, "balanced_share", {f});
  net.balanced_share_domain = r.numbers<double>(g, "balanced_share_domain", {f, d});
  net.betweenness = r.numbers<double>(g, "betweenness", {f, n});
  net.corridor_betweenness = r.numbers<double>(g, "corridor_betweenness", {f, nodes});
  net.route_cost = r.numbers<double>(g, "route_cost", {f, n, n});
  net.route = r.string_array(g, "route", {f, n, n});
  net.corridor_open = r.numbers<std::uint8_t>(g, "corridor_open", {f, edges});
  net.present = true;
}

}  // namespace

RunFile read_run(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw OutputError(path, "open", "no such file");
  if (fs::is_directory(path, ec)) throw OutputError(path, "open", "is a directory");
  const h5::ErrorSilencer silence;
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    throw OutputError(path, "open", "not an HDF5 file (hence not an interdep result file)");
  }
  const Handle file =
      h5::make(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose, path, "open");
  const Handle root =
      h5::make(H5Gopen2(file.get(), "/", H5P_DEFAULT), H5Gclose, path, "open root group");

  Reader r(path);
  RunFile run;
  run.path = path;
  if (r.has_attribute(root.get(), "conventions")) {
    run.conventions = r.string_attribute(root.get(), "conventions");
  }
  if (run.conventions.rfind("interdep-", 0) != 0) {
    throw OutputError(path, "open",
                      "not an interdep result file (no root attribute conventions = \"" +
                          std::string(kOutputConventions) + "\")");
  }
  if (run.conventions != kOutputConventions) {
    throw OutputError(path, "open",
                      "written with conventions \"" + run.conventions +
                          "\"; this program reads \"" + std::string(kOutputConventions) + "\"");
  }
  read_root_attributes(r, root.get(), run);
  read_trajectory(r, root.get(), run);
  read_events(r, root.get(), run);
  read_admissions(r, root.get(), run);
  read_network(r, root.get(), run);
  return run;
}

}  // namespace interdep
