# Teaching scenarios (scenarios/teaching/, lesson notes in docs/teaching/). The Catch2 tests are
# in test_teaching.cpp (part of interdep_tests); this adds the command-line smoke test: every
# example validates and runs with the interdep binary, as the lesson notes run it.
add_test(NAME teaching.scenarios_run
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/teaching_smoke.sh $<TARGET_FILE:interdep>
                 ${PROJECT_SOURCE_DIR})
