# Writes secretscan(1) from docs/man/secretscan.1.in, with the COMMANDS and OPTIONS sections that
# `secretscan manpage` prints from the command line's definition (src/cli/docgen.cpp).
# Usage: cmake -DBINARY=... -DIN=... -DOUT=... -DVERSION=... -P ManPage.cmake
# The page holds @VERSION@-style placeholders: CMP0053 NEW keeps CMake from expanding them in
# the REPLACE patterns below.
cmake_policy(SET CMP0053 NEW)
execute_process(COMMAND ${BINARY} manpage OUTPUT_VARIABLE generated RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${BINARY} manpage failed (${status})")
endif()
file(READ ${IN} page)
string(REPLACE "@GENERATED@\n" "${generated}" page "${page}")
string(REPLACE "@VERSION@" "${VERSION}" page "${page}")
file(WRITE ${OUT} "${page}")
