func.func private @sub_byte_tile(tensor<8xi8, #weft.packed<[4, 4], i4, tiles = [#weft.tile<[1, 1], row_major>]>>)
