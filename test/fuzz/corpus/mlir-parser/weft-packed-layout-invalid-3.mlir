func.func private @perm_missing() attributes {layout = #weft.tile<[2, 2], permuted>}
