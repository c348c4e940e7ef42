# `orchestrator fmt` is idempotent and keeps the meaning of every golden and example.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME fmt_roundtrip
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/fmt_roundtrip.py $<TARGET_FILE:orchestrator>
          ${CMAKE_SOURCE_DIR}/tests/golden ${CMAKE_SOURCE_DIR}/examples)
set_tests_properties(fmt_roundtrip PROPERTIES TIMEOUT 300)

# The examples are what users copy: they stay in the layout `fmt` writes.
file(GLOB orch_example_files ${CMAKE_SOURCE_DIR}/examples/*.orch)
add_test(NAME fmt.examples_are_formatted COMMAND orchestrator fmt --check ${orch_example_files})
