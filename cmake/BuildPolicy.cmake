# Build policy as an interface target: every project target links it.
add_library(secretscan_build_policy INTERFACE)
target_compile_options(secretscan_build_policy INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
  -Wimplicit-fallthrough)
if(SECRETSCAN_WERROR)
  target_compile_options(secretscan_build_policy INTERFACE -Werror)
endif()
if(SECRETSCAN_SANITIZE)
  target_compile_options(secretscan_build_policy INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(secretscan_build_policy INTERFACE -fsanitize=address,undefined)
endif()
