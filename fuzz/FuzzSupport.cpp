//===- FuzzSupport.cpp - linked into every fuzz target --------------------===//
//
// ASan defaults of the fuzz targets, so that running one by hand reports what
// CI reports. allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons fresh
// slabs and unpoisons each allocation, but only where its inline code is
// compiled with ASan; a slab our code started and uninstrumented libMLIR
// code then allocates from would read as poisoned (false use-after-poison
// reports). utils/test-sanitizers.sh sets the same for the tools.
//
//===----------------------------------------------------------------------===//

extern "C" __attribute__((used, visibility("default"))) const char *
__asan_default_options() {
  return "allow_user_poisoning=0:detect_leaks=1";
}
