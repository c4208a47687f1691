# Helpers shared by every Weft library and tool.

# Links `target` against MLIR libraries, through libMLIR.so when
# WEFT_LINK_MLIR_DYLIB is on (the default), statically otherwise.
function(weft_link_mlir target)
  mlir_target_link_libraries(${target} PUBLIC ${ARGN})
endfunction()

# Records a library in the exported Weft CMake package.
function(weft_export_library name)
  set_property(GLOBAL APPEND PROPERTY WEFT_EXPORTED_LIBS ${name})
  install(TARGETS ${name} EXPORT WeftTargets
          ARCHIVE DESTINATION lib LIBRARY DESTINATION lib RUNTIME DESTINATION bin)
endfunction()

# add_mlir_dialect_library + export + dylib-aware MLIR linking.
#   weft_add_library(name SOURCES... [DEPENDS ...] [LINK_LIBS ...] [MLIR_LIBS ...])
function(weft_add_library name)
  cmake_parse_arguments(ARG "REQUIRES_EH" "" "DEPENDS;LINK_LIBS;MLIR_LIBS" ${ARGN})
  if(ARG_REQUIRES_EH)
    set(LLVM_REQUIRES_EH ON)
    set(LLVM_REQUIRES_RTTI ON)
  endif()
  add_mlir_library(${name} ${ARG_UNPARSED_ARGUMENTS}
    EXCLUDE_FROM_LIBMLIR
    DISABLE_INSTALL
    DEPENDS ${ARG_DEPENDS}
    LINK_LIBS PUBLIC ${ARG_LINK_LIBS})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${WEFT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${WEFT_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:include>)
  if(ARG_MLIR_LIBS)
    weft_link_mlir(${name} ${ARG_MLIR_LIBS})
  endif()
  weft_export_library(${name})
endfunction()

# Generates the Markdown reference for a TableGen file into
# ${WEFT_BINARY_DIR}/docs/<subdir>/<out>.md (part of the `weft-doc` target).
function(weft_add_doc td_file out subdir)
  add_mlir_doc(${td_file} ${out} ${subdir}/ ${ARGN})
  add_dependencies(weft-doc ${out}DocGen)
endfunction()
