# CLI tests: every tests/cli/**/NAME.test runs the built binary (one ctest each, named
# cli.<path>.<NAME>), and cli.help_pins checks that the --help of every subcommand listed
# by `orchestrator --help` is pinned in tests/cli/help/. See tests/cli/README.md.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(orch_cli_dir ${CMAKE_CURRENT_LIST_DIR})
set(orch_cli_runner ${Python3_EXECUTABLE} ${orch_cli_dir}/run_cli_test.py --binary $<TARGET_FILE:orchestrator>)

file(GLOB_RECURSE orch_cli_tests CONFIGURE_DEPENDS ${orch_cli_dir}/*.test)
foreach(test_file ${orch_cli_tests})
  file(RELATIVE_PATH rel ${orch_cli_dir} ${test_file})
  string(REGEX REPLACE "\\.test$" "" rel "${rel}")
  string(REPLACE "/" "." rel "${rel}")
  add_test(NAME cli.${rel} COMMAND ${orch_cli_runner} ${test_file})
  set_tests_properties(cli.${rel} PROPERTIES LABELS cli)
endforeach()

add_test(NAME cli.help_pins COMMAND ${orch_cli_runner} --help-pins ${orch_cli_dir}/help)
set_tests_properties(cli.help_pins PROPERTIES LABELS cli)

# `tools lock` of one ad-hoc server keeps the lock's other entries; a corrupt lock is kept.
add_test(NAME cli.tools.lock_partial
         COMMAND ${Python3_EXECUTABLE} ${orch_cli_dir}/tools/lock_partial.py $<TARGET_FILE:orchestrator>)
set_tests_properties(cli.tools.lock_partial PROPERTIES LABELS cli TIMEOUT 120)
