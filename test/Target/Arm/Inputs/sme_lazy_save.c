/* Exercises the SME lazy-save routines of lib/Runtime/weft-cpu-runner.c:
 * a function holding live ZA state calls a private-ZA function, so the
 * compiler sets up a lazy save (TPIDR2_EL0 -> save block); the callee
 * starts a fresh ZA of its own, which commits the save through
 * __arm_tpidr2_save and then clobbers ZA; back in the caller
 * __arm_tpidr2_restore brings the rows back. Prints the sum of a ZA row
 * written before the call: 42 x lanes when both routines work. The runner
 * is compiled with -Dmain=weft_runner_main, so this file supplies main and
 * an empty model. */
#include <arm_sme.h>
#include <stdio.h>

const char weft_model_signature[] = "";
void weft_model_run(void **buffers) { (void)buffers; }

static int lanes;

__attribute__((noinline)) __arm_new("za") __arm_locally_streaming
void clobberZa(void) {
  svzero_za();
  lanes = (int)svcntsw();
}

__attribute__((noinline)) __arm_new("za") __arm_locally_streaming
float rowAfterCall(void) {
  svbool_t all = svptrue_b32();
  svwrite_hor_za32_f32_m(0, 0, all, svdup_f32(42.0f));
  clobberZa();
  svfloat32_t row = svread_hor_za32_f32_m(svdup_f32(0.0f), all, 0, 0);
  return svaddv_f32(all, row);
}

int main(void) {
  float sum = rowAfterCall();
  printf("lanes %d row sum %g expected %g\n", lanes, sum, 42.0 * lanes);
  return sum == 42.0f * lanes ? 0 : 1;
}
