"""bot/bulk.py: the cyclic collector off for a recount's bulk work, and as it was after, whatever happens inside."""

from __future__ import annotations

import gc

import pytest

from bot.bulk import collecting_later


def test_collector_off_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with collecting_later():
        assert not gc.isenabled()
        with collecting_later():  # nested: the inner one leaves it to the outer
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()

    with pytest.raises(RuntimeError), collecting_later():
        raise RuntimeError("a replica went away")
    assert gc.isenabled()


def test_a_collector_off_before_stays_off() -> None:
    gc.disable()
    try:
        with collecting_later():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_as_a_decorator_each_call() -> None:
    @collecting_later()
    def inside() -> bool:
        return gc.isenabled()

    assert [inside(), inside()] == [False, False] and gc.isenabled()
