func.func private @tile_rank() attributes {layout = #weft.tile<[2, 2, 2], row_major>}
