# interdep lab (docs/lab.md): the what-if lab in one HTML file. Included from
# tests/CMakeLists.txt when the program carries the lab's engine (INTERDEP_LAB). lab.browser
# uses the page in headless Chromium and holds its numbers against the native engine; lab.cli
# checks bad input and unwritable targets; lab.baselines what the page compares with a baseline of
# another period or other actors; lab.refusals how the page names a setting the engine refuses.
if(INTERDEP_LAB)
  foreach(case browser baselines refusals cli)
    add_test(NAME lab.${case}
             COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/lab_check.sh ${case} $<TARGET_FILE:interdep>
                     ${PROJECT_SOURCE_DIR})
  endforeach()
  set_tests_properties(lab.browser lab.baselines lab.refusals PROPERTIES TIMEOUT 300)
endif()
