"""On Toolforge the bot reads Wiki Replicas through the analytics cluster (long batch queries), with the tool's
credentials: checked through the real `toolforge` library, up to the connection attempt it makes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pymysql
import pytest

from bot.config import ReplicaConfig, Settings
from bot.replica import Replica


class RefusedError(Exception):
    pass


def test_toolforge_replicas_are_reached_on_the_analytics_cluster(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection the library would open (host, database, credentials file) — stopped before the network."""
    seen: dict[str, Any] = {}

    def connect(**kwargs: Any) -> None:
        seen.update(kwargs)
        raise RefusedError

    monkeypatch.setattr(pymysql, "connect", connect)
    monkeypatch.delenv("TOOL_REPLICA_USER", raising=False)
    wiki = replace(settings.wiki("devwiki"), replica=ReplicaConfig(dbname="eswiki", toolforge=True))
    with pytest.raises(RefusedError):
        Replica(wiki, settings).query("stats/ping", {})
    assert seen["host"] == "eswiki.analytics.db.svc.wikimedia.cloud"
    assert seen["database"] == "eswiki_p"
    assert seen["read_default_file"].endswith("replica.my.cnf")
