/*===- FakeCudaDriver.c - A CUDA driver for testing without a GPU ---------===*
 *
 * A test double of libcuda.so.1 that the runtime's lit tests load with
 * WEFT_CUDA_DRIVER, so that the whole launch path of weft-run --cuda runs on
 * machines without a GPU: driver loading through cuGetProcAddress, device
 * memory (host memory here: device addresses are host pointers), module and
 * function lookup, the dynamic shared memory attribute, tensor map encoding,
 * launches and event timing. Every call that carries launch-contract data is
 * logged to stderr ("fake-cuda: ..."), so the tests FileCheck the exact
 * parameters and tensor map arguments the runtime produced.
 *
 * Launches execute host emulations of the hand-written test kernels
 * (Inputs/axpy.ptx, Inputs/gemm_naive.ptx, Inputs/tma_copy.ptx), reading
 * their parameters the way the PTX does. cuModuleGetFunction refuses a
 * kernel whose entry the image does not declare; launching a declared
 * kernel without an emulation only logs.
 *
 * It is not a CUDA implementation and claims nothing about GPUs: the same
 * tests run against the real driver where the tests marked cuda-gpu run.
 *===----------------------------------------------------------------------===*/
#include <cuda.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAKE_EXPORT __attribute__((visibility("default")))

static const char *kDeviceName = "Weft fake CUDA driver";

/* A module remembers its image to answer cuModuleGetFunction. */
/* A function is a kernel name within a module. */
typedef struct FakeFunction {
  char name[128];
  struct FakeFunction *next;
} FakeFunction;

/* A module owns the functions looked up in it, as the driver does: they are
 * freed with the module. */
typedef struct {
  const char *image;
  FakeFunction *functions;
} FakeModule;

/* cuTensorMapEncodeTiled records its arguments in this table and writes the
 * record's index into the 128-byte map, which the emulated kernel reads
 * back from "device" memory like the hardware reads the real encoding. */
typedef struct {
  unsigned dataType, rank, swizzle;
  char *global;
  uint64_t dims[5], strides[5];
  uint32_t box[5];
} FakeTensorMap;
enum { kMaxTensorMaps = 64, kTensorMapMagic = 0x77656674 /* "weft" */ };
static FakeTensorMap tensorMaps[kMaxTensorMaps];
static unsigned tensorMapCount;

static CUresult fake_cuInit(unsigned flags) {
  (void)flags;
  return CUDA_SUCCESS;
}
static CUresult fake_cuDeviceGetCount(int *count) {
  *count = 1;
  return CUDA_SUCCESS;
}
static CUresult fake_cuDeviceGet(CUdevice *device, int ordinal) {
  if (ordinal != 0)
    return CUDA_ERROR_INVALID_DEVICE;
  *device = 0;
  return CUDA_SUCCESS;
}
static CUresult fake_cuDeviceGetName(char *name, int length, CUdevice device) {
  (void)device;
  snprintf(name, (size_t)length, "%s", kDeviceName);
  return CUDA_SUCCESS;
}
static CUresult fake_cuDeviceGetAttribute(int *value,
                                          CUdevice_attribute attribute,
                                          CUdevice device) {
  (void)device;
  if (attribute == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)
    *value = 9;
  else if (attribute == CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)
    *value = 0;
  else
    return CUDA_ERROR_INVALID_VALUE;
  return CUDA_SUCCESS;
}
static CUresult fake_cuDevicePrimaryCtxRetain(CUcontext *context,
                                              CUdevice device) {
  (void)device;
  *context = (CUcontext)(uintptr_t)0x1000;
  return CUDA_SUCCESS;
}
static CUresult fake_cuDevicePrimaryCtxRelease(CUdevice device) {
  (void)device;
  return CUDA_SUCCESS;
}
static CUresult fake_cuCtxSetCurrent(CUcontext context) {
  (void)context;
  return CUDA_SUCCESS;
}
static CUresult fake_cuCtxSynchronize(void) { return CUDA_SUCCESS; }

static CUresult fake_cuMemAlloc(CUdeviceptr *pointer, size_t bytes) {
  /* cuMemAlloc aligns to 256 bytes; the runtime relies on it for maps. */
  void *memory = aligned_alloc(256, (bytes + 255) / 256 * 256);
  if (!memory)
    return CUDA_ERROR_OUT_OF_MEMORY;
  *pointer = (CUdeviceptr)(uintptr_t)memory;
  return CUDA_SUCCESS;
}
static CUresult fake_cuMemFree(CUdeviceptr pointer) {
  free((void *)(uintptr_t)pointer);
  return CUDA_SUCCESS;
}
static CUresult fake_cuMemcpyHtoD(CUdeviceptr dst, const void *src,
                                  size_t bytes) {
  memcpy((void *)(uintptr_t)dst, src, bytes);
  return CUDA_SUCCESS;
}
static CUresult fake_cuMemcpyDtoH(void *dst, CUdeviceptr src, size_t bytes) {
  memcpy(dst, (const void *)(uintptr_t)src, bytes);
  return CUDA_SUCCESS;
}
static CUresult fake_cuMemsetD8(CUdeviceptr dst, unsigned char value,
                                size_t bytes) {
  memset((void *)(uintptr_t)dst, value, bytes);
  return CUDA_SUCCESS;
}

static CUresult fake_cuModuleLoadDataEx(CUmodule *module, const void *image,
                                        unsigned numOptions,
                                        CUjit_option *options, void **values) {
  (void)numOptions;
  (void)options;
  (void)values;
  FakeModule *m = malloc(sizeof(FakeModule));
  m->image = (const char *)image;
  m->functions = NULL;
  *module = (CUmodule)m;
  return CUDA_SUCCESS;
}
static CUresult fake_cuModuleUnload(CUmodule module) {
  FakeModule *m = (FakeModule *)module;
  while (m->functions) {
    FakeFunction *next = m->functions->next;
    free(m->functions);
    m->functions = next;
  }
  free(m);
  return CUDA_SUCCESS;
}
static CUresult fake_cuModuleGetFunction(CUfunction *function, CUmodule module,
                                         const char *name) {
  FakeModule *m = (FakeModule *)module;
  /* The images are the tests' PTX (NUL-terminated text): a kernel exists if
   * its entry is declared there. */
  char entry[160];
  snprintf(entry, sizeof(entry), ".entry %s(", name);
  if (!strstr(m->image, entry))
    return CUDA_ERROR_NOT_FOUND;
  FakeFunction *f = malloc(sizeof(FakeFunction));
  snprintf(f->name, sizeof(f->name), "%s", name);
  f->next = m->functions;
  m->functions = f;
  *function = (CUfunction)f;
  return CUDA_SUCCESS;
}
static CUresult fake_cuFuncSetAttribute(CUfunction function,
                                        CUfunction_attribute attribute,
                                        int value) {
  fprintf(stderr, "fake-cuda: cuFuncSetAttribute %s attribute %d = %d\n",
          ((FakeFunction *)function)->name, (int)attribute, value);
  return CUDA_SUCCESS;
}

static CUresult fake_cuTensorMapEncodeTiled(
    CUtensorMap *map, CUtensorMapDataType dataType, cuuint32_t rank,
    void *global, const cuuint64_t *dims, const cuuint64_t *strides,
    const cuuint32_t *box, const cuuint32_t *elementStrides,
    CUtensorMapInterleave interleave, CUtensorMapSwizzle swizzle,
    CUtensorMapL2promotion l2, CUtensorMapFloatOOBfill oobFill) {
  if (rank < 1 || rank > 5 || tensorMapCount == kMaxTensorMaps)
    return CUDA_ERROR_INVALID_VALUE;
  FakeTensorMap *t = &tensorMaps[tensorMapCount];
  t->dataType = dataType;
  t->rank = rank;
  t->swizzle = swizzle;
  t->global = global;
  fprintf(stderr, "fake-cuda: cuTensorMapEncodeTiled type %d rank %u dims",
          (int)dataType, rank);
  for (unsigned i = 0; i < rank; ++i) {
    t->dims[i] = dims[i];
    t->box[i] = box[i];
    fprintf(stderr, "%s%llu", i ? "," : " ", (unsigned long long)dims[i]);
  }
  fprintf(stderr, " strides");
  for (unsigned i = 0; i + 1 < rank; ++i) {
    t->strides[i] = strides[i];
    fprintf(stderr, "%s%llu", i ? "," : " ", (unsigned long long)strides[i]);
  }
  fprintf(stderr, " box");
  for (unsigned i = 0; i < rank; ++i)
    fprintf(stderr, "%s%u", i ? "," : " ", box[i]);
  fprintf(stderr, " element_strides");
  for (unsigned i = 0; i < rank; ++i)
    fprintf(stderr, "%s%u", i ? "," : " ", elementStrides[i]);
  fprintf(stderr, " interleave %d swizzle %d l2 %d oob %d aligned16 %d\n",
          (int)interleave, (int)swizzle, (int)l2, (int)oobFill,
          (int)((uintptr_t)global % 16 == 0));
  memset(map, 0, sizeof(*map));
  uint32_t header[2] = {kTensorMapMagic, tensorMapCount++};
  memcpy(map, header, sizeof(header));
  return CUDA_SUCCESS;
}

/* The map a kernel parameter points to, as the hardware would find it. */
static FakeTensorMap *tensorMapAt(uint64_t address) {
  uint32_t header[2];
  memcpy(header, (const void *)(uintptr_t)address, sizeof(header));
  if (header[0] != kTensorMapMagic || header[1] >= tensorMapCount)
    return NULL;
  return &tensorMaps[header[1]];
}

static unsigned tensorMapElementBytes(unsigned dataType) {
  switch (dataType) {
  case CU_TENSOR_MAP_DATA_TYPE_UINT8:
    return 1;
  case CU_TENSOR_MAP_DATA_TYPE_UINT16:
  case CU_TENSOR_MAP_DATA_TYPE_FLOAT16:
  case CU_TENSOR_MAP_DATA_TYPE_BFLOAT16:
    return 2;
  case CU_TENSOR_MAP_DATA_TYPE_UINT64:
  case CU_TENSOR_MAP_DATA_TYPE_INT64:
  case CU_TENSOR_MAP_DATA_TYPE_FLOAT64:
    return 8;
  default:
    return 4;
  }
}

/* Inputs/axpy.ptx: c[i] = a[i] + alpha * b[i] over three rank-1 memref
 * descriptors (allocated, aligned, offset, size, stride) and an f32. */
static void runAxpy(const unsigned grid[3], const unsigned block[3],
                    void **params, int log) {
  uint64_t d[15];
  for (int i = 0; i < 15; ++i)
    memcpy(&d[i], params[i], 8);
  float alpha;
  memcpy(&alpha, params[15], 4);
  for (int m = 0; log && m < 3; ++m)
    fprintf(stderr,
            "fake-cuda:   memref %c: allocated == aligned: %s, offset %llu, "
            "size %llu, stride %llu\n",
            "abc"[m], d[5 * m] == d[5 * m + 1] && d[5 * m] ? "yes" : "no",
            (unsigned long long)d[5 * m + 2], (unsigned long long)d[5 * m + 3],
            (unsigned long long)d[5 * m + 4]);
  if (log)
    fprintf(stderr, "fake-cuda:   alpha = %g\n", alpha);
  const float *a = (const float *)(uintptr_t)d[1];
  const float *b = (const float *)(uintptr_t)d[6];
  float *c = (float *)(uintptr_t)d[11];
  uint64_t threads = (uint64_t)grid[0] * block[0];
  for (uint64_t i = 0; i < threads && i < d[13]; ++i)
    c[d[12] + i * d[14]] = fmaf(alpha, b[d[7] + i * d[9]], a[d[2] + i * d[4]]);
}

/* Inputs/gemm_naive.ptx: C (f32) = A B (bf16) over three rank-2 memref
 * descriptors (allocated, aligned, offset, 2 sizes, 2 strides) and K. */
static void runGemmNaive(const unsigned grid[3], const unsigned block[3],
                         void **params, int log) {
  uint64_t d[22];
  for (int i = 0; i < 22; ++i)
    memcpy(&d[i], params[i], 8);
  for (int m = 0; log && m < 3; ++m) {
    const uint64_t *e = d + 7 * m;
    fprintf(stderr,
            "fake-cuda:   memref %c: allocated == aligned: %s, offset %llu, "
            "sizes %llux%llu, strides %llu,%llu\n",
            "abc"[m], e[0] == e[1] && e[0] ? "yes" : "no",
            (unsigned long long)e[2], (unsigned long long)e[3],
            (unsigned long long)e[4], (unsigned long long)e[5],
            (unsigned long long)e[6]);
  }
  if (log)
    fprintf(stderr, "fake-cuda:   k = %llu\n", (unsigned long long)d[21]);
  const uint16_t *a = (const uint16_t *)(uintptr_t)d[1] + d[2];
  const uint16_t *b = (const uint16_t *)(uintptr_t)d[8] + d[9];
  float *c = (float *)(uintptr_t)d[15] + d[16];
  uint64_t rows = (uint64_t)grid[1] * block[1];
  uint64_t cols = (uint64_t)grid[0] * block[0];
  for (uint64_t row = 0; row < rows && row < d[17]; ++row)
    for (uint64_t col = 0; col < cols && col < d[18]; ++col) {
      float acc = 0;
      for (uint64_t kk = 0; kk < d[21]; ++kk) {
        uint32_t x = (uint32_t)a[row * d[5] + kk] << 16;
        uint32_t y = (uint32_t)b[kk * d[12] + col] << 16;
        float fx, fy;
        memcpy(&fx, &x, 4);
        memcpy(&fy, &y, 4);
        acc = fmaf(fx, fy, acc);
      }
      c[row * d[19] + col] = acc;
    }
}

/* Inputs/tma_copy.ptx: block (x, y) copies the box at (x * box0, y * box1)
 * of the tensor behind map 0 to the same place behind map 1, within bounds. */
static CUresult runTmaCopy(const unsigned grid[3], void **params) {
  uint64_t inAddress, outAddress;
  memcpy(&inAddress, params[0], 8);
  memcpy(&outAddress, params[1], 8);
  FakeTensorMap *in = tensorMapAt(inAddress), *out = tensorMapAt(outAddress);
  if (!in || !out || in->rank != 2 || out->rank != 2)
    return CUDA_ERROR_ILLEGAL_ADDRESS;
  unsigned bytes = tensorMapElementBytes(in->dataType);
  for (unsigned by = 0; by < grid[1]; ++by)
    for (unsigned bx = 0; bx < grid[0]; ++bx)
      for (uint64_t r = 0; r < in->box[1]; ++r)
        for (uint64_t col = 0; col < in->box[0]; ++col) {
          uint64_t x = bx * (uint64_t)in->box[0] + col;
          uint64_t y = by * (uint64_t)in->box[1] + r;
          if (x >= in->dims[0] || y >= in->dims[1] || x >= out->dims[0] ||
              y >= out->dims[1])
            continue;
          memcpy(out->global + y * out->strides[0] + x * bytes,
                 in->global + y * in->strides[0] + x * bytes, bytes);
        }
  return CUDA_SUCCESS;
}

static CUresult fake_cuLaunchKernel(CUfunction function, unsigned gx,
                                    unsigned gy, unsigned gz, unsigned bx,
                                    unsigned by, unsigned bz, unsigned shared,
                                    CUstream stream, void **params,
                                    void **extra) {
  (void)stream;
  (void)extra;
  const char *name = ((FakeFunction *)function)->name;
  static int launches;
  /* The benchmark mode launches many times; the first launch says it all. */
  int quiet = launches++ > 0;
  if (!quiet)
    fprintf(stderr,
            "fake-cuda: cuLaunchKernel %s grid %ux%ux%u block %ux%ux%u "
            "shared %u\n",
            name, gx, gy, gz, bx, by, bz, shared);
  unsigned grid[3] = {gx, gy, gz}, block[3] = {bx, by, bz};
  if (!strcmp(name, "axpy")) {
    runAxpy(grid, block, params, !quiet);
    return CUDA_SUCCESS;
  }
  if (!strcmp(name, "gemm_naive")) {
    runGemmNaive(grid, block, params, !quiet);
    return CUDA_SUCCESS;
  }
  if (!strcmp(name, "tma_copy"))
    return runTmaCopy(grid, params);
  return CUDA_SUCCESS;
}

static CUresult fake_cuEventCreate(CUevent *event, unsigned flags) {
  (void)flags;
  *event = (CUevent)malloc(1);
  return CUDA_SUCCESS;
}
static CUresult fake_cuEventRecord(CUevent event, CUstream stream) {
  (void)event;
  (void)stream;
  return CUDA_SUCCESS;
}
static CUresult fake_cuEventSynchronize(CUevent event) {
  (void)event;
  return CUDA_SUCCESS;
}
static CUresult fake_cuEventElapsedTime(float *ms, CUevent start, CUevent end) {
  (void)start;
  (void)end;
  *ms = 0.25f;
  return CUDA_SUCCESS;
}
static CUresult fake_cuEventDestroy(CUevent event) {
  free(event);
  return CUDA_SUCCESS;
}

typedef struct {
  const char *name;
  void *function;
} Entry;

static const Entry kEntries[] = {
    {"cuInit", (void *)fake_cuInit},
    {"cuDeviceGetCount", (void *)fake_cuDeviceGetCount},
    {"cuDeviceGet", (void *)fake_cuDeviceGet},
    {"cuDeviceGetName", (void *)fake_cuDeviceGetName},
    {"cuDeviceGetAttribute", (void *)fake_cuDeviceGetAttribute},
    {"cuDevicePrimaryCtxRetain", (void *)fake_cuDevicePrimaryCtxRetain},
    {"cuDevicePrimaryCtxRelease", (void *)fake_cuDevicePrimaryCtxRelease},
    {"cuCtxSetCurrent", (void *)fake_cuCtxSetCurrent},
    {"cuCtxSynchronize", (void *)fake_cuCtxSynchronize},
    {"cuMemAlloc", (void *)fake_cuMemAlloc},
    {"cuMemFree", (void *)fake_cuMemFree},
    {"cuMemcpyHtoD", (void *)fake_cuMemcpyHtoD},
    {"cuMemcpyDtoH", (void *)fake_cuMemcpyDtoH},
    {"cuMemsetD8", (void *)fake_cuMemsetD8},
    {"cuModuleLoadDataEx", (void *)fake_cuModuleLoadDataEx},
    {"cuModuleUnload", (void *)fake_cuModuleUnload},
    {"cuModuleGetFunction", (void *)fake_cuModuleGetFunction},
    {"cuFuncSetAttribute", (void *)fake_cuFuncSetAttribute},
    {"cuLaunchKernel", (void *)fake_cuLaunchKernel},
    {"cuEventCreate", (void *)fake_cuEventCreate},
    {"cuEventRecord", (void *)fake_cuEventRecord},
    {"cuEventSynchronize", (void *)fake_cuEventSynchronize},
    {"cuEventElapsedTime", (void *)fake_cuEventElapsedTime},
    {"cuEventDestroy", (void *)fake_cuEventDestroy},
    {"cuTensorMapEncodeTiled", (void *)fake_cuTensorMapEncodeTiled},
};

FAKE_EXPORT CUresult
cuGetProcAddress_v2(const char *symbol, void **pfn, int version,
                    cuuint64_t flags, CUdriverProcAddressQueryResult *status) {
  (void)version;
  (void)flags;
  for (size_t i = 0; i < sizeof(kEntries) / sizeof(kEntries[0]); ++i)
    if (!strcmp(kEntries[i].name, symbol)) {
      *pfn = kEntries[i].function;
      *status = CU_GET_PROC_ADDRESS_SUCCESS;
      return CUDA_SUCCESS;
    }
  *pfn = NULL;
  *status = CU_GET_PROC_ADDRESS_SYMBOL_NOT_FOUND;
  return CUDA_ERROR_NOT_FOUND;
}

FAKE_EXPORT CUresult cuGetErrorName(CUresult error, const char **name) {
  switch (error) {
  case CUDA_ERROR_NOT_FOUND:
    *name = "CUDA_ERROR_NOT_FOUND";
    break;
  case CUDA_ERROR_ILLEGAL_ADDRESS:
    *name = "CUDA_ERROR_ILLEGAL_ADDRESS";
    break;
  case CUDA_ERROR_INVALID_VALUE:
    *name = "CUDA_ERROR_INVALID_VALUE";
    break;
  default:
    return CUDA_ERROR_INVALID_VALUE;
  }
  return CUDA_SUCCESS;
}

FAKE_EXPORT CUresult cuGetErrorString(CUresult error, const char **text) {
  (void)error;
  *text = "reported by the fake driver";
  return CUDA_SUCCESS;
}
