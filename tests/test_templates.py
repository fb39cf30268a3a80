"""The on-wiki templates: files and tokens, TemplateData against the parameters the bot reads, installation on the
real dev wiki (English and Spanish sets), how every template renders there, and the Join button end to end.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import fields, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from bot.aggregate import RETENTION_DAYS, aggregate
from bot.config import Settings, TemplateNames, WikiConfig
from bot.edit_outcome import EditOutcome
from bot.goals import goals_wikitext, progress
from bot.metric_registry import published
from bot.metrics import ProgramMetrics, Retention, RevisionFact, UploadFact, WikidataCounts
from bot.program import Goal
from bot.render import outcome_params
from bot.templates import (
    TEMPLATES_DIR,
    TemplateSourceError,
    expand_tokens,
    install_templates,
    template_sources,
    template_texts,
)
from devtools.wikiuser import WikiUser, devwiki_secrets
from tests.programs import make_program

LANGUAGES = ("en", "es")
SPANISH_NAMES = TemplateNames(
    program="Programa",
    signup="Programa inscripción",
    join="Programa unirse",
    campaign="Programa campaña",
    outcome="Programa resultados",
    participants="Programa participantes",
    enrolment="Programa inscrito",
    talk_notice="Programa aviso artículo",
    campaign_report="Programa informe campaña",
)

# The parameters the bot reads (the project's parameter spec), per file stem; TemplateData must list exactly these.
# The program's per-wiki namespaces_<dbname> parameters cannot be listed (their names depend on the wiki).
PROGRAM_PARAMS = {
    "name", "type", "description", "institution", "location", "start", "end", "tracking_start", "tracking_end",
    "timezone", "wikis", "namespaces", "organizers", "facilitators", "campaign", "articles", "categories",
    "category_depth", "scope_templates", "petscan", "exclude", "private", "signup", "signup_close", "bot_edits",
    "edit_types", "goals", "hashtags", "hashtag_mode", "tags",
}  # fmt: skip
# The outcome box: the registry's numbers (retention for the N its template has rows for), then what every report
# states besides its numbers. A metric added to the registry without TemplateData fails here.
OUTCOME_CONTEXT_PARAMS = {
    "applied_name", "applied_start", "applied_end", "held", "wikis", "namespaces", "scope", "window", "updated",
    "next_update", "glossary", "site", "goals",
}  # fmt: skip
OUTCOME_METRIC_PARAMS = {m.outcome for m in published(RETENTION_DAYS) if m.outcome is not None}
OUTCOME_PARAMS = OUTCOME_METRIC_PARAMS | OUTCOME_CONTEXT_PARAMS
SPEC: dict[str, set[str] | None] = {
    "program": PROGRAM_PARAMS,
    "program.date": {"1"},
    "program.list": {"1", "2"},
    "program.type": {"1"},
    "signup": {"user"},
    "signup.preload": None,  # a preload text, not a template one transcludes
    "join": {"page", "label"},
    "join.editintro": None,  # shown above the edit box, never transcluded by hand
    "campaign": {"name", "description", "start", "end", "organizers", "default_type", "closed", "programs"},
    "outcome": OUTCOME_PARAMS,
    "participants": {"rows"},
    "participants.header": set(),
    "participants.row": {
        "user",
        "edits",
        "articles_edited",
        "articles_created",
        "bytes_added",
        "uploads",
        "status",
    },
    "participants.footer": set(),
    "enrolment": {"program", "program_id", "name", "role"},
    "talk_notice": {"program", "program_id", "name", "start", "end"},
    "article_finder": {"category", "depth", "articles", "limit", "choose", "run"},
    "article_finder.header": {"quality", "views"},
    "article_finder.row": {"rank", "title", "size", "references", "quality", "views", "alerts", "score", "reasons"},
    "article_finder.footer": {"articles", "looked_at", "shown", "note", "updated"},
    "invitations": {"category", "depth", "articles", "days", "limit", "run"},
    "invitations.header": set(),
    "invitations.row": {"rank", "user", "score", "edits", "articles", "bytes_added", "last_edit", "reasons"},
    "invitations.footer": {"looked_at", "days", "shown", "note", "updated"},
    "campaign_report": {
        "programs",
        "participants",
        "edits",
        "articles_edited",
        "articles_created",
        "uploads",
        "goals",
        "updated",
    },
}
SIGNUP_ALIASES = ["1"]


def templatedata(path: Path) -> dict[str, object] | None:
    blocks = re.findall(r"<templatedata>(.*?)</templatedata>", path.read_text(encoding="utf-8"), re.S)
    assert len(blocks) <= 1, path
    return json.loads(blocks[0]) if blocks else None


def stem(path: Path) -> str:
    return path.name.removesuffix(".wikitext")


def spanish(wiki: WikiConfig) -> WikiConfig:
    return replace(wiki, language="es", templates=SPANISH_NAMES)


# --- files, tokens and TemplateData (no wiki needed) -----------------------------------------------------------


def test_every_language_has_the_same_files_and_every_role() -> None:
    files = {language: {stem(p) for p in (TEMPLATES_DIR / language).glob("*.wikitext")} for language in LANGUAGES}
    assert files["en"] == files["es"] == set(SPEC)
    assert {f.name for f in fields(TemplateNames)} <= files["en"]
    assert not list(TEMPLATES_DIR.glob("*.wikitext")), "templates live in templates_wikitext/<language>/"


def test_sources_follow_the_wiki_language_with_english_fallback() -> None:
    spanish_sources = template_sources("es")
    assert {source.path.parent.name for source in spanish_sources} == {"es"}
    assert {source.path.parent.name for source in template_sources("xx")} == {"en"}
    # Each role first, then its subpages, in the order of TemplateNames.
    order = [(s.role, s.subpage) for s in spanish_sources]
    assert order[:5] == [
        ("program", None),
        ("program", "date"),
        ("program", "list"),
        ("program", "type"),
        ("signup", None),
    ]
    assert [s.title(SPANISH_NAMES) for s in spanish_sources if s.role == "signup"] == [
        "Programa inscripción",
        "Programa inscripción/preload",
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_templatedata_lists_exactly_the_spec_parameters(language: str) -> None:
    for path in sorted((TEMPLATES_DIR / language).glob("*.wikitext")):
        data = templatedata(path)
        expected = SPEC[stem(path)]
        if expected is None:
            assert data is None, path
            continue
        assert isinstance(data, dict), f"{path}: no <templatedata>"
        params = data["params"]
        assert isinstance(params, dict)
        assert set(params) == expected, path
        assert set(data.get("paramOrder", params)) == expected, path  # type: ignore[call-overload]
        assert data.get("description"), path
        for name, param in params.items():
            assert param.get("label") and param.get("description"), f"{path}: {name}"
    signup = templatedata(TEMPLATES_DIR / language / "signup.wikitext")
    assert signup is not None
    assert signup["params"]["user"]["aliases"] == SIGNUP_ALIASES  # type: ignore[index]


OUTCOME_PROGRAM = make_program("{{Program|start=2026-03-01|end=2026-03-07|wikis=devwiki, devcommons}}", ("Bob",))


def everything_counted() -> ProgramMetrics:
    """A program with every metric computed: content, files, Wikidata, page views, alerts, retention for 7 and 30."""
    when = datetime(2026, 3, 2, tzinfo=UTC)
    metrics = aggregate(
        participants=OUTCOME_PROGRAM.confirmed, window=OUTCOME_PROGRAM.window, timezone="UTC", now=when,
        revisions=[RevisionFact("devwiki", 1, "Bob", 7, 0, "Ebro", when, 100, 0, 0)],
        uploads=[UploadFact("devcommons", "Bob", "Map.png", when, usage=2)],
    )  # fmt: skip
    return replace(
        metrics, words_added=10, references_added=1, references_removed=0, page_views=30,
        wikidata=WikidataCounts(claims_added=1), alerts=(("devwiki", 0, "Ebro", "Speedy", "category"),),
        retention=tuple(Retention(days, 1, 0) for days in RETENTION_DAYS),
    )  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_outcome_templatedata_documents_every_parameter_the_renderer_writes(language: str) -> None:
    """What the bot writes, for a program with every metric, is exactly what the template documents and shows."""
    moment = datetime(2026, 3, 8, tzinfo=UTC)
    counted = everything_counted()
    goals = goals_wikitext(language, progress((Goal("edits", 5),), counted))
    written = outcome_params(counted, OUTCOME_PROGRAM.definition, moment, moment, "http://x/g", ("name",),
                             site_page="http://x/program/devwiki:5", goals=goals)  # fmt: skip
    path = TEMPLATES_DIR / language / "outcome.wikitext"
    data = templatedata(path)
    assert data is not None
    assert set(written) == set(data["params"]) == OUTCOME_PARAMS  # type: ignore[call-overload]
    body = path.read_text(encoding="utf-8").split("<noinclude>", 1)[0]
    for name in written:
        assert f"{{{{{{{name}|}}}}}}" in body, f"{path}: {name} is documented but never shown"


def test_spanish_documentation_is_translated() -> None:
    for path in sorted((TEMPLATES_DIR / "en").glob("*.wikitext")):
        english, other = templatedata(path), templatedata(TEMPLATES_DIR / "es" / path.name)
        if english is None or other is None:
            continue
        assert english["description"] != other["description"], path.name
        en_params, es_params = english["params"], other["params"]
        assert isinstance(en_params, dict) and isinstance(es_params, dict)
        for name in en_params:
            assert en_params[name]["description"] != es_params[name]["description"], f"{path.name}: {name}"
        assert "== Documentación ==" in (TEMPLATES_DIR / "es" / path.name).read_text(encoding="utf-8")


def test_tokens_become_the_wikis_names() -> None:
    text = "{{@@ROLE:signup@@|user=X}} [[Template:@@ROLE:signup@@/preload]] [[User:@@BOT@@]]"
    assert expand_tokens(text, SPANISH_NAMES, "ElBot") == (
        "{{Programa inscripción|user=X}} [[Template:Programa inscripción/preload]] [[User:ElBot]]"
    )
    for bad in ("@@ROLE:nope@@", "@@WHAT@@", "@@ROLE:signup", "@@BOT:x@@"):
        with pytest.raises(TemplateSourceError):
            expand_tokens(f"a {bad} b", SPANISH_NAMES, "ElBot")


def test_template_texts_have_no_token_left(settings: Settings) -> None:
    wiki = spanish(settings.wiki("devwiki"))
    texts = template_texts(settings, wiki)
    assert len(texts) == len(SPEC)
    assert all("@@" not in text for text in texts.values())
    assert texts["Programa inscripción/preload"].startswith(
        "<includeonly>* {{Programa inscripción|user={{subst:REVISIONUSER}}}} ~~</includeonly><includeonly>~~"
    )
    assert "{{Programa unirse}}" in texts["Programa"]
    assert "[[User:ProgramsBot|ProgramsBot]]" in texts["Programa resultados"]


def test_a_misnamed_file_stops_the_installation(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    for path in (TEMPLATES_DIR / "en").glob("*.wikitext"):
        (tmp_path / "en" / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "en" / "programme.wikitext").write_text("x", encoding="utf-8")
    monkeypatch.setattr("bot.templates.TEMPLATES_DIR", tmp_path)
    with pytest.raises(TemplateSourceError, match="programme"):
        template_sources("en")


# --- on the real wiki ---------------------------------------------------------------------------------------


def parse(user: WikiUser, wikitext: str, title: str = "Project:Sample program") -> tuple[str, set[str]]:
    """The HTML MediaWiki makes of ``wikitext`` on page ``title``, and the page's categories."""
    result = user.post(
        action="parse", text=wikitext, title=title, contentmodel="wikitext", prop="text|categories",
        disablelimitreport=1, formatversion=2,
    )["parse"]  # fmt: skip
    return str(result["text"]), {str(c["category"]) for c in result["categories"]}


BLOCK_TAGS = re.compile(r"</?(?:td|th|tr|div|li|caption|br|p|table|tbody|ul|ol|dl|dd|dt|pre)\b[^>]*>")


def visible(page_html: str) -> str:
    """The text a reader sees, with spaces collapsed (block elements separate words, inline ones do not)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", BLOCK_TAGS.sub(" ", page_html))).split())


def assert_renders_cleanly(page_html: str) -> None:
    assert 'class="error"' not in page_html, page_html
    assert "{{{" not in page_html and "}}}" not in page_html, page_html
    assert "@@" not in page_html, page_html
    missing_templates = re.findall(r'title="(Template:[^"]*) \(page does not exist\)"', page_html)
    assert not missing_templates, missing_templates


def with_names(text: str, names: TemplateNames) -> str:
    for role in fields(TemplateNames):
        text = text.replace(f"<{role.name}>", getattr(names, role.name))
    return text


FULL_PROGRAM = """{{<program>
| name = Women in Science
| type = editathon
| description = Writing about women scientists.
| institution = Example University
| location = Online
| start = 2026-03-01
| end = 2026-03-07
| tracking_end = 2026-03-14
| timezone = Europe/Madrid
| wikis = eswiki, commonswiki
| namespaces = 0, 118
| organizers = Alice, Bob
| facilitators = Carol
| campaign = Art+Feminism 2026
| articles = Marie Curie
Ada Lovelace
| categories = Women scientists
| category_depth = 1
| scope_templates = Infobox scientist
| petscan = 12345
| exclude = Marie Curie (film)
| signup_close = 2099-12-31
| edit_types = outcome, participants, talk_notice
}}
== Participants ==
* {{<signup>|user=Bob}} [[User:Bob|Bob]] 10:00, 1 March 2026 (UTC)
* {{<signup>|Carol}}"""
CLOSED_PROGRAM = "{{<program>|start=2026-03-01|end=2026-03-07|signup=closed|private=yes|bot_edits=no}}"
PAST_CLOSE_PROGRAM = "{{<program>|start=2026-03-01|end=2026-03-07|signup_close=2020-01-01}}"
FULL_OUTCOME = (
    "{{<outcome>\n"
    + "\n".join(
        f"|{name}={value}"
        for name, value in {
            **{name: str(number) for number, name in enumerate(sorted(OUTCOME_PARAMS), start=101)},
            "edits": "1234",
            "bytes_net": "-56",
            "retention_7": "pending",
            "retention_30": "3",
            "alerts": "Two sign-ups are not confirmed.",
            "wikis": "devwiki, devcommons",
            "window": "1\N{EN DASH}14 March 2026",
            "updated": "2026-03-05T10:00:00Z",
            "next_update": "2026-03-05T11:00:00Z",
            "glossary": "https://example.org/wiki/Glossary",
            "site": "https://example.org/program/devwiki:5",
        }.items()
    )
    + "\n}}"
)
PARTICIPANTS = """{{<participants>/header}}
{{<participants>/row|user=Alice|edits=12|articles_edited=3|articles_created=1|bytes_added=4520|uploads=2|status=confirmed}}
{{<participants>/row|user=Mallory|edits=7|articles_edited=1|articles_created=0|bytes_added=10|uploads=0|status=unconfirmed}}
{{<participants>/row|user=Dave|status=withdrawn}}
{{<participants>/footer}}"""
PARTICIPANTS_ROWS = """{{<participants>|rows={{<participants>/row|user=Alice|edits=12}}
{{<participants>/row|user=Bob|edits=3}}}}"""
CAMPAIGN = """{{<campaign>|name=Art+Feminism 2026|description=Edit-a-thons on women in the arts.
|start=2026-03-01|end=2026-03-31|organizers=Alice|default_type=course}}"""
CAMPAIGN_REPORT = """{{<campaign_report>|programs=* [[Project:WiS|Women in Science]]
* [[Project:Other program]]
|participants=15|edits=1200|articles_edited=80|articles_created=9|uploads=31|updated=2026-03-05T10:00:00Z}}"""
ENROLMENT = "{{<enrolment>|program=Project:WiS|name=Women in Science|role=organizer}}"
TALK_NOTICE = "{{<talk_notice>|program=Project:WiS|name=Women in Science|start=2026-03-01|end=2026-03-07}}"

# (sample, title it is parsed on, what a reader sees per language, categories per language)
SAMPLES: list[tuple[str, str, dict[str, list[str]], dict[str, set[str]]]] = [
    (
        FULL_PROGRAM,
        "Project:Sample program",
        {
            "en": [
                "Women in Science",
                "Writing about women scientists.",
                "Type Edit-a-thon",
                "Dates 1 March 2026 \N{EN DASH} 7 March 2026",
                "Edits counted 1 March 2026 \N{EN DASH} 14 March 2026",
                "Time zone Europe/Madrid",
                "Institution Example University",
                "Location Online",
                "Tracked wikis eswiki, commonswiki",
                "Namespaces 0, 118",
                "Listed articles Marie Curie",
                "Pages in these categories (depth 1) Women scientists",
                "Pages using these templates Infobox",
                "PetScan query 12345",
                "Except these pages Marie Curie (film)",
                "Organizers Alice, Bob",
                "Facilitators Carol",
                "Campaign Art+Feminism 2026",
                "Join this program",
                "Sign-up closes after 31 December 2099.",
                "Edits by ProgramsBot: outcome, participants, talk_notice.",
                "Bob Bob 10:00",
                "Carol",
            ],
            "es": [
                "Women in Science",
                "Tipo Editatón",
                "Fechas 1 de marzo de 2026 \N{EN DASH} 7 de marzo de 2026",
                "Ediciones contadas 1 de marzo de 2026 \N{EN DASH} 14 de marzo de 2026",
                "Zona horaria Europe/Madrid",
                "Institución Example University",
                "Lugar Online",
                "Wikis seguidas eswiki, commonswiki",
                "Espacios de nombres 0, 118",
                "Artículos de la lista Marie Curie",
                "Páginas de estas categorías (profundidad 1)",
                "Páginas que usan estas plantillas",
                "Consulta de PetScan 12345",
                "Excepto estas páginas",
                "Organización Alice, Bob",
                "Facilitación Carol",
                "Campaña Art+Feminism 2026",
                "Unirse al programa",
                "Las inscripciones se cierran tras el 31 de diciembre de 2099.",
                "Ediciones de ProgramsBot: outcome, participants, talk_notice.",
            ],
        },
        {"en": {"Programs"}, "es": {"Programas"}},
    ),
    (
        CLOSED_PROGRAM,
        "Project:Closed program",
        {
            "en": [
                "Closed program",
                "Type Basic program",
                "Tracked wikis Dev Wiki (this wiki)",
                "Time zone UTC",
                "Pages counted All pages in the tracked namespaces",
                "Sign-up is closed.",
                "Private program",
                "ProgramsBot counts this program but does not edit this page.",
            ],
            "es": [
                "Tipo Programa básico",
                "Wikis seguidas Dev Wiki (esta wiki)",
                "Todas las páginas de los espacios de nombres seguidos",
                "Las inscripciones están cerradas.",
                "Programa privado",
                "ProgramsBot cuenta este programa pero no edita esta página.",
            ],
        },
        {"en": {"Programs"}, "es": {"Programas"}},
    ),
    (
        PAST_CLOSE_PROGRAM,
        "Project:Past program",
        {
            "en": ["Sign-up is closed.", "Edits by ProgramsBot: outcome, participants."],
            "es": ["Las inscripciones están cerradas.", "Ediciones de ProgramsBot: resultados, participantes."],
        },
        {"en": {"Programs"}, "es": {"Programas"}},
    ),
    (
        FULL_OUTCOME,
        "Project:Sample program",
        {
            "en": [
                "Outcome",
                "Participants Participants",
                "New editors",
                "Retention after 7 days pending",
                "Retention after 30 days 3",
                "Contributions Edits 1,234",
                "Edits to pages deleted since",
                "Articles edited",
                "Articles created",
                "Created articles deleted since",
                "Words added",
                "References added",
                "References removed",
                "Bytes added",
                "Bytes removed",
                "Net change in bytes \N{MINUS SIGN}56",
                "Files Files uploaded",
                "Uploaded files in use",
                "Uses of the uploaded files",
                "Readers Views of edited and created articles",
                "Wikidata Items created",
                "Statements added",
                "Labels added",
                "Descriptions added",
                "Aliases added",
                "Sitelinks added",
                "Alerts: Two sign-ups are not confirmed.",
                "Tracked wikis: devwiki, devcommons.",
                "Counting window: 1\N{EN DASH}14 March 2026.",
                "Updated 5 March 2026, 10:00 (UTC) by ProgramsBot; definitions: glossary; details and update now.",
                "Next update: 5 March 2026, 11:00 (UTC).",
            ],
            "es": [
                "Resultados",
                "Participantes Participantes",
                "Editores nuevos",
                "Retención a los 7 días pendiente",
                "Contribuciones Ediciones 1,234",
                "Cambio neto en bytes \N{MINUS SIGN}56",
                "Archivos Archivos subidos",
                "Lectores Visitas a los artículos editados y creados",
                "Wikidata Elementos creados",
                "Avisos: Two sign-ups are not confirmed.",
                "Wikis seguidas: devwiki, devcommons.",
                "Periodo contado: 1\N{EN DASH}14 March 2026.",
                "Actualizado el 5 de marzo de 2026, 10:00 (UTC) por ProgramsBot; definiciones: glosario; "
                "detalles y actualizar ahora.",
                "Próxima actualización: 5 de marzo de 2026, 11:00 (UTC).",
            ],
        },
        {"en": set(), "es": set()},
    ),
    (
        "{{<outcome>|participants=2|edits=5|wikis=devwiki|updated=2026-03-05T10:00:00Z}}",
        "Project:Sample program",
        {
            "en": ["Outcome Participants Participants 2 Contributions Edits 5 Tracked wikis: devwiki. Updated"],
            "es": ["Resultados Participantes Participantes 2 Contribuciones Ediciones 5 Wikis seguidas: devwiki."],
        },
        {"en": set(), "es": set()},
    ),
    (
        PARTICIPANTS,
        "Project:Sample program",
        {
            "en": [
                "Participants Participant Edits Articles edited Articles created Bytes added Uploads",
                "Alice (contribs) 12 3 1 4,520 2",
                "Mallory (contribs) sign-up not confirmed: not counted 7 1 0 10 0",
                "Dave (contribs) withdrawn: not counted \N{EN DASH} \N{EN DASH} \N{EN DASH} \N{EN DASH} \N{EN DASH}",
                "Grey rows are not counted",
            ],
            "es": [
                "Participantes Participante Ediciones Artículos editados Artículos creados Bytes añadidos",
                "Alice (contribuciones) 12 3 1 4,520 2",
                "inscripción sin confirmar: no cuenta",
                "retirada: no cuenta",
                "Las filas en gris no cuentan",
            ],
        },
        {"en": set(), "es": set()},
    ),
    (
        PARTICIPANTS_ROWS,
        "Project:Sample program",
        {"en": ["Alice (contribs) 12", "Bob (contribs) 3"], "es": ["Alice (contribuciones) 12", "Bob"]},
        {"en": set(), "es": set()},
    ),
    (
        CAMPAIGN,
        "Project:Art+Feminism 2026",
        {
            "en": [
                "Art+Feminism 2026 Campaign of programs Edit-a-thons on women in the arts.",
                "Dates 1 March 2026 \N{EN DASH} 31 March 2026",
                "Organizers Alice",
                "Programs' type Course",
                "campaign = Art+Feminism 2026",
            ],
            "es": [
                "Campaña de programas",
                "Fechas 1 de marzo de 2026 \N{EN DASH} 31 de marzo de 2026",
                "Organización Alice",
                "Tipo de los programas Curso",
            ],
        },
        {"en": {"Program_campaigns"}, "es": {"Campañas_de_programas"}},
    ),
    (
        CAMPAIGN_REPORT,
        "Project:Art+Feminism 2026",
        {
            "en": [
                "Campaign results Participants 15 Edits 1,200 Articles edited 80 Articles created 9",
                "Files uploaded 31",
                "Programs Women in Science Project:Other program",
                "Updated 5 March 2026, 10:00 (UTC) by ProgramsBot.",
            ],
            "es": [
                "Resultados de la campaña Participantes 15 Ediciones 1,200",
                "Programas Women in Science",
                "Actualizado el 5 de marzo de 2026, 10:00 (UTC) por ProgramsBot.",
            ],
        },
        {"en": set(), "es": set()},
    ),
    (
        ENROLMENT,
        "User:Alice",
        {"en": ["This user organizes Women in Science."], "es": ["Este usuario organiza Women in Science."]},
        {"en": set(), "es": set()},
    ),
    (
        TALK_NOTICE,
        "Talk:Marie Curie",
        {
            "en": ["This article was edited as part of Women in Science (1 March 2026 \N{EN DASH} 7 March 2026)."],
            "es": [
                "Este artículo se editó como parte de Women in Science",
                "(1 de marzo de 2026 \N{EN DASH} 7 de marzo de 2026).",
            ],
        },
        {"en": {"Articles_edited_in_programs"}, "es": {"Artículos_editados_en_programas"}},
    ),
]


def join_href(page_html: str) -> str:
    [href] = re.findall(r'href="([^"]*section=new[^"]*)"', page_html)
    return html.unescape(href)


def attributes(tag: str) -> dict[str, str]:
    return {name: html.unescape(value) for name, value in re.findall(r'([\w-]+)="([^"]*)"', tag)}


def edit_box(session: requests.Session, url: str) -> tuple[str, str, dict[str, str]]:
    """Open an edit form like a browser: the textarea's text, the form's action and its hidden fields."""
    page = session.get(url, timeout=60).text
    textarea = re.search(r'<textarea[^>]*name="wpTextbox1"[^>]*>(.*?)</textarea>', page, re.S)
    form = re.search(r'<form[^>]*id="editform"[^>]*action="([^"]*)"(.*?)</form>', page, re.S)
    assert textarea and form, page
    inputs = [attributes(tag) for tag in re.findall(r"<input([^>]*)>", form.group(2))]
    hidden = {i["name"]: i.get("value", "") for i in inputs if i.get("type") == "hidden" and "name" in i}
    return html.unescape(textarea.group(1)), html.unescape(form.group(1)), hidden


def web_login(wiki: WikiConfig, username: str) -> requests.Session:
    """A browser-like session (cookies valid for index.php), logged in with the dev account's own password."""
    session = requests.Session()
    token = session.get(
        wiki.api_url, params={"action": "query", "meta": "tokens", "type": "login", "format": "json"}, timeout=60
    ).json()["query"]["tokens"]["logintoken"]
    result = session.post(
        wiki.api_url,
        data={
            "action": "clientlogin", "username": username, "password": devwiki_secrets()[f"PASSWORD_{username}"],
            "logintoken": token, "loginreturnurl": wiki.article_url.replace("$1", ""), "format": "json",
        },
        timeout=60,
    ).json()  # fmt: skip
    assert result["clientlogin"]["status"] == "PASS", result
    return session


@pytest.fixture
def alice(fresh_wikis: None) -> WikiUser:
    return WikiUser.on("devwiki", "Alice")


def page_title(file_stem: str, names: TemplateNames) -> str:
    role, _, subpage = file_stem.partition(".")
    name = getattr(names, role)
    return f"Template:{name}/{subpage}" if subpage else f"Template:{name}"


@pytest.mark.usefixtures("fresh_wikis")
@pytest.mark.parametrize("language", LANGUAGES)
def test_install_saves_every_template_once_and_the_wiki_accepts_their_templatedata(
    settings: Settings, language: str
) -> None:
    wiki = settings.wiki("devwiki") if language == "en" else spanish(settings.wiki("devwiki"))
    stems = {page_title(file_stem, wiki.templates): file_stem for file_stem in SPEC}
    first = install_templates(settings, wiki)
    assert set(first) == set(stems)
    assert all(outcome.saved for outcome in first.values()), first
    again = install_templates(settings, wiki)
    assert again == dict.fromkeys(first, EditOutcome("no_change")), again

    reader = WikiUser.on("devwiki", "Carol")
    for title, text in template_texts(settings, wiki).items():
        assert reader.page_text(f"Template:{title}") == text.rstrip(), title
    # TemplateData refuses to save an invalid block; what the wiki serves is what the spec lists.
    pages = reader.get(action="templatedata", titles="|".join(first), formatversion=2)["pages"]
    documented = {page["title"]: set(page["params"]) for page in pages.values()}
    assert documented == {title: SPEC[file_stem] for title, file_stem in stems.items() if SPEC[file_stem] is not None}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_renders_without_errors(alice: WikiUser, settings: Settings, language: str) -> None:
    wiki = settings.wiki("devwiki") if language == "en" else spanish(settings.wiki("devwiki"))
    install_templates(settings, wiki)
    for sample, title, expected_text, expected_categories in SAMPLES:
        page_html, categories = parse(alice, with_names(sample, wiki.templates), title)
        assert_renders_cleanly(page_html)
        text = visible(page_html)
        for expected in expected_text[language]:
            assert expected in text, f"{expected!r} not in {text!r}"
        assert categories == expected_categories[language], (sample, categories)
    # Sign-up is open by default: the program box holds the Join button.
    page_html, _ = parse(alice, with_names("{{<program>|start=2026-03-01|end=2026-03-07}}", wiki.templates))
    assert "section=new" in join_href(page_html)
    # A broken program says what is missing, in the box itself.
    page_html, _ = parse(alice, with_names("{{<program>|name=Broken}}", wiki.templates))
    assert page_html.count('class="error"') == 2


def test_join_button_preloads_a_signup_line_that_becomes_the_savers_own(alice: WikiUser, settings: Settings) -> None:
    wiki = settings.wiki("devwiki")
    install_templates(settings, wiki)
    program = "Project:Join test"
    alice.edit(program, "{{Program|start=2026-03-01|end=2026-03-07}}\nIntro.\n\n== Participants ==\n")

    page_html, _ = parse(alice, "{{Program join}}", program)
    href = join_href(page_html)
    query = parse_qs(urlsplit(href).query)
    assert query["title"] == ["Dev_Wiki:Join_test"]
    assert query["action"] == ["edit"]
    assert query["section"] == ["new"]
    assert query["nosummary"] == ["1"]
    assert query["preload"] == ["Template:Program sign-up/preload"]
    assert query["editintro"] == ["Template:Program join/editintro"]
    page_html, _ = parse(alice, "{{Program join|page=Project:Elsewhere|label=Sign me up}}", program)
    assert parse_qs(urlsplit(join_href(page_html)).query)["title"] == ["Dev_Wiki:Elsewhere"]
    assert "Sign me up" in visible(page_html)

    # What the edit box holds: the sign-up line with the substitution and the signature still to be made on save.
    carol = web_login(wiki, "Carol")
    box, action, hidden = edit_box(carol, href)
    preload = "* {{Program sign-up|user={{subst:REVISIONUSER}}}} ~~~~"
    assert box.strip() == preload
    assert "You are signing up for this program" in carol.get(href, timeout=60).text

    # Saved through the API as Bob: the line names Bob.
    bob = WikiUser.on("devwiki", "Bob")
    bob.edit(program, appendtext="\n\n" + preload)
    text = alice.page_text(program)
    assert text is not None
    assert "\n* {{Program sign-up|user=Bob}} [[User:Bob|Bob]] " in text

    # Saved through the form, as a browser does, as Carol: the line names Carol and lands at the end of the page.
    response = carol.post(
        urlsplit(wiki.api_url)._replace(path="", query="").geturl() + action,
        data={**hidden, "wpTextbox1": box, "wpSave": "Save"},
        timeout=60,
    )
    assert response.status_code == 200
    text = alice.page_text(program)
    assert text is not None
    assert re.search(r"\n\n\* \{\{Program sign-up\|user=Carol\}\} \[\[User:Carol\|Carol\]\] [^\n]*\(UTC\)$", text), text
    assert alice.revisions(program)[-1]["user"] == "Carol"
    rendered, _ = parse(alice, text, program)
    assert_renders_cleanly(rendered)
    assert 'title="User:Bob' in rendered and 'title="User:Carol' in rendered


def test_spanish_join_button_preloads_the_spanish_signup_template(alice: WikiUser, settings: Settings) -> None:
    wiki = spanish(settings.wiki("devwiki"))
    install_templates(settings, wiki)
    alice.edit("Project:Programa de prueba", "{{Programa|start=2026-03-01|end=2026-03-07}}\n== Participantes ==\n")
    page_html, _ = parse(alice, "{{Programa}}", "Project:Programa de prueba")
    href = join_href(page_html)
    assert parse_qs(urlsplit(href).query)["preload"] == ["Template:Programa inscripción/preload"]
    box, _, _ = edit_box(web_login(settings.wiki("devwiki"), "Dave"), href)
    assert box.strip() == "* {{Programa inscripción|user={{subst:REVISIONUSER}}}} ~~~~"
