# interdep::warnings — an INTERFACE target carrying the project's warning flags.
add_library(interdep_warnings INTERFACE)
add_library(interdep::warnings ALIAS interdep_warnings)
target_compile_options(interdep_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion -Wnull-dereference
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(INTERDEP_WARNINGS_AS_ERRORS)
  target_compile_options(interdep_warnings INTERFACE -Werror)
endif()
