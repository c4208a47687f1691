"""Small ONNX models for the importer's lit tests.

ONNX models are binary, so the tests build them when they run:
    %python models.py <name> <out.onnx>
writes the model `<name>` (a function below) to <out.onnx>. Weights are
deterministic (fixed values or a seeded numpy generator).
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F32 = TensorProto.FLOAT


def tensor(name, dtype, shape):
    return helper.make_tensor_value_info(name, dtype, shape)


def model(nodes, inputs, outputs, initializers=(), opset=17, ms=False,
          value_info=(), name="test_graph"):
    graph = helper.make_graph(nodes, name, inputs, outputs,
                              initializer=list(initializers),
                              value_info=list(value_info))
    opsets = [helper.make_opsetid("", opset)]
    if ms:
        opsets.append(helper.make_opsetid("com.microsoft", 1))
    return helper.make_model(graph, opset_imports=opsets,
                             producer_name="weft-tests")


def init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def node(op, inputs, outputs, name, domain="", **attrs):
    return helper.make_node(op, inputs, outputs, name=name, domain=domain,
                            **attrs)


# --- Supported ops ----------------------------------------------------------

def elementwise():
    nodes = [
        node("Add", ["x", "b"], ["add"], "add_node"),
        node("Sub", ["add", "x"], ["sub"], "sub_node"),
        node("Mul", ["sub", "x"], ["mul"], "mul_node"),
        node("Div", ["mul", "b"], ["div"], "div_node"),
        node("Max", ["div", "x", "b"], ["max"], "max_node"),
        node("Relu", ["max"], ["relu"], "relu_node"),
        node("Exp", ["relu"], ["exp"], "exp_node"),
        node("Sigmoid", ["exp"], ["sigmoid"], "sigmoid_node"),
        node("Tanh", ["sigmoid"], ["tanh"], "tanh_node"),
        node("Erf", ["tanh"], ["erf"], "erf_node"),
        node("Sqrt", ["erf"], ["sqrt"], "sqrt_node"),
        node("Neg", ["sqrt"], ["neg"], "neg_node"),
        node("Log", ["neg"], ["log"], "log_node"),
        node("Abs", ["log"], ["abs"], "abs_node"),
        node("Reciprocal", ["abs"], ["reciprocal"], "reciprocal_node"),
        node("Floor", ["reciprocal"], ["floor"], "floor_node"),
        node("Ceil", ["floor"], ["ceil"], "ceil_node"),
        node("Sin", ["ceil"], ["sin"], "sin_node"),
        node("Cos", ["sin"], ["y"], "cos_node"),
    ]
    return model(nodes, [tensor("x", F32, [2, 8]), tensor("b", F32, [8])],
                 [tensor("y", F32, [2, 8])])


def linalg():
    rng = np.random.default_rng(0)
    nodes = [
        node("MatMul", ["a", "w"], ["mm"], "matmul_2d"),
        node("MatMul", ["batched", "mm"], ["bmm"], "matmul_batched"),
        node("MatMul", ["v", "w"], ["vm"], "matmul_vector"),
        node("Gemm", ["a", "gw", "gc"], ["gemm"], "gemm_node",
             alpha=0.5, beta=2.0, transB=1),
        node("Gemm", ["at", "w"], ["gemm2"], "gemm_plain", transA=1),
    ]
    inits = [
        init("w", rng.standard_normal((4, 3)).astype(np.float32)),
        init("gw", rng.standard_normal((3, 4)).astype(np.float32)),
        init("gc", np.array([1, 2, 3], dtype=np.float32)),
    ]
    return model(nodes, [tensor("a", F32, [5, 4]),
                         tensor("batched", F32, [2, 6, 5]),
                         tensor("v", F32, [4]),
                         tensor("at", F32, [4, 5])],
                 [tensor("mm", F32, [5, 3]), tensor("bmm", F32, [2, 6, 3]),
                  tensor("vm", F32, [3]), tensor("gemm", F32, [5, 3]),
                  tensor("gemm2", F32, [5, 3])], inits)


def shapes():
    nodes = [
        node("Constant", [], ["shape"], "shape_const",
             value=init("s", np.array([0, -1, 4], dtype=np.int64))),
        node("Reshape", ["x", "shape"], ["r"], "reshape_node"),
        node("Transpose", ["r"], ["t"], "transpose_node", perm=[1, 0, 2]),
        node("Transpose", ["t"], ["tdefault"], "transpose_default"),
        node("Identity", ["tdefault"], ["y"], "identity_node"),
        node("Reshape", ["x", "flat"], ["flat_out"], "reshape_init"),
    ]
    return model(nodes, [tensor("x", F32, [2, 3, 8])],
                 [tensor("y", F32, [4, 2, 6]),
                  tensor("flat_out", F32, [48])],
                 [init("flat", np.array([48], dtype=np.int64))])


def norms():
    rng = np.random.default_rng(1)
    nodes = [
        node("Softmax", ["x"], ["sm"], "softmax_node", axis=1),
        node("LayerNormalization", ["sm", "gamma", "beta"], ["ln"],
             "layernorm_node", axis=-1, epsilon=1e-6),
        node("LayerNormalization", ["ln", "gamma"], ["ln2"],
             "layernorm_nobias"),
        node("SimplifiedLayerNormalization", ["ln2", "gamma"], ["rms"],
             "rmsnorm_node", domain="com.microsoft", epsilon=1e-5),
        node("Gelu", ["rms"], ["gelu"], "gelu_node", domain="com.microsoft"),
        node("FastGelu", ["gelu", "beta"], ["y"], "fastgelu_node",
             domain="com.microsoft"),
    ]
    inits = [init("gamma", rng.standard_normal(32).astype(np.float32)),
             init("beta", rng.standard_normal(32).astype(np.float32))]
    return model(nodes, [tensor("x", F32, [4, 32])],
                 [tensor("y", F32, [4, 32])], inits, ms=True)


def gelu_opset20():
    nodes = [node("Gelu", ["x"], ["y"], "gelu_tanh", approximate="tanh")]
    return model(nodes, [tensor("x", F32, [4])], [tensor("y", F32, [4])],
                 opset=20)


def data_ops():
    I64 = TensorProto.INT64
    nodes = [
        node("Concat", ["x", "x"], ["cat"], "concat_node", axis=-1),
        # x[1:, ::-2] of the [2, 16] concatenation.
        node("Slice", ["cat", "starts", "ends", "axes", "steps"], ["sl"],
             "slice_node"),
        node("Gather", ["x", "ids"], ["g"], "gather_const", axis=1),
        node("Gather", ["x", "rt_ids"], ["gd"], "gather_dynamic"),
        node("Cast", ["cond"], ["condf"], "cast_node", to=TensorProto.FLOAT16),
        node("Where", ["cond", "x", "zero"], ["w"], "where_node"),
        node("Pow", ["w", "two"], ["p"], "pow_node"),
        node("Pow", ["w", "three"], ["pi"], "pow_int_exponent"),
    ]
    inits = [
        init("starts", np.array([1, -1], dtype=np.int64)),
        init("ends", np.array([100, -100], dtype=np.int64)),
        init("axes", np.array([0, 1], dtype=np.int64)),
        init("steps", np.array([1, -2], dtype=np.int64)),
        init("ids", np.array([[0, 7], [-1, 2]], dtype=np.int64)),
        init("zero", np.array(0, dtype=np.float32)),
        init("two", np.array(2, dtype=np.float32)),
        init("three", np.array(3, dtype=np.int32)),
    ]
    return model(nodes, [tensor("x", F32, [2, 8]),
                         tensor("rt_ids", I64, [3]),
                         tensor("cond", TensorProto.BOOL, [8])],
                 [tensor("sl", F32, [1, 8]), tensor("g", F32, [2, 2, 2]),
                  tensor("gd", F32, [3, 8]), tensor("condf", TensorProto.FLOAT16, [8]),
                  tensor("p", F32, [2, 8]), tensor("pi", F32, [2, 8])], inits)


def reductions():
    nodes = [
        node("ReduceMean", ["x"], ["mean"], "mean_node", axes=[-1]),
        node("ReduceMax", ["x"], ["max"], "max_node", axes=[0, 2],
             keepdims=0),
        node("ReduceSum", ["x", "axes"], ["sum"], "sum_node", keepdims=0),
        node("ReduceSum", ["x"], ["all"], "sum_all"),
        node("ReduceSum", ["x"], ["same"], "sum_noop", noop_with_empty_axes=1),
    ]
    return model(nodes, [tensor("x", F32, [3, 4, 5])],
                 [tensor("mean", F32, [3, 4, 1]), tensor("max", F32, [4]),
                  tensor("sum", F32, [3, 5]), tensor("all", F32, [1, 1, 1]),
                  tensor("same", F32, [3, 4, 5])],
                 [init("axes", np.array([1], dtype=np.int64))])


def reductions_opset18():
    nodes = [node("ReduceMean", ["x", "axes"], ["mean"], "mean_node",
                  keepdims=0)]
    return model(nodes, [tensor("x", F32, [3, 4])], [tensor("mean", F32, [4])],
                 [init("axes", np.array([0], dtype=np.int64))], opset=18)


def runtime_slice():
    I64 = TensorProto.INT64
    nodes = [node("Slice", ["x", "starts", "ends"], ["y"], "rt_slice")]
    return model(nodes, [tensor("x", F32, [4]), tensor("starts", I64, [1]),
                         tensor("ends", I64, [1])], [tensor("y", F32, [2])])


def runtime_axes():
    nodes = [node("ReduceSum", ["x", "axes"], ["y"], "rt_reduce")]
    return model(nodes, [tensor("x", F32, [4]),
                         tensor("axes", TensorProto.INT64, [1])],
                 [tensor("y", F32, [1])])


def cast_string():
    nodes = [node("Cast", ["x"], ["y"], "to_string", to=TensorProto.STRING)]
    return model(nodes, [tensor("x", F32, [4])],
                 [tensor("y", TensorProto.STRING, [4])])


def dequantize():
    nodes = [
        # Per-tensor, rank 2: the scalar scale is broadcast to [1, 4].
        node("DequantizeLinear", ["q8", "s", "z"], ["per_tensor"],
             "dq_per_tensor"),
        # Per-axis along the columns of a [3, 4] weight.
        node("DequantizeLinear", ["q8", "s_axis1", "z_axis1"], ["per_axis"],
             "dq_per_axis", axis=1),
        # Per-axis along the rows.
        node("DequantizeLinear", ["q8", "s_axis0"], ["per_axis0"],
             "dq_per_axis0", axis=0),
        # Per-axis on a 1-D tensor.
        node("DequantizeLinear", ["qv", "s_axis1"], ["per_elem"],
             "dq_vector", axis=0),
    ]
    inits = [
        init("q8", np.arange(12, dtype=np.uint8).reshape(3, 4)),
        init("qv", np.arange(4, dtype=np.uint8)),
        init("s", np.array(0.5, dtype=np.float32)),
        init("z", np.array(3, dtype=np.uint8)),
        init("s_axis1", np.array([1, 2, 3, 4], dtype=np.float32)),
        init("z_axis1", np.array([0, 1, 2, 3], dtype=np.uint8)),
        init("s_axis0", np.array([5, 6, 7], dtype=np.float32)),
    ]
    return model(nodes, [], [tensor("per_tensor", F32, [3, 4]),
                             tensor("per_axis", F32, [3, 4]),
                             tensor("per_axis0", F32, [3, 4]),
                             tensor("per_elem", F32, [4])], inits)


def dequantize_blocked():
    # Opset 21 DequantizeLinear with block_size: int8 [8, 2], blocks of 4
    # along axis 0 (the graph input is not a constant: it is passed through).
    nodes = [node("DequantizeLinear", ["q", "s"], ["y"], "dq_blocked",
                  axis=0, block_size=4)]
    inits = [init("s", np.array([[1, 2], [3, 4]], dtype=np.float32))]
    return model(nodes, [tensor("q", TensorProto.INT8, [8, 2])],
                 [tensor("y", F32, [8, 2])], inits, opset=21)


def dequantize_runtime():
    # Scale and zero point as graph inputs: per-tensor [1] on a 1-D tensor
    # needs no re-layout; a scalar on a 2-D tensor would need a broadcast.
    nodes = [node("DequantizeLinear", ["q", "s", "z"], ["y"], "dq_runtime")]
    return model(nodes, [tensor("q", TensorProto.UINT8, [4]),
                         tensor("s", F32, [1]),
                         tensor("z", TensorProto.UINT8, [1])],
                 [tensor("y", F32, [4])])


def dequantize_runtime_broadcast():
    nodes = [node("DequantizeLinear", ["q", "s"], ["y"], "dq_broadcast")]
    return model(nodes, [tensor("q", TensorProto.INT8, [2, 4]),
                         tensor("s", F32, [])],
                 [tensor("y", F32, [2, 4])])


def pack_nbits(weight, block_size, bits=4):
    """Packs a logical [K, N] weight of `bits`-bit values the way
    MatMulNBits stores it: uint8 [N, n_blocks, block_size * bits / 8]."""
    k, n = weight.shape
    n_blocks = -(-k // block_size)
    padded = np.zeros((n_blocks * block_size, n), dtype=np.uint8)
    padded[:k] = weight
    per_byte = 8 // bits
    cols = padded.T.reshape(n, n_blocks, block_size // per_byte, per_byte)
    packed = np.zeros((n, n_blocks, block_size // per_byte), dtype=np.uint8)
    for j in range(per_byte):
        packed |= (cols[..., j] << (j * bits)).astype(np.uint8)
    return packed


def matmulnbits_tiny():
    # K = 16, N = 1, one block: the unpacked weight has 16 elements and is
    # printed inline, so the test can read the values back.
    weight = np.arange(16, dtype=np.uint8).reshape(16, 1)[::-1].copy()
    nodes = [node("MatMulNBits", ["a", "B", "scales"], ["y"], "mmnb_tiny",
                  domain="com.microsoft", K=16, N=1, bits=4, block_size=16)]
    inits = [init("B", pack_nbits(weight, 16)),
             init("scales", np.array([0.25], dtype=np.float32))]
    return model(nodes, [tensor("a", F32, [2, 16])],
                 [tensor("y", F32, [2, 1])], inits, ms=True)


def nbits_zp_weight():
    return np.random.default_rng(2).integers(0, 16, (40, 3), dtype=np.uint8)


def matmulnbits_zp():
    # K = 40 (not a multiple of the block: the last block is padded), N = 3,
    # blocks of 16, explicit packed zero points and a bias.
    k, n, bs = 40, 3, 16
    n_blocks = 3
    weight = nbits_zp_weight()
    zp = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]], dtype=np.uint8)  # [N, nb]
    zp_packed = np.zeros((n, 2), dtype=np.uint8)
    for c in range(n):
        for b in range(n_blocks):
            zp_packed[c, b // 2] |= zp[c, b] << (4 * (b % 2))
    scales = np.arange(1, n * n_blocks + 1, dtype=np.float32)  # [N * nb]
    nodes = [node("MatMulNBits", ["a", "B", "scales", "zp", "", "bias"],
                  ["y"], "mmnb_zp", domain="com.microsoft",
                  K=k, N=n, bits=4, block_size=bs)]
    inits = [init("B", pack_nbits(weight, bs)), init("scales", scales),
             init("zp", zp_packed.reshape(-1)),
             init("bias", np.array([1, 2, 3], dtype=np.float32))]
    return model(nodes, [tensor("a", F32, [4, k])],
                 [tensor("y", F32, [4, n])], inits, ms=True)


def transformer():
    """A small attention + MLP block (hidden 32, 2 heads of 16, seq 8)."""
    rng = np.random.default_rng(3)
    s, h, heads = 8, 32, 2
    d = h // heads

    def w(name, shape):
        return init(name, (rng.standard_normal(shape) * 0.1).astype(np.float32))

    nodes = [
        node("LayerNormalization", ["x", "ln_g", "ln_b"], ["ln"], "ln1"),
        node("MatMul", ["ln", "wq"], ["q"], "q_proj"),
        node("MatMul", ["ln", "wk"], ["k"], "k_proj"),
        node("MatMul", ["ln", "wv"], ["v"], "v_proj"),
        node("Reshape", ["q", "heads_shape"], ["q4"], "q_split"),
        node("Reshape", ["k", "heads_shape"], ["k4"], "k_split"),
        node("Reshape", ["v", "heads_shape"], ["v4"], "v_split"),
        node("Transpose", ["q4"], ["qh"], "q_heads", perm=[1, 0, 2]),
        node("Transpose", ["k4"], ["kt"], "k_heads_t", perm=[1, 2, 0]),
        node("Transpose", ["v4"], ["vh"], "v_heads", perm=[1, 0, 2]),
        node("MatMul", ["qh", "kt"], ["scores"], "qk"),
        node("Mul", ["scores", "scale"], ["scaled"], "scale"),
        node("Softmax", ["scaled"], ["probs"], "softmax", axis=-1),
        node("MatMul", ["probs", "vh"], ["ctx"], "pv"),
        node("Transpose", ["ctx"], ["ctx_t"], "merge_t", perm=[1, 0, 2]),
        node("Reshape", ["ctx_t", "merged_shape"], ["attn"], "merge"),
        node("MatMul", ["attn", "wo"], ["proj"], "o_proj"),
        node("Add", ["x", "proj"], ["res1"], "residual1"),
        node("LayerNormalization", ["res1", "ln2_g", "ln2_b"], ["ln2"], "ln2"),
        node("MatMul", ["ln2", "w1"], ["up"], "mlp_up"),
        node("Add", ["up", "b1"], ["up_b"], "mlp_up_bias"),
        node("Gelu", ["up_b"], ["act"], "mlp_gelu", domain="com.microsoft"),
        node("MatMul", ["act", "w2"], ["down"], "mlp_down"),
        node("Add", ["res1", "down"], ["y"], "residual2"),
    ]
    inits = [
        init("ln_g", np.ones(h, np.float32)), init("ln_b", np.zeros(h, np.float32)),
        w("wq", (h, h)), w("wk", (h, h)), w("wv", (h, h)), w("wo", (h, h)),
        init("heads_shape", np.array([s, heads, d], np.int64)),
        init("merged_shape", np.array([0, -1], np.int64)),
        init("scale", np.array(1 / np.sqrt(d), np.float32)),
        init("ln2_g", np.ones(h, np.float32)), init("ln2_b", np.zeros(h, np.float32)),
        w("w1", (h, 4 * h)), w("b1", (4 * h,)), w("w2", (4 * h, h)),
    ]
    return model(nodes, [tensor("x", F32, [s, h])], [tensor("y", F32, [s, h])],
                 inits, ms=True, name="transformer_block")


# --- Errors -----------------------------------------------------------------

def unsupported_op():
    nodes = [node("Relu", ["x"], ["r"], "ok_relu"),
             node("Acosh", ["r"], ["y"], "the_acosh")]
    return model(nodes, [tensor("x", F32, [4])], [tensor("y", F32, [4])])


def unsupported_domain():
    nodes = [node("Frobnicate", ["x"], ["y"], "frob", domain="com.example")]
    m = model(nodes, [tensor("x", F32, [4])], [tensor("y", F32, [4])])
    m.opset_import.append(helper.make_opsetid("com.example", 1))
    return m


def wrong_output_shape():
    nodes = [node("MatMul", ["a", "b"], ["y"], "mm")]
    return model(nodes, [tensor("a", F32, [2, 3]), tensor("b", F32, [3, 5])],
                 [tensor("y", F32, [2, 4])])


def wrong_value_info():
    nodes = [node("Relu", ["x"], ["r"], "relu"),
             node("Neg", ["r"], ["y"], "neg")]
    return model(nodes, [tensor("x", F32, [4])], [tensor("y", F32, [4])],
                 value_info=[tensor("r", TensorProto.FLOAT16, [4])])


def shape_mismatch():
    nodes = [node("Add", ["a", "b"], ["y"], "bad_add")]
    return model(nodes, [tensor("a", F32, [2, 3]), tensor("b", F32, [4])],
                 [tensor("y", F32, [2, 3])])


def missing_input():
    nodes = [node("Add", ["x", "nowhere"], ["y"], "dangling")]
    return model(nodes, [tensor("x", F32, [4])], [tensor("y", F32, [4])])


def dynamic_reshape():
    nodes = [node("Reshape", ["x", "shape"], ["y"], "dyn_reshape")]
    return model(nodes, [tensor("x", F32, ["batch", 4])],
                 [tensor("y", F32, [None])],
                 [init("shape", np.array([-1], np.int64))])


def runtime_reshape():
    nodes = [node("Reshape", ["x", "shape"], ["y"], "runtime_shape")]
    return model(nodes, [tensor("x", F32, [2, 4]),
                         tensor("shape", TensorProto.INT64, [1])],
                 [tensor("y", F32, [8])])


def bad_attribute():
    nodes = [node("Softmax", ["x"], ["y"], "softmax_str", axis="last")]
    return model(nodes, [tensor("x", F32, [2, 4])], [tensor("y", F32, [2, 4])])


def bad_axis():
    nodes = [node("Softmax", ["x"], ["y"], "softmax_axis", axis=5)]
    return model(nodes, [tensor("x", F32, [2, 4])], [tensor("y", F32, [2, 4])])


def bad_perm():
    nodes = [node("Transpose", ["x"], ["y"], "bad_perm", perm=[0, 0])]
    return model(nodes, [tensor("x", F32, [2, 4])], [tensor("y", F32, [4, 2])])


def old_opset():
    # Softmax changed meaning in opset 13 (it flattened to 2-D before).
    nodes = [node("Softmax", ["x"], ["y"], "old_softmax")]
    return model(nodes, [tensor("x", F32, [4])], [tensor("y", F32, [4])],
                 opset=11)


def old_opset_same_meaning():
    # Relu has meant the same since opset 6; ReduceSum takes attribute axes
    # before 13; Unsqueeze too.
    nodes = [node("Relu", ["x"], ["r"], "old_relu"),
             node("ReduceSum", ["r"], ["s"], "old_sum", axes=[1], keepdims=0),
             node("Unsqueeze", ["s"], ["y"], "old_unsqueeze", axes=[0])]
    return model(nodes, [tensor("x", F32, [2, 4])], [tensor("y", F32, [1, 2])],
                 opset=11)


def shape_ops():
    # Shape folds to a constant a Reshape can read; Squeeze / Unsqueeze /
    # Flatten are reshapes; Clip is max then min.
    nodes = [node("Shape", ["x"], ["shp"], "shape_node", start=1),
             node("Shape", ["x"], ["shp_full"], "shape_full"),
             node("Reshape", ["x", "shp_full"], ["same"], "reshape_same"),
             node("Unsqueeze", ["x", "axes"], ["u"], "unsqueeze_node"),
             node("Squeeze", ["u"], ["sq"], "squeeze_node"),
             node("Flatten", ["x3"], ["fl"], "flatten_node", axis=2),
             node("Clip", ["sq", "lo", "hi"], ["cl"], "clip_node"),
             node("Min", ["cl", "x"], ["mn"], "min_node"),
             node("Size", ["x"], ["sz"], "size_node"),
             node("Round", ["mn"], ["y"], "round_node")]
    return model(nodes, [tensor("x", F32, [2, 4]), tensor("x3", F32, [2, 3, 4])],
                 [tensor("y", F32, [2, 4]), tensor("fl", F32, [6, 4]),
                  tensor("shp", TensorProto.INT64, [1]),
                  tensor("sz", TensorProto.INT64, []),
                  tensor("same", F32, [2, 4])],
                 [init("axes", np.array([0], np.int64)),
                  init("lo", np.array(-1.0, np.float32)),
                  init("hi", np.array(1.0, np.float32))])


def quantized_ops():
    u8 = TensorProto.UINT8
    nodes = [node("QuantizeLinear", ["x", "s", "z"], ["q"], "quantize"),
             node("MatMulInteger", ["a", "b", "az", "bz"], ["mmi"], "mm_int"),
             node("QLinearMatMul", ["a", "as", "az", "b", "bs", "bz", "ys",
                                    "yz"], ["qmm"], "qlinear_mm")]
    return model(nodes, [tensor("x", F32, [2, 4]), tensor("a", u8, [2, 3]),
                         tensor("b", u8, [3, 4])],
                 [tensor("q", u8, [2, 4]),
                  tensor("mmi", TensorProto.INT32, [2, 4]),
                  tensor("qmm", u8, [2, 4])],
                 [init("s", np.array(0.5, np.float32)),
                  init("z", np.array(3, np.uint8)),
                  init("az", np.array([1, 2], np.uint8)),
                  init("bz", np.array(4, np.uint8)),
                  init("as", np.array(0.1, np.float32)),
                  init("bs", np.array(0.2, np.float32)),
                  init("ys", np.array(0.3, np.float32)),
                  init("yz", np.array(5, np.uint8))])


def logic_ops():
    nodes = [node("Less", ["x", "b"], ["lt"], "less_node"),
             node("Not", ["lt"], ["nlt"], "not_node"),
             node("Xor", ["nlt", "lt"], ["x1"], "xor_node"),
             node("ArgMax", ["x"], ["am"], "argmax_node", axis=1, keepdims=0,
                  select_last_index=1),
             node("LeakyRelu", ["x"], ["lr"], "leaky_node", alpha=0.1),
             node("Split", ["x", "parts"], ["s0", "s1"], "split_node", axis=1),
             node("Dropout", ["s0"], ["d", "mask"], "dropout_node")]
    return model(nodes, [tensor("x", F32, [2, 4]), tensor("b", F32, [4])],
                 [tensor("x1", TensorProto.BOOL, [2, 4]),
                  tensor("am", TensorProto.INT64, [2]),
                  tensor("lr", F32, [2, 4]), tensor("d", F32, [2, 1]),
                  tensor("s1", F32, [2, 3]),
                  tensor("mask", TensorProto.BOOL, [2, 1])],
                 [init("parts", np.array([1, 3], np.int64))])


def nll_loss():
    nodes = [node("NegativeLogLikelihoodLoss", ["x", "t", "w"], ["y"], "nll",
                  ignore_index=2, reduction="mean")]
    return model(nodes, [tensor("x", F32, [2, 3]),
                         tensor("t", TensorProto.INT64, [2])],
                 [tensor("y", F32, [])],
                 [init("w", np.array([1.0, 2.0, 0.5], np.float32))])


def bad_split():
    nodes = [node("Split", ["x", "parts"], ["s0", "s1"], "split_bad", axis=1)]
    return model(nodes, [tensor("x", F32, [2, 4])],
                 [tensor("s0", F32, [2, 1]), tensor("s1", F32, [2, 1])],
                 [init("parts", np.array([1, 1], np.int64))])


def dropout_training():
    nodes = [node("Dropout", ["x", "", "mode"], ["y"], "dropout_train")]
    return model(nodes, [tensor("x", F32, [2, 4])], [tensor("y", F32, [2, 4])],
                 [init("mode", np.array(True))])


def quantize_blocked():
    nodes = [node("QuantizeLinear", ["x", "s"], ["q"], "q_blocked",
                  block_size=2, axis=1)]
    return model(nodes, [tensor("x", F32, [2, 4])],
                 [tensor("q", TensorProto.UINT8, [2, 4])],
                 [init("s", np.ones((2, 2), np.float32))], opset=21)


def bad_unsqueeze():
    nodes = [node("Unsqueeze", ["x", "axes"], ["y"], "unsq_bad")]
    return model(nodes, [tensor("x", F32, [2, 4])], [tensor("y", F32, [2, 4])],
                 [init("axes", np.array([5], np.int64))])


def bad_squeeze():
    nodes = [node("Squeeze", ["x", "axes"], ["y"], "sq_bad")]
    return model(nodes, [tensor("x", F32, [2, 4])], [tensor("y", F32, [4])],
                 [init("axes", np.array([0], np.int64))])


def dynamic_shape():
    nodes = [node("Shape", ["x"], ["y"], "shape_dyn")]
    return model(nodes, [tensor("x", F32, ["n", 4])],
                 [tensor("y", TensorProto.INT64, [2])])


def layernorm_stash():
    nodes = [node("LayerNormalization", ["x", "g"], ["y", "mean"], "ln_stash",
                  stash_type=11)]
    return model(nodes, [tensor("x", F32, [2, 4])],
                 [tensor("y", F32, [2, 4]), tensor("mean", F32, [2, 1])],
                 [init("g", np.ones(4, np.float32))])


def nbits_bad_packing():
    nodes = [node("MatMulNBits", ["a", "B", "scales"], ["y"], "mmnb_bad",
                  domain="com.microsoft", K=32, N=2, bits=4, block_size=16)]
    inits = [init("B", np.zeros((2, 1, 8), np.uint8)),
             init("scales", np.ones(4, np.float32))]
    return model(nodes, [tensor("a", F32, [1, 32])], [tensor("y", F32, [1, 2])],
                 inits, ms=True)


def layernorm_stats():
    nodes = [node("LayerNormalization", ["x", "g"], ["y", "mean"], "ln_mean")]
    return model(nodes, [tensor("x", F32, [2, 4])],
                 [tensor("y", F32, [2, 4]), tensor("mean", F32, [2, 1])],
                 [init("g", np.ones(4, np.float32))])


def short_raw_data():
    t = init("w", np.ones((4, 4), np.float32))
    t.raw_data = t.raw_data[:10]
    nodes = [node("MatMul", ["x", "w"], ["y"], "mm_short")]
    return model(nodes, [tensor("x", F32, [2, 4])], [tensor("y", F32, [2, 4])],
                 [t])


def unranked_input():
    nodes = [node("Relu", ["x"], ["y"], "relu")]
    x = helper.make_tensor_value_info("x", F32, None)
    return model(nodes, [x], [tensor("y", F32, [4])])


def check_nbits_zp(mlir_path):
    """Reads the unpacked weight of `matmulnbits_zp` back from the importer's
    output (the `B` resource blob: a 4-byte alignment, then one byte per
    ui4 element, row-major [K, N]) and compares it with the logical weight
    the model was packed from."""
    import re
    text = open(mlir_path).read()
    blob = bytes.fromhex(re.search(r'\bB: "0x([0-9A-F]+)"', text).group(1))
    got = np.frombuffer(blob[4:], dtype=np.uint8)
    want = nbits_zp_weight()
    if got.size == want.size and (got.reshape(want.shape) == want).all():
        print("unpacked weight matches")
    else:
        print("unpacked weight differs:", got, want.reshape(-1))


def main():
    if sys.argv[1] == "check_nbits_zp":
        return check_nbits_zp(sys.argv[2])
    name, out = sys.argv[1], sys.argv[2]
    if name == "truncated":
        # The first half of a valid model's bytes.
        data = transformer().SerializeToString()
        with open(out, "wb") as f:
            f.write(data[:len(data) // 2])
        return
    if name == "transformer_external":
        # Every initializer in a data file next to the model.
        import os
        onnx.save_model(transformer(), out, save_as_external_data=True,
                        all_tensors_to_one_file=True,
                        location=os.path.basename(out) + ".data",
                        size_threshold=0)
        return
    m = globals()[name]()
    onnx.save(m, out)


if __name__ == "__main__":
    main()
