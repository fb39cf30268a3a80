"""Paging and sorting of the site's tables from the query string (``?page=``, ``?sort=``, ``?order=``), so every
view is a link that works without JavaScript and can be shared."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import request

T = TypeVar("T")


def _positive(name: str, default: int) -> int:
    try:
        value = int(request.args.get(name, default))
    except ValueError:
        return default
    return max(value, 1)


@dataclass(frozen=True)
class Paged(Generic[T]):
    """One page of a longer list."""

    items: list[T]
    number: int
    """1 for the first page."""
    pages: int
    total: int
    first: int
    """The 1-based position of the page's first item (0 on an empty list)."""


def paginate(items: Sequence[T], per_page: int) -> Paged[T]:
    """The page ``?page=`` asks for (the last one when it asks for more)."""
    pages = max(1, -(-len(items) // per_page))
    number = min(_positive("page", 1), pages)
    start = (number - 1) * per_page
    return Paged(list(items[start : start + per_page]), number, pages, len(items), start + 1 if items else 0)


@dataclass(frozen=True)
class Sort:
    """The column a table is sorted by and the direction (``aria-sort`` and the header links come from it)."""

    column: str
    descending: bool


def sort_rows(
    rows: Sequence[T], columns: dict[str, Callable[[T], Any]], default: str, *, descending: bool = False
) -> tuple[list[T], Sort]:
    """``rows`` sorted as ``?sort=<column>&order=asc|desc`` asks (an unknown column: ``default``). A value that
    is None sorts last either way."""
    column = request.args.get("sort", default)
    if column not in columns:
        column = default
    order = request.args.get("order")
    down = descending if order not in ("asc", "desc") else order == "desc"
    key = columns[column]
    present = [row for row in rows if key(row) is not None]
    missing = [row for row in rows if key(row) is None]
    present.sort(key=lambda row: _comparable(key(row)), reverse=down)
    return present + missing, Sort(column, down)


def _comparable(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value
