// A machine of your own: one tensor unit, one DMA engine with a TMA-like
// variable latency, a small SFU, 100 KiB of shared memory and two register
// budgets. weft-schedule uses the module's pipe.machine; nothing else needs
// to know about it. Schedule and read the result with:
//   weft-opt docs/examples/custom_machine.mlir -weft-schedule \
//     -mlir-print-debuginfo | weft-translate --export-schedule
#my_npu = #pipe.machine<"my-npu",
    units = [<"matrix", count = 1, rate = 2048, latency = 32>,
             <"vector", count = 1, rate = 64, latency = 4>,
             <"dma", count = 1, rate = 32>],
    kinds = [<"mma", unit = "matrix", measure = flops, issue = 4, completion = async>,
             <"tma_load", unit = "dma", measure = bytes, issue = 2, extra_latency = 400, completion = variable>,
             <"tma_store", unit = "dma", measure = bytes, issue = 2, completion = async>,
             <"alu", unit = "vector", measure = elements>,
             <"convert", unit = "vector", measure = elements>],
    smem_bytes = 102400, tmem_columns = 0, register_file = 32768,
    max_registers = 255, max_warps = 16, warp_group_size = 4,
    register_budgets = [32, 224], handoff_cycles = 32>
module attributes {pipe.machine = #my_npu} {
  func.func @gemm(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf16>, %k: index) {
    %c0 = arith.constant 0 : index
    %c64 = arith.constant 64 : index
    %zero = arith.constant dense<0.0> : tensor<128x128xf32>
    %acc = scf.for %kk = %c0 to %k step %c64 iter_args(%x = %zero) -> tensor<128x128xf32> {
      %at = tile.load %a[%c0, %kk] : memref<?x?xf16> -> tensor<128x64xf16> loc("load_a")
      %bt = tile.load %b[%kk, %c0] : memref<?x?xf16> -> tensor<64x128xf16> loc("load_b")
      %d = tile.dot %at, %bt, %x : tensor<128x64xf16>, tensor<64x128xf16> -> tensor<128x128xf32> loc("mma")
      scf.yield %d : tensor<128x128xf32>
    }
    %out = arith.truncf %acc : tensor<128x128xf32> to tensor<128x128xf16>
    tile.store %out, %c[%c0, %c0] : tensor<128x128xf16>, memref<?x?xf16>
    return
  }
}
