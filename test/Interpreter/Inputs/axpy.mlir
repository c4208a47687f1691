// y = a * x + y on one 8-element tile; returns y[7].
func.func @axpy(%x: memref<?xf32>, %y: memref<?xf32>, %a: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %xt = tile.load %x[%c0] : memref<?xf32> -> tensor<8xf32>
  %yt = tile.load %y[%c0] : memref<?xf32> -> tensor<8xf32>
  %as = tensor.splat %a : tensor<8xf32>
  %p = arith.mulf %as, %xt : tensor<8xf32>
  %s = arith.addf %p, %yt : tensor<8xf32>
  tile.store %s, %y[%c0] : tensor<8xf32>, memref<?xf32>
  %m = tile.reduce max %s axis = 0 : tensor<8xf32>
  %r = tensor.extract %m[] : tensor<f32>
  return %r : f32
}

// Off by 1e-3 everywhere.
func.func @axpy_off(%x: memref<?xf32>, %y: memref<?xf32>, %a: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %xt = tile.load %x[%c0] : memref<?xf32> -> tensor<8xf32>
  %yt = tile.load %y[%c0] : memref<?xf32> -> tensor<8xf32>
  %as = tensor.splat %a : tensor<8xf32>
  %p = arith.mulf %as, %xt : tensor<8xf32>
  %s = arith.addf %p, %yt : tensor<8xf32>
  %eps = arith.constant dense<1.0e-3> : tensor<8xf32>
  %s2 = arith.addf %s, %eps : tensor<8xf32>
  tile.store %s2, %y[%c0] : tensor<8xf32>, memref<?xf32>
  %m = tile.reduce max %s axis = 0 : tensor<8xf32>
  %r = tensor.extract %m[] : tensor<f32>
  return %r : f32
}

func.func @axpy_wrong(%x: memref<?xf32>) {
  return
}
