//===- weft-translate.cpp - weft importers and exporters -------------------===//
//
// mlir-translate for Weft: every upstream translation (MLIR <-> LLVM IR and
// the rest) plus Weft's own importers and exporters, with Weft's dialects
// loaded so that weft IR can be read by the exporters.
//
//===----------------------------------------------------------------------===//
#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "weft/Frontend/ONNX/ImportONNX.h"
#include "weft/Schedule/ScheduleExport.h"
#include "weft/Target/AMD/HSACOExport.h"
#include "weft/Target/NVIDIA/PTXExport.h"

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  mlir::weft::registerScheduleExport();
  mlir::weft::nvidia::registerPTXExport();
  mlir::weft::amd::registerHSACOExport();
  mlir::weft::registerImportONNXTranslation();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "Weft translation driver\n"));
}
