func.func @transpose_not_permutation(%a: tensor<2x3xf32>) {
  %0 = weft.transpose %a [1, 1] : tensor<2x3xf32>
  return
}
