# Every examples/*.orch runs end to end against real servers (one ctest each, label
# `examples`), with its output compared to tests/examples/NAME.stdout[.regex].
find_package(Python3 REQUIRED COMPONENTS Interpreter)
file(GLOB orch_examples CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/examples/*.orch)
foreach(example ${orch_examples})
  get_filename_component(name ${example} NAME_WE)
  add_test(NAME examples.${name}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run_example.py $<TARGET_FILE:orchestrator>
                   ${CMAKE_SOURCE_DIR} ${name})
  set_tests_properties(examples.${name} PROPERTIES LABELS examples TIMEOUT 180)
endforeach()
