# Routing tests on the built binary: accuracy on the development sets against floors and
# against plain BM25, learning from corrections on held-out requests, and the bad inputs
# of issue 6. See tests/route/run_route_tests.py; CLI output checks are the .test files in
# tests/route/cli/, run by the CLI layer's runner.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(orch_route_dir ${CMAKE_CURRENT_LIST_DIR})
foreach(case eval_azure eval_metatool feedback_learning tune_saves_weights bad_inputs follow_up index_cache)
  add_test(NAME route.${case}
           COMMAND ${Python3_EXECUTABLE} ${orch_route_dir}/run_route_tests.py --binary $<TARGET_FILE:orchestrator> ${case})
  set_tests_properties(route.${case} PROPERTIES LABELS route TIMEOUT 300)
endforeach()

file(GLOB orch_route_cli_tests CONFIGURE_DEPENDS ${orch_route_dir}/cli/*.test)
foreach(test_file ${orch_route_cli_tests})
  get_filename_component(name ${test_file} NAME_WE)
  add_test(NAME route.cli.${name}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/cli/run_cli_test.py
                   --binary $<TARGET_FILE:orchestrator> ${test_file})
  set_tests_properties(route.cli.${name} PROPERTIES LABELS route)
endforeach()
