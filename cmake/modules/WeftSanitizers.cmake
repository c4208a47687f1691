# Sanitizer and fuzzer instrumentation of Weft's own code.
#
#   WEFT_ENABLE_SANITIZERS  list of -fsanitize= groups, e.g. "address;undefined"
#   WEFT_ENABLE_FUZZERS     build the libFuzzer targets in fuzz/ (clang only);
#                           every Weft library gets coverage instrumentation
#
# Debian's libMLIR.so / libLLVM.so / libz3 / libprotobuf are not instrumented;
# ASan still intercepts their allocations, so heap errors in our code on
# memory they own are found, but errors inside them are not.

set(WEFT_ENABLE_SANITIZERS "" CACHE STRING
    "Sanitizers for Weft's code (a list of -fsanitize= groups: address;undefined)")
option(WEFT_ENABLE_FUZZERS "Build the libFuzzer targets (fuzz/)" OFF)

if(WEFT_ENABLE_SANITIZERS)
  list(JOIN WEFT_ENABLE_SANITIZERS "," weft_sanitize)
  # Undefined behaviour aborts the process instead of printing and going on,
  # so a lit test or a gtest that triggers it fails. vptr needs RTTI, which
  # LLVM code is built without.
  add_compile_options(-fsanitize=${weft_sanitize} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -gline-tables-only)
  add_link_options(-fsanitize=${weft_sanitize})
  if("undefined" IN_LIST WEFT_ENABLE_SANITIZERS)
    add_compile_options(-fno-sanitize=vptr)
  endif()
endif()

if(WEFT_ENABLE_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "WEFT_ENABLE_FUZZERS needs clang (libFuzzer)")
  endif()
  # Coverage feedback from every library the fuzz targets reach; the
  # libFuzzer driver itself is linked only into the targets (fuzz/).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
