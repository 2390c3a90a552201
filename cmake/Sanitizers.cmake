# interdep::sanitizers — an INTERFACE target that switches on the sanitizers named in
# INTERDEP_SANITIZERS (e.g. "address,undefined"). Empty: no flags.
add_library(interdep_sanitizers INTERFACE)
add_library(interdep::sanitizers ALIAS interdep_sanitizers)
if(INTERDEP_SANITIZERS)
  target_compile_options(interdep_sanitizers INTERFACE
    -fsanitize=${INTERDEP_SANITIZERS} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(interdep_sanitizers INTERFACE -fsanitize=${INTERDEP_SANITIZERS})
endif()
