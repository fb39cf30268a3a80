"""The on-wiki templates read well in dark mode, and every transcluded template documents itself with TemplateData.

Dark mode (Vector 2022's night theme, Minerva's dark theme) turns the page dark and the text light. A style that sets
a light background but leaves the text colour to the skin then shows light text on a light box: unreadable. So every
``style="..."`` that declares a background must also declare the text colour, in the same attribute. A text colour
without a background is fine (the background is the page's, which the skin keeps readable).

Styles are checked per branch of the parser functions inside them (``style="{{#switch:...|x=color:...;
background-color:...;}}"``): the text outside every parser function is always there, a branch only when chosen, so
the check is "static text + each branch", recursively. Plain text only: nothing here needs a wiki.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import mwparserfromhell
import pytest
from mwparserfromhell.nodes import Template

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates_wikitext"
LANGUAGES = ("en", "es")
# Pages the installer writes that are not templates one transcludes with parameters: the Join button's preload text
# and its edit intro. They have no TemplateData (tests/test_templates.py keeps the same list).
NOT_TRANSCLUDED = {"signup.preload", "join.editintro"}

_STYLE = re.compile(r"""\bstyle\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S))""", re.IGNORECASE)
_BACKGROUND = re.compile(r"(?<![\w-])background(?:-color|-image)?\s*:", re.IGNORECASE)
_COLOR = re.compile(r"(?<![\w-])color\s*:", re.IGNORECASE)


def template_files(language: str) -> list[Path]:
    return sorted((TEMPLATES_DIR / language).glob("*.wikitext"))


def styles(text: str) -> Iterator[tuple[int, str | None]]:
    """(line number, value) of every style attribute; value None when it is not quoted (the check cannot read it)."""
    for match in _STYLE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        value = match.group(1) if match.group(1) is not None else match.group(2)
        yield line, value


def alternatives(style: str) -> list[str]:
    """Every text the style can expand to, as far as its parser functions go: the static text plus each branch.

    ``{{#switch:...|a|b=X|#default=Y}}`` contributes X or Y (or nothing, for a value no case names); ``{{#if:c|X|Y}}``
    X or Y. Other templates, magic words and ``{{{parameters}}}`` are kept as they are written.
    """
    code = mwparserfromhell.parse(style)
    functions = [node for node in code.nodes if isinstance(node, Template) and str(node.name).lstrip().startswith("#")]
    static = "".join(str(node) for node in code.nodes if not any(node is function for function in functions))
    results = [static]
    for function in functions:
        branches = [str(param.value) for param in function.params] + [""]
        results = [before + expanded for before in results for branch in branches for expanded in alternatives(branch)]
    return results


def missing_text_colour(style: str) -> list[str]:
    """The expansions of ``style`` that set a background without a text colour."""
    return [text for text in alternatives(style) if _BACKGROUND.search(text) and not _COLOR.search(text)]


@pytest.mark.parametrize(
    ("style", "bad"),
    [
        ("background-color:#eaf3ff;", True),
        ("background:#f8f9fa; border:1px solid #a2a9b1;", True),
        ("text-align:left; background-color:#dbe4f0; color:#202122;", False),
        ("border-color:#36c; background-color:#fff;", True),
        ("color:#54595d; font-size:85%;", False),
        ("{{#switch:{{lc:{{{status|}}}}}|unconfirmed|withdrawn=color:#72777d; background-color:#eaecf0;}}", False),
        ("{{#switch:{{{s|}}}|a=color:#72777d;|b=background-color:#eaecf0;}}", True),
        ("color:#202122; {{#if:{{{x|}}}|background-color:#eaecf0;}}", False),
        ("{{#if:{{{x|}}}|background-color:#eaecf0;}} {{#if:{{{y|}}}|color:#202122;}}", True),
    ],
)
def test_the_check_reads_styles_and_their_branches(style: str, bad: bool) -> None:
    assert bool(missing_text_colour(style)) is bad


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_background_comes_with_a_text_colour(language: str) -> None:
    files = template_files(language)
    assert files, f"no templates in {TEMPLATES_DIR / language}"
    problems = []
    checked = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "bgcolor" not in text.lower(), f"{path}: bgcolor attribute (use style with color too)"
        for line, style in styles(text):
            checked += 1
            if style is None:
                problems.append(f"{path.name}:{line}: unquoted style attribute")
            elif missing_text_colour(style):
                problems.append(f'{path.name}:{line}: background without text colour in style="{style}"')
    assert checked > 0
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_has_templatedata(language: str) -> None:
    stems = {path.name.removesuffix(".wikitext") for path in template_files(language)}
    assert stems >= NOT_TRANSCLUDED, "the exempted pages were renamed: update NOT_TRANSCLUDED"
    for path in template_files(language):
        if path.name.removesuffix(".wikitext") in NOT_TRANSCLUDED:
            continue
        text = path.read_text(encoding="utf-8")
        blocks = re.findall(r"<noinclude>.*?<templatedata>(.*?)</templatedata>.*?</noinclude>", text, re.S)
        assert len(blocks) == 1, f"{path}: expected one <templatedata> inside <noinclude>"
        data = json.loads(blocks[0])
        assert isinstance(data, dict) and "params" in data, f"{path}: TemplateData without params"


def test_both_languages_have_the_same_files() -> None:
    names = {language: {path.name for path in template_files(language)} for language in LANGUAGES}
    assert names["en"] == names["es"]
