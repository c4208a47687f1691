func.func private @grid_permuted(tensor<8xi8, #weft.packed<[4, 4], i4, tiles = [#weft.tile<[2, 2], row_major>] grid = permuted>>)
