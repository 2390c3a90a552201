# interdep explain / compare (docs/explain-compare.md). Included from tests/CMakeLists.txt. The
# library is tested in test_insight.cpp (part of interdep_tests); these are the command-line smoke
# tests: happy paths and exit status 2 with clear messages for bad input.
foreach(case explain compare explain_errors compare_errors)
  add_test(NAME cli.${case}
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/insight_smoke.sh ${case} $<TARGET_FILE:interdep>
                   ${PROJECT_SOURCE_DIR})
endforeach()
