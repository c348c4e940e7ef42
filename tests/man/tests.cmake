# Man pages: groff lint of every page, pages and options matching --help, and
# `cmake --install` placing them in share/man/manN. See tests/man/check_man.py.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(orch_man_check ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/check_man.py)
add_test(NAME man.lint COMMAND ${orch_man_check} lint ${CMAKE_SOURCE_DIR}/man)
add_test(NAME man.coverage
         COMMAND ${orch_man_check} coverage ${CMAKE_SOURCE_DIR}/man --binary $<TARGET_FILE:orchestrator>)
add_test(NAME man.install COMMAND ${orch_man_check} install ${CMAKE_SOURCE_DIR}/man --build ${CMAKE_BINARY_DIR})
set_tests_properties(man.lint man.coverage man.install PROPERTIES LABELS man)
