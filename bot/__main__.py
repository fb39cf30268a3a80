"""Command line: ``python -m bot update | install-templates | run | check | status | healthcheck | db upgrade |
find-articles``.
It parses arguments and calls one entry point."""

from __future__ import annotations

import argparse
import logging
import sys

from bot.clock import utcnow
from bot.config import ConfigError, Settings, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    update = commands.add_parser("update", help="read every program page, count, store and publish, once")
    update.add_argument("--wiki", action="append", help="only this wiki's program pages (repeatable)")
    update.add_argument("--program", help="only the program page with this title (update it now)")
    update.add_argument(
        "--dry-run", action="store_true", help="save nothing on any wiki; print a diff of each edit it would make"
    )
    install = commands.add_parser("install-templates", help="write the on-wiki templates to a wiki")
    install.add_argument("--wiki", required=True)
    commands.add_parser("run", help="keep running, updating every update_interval_minutes (for a continuous job)")
    commands.add_parser("check", help="try every wiki API, replica and the state database; exit 1 if one fails")
    commands.add_parser("status", help="the job's heartbeat, each program's last update, the latest failed edits")
    commands.add_parser("healthcheck", help="exit 1 if the update job's heartbeat is too old (jobs.yaml)")
    finder = commands.add_parser(
        "find-articles", help="print the Article Finder's ranking as CSV or JSON (reads only; edits nothing)"
    )
    finder.add_argument("--wiki", required=True)
    finder.add_argument("--category", action="append", default=[], help="a category to look in (repeatable)")
    finder.add_argument("--depth", type=int, default=0, choices=range(4), help="subcategory levels (0-3)")
    finder.add_argument("--article", action="append", default=[], help="an article to look at (repeatable)")
    finder.add_argument("--limit", type=int, default=20)
    finder.add_argument("--format", choices=["csv", "json"], default="csv")
    db = commands.add_parser("db", help="the state database")
    db.add_argument("action", choices=["upgrade"], help="upgrade: apply the pending schema migrations")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"FAIL settings: {error}", file=sys.stderr)
        return 2

    # pywikibot is imported (and configured) only once the settings are known.
    from bot.store import Store

    if args.command == "install-templates":
        from bot.i18n import render
        from bot.templates import install_templates

        for title, outcome in install_templates(settings, settings.wiki(args.wiki)).items():
            print(f"{title}: {render('en', outcome.message)}")
        return 0

    if args.command in ("check", "status", "healthcheck"):
        return _inspect(args.command, settings)

    if args.command == "find-articles":
        return _find_articles(args, settings)

    if args.command == "db":
        store = Store.open(settings.state)  # opening for the bot applies what is pending
        store.close()
        print("state database schema is current")
        return 0

    store = Store.open(settings.state)
    try:
        if args.command == "update":
            from bot.update import InfrastructureError, run_update

            try:
                results = run_update(
                    settings, store, utcnow(), args.wiki, only_program=args.program, dry_run=args.dry_run
                )
            except InfrastructureError as error:
                print(f"update failed: {error}", file=sys.stderr)
                return 1
            failed = [r for r in results if not r.ok]
            print(f"{len(results)} program(s) read, {len(failed)} with problems")
            return 0
        from bot.scheduler import run_forever

        return run_forever(settings, store)
    finally:
        store.close()


def _find_articles(args: argparse.Namespace, settings: Settings) -> int:
    """The Article Finder's ranking for a maintainer or a script, as the on-wiki table has it (bot/article_finder.py),
    without a request page and without saving anything."""
    from bot.article_finder import export, find
    from bot.i18n import render
    from bot.organizer_tools import ToolRequest
    from bot.program import Message
    from bot.replica import Replica

    wiki = settings.wiki(args.wiki)
    request = ToolRequest(
        tuple(args.article), tuple(args.category), args.depth, max(1, min(args.limit, settings.finder_rows))
    )
    notes: list[Message] = []
    replica = Replica(wiki, settings)
    try:
        ranked, _looked_at = find(request, wiki, settings, replica, utcnow().date(), notes)
    finally:
        replica.close()
    table = export(ranked, wiki.language)
    print(table.to_json() if args.format == "json" else table.to_csv(), end="")
    for note in notes:
        print(render("en", note), file=sys.stderr)
    return 0


def _inspect(command: str, settings: Settings) -> int:
    """The maintainer's commands: they read and report, and never edit a wiki."""
    from bot.health import check, healthcheck, status
    from bot.store import Store

    now = utcnow()
    try:
        store: Store | None = Store.open(settings.state, migrate=command == "check")
    except Exception as error:
        print(f"FAIL state database: {type(error).__name__}: {error}", file=sys.stderr)
        if command != "check":
            return 1
        store = None
    try:
        if command == "check":
            results = check(settings, store, now)
            print("\n".join(result.line() for result in results))
            return 0 if all(result.ok for result in results) else 1
        assert store is not None
        if command == "healthcheck":
            result = healthcheck(settings, store, now)
            print(result.line())
            return 0 if result.ok else 1
        print("\n".join(status(settings, store, now)))
        return 0
    finally:
        if store is not None:
            store.close()


if __name__ == "__main__":
    sys.exit(main())
