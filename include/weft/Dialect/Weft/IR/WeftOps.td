//===- WeftOps.td - weft graph ops -------------------------*- tablegen -*-===//
#ifndef WEFT_DIALECT_WEFT_IR_WEFTOPS_TD
#define WEFT_DIALECT_WEFT_IR_WEFTOPS_TD

include "weft/Dialect/Weft/IR/WeftDialect.td"
include "weft/Dialect/Weft/IR/WeftAttrs.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Weft_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Weft_IntTensor : RankedTensorOf<[AnySignlessInteger, AnyUnsignedInteger]>;
// Quantized storage: integers, fp8 (OCP e4m3 / e5m2) and fp4 (e2m1).
def Weft_QuantizedTensor : RankedTensorOf<[AnySignlessInteger,
    AnyUnsignedInteger, F8E4M3FN, F8E5M2, F4E2M1FN]>;

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

// Binary ops broadcast their operands numpy-style (as ONNX does); the result
// shape is inferred.
class Weft_BinaryOp<string mnemonic, string what>
    : Weft_Op<mnemonic, [Pure, SameOperandsElementType,
        InferTypeOpAdaptor]> {
  let summary = "elementwise " # what # " with numpy broadcasting";
  let description = [{
    Computes the elementwise }] # what # [{ of two tensors of the same
    element type. Shapes broadcast as in numpy / ONNX; the result shape is
    inferred.

    ```mlir
    %0 = weft.}] # mnemonic # [{ %a, %b : tensor<4x8xf32>, tensor<8xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyType]>:$lhs,
                       RankedTensorOf<[AnyType]>:$rhs);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

def Weft_AddOp : Weft_BinaryOp<"add", "sum">;
def Weft_SubOp : Weft_BinaryOp<"sub", "difference">;
def Weft_MulOp : Weft_BinaryOp<"mul", "product">;
def Weft_DivOp : Weft_BinaryOp<"div", "quotient">;
def Weft_MaxOp : Weft_BinaryOp<"max", "maximum">;
def Weft_MinOp : Weft_BinaryOp<"min", "minimum">;
def Weft_PowOp : Weft_BinaryOp<"pow", "power (`lhs` raised to `rhs`)">;

// Boolean (`i1`) operands; `xor` is inequality.
def Weft_AndOp : Weft_BinaryOp<"and", "logical and">;
def Weft_OrOp : Weft_BinaryOp<"or", "logical or">;
def Weft_XorOp : Weft_BinaryOp<"xor", "logical exclusive or">;

def Weft_NotOp : Weft_Op<"not", [Pure, SameOperandsAndResultType]> {
  let summary = "elementwise logical negation";
  let arguments = (ins RankedTensorOf<[I1]>:$input);
  let results = (outs RankedTensorOf<[I1]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Weft_ComparePredicate : I32EnumAttr<"ComparePredicate",
    "how weft.compare compares", [
      I32EnumAttrCase<"eq", 0>,
      I32EnumAttrCase<"lt", 1>,
      I32EnumAttrCase<"le", 2>,
      I32EnumAttrCase<"gt", 3>,
      I32EnumAttrCase<"ge", 4>]> {
  let cppNamespace = "::mlir::weft";
}

def Weft_CompareOp : Weft_Op<"compare", [Pure, SameOperandsElementType,
    InferTypeOpAdaptor]> {
  let summary = "elementwise comparison with numpy broadcasting";
  let description = [{
    `lhs <predicate> rhs` per element, as ONNX `Equal`, `Less`,
    `LessOrEqual`, `Greater` and `GreaterOrEqual`: an `i1` tensor of the
    broadcast shape. Floats compare ordered (false against NaN, except that
    nothing is equal to NaN either); unsigned integers compare unsigned.

    ```mlir
    %0 = weft.compare lt %a, %b : tensor<3x4xf32>, tensor<4xf32>
    ```
  }];
  let arguments = (ins Weft_ComparePredicate:$predicate,
                       RankedTensorOf<[AnyType]>:$lhs,
                       RankedTensorOf<[AnyType]>:$rhs);
  let results = (outs RankedTensorOf<[I1]>:$result);
  let assemblyFormat = [{
    $predicate $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)
  }];
}

def Weft_WhereOp : Weft_Op<"where", [Pure, InferTypeOpAdaptor]> {
  let summary = "elementwise selection with numpy broadcasting";
  let description = [{
    `result[i] = condition[i] ? true_value[i] : false_value[i]`, as ONNX
    `Where`. The three shapes broadcast numpy-style; `condition` is `i1`, the
    two values share an element type, which the result has. The result shape
    is inferred.

    ```mlir
    %0 = weft.where %c, %a, %b : tensor<4x1xi1>, tensor<4x8xf32>, tensor<8xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[I1]>:$condition,
                       AnyRankedTensor:$true_value,
                       AnyRankedTensor:$false_value);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $condition `,` $true_value `,` $false_value attr-dict
    `:` type($condition) `,` type($true_value) `,` type($false_value)
  }];
}

def Weft_CastOp : Weft_Op<"cast", [Pure]> {
  let summary = "elementwise conversion to another element type";
  let description = [{
    Converts every element to the result's element type, as ONNX `Cast`:
    floats round to nearest even, floats to integers truncate toward zero,
    integers to `i1` test for non-zero. Signless integers are read as
    signed. The shape does not change.

    ```mlir
    %0 = weft.cast %x : tensor<3x4xf32> -> tensor<3x4xf16>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, AnySignlessInteger,
                                       AnyUnsignedInteger]>:$input);
  let results = (outs RankedTensorOf<[AnyFloat, AnySignlessInteger,
                                      AnyUnsignedInteger]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

class Weft_UnaryOp<string mnemonic, string what, list<Trait> traits = []>
    : Weft_Op<mnemonic, !listconcat([Pure, SameOperandsAndResultType], traits)> {
  let summary = "elementwise " # what;
  let description = [{
    Applies }] # what # [{ to every element of a floating-point tensor.
  }];
  let arguments = (ins Weft_FloatTensor:$input);
  let results = (outs Weft_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Weft_NegOp : Weft_UnaryOp<"neg", "negation">;
def Weft_ExpOp : Weft_UnaryOp<"exp", "the exponential">;
def Weft_ReluOp : Weft_UnaryOp<"relu", "max(x, 0)">;
def Weft_SigmoidOp : Weft_UnaryOp<"sigmoid", "the logistic sigmoid">;
def Weft_TanhOp : Weft_UnaryOp<"tanh", "the hyperbolic tangent">;
def Weft_ErfOp : Weft_UnaryOp<"erf", "the error function">;
def Weft_SqrtOp : Weft_UnaryOp<"sqrt", "the square root">;
def Weft_LogOp : Weft_UnaryOp<"log", "the natural logarithm">;
def Weft_AbsOp : Weft_UnaryOp<"abs", "the absolute value">;
def Weft_ReciprocalOp : Weft_UnaryOp<"reciprocal", "1 / x">;
def Weft_FloorOp : Weft_UnaryOp<"floor", "rounding toward -inf">;
def Weft_CeilOp : Weft_UnaryOp<"ceil", "rounding toward +inf">;
def Weft_SinOp : Weft_UnaryOp<"sin", "the sine">;
def Weft_CosOp : Weft_UnaryOp<"cos", "the cosine">;
def Weft_RoundOp : Weft_UnaryOp<"round",
    "rounding to the nearest integer, halves to even (ONNX `Round`)">;

def Weft_GeluApproximation : I32EnumAttr<"GeluApproximation",
    "how GELU is evaluated", [
      I32EnumAttrCase<"none", 0>,
      I32EnumAttrCase<"tanh", 1>]> {
  let cppNamespace = "::mlir::weft";
}

def Weft_GeluOp : Weft_Op<"gelu", [Pure, SameOperandsAndResultType]> {
  let summary = "Gaussian error linear unit";
  let description = [{
    `x * Phi(x)`, evaluated exactly with `erf` (`approximate = none`, the
    default) or with the tanh approximation.

    ```mlir
    %0 = weft.gelu %x approximate = tanh : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Weft_FloatTensor:$input,
      DefaultValuedAttr<Weft_GeluApproximation,
                        "::mlir::weft::GeluApproximation::none">:$approximate);
  let results = (outs Weft_FloatTensor:$result);
  let assemblyFormat = [{
    $input (`approximate` `=` $approximate^)? attr-dict `:` type($input)
  }];
}

//===----------------------------------------------------------------------===//
// Linear algebra and normalizations
//===----------------------------------------------------------------------===//

def Weft_MatmulOp : Weft_Op<"matmul", [Pure, SameOperandsElementType,
    InferTypeOpAdaptor]> {
  let summary = "batched matrix product with broadcast batch dimensions";
  let description = [{
    `result[..., m, n] = sum_k lhs[..., m, k] * rhs[..., k, n]`. Both operands
    have rank >= 2; leading (batch) dimensions broadcast numpy-style, as in
    ONNX `MatMul`. The result shape is inferred.

    ```mlir
    %0 = weft.matmul %a, %b : tensor<2x64x32xf16>, tensor<32x16xf16>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

def Weft_TransposeOp : Weft_Op<"transpose", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "permutes the dimensions of a tensor";
  let description = [{
    `result` dimension `i` is `input` dimension `permutation[i]`.

    ```mlir
    %0 = weft.transpose %k [0, 1, 3, 2] : tensor<1x8x128x64xf16>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$permutation);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input $permutation attr-dict `:` type($input)";
}

def Weft_ReshapeOp : Weft_Op<"reshape", [Pure]> {
  let summary = "reinterprets a tensor with a new static shape";
  let description = [{
    Same elements in row-major order, new shape; both shapes are static and
    hold the same number of elements.
  }];
  let arguments = (ins AnyStaticShapeTensor:$input);
  let results = (outs AnyStaticShapeTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Weft_ConcatOp : Weft_Op<"concat", [Pure, SameOperandsElementType,
    InferTypeOpAdaptor]> {
  let summary = "joins tensors along one axis";
  let description = [{
    Concatenates one or more tensors of the same rank and element type along
    `axis` (negative values count from the back, as in ONNX); all other
    dimensions must match. The result shape is inferred.

    ```mlir
    %0 = weft.concat %a, %b axis = 0 : tensor<2x4xf32>, tensor<3x4xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$inputs `axis` `=` $axis attr-dict `:` type($inputs)";
}

def Weft_SliceOp : Weft_Op<"slice", [Pure, InferTypeOpAdaptor]> {
  let summary = "a strided static window of a tensor";
  let description = [{
    `result[i0, i1, ...] = input[start0 + i0 * step0, start1 + i1 * step1,
    ...]` with one `start`, `size` and `step` per dimension of the static
    `input`. Steps are non-zero and may be negative (walking backwards);
    every index read lies inside the input. The result shape is `size`.
    The ONNX importer resolves `Slice`'s clamping and defaults into this form.

    ```mlir
    %0 = weft.slice %x start [0, 1] size [20, 3] step [1, 2] : tensor<20x10xf32>
    ```
  }];
  let arguments = (ins AnyStaticShapeTensor:$input, DenseI64ArrayAttr:$start,
                       DenseI64ArrayAttr:$size, DenseI64ArrayAttr:$step);
  let results = (outs AnyStaticShapeTensor:$result);
  let assemblyFormat = [{
    $input `start` $start `size` $size `step` $step attr-dict `:` type($input)
  }];
}

def Weft_GatherOp : Weft_Op<"gather", [Pure, InferTypeOpAdaptor]> {
  let summary = "takes entries along one axis at given indices";
  let description = [{
    As ONNX `Gather`: with `axis = a`, `result[p..., j..., s...] =
    data[p..., indices[j...], s...]`, where `p` indexes the dimensions
    before `a` and `s` those after it.
    Negative indices count from the back of the axis. The result shape is
    `data`'s with dimension `a` replaced by `indices`' shape.

    ```mlir
    %0 = weft.gather %table, %ids axis = 0 : tensor<1000x64xf16>, tensor<4x16xi64>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data,
                       RankedTensorOf<[I32, I64]>:$indices, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $data `,` $indices `axis` `=` $axis attr-dict `:` type($data) `,`
    type($indices)
  }];
}

def Weft_GatherElementsOp : Weft_Op<"gather_elements", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "takes one entry along an axis per index element";
  let description = [{
    As ONNX `GatherElements`: `indices` has the rank of `data`, and
    `result[i] = data[i with i[axis] replaced by indices[i]]`; negative
    indices count from the back of the axis. The result has the shape of
    `indices` and the element type of `data`.

    ```mlir
    %0 = weft.gather_elements %x, %ids axis = 1 : tensor<4x10xf32>, tensor<4x1xi64>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data,
                       RankedTensorOf<[I32, I64]>:$indices, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $data `,` $indices `axis` `=` $axis attr-dict `:` type($data) `,`
    type($indices)
  }];
}

// Reductions over a set of axes; `keepdims` keeps each reduced dimension as 1.
class Weft_ReduceOp<string mnemonic, string what, Type elementType>
    : Weft_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let summary = what # " over a set of axes";
  let description = [{
    Reduces `input` with the }] # what # [{ over `axes` (distinct,
    non-empty; negative values count from the back, as in ONNX). The
    reduced dimensions are dropped, or kept as size 1 with `keepdims`. The
    result shape is inferred.

    ```mlir
    %0 = weft.}] # mnemonic # [{ %x axes [1] keepdims : tensor<8x512xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[elementType]>:$input,
                       DenseI64ArrayAttr:$axes, UnitAttr:$keepdims);
  let results = (outs RankedTensorOf<[elementType]>:$result);
  let assemblyFormat = [{
    $input `axes` $axes (`keepdims` $keepdims^)? attr-dict `:` type($input)
  }];
}

def Weft_ReduceSumOp : Weft_ReduceOp<"reduce_sum", "sum",
    AnyTypeOf<[AnyFloat, AnySignlessInteger, AnyUnsignedInteger]>>;
def Weft_ReduceMeanOp : Weft_ReduceOp<"reduce_mean", "mean", AnyFloat>;
def Weft_ReduceMaxOp : Weft_ReduceOp<"reduce_max", "maximum",
    AnyTypeOf<[AnyFloat, AnySignlessInteger, AnyUnsignedInteger]>>;
def Weft_ReduceMinOp : Weft_ReduceOp<"reduce_min", "minimum",
    AnyTypeOf<[AnyFloat, AnySignlessInteger, AnyUnsignedInteger]>>;
def Weft_ReduceProdOp : Weft_ReduceOp<"reduce_prod", "product",
    AnyTypeOf<[AnyFloat, AnySignlessInteger, AnyUnsignedInteger]>>;

// Index of the extreme value along one axis.
class Weft_ArgReduceOp<string mnemonic, string what>
    : Weft_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let summary = "index of the " # what # " along one axis";
  let description = [{
    As ONNX `ArgMax` / `ArgMin`: the `i64` index of the }] # what # [{
    along `axis` (negative values count from the back); the first one on a
    tie, the last with `select_last_index`. The axis is dropped, or kept as
    size 1 with `keepdims`.

    ```mlir
    %0 = weft.}] # mnemonic # [{ %x axis = 1 keepdims : tensor<3x4xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyFloat, AnySignlessInteger,
                                       AnyUnsignedInteger]>:$input,
                       I64Attr:$axis, UnitAttr:$keepdims,
                       UnitAttr:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$result);
  let assemblyFormat = [{
    $input `axis` `=` $axis (`keepdims` $keepdims^)?
    (`select_last_index` $select_last_index^)? attr-dict `:` type($input)
  }];
}

def Weft_ArgMaxOp : Weft_ArgReduceOp<"arg_max", "maximum">;
def Weft_ArgMinOp : Weft_ArgReduceOp<"arg_min", "minimum">;

def Weft_SoftmaxOp : Weft_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "softmax along one axis";
  let description = [{
    `exp(x - max(x)) / sum(exp(x - max(x)))` along `axis` (negative values
    count from the back, as in ONNX).

    ```mlir
    %0 = weft.softmax %x axis = -1 : tensor<8x128xf32>
    ```
  }];
  let arguments = (ins Weft_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Weft_FloatTensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Weft_LayerNormOp : Weft_Op<"layer_norm", [Pure]> {
  let summary = "layer normalization over the trailing dimensions";
  let description = [{
    Normalizes `input` over dimensions `axis ..< rank` to zero mean and unit
    variance (with `epsilon` added to the variance), then applies the
    elementwise affine `scale` and optional `bias`, whose shape is the
    normalized trailing shape. With `rms` set it is RMS normalization: no mean
    is subtracted and no bias is allowed.

    ```mlir
    %0 = weft.layer_norm %x, %gamma, %beta axis = -1 epsilon = 1.0e-05
           : tensor<8x512xf32>, tensor<512xf32>, tensor<512xf32>
    ```
  }];
  let arguments = (ins Weft_FloatTensor:$input, Weft_FloatTensor:$scale,
                       Optional<Weft_FloatTensor>:$bias,
                       I64Attr:$axis, F32Attr:$epsilon, UnitAttr:$rms);
  let results = (outs Weft_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? `axis` `=` $axis `epsilon` `=` $epsilon
    (`rms` $rms^)? attr-dict `:` type($input) `,` type($scale)
    (`,` type($bias)^)? `->` type($result)
  }];
  let hasVerifier = 1;
}

def Weft_AttentionOp : Weft_Op<"attention", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "scaled dot-product attention";
  let description = [{
    `softmax(scale * Q K^T + mask) V` over the last two dimensions of
    `query` [..., S, D], `key` [..., T, D] and `value` [..., T, Dv]; the leading
    dimensions must match. With `causal`, position `s` attends to `t <= s +
    (T - S)` only. An optional additive `mask` broadcasts to [..., S, T]. The
    result is [..., S, Dv]. Graph fusion forms this op from the MatMul / scale
    / Softmax / MatMul pattern; it becomes a FlashAttention kernel.

    ```mlir
    %0 = weft.attention %q, %k, %v scale = 0.125 causal
           : tensor<1x8x256x64xf16>, tensor<1x8x256x64xf16>, tensor<1x8x256x64xf16>
    ```
  }];
  let arguments = (ins Weft_FloatTensor:$query, Weft_FloatTensor:$key,
                       Weft_FloatTensor:$value, Optional<Weft_FloatTensor>:$mask,
                       F32Attr:$scale, UnitAttr:$causal);
  let results = (outs Weft_FloatTensor:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`mask` `(` $mask^ `:` type($mask) `)`)?
    `scale` `=` $scale (`causal` $causal^)? attr-dict
    `:` type($query) `,` type($key) `,` type($value)
  }];
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

def Weft_DequantizeOp : Weft_Op<"dequantize", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "integer weights to floating point, blockwise scales";
  let description = [{
    `result[i] = (input[i] - zero_point[b(i)]) * scale[b(i)]`, where `b(i)`
    divides the index along `axis` by `block_size` and keeps every other
    index. `scale` has the shape of `input` except along `axis`, where it has
    `ceil(dim / block_size)` entries; `block_size = 0` means one scale per
    slice along `axis` is shared by the whole axis (per-channel on the other
    dimensions). `zero_point`, when present, has the shape of `scale` and the
    element type of `input`; without it the zero point is 0. The result has
    the shape of `input` and the element type of `scale`.

    Codes are integers (signless read as signed, `ui` unsigned), fp8
    (`f8E4M3FN`, `f8E5M2`) or fp4 (`f4E2M1FN`); float codes take no zero
    point. Scales are f16 / bf16 / f32 / f64, or block scales: `f8E8M0FNU`
    (OCP MX, `block_size` 32, fp8 / fp4 / 8-bit integer codes) or
    `f8E4M3FN` (NVFP4, `block_size` 16, fp4 codes), whose result is f32.

    ```mlir
    %w = weft.dequantize %q, %s, %z axis = 0 block_size = 32
           : tensor<256x64xi4>, tensor<8x64xf16>, tensor<8x64xi4>
    ```
  }];
  let arguments = (ins Weft_QuantizedTensor:$input, Weft_FloatTensor:$scale,
                       Optional<Weft_QuantizedTensor>:$zero_point,
                       I64Attr:$axis, I64Attr:$block_size);
  let results = (outs Weft_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale (`,` $zero_point^)? `axis` `=` $axis
    `block_size` `=` $block_size attr-dict
    `:` type($input) `,` type($scale) (`,` type($zero_point)^)?
  }];
  let hasVerifier = 1;
}

def Weft_QMatmulOp : Weft_Op<"qmatmul", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "matrix product with blockwise-quantized weights";
  let description = [{
    `lhs [..., M, K] x dequantize(weight [K, N])`, where the weight is an
    integer tensor (typically i4 / ui4) with blockwise scales along K of shape
    [ceil(K / block_size), N] and optional zero points of the same shape, as
    in ONNX `com.microsoft.MatMulNBits`. The result element type is the one
    of `lhs`, which must equal the scales' element type.

    ```mlir
    %0 = weft.qmatmul %x, %w, %s block_size = 128
           : tensor<16x4096xf16>, tensor<4096x1024xi4>, tensor<32x1024xf16>
    ```
  }];
  let arguments = (ins Weft_FloatTensor:$lhs, Weft_QuantizedTensor:$weight,
                       Weft_FloatTensor:$scale,
                       Optional<Weft_QuantizedTensor>:$zero_point,
                       I64Attr:$block_size);
  let results = (outs Weft_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $weight `,` $scale (`,` $zero_point^)? `block_size` `=` $block_size
    attr-dict `:` type($lhs) `,` type($weight) `,` type($scale)
    (`,` type($zero_point)^)?
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Fusion groups
//===----------------------------------------------------------------------===//

def Weft_KernelOp : Weft_Op<"kernel", [IsolatedFromAbove,
    SingleBlockImplicitTerminator<"YieldOp">]> {
  let summary = "a fusion group that becomes one GPU or CPU kernel";
  let description = [{
    Graph fusion moves the ops of one future kernel into the body of a
    `weft.kernel`. The body is isolated from above: its block arguments stand
    for the `inputs`, in order and with the same types, and `weft.yield`
    returns the `results`. `sym_name` names the kernel in emitted code.

    ```mlir
    %r = weft.kernel @gemm_bias_relu(%a, %b, %c)
        : (tensor<64x32xf16>, tensor<32x16xf16>, tensor<16xf16>) -> tensor<64x16xf16> {
    ^bb0(%x: tensor<64x32xf16>, %y: tensor<32x16xf16>, %z: tensor<16xf16>):
      %0 = weft.matmul %x, %y : tensor<64x32xf16>, tensor<32x16xf16>
      %1 = weft.add %0, %z : tensor<64x16xf16>, tensor<16xf16>
      %2 = weft.relu %1 : tensor<64x16xf16>
      weft.yield %2 : tensor<64x16xf16>
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, Variadic<AnyType>:$inputs);
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name `(` $inputs `)` attr-dict `:` functional-type($inputs, $results)
    $body
  }];
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    OpBuilder<(ins "::llvm::StringRef":$name, "::mlir::TypeRange":$resultTypes,
                   "::mlir::ValueRange":$inputs)>
  ];
}

def Weft_YieldOp : Weft_Op<"yield", [Pure, Terminator,
    HasParent<"KernelOp">]> {
  let summary = "returns the results of a weft.kernel";
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
  let builders = [OpBuilder<(ins), [{ /* nothing to yield */ }]>];
}

#endif // WEFT_DIALECT_WEFT_IR_WEFTOPS_TD
