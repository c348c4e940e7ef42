# Golden tests: one ctest per suite folder of tests/golden holding .orch files, named
# golden.<suite>, run by run_golden.py (NAME.orch → NAME.stdout / NAME.stderr / exit code).
# Rewrite expected files with: ORCH_UPDATE_GOLDENS=1 ctest --test-dir build -R golden
find_package(Python3 REQUIRED COMPONENTS Interpreter)
file(GLOB orch_golden_entries LIST_DIRECTORIES true CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*)
foreach(entry ${orch_golden_entries})
  if(IS_DIRECTORY ${entry})
    file(GLOB orch_golden_files CONFIGURE_DEPENDS ${entry}/*.orch)
    if(orch_golden_files)
      get_filename_component(suite ${entry} NAME)
      add_test(NAME golden.${suite}
               COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/run_golden.py
                       $<TARGET_FILE:orchestrator> ${entry})
      set_tests_properties(golden.${suite} PROPERTIES LABELS golden)
    endif()
  endif()
endforeach()
