# orch_jit: the LLVM ORC JIT (runtime/jit) and the lowering it compiles (compiler/codegen).
# ORCH_JIT: ON requires LLVM 14; OFF builds runtime/jit/jit_unavailable.cpp instead, so
# `--jit` says the build has none; unset, it is ON exactly when LLVM 14 is found.
if(NOT DEFINED ORCH_JIT)
  find_package(LLVM 14 CONFIG QUIET HINTS /usr/lib/llvm-14/lib/cmake/llvm)
  if(LLVM_FOUND)
    set(ORCH_JIT ON CACHE BOOL "Build the LLVM ORC JIT backend (needs LLVM 14)")
  else()
    set(ORCH_JIT OFF CACHE BOOL "Build the LLVM ORC JIT backend (needs LLVM 14)")
    message(STATUS "LLVM 14 not found (llvm-14-dev): building without the JIT")
  endif()
elseif(ORCH_JIT)
  find_package(LLVM 14 CONFIG REQUIRED HINTS /usr/lib/llvm-14/lib/cmake/llvm)
endif()

if(ORCH_JIT)
  file(GLOB jit_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/runtime/jit/*.cpp
       ${CMAKE_SOURCE_DIR}/compiler/codegen/*.cpp)
  list(FILTER jit_sources EXCLUDE REGEX "jit_unavailable\\.cpp$")
  add_library(orch_jit STATIC ${jit_sources})
  # LLVM's headers are not ours to keep warning-free; its flags are taken from the CMake
  # package (llvm-config --cxxflags would force C++14 and -fno-exceptions).
  target_include_directories(orch_jit SYSTEM PRIVATE ${LLVM_INCLUDE_DIRS})
  separate_arguments(llvm_definitions NATIVE_COMMAND "${LLVM_DEFINITIONS}")
  target_compile_definitions(orch_jit PRIVATE ${llvm_definitions})
  # LLVM's static component libraries, not libLLVM-14.so: loading and binding that 110 MB
  # library cost every command 30 ms and 45 MB of memory at start-up, --jit or not, while
  # the linker takes from the archives only what the JIT uses. --as-needed drops the shared
  # libraries LLVMSupport names but the JIT never calls (libz3).
  llvm_map_components_to_libnames(llvm_libraries orcjit native passes)
  target_link_libraries(orch_jit PRIVATE ${llvm_libraries})
  target_link_options(orch_jit INTERFACE "LINKER:--as-needed")
  message(STATUS "JIT: LLVM ${LLVM_PACKAGE_VERSION}")
else()
  add_library(orch_jit STATIC ${CMAKE_SOURCE_DIR}/runtime/jit/jit_unavailable.cpp)
endif()
target_link_libraries(orch_jit PUBLIC orch_runtime orch_compiler orch_value fmt::fmt)
add_dependencies(orch_jit orch_version_header)
