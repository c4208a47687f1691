#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "weft/InitAllDialects.h"
#include "weft/InitAllPasses.h"

namespace tutorial {
void registerPasses();
}

int main(int argc, char **argv) {
  mlir::weft::registerAllPasses();
  tutorial::registerPasses();
  mlir::DialectRegistry registry;
  mlir::weft::registerAllDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Weft tutorial optimizer\n", registry));
}
