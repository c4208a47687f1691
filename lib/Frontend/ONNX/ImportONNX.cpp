//===- ImportONNX.cpp - ONNX models into the weft dialect -----------------===//
//
// Reads a binary ONNX ModelProto with the protobuf classes of libonnx and
// builds one `func.func @main`: graph inputs (other than initializers) are
// its arguments, graph outputs its results, every node becomes the weft op
// (or the few weft ops) that computes it, and initializers become
// `arith.constant`s.
//
// Everything here runs on user input, so nothing asserts: every problem is a
// diagnostic located at NameLoc("<node name>", <file>:0:0) and the import
// fails. Result types come from the ops' InferTypeOpInterface, so the shapes
// the model declares (graph outputs, value_info) are checked, not trusted.
//
//===----------------------------------------------------------------------===//
#include "weft/Frontend/ONNX/ImportONNX.h"

#include "weft/Dialect/Utils/ShapeUtils.h"
#include "weft/Dialect/Weft/IR/WeftDialect.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

#include "onnx/onnx_pb.h"

#include <climits>
#include <cstring>
#include <deque>

using namespace mlir;
using namespace mlir::weft;

using onnx::AttributeProto;
using onnx::NodeProto;
using onnx::TensorProto;
using onnx::TypeProto;

namespace {

/// The ai.onnx opsets whose semantics this importer implements. 13 is where
/// Softmax became a single-axis op and the Reduce/Split ops took their current
/// form; up to 21 none of the imported ops changed meaning (later versions only
/// added element types, DequantizeLinear's block_size in 21, Gelu in 20).
constexpr int64_t kMinOpset = 13;
constexpr int64_t kMaxOpset = 21;

/// The first ai.onnx opset whose definition of `op` means what this importer
/// implements: later versions up to kMinOpset changed only element types or
/// added attributes and inputs that are read with their defaults. A model
/// older than kMinOpset imports when every node's op is at least this old
/// (Softmax, for one, changed meaning in 13). Ops the importer does not know
/// have no floor: they are refused as unsupported ops.
std::optional<int64_t> semanticSince(StringRef op) {
  static const llvm::StringMap<int64_t> since = {
      {"Abs", 6},          {"Add", 7},
      {"Cast", 6},         {"Ceil", 6},
      {"Clip", 6},         {"Concat", 4},
      {"Constant", 1},     {"Cos", 7},
      {"DequantizeLinear", 10},
      {"Div", 7},          {"Erf", 9},
      {"Exp", 6},          {"Flatten", 1},
      {"Floor", 6},        {"Gather", 1},
      {"Gemm", 7},         {"Identity", 1},
      {"Log", 6},          {"MatMul", 1},
      {"MatMulInteger", 10},
      {"Max", 8},          {"Min", 8},
      {"Mul", 7},          {"Neg", 6},
      {"Pow", 7},          {"QLinearMatMul", 10},
      {"QuantizeLinear", 10},
      {"Reciprocal", 6},   {"ReduceL1", 1},
      {"ReduceL2", 1},     {"ReduceLogSum", 1},
      {"ReduceLogSumExp", 1},
      {"ReduceMax", 1},    {"ReduceMean", 1},
      {"ReduceMin", 1},    {"ReduceProd", 1},
      {"ReduceSum", 1},    {"ReduceSumSquare", 1},
      {"Relu", 6},         {"Reshape", 5},
      {"Round", 11},       {"Shape", 1},
      {"Sigmoid", 6},      {"Sin", 7},
      {"Size", 1},         {"Slice", 10},
      {"Sqrt", 6},         {"Squeeze", 1},
      {"Sub", 7},          {"Tanh", 6},
      {"Transpose", 1},    {"Unsqueeze", 1},
      {"Where", 9},        {"And", 7},
      {"Or", 7},           {"Xor", 7},
      {"Not", 1},          {"Equal", 11},
      {"Less", 9},         {"Greater", 9},
      {"LessOrEqual", 12}, {"GreaterOrEqual", 12},
      {"ArgMax", 11},      {"ArgMin", 11},
      {"Elu", 6},          {"LeakyRelu", 6},
      {"HardSigmoid", 6},  {"Softplus", 1},
      {"Softsign", 1},     {"Selu", 6},
      {"Celu", 12},        {"HardSwish", 14},
      {"PRelu", 9},        {"ThresholdedRelu", 10},
      {"Mish", 18},        {"Split", 2},
      {"Dropout", 12},     {"Softmax", 13},
      {"LogSoftmax", 13},  {"LayerNormalization", 17},
      {"Gelu", 20},        {"ConstantOfShape", 9},
      {"GatherElements", 11},
      {"NegativeLogLikelihoodLoss", 13},
      {"SoftmaxCrossEntropyLoss", 13}};
  auto it = since.find(op);
  if (it == since.end())
    return std::nullopt;
  return it->second;
}

/// Initializers with at most this many elements are printed inline; larger
/// ones go to `dense_resource` blobs so weights are never spelled out as text.
constexpr int64_t kMaxInlineElements = 16;

/// The MLIR element type of an ONNX tensor element type, or null for the
/// types weft cannot hold (strings, complex numbers, ...). Signed ONNX
/// integers become signless integers (read as signed), unsigned ones
/// unsigned integers, so that quantized uint8 / int8 data keeps its meaning.
constexpr int32_t kFloat8E4M3FN = 17, kFloat8E5M2 = 19;

Type convertElementType(MLIRContext *ctx, int32_t dataType) {
  auto signless = [&](unsigned width) { return IntegerType::get(ctx, width); };
  auto unsignedInt = [&](unsigned width) {
    return IntegerType::get(ctx, width, IntegerType::Unsigned);
  };
  switch (dataType) {
  case TensorProto::FLOAT:
    return Float32Type::get(ctx);
  case TensorProto::FLOAT16:
    return Float16Type::get(ctx);
  case TensorProto::BFLOAT16:
    return BFloat16Type::get(ctx);
  case TensorProto::DOUBLE:
    return Float64Type::get(ctx);
  case TensorProto::BOOL:
    return signless(1);
  case TensorProto::INT8:
    return signless(8);
  case TensorProto::INT16:
    return signless(16);
  case TensorProto::INT32:
    return signless(32);
  case TensorProto::INT64:
    return signless(64);
  case TensorProto::UINT8:
    return unsignedInt(8);
  case TensorProto::UINT16:
    return unsignedInt(16);
  case TensorProto::UINT32:
    return unsignedInt(32);
  case TensorProto::UINT64:
    return unsignedInt(64);
  // The 8-bit float types of ONNX 1.14 (opset 19), which the libonnx this
  // builds against may predate: their TensorProto numbers.
  case kFloat8E4M3FN:
    return Float8E4M3FNType::get(ctx);
  case kFloat8E5M2:
    return Float8E5M2Type::get(ctx);
  default:
    return {};
  }
}

/// Bytes one element takes in MLIR's dense storage (and in our resource
/// blobs): i1 and sub-byte integers take a whole byte.
int64_t storageBytes(Type elementType) {
  return std::max<int64_t>(
      1, llvm::divideCeil(elementType.getIntOrFloatBitWidth(), 8));
}

/// Resource blob keys are printed as identifiers; ONNX names may hold any
/// character.
std::string blobName(StringRef name) {
  std::string result = name.empty() ? "onnx_tensor" : name.str();
  for (char &c : result)
    if (!llvm::isAlnum(c) && c != '_' && c != '.')
      c = '_';
  return result;
}

/// A tensor's shape and elements, the elements in MLIR's dense storage
/// layout (little-endian, one byte per i1 / sub-byte integer).
struct TensorData {
  RankedTensorType type;
  std::vector<char> bytes;

  int64_t numElements() const { return type.getNumElements(); }
  /// Element `i` as an integer (integer tensors only).
  int64_t getInt(int64_t i) const {
    unsigned width = type.getElementTypeBitWidth();
    int64_t value = 0;
    std::memcpy(&value, bytes.data() + i * storageBytes(type.getElementType()),
                storageBytes(type.getElementType()));
    if (width < 64 && !type.getElementType().isUnsignedInteger() && width > 1)
      value = llvm::SignExtend64(value, width);
    return value;
  }
};

/// One node being imported, with its location and diagnostics helpers.
struct Node {
  const NodeProto &proto;
  std::string name;
  Location loc;

  StringRef opType() const { return proto.op_type(); }

  /// Starts an error that names the op type and the node.
  InFlightDiagnostic error() const {
    return emitError(loc) << opType() << " node '" << name << "': ";
  }

  const AttributeProto *findAttr(StringRef attrName) const {
    for (const AttributeProto &attr : proto.attribute())
      if (attr.name() == attrName)
        return &attr;
    return nullptr;
  }

  /// True if attribute `attr` is of `kind`; old exporters leave `type`
  /// unset and only fill the field.
  static bool isKind(const AttributeProto &attr,
                     AttributeProto::AttributeType kind, bool hasField) {
    return attr.type() == kind ||
           (attr.type() == AttributeProto::UNDEFINED && hasField);
  }

  FailureOr<int64_t> getInt(StringRef attrName,
                            std::optional<int64_t> dflt) const {
    const AttributeProto *attr = findAttr(attrName);
    if (!attr) {
      if (dflt)
        return *dflt;
      error() << "missing required attribute '" << attrName << "'";
      return failure();
    }
    if (!isKind(*attr, AttributeProto::INT, attr->has_i())) {
      error() << "attribute '" << attrName << "' must be an int";
      return failure();
    }
    return attr->i();
  }

  FailureOr<float> getFloat(StringRef attrName, float dflt) const {
    const AttributeProto *attr = findAttr(attrName);
    if (!attr)
      return dflt;
    if (!isKind(*attr, AttributeProto::FLOAT, attr->has_f())) {
      error() << "attribute '" << attrName << "' must be a float";
      return failure();
    }
    return attr->f();
  }

  FailureOr<std::string> getString(StringRef attrName, StringRef dflt) const {
    const AttributeProto *attr = findAttr(attrName);
    if (!attr)
      return dflt.str();
    if (!isKind(*attr, AttributeProto::STRING, attr->has_s())) {
      error() << "attribute '" << attrName << "' must be a string";
      return failure();
    }
    return attr->s();
  }

  /// The ints of attribute `attrName`, or nothing if it is absent.
  FailureOr<std::optional<SmallVector<int64_t>>>
  getInts(StringRef attrName) const {
    const AttributeProto *attr = findAttr(attrName);
    if (!attr)
      return std::optional<SmallVector<int64_t>>();
    if (!isKind(*attr, AttributeProto::INTS, attr->ints_size() > 0)) {
      error() << "attribute '" << attrName << "' must be a list of ints";
      return failure();
    }
    return std::optional<SmallVector<int64_t>>(
        SmallVector<int64_t>(attr->ints().begin(), attr->ints().end()));
  }

  /// Checks the number of inputs and that outputs past `maxOutputs` (which
  /// weft does not compute, e.g. LayerNormalization's Mean) are unused.
  LogicalResult checkArity(int minInputs, int maxInputs,
                           int maxOutputs = 1) const {
    if (proto.input_size() < minInputs || proto.input_size() > maxInputs) {
      auto diag = error() << "expected ";
      if (minInputs == maxInputs)
        diag << minInputs;
      else
        diag << minInputs << " to " << maxInputs;
      return diag << " inputs, got " << proto.input_size();
    }
    if (proto.output_size() < 1 || proto.output(0).empty())
      return error() << "has no output";
    for (int i = maxOutputs, e = proto.output_size(); i < e; ++i)
      if (!proto.output(i).empty())
        return error() << "output #" << i << " ('" << proto.output(i)
                       << "') is not supported";
    return success();
  }
};

class ONNXImporter {
public:
  ONNXImporter(MLIRContext *ctx, StringRef fileName)
      : ctx(ctx), builder(ctx), fileName(fileName),
        fileLoc(FileLineColLoc::get(ctx, fileName, 0, 0)) {}

  OwningOpRef<ModuleOp> import(StringRef bytes);

private:
  Location nameLoc(StringRef name) {
    return NameLoc::get(StringAttr::get(ctx, name), fileLoc);
  }

  LogicalResult readOpsets(const onnx::ModelProto &model);
  LogicalResult importGraph(const onnx::GraphProto &graph);
  LogicalResult importNode(const NodeProto &proto, int index);

  // Types and tensors.
  FailureOr<RankedTensorType> convertType(const TypeProto &type, Location loc,
                                          const Twine &what);
  LogicalResult checkDeclaredType(const TypeProto &declared, Type actual,
                                  Location loc, const Twine &what);
  FailureOr<TensorData> readTensor(const TensorProto &tensor, Location loc);
  LogicalResult readExternalData(const TensorProto &tensor, int64_t size,
                                 std::vector<char> &bytes, Location loc);
  Value createConstant(const TensorData &data, StringRef name, Location loc);
  Value createScalar(Type elementType, double value, Location loc);

  // Values.
  FailureOr<Value> lookup(StringRef name, Location loc);
  FailureOr<Value> operand(const Node &node, int index);
  FailureOr<Value> optionalOperand(const Node &node, int index);
  const TensorProto *constantOperand(const Node &node, int index);
  LogicalResult setOutput(const Node &node, int index, Value value);
  LogicalResult define(StringRef name, Location loc);

  // Op construction.
  FailureOr<Value> finish(Operation *op);
  FailureOr<Value> reshape(Value input, ArrayRef<int64_t> shape, Location loc);
  FailureOr<Value> adaptQuantParam(const Node &node, Value value,
                                   const TensorProto *constant,
                                   ArrayRef<int64_t> targetShape,
                                   int64_t sourceAxis, StringRef what);

  // Node importers.
  LogicalResult importBinary(const Node &node);
  LogicalResult importUnary(const Node &node);
  LogicalResult importMatMul(const Node &node);
  LogicalResult importGemm(const Node &node);
  LogicalResult importGelu(const Node &node, GeluApproximation approximation,
                           bool hasBias);
  LogicalResult importSoftmax(const Node &node);
  LogicalResult importLayerNorm(const Node &node, bool rms);
  LogicalResult importTranspose(const Node &node);
  LogicalResult importReshape(const Node &node);
  LogicalResult importConstant(const Node &node);
  LogicalResult importIdentity(const Node &node);
  LogicalResult importDequantizeLinear(const Node &node);
  LogicalResult importMatMulNBits(const Node &node);
  LogicalResult importCast(const Node &node);
  LogicalResult importConcat(const Node &node);
  LogicalResult importSlice(const Node &node);
  LogicalResult importGather(const Node &node);
  LogicalResult importReduce(const Node &node);
  LogicalResult importWhere(const Node &node);
  LogicalResult importPow(const Node &node);
  LogicalResult importShape(const Node &node);
  LogicalResult importUnsqueeze(const Node &node);
  LogicalResult importClip(const Node &node);
  LogicalResult importQuantizeLinear(const Node &node);
  LogicalResult importMatMulInteger(const Node &node);
  LogicalResult importLayerNormStats(const Node &node);
  LogicalResult importLogical(const Node &node);
  LogicalResult importArgReduce(const Node &node);
  LogicalResult importActivation(const Node &node);
  LogicalResult importSplit(const Node &node);
  LogicalResult importDropout(const Node &node);
  LogicalResult importGatherElements(const Node &node);
  LogicalResult importConstantOfShape(const Node &node);
  LogicalResult importLoss(const Node &node);
  /// The elementwise op `OpTy` on `operands`, its type inferred.
  template <typename OpTy>
  FailureOr<Value> elementwise(const Node &node, ValueRange operands) {
    return finish(OpTy::create(builder, node.loc, operands.front().getType(),
                               operands));
  }
  FailureOr<Value> castTo(const Node &node, Value v, Type elementType) {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getElementType() == elementType)
      return v;
    return finish(
        CastOp::create(builder, node.loc, type.clone(elementType), v));
  }
  FailureOr<std::optional<SmallVector<int64_t>>>
  constantInts(const Node &node, int index, StringRef what);

  MLIRContext *ctx;
  OpBuilder builder;
  std::string fileName;
  Location fileLoc;

  int64_t defaultOpset = 0;
  std::optional<int64_t> microsoftOpset;
  llvm::StringSet<> otherDomains;

  /// Values computed so far, by ONNX name.
  llvm::StringMap<Value> values;
  /// Initializers and Constant node outputs, by name; they become
  /// `arith.constant`s when first used as a value, and ops that need their
  /// contents (Reshape's shape, MatMulNBits' packed weight) read them here.
  llvm::StringMap<const TensorProto *> constants;
  /// Tensors made from Constant nodes' scalar / list attributes.
  std::deque<TensorProto> ownedTensors;
  /// The node being imported, named in the errors located at it.
  const Node *currentNode = nullptr;
  /// Declared types of intermediate values (graph.value_info).
  llvm::StringMap<const TypeProto *> declaredTypes;
};

} // namespace

//===----------------------------------------------------------------------===//
// Model and graph
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp> ONNXImporter::import(StringRef bytes) {
  // A failing op is only half built; the node name says more than its
  // generic form would.
  bool printOp = ctx->shouldPrintOpOnDiagnostic();
  ctx->printOpOnDiagnostic(false);
  llvm::scope_exit restore([&] { ctx->printOpOnDiagnostic(printOp); });

  onnx::ModelProto model;
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    emitError(fileLoc) << "'" << fileName
                       << "' is larger than 2 GiB; store the weights as "
                          "ONNX external data";
    return nullptr;
  }
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    emitError(fileLoc) << "cannot read '" << fileName
                       << "' as an ONNX model: the protobuf is malformed or "
                          "truncated";
    return nullptr;
  }
  if (!model.has_graph()) {
    emitError(fileLoc) << "'" << fileName
                       << "' holds no ONNX graph (not an ONNX model, or "
                          "truncated)";
    return nullptr;
  }
  if (failed(readOpsets(model)))
    return nullptr;

  // Errors from op verifiers and shape inference know the op, not the ONNX
  // node; and the printed location of NameLoc("<node>", <file>:0:0) shows
  // only the file. Name the node in every error located at it.
  ScopedDiagnosticHandler nameNodes(ctx, [&](Diagnostic &diag) {
    if (!currentNode || diag.getLocation() != currentNode->loc)
      return failure();
    std::string prefix =
        (currentNode->opType() + " node '" + currentNode->name + "': ").str();
    std::string message = diag.str();
    if (StringRef(message).starts_with(prefix))
      return failure();
    Diagnostic named(diag.getLocation(), diag.getSeverity());
    named << prefix << message;
    for (Diagnostic &note : diag.getNotes())
      named.attachNote(note.getLocation()) << note.str();
    diag = std::move(named);
    // Let the next handler print it.
    return failure();
  });

  OwningOpRef<ModuleOp> module(ModuleOp::create(fileLoc));
  builder.setInsertionPointToEnd(module->getBody());
  if (failed(importGraph(model.graph())))
    return nullptr;
  // Constants are materialized when an op asks for a value, also for
  // operands that end up re-laid out (quantization parameters); drop the
  // ones nothing uses.
  module->walk([](arith::ConstantOp constant) {
    if (constant.use_empty())
      constant.erase();
  });
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

LogicalResult ONNXImporter::readOpsets(const onnx::ModelProto &model) {
  bool hasDefault = false;
  for (const onnx::OperatorSetIdProto &opset : model.opset_import()) {
    StringRef domain = opset.domain();
    if (domain.empty() || domain == "ai.onnx") {
      hasDefault = true;
      defaultOpset = opset.version();
    } else if (domain == "com.microsoft") {
      microsoftOpset = opset.version();
    } else {
      // Only an error if a node uses it.
      otherDomains.insert(domain);
    }
  }
  if (!hasDefault)
    return emitError(fileLoc) << "the model imports no ai.onnx opset";
  // Older opsets are checked per node (semanticSince).
  if (defaultOpset < 1 || defaultOpset > kMaxOpset)
    return emitError(fileLoc)
           << "ai.onnx opset " << defaultOpset << " is not supported (up to "
           << kMaxOpset << " is; before " << kMinOpset
           << ", ops are refused where their meaning differs; convert the "
              "model with onnx.version_converter)";
  return success();
}

LogicalResult ONNXImporter::importGraph(const onnx::GraphProto &graph) {
  for (const TensorProto &init : graph.initializer()) {
    if (init.name().empty())
      return emitError(fileLoc) << "an initializer has no name";
    if (!constants.try_emplace(init.name(), &init).second)
      return emitError(nameLoc(init.name()))
             << "initializer '" << init.name() << "' is defined twice";
  }
  if (graph.sparse_initializer_size() > 0)
    return emitError(nameLoc(graph.sparse_initializer(0).values().name()))
           << "sparse initializers are not supported";
  for (const onnx::ValueInfoProto &info : graph.value_info())
    declaredTypes[info.name()] = &info.type();

  // Graph inputs that are also initializers are weights with a default value
  // (models of IR version < 4 list every initializer as an input); they are
  // constants, not arguments.
  SmallVector<Type> argTypes;
  SmallVector<std::pair<StringRef, Location>> args;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (constants.count(input.name()))
      continue;
    Location loc = nameLoc(input.name());
    if (input.name().empty())
      return emitError(loc) << "a graph input has no name";
    FailureOr<RankedTensorType> type =
        convertType(input.type(), loc, "graph input '" + input.name() + "'");
    if (failed(type))
      return failure();
    argTypes.push_back(*type);
    args.emplace_back(input.name(), loc);
  }

  Location funcLoc = graph.name().empty() ? fileLoc : nameLoc(graph.name());
  auto func = func::FuncOp::create(builder, funcLoc, "main",
                                   builder.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [arg, nameAndLoc] : llvm::zip(entry->getArguments(), args)) {
    arg.setLoc(nameAndLoc.second);
    if (failed(define(nameAndLoc.first, nameAndLoc.second)))
      return failure();
    values[nameAndLoc.first] = arg;
  }
  builder.setInsertionPointToEnd(entry);

  for (auto [index, node] : llvm::enumerate(graph.node()))
    if (failed(importNode(node, index)))
      return failure();

  if (graph.output_size() == 0)
    return emitError(funcLoc) << "the graph has no outputs";
  SmallVector<Value> results;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    Location loc = nameLoc(output.name());
    FailureOr<Value> value = lookup(output.name(), loc);
    if (failed(value))
      return failure();
    if (failed(checkDeclaredType(output.type(), value->getType(), loc,
                                 "graph output '" + output.name() + "'")))
      return failure();
    results.push_back(*value);
  }
  func::ReturnOp::create(builder, funcLoc, results);
  func.setFunctionType(
      builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  return success();
}

//===----------------------------------------------------------------------===//
// Types and tensors
//===----------------------------------------------------------------------===//

FailureOr<RankedTensorType> ONNXImporter::convertType(const TypeProto &type,
                                                      Location loc,
                                                      const Twine &what) {
  if (!type.has_tensor_type()) {
    emitError(loc) << what << " is not a tensor";
    return failure();
  }
  const TypeProto::Tensor &tensor = type.tensor_type();
  Type elementType = convertElementType(ctx, tensor.elem_type());
  if (!elementType) {
    emitError(loc) << what << " has an unsupported element type ("
                   << TensorProto::DataType_Name(
                          static_cast<TensorProto::DataType>(
                              tensor.elem_type()))
                   << ", " << tensor.elem_type() << ")";
    return failure();
  }
  if (!tensor.has_shape()) {
    emitError(loc) << what << " has no shape (its rank is unknown)";
    return failure();
  }
  SmallVector<int64_t> shape;
  for (const onnx::TensorShapeProto::Dimension &dim : tensor.shape().dim()) {
    if (!dim.has_dim_value()) {
      // A named (dim_param) or unknown dimension.
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    if (dim.dim_value() < 0) {
      emitError(loc) << what << " has a negative dimension " << dim.dim_value();
      return failure();
    }
    shape.push_back(dim.dim_value());
  }
  return RankedTensorType::get(shape, elementType);
}

LogicalResult ONNXImporter::checkDeclaredType(const TypeProto &declared,
                                              Type actual, Location loc,
                                              const Twine &what) {
  // A value without declared type leaves it to inference.
  if (declared.value_case() == TypeProto::VALUE_NOT_SET)
    return success();
  if (!declared.has_tensor_type())
    return emitError(loc) << what << " is declared as a non-tensor type";
  const TypeProto::Tensor &tensor = declared.tensor_type();
  auto actualType = cast<RankedTensorType>(actual);
  auto mismatch = [&]() -> LogicalResult {
    auto diag = emitError(loc) << what << " is declared as ";
    FailureOr<RankedTensorType> declaredType =
        tensor.has_shape() && convertElementType(ctx, tensor.elem_type())
            ? convertType(declared, loc, what)
            : FailureOr<RankedTensorType>(failure());
    if (succeeded(declaredType))
      diag << *declaredType;
    else
      diag << "a different type";
    return diag << " but the model computes " << actual;
  };
  if (tensor.elem_type() != TensorProto::UNDEFINED &&
      convertElementType(ctx, tensor.elem_type()) !=
          actualType.getElementType())
    return mismatch();
  if (!tensor.has_shape())
    return success();
  if (tensor.shape().dim_size() != actualType.getRank())
    return mismatch();
  for (auto [dim, size] :
       llvm::zip(tensor.shape().dim(), actualType.getShape()))
    if (dim.has_dim_value() && !ShapedType::isDynamic(size) &&
        dim.dim_value() != size)
      return mismatch();
  return success();
}

LogicalResult ONNXImporter::readExternalData(const TensorProto &tensor,
                                             int64_t size,
                                             std::vector<char> &bytes,
                                             Location loc) {
  std::string location;
  int64_t offset = 0;
  std::optional<int64_t> length;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset" || entry.key() == "length") {
      int64_t value;
      if (StringRef(entry.value()).getAsInteger(10, value) || value < 0)
        return emitError(loc) << "external data " << entry.key() << " '"
                              << entry.value() << "' is not a valid size";
      if (entry.key() == "offset")
        offset = value;
      else
        length = value;
    }
  }
  // The ONNX spec confines external data to the model's directory; a model
  // from elsewhere must not read arbitrary files of the machine importing it.
  if (location.empty() || llvm::sys::path::is_absolute(location) ||
      llvm::is_contained(llvm::make_range(llvm::sys::path::begin(location),
                                          llvm::sys::path::end(location)),
                         ".."))
    return emitError(loc) << "external data of tensor '" << tensor.name()
                          << "' needs a relative 'location' inside the "
                             "model's directory, got '"
                          << location << "'";
  if (length && *length != size)
    return emitError(loc) << "external data of tensor '" << tensor.name()
                          << "' has length " << *length << ", expected "
                          << size;
  SmallString<256> path(llvm::sys::path::parent_path(fileName));
  llvm::sys::path::append(path, location);
  // getFileSlice pads a slice that runs past the end of the file with zeros;
  // a short file is an error, not a tensor of zeros.
  uint64_t fileSize = 0;
  if (!llvm::sys::fs::file_size(path, fileSize) &&
      (static_cast<uint64_t>(offset) > fileSize ||
       fileSize - offset < static_cast<uint64_t>(size)))
    return emitError(loc) << "external data file '" << path
                          << "' is too short for tensor '" << tensor.name()
                          << "'";
  auto buffer = llvm::MemoryBuffer::getFileSlice(path, size, offset);
  if (!buffer)
    return emitError(loc) << "cannot read external data of tensor '"
                          << tensor.name() << "' from '" << path
                          << "': " << buffer.getError().message();
  if (static_cast<int64_t>((*buffer)->getBufferSize()) != size)
    return emitError(loc) << "external data file '" << path
                          << "' is too short for tensor '" << tensor.name()
                          << "'";
  bytes.assign((*buffer)->getBufferStart(), (*buffer)->getBufferEnd());
  return success();
}

FailureOr<TensorData> ONNXImporter::readTensor(const TensorProto &tensor,
                                               Location loc) {
  // Resource blobs and raw_data are little-endian byte streams.
  if (llvm::endianness::native != llvm::endianness::little) {
    emitError(loc) << "the ONNX importer needs a little-endian host";
    return failure();
  }
  Type elementType = convertElementType(ctx, tensor.data_type());
  if (!elementType) {
    emitError(loc) << "tensor '" << tensor.name()
                   << "' has an unsupported element type ("
                   << tensor.data_type() << ")";
    return failure();
  }
  SmallVector<int64_t> shape;
  int64_t numElements = 1;
  for (int64_t dim : tensor.dims()) {
    if (dim < 0 || llvm::MulOverflow(numElements, dim, numElements)) {
      emitError(loc) << "tensor '" << tensor.name() << "' has an invalid shape";
      return failure();
    }
    shape.push_back(dim);
  }
  TensorData data{RankedTensorType::get(shape, elementType), {}};
  int64_t width = storageBytes(elementType);
  int64_t size;
  if (llvm::MulOverflow(numElements, width, size)) {
    emitError(loc) << "tensor '" << tensor.name() << "' is too large";
    return failure();
  }

  if (tensor.data_location() == TensorProto::EXTERNAL) {
    if (failed(readExternalData(tensor, size, data.bytes, loc)))
      return failure();
    return data;
  }
  if (tensor.has_raw_data()) {
    if (static_cast<int64_t>(tensor.raw_data().size()) != size) {
      emitError(loc) << "tensor '" << tensor.name() << "' holds "
                     << tensor.raw_data().size() << " bytes of raw data for "
                     << numElements << " elements of " << elementType;
      return failure();
    }
    data.bytes.assign(tensor.raw_data().begin(), tensor.raw_data().end());
    return data;
  }

  // Typed fields: each value is stored widened (e.g. float16 bit patterns and
  // int8 in int32_data), so keep the low `width` bytes of each.
  auto copyField = [&](const auto &field) -> LogicalResult {
    if (field.size() != numElements)
      return emitError(loc)
             << "tensor '" << tensor.name() << "' holds " << field.size()
             << " values for " << numElements << " elements";
    data.bytes.resize(size);
    for (int64_t i = 0; i < numElements; ++i) {
      auto value = field.Get(i);
      static_assert(std::is_arithmetic_v<decltype(value)>);
      std::memcpy(data.bytes.data() + i * width, &value,
                  std::min<int64_t>(width, sizeof(value)));
    }
    return success();
  };
  LogicalResult result = failure();
  switch (tensor.data_type()) {
  case TensorProto::FLOAT:
    result = copyField(tensor.float_data());
    break;
  case TensorProto::DOUBLE:
    result = copyField(tensor.double_data());
    break;
  case TensorProto::INT64:
    result = copyField(tensor.int64_data());
    break;
  case TensorProto::UINT32:
  case TensorProto::UINT64:
    result = copyField(tensor.uint64_data());
    break;
  default:
    result = copyField(tensor.int32_data());
    break;
  }
  if (failed(result))
    return failure();
  return data;
}

Value ONNXImporter::createConstant(const TensorData &data, StringRef name,
                                   Location loc) {
  ElementsAttr value;
  if (data.numElements() > kMaxInlineElements) {
    value = DenseResourceElementsAttr::get(
        data.type, blobName(name),
        HeapAsmResourceBlob::allocateAndCopyWithAlign(data.bytes,
                                                      alignof(uint64_t)));
  } else if (data.type.getElementType().isInteger(1) ||
             data.numElements() == 0) {
    // DenseElementsAttr packs i1 as bits; build those from values.
    SmallVector<bool> bits;
    for (char byte : data.bytes)
      bits.push_back(byte != 0);
    value = DenseElementsAttr::get(data.type, bits);
  } else {
    value = DenseElementsAttr::getFromRawBuffer(data.type, data.bytes);
  }
  return arith::ConstantOp::create(builder, loc, cast<TypedAttr>(value));
}

Value ONNXImporter::createScalar(Type elementType, double value, Location loc) {
  auto type = RankedTensorType::get({}, elementType);
  Attribute element;
  if (isa<FloatType>(elementType))
    element = FloatAttr::get(elementType, value);
  else
    element = IntegerAttr::get(elementType, static_cast<int64_t>(value));
  return arith::ConstantOp::create(builder, loc,
                                   DenseElementsAttr::get(type, element));
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

LogicalResult ONNXImporter::define(StringRef name, Location loc) {
  if (values.count(name) || constants.count(name))
    return emitError(loc) << "'" << name
                          << "' is defined twice (ONNX graphs are in SSA "
                             "form)";
  return success();
}

FailureOr<Value> ONNXImporter::lookup(StringRef name, Location loc) {
  if (auto it = values.find(name); it != values.end())
    return it->second;
  if (auto it = constants.find(name); it != constants.end()) {
    Location constLoc = nameLoc(name);
    FailureOr<TensorData> data = readTensor(*it->second, constLoc);
    if (failed(data))
      return failure();
    Value value = createConstant(*data, name, constLoc);
    values[name] = value;
    return value;
  }
  emitError(loc) << "'" << name
                 << "' is not a graph input, an initializer or the output "
                    "of an earlier node";
  return failure();
}

FailureOr<Value> ONNXImporter::operand(const Node &node, int index) {
  if (index >= node.proto.input_size() || node.proto.input(index).empty()) {
    node.error() << "input #" << index << " is required";
    return failure();
  }
  FailureOr<Value> value = lookup(node.proto.input(index), node.loc);
  if (failed(value))
    return failure();
  if (!isa<RankedTensorType>(value->getType())) {
    node.error() << "input #" << index << " is not a ranked tensor";
    return failure();
  }
  return value;
}

FailureOr<Value> ONNXImporter::optionalOperand(const Node &node, int index) {
  if (index >= node.proto.input_size() || node.proto.input(index).empty())
    return Value();
  return operand(node, index);
}

const TensorProto *ONNXImporter::constantOperand(const Node &node, int index) {
  if (index >= node.proto.input_size())
    return nullptr;
  // A value computed by a node shadows nothing: names are unique.
  return constants.lookup(node.proto.input(index));
}

LogicalResult ONNXImporter::setOutput(const Node &node, int index,
                                      Value value) {
  if (index >= node.proto.output_size() || node.proto.output(index).empty())
    return success();
  StringRef name = node.proto.output(index);
  if (failed(define(name, node.loc)))
    return failure();
  if (const TypeProto *declared = declaredTypes.lookup(name))
    if (failed(checkDeclaredType(*declared, value.getType(), node.loc,
                                 "value '" + name + "' (value_info)")))
      return failure();
  values[name] = value;
  return success();
}

//===----------------------------------------------------------------------===//
// Op construction
//===----------------------------------------------------------------------===//

/// Every op is built with a placeholder result type, then given the types its
/// InferTypeOpInterface computes and verified. The generated inferring
/// builders would abort on a shape error, which user input must never cause;
/// this way the error is a diagnostic at the node's location.
FailureOr<Value> ONNXImporter::finish(Operation *op) {
  if (auto infer = dyn_cast<InferTypeOpInterface>(op)) {
    SmallVector<Type> types;
    if (failed(infer.inferReturnTypes(
            ctx, op->getLoc(), op->getOperands(), op->getRawDictionaryAttrs(),
            op->getPropertiesStorage(), op->getRegions(), types)) ||
        types.size() != op->getNumResults()) {
      op->erase();
      return failure();
    }
    for (auto [result, type] : llvm::zip(op->getResults(), types))
      result.setType(type);
  }
  if (failed(verify(op))) {
    op->erase();
    return failure();
  }
  return op->getResult(0);
}

FailureOr<Value> ONNXImporter::reshape(Value input, ArrayRef<int64_t> shape,
                                       Location loc) {
  auto type = cast<RankedTensorType>(input.getType());
  if (!type.hasStaticShape()) {
    emitError(loc) << "reshaping " << type
                   << " needs a static shape, but it has dynamic dimensions";
    return failure();
  }
  return finish(ReshapeOp::create(
      builder, loc, RankedTensorType::get(shape, type.getElementType()),
      input));
}

/// Brings a quantization parameter (scale or zero point) into the shape weft
/// wants: `targetShape`, with the source's single varying dimension (if any)
/// at `sourceAxis` (-1 for a per-tensor scalar). Constants are re-laid out at
/// import; other values can only be reshaped, not broadcast.
FailureOr<Value> ONNXImporter::adaptQuantParam(const Node &node, Value value,
                                               const TensorProto *constant,
                                               ArrayRef<int64_t> targetShape,
                                               int64_t sourceAxis,
                                               StringRef what) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == targetShape)
    return value;
  int64_t targetElements = 1;
  for (int64_t dim : targetShape)
    targetElements *= dim;
  if (!constant) {
    if (type.hasStaticShape() && type.getNumElements() == targetElements)
      return reshape(value, targetShape, node.loc);
    node.error() << what << " must be an initializer: weft needs it as "
                 << RankedTensorType::get(targetShape, type.getElementType())
                 << " and only constants can be broadcast at import";
    return failure();
  }
  FailureOr<TensorData> source = readTensor(*constant, node.loc);
  if (failed(source))
    return failure();
  TensorData target{RankedTensorType::get(targetShape, type.getElementType()),
                    {}};
  int64_t width = storageBytes(type.getElementType());
  target.bytes.resize(targetElements * width);
  // Stride of `sourceAxis` in the target's row-major order.
  int64_t inner = 1;
  if (sourceAxis >= 0)
    for (int64_t dim : targetShape.drop_front(sourceAxis + 1))
      inner *= dim;
  for (int64_t i = 0; i < targetElements; ++i) {
    int64_t from = sourceAxis < 0 ? 0 : (i / inner) % targetShape[sourceAxis];
    std::memcpy(target.bytes.data() + i * width,
                source->bytes.data() + from * width, width);
  }
  return createConstant(target, constant->name(), node.loc);
}

//===----------------------------------------------------------------------===//
// Nodes
//===----------------------------------------------------------------------===//

LogicalResult ONNXImporter::importNode(const NodeProto &proto, int index) {
  std::string name = proto.name().empty()
                         ? proto.op_type() + "_" + std::to_string(index)
                         : proto.name();
  Node node{proto, name, nameLoc(name)};
  currentNode = &node;
  llvm::scope_exit clearCurrent([&] { currentNode = nullptr; });
  StringRef domain = proto.domain();
  StringRef op = proto.op_type();

  if (domain.empty() || domain == "ai.onnx") {
    if (std::optional<int64_t> since = semanticSince(op);
        since && defaultOpset < *since)
      return node.error() << "ai.onnx opset " << defaultOpset
                          << " is not supported for " << op
                          << " (weft implements its opset " << *since
                          << " form; convert the model with "
                             "onnx.version_converter)";
    if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" ||
        op == "Max" || op == "Min")
      return importBinary(node);
    if (op == "Round")
      return importUnary(node);
    if (op == "Equal" || op == "Less" || op == "LessOrEqual" ||
        op == "Greater" || op == "GreaterOrEqual" || op == "And" ||
        op == "Or" || op == "Xor" || op == "Not")
      return importLogical(node);
    if (op == "ArgMax" || op == "ArgMin")
      return importArgReduce(node);
    if (op == "Elu" || op == "LeakyRelu" || op == "HardSigmoid" ||
        op == "Softplus" || op == "Softsign" || op == "Selu" ||
        op == "Celu" || op == "HardSwish" || op == "PRelu" ||
        op == "ThresholdedRelu" || op == "Mish")
      return importActivation(node);
    if (op == "Split")
      return importSplit(node);
    if (op == "GatherElements")
      return importGatherElements(node);
    if (op == "ConstantOfShape")
      return importConstantOfShape(node);
    if (op == "NegativeLogLikelihoodLoss" || op == "SoftmaxCrossEntropyLoss")
      return importLoss(node);
    if (op == "Dropout")
      return importDropout(node);
    if (op == "Shape" || op == "Size")
      return importShape(node);
    if (op == "Unsqueeze" || op == "Squeeze" || op == "Flatten")
      return importUnsqueeze(node);
    if (op == "Clip")
      return importClip(node);
    if (op == "CastLike")
      return importCast(node);
    if (op == "QuantizeLinear")
      return importQuantizeLinear(node);
    if (op == "MatMulInteger" || op == "QLinearMatMul")
      return importMatMulInteger(node);
    if (op == "ReduceMin" || op == "ReduceProd" || op == "ReduceSumSquare" ||
        op == "ReduceL1" || op == "ReduceL2" || op == "ReduceLogSum" ||
        op == "ReduceLogSumExp")
      return importReduce(node);
    if (op == "Relu" || op == "Exp" || op == "Sigmoid" || op == "Tanh" ||
        op == "Erf" || op == "Sqrt" || op == "Neg" || op == "Log" ||
        op == "Abs" || op == "Reciprocal" || op == "Floor" || op == "Ceil" ||
        op == "Sin" || op == "Cos")
      return importUnary(node);
    if (op == "MatMul")
      return importMatMul(node);
    if (op == "Gemm")
      return importGemm(node);
    if (op == "Softmax" || op == "LogSoftmax")
      return importSoftmax(node);
    if (op == "LayerNormalization")
      return importLayerNorm(node, /*rms=*/false);
    if (op == "Transpose")
      return importTranspose(node);
    if (op == "Reshape")
      return importReshape(node);
    if (op == "Constant")
      return importConstant(node);
    if (op == "Identity")
      return importIdentity(node);
    if (op == "DequantizeLinear")
      return importDequantizeLinear(node);
    if (op == "Cast")
      return importCast(node);
    if (op == "Concat")
      return importConcat(node);
    if (op == "Slice")
      return importSlice(node);
    if (op == "Gather")
      return importGather(node);
    if (op == "ReduceSum" || op == "ReduceMean" || op == "ReduceMax")
      return importReduce(node);
    if (op == "Where")
      return importWhere(node);
    if (op == "Pow")
      return importPow(node);
    if (op == "Gelu") {
      if (defaultOpset < 20)
        return node.error() << "Gelu is an ai.onnx op from opset 20 on, the "
                               "model imports opset "
                            << defaultOpset;
      FailureOr<std::string> approximate =
          node.getString("approximate", "none");
      if (failed(approximate))
        return failure();
      if (*approximate != "none" && *approximate != "tanh")
        return node.error() << "approximate must be 'none' or 'tanh', got '"
                            << *approximate << "'";
      return importGelu(node,
                        *approximate == "tanh" ? GeluApproximation::tanh
                                               : GeluApproximation::none,
                        /*hasBias=*/false);
    }
  } else if (domain == "com.microsoft") {
    if (!microsoftOpset)
      return node.error() << "uses domain 'com.microsoft', which the model "
                             "does not import";
    if (op == "MatMulNBits")
      return importMatMulNBits(node);
    if (op == "Gelu")
      return importGelu(node, GeluApproximation::none, /*hasBias=*/false);
    if (op == "FastGelu")
      return importGelu(node, GeluApproximation::tanh, /*hasBias=*/true);
    if (op == "SimplifiedLayerNormalization")
      return importLayerNorm(node, /*rms=*/true);
  }
  auto diag = node.error() << "unsupported ONNX op '" << op << "'";
  if (!domain.empty())
    diag << " (domain '" << domain << "')";
  return diag;
}

LogicalResult ONNXImporter::importBinary(const Node &node) {
  bool variadic = node.opType() == "Max" || node.opType() == "Min";
  if (failed(node.checkArity(variadic ? 1 : 2, variadic ? INT_MAX : 2)))
    return failure();
  FailureOr<Value> result = operand(node, 0);
  if (failed(result))
    return failure();
  // Max takes any number of inputs; it is a chain of binary maxima.
  for (int i = 1, e = node.proto.input_size(); i < e; ++i) {
    FailureOr<Value> rhs = operand(node, i);
    if (failed(rhs))
      return failure();
    Type placeholder = result->getType();
    Operation *op;
    StringRef opType = node.opType();
    if (opType == "Add")
      op = AddOp::create(builder, node.loc, placeholder, *result, *rhs);
    else if (opType == "Sub")
      op = SubOp::create(builder, node.loc, placeholder, *result, *rhs);
    else if (opType == "Mul")
      op = MulOp::create(builder, node.loc, placeholder, *result, *rhs);
    else if (opType == "Div")
      op = DivOp::create(builder, node.loc, placeholder, *result, *rhs);
    else if (opType == "Max")
      op = MaxOp::create(builder, node.loc, placeholder, *result, *rhs);
    else
      op = MinOp::create(builder, node.loc, placeholder, *result, *rhs);
    result = finish(op);
    if (failed(result))
      return failure();
  }
  return setOutput(node, 0, *result);
}

LogicalResult ONNXImporter::importUnary(const Node &node) {
  if (failed(node.checkArity(1, 1)))
    return failure();
  FailureOr<Value> input = operand(node, 0);
  if (failed(input))
    return failure();
  Type type = input->getType();
  StringRef opType = node.opType();
  Type elementType = cast<RankedTensorType>(type).getElementType();
  if (opType == "Neg" && isa<IntegerType>(elementType)) {
    // weft.neg is for floats; -x = 0 - x wraps like ONNX's integers.
    FailureOr<Value> result = elementwise<SubOp>(
        node, {createScalar(elementType, 0, node.loc), *input});
    if (failed(result))
      return failure();
    return setOutput(node, 0, *result);
  }
  Operation *op;
  if (opType == "Relu")
    op = ReluOp::create(builder, node.loc, type, *input);
  else if (opType == "Exp")
    op = ExpOp::create(builder, node.loc, type, *input);
  else if (opType == "Sigmoid")
    op = SigmoidOp::create(builder, node.loc, type, *input);
  else if (opType == "Tanh")
    op = TanhOp::create(builder, node.loc, type, *input);
  else if (opType == "Erf")
    op = ErfOp::create(builder, node.loc, type, *input);
  else if (opType == "Sqrt")
    op = SqrtOp::create(builder, node.loc, type, *input);
  else if (opType == "Log")
    op = LogOp::create(builder, node.loc, type, *input);
  else if (opType == "Abs")
    op = AbsOp::create(builder, node.loc, type, *input);
  else if (opType == "Reciprocal")
    op = ReciprocalOp::create(builder, node.loc, type, *input);
  else if (opType == "Floor")
    op = FloorOp::create(builder, node.loc, type, *input);
  else if (opType == "Ceil")
    op = CeilOp::create(builder, node.loc, type, *input);
  else if (opType == "Sin")
    op = SinOp::create(builder, node.loc, type, *input);
  else if (opType == "Cos")
    op = CosOp::create(builder, node.loc, type, *input);
  else if (opType == "Round")
    op = RoundOp::create(builder, node.loc, type, *input);
  else
    op = NegOp::create(builder, node.loc, type, *input);
  FailureOr<Value> result = finish(op);
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

LogicalResult ONNXImporter::importMatMul(const Node &node) {
  if (failed(node.checkArity(2, 2)))
    return failure();
  FailureOr<Value> lhs = operand(node, 0), rhs = operand(node, 1);
  if (failed(lhs) || failed(rhs))
    return failure();
  // weft.matmul wants rank >= 2; ONNX MatMul promotes a 1-D lhs to [1, K]
  // and a 1-D rhs to [K, 1], then drops the added dimension again.
  auto lhsType = cast<RankedTensorType>(lhs->getType());
  auto rhsType = cast<RankedTensorType>(rhs->getType());
  bool lhsVector = lhsType.getRank() == 1, rhsVector = rhsType.getRank() == 1;
  if (lhsType.getRank() == 0 || rhsType.getRank() == 0)
    return node.error() << "MatMul operands must not be scalars";
  if (lhsVector)
    lhs = reshape(*lhs, {1, lhsType.getDimSize(0)}, node.loc);
  if (succeeded(lhs) && rhsVector)
    rhs = reshape(*rhs, {rhsType.getDimSize(0), 1}, node.loc);
  if (failed(lhs) || failed(rhs))
    return failure();
  FailureOr<Value> result =
      finish(MatmulOp::create(builder, node.loc, lhs->getType(), *lhs, *rhs));
  if (failed(result))
    return failure();
  if (lhsVector || rhsVector) {
    auto type = cast<RankedTensorType>(result->getType());
    SmallVector<int64_t> shape(type.getShape().drop_back(2));
    if (!lhsVector)
      shape.push_back(type.getDimSize(type.getRank() - 2));
    if (!rhsVector)
      shape.push_back(type.getDimSize(type.getRank() - 1));
    result = reshape(*result, shape, node.loc);
    if (failed(result))
      return failure();
  }
  return setOutput(node, 0, *result);
}

LogicalResult ONNXImporter::importGemm(const Node &node) {
  if (failed(node.checkArity(2, 3)))
    return failure();
  FailureOr<Value> a = operand(node, 0), b = operand(node, 1),
                   c = optionalOperand(node, 2);
  FailureOr<float> alpha = node.getFloat("alpha", 1.0f),
                   beta = node.getFloat("beta", 1.0f);
  FailureOr<int64_t> transA = node.getInt("transA", 0),
                     transB = node.getInt("transB", 0);
  if (failed(a) || failed(b) || failed(c) || failed(alpha) || failed(beta) ||
      failed(transA) || failed(transB))
    return failure();
  for (Value v : {*a, *b})
    if (cast<RankedTensorType>(v.getType()).getRank() != 2)
      return node.error() << "Gemm operands A and B must be 2-D, got "
                          << v.getType();
  // Y = alpha * A' B' + beta * C, with A' / B' transposed as asked.
  auto transposed = [&](Value v, bool transpose) -> FailureOr<Value> {
    if (!transpose)
      return v;
    return finish(TransposeOp::create(builder, node.loc, v.getType(), v,
                                      ArrayRef<int64_t>{1, 0}));
  };
  a = transposed(*a, *transA != 0);
  if (succeeded(a))
    b = transposed(*b, *transB != 0);
  if (failed(a) || failed(b))
    return failure();
  FailureOr<Value> y =
      finish(MatmulOp::create(builder, node.loc, a->getType(), *a, *b));
  if (failed(y))
    return failure();
  Type elementType = cast<RankedTensorType>(y->getType()).getElementType();
  if (*alpha != 1.0f) {
    Value scale = createScalar(elementType, *alpha, node.loc);
    y = finish(MulOp::create(builder, node.loc, y->getType(), *y, scale));
    if (failed(y))
      return failure();
  }
  if (*c && *beta != 0.0f) {
    Value bias = *c;
    if (*beta != 1.0f) {
      Value scale = createScalar(elementType, *beta, node.loc);
      FailureOr<Value> scaled =
          finish(MulOp::create(builder, node.loc, bias.getType(), bias, scale));
      if (failed(scaled))
        return failure();
      bias = *scaled;
    }
    Type mmType = y->getType();
    y = finish(AddOp::create(builder, node.loc, mmType, *y, bias));
    if (failed(y))
      return failure();
    // C broadcasts to [M, N] one way only.
    if (y->getType() != mmType)
      return node.error() << "C of type " << bias.getType()
                          << " does not broadcast to the product's " << mmType;
  }
  return setOutput(node, 0, *y);
}

LogicalResult ONNXImporter::importGelu(const Node &node,
                                       GeluApproximation approximation,
                                       bool hasBias) {
  if (failed(node.checkArity(1, hasBias ? 2 : 1)))
    return failure();
  FailureOr<Value> input = operand(node, 0);
  FailureOr<Value> bias = optionalOperand(node, 1);
  if (failed(input) || failed(bias))
    return failure();
  if (hasBias && *bias) {
    input = finish(
        AddOp::create(builder, node.loc, input->getType(), *input, *bias));
    if (failed(input))
      return failure();
  }
  FailureOr<Value> result =
      finish(GeluOp::create(builder, node.loc, input->getType(), *input,
                            GeluApproximationAttr::get(ctx, approximation)));
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

LogicalResult ONNXImporter::importSoftmax(const Node &node) {
  if (failed(node.checkArity(1, 1)))
    return failure();
  FailureOr<Value> input = operand(node, 0);
  FailureOr<int64_t> axis = node.getInt("axis", -1);
  if (failed(input) || failed(axis))
    return failure();
  FailureOr<Value> result =
      finish(SoftmaxOp::create(builder, node.loc, input->getType(), *input,
                               builder.getI64IntegerAttr(*axis)));
  if (failed(result))
    return failure();
  // LogSoftmax is log(softmax), which the fusion keeps in one kernel. The
  // softmax subtracts the row maximum first, so this is accurate while an
  // element is within ~87 (the f32 exp range) of its row's maximum; further
  // below, its probability underflows and the result is -inf where ONNX's
  // x - max - log(sum) is finite.
  if (node.opType() == "LogSoftmax") {
    result = finish(LogOp::create(builder, node.loc, result->getType(),
                                  *result));
    if (failed(result))
      return failure();
  }
  return setOutput(node, 0, *result);
}

LogicalResult ONNXImporter::importLayerNorm(const Node &node, bool rms) {
  // With its Mean / InvStdDev outputs used, LayerNormalization is imported as
  // the reductions it is made of; otherwise as one weft.layer_norm, whose
  // statistics' precision (`stash_type`) is left to code generation.
  if (!rms && node.proto.output_size() > 1)
    return importLayerNormStats(node);
  if (failed(node.checkArity(2, rms ? 2 : 3, /*maxOutputs=*/1)))
    return failure();
  FailureOr<Value> input = operand(node, 0), scale = operand(node, 1),
                   bias = optionalOperand(node, 2);
  FailureOr<int64_t> axis = node.getInt("axis", -1);
  FailureOr<float> epsilon = node.getFloat("epsilon", 1e-5f);
  if (failed(input) || failed(scale) || failed(bias) || failed(axis) ||
      failed(epsilon))
    return failure();
  FailureOr<Value> result = finish(LayerNormOp::create(
      builder, node.loc, input->getType(), *input, *scale, *bias,
      builder.getI64IntegerAttr(*axis), builder.getF32FloatAttr(*epsilon),
      rms ? builder.getUnitAttr() : UnitAttr()));
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

LogicalResult ONNXImporter::importTranspose(const Node &node) {
  if (failed(node.checkArity(1, 1)))
    return failure();
  FailureOr<Value> input = operand(node, 0);
  FailureOr<std::optional<SmallVector<int64_t>>> perm = node.getInts("perm");
  if (failed(input) || failed(perm))
    return failure();
  // The default permutation reverses the dimensions.
  SmallVector<int64_t> permutation;
  if (*perm)
    permutation = **perm;
  else
    for (int64_t i = cast<RankedTensorType>(input->getType()).getRank() - 1;
         i >= 0; --i)
      permutation.push_back(i);
  FailureOr<Value> result = finish(TransposeOp::create(
      builder, node.loc, input->getType(), *input, permutation));
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

LogicalResult ONNXImporter::importReshape(const Node &node) {
  if (failed(node.checkArity(2, 2)))
    return failure();
  FailureOr<Value> input = operand(node, 0);
  FailureOr<int64_t> allowZero = node.getInt("allowzero", 0);
  if (failed(input) || failed(allowZero))
    return failure();
  // weft.reshape is static: the target shape must be known at import.
  const TensorProto *shapeTensor = constantOperand(node, 1);
  if (!shapeTensor)
    return node.error() << "the shape input '" << node.proto.input(1)
                        << "' must be an initializer or a Constant (weft "
                           "reshapes to static shapes only)";
  FailureOr<TensorData> shapeData = readTensor(*shapeTensor, node.loc);
  if (failed(shapeData))
    return failure();
  if (shapeData->type.getRank() != 1 ||
      !shapeData->type.getElementType().isInteger(64))
    return node.error() << "the shape must be a 1-D int64 tensor, got "
                        << shapeData->type;
  auto inputType = cast<RankedTensorType>(input->getType());
  if (!inputType.hasStaticShape())
    return node.error() << "the input " << inputType
                        << " has dynamic dimensions; weft reshapes static "
                           "shapes only";
  SmallVector<int64_t> shape;
  std::optional<int64_t> inferred;
  int64_t known = 1;
  for (int64_t i = 0, e = shapeData->numElements(); i < e; ++i) {
    int64_t dim = shapeData->getInt(i);
    if (dim == 0 && *allowZero == 0) {
      // 0 copies the input's dimension.
      if (i >= inputType.getRank())
        return node.error()
               << "shape entry " << i << " is 0 (copy) but the input has rank "
               << inputType.getRank();
      dim = inputType.getDimSize(i);
    } else if (dim == -1) {
      if (inferred)
        return node.error() << "the shape has more than one -1";
      inferred = i;
      shape.push_back(1);
      continue;
    } else if (dim < 0) {
      return node.error() << "invalid shape entry " << dim;
    }
    if (llvm::MulOverflow(known, dim, known))
      return node.error() << "the shape is too large";
    shape.push_back(dim);
  }
  int64_t total = inputType.getNumElements();
  if (inferred) {
    if (known == 0 || total % known != 0)
      return node.error() << "cannot infer the -1 dimension: " << total
                          << " elements do not divide by " << known;
    shape[*inferred] = total / known;
  } else if (known != total) {
    return node.error() << "cannot reshape " << inputType << " (" << total
                        << " elements) to " << known << " elements";
  }
  FailureOr<Value> result = reshape(*input, shape, node.loc);
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

/// The integers of constant input `index` (an initializer or a Constant
/// node's output), or nothing when the optional input is absent.
FailureOr<std::optional<SmallVector<int64_t>>>
ONNXImporter::constantInts(const Node &node, int index, StringRef what) {
  using Result = std::optional<SmallVector<int64_t>>;
  if (index >= node.proto.input_size() || node.proto.input(index).empty())
    return Result();
  const TensorProto *tensor = constantOperand(node, index);
  if (!tensor) {
    node.error() << "the " << what << " input '" << node.proto.input(index)
                 << "' must be an initializer or a Constant (weft needs it "
                    "at import)";
    return failure();
  }
  FailureOr<TensorData> data = readTensor(*tensor, node.loc);
  if (failed(data))
    return failure();
  Type elementType = data->type.getElementType();
  if (data->type.getRank() != 1 ||
      !(elementType.isInteger(64) || elementType.isInteger(32))) {
    node.error() << "the " << what << " must be a 1-D int64 or int32 tensor, got "
                 << data->type;
    return failure();
  }
  SmallVector<int64_t> ints;
  for (int64_t i = 0, e = data->numElements(); i < e; ++i)
    ints.push_back(data->getInt(i));
  return Result(std::move(ints));
}

LogicalResult ONNXImporter::importCast(const Node &node) {
  if (node.opType() == "CastLike") {
    if (failed(node.checkArity(2, 2)))
      return failure();
    FailureOr<Value> input = operand(node, 0), like = operand(node, 1);
    if (failed(input) || failed(like))
      return failure();
    FailureOr<Value> result =
        castTo(node, *input, cast<RankedTensorType>(like->getType())
                                 .getElementType());
    if (failed(result))
      return failure();
    return setOutput(node, 0, *result);
  }
  if (failed(node.checkArity(1, 1)))
    return failure();
  FailureOr<Value> input = operand(node, 0);
  FailureOr<int64_t> to = node.getInt("to", std::nullopt);
  if (failed(input) || failed(to))
    return failure();
  Type elementType = convertElementType(ctx, static_cast<int32_t>(*to));
  if (!elementType) {
    auto diag = node.error() << "cannot cast to element type ";
    if (TensorProto::DataType_IsValid(static_cast<int>(*to)))
      diag << TensorProto::DataType_Name(
          static_cast<TensorProto::DataType>(*to));
    return diag << " (" << *to << ")";
  }
  auto type = cast<RankedTensorType>(input->getType());
  FailureOr<Value> result = finish(
      CastOp::create(builder, node.loc, type.clone(elementType), *input));
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

LogicalResult ONNXImporter::importConcat(const Node &node) {
  if (failed(node.checkArity(1, INT_MAX)))
    return failure();
  FailureOr<int64_t> axis = node.getInt("axis", std::nullopt);
  if (failed(axis))
    return failure();
  SmallVector<Value> inputs;
  for (int i = 0, e = node.proto.input_size(); i < e; ++i) {
    FailureOr<Value> input = operand(node, i);
    if (failed(input))
      return failure();
    inputs.push_back(*input);
  }
  FailureOr<Value> result =
      finish(ConcatOp::create(builder, node.loc, inputs.front().getType(),
                              inputs, builder.getI64IntegerAttr(*axis)));
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

LogicalResult ONNXImporter::importSlice(const Node &node) {
  if (failed(node.checkArity(3, 5)))
    return failure();
  FailureOr<Value> input = operand(node, 0);
  if (failed(input))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> starts =
      constantInts(node, 1, "starts");
  if (failed(starts))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> ends =
      constantInts(node, 2, "ends");
  if (failed(ends))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> axes =
      constantInts(node, 3, "axes");
  if (failed(axes))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> steps =
      constantInts(node, 4, "steps");
  if (failed(steps))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (!type.hasStaticShape())
    return node.error() << "the input " << type
                        << " has dynamic dimensions; weft slices static "
                           "shapes only";
  int64_t rank = type.getRank();
  size_t count = (*starts)->size();
  if ((*ends)->size() != count || (*axes && (*axes)->size() != count) ||
      (*steps && (*steps)->size() != count))
    return node.error() << "starts, ends, axes and steps must have the same "
                           "length";
  // Untouched dimensions are taken whole.
  SmallVector<int64_t> start(rank, 0), size(type.getShape()), step(rank, 1);
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < count; ++i) {
    int64_t rawAxis = *axes ? (**axes)[i] : static_cast<int64_t>(i);
    std::optional<int64_t> axis = normalizeAxis(rawAxis, rank);
    if (!axis)
      return node.error() << "axis " << rawAxis << " is out of range for rank "
                          << rank;
    if (seen[*axis])
      return node.error() << "axis " << rawAxis << " is sliced twice";
    seen[*axis] = true;
    int64_t dim = type.getDimSize(*axis);
    int64_t s = (**starts)[i], e = (**ends)[i];
    int64_t st = *steps ? (**steps)[i] : 1;
    if (st == 0)
      return node.error() << "step of axis " << rawAxis << " is 0";
    // ONNX semantics: negative bounds count from the back, then clamp.
    if (s < 0)
      s = s < -dim ? -1 : s + dim;
    if (e < 0)
      e = e < -dim ? -1 : e + dim;
    int64_t n;
    if (st > 0) {
      s = std::clamp<int64_t>(s, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
      n = e > s ? (e - s + st - 1) / st : 0;
    } else {
      s = std::clamp<int64_t>(s, -1, dim - 1);
      e = std::clamp<int64_t>(e, -1, dim - 1);
      n = s > e ? (s - e + (-st) - 1) / (-st) : 0;
    }
    start[*axis] = n == 0 ? 0 : s;
    size[*axis] = n;
    step[*axis] = st;
  }
  FailureOr<Value> result = finish(SliceOp::create(
      builder, node.loc, type, *input, start, size, step));
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

LogicalResult ONNXImporter::importGather(const Node &node) {
  if (failed(node.checkArity(2, 2)))
    return failure();
  FailureOr<Value> data = operand(node, 0), indices = operand(node, 1);
  FailureOr<int64_t> axis = node.getInt("axis", 0);
  if (failed(data) || failed(indices) || failed(axis))
    return failure();
  FailureOr<Value> result =
      finish(GatherOp::create(builder, node.loc, data->getType(), *data,
                              *indices, builder.getI64IntegerAttr(*axis)));
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

LogicalResult ONNXImporter::importReduce(const Node &node) {
  // ReduceSum takes its axes as an input from opset 13 on, the others from
  // opset 18 on; before that they are an attribute.
  StringRef opType = node.opType();
  bool axesInput = opType == "ReduceSum" ? defaultOpset >= 13
                                         : defaultOpset >= 18;
  if (failed(node.checkArity(1, axesInput ? 2 : 1)))
    return failure();
  FailureOr<Value> input = operand(node, 0);
  FailureOr<int64_t> keepdims = node.getInt("keepdims", 1);
  FailureOr<int64_t> noop = node.getInt("noop_with_empty_axes", 0);
  if (failed(input) || failed(keepdims) || failed(noop))
    return failure();
  std::optional<SmallVector<int64_t>> axes;
  if (axesInput) {
    if (node.findAttr("axes"))
      return node.error() << "axes is an input, not an attribute, of "
                          << opType << " in opset " << defaultOpset;
    if (node.proto.input_size() > 1 && !node.proto.input(1).empty() &&
        !constantOperand(node, 1)) {
      // A runtime axes input is known to be empty from its type alone.
      FailureOr<Value> axesValue = operand(node, 1);
      if (failed(axesValue))
        return failure();
      auto axesType = cast<RankedTensorType>(axesValue->getType());
      if (!axesType.hasStaticShape() || axesType.getNumElements() != 0)
        return node.error() << "the axes input '" << node.proto.input(1)
                            << "' must be an initializer or a Constant "
                               "(weft needs it at import)";
      axes = SmallVector<int64_t>();
    } else {
      FailureOr<std::optional<SmallVector<int64_t>>> ints =
          constantInts(node, 1, "axes");
      if (failed(ints))
        return failure();
      axes = *ints;
    }
  } else {
    FailureOr<std::optional<SmallVector<int64_t>>> ints = node.getInts("axes");
    if (failed(ints))
      return failure();
    axes = *ints;
  }
  auto type = cast<RankedTensorType>(input->getType());
  // The composite reductions: a map before (x^2, |x|, exp x), a sum or
  // another reduction, a map after (sqrt, log).
  Value x = *input;
  FailureOr<Value> mapped = x;
  if (opType == "ReduceSumSquare" || opType == "ReduceL2")
    mapped = elementwise<MulOp>(node, {x, x});
  else if (opType == "ReduceL1")
    mapped = elementwise<AbsOp>(node, x);
  else if (opType == "ReduceLogSumExp")
    mapped = elementwise<ExpOp>(node, x);
  if (failed(mapped))
    return failure();
  x = *mapped;
  FailureOr<Value> result = x;
  if (!axes || axes->empty()) {
    // No axes: reduce all of them, or nothing with noop_with_empty_axes.
    if (*noop != 0 || type.getRank() == 0)
      axes = SmallVector<int64_t>();
    else
      axes = llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  }
  if (!axes->empty()) {
    UnitAttr keep = *keepdims != 0 ? builder.getUnitAttr() : UnitAttr();
    DenseI64ArrayAttr axesAttr = builder.getDenseI64ArrayAttr(*axes);
    Type t = x.getType();
    Operation *op;
    if (opType == "ReduceMean")
      op = ReduceMeanOp::create(builder, node.loc, t, x, axesAttr, keep);
    else if (opType == "ReduceMax")
      op = ReduceMaxOp::create(builder, node.loc, t, x, axesAttr, keep);
    else if (opType == "ReduceMin")
      op = ReduceMinOp::create(builder, node.loc, t, x, axesAttr, keep);
    else if (opType == "ReduceProd")
      op = ReduceProdOp::create(builder, node.loc, t, x, axesAttr, keep);
    else
      op = ReduceSumOp::create(builder, node.loc, t, x, axesAttr, keep);
    result = finish(op);
    if (failed(result))
      return failure();
  }
  if (opType == "ReduceL2")
    result = elementwise<SqrtOp>(node, *result);
  else if (opType == "ReduceLogSum" || opType == "ReduceLogSumExp")
    result = elementwise<LogOp>(node, *result);
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

//===----------------------------------------------------------------------===//
// Shapes, quantization, statistics
//===----------------------------------------------------------------------===//

LogicalResult ONNXImporter::importShape(const Node &node) {
  if (failed(node.checkArity(1, 1)))
    return failure();
  FailureOr<Value> input = operand(node, 0);
  FailureOr<int64_t> start = node.getInt("start", 0);
  FailureOr<int64_t> end = node.getInt("end", INT64_MAX);
  if (failed(input) || failed(start) || failed(end))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (!type.hasStaticShape())
    return node.error() << "the input " << type
                        << " has dynamic dimensions; weft folds "
                        << node.opType() << " to a constant";
  // The shape is static, so the output is a constant, readable by Reshape /
  // Slice / ... like an initializer.
  TensorProto &owned = ownedTensors.emplace_back();
  owned.set_name(node.proto.output(0));
  owned.set_data_type(TensorProto::INT64);
  if (node.opType() == "Size") {
    owned.add_int64_data(type.getNumElements());
  } else {
    int64_t rank = type.getRank();
    auto clampAxis = [&](int64_t a) {
      return std::clamp<int64_t>(a < 0 ? a + rank : a, 0, rank);
    };
    int64_t first = clampAxis(*start), last = clampAxis(*end);
    owned.add_dims(std::max<int64_t>(last - first, 0));
    for (int64_t i = first; i < last; ++i)
      owned.add_int64_data(type.getDimSize(i));
  }
  if (failed(define(node.proto.output(0), node.loc)))
    return failure();
  constants[node.proto.output(0)] = &owned;
  return success();
}

/// Unsqueeze, Squeeze and Flatten only change the shape: a weft.reshape.
LogicalResult ONNXImporter::importUnsqueeze(const Node &node) {
  StringRef opType = node.opType();
  bool axesInput = opType != "Flatten" && defaultOpset >= 13;
  if (failed(node.checkArity(1, axesInput ? 2 : 1)))
    return failure();
  FailureOr<Value> input = operand(node, 0);
  if (failed(input))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (!type.hasStaticShape())
    return node.error() << "the input " << type
                        << " has dynamic dimensions; weft reshapes static "
                           "shapes only";
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape;
  if (opType == "Flatten") {
    FailureOr<int64_t> axisAttr = node.getInt("axis", 1);
    if (failed(axisAttr))
      return failure();
    int64_t axis = *axisAttr < 0 ? *axisAttr + rank : *axisAttr;
    if (axis < 0 || axis > rank)
      return node.error() << "axis " << *axisAttr
                          << " is out of range for rank " << rank;
    int64_t outer = 1;
    for (int64_t d = 0; d < axis; ++d)
      outer *= type.getDimSize(d);
    shape = {outer, outer == 0 ? 0 : type.getNumElements() / std::max<int64_t>(outer, 1)};
  } else {
    FailureOr<std::optional<SmallVector<int64_t>>> axes =
        axesInput ? constantInts(node, 1, "axes") : node.getInts("axes");
    if (failed(axes))
      return failure();
    if (opType == "Unsqueeze") {
      if (!*axes)
        return node.error() << "needs axes";
      int64_t outRank = rank + static_cast<int64_t>((*axes)->size());
      SmallVector<bool> inserted(outRank, false);
      for (int64_t a : **axes) {
        std::optional<int64_t> axis = normalizeAxis(a, outRank);
        if (!axis || inserted[*axis])
          return node.error() << "axis " << a << " is out of range or "
                              << "repeated for the result rank " << outRank;
        inserted[*axis] = true;
      }
      for (int64_t d = 0, j = 0; d < outRank; ++d)
        shape.push_back(inserted[d] ? 1 : type.getDimSize(j++));
    } else {
      SmallVector<bool> dropped(rank, false);
      if (*axes) {
        for (int64_t a : **axes) {
          std::optional<int64_t> axis = normalizeAxis(a, rank);
          if (!axis || type.getDimSize(*axis) != 1)
            return node.error() << "axis " << a << " of " << type
                                << " is not a dimension of size 1";
          dropped[*axis] = true;
        }
      } else {
        for (int64_t d = 0; d < rank; ++d)
          dropped[d] = type.getDimSize(d) == 1;
      }
      for (int64_t d = 0; d < rank; ++d)
        if (!dropped[d])
          shape.push_back(type.getDimSize(d));
    }
  }
  FailureOr<Value> result = reshape(*input, shape, node.loc);
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

/// Clip(x, min, max) = min(max(x, min), max); bounds are inputs from opset
/// 11 on (either may be absent), attributes before.
LogicalResult ONNXImporter::importClip(const Node &node) {
  bool boundInputs = defaultOpset >= 11;
  if (failed(node.checkArity(1, boundInputs ? 3 : 1)))
    return failure();
  FailureOr<Value> x = operand(node, 0);
  if (failed(x))
    return failure();
  Type elementType = cast<RankedTensorType>(x->getType()).getElementType();
  Value lo, hi;
  if (boundInputs) {
    FailureOr<Value> l = optionalOperand(node, 1), h = optionalOperand(node, 2);
    if (failed(l) || failed(h))
      return failure();
    lo = *l;
    hi = *h;
  } else {
    if (node.findAttr("min")) {
      FailureOr<float> v = node.getFloat("min", 0.0f);
      if (failed(v))
        return failure();
      lo = createScalar(elementType, *v, node.loc);
    }
    if (node.findAttr("max")) {
      FailureOr<float> v = node.getFloat("max", 0.0f);
      if (failed(v))
        return failure();
      hi = createScalar(elementType, *v, node.loc);
    }
  }
  FailureOr<Value> result = *x;
  if (lo)
    result = elementwise<MaxOp>(node, {*result, lo});
  if (succeeded(result) && hi)
    result = elementwise<MinOp>(node, {*result, hi});
  if (failed(result))
    return failure();
  // Bounds broadcast to x; they never widen it.
  if (result->getType() != x->getType())
    return node.error() << "the bounds must broadcast to the input "
                        << x->getType();
  return setOutput(node, 0, *result);
}

/// y = saturate(round_half_even(x / scale) + zero_point), in the zero
/// point's type (uint8 without one). A 1-D (per-axis) scale and zero point
/// are reshaped to broadcast along `axis`.
LogicalResult ONNXImporter::importQuantizeLinear(const Node &node) {
  if (failed(node.checkArity(2, 3)))
    return failure();
  FailureOr<Value> x = operand(node, 0), scale = operand(node, 1),
                   zeroPoint = optionalOperand(node, 2);
  FailureOr<int64_t> axisAttr = node.getInt("axis", 1);
  FailureOr<int64_t> blockSize = node.getInt("block_size", 0);
  if (failed(x) || failed(scale) || failed(zeroPoint) || failed(axisAttr) ||
      failed(blockSize))
    return failure();
  if (*blockSize != 0)
    return node.error() << "blocked quantization (block_size "
                        << *blockSize << ") is not supported";
  auto xType = cast<RankedTensorType>(x->getType());
  Type outType = *zeroPoint
                     ? cast<RankedTensorType>(zeroPoint->getType())
                           .getElementType()
                     : IntegerType::get(ctx, 8, IntegerType::Unsigned);
  auto intType = dyn_cast<IntegerType>(outType);
  if (!intType || intType.getWidth() > 32 || intType.getWidth() < 8)
    return node.error() << "quantizing to " << outType
                        << " is not supported (8 to 32-bit integers are)";
  // Per-axis parameters: [d] -> [1, ..., d (at axis), ..., 1].
  auto perAxis = [&](Value v) -> FailureOr<Value> {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getRank() != 1 || xType.getRank() < 2 ||
        type.getDimSize(0) == 1)
      return v;
    std::optional<int64_t> axis = normalizeAxis(*axisAttr, xType.getRank());
    if (!axis)
      return node.error() << "axis " << *axisAttr
                          << " is out of range for rank " << xType.getRank();
    SmallVector<int64_t> shape(xType.getRank(), 1);
    shape[*axis] = type.getDimSize(0);
    return reshape(v, shape, node.loc);
  };
  scale = perAxis(*scale);
  if (failed(scale))
    return failure();
  Type floatType = cast<RankedTensorType>(scale->getType()).getElementType();
  FailureOr<Value> q = castTo(node, *x, floatType);
  if (succeeded(q))
    q = elementwise<DivOp>(node, {*q, *scale});
  if (succeeded(q))
    q = elementwise<RoundOp>(node, *q);
  if (succeeded(q) && *zeroPoint) {
    FailureOr<Value> z = perAxis(*zeroPoint);
    if (succeeded(z))
      z = castTo(node, *z, floatType);
    if (failed(z))
      return failure();
    q = elementwise<AddOp>(node, {*q, *z});
  }
  unsigned width = intType.getWidth();
  bool isUnsigned = intType.isUnsigned();
  double lo = isUnsigned ? 0.0 : -std::ldexp(1.0, width - 1);
  double hi = isUnsigned ? std::ldexp(1.0, width) - 1
                         : std::ldexp(1.0, width - 1) - 1;
  if (succeeded(q))
    q = elementwise<MaxOp>(node, {*q, createScalar(floatType, lo, node.loc)});
  if (succeeded(q))
    q = elementwise<MinOp>(node, {*q, createScalar(floatType, hi, node.loc)});
  if (succeeded(q))
    q = castTo(node, *q, outType);
  if (failed(q))
    return failure();
  return setOutput(node, 0, *q);
}

/// MatMulInteger: (A - a_zero_point) x (B - b_zero_point) in int32, a
/// per-row A zero point [M] applied as [M, 1]. QLinearMatMul requantizes that
/// product: saturate(round(P * (a_scale * b_scale / y_scale)) + y_zero_point)
/// in y_zero_point's type.
LogicalResult ONNXImporter::importMatMulInteger(const Node &node) {
  bool qlinear = node.opType() == "QLinearMatMul";
  if (failed(qlinear ? node.checkArity(8, 8) : node.checkArity(2, 4)))
    return failure();
  int aIndex = 0, aZeroIndex = qlinear ? 2 : 2;
  int bIndex = qlinear ? 3 : 1, bZeroIndex = qlinear ? 5 : 3;
  FailureOr<Value> a = operand(node, aIndex), b = operand(node, bIndex);
  FailureOr<Value> aZero = optionalOperand(node, aZeroIndex),
                   bZero = optionalOperand(node, bZeroIndex);
  if (failed(a) || failed(b) || failed(aZero) || failed(bZero))
    return failure();
  auto aType = cast<RankedTensorType>(a->getType());
  auto bType = cast<RankedTensorType>(b->getType());
  if (aType.getRank() != 2 || bType.getRank() != 2)
    return node.error() << node.opType() << " is supported on 2-D operands, "
                        << "got " << aType << " and " << bType;
  Type i32 = IntegerType::get(ctx, 32);
  // `v - zero` in i32; a 1-D zero point of A is one per row.
  auto centered = [&](Value v, Value zero, bool rows) -> FailureOr<Value> {
    FailureOr<Value> wide = castTo(node, v, i32);
    if (failed(wide) || !zero)
      return wide;
    FailureOr<Value> z = zero;
    auto zType = cast<RankedTensorType>(zero.getType());
    if (rows && zType.getRank() == 1 && zType.getDimSize(0) != 1)
      z = reshape(zero, {zType.getDimSize(0), 1}, node.loc);
    if (succeeded(z))
      z = castTo(node, *z, i32);
    if (failed(z))
      return failure();
    return elementwise<SubOp>(node, {*wide, *z});
  };
  FailureOr<Value> lhs = centered(*a, *aZero, /*rows=*/true);
  if (failed(lhs))
    return failure();
  FailureOr<Value> rhs = centered(*b, *bZero, /*rows=*/false);
  if (failed(rhs))
    return failure();
  FailureOr<Value> product =
      finish(MatmulOp::create(builder, node.loc, lhs->getType(), *lhs, *rhs));
  if (failed(product))
    return failure();
  if (!qlinear)
    return setOutput(node, 0, *product);

  FailureOr<Value> aScale = operand(node, 1), bScale = operand(node, 4),
                   yScale = operand(node, 6), yZero = operand(node, 7);
  if (failed(aScale) || failed(bScale) || failed(yScale) || failed(yZero))
    return failure();
  Type floatType = cast<RankedTensorType>(aScale->getType()).getElementType();
  Type outType = cast<RankedTensorType>(yZero->getType()).getElementType();
  auto intType = dyn_cast<IntegerType>(outType);
  if (!intType || intType.getWidth() != 8)
    return node.error() << "the output type " << outType
                        << " is not an 8-bit integer";
  // One factor, as the ONNX reference forms it, then one rounding.
  auto aScaleType = cast<RankedTensorType>(aScale->getType());
  if (aScaleType.getRank() == 1 && aScaleType.getDimSize(0) != 1)
    aScale = reshape(*aScale, {aScaleType.getDimSize(0), 1}, node.loc);
  FailureOr<Value> factor = aScale;
  if (succeeded(factor))
    factor = elementwise<MulOp>(node, {*factor, *bScale});
  if (succeeded(factor))
    factor = elementwise<DivOp>(node, {*factor, *yScale});
  FailureOr<Value> y = castTo(node, *product, floatType);
  if (succeeded(y) && succeeded(factor))
    y = elementwise<MulOp>(node, {*y, *factor});
  if (succeeded(y))
    y = elementwise<RoundOp>(node, *y);
  FailureOr<Value> z = castTo(node, *yZero, floatType);
  if (succeeded(y) && succeeded(z))
    y = elementwise<AddOp>(node, {*y, *z});
  bool isUnsigned = intType.isUnsigned();
  if (succeeded(y))
    y = elementwise<MaxOp>(
        node, {*y, createScalar(floatType, isUnsigned ? 0 : -128, node.loc)});
  if (succeeded(y))
    y = elementwise<MinOp>(
        node, {*y, createScalar(floatType, isUnsigned ? 255 : 127, node.loc)});
  if (succeeded(y))
    y = castTo(node, *y, outType);
  if (failed(y) || failed(factor) || failed(z))
    return failure();
  return setOutput(node, 0, *y);
}

/// LayerNormalization with its Mean / InvStdDev outputs: the statistics in
/// `stash_type` (float32), over dimensions axis..rank-1 kept as size 1,
/// Y = (X - Mean) * InvStdDev * Scale + B in X's type.
LogicalResult ONNXImporter::importLayerNormStats(const Node &node) {
  if (failed(node.checkArity(2, 3, /*maxOutputs=*/3)))
    return failure();
  FailureOr<Value> input = operand(node, 0), scale = operand(node, 1),
                   bias = optionalOperand(node, 2);
  FailureOr<int64_t> axisAttr = node.getInt("axis", -1);
  FailureOr<float> epsilon = node.getFloat("epsilon", 1e-5f);
  FailureOr<int64_t> stash = node.getInt("stash_type", TensorProto::FLOAT);
  if (failed(input) || failed(scale) || failed(bias) || failed(axisAttr) ||
      failed(epsilon) || failed(stash))
    return failure();
  if (*stash != TensorProto::FLOAT)
    return node.error() << "stash_type " << *stash
                        << " is not supported (1, float, is)";
  auto type = cast<RankedTensorType>(input->getType());
  std::optional<int64_t> axis = normalizeAxis(*axisAttr, type.getRank());
  if (!axis)
    return node.error() << "axis " << *axisAttr << " is out of range for rank "
                        << type.getRank();
  Type f32 = Float32Type::get(ctx);
  DenseI64ArrayAttr axes = builder.getDenseI64ArrayAttr(
      llvm::to_vector(llvm::seq<int64_t>(*axis, type.getRank())));
  auto mean = [&](Value v) {
    return finish(ReduceMeanOp::create(builder, node.loc, v.getType(), v, axes,
                                       builder.getUnitAttr()));
  };
  FailureOr<Value> x = castTo(node, *input, f32);
  if (failed(x))
    return failure();
  FailureOr<Value> mu = mean(*x);
  if (failed(mu))
    return failure();
  FailureOr<Value> d = elementwise<SubOp>(node, {*x, *mu});
  if (failed(d))
    return failure();
  FailureOr<Value> var = elementwise<MulOp>(node, {*d, *d});
  if (succeeded(var))
    var = mean(*var);
  FailureOr<Value> inv = var;
  if (succeeded(inv))
    inv = elementwise<AddOp>(node,
                             {*inv, createScalar(f32, *epsilon, node.loc)});
  if (succeeded(inv))
    inv = elementwise<SqrtOp>(node, *inv);
  if (succeeded(inv))
    inv = elementwise<ReciprocalOp>(node, *inv);
  if (failed(inv))
    return failure();
  FailureOr<Value> y = elementwise<MulOp>(node, {*d, *inv});
  FailureOr<Value> s = castTo(node, *scale, f32);
  if (succeeded(y) && succeeded(s))
    y = elementwise<MulOp>(node, {*y, *s});
  if (succeeded(y) && *bias) {
    FailureOr<Value> bb = castTo(node, *bias, f32);
    if (failed(bb))
      return failure();
    y = elementwise<AddOp>(node, {*y, *bb});
  }
  if (succeeded(y))
    y = castTo(node, *y, type.getElementType());
  if (failed(y) || failed(s))
    return failure();
  if (failed(setOutput(node, 0, *y)))
    return failure();
  if (node.proto.output_size() > 1 && failed(setOutput(node, 1, *mu)))
    return failure();
  if (node.proto.output_size() > 2 && failed(setOutput(node, 2, *inv)))
    return failure();
  return success();
}

LogicalResult ONNXImporter::importLogical(const Node &node) {
  StringRef opType = node.opType();
  bool unary = opType == "Not";
  if (failed(node.checkArity(unary ? 1 : 2, unary ? 1 : 2)))
    return failure();
  FailureOr<Value> lhs = operand(node, 0);
  if (failed(lhs))
    return failure();
  bool isBool = cast<RankedTensorType>(lhs->getType())
                    .getElementType()
                    .isInteger(1);
  if ((unary || opType == "And" || opType == "Or" || opType == "Xor") &&
      !isBool)
    return node.error() << opType << " takes booleans, got "
                        << lhs->getType();
  FailureOr<Value> result = failure();
  if (unary) {
    result = finish(NotOp::create(builder, node.loc, lhs->getType(), *lhs));
  } else {
    FailureOr<Value> rhs = operand(node, 1);
    if (failed(rhs))
      return failure();
    if (opType == "And") {
      result = elementwise<AndOp>(node, {*lhs, *rhs});
    } else if (opType == "Or") {
      result = elementwise<OrOp>(node, {*lhs, *rhs});
    } else if (opType == "Xor") {
      result = elementwise<XorOp>(node, {*lhs, *rhs});
    } else {
      ComparePredicate predicate = opType == "Equal"  ? ComparePredicate::eq
                                 : opType == "Less"   ? ComparePredicate::lt
                                 : opType == "LessOrEqual" ? ComparePredicate::le
                                 : opType == "Greater"     ? ComparePredicate::gt
                                                           : ComparePredicate::ge;
      result = finish(CompareOp::create(
          builder, node.loc, lhs->getType(),
          ComparePredicateAttr::get(ctx, predicate), *lhs, *rhs));
    }
  }
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

LogicalResult ONNXImporter::importArgReduce(const Node &node) {
  if (failed(node.checkArity(1, 1)))
    return failure();
  FailureOr<Value> input = operand(node, 0);
  FailureOr<int64_t> axis = node.getInt("axis", 0);
  FailureOr<int64_t> keepdims = node.getInt("keepdims", 1);
  FailureOr<int64_t> last = node.getInt("select_last_index", 0);
  if (failed(input) || failed(axis) || failed(keepdims) || failed(last))
    return failure();
  UnitAttr keep = *keepdims ? builder.getUnitAttr() : UnitAttr();
  UnitAttr lastAttr = *last ? builder.getUnitAttr() : UnitAttr();
  IntegerAttr axisAttr = builder.getI64IntegerAttr(*axis);
  Type t = input->getType();
  Operation *op =
      node.opType() == "ArgMax"
          ? ArgMaxOp::create(builder, node.loc, t, *input, axisAttr, keep,
                             lastAttr)
                .getOperation()
          : ArgMinOp::create(builder, node.loc, t, *input, axisAttr, keep,
                             lastAttr)
                .getOperation();
  FailureOr<Value> result = finish(op);
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

/// Activations made of weft's elementwise ops, as the ONNX definitions
/// write them (pos / neg are max(x, 0) / min(x, 0)).
LogicalResult ONNXImporter::importActivation(const Node &node) {
  StringRef opType = node.opType();
  bool binary = opType == "PRelu";
  if (failed(node.checkArity(binary ? 2 : 1, binary ? 2 : 1)))
    return failure();
  FailureOr<Value> input = operand(node, 0);
  if (failed(input))
    return failure();
  Value x = *input;
  Type elt = cast<RankedTensorType>(x.getType()).getElementType();
  if (!isa<FloatType>(elt))
    return node.error() << opType << " takes floats, got " << x.getType();
  auto c = [&](double v) { return createScalar(elt, v, node.loc); };
  // Errors are reported by finish(); the chain stops at the first.
  bool ok = true;
  auto use = [&](FailureOr<Value> v) {
    if (failed(v)) {
      ok = false;
      return x;
    }
    return *v;
  };
  auto add = [&](Value a, Value b) { return use(elementwise<AddOp>(node, {a, b})); };
  auto sub = [&](Value a, Value b) { return use(elementwise<SubOp>(node, {a, b})); };
  auto mul = [&](Value a, Value b) { return use(elementwise<MulOp>(node, {a, b})); };
  auto div = [&](Value a, Value b) { return use(elementwise<DivOp>(node, {a, b})); };
  auto max = [&](Value a, Value b) { return use(elementwise<MaxOp>(node, {a, b})); };
  auto min = [&](Value a, Value b) { return use(elementwise<MinOp>(node, {a, b})); };
  auto exp = [&](Value a) { return use(elementwise<ExpOp>(node, a)); };
  auto log = [&](Value a) { return use(elementwise<LogOp>(node, a)); };
  auto attr = [&](StringRef name, float dflt) {
    FailureOr<float> v = node.getFloat(name, dflt);
    if (failed(v))
      ok = false;
    return succeeded(v) ? double(*v) : 0.0;
  };
  auto pos = [&](Value a) { return max(a, c(0)); };
  auto neg = [&](Value a) { return min(a, c(0)); };
  auto hardSigmoid = [&](Value a, double alpha, double beta) {
    return max(c(0), min(c(1), add(mul(a, c(alpha)), c(beta))));
  };
  auto softplus = [&](Value a) { return log(add(exp(a), c(1))); };
  Value y;
  if (opType == "Elu") {
    double alpha = attr("alpha", 1.0f);
    y = add(pos(x), mul(c(alpha), sub(exp(neg(x)), c(1))));
  } else if (opType == "Selu") {
    double alpha = attr("alpha", 1.67326319217681884765625f);
    double gamma = attr("gamma", 1.05070102214813232421875f);
    y = mul(c(gamma), add(pos(x), mul(c(alpha), sub(exp(neg(x)), c(1)))));
  } else if (opType == "Celu") {
    double alpha = attr("alpha", 1.0f);
    y = add(pos(x),
            neg(mul(c(alpha), sub(exp(div(x, c(alpha))), c(1)))));
  } else if (opType == "LeakyRelu") {
    y = add(pos(x), mul(c(attr("alpha", 0.01f)), neg(x)));
  } else if (opType == "PRelu") {
    FailureOr<Value> slope = operand(node, 1);
    if (failed(slope))
      return failure();
    y = add(pos(x), mul(*slope, neg(x)));
  } else if (opType == "HardSigmoid") {
    y = hardSigmoid(x, attr("alpha", 0.2f), attr("beta", 0.5f));
  } else if (opType == "HardSwish") {
    y = mul(x, hardSigmoid(x, 1.0 / 6.0, 0.5));
  } else if (opType == "Softplus") {
    y = softplus(x);
  } else if (opType == "Softsign") {
    y = div(x, add(c(1), use(elementwise<AbsOp>(node, x))));
  } else if (opType == "Mish") {
    y = mul(x, use(elementwise<TanhOp>(node, softplus(x))));
  } else { // ThresholdedRelu
    double alpha = attr("alpha", 1.0f);
    FailureOr<Value> above = finish(CompareOp::create(
        builder, node.loc, x.getType(),
        ComparePredicateAttr::get(ctx, ComparePredicate::gt), x, c(alpha)));
    if (failed(above))
      return failure();
    y = use(finish(WhereOp::create(builder, node.loc, x.getType(), *above, x,
                                   c(0))));
  }
  if (!ok)
    return failure();
  if (y.getType() != x.getType())
    return node.error() << "the result " << y.getType()
                        << " does not have the input's type " << x.getType();
  return setOutput(node, 0, y);
}

/// Split: one weft.slice per output, the sizes from the `split` input
/// (opset 13), attribute (before), or equal parts (num_outputs / the output
/// count, the last part smaller).
LogicalResult ONNXImporter::importSplit(const Node &node) {
  bool splitInput = defaultOpset >= 13;
  if (failed(node.checkArity(1, splitInput ? 2 : 1,
                             /*maxOutputs=*/node.proto.output_size())))
    return failure();
  FailureOr<Value> input = operand(node, 0);
  FailureOr<int64_t> axisAttr = node.getInt("axis", 0);
  if (failed(input) || failed(axisAttr))
    return failure();
  auto type = cast<RankedTensorType>(input->getType());
  if (!type.hasStaticShape())
    return node.error() << "the input " << type
                        << " has dynamic dimensions; weft splits static "
                           "shapes only";
  std::optional<int64_t> axis = normalizeAxis(*axisAttr, type.getRank());
  if (!axis)
    return node.error() << "axis " << *axisAttr << " is out of range for rank "
                        << type.getRank();
  FailureOr<std::optional<SmallVector<int64_t>>> sizes =
      splitInput ? constantInts(node, 1, "split") : node.getInts("split");
  if (failed(sizes))
    return failure();
  int64_t dim = type.getDimSize(*axis);
  int64_t parts = node.proto.output_size();
  SmallVector<int64_t> split;
  if (*sizes) {
    split = **sizes;
  } else {
    int64_t chunk = llvm::divideCeil(dim, std::max<int64_t>(parts, 1));
    for (int64_t i = 0, left = dim; i < parts; ++i, left -= chunk)
      split.push_back(std::clamp<int64_t>(left, 0, chunk));
  }
  if (static_cast<int64_t>(split.size()) != parts)
    return node.error() << "splits into " << split.size() << " parts but has "
                        << parts << " outputs";
  int64_t offset = 0;
  for (auto [i, size] : llvm::enumerate(split)) {
    if (size < 0 || offset + size > dim)
      return node.error() << "the split sizes do not fit dimension " << *axis
                          << " (" << dim << ")";
    SmallVector<int64_t> start(type.getRank(), 0), shape(type.getShape()),
        step(type.getRank(), 1);
    start[*axis] = offset;
    shape[*axis] = size;
    offset += size;
    FailureOr<Value> part = finish(
        SliceOp::create(builder, node.loc, type, *input, start, shape, step));
    if (failed(part) || failed(setOutput(node, i, *part)))
      return failure();
  }
  if (offset != dim)
    return node.error() << "the split sizes add up to " << offset
                        << ", not dimension " << *axis << " (" << dim << ")";
  return success();
}

/// Dropout at inference (training_mode absent or a constant false) is the
/// identity; its mask is all true.
LogicalResult ONNXImporter::importDropout(const Node &node) {
  if (failed(node.checkArity(1, 3, /*maxOutputs=*/2)))
    return failure();
  FailureOr<Value> input = operand(node, 0);
  if (failed(input))
    return failure();
  if (node.proto.input_size() > 2 && !node.proto.input(2).empty()) {
    const TensorProto *mode = constantOperand(node, 2);
    FailureOr<TensorData> data =
        mode ? readTensor(*mode, node.loc) : FailureOr<TensorData>(failure());
    if (!mode || failed(data) || data->numElements() != 1 || data->getInt(0))
      return node.error() << "only inference (training_mode a constant "
                             "false) is supported";
  }
  if (failed(setOutput(node, 0, *input)))
    return failure();
  if (node.proto.output_size() > 1 && !node.proto.output(1).empty()) {
    auto maskType = cast<RankedTensorType>(input->getType())
                        .clone(IntegerType::get(ctx, 1));
    Value mask = arith::ConstantOp::create(
        builder, node.loc, DenseElementsAttr::get(maskType, true));
    return setOutput(node, 1, mask);
  }
  return success();
}

LogicalResult ONNXImporter::importGatherElements(const Node &node) {
  if (failed(node.checkArity(2, 2)))
    return failure();
  FailureOr<Value> data = operand(node, 0), indices = operand(node, 1);
  FailureOr<int64_t> axis = node.getInt("axis", 0);
  if (failed(data) || failed(indices) || failed(axis))
    return failure();
  FailureOr<Value> result = finish(GatherElementsOp::create(
      builder, node.loc, data->getType(), *data, *indices,
      builder.getI64IntegerAttr(*axis)));
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

/// A splat of `value` (a one-element tensor, float 0 by default) with the
/// constant shape input.
LogicalResult ONNXImporter::importConstantOfShape(const Node &node) {
  if (failed(node.checkArity(1, 1)))
    return failure();
  FailureOr<std::optional<SmallVector<int64_t>>> shape =
      constantInts(node, 0, "shape");
  if (failed(shape))
    return failure();
  TensorData fill{RankedTensorType::get({}, Float32Type::get(ctx)),
                  std::vector<char>(4, 0)};
  if (const AttributeProto *attr = node.findAttr("value")) {
    if (!attr->has_t())
      return node.error() << "attribute 'value' must be a tensor";
    FailureOr<TensorData> data = readTensor(attr->t(), node.loc);
    if (failed(data))
      return failure();
    if (data->numElements() != 1)
      return node.error() << "attribute 'value' must hold one element";
    fill = std::move(*data);
  }
  SmallVector<int64_t> dims = **shape;
  int64_t count = 1;
  for (int64_t d : dims)
    if (d < 0 || llvm::MulOverflow(count, d, count))
      return node.error() << "invalid shape";
  TensorData data{RankedTensorType::get(dims, fill.type.getElementType()), {}};
  for (int64_t i = 0; i < count; ++i)
    data.bytes.insert(data.bytes.end(), fill.bytes.begin(), fill.bytes.end());
  return setOutput(node, 0,
                   createConstant(data, node.proto.output(0), node.loc));
}

/// NegativeLogLikelihoodLoss(input [N, C, d...], target [N, d...], weight
/// [C]?): loss = -input[n, target, d...] * weight[target], 0 where target is
/// ignore_index; reduced by sum, mean (divided by the summed weights) or not
/// at all. SoftmaxCrossEntropyLoss is the same on log_softmax(scores, 1),
/// which is its optional second output.
LogicalResult ONNXImporter::importLoss(const Node &node) {
  bool softmax = node.opType() == "SoftmaxCrossEntropyLoss";
  if (failed(node.checkArity(2, 3, /*maxOutputs=*/softmax ? 2 : 1)))
    return failure();
  FailureOr<Value> input = operand(node, 0), target = operand(node, 1),
                   weight = optionalOperand(node, 2);
  FailureOr<std::string> reduction = node.getString("reduction", "mean");
  if (failed(input) || failed(target) || failed(weight) || failed(reduction))
    return failure();
  if (*reduction != "mean" && *reduction != "sum" && *reduction != "none")
    return node.error() << "reduction must be 'mean', 'sum' or 'none', got '"
                        << *reduction << "'";
  std::optional<int64_t> ignore;
  if (node.findAttr("ignore_index")) {
    FailureOr<int64_t> v = node.getInt("ignore_index", 0);
    if (failed(v))
      return failure();
    ignore = *v;
  }
  auto inputType = cast<RankedTensorType>(input->getType());
  auto targetType = cast<RankedTensorType>(target->getType());
  Type elt = inputType.getElementType();
  if (!isa<FloatType>(elt) || inputType.getRank() < 2 ||
      targetType.getRank() != inputType.getRank() - 1 ||
      !inputType.hasStaticShape())
    return node.error() << "expects a static float input [N, C, d...] and a "
                           "target [N, d...], got "
                        << inputType << " and " << targetType;
  Type targetElt = targetType.getElementType();
  int64_t rank = inputType.getRank();
  DenseI64ArrayAttr classAxis = builder.getDenseI64ArrayAttr({1});
  bool ok = true;
  auto use = [&](FailureOr<Value> v) -> Value {
    if (failed(v)) {
      ok = false;
      return *input;
    }
    return *v;
  };
  Value logProb = *input;
  if (softmax) {
    // x - max - log(sum(exp(x - max))) along the classes.
    Value x = *input;
    Value m = use(finish(ReduceMaxOp::create(builder, node.loc, x.getType(),
                                             x, classAxis,
                                             builder.getUnitAttr())));
    if (!ok)
      return failure();
    Value shifted = use(elementwise<SubOp>(node, {x, m}));
    Value e = use(elementwise<ExpOp>(node, shifted));
    if (!ok)
      return failure();
    Value sum = use(finish(ReduceSumOp::create(builder, node.loc, e.getType(),
                                               e, classAxis,
                                               builder.getUnitAttr())));
    Value lse = use(elementwise<LogOp>(node, sum));
    logProb = use(elementwise<SubOp>(node, {shifted, lse}));
    if (!ok)
      return failure();
  }
  // Ignored positions read class 0 and weigh 0.
  Value safeTarget = *target, keep;
  if (ignore) {
    Value ignored = use(finish(CompareOp::create(
        builder, node.loc, targetType,
        ComparePredicateAttr::get(ctx, ComparePredicate::eq), *target,
        createScalar(targetElt, double(*ignore), node.loc))));
    if (!ok)
      return failure();
    keep = use(finish(NotOp::create(builder, node.loc, ignored.getType(),
                                    ignored)));
    safeTarget = use(finish(WhereOp::create(
        builder, node.loc, targetType, keep, *target,
        createScalar(targetElt, 0, node.loc))));
    if (!ok)
      return failure();
  }
  SmallVector<int64_t> pickShape(targetType.getShape());
  pickShape.insert(pickShape.begin() + 1, 1);
  FailureOr<Value> index = reshape(safeTarget, pickShape, node.loc);
  if (failed(index))
    return failure();
  Value picked = use(finish(GatherElementsOp::create(
      builder, node.loc, logProb.getType(), logProb, *index,
      builder.getI64IntegerAttr(1))));
  if (!ok)
    return failure();
  FailureOr<Value> flat = reshape(picked, targetType.getShape(), node.loc);
  if (failed(flat))
    return failure();
  Value loss = use(elementwise<SubOp>(node, {createScalar(elt, 0, node.loc),
                                             *flat}));
  Value weights; // per position; null means all ones
  if (*weight) {
    weights = use(finish(GatherOp::create(builder, node.loc,
                                          weight->getType(), *weight,
                                          safeTarget,
                                          builder.getI64IntegerAttr(0))));
    if (!ok)
      return failure();
  }
  if (keep) {
    Value zero = createScalar(elt, 0, node.loc);
    Value one = createScalar(elt, 1, node.loc);
    weights = use(finish(WhereOp::create(builder, node.loc, loss.getType(),
                                         keep, weights ? weights : one,
                                         zero)));
  }
  if (weights)
    loss = use(elementwise<MulOp>(node, {loss, weights}));
  if (!ok)
    return failure();
  if (*reduction != "none") {
    DenseI64ArrayAttr all = builder.getDenseI64ArrayAttr(
        llvm::to_vector(llvm::seq<int64_t>(0, rank - 1)));
    auto total = [&](Value v) {
      return use(finish(ReduceSumOp::create(builder, node.loc, v.getType(), v,
                                            all, UnitAttr())));
    };
    Value sum = total(loss);
    if (*reduction == "mean") {
      Value count =
          weights ? total(weights)
                  : createScalar(elt, double(targetType.getNumElements()),
                                 node.loc);
      sum = use(elementwise<DivOp>(node, {sum, count}));
    }
    loss = sum;
  }
  if (!ok || failed(setOutput(node, 0, loss)))
    return failure();
  if (softmax && node.proto.output_size() > 1)
    return setOutput(node, 1, logProb);
  return success();
}

LogicalResult ONNXImporter::importWhere(const Node &node) {
  if (failed(node.checkArity(3, 3)))
    return failure();
  FailureOr<Value> cond = operand(node, 0), x = operand(node, 1),
                   y = operand(node, 2);
  if (failed(cond) || failed(x) || failed(y))
    return failure();
  FailureOr<Value> result = finish(
      WhereOp::create(builder, node.loc, x->getType(), *cond, *x, *y));
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

LogicalResult ONNXImporter::importPow(const Node &node) {
  if (failed(node.checkArity(2, 2)))
    return failure();
  FailureOr<Value> base = operand(node, 0), exponent = operand(node, 1);
  if (failed(base) || failed(exponent))
    return failure();
  // ONNX lets the exponent have another element type; weft.pow wants one.
  // An integer exponent of a float base is exact in the base's type.
  auto baseType = cast<RankedTensorType>(base->getType());
  auto expType = cast<RankedTensorType>(exponent->getType());
  if (baseType.getElementType() != expType.getElementType()) {
    if (!isa<FloatType>(baseType.getElementType()))
      return node.error() << "an integer base needs an exponent of the same "
                             "type, got "
                          << baseType << " and " << expType;
    exponent = finish(CastOp::create(
        builder, node.loc, expType.clone(baseType.getElementType()),
        *exponent));
    if (failed(exponent))
      return failure();
  }
  FailureOr<Value> result = finish(
      PowOp::create(builder, node.loc, baseType, *base, *exponent));
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

LogicalResult ONNXImporter::importConstant(const Node &node) {
  if (failed(node.checkArity(0, 0)))
    return failure();
  if (node.proto.attribute_size() != 1)
    return node.error() << "expected exactly one value attribute";
  const AttributeProto &attr = node.proto.attribute(0);
  const TensorProto *tensor = nullptr;
  StringRef attrName = attr.name();
  if (attrName == "value") {
    if (!attr.has_t())
      return node.error() << "attribute 'value' must be a tensor";
    tensor = &attr.t();
  } else if (attrName == "value_float" || attrName == "value_floats" ||
             attrName == "value_int" || attrName == "value_ints") {
    // Scalars and lists become tensors, as ONNX defines them.
    TensorProto &owned = ownedTensors.emplace_back();
    owned.set_name(node.proto.output(0));
    if (attrName == "value_float") {
      owned.set_data_type(TensorProto::FLOAT);
      owned.add_float_data(attr.f());
    } else if (attrName == "value_floats") {
      owned.set_data_type(TensorProto::FLOAT);
      owned.add_dims(attr.floats_size());
      *owned.mutable_float_data() = attr.floats();
    } else if (attrName == "value_int") {
      owned.set_data_type(TensorProto::INT64);
      owned.add_int64_data(attr.i());
    } else {
      owned.set_data_type(TensorProto::INT64);
      owned.add_dims(attr.ints_size());
      *owned.mutable_int64_data() = attr.ints();
    }
    tensor = &owned;
  } else {
    return node.error() << "attribute '" << attrName
                        << "' is not supported (sparse and string constants "
                           "have no weft form)";
  }
  // Like an initializer: materialized on first use, readable by Reshape.
  if (failed(define(node.proto.output(0), node.loc)))
    return failure();
  constants[node.proto.output(0)] = tensor;
  return success();
}

LogicalResult ONNXImporter::importIdentity(const Node &node) {
  if (failed(node.checkArity(1, 1)))
    return failure();
  // Keep constants constant, so a Reshape behind an Identity still sees its
  // shape.
  if (const TensorProto *constant = constantOperand(node, 0)) {
    if (failed(define(node.proto.output(0), node.loc)))
      return failure();
    constants[node.proto.output(0)] = constant;
    return success();
  }
  FailureOr<Value> input = operand(node, 0);
  if (failed(input))
    return failure();
  return setOutput(node, 0, *input);
}

/// ONNX DequantizeLinear has three forms; weft.dequantize has one:
/// `scale` with the input's shape except along `axis`, where it has
/// ceil(dim / block_size) entries, or 1 for block_size 0. The forms map as:
///  - blocked (block_size > 0, opset 21): the same layout, taken as is.
///  - per-axis (1-D scale along axis a): rank 1: axis 0, block_size 1 (one
///    scale per element); rank >= 2: block_size 0 along an axis b != a, with
///    the scale laid out as [d0, ..., 1 (at b), ..., dn] (a reshape for rank
///    2, a broadcast of the constant above).
///  - per-tensor (scalar scale): block_size 0 along axis 0, the scale
///    broadcast to [1, d1, ..., dn].
/// Zero points follow their scales; an absent zero point is 0 in both.
LogicalResult ONNXImporter::importDequantizeLinear(const Node &node) {
  if (failed(node.checkArity(2, 3)))
    return failure();
  FailureOr<Value> input = operand(node, 0), scale = operand(node, 1),
                   zeroPoint = optionalOperand(node, 2);
  FailureOr<int64_t> axisAttr = node.getInt("axis", 1);
  FailureOr<int64_t> blockSize = node.getInt("block_size", 0);
  if (failed(input) || failed(scale) || failed(zeroPoint) || failed(axisAttr) ||
      failed(blockSize))
    return failure();
  auto inputType = cast<RankedTensorType>(input->getType());
  auto scaleType = cast<RankedTensorType>(scale->getType());
  int64_t rank = inputType.getRank();
  if (rank == 0)
    return node.error() << "dequantizing a scalar is not supported";
  if (*zeroPoint && cast<RankedTensorType>(zeroPoint->getType()).getShape() !=
                        scaleType.getShape())
    return node.error() << "the zero point must have the shape of the scale";

  int64_t axis = 0, weftBlockSize = 0, sourceAxis = -1;
  SmallVector<int64_t> paramShape(inputType.getShape());
  if (*blockSize > 0) {
    std::optional<int64_t> a = normalizeAxis(*axisAttr, rank);
    if (!a)
      return node.error() << "axis " << *axisAttr
                          << " is out of range for rank " << rank;
    axis = *a;
    weftBlockSize = *blockSize;
    paramShape.assign(scaleType.getShape().begin(), scaleType.getShape().end());
  } else if (scaleType.getRank() == 0 ||
             (scaleType.getRank() == 1 && scaleType.getDimSize(0) == 1)) {
    // Per-tensor.
    paramShape[0] = 1;
  } else if (scaleType.getRank() == 1) {
    // Per-axis.
    std::optional<int64_t> a = normalizeAxis(*axisAttr, rank);
    if (!a)
      return node.error() << "axis " << *axisAttr
                          << " is out of range for rank " << rank;
    if (scaleType.getDimSize(0) != inputType.getDimSize(*a))
      return node.error() << "per-axis scale " << scaleType
                          << " does not match dimension " << *a << " of "
                          << inputType;
    sourceAxis = *a;
    if (rank == 1) {
      weftBlockSize = 1;
    } else {
      axis = *a == 0 ? 1 : 0;
      paramShape[axis] = 1;
    }
  } else {
    return node.error() << "scale " << scaleType
                        << " is neither a scalar, a 1-D per-axis scale nor "
                           "(with block_size) a blocked scale";
  }
  if (ShapedType::isDynamicShape(paramShape))
    return node.error() << "the scale's weft layout depends on dynamic "
                           "dimensions of "
                        << inputType;
  scale = adaptQuantParam(node, *scale, constantOperand(node, 1), paramShape,
                          sourceAxis, "the scale");
  if (succeeded(scale) && *zeroPoint)
    zeroPoint = adaptQuantParam(node, *zeroPoint, constantOperand(node, 2),
                                paramShape, sourceAxis, "the zero point");
  if (failed(scale) || failed(zeroPoint))
    return failure();
  FailureOr<Value> result = finish(
      DequantizeOp::create(builder, node.loc, scale->getType(), *input, *scale,
                           *zeroPoint, builder.getI64IntegerAttr(axis),
                           builder.getI64IntegerAttr(weftBlockSize)));
  if (failed(result))
    return failure();
  return setOutput(node, 0, *result);
}

/// com.microsoft MatMulNBits: Y = A x dequantize(B) (+ bias). The weight is
/// stored transposed and packed: B is uint8 [N, n_blocks, block_size * bits /
/// 8] with n_blocks = ceil(K / block_size); within a block, element j is the
/// `bits`-wide field at bit j * bits of the block's bytes, least significant
/// first (for 4 bits: byte j / 2, low nibble for even j). Scales are [N *
/// n_blocks] (or [N, n_blocks]), n-major; zero points, when given, are uint8
/// packed the same way along the blocks of each column, ceil(n_blocks * bits
/// / 8) bytes per column. Without zero points the zero point is 2^(bits-1)
/// (8 for 4 bits).
///
/// weft.qmatmul takes the logical form, built here from the constants:
/// weight ui<bits> [K, N] with weight[k][n] = element k % block_size of block
/// k / block_size of column n (padding past K dropped), scale [n_blocks, N]
/// with scale[b][n] = scales[n * n_blocks + b], and a ui<bits> zero point of
/// the same shape, materialized as a splat 2^(bits-1) when absent, since a
/// missing weft zero point means 0.
LogicalResult ONNXImporter::importMatMulNBits(const Node &node) {
  if (failed(node.checkArity(3, 6)))
    return failure();
  FailureOr<Value> a = operand(node, 0), bias = optionalOperand(node, 5);
  FailureOr<int64_t> k = node.getInt("K", std::nullopt),
                     n = node.getInt("N", std::nullopt),
                     bits = node.getInt("bits", 4),
                     blockSize = node.getInt("block_size", std::nullopt);
  if (failed(a) || failed(bias) || failed(k) || failed(n) || failed(bits) ||
      failed(blockSize))
    return failure();
  if (*bits != 2 && *bits != 4 && *bits != 8)
    return node.error() << "bits must be 2, 4 or 8, got " << *bits;
  if (*blockSize < 16 || !llvm::isPowerOf2_64(*blockSize))
    return node.error() << "block_size must be a power of 2 >= 16, got "
                        << *blockSize;
  if (*k <= 0 || *n <= 0)
    return node.error() << "K and N must be positive, got K = " << *k
                        << ", N = " << *n;
  if (node.proto.input_size() > 4 && !node.proto.input(4).empty())
    return node.error() << "g_idx (act-order) is not supported";

  const int64_t numBlocks = llvm::divideCeil(*k, *blockSize);
  const int64_t blobSize = *blockSize * *bits / 8;
  const int64_t zpBytesPerColumn = llvm::divideCeil(numBlocks * *bits, 8);
  const unsigned mask = (1u << *bits) - 1;

  // The packed operands are re-laid out here, so they must be constants.
  auto readConstant = [&](int index, StringRef what) -> FailureOr<TensorData> {
    const TensorProto *tensor = constantOperand(node, index);
    if (!tensor) {
      node.error() << what << " ('" << node.proto.input(index)
                   << "') must be an initializer";
      return failure();
    }
    return readTensor(*tensor, node.loc);
  };
  FailureOr<TensorData> packed = readConstant(1, "B");
  if (failed(packed))
    return failure();
  if (packed->type.getElementType() !=
          IntegerType::get(ctx, 8, IntegerType::Unsigned) ||
      packed->type.getShape() != ArrayRef<int64_t>{*n, numBlocks, blobSize})
    return node.error() << "B must be uint8 [" << *n << ", " << numBlocks
                        << ", " << blobSize << "] for K = " << *k
                        << ", N = " << *n << ", bits = " << *bits
                        << ", block_size = " << *blockSize << ", got "
                        << packed->type;
  FailureOr<TensorData> scales = readConstant(2, "scales");
  if (failed(scales))
    return failure();
  Type floatType = scales->type.getElementType();
  if (!isa<FloatType>(floatType) || scales->numElements() != *n * numBlocks)
    return node.error() << "scales must hold N * n_blocks = " << *n * numBlocks
                        << " floats, got " << scales->type;
  std::optional<TensorData> zeroPoints;
  if (node.proto.input_size() > 3 && !node.proto.input(3).empty()) {
    FailureOr<TensorData> zp = readConstant(3, "zero_points");
    if (failed(zp))
      return failure();
    if (zp->type.getElementType() !=
        IntegerType::get(ctx, 8, IntegerType::Unsigned))
      return node.error() << "zero_points must be packed uint8 (float zero "
                             "points are not supported), got "
                          << zp->type;
    if (zp->numElements() != *n * zpBytesPerColumn)
      return node.error() << "zero_points must hold N * ceil(n_blocks * bits "
                             "/ 8) = "
                          << *n * zpBytesPerColumn << " bytes, got "
                          << zp->type;
    zeroPoints = std::move(*zp);
  }

  // The `bits`-wide field at bit `bit` of `bytes` (fields never straddle a
  // byte for 2, 4 and 8 bits).
  auto field = [&](const char *bytes, int64_t bit) -> uint8_t {
    return (static_cast<uint8_t>(bytes[bit / 8]) >> (bit % 8)) & mask;
  };
  Type intType = IntegerType::get(ctx, *bits, IntegerType::Unsigned);
  TensorData weight{RankedTensorType::get({*k, *n}, intType),
                    std::vector<char>(*k * *n)};
  for (int64_t col = 0; col < *n; ++col)
    for (int64_t row = 0; row < *k; ++row) {
      const char *blob = packed->bytes.data() +
                         (col * numBlocks + row / *blockSize) * blobSize;
      weight.bytes[row * *n + col] = field(blob, (row % *blockSize) * *bits);
    }
  int64_t width = storageBytes(floatType);
  TensorData scale{RankedTensorType::get({numBlocks, *n}, floatType),
                   std::vector<char>(numBlocks * *n * width)};
  TensorData zeroPoint{RankedTensorType::get({numBlocks, *n}, intType),
                       std::vector<char>(numBlocks * *n)};
  for (int64_t col = 0; col < *n; ++col)
    for (int64_t block = 0; block < numBlocks; ++block) {
      std::memcpy(scale.bytes.data() + (block * *n + col) * width,
                  scales->bytes.data() + (col * numBlocks + block) * width,
                  width);
      zeroPoint.bytes[block * *n + col] =
          zeroPoints ? field(zeroPoints->bytes.data() + col * zpBytesPerColumn,
                             block * *bits)
                     : static_cast<char>(1u << (*bits - 1));
    }

  StringRef weightName = node.proto.input(1);
  Value weightValue = createConstant(weight, weightName, nameLoc(weightName));
  Value scaleValue =
      createConstant(scale, node.proto.input(2), nameLoc(node.proto.input(2)));
  Value zeroPointValue;
  if (zeroPoints) {
    zeroPointValue = createConstant(zeroPoint, node.proto.input(3),
                                    nameLoc(node.proto.input(3)));
  } else {
    // A splat prints as one value whatever the size.
    zeroPointValue = arith::ConstantOp::create(
        builder, node.loc,
        DenseElementsAttr::get(zeroPoint.type,
                               IntegerAttr::get(intType, 1u << (*bits - 1))));
  }
  FailureOr<Value> result = finish(QMatmulOp::create(
      builder, node.loc, a->getType(), *a, weightValue, scaleValue,
      zeroPointValue, builder.getI64IntegerAttr(*blockSize)));
  if (failed(result))
    return failure();
  if (*bias) {
    result = finish(
        AddOp::create(builder, node.loc, result->getType(), *result, *bias));
    if (failed(result))
      return failure();
  }
  return setOutput(node, 0, *result);
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp> mlir::weft::importONNX(StringRef bytes,
                                             StringRef fileName,
                                             MLIRContext *context) {
  context->loadDialect<WeftDialect, func::FuncDialect, arith::ArithDialect>();
  return ONNXImporter(context, fileName).import(bytes);
}

void mlir::weft::registerImportONNXTranslation() {
  TranslateToMLIRRegistration registration(
      "import-onnx", "import an ONNX model (binary protobuf) into weft",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        return importONNX(buffer->getBuffer(), buffer->getBufferIdentifier(),
                          context);
      },
      [](DialectRegistry &registry) {
        registry.insert<WeftDialect, func::FuncDialect, arith::ArithDialect>();
      });
}
