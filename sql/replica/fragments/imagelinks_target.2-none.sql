-- MW 1.39/1.43: imagelinks names its target (il_to); no linktarget rows to expose for it.
FALSE
