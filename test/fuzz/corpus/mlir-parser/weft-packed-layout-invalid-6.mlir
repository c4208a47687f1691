func.func private @logical_rank(tensor<8xi8, #weft.packed<[16], i4, tiles = [#weft.tile<[2, 2], row_major>]>>)
