// Scalar and elementwise semantics: integer wrap-around, rounding through
// f16 / bf16, casts, comparisons and select, scf.if, reductions, broadcast,
// i8 tile.dot accumulating in i32, and the grid.
// RUN: weft-run --interpret %s --entry=scalars --arg-sizes=8 --fill=zeros --print-values | FileCheck %s --check-prefix=SCALARS
// RUN: weft-run --interpret %s --entry=tiles --arg-sizes=2x3,3 --fill=iota --print-values | FileCheck %s --check-prefix=TILES
// RUN: weft-run --interpret %s --entry=grid --grid=2,3 --arg-sizes=3x2 --fill=zeros --print-values | FileCheck %s --check-prefix=GRID

// SCALARS: arg0 memref<?xf32> [8]
// SCALARS-NEXT: -128 1 0.333251953 0.333984375 3 -1 5 7
func.func @scalars(%out: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %a = arith.constant 127 : i8
  %b = arith.constant 1 : i8
  %wrap = arith.addi %a, %b : i8                       // -128
  %w = arith.sitofp %wrap : i8 to f32
  %t = arith.constant true
  %one = arith.extui %t : i1 to i32                     // 1
  %onef = arith.uitofp %one : i32 to f32
  %third = arith.constant 0.333333343 : f32
  %h = arith.truncf %third : f32 to f16                 // 0.333251953
  %hf = arith.extf %h : f16 to f32
  %bf = arith.truncf %third : f32 to bf16               // 0.333984375
  %bff = arith.extf %bf : bf16 to f32
  %x = arith.constant 7 : index
  %y = arith.constant 2 : index
  %q = arith.divsi %x, %y : index                       // 3
  %qf = arith.index_cast %q : index to i32
  %qff = arith.sitofp %qf : i32 to f32
  %r = arith.constant -1.0 : f32
  %lt = arith.cmpi slt, %x, %y : index
  %sel = scf.if %lt -> f32 {
    scf.yield %onef : f32
  } else {
    scf.yield %r : f32
  }
  %five = arith.constant 5.0 : f32
  %n = arith.constant 7.9 : f32
  %ni = arith.fptosi %n : f32 to i32
  %nf = arith.sitofp %ni : i32 to f32
  %v = tensor.from_elements %w, %onef, %hf, %bff, %qff, %sel, %five, %nf : tensor<8xf32>
  tile.store %v, %out[%c0] : tensor<8xf32>, memref<?xf32>
  return
}

// iota input [[0 1 2] [3 4 5]]: row sums, column max, exp of -x, and an i8
// dot product.
// TILES: arg0 memref<?x?xf32> [2x3]
// TILES-NEXT: 1 0.36787945 0.135335281 3 12 -1
// TILES: arg1 memref<?xi32> [3]
// TILES-NEXT: 300 -28 102
func.func @tiles(%io: memref<?x?xf32>, %ints: memref<?xi32>) {
  %c0 = arith.constant 0 : index
  %t = tile.load %io[%c0, %c0] : memref<?x?xf32> -> tensor<2x3xf32>
  %neg = arith.negf %t : tensor<2x3xf32>
  %e = math.exp %neg : tensor<2x3xf32>
  %sum = tile.reduce sum %t axis = 1 : tensor<2x3xf32>           // [3, 12]
  %max = tile.reduce max %t axis = 0 : tensor<2x3xf32>           // [3, 4, 5]
  %sb = tile.broadcast %sum [0] : tensor<2xf32> -> tensor<3x2xf32>
  %e0 = tensor.extract %e[%c0, %c0] : tensor<2x3xf32>
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %e1 = tensor.extract %e[%c0, %c1] : tensor<2x3xf32>
  %e2 = tensor.extract %e[%c0, %c2] : tensor<2x3xf32>
  %s0 = tensor.extract %sb[%c2, %c0] : tensor<3x2xf32>
  %s1 = tensor.extract %sb[%c0, %c1] : tensor<3x2xf32>
  %m0 = tensor.extract %max[%c0] : tensor<3xf32>
  %cmp = arith.cmpf ogt, %m0, %s0 : f32
  %mone = arith.constant -1.0 : f32
  %pick = arith.select %cmp, %m0, %mone : f32
  %row = tensor.from_elements %e0, %e1, %e2, %s0, %s1, %pick : tensor<2x3xf32>
  tile.store %row, %io[%c0, %c0] : tensor<2x3xf32>, memref<?x?xf32>
  // [[100, -100, 1]] x [[3], [2], [1]] ... as 1x3 times 3x3 into i32.
  %a = arith.constant dense<[[100, -100, 1]]> : tensor<1x3xi8>
  %b = arith.constant dense<[[3, 0, 1], [0, 1, 0], [0, 72, 2]]> : tensor<3x3xi8>
  %acc = arith.constant dense<0> : tensor<1x3xi32>
  %d = tile.dot %a, %b, %acc : tensor<1x3xi8>, tensor<3x3xi8> -> tensor<1x3xi32>
  %d1 = tensor.extract %d[%c0, %c0] : tensor<1x3xi32>
  %d2 = tensor.extract %d[%c0, %c1] : tensor<1x3xi32>
  %d3 = tensor.extract %d[%c0, %c2] : tensor<1x3xi32>
  %v = tensor.from_elements %d1, %d2, %d3 : tensor<3xi32>
  tile.store %v, %ints[%c0] : tensor<3xi32>, memref<?xi32>
  return
}

// Each program writes 10 * y + x at [y, x].
// GRID: arg0 memref<?x?xf32> [3x2]
// GRID-NEXT: 0 1 10 11 20 21
func.func @grid(%out: memref<?x?xf32>) {
  %x = tile.program_id x
  %y = tile.program_id y
  %nx = tile.num_programs x
  %c10 = arith.constant 10 : index
  %yy = arith.muli %y, %c10 : index
  %v = arith.addi %yy, %x : index
  %vi = arith.index_cast %v : index to i32
  %vf = arith.sitofp %vi : i32 to f32
  %t = tensor.splat %vf : tensor<1x1xf32>
  %c2 = arith.constant 2 : index
  %ok = arith.cmpi eq, %nx, %c2 : index
  scf.if %ok {
    tile.store %t, %out[%y, %x] : tensor<1x1xf32>, memref<?x?xf32>
  }
  return
}
