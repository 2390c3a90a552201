# interdep report (docs/report.md): the self-contained HTML page. Included from tests/CMakeLists.txt.
# report.browser opens it in headless Chromium through playwright-core (output/report/node_modules,
# installed by tools/install-deps) and compares every shown number with h5py; report.cli_errors
# checks bad input and unwritable targets. The C++ pieces (JSON, escaping, atomic write) are in
# test_report.cpp.
foreach(case browser cli_errors)
  add_test(NAME report.${case}
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/report_check.sh ${case} $<TARGET_FILE:interdep>
                   ${PROJECT_SOURCE_DIR})
endforeach()
# Chromium starts in a few seconds but is slower under the sanitizers' build of interdep and on a
# busy 2-core machine.
set_tests_properties(report.browser PROPERTIES TIMEOUT 300)
