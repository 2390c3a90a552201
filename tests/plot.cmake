# tools/plot (docs/plotting.md): figures drawn from real runs, checked against the files.
# Needs Debian's python3-h5py and python3-matplotlib (tools/install-deps), run as /usr/bin/python3.
# Not under the sanitizers: the figures are drawn by Python (135 s of CI's second suite), and
# the program's runs that feed them run under the sanitizers in the cli cases.
if(INTERDEP_SANITIZERS)
  return()
endif()
foreach(case trajectories ensemble heatmap network errors damaged)
  add_test(NAME plot.${case}
           COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/plot_check.sh ${case} $<TARGET_FILE:interdep>
                   ${PROJECT_SOURCE_DIR})
endforeach()
