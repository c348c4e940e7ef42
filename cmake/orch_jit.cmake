# orch_jit: the JIT. ORCH_JIT ON requires LLVM 14; unset, it is ON exactly when LLVM 14 is
# found. The LLVM side (runtime/jit/jit.cpp, the object cache and compiler/codegen) is the
# loadable module `orchestrator-jit.so`, built beside the binary and installed in
# lib/orchestrator; the binary links only the small loader (runtime/jit/jit_loader.cpp),
# which loads the module the first time a command uses the JIT. Linking LLVM into the binary
# instead cost every command, --jit or not, about 5 ms and 20 MB at start-up (relocating
# and binding LLVM's code), and 30 ms and 45 MB with the shared libLLVM-14.so.
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

# The object cache (no LLVM in it): one archive for the module and for the unit tests, which
# use it directly through orch_jit. Position-independent, as the module links it.
add_library(orch_jit_cache STATIC ${CMAKE_SOURCE_DIR}/runtime/jit/object_cache.cpp)
set_target_properties(orch_jit_cache PROPERTIES POSITION_INDEPENDENT_CODE ON)
target_link_libraries(orch_jit_cache PUBLIC fmt::fmt)

# The loader.
add_library(orch_jit STATIC ${CMAKE_SOURCE_DIR}/runtime/jit/jit_loader.cpp)
target_link_libraries(orch_jit PUBLIC orch_runtime orch_compiler orch_value orch_jit_cache fmt::fmt ${CMAKE_DL_LIBS})
add_dependencies(orch_jit orch_version_header)

if(ORCH_JIT)
  set(ORCH_JIT_MODULE_FILE orchestrator-jit.so)
  set(ORCH_JIT_MODULE_INSTALL_DIR lib/orchestrator)
  set(jit_module_sources ${CMAKE_SOURCE_DIR}/runtime/jit/jit.cpp ${CMAKE_SOURCE_DIR}/compiler/codegen/lower_to_llvm.cpp)
  if(ORCH_SANITIZE)
    # Sanitizer builds link the JIT into the binary instead: with the module loaded by
    # dlopen, LeakSanitizer's exit-time check crashed now and then ("Tracer caught signal
    # 11") in runs that used the JIT. The loader still honours ORCH_JIT_MODULE.
    add_library(orch_jit_module STATIC ${jit_module_sources})
  else()
    add_library(orch_jit_module MODULE ${jit_module_sources})
    set_target_properties(orch_jit_module PROPERTIES OUTPUT_NAME orchestrator-jit PREFIX "" SUFFIX .so
                          LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/cli)
  endif()
  add_dependencies(orch_jit_module orch_version_header)
  # LLVM's headers are not ours to keep warning-free; its flags are taken from the CMake
  # package (llvm-config --cxxflags would force C++14 and -fno-exceptions).
  target_include_directories(orch_jit_module SYSTEM PRIVATE ${LLVM_INCLUDE_DIRS})
  separate_arguments(llvm_definitions NATIVE_COMMAND "${LLVM_DEFINITIONS}")
  target_compile_definitions(orch_jit_module PRIVATE ${llvm_definitions})
  # LLVM's static component libraries: the linker takes only what the JIT uses, and
  # --exclude-libs keeps their symbols out of the module's exports. --as-needed drops the
  # shared libraries LLVMSupport names but the JIT never calls (libz3). Nothing of the
  # binary is linked in: what the module needs from it comes through HostServices.
  llvm_map_components_to_libnames(llvm_libraries orcjit native passes)
  target_link_libraries(orch_jit_module PRIVATE orch_jit_cache ${llvm_libraries} fmt::fmt)
  if(ORCH_SANITIZE)
    target_link_libraries(orch_jit PUBLIC orch_jit_module)
    target_link_options(orch_jit INTERFACE "LINKER:--as-needed")
    target_compile_definitions(orch_jit PRIVATE ORCH_JIT_LINKED_IN=1)
  else()
    target_link_options(orch_jit_module PRIVATE "LINKER:--as-needed" "LINKER:--exclude-libs,ALL"
                        "LINKER:--no-undefined")
    install(TARGETS orch_jit_module LIBRARY DESTINATION ${ORCH_JIT_MODULE_INSTALL_DIR})
    # Whatever links the loader gets the module built too.
    add_dependencies(orch_jit orch_jit_module)
  endif()
  target_compile_definitions(orch_jit PRIVATE ORCH_JIT_MODULE_FILE="${ORCH_JIT_MODULE_FILE}"
    ORCH_JIT_MODULE_INSTALL_DIR="../${ORCH_JIT_MODULE_INSTALL_DIR}"
    ORCH_JIT_MODULE_BUILD_PATH="${CMAKE_BINARY_DIR}/cli/${ORCH_JIT_MODULE_FILE}")
  message(STATUS "JIT: LLVM ${LLVM_PACKAGE_VERSION}, module ${ORCH_JIT_MODULE_FILE}")
endif()
