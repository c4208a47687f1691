//===- Npy.cpp - numpy .npy headers ---------------------------------------===//
#include "weft/Support/Npy.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

void mlir::weft::writeNpyHeader(llvm::raw_ostream &os, llvm::StringRef descr,
                                llvm::ArrayRef<int64_t> shape) {
  // Python's tuple syntax: "()", "(3,)", "(2, 3)".
  std::string dims;
  for (auto [i, d] : llvm::enumerate(shape))
    dims += (i ? ", " : "") + std::to_string(d);
  if (shape.size() == 1)
    dims += ",";
  std::string header = "{'descr': '" + descr.str() +
                       "', 'fortran_order': False, 'shape': (" + dims +
                       "), }";
  // Magic (6) + version (2) + length (2) + header + '\n', a multiple of 64.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  os << llvm::StringRef("\x93NUMPY\x01\x00", 8);
  os << static_cast<char>(header.size() & 0xff)
     << static_cast<char>((header.size() >> 8) & 0xff) << header;
}
