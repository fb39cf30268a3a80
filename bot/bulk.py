"""Work that makes hundreds of thousands of objects at once, without Python's cyclic garbage collector on the way.

A full recount turns every revision of a program's window into a row, a fact, a ledger row and part of five GROUP
BYs' results: objects without reference cycles, freed by reference counting alone. The collector still walks them
each time the allocations since its last pass pass its thresholds, again and again as they pile up: a fifth of a
recount of 1,000 people over a year (bench/README.md). Inside :func:`collecting_later` it does not run; the objects
still alive after are walked once, at its next pass.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collecting_later() -> Iterator[None]:
    """No automatic cyclic collection inside (the process-wide switch: another thread's cycles wait too). Nested
    or overlapping uses leave it as the outermost found it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
