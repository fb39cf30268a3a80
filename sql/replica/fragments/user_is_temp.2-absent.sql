-- MW 1.39 has no temporary accounts.
0
