//===- weft-hip-launch.cpp - runs one Weft code object with HIP -----------===//
//
// weft-hip-launch k.hsaco --arg-sizes=200x150,150x230,230,200x230
//                 --scalars=150 [--grid=x,y,z]
// Fills the tensor arguments with a deterministic pattern, launches the
// kernel by its manifest and prints the time and a checksum of every tensor
// after the run. Built only with ROCm (lib/Runtime/HIP).
//
//===----------------------------------------------------------------------===//
#include "weft/Runtime/HIP/HipRuntime.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <vector>

using namespace llvm;
using namespace mlir::weft;

static cl::opt<std::string> binary(cl::Positional, cl::Required,
                                   cl::desc("<kernel.hsaco>"));
static cl::opt<std::string> argSizes("arg-sizes", cl::init(""),
                                     cl::desc("shapes of the tensor arguments"));
static cl::opt<std::string> scalars("scalars", cl::init(""),
                                    cl::desc("values of the scalar arguments"));
static cl::opt<std::string> gridText("grid", cl::init(""),
                                     cl::desc("grid when the manifest has none"));

static int fail(Error error) {
  errs() << "weft-hip-launch: " << toString(std::move(error)) << "\n";
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(argc, argv, "Launches a Weft code object\n");
  Expected<std::unique_ptr<hip::HipKernel>> kernel =
      hip::HipKernel::load(binary);
  if (!kernel)
    return fail(kernel.takeError());
  const cuda::KernelManifest &manifest = (*kernel)->manifest();
  SmallVector<StringRef> shapes, values;
  SplitString(argSizes, shapes, ",");
  SplitString(scalars, values, ",");
  std::vector<hip::DeviceBuffer> buffers;
  std::vector<cuda::BoundArgument> args;
  size_t nextShape = 0, nextScalar = 0;
  for (const cuda::ArgumentInfo &info : manifest.arguments) {
    cuda::BoundArgument arg;
    if (!info.isTensor) {
      if (nextScalar >= values.size() ||
          !to_integer(values[nextScalar++], arg.intValue))
        return fail(createStringError(inconvertibleErrorCode(),
                                      "missing or bad --scalars value"));
      args.push_back(arg);
      continue;
    }
    if (nextShape >= shapes.size())
      return fail(createStringError(inconvertibleErrorCode(),
                                    "missing --arg-sizes shape"));
    SmallVector<StringRef> dims;
    SplitString(shapes[nextShape++], dims, "x");
    int64_t elements = 1;
    for (StringRef dim : dims) {
      int64_t size = 0;
      if (!to_integer(dim, size) || size < 0)
        return fail(createStringError(inconvertibleErrorCode(),
                                      "bad shape in --arg-sizes"));
      arg.shape.push_back(size);
      elements *= size;
    }
    size_t bytes = size_t(elements) * cuda::elementTypeBytes(info.element);
    Expected<hip::DeviceBuffer> buffer = hip::DeviceBuffer::allocate(bytes);
    if (!buffer)
      return fail(buffer.takeError());
    // A small repeating pattern of exact values in any element type.
    std::vector<uint8_t> host(bytes);
    for (size_t i = 0; i < bytes; ++i)
      host[i] = uint8_t((i * 7) % 61);
    if (Error error = buffer->copyFromHost(host.data(), bytes))
      return fail(std::move(error));
    arg.deviceAddress = buffer->address();
    buffers.push_back(std::move(*buffer));
    args.push_back(arg);
  }
  std::array<unsigned, 3> grid = {0, 1, 1};
  SmallVector<StringRef> gridParts;
  SplitString(gridText, gridParts, ",");
  for (size_t i = 0; i < gridParts.size() && i < 3; ++i)
    (void)to_integer(gridParts[i], grid[i]);
  Expected<float> milliseconds = (*kernel)->launch(args, grid);
  if (!milliseconds)
    return fail(milliseconds.takeError());
  outs() << "weft-hip-launch: " << manifest.kernel << " ran in "
         << format("%.3f", *milliseconds) << " ms\n";
  for (auto [index, buffer] : enumerate(buffers)) {
    std::vector<uint8_t> host(buffer.size());
    if (Error error = buffer.copyToHost(host.data(), host.size()))
      return fail(std::move(error));
    uint64_t sum = 0;
    for (uint8_t byte : host)
      sum = sum * 31 + byte;
    outs() << "tensor " << index << " checksum " << sum << "\n";
  }
  return 0;
}
