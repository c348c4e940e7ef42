# Fails when a committed editor grammar under grammar/editors/ differs from what the
# built binary generates. Usage:
#   cmake -DORCH=orchestrator -DFORMAT=vim -DFILE=grammar/editors/orch.vim -P check_editor_grammar.cmake
execute_process(COMMAND ${ORCH} grammar --format ${FORMAT}
                OUTPUT_VARIABLE generated RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "`orchestrator grammar --format ${FORMAT}` exited with ${rc}")
endif()
file(READ ${FILE} committed)
if(NOT generated STREQUAL committed)
  message(FATAL_ERROR "${FILE} is stale: it differs from `orchestrator grammar --format ${FORMAT}`.\n"
                      "Regenerate with: ninja -C <build> update_editor_grammars\n"
                      "  (or: orchestrator grammar --format ${FORMAT} -o ${FILE})")
endif()
