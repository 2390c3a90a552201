#include "tools/lab/lab_page.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "engine/run/trajectory.hpp"
#include "engine/run/version.hpp"
#include "engine/scenario/errors.hpp"
#include "engine/scenario/scenario_loader.hpp"
#include "models/registry.hpp"
#include "output/report/json_writer.hpp"
#include "output/report/report_assets.hpp"
#include "output/report/report_writer.hpp"
#include "tools/lab/lab_assets.hpp"

namespace interdep::lab {
namespace {

// A script inlined into the page must not hold "</script" (it would end the element): written
// as "<\/script", the same in JavaScript's strings and regular expressions, where it can occur.
std::string inline_script(std::string_view script) {
  std::string out(script);
  for (std::size_t at = 0; (at = out.find("</", at)) != std::string::npos; at += 3) {
    std::string tag = out.substr(at + 2, 6);
    std::transform(tag.begin(), tag.end(), tag.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (tag == "script") out.replace(at, 2, "<\\/");
  }
  return out;
}

// RFC 4648 base64, for the module's bytes in the page (the script decodes it with atob).
std::string base64(std::string_view bytes) {
  static constexpr char kDigits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const auto byte = [&](std::size_t k) {
      return k < bytes.size() ? static_cast<unsigned>(static_cast<unsigned char>(bytes[k])) : 0u;
    };
    const unsigned group = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out.push_back(kDigits[group >> 18 & 63]);
    out.push_back(kDigits[group >> 12 & 63]);
    out.push_back(i + 1 < bytes.size() ? kDigits[group >> 6 & 63] : '=');
    out.push_back(i + 2 < bytes.size() ? kDigits[group & 63] : '=');
  }
  return out;
}

}  // namespace

bool has_engine() { return !assets::engine_script.empty() && !assets::engine_wasm.empty(); }

LabScenario read_lab_scenario(const std::filesystem::path& file) {
  const ScenarioSpec spec = load_scenario(file);
  check_model(spec);
  // The page runs the world in the browser at every setting: the engine's WebAssembly memory
  // (which ends at 2 GiB) holds a run's frames twice, the run and the copy it hands the page. A
  // world that would not fit is refused here, not by "std::bad_alloc" in the page.
  const std::size_t terms = make_model(spec)->term_names().size();
  const std::uint64_t state = Trajectory::state_bytes(spec, terms);
  check_run_size(spec, state + 2 * (Trajectory::bytes_needed(spec, terms) - state), kLabRunBytes,
                 "the lab runs every setting in the browser, whose engine has at most 2 GiB "
                 "and holds a run's frames twice: model fewer actors or years, record fewer "
                 "frames ([output] every) or no contributions, or run it with `interdep run`");
  // The page holds the merged text alone: it must load without the files around it.
  try {
    (void)load_scenario_text(spec.resolved_text, file.string() + " (merged)",
                             std::filesystem::path("/nonexistent-interdep-lab-folder"));
  } catch (const InputError& e) {
    throw InputError(SourcePosition{file.string(), 0, 0}, e.key(),
                     "the lab holds each scenario as one merged text, and this one needs other "
                     "files (" +
                         e.message() + ")");
  }
  return LabScenario{file.stem().string(), file.string(),      spec.name,
                     spec.description,     spec.resolved_text, spec.actor_count()};
}

std::string lab_page(const std::vector<LabScenario>& scenarios, const std::string& baseline) {
  report::JsonWriter json;
  json.begin_object().key("baseline").value(baseline).key("version").value(kEngineVersion);
  json.key("scenarios").begin_array();
  for (const LabScenario& s : scenarios) {
    json.begin_object().key("id").value(s.id).key("file").value(s.file);
    json.key("name").value(s.name).key("description").value(s.description);
    json.key("text").value(s.text).end_object();
  }
  json.end_array().end_object();
  const report::TemplateValues values{
      {"data", json.text()},
      {"version", report::html_escape(kEngineVersion)},
      {"chart_library_style", std::string(report::assets::chart_library_style)},
      {"chart_library_script", inline_script(report::assets::chart_library_script)},
      {"chart_library_license", report::html_escape(report::assets::chart_library_license)},
      {"page_style", std::string(assets::page_style)},
      {"page_script", inline_script(assets::page_script)},
      {"engine_script", inline_script(assets::engine_script)},
      {"engine_wasm", base64(assets::engine_wasm)},
  };
  return report::fill_template(assets::page_template, values);
}

}  // namespace interdep::lab
