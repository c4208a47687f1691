func.func private @signed_type(tensor<8xi8, #weft.packed<[4, 4], si4, tiles = [#weft.tile<[2, 2], row_major>]>>)
