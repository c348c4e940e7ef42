# Reads tests/fuzz/targets.txt into the list ORCH_FUZZ_TARGET_NAMES and, per target NAME,
# ORCH_FUZZ_<NAME>_SUFFIX, ORCH_FUZZ_<NAME>_LIBS and ORCH_FUZZ_<NAME>_SEEDS (absolute paths).
# Included by tests/fuzz/tests.cmake (replay ctests) and by the top-level CMakeLists.txt
# when ORCH_FUZZ is on (libFuzzer binaries).
set(ORCH_FUZZ_DIR ${CMAKE_SOURCE_DIR}/tests/fuzz)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${ORCH_FUZZ_DIR}/targets.txt)
file(STRINGS ${ORCH_FUZZ_DIR}/targets.txt fuzz_rows REGEX "^[a-z]")
set(ORCH_FUZZ_TARGET_NAMES "")
foreach(row ${fuzz_rows})
  string(REGEX REPLACE "[ \t]+" ";" fields "${row}")
  list(POP_FRONT fields name suffix libs)
  string(REPLACE "," ";" libs "${libs}")
  set(seeds "")
  foreach(dir ${fields})
    list(APPEND seeds ${CMAKE_SOURCE_DIR}/${dir})
  endforeach()
  list(APPEND ORCH_FUZZ_TARGET_NAMES ${name})
  set(ORCH_FUZZ_${name}_SUFFIX ${suffix})
  set(ORCH_FUZZ_${name}_LIBS ${libs})
  set(ORCH_FUZZ_${name}_SEEDS ${seeds})
endforeach()
