//===- LocationUtils.cpp - what a location names ---------------------------===//
#include "weft/Dialect/Utils/LocationUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

SmallVector<StringRef> mlir::weft::getLocationNames(Location loc) {
  SmallVector<StringRef> names;
  loc->walk([&](Location inner) {
    if (auto name = dyn_cast<NameLoc>(inner))
      if (!llvm::is_contained(names, name.getName().getValue()))
        names.push_back(name.getName().getValue());
    return WalkResult::advance();
  });
  return names;
}

FileLineColLoc mlir::weft::getFileLocation(Location loc) {
  FileLineColLoc file;
  loc->walk([&](Location inner) {
    if (auto fileLoc = dyn_cast<FileLineColLoc>(inner)) {
      file = fileLoc;
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return file;
}
