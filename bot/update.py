"""The main job: for every configured wiki, read its campaign and program pages, count, store, write back.

Data flows one way: wiki page (+ its history) -> Program -> ProgramStats -> stored snapshot -> wikitext -> guarded
publisher. A program that fails at any step is recorded with a message for its organizer, and the run goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.campaign_page import parse_campaign_page
from bot.campaign_report import campaign_params
from bot.clock import iso
from bot.config import Settings, WikiConfig
from bot.i18n import render, translate
from bot.metrics import ProgramMetrics
from bot.notices import add_enrolment, add_talk_notice
from bot.organizer_report import place_report
from bot.program import EditType, Message, Program, ProgramPageError, public_messages
from bot.program_page import PageContext
from bot.program_reader import build_program
from bot.publisher import EditOutcome, publish
from bot.render import outcome_params, participants_block, place_outcome, place_participants, place_template
from bot.replica import Replica
from bot.stats import backend_label, program_metrics
from bot.store import Store
from bot.wiki import (
    Page,
    WikiError,
    admins_from_page,
    embedded_pages,
    missing_users,
    page_revisions,
    site,
    user_prefixes,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProgramResult:
    wiki: str
    title: str
    ok: bool
    messages: tuple[Message, ...]
    edit: EditOutcome | None
    report: EditOutcome | None = None


@dataclass(frozen=True)
class WikiRun:
    """What one wiki's part of an update shares: its settings, how to read its pages, and who is trusted."""

    wiki: WikiConfig
    settings: Settings
    context: PageContext
    admins: frozenset[str]
    store: Store
    replicas: dict[str, Replica]
    now: datetime


def _report(
    run: WikiRun, page: Page, messages: tuple[Message, ...], private: bool, allowed: bool
) -> EditOutcome | None:
    if not allowed:
        return None
    shown = public_messages(messages, private)
    summary = translate(run.wiki.language, "summary-report", len(shown))
    return publish(
        page.toggleTalkPage(),
        lambda text: place_report(text, run.wiki.language, shown, iso(run.now)),
        summary,
        wiki=run.wiki,
        settings=run.settings,
    )


def update_program(run: WikiRun, page: Page) -> ProgramResult:
    title, key = page.title(), f"{run.wiki.name}:{page.pageid}"
    state = run.store.trust_state(key)
    # Re-read the history only when the page changed since the last run.
    new = [] if page.latest_revision_id == state.last_revid else page_revisions(page, state.last_revid)
    wiki_site = site(run.wiki)
    program, state = build_program(
        page_id=page.pageid,
        title=title,
        context=run.context,
        state=state,
        new_revisions=new,
        admins=run.admins,
        missing_users=lambda names: missing_users(wiki_site, names),
    )
    run.store.record_trust_state(key, state)
    if isinstance(program, ProgramPageError):
        report = _report(run, page, program.messages, private=False, allowed=True)
        run.store.record_status(
            key=key, wiki=run.wiki.name, title=title, checked_at=run.now, ok=False,
            messages=program.messages, edit_outcome=Message("outcome-not-published"),
        )  # fmt: skip
        return ProgramResult(run.wiki.name, title, False, program.messages, None, report)

    definition = program.definition
    metrics, notes = program_metrics(program, run.settings, run.replicas, run.now, store=run.store)
    messages = program.messages + notes
    run.store.record_program(program)
    run.store.record_snapshot(program, metrics, run.now, backend=backend_label(program, run.settings))
    edit: EditOutcome | None = None
    if definition.bot_edits and EditType.OUTCOME in definition.edit_types:
        next_update = run.now + timedelta(minutes=run.settings.update_interval_minutes)
        params = outcome_params(metrics, definition, run.now, next_update, run.settings.glossary_url)
        participants = (
            participants_block(run.wiki.templates.participants, metrics, program.participants)
            if EditType.PARTICIPANTS in definition.edit_types and not definition.private
            else None
        )

        def transform(text: str) -> str:
            text = place_outcome(text, run.wiki.templates, params)
            return place_participants(text, run.wiki.templates, participants) if participants else text

        summary = translate(
            run.wiki.language, "summary-outcome", metrics.participants, metrics.total.edits,
            metrics.total.articles_edited,
        )  # fmt: skip
        edit = publish(page, transform, summary, wiki=run.wiki, settings=run.settings)
    if definition.bot_edits and not definition.private:
        _publish_notices(run, page, program, metrics)
    report = _report(run, page, messages, definition.private, definition.bot_edits)
    run.store.record_status(
        key=key, wiki=run.wiki.name, title=title, checked_at=run.now, ok=True,
        messages=messages, edit_outcome=edit.message if edit else Message("outcome-not-published"),
    )  # fmt: skip
    return ProgramResult(run.wiki.name, title, True, messages, edit, report)


def _publish_notices(run: WikiRun, page: Page, program: Program, metrics: ProgramMetrics) -> None:
    """Enrolment notices and article talk-page notices, each only when the program's edit_types allow it."""
    names, types = run.wiki.templates, program.definition.edit_types
    if EditType.ENROLMENT in types:
        summary = translate(run.wiki.language, "summary-enrolment", program.name)
        for username in program.confirmed:
            user_page = Page(page.site, username, ns=2)
            publish(user_page, _enrol(names.enrolment, program), summary, wiki=run.wiki, settings=run.settings)
    if EditType.TALK_NOTICE in types:
        summary = translate(run.wiki.language, "summary-talk-notice", program.name)
        for wiki, namespace, title in metrics.by_article:
            if wiki == run.wiki.name and namespace == 0:
                talk = Page(page.site, title.replace("_", " "), ns=1)
                publish(talk, _notice(names.talk_notice, program), summary, wiki=run.wiki, settings=run.settings)


def _enrol(name: str, program: Program) -> Callable[[str], str]:
    return lambda text: add_enrolment(text, name, program, "participant")


def _notice(name: str, program: Program) -> Callable[[str], str]:
    return lambda text: add_talk_notice(text, name, program)


def _update_campaigns(run: WikiRun) -> None:
    for page in embedded_pages(run.wiki, run.wiki.templates.campaign):
        campaign = parse_campaign_page(page.text, page_id=page.pageid, title=page.title(), context=run.context)
        if campaign is not None:
            run.store.record_campaign(campaign, run.now)


def update_campaign_reports(run: WikiRun) -> None:
    """After every wiki's programs: each campaign page of this wiki gets its programs and summed numbers."""
    programs = run.store.programs()
    pages = {page.pageid: page for page in embedded_pages(run.wiki, run.wiki.templates.campaign)}
    for campaign in run.store.campaigns():
        page = pages.get(int(campaign.key.split(":", 1)[1])) if campaign.wiki == run.wiki.name else None
        if page is None:
            continue
        params = campaign_params(run.store, campaign, programs, run.now)
        summary = translate(run.wiki.language, "summary-campaign-report", params["edits"])
        names = run.wiki.templates
        publish(
            page, _placer(names.campaign_report, names.campaign, params), summary, wiki=run.wiki, settings=run.settings
        )


def _placer(name: str, after: str, params: dict[str, str]) -> Callable[[str], str]:
    return lambda text: place_template(text, name, after, params)


def _log(result: ProgramResult) -> None:
    """Counts and outcomes only: messages can name participants of private programs."""
    edit = render("en", result.edit.message) if result.edit else "not published"
    log.info("%s %s: %s, %d message(s)", result.wiki, result.title, edit, len(result.messages))


def run_update(
    settings: Settings, store: Store, now: datetime, only_wikis: Iterable[str] | None = None
) -> list[ProgramResult]:
    replicas = {name: Replica(config, settings) for name, config in settings.wikis.items()}
    results: list[ProgramResult] = []
    runs: list[WikiRun] = []
    try:
        for name in only_wikis or settings.wikis:
            wiki = settings.wiki(name)
            try:
                wiki_site = site(wiki)
                admins = settings.admins
                if settings.admins_page:
                    admins |= admins_from_page(wiki_site, settings.admins_page)
                run = WikiRun(
                    wiki=wiki,
                    settings=settings,
                    context=PageContext(wiki=wiki, wikis=settings.wikis, user_prefixes=user_prefixes(wiki_site)),
                    admins=admins,
                    store=store,
                    replicas=replicas,
                    now=now,
                )
                _update_campaigns(run)
                pages = list(embedded_pages(wiki, wiki.templates.program))
                runs.append(run)
            except WikiError:
                log.exception("cannot read the program pages of %s; the other wikis go on", name)
                continue
            for page in pages:
                try:
                    result = update_program(run, page)
                except Exception as error:  # one broken program must never stop the others
                    log.exception("program %s on %s failed", page.title(), name)
                    message = Message("problem-internal", (type(error).__name__,))
                    store.record_status(
                        key=f"{name}:{page.pageid}", wiki=name, title=page.title(), checked_at=now, ok=False,
                        messages=(message,), edit_outcome=Message("outcome-not-published"),
                    )  # fmt: skip
                    result = ProgramResult(name, page.title(), False, (message,), None)
                _log(result)
                results.append(result)
        for run in runs:
            try:
                update_campaign_reports(run)
            except WikiError:
                log.exception("campaign reports on %s failed; the programs are updated", run.wiki.name)
    finally:
        for replica in replicas.values():
            replica.close()
    return results
