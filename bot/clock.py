"""The bot's one clock. Everything that needs "now" receives it from the entry point, so tests can fix it."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, the form stored and shown everywhere."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
