func.func private @bit_width(tensor<8xi8, #weft.packed<[4, 4], i3, tiles = [#weft.tile<[8, 8], row_major>]>>)
