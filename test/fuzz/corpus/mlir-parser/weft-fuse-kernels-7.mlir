func.func @chains(%x: tensor<8x16xf32>, %y: tensor<8x16xf32>, %g: tensor<16xf32>, %z: tensor<2x8x16xf32>)
    -> (tensor<8x16xf32>, tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>) {
  %0 = weft.add %x, %y : tensor<8x16xf32>, tensor<8x16xf32>
  %1 = weft.relu %0 : tensor<8x16xf32>
  %2 = weft.mul %1, %g : tensor<8x16xf32>, tensor<16xf32>
  %3 = weft.add %2, %z : tensor<8x16xf32>, tensor<2x8x16xf32>
  %4 = weft.sigmoid %y : tensor<8x16xf32>
  %5 = weft.exp %4 : tensor<8x16xf32>
  %6 = weft.neg %5 : tensor<8x16xf32>
  return %2, %3, %5, %6 : tensor<8x16xf32>, tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<8x16xf32>
}
