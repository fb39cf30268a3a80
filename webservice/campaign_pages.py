"""Campaign pages: the list of campaigns, and each campaign's page with its programs (alphabetical), its totals
counted once (bot/campaign_report.py: a participant, revision or file shared by two programs is one) and the same
tabs as a program, over its programs together."""

from __future__ import annotations

from flask import abort, render_template

from bot.campaign_report import CampaignTotals, campaign_totals
from bot.metric_registry import Dimension, Figures, in_dimension
from bot.store import CampaignSummary
from webservice import app as site
from webservice import program_pages, tabs
from webservice.app import app


@app.route("/campaigns")
def campaigns() -> str:
    programs = site.programs()
    found = site.store().campaigns()
    members = {campaign.key: [p for p in programs if campaign.includes(p)] for campaign in found}
    return render_template("campaigns.html", campaigns=found, members=members)


def _campaign(key: str) -> tuple[CampaignSummary, CampaignTotals, tabs.Subject]:
    campaign = next((c for c in site.store().campaigns() if c.key == key), None)
    if campaign is None:
        abort(404)
    totals = campaign_totals(site.store(), campaign, site.programs())
    subject = tabs.Subject("campaign", campaign.key, campaign.name, tuple(m for m in totals.members if m.updated_at))
    return campaign, totals, subject


@app.route("/campaign/<path:key>")
def campaign(key: str) -> str:
    found, totals, subject = _campaign(key)
    figures = Figures(counts=totals.counts, participants=totals.participants)
    return render_template(
        "campaign.html",
        campaign=found,
        totals=totals,
        subject=subject,
        tab="overview",
        tabs=program_pages.TABS,
        cells=[(m, m.value(figures)) for m in in_dimension(Dimension.CAMPAIGN)],
        messages=found.messages,
    )


@app.route("/campaign/<path:key>/participants")
def campaign_participants(key: str) -> str:
    return program_pages.participants_tab(_campaign(key)[2])


@app.route("/campaign/<path:key>/articles")
def campaign_articles(key: str) -> str:
    return program_pages.articles_tab(_campaign(key)[2], None)


@app.route("/campaign/<path:key>/uploads")
def campaign_uploads(key: str) -> str:
    return program_pages.uploads_tab(_campaign(key)[2])


@app.route("/campaign/<path:key>/file")
def campaign_file(key: str) -> str:
    return program_pages.file_page(_campaign(key)[2])


@app.route("/campaign/<path:key>/activity")
def campaign_activity(key: str) -> str:
    return program_pages.activity_tab(_campaign(key)[2])


@app.route("/campaign/<path:key>/alerts")
def campaign_alerts(key: str) -> str:
    found, _totals, subject = _campaign(key)
    return program_pages.alerts_tab(subject, found.messages)


@app.route("/campaign/<path:key>/charts")
def campaign_charts(key: str) -> str:
    return program_pages.charts_tab(_campaign(key)[2])
