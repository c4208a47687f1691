//===- WeftDialect.td - The weft graph dialect -------------*- tablegen -*-===//
#ifndef WEFT_DIALECT_WEFT_IR_WEFTDIALECT_TD
#define WEFT_DIALECT_WEFT_IR_WEFTDIALECT_TD

include "mlir/IR/OpBase.td"

def Weft_Dialect : Dialect {
  let name = "weft";
  let cppNamespace = "::mlir::weft";
  let summary = "Model graphs on tensors: one op per model op, shapes inferred";
  let description = [{
    The `weft` dialect holds a model graph as imported from ONNX: one op per
    model op, operating on ranked tensors, with shapes inferred through
    `InferTypeOpInterface`. Graph fusion groups ops into `weft.kernel` regions,
    each of which becomes one GPU or CPU kernel. Quantized weights are integer
    tensors plus scale / zero-point tensors (blockwise, as in ONNX
    `MatMulNBits`) or tensors of upstream `!quant.uniform` types.
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
  let useDefaultAttributePrinterParser = 1;
}

class Weft_Op<string mnemonic, list<Trait> traits = []>
    : Op<Weft_Dialect, mnemonic, traits>;

#endif // WEFT_DIALECT_WEFT_IR_WEFTDIALECT_TD
