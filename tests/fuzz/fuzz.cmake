# The libFuzzer build (-DORCH_FUZZ=ON, clang only, usually its own build directory):
# every library is compiled with -fsanitize=fuzzer-no-link,address,undefined and every
# target of targets.txt becomes orch_fuzz_NAME. `ninja orch_fuzz_targets` builds them all;
# tests/fuzz/run_fuzz.sh runs them. Included from the top-level CMakeLists.txt before the
# libraries are defined, so the flags reach them; the targets are added at the end.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "ORCH_FUZZ needs clang (libFuzzer): configure with CC=clang CXX=clang++ "
                      "in a separate build directory; the compiler here is ${CMAKE_CXX_COMPILER_ID}")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                    -fno-sanitize-recover=undefined)
add_link_options(-fsanitize=address,undefined)

function(orch_add_fuzz_targets)
  include(${CMAKE_SOURCE_DIR}/tests/fuzz/fuzz_targets.cmake)
  add_custom_target(orch_fuzz_targets)
  foreach(name ${ORCH_FUZZ_TARGET_NAMES})
    add_executable(orch_fuzz_${name} ${ORCH_FUZZ_DIR}/fuzz_${name}.cpp)
    target_link_libraries(orch_fuzz_${name} PRIVATE ${ORCH_FUZZ_${name}_LIBS})
    target_link_options(orch_fuzz_${name} PRIVATE -fsanitize=fuzzer)
    add_dependencies(orch_fuzz_targets orch_fuzz_${name})
  endforeach()
  # The parser's dictionary: the language's vocabulary, generated from the token tables.
  add_executable(orch_fuzz_dict ${ORCH_FUZZ_DIR}/make_dict.cpp)
  target_link_libraries(orch_fuzz_dict PRIVATE orch_grammar)
  add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/fuzz-dicts/parse.dict
                     COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/fuzz-dicts
                     COMMAND orch_fuzz_dict > ${CMAKE_BINARY_DIR}/fuzz-dicts/parse.dict
                     DEPENDS orch_fuzz_dict VERBATIM)
  add_custom_target(orch_fuzz_dicts DEPENDS ${CMAKE_BINARY_DIR}/fuzz-dicts/parse.dict)
  add_dependencies(orch_fuzz_targets orch_fuzz_dicts)
endfunction()
