"""Paging and sorting of the site's tables from the query string (``?page=``, ``?sort=``, ``?order=``), so every
view is a link that works without JavaScript and can be shared.

Two ways to one result: :func:`sort_rows` and :func:`paginate` sort and cut a list built in full (the home page, a
campaign's tabs); a program's big tabs ask the store for one page instead (webservice/tabs.py), with the same
:class:`Sort` and the same page arithmetic (:func:`page_bounds`), and sort text with :func:`sort_by` as here."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
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


@dataclass(frozen=True)
class PageBounds:
    """Where one page lies in a list of ``total`` items."""

    number: int
    pages: int
    total: int
    start: int
    """The 0-based position of its first item."""
    size: int
    """Items per page."""

    def of(self, items: list[T]) -> Paged[T]:
        """The page holding ``items`` (those of this page only)."""
        return Paged(items, self.number, self.pages, self.total, self.start + 1 if self.total else 0)


def requested_page() -> int:
    """The page number ``?page=`` asks for (1 for none or nonsense)."""
    return _positive("page", 1)


def page_bounds(total: int, per_page: int, number: int) -> PageBounds:
    """Page ``number`` of ``total`` items, or the last page when there are fewer."""
    pages = max(1, -(-total // per_page))
    number = min(max(number, 1), pages)
    return PageBounds(number, pages, total, (number - 1) * per_page, per_page)


def paginate(items: Sequence[T], per_page: int, number: int | None = None) -> Paged[T]:
    """Page ``number`` of ``items``, by default the one ``?page=`` asks for (the last one when it asks for more)."""
    bounds = page_bounds(len(items), per_page, requested_page() if number is None else number)
    return bounds.of(list(items[bounds.start : bounds.start + per_page]))


@dataclass(frozen=True)
class Sort:
    """The column a table is sorted by and the direction (``aria-sort`` and the header links come from it)."""

    column: str
    descending: bool


def requested_sort(columns: Collection[str], default: str, *, descending: bool = False) -> Sort:
    """The sort ``?sort=<column>&order=asc|desc`` asks for; an unknown column is ``default`` (so a column name
    reaching the store is always one of ``columns``), a missing or unknown order the column's usual one."""
    column = request.args.get("sort", default)
    if column not in columns:
        column = default
    order = request.args.get("order")
    return Sort(column, descending if order not in ("asc", "desc") else order == "desc")


def sort_by(rows: Sequence[T], key: Callable[[T], Any], descending: bool) -> list[T]:
    """``rows`` sorted by ``key``, text without regard to case (``str.casefold``), stable in both directions (equal
    keys keep the order ``rows`` had); a value that is None sorts last either way."""
    present = [row for row in rows if key(row) is not None]
    missing = [row for row in rows if key(row) is None]
    present.sort(key=lambda row: _comparable(key(row)), reverse=descending)
    return present + missing


def sort_rows(
    rows: Sequence[T], columns: dict[str, Callable[[T], Any]], default: str, *, descending: bool = False
) -> tuple[list[T], Sort]:
    """``rows`` sorted as ``?sort=<column>&order=asc|desc`` asks (an unknown column: ``default``). A value that
    is None sorts last either way."""
    sort = requested_sort(columns, default, descending=descending)
    return sort_by(rows, columns[sort.column], sort.descending), sort


def _comparable(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value
