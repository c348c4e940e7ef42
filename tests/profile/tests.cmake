# `orchestrator profile` and `run --trace-out`: the report's parts and the Chrome trace
# format (one complete event per call, nested under its workflow). See check_profile.py.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME profile.report_and_trace
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/check_profile.py $<TARGET_FILE:orchestrator>
                 ${CMAKE_SOURCE_DIR})
set_tests_properties(profile.report_and_trace PROPERTIES LABELS profile)
