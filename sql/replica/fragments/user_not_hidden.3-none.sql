-- No block table at all: nobody can be hidden.
TRUE
