"""The settings file is checked strictly: each mistake stops the tool with the file and the key path.

Every case starts from the real config/dev.yaml and changes one thing, so a test fails for the reason it names and
not because the sample drifted from what the tool ships. No wiki, no database: these run anywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT, ConfigError, Settings, load_settings

DEV = PROJECT_ROOT / "config" / "dev.yaml"
DEVWIKI_REPLICA = "    replica: {host: 127.0.0.1, port: 3306, dbname: devwiki}\n"


def mutated(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of config/dev.yaml with the one occurrence of ``old`` replaced by ``new``."""
    text = DEV.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the mutation must hit exactly one place in config/dev.yaml: {old!r}"
    path = tmp_path / "settings.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def error(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    return str(caught.value)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        pytest.param(
            "    bot_edits: false\n",
            '    bot_edits: "false"\n',
            "wikis.devwikidata.bot_edits must be true or false, not 'false'",
            id="string-false-consent",
        ),
        pytest.param(
            "    bot_edits: true\n    # No page views",
            "    bot_edits: yes\n    # No page views",
            "wikis.devwiki.bot_edits must be true or false, not 'yes'",
            id="yaml-1.1-yes",
        ),
        pytest.param(
            "    bot_edits: true\n    # No page views",
            "    bot_edits: 1\n    # No page views",
            "wikis.devwiki.bot_edits must be true or false, not 1",
            id="int-as-bool",
        ),
        pytest.param(
            "update_interval_minutes: 60\n",
            "update_interval_minute: 60\n",
            "unknown key update_interval_minute (did you mean update_interval_minutes?)",
            id="unknown-top-level-key",
        ),
        pytest.param(
            "    bot_edits: false\n",
            "    bot_edit: false\n",
            "unknown key wikis.devwikidata.bot_edit (did you mean bot_edits?)",
            id="unknown-wiki-key",
        ),
        pytest.param(
            "  engine: sqlite\n",
            "  engine: sqlite\n  engin: mysql\n",
            "unknown key state.engin (did you mean engine?)",
            id="unknown-state-key",
        ),
        pytest.param(
            DEVWIKI_REPLICA,
            "    replica: {host: 127.0.0.1, port: 3306, dbname: devwiki, toolsforge: true}\n",
            "unknown key wikis.devwiki.replica.toolsforge (did you mean toolforge?)",
            id="unknown-wiki-replica-key",
        ),
        pytest.param(
            "    templates: {}\n  devcommons:",
            "    templates: {outcomes: Resultados}\n  devcommons:",
            "unknown key wikis.devwiki.templates.outcomes (did you mean outcome?)",
            id="unknown-template-role",
        ),
        pytest.param(
            "    templates: {}\n  devcommons:",
            "    templates: {program: 'Program|x=1'}\n  devcommons:",
            "wikis.devwiki.templates.program must be a template name without any of {}[]|<>#, not 'Program|x=1'",
            id="template-name-markup",
        ),
        pytest.param(
            "    templates: {}\n  devcommons:",
            "    templates: {program: ' '}\n  devcommons:",
            "wikis.devwiki.templates.program must not be empty",
            id="template-name-blank",
        ),
        pytest.param(
            "update_interval_minutes: 60\n",
            "update_interval_minutes: sixty\n",
            "update_interval_minutes must be a whole number, not 'sixty'",
            id="str-as-int",
        ),
        pytest.param(
            DEVWIKI_REPLICA,
            "    replica: {host: 127.0.0.1, port: true, dbname: devwiki}\n",
            "wikis.devwiki.replica.port must be a whole number, not true",
            id="bool-as-int",
        ),
        pytest.param(
            "update_interval_minutes: 60\n",
            "update_interval_minutes: 0\n",
            "update_interval_minutes must be at least 1, not 0",
            id="zero-interval",
        ),
        pytest.param(
            "max_failed_cycles: 3\n",
            "max_failed_cycles: -1\n",
            "max_failed_cycles must be at least 1, not -1",
            id="negative-new-limit",
        ),
        pytest.param(
            "talk_notices_per_run: 200\n",
            "talk_notices_per_run: '200'\n",
            "talk_notices_per_run must be a whole number, not '200'",
            id="quoted-new-limit",
        ),
        pytest.param(
            "  engine: sqlite\n",
            "  engine: postgres\n",
            "state.engine must be one of sqlite, mysql, toolsdb, not 'postgres'",
            id="bad-engine",
        ),
        pytest.param(
            "  path: .devwiki/state.sqlite3\n",
            "",
            "state.path is required when state.engine is sqlite",
            id="sqlite-without-path",
        ),
        pytest.param(
            "    kind: files\n",
            "    kind: images\n",
            "wikis.devcommons.kind must be one of content, files, wikidata, not 'images'",
            id="bad-kind",
        ),
        pytest.param(
            "    kind: wikidata\n",
            "    kind: wikidata\n    stats_backend: sql\n",
            "wikis.devwikidata.stats_backend must be one of replica, api, not 'sql'",
            id="bad-stats-backend",
        ),
        pytest.param(
            "    language: en\n" + DEVWIKI_REPLICA,
            "    language: English\n" + DEVWIKI_REPLICA,
            "wikis.devwiki.language must be a language code like en or zh-min-nan, not 'English'",
            id="bad-language",
        ),
        pytest.param(
            "    api: http://127.0.0.1:8182/api.php\n",
            "",
            "wikis.devcommons.api is required",
            id="missing-wiki-key",
        ),
        pytest.param(
            "    article_url: http://127.0.0.1:8182/index.php/$1\n",
            "    article_url: http://127.0.0.1:8182/index.php/\n",
            "wikis.devcommons.article_url must contain $1 where the title goes, not 'http://127.0.0.1:8182/index.php/'",
            id="article-url-without-title",
        ),
        pytest.param(
            "admins: [Admin]\n",
            "admins: [Admin, 7]\n",
            "admins[1] must be a string, not 7",
            id="list-of-str",
        ),
        pytest.param(
            "admins: [Admin]\n",
            "admins: Admin\n",
            "admins must be a list, not 'Admin'",
            id="str-as-list",
        ),
        pytest.param(
            "retention_days: [7, 30]\n",
            "retention_days: [7, thirty]\n",
            "retention_days[1] must be a whole number, not 'thirty'",
            id="list-of-int",
        ),
        pytest.param(
            "  devwikidata:\n",
            "  dev wikidata:\n",
            "wikis.dev wikidata is not a wiki database name (lowercase letters, digits and _, like eswiki)",
            id="bad-wiki-name",
        ),
        pytest.param(
            "finder_rows: 50\n",
            "finder_rows: 0\n",
            "finder_rows must be at least 1, not 0",
            id="finder-rows-zero",
        ),
        pytest.param(
            "    pageviews_project: null\n",
            "    pageviews_project: null\n    articlequality_url: 5\n",
            "wikis.devwiki.articlequality_url must be a string, not 5",
            id="quality-url-not-text",
        ),
        pytest.param(
            "state:\n  engine: sqlite\n  path: .devwiki/state.sqlite3\n",
            "state: sqlite\n",
            "state must be a mapping of keys to values, not 'sqlite'",
            id="scalar-as-mapping",
        ),
    ],
)
def test_refused(tmp_path: Path, old: str, new: str, problem: str) -> None:
    path = mutated(tmp_path, old, new)
    assert error(path) == f"{path}: {problem}"


def test_unknown_key_without_a_near_miss_lists_the_known_ones(tmp_path: Path) -> None:
    path = mutated(tmp_path, "    kind: files\n", "    kind: files\n    colour: blue\n")
    assert error(path) == (
        f"{path}: unknown key wikis.devcommons.colour; known keys: api, article_url, articlequality_url, bot_edits, "
        "code, deletion_categories, deletion_discussion_prefixes, family, footnote_templates, kind, language, "
        "pageviews_project, replica, stats_backend, templates"
    )


def test_a_key_written_twice_is_refused(tmp_path: Path) -> None:
    """Otherwise the last ``bot_edits`` would win silently, whichever line the operator reads."""
    path = mutated(tmp_path, "    bot_edits: false\n", "    bot_edits: false\n    bot_edits: true\n")
    line = path.read_text(encoding="utf-8").splitlines().index("    bot_edits: false") + 2
    assert error(path) == f"{path}, line {line}: 'bot_edits' is written twice in the same mapping"


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    assert error(path) == f"{path}: holds no settings"


def test_a_list_is_not_a_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("- bot_edits: true\n", encoding="utf-8")
    assert error(path) == f"{path}: the file must be a mapping of keys to values, not [{{'bot_edits': True}}]"


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    assert error(path).startswith(f"cannot read settings file {path}: ")


def test_yes_and_no_are_text_not_booleans(tmp_path: Path) -> None:
    """YAML 1.1 would read Norwegian's code as False; here it stays the string it is."""
    path = mutated(tmp_path, "    language: en\n" + DEVWIKI_REPLICA, "    language: no\n" + DEVWIKI_REPLICA)
    assert load_settings(path).wiki("devwiki").language == "no"


def test_new_limits_default_when_left_out(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    kept = [
        line
        for line in DEV.read_text(encoding="utf-8").splitlines(keepends=True)
        if not line.startswith(("max_tracking_days:", "talk_notices_per_", "max_failed_cycles:"))
    ]
    path.write_text("".join(kept), encoding="utf-8")
    settings = load_settings(path)
    assert (
        settings.max_tracking_days,
        settings.talk_notices_per_program,
        settings.talk_notices_per_run,
        settings.max_failed_cycles,
    ) == (731, 50, 200, 3)


@pytest.mark.parametrize("name", ["config/dev.yaml", "config/toolforge.yaml"])
def test_shipped_files_load_with_the_documented_limits(name: str) -> None:
    settings = load_settings(name)
    assert isinstance(settings, Settings)
    assert (
        settings.max_tracking_days,
        settings.talk_notices_per_program,
        settings.talk_notices_per_run,
        settings.max_failed_cycles,
    ) == (731, 50, 200, 3)


def test_dev_consent_flags() -> None:
    settings = load_settings("config/dev.yaml")
    assert settings.wiki("devwiki").bot_edits is True
    assert settings.wiki("devwikidata").bot_edits is False


def test_toolforge_edits_nowhere_until_a_community_agrees() -> None:
    settings = load_settings("config/toolforge.yaml")
    assert settings.wikis and not any(wiki.bot_edits for wiki in settings.wikis.values())
    assert settings.wiki("eswiki").templates.program == "Programa"


def test_toolforge_is_ready_for_a_first_deployment() -> None:
    """Commons and Wikidata tracked with their kinds, a few large Wikipedias, every replica through Toolforge, and
    a pywikibot family for each (the bot's API access)."""
    settings = load_settings("config/toolforge.yaml")
    assert settings.wiki("commonswiki").kind == "files"
    assert settings.wiki("wikidatawiki").kind == "wikidata"
    assert {"enwiki", "eswiki", "frwiki", "ptwiki", "metawiki"} <= set(settings.wikis)
    assert all(wiki.replica.toolforge and wiki.replica.dbname == name for name, wiki in settings.wikis.items())
    assert settings.state.engine == "toolsdb"
    families = {name: (wiki.family, wiki.code) for name, wiki in settings.wikis.items()}
    assert families["commonswiki"] == ("commons", "commons") and families["wikidatawiki"] == ("wikidata", "wikidata")
