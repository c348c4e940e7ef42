# `orchestrator test`: the report formats checked structurally (TAP 13 with a small
# parser, JUnit XML with xml.etree, the JSON report), and the examples' own tests, which
# must all pass with no server and no configuration. Fixtures are in tests/cli/test/.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME test_command.reports
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/check_reports.py $<TARGET_FILE:orchestrator>
                 ${CMAKE_CURRENT_LIST_DIR}/../cli/test)
add_test(NAME test_command.examples
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/check_examples.py $<TARGET_FILE:orchestrator>
                 ${CMAKE_SOURCE_DIR})
set_tests_properties(test_command.reports test_command.examples PROPERTIES LABELS test_command TIMEOUT 120)
