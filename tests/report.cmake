# interdep report (docs/report.md): the self-contained HTML page. Included from tests/CMakeLists.txt.
# report.browser opens it in headless Chromium through playwright-core (output/report/node_modules,
# installed by tools/install-deps) and compares every shown number with h5py; report.cli_errors
# checks bad input and unwritable targets; report.page what small runs' pages say. The C++ pieces (JSON, escaping, atomic write) are in
# test_report.cpp.
# report.browser is not run under the sanitizers: it times Chromium and Python (41 s of CI's
# second suite); the program's part, writing the page, runs under them in cli.value_damage (each
# damaged copy's report) and report.cli_errors.
set(INTERDEP_REPORT_CASES browser page cli_errors)
if(INTERDEP_SANITIZERS)
  set(INTERDEP_REPORT_CASES cli_errors)
endif()
foreach(case ${INTERDEP_REPORT_CASES})
  add_test(NAME report.${case}
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/report_check.sh ${case} $<TARGET_FILE:interdep>
                   ${PROJECT_SOURCE_DIR})
endforeach()
if(TEST report.browser)
  # Chromium starts in a few seconds but is slower on a busy 2-core machine.
  set_tests_properties(report.browser report.page PROPERTIES TIMEOUT 300)
endif()
