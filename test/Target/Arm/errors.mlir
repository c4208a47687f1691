// RUN: weft-opt %s -weft-arm-vectorize-dots=variant=avx -verify-diagnostics
// RUN: weft-opt %s -weft-lower-tile-to-arm=variant=neon2 -verify-diagnostics

// An unknown vector extension is a located error, from the pass and from
// the pipeline that hands its variant on.
// expected-error @below {{weft-arm-vectorize-dots: unknown variant}}
module {
  func.func @f() {
    return
  }
}
