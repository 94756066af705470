# Build policy as an interface target: every project target links it.
add_library(secretscan_build_policy INTERFACE)
target_compile_options(secretscan_build_policy INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
  -Wimplicit-fallthrough)
# GCC 12 warns -Wrestrict inside libstdc++'s own string code at -O2 and above (GCC bug 105329,
# fixed in GCC 13): noise in every optimised build, and an error under -Werror.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(secretscan_build_policy INTERFACE -Wno-restrict)
endif()
if(SECRETSCAN_WERROR)
  target_compile_options(secretscan_build_policy INTERFACE -Werror)
endif()
if(SECRETSCAN_SANITIZE)
  target_compile_options(secretscan_build_policy INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(secretscan_build_policy INTERFACE -fsanitize=address,undefined)
endif()
# Fuzzing (tests/fuzz, clang only): every project library and tool is instrumented for libFuzzer's
# coverage and built with ASan and UBSan; only the fuzz targets link libFuzzer itself
# (-fsanitize=fuzzer brings its own main, which the build-time generators must not get).
if(SECRETSCAN_FUZZ)
  target_compile_options(secretscan_build_policy INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(secretscan_build_policy INTERFACE -fsanitize=address,undefined)
endif()
