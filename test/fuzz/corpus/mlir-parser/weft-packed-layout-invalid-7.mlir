func.func private @logical_empty(tensor<8xi8, #weft.packed<[0, 4], i4, tiles = [#weft.tile<[2, 2], row_major>]>>)
