func.func private @storage_type(tensor<2xi32, #weft.packed<[4, 4], i4, tiles = [#weft.tile<[2, 2], row_major>]>>)
