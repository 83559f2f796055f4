#===- GraftSanitizers.cmake - Sanitizer and fuzzer builds ------------===#
#
# GRAFT_SANITIZERS (a list of address, undefined, leak; or thread alone)
# compiles and links all of Graft's own code, tools, tests and fuzzers with
# those sanitizers.
# GRAFT_BUILD_FUZZERS adds the libFuzzer targets under test/fuzz: the project
# code gets coverage instrumentation (-fsanitize=fuzzer-no-link) and only
# the fuzz executables link libFuzzer's main. libMLIR.so and libLLVM.so are
# not instrumented; see docs/Reliability.md for what that leaves uncovered.
#
# Included from the top-level CMakeLists.txt after HandleLLVMOptions and
# before any target is defined, so the flags reach every target.
#
#===-------------------------------------------------------------------===#

set(GRAFT_SANITIZERS "" CACHE STRING
  "Sanitizers for Graft's code, a list of: address, undefined, leak; or thread")
option(GRAFT_BUILD_FUZZERS "Build the libFuzzer targets in test/fuzz (clang)" OFF)

# The flags a program that links a sanitized libGraft.so needs too; lib/Graft
# adds them to the exported Graft::Graft target.
set(GRAFT_SANITIZER_LINK_FLAGS "")

if((GRAFT_SANITIZERS OR GRAFT_BUILD_FUZZERS) AND
   NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "GRAFT_SANITIZERS and GRAFT_BUILD_FUZZERS need clang "
                      "(found ${CMAKE_CXX_COMPILER_ID})")
endif()

if(GRAFT_SANITIZERS)
  foreach(sanitizer ${GRAFT_SANITIZERS})
    if(NOT sanitizer MATCHES "^(address|undefined|leak|thread)$")
      message(FATAL_ERROR "GRAFT_SANITIZERS: unknown sanitizer '${sanitizer}'"
                          " (expected address, undefined, leak or thread)")
    endif()
  endforeach()
  if("thread" IN_LIST GRAFT_SANITIZERS AND
     ("address" IN_LIST GRAFT_SANITIZERS OR "leak" IN_LIST GRAFT_SANITIZERS))
    message(FATAL_ERROR "GRAFT_SANITIZERS: thread cannot be combined with "
                        "address or leak; use a separate build dir")
  endif()
  string(REPLACE ";" "," sanitizer_list "${GRAFT_SANITIZERS}")
  message(STATUS "Graft: building with -fsanitize=${sanitizer_list}")
  set(GRAFT_SANITIZER_LINK_FLAGS "-fsanitize=${sanitizer_list}")
  add_compile_options(
    -fsanitize=${sanitizer_list}
    -fno-omit-frame-pointer
    # Line tables only: symbolized reports at a small fraction of -g's cost.
    -gline-tables-only)
  if("undefined" IN_LIST GRAFT_SANITIZERS)
    # Undefined behaviour is an error, not a warning that scrolls by. The
    # function check is off because Graft calls JIT-compiled code through
    # plain function pointers, and the check reads a type signature in front
    # of the callee that only instrumented functions carry.
    add_compile_options(-fno-sanitize-recover=undefined
                        -fno-sanitize=function)
  endif()
  add_link_options(${GRAFT_SANITIZER_LINK_FLAGS})
  # HandleLLVMOptions links shared libraries with -z defs; a sanitized
  # libGraft.so leaves the runtime's symbols to the executable, as LLVM's own
  # sanitizer builds do.
  string(REPLACE "-Wl,-z,defs" "" CMAKE_SHARED_LINKER_FLAGS
         "${CMAKE_SHARED_LINKER_FLAGS}")
endif()

if(GRAFT_BUILD_FUZZERS)
  message(STATUS "Graft: building the fuzz targets in test/fuzz")
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
