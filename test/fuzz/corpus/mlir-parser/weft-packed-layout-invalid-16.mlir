func.func private @storage_size(tensor<16xi8, #weft.packed<[5, 5], i4, tiles = [#weft.tile<[2, 2], row_major>]>>)
