func.func private @perm_duplicate() attributes {layout = #weft.tile<[2, 2], permuted [0, 1, 1, 3]>}
