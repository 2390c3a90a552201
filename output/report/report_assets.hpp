// The files compiled into the report program (generated into report_assets.cpp at build time by
// output/report/embed_assets.cmake; output/report/CMakeLists.txt lists them): the page template
// and its own CSS/JS (output/report/page/), and the uPlot charting library from npm.
#pragma once

#include <string_view>

namespace interdep::report::assets {

extern const std::string_view page_template;          // page/report.html, with {{placeholders}}
extern const std::string_view page_style;             // page/report.css
extern const std::string_view page_script;            // page/report.js
extern const std::string_view chart_library_script;   // node_modules/uplot/dist/uPlot.iife.min.js
extern const std::string_view chart_library_style;    // node_modules/uplot/dist/uPlot.min.css
extern const std::string_view chart_library_license;  // node_modules/uplot/LICENSE (MIT)

}  // namespace interdep::report::assets
