//===- WeftAttrs.td - weft attributes ----------------------*- tablegen -*-===//
//
// The packed-weight layout algebra: `#weft.tile` (a primitive tile layout)
// and `#weft.packed` (a tensor encoding composing tiles, an interleave and
// bit packing). The C++ model is weft/Dialect/Weft/Utils/PackedLayout.h.
//
//===----------------------------------------------------------------------===//
#ifndef WEFT_DIALECT_WEFT_IR_WEFTATTRS_TD
#define WEFT_DIALECT_WEFT_IR_WEFTATTRS_TD

include "weft/Dialect/Weft/IR/WeftDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/TensorEncoding.td"

class Weft_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Weft_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Weft_LayoutOrder : I32EnumAttr<"LayoutOrder",
    "the order of the elements of a tile, or of the tiles of a grid", [
      I32EnumAttrCase<"row_major", 0>,  // slot = i * cols + j
      I32EnumAttrCase<"col_major", 1>,  // slot = j * rows + i
      I32EnumAttrCase<"permuted", 2>]> { // slot given by a permutation table
  let cppNamespace = "::mlir::weft";
}

def Weft_SubByteOrder : I32EnumAttr<"SubByteOrder",
    "where the first of several sub-byte elements sits in its byte", [
      I32EnumAttrCase<"low_first", 0>,   // element 0 in bits [0, bits)
      I32EnumAttrCase<"high_first", 1>]> { // element 0 in the top bits
  let cppNamespace = "::mlir::weft";
}

def Weft_TileLayoutAttr : Weft_Attr<"TileLayout", "tile"> {
  let summary = "a primitive tile layout: shape and element order";
  let description = [{
    A `[rows, cols]` tile of a 2-D logical tensor (rows along K, cols along
    N) and the order of its `rows * cols` elements in storage *slots*
    (element-sized positions, before bit packing):

    * `row_major`: element `(i, j)` is in slot `i * cols + j`;
    * `col_major`: in slot `j * rows + i`;
    * `permuted [p_0, ..., p_(rows*cols-1)]`: slot `s` holds the element
      whose row-major index `i * cols + j` is `p_s` (the table lists, slot
      by slot, which element is stored there: a register-fragment order
      reads straight off the ISA's fragment table).

    ```mlir
    #weft.tile<[16, 8], row_major>
    #weft.tile<[2, 2], permuted [0, 2, 1, 3]>   // = col_major
    ```
    Malformed: a non-positive or non-2-D shape, a permutation that is not a
    permutation of `0 .. rows*cols-1`, a permutation on a non-`permuted`
    tile or none on a `permuted` one.
  }];
  let parameters = (ins ArrayRefParameter<"int64_t", "tile shape">:$shape,
                        "LayoutOrder":$order,
                        OptionalArrayRefParameter<"int64_t",
                            "slot -> row-major element index">:$permutation);
  let assemblyFormat = "`<` `[` $shape `]` `,` $order (`[` $permutation^ `]`)? `>`";
  let genVerifyDecl = 1;
}

def Weft_PackedLayoutAttr : Weft_Attr<"PackedLayout", "packed",
    [DeclareAttrInterfaceMethods<VerifiableTensorEncoding>]> {
  let summary = "how the elements of a quantized weight map to bytes";
  let description = [{
    The encoding of a tensor of packed storage bytes
    (`tensor<...xi8, #weft.packed<...>>`) that holds a logical 2-D integer
    tensor `[K, N]` of `element_type` (`i2 / i4 / i8`, signless or unsigned:
    the signedness says how unpacking widens a value). A layout is the
    composition of primitive layouts (after Tilus's layout algebra):

    1. *Tiling.* `tiles = [L_0, ..., L_(m-1)]` (`#weft.tile`, outermost
       first) compose by the Kronecker product into one tile of shape
       `[Tk, Tn] = [prod rows(L_l), prod cols(L_l)]`: the tile coordinate
       `(i, j)` splits into one digit pair `(i_l, j_l)` per level (mixed
       radix, `L_0`'s digits most significant) and the tile slot is
       `sum_l slot_l(i_l, j_l) * prod_{l' > l} size(L_{l'})`.
    2. *Grid.* The logical tensor is padded up to `[ceil(K/Tk) * Tk,
       ceil(N/Tn) * Tn]`; tile `(a, b)` is number `a * ceil(N/Tn) + b`
       (`grid = row_major`, the default) or `b * ceil(K/Tk) + a`
       (`grid = col_major`), and an element's slot is
       `tile number * Tk * Tn + tile slot`. Padding elements are stored as 0
       and ignored when unpacking.
    3. *Interleave* (optional, `interleave = [q_0, ..., q_(g-1)]`, `g`
       dividing `Tk * Tn`): within every group of `g` consecutive slots,
       final position `p` holds the element of slot `q_p` (Marlin's
       `[0, 2, 4, 6, 1, 3, 5, 7]` for lop3-based int4 -> f16 dequant).
    4. *Bit packing.* The element in final slot `s` occupies bits
       `[s*b mod 8, s*b mod 8 + b)` of byte `floor(s*b / 8)` (`b` the bit
       width) with `sub_byte = low_first` (default: first element in the low
       nibble, as ONNX, GGML and Marlin), or the mirrored position with
       `high_first`. Tiles are whole bytes (`Tk * Tn * b` is a multiple
       of 8).

    The storage tensor has element type `i8` and a static shape whose
    element count is the byte count, `ceil(K/Tk) * ceil(N/Tn) * Tk * Tn * b /
    8` (`weft-pack-weights` uses `[tiles, bytes per tile]`).

    ```mlir
    tensor<2x64xi8, #weft.packed<[32, 8], i4, tiles = [#weft.tile<[16, 8], col_major>]>>
    tensor<1x8xi8, #weft.packed<[4, 4], ui4,
        tiles = [#weft.tile<[2, 2], row_major>, #weft.tile<[2, 2], col_major>],
        grid = col_major interleave = [0, 2, 1, 3] sub_byte = high_first>>
    ```
    The optional parts follow `tiles` in this order, separated by spaces
    only (ODS optional groups cannot start with a shared comma).

    Named presets for target instruction operand orders (mma.sync, MFMA,
    Arm SDOT / SMMLA) are built in C++ (`PackedLayout.h`).
  }];
  let parameters = (ins
      ArrayRefParameter<"int64_t", "logical shape [K, N]">:$logicalShape,
      "IntegerType":$elementType,
      ArrayRefParameter<"TileLayoutAttr", "tile levels, outermost first">:$tiles,
      DefaultValuedParameter<"LayoutOrder", "LayoutOrder::row_major">:$grid,
      OptionalArrayRefParameter<"int64_t", "storage interleave">:$interleave,
      DefaultValuedParameter<"SubByteOrder",
                             "SubByteOrder::low_first">:$subByte);
  let assemblyFormat = [{
    `<` `[` $logicalShape `]` `,` $elementType `,` `tiles` `=` `[` $tiles `]`
    (`grid` `=` $grid^)? (`interleave` `=` `[` $interleave^ `]`)?
    (`sub_byte` `=` $subByte^)? `>`
  }];
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The C++ model of this layout (pack / unpack / slot queries).
    ::mlir::weft::packing::PackedLayout getLayout() const;
    /// The attribute for a valid C++ layout of `elementType` elements.
    static PackedLayoutAttr get(::mlir::IntegerType elementType,
                                const ::mlir::weft::packing::PackedLayout &layout);
    /// The logical weight type `tensor<K x N x element_type>`.
    ::mlir::RankedTensorType getLogicalType() const;
  }];
}

#endif // WEFT_DIALECT_WEFT_IR_WEFTATTRS_TD
