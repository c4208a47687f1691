//===- FuzzSupport.h - shared pieces of Weft's libFuzzer targets -*- C++ -*-===//
//
// What every fuzz target needs: a context whose diagnostics are swallowed
// (error diagnostics are the expected answer to most mutated inputs, and
// printing them would drown libFuzzer's own output) and a way to stop with
// a message that libFuzzer reports as a crash.
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_FUZZ_FUZZSUPPORT_H
#define WEFT_FUZZ_FUZZSUPPORT_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include <cstdio>

#include <cstdlib>
#include <memory>
#include <string>

namespace mlir::weft::fuzz {

/// A fresh context per input: the uniquer of a long-lived one would grow
/// with every mutated name and attribute and end in libFuzzer's RSS limit.
/// Threading is off so that a crash's stack is the fuzz input's own.
inline std::unique_ptr<mlir::MLIRContext>
makeQuietContext(const mlir::DialectRegistry &registry) {
  auto context = std::make_unique<mlir::MLIRContext>(
      registry, mlir::MLIRContext::Threading::DISABLED);
  context->getDiagEngine().registerHandler([](mlir::Diagnostic &) {});
  return context;
}

/// A property the target checks does not hold: print why and abort, which
/// libFuzzer records as a crash with the input that caused it.
[[noreturn]] inline void fail(const std::string &why) {
  std::fprintf(stderr, "weft fuzz property violated: %s\n", why.c_str());
  std::fflush(stderr);
  std::abort();
}

} // namespace mlir::weft::fuzz

#endif // WEFT_FUZZ_FUZZSUPPORT_H
