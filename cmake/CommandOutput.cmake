# Writes the standard output of `BINARY COMMAND ARG` to OUT, failing the build if it fails.
# Usage: cmake -DBINARY=... -DCOMMAND=completion -DARG=bash -DOUT=... -P CommandOutput.cmake
execute_process(COMMAND ${BINARY} ${COMMAND} ${ARG} OUTPUT_FILE ${OUT} RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${BINARY} ${COMMAND} ${ARG} failed (${status})")
endif()
