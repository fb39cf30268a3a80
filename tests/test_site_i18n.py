"""Messages with CLDR plural rules (Babel's data), explicit ``N=`` forms, writing direction and language names."""

from __future__ import annotations

from bot.i18n import direction, language_name, plural_form, translate


def test_plural_forms_follow_each_languages_cldr_categories() -> None:
    assert translate("en", "web-refresh-position", 1) == "queued: next in line"
    assert translate("en", "web-refresh-position", 3) == "queued: position 3 in line"
    assert translate("es", "summary-outcome", 1, 0, 1) == (
        "Bot: actualizando los resultados del programa (1 participante, 0 ediciones, 1 artículo editado)"
    )
    arabic = ["zero", "one", "two", "few", "many", "other"]
    assert [plural_form("ar", n, arabic) for n in (0, 1, 2, 3, 11, 100)] == [
        "zero", "one", "two", "few", "many", "other"
    ]  # fmt: skip
    # Russian: one (21), few (22), many (25); with two forms given, the last one stands for the rest.
    assert [plural_form("ru", n, ["a", "b", "c"]) for n in (21, 22, 25)] == ["a", "b", "c"]
    assert [plural_form("ru", n, ["a", "b"]) for n in (21, 22, 25)] == ["a", "b", "b"]
    # Spanish has a "many" category (a million): with two forms, still the plural.
    assert plural_form("es", 1_000_000, ["edición", "ediciones"]) == "ediciones"
    # French takes the singular for 0 (CLDR), English the plural.
    assert plural_form("fr", 0, ["un", "des"]) == "un" and plural_form("en", 0, ["one", "many"]) == "many"


def test_explicit_forms_win_and_unknown_languages_fall_back() -> None:
    assert plural_form("en", 0, ["0=nothing", "one", "other"]) == "nothing"
    assert plural_form("en", 2, ["0=nothing", "one", "other"]) == "other"
    assert plural_form("xx-unknown", 1, ["one", "other"]) == "one"


def test_direction_and_names() -> None:
    assert (direction("en"), direction("es"), direction("ar"), direction("he")) == ("ltr", "ltr", "rtl", "rtl")
    assert (language_name("en"), language_name("es")) == ("English", "español")
