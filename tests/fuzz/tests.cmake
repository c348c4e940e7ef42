# Fuzz targets in ordinary builds: each target of targets.txt is linked with a replay
# driver (no libFuzzer, any compiler) and replays its seeds and past failures as a ctest,
# so the Release and ASan runs of CI check them too. The libFuzzer build itself is
# fuzz.cmake (clang, -DORCH_FUZZ=ON); see tests/fuzz/README.md.
include(${CMAKE_CURRENT_LIST_DIR}/fuzz_targets.cmake)
foreach(name ${ORCH_FUZZ_TARGET_NAMES})
  add_executable(orch_fuzz_replay_${name} ${ORCH_FUZZ_DIR}/fuzz_${name}.cpp ${ORCH_FUZZ_DIR}/replay_main.cpp)
  target_link_libraries(orch_fuzz_replay_${name} PRIVATE ${ORCH_FUZZ_${name}_LIBS})
  add_test(NAME fuzz.${name}.replay
           COMMAND orch_fuzz_replay_${name} --suffix ${ORCH_FUZZ_${name}_SUFFIX} ${ORCH_FUZZ_${name}_SEEDS}
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
  set_tests_properties(fuzz.${name}.replay PROPERTIES LABELS fuzz)
endforeach()
