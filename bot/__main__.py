"""Command line: ``python -m bot update | install-templates | run``. It parses arguments and calls one entry point."""

from __future__ import annotations

import argparse
import logging
import sys

from bot.clock import utcnow
from bot.config import load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    update = commands.add_parser("update", help="read every program page, count, store and publish, once")
    update.add_argument("--wiki", action="append", help="only this wiki's program pages (repeatable)")
    install = commands.add_parser("install-templates", help="write the on-wiki templates to a wiki")
    install.add_argument("--wiki", required=True)
    commands.add_parser("run", help="keep running, updating every update_interval_minutes (for a continuous job)")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings()

    # pywikibot is imported (and configured) only once the settings are known.
    from bot.store import Store

    if args.command == "install-templates":
        from bot.i18n import render
        from bot.templates import install_templates

        for title, outcome in install_templates(settings, settings.wiki(args.wiki)).items():
            print(f"{title}: {render('en', outcome.message)}")
        return 0

    store = Store.open(settings.state)
    try:
        if args.command == "update":
            from bot.update import run_update

            results = run_update(settings, store, utcnow(), args.wiki)
            failed = [r for r in results if not r.ok]
            print(f"{len(results)} program(s) read, {len(failed)} with problems")
            return 0
        from bot.scheduler import run_forever

        run_forever(settings, store)
        return 0
    finally:
        store.close()


if __name__ == "__main__":
    sys.exit(main())
