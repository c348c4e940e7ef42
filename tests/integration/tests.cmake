# Integration tests of the MCP client: real child processes (the pinned npm servers from
# tests/node_modules and the misbehaving fixture servers in tests/fixtures/servers), one
# doctest binary, one ctest per test case (label `integration`).
file(GLOB orch_integration_sources CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_LIST_DIR}/main.cpp
  ${CMAKE_CURRENT_LIST_DIR}/client_*.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stdio_*.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pool_*.cpp)
add_executable(orch_integration_tests ${orch_integration_sources})
target_link_libraries(orch_integration_tests PRIVATE orch_runtime orch_compiler orch_value doctest::doctest fmt::fmt)
target_compile_definitions(orch_integration_tests PRIVATE ORCH_TESTS_DIR="${CMAKE_SOURCE_DIR}/tests")
doctest_discover_tests(orch_integration_tests TEST_PREFIX "integration." PROPERTIES LABELS integration TIMEOUT 120)
