"""The dev wiki farm itself: real MediaWiki over HTTP, the accounts the project relies on, the replica views'
access rules, uploads on the file wiki, and resets.
"""

from __future__ import annotations

import struct
import zlib

import pymysql
import pytest

from bot.config import PROJECT_ROOT
from devtools.wikiuser import WikiError, WikiUser, devwiki_secrets

pytestmark = pytest.mark.usefixtures("fresh_wikis")


def tiny_png(seed: int) -> bytes:
    """A valid 1x1 PNG whose colour depends on ``seed`` (MediaWiki rejects duplicate uploads)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixel = zlib.compress(bytes([0, seed % 256, (seed >> 8) % 256, 7]))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixel) + chunk(b"IEND", b"")


def replica_connection(dbname: str) -> pymysql.connections.Connection[pymysql.cursors.Cursor]:
    return pymysql.connect(
        host="127.0.0.1", database=dbname, read_default_file=str(PROJECT_ROOT / ".devwiki" / "replica.my.cnf")
    )


@pytest.mark.parametrize(("wiki", "sitename"), [("devwiki", "Dev Wiki"), ("devcommons", "Dev Commons")])
def test_both_wikis_are_real_mediawiki(wiki: str, sitename: str) -> None:
    general = WikiUser.on(wiki, "Alice").get(action="query", meta="siteinfo")["query"]["general"]
    assert general["sitename"] == sitename
    assert general["generator"].startswith(("MediaWiki 1.39", "MediaWiki 1.43"))
    assert general["wikiid"] == wiki


def test_bot_account_is_a_bot_with_only_the_grants_it_needs() -> None:
    bot = WikiUser.on("devwiki", "ProgramsBot")
    info = bot.get(action="query", meta="userinfo", uiprop="groups|rights")["query"]["userinfo"]
    assert info["name"] == "ProgramsBot"
    assert "bot" in info["groups"]
    assert {"edit", "createpage", "bot", "apihighlimits"} <= set(info["rights"])
    # The BotPassword grants nothing beyond editing: no uploads, deletions, blocks or user rights.
    assert not {"upload", "delete", "block", "userrights", "import"} & set(info["rights"])
    commons_bot = WikiUser.on("devcommons", "ProgramsBot")
    with pytest.raises(WikiError, match=r"permissiondenied|badaccess|mustbeloggedin"):
        commons_bot.post(action="upload", filename="Nope.png", token=commons_bot.csrf, ignorewarnings=1,
                 files={"file": ("Nope.png", tiny_png(1), "image/png")})  # fmt: skip


def test_wrong_botpassword_is_refused() -> None:
    with pytest.raises(WikiError, match="login as Alice failed"):
        WikiUser("http://127.0.0.1:8181/api.php", "Alice", "0" * 32)
    assert devwiki_secrets()["BOTPASSWORD_Alice"] != "0" * 32


def test_upload_on_the_file_wiki_reaches_its_replica_and_the_content_wiki() -> None:
    alice = WikiUser.on("devcommons", "Alice")
    result = alice.post(action="upload", filename="River map.png", token=alice.csrf, comment="Map of the river",
                        files={"file": ("River map.png", tiny_png(2), "image/png")})["upload"]  # fmt: skip
    assert result["result"] == "Success"
    # The content wiki sees the Commons-like wiki's file, as Wikipedias see Commons.
    bob = WikiUser.on("devwiki", "Bob")
    bob.edit("River", "[[File:River map.png|thumb]] A river.")
    image = bob.get(action="query", titles="File:River map.png", prop="imageinfo")["query"]["pages"]
    assert next(iter(image.values()))["imagerepository"] == "devcommons"

    with replica_connection("devcommons_p") as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT actor_name, log_type, log_action, log_title FROM logging_userindex "
            "JOIN actor_logging ON actor_id = log_actor WHERE log_type = 'upload'"
        )
        assert cursor.fetchall() == ((b"Alice", b"upload", b"upload", b"River_map.png"),)
        cursor.execute("SELECT img_name, img_size FROM image")
        assert cursor.fetchall() == ((b"River_map.png", len(tiny_png(2))),)


def test_replica_account_reads_views_but_not_tables() -> None:
    WikiUser.on("devwiki", "Carol").edit("Lake", "A lake.", "First version")
    with replica_connection("devwiki_p") as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT actor_name, page_title, comment_text FROM revision_userindex "
            "JOIN actor_revision ON actor_id = rev_actor JOIN page ON page_id = rev_page "
            "JOIN comment_revision ON comment_id = rev_comment_id WHERE page_title = 'Lake'"
        )
        assert cursor.fetchall() == ((b"Carol", b"Lake", b"First version"),)
        with pytest.raises(pymysql.err.OperationalError) as denied:
            cursor.execute("SELECT COUNT(*) FROM devwiki.revision")
        assert denied.value.args[0] == 1142  # SELECT command denied, as on Wiki Replicas


def test_reset_restores_fresh_wikis() -> None:
    from bot.config import load_settings
    from bot.store import Store
    from tests.conftest import devwiki

    WikiUser.on("devwiki", "Dave").edit("Temporary", "x")
    state = load_settings().state  # the demo's state file: it describes these wikis' page and revision ids
    Store.open(state).close()
    assert state.path is not None and state.path.exists()
    devwiki("reset")
    assert WikiUser.on("devwiki", "Dave").page_text("Temporary") is None
    assert not state.path.exists()  # no bot state describing the old wikis survives them
    users = WikiUser.on("devwiki", "Dave").get(action="query", list="allusers", aulimit=50)["query"]["allusers"]
    assert {"Admin", "ProgramsBot", "Alice", "Bob", "Carol", "Dave", "Mallory"} <= {u["name"] for u in users}
