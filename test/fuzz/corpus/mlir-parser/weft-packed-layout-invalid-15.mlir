func.func private @storage_dynamic(tensor<?xi8, #weft.packed<[4, 4], i4, tiles = [#weft.tile<[2, 2], row_major>]>>)
