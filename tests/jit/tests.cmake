# The JIT against the interpreter (issue 8): every example, every golden `run` program, every
# file with tests and the edge-case programs of tests/jit/programs run both ways and must
# print the same output and errors and exit with the same code (run_equivalence.py; one
# ctest per group, label `jit`), and so must random programs (random_programs.py). bench/jit's
# smoke run checks the benchmark programs the same way. Registered only in a build with the JIT (ORCH_JIT, set by the top-level CMakeLists).
if(ORCH_JIT)
  find_package(Python3 REQUIRED COMPONENTS Interpreter)
  foreach(group examples golden tests programs)
    add_test(NAME jit.equivalence.${group}
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run_equivalence.py $<TARGET_FILE:orchestrator>
                     ${CMAKE_SOURCE_DIR} ${group})
    set_tests_properties(jit.equivalence.${group} PROPERTIES LABELS jit TIMEOUT 600)
  endforeach()
  # 150 random well-typed programs (fixed seed) of native arithmetic, loops and branches mixed
  # with steps the interpreter runs: same output, errors and exit code both ways.
  add_test(NAME jit.equivalence.random
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/random_programs.py $<TARGET_FILE:orchestrator>
                   --seed 1 --count 150)
  set_tests_properties(jit.equivalence.random PROPERTIES LABELS jit TIMEOUT 600)
  # bench/jit: numeric.orch, transform.orch (2,000 records) and a generated 200-step
  # workflow give the interpreter's output under --jit, and --jit-stats prints its line.
  add_test(NAME bench.jit_matches_interpreter
           COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/bench/jit/run.py --smoke $<TARGET_FILE:orchestrator>)
  set_tests_properties(bench.jit_matches_interpreter PROPERTIES LABELS "bench;jit" TIMEOUT 120)
endif()
