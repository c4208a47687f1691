//===- WarpgroupFragments.cpp - wgmma register fragments ------------------===//
#include "WarpgroupFragments.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::weft::nvidia;

Value mlir::weft::nvidia::sharedMatrixDescriptor(OpBuilder &builder,
                                                 Location loc, Value address,
                                                 int64_t leadingBytes,
                                                 int64_t strideBytes,
                                                 int64_t modeBits) {
  Value address64 =
      arith::IndexCastUIOp::create(builder, loc, builder.getI64Type(), address);
  auto i64 = [&](int64_t value) {
    return arith::ConstantIntOp::create(builder, loc, builder.getI64Type(),
                                        value);
  };
  // 14 bits of (address >> 4).
  Value start = arith::ShRUIOp::create(
      builder, loc, arith::AndIOp::create(builder, loc, address64, i64(0x3FFFF)),
      i64(4));
  int64_t fields =
      ((leadingBytes >> 4) << 16) | ((strideBytes >> 4) << 32) | modeBits;
  return arith::OrIOp::create(builder, loc, start, i64(fields));
}

Value mlir::weft::nvidia::wgmmaDescriptor(OpBuilder &builder, Location loc,
                                          Value address, int64_t leadingBytes,
                                          int64_t strideBytes) {
  return sharedMatrixDescriptor(builder, loc, address, leadingBytes,
                                strideBytes, int64_t(1) << 62);
}

static char constraintOf(Type type) {
  if (type.isF32())
    return 'f';
  return type.getIntOrFloatBitWidth() == 64 ? 'l' : 'r';
}

/// An inline-asm statement whose first `tied` operands are read and written
/// in place; returns the written values.
static SmallVector<Value> inlineAsm(OpBuilder &builder, Location loc,
                                    StringRef statement, ValueRange tied,
                                    ValueRange inputs, bool sideEffects) {
  MLIRContext *ctx = builder.getContext();
  std::string constraints;
  llvm::raw_string_ostream os(constraints);
  SmallVector<Type> types;
  for (Value value : tied) {
    os << (types.empty() ? "=" : ",=") << constraintOf(value.getType());
    types.push_back(value.getType());
  }
  SmallVector<Value> operands(tied.begin(), tied.end());
  for (size_t i = 0; i < tied.size(); ++i)
    os << "," << i;
  for (Value value : inputs) {
    os << "," << constraintOf(value.getType());
    operands.push_back(value);
  }
  std::string text = constraints;
  if (!text.empty() && text.front() == ',')
    text.erase(0, 1);
  Type result;
  if (types.size() == 1)
    result = types.front();
  else if (!types.empty())
    result = LLVM::LLVMStructType::getLiteral(ctx, types);
  auto op = LLVM::InlineAsmOp::create(
      builder, loc, result, operands, builder.getStringAttr(statement),
      builder.getStringAttr(text), sideEffects ? builder.getUnitAttr() : UnitAttr(),
      UnitAttr(), LLVM::TailCallKindAttr(),
      LLVM::AsmDialectAttr::get(ctx, LLVM::AsmDialect::AD_ATT), ArrayAttr());
  SmallVector<Value> written;
  if (types.size() == 1) {
    written.push_back(op.getResult(0));
  } else {
    for (size_t i = 0; i < types.size(); ++i)
      written.push_back(LLVM::ExtractValueOp::create(builder, loc,
                                                     op.getResult(0), i));
  }
  return written;
}

SmallVector<Value> mlir::weft::nvidia::fenceRegisters(OpBuilder &builder,
                                                      Location loc,
                                                      ValueRange values,
                                                      StringRef statement) {
  return inlineAsm(builder, loc, statement, values, {}, /*sideEffects=*/true);
}

SmallVector<Value> mlir::weft::nvidia::emitWgmma(
    OpBuilder &builder, Location loc, int64_t n, StringRef elementType,
    ValueRange accumulator, ValueRange a, Value b, bool transposeB,
    bool scaleD) {
  int64_t registers = accumulator.size();
  std::string statement;
  llvm::raw_string_ostream os(statement);
  // Operands: the accumulator (outputs, then the same tied inputs), A, B and
  // the scale-d flag.
  int64_t aFirst = 2 * registers;
  int64_t bIndex = aFirst + a.size();
  int64_t scaleIndex = bIndex + 1;
  os << "{\n.reg .pred p;\nsetp.ne.b32 p, $" << scaleIndex << ", 0;\n"
     << "wgmma.mma_async.sync.aligned.m64n" << n << "k16.f32." << elementType
     << "." << elementType << " {";
  for (int64_t i = 0; i < registers; ++i)
    os << (i ? ", $" : "$") << i;
  os << "}, ";
  if (a.size() == 1) {
    os << "$" << aFirst;
  } else {
    os << "{";
    for (size_t i = 0; i < a.size(); ++i)
      os << (i ? ", $" : "$") << aFirst + int64_t(i);
    os << "}";
  }
  os << ", $" << bIndex << ", p, 1, 1, ";
  // imm-trans-a exists only for A in shared memory.
  if (a.size() == 1)
    os << "0, ";
  os << (transposeB ? 1 : 0) << ";\n}";
  SmallVector<Value> inputs(a.begin(), a.end());
  inputs.push_back(b);
  inputs.push_back(arith::ConstantIntOp::create(builder, loc,
                                                builder.getI32Type(), scaleD));
  return inlineAsm(builder, loc, statement, accumulator, inputs,
                   /*sideEffects=*/true);
}

Value mlir::weft::nvidia::fastExp(OpBuilder &builder, Location loc, Value x) {
  Value log2e = arith::ConstantOp::create(
      builder, loc, builder.getF32FloatAttr(1.4426950408889634));
  Value scaled = arith::MulFOp::create(builder, loc, x, log2e);
  auto op = LLVM::InlineAsmOp::create(
      builder, loc, builder.getF32Type(), ValueRange{scaled},
      builder.getStringAttr("ex2.approx.ftz.f32 $0, $1;"),
      builder.getStringAttr("=f,f"), UnitAttr(), UnitAttr(),
      LLVM::TailCallKindAttr(),
      LLVM::AsmDialectAttr::get(builder.getContext(), LLVM::AsmDialect::AD_ATT),
      ArrayAttr());
  return op.getResult(0);
}

Value mlir::weft::nvidia::packPair(OpBuilder &builder, Location loc,
                                   Value low, Value high) {
  auto i16 = builder.getI16Type(), i32 = builder.getI32Type();
  auto widen = [&](Value half) {
    return arith::ExtUIOp::create(
        builder, loc, i32, arith::BitcastOp::create(builder, loc, i16, half));
  };
  Value highBits = arith::ShLIOp::create(
      builder, loc, widen(high),
      arith::ConstantIntOp::create(builder, loc, i32, 16));
  return arith::OrIOp::create(builder, loc, widen(low), highBits);
}
