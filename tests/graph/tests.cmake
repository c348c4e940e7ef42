# `orchestrator graph`: every example's DOT output renders with Graphviz `dot`. The
# output itself is pinned by the golden suite tests/golden/graph.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME graph.examples_render_with_dot
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/render_dot.py $<TARGET_FILE:orchestrator>
                 ${CMAKE_SOURCE_DIR})
set_tests_properties(graph.examples_render_with_dot PROPERTIES LABELS graph)
