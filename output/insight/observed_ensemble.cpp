#include "output/insight/observed_ensemble.hpp"

#include <cmath>
#include <stdexcept>
#include <system_error>
#include <utility>

#include "engine/run/observation.hpp"
#include "engine/run/quantity.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "engine/text/text_format.hpp"
#include "output/hdf5/output_error.hpp"
#include "output/run_file/run_reader.hpp"
#include "output/sweep_file/sweep_file.hpp"

namespace interdep::insight {
namespace {

namespace fs = std::filesystem;

// A result file as the ensemble sees it: a run, or a sweep's runs with their series.
struct ResultFile {
  fs::path path;
  bool is_sweep = false;
  RunFile run;
  sweep::SweepFile sweep;
  ScenarioSpec scenario;  // stored in the file
};

ResultFile open_result(const fs::path& path) {
  ResultFile file;
  file.path = path;
  std::string text;
  try {
    file.run = read_run(path);
    text = file.run.scenario_text;
  } catch (const OutputError& run_error) {
    try {
      file.sweep = sweep::read_sweep(path);
    } catch (const OutputError& sweep_error) {
      // Name the sweep file's own problem when the file says it is one, else the run file's.
      const bool says_sweep =
          std::string(run_error.what()).find(sweep::kSweepConventions) != std::string::npos;
      if (says_sweep) throw;
      throw run_error;
    }
    file.is_sweep = true;
    text = file.sweep.meta.scenario_text;
  }
  file.scenario =
      load_scenario_text(text, path.string() + " (stored scenario)", ".", LoadOptions{{}, false});
  return file;
}

// Runs held in one ensemble must share what the figures are read against.
void check_compatible(const ResultFile& file, const ScenarioSpec& first,
                      const fs::path& first_path) {
  const ScenarioSpec& s = file.scenario;
  const auto codes = [](const ScenarioSpec& spec) {
    std::vector<std::string> out;
    for (const ActorSpec& a : spec.actors) out.push_back(a.code);
    return out;
  };
  const auto domains = [](const ScenarioSpec& spec) {
    std::vector<std::string> out;
    for (const DomainSpec& d : spec.domains) out.push_back(d.name);
    return out;
  };
  const auto institutions = [](const ScenarioSpec& spec) {
    std::vector<std::string> out;
    for (const InstitutionSpec& i : spec.institutions) out.push_back(i.name);
    return out;
  };
  const auto listed = [](const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  };
  // What differs, this file's against the first's: "its actors (PAK, RUS) differ from those of".
  std::string differs;
  if (codes(s) != codes(first))
    differs = "actors (" + listed(codes(s)) + " against " + listed(codes(first)) + ")";
  else if (domains(s) != domains(first))
    differs = "domains (" + listed(domains(s)) + " against " + listed(domains(first)) + ")";
  else if (institutions(s) != institutions(first))
    differs = "institutions (" + listed(institutions(s)) + " against " +
              listed(institutions(first)) + ")";
  else if (s.time.steps_per_year != first.time.steps_per_year)
    differs = "steps a year (" + std::to_string(s.time.steps_per_year) + " against " +
              std::to_string(first.time.steps_per_year) + ")";
  else if (s.time.start != first.time.start)
    differs = "start (" + shortest_number(s.time.start) + " against " +
              shortest_number(first.time.start) + ")";
  else if (s.time.steps != first.time.steps)
    differs = "length (" + std::to_string(s.time.steps) + " steps against " +
              std::to_string(first.time.steps) + ")";
  if (!differs.empty())
    throw std::invalid_argument(file.path.string() + ": its " + differs + " differ from " +
                                first_path.string() +
                                "'s; an ensemble's runs share actors, domains, institutions, "
                                "start, steps a year and length");
}

std::size_t output_index(const std::vector<Quantity>& outputs, const Quantity& q) {
  for (std::size_t k = 0; k < outputs.size(); ++k)
    if (outputs[k].dataset == q.dataset && outputs[k].indices == q.indices) return k;
  return outputs.size();
}

}  // namespace

ObservedEnsemble observed_ensemble(const std::vector<fs::path>& files,
                                   const ObservedTable& observed) {
  if (files.empty()) throw std::invalid_argument("no result file to score");
  // Each file once: the same run given twice (or through another path to it) would count twice.
  for (std::size_t m = 1; m < files.size(); ++m)
    for (std::size_t n = 0; n < m; ++n) {
      std::error_code ec;
      if (files[m] == files[n] || fs::equivalent(files[m], files[n], ec))
        throw std::invalid_argument(files[m].string() + ": given twice (also as " +
                                    files[n].string() + "); each run counts once in an ensemble");
    }
  ResultFile first = open_result(files[0]);
  ObservedEnsemble out;
  out.scenario = first.scenario;
  const ScenarioSpec& spec = out.scenario;
  const bool own = observed.series.empty();
  out.observations = own ? spec.observations : observed.series;
  if (out.observations.empty())
    throw std::invalid_argument(
        files[0].string() +
        ": its scenario declares no [[observations]]; give the figures with --observed FILE.csv");
  // Where each figure was written: its row of the observed file, or its scenario entry.
  const auto where = [&](std::size_t s, std::size_t k) {
    return own ? out.observations[s].position : observed.rows[s][k];
  };
  for (std::size_t s = 0; s < out.observations.size(); ++s) {
    const ObservationSpec& o = out.observations[s];
    for (std::size_t k = 0; k < o.dates.size(); ++k)
      if (const auto problem = observation_date_problem(o, o.dates[k], spec.time))
        throw InputError(where(s, k), "", *problem + " of " + files[0].string());
  }
  const std::vector<ObservedSeries> series =
      resolve_observations(out.observations, spec, own ? "observations" : "");
  std::size_t figure_count = 0;
  for (const ObservationSpec& o : out.observations) figure_count += o.dates.size();
  out.simulated.resize(figure_count);

  // One member's figures, in order; a figure without a recorded frame is an error at its row.
  // `every_key`: the key that sets how often the member's file recorded, as its user writes it
  // (a run's [output] every, a sweep's [record] every).
  const auto add_member = [&](const std::string& name, const std::vector<ObservedFigure>& figures,
                              std::int64_t record_every, std::string_view every_key) {
    for (std::size_t f = 0; f < figures.size(); ++f) {
      const ObservedFigure& figure = figures[f];
      if (figure.states == 0) {
        std::size_t s = figure.series, k = 0;
        for (std::size_t g = f; g > 0 && figures[g - 1].series == s; --g) ++k;
        throw InputError(where(s, k), "",
                         name +
                             " recorded no state within the figure's window (it recorded "
                             "every " +
                             std::to_string(record_every) +
                             " steps): rerun it recording more often (" + std::string(every_key) +
                             ")");
      }
      if (out.members.empty()) {
        out.frames.push_back(figure.states);
        out.from.push_back(figure.from);
        out.to.push_back(figure.to);
      }
      out.simulated[f].push_back(figure.simulated);
    }
    out.members.push_back(name);
  };

  for (std::size_t n = 0; n < files.size(); ++n) {
    ResultFile file = n == 0 ? std::move(first) : open_result(files[n]);
    if (n > 0) check_compatible(file, spec, files[0]);
    if (!file.is_sweep) {
      const RunFile& run = file.run;
      const AxisSizes sizes{run.dims.actors, run.dims.domains, run.dims.institutions,
                            run.terms.size(), run.network.corridor_edges.size()};
      const auto figures = observe_frames(out.observations, series, spec.time, run.step,
                                          [&](std::size_t frame, const Quantity& q) {
                                            return quantity_value(run, sizes, frame, q);
                                          });
      add_member(file.path.string(), figures, run.record_every, "[output] every");
      continue;
    }
    const sweep::SweepLayout& layout = file.sweep.layout;
    if (layout.times.empty())
      throw std::invalid_argument(file.path.string() +
                                  ": the sweep recorded no series (record mode \"summary\"); "
                                  "score needs mode \"every\" or \"full\"");
    std::vector<Quantity> outputs;
    for (const std::string& name : layout.outputs)
      outputs.push_back(parse_quantity(name, spec, SelfPairs::accept));
    for (std::size_t s = 0; s < series.size(); ++s) {
      for (const Quantity* q : {&series[s].quantity, &series[s].reverse}) {
        if (q->dataset == nullptr) continue;
        const std::size_t k = output_index(outputs, *q);
        if (k == outputs.size())
          throw std::invalid_argument(
              file.path.string() + ": the sweep's outputs do not include " +
              (q == &series[s].reverse ? "the reverse direction of " : std::string()) +
              out.observations[s].quantity +
              (q == &series[s].reverse ? " (aggregate pair_total adds both directions)" : "") +
              "; add it to the sweep file's [record] outputs");
      }
    }
    // Each frame's step, from its time: within the run's steps, or the file's time axis and
    // its stored scenario's clock do not belong together (a damaged file).
    std::vector<std::int64_t> steps;
    for (double t : layout.times) {
      const double step = (t - spec.time.start) * spec.time.steps_per_year;
      if (!(step >= -0.5 && step <= static_cast<double>(spec.time.steps) + 0.5))
        throw std::invalid_argument(file.path.string() + ": its series' time " + exact_number(t) +
                                    " is outside its scenario's period (a damaged file)");
      steps.push_back(std::llround(step));
    }
    const std::int64_t every = steps.size() > 1 ? steps[1] - steps[0] : 1;
    for (std::size_t r = 0; r < layout.runs; ++r) {
      if (file.sweep.status[r] != 1) {
        ++out.failed_runs;
        continue;
      }
      const std::vector<double> values = sweep::read_series(file.path, r);
      const auto figures = observe_frames(
          out.observations, series, spec.time, steps, [&](std::size_t frame, const Quantity& q) {
            return values[frame * outputs.size() + output_index(outputs, q)];
          });
      add_member(file.path.string() + " run " + std::to_string(r), figures, every,
                 "the sweep file's [record] every");
    }
  }
  if (out.members.empty())
    throw std::invalid_argument("no finished run to score: every run of the sweep failed");
  return out;
}

}  // namespace interdep::insight
