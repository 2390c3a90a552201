#include "tools/cli/sweep_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "engine/sweep/discrete_values.hpp"
#include "engine/text/text_format.hpp"
#include "output/sweep_file/sweep_file.hpp"

namespace interdep {
namespace {

// The p-th percentile (0..100) of sorted values, interpolated linearly between order statistics
// (numpy's default), so that the 5th .. 95th range reads as in Python.
double percentile(const std::vector<double>& sorted, double p) {
  const double at = p / 100.0 * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(at));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (at - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

std::string share(std::size_t part, std::size_t whole) {
  return number(100.0 * static_cast<double>(part) / static_cast<double>(whole), 0) + " %";
}

}  // namespace

void print_sweep_summary(std::ostream& out, const std::filesystem::path& path) {
  const sweep::SweepFile file = sweep::read_sweep(path);
  const sweep::SweepLayout& layout = file.layout;
  const sweep::SweepMeta& meta = file.meta;
  std::size_t done = 0, failed = 0;
  for (std::uint8_t s : file.status) {
    done += s == sweep::kRunDone ? 1 : 0;
    failed += s == sweep::kRunFailed ? 1 : 0;
  }
  out << "Sweep: " << meta.sweep_name;
  if (!meta.sweep_description.empty()) out << " - " << meta.sweep_description;
  out << "\n";
  out << "From: " << meta.sweep_file << " over " << meta.scenario_file << "  (engine "
      << meta.engine_version << ", seed " << meta.seed << ")\n";
  out << "Design: " << meta.design_kind << ", " << layout.runs << " runs (" << done << " done, "
      << failed << " failed), " << meta.replicates << " per point, seeds " << meta.seeds
      << ", record mode " << meta.record_mode << "\n";
  out << "Parameters:\n";
  for (std::size_t p = 0; p < layout.parameters.size(); ++p) {
    out << "  " << layout.parameters[p];
    const std::vector<std::string> values =
        p < meta.discrete_values.size() ? sweep::decode_discrete_values(meta.discrete_values[p])
                                        : std::vector<std::string>{};
    if (!values.empty()) {
      // As export and discover show them ({consensus, majority}, -0.8): the stored literals
      // read "'consensus'" and "-0.80000000000000004".
      out << ": {";
      for (std::size_t k = 0; k < values.size(); ++k)
        out << (k == 0 ? "" : ", ") << sweep::plain_discrete_value(values[k]);
      out << "}";
    }
    out << "\n";
  }
  if (!meta.policies.empty()) {
    out << "Policies (each run over the whole design):\n";
    for (std::size_t p = 0; p < meta.policies.size(); ++p) {
      out << "  " << meta.policies[p] << ":";
      const std::vector<std::string> settings =
          sweep::decode_discrete_values(meta.policy_overrides[p]);
      if (settings.empty()) out << " the scenario as it is";
      for (std::size_t k = 0; k < settings.size(); ++k) out << (k == 0 ? " " : ", ") << settings[k];
      out << "\n";
    }
  }
  if (done == 0) {
    out << "No run finished: nothing to summarise.\n";
    return;
  }
  // With policies, each policy's runs apart: comparing them is what the sweep is for.
  const std::size_t groups = std::max<std::size_t>(1, meta.policies.size());
  out << "Outputs over the " << done << " finished runs"
      << (meta.policies.empty() ? "" : ", by policy") << " (median [5th .. 95th percentile]):\n";
  for (std::size_t o = 0; o < layout.outputs.size(); ++o) {
    out << "  " << layout.outputs[o] << "\n";
    for (std::size_t s = 0; s < layout.statistics.size(); ++s) {
      const std::vector<double> values = sweep::read_summary(path, o, s);
      const bool onset = layout.statistics[s] == "onset";
      for (std::size_t policy = 0; policy < groups; ++policy) {
        std::vector<double> reached;
        std::size_t finished = 0;  // of this policy
        for (std::size_t r = 0; r < values.size(); ++r) {
          if (!meta.policies.empty() && file.design.policy[r] != static_cast<std::int64_t>(policy))
            continue;
          if (file.status[r] != sweep::kRunDone) continue;
          ++finished;
          if (std::isfinite(values[r])) reached.push_back(values[r]);
        }
        std::sort(reached.begin(), reached.end());
        out << "    " << pad_right(layout.statistics[s], 6) << " ";
        if (!meta.policies.empty()) out << pad_right(meta.policies[policy], 24) << " ";
        if (!reached.empty()) {
          auto shown = [&](double v) { return onset ? year_month(v) : number(v, 3); };
          out << shown(percentile(reached, 50.0)) << " [" << shown(percentile(reached, 5.0))
              << " .. " << shown(percentile(reached, 95.0)) << "]";
        }
        if (onset && finished > 0) {
          const std::size_t never = finished - reached.size();
          out << (reached.empty() ? "" : "; ") << "never in " << never << " of " << finished
              << " runs (" << share(never, finished) << ")";
        }
        out << "\n";
      }
    }
  }
}

}  // namespace interdep
