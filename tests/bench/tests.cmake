# Benchmarks do not time anything in the test suite (speed is reported by bench/*/run.py);
# these tests only keep the benchmark inputs valid, so a benchmark cannot rot unnoticed.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
# bench/parse: a 500-line program from gen_program.py passes `orchestrator check` with no
# diagnostic at all, and the Python/JSON comparison inputs parse.
add_test(NAME bench.parse_program_checks_cleanly
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/bench/parse/run.py
                 --binary $<TARGET_FILE:orchestrator> --smoke --lines 500)
set_tests_properties(bench.parse_program_checks_cleanly PROPERTIES LABELS bench TIMEOUT 60)
# bench/interp: echo_loop.orch runs without a diagnostic and transform.orch gives jq's
# result on 2,000 generated records (jq is a test dependency).
add_test(NAME bench.interp_workflows_match_jq
         COMMAND ${Python3_EXECUTABLE} ${CMAKE_SOURCE_DIR}/bench/interp/run.py --smoke $<TARGET_FILE:orchestrator>)
set_tests_properties(bench.interp_workflows_match_jq PROPERTIES LABELS bench TIMEOUT 60)
