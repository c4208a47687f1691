# -*- Python -*-
# lit configuration of the Weft test suite.
import os
import shutil

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

# --param suite_suffix=-sanitizers names a second run's results apart.
config.name = "WEFT" + lit_config.params.get("suite_suffix", "")
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".py"]
config.excludes = ["Inputs", "Unit", "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.weft_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%weft_src_root", config.weft_src_root))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(
    ("%schedule-facts", config.python_executable + " " +
     os.path.join(config.weft_src_root, "utils", "schedule-facts.py")))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

tool_dirs = [config.weft_tools_dir, config.llvm_tools_dir]
# --param mlir_threading=off runs weft-opt and weft-translate (the drivers
# with MLIR's context options) with -mlir-disable-threading, so the suite
# checks both the multithreaded pass manager and the single-threaded one.
mlir_threading = lit_config.params.get("mlir_threading", "on")
if mlir_threading not in ("on", "off"):
    lit_config.fatal("mlir_threading must be 'on' or 'off'")
threading_args = ["-mlir-disable-threading"] if mlir_threading == "off" else []
if mlir_threading == "off":
    config.available_features.add("mlir-threading-off")
tools = [ToolSubst("weft-opt", extra_args=threading_args),
         ToolSubst("weft-translate", extra_args=threading_args),
         "weft-compile", "weft-run", "mlir-opt", "mlir-translate", "llc",
         "llvm-objdump", "llvm-readelf", "llvm-mc", "llvm-nm", "llvm-mca",
         "mlir-runner"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
# The runtime libraries mlir-runner programs call (printMemref*).
mlir_lib_dir = os.path.join(os.path.dirname(config.llvm_tools_dir), "lib")
config.substitutions.append(
    ("%mlir_runner_libs", ",".join(
        os.path.join(mlir_lib_dir, lib) for lib in
        ["libmlir_runner_utils.so", "libmlir_c_runner_utils.so"])))
llvm_config.with_environment("PATH", config.weft_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# The libFuzzer targets of a WEFT_ENABLE_FUZZERS build (test/fuzz).
fuzzers = ["weft-onnx-import-fuzzer", "weft-mlir-parser-fuzzer",
           "weft-schedule-solver-fuzzer"]
if all(os.path.exists(os.path.join(config.weft_tools_dir, f)) for f in fuzzers):
    config.available_features.add("fuzzers")
    llvm_config.add_tool_substitutions(fuzzers, [config.weft_tools_dir])

# Features for what this machine can run.
cuda_bin = "/usr/local/cuda/bin"
if os.path.exists(os.path.join(cuda_bin, "ptxas")):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", os.path.join(cuda_bin, "ptxas")))
if os.path.exists("/dev/nvidia0") or os.environ.get("WEFT_CUDA_GPU"):
    config.available_features.add("cuda-gpu")
# An AMD GPU behind ROCm's kernel driver, and the HIP launcher built.
if getattr(config, "weft_rocm_runtime", False) and (
        os.path.exists("/dev/kfd") or os.environ.get("WEFT_ROCM_GPU")):
    config.available_features.add("rocm-gpu")
    llvm_config.add_tool_substitutions(["weft-hip-launch"], tool_dirs)
# weft-run --cuda and weft-gpu-bench were built (the CUDA toolkit's headers
# were found at configure time).
if config.weft_cuda_runtime:
    config.available_features.add("cuda-runtime")
    # The fake driver (Runtime/CUDA/FakeDriver) that runs the launch path
    # without a GPU.
    config.substitutions.append(
        ("%fake_cuda_driver", os.path.join(config.weft_obj_root, "test",
                                           "Runtime", "CUDA", "FakeDriver",
                                           "fake-libcuda.so")))
if config.weft_gpu_bench:
    config.available_features.add("gpu-bench")
    llvm_config.add_tool_substitutions(["weft-gpu-bench"], tool_dirs)
# NVIDIA's driver stub: loading it exercises the runtime's CUDA error path.
cuda_stub_driver = "/usr/local/cuda/lib64/stubs/libcuda.so"
if os.path.exists(cuda_stub_driver):
    config.available_features.add("cuda-stub-driver")
    config.substitutions.append(("%cuda_stub_driver", cuda_stub_driver))
if shutil.which("qemu-aarch64"):
    config.available_features.add("qemu-aarch64")
# The ONNX backend conformance models (Debian's libonnx-testdata).
onnx_node_data = "/usr/include/onnx/backend/test/data/node"
if os.path.isdir(onnx_node_data):
    config.available_features.add("onnx-testdata")
    config.substitutions.append(("%onnx_node_data", onnx_node_data))
# Static AArch64 executables (model objects + lib/Runtime/weft-cpu-runner.c)
# for qemu-aarch64: clang with the Debian AArch64 cross libraries.
clang = shutil.which("clang-22")
if clang and os.path.exists("/usr/aarch64-linux-gnu/lib/libc.a"):
    config.available_features.add("aarch64-cross")
    config.substitutions.append(
        ("%clang-aarch64-static",
         clang + " --target=aarch64-linux-gnu --gcc-toolchain=/usr "
         "-fuse-ld=lld -static -O2"))
config.substitutions.append(
    ("%weft-cpu-runner-src",
     os.path.join(config.weft_src_root, "lib", "Runtime", "weft-cpu-runner.c")))
config.substitutions.append(("%weft_tools_dir", config.weft_tools_dir))
