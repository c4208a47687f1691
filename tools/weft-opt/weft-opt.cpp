//===- weft-opt.cpp - the weft optimizer driver ----------------------------===//
//
// mlir-opt for Weft: parses IR in any registered dialect, runs the passes and
// pipelines given on the command line, prints the result.
//
//===----------------------------------------------------------------------===//
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "weft/InitAllDialects.h"
#include "weft/InitAllPasses.h"

int main(int argc, char **argv) {
  mlir::weft::registerAllPasses();
  mlir::DialectRegistry registry;
  mlir::weft::registerAllDialects(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "Weft optimizer driver\n", registry));
}
