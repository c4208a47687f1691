func.func private @perm_out_of_range() attributes {layout = #weft.tile<[2, 2], permuted [0, 1, 2, 4]>}
