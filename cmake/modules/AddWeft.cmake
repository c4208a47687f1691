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

# TableGen outputs of a dialect whose ODS lives in <Prefix>Ops.td:
# ops, dialect, enums (and attributes / types with ATTRS_AND_TYPES), the
# <Prefix>OpsIncGen target, and the generated dialect reference.
function(weft_add_dialect_tablegen prefix dialect)
  cmake_parse_arguments(ARG "ATTRS_AND_TYPES" "" "" ${ARGN})
  set(LLVM_TARGET_DEFINITIONS ${prefix}Ops.td)
  mlir_tablegen(${prefix}Ops.h.inc -gen-op-decls)
  mlir_tablegen(${prefix}Ops.cpp.inc -gen-op-defs)
  mlir_tablegen(${prefix}Dialect.h.inc -gen-dialect-decls -dialect=${dialect})
  mlir_tablegen(${prefix}Dialect.cpp.inc -gen-dialect-defs -dialect=${dialect})
  mlir_tablegen(${prefix}Enums.h.inc -gen-enum-decls)
  mlir_tablegen(${prefix}Enums.cpp.inc -gen-enum-defs)
  if(ARG_ATTRS_AND_TYPES)
    mlir_tablegen(${prefix}Attrs.h.inc -gen-attrdef-decls -attrdefs-dialect=${dialect})
    mlir_tablegen(${prefix}Attrs.cpp.inc -gen-attrdef-defs -attrdefs-dialect=${dialect})
    mlir_tablegen(${prefix}Types.h.inc -gen-typedef-decls -typedefs-dialect=${dialect})
    mlir_tablegen(${prefix}Types.cpp.inc -gen-typedef-defs -typedefs-dialect=${dialect})
  endif()
  add_public_tablegen_target(${prefix}OpsIncGen)
  weft_add_doc(${prefix}Ops ${prefix}Dialect Dialects -gen-dialect-doc -dialect=${dialect})
endfunction()
