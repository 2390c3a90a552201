#include "output/report/report_writer.hpp"

#include <cassert>
#include <map>

#include "output/hdf5/hdf5_handle.hpp"
#include "output/hdf5/read_fault.hpp"
#include "output/report/report_assets.hpp"
#include "output/report/report_data.hpp"

namespace interdep::report {

namespace fs = std::filesystem;

namespace {

// Text placed inside a <script> or <style> element ends the element at the first "</script" or
// "</style" (any case). "<\/" reads the same inside a JavaScript string or regular expression,
// the only places such text can occur in a script; in CSS it can only occur in strings too.
std::string raw_text_element_content(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t k = 0; k < text.size(); ++k) {
    if (text[k] == '<' && k + 1 < text.size() && text[k + 1] == '/') {
      const std::string_view rest = text.substr(k + 2, 6);
      std::string lower;
      for (const char c : rest)
        lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
      if (lower.rfind("script", 0) == 0 || lower.rfind("style", 0) == 0) {
        out.append("<\\/");
        ++k;
        continue;
      }
    }
    out.push_back(text[k]);
  }
  return out;
}

}  // namespace

std::string fill_template(std::string_view page, const TemplateValues& values) {
  std::string out;
  std::size_t size = page.size();
  for (const auto& [name, value] : values) size += value.size();
  out.reserve(size);
  std::size_t position = 0;
  while (true) {
    const std::size_t open = page.find("{{", position);
    if (open == std::string_view::npos) break;
    const std::size_t close = page.find("}}", open + 2);
    assert(close != std::string_view::npos && "unclosed {{ in a page template");
    const std::string_view name = page.substr(open + 2, close - open - 2);
    const auto found = values.find(name);
    assert(found != values.end() && "page template placeholder without a value");
    out.append(page.substr(position, open - position)).append(found->second);
    position = close + 2;
  }
  out.append(page.substr(position));
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out.append("&amp;"); break;
      case '<': out.append("&lt;"); break;
      case '>': out.append("&gt;"); break;
      case '"': out.append("&quot;"); break;
      case '\'': out.append("&#39;"); break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string render_report(const RunFile& run, const RunFile* baseline,
                          const std::vector<std::size_t>& shown) {
  std::map<std::string, std::string, std::less<>> values;
  values["scenario_name"] = html_escape(run_label(run.metadata, run.scenario_name));
  values["scenario_description"] = html_escape(run.scenario_description);
  values["result_file"] = html_escape(run.path.filename().string());
  values["scenario_file"] = html_escape(run.scenario_file);
  values["seed"] = std::to_string(run.metadata.seed);
  values["engine_version"] = html_escape(run.metadata.engine_version);
  values["model"] = html_escape(run.metadata.model);
  values["created"] = html_escape(run.metadata.created);
  values["baseline"] = baseline == nullptr
                           ? std::string("none")
                           : html_escape(run_label(baseline->metadata, baseline->scenario_name) +
                                         " (" + baseline->path.filename().string() + ", seed " +
                                         std::to_string(baseline->metadata.seed) + ")");
  values["scenario_text"] = html_escape(run.scenario_text);
  values["chart_library_version"] = INTERDEP_CHART_LIBRARY_VERSION;
  values["chart_library_license"] = html_escape(assets::chart_library_license);
  values["chart_library_style"] = raw_text_element_content(assets::chart_library_style);
  values["page_style"] = raw_text_element_content(assets::page_style);
  values["chart_library_script"] = raw_text_element_content(assets::chart_library_script);
  values["page_script"] = raw_text_element_content(assets::page_script);
  // json_string writes every '<' as \u003c, so the data cannot end its element either.
  values["data"] = report_data_json(run, baseline, shown);
  return fill_template(assets::page_template, values);
}

void write_report(const fs::path& path, std::string_view html) {
  // A signal while the page is put in place is acted on after it: the page is then complete,
  // and said to be (it was "no output was written", with the page in place).
  const h5::CommitSection put_in_place;
  h5::atomic_write_text(path, "write the report", html);
}

}  // namespace interdep::report
