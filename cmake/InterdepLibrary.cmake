# interdep_library(<name> SOURCES <file>... [LINKS <target>...] [PRIVATE_LINKS <target>...])
#
# One layer of the stack (docs/architecture.md): the static library interdep_<name> with the
# namespaced alias interdep::<name>, the project root on its include path (includes name their
# folder: "engine/run/state.hpp"), the project's warnings, and the sanitizers for it and every
# user. LINKS are part of its interface (its headers include theirs); PRIVATE_LINKS are not.
# tools/check_layers.py reads these calls: an include must name a library listed here.
function(interdep_library name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;LINKS;PRIVATE_LINKS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "interdep_library(${name}): unexpected arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  add_library(interdep_${name} STATIC ${arg_SOURCES})
  add_library(interdep::${name} ALIAS interdep_${name})
  # Installed as interdep::<name> too (find_package(interdep)), with its headers under
  # PREFIX/include/interdep in the same folders.
  set_target_properties(interdep_${name} PROPERTIES EXPORT_NAME ${name})
  set_property(GLOBAL APPEND PROPERTY INTERDEP_LIBRARIES interdep_${name})
  target_include_directories(interdep_${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}> $<INSTALL_INTERFACE:include/interdep>)
  target_link_libraries(interdep_${name}
    PUBLIC ${arg_LINKS} interdep::sanitizers
    PRIVATE ${arg_PRIVATE_LINKS} interdep::warnings)
endfunction()
