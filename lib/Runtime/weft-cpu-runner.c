/*===- weft-cpu-runner.c - standalone runner for compiled models ----------===*
 *
 * Linked with a model object from `weft-compile --target=aarch64` (or
 * host) into a static executable, e.g.
 *
 *   clang-22 --target=aarch64-linux-gnu --gcc-toolchain=/usr -fuse-ld=lld \
 *     -static -O2 weft-cpu-runner.c out/model.o -lm -o runner
 *   qemu-aarch64 -cpu max ./runner -o outdir in0.npy in1.npy
 *
 * Reads one .npy file per model input (dtype and shape must be those of the
 * model's signature), runs `weft_model_run` and writes outdir/resultN.npy.
 * Plain C with libc only, so that it cross-builds without LLVM.
 *
 *===----------------------------------------------------------------------===*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char weft_model_signature[];
void weft_model_run(void **buffers);

enum { kMaxBuffers = 256, kMaxRank = 16 };

#if defined(__aarch64__)
/* SME support routines of the AAPCS64 "lazy saving" scheme. Kernels built
 * for `aarch64-sme2` are `__arm_locally_streaming __arm_new("za")`
 * functions: their prologue commits a caller's pending lazy ZA save through
 * __arm_tpidr2_save. Newer compiler-rt and libgcc ship these; Debian 12's
 * do not, hence weak definitions here. The save block TPIDR2_EL0 points at
 * is { void *za_save_buffer; uint16_t num_za_save_slices; ... }, and the
 * buffer holds SVL_B rows of SVL_B bytes. */
struct WeftTpidr2Block {
  uint8_t *buffer;
  uint16_t slices;
};

static uint64_t weftReadTpidr2(void) {
  uint64_t value;
  __asm__ volatile(".arch_extension sme\n mrs %0, tpidr2_el0" : "=r"(value));
  return value;
}

static uint64_t weftStreamingBytes(void) {
  uint64_t bytes;
  __asm__ volatile(".arch_extension sme\n rdsvl %0, #1" : "=r"(bytes));
  return bytes;
}

/* Copies ZA to (save) or from the block's buffer, one row of SVL_B bytes
 * per slice; STR / LDR (ZA array vector) take the slice index in
 * w12..w15. */
static void weftCopyZa(const struct WeftTpidr2Block *block, int save) {
  if (!block || !block->buffer)
    return;
  uint64_t rowBytes = weftStreamingBytes();
  for (uint64_t row = 0; row < block->slices; ++row) {
    register uint32_t slice __asm__("w12") = (uint32_t)row;
    uint8_t *address = block->buffer + row * rowBytes;
    if (save)
      __asm__ volatile(".arch_extension sme\n str za[%w0, 0], [%1]"
                       : : "r"(slice), "r"(address) : "memory");
    else
      __asm__ volatile(".arch_extension sme\n ldr za[%w0, 0], [%1]"
                       : : "r"(slice), "r"(address) : "memory");
  }
}

__attribute__((weak)) void __arm_tpidr2_save(void) {
  weftCopyZa((const struct WeftTpidr2Block *)(uintptr_t)weftReadTpidr2(), 1);
}

__attribute__((weak)) void __arm_tpidr2_restore(void *blockAddress) {
  weftCopyZa((const struct WeftTpidr2Block *)blockAddress, 0);
}

/* Commits a pending lazy save, then turns ZA off (PSTATE.ZA = 0). */
__attribute__((weak)) void __arm_za_disable(void) {
  if (weftReadTpidr2()) {
    __arm_tpidr2_save();
    __asm__ volatile(".arch_extension sme\n msr tpidr2_el0, xzr");
  }
  __asm__ volatile(".arch_extension sme\n smstop za" : : : "memory");
}
#endif


struct Buffer {
  int isOutput;
  char dtype[8];
  int rank;
  long shape[kMaxRank];
  long bytes;
  void *data;
};

static long dtypeBytes(const char *dtype) {
  if (!strcmp(dtype, "bf16"))
    return 2;
  size_t n = strlen(dtype);
  return n == 3 ? dtype[2] - '0' : 0;
}

static int die(const char *message, const char *detail) {
  fprintf(stderr, "weft-cpu-runner: error: %s%s\n", message, detail);
  return 1;
}

/* Parses one signature line: `in|out <dtype> <d0>x<d1>...|scalar <name>`. */
static int parseLine(const char *line, struct Buffer *b) {
  char kind[8], dims[256];
  if (sscanf(line, "%7s %7s %255s", kind, b->dtype, dims) != 3)
    return 0;
  b->isOutput = !strcmp(kind, "out");
  b->rank = 0;
  long elements = 1;
  if (strcmp(dims, "scalar")) {
    for (char *p = dims; *p && b->rank < kMaxRank;) {
      b->shape[b->rank] = strtol(p, &p, 10);
      elements *= b->shape[b->rank++];
      if (*p == 'x')
        ++p;
    }
  }
  b->bytes = elements * dtypeBytes(b->dtype);
  return b->bytes > 0 || elements == 0;
}

static void shapeText(const struct Buffer *b, char *out, size_t size) {
  size_t used = 0;
  out[0] = 0;
  for (int d = 0; d < b->rank; ++d)
    used += snprintf(out + used, size - used, "%ld%s", b->shape[d],
                     b->rank == 1 ? "," : d + 1 < b->rank ? ", " : "");
}

static int readNpy(const char *path, struct Buffer *b) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return die("cannot open ", path);
  unsigned char head[12];
  if (fread(head, 1, 10, f) != 10 || memcmp(head, "\x93NUMPY", 6)) {
    fclose(f);
    return die("not a .npy file: ", path);
  }
  long headerLength = head[8] | head[9] << 8;
  if (head[6] >= 2) {
    if (fread(head + 10, 1, 2, f) != 2) {
      fclose(f);
      return die("truncated: ", path);
    }
    headerLength |= (long)head[10] << 16 | (long)head[11] << 24;
  }
  char *header = calloc(headerLength + 1, 1);
  if (fread(header, 1, headerLength, f) != (size_t)headerLength) {
    fclose(f);
    free(header);
    return die("truncated: ", path);
  }
  /* The dtype and shape must be the model's, written as numpy writes them. */
  char want[64], shape[200];
  shapeText(b, shape, sizeof shape);
  snprintf(want, sizeof want, "'%s'", b->dtype);
  char wantShape[220];
  snprintf(wantShape, sizeof wantShape, "(%s)", shape);
  int ok = strstr(header, want) && strstr(header, wantShape);
  free(header);
  if (!ok) {
    fclose(f);
    fprintf(stderr, "weft-cpu-runner: error: %s is not %s (%s)\n", path,
            b->dtype, shape);
    return 1;
  }
  b->data = malloc(b->bytes ? b->bytes : 1);
  if (fread(b->data, 1, b->bytes, f) != (size_t)b->bytes) {
    fclose(f);
    return die("data shorter than the shape in ", path);
  }
  fclose(f);
  return 0;
}

static int writeNpy(const char *path, const struct Buffer *b) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return die("cannot write ", path);
  char shape[200], header[400];
  shapeText(b, shape, sizeof shape);
  int n = snprintf(header, sizeof header,
                   "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }",
                   b->dtype, shape);
  int total = 10 + n + 1, pad = (64 - total % 64) % 64;
  memset(header + n, ' ', pad);
  header[n + pad] = '\n';
  int length = n + pad + 1;
  unsigned char head[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                            (unsigned char)(length & 0xff),
                            (unsigned char)(length >> 8)};
  fwrite(head, 1, 10, f);
  fwrite(header, 1, length, f);
  fwrite(b->data, 1, b->bytes, f);
  fclose(f);
  return 0;
}

int main(int argc, char **argv) {
  static struct Buffer buffers[kMaxBuffers];
  int count = 0;
  const char *outDir = ".";
  const char *signature = weft_model_signature;
  while (*signature && count < kMaxBuffers) {
    if (!parseLine(signature, &buffers[count]))
      return die("malformed model signature near: ", signature);
    ++count;
    const char *next = strchr(signature, '\n');
    signature = next ? next + 1 : signature + strlen(signature);
  }
  int arg = 1;
  if (arg + 1 < argc && !strcmp(argv[arg], "-o")) {
    outDir = argv[arg + 1];
    arg += 2;
  }
  void *pointers[kMaxBuffers];
  for (int i = 0; i < count; ++i) {
    struct Buffer *b = &buffers[i];
    if (b->isOutput) {
      b->data = calloc(b->bytes ? b->bytes : 1, 1);
    } else {
      if (arg >= argc)
        return die("too few input files for the model", "");
      if (readNpy(argv[arg++], b))
        return 1;
    }
    pointers[i] = b->data;
  }
  if (arg != argc)
    return die("too many input files for the model", "");
  weft_model_run(pointers);
  for (int i = 0, out = 0; i < count; ++i) {
    if (!buffers[i].isOutput)
      continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/result%d.npy", outDir, out++);
    if (writeNpy(path, &buffers[i]))
      return 1;
    printf("wrote %s\n", path);
  }
  return 0;
}
