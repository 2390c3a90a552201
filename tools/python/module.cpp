// interdep's compiled core for Python, `_interdep` (pybind11): what tools/python/interdep (the
// package users import, docs/python.md) cannot do in Python. Scenarios are loaded and validated
// by the engine's loader (errors raise interdep.ScenarioError with file, line, column and key);
// a run is written by the run-file writer into an HDF5 file in memory, whose bytes the package
// opens with xarray, so that a Dataset from Python has the very names, dimensions, units and
// attributes of a file `interdep run` writes; sweeps, analyses, designs and scenario discovery
// call the engine's own code. The GIL is released while the engine works; Ctrl-C stops it.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "engine/files/user_file.hpp"
#include "engine/run/observation.hpp"
#include "engine/run/quantity.hpp"
#include "engine/run/simulation.hpp"
#include "engine/run/trajectory.hpp"
#include "engine/run/version.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/sweep/design.hpp"
#include "engine/sweep/discovery.hpp"
#include "engine/sweep/discrete_values.hpp"
#include "engine/sweep/distribution.hpp"
#include "engine/sweep/runner.hpp"
#include "engine/sweep/sweep_loader.hpp"
#include "engine/text/control_chars.hpp"
#include "engine/text/text_format.hpp"
#include "models/interdependence/matrix_product.hpp"
#include "models/registry.hpp"
#include "output/hdf5/output_error.hpp"
#include "output/run_file/run_content.hpp"
#include "output/run_file/run_stream.hpp"
#include "output/sweep_file/analysis.hpp"
#include "output/sweep_file/shard_store.hpp"
#include "output/sweep_file/sweep_file.hpp"

namespace py = pybind11;
namespace fs = std::filesystem;

namespace interdep::python {
namespace {

// The Python classes of the module's errors (set when the module is imported). Handles, not
// objects: they are kept for the life of the process, and an object's destructor would release
// them after the interpreter has gone (at exit, when C++ statics are destroyed).
py::handle scenario_error_type;  // interdep.ScenarioError(ValueError)
py::handle output_error_type;    // interdep.OutputError(OSError)

// HDF5 (Debian's build) is not thread-safe: one call that touches files at a time, whichever
// Python thread makes it.
std::mutex hdf5_mutex;

// hdf5_mutex, taken unless `cancel` is set first: a Ctrl-C while another Python thread's sweep
// holds it waited for that sweep to end.
std::unique_lock<std::mutex> lock_hdf5(const std::atomic<bool>* cancel) {
  std::unique_lock<std::mutex> lock(hdf5_mutex, std::try_to_lock);
  while (!lock.owns_lock()) {
    if (cancel != nullptr && cancel->load()) throw RunCancelled();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    (void)lock.try_lock();
  }
  return lock;
}

// What a call of the engine shares with the thread doing its work.
struct Work {
  std::atomic<bool> cancel{false};
  std::atomic<bool> done{false};
  std::atomic<bool> abandoned{false};  // the interpreter is exiting: never go back to Python
  std::exception_ptr failure;
};

// The calls running now (stop_all at the interpreter's exit cancels and waits for them).
std::mutex running_mutex;
std::vector<Work*> running;

// Whether the interpreter has begun to finalise: a thread that takes the GIL then is ended by
// Python (pthread_exit, an unwinding through this code).
bool finalizing() {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing() != 0;
#else
  return _Py_IsFinalizing() != 0;
#endif
}

// Runs `work` on a thread of its own while this (the Python) thread, holding the GIL only for
// that, checks every 50 ms for a signal (Ctrl-C): then `cancel` is set, the work is waited for
// and Python's KeyboardInterrupt goes up. Exceptions of `work` are rethrown here. When the
// interpreter exits while the call runs (a daemon thread's: stop_all, or finalisation seen), the
// work is cancelled and waited for, and this thread then never takes the GIL again: it sleeps
// until the process ends (taking the GIL would end the thread by an unwinding that, out of a
// destructor, aborted the process).
void run_interruptibly(const std::function<void(const std::atomic<bool>* cancel)>& work) {
  Work w;
  {
    const std::lock_guard<std::mutex> lock(running_mutex);
    running.push_back(&w);
  }
  std::thread worker([&] {
    try {
      work(&w.cancel);
    } catch (...) {
      w.failure = std::current_exception();
    }
    w.done = true;
  });
  // However this frame is left, the worker is not left running (nor joinable: std::terminate).
  struct Finish {
    Work& w;
    std::thread& worker;
    ~Finish() {
      if (worker.joinable()) {
        w.cancel = true;
        worker.join();
      }
      const std::lock_guard<std::mutex> lock(running_mutex);
      std::erase(running, &w);
    }
  } finish{w, worker};
  bool interrupted = false;
  for (;;) {
    // The GIL is released and taken back by hand: not in a destructor, where an unwinding of
    // the thread would end the process.
    PyThreadState* state = PyEval_SaveThread();
    for (int i = 0; i < 10 && !w.done && !w.abandoned; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (w.abandoned || finalizing()) {
      w.cancel = true;
      worker.join();
      w.done = true;
      {
        const std::lock_guard<std::mutex> lock(running_mutex);
        std::erase(running, &w);
      }
      for (;;) std::this_thread::sleep_for(std::chrono::hours(1));
    }
    if (w.done) worker.join();
    PyEval_RestoreThread(state);
    if (w.done) break;
    if (!interrupted && PyErr_CheckSignals() != 0) {
      interrupted = true;  // the Python error stays set until the work has stopped
      w.cancel = true;
    }
  }
  if (interrupted) throw py::error_already_set();
  if (w.failure) std::rethrow_exception(w.failure);
}

// At the interpreter's exit (atexit, before it finalises): the calls other threads are making
// are cancelled and waited for, so that nothing writes while the package removes their
// temporary folders and the process ends; their threads never return to Python.
void stop_all() {
  {
    const std::lock_guard<std::mutex> lock(running_mutex);
    for (Work* w : running) {
      w->abandoned = true;
      w->cancel = true;
    }
  }
  py::gil_scoped_release release;
  for (;;) {
    {
      // Those it abandoned (a call another thread begins now runs as usual).
      const std::lock_guard<std::mutex> lock(running_mutex);
      if (std::none_of(running.begin(), running.end(), [](Work* w) { return w->abandoned.load(); }))
        return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// `text` as a Python string literal ('...', a quote and a backslash escaped).
std::string python_string(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\\' || c == '\'') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

// An OutputError's advice in Python's terms, not the command line's: a shard's `interdep sweep
// SWEEP.toml -o OUT --resume` is interdep.sweep(SWEEP, 'OUT', resume=True).
std::string in_python_terms(std::string detail) {
  const std::string start = "`interdep sweep SWEEP.toml -o ", end = " --resume` runs the rest";
  const std::size_t a = detail.find(start);
  const std::size_t b = a == std::string::npos ? a : detail.find(end, a);
  if (b != std::string::npos) {
    const std::string out = detail.substr(a + start.size(), b - a - start.size());
    detail.replace(a, b + end.size() - a,
                   "interdep.sweep(SWEEP, " + python_string(out) + ", resume=True) runs the rest");
  }
  const std::string readers =
      "which inspect, export, analyze, discover, score and tools/plot trajectories --sweep read";
  if (const std::size_t at = detail.find(readers); at != std::string::npos)
    detail.replace(at, readers.size(),
                   "which interdep.open_sweep, sweep_table, analyze and discover read");
  return detail;
}

// A scenario from a file or from text (`source` names it in errors, relative paths in it
// resolve against `base_dir`), with overrides "key=value".
ScenarioSpec load(const std::optional<std::string>& path, const std::optional<std::string>& text,
                  const std::string& source, const std::string& base_dir,
                  const std::vector<std::string>& overrides) {
  LoadOptions options;
  options.overrides = overrides;
  options.given_once_from = 0;  // the caller's list and seed=: a key given twice is refused
  if (path) return load_scenario(*path, options);
  if (!text) throw std::invalid_argument("give a scenario file or its text");
  return load_scenario_text(*text, source, base_dir.empty() ? fs::path(".") : fs::path(base_dir),
                            options);
}

py::dict scenario_summary(const ScenarioSpec& spec) {
  py::dict d;
  d["name"] = spec.name;
  d["description"] = spec.description;
  d["model"] = spec.model;
  d["seed"] = py::int_(spec.seed);
  std::vector<std::string> codes, names;
  for (const auto& a : spec.actors) {
    codes.push_back(a.code);
    names.push_back(a.name);
  }
  d["actors"] = codes;
  d["actor_names"] = names;
  std::vector<std::string> domains;
  for (const auto& dom : spec.domains) domains.push_back(dom.name);
  d["domains"] = domains;
  std::vector<std::string> institutions;
  for (const auto& inst : spec.institutions) institutions.push_back(inst.name);
  d["institutions"] = institutions;
  d["start"] = spec.time.start;
  d["dt"] = spec.time.dt();
  d["steps"] = spec.time.steps;
  d["overrides"] = spec.overrides;
  d["resolved_text"] = spec.resolved_text;
  return d;
}

// The whole run file of a scenario, made in memory: its bytes.
py::bytes run_image(const std::optional<std::string>& path, const std::optional<std::string>& text,
                    const std::string& source, const std::string& base_dir,
                    std::vector<std::string> overrides, const std::optional<std::uint64_t>& seed,
                    const std::optional<std::string>& label, const std::string& command_line) {
  if (seed) overrides.push_back(seed_override(*seed));
  std::vector<char> image;
  run_interruptibly([&](const std::atomic<bool>* cancel) {
    const ScenarioSpec spec = load(path, text, source, base_dir, overrides);
    std::unique_ptr<Model> model = make_model(spec);
    // Held in memory whole: the run file's image, then its copy as Python bytes, or those bytes
    // and the datasets read from them (twice the recorded frames), besides the run's own state.
    const std::size_t terms = model->term_names().size();
    const std::uint64_t recorded =
        Trajectory::bytes_needed(spec, terms) - Trajectory::state_bytes(spec, terms);
    check_run_size(spec, Trajectory::bytes_needed_streamed(spec, terms) + 2 * recorded,
                   default_memory_limit(),
                   "a run from Python is held in memory whole (its recorded frames twice): "
                   "set output.contributions = false or a larger output.every, model fewer "
                   "actors or years, or write it with `interdep run` (which streams its frames "
                   "to the file) and open the file");
    std::optional<ObservationSampler> observations;
    if (!spec.observations.empty()) observations.emplace(spec);
    const RunMetadata meta = run_metadata(spec, command_line, label);
    const std::unique_lock<std::mutex> lock = lock_hdf5(cancel);
    RunFileSink sink(RunFileWriter::InMemory{}, spec.name + ".h5", spec, model->term_names(), meta);
    const EventLog log = simulate_into(spec, std::move(model), spec.seed, sink, cancel,
                                       observations ? &*observations : nullptr);
    image = sink.finish_image(log, observations ? observation_rows(spec, observations->figures())
                                                : std::vector<RunObservation>{});
  });
  return py::bytes(image.data(), image.size());
}

py::dict progress_dict(const sweep::Progress& p) {
  py::dict d;
  d["total"] = p.total;
  d["done"] = p.done;
  d["failed"] = p.failed;
  d["resumed"] = p.resumed;
  d["seconds"] = p.seconds;
  return d;
}

// `interdep sweep FILE -o OUTPUT -j THREADS [--resume]`, quietly.
py::dict run_sweep_file(const std::string& file, const std::string& output, unsigned threads,
                        bool resume, const std::string& command_line) {
  if (threads > sweep::kMaxThreads)
    throw std::invalid_argument("threads: at most " + std::to_string(sweep::kMaxThreads));
  // Refused now, as on the command line, not at the final rename after every run.
  if (const std::string problem = sweep::sweep_output_problem(output); !problem.empty())
    throw std::invalid_argument("output " + problem);
  sweep::SweepOutcome outcome;
  run_interruptibly([&](const std::atomic<bool>* cancel) {
    files::InputsRead read;  // the sweep file, its design table, the scenario and its bases
    const sweep::SweepSpec spec = sweep::load_sweep(file);
    check_model(load_scenario(spec.scenario));
    if (const std::string refused = read.refusal(output); !refused.empty())
      throw std::invalid_argument("output " + output + " " + refused);
    const std::unique_lock<std::mutex> lock = lock_hdf5(cancel);
    sweep::ShardStore store(output, 0, resume);
    sweep::SweepOptions options;
    options.threads = threads;
    options.command_line = command_line;
    options.cancel = cancel;
    outcome = sweep::run_sweep(
        spec, options,
        [](const ScenarioSpec& scenario, std::uint64_t run_seed, FrameSink& sink,
           std::uint64_t window_bytes) { stream_scenario(scenario, run_seed, sink, window_bytes); },
        store);
  });
  py::dict d = progress_dict(outcome.progress);
  d["complete"] = outcome.complete;
  d["stopped"] = outcome.stopped;
  return d;
}

py::dict analyze(const std::string& file, const std::string& output, const std::string& statistic,
                 std::size_t resamples, double confidence, std::uint64_t seed,
                 const std::string& policy) {
  if (!(confidence > 0.0 && confidence < 1.0))
    throw std::invalid_argument("confidence must lie in (0, 1)");
  if (resamples < sweep::kMinResamples || resamples > sweep::kMaxResamples)
    throw std::invalid_argument("resamples must be from " + std::to_string(sweep::kMinResamples) +
                                " to " + std::to_string(sweep::kMaxResamples));
  // A NUL ends the name where the file's names are compared as C strings: "trade[A,B]\0zz"
  // analysed trade[A,B].
  for (const auto& [name, text] : {std::pair<const char*, const std::string*>{"output", &output},
                                   {"statistic", &statistic},
                                   {"policy", &policy}})
    if (text->find('\0') != std::string::npos)
      throw std::invalid_argument(std::string(name) + " " + printable(*text) +
                                  " holds a NUL character, which no name holds");
  sweep::AnalysisRequest request{output, statistic, resamples, confidence, seed, policy};
  sweep::SensitivityTable t;
  // On a thread of its own: a Ctrl-C while another thread's sweep holds HDF5 is answered (the
  // analysis itself, once started, runs to its end).
  run_interruptibly([&](const std::atomic<bool>* cancel) {
    const std::unique_lock<std::mutex> lock = lock_hdf5(cancel);
    try {
      t = sweep::analyze_sweep(file, request);
      // The table was computed and the file could not store it: the write's error, as before
      // the engine returned such a table.
      if (t.store_failure) std::rethrow_exception(t.store_failure);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(file + ": " + e.what());
    }
  });
  py::dict d;
  d["method"] = t.method;
  d["group"] = t.group;
  d["output"] = t.output;
  d["policy"] = t.policy;
  d["parameters"] = t.parameters;
  py::dict columns;
  for (const auto& [name, values] : t.columns) columns[py::str(name)] = values;
  d["columns"] = columns;
  d["ranking"] = t.ranking;
  d["runs"] = t.runs;
  d["base_samples"] = t.base_samples;
  d["replicates"] = t.replicates;
  d["seeds"] = t.seeds;
  d["noise_share"] = t.noise_share;
  d["warning"] = t.warning;
  d["stored"] = t.not_stored.empty();
  d["not_stored"] = t.not_stored;
  d["r2"] = t.r2;
  d["r2_rank"] = t.r2_rank;
  return d;
}

using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;
using BoolArray = py::array_t<bool, py::array::c_style | py::array::forcecast>;

// Runs as the engine's discovery takes them: parameter values [run * dims + p] and whether the
// condition holds in each.
struct DiscoveryInput {
  std::vector<double> x;
  std::vector<bool> is_case;
  std::size_t dims = 0;
};

DiscoveryInput discovery_input(const DoubleArray& x, const BoolArray& is_case) {
  if (x.ndim() != 2) throw std::invalid_argument("x must be a 2-D array (runs x parameters)");
  if (is_case.ndim() != 1) throw std::invalid_argument("is_case must be a 1-D array of booleans");
  return {std::vector<double>(x.data(), x.data() + x.size()),
          std::vector<bool>(is_case.data(), is_case.data() + is_case.size()),
          static_cast<std::size_t>(x.shape(1))};
}

py::dict box_dict(const sweep::PrimBox& b) {
  py::dict d;
  d["low"] = b.low;
  d["high"] = b.high;
  d["runs"] = b.runs;
  d["cases"] = b.cases;
  d["coverage"] = b.coverage;
  d["density"] = b.density;
  d["mass"] = b.mass;
  return d;
}

py::list prim(const DoubleArray& x, const BoolArray& is_case, double alpha, double min_mass) {
  const DiscoveryInput in = discovery_input(x, is_case);
  const std::vector<sweep::PrimBox> boxes =
      sweep::prim_peel(in.x, in.is_case, in.dims, sweep::PrimOptions{alpha, min_mass});
  py::list out;
  for (const auto& b : boxes) out.append(box_dict(b));
  return out;
}

py::dict paste(const DoubleArray& x, const BoolArray& is_case, const std::vector<double>& low,
               const std::vector<double>& high, double paste_alpha) {
  const DiscoveryInput in = discovery_input(x, is_case);
  sweep::PrimBox box;
  box.low = low;
  box.high = high;
  sweep::PrimOptions options;
  options.paste_alpha = paste_alpha;
  return box_dict(sweep::prim_paste(in.x, in.is_case, in.dims, box, options));
}

std::size_t choose_box(const py::list& trajectory, double threshold) {
  std::vector<sweep::PrimBox> boxes;
  for (const auto& item : trajectory) {
    const py::dict d = item.cast<py::dict>();
    sweep::PrimBox b;
    b.coverage = d["coverage"].cast<double>();
    b.density = d["density"].cast<double>();
    boxes.push_back(b);
  }
  if (boxes.empty()) throw std::invalid_argument("the PRIM trajectory is empty");
  return sweep::choose_box(boxes, threshold);
}

py::list cart(const DoubleArray& x, const BoolArray& is_case, std::size_t max_depth,
              std::size_t min_leaf) {
  const DiscoveryInput in = discovery_input(x, is_case);
  const std::vector<sweep::CartNode> nodes =
      sweep::cart_tree(in.x, in.is_case, in.dims, max_depth, min_leaf);
  // Each node's limits on every parameter, low < x <= high, as the path from the root sets them
  // (cart_rules; the root's are unbounded).
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<std::vector<double>> low(nodes.size(), std::vector<double>(in.dims, -inf));
  std::vector<std::vector<double>> high(nodes.size(), std::vector<double>(in.dims, inf));
  for (const sweep::CartRule& rule : sweep::cart_rules(nodes, in.dims)) {
    low[rule.node] = rule.low;
    high[rule.node] = rule.high;
  }
  py::list out;
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const sweep::CartNode& n = nodes[k];
    py::dict d;
    d["low"] = low[k];
    d["high"] = high[k];
    const bool leaf = n.parameter == sweep::CartNode::npos;
    d["parameter"] = leaf ? py::object(py::none()) : py::object(py::int_(n.parameter));
    d["threshold"] = n.threshold;
    d["left"] = leaf ? py::object(py::none()) : py::object(py::int_(n.left));
    d["right"] = leaf ? py::object(py::none()) : py::object(py::int_(n.right));
    d["runs"] = n.runs;
    d["cases"] = n.cases;
    d["depth"] = n.depth;
    out.append(d);
  }
  return out;
}

// The value spelt `text`; std::invalid_argument naming `what` and listing the words otherwise.
template <class E>
E parse_word(const std::string& text, const char* what) {
  if (const std::optional<E> value = parse<E>(text)) return *value;
  std::string words;
  for (const std::string& w : name_list<E>()) words += (words.empty() ? "" : ", ") + w;
  throw std::invalid_argument(std::string(what) + " \"" + text + "\": expected one of " + words);
}

// A design of the engine's (the sweep file's [design]) over parameters given as
// (distribution, a, b, count): uniform/loguniform a = min, b = max; normal a = mean, b = sd;
// discrete count values (a value's index). Returns (unit, values, base_samples).
py::tuple sample(const std::string& kind, std::size_t samples, std::size_t levels,
                 std::uint64_t seed,
                 const std::vector<std::tuple<std::string, double, double, std::size_t>>& params) {
  sweep::SweepSpec spec;
  spec.seed = seed;
  spec.design.kind = parse_word<sweep::DesignKind>(kind, "design kind");
  if (spec.design.kind == sweep::DesignKind::csv)
    throw std::invalid_argument("design kind \"csv\": give the values themselves");
  spec.design.samples = samples;
  spec.design.levels = levels;
  if (params.empty()) throw std::invalid_argument("a design needs at least one parameter");
  for (const auto& [dist, a, b, count] : params) {
    sweep::ParameterSpec p;
    p.distribution.kind = parse_word<sweep::Distribution>(dist, "distribution");
    if (p.distribution.kind == sweep::Distribution::normal) {
      p.distribution.mean = a;
      p.distribution.sd = b;
    } else {
      p.distribution.min = a;
      p.distribution.max = b;
    }
    p.distribution.count = count;
    sweep::validate(p.distribution);
    spec.parameters.push_back(p);
  }
  // As a sweep file's design is refused (a run count beyond a sweep's, a design that would not
  // fit in memory), before it is made: 10^12 points ended in "MemoryError: std::bad_alloc".
  spec.replicates = 1;
  const std::uint64_t points = sweep::design_points(spec);
  if (points > sweep::kMaxRuns)
    throw std::invalid_argument("the " + kind + " design would have " + std::to_string(points) +
                                " points, more than the " + std::to_string(sweep::kMaxRuns) +
                                " runs a sweep may make: use fewer samples, levels or parameters");
  // The design itself and the two arrays returned, 8 bytes a value each.
  const double bytes = 3.0 * 8.0 * static_cast<double>(points) * static_cast<double>(params.size());
  if (bytes > static_cast<double>(default_memory_limit()))
    throw std::invalid_argument("the " + kind + " design of " + std::to_string(points) +
                                " points would need " + shortest_number(bytes / 1e9) +
                                " GB of memory, more than this machine allows a process (3/4 of "
                                "its memory): use fewer samples, levels or parameters");
  const sweep::Design design = sweep::make_design(spec).whole();
  const std::size_t k = design.dims;
  py::array_t<double> unit({design.points, k}), values({design.points, k});
  auto u = unit.mutable_unchecked<2>();
  auto v = values.mutable_unchecked<2>();
  for (std::size_t r = 0; r < design.points; ++r)
    for (std::size_t c = 0; c < k; ++c) {
      u(r, c) = design.at(r, c);
      v(r, c) = sweep::parameter_value(spec, c, design.at(r, c));  // as a sweep's runs take it
    }
  return py::make_tuple(unit, values, design.base_samples);
}

// Raises `type(message)` with the given attributes set on the exception.
// Text that may hold bytes that are not UTF-8 (a file's name on a POSIX system), as Python
// decodes such names itself: each such byte as a lone surrogate (os.fsdecode's
// "surrogateescape"), so that the name opens the same file again.
py::str filesystem_text(const std::string& text) {
  PyObject* decoded =
      PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "surrogateescape");
  if (decoded == nullptr) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(decoded);
}

void raise_with(py::handle type, const std::string& message, const py::dict& attributes) {
  py::object error = type(message);
  for (const auto& [key, value] : attributes) py::setattr(error, key, value);
  PyErr_SetObject(type.ptr(), error.ptr());
}

}  // namespace
}  // namespace interdep::python

PYBIND11_MODULE(_interdep, m) {
  using namespace interdep;
  using namespace interdep::python;
  m.doc() = "interdep's compiled core; import interdep instead (docs/python.md)";
  m.attr("__version__") = kEngineVersion;
  m.attr("source_dir") = INTERDEP_SOURCE_DIR;
  // The engine's escaping of text to print, for tests/python/test_module.py to hold
  // tools/plotlib's (Python) against it: one set of refused characters (not re-exported).
  m.def(
      "printable", [](const std::string& text) { return printable(text); }, py::arg("text"));
  // A product kernel asked for (INTERDEP_PRODUCT_KERNEL) that is unknown or that this CPU does not
  // run is refused at import, as the command line refuses it (exit 2), rather than ignored: the
  // import fails with ImportError and kernel_from_environment's message.
  m.attr("product_kernel") = std::string(kernel_name(kernel_from_environment()));

  // New references, kept for the life of the process.
  scenario_error_type =
      PyErr_NewExceptionWithDoc("interdep.ScenarioError",
                                "Bad input: a scenario or sweep file, or an override, that the "
                                "engine refuses. Attributes: file, line, column, key, message.",
                                PyExc_ValueError, nullptr);
  output_error_type = PyErr_NewExceptionWithDoc("interdep.OutputError",
                                                "A result file that cannot be written or read.",
                                                PyExc_OSError, nullptr);
  if (!scenario_error_type || !output_error_type) throw py::error_already_set();
  m.attr("ScenarioError") = scenario_error_type;
  m.attr("OutputError") = output_error_type;

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      py::dict a;
      a["file"] = filesystem_text(e.where().file);
      a["line"] = e.where().line;
      a["column"] = e.where().column;
      a["key"] = filesystem_text(e.key());
      a["message"] = filesystem_text(e.message());
      // The message printable (a traceback prints it), whole (what() ends at a NUL the file's
      // name holds); the attributes as they were.
      raise_with(scenario_error_type, printable(e.text()), a);
    } catch (const OutputError& e) {
      raise_with(
          output_error_type,
          printable(e.path().string() + ": " + e.operation() + ": " + in_python_terms(e.detail())),
          py::dict());
    } catch (const std::invalid_argument& e) {
      // A value refused by the engine's checks echoes what was given: made printable as the
      // command line prints it (an escape sequence in a name reached the terminal).
      PyErr_SetString(PyExc_ValueError, printable(e.what()).c_str());
    } catch (const RunCancelled&) {
      PyErr_SetNone(PyExc_KeyboardInterrupt);
    }
  });

  // Worlds too large for this machine are refused while they load, as on the command line.
  set_world_size_check(WorldSizeCheck{default_memory_limit(), world_run_bytes});

  m.def("load", [](const std::optional<std::string>& path, const std::optional<std::string>& text,
                   const std::string& source, const std::string& base_dir,
                   const std::vector<std::string>& overrides) {
    ScenarioSpec spec;
    {
      py::gil_scoped_release release;
      spec = load(path, text, source, base_dir, overrides);
      check_model(spec);
    }
    return scenario_summary(spec);
  });
  m.def(
      "output_problem",
      [](const std::filesystem::path& path) { return files::not_an_output_file(path); },
      py::arg("path"));
  // What a failed write with `error` (an errno) means, in the command line's words (a copy in
  // Python had to be kept in step with it).
  m.def("stop_all", &stop_all);
  m.def("write_failure", &files::write_failure, py::arg("error"));
  m.def("run_image", &run_image, py::arg("path"), py::arg("text"), py::arg("source"),
        py::arg("base_dir"), py::arg("overrides"), py::arg("seed"), py::arg("label"),
        py::arg("command_line"));
  m.def("sweep", &run_sweep_file, py::arg("file"), py::arg("output"), py::arg("threads"),
        py::arg("resume"), py::arg("command_line"));
  // What interdep.Model checks when it is made: the sweep file of a one-row batch, read by the
  // sweep loader as `interdep sweep` reads it before its first run (its scenario, outputs,
  // statistics, seeds, design and first row, each policy), nothing run. One load of the scenario:
  // its model's name, which a run's second load checks, is left to the first call (an error in
  // the user's own scenario file).
  m.def(
      "check_sweep_file",
      [](const std::string& file) {
        py::gil_scoped_release release;
        (void)sweep::load_sweep(file);
      },
      py::arg("file"));
  // A scenario read once, for what interdep.Model checks when it is made without a sweep file:
  // whether a parameter's key names anything of the scenario, whatever its value
  // (ScenarioTemplate::key_path_refusal: (key in error, the engine's words), or None), the number
  // the scenario writes at a key (written_number, or None), and the scenario's refusal of overrides (a discrete parameter at one of its values: the error's
  // text, or None).
  py::class_<ScenarioTemplate>(m, "ScenarioTemplate")
      .def(py::init([](const std::string& path) {
             py::gil_scoped_release release;
             return std::make_unique<ScenarioTemplate>(path);
           }),
           py::arg("path"))
      .def(
          "key_path_refusal",
          [](const ScenarioTemplate& scenario, const std::string& key) -> py::object {
            std::optional<InputError> refusal;
            {
              py::gil_scoped_release release;
              refusal = scenario.key_path_refusal(key);
            }
            if (!refusal) return py::none();
            return py::make_tuple(filesystem_text(refusal->key()),
                                  filesystem_text(refusal->message()));
          },
          py::arg("key"))
      .def(
          "written_number",
          [](const ScenarioTemplate& scenario, const std::string& key) -> py::object {
            const std::optional<double> number = scenario.written_number(key);
            return number ? py::object(py::float_(*number)) : py::object(py::none());
          },
          py::arg("key"))
      .def(
          "refusal",
          [](const ScenarioTemplate& scenario,
             const std::vector<std::string>& overrides) -> py::object {
            std::optional<InputError> refusal;
            {
              py::gil_scoped_release release;
              LoadOptions options;
              options.overrides = overrides;
              options.resolved_text = false;
              try {
                (void)scenario.instantiate(options);
              } catch (const InputError& e) {
                refusal = e;
              }
            }
            if (!refusal) return py::none();
            // In a Model's words (its parameters), not the command line's --set; a single
            // override's key is the parameter the caller names.
            const std::string named = overrides.size() == 1
                                          ? overrides.front().substr(0, overrides.front().find('='))
                                          : std::string();
            return filesystem_text(sweep::refusal_in_words_of(*refusal, overrides, "Model", named));
          },
          py::arg("overrides"));
  m.def("analyze", &analyze, py::arg("file"), py::arg("output"), py::arg("statistic"),
        py::arg("resamples"), py::arg("confidence"), py::arg("seed"), py::arg("policy"));
  m.def(
      "quantity_spelling", [](const std::string& text) { return quantity_spelling(text); },
      py::arg("text"));
  m.def("prim", &prim, py::arg("x"), py::arg("is_case"), py::arg("alpha"), py::arg("min_mass"));
  m.def("paste", &paste, py::arg("x"), py::arg("is_case"), py::arg("low"), py::arg("high"),
        py::arg("paste_alpha"));
  m.def("choose_box", &choose_box, py::arg("trajectory"), py::arg("threshold"));
  m.def("cart", &cart, py::arg("x"), py::arg("is_case"), py::arg("max_depth"), py::arg("min_leaf"));
  // What the engine's reader finds wrong with a sweep file (OutputError naming the file and the
  // part), read whole but for its series: what open_sweep() says when h5py fails on a damaged
  // file, instead of h5py's bare KeyError.
  m.def("check_sweep", [](const std::string& file) {
    run_interruptibly([&](const std::atomic<bool>* cancel) {
      const std::unique_lock<std::mutex> lock = lock_hdf5(cancel);
      const sweep::SweepFile sweep_file = sweep::read_sweep(file);
      for (std::size_t o = 0; o < sweep_file.layout.outputs.size(); ++o)
        for (std::size_t s = 0; s < sweep_file.layout.statistics.size(); ++s)
          (void)sweep::read_summary(file, o, s);
    });
  });
  m.def("discrete_values", [](const std::string& encoded) {
    std::vector<std::string> values;
    for (const std::string& v : sweep::decode_discrete_values(encoded))
      values.push_back(sweep::plain_discrete_value(v));
    return values;
  });
  m.def("sample", &sample, py::arg("kind"), py::arg("samples"), py::arg("levels"), py::arg("seed"),
        py::arg("parameters"));
}
