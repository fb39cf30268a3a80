"""Message files: complete, documented, and rendered with parameters and plurals."""

from __future__ import annotations

import json
import re

from bot.i18n import I18N_DIR, languages, translate
from bot.metric_registry import GLOSSARY_RULES, REGISTRY, Need, PerDays


def load(language: str) -> dict[str, str]:
    data = json.loads((I18N_DIR / f"{language}.json").read_text(encoding="utf-8"))
    data.pop("@metadata")
    return data


def test_english_and_spanish_exist_and_every_message_is_documented_and_translated() -> None:
    assert {"en", "es"} <= set(languages())
    english, spanish, documentation = load("en"), load("es"), load("qqq")
    assert set(documentation) == set(english)
    assert set(spanish) == set(english)
    for key, text in english.items():
        assert set(re.findall(r"\$\d", spanish[key])) == set(re.findall(r"\$\d", text)), key


def test_parameters_and_plural() -> None:
    assert translate("en", "summary-outcome", 1, 2, 10) == (
        "Bot: updating program outcome (1 participant, 2 edits, 10 articles edited)"
    )
    assert translate("es", "summary-outcome", 2, 1, 1) == (
        "Bot: actualizando los resultados del programa (2 participantes, 1 edición, 1 artículo editado)"
    )


def test_unknown_language_falls_back_to_english() -> None:
    assert translate("xx", "web-edits") == "Edits"


def test_every_registry_metric_has_its_messages_and_no_message_outlives_its_metric() -> None:
    """A metric added to the registry without its label or glossary text fails here (the site would raise a
    KeyError); so does a ``metric-*`` or ``glossary-*`` message left behind by a removed one."""
    english = load("en")
    needed = {"glossary-intro"}
    for entry in REGISTRY:
        needed |= {entry.label, f"glossary-{entry.glossary}", f"glossary-{entry.glossary}-term"}
        if entry.needs is not Need.ANY:
            needed.add(f"glossary-needs-{entry.needs.value}")
    for rule in GLOSSARY_RULES:
        needed |= {f"glossary-{rule}", f"glossary-{rule}-term"}
    assert needed - set(english) == set()
    assert {key for key in english if key.startswith(("metric-", "glossary-"))} == needed
    # Labels of per-N-days metrics take the N.
    assert translate("es", "metric-retention", 30) == "Retención a los 30 días"
    assert all("$1" in english[e.label] for e in REGISTRY if isinstance(e, PerDays))
