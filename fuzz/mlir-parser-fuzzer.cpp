//===- mlir-parser-fuzzer.cpp - textual IR of the weft / tile / pipe dialects =//
//
// Every input is textual IR parsed with the weft, tile and pipe dialects and
// the upstream dialects their programs use. Parsing runs the verifiers, so
// malformed ops, attributes (#pipe.machine, #pipe.schedule, #weft.packed)
// and types (!pipe.channel) reach their custom parsers and verifiers. A
// module that parses and verifies must print, in custom and generic form,
// to text that parses and verifies again.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "weft/Dialect/Pipe/IR/PipeDialect.h"
#include "weft/Dialect/Tile/IR/TileDialect.h"
#include "weft/Dialect/Weft/IR/WeftDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Parser/Parser.h"

#include <cstddef>
#include <cstdint>

using namespace mlir;

static void checkRoundTrip(ModuleOp module, bool generic, MLIRContext *ctx) {
  std::string text;
  llvm::raw_string_ostream os(text);
  OpPrintingFlags flags;
  if (generic)
    flags.printGenericOpForm();
  module->print(os, flags);
  ParserConfig config(ctx);
  if (!parseSourceString<ModuleOp>(text, config))
    mlir::weft::fuzz::fail(std::string("a verified module does not reparse from its ") +
                     (generic ? "generic" : "custom") + " form:\n" + text);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const DialectRegistry *registry = [] {
    auto *r = new DialectRegistry();
    r->insert<mlir::weft::WeftDialect, mlir::weft::tile::TileDialect,
              mlir::weft::pipe::PipeDialect,
              func::FuncDialect, arith::ArithDialect, math::MathDialect,
              scf::SCFDialect, tensor::TensorDialect, memref::MemRefDialect,
              quant::QuantDialect>();
    return r;
  }();
  auto context = mlir::weft::fuzz::makeQuietContext(*registry);
  // Unregistered ops would let any generic op through without a verifier.
  context->allowUnregisteredDialects(false);
  ParserConfig config(context.get());
  // MLIR's lexer stops at a NUL past the end of its buffer, as every file
  // and string the tools parse has; libFuzzer's bytes have none.
  std::string text(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, config);
  if (!module)
    return 0;
  checkRoundTrip(*module, /*generic=*/false, context.get());
  checkRoundTrip(*module, /*generic=*/true, context.get());
  return 0;
}
