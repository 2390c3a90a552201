// The self-contained HTML report of a run (`interdep report`, docs/report.md): one file holding
// the page, its script and style, the uPlot charting library and the run's data, which opens in
// a browser with no network access.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "output/run_file/run_reader.hpp"

namespace interdep::report {

// `text` with &, <, >, " and ' replaced by character references, for HTML text and attributes.
std::string html_escape(std::string_view text);

// A page template with each {{name}} replaced by values.at(name). Every placeholder of the
// template must have a value (asserted: a template and its writer are written together); the
// values are not searched for placeholders.
using TemplateValues = std::map<std::string, std::string, std::less<>>;
std::string fill_template(std::string_view page, const TemplateValues& values);

// The whole HTML page for `run` at the frames `shown` (report_frames), compared with `baseline`
// when it is not null. Throws interdep::InputError when the two runs cannot be compared
// (report_data_json).
std::string render_report(const RunFile& run, const RunFile* baseline,
                          const std::vector<std::size_t>& shown);

// Writes `html` to `path` atomically: a temporary file in the same directory, fsync, rename.
// Throws OutputError naming `path` and the failed operation; then nothing is left behind and an
// existing file at `path` is untouched.
void write_report(const std::filesystem::path& path, std::string_view html);

}  // namespace interdep::report
