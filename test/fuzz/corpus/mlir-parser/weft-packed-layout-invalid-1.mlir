func.func private @tile_empty() attributes {layout = #weft.tile<[0, 2], row_major>}
