"""A user's page: the public programs they signed up for, with their figures in each. A private program is never
listed (that would tell that this person takes part in it), whatever the sign-up's status."""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template

from bot.metric_registry import Figures
from bot.metrics import Counts
from bot.program import SignupStatus
from bot.store import ProgramSummary
from webservice import app as site
from webservice import tabs
from webservice.app import app


@dataclass(frozen=True)
class Membership:
    program: ProgramSummary
    status: SignupStatus
    figures: Figures | None
    """None before the program's first update."""


@app.route("/user/<path:username>")
def user(username: str) -> str:
    by_key = {p.key: p for p in site.programs()}
    rows = []
    for key, status in site.store().programs_of_user(username):
        summary = by_key.get(key)
        if summary is None or summary.private:
            continue
        figures = None
        if summary.updated_at:
            counts = {n: c for n, c, _ in site.store().snapshot_counts(key, summary.updated_at, "participant")}
            figures = Figures(counts=counts.get(username, Counts()))
        rows.append(Membership(summary, status, figures))
    rows.sort(key=lambda m: (m.program.name.casefold(), m.program.key))
    return render_template("user.html", username=username, rows=rows, metrics=tabs.PARTICIPANT_METRICS)
