// The tile program axpy.ptx implements by hand: program i computes elements
// [128 i, 128 i + 128) of c = a + alpha * b; the CUDA tests check the GPU's
// result against this program on the CPU interpreter.
func.func @axpy(%a: memref<?xf32>, %b: memref<?xf32>, %c: memref<?xf32>,
                %alpha: f32) {
  %c128 = arith.constant 128 : index
  %pid = tile.program_id x
  %offset = arith.muli %pid, %c128 : index
  %at = tile.load %a[%offset] masked : memref<?xf32> -> tensor<128xf32>
  %bt = tile.load %b[%offset] masked : memref<?xf32> -> tensor<128xf32>
  %alphas = tensor.splat %alpha : tensor<128xf32>
  %scaled = arith.mulf %alphas, %bt : tensor<128xf32>
  %sum = arith.addf %at, %scaled : tensor<128xf32>
  tile.store %sum, %c[%offset] masked : tensor<128xf32>, memref<?xf32>
  return
}

// A wrong reference (c = a - alpha * b): the check must fail against it.
func.func @axmy(%a: memref<?xf32>, %b: memref<?xf32>, %c: memref<?xf32>,
                %alpha: f32) {
  %c128 = arith.constant 128 : index
  %pid = tile.program_id x
  %offset = arith.muli %pid, %c128 : index
  %at = tile.load %a[%offset] masked : memref<?xf32> -> tensor<128xf32>
  %bt = tile.load %b[%offset] masked : memref<?xf32> -> tensor<128xf32>
  %alphas = tensor.splat %alpha : tensor<128xf32>
  %scaled = arith.mulf %alphas, %bt : tensor<128xf32>
  %difference = arith.subf %at, %scaled : tensor<128xf32>
  tile.store %difference, %c[%offset] masked : tensor<128xf32>, memref<?xf32>
  return
}

// Takes an f16 tensor where the kernel takes f32 ones.
func.func @axpy_f16(%a: memref<?xf16>, %b: memref<?xf32>, %c: memref<?xf32>,
                    %alpha: f32) {
  return
}
