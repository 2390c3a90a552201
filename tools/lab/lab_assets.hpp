// The files compiled into the program for `interdep lab` (generated into lab_assets.cpp at build
// time by output/report/embed_assets.cmake; tools/lab/CMakeLists.txt lists them). The charting
// library is the report's (output/report/report_assets.hpp).
#pragma once

#include <string_view>

namespace interdep::lab::assets {

extern const std::string_view page_template;  // page/lab.html, with {{placeholders}}
extern const std::string_view page_style;     // page/lab.css
extern const std::string_view page_script;    // page/lab.js
// The engine (empty when the program was built without em++): the WebAssembly module and the
// JavaScript that loads it.
extern const std::string_view engine_script;  // lab_core.js
extern const std::string_view engine_wasm;    // lab_core.wasm

}  // namespace interdep::lab::assets
