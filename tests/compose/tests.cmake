# `orchestrator compose` end to end (tests/compose/run_compose_tests.py): composed files are
# checked by `check` and `fmt --check`, JSON round trips, descriptions, and the `llm:`
# endpoint played by a local HTTP server (good, garbage, non-checking, failing and slow
# answers). CLI output checks are the .test files in tests/compose/project/ (run there, on its lock).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(orch_compose_dir ${CMAKE_CURRENT_LIST_DIR})
foreach(case tools json text llm live errors)
  add_test(NAME compose.${case}
           COMMAND ${Python3_EXECUTABLE} ${orch_compose_dir}/run_compose_tests.py --binary $<TARGET_FILE:orchestrator> ${case})
  set_tests_properties(compose.${case} PROPERTIES LABELS compose TIMEOUT 180)
endforeach()

file(GLOB orch_compose_cli_tests CONFIGURE_DEPENDS ${orch_compose_dir}/project/*.test)
foreach(test_file ${orch_compose_cli_tests})
  get_filename_component(name ${test_file} NAME_WE)
  add_test(NAME compose.cli.${name}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/cli/run_cli_test.py
                   --binary $<TARGET_FILE:orchestrator> ${test_file})
  set_tests_properties(compose.cli.${name} PROPERTIES LABELS compose)
endforeach()
