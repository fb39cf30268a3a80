"""On Toolforge the bot reads Wiki Replicas through the analytics cluster (long batch queries), with the tool's
credentials: checked through the real `toolforge` library, up to the connection attempt it makes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pymysql
import pytest
import yaml

from bot.config import PROJECT_ROOT, ConfigError, ReplicaConfig, Settings, load_settings
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


@pytest.mark.usefixtures("wikis_up")
def test_commons_link_tables_are_reached_on_their_own_connection(settings: Settings) -> None:
    """The dev farm keeps devcommons' link tables apart, as Commons' move to their own cluster will (T398709): a
    statement on them works only through Replica.links(), and a join of them with page or revision cannot work."""
    commons = Replica(settings.wiki("devcommons"), settings)
    asked = {"categories": ("Nothing_here",)}
    with pytest.raises(pymysql.err.ProgrammingError, match="doesn't exist"):
        commons.query("stats/category_member_ids", asked)  # the wiki's own connection has no link tables
    assert commons.links() is not commons
    assert commons.links().query("stats/category_member_ids", asked) == ()
    with pytest.raises(pymysql.err.ProgrammingError, match="doesn't exist"):
        commons.links().query("stats/revisions", {"actors": (1,), "start": b"0", "end": b"1", "namespaces": (0,),
                                                  "every": 1, "pages": (0,), "revs": (0,)})  # fmt: skip
    devwiki = Replica(settings.wiki("devwiki"), settings)
    assert devwiki.links() is devwiki  # elsewhere the link tables are beside the pages
    commons.close()
    devwiki.close()


def test_links_database_is_refused_for_toolforge_replicas(tmp_path: Path) -> None:
    """Wiki Replicas have not said how Commons' link tables will be reached: the config does not guess."""
    raw = yaml.safe_load((PROJECT_ROOT / "config" / "toolforge.yaml").read_text(encoding="utf-8"))
    raw["wikis"]["commonswiki"]["replica"]["links_dbname"] = "commonswiki_links"
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(ConfigError, match="links_dbname"):
        load_settings(config)
