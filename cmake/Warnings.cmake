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
# GCC 12 (Debian 12's) warns of overlapping copies inside std::string's operator+ where there
# are none (GCC bug 105329, "-Wrestrict false positive with -O2 and std::string"; fixed in 13):
# every such report in a Release build was that one, in libstdc++'s char_traits.h. Off for GCC
# 12 only, so that a real overlap is still reported by other compilers and versions.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(interdep_warnings INTERFACE -Wno-restrict)
endif()
