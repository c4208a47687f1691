func.func private @perm_on_row_major() attributes {layout = #weft.tile<[2, 2], row_major [0, 1, 2, 3]>}
