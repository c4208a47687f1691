//===- LaunchManifest.cpp - A kernel's launch contract as JSON -----------===//

#include "weft/Target/Common/LaunchManifest.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

/// Strings, integers, arrays, and types printed as MLIR spells them ("f16",
/// "index").
static llvm::json::Value toJSON(Attribute attr) {
  if (auto string = dyn_cast<StringAttr>(attr))
    return string.getValue().str();
  if (auto integer = dyn_cast<IntegerAttr>(attr))
    return integer.getInt();
  if (auto array = dyn_cast<DenseI64ArrayAttr>(attr))
    return llvm::json::Array(array.asArrayRef());
  if (auto type = dyn_cast<TypeAttr>(attr)) {
    std::string text;
    llvm::raw_string_ostream os(text);
    type.getValue().print(os);
    return text;
  }
  if (auto array = dyn_cast<ArrayAttr>(attr)) {
    llvm::json::Array values;
    for (Attribute element : array)
      values.push_back(toJSON(element));
    return values;
  }
  if (auto dict = dyn_cast<DictionaryAttr>(attr)) {
    llvm::json::Object object;
    for (NamedAttribute field : dict)
      object[field.getName().getValue()] = toJSON(field.getValue());
    return object;
  }
  return nullptr;
}

LogicalResult mlir::weft::writeLaunchManifest(Operation *at,
                                              DictionaryAttr launch,
                                              StringRef manifestPath) {
  llvm::json::Value manifest = toJSON(launch);
  StringRef binary = manifestPath;
  binary.consume_back(".json");
  manifest.getAsObject()->try_emplace(
      "binary", llvm::sys::path::filename(binary).str());
  std::error_code ec;
  llvm::raw_fd_ostream file(manifestPath, ec);
  if (ec)
    return at->emitError("cannot write ")
           << manifestPath << ": " << ec.message();
  file << llvm::formatv("{0:2}", manifest) << "\n";
  return success();
}
