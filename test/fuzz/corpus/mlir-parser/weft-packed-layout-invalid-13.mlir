func.func private @interleave_size(tensor<8xi8, #weft.packed<[4, 4], i4, tiles = [#weft.tile<[2, 2], row_major>] interleave = [0, 2, 1]>>)
